"""Escaping user text for each output format.

Everything in a proposal is user text, and proposals travel: a table rendered from someone
else's file must not run script in a browser, break a LaTeX build, split a Markdown row,
reorder what a reader sees or run a formula in a spreadsheet. tabulate's ``github``/``pipe``
formats escape nothing, and no library guards CSV, so negpos does it here, once, for every
renderer.

Every format drops control characters (terminal escape codes among them), the Unicode bidi
controls that reorder how text reads (embeddings, overrides, isolates and marks) and the
zero-width characters that hide in it (space, non-joiner, joiner, word joiner, byte order
mark). HTML keeps the zero-width non-joiner and joiner, which Persian, Indic scripts and
emoji need and which cannot reorder text. LaTeX also maps full-width forms (``＝``) and
unusual spaces to their ASCII equivalents, which pdflatex can set. JSON and DataFrames keep
the text as written: they are data, not documents.
"""

from __future__ import annotations

import datetime
import html
import math
import numbers
import re
import unicodedata
from collections.abc import Iterable, Sequence

__all__ = [
    "escape_html",
    "escape_latex",
    "escape_markdown",
    "neutralise_csv",
    "plain_text",
    "write_csv",
]

# Bidi embeddings, overrides and isolates, and the marks ALM, LRM and RLM.
_BIDI = "\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069"
_JOINERS = "\u200c\u200d"  # zero-width non-joiner and joiner: spelling in some scripts
_ZERO_WIDTH = "\u200b\u2060\ufeff"  # zero-width space, word joiner, byte order mark
_C0_C1 = "\x00-\x08\x0b-\x1f\x7f-\x9f"  # all but tab and line feed
_CONTROL = re.compile(f"[{_C0_C1}{_BIDI}{_ZERO_WIDTH}{_JOINERS}]")
_CONTROL_HTML = re.compile(f"[{_C0_C1}{_BIDI}{_ZERO_WIDTH}]")
_LINE_BREAKS = str.maketrans({"\r": "\n", "\u2028": "\n", "\u2029": "\n"})
# Full-width forms of ASCII: pdflatex cannot set them, and NFKC maps each to its ASCII
# character (U+FF1D to "="). Unusual spaces (U+3000, U+202F ...) become plain spaces as
# escape_latex joins the words.
_LATEX_FULLWIDTH = re.compile("[\uff01-\uff5e]")
_LATEX = {
    "\\": r"\textbackslash{}",
    "&": r"\&",
    "%": r"\%",
    "$": r"\$",
    "#": r"\#",
    "_": r"\_",
    "{": r"\{",
    "}": r"\}",
    "~": r"\textasciitilde{}",
    "^": r"\textasciicircum{}",
    "<": r"\textless{}",
    ">": r"\textgreater{}",
    "|": r"\textbar{}",
    # After a row's \\ a "[" would be read as the optional length argument.
    "[": "{[}",
    "]": "{]}",
}
_MARKDOWN_SPECIAL = re.compile(r"([\\`*_\[\]|#~$])")
# A line starting "- ", "+ " or "1. " would open a list, "---" a rule or heading.
_MARKDOWN_BLOCK_START = re.compile(r"^(?:([-+])(?=\s|$|-)|(\d+)([.)])(?=\s|$))")
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r", "\n")


def plain_text(text: str) -> str:
    """Drop control, bidi and zero-width characters; keep line breaks, each as ``\\n``."""
    return _CONTROL.sub("", text.replace("\r\n", "\n").translate(_LINE_BREAKS))


def escape_html(text: str) -> str:
    """Text for an HTML element or attribute value; zero-width joiners kept (see above)."""
    clean = _CONTROL_HTML.sub("", text.replace("\r\n", "\n").translate(_LINE_BREAKS))
    return html.escape(clean, quote=True).replace("\n", "<br>")


def escape_latex(text: str) -> str:
    """Text for a LaTeX document: every special character escaped, full-width forms as
    ASCII, any run of spaces or line breaks as one space, a line break allowed after ``/``."""
    flat = " ".join(plain_text(text).split())
    flat = _LATEX_FULLWIDTH.sub(lambda m: unicodedata.normalize("NFKC", m[0]), flat)
    escaped = "".join(_LATEX.get(char, char) for char in flat)
    return escaped.replace("/", r"/\allowbreak{}")  # a web address may break after a slash


def escape_markdown(text: str, *, paragraph: bool = False) -> str:
    """Text for a Markdown table cell: no raw HTML, no row splits, no stray emphasis or math.

    ``paragraph=True`` is for text outside the table (title, notes), where a line starting
    with "- " or "1. " would also open a list and "---" draw a rule.
    """
    text = html.escape(plain_text(text), quote=False)
    text = _MARKDOWN_SPECIAL.sub(r"\\\1", text)
    lines = [line.strip() for line in text.split("\n")]
    if paragraph:
        lines = [_MARKDOWN_BLOCK_START.sub(_escape_block_start, line) for line in lines]
    return "<br>".join(lines)


def _escape_block_start(match: re.Match[str]) -> str:
    if match.group(1):
        return "\\" + match.group(1)
    return match.group(2) + "\\" + match.group(3)  # 1\. : a backslash escapes punctuation only


def neutralise_csv(text: str) -> str:
    """A CSV cell: the text cleaned as ``plain_text`` cleans it (a carriage return becomes a
    line feed, so the cell is quoted), then prefixed with an apostrophe where a spreadsheet
    would run it as a formula: a start of ``= + - @``, tab or line break, or the full-width
    forms of ``= + - @`` (OWASP's advice)."""
    clean = plain_text(text)
    first = unicodedata.normalize("NFKC", clean[:1])
    return "'" + clean if first.startswith(_FORMULA_START) else clean


def write_csv(header: Sequence[str], rows: Iterable[Sequence[object]]) -> str:
    """A CSV document in which every header and text cell has passed ``neutralise_csv``;
    numbers are written as numbers (gaps with up to 6 significant digits), dates as
    ``YYYY-MM-DD`` (a time only where it is not midnight), ``None``, NaN and pandas' missing
    values (``pd.NA``, ``NaT``) as empty cells. Lines end in ``\\n``; cells holding a line
    break, a comma or a quote are quoted."""
    import csv
    import io

    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow([neutralise_csv(str(name)) for name in header])
    writer.writerows([_csv_cell(cell) for cell in row] for row in rows)
    return buffer.getvalue()


_PANDAS_MISSING = frozenset({"NAType", "NaTType"})  # by name: escaping never imports pandas


def _csv_cell(cell: object) -> str:
    if cell is None or type(cell).__name__ in _PANDAS_MISSING:
        return ""
    if isinstance(cell, datetime.datetime):  # pandas' Timestamp too
        midnight = cell.time() == datetime.time() and cell.tzinfo is None
        return cell.date().isoformat() if midnight else cell.isoformat()
    if isinstance(cell, datetime.date):
        return cell.isoformat()
    if isinstance(cell, bool):
        return str(cell)
    if isinstance(cell, numbers.Integral):
        return str(int(cell))
    if isinstance(cell, numbers.Real):
        value = float(cell)
        return "" if math.isnan(value) else f"{value:.6g}"
    return neutralise_csv(str(cell))
