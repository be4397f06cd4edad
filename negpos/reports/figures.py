"""Figures for the ``plot`` extra: the gap heatmap, the relation grid, a party's gap over time.

matplotlib is optional and heavy, so it loads on first use (``import negpos`` stays light)
and every function raises ``MissingExtraError`` with the install command when it is absent.
Figures are built as ``matplotlib.figure.Figure`` objects with the Agg canvas, not through
pyplot: no GUI, no global figure registry, safe in servers and tests. Every label comes
from user files, so text is drawn with TeX off and ``$`` escaped: a label is never math.
Saved files are deterministic (fixed SVG hash salt, no dates or software stamps), so a
figure under version control changes only when its data does.
"""

from __future__ import annotations

import datetime as dt
import io
import math
import os
import re
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from negpos.engine.grid import BASELINE, SILENT, Grid
from negpos.engine.matrix import GapMatrix
from negpos.engine.timeline import Timeline
from negpos.errors import NegposError
from negpos.reports.escaping import plain_text
from negpos.reports.writing import write_atomically

if TYPE_CHECKING:
    from matplotlib.figure import Figure

__all__ = [
    "FIGURE_SUFFIXES",
    "RELATION_COLOURS",
    "MissingExtraError",
    "figure_bytes",
    "figure_svg",
    "gap_heatmap",
    "gap_over_time",
    "relation_grid",
    "save_figure",
]

FIGURE_SUFFIXES = (".png", ".svg")
MISSING_MATPLOTLIB = 'figures need matplotlib: pip install "negpos[plot]"'

# Relation of a grid cell to the baseline -> (colour, legend text). Okabe-Ito-like hues, so
# agree / partial / conflict stay apart for colour-blind readers; silence is near-white.
RELATION_COLOURS: dict[str, tuple[str, str]] = {
    "agree": ("#009e73", "agree"),
    "partial": ("#e69f00", "partial"),
    "conflict": ("#b2182b", "conflict"),
    "unclear": ("#f0e442", "unclear: a level stated on one side only"),
    "only_a": ("#cc79a7", "only_a: only the baseline addresses it"),
    "only_b": ("#56b4e9", "only_b: only this proposal addresses it"),
    SILENT: ("#f0f0f0", "silent: neither addresses it"),
    BASELINE: ("#7f7f7f", "baseline: the baseline's own stance"),
}

_SALT = "negpos"  # fixed SVG id salt: the same figure gives the same file
_LABEL_CHARS = 60  # longer issue labels are cut in the grid so the figure stays narrow
_NAME_CHARS = 32  # proposal labels and party ids, as column heads and point labels


class MissingExtraError(NegposError):
    """An optional dependency (an ``extra``) is not installed."""


def _require_matplotlib() -> None:
    """Import matplotlib or explain how to install it; the one place that knows the extra."""
    try:
        import matplotlib
        import matplotlib.figure  # noqa: F401
    except ImportError:
        raise MissingExtraError(MISSING_MATPLOTLIB) from None


@contextmanager
def _style(*, svg_text: bool = False) -> Iterator[None]:
    """rc settings every negpos figure is built and saved under: no TeX, fixed SVG ids, and
    (``svg_text``) SVG text as text rather than glyph outlines."""
    import matplotlib

    fonttype = "none" if svg_text else matplotlib.rcParams["svg.fonttype"]
    with matplotlib.rc_context(
        {"text.usetex": False, "svg.hashsalt": _SALT, "svg.fonttype": fonttype}
    ):
        yield


def _text(text: str) -> str:
    """User text for matplotlib: control characters dropped and ``$`` escaped, so it is
    never parsed as mathtext (``R&D 50% $x$`` stays literally that)."""
    return plain_text(text).replace("$", r"\$")


def _count(number: int, noun: str) -> str:
    return f"{number} {noun}" if number == 1 else f"{number} {noun}s"


def _short(text: str, limit: int = _LABEL_CHARS) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def _new_figure(width: float, height: float) -> Figure:
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    figure = Figure(figsize=(width, height), layout="constrained")
    FigureCanvasAgg(figure)  # attach the non-interactive canvas: no GUI backend is ever chosen
    return figure


# --------------------------------------------------------------------------- heatmap


