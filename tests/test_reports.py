"""Rendered output: every format names its proposals and sources, escapes hostile text, and
is byte-for-byte deterministic."""

from __future__ import annotations

import csv
import io
import json
import re
from typing import Any

import pandas as pd
import pytest

import negpos
from negpos.model import Proposal
from negpos.reports import TABULATE_FORMATS, Comparison
from negpos.reports.report import OutputFormat
from tests.conftest import minimal_data

SCRIPT = "<script>alert(1)</script>"
FORMULA = '=HYPERLINK("http://evil")'


@pytest.fixture(scope="module")
def hostile() -> Comparison:
    data: dict[str, Any] = minimal_data(title=f"Plan {SCRIPT}", label="R&D 50% x_1")
    data["parties"][0]["name"] = "left|right"
    data["sources"][0]["publisher"] = "Pub <b>&</b> {co}"
    data["issues"]["ceasefire.monitoring"] = {"value": FORMULA, "sources": ["S1"]}
    data["issues"]["implementation.oversight"] = {
        "value": f"line one\nline two | {SCRIPT}",
        "sources": ["S1"],
    }
    other = minimal_data(id="other", title="Other plan", label="Other")
    return negpos.compare(Proposal.model_validate(data), Proposal.model_validate(other))


def test_html_escapes_cells_headers_and_caption(hostile: Comparison) -> None:
    html = hostile.to_html(full_page=True)
    assert "<script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "R&amp;D 50% x_1" in html  # header escaped
    assert "Pub &lt;b&gt;&amp;&lt;/b&gt; {co}" in html
    assert hostile._repr_html_() == hostile.to_html()


def test_latex_escapes_everything(hostile: Comparison) -> None:
    latex = hostile.to_latex()
    assert r"R\&D 50\% x\_1" in latex
    assert r"\textless{}script\textgreater{}" in latex
    assert "<script>" not in latex
    assert r"\{co\}" in latex
    assert "left\\textbar{}right" in latex
    for fmt in ("latex", "latex_float", "latex_booktabs", "latex_longtable"):
        out = hostile.to_table(fmt)
        assert "R&D" not in out.replace(r"R\&D", "") and "<script>" not in out


def test_markdown_escapes_pipes_line_breaks_and_html(hostile: Comparison) -> None:
    markdown = hostile.to_markdown()
    table_lines = [line for line in markdown.splitlines() if line.startswith("|")]
    columns = table_lines[0].count(" | ")
    for line in table_lines:  # no cell splits a row: every row has as many separators
        assert line.replace(r"\|", "").count("|") == table_lines[0].count("|"), line
    assert columns > 0
    assert r"left\|right" in markdown
    assert "<script>" not in markdown and "&lt;script&gt;" in markdown
    assert "line one<br>line two" in markdown
    assert r"x\_1" in markdown


def test_csv_neutralises_formulas(hostile: Comparison) -> None:
    rows = list(csv.reader(io.StringIO(hostile.to_csv())))
    cells = [cell for row in rows for cell in row]
    assert all(not cell.startswith(("=", "+", "-", "@")) for cell in cells)
    assert any(cell.startswith("'=HYPERLINK") for cell in cells)


def test_terminal_text_drops_control_characters() -> None:
    data = minimal_data(title="Plan \x1b[31mred\x1b[0m")
    proposal = Proposal.model_validate(data)
    assert "\x1b" not in negpos.compare(proposal, proposal).to_text()


@pytest.mark.parametrize("fmt", ["text", "markdown", "latex", "html", "csv", "json"])
def test_every_format_names_both_proposals_and_cites_sources(
    russia: Proposal, us_april: Proposal, fmt: OutputFormat
) -> None:
    output = negpos.compare(russia, us_april).render(fmt)
    output = output.replace(r"/\allowbreak{}", "/")  # LaTeX may break a web address there
    for proposal in (russia, us_april):
        assert proposal.display_label in output
        if fmt not in ("csv",):
            assert proposal.date.isoformat() in output
    assert "tass.com/politics/1967467" in output  # a source of Russia's
    assert "censor.net" in output  # a source of the US plan


