"""Parties: the states, coalitions and organisations a proposal names."""

from __future__ import annotations

from enum import StrEnum

from pydantic import BaseModel, ConfigDict, Field

__all__ = ["Party", "PartyKind"]


class PartyKind(StrEnum):
    """The default codebook's kinds of actor; a codebook may add its own (``party_kinds``).
    Tables and filters use them, the engine does not."""

    STATE = "state"
    COALITION = "coalition"
    INTERNATIONAL_ORGANISATION = "international_organisation"
    MEDIATOR = "mediator"
    ARMED_GROUP = "armed_group"
    NON_STATE_ARMED_GROUP = "non_state_armed_group"
    COMPANY = "company"
    UNION = "union"
    OTHER = "other"


class Party(BaseModel):
    """A party: an author, an addressee, or anyone a stance names."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    id: str = Field(
        pattern=r"^[A-Za-z0-9][A-Za-z0-9_\-]*$",
        description="Short id used in stances, e.g. `RU`, `NATO`; the same party should keep its "
        "id across proposals so they can be compared.",
    )
    name: str = Field(min_length=1, description="Name shown in tables.")
    kind: str = Field(
        pattern=r"^[a-z0-9_]+$",
        description="What sort of party it is: one of the codebook's party kinds (state, "
        "coalition, international_organisation, mediator, armed_group, company, union, other ...).",
    )
    aliases: tuple[str, ...] = Field(default=(), description="Other names it goes by.")
