"""Reparations and claims: who pays whom, how, and which claims are waived."""

from __future__ import annotations

from pydantic import Field

from negpos.model.stance import (
    ItemsStance,
    KeyedStance,
    NumberStance,
    StanceMeta,
    TextStance,
    section_stances,
)

__all__ = ["Reparations"]


class Reparations(StanceMeta):
    """What a proposal says about reparations, claims and amnesty."""

    payer: ItemsStance | None = Field(
        default=None, description="Party id (or a list of them) that pays."
    )
    payee: ItemsStance | None = Field(
        default=None, description="Party id (or a list of them) that is paid."
    )
    amount: NumberStance | None = Field(
        default=None, description="How much: a figure with its currency as unit."
    )
    mechanism: ItemsStance | None = Field(
        default=None,
        description="How: frozen_assets, fund, direct_payment, reconstruction_aid, "
        "investment_vehicle.",
    )
    waiver: TextStance | None = Field(
        default=None, description="Waiver of claims: none, one_sided or mutual."
    )
    amnesty: TextStance | None = Field(
        default=None, description="Amnesty for acts during the war: none, partial or full."
    )

    def keyed_stances(self, loc: tuple[str | int, ...]) -> list[KeyedStance]:
        return section_stances(self, "reparations", loc, frozenset())
