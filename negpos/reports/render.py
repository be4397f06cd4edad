"""Renderers: one ``Table`` to terminal text, Markdown, LaTeX, HTML, or any safe tabulate format."""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence

from negpos.reports.escaping import (
    escape_html,
    escape_latex,
    escape_markdown,
    plain_text,
)
from negpos.reports.table import Table

__all__ = [
    "TABULATE_FORMATS",
    "html_page",
    "render_html",
    "render_latex",
    "render_latex_float",
    "render_markdown",
    "render_tabulate",
    "render_text",
]

# tabulate formats negpos can make safe; the others (rst, mediawiki, orgtbl, unsafehtml,
# latex_raw, textile, jira, tsv ...) pass user text through unescaped, so negpos does not offer
# them. LaTeX is written by negpos itself: tabulate's LaTeX leaves | < > unescaped.
_TEXT_FORMATS = (
    "plain", "simple", "grid", "simple_grid", "rounded_grid", "heavy_grid", "mixed_grid",
    "double_grid", "fancy_grid", "outline", "simple_outline", "rounded_outline", "heavy_outline",
    "mixed_outline", "double_outline", "fancy_outline", "presto", "psql", "pretty",
)  # fmt: skip
_MARKDOWN_FORMATS = ("github", "pipe")
_LATEX_FORMATS = ("latex", "latex_longtable", "latex_float", "latex_booktabs")
TABULATE_FORMATS = (*_TEXT_FORMATS, *_MARKDOWN_FORMATS, *_LATEX_FORMATS, "html")


def render_tabulate(table: Table, fmt: str, *, wrap: bool = True) -> str:
    """The table's body in a tabulate format, with cells escaped as that format needs."""
    from tabulate import tabulate  # loaded on first use: import negpos stays light

    if fmt not in TABULATE_FORMATS:
        raise ValueError(
            f"unsupported table format {fmt!r}; choose one of: {', '.join(TABULATE_FORMATS)}"
        )
    if fmt in _LATEX_FORMATS:
        return _latex_tabular(table, booktabs=fmt != "latex")
    # Text formats are drawn by tabulate; html is escaped by tabulate, headers included.
    clean = escape_markdown if fmt in _MARKDOWN_FORMATS else plain_text
    headers = [clean(h) for h in table.headers]
    rows = [[clean(cell) for cell in row] for row in table.rows]
    widths = (
        list(table.wrap_widths) if wrap and fmt in _TEXT_FORMATS and table.wrap_widths else None
    )
    return tabulate(
        rows,
        headers=headers,
        tablefmt=fmt,
        disable_numparse=True,
        maxcolwidths=widths,
        colalign=_alignments(table),
    )


def _numbered(texts: Iterable[str], opening: str = "[", closing: str = "]") -> list[str]:
    return [f"{opening}{index}{closing} {text}" for index, text in enumerate(texts, 1)]


def _noted(texts: Iterable[str]) -> list[str]:
    """Stance notes as their cells cite them: ``(note 1) ...``."""
    return _numbered(texts, "(note ", ")")


def _latex_notes(table: Table) -> list[str]:
    """Everything under a LaTeX table, escaped: notes, stance notes, sources, quotes."""
    notes = [escape_latex(note) for note in table.notes]
    if table.stance_notes:
        notes.append(r"\textit{Stance notes:}")
        notes += _noted(escape_latex(note) for note in table.stance_notes)
    if table.references:
        notes.append(r"\textit{Sources:}")
        notes += _numbered((escape_latex(ref) for ref in table.references), "{[}", "{]}")
    if table.quotes:
        notes.append(r"\textit{Quotes:}")
        notes += [escape_latex(quote) for quote in table.quotes]
    return notes


def _alignments(table: Table) -> list[str]:
    return ["right" if i in table.numeric_columns else "left" for i in range(len(table.headers))]


