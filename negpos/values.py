"""Small value types shared by the model, the codebook and the engine."""

from __future__ import annotations

import datetime as dt
import math
import re
from typing import Annotated, Any

from pydantic import (
    AllowInfNan,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    Strict,
    model_validator,
)
from pydantic_core import PydanticCustomError

__all__ = ["FiniteFloat", "IsoDate", "NumberRange", "Quantity", "format_number"]

# Figures are compared and printed; infinity and NaN are neither, so they are refused on input.
# Strict: a number is written as a number. "0.5" (text) and true (a boolean) are not figures,
# though pydantic would read them as 0.5 and 1.0; a whole number still reads as a float.
FiniteFloat = Annotated[float, Strict(), AllowInfNan(False)]

_ISO_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")


def _written_date(value: Any) -> dt.date:
    """A date written YYYY-MM-DD (or a ``datetime.date``), and nothing looser."""
    if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
        return value
    if isinstance(value, str) and _ISO_DATE.fullmatch(value):
        try:
            return dt.date.fromisoformat(value)
        except ValueError as exc:  # 2024-02-30: the right form, but no such day
            raise PydanticCustomError(
                "date_value",
                "expected a date YYYY-MM-DD, got {got} ({reason})",
                {"got": repr(value), "reason": str(exc)},
            ) from None
    raise PydanticCustomError(
        "date_format", "expected a date YYYY-MM-DD, got {got}", {"got": repr(value)}
    )


# A date as people write it, YYYY-MM-DD: pydantic alone would also read 0, 20240304, a Unix
# time "1735689600" and a time of day "2025-01-01T00:00:00" as dates.
IsoDate = Annotated[dt.date, BeforeValidator(_written_date)]


class Quantity(BaseModel):
    """A number with its unit, e.g. 600000 personnel or 100e9 USD."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    amount: FiniteFloat = Field(description="The figure.")
    unit: str | None = Field(
        default=None,
        description="What is counted: personnel, USD, days ... (default: the codebook's unit).",
    )

    def __str__(self) -> str:
        return format_number(self.amount) + (f" {self.unit}" if self.unit else "")


class NumberRange(BaseModel):
    """An interval of acceptable figures; either end may be open."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    min: FiniteFloat | None = Field(default=None, description="Lowest acceptable figure.")
    max: FiniteFloat | None = Field(default=None, description="Highest acceptable figure.")

    @model_validator(mode="after")
    def _ordered(self) -> NumberRange:
        if self.min is None and self.max is None:
            raise ValueError("give min, max or both")
        if self.min is not None and self.max is not None and self.min > self.max:
            raise ValueError(f"min ({self.min}) is greater than max ({self.max})")
        return self

    def contains(self, value: float) -> bool:
        return (self.min is None or value >= self.min) and (self.max is None or value <= self.max)

    def overlaps(self, other: NumberRange) -> bool:
        low = max(_lower(self), _lower(other))
        high = min(_upper(self), _upper(other))
        return low <= high

    def __str__(self) -> str:
        low = "" if self.min is None else format_number(self.min)
        high = "" if self.max is None else format_number(self.max)
        return f"{low}–{high}"


def _lower(r: NumberRange) -> float:
    return -math.inf if r.min is None else r.min


def _upper(r: NumberRange) -> float:
    return math.inf if r.max is None else r.max


def format_number(value: float) -> str:
    """600000.0 -> '600,000'; 0.5 -> '0.5': figures as a reader writes them."""
    if value == int(value) and abs(value) < 1e15:
        return f"{int(value):,}"
    return f"{value:,.6g}"
