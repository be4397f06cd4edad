"""Publication tables (great_tables): header, relation colours, source notes, escaping."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
import warnings
from pathlib import Path
from typing import Any

import pytest

import negpos
from negpos.errors import NegposError
from negpos.model import Proposal
from negpos.reports.figures import RELATION_COLOURS, MissingExtraError
from negpos.reports.publication import (
    GT_ID,
    MISSING_GREAT_TABLES,
    comparison_gt,
    text_colour,
)
from tests.conftest import minimal_data

pytest.importorskip("great_tables")

DOCS_EXAMPLES = Path(__file__).resolve().parent.parent / "docs" / "examples"
PDFLATEX = shutil.which("pdflatex")


@pytest.fixture(scope="module")
def comparison() -> negpos.Comparison:
    a = negpos.load(DOCS_EXAMPLES / "northland-2024-03-04.yaml")
    b = negpos.load(DOCS_EXAMPLES / "southland-2024-04-15.yaml")
    return negpos.compare(a, b)


@pytest.fixture(scope="module")
def html(comparison: negpos.Comparison) -> str:
    return str(comparison_gt(comparison).as_raw_html())


@pytest.fixture(scope="module")
def hostile() -> negpos.Comparison:
    """Script, markup, LaTeX, unit notation and invisible characters in every kind of text."""
    evil = "<script>alert(1)</script> {{m^2}} \\input{secret} 50% $x$ \u202eevil"
    data: dict[str, Any] = minimal_data(title=f"Plan {evil}", label=f"North {evil}")
    data["sources"][0]["title"] = f"Offer {evil}"
    data["issues"]["implementation.oversight"] = {
        "value": f"Monitors {evil}\nsecond line",
        "sources": ["S1"],
        "note": f"noted {evil}",
    }
    other = minimal_data(id="other", label="Other")
    return negpos.compare(Proposal.model_validate(data), Proposal.model_validate(other))


def _row(html: str, issue: str) -> str:
    """The body row of one issue, by its label."""
    rows = re.findall(r"<tr>\s*(.*?)</tr>", html, flags=re.S)
    return next(str(row) for row in rows if f">{issue}</td>" in row)


def test_the_header_has_both_titles_and_ties_labels_to_dates(html: str) -> None:
    title = re.search(r'id="negpos-comparison-title">(.*?)</td>', html)
    subtitle = re.search(r'id="negpos-comparison-subtitle">(.*?)</td>', html)
    assert title is not None and subtitle is not None
    assert title.group(1) == (
        "Northland&#x27;s proposal for a settlement of the Vell Valley dispute compared with "
        "Southland&#x27;s counter-proposal on the Vell Valley and Ostra Island"
    )
    assert subtitle.group(1) == (
        "Northland, March 2024: 2024-03-04, official; Southland, April 2024: 2024-04-15, reported"
    )


def test_the_columns_are_those_of_every_comparison_table(html: str) -> None:
    labels = re.findall(r'<th class="gt_col_heading[^"]*"[^>]*>(.*?)</th>', html)
    assert labels == [
        "Issue",
        "Northland, March 2024",
        "Southland, April 2024",
        "Relation",
        "Gap",
        "Explanation",
        "Sources (A / B)",
    ]


def test_rows_are_grouped_by_category(html: str, comparison: negpos.Comparison) -> None:
    groups = re.findall(r'<th class="gt_group_heading"[^>]*>(.*?)</th>', html)
    assert groups == list(dict.fromkeys(row.category_label for row in comparison.issues))


@pytest.mark.parametrize(
    ("issue", "relation"),
    [
        ("Vell Valley: recognition", "conflict"),
        ("Ostra Island: control", "agree"),
        ("Reparations: mechanism", "partial"),
        ("Reparations: amount", "only_a"),
    ],
)
def test_a_relation_cell_has_its_colour(html: str, issue: str, relation: str) -> None:
    fill = RELATION_COLOURS[relation][0]
    cell = f'<td style="background-color: {fill}; color: {text_colour(fill)};"'
    row = _row(html, issue)
    assert f"{cell} headers=" in row and f">{relation}</td>" in row
    assert row.count("background-color") == 1  # only the relation cell


def test_a_conflict_is_dark_red_with_white_text(html: str) -> None:
    row = _row(html, "Vell Valley: recognition")
    assert 'style="background-color: #b2182b; color: #ffffff;"' in row
    assert ">conflict</td>" in row and ">1.00</td>" in row


def test_text_colour_is_black_on_light_and_white_on_dark() -> None:
    assert text_colour("#ffffff") == "#000000"
    assert text_colour("#000000") == "#ffffff"
    assert text_colour("#e69f00") == "#000000"


def test_without_colours_no_cell_is_filled(comparison: negpos.Comparison) -> None:
    assert (
        "background-color: #"
        not in str(comparison_gt(comparison, colours=False).as_raw_html()).split("<table", 1)[1]
    )


def test_the_source_notes_list_the_summary_notes_and_sources(
    html: str, comparison: negpos.Comparison
) -> None:
    notes = re.findall(r'<td class="gt_sourcenote"[^>]*><span[^>]*>(.*?)</span>', html)
    assert notes[0] == f"Summary: {comparison.summary}."
    references = comparison.table().references
    assert notes[notes.index("Sources:") + 1 :] == [
        f"[{n}] {ref}".replace("'", "&#x27;") for n, ref in enumerate(references, 1)
    ]
    assert notes[-1] == "[4] Nordic Broadcasting, “Oslo talks, day two”, 2024-04-16"
    assert "(note 1) a 10 km zone along the border" in notes
    # The cells cite the sources by the same numbers.
    assert ">[3] / [4]</td>" in _row(html, "Oversight body")


def test_the_html_is_the_same_on_every_run(comparison: negpos.Comparison, html: str) -> None:
    assert str(comparison_gt(comparison).as_raw_html()) == html
    assert f'id="{GT_ID}"' in html


def test_user_text_is_escaped_in_html(hostile: negpos.Comparison) -> None:
    page = str(comparison_gt(hostile).as_raw_html())
    body = page.split("</style>", 1)[1]
    assert "<script>" not in body and "</script>" not in body
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in body
    assert "\u202e" not in body  # a bidi override cannot reorder the page
    assert "<sup" not in body  # {{m^2}} is text, not great_tables' unit notation
    # In the column label (a proposal's label) too, braces and all.
    assert "North &lt;script&gt;alert(1)&lt;/script&gt; &#123;&#123;m^2&#125;&#125;" in body
    assert "Monitors &lt;script&gt;" in body and "second line" in body
    assert "Offer &lt;script&gt;" in body  # the sources
    assert "noted &lt;script&gt;" in body  # the stance notes


def test_user_text_is_escaped_in_latex(hostile: negpos.Comparison) -> None:
    latex = str(comparison_gt(hostile, colours=False).as_latex())
    assert "\\input{secret}" not in latex
    assert "\\textbackslash{}input\\{secret\\}" in latex
    assert "50\\% \\$x\\$" in latex
    assert "\\textless{}script\\textgreater{}" in latex
    assert "\u202e" not in latex
    assert "North \\textless{}script\\textgreater{}alert(1)" in latex  # the column label


def test_latex_has_the_header_rows_and_sources(comparison: negpos.Comparison) -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # no warning without colours
        latex = str(comparison_gt(comparison, colours=False).as_latex())
    assert "{\\large Northland's proposal for a settlement of the Vell Valley dispute" in latex
    assert (
        "Vell Valley: recognition & de jure (red line) & no recognition & conflict & 1.00" in latex
    )
    assert "{}[4] Nordic Broadcasting" in latex  # a bracket after \\ is protected
    assert "\\multicolumn{7}{l}{Territory}" in latex


def test_latex_with_colours_warns_that_great_tables_drops_them(
    comparison: negpos.Comparison,
) -> None:
    with pytest.warns(UserWarning, match="Styles are not yet supported in LaTeX"):
        comparison_gt(comparison).as_latex()


def test_explanations_can_be_left_out(comparison: negpos.Comparison) -> None:
    latex = str(comparison_gt(comparison, colours=False, explanations=False).as_latex())
    assert "Explanation" not in latex and "Opposed:" not in latex
    assert "\\multicolumn{6}{l}{Territory}" in latex


@pytest.mark.skipif(PDFLATEX is None, reason="no LaTeX engine installed")
def test_the_latex_compiles(hostile: negpos.Comparison, tmp_path: Path) -> None:
    assert PDFLATEX is not None
    body = comparison_gt(hostile, colours=False).as_latex(use_longtable=True)
    source = tmp_path / "doc.tex"
    source.write_text(
        "\\documentclass{article}\\usepackage[T1]{fontenc}\\usepackage[utf8]{inputenc}"
        "\\usepackage{booktabs}\\usepackage{caption}\\usepackage{longtable}"
        "\\begin{document}\n" + body + "\n\\end{document}\n",
        encoding="utf-8",
    )
    result = subprocess.run(
        [PDFLATEX, "-interaction=nonstopmode", "-halt-on-error", source.name],
        cwd=tmp_path,
        capture_output=True,
        check=False,
        timeout=120,
    )
    log = result.stdout.decode("utf-8", errors="replace")
    assert result.returncode == 0, [line for line in log.splitlines() if line.startswith("!")]


def test_an_alternative_is_named_in_the_subtitle() -> None:
    data = minimal_data(
        alternatives=[
            {
                "id": "option-1",
                "label": "a staged lifting",
                "sources": ["S1"],
                "issues": {"sanctions.snapback": True},
            },
            {
                "id": "option-2",
                "label": "no snapback",
                "sources": ["S1"],
                "issues": {"sanctions.snapback": False},
            },
        ]
    )
    chosen = negpos.compare(Proposal.model_validate(data), Proposal.model_validate(data))
    package = chosen.alternatives[0]
    page = str(comparison_gt(package).as_raw_html())
    assert ", taking alternative option-1 (a staged lifting)" in page


def test_without_great_tables_the_error_names_the_extra(
    comparison: negpos.Comparison, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(sys.modules, "great_tables", None)
    with pytest.raises(MissingExtraError) as info:
        comparison_gt(comparison)
    assert isinstance(info.value, NegposError)
    assert str(info.value) == MISSING_GREAT_TABLES
    assert MISSING_GREAT_TABLES == 'publication tables need great_tables: pip install "negpos[gt]"'


def test_importing_the_module_loads_no_great_tables() -> None:
    code = "import sys, negpos.reports.publication; print('great_tables' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


def test_comparison_to_gt_is_the_publication_table() -> None:
    import negpos
    from negpos.reports.publication import comparison_gt
    from tests.conftest import RUSSIA_2025, US_2025_04

    comparison = negpos.compare(negpos.load(RUSSIA_2025), negpos.load(US_2025_04))
    assert comparison.to_gt().as_raw_html() == comparison_gt(comparison).as_raw_html()