def test_output_is_deterministic(russia: Proposal, us_april: Proposal) -> None:
    for fmt in ("text", "markdown", "latex", "html", "csv", "json"):
        first = negpos.compare(russia, us_april).render(fmt)
        loaded = {p.id: p for p in negpos.load_dir("examples/ukraine").proposals}
        again = negpos.compare(loaded[russia.id], us_april).render(fmt)
        assert first == again


@pytest.mark.parametrize("fmt", TABULATE_FORMATS)
def test_every_offered_tabulate_format_renders(
    russia: Proposal, us_april: Proposal, fmt: str
) -> None:
    out = negpos.compare(russia, us_april).to_table(fmt)
    assert "NATO" in out


def test_unsafe_tabulate_formats_are_refused(russia: Proposal) -> None:
    with pytest.raises(ValueError, match="unsupported table format 'unsafehtml'"):
        negpos.compare(russia, russia).to_table("unsafehtml")


def test_frame_is_tidy_with_named_proposals(russia: Proposal, us_april: Proposal) -> None:
    comparison = negpos.compare(russia, us_april)
    frame = comparison.to_frame()
    assert list(frame.columns) == [
        "category", "category_label", "issue", "label", "stance_a", "stance_b", "relation", "gap",
        "reason", "explanation", "sources_a", "sources_b", "note_a", "note_b",
        "value_a", "value_b", "number_a", "number_b", "unit_a", "unit_b",
        "salience_a", "salience_b", "red_line_a", "red_line_b", "condition_a", "condition_b",
    ]  # fmt: skip
    assert len(frame) == len(comparison.issues)
    assert frame["issue"].is_unique
    assert frame.attrs["a"]["title"] == russia.title
    assert str(frame["gap"].dtype) == "float64"
    nato = frame.set_index("issue").loc["security.UA.membership.NATO"]
    assert (nato["relation"], nato["gap"]) == ("agree", 0.0)


def test_the_comparison_frame_keeps_each_sides_stance_as_typed_data() -> None:
    comparison = negpos.compare(negpos.load(NORTHLAND), negpos.load(SOUTHLAND))
    frame = comparison.to_frame()
    text = str(frame["issue"].dtype)
    typed = {"gap": "float64", "number_a": "float64", "number_b": "float64",
             "salience_a": "float64", "salience_b": "float64",
             "red_line_a": "boolean", "red_line_b": "boolean"}  # fmt: skip
    assert {c: str(frame[c].dtype) for c in frame.columns} == {
        c: typed.get(c, text) for c in frame.columns
    }
    rows = frame.set_index("issue")
    cap = rows.loc["security.SL.force_cap_size"]
    assert (cap["number_a"], cap["number_b"], cap["unit_a"], cap["unit_b"]) == (
        40000.0, 60000.0, "personnel", "personnel",
    )  # fmt: skip
    assert (cap["value_a"], cap["salience_a"]) == ("40000", 0.8)
    control = rows.loc["territory.vell_valley.control"]
    assert (control["value_a"], control["value_b"]) == ("NL", "SL")
    assert bool(control["red_line_a"]) and not bool(control["red_line_b"])
    assert pd.isna(control["number_a"])
    sequencing = rows.loc["ceasefire.sequencing"]
    assert sequencing["condition_a"] == "the withdrawal starts within 30 days of signature"
    assert pd.isna(sequencing["condition_b"])
    silent = rows.loc["humanitarian.prisoners"]  # only B addresses it
    assert pd.isna(silent["value_a"]) and pd.isna(silent["red_line_a"])
    assert silent["value_b"] == "all_for_all_exchange"
    assert rows.loc["reparations.mechanism", "value_a"] == "fund;reconstruction_aid"
    records = {r["issue"]: r for r in comparison.to_records()}
    assert records["security.SL.force_cap_size"]["stance_a"]["value"] == 40000.0
    headers = comparison.csv_headers()
    assert headers[-12:] == list(frame.columns[-12:])
    first = next(csv.DictReader(io.StringIO(comparison.to_csv())))
    assert first["red_line_a"] in ("False", "false") and first["number_a"] == ""


