"""Evidence for a stance, and how far a judgement rests on the text.

A table cell is only as good as the coding behind it. Each stance can say where in a source
it is found (``evidence``: a locator such as "point 21" and the verbatim quote), and whether
the document states it, a report relays it, or the coder inferred it (``basis``). Red lines
and salience are judgements too and carry their own basis, so outputs can keep the
document's words apart from the coder's reading.
"""

from __future__ import annotations

from enum import StrEnum

from pydantic import BaseModel, ConfigDict, Field, StrictBool

from negpos.values import FiniteFloat

__all__ = ["Basis", "Evidence", "JudgedFlag", "JudgedWeight"]


class Basis(StrEnum):
    """How a stance or judgement is known."""

    STATED = "stated"  # the document's own words say it (a verbatim quote shows them)
    REPORTED = "reported"  # a source reports it, without the document's words
    INFERRED = "inferred"  # the coder's reading: no source says it as such


class Evidence(BaseModel):
    """Where a stance is found: a source, a place in it, and the words."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    source: str = Field(description="Id of one of the proposal's sources.")
    locator: str | None = Field(
        default=None, description='Where in the source: "point 21", "§ 3", "p. 4".'
    )
    quote: str | None = Field(
        default=None, min_length=1, description="The source's words, verbatim."
    )


class JudgedFlag(BaseModel):
    """``red_line: {value: true, basis: inferred}``: a yes/no judgement with its basis."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    value: StrictBool
    basis: Basis


class JudgedWeight(BaseModel):
    """``salience: {value: 0.9, basis: inferred}``: a weight with its basis."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    value: FiniteFloat = Field(ge=0, le=1)
    basis: Basis