def gap_heatmap(matrix: GapMatrix) -> Figure:
    """The pairwise gap matrix as a heatmap: 0 light, 1 dark, each cell annotated with its gap
    and, in brackets, the number of shared issues it rests on; blank where two proposals share
    no issue (or fewer than the matrix's ``min_shared``)."""
    _require_matplotlib()
    import matplotlib
    import numpy as np
    from matplotlib.colors import Normalize

    count = len(matrix.ids)
    side = min(max(4.5, 0.75 * count + 3.0), 30.0)
    with _style():
        figure = _new_figure(side + 1.2, side)
        ax = figure.add_subplot()
        cmap = matplotlib.colormaps["YlOrRd"].with_extremes(bad="white")
        norm = Normalize(vmin=0.0, vmax=1.0)
        values = np.ma.masked_invalid(np.asarray(matrix.gaps, dtype=float))
        # pcolormesh, not imshow: vector cells, so SVG output holds no embedded raster image
        # (an inline SVG in a page with a strict Content-Security-Policy must load nothing).
        edges = np.arange(count + 1) - 0.5
        mesh = ax.pcolormesh(edges, edges, values, cmap=cmap, norm=norm)
        ax.set_xlim(-0.5, max(count, 1) - 0.5)
        ax.set_ylim(max(count, 1) - 0.5, -0.5)  # first proposal at the top, as in the table
        ax.set_aspect("equal")
        if count == 0:
            ax.text(0, 0, "No proposals.", ha="center", va="center", usetex=False)
        labels = [_text(_short(label, 40)) for label in matrix.labels]
        ax.set_xticks(range(count), labels, rotation=35, ha="right", rotation_mode="anchor")
        ax.set_yticks(range(count), labels)
        ax.tick_params(length=0)
        for spine in ax.spines.values():
            spine.set_visible(False)
        if count <= 25:  # beyond that the numbers no longer fit their cells
            for i in range(count):
                for j in range(count):
                    gap = float(matrix.gaps[i, j])
                    if math.isnan(gap):
                        continue
                    red, green, blue, _ = cmap(norm(gap))
                    dark = 0.299 * red + 0.587 * green + 0.114 * blue < 0.5
                    ax.text(
                        j,
                        i,
                        f"{gap:.2f}\n({int(matrix.shared[i, j])})",
                        ha="center",
                        va="center",
                        fontsize=9 if count <= 10 else 7,
                        color="white" if dark else "black",
                        usetex=False,
                    )
        scope = "all issues" if matrix.category is None else f"the {matrix.category} issues"
        title = f"Pairwise gaps between {_count(count, 'proposal')}, over {scope}"
        ax.set_title(_text(title), usetex=False)
        bar = figure.colorbar(mesh, ax=ax, shrink=0.8)
        if bar.solids is not None:  # matplotlib rasterises long colour bars; keep it vector
            bar.solids.set_rasterized(False)
            bar.solids.set_edgecolor("face")
        bar.set_label(
            "Overall gap (0 = same stances, 1 = as far apart as possible); (n) = shared issues"
        )
        bar.set_ticks([0.0, 0.25, 0.5, 0.75, 1.0])
    return figure


# --------------------------------------------------------------------------- relation grid


