"""Rendered LaTeX is checked by a real LaTeX engine where one is installed."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest

import negpos
from negpos.corpus import Corpus
from negpos.model import Proposal
from negpos.reports import grid_report, matrix_report, show, timeline_report
from tests.conftest import EXAMPLES, minimal_data

PDFLATEX = shutil.which("pdflatex")
pytestmark = pytest.mark.skipif(
    PDFLATEX is None, reason="no LaTeX engine installed (apt-get install texlive-latex-recommended)"
)

# pdflatex knows most accented letters; the few symbols negpos writes are declared here, as
# a document would (xelatex and lualatex need none of this).
PREAMBLE = (
    "\\documentclass{article}\\usepackage[T1]{fontenc}\\usepackage[utf8]{inputenc}"
    "\\usepackage{booktabs}\\usepackage{longtable}"
    "\\DeclareUnicodeCharacter{2192}{\\ensuremath{\\rightarrow}}"
    "\\DeclareUnicodeCharacter{00D7}{\\ensuremath{\\times}}"
    "\\begin{document}\n"
)


def _compiles(body: str, tmp_path: Path) -> str:
    """Compile ``body`` in an ``article`` page; return pdflatex's log."""
    assert PDFLATEX is not None
    source = tmp_path / "doc.tex"
    source.write_text(PREAMBLE + body + "\n\\end{document}\n", encoding="utf-8")
    result = subprocess.run(
        [PDFLATEX, "-interaction=nonstopmode", "-halt-on-error", source.name],
        cwd=tmp_path,
        capture_output=True,
        check=False,
        timeout=120,
    )
    log = result.stdout.decode("utf-8", errors="replace")
    errors = [line for line in log.splitlines() if line.startswith("!")]
    assert result.returncode == 0, errors or log[-2000:]
    return (tmp_path / "doc.log").read_text(encoding="utf-8", errors="replace")


def _overfull(log: str) -> list[str]:
    return [line for line in log.splitlines() if line.startswith("Overfull \\hbox")]


@pytest.fixture(scope="module")
def hostile_pair() -> negpos.Comparison:
    data: dict[str, Any] = minimal_data(
        title="Plan [draft] 100% \\ & $5 #1 ~x^2 {a} <b> |c|", label="[Draft] R&D"
    )
    data["issues"]["implementation.oversight"] = {
        "value": "[see] line one\nline two",
        "sources": ["S1"],
    }
    other = minimal_data(id="other", label="[Other]")
    return negpos.compare(Proposal.model_validate(data), Proposal.model_validate(other))


@pytest.mark.parametrize("fmt", ["latex", "latex_float", "latex_booktabs", "latex_longtable"])
def test_comparison_tables_compile(
    fmt: str, hostile_pair: negpos.Comparison, tmp_path: Path
) -> None:
    _compiles(hostile_pair.to_table(fmt), tmp_path)


def test_to_latex_of_the_examples_compiles(tmp_path: Path) -> None:
    corpus = Corpus.from_dir(EXAMPLES)
    parts = [
        negpos.compare(corpus["russia-2025-06-02"], corpus["us-2025-04-17"]).to_latex(),
        matrix_report(corpus).to_latex(),
        grid_report(corpus).to_latex(),
        timeline_report(corpus, party="RU", reference="UA").to_latex(),
        show(corpus["us-2025-11-20"]).to_latex(),
    ]
    log = _compiles("\n".join(parts), tmp_path)
    assert _overfull(log) == []


def test_hostile_to_latex_compiles(hostile_pair: negpos.Comparison, tmp_path: Path) -> None:
    assert _overfull(_compiles(hostile_pair.to_latex(), tmp_path)) == []


def test_rows_that_start_with_a_bracket_compile(
    hostile_pair: negpos.Comparison, tmp_path: Path
) -> None:
    report = matrix_report(Corpus.of([hostile_pair.a, hostile_pair.b]))
    assert report.table().rows[0][0].startswith("[")  # the case that breaks a naive renderer
    _compiles(report.to_latex() + "\n" + report.to_table("latex_booktabs"), tmp_path)


def test_invisible_and_full_width_characters_compile(tmp_path: Path) -> None:
    hidden = "\u200b\u200c\u200d\u2060\ufeff\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"
    data: dict[str, Any] = minimal_data(
        title=f"Plan{hidden} \uff21\uff1d\uff11\uff0b\uff12", label="A\u3000B\u202fC"
    )
    data["issues"]["implementation.oversight"] = {
        "value": f"evil\u202eexe.txt {hidden} \uff1d\uff08x\uff09",
        "sources": ["S1"],
    }
    comparison = negpos.compare(
        Proposal.model_validate(data), Proposal.model_validate(minimal_data(id="other"))
    )
    latex = comparison.to_latex()
    assert "A=1+2" in latex and "=(x)" in latex
    _compiles(latex + "\n" + comparison.to_table("latex_booktabs"), tmp_path)


def test_the_example_comparison_fits_an_article_page(tmp_path: Path) -> None:
    corpus = Corpus.from_dir(EXAMPLES)
    comparison = negpos.compare(corpus["russia-2025-06-02"], corpus["us-2025-04-17"])
    log = _compiles(comparison.to_latex(), tmp_path)
    assert _overfull(log) == []


@pytest.mark.parametrize("fmt", ["latex_float", "latex_booktabs"])
def test_the_tabular_formats_fit_an_article_page(fmt: str, tmp_path: Path) -> None:
    corpus = Corpus.from_dir(EXAMPLES)
    comparison = negpos.compare(corpus["russia-2025-06-02"], corpus["us-2025-11-20"])
    rows = comparison.select(categories=["territory", "security"])
    log = _compiles(rows.to_table(fmt), tmp_path)
    assert _overfull(log) == []
