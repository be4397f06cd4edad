"""Publication tables: a comparison as a great_tables ``GT``, for HTML and LaTeX papers.

great_tables is optional (``pip install "negpos[gt]"``) and loads on first use; without it,
``comparison_gt`` raises ``MissingExtraError`` naming the extra. The table holds what every
other format of a comparison holds (``Comparison.table()``): the rows grouped by category,
each stance with its note mark, the relation, the gap, the explanation and the numbered
sources, then the summary, the notes, the stances' notes, the sources and the quotes as source
notes. The header gives the two proposals' titles, and the subtitle ties each column's label
to its proposal's date and status. Each relation cell is filled with its colour from
``negpos.reports.figures.RELATION_COLOURS`` (the figures' colours), its text in black or
white, whichever reads better on it.

User text is cleaned as for every format (control, bidi and zero-width characters dropped,
line breaks as spaces) and great_tables escapes it for HTML (``as_raw_html()``) and LaTeX
(``as_latex()``). Column labels are passed as escaped HTML, since great_tables reads
``{{...}}`` in a plain label as unit notation and writes the rest of such a label unescaped.

great_tables does not carry styles into LaTeX yet (``as_latex()`` warns and leaves them out):
for a LaTeX paper, build the table with ``colours=False``. Its LaTeX columns do not wrap, so a
table with explanations is wider than a page; ``explanations=False`` leaves them out.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from negpos.reports.escaping import escape_html, plain_text
from negpos.reports.figures import RELATION_COLOURS, MissingExtraError

if TYPE_CHECKING:
    from great_tables import GT

    from negpos.model import Proposal
    from negpos.reports.comparison import Comparison

__all__ = ["GT_ID", "MISSING_GREAT_TABLES", "comparison_gt", "text_colour"]

MISSING_GREAT_TABLES = 'publication tables need great_tables: pip install "negpos[gt]"'
GT_ID = "negpos-comparison"
"""The table's HTML id: fixed, so the same comparison gives the same HTML on every run."""

# The columns of the table, as laid out by Comparison.table(); the category becomes the row
# group, so it is not a column of its own.
_COLUMNS = (
    "category",
    "issue",
    "stance_a",
    "stance_b",
    "relation",
    "gap",
    "explanation",
    "sources",
)


def comparison_gt(comparison: Comparison, *, colours: bool = True, explanations: bool = True) -> GT:
    """The comparison as a great_tables ``GT``: header, rows grouped by category, relation
    colours, and the summary, notes and sources under it.

    ``colours=False`` leaves the relation cells unfilled (great_tables' LaTeX has no styles,
    and warns of them); ``explanations=False`` leaves out the Explanation column. Render it
    with ``.as_raw_html()`` or ``.as_latex()``, or show it in a notebook. Raises
    ``MissingExtraError`` without great_tables.
    """
    _require_great_tables()
    import pandas as pd
    from great_tables import GT, html

    table = comparison.table()
    frame = pd.DataFrame(
        [[_clean(cell) for cell in row] for row in table.rows], columns=list(_COLUMNS)
    )
    labels = dict(zip(_COLUMNS, table.headers, strict=True))
    gt = GT(frame, groupname_col="category", id=GT_ID)
    gt = gt.tab_header(
        title=_clean(f"{comparison.a.title} compared with {comparison.b.title}"),
        subtitle=_clean(_subtitle(comparison, table.headers[2], table.headers[3])),
    )
    gt = gt.cols_label(cases={column: html(_label(labels[column])) for column in _COLUMNS[1:]})
    gt = gt.cols_align(align="right", columns="gap")
    if not explanations:
        gt = gt.cols_hide(columns="explanation")
    if colours:
        gt = _colour_relations(gt, [row[4] for row in table.rows])
    for note in _source_notes(table.notes, table.stance_notes, table.references, table.quotes):
        gt = gt.tab_source_note(note)
    return gt


def text_colour(fill: str) -> str:
    """Black or white, whichever contrasts more with ``fill`` (``#rrggbb``), by the WCAG
    relative luminance."""
    red, green, blue = (int(fill[i : i + 2], 16) / 255 for i in (1, 3, 5))

    def linear(channel: float) -> float:
        return channel / 12.92 if channel <= 0.04045 else ((channel + 0.055) / 1.055) ** 2.4

    luminance = 0.2126 * linear(red) + 0.7152 * linear(green) + 0.0722 * linear(blue)
    # Contrast with black is (L + 0.05) / 0.05, with white 1.05 / (L + 0.05).
    return "#000000" if (luminance + 0.05) ** 2 > 0.0525 else "#ffffff"


def _require_great_tables() -> None:
    """Import great_tables or explain how to install it; the one place that knows the extra."""
    try:
        import great_tables  # noqa: F401
    except ImportError:
        raise MissingExtraError(MISSING_GREAT_TABLES) from None


def _clean(text: str) -> str:
    """User text for a cell: invisible and control characters dropped, line breaks and runs
    of spaces as one space (a LaTeX cell cannot hold a paragraph break)."""
    return " ".join(plain_text(text).split())


def _label(text: str) -> str:
    """A column label as escaped HTML, braces as entities, for ``great_tables.html``: then
    great_tables neither reads ``{{...}}`` as units nor writes markup from it, and its LaTeX
    strips the (absent) tags, unescapes and escapes for LaTeX."""
    return escape_html(_clean(text)).replace("{", "&#123;").replace("}", "&#125;")


def _describe(proposal: Proposal, label: str) -> str:
    return f"{label}: {proposal.date.isoformat()}, {proposal.status.value}"


def _subtitle(comparison: Comparison, label_a: str, label_b: str) -> str:
    parts = [_describe(comparison.a, label_a), _describe(comparison.b, label_b)]
    for index, (proposal, alternative) in enumerate(
        ((comparison.a, comparison.alternative_a), (comparison.b, comparison.alternative_b))
    ):
        if alternative is not None:
            chosen = proposal.alternative(alternative)
            parts[index] += f", taking alternative {alternative} ({chosen.label})"
    return "; ".join(parts)


def _colour_relations(gt: GT, relations: list[str]) -> GT:
    from great_tables import loc, style

    for relation, (fill, _legend) in RELATION_COLOURS.items():
        rows = [index for index, value in enumerate(relations) if value == relation]
        if not rows:
            continue
        gt = gt.tab_style(
            style=[
                style.fill(color=fill),
                style.text(color=text_colour(fill)),
            ],
            locations=loc.body(columns="relation", rows=rows),
        )
    return gt


def _source_notes(
    notes: tuple[str, ...],
    stance_notes: tuple[str, ...],
    references: tuple[str, ...],
    quotes: tuple[str, ...],
) -> list[str]:
    """The lines under the table, in the order of every other format."""
    lines = [_clean(note) for note in notes]
    if stance_notes:
        lines.append("Stance notes:")
        lines += [f"(note {n}) {_clean(note)}" for n, note in enumerate(stance_notes, 1)]
    if references:
        lines.append("Sources:")
        lines += [f"[{n}] {_clean(reference)}" for n, reference in enumerate(references, 1)]
    if quotes:
        lines.append("Quotes:")
        lines += [_clean(quote) for quote in quotes]
    return lines
