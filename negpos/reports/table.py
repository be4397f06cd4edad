"""A rendered-table description shared by every output format.

Each report (a comparison, a grid, a matrix, a timeline) first lays itself out as a
``Table``: a title, column headers, rows of plain text, notes and numbered references.
The renderers then only escape and format, so every format shows the same content.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from negpos.model import Source

__all__ = ["Bibliography", "Table"]


@dataclass(frozen=True, slots=True)
class Table:
    """Everything a renderer needs, as plain text; renderers escape it for their format."""

    title: str
    headers: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    notes: tuple[str, ...] = ()
    references: tuple[str, ...] = ()  # citations, numbered [1], [2] ... by the renderers
    row_classes: tuple[str, ...] = ()
    wrap_widths: tuple[int | None, ...] = ()
    numeric_columns: frozenset[int] = field(default_factory=frozenset)


class Bibliography:
    """Numbers sources in order of first citation, so cells can say [1, 3]."""

    def __init__(self) -> None:
        self._numbers: dict[tuple[str, str, str, str], int] = {}
        self._citations: list[str] = []

    def cite(self, sources: tuple[Source, ...]) -> str:
        numbers = sorted({self.number(source) for source in sources})
        return "[" + ", ".join(str(n) for n in numbers) + "]" if numbers else ""

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