def test_json_rows_carry_what_the_issue_promises(russia: Proposal, us_april: Proposal) -> None:
    rows = json.loads(negpos.compare(russia, us_april).to_json())
    assert isinstance(rows, list)
    required = {
        "issue",
        "category",
        "relation",
        "gap",
        "stance_a",
        "stance_b",
        "sources_a",
        "sources_b",
    }
    assert all(required <= set(row) for row in rows)
    waiver = next(r for r in rows if r["issue"] == "reparations.waiver")
    assert waiver["relation"] == "conflict"
    # the US rejected the mutual waiver; whether Russia's claims stand is not stated
    assert waiver["stance_a"]["value"] == "mutual"
    assert waiver["stance_b"]["value"] == {"not": ["mutual"]}
    assert waiver["reason"] == "excluded"
    assert any(s.get("url", "").startswith("https://") for s in waiver["sources_a"])


def test_unknown_category_is_an_error_not_an_empty_table(russia: Proposal) -> None:
    from negpos.errors import ComparisonError

    with pytest.raises(ComparisonError, match="unknown category territori"):
        negpos.compare(russia, russia).select(categories=["territori"])


def test_orgtbl_and_tsv_are_not_offered() -> None:
    assert "orgtbl" not in TABULATE_FORMATS and "tsv" not in TABULATE_FORMATS


def test_tabulate_latex_formats_escape_like_to_latex(hostile: Comparison) -> None:
    for fmt in ("latex_float", "latex_booktabs"):
        out = hostile.to_table(fmt)
        assert "left|right" not in out and "left\\textbar{}right" in out
        assert "<script>" not in out


def test_markdown_escapes_dollars_and_paragraph_block_starts() -> None:
    from negpos.reports.escaping import escape_markdown

    assert escape_markdown("$100bn and $300bn") == r"\$100bn and \$300bn"
    assert escape_markdown("0.00") == "0.00"
    assert escape_markdown("---", paragraph=True) == r"\---"
    assert escape_markdown("1. first", paragraph=True) == r"1\. first"
    assert escape_markdown("- item", paragraph=True) == r"\- item"


def test_matrix_csv_carries_the_shared_and_unclear_counts_of_each_cell() -> None:
    from negpos.corpus import Corpus
    from negpos.reports import matrix_report

    report = matrix_report(Corpus.from_dir("examples/ukraine"))
    rows = list(csv.DictReader(io.StringIO(report.to_csv())))
    matrix = report.matrix
    assert len(rows) == len(matrix.ids) ** 2
    assert list(rows[0]) == [
        "a", "b", "category", "gap", "shared_issues", "unclear_issues", "weighting",
    ]  # fmt: skip
    for row in rows:
        a, b = row["a"], row["b"]
        assert int(row["shared_issues"]) == matrix.shared_issues(a, b)
        assert int(row["unclear_issues"]) == matrix.unclear_issues(a, b)
        gap = matrix.gap(a, b)
        assert row["gap"] == ("" if gap is None else f"{gap:.6g}")
    assert any(int(row["unclear_issues"]) > 0 for row in rows)


NORTHLAND = "docs/examples/northland-2024-03-04.yaml"
SOUTHLAND = "docs/examples/southland-2024-04-15.yaml"


@pytest.mark.parametrize("fmt", ["text", "markdown", "latex", "html", "csv", "json"])
def test_stance_notes_appear_in_every_format_of_a_comparison(fmt: OutputFormat) -> None:
    comparison = negpos.compare(negpos.load(NORTHLAND), negpos.load(SOUTHLAND))
    out = comparison.render(fmt)
    for note in ("a 10 km zone along the border", "would accept a ten-year moratorium"):
        assert note in out, fmt
    if fmt == "latex":
        assert r"\textit{Stance notes:}" in out and r"\textit{Sources:}" in out
    if fmt in ("text", "markdown", "latex", "html"):
        assert "Stance notes:" in out
        assert "barred (note 2)" in out  # the stance's cell points at its note
        assert "(note 2) would accept a ten-year moratorium" in out