def relation_grid(grid: Grid) -> Figure:
    """Issues (rows) × proposals (columns), each cell coloured by its relation to the baseline.

    The baseline's own column is grey where it takes a stance and blank where it is silent,
    so one can see at a glance what the baseline covers. The figure grows with the number of
    issues, so 60 or more stay readable.
    """
    _require_matplotlib()
    import numpy as np
    from matplotlib.colors import BoundaryNorm, ListedColormap
    from matplotlib.patches import Patch

    relations = list(RELATION_COLOURS)
    codes = {relation: index for index, relation in enumerate(relations)}
    rows, columns = len(grid.keys), len(grid.proposals)
    data = np.full((max(rows, 1), columns), codes[SILENT], dtype=float)
    for r, row in enumerate(grid.cells):
        for c, cell in enumerate(row):
            relation = cell.relation
            if relation == BASELINE and cell.position is None:
                relation = SILENT
            data[r, c] = codes.get(relation, codes[SILENT])
    issue_labels = [_text(_short(label)) for label in grid.labels]
    longest = max((len(label) for label in issue_labels), default=10)
    width = min(max(6.0, 0.065 * longest + 0.95 * columns + 2.2), 40.0)
    height = 2.6 + 0.2 * max(rows, 1)
    with _style():
        figure = _new_figure(width, height)
        ax = figure.add_subplot()
        cmap = ListedColormap([RELATION_COLOURS[r][0] for r in relations])
        norm = BoundaryNorm(np.arange(len(relations) + 1) - 0.5, len(relations))
        ax.pcolormesh(
            np.arange(columns + 1) - 0.5,
            np.arange(max(rows, 1) + 1) - 0.5,
            data,
            cmap=cmap,
            norm=norm,
            edgecolors="white",
            linewidth=0.6,
        )
        ax.set_xlim(-0.5, columns - 0.5)
        ax.set_ylim(max(rows, 1) - 0.5, -0.5)  # first issue at the top, as in the tables
        column_labels = [
            _text(_short(p.label, _NAME_CHARS))
            + ("\n(baseline)" if p.proposal_id == grid.baseline else "")
            for p in grid.proposals
        ]
        ax.xaxis.tick_top()
        ax.set_xticks(range(columns), column_labels, rotation=30, ha="left", rotation_mode="anchor")
        ax.set_yticks(range(rows), issue_labels, fontsize=8)
        ax.tick_params(length=0)
        for spine in ax.spines.values():
            spine.set_visible(False)
        if rows == 0:
            ax.text(
                (columns - 1) / 2,
                0,
                "No proposal addresses any issue.",
                ha="center",
                va="center",
                usetex=False,
            )
        # Category blocks: a rule between them and the category's name on the right.
        start = 0
        for index in range(1, rows + 1):
            if index < rows and grid.categories[index] == grid.categories[start]:
                continue
            if index < rows:
                ax.axhline(index - 0.5, color="#333333", linewidth=1.0)
            ax.text(
                columns - 0.5 + 0.08,
                (start + index - 1) / 2,
                _text(grid.categories[start].replace("_", " ")),
                ha="left",
                va="center",
                fontsize=8,
                color="#333333",
                usetex=False,
            )
            start = index
        base = next((p for p in grid.proposals if p.proposal_id == grid.baseline), None)
        base_label = _short(base.label if base is not None else grid.baseline, _NAME_CHARS)
        ax.set_title(
            _text(
                f"{_count(columns, 'proposal')}, {_count(rows, 'issue')}: "
                f"each stance related to {base_label}"
            ),
            usetex=False,
            pad=12,
        )
        handles = [
            Patch(facecolor=colour, edgecolor="#999999", label=text)
            for colour, text in RELATION_COLOURS.values()
        ]
        figure.legend(
            handles=handles,
            loc="outside lower center",
            ncols=2 if width < 9 else 3,
            fontsize=8,
            frameon=False,
        )
    return figure


# --------------------------------------------------------------------------- timeline


