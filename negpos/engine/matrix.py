"""The pairwise gap matrix of a corpus, vectorised issue by issue.

For N proposals, ``compare`` on every pair is N² Python-level comparisons. Here each issue
is one pass of array arithmetic over all N² pairs at once, using the same formulas as
``negpos.engine.rules.gap_between`` (tests check the two agree on random pairs), so the
whole matrix costs O(K·N²) vector operations and O(N² + N·K) memory.

The overall gap of a pair is the salience-weighted mean of the gaps of the issues both
address, exactly as in a two-proposal comparison; pairs sharing no issue get NaN.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np
import numpy.typing as npt

from negpos.codebook import IssueDefinition, IssueKind
from negpos.engine.diff import DEFAULT_SALIENCE
from negpos.errors import ComparisonError
from negpos.positions import Position, PositionSet

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["GapMatrix", "gap_matrix"]

FloatArray = npt.NDArray[np.float64]
_WORD = re.compile(r"\w+")


@dataclass(frozen=True, eq=False)
class GapMatrix:
    """Overall gaps between every pair of proposals (NaN where they share no issue)."""

    ids: tuple[str, ...]
    labels: tuple[str, ...]
    gaps: FloatArray
    shared: npt.NDArray[np.int64]
    category: str | None = None

    def gap(self, a: str, b: str) -> float | None:
        """The overall gap between two proposals, by id; None if they share no issue."""
        value = float(self.gaps[self.ids.index(a), self.ids.index(b)])
        return None if np.isnan(value) else value

    def to_frame(self) -> pd.DataFrame:
        """The matrix as a DataFrame indexed and headed by proposal labels."""
        import pandas as pd

        frame = pd.DataFrame(self.gaps, index=list(self.labels), columns=list(self.labels))
        frame.attrs["ids"] = list(self.ids)
        frame.attrs["category"] = self.category
        return frame


def gap_matrix(position_sets: Sequence[PositionSet], *, category: str | None = None) -> GapMatrix:
    """Pairwise overall gaps of all proposals, over every issue or one category's."""
    if category is not None:
        known = {c for s in position_sets for c in s.codebook.category_order}
        if category not in known:
            raise ComparisonError(
                f"unknown category {category}; categories: {', '.join(sorted(known))}"
            )
    count = len(position_sets)
    weighted = np.zeros((count, count))
    weights = np.zeros((count, count))
    shared = np.zeros((count, count), dtype=np.int64)
    for key, definition in _issues(position_sets, category):
        present = np.zeros(count, dtype=bool)
        salience = np.full(count, DEFAULT_SALIENCE)
        positions: list[Position | None] = []
        for index, positions_of_one in enumerate(position_sets):
            position = positions_of_one.get(key)
            positions.append(position)
            if position is not None:
                present[index] = True
                if position.salience is not None:
                    salience[index] = position.salience
        both = np.logical_and.outer(present, present)
        gaps = _issue_gaps(definition, positions)
        weight = np.add.outer(salience, salience)
        weight *= 0.5
        weight *= both
        gaps *= weight
        weighted += gaps
        weights += weight
        shared += both
    with np.errstate(invalid="ignore", divide="ignore"):
        overall = np.where(shared > 0, weighted / np.where(weights > 0, weights, 1.0), np.nan)
    overall[(shared > 0) & (weights == 0)] = np.nan  # every shared issue had salience 0
    return GapMatrix(
        ids=tuple(s.proposal_id for s in position_sets),
        labels=tuple(s.label for s in position_sets),
        gaps=overall,
        shared=shared,
        category=category,
    )


def _issues(
    position_sets: Sequence[PositionSet], category: str | None
) -> list[tuple[str, IssueDefinition]]:
    """Issues in the order a comparison sums them, so both give the same floats."""
    found: dict[str, Position] = {}
    for positions in position_sets:
        for key, position in positions.items():
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


def _issue_gaps(definition: IssueDefinition, positions: list[Position | None]) -> FloatArray:
    """The N×N gaps of one issue; entries where a side is silent are 0 (weighted out)."""
    kind = definition.kind
    if kind == IssueKind.ORDINAL:
        steps = len(definition.values) - 1
        ranks = np.array(
            [definition.rank(str(p.value)) if p is not None else 0 for p in positions], dtype=float
        )
        gaps: FloatArray = np.abs(np.subtract.outer(ranks, ranks))
        return gaps / steps if steps else np.zeros_like(gaps)
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


def _codes(values: list[object]) -> npt.NDArray[np.int64]:
    table: dict[object, int] = {}
    return np.array([table.setdefault(v, len(table)) for v in values], dtype=np.int64)


def _number_gaps(definition: IssueDefinition, positions: list[Position | None]) -> FloatArray:
    values = np.array(
        [float(p.value) if p is not None and isinstance(p.value, float) else 0.0 for p in positions]
    )
    units = _codes([p.unit if p is not None else None for p in positions])
    with np.errstate(over="ignore"):  # ±1e308 apart is inf apart: a gap of 1, as in rules
        difference: FloatArray = np.abs(np.subtract.outer(values, values))
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
    words = [set(_WORD.findall(text.casefold())) for text in distinct]
    table = _set_gaps([frozenset(w) for w in words], None)
    codes = np.array([index[text] for text in texts], dtype=np.int64)
    return table[np.ix_(codes, codes)]
