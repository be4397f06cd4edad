"""Territorial stances, one section per region."""

from __future__ import annotations

from pydantic import Field

from negpos.model.stance import KeyedStance, Stance, StanceMeta, section_stances

__all__ = ["RegionStance"]


class RegionStance(StanceMeta):
    """What a proposal says about one region. Fields left out are silence."""

    region: str = Field(description="Id of one of the proposal's regions.")
    control: Stance[str] | None = Field(
        default=None, description="Party (id) that is to control the region."
    )
    recognition: Stance[str] | None = Field(
        default=None, description="Recognition of that control: none, de_facto or de_jure."
    )
    recognised_by: Stance[tuple[str, ...]] | None = Field(
        default=None,
        description="Who recognises it: party ids, or `international` for every state.",
    )
    withdrawal: Stance[str] | None = Field(
        default=None,
        description="To which line forces withdraw: none, line_of_contact (a freeze), named_line "
        "(give withdrawal_line_name) or administrative_border.",
    )
    withdrawing_party: Stance[str] | None = Field(
        default=None, description="Party (id) whose forces withdraw."
    )
    withdrawal_line_name: Stance[str] | None = Field(
        default=None, description="Name of the line, when withdrawal is named_line."
    )
    demilitarised: Stance[bool] | None = Field(
        default=None, description="Whether the region is (partly) a demilitarised or buffer zone."
    )
    special_status: Stance[str] | None = Field(
        default=None, description="Administration or special status, in words."
    )

    def keyed_stances(self, loc: tuple[str | int, ...]) -> list[KeyedStance]:
        return section_stances(self, f"territory.{self.region}", loc, frozenset({"region"}))