def gap_over_time(timeline: Timeline) -> Figure:
    """A party's overall gap to the reference party at each of its proposals' dates.

    Each point is labelled with its proposal and the reference proposal it is measured
    against (the reference's latest on or before that date). Without a reference party the
    figure says so instead of plotting nothing.
    """
    _require_matplotlib()
    import matplotlib.dates

    mdates: Any = matplotlib.dates  # untyped upstream

    points = timeline.gaps
    with _style():
        figure = _new_figure(8.0, 4.6)
        ax = figure.add_subplot()
        subject = _short(timeline.subject, _NAME_CHARS)
        party = timeline.reference_party
        reference = None if party is None else _short(party, _NAME_CHARS)
        title = (
            f"Overall gap of {subject}'s proposals to {reference}'s over time"
            if reference
            else f"Timeline of {subject}: no reference party, so no gap to plot"
        )
        ax.set_title(_text(title), usetex=False)
        ax.set_ylabel(_text(f"Overall gap to {reference or 'the reference'} (0–1)"), usetex=False)
        ax.set_ylim(-0.05, 1.12)
        ax.set_yticks([0.0, 0.2, 0.4, 0.6, 0.8, 1.0])
        ax.grid(axis="y", color="#dddddd", linewidth=0.8)
        ax.set_axisbelow(True)
        dates = [p.proposal.date for p in points] or [p.date for p in timeline.track]
        if dates:
            margin = dt.timedelta(days=max(30, (max(dates) - min(dates)).days // 8))
            ax.set_xlim(
                float(mdates.date2num(min(dates) - margin)),
                float(mdates.date2num(max(dates) + margin)),
            )
        locator = mdates.AutoDateLocator(minticks=3, maxticks=8)
        ax.xaxis.set_major_locator(locator)
        ax.xaxis.set_major_formatter(mdates.ConciseDateFormatter(locator))
        if not points:
            ax.text(
                0.5,
                0.5,
                "Give a reference party to measure the gap over time.",
                transform=ax.transAxes,
                ha="center",
                va="center",
                color="#555555",
                usetex=False,
            )
        xs = [float(mdates.date2num(p.proposal.date)) for p in points]
        ys = [math.nan if p.gap is None else p.gap for p in points]
        ax.plot(xs, ys, color="#0072b2", marker="o", linewidth=2, markersize=7)
        for x, point in zip(xs, points, strict=True):
            gap = point.gap
            label = (
                f"{_short(point.proposal.label, _NAME_CHARS)}\n"
                f"vs. {_short(point.reference.label, _NAME_CHARS)}"
            )
            if gap is None:
                ax.plot([x], [0.0], marker="x", color="#888888", markersize=7)
                label += "\n(no shared issue)"
            y = 0.0 if gap is None else gap
            above = y <= 0.8
            ax.annotate(
                _text(label + ("" if gap is None else f"\ngap {gap:.2f}")),
                xy=(x, y),
                xytext=(0, 10 if above else -12),
                textcoords="offset points",
                ha="center",
                va="bottom" if above else "top",
                fontsize=8,
                usetex=False,
            )
        ax.set_xlabel("Date of the proposal")
    return figure


# --------------------------------------------------------------------------- output


def figure_bytes(figure: Figure, fmt: Literal["png", "svg"], *, dpi: int = 150) -> bytes:
    """A figure as PNG or SVG bytes, byte-identical for identical figures: no TeX, fixed SVG
    ids, no dates or software stamps. ``save_figure`` writes exactly these bytes; use this to
    write them elsewhere (with ``negpos.reports.writing.write_atomically``, say)."""
    if fmt not in ("png", "svg"):
        raise ValueError(f"cannot render a figure as {fmt!r}: use 'png' or 'svg'")
    _require_matplotlib()
    buffer = io.BytesIO()
    with _style():
        if fmt == "svg":
            figure.savefig(buffer, format="svg", metadata={"Date": None})
        else:
            figure.savefig(buffer, format="png", dpi=dpi, metadata={"Software": None})
    return buffer.getvalue()


def save_figure(figure: Figure, path: str | os.PathLike[str], *, dpi: int = 150) -> Path:
    """Write a figure as PNG or SVG (by the suffix), byte-identical for identical figures.

    The file is written atomically (``write_atomically``): a failed write leaves the old
    file as it was and raises an ``OSError`` naming ``path``.
    """
    target = Path(path)
    suffix = target.suffix.lower()
    if suffix not in FIGURE_SUFFIXES:
        shown = repr(target.suffix) if target.suffix else "no suffix"
        raise ValueError(
            f"cannot save a figure as {shown}: use one of {', '.join(FIGURE_SUFFIXES)}"
        )
    write_atomically(target, figure_bytes(figure, "svg" if suffix == ".svg" else "png", dpi=dpi))
    return target


_TAG = re.compile(r"<[^>]+>")
_ID = re.compile(r'(\sid=")([^"]+)(")')
_REFERENCE = re.compile(r'((?:xlink:)?href="#|url\(#)([^")]+)')


def figure_svg(figure: Figure, *, id_prefix: str = "negpos") -> str:
    """The figure as an ``<svg>`` element for an HTML page: no XML prologue or DOCTYPE, text
    as text (small, selectable, no font glyphs to fetch), and every id prefixed with
    ``id_prefix`` so several figures on one page do not share ids."""
    _require_matplotlib()
    buffer = io.StringIO()
    with _style(svg_text=True):
        figure.savefig(
            buffer,
            format="svg",
            metadata={"Date": None, "Creator": None, "Format": None, "Type": None},
        )
    svg = buffer.getvalue()
    svg = svg[svg.index("<svg") :]
    prefix = re.sub(r"[^A-Za-z0-9_-]", "-", id_prefix) or "negpos"

    def retag(match: re.Match[str]) -> str:
        # Markup only: matplotlib escapes < and > in text and attribute values, so a user's
        # label can never look like a tag here and is never rewritten.
        tag = _ID.sub(lambda m: f"{m[1]}{prefix}-{m[2]}{m[3]}", match[0])
        return _REFERENCE.sub(lambda m: f"{m[1]}{prefix}-{m[2]}", tag)

    return _TAG.sub(retag, svg).strip() + "\n"
