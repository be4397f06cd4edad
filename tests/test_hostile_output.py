"""Hostile text in every output format: formulas, Markdown markup, invisible and bidi
characters; reports of an empty corpus and of one proposal; figures at the extremes."""

from __future__ import annotations

import csv
import io
import re
from typing import Any

import pytest

import negpos
from negpos.corpus import Corpus
from negpos.model import Proposal
from negpos.reports import grid_report, matrix_report
from negpos.reports.escaping import (
    escape_html,
    escape_latex,
    escape_markdown,
    neutralise_csv,
    plain_text,
)
from tests.conftest import minimal_data

CR_FORMULA = "Plan A\r=2+3"
BIDI = "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"
ZERO_WIDTH = "\u200b\u200c\u200d\u2060\ufeff"
INVISIBLE = BIDI + ZERO_WIDTH


def _proposal(**changes: Any) -> Proposal:
    return Proposal.model_validate(minimal_data(**changes))


def _cells(csv_text: str) -> list[str]:
    return [cell for row in csv.reader(io.StringIO(csv_text)) for cell in row]


def _no_formula(cell: str) -> bool:
    """What a spreadsheet would run: a cell starting with = + - @ tab or CR."""
    return not cell.startswith(("=", "+", "-", "@", "\t", "\r"))


# --------------------------------------------------------------------------- CSV


@pytest.mark.parametrize("start", ["=", "+", "-", "@", "\t", "\r", "\uff1d", "\uff0b"])
def test_the_csv_neutraliser_quotes_every_formula_start(start: str) -> None:
    cell = neutralise_csv(start + "2+3")
    assert cell.startswith("'")
    assert "\r" not in cell


def test_the_csv_neutraliser_leaves_plain_text_alone() -> None:
    assert neutralise_csv("Northland, March 2024") == "Northland, March 2024"
    assert neutralise_csv("a = b") == "a = b"
    assert neutralise_csv("") == ""


def test_a_carriage_return_in_a_label_opens_no_formula_in_the_compare_csv() -> None:
    comparison = negpos.compare(_proposal(label=CR_FORMULA), _proposal(id="other", label="B"))
    text = comparison.to_csv()
    assert "\r" not in text
    header = next(csv.reader(io.StringIO(text)))
    stance_a = next(h for h in header if h.startswith("stance_a"))
    assert stance_a == "stance_a: Plan A\n=2+3"  # one field, its line break kept
    assert '"stance_a: Plan A\n=2+3"' in text  # quoted: the break cannot start a new row
    assert all(_no_formula(cell) for cell in _cells(text))


def test_a_carriage_return_in_a_label_opens_no_formula_in_the_matrix_csv() -> None:
    corpus = Corpus.of([_proposal(label=CR_FORMULA), _proposal(id="other", label="=B")])
    text = matrix_report(corpus).to_csv()
    assert "\r" not in text
    assert all(_no_formula(line) for line in text.splitlines())
    assert all(_no_formula(cell) for cell in _cells(text))
    assert "shared_issues" in text.splitlines()[0]


def test_formula_labels_are_neutralised_in_every_corpus_csv() -> None:
    corpus = Corpus.of([_proposal(label="@SUM(A1)"), _proposal(id="other", label="-1+1")])
    for report in (grid_report(corpus), matrix_report(corpus)):
        assert all(_no_formula(cell) for cell in _cells(report.to_csv()))


def test_every_cell_of_a_comparison_csv_is_neutralised() -> None:
    data: dict[str, Any] = minimal_data(title="+cmd|' /C calc'!A0", label="\t=1+1")
    data["sources"][0]["publisher"] = "=HYPERLINK(1)"
    data["issues"]["implementation.oversight"] = {"value": "@SUM(1)", "sources": ["S1"]}
    data["issues"]["ceasefire.monitoring"] = {"value": "\r=2+3", "sources": ["S1"]}
    text = negpos.compare(Proposal.model_validate(data), _proposal(id="other")).to_csv()
    cells = _cells(text)
    assert all(_no_formula(cell) for cell in cells)
    assert "'@SUM(1)" in cells
    assert any(cell.startswith("'=HYPERLINK(1)") for cell in cells)


