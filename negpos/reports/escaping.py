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
_MARKDOWN_SPECIAL = re.compile(r"([\\`*_\[\]|#~])")
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


def escape_markdown(text: str) -> str:
    """Text for a Markdown table cell: no raw HTML, no row splits, no stray emphasis."""
    text = html.escape(plain_text(text), quote=False)
    text = _MARKDOWN_SPECIAL.sub(r"\\\1", text)
    return "<br>".join(line.strip() for line in text.split("\n"))


def neutralise_csv(text: str) -> str:
    """Prefix a cell a spreadsheet would run as a formula with an apostrophe (OWASP advice)."""
    return "'" + text if text.startswith(_FORMULA_START) else text
