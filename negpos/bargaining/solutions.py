"""Bargaining solutions on the frontier, each measured from the walk-away point.

Only packages every party prefers to walking away (utility at least its reservation) count.
- Nash: the largest product of the parties' gains over their walk-away points.
- Kalai–Smorodinsky: the largest smallest share of each party's best possible gain, the best
  taken over the packages every party prefers to walking away (on a finite set of packages,
  the max–min share stands in for the point on the line to the ideal point).
- Utilitarian: the largest sum of utilities. Egalitarian: the largest smallest gain.
Each is looked for on the Pareto frontier, so the answer is always efficient; packages within
``TIE_TOLERANCE`` (relative) of the best are all reported, as ties.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

import numpy as np

__all__ = ["TIE_TOLERANCE", "Concept", "Solution", "solve", "solve_all", "tie_slack"]

TIE_TOLERANCE = 1e-9


class Concept(StrEnum):
    NASH = "nash"
    KALAI_SMORODINSKY = "kalai_smorodinsky"
    UTILITARIAN = "utilitarian"
    EGALITARIAN = "egalitarian"

    @property
    def label(self) -> str:
        return _LABELS[self]

    @property
    def measure(self) -> str:
        return _MEASURES[self]


_LABELS = {
    Concept.NASH: "Nash bargaining solution",
    Concept.KALAI_SMORODINSKY: "Kalai–Smorodinsky solution",
    Concept.UTILITARIAN: "Utilitarian (largest total)",
    Concept.EGALITARIAN: "Egalitarian (largest smallest gain)",
}
_MEASURES = {
    Concept.NASH: "product of gains over walk-away",
    Concept.KALAI_SMORODINSKY: "smallest share of the possible gain",
    Concept.UTILITARIAN: "sum of utilities",
    Concept.EGALITARIAN: "smallest gain over walk-away",
}


@dataclass(frozen=True, slots=True)
class Solution:
    """A solution concept's answer: the package (and any ties), or why there is none."""

    concept: Concept
    packages: tuple[int, ...]  # package numbers, the first is the one reported
    value: float | None  # the measure the concept maximises
    why_none: str | None = None

    @property
    def package(self) -> int | None:
        return self.packages[0] if self.packages else None

    @property
    def ties(self) -> tuple[int, ...]:
        return self.packages[1:]


def tie_slack(best: float) -> float:
    """How far below the best a score may be and still tie: ``TIE_TOLERANCE`` relative, and
    never less than the rounding of utilities (1e-12)."""
    return max(TIE_TOLERANCE * abs(best), 1e-12)


def _scores(concept: Concept, gains: np.ndarray, utilities: np.ndarray) -> np.ndarray:
    if concept is Concept.NASH:
        return np.asarray(np.prod(gains, axis=1))
    if concept is Concept.UTILITARIAN:
        return np.asarray(utilities.sum(axis=1))
    if concept is Concept.EGALITARIAN:
        return np.asarray(gains.min(axis=1))
    possible = gains.max(axis=0)
    shares = np.divide(gains, possible, out=np.ones_like(gains), where=possible > 0)
    return np.asarray(shares.min(axis=1))


def solve(
    concept: Concept,
    utilities: np.ndarray,
    frontier: np.ndarray,
    reservations: np.ndarray,
) -> Solution:
    """``concept``'s package among the ``frontier`` rows of ``utilities`` (packages × parties)."""
    candidates = frontier[(utilities[frontier] >= reservations).all(axis=1)]
    if concept is Concept.NASH:  # a product only rewards packages every party gains from
        candidates = candidates[(utilities[candidates] > reservations).all(axis=1)]
    if candidates.size == 0:
        return Solution(
            concept, (), None, "no package gives every party at least its walk-away utility"
        )
    on = utilities[candidates]
    gains = on - reservations
    if concept is Concept.NASH and candidates.size == 0:
        return Solution(
            concept, (), None, "no package gives every party more than its walk-away utility"
        )
    scores = _scores(concept, gains, on)
    best = float(scores.max())
    tied = candidates[scores >= best - tie_slack(best)]
    # Report ties by total utility, then package number: the same answer every run.
    ordered = tied[np.lexsort((tied, -utilities[tied].sum(axis=1)))]
    return Solution(concept, tuple(int(i) for i in ordered), best)


def solve_all(
    utilities: np.ndarray, frontier: np.ndarray, reservations: np.ndarray
) -> dict[Concept, Solution]:
    return {c: solve(c, utilities, frontier, reservations) for c in Concept}