# --------------------------------------------------------------------------- Markdown


@pytest.mark.parametrize("char", ["`", "*", "#", "~", "_", "[", "]", "\\", "$", "|"])
def test_markdown_escapes_each_markup_character(char: str) -> None:
    assert escape_markdown(f"a{char}b") == f"a\\{char}b"


def test_markdown_tables_print_markup_as_written() -> None:
    data: dict[str, Any] = minimal_data(label="**Bold** `code` #tag ~~gone~~")
    data["issues"]["implementation.oversight"] = {"value": "# heading *em*", "sources": ["S1"]}
    markdown = negpos.compare(Proposal.model_validate(data), _proposal(id="other")).to_markdown()
    assert r"\*\*Bold\*\* \`code\` \#tag \~\~gone\~\~" in markdown
    assert r"\# heading \*em\*" in markdown
    unescaped = re.compile(r"(?<!\\)[`*#~]")
    for line in markdown.splitlines():
        body = line[2:-2] if line.startswith("**") and line.endswith("**") else line
        assert not unescaped.search(body), line


# --------------------------------------------------------------------------- Unicode


def test_bidi_and_zero_width_characters_are_removed_from_text_formats() -> None:
    text = f"Ru{INVISIBLE}ssia"
    assert plain_text(text) == "Russia"
    assert escape_markdown(text) == "Russia"
    assert escape_latex(text) == "Russia"
    assert neutralise_csv(text) == "Russia"


def test_html_drops_bidi_controls_and_keeps_the_joiners_scripts_need() -> None:
    assert escape_html(f"a{BIDI}\u200b\u2060\ufeffb") == "ab"
    persian = "\u0645\u06cc\u200c\u062e\u0648\u0627\u0647\u0645"  # ZWNJ is spelling here
    assert escape_html(persian) == persian
    assert escape_html("\U0001f468\u200d\U0001f469") == "\U0001f468\u200d\U0001f469"


def test_a_zero_width_character_cannot_hide_a_formula() -> None:
    assert neutralise_csv("\u200b=2+3") == "'=2+3"
    assert neutralise_csv("\u202e=2+3") == "'=2+3"


def test_latex_maps_fullwidth_forms_and_unusual_spaces_to_ascii() -> None:
    assert escape_latex("\uff1d\uff11\uff0b\uff12") == "=1+2"
    assert escape_latex("a\u3000b\u202fc\u2009d") == "a b c d"
    assert escape_latex("\uff05\uff03") == r"\%\#"  # mapped first, then escaped


@pytest.mark.parametrize("fmt", ["text", "markdown", "latex", "html", "csv"])
def test_invisible_characters_reach_no_rendered_format(fmt: str) -> None:
    data: dict[str, Any] = minimal_data(label=f"Plan{BIDI}\u200b A", title=f"T\u202e{ZERO_WIDTH}x")
    data["issues"]["implementation.oversight"] = {
        "value": f"evil\u202eexe.txt\u2066{ZERO_WIDTH}",
        "sources": ["S1"],
    }
    out = negpos.compare(Proposal.model_validate(data), _proposal(id="other")).render(fmt)
    assert not set(BIDI + "\u200b\u2060\ufeff") & set(out)
    if fmt != "html":
        assert not set(ZERO_WIDTH) & set(out)
    assert "evilexe.txt" in out


def test_json_keeps_the_text_as_written() -> None:
    value = "evil\u202eexe.txt\u200b"
    data: dict[str, Any] = minimal_data()
    data["issues"]["implementation.oversight"] = {"value": value, "sources": ["S1"]}
    json_text = negpos.compare(Proposal.model_validate(data), _proposal(id="other")).to_json()
    assert value in json_text
