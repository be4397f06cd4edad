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

__all__ = [
    "CodebookError",
    "ComparisonError",
    "NegposError",
    "Problem",
    "ProposalFileError",
    "printable",
]

_NAMED = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}


def _escape(char: str) -> str:
    code = ord(char)
    if char in _NAMED:
        return _NAMED[char]
    if code < 0x100:
        return f"\\x{code:02x}"
    return f"\\u{code:04x}" if code < 0x10000 else f"\\U{code:08x}"


def printable(text: str) -> str:
    """``text`` on one line, with nothing a terminal acts on: line breaks, C0 and C1 control
    characters (ESC among them), format characters (bidi overrides, zero-width spaces) and
    every other character Python does not call printable (spaces other than the space itself)
    are shown as escapes such as ``\\n``, ``\\x1b``, ``\\u202e``.

    A key, a value or a file name in an error message is someone else's text: written raw, it
    could start a new line that reads as another message, or recolour and rewrite the terminal.
    """
    if text.isprintable():  # the common case: no control, separator or format characters
        return text
    return "".join(char if char.isprintable() else _escape(char) for char in text)


@dataclass(frozen=True, slots=True)
class Problem:
    """One thing wrong with an input: where it is and what was expected."""

    file: str | None
    line: int | None
    field: str | None
    message: str

    def __str__(self) -> str:
        """``file:line: field: message`` on one line, control characters escaped."""
        where = printable(self.file) if self.file else "<input>"
        if self.line is not None:
            where = f"{where}:{self.line}"
        if self.field:
            return f"{where}: {printable(self.field)}: {printable(self.message)}"
        return f"{where}: {printable(self.message)}"


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
