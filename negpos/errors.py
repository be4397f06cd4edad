"""The errors negpos raises, all under one base class a caller can catch.

    NegposError
    ├── ProposalFileError   a proposal (file or mapping) is invalid; lists every Problem
    ├── CodebookError       a codebook is invalid, or a key is not in it
    └── ComparisonError     two proposals cannot be compared (their codebooks disagree)

Each carries plain-data ``Problem`` records so a CLI, an editor plug-in or a notebook can
show every problem at once, the way pydantic lists every validation error.
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["CodebookError", "ComparisonError", "NegposError", "Problem", "ProposalFileError"]


@dataclass(frozen=True, slots=True)
class Problem:
    """One thing wrong with an input: where it is and what was expected."""

    file: str | None
    line: int | None
    field: str | None
    message: str

    def __str__(self) -> str:
        where = self.file or "<input>"
        if self.line is not None:
            where = f"{where}:{self.line}"
        if self.field:
            return f"{where}: {self.field}: {self.message}"
        return f"{where}: {self.message}"


class NegposError(Exception):
    """Base class of every error negpos raises on purpose."""


class _ProblemsError(NegposError):
    def __init__(self, problems: list[Problem] | tuple[Problem, ...]) -> None:
        self.problems: tuple[Problem, ...] = tuple(problems)
        super().__init__("\n".join(str(problem) for problem in self.problems))


class ProposalFileError(_ProblemsError):
    """A proposal could not be loaded; ``problems`` lists every reason found."""


class CodebookError(_ProblemsError):
    """A codebook could not be loaded, or a proposal uses an issue it does not define."""


class ComparisonError(NegposError):
    """Two proposals cannot be compared as given."""
