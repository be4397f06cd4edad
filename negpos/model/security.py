"""Neutrality and security stances, one section per party they bind."""

from __future__ import annotations

from typing import Annotated

from pydantic import Field

from negpos.model.frozen import FrozenDict
from negpos.model.stance import (
    EntriesKeyed,
    ItemsStance,
    KeyedStance,
    NumberStance,
    StanceMeta,
    TextStance,
    YesNoStance,
    section_stances,
)

__all__ = ["SecurityStance"]


class SecurityStance(StanceMeta):
    """What a proposal says about one party's alliances, forces and guarantees."""

    party: str = Field(description="Id of the party these terms bind (e.g. the neutral state).")
    neutral: YesNoStance | None = Field(default=None, description="Permanent neutrality.")
    memberships: Annotated[
        FrozenDict[str, TextStance] | None, EntriesKeyed("membership", "organisation")
    ] = Field(
        default=None,
        description="Organisation (party id, e.g. NATO, EU) -> barred, deferred, conditional or "
        "permitted.",
    )
    foreign_troops: TextStance | None = Field(
        default=None, description="Foreign troops on its soil: barred, limited or allowed."
    )
    foreign_troops_of: ItemsStance | None = Field(
        default=None,
        description="Whose troops that stance is about: party ids, or `all` for every foreign state.",
    )
    force_cap: TextStance | None = Field(
        default=None,
        description="A cap on its armed forces: none or limited (with or without figure).",
    )
    force_cap_size: NumberStance | None = Field(
        default=None, description="The ceiling on its armed forces, in personnel."
    )
    nuclear: TextStance | None = Field(
        default=None,
        description="Nuclear and WMD status: no_restriction, non_nuclear or wmd_free.",
    )
    guarantees: TextStance | None = Field(
        default=None,
        description="Security guarantees it receives: none, consultation, assistance or "
        "collective_defence.",
    )
    guarantors: ItemsStance | None = Field(default=None, description="Who guarantees: party ids.")
    constitutional: YesNoStance | None = Field(
        default=None, description="Whether its commitments go into its constitution."
    )

    def keyed_stances(self, loc: tuple[str | int, ...]) -> list[KeyedStance]:
        return section_stances(self, f"security.{self.party}", loc, frozenset({"party"}))