def render_text(table: Table, fmt: str = "simple") -> str:
    """Title, body, notes and references for a terminal or a text file."""
    parts = [plain_text(table.title), "", render_tabulate(table, fmt)]
    if table.notes:
        parts += ["", *(plain_text(note) for note in table.notes)]
    if table.stance_notes:
        parts += ["", "Stance notes:", *_noted(plain_text(note) for note in table.stance_notes)]
    if table.references:
        parts += ["", "Sources:", *_numbered(plain_text(ref) for ref in table.references)]
    if table.quotes:
        parts += ["", "Quotes:", *(plain_text(quote) for quote in table.quotes)]
    return "\n".join(parts) + "\n"


def render_markdown(table: Table) -> str:
    """A Markdown block: bold title, pipe table, notes and a numbered list of sources."""
    parts = [f"**{escape_markdown(table.title)}**", "", render_tabulate(table, "github")]
    if table.notes:
        parts += ["", *(escape_markdown(note, paragraph=True) + "  " for note in table.notes)]
    if table.stance_notes:
        parts += ["", "Stance notes:", ""]
        parts += [f"- {note}" for note in _noted(escape_markdown(n) for n in table.stance_notes)]
    if table.references:
        parts += ["", "Sources:", ""]
        parts += [f"- {ref}" for ref in _numbered(escape_markdown(r) for r in table.references)]
    if table.quotes:
        parts += ["", "Quotes:", ""]
        parts += [f"- {escape_markdown(quote)}" for quote in table.quotes]
    return "\n".join(parts) + "\n"


def render_latex(table: Table) -> str:
    """A longtable with booktabs rules and caption, then the notes and sources as paragraphs
    (a longtable row cannot break across pages); needs booktabs and longtable.

    Every column is a ``p`` column, its width a share of ``\\linewidth`` less the column
    gaps, so the table is exactly as wide as the text; the font is the largest of
    ``\\footnotesize``, ``\\scriptsize`` and ``\\tiny`` at which every column's longest
    word fits an article page (see ``_latex_layout``).
    """
    size, spec = _latex_layout(table)
    header = _latex_row(table, table.headers, bold=True)
    lines = [
        r"% negpos table: needs \usepackage{booktabs} and \usepackage{longtable}",
        r"\begingroup",
        size,
        rf"\setlength{{\tabcolsep}}{{{_LATEX_COLUMN_GAP}}}",
        rf"\begin{{longtable}}{{{spec}}}",
        rf"\caption{{{escape_latex(table.title)}}}\tabularnewline",
        r"\toprule",
        header,
        r"\midrule",
        r"\endfirsthead",
        r"\toprule",
        header,
        r"\midrule",
        r"\endhead",
        *(_latex_row(table, row) for row in table.rows),
        r"\bottomrule",
        r"\end{longtable}",
    ]
    notes = _latex_notes(table)
    if notes:
        lines += [r"\footnotesize\raggedright\setlength{\parindent}{0pt}"]
        lines += [note + r"\par" for note in notes]
    lines.append(r"\endgroup")
    return "\n".join(lines) + "\n"


def _latex_tabular(table: Table, *, booktabs: bool) -> str:
    top, middle, bottom = (
        (r"\toprule", r"\midrule", r"\bottomrule") if booktabs else (r"\hline",) * 3
    )
    size, spec = _latex_layout(table)
    lines = [
        r"\begingroup",
        size,
        rf"\setlength{{\tabcolsep}}{{{_LATEX_COLUMN_GAP}}}",
        rf"\begin{{tabular}}{{{spec}}}",
        top,
        _latex_row(table, table.headers),
        middle,
        *(_latex_row(table, row) for row in table.rows),
        bottom,
        r"\end{tabular}",
        r"\endgroup",
    ]
    return "\n".join(lines)


def render_latex_float(table: Table, fmt: str) -> str:
    """tabulate's ``latex``/``latex_booktabs`` body in a table float with caption and sources."""
    notes = _latex_notes(table)
    lines = [
        r"\begin{table}[htbp]",
        r"\centering",
        rf"\caption{{{escape_latex(table.title)}}}",
        render_tabulate(table, fmt),
    ]
    if notes:
        lines += [r"\par\smallskip\footnotesize\raggedright", (r"\par" + "\n").join(notes)]
    lines.append(r"\end{table}")
    return "\n".join(lines) + "\n"


