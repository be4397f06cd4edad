"""Escaping user text for each output format.

Everything in a proposal is user text, and proposals travel: a table rendered from someone
else's file must not run script in a browser, break a LaTeX build, split a Markdown row or
run a formula in a spreadsheet. tabulate's ``github``/``pipe`` formats escape nothing, and
no library guards CSV, so negpos does it here, once, for every renderer.
"""

from __future__ import annotations

import html
import re

__all__ = [
    "escape_html",
    "escape_latex",
    "escape_markdown",
    "neutralise_csv",
    "plain_text",
]

_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")
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
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def plain_text(text: str) -> str:
    """Drop control characters (terminal escape codes among them); keep line breaks."""
    return _CONTROL.sub("", text.replace("\r\n", "\n").replace("\r", "\n"))


def escape_html(text: str) -> str:
    """Text for an HTML element or attribute value."""
    return html.escape(plain_text(text), quote=True).replace("\n", "<br>")


def escape_latex(text: str) -> str:
    """Text for a LaTeX document: every special character escaped, line breaks as spaces."""
    flat = " ".join(plain_text(text).split())
    return "".join(_LATEX.get(char, char) for char in flat)


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
    """Prefix a cell a spreadsheet would run as a formula with an apostrophe (OWASP advice)."""
    return "'" + text if text.startswith(_FORMULA_START) else text
