"""A number the analyst may be unsure of: a value, how far it may move, and how it is known.

Saliences, capabilities, walk-away points and utilities are judgements. Each may be written
as a bare number or as ``{value, range: [low, high]}`` (uniform between the two) or
``{value, sd}`` (normal around the value, cut to the field's bounds), with a ``basis`` and
the ids of the sources it rests on. The sensitivity run draws from these; every other
answer uses ``value``.
"""

from __future__ import annotations

from typing import Any

import numpy as np
from pydantic import BaseModel, ConfigDict, Field, model_validator

from negpos.model import Basis
from negpos.values import FiniteFloat

__all__ = ["Estimate"]


class Estimate(BaseModel):
    """``0.4`` or ``{value: 0.4, range: [0.3, 0.5], basis: inferred, sources: [S1]}``."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    value: FiniteFloat = Field(description="The point value every answer but the sensitivity uses.")
    range: tuple[FiniteFloat, FiniteFloat] | None = Field(
        default=None, description="Low and high ends: draws are uniform between them."
    )
    sd: FiniteFloat | None = Field(
        default=None, gt=0, description="Standard deviation: draws are normal around `value`."
    )
    basis: Basis | None = Field(
        default=None, description="stated, reported or inferred; the party's basis when omitted."
    )
    sources: tuple[str, ...] = Field(default=(), description="Ids of the file's sources.")

    @model_validator(mode="before")
    @classmethod
    def _bare_number(cls, data: Any) -> Any:
        if isinstance(data, int | float) and not isinstance(data, bool):
            return {"value": data}
        return data

    @model_validator(mode="after")
    def _consistent(self) -> Estimate:
        if self.range is not None and self.sd is not None:
            raise ValueError("give a range or an sd, not both")
        if self.range is not None and not self.range[0] <= self.value <= self.range[1]:
            raise ValueError(
                f"the range [{self.range[0]}, {self.range[1]}] must contain the value {self.value}"
            )
        return self

    @property
    def uncertain(self) -> bool:
        return self.range is not None or self.sd is not None

    def draw(
        self, generator: np.random.Generator, size: int, low: float, high: float
    ) -> np.ndarray:
        """``size`` draws, cut to [low, high] (the bounds of the field it is for)."""
        if self.range is not None:
            values = generator.uniform(self.range[0], self.range[1], size)
        elif self.sd is not None:
            values = generator.normal(self.value, self.sd, size)
        else:
            values = np.full(size, self.value)
        return np.clip(values, low, high)

    def basis_or(self, default: Basis) -> Basis:
        return self.basis if self.basis is not None else default

    def describe(self) -> str:
        """``0.4`` or ``0.4 (0.3–0.5)`` or ``0.4 (sd 0.05)``."""
        text = f"{self.value:g}"
        if self.range is not None:
            return f"{text} ({self.range[0]:g}–{self.range[1]:g})"
        if self.sd is not None:
            return f"{text} (sd {self.sd:g})"
        return text