# An article page's \linewidth is 345pt; a column takes 2 x 2pt of gap. Font sizes, largest
# first, with the width of an average character of table text at that size (Computer Modern:
# small sizes are drawn wider, so \scriptsize and \tiny gain less than their names suggest).
_LATEX_COLUMN_GAP = "2pt"
_LATEX_LINE_PT = 345.0
_LATEX_GAP_PT = 4.0
_LATEX_SIZES = ((r"\footnotesize", 4.2), (r"\scriptsize", 3.9), (r"\tiny", 3.35))
_LATEX_HYPHENATED = 8  # longer words of letters are hyphenated, not given their full width
_LATEX_UNBROKEN = 20  # longer figures and codes are cut by a line break in them (rare)
_LATEX_BREAKS = re.compile(r"(?<=[-/])")  # TeX may break after a hyphen; negpos after a slash


def _latex_layout(table: Table) -> tuple[str, str]:
    """The font size and the ``p`` columns, sharing ``\\linewidth`` less the column gaps.

    As a browser lays out a table: each column needs room for its longest word (its
    header's too, in bold), so that no word sticks out of it, and would like room for its
    longest cell on one line. The font is the largest at which every column's longest word
    fits an article line; columns whose cells all fit get their room, and the rest of the
    line goes to the others in proportion to what they lack (so the explanations get most).
    Widths are written in tenths of a character.
    """
    count = len(table.headers)
    least, most = [], []
    for index in range(count):
        cells = [row[index] for row in table.rows if index < len(row)]
        header = table.headers[index]
        words = [_word_room(w) for cell in cells for w in cell.split()]
        words += [_word_room(w, bold=True) for w in header.split()]
        least.append(max(words, default=1.0) + 0.3)
        lines = [_room(" ".join(cell.split())) for cell in cells] + [_room(header, bold=True)]
        most.append(max(least[-1], max(lines) + 0.3))
    space = _LATEX_LINE_PT - _LATEX_GAP_PT * count
    size, char = next(
        ((size, char) for size, char in _LATEX_SIZES if sum(least) * char <= space),
        _LATEX_SIZES[-1],
    )
    lacking = sum(most) - sum(least)
    share = 1.0 if lacking <= 0 else min(max(space / char - sum(least), 0.0) / lacking, 1.0)
    widths = [
        round(10 * (low + share * (high - low))) for low, high in zip(least, most, strict=True)
    ]
    total = sum(widths)
    whole = rf"(\linewidth-{2 * count}\tabcolsep)"
    return size, "".join(rf"p{{\dimexpr{whole}*{width}/{total}\relax}}" for width in widths)


def _word_room(word: str, *, bold: bool = False) -> float:
    """Room a word needs on a line, in average characters: a word of letters longer than
    ``_LATEX_HYPHENATED`` is hyphenated, a figure or a code is not; TeX may break after a
    hyphen, and escape_latex lets it break after a slash."""
    room = 0.0
    for part in _LATEX_BREAKS.split(word):
        if part.strip(".,;:()[]\"'“”‘’").isalpha():
            room = max(room, _room(part[:_LATEX_HYPHENATED], bold=bold))
        else:
            room = max(room, _room(part[:_LATEX_UNBROKEN], bold=bold))
    return room


def _room(text: str, *, bold: bool = False) -> float:
    """Width of text in Computer Modern, in average lower-case characters (measured at
    8pt: capitals 1.45, letters and digits 1, spaces and punctuation 0.66; bold 1.15x)."""
    room = sum(1.45 if char.isupper() else 1.0 if char.isalnum() else 0.66 for char in text)
    return room * 1.15 if bold else room


