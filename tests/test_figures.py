"""Figures: the right axes and labels for the Ukrainian corpus, deterministic PNG and SVG files,
user labels drawn as plain text, and a clear error when the plot extra is missing."""

from __future__ import annotations

import dataclasses
import errno
import math
import os
import sys
import xml.etree.ElementTree as ET
from collections.abc import Callable
from pathlib import Path
from types import ModuleType
from typing import Any

import numpy as np
import pytest

from negpos.corpus import Corpus
from negpos.engine.grid import BASELINE, SILENT, Grid, build_grid
from negpos.engine.matrix import GapMatrix, gap_matrix
from negpos.engine.timeline import timeline
from negpos.errors import NegposError
from negpos.model import Proposal
from negpos.reports import figures, writing
from negpos.reports.figures import (
    RELATION_COLOURS,
    MissingExtraError,
    figure_bytes,
    figure_svg,
    gap_heatmap,
    gap_over_time,
    relation_grid,
    save_figure,
)
from tests.conftest import EXAMPLES, minimal_data

PNG_MAGIC = b"\x89PNG\r\n\x1a\n"
HOSTILE_LABEL = r"R&D 50% $x$ \frac{1}{2} <b>"
OTHER_LABEL = r"$\nosuchcommand$ costs"  # as mathtext this would fail to draw


@pytest.fixture(scope="module")
def mpl() -> ModuleType:
    module: ModuleType = pytest.importorskip(
        "matplotlib", reason='figures need matplotlib: pip install "negpos[plot]"'
    )
    return module


@pytest.fixture(scope="module")
def corpus() -> Corpus:
    return Corpus.from_dir(EXAMPLES)


@pytest.fixture(scope="module")
def matrix(corpus: Corpus) -> GapMatrix:
    return gap_matrix(corpus.position_sets())


@pytest.fixture(scope="module")
def grid(corpus: Corpus) -> Grid:
    return build_grid(corpus.position_sets())


def _texts(labels: Any) -> list[str]:
    return [label.get_text() for label in labels]


# --------------------------------------------------------------------------- heatmap


def test_gap_heatmap_has_labels_a_colour_bar_and_every_value(
    mpl: ModuleType, matrix: GapMatrix
) -> None:
    figure = gap_heatmap(matrix)
    ax, bar = figure.axes
    assert _texts(ax.get_xticklabels()) == list(matrix.labels)
    assert _texts(ax.get_yticklabels()) == list(matrix.labels)
    assert "6 proposals" in ax.get_title()
    assert bar.get_ylim() == (0.0, 1.0)
    assert "gap" in bar.get_ylabel().lower()
    values = sorted(t.get_text() for t in ax.texts)
    expected = (
        f"{g:.2f}\n({n})" for g, n in zip(matrix.gaps.ravel(), matrix.shared.ravel(), strict=True)
    )
    assert values == sorted(expected)  # each gap with the number of issues it rests on


def test_gap_heatmap_leaves_pairs_without_shared_issues_blank(mpl: ModuleType) -> None:
    nan = math.nan
    matrix = GapMatrix(
        ids=("a", "b", "c"),
        labels=("A", "B", "C"),
        gaps=np.array([[0.0, nan, 0.5], [nan, 0.0, nan], [0.5, nan, 0.0]]),
        shared=np.array([[1, 0, 1], [0, 1, 0], [1, 0, 1]]),
    )
    ax = gap_heatmap(matrix).axes[0]
    texts = sorted(t.get_text() for t in ax.texts)
    assert texts == ["0.00\n(1)", "0.00\n(1)", "0.00\n(1)", "0.50\n(1)", "0.50\n(1)"]
    cells = ax.collections[0].get_array()
    assert isinstance(cells, np.ma.MaskedArray)
    assert int(np.count_nonzero(cells.mask)) == 4  # the NaN cells are not painted


# --------------------------------------------------------------------------- relation grid


def test_relation_grid_colours_every_cell_by_its_relation(mpl: ModuleType, grid: Grid) -> None:
    figure = relation_grid(grid)
    ax = figure.axes[0]
    issue_labels = _texts(ax.get_yticklabels())
    every_issue = {p.key for s in grid.proposals for p in s.all_positions()}
    assert len(issue_labels) == len(grid.labels) == len(every_issue) == 76
    for shown, label in zip(issue_labels, grid.labels, strict=True):
        assert shown == label or (shown.endswith("…") and label.startswith(shown[:-1]))
    columns = _texts(ax.get_xticklabels())
    assert columns[0] == "Putin, June 2024\n(baseline)"
    assert columns[1:] == [p.label for p in grid.proposals[1:]]
    codes = list(RELATION_COLOURS)
    expected = [
        codes.index(
            SILENT if cell.relation == BASELINE and cell.position is None else cell.relation
        )
        for row in grid.cells
        for cell in row
    ]
    assert list(np.asarray(ax.collections[0].get_array()).ravel()) == expected
    assert grid.cell("territory.crimea.control", "us-2025-04-17").relation == "agree"
    legend = _texts(figure.legends[0].get_texts())
    for relation in ("agree", "partial", "conflict", "only_a", "only_b", "silent", "baseline"):
        assert any(text.startswith(relation) for text in legend)