def test_stance_notes_are_numbered_once_in_order_of_first_mention() -> None:
    comparison = negpos.compare(negpos.load(NORTHLAND), negpos.load(SOUTHLAND))
    table = comparison.table()
    cells = [cell for row in table.rows for cell in row[2:4]]
    marks = [int(n) for cell in cells for n in re.findall(r"\(note (\d+)\)", cell)]
    assert marks and sorted(set(marks)) == list(range(1, len(table.stance_notes) + 1))
    assert [m for i, m in enumerate(marks) if m not in marks[:i]] == sorted(set(marks))
    assert len(set(table.stance_notes)) == len(table.stance_notes)


def test_the_comparison_csv_has_a_note_column_per_side() -> None:
    comparison = negpos.compare(negpos.load(NORTHLAND), negpos.load(SOUTHLAND))
    rows = list(csv.DictReader(io.StringIO(comparison.to_csv())))
    row = next(r for r in rows if r["issue"] == "security.SL.membership.NDA")
    assert row["note_a"] == "would accept a ten-year moratorium"
    assert row["note_b"] == ""
    frame = comparison.to_frame()
    assert list(frame.columns[12:14]) == ["note_a", "note_b"]


def test_show_lists_what_each_stance_would_accept_and_its_note() -> None:
    from negpos.reports import show

    view = show(negpos.load(NORTHLAND))
    text = view.to_text()
    assert "Would accept" in text and "30,000–50,000" in text
    assert "Stance notes:" in text and "(note 1) a 10 km zone along the border" in text
    for fmt in ("markdown", "latex", "html", "csv"):
        out = view.render(fmt)
        assert "ten-year moratorium" in out and "30,000–50,000" in out, fmt
    assert "ten-year moratorium" in view.to_json()
    records = {r["issue"]: r for r in view.to_records()}
    assert records["security.SL.force_cap_size"]["acceptable"] == {"min": 30000.0, "max": 50000.0}
    assert records["security.SL.membership.NDA"]["acceptable"] == ["deferred"]
    assert records["security.SL.membership.NDA"]["note"] == "would accept a ten-year moratorium"
    frame = view.to_frame().set_index("issue")
    assert frame.loc["political.elections_deadline", "acceptable"] == "90–365 days"
    # the one long form, typed, with the reader's text beside the data
    from negpos.positions import positions_of

    long_form = positions_of(negpos.load(NORTHLAND)).to_frame()
    assert list(view.to_frame().columns) == [*long_form.columns, "acceptable"]
    assert view.to_frame().drop(columns="acceptable").equals(long_form)
    assert isinstance(frame.loc["security.SL.force_cap_size", "number"], float)  # data, typed
    assert frame["acceptable"].isna().any()  # nothing said: missing, not an empty text
    assert frame.loc["ceasefire.sequencing", "acceptable"] == (
        "once a settlement is agreed or once withdrawal begins or is done"
    )


def test_the_show_csv_writes_dates_as_dates_and_missing_cells_empty() -> None:
    """The long form's typed frame (dates as datetime64, text as pandas' text dtype) writes
    the same CSV cells its records hold: ``2024-03-04``, and empty where a value is missing."""
    import csv
    import io

    from negpos.reports import show

    view = show(negpos.load(NORTHLAND))
    rows = list(csv.DictReader(io.StringIO(view.to_csv())))
    records = view.positions.to_records()
    assert [row["date"] for row in rows] == [record["date"] for record in records]
    for row, record in zip(rows, records, strict=True):
        for column in ("form", "speaker", "unit", "bound", "note", "condition"):
            assert row[column] == ("" if record[column] is None else record[column]), column
    assert "<NA>" not in view.to_csv() and "NaT" not in view.to_csv()


def test_csv_cells_of_pandas_missing_values_and_dates() -> None:
    """Whatever text dtype pandas gives (``string`` before pandas 3 holds ``pd.NA``), a
    missing cell is empty and a date is ``YYYY-MM-DD``."""
    import datetime

    import pandas as pd

    from negpos.reports.escaping import write_csv

    frame = pd.DataFrame(
        {
            "text": pd.Series(["x", None], dtype="string"),
            "when": pd.to_datetime(pd.Series(["2024-03-04", None])),
            "at": [datetime.datetime(2024, 3, 4, 12, 30), datetime.date(2024, 3, 5)],
        }
    )
    assert write_csv(list(frame.columns), frame.itertuples(index=False)) == (
        "text,when,at\nx,2024-03-04,2024-03-04T12:30:00\n,,2024-03-05\n"
    )


