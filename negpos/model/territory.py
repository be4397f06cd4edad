"""Territorial stances, one section per region."""

from __future__ import annotations

from pydantic import Field

from negpos.model.stance import (
    ItemsStance,
    KeyedStance,
    StanceMeta,
    TextStance,
    YesNoStance,
    section_stances,
)

__all__ = ["RegionStance"]


class RegionStance(StanceMeta):
    """What a proposal says about one region. Fields left out are silence."""

    region: str = Field(description="Id of one of the proposal's regions.")
    control: TextStance | None = Field(
        default=None, description="Party (id) that is to control the region."
    )
    recognition: TextStance | None = Field(
        default=None, description="Recognition of that control: none, de_facto or de_jure."
    )
    recognised_by: ItemsStance | None = Field(
        default=None,
        description="Who recognises it: party ids, or `international` for every state.",
    )
    withdrawal: TextStance | None = Field(
        default=None,
        description="To which line forces withdraw: none, line_of_contact (a freeze), named_line "
        "(give withdrawal_line_name) or administrative_border.",
    )
    withdrawing_party: ItemsStance | None = Field(
        default=None,
        description="Party id, or a list of them for a mutual pull-back ([UA, RU]), whose forces "
        "withdraw.",
    )
    withdrawal_line_name: TextStance | None = Field(
        default=None, description="Name of the line, when withdrawal is named_line."
    )
    demilitarised: YesNoStance | None = Field(
        default=None, description="Whether the region is (partly) a demilitarised or buffer zone."
    )
    special_status: TextStance | None = Field(
        default=None, description="Administration or special status, in words."
    )

    def keyed_stances(self, loc: tuple[str | int, ...]) -> list[KeyedStance]:
        return section_stances(self, f"territory.{self.region}", loc, frozenset({"region"}))