def test_relation_grid_grows_with_the_number_of_issues(mpl: ModuleType, grid: Grid) -> None:
    small = dataclasses.replace(
        grid,
        keys=grid.keys[:6],
        labels=grid.labels[:6],
        categories=grid.categories[:6],
        cells=grid.cells[:6],
        consensus=grid.consensus[:6],
    )
    tall = relation_grid(grid).get_size_inches()[1]
    short = relation_grid(small).get_size_inches()[1]
    assert tall > short + 0.15 * (73 - 6)  # at least ~0.15 in per issue row


# --------------------------------------------------------------------------- timeline


def test_gap_over_time_plots_each_proposal_at_its_date(mpl: ModuleType, corpus: Corpus) -> None:
    import matplotlib.dates as mdates

    track = timeline(corpus, party="US", reference="RU")
    ax = gap_over_time(track).axes[0]
    assert "US" in ax.get_title() and "RU" in ax.get_title()
    assert "RU" in ax.get_ylabel()
    line = ax.get_lines()[0]
    xs = np.asarray(line.get_xdata(), dtype=float)
    dates = [mdates.num2date(x).date() for x in xs]  # type: ignore[no-untyped-call]
    assert dates == [p.proposal.date for p in track.gaps]
    ys = np.asarray(line.get_ydata(), dtype=float)
    assert list(ys) == pytest.approx([p.gap for p in track.gaps])
    notes = " ".join(t.get_text() for t in ax.texts)
    for point in track.gaps:
        assert point.proposal.label in notes
        assert point.reference.label in notes
    assert isinstance(ax.xaxis.get_major_formatter(), mdates.ConciseDateFormatter)


def test_gap_over_time_without_a_reference_says_so(mpl: ModuleType, corpus: Corpus) -> None:
    ax = gap_over_time(timeline(corpus, party="US")).axes[0]
    assert "no reference" in ax.get_title()
    assert any("reference party" in t.get_text() for t in ax.texts)


# --------------------------------------------------------------------------- files


def test_save_figure_writes_deterministic_png_and_svg(
    mpl: ModuleType, matrix: GapMatrix, tmp_path: Path
) -> None:
    for suffix in (".png", ".svg"):
        first = save_figure(gap_heatmap(matrix), tmp_path / f"first{suffix}")
        second = save_figure(gap_heatmap(matrix), tmp_path / f"second{suffix}")
        assert first == tmp_path / f"first{suffix}"
        assert first.read_bytes() == second.read_bytes(), suffix
    assert (tmp_path / "first.png").read_bytes().startswith(PNG_MAGIC)
    svg = (tmp_path / "first.svg").read_text(encoding="utf-8")
    root = ET.fromstring(svg.encode("utf-8"))  # well-formed XML
    assert root.tag == "{http://www.w3.org/2000/svg}svg"
    assert "<dc:date>" not in svg


def test_save_figure_rejects_other_suffixes(
    mpl: ModuleType, matrix: GapMatrix, tmp_path: Path
) -> None:
    figure = gap_heatmap(matrix)
    for name in ("figure.pdf", "figure.jpg", "figure"):
        with pytest.raises(ValueError, match=r"\.png, \.svg"):
            save_figure(figure, tmp_path / name)
    assert list(tmp_path.iterdir()) == []


def test_save_figure_writes_figure_bytes(
    mpl: ModuleType, matrix: GapMatrix, tmp_path: Path
) -> None:
    assert "figure_bytes" in figures.__all__
    for fmt in ("png", "svg"):  # a fresh figure each time: drawing one can move its layout
        saved = save_figure(gap_heatmap(matrix), tmp_path / f"heatmap.{fmt}", dpi=72)
        assert saved.read_bytes() == figure_bytes(gap_heatmap(matrix), fmt, dpi=72), fmt
    old_name = writing.figure_bytes(gap_heatmap(matrix), "svg")  # still importable from writing
    assert old_name == figure_bytes(gap_heatmap(matrix), "svg")


