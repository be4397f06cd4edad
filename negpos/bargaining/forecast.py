"""Compromise forecast: where the parties' positions, weighted by power and care, settle.

Per issue on a scale (ordinal places, figures, yes = 1 / no = 0), each party stands at its
ideal option (the one it values most; the middle of several it values equally) with weight
capability × salience. The weighted median is the median-voter position: the place that
minimises the weighted distance to all parties (``low``/``high`` when a whole interval does).
The weighted mean is the compromise model's prediction. Issues with no scale (categorical)
get the weighted plurality instead. The same rules read a stakeholder table (party,
position, capability, salience) in the layout of the expected-utility literature.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from negpos.bargaining.domain import Domain
from negpos.bargaining.errors import ProfileFileError
from negpos.errors import Problem

__all__ = [
    "ForecastRow",
    "Stakeholder",
    "forecast",
    "forecast_stakeholders",
    "load_stakeholders",
    "weighted_mean",
    "weighted_median",
]


@dataclass(frozen=True, slots=True)
class WeightedMedian:
    low: float
    high: float

    @property
    def tied(self) -> bool:
        return self.low != self.high


def weighted_median(positions: np.ndarray, weights: np.ndarray) -> WeightedMedian:
    """The positions minimising sum(weight × |x − position|): one, or the two ends of a tie."""
    order = np.argsort(positions, kind="stable")
    places, mass = positions[order], weights[order]
    total = mass.sum()
    if total <= 0:
        raise ValueError("the weights sum to zero")
    below = np.cumsum(mass)
    half, slack = total / 2, 1e-12 * total
    low = int(np.searchsorted(below, half - slack, side="left"))
    high = min(int(np.searchsorted(below, half + slack, side="right")), len(places) - 1)
    return WeightedMedian(float(places[low]), float(places[max(low, high)]))


def ideal_places(utilities: np.ndarray, scale: np.ndarray) -> np.ndarray:
    """Each party's place (rows of ``utilities``, parties × options): its best option, or the
    middle of its best options when it values several equally."""
    best = utilities >= utilities.max(axis=1, keepdims=True) - 1e-12
    low = np.where(best, scale, np.inf).min(axis=1)
    high = np.where(best, scale, -np.inf).max(axis=1)
    return np.asarray((low + high) / 2)


def weighted_mean(positions: np.ndarray, weights: np.ndarray) -> float:
    total = weights.sum()
    if total <= 0:
        raise ValueError("the weights sum to zero")
    return float((positions * weights).sum() / total)


@dataclass(frozen=True, slots=True)
class ForecastRow:
    """One issue's forecast."""

    key: str
    label: str
    positions: tuple[tuple[str, float | str, float], ...]  # party, position, weight
    median: WeightedMedian | None
    mean: float | None
    plurality: str | None  # issues with no scale
    median_text: str
    mean_text: str
    capabilities_given: bool


def forecast(domain: Domain) -> tuple[ForecastRow, ...]:
    """The forecast on each issue in scope, from the domain's profiles."""
    given = domain.capabilities_given
    capabilities = np.array(
        [p.capability.value if p.capability is not None and given else 1.0 for p in domain.parties]
    )
    saliences = np.stack([p.weight_vector() for p in domain.parties])
    rows = []
    for i, issue in enumerate(domain.issues):
        utilities = domain.unweighted_utilities(i)
        ideals = utilities.argmax(axis=1)  # categorical issues: the first of equal bests
        weights = capabilities * saliences[:, i]
        scale = issue.scale_positions()
        ids = domain.party_ids
        if weights.sum() <= 0:
            rows.append(
                ForecastRow(
                    issue.key,
                    issue.label,
                    tuple(
                        (ids[p], issue.option_label(int(ideals[p])), 0.0) for p in range(len(ids))
                    ),
                    None,
                    None,
                    None,
                    "no forecast: every capability × salience is 0",
                    "no forecast",
                    given,
                )
            )
            continue
        if scale is None:
            votes: dict[int, float] = {}
            for ideal, weight in zip(ideals, weights, strict=True):
                votes[int(ideal)] = votes.get(int(ideal), 0.0) + float(weight)
            best = min(votes, key=lambda o: (-votes[o], o))
            rows.append(
                ForecastRow(
                    issue.key,
                    issue.label,
                    tuple(
                        (ids[p], issue.option_label(int(ideals[p])), float(weights[p]))
                        for p in range(len(ids))
                    ),
                    None,
                    None,
                    issue.option_label(best),
                    "no scale: plurality " + issue.option_label(best),
                    "no scale",
                    given,
                )
            )
            continue
        places = ideal_places(utilities, scale)
        median = weighted_median(places, weights)
        mean = weighted_mean(places, weights)
        rows.append(
            ForecastRow(
                issue.key,
                issue.label,
                tuple((ids[p], float(places[p]), float(weights[p])) for p in range(len(ids))),
                median,
                mean,
                None,
                _place_text(domain, i, median.low)
                + (f" to {_place_text(domain, i, median.high)}" if median.tied else ""),
                _place_text(domain, i, mean),
                given,
            )
        )
    return tuple(rows)


