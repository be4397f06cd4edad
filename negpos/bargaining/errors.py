"""The errors of the bargaining layer, under negpos's one base class.

NegposError
├── ProfileFileError      a preference-profile or stakeholder file is invalid; lists every Problem
└── BargainingError       the question cannot be answered as asked (too many packages, no base)
"""

from __future__ import annotations

from collections.abc import Sequence

from negpos.errors import NegposError, Problem

__all__ = ["BargainingError", "ProfileFileError"]


class ProfileFileError(NegposError):
    """Profiles could not be loaded; ``problems`` lists every reason found, with its line."""

    def __init__(self, problems: Sequence[Problem]) -> None:
        self.problems: tuple[Problem, ...] = tuple(problems)
        super().__init__("\n".join(str(problem) for problem in self.problems))


class BargainingError(NegposError):
    """A bargaining question cannot be answered as asked; the message says what to change."""
