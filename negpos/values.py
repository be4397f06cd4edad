"""Small value types shared by the model, the codebook and the engine."""

from __future__ import annotations

import datetime as dt
import math
from typing import Annotated, Any

from pydantic import AllowInfNan, BaseModel, BeforeValidator, ConfigDict, Field, model_validator

__all__ = ["FiniteFloat", "IsoDate", "NumberRange", "Quantity", "format_number"]

# Figures are compared and printed; infinity and NaN are neither, so they are refused on input.
FiniteFloat = Annotated[float, AllowInfNan(False)]


def _written_date(value: Any) -> Any:
    if isinstance(value, str | dt.date):
        return value
    raise ValueError(f"expected a date written YYYY-MM-DD, got {value!r}")


# A date as people write it: 0 or 20240304 are not dates, though pydantic would read them as such.
IsoDate = Annotated[dt.date, BeforeValidator(_written_date)]


class Quantity(BaseModel):
    """A number with its unit, e.g. 600000 personnel or 100e9 USD."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    amount: float = Field(description="The figure.", allow_inf_nan=False)
    unit: str | None = Field(
        default=None,
        description="What is counted: personnel, USD, days ... (default: the codebook's unit).",
    )

    def __str__(self) -> str:
        return format_number(self.amount) + (f" {self.unit}" if self.unit else "")


class NumberRange(BaseModel):
    """An interval of acceptable figures; either end may be open."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    min: float | None = Field(
        default=None, description="Lowest acceptable figure.", allow_inf_nan=False
    )
    max: float | None = Field(
        default=None, description="Highest acceptable figure.", allow_inf_nan=False
    )

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