def _place_text(domain: Domain, index: int, place: float) -> str:
    """A place on the scale in the issue's words: the option there, or the nearest ones."""
    issue = domain.issues[index]
    scale = issue.scale_positions()
    assert scale is not None
    exact = np.flatnonzero(np.isclose(scale, place))
    if exact.size:
        return issue.option_label(int(exact[0]))
    nearest = int(np.abs(scale - place).argmin())
    return f"{place:.3g} (nearest: {issue.option_label(nearest)})"


@dataclass(frozen=True, slots=True)
class Stakeholder:
    """One row of a stakeholder table."""

    issue: str
    party: str
    position: float
    capability: float
    salience: float


_COLUMNS = {
    "party": ("party", "actor", "stakeholder", "name"),
    "position": ("position",),
    "capability": ("capability", "power", "influence", "clout", "resources"),
    "salience": ("salience",),
    "issue": ("issue",),
}


def load_stakeholders(path: str | Path) -> tuple[Stakeholder, ...]:
    """Read a stakeholder CSV: columns party (or actor), position, capability (or power,
    influence, clout), salience, and optionally issue; problems with their lines."""
    file = Path(path)
    try:
        text = file.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        raise ProfileFileError([Problem(str(file), None, None, f"cannot read: {exc}")]) from None
    return parse_stakeholders(text, name=str(file))


def parse_stakeholders(text: str, *, name: str = "<stakeholders>") -> tuple[Stakeholder, ...]:
    """Rows of a stakeholder CSV; every problem at once, with its line."""
    reader = csv.reader(io.StringIO(text))
    header = [h.strip().lower() for h in next(reader, [])]
    columns, problems = _stakeholder_columns(header, name)
    if problems:
        raise ProfileFileError(problems)
    rows: list[Stakeholder] = []
    seen: dict[tuple[str, str], int] = {}
    for line, row in enumerate(reader, start=2):
        if not any(cell.strip() for cell in row):
            continue
        found = _stakeholder_row(row, columns, name, line, problems)
        if found is None:
            continue
        before = seen.setdefault((found.issue, found.party), line)
        if before != line:
            problems.append(
                Problem(
                    name, line, "party", f"{found.party!r} is given twice (first on line {before})"
                )
            )
            continue
        rows.append(found)
    if problems:
        raise ProfileFileError(problems)
    if not rows:
        raise ProfileFileError([Problem(name, None, None, "the table has no rows")])
    return tuple(rows)


def _stakeholder_columns(header: list[str], name: str) -> tuple[dict[str, int], list[Problem]]:
    columns: dict[str, int] = {}
    problems = []
    for field, names in _COLUMNS.items():
        found = [header.index(n) for n in names if n in header]
        if found:
            columns[field] = found[0]
        elif field != "issue":
            problems.append(Problem(name, 1, field, f"no column named {' or '.join(names)}"))
    return columns, problems


def _cell(row: list[str], column: int | None) -> str:
    return row[column].strip() if column is not None and column < len(row) else ""


def _stakeholder_row(
    row: list[str], columns: dict[str, int], name: str, line: int, problems: list[Problem]
) -> Stakeholder | None:
    values: dict[str, float] = {}
    for field in ("position", "capability", "salience"):
        cell = _cell(row, columns[field])
        try:
            value = float(cell)
        except ValueError:
            problems.append(Problem(name, line, field, f"expected a number, got {cell!r}"))
            continue
        if not np.isfinite(value):
            problems.append(Problem(name, line, field, f"expected a finite number, got {cell!r}"))
        elif field != "position" and value < 0:
            problems.append(Problem(name, line, field, f"expected 0 or more, got {cell!r}"))
        else:
            values[field] = value
    party = _cell(row, columns["party"])
    if not party:
        problems.append(Problem(name, line, "party", "expected a party name"))
    if len(values) < 3 or not party:
        return None
    issue = _cell(row, columns.get("issue")) or "(one issue)"
    return Stakeholder(issue, party, values["position"], values["capability"], values["salience"])


def forecast_stakeholders(
    stakeholders: Sequence[Stakeholder], *, name: str | None = None
) -> tuple[ForecastRow, ...]:
    """The forecast per issue of a stakeholder table (positions on the table's own scale)."""
    rows = []
    for issue in dict.fromkeys(s.issue for s in stakeholders):
        group = [s for s in stakeholders if s.issue == issue]
        places = np.array([s.position for s in group])
        weights = np.array([s.capability * s.salience for s in group])
        if weights.sum() <= 0:
            raise ProfileFileError(
                [Problem(name, None, issue, "every capability × salience is 0: no forecast")]
            )
        median = weighted_median(places, weights)
        mean = weighted_mean(places, weights)
        rows.append(
            ForecastRow(
                issue,
                issue,
                tuple((s.party, s.position, float(w)) for s, w in zip(group, weights, strict=True)),
                median,
                mean,
                None,
                f"{median.low:g}" + (f" to {median.high:g}" if median.tied else ""),
                f"{mean:.4g}",
                True,
            )
        )
    return tuple(rows)