def _latex_row(table: Table, cells: Sequence[str], *, bold: bool = False) -> str:
    """One row: numeric cells set flush right, the others ragged right, a word at the start
    of a cell hyphenated like any other (``\\hspace{0pt}``); ended by ``\\tabularnewline``,
    which ``\\raggedright`` leaves alone."""
    written = []
    for index, cell in enumerate(cells):
        text = escape_latex(cell)
        if bold and text:
            text = rf"\textbf{{{text}}}"
        if index in table.numeric_columns:
            written.append(rf"\raggedleft\hspace{{0pt}}{text}" if text else "")
        else:
            written.append(rf"\raggedright\hspace{{0pt}}{text}" if text else "")
    return " & ".join(written) + r" \tabularnewline"


def render_html(table: Table, *, css_class: str = "negpos-table") -> str:
    """An HTML table with caption, escaped header and cells, notes and linked sources."""
    lines = [f'<table class="{css_class}">', f"<caption>{escape_html(table.title)}</caption>"]
    lines.append(
        "<thead><tr>"
        + "".join(f'<th scope="col">{escape_html(h)}</th>' for h in table.headers)
        + "</tr></thead>"
    )
    lines.append("<tbody>")
    for index, row in enumerate(table.rows):
        klass = table.row_classes[index] if index < len(table.row_classes) else ""
        attr = f' class="{escape_html(klass)}"' if klass else ""
        cells = "".join(
            f'<td class="num">{escape_html(c)}</td>'
            if i in table.numeric_columns
            else f"<td>{escape_html(c)}</td>"
            for i, c in enumerate(row)
        )
        lines.append(f"<tr{attr}>{cells}</tr>")
    lines.append("</tbody>")
    foot = [f"<p>{escape_html(note)}</p>" for note in table.notes]
    if table.stance_notes:
        foot.append('<p>Stance notes:</p><ul class="negpos-stance-notes">')
        foot += [f"<li>{escape_html(note)}</li>" for note in _noted(table.stance_notes)]
        foot.append("</ul>")
    if table.references:
        foot.append('<p>Sources:</p><ol class="negpos-sources">')
        foot += [f"<li>{escape_html(ref)}</li>" for ref in table.references]
        foot.append("</ol>")
    if table.quotes:  # on demand: folded until a reader opens them
        foot.append('<details class="negpos-quotes"><summary>Quotes</summary><ul>')
        foot += [f"<li>{escape_html(quote)}</li>" for quote in table.quotes]
        foot.append("</ul></details>")
    if foot:
        lines.append(
            f'<tfoot><tr><td colspan="{len(table.headers)}">' + "".join(foot) + "</td></tr></tfoot>"
        )
    lines.append("</table>")
    return "\n".join(lines) + "\n"


HTML_STYLE = """
body { font-family: system-ui, sans-serif; margin: 2rem; color: #1a1a1a; }
table.negpos-table { border-collapse: collapse; width: 100%; font-size: 0.9rem; }
table.negpos-table caption { text-align: left; font-weight: 600; font-size: 1.05rem; padding: 0.5rem 0; }
table.negpos-table th, table.negpos-table td { border-bottom: 1px solid #ddd; padding: 0.35rem 0.5rem; vertical-align: top; text-align: left; }
table.negpos-table td.num { text-align: right; font-variant-numeric: tabular-nums; }
table.negpos-table tr.agree td:nth-child(5) { color: #1b7a3d; }
table.negpos-table tr.partial td:nth-child(5) { color: #a66a00; }
table.negpos-table tr.conflict td:nth-child(5) { color: #b3261e; font-weight: 600; }
table.negpos-table tfoot td { font-size: 0.8rem; color: #444; }
@media print { body { margin: 0; } table.negpos-table { font-size: 8pt; } }
"""


def html_page(title: str, body: str) -> str:
    """A complete, self-contained HTML document around rendered tables."""
    return (
        '<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        f"<title>{escape_html(title)}</title>\n<style>{HTML_STYLE}</style>\n</head>\n<body>\n"
        f"{body}</body>\n</html>\n"
    )
