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
from negpos.reports.report import OutputFormat
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
def test_invisible_characters_reach_no_rendered_format(fmt: OutputFormat) -> None:
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


# --------------------------------------------------------------------------- few proposals

FORMATS: tuple[OutputFormat, ...] = ("text", "markdown", "latex", "html", "csv", "json")


def _inferred_only(proposal_id: str = "north-1") -> Proposal:
    """A proposal all of whose stances are the coder's inferences: nothing is left of it
    when inferences are left out."""
    stance = {"value": "staged", "sources": ["S1"], "basis": "inferred"}
    return _proposal(
        id=proposal_id, territory=[], security=[], issues={"sanctions.lifting": stance}
    )


def test_a_grid_without_issues_gives_frames_with_their_columns() -> None:
    corpus = Corpus.of([_inferred_only(), _inferred_only("north-2")])
    report = grid_report(corpus, exclude_inferred=True)
    assert report.grid.keys == ()
    frame = report.to_frame()
    assert frame.empty and {"issue", "proposal", "relation", "gap"} <= set(frame.columns)
    assert str(frame["gap"].dtype) == "float64"
    consensus = report.consensus_frame()
    assert consensus.empty and {"issue", "divisiveness"} <= set(consensus.columns)
    for fmt in FORMATS:
        assert report.render(fmt)
    assert report.to_csv().startswith("issue,label,category,proposal,")


def test_a_grid_needs_a_proposal() -> None:
    from negpos.errors import ComparisonError

    with pytest.raises(ComparisonError, match="at least one proposal"):
        grid_report(Corpus.of([]))


def test_a_grid_of_one_proposal_is_its_baseline_column() -> None:
    report = grid_report(Corpus.of([_proposal()]))
    assert {cell.relation for row in report.grid.cells for cell in row} == {"baseline"}
    assert set(report.to_frame()["relation"]) == {"baseline"}
    for fmt in FORMATS:
        assert report.render(fmt)


@pytest.mark.parametrize("count", [0, 1])
def test_a_matrix_of_no_or_one_proposal_renders(count: int) -> None:
    corpus = Corpus.of([_proposal()][:count])
    report = matrix_report(corpus)
    assert report.matrix.gaps.shape == (count, count)
    assert report.to_frame().shape == (count, count)
    assert len(report.to_records()) == count
    for fmt in FORMATS:
        assert report.render(fmt)
    assert report.to_csv().count("\n") == 1 + count


def test_a_matrix_of_proposals_sharing_nothing_renders() -> None:
    corpus = Corpus.of([_inferred_only(), _inferred_only("north-2")])
    report = matrix_report(corpus, exclude_inferred=True)
    assert report.matrix.gap("north-1", "north-2") is None
    rows = list(csv.DictReader(io.StringIO(report.to_csv())))
    assert [row["gap"] for row in rows] == ["", "", "", ""]
    for fmt in FORMATS:
        assert report.render(fmt)


def test_a_timeline_of_one_proposal_has_no_steps_and_a_frame_with_columns() -> None:
    from negpos.reports import timeline_report

    report = timeline_report(Corpus.of([_proposal()]), party="N")
    assert report.timeline.steps == ()
    frame = report.to_frame()
    assert frame.empty
    assert {"from", "to", "issue", "change", "gap_to_reference_after"} <= set(frame.columns)
    assert str(frame["gap_to_reference_after"].dtype) == "float64"
    assert report.gap_frame().empty
    for fmt in FORMATS:
        assert report.render(fmt)
    assert report.to_csv().startswith("from,from_date,to,")


def test_a_timeline_of_an_empty_corpus_is_an_error_naming_the_party() -> None:
    from negpos.errors import ComparisonError
    from negpos.reports import timeline_report

    with pytest.raises(ComparisonError, match="authored by 'N'"):
        timeline_report(Corpus.of([]), party="N")


def test_frames_name_the_same_columns_with_rows_as_without() -> None:
    from negpos.reports import timeline_report

    corpus = Corpus.from_dir("examples/ukraine")
    grid = grid_report(corpus)
    empty_grid = grid_report(Corpus.of([_inferred_only()]), exclude_inferred=True)
    assert list(grid.to_frame().columns) == list(grid.to_records()[0])
    assert list(grid.to_frame().columns) == list(empty_grid.to_frame().columns)
    assert list(grid.consensus_frame().columns) == list(empty_grid.consensus_frame().columns)
    track = timeline_report(corpus, party="RU", reference="UA")
    lone = timeline_report(Corpus.of([_proposal()]), party="N")
    assert list(track.to_frame().columns) == list(track.to_records()[0])
    assert list(track.to_frame().columns) == list(lone.to_frame().columns)