def test_a_failed_save_leaves_the_old_figure(
    mpl: ModuleType, matrix: GapMatrix, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "heatmap.svg"
    target.write_bytes(b"old figure")

    def disk_full(descriptor: int) -> None:
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(os, "fsync", disk_full)
    with pytest.raises(OSError, match="No space left on device") as info:
        save_figure(gap_heatmap(matrix), target)
    assert info.value.filename == str(target)
    assert target.read_bytes() == b"old figure"
    assert list(tmp_path.iterdir()) == [target]  # no temporary file left behind


def test_figure_svg_is_an_inline_element_with_prefixed_ids(
    mpl: ModuleType, matrix: GapMatrix
) -> None:
    svg = figure_svg(gap_heatmap(matrix), id_prefix="heat")
    assert svg.startswith("<svg") and svg.rstrip().endswith("</svg>")
    assert "<?xml" not in svg and "<!DOCTYPE" not in svg and "<image" not in svg
    root = ET.fromstring(svg)
    ids = [element.get("id") for element in root.iter() if element.get("id")]
    assert ids and all(str(i).startswith("heat-") for i in ids)
    assert svg == figure_svg(gap_heatmap(matrix), id_prefix="heat")


# --------------------------------------------------------------------------- hostile text


def _hostile_corpus() -> Corpus:
    first = minimal_data(label=HOSTILE_LABEL, title="Plan <script>alert(1)</script>")
    second = minimal_data(id="south-1", label=OTHER_LABEL, date="2024-05-01", authors=["S"])
    return Corpus.of([Proposal.model_validate(first), Proposal.model_validate(second)])


def test_labels_with_dollars_and_markup_stay_plain_text(mpl: ModuleType, tmp_path: Path) -> None:
    corpus = _hostile_corpus()
    sets = corpus.position_sets()
    with mpl.rc_context({"text.usetex": True}):  # a user's TeX setting must not apply to labels
        drawn = [
            gap_heatmap(gap_matrix(sets)),
            relation_grid(build_grid(sets)),
            gap_over_time(timeline(corpus, party="N", reference="S")),
        ]
        for index, figure in enumerate(drawn):
            save_figure(figure, tmp_path / f"{index}.png")  # draws every text, as mathtext too
    for index, figure in enumerate(drawn):
        shown = _svg_texts(figure_svg(figure))
        assert any(HOSTILE_LABEL in text for text in shown), index
        assert any(OTHER_LABEL in text for text in shown), index


def _svg_texts(svg: str) -> list[str]:
    """The text the SVG draws (not its comments), one string per <text> element."""
    root = ET.fromstring(svg)
    lines = []
    for element in root.iter("{http://www.w3.org/2000/svg}text"):
        lines += "".join(element.itertext()).split("\n")
    return [line.strip() for line in lines]


def test_no_matplotlib_raises_a_negpos_error_naming_the_extra(
    monkeypatch: pytest.MonkeyPatch, matrix: GapMatrix, grid: Grid, corpus: Corpus
) -> None:
    monkeypatch.setitem(sys.modules, "matplotlib", None)
    calls: list[Callable[[], object]] = [
        lambda: gap_heatmap(matrix),
        lambda: relation_grid(grid),
        lambda: gap_over_time(timeline(corpus, party="US", reference="RU")),
    ]
    for call in calls:
        with pytest.raises(MissingExtraError, match=r'pip install "negpos\[plot\]"') as info:
            call()
        assert isinstance(info.value, NegposError)
    assert str(info.value) == figures.MISSING_MATPLOTLIB


# --------------------------------------------------------------------------- long labels


def test_every_figure_shortens_long_labels(mpl: ModuleType) -> None:
    long_label = "A very long label " * 2000
    first = minimal_data(label=long_label, title="first")
    second = minimal_data(
        id="south-1", label="South " * 2000, date="2024-05-01", authors=["S"], addressees=["N"]
    )
    corpus = Corpus.of([Proposal.model_validate(first), Proposal.model_validate(second)])
    sets = corpus.position_sets()
    drawn = {
        "heatmap": gap_heatmap(gap_matrix(sets)),
        "grid": relation_grid(build_grid(sets)),
        "timeline": gap_over_time(timeline(corpus, party="N", reference="S")),
    }
    for name, figure in drawn.items():
        svg = figure_svg(figure)
        assert len(svg) < 200_000, name  # 36,000-character labels drawn whole are megabytes
        texts = _svg_texts(svg)
        assert max(len(text) for text in texts) <= 100, name
        assert any(text.endswith("…") for text in texts), name


def test_a_heatmap_of_no_proposals_says_so(mpl: ModuleType) -> None:
    figure = gap_heatmap(gap_matrix([]))  # filterwarnings=error: no singular-limits warning
    assert any(t.get_text() == "No proposals." for t in figure.axes[0].texts)


def test_figure_titles_count_one_proposal_and_one_issue_in_the_singular(mpl: ModuleType) -> None:
    data = minimal_data(territory=[], security=[])  # one issue: sanctions.lifting
    sets = Corpus.of([Proposal.model_validate(data)]).position_sets()
    heatmap = gap_heatmap(gap_matrix(sets)).axes[0].get_title()
    assert heatmap.startswith("Pairwise gaps between 1 proposal, "), heatmap
    grid_title = relation_grid(build_grid(sets)).axes[0].get_title()
    assert grid_title.startswith("1 proposal, 1 issue: "), grid_title
