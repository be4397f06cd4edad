"""Figures of the bargaining answers (the ``plot`` extra): the utility plane and the forecast.

Built like every negpos figure (``figures.py``): the Agg canvas, no TeX, user text escaped,
deterministic files. Inferred or derived profiles are said in the figure itself, so a
figure cut out of a report still carries the warning.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from negpos.bargaining import Bargaining, Concept
from negpos.reports.figures import _new_figure, _require_matplotlib, _short, _style, _text

if TYPE_CHECKING:
    from matplotlib.figure import Figure

__all__ = ["forecast_bars", "utility_plane"]

_POINTS_DRAWN = 20_000  # more packages are thinned evenly for the scatter (never the frontier)
_MARKERS = {
    Concept.NASH: ("*", "#b2182b"),
    Concept.KALAI_SMORODINSKY: ("D", "#0072b2"),
    Concept.UTILITARIAN: ("^", "#009e73"),
    Concept.EGALITARIAN: ("v", "#e69f00"),
}


def _caveat(result: Bargaining) -> str | None:
    if result.domain.derived:
        return "Profiles derived from the proposals: every number is the coder's inference."
    if any(p.basis == "inferred" for p in result.domain.parties):
        return "Profiles inferred by the analyst, not stated by the parties."
    return None


def utility_plane(result: Bargaining) -> Figure:
    """Every package by the first two parties' utilities, the frontier joined, the solutions
    and the proposals marked, and each party's walk-away line."""
    _require_matplotlib()
    domain = result.domain
    first, second = domain.parties[0], domain.parties[1]
    utilities = result.utilities
    with _style():
        figure = _new_figure(7.0, 6.0)
        ax = figure.add_subplot()
        step = max(1, len(utilities) // _POINTS_DRAWN)
        ax.scatter(
            utilities[::step, 0], utilities[::step, 1], s=6, color="#bbbbbb", label="packages"
        )
        frontier = utilities[result.frontier]
        order = np.argsort(frontier[:, 0])
        ax.plot(
            frontier[order, 0],
            frontier[order, 1],
            "-o",
            color="#444444",
            markersize=3,
            label="Pareto frontier",
        )
        for concept, solution in result.solutions.items():
            if solution.package is None:
                continue
            marker, colour = _MARKERS[concept]
            u = utilities[solution.package]
            ax.scatter(
                [u[0]],
                [u[1]],
                marker=marker,
                s=140,
                color=colour,
                zorder=5,
                label=_text(concept.label),
            )
        for placed in result.placed:
            if placed.utilities is None:
                continue
            ax.scatter(
                [placed.utilities[0]],
                [placed.utilities[1]],
                marker="s",
                s=60,
                facecolors="none",
                edgecolors="black",
                zorder=6,
            )
            ax.annotate(
                _text(_short(placed.label, 32)),
                (placed.utilities[0], placed.utilities[1]),
                xytext=(5, 5),
                textcoords="offset points",
                fontsize=8,
            )
        ax.axvline(first.reservation.value, color="#999999", linestyle=":", linewidth=1)
        ax.axhline(second.reservation.value, color="#999999", linestyle=":", linewidth=1)
        ax.set_xlabel(_text(f"{_short(first.name, 32)}: utility"))
        ax.set_ylabel(_text(f"{_short(second.name, 32)}: utility"))
        notes = []
        if len(domain.parties) > 2:
            notes.append(f"First two of {len(domain.parties)} parties shown.")
        caveat = _caveat(result)
        if caveat:
            notes.append(caveat)
        title = _short(domain.title, 70) + ("\n" + " ".join(notes) if notes else "")
        ax.set_title(_text(title), fontsize=10)
        ax.legend(loc="lower left", fontsize=8)
    return figure


def forecast_bars(result: Bargaining) -> Figure:
    """Per issue on a scale: the weighted median and mean as a share of the scale, with the
    sensitivity run's 5–95 % spread of the mean where there was one."""
    _require_matplotlib()
    rows = [(i, r) for i, r in enumerate(result.forecast) if r.mean is not None]
    with _style():
        figure = _new_figure(7.5, 0.6 * max(len(rows), 1) + 1.6)
        ax = figure.add_subplot()
        labels = []
        for y, (index, row) in enumerate(rows):
            scale = result.domain.issues[index].scale_positions()
            assert scale is not None
            assert row.median is not None
            assert row.mean is not None
            low, high = float(scale.min()), float(scale.max())
            span = high - low or 1.0
            ax.barh(y, (row.mean - low) / span, color="#56b4e9", height=0.5)
            ax.plot([(row.median.low - low) / span], [y], "k|", markersize=18)
            run = result.sensitivity
            spread = run.forecast_mean[index] if run is not None else None
            if spread is not None:
                ax.plot(
                    [(spread.low - low) / span, (spread.high - low) / span],
                    [y, y],
                    color="black",
                    linewidth=2,
                )
            labels.append(_text(_short(row.label, 40)))
        ax.set_yticks(range(len(rows)), labels)
        ax.set_xlim(0, 1)
        ax.set_xlabel("place on the issue's scale (0 = one end, 1 = the other)")
        caveat = _caveat(result)
        title = "Compromise forecast: bar = weighted mean, | = weighted median"
        ax.set_title(_text(title + (f"\n{caveat}" if caveat else "")), fontsize=10)
    return figure
