"""What real texts say besides a plain value: open lists, exclusions, unstated levels,
conditions, parts of a region, a figure's direction.

A proposal rarely says "exactly this". It says "including the US", "no ban on membership",
"robust guarantees" without a level, "only if approved by a referendum", "the part it
holds", "at most 600,000". Each of these is written here as data, so the engine can judge
what both sides state and nothing more.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, field_validator

__all__ = [
    "UNSPECIFIED",
    "AllExcept",
    "Bound",
    "Condition",
    "Excluding",
    "Extent",
    "Including",
]

from negpos.codebook import UNSPECIFIED  # ``value: unspecified``: addressed, no level stated


def _one_or_many(value: Any) -> Any:
    return [value] if isinstance(value, str) else value


class _Form(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid", serialize_by_alias=True)


class Excluding(_Form):
    """``{not: barred}``: any value but these ("no ban on membership")."""

    values: tuple[str, ...] = Field(
        alias="not", min_length=1, description="The value or values the text rules out."
    )

    _many = field_validator("values", mode="before", json_schema_input_type=str | list[str])(
        _one_or_many
    )


class Including(_Form):
    """``{including: [US]}``: an open list, at least these items ("including from the US")."""

    items: tuple[str, ...] = Field(
        alias="including", min_length=1, description="Items the text names; it may mean more."
    )

    _many = field_validator("items", mode="before", json_schema_input_type=str | list[str])(
        _one_or_many
    )


class AllExcept(_Form):
    """``{all_except: [RU]}``: everyone but these ("all third states")."""

    items: tuple[str, ...] = Field(
        alias="all_except", min_length=1, description="Items left out of 'everyone'."
    )

    _many = field_validator("items", mode="before", json_schema_input_type=str | list[str])(
        _one_or_many
    )


class Condition(BaseModel):
    """What a stance depends on: ``{text: ..., kind: referendum, on: ISSUE_KEY}``.

    A stance may also give the condition as bare text, which reads as kind ``other``.
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    text: str = Field(min_length=1, description="The condition in the document's words.")
    kind: str = Field(
        default="other",
        description="What sort of condition: one of the codebook's condition kinds "
        "(default: referendum, ratification, sequence, trigger, other).",
    )
    on: str | None = Field(
        default=None, description="Issue key the condition refers to, e.g. ceasefire.sequencing."
    )


class Extent(StrEnum):
    """Which part of a region a territorial stance is about."""

    WHOLE = "whole"  # the whole region (what a text that names a region means by default)
    HELD = "held"  # the part a party holds at present
    AREA = "area"  # an area the stance names in `area`


class Bound(StrEnum):
    """What a figure is: a ceiling, a floor or a level."""

    MAX = "max"
    MIN = "min"
    EXACT = "exact"