def _two_step_corpus() -> Any:
    """Northland's two proposals, each stance resting on a source of its own proposal."""
    from negpos.corpus import Corpus

    later = minimal_data(
        id="north-2",
        date="2024-06-01",
        sources=[{"id": "S2", "publisher": "Herald", "title": "Second offer"}],
        territory=[
            {"region": "hills", "sources": ["S2"], "control": "N", "recognition": "de_jure"}
        ],
        security=[],
        issues={"sanctions.lifting": {"value": "staged", "sources": ["S2"]}},
    )
    return Corpus.of([Proposal.model_validate(minimal_data()), Proposal.model_validate(later)])


@pytest.mark.parametrize(
    ("fmt", "cited"),
    [
        ("text", "[1] → [2]"),
        ("markdown", r"\[1\] → \[2\]"),
        ("latex", "{[}1{]} → {[}2{]}"),
        ("html", "[1] → [2]"),
    ],
    ids=["text", "markdown", "latex", "html"],
)
def test_timeline_steps_cite_both_stances_sources_in_every_format(
    fmt: OutputFormat, cited: str
) -> None:
    from negpos.reports import timeline_report

    report = timeline_report(_two_step_corpus(), party="N")
    table = report.table()
    assert table.headers[-1] == "Sources (before → after)"
    cells = {row[1]: row[-1] for row in table.rows}
    assert set(cells.values()) == {"[1] → [2]", "[1] → –"}  # dropped: nothing after
    assert table.references[0].startswith("Gazette") and table.references[1].startswith("Herald")
    out = report.render(fmt)
    assert cited in out and "Herald" in out and "Gazette" in out, fmt
    assert "Sources (before → after)" in out, fmt


def test_timeline_csv_and_json_carry_both_stances_sources() -> None:
    from negpos.reports import timeline_report

    report = timeline_report(_two_step_corpus(), party="N")
    record = next(r for r in report.to_records() if r["issue"] == "sanctions.lifting")
    assert [s["publisher"] for s in record["sources_before"]] == ["Gazette"]
    assert [s["publisher"] for s in record["sources_after"]] == ["Herald"]
    assert [s["publisher"] for s in record["sources"]] == ["Herald"]  # unchanged: the step's
    rows = list(csv.DictReader(io.StringIO(report.to_csv())))
    row = next(r for r in rows if r["issue"] == "sanctions.lifting")
    assert "Gazette" in row["sources_before"] and "Herald" in row["sources_after"]
    dropped = next(r for r in rows if r["before"] and not r["after"])
    assert dropped["sources_after"] == "" and "Gazette" in dropped["sources_before"]


def test_corpus_report_titles_count_one_proposal_in_the_singular() -> None:
    from negpos.corpus import Corpus
    from negpos.reports import grid_report, matrix_report, timeline_report

    one = Corpus.of([Proposal.model_validate(minimal_data())])
    assert timeline_report(one, party="N").table().title == "Timeline of N: 1 proposal"
    assert matrix_report(one).table().title.startswith("Pairwise gaps between 1 proposal, ")
    assert grid_report(one).table().title.startswith("1 proposal compared issue by issue")
    two = timeline_report(_two_step_corpus(), party="N").table().title
    assert two == "Timeline of N: 2 proposals"


def test_latex_means_one_thing_everywhere(hostile: Comparison) -> None:
    """``to_table("latex")``, ``render("latex")``, ``to_latex()`` and ``-f latex`` are the same
    longtable; the float ``tabular`` is asked for by its own name, ``latex_float``."""
    assert hostile.to_table("latex") == hostile.render("latex") == hostile.to_latex()
    assert hostile.to_table("latex_longtable") == hostile.to_latex()
    assert "\\begin{tabular}" in hostile.to_table("latex_float")
    assert "\\begin{longtable}" in hostile.to_latex()
