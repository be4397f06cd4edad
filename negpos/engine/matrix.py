"""The pairwise gap matrix of a corpus, vectorised issue by issue.

For N proposals, ``compare`` on every pair is N² Python-level comparisons. Here each issue
is one pass of array arithmetic over all N² pairs at once, using the same formulas as
``negpos.engine.rules.gap_between`` (tests check the two agree on random pairs), so the
whole matrix costs O(K·N²) vector operations and O(N² + N·K) memory.

The overall gap of a pair is the salience-weighted mean of the gaps of the issues both
address, exactly as in a two-proposal comparison; pairs sharing no issue get NaN. Plain
values take the vectorised formulas; open lists, exclusions, unstated levels and mixed
bounds are judged once per pair of distinct values by the scalar rule itself; a proposal
offering alternatives on an issue is judged pair by pair, taking the closest alternative as
``compare`` does. ``shared`` counts the issues each cell rests on, ``unclear`` the issues
both address but one states no level of.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np
import numpy.typing as npt

from negpos.codebook import IssueDefinition, IssueKind
from negpos.engine.diff import DEFAULT_SALIENCE, Weighting, closest, issue_weight
from negpos.engine.rules import PERCENT, Relation, judge_values, words
from negpos.errors import ComparisonError
from negpos.positions import Position, PositionSet

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["GapMatrix", "gap_matrix"]

FloatArray = npt.NDArray[np.float64]


@dataclass(frozen=True, eq=False)
class GapMatrix:
    """Overall gaps between every pair of proposals (NaN where they share no issue)."""

    ids: tuple[str, ...]
    labels: tuple[str, ...]
    gaps: FloatArray
    shared: npt.NDArray[np.int64]
    category: str | None = None
    unclear: npt.NDArray[np.int64] | None = None
    weighting: Weighting = "issue"
    min_shared: int = 0

    def gap(self, a: str, b: str) -> float | None:
        """The overall gap between two proposals, by id; None if they share no issue (or
        fewer than ``min_shared``)."""
        value = float(self.gaps[self.ids.index(a), self.ids.index(b)])
        return None if np.isnan(value) else value

    def shared_issues(self, a: str, b: str) -> int:
        """How many issues with a gap the cell rests on."""
        return int(self.shared[self.ids.index(a), self.ids.index(b)])

    def unclear_issues(self, a: str, b: str) -> int:
        """How many issues both address where one states no level (not in the gap)."""
        if self.unclear is None:
            return 0
        return int(self.unclear[self.ids.index(a), self.ids.index(b)])

    def to_frame(self) -> pd.DataFrame:
        """The matrix as a DataFrame indexed and headed by proposal labels."""
        import pandas as pd

        frame = pd.DataFrame(self.gaps, index=list(self.labels), columns=list(self.labels))
        frame.attrs["ids"] = list(self.ids)
        frame.attrs["category"] = self.category
        frame.attrs["shared_issues"] = self.shared.tolist()  # what each cell rests on
        frame.attrs["unclear_issues"] = None if self.unclear is None else self.unclear.tolist()
        frame.attrs["weighting"] = self.weighting
        return frame


def gap_matrix(
    position_sets: Sequence[PositionSet],
    *,
    category: str | None = None,
    weighting: Weighting = "issue",
    min_shared: int = 0,
) -> GapMatrix:
    """Pairwise overall gaps of all proposals, over every issue or one category's.

    ``weighting="category"`` makes each category count equally, as
    ``DiffSummary.category_weighted_gap`` does; ``min_shared`` blanks (NaN) cells resting on
    fewer shared issues.
    """
    if category is not None:
        known = {c for s in position_sets for c in s.codebook.category_order}
        if category not in known:
            raise ComparisonError(
                f"unknown category {category}; categories: {', '.join(sorted(known))}"
            )
    if weighting not in ("issue", "category"):
        raise ComparisonError(f"unknown weighting {weighting!r}; use 'issue' or 'category'")
    count = len(position_sets)
    weighted = np.zeros((count, count))
    weights = np.zeros((count, count))
    shared = np.zeros((count, count), dtype=np.int64)
    unclear = np.zeros((count, count), dtype=np.int64)
    by_category = _CategoryMeans(count) if weighting == "category" else None
    current_category: str | None = None
    for key, definition in _issues(position_sets, category):
        if by_category is not None and definition.category != current_category:
            by_category.close(weighted, weights)
            current_category = definition.category
        gaps, weight, valid, unclear_pairs = _issue_terms(key, definition, position_sets)
        gaps *= weight
        weighted += gaps
        weights += weight
        shared += valid
        unclear += unclear_pairs
    if by_category is not None:
        by_category.close(weighted, weights)
        overall = by_category.means()
    else:
        with np.errstate(invalid="ignore", divide="ignore"):
            overall = np.where(shared > 0, weighted / np.where(weights > 0, weights, 1.0), np.nan)
        overall[(shared > 0) & (weights == 0)] = np.nan  # every shared issue had salience 0
    if min_shared > 0:
        overall[shared < min_shared] = np.nan
    return GapMatrix(
        ids=tuple(s.proposal_id for s in position_sets),
        labels=tuple(s.label for s in position_sets),
        gaps=overall,
        shared=shared,
        category=category,
        unclear=unclear,
        weighting=weighting,
        min_shared=min_shared,
    )


class _CategoryMeans:
    """Per-category weighted means, summed category by category (issues come grouped)."""

    def __init__(self, count: int) -> None:
        self.total = np.zeros((count, count))
        self.categories = np.zeros((count, count))

    def close(self, weighted: FloatArray, weights: FloatArray) -> None:
        """Fold the category just summed into the totals, then start the next from zero."""
        with np.errstate(invalid="ignore", divide="ignore"):
            mean = np.where(weights > 0, weighted / np.where(weights > 0, weights, 1.0), 0.0)
        self.total += mean
        self.categories += weights > 0
        weighted[...] = 0.0
        weights[...] = 0.0

    def means(self) -> FloatArray:
        with np.errstate(invalid="ignore", divide="ignore"):
            result: FloatArray = np.where(
                self.categories > 0,
                self.total / np.where(self.categories > 0, self.categories, 1),
                np.nan,
            )
        return result


def _issue_terms(
    key: str, definition: IssueDefinition, position_sets: Sequence[PositionSet]
) -> tuple[FloatArray, FloatArray, npt.NDArray[np.bool_], npt.NDArray[np.bool_]]:
    """One issue's N×N gaps and weights, where each pair has a gap, and which pairs are
    unclear (both address it, one states no level)."""
    count = len(position_sets)
    present = np.zeros(count, dtype=bool)
    salience = np.full(count, DEFAULT_SALIENCE)
    positions: list[Position | None] = []
    several: list[int] = []
    for index, positions_of_one in enumerate(position_sets):
        candidates = positions_of_one.candidates(key)
        position = candidates[0] if candidates else None
        positions.append(position)
        if position is not None:
            present[index] = True
            if position.salience is not None:
                salience[index] = position.salience
        if len(candidates) > 1:
            several.append(index)
    both = np.logical_and.outer(present, present)
    gaps, unclear = _issue_gaps(definition, positions)
    weight = np.add.outer(salience, salience)
    weight *= 0.5
    for index in several:  # alternatives: the closest pair, judged as compare judges it
        _closest_pairs(key, index, position_sets, present, gaps, weight, unclear)
    valid = both & ~np.isnan(gaps)
    gaps[~valid] = 0.0
    weight *= valid
    return gaps, weight, valid, both & unclear


def _closest_pairs(
    key: str,
    index: int,
    position_sets: Sequence[PositionSet],
    present: npt.NDArray[np.bool_],
    gaps: FloatArray,
    weight: FloatArray,
    unclear: npt.NDArray[np.bool_],
) -> None:
    mine = position_sets[index]
    for other in np.flatnonzero(present).tolist():
        theirs = position_sets[other]
        for row, column, a, b in ((index, other, mine, theirs), (other, index, theirs, mine)):
            left, right, judgement = closest(key, a.candidates(key), b.candidates(key), a, b)
            gaps[row, column] = np.nan if judgement.gap is None else judgement.gap
            weight[row, column] = issue_weight(left, right)
            unclear[row, column] = judgement.relation is Relation.UNCLEAR


def _issues(
    position_sets: Sequence[PositionSet], category: str | None
) -> list[tuple[str, IssueDefinition]]:
    """Issues in the order a comparison sums them, so both give the same floats."""
    found: dict[str, Position] = {}
    for positions in position_sets:
        for position in positions.all_positions():
            key = position.key
            if category is not None and position.category != category:
                continue
            known = found.setdefault(key, position)
            if (
                known.definition is not position.definition
                and known.definition != position.definition
            ):
                raise ComparisonError(f"{key!r} is defined differently across the corpus")
    ordered = sorted(found.items(), key=lambda item: (item[1].order, item[0]))
    return [(key, position.definition) for key, position in ordered]


def _issue_gaps(
    definition: IssueDefinition, positions: list[Position | None]
) -> tuple[FloatArray, npt.NDArray[np.bool_]]:
    """The N×N gaps of one issue (NaN where a pair has no gap: a level not stated) and which
    pairs are unclear; entries where a side is silent are weighted out by the caller."""
    if not _plain(definition, positions):
        return _table_gaps(definition, positions)
    count = len(positions)
    return _plain_gaps(definition, positions), np.zeros((count, count), dtype=bool)


def _plain_gaps(definition: IssueDefinition, positions: list[Position | None]) -> FloatArray:
    """The vectorised formulas, for plain values."""
    kind = definition.kind
    if kind == IssueKind.ORDINAL:
        places = np.array(
            [definition.place(str(p.value)) if p is not None else 0.0 for p in positions],
            dtype=float,
        )
        gaps: FloatArray = np.abs(np.subtract.outer(places, places))
        span = definition.scale_span
        return gaps / span if span else np.zeros_like(gaps)
    if kind in (IssueKind.CATEGORICAL, IssueKind.BOOLEAN):
        codes = _codes([p.value if p is not None else None for p in positions])
        return np.not_equal.outer(codes, codes).astype(float)
    if kind == IssueKind.NUMBER:
        return _number_gaps(definition, positions)
    if kind == IssueKind.SET:
        items = [
            p.value if p is not None and isinstance(p.value, frozenset) else frozenset()
            for p in positions
        ]
        return _set_gaps(items, definition.universal)
    texts = [str(p.value) if p is not None else "" for p in positions]
    return _text_gaps(texts)


def _plain(definition: IssueDefinition, positions: list[Position | None]) -> bool:
    """True when every stance is a plain value the vectorised formulas cover."""
    stated = [p for p in positions if p is not None]
    if definition.kind == IssueKind.NUMBER:
        return (
            all(isinstance(p.value, float) for p in stated)
            and len({p.bound for p in stated}) <= 1
            and not any(p.unit == PERCENT for p in stated)
            and _no_overflow(definition, stated)
        )
    if definition.kind == IssueKind.SET:
        return all(isinstance(p.value, frozenset) for p in stated)
    return all(isinstance(p.value, str | bool) for p in stated)


def _no_overflow(definition: IssueDefinition, stated: list[Position]) -> bool:
    """True when no difference of two figures, nor the issue's range, overflows a float.

    Near ±1e308 a difference is infinite and the vectorised quotient turns NaN (a blank cell
    and a NumPy warning) where the scalar rule, one pair at a time, gives a number: such
    issues are judged by the scalar rule itself, so the matrix stays equal to ``compare``.
    """
    largest = max((abs(float(p.value)) for p in stated if isinstance(p.value, float)), default=0.0)
    if not math.isfinite(2.0 * largest):  # |a - b| <= 2 max(|a|, |b|)
        return False
    span = definition.range
    return (
        span is None or span.min is None or span.max is None or math.isfinite(span.max - span.min)
    )


def _table_gaps(
    definition: IssueDefinition, positions: list[Position | None]
) -> tuple[FloatArray, npt.NDArray[np.bool_]]:
    """Gaps from the scalar rule, once per pair of distinct (value, unit, bound), gathered."""
    signatures = [(p.value, p.unit, p.bound) if p is not None else None for p in positions]
    distinct = list(dict.fromkeys(s for s in signatures if s is not None))
    index = {signature: i for i, signature in enumerate(distinct)}
    table = np.zeros((len(distinct) + 1, len(distinct) + 1))
    unclear = np.zeros_like(table, dtype=bool)
    for i, (value_a, unit_a, bound_a) in enumerate(distinct):
        for j, (value_b, unit_b, bound_b) in enumerate(distinct):
            judged = judge_values(definition, value_a, value_b, unit_a, unit_b, bound_a, bound_b)
            table[i, j] = np.nan if judged.gap is None else judged.gap
            unclear[i, j] = judged.relation is Relation.UNCLEAR
    codes = np.array([len(distinct) if s is None else index[s] for s in signatures], dtype=np.int64)
    cells = np.ix_(codes, codes)
    gathered: FloatArray = table[cells]
    return gathered, unclear[cells]


def _codes(values: list[object]) -> npt.NDArray[np.int64]:
    table: dict[object, int] = {}
    return np.array([table.setdefault(v, len(table)) for v in values], dtype=np.int64)


def _number_gaps(definition: IssueDefinition, positions: list[Position | None]) -> FloatArray:
    values = np.array(
        [float(p.value) if p is not None and isinstance(p.value, float) else 0.0 for p in positions]
    )
    units = _codes([p.unit if p is not None else None for p in positions])
    difference: FloatArray = np.abs(np.subtract.outer(values, values))  # finite: see _plain
    gaps: FloatArray
    span = definition.range
    if span is not None and span.min is not None and span.max is not None:
        gaps = np.minimum(1.0, difference / (span.max - span.min))
    else:
        magnitude = np.abs(values)
        larger = np.maximum.outer(magnitude, magnitude)
        with np.errstate(invalid="ignore", divide="ignore"):
            gaps = np.minimum(1.0, np.where(larger > 0, difference / larger, 0.0))
    gaps[difference == 0] = 0.0
    gaps[np.not_equal.outer(units, units)] = 1.0
    return gaps


def _set_gaps(items: list[frozenset[str]], universal: str | None) -> FloatArray:
    """1 - Jaccard, with a universal item standing for 'the other side's items and everyone else'."""
    everyone = np.array([universal is not None and universal in s for s in items])
    named = [frozenset() if is_all else s for s, is_all in zip(items, everyone, strict=True)]
    vocabulary = sorted(set().union(*named)) if named else []
    column = {item: index for index, item in enumerate(vocabulary)}
    membership = np.zeros((len(items), max(len(vocabulary), 1)))
    for row, members in enumerate(named):
        for item in members:
            membership[row, column[item]] = 1.0
    inter = membership @ membership.T
    sizes = membership.sum(axis=1)
    union = np.add.outer(sizes, sizes) - inter
    with np.errstate(invalid="ignore", divide="ignore"):
        gaps = np.where(union > 0, 1.0 - inter / np.where(union > 0, union, 1.0), 0.0)
    # One side is everyone: it expands to the other's |S| items plus one for everyone else.
    one_sided = 1.0 - sizes / (sizes + 1.0)  # the same float as rules.gap_between
    gaps = np.where(everyone[:, None] & ~everyone[None, :], one_sided[None, :], gaps)
    gaps = np.where(~everyone[:, None] & everyone[None, :], one_sided[:, None], gaps)
    return np.where(everyone[:, None] & everyone[None, :], 0.0, gaps)


def _text_gaps(texts: list[str]) -> FloatArray:
    """1 - Jaccard of word sets, computed once per distinct text and gathered."""
    distinct = sorted(set(texts))
    index = {text: i for i, text in enumerate(distinct)}
    table = _set_gaps([words(text) for text in distinct], None)
    codes = np.array([index[text] for text in texts], dtype=np.int64)
    return table[np.ix_(codes, codes)]
