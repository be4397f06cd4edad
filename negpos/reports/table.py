"""A rendered-table description shared by every output format.

Each report (a comparison, a grid, a matrix, a timeline) first lays itself out as a
``Table``: a title, column headers, rows of plain text, notes, the stances' own notes
(numbered, marked ``(note 1)`` in their cells) and numbered references.
The renderers then only escape and format, so every format shows the same content.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from negpos.model import Source
from negpos.positions import Position

__all__ = ["Bibliography", "StanceNotes", "Table", "inferred_note"]


def inferred_note(excluded: bool) -> tuple[str, ...]:
    """The note a table carries when the coder's inferences were left out of it."""
    if not excluded:
        return ()
    return ("The coder's inferences are left out: inferred stances, red lines and salience.",)


@dataclass(frozen=True, slots=True)
class Table:
    """Everything a renderer needs, as plain text; renderers escape it for their format."""

    title: str
    headers: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    notes: tuple[str, ...] = ()
    stance_notes: tuple[str, ...] = ()  # numbered (note 1), (note 2) ... by the renderers
    references: tuple[str, ...] = ()  # citations, numbered [1], [2] ... by the renderers
    quotes: tuple[str, ...] = ()  # the evidence's verbatim words, "[1 (point 21)] “...”"
    row_classes: tuple[str, ...] = ()
    wrap_widths: tuple[int | None, ...] = ()
    numeric_columns: frozenset[int] = field(default_factory=frozenset)


class Bibliography:
    """Numbers sources in order of first citation, so cells can say [1, 3]."""

    def __init__(self) -> None:
        self._numbers: dict[tuple[str, str, str, str], int] = {}
        self._citations: list[str] = []
        self._quotes: dict[str, None] = {}

    def cite(self, sources: tuple[Source, ...]) -> str:
        numbers = sorted({self.number(source) for source in sources})
        return "[" + ", ".join(str(n) for n in numbers) + "]" if numbers else ""

    def cite_position(self, position: Position | None) -> str:
        """A stance's sources with the places its evidence names: ``[1 (point 21), 3]``; its
        quotes are kept for the table's list of quotes."""
        if position is None:
            return ""
        places: dict[int, list[str]] = {self.number(s): [] for s in position.sources}
        for item in position.evidence:
            number = self.number(item.source)
            found = places.setdefault(number, [])
            if item.locator and item.locator not in found:
                found.append(item.locator)
            if item.quote:
                where = f"{number} ({item.locator})" if item.locator else str(number)
                self._quotes[f"[{where}] “{item.quote}”"] = None
        if not places:
            return ""
        cited = (
            f"{n} ({', '.join(found)})" if found else str(n) for n, found in sorted(places.items())
        )
        return "[" + ", ".join(cited) + "]"

    @property
    def quotes(self) -> tuple[str, ...]:
        """The verbatim quotes the cited evidence gives, in order of first citation."""
        return tuple(self._quotes)

    def number(self, source: Source) -> int:
        identity = (
            source.publisher,
            source.title,
            source.date.isoformat() if source.date else "",
            source.url or "",
        )
        if identity not in self._numbers:
            self._citations.append(source.citation())
            self._numbers[identity] = len(self._citations)
        return self._numbers[identity]

    @property
    def references(self) -> tuple[str, ...]:
        """Citations in number order; renderers add the numbers."""
        return tuple(self._citations)


class StanceNotes:
    """Numbers the notes of the stances a table shows, in order of first mention (the same
    words once), so a cell can say ``(note 2)`` and the note be read under the table."""

    def __init__(self) -> None:
        self._numbers: dict[str, int] = {}

    def mark(self, position: Position | None) -> str:
        """`` (note N)`` for a stance with a note, to follow its cell; empty otherwise."""
        if position is None or not position.note or not position.note.strip():
            return ""
        number = self._numbers.setdefault(position.note, len(self._numbers) + 1)
        return f" (note {number})"

    @property
    def notes(self) -> tuple[str, ...]:
        """The notes in number order; renderers add ``(note N)``."""
        return tuple(self._numbers)
