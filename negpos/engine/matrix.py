"""The pairwise gap matrix of a corpus, computed tile by tile over the upper triangle.

For N proposals, ``compare`` on every pair is N(N−1)/2 Python-level comparisons. Here each
issue's stances are gathered once into arrays, and the matrix is filled one square tile at a
time, the tiles covering only the pairs on or above the diagonal: the other half is the same
by the mirror law of ``compare`` (swapping the sides changes no gap). Per issue and tile the
work is a handful of array operations, so the matrix costs O(K·N²) vector work in O(N²)
memory for the result (8 bytes a cell for the gap, and a small integer for each count) and a
few tiles' worth of temporaries besides.

Every gap derives from the rules of ``negpos.engine.rules``, never from a second copy of them:

- categorical, ordinal and yes/no issues, and every stance that is not a plain value (an
  exclusion, an open list, everyone but some, the universal item, mixed bounds), take their
  gap from ``judge_values`` itself, called once per pair of distinct values and gathered;
- lists of items and texts are judged on their distinct values too: the items (or words) two
  values share are counted, and ``jaccard_gap`` is called once per distinct pair of counts;
- figures are the one rule mirrored in array arithmetic (``rules.number_gap``, the same IEEE
  operations in the same order on the issue's ``difference_scale``); a law in the tests holds
  the matrix equal to ``compare`` at any figures, extreme ones included.

The overall gap of a pair is the salience-weighted mean of the gaps of the issues both
address with a level, summed in the same order as a two-proposal comparison, so both give the
same floats; pairs sharing no such issue get NaN. A proposal offering alternatives on an issue
is judged pair by pair with ``closest``, as ``compare`` judges it. ``shared`` counts the issues
each cell rests on, ``unclear`` the issues both address where one states no level; both are
small unsigned integers.
"""

from __future__ import annotations

import os
from collections.abc import Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Protocol

import numpy as np
import numpy.typing as npt

from negpos.codebook import IssueDefinition, IssueKind
from negpos.engine.diff import (
    DEFAULT_SALIENCE,
    Weighting,
    check_same_definition,
    closest,
    issue_weight,
    reading_order,
)
from negpos.engine.rules import Relation, fixed_items, jaccard_gap, judge_values
from negpos.errors import ComparisonError
from negpos.positions import UNSTATED, Position, PositionSet, PositionValue

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["GapMatrix", "gap_matrix"]

FloatArray = npt.NDArray[np.float64]
CountArray = npt.NDArray[np.unsignedinteger[Any]]
IndexArray = npt.NDArray[np.intp]
BoolArray = npt.NDArray[np.bool_]
WordArray = npt.NDArray[np.uint64]

TILE = 192
"""Rows and columns of a tile: small enough that a tile's few arrays stay in the processor's
cache, large enough that each array operation outweighs its Python call. Tiles are square:
gathering a table's columns for a few rows and many columns is many times slower."""
TABLE_LIMIT = 2048
"""Lists and texts with at most this many distinct values (texts: distinct sets of words) are
judged into one table of all their pairs (at most 32 MiB); with more, they are counted tile
by tile."""


@dataclass(frozen=True, eq=False)
class GapMatrix:
    """Overall gaps between every pair of proposals (NaN where they share no issue)."""

    ids: tuple[str, ...]
    labels: tuple[str, ...]
    gaps: FloatArray
    shared: CountArray
    category: str | None = None
    unclear: CountArray | None = None
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
    workers: int | None = None,
) -> GapMatrix:
    """Pairwise overall gaps of all proposals, over every issue or one category's.

    ``weighting="category"`` makes each category count equally, as
    ``DiffSummary.category_weighted_gap`` does; ``min_shared`` blanks (NaN) cells resting on
    fewer shared issues. ``workers`` threads fill the matrix (default: the processors this
    process may use, at most ``MAX_WORKERS``; 1 for none); numpy does the arithmetic without
    holding the interpreter's lock, and every cell is the same whatever the number.
    """
    if category is not None:
        known = {c for s in position_sets for c in s.codebook.category_order}
        if category not in known:
            raise ComparisonError(
                f"unknown category {category}; categories: {', '.join(sorted(known))}"
            )
    if weighting not in ("issue", "category"):
        raise ComparisonError(f"unknown weighting {weighting!r}; use 'issue' or 'category'")
    if workers is not None and (
        isinstance(workers, bool) or not isinstance(workers, int) or workers < 1
    ):
        raise ComparisonError(f"workers must be a whole number of at least 1, not {workers!r}")
    issues = _gather(position_sets, category)
    count = len(position_sets)
    counts = np.dtype(_count_type(len(issues)))
    result = _Result(
        gaps=np.empty((count, count)),
        shared=np.zeros((count, count), dtype=counts),
        unclear=np.zeros((count, count), dtype=counts),
    )
    masks = _IssueBits(issues, count)

    def fill(second: slice) -> None:
        strip = _Strip()
        for tile in _strip_tiles(second, count):
            _fill_tile(tile, issues, masks, result, weighting, strip.workspace(tile.shape))

    strips = _strips(count)
    threads = min(len(strips), default_workers() if workers is None else workers)
    if threads <= 1:
        for second in strips:
            fill(second)
    else:
        with ThreadPoolExecutor(threads, thread_name_prefix="negpos-matrix") as pool:
            for done in [pool.submit(fill, second) for second in strips]:
                done.result()  # raises what the strip raised
    if min_shared > 0:
        result.gaps[result.shared < min_shared] = np.nan
    return GapMatrix(
        ids=tuple(s.proposal_id for s in position_sets),
        labels=tuple(s.label for s in position_sets),
        gaps=result.gaps,
        shared=result.shared,
        category=category,
        unclear=result.unclear,
        weighting=weighting,
        min_shared=min_shared,
    )


def _count_type(issues: int) -> type[np.unsignedinteger[Any]]:
    """The smallest unsigned integer that counts up to ``issues``."""
    if issues <= np.iinfo(np.uint8).max:
        return np.uint8
    if issues <= np.iinfo(np.uint16).max:
        return np.uint16
    return np.uint32


MAX_WORKERS = 8
"""The default number of threads stops here: past it, the tiles' sums wait on memory."""


def default_workers() -> int:
    """The processors this process may run on (``os.sched_getaffinity`` where the system has
    it), at most ``MAX_WORKERS``."""
    try:
        usable = len(os.sched_getaffinity(0))
    except AttributeError:  # not on every system
        usable = os.cpu_count() or 1
    return max(1, min(MAX_WORKERS, usable))


def _strips(count: int) -> list[slice]:
    """The column blocks of the matrix: each with its tiles is one thread's unit of work,
    the longest first."""
    return [slice(start, min(count, start + TILE)) for start in range(0, count, TILE)]


def _strip_tiles(second: slice, count: int) -> Iterator[_Tile]:
    """Square tiles of one column block on or below the diagonal: over all blocks, each pair
    of proposals once (the diagonal's tiles whole)."""
    for later in range(second.start, count, TILE):
        yield _Tile(slice(later, min(count, later + TILE)), second)


@dataclass(frozen=True, slots=True)
class _Tile:
    """Proposals ``first`` against proposals ``second``: every array of a tile is indexed
    [first, second] and C-ordered, so that the in-place sums run at memory speed (a tile
    gathered column-wise would be Fortran-ordered, and adding it to a C array is many times
    slower)."""

    first: slice
    second: slice

    @property
    def shape(self) -> tuple[int, int]:
        return self.first.stop - self.first.start, self.second.stop - self.second.start


@dataclass(frozen=True, slots=True)
class _Result:
    gaps: FloatArray
    shared: CountArray
    unclear: CountArray

    def write(self, tile: _Tile, gaps: FloatArray, shared: CountArray, unclear: CountArray) -> None:
        """The tile, and its mirror image across the diagonal."""
        first, second = tile.first, tile.second
        for target, values in ((self.gaps, gaps), (self.shared, shared), (self.unclear, unclear)):
            target[first, second] = values
            target[second, first] = values.T


# ---------------------------------------------------------------------- one tile


class _Strip:
    """What one thread keeps while it fills the tiles of one column block: each table's
    columns for the block, gathered once (then every tile gathers whole rows), and one
    workspace per tile shape."""

    __slots__ = ("columns", "workspaces")

    def __init__(self) -> None:
        self.columns: dict[_TableKernel, npt.NDArray[Any]] = {}
        self.workspaces: dict[tuple[int, int], _Workspace] = {}

    def workspace(self, shape: tuple[int, int]) -> _Workspace:
        found = self.workspaces.get(shape)
        if found is None:
            found = self.workspaces[shape] = _Workspace(shape, self.columns)
        return found


class _Workspace:
    """The arrays of one tile shape, reused issue after issue and tile after tile: every
    per-issue step writes into these (``out=``) rather than into a fresh array of a few
    hundred KiB, which the allocator may map anew and the first write fault in page by page."""

    __slots__ = ("columns", "gaps", "mask", "scratch", "weight")

    def __init__(self, shape: tuple[int, int], columns: dict[_TableKernel, npt.NDArray[Any]]):
        self.gaps = np.empty(shape)
        self.weight = np.empty(shape)
        self.scratch = np.empty(shape)
        self.mask = np.empty(shape, dtype=bool)
        self.columns = columns


def _fill_tile(
    tile: _Tile,
    issues: Sequence[_Issue],
    masks: _IssueBits,
    result: _Result,
    weighting: Weighting,
    work: _Workspace,
) -> None:
    """The overall gaps of one tile, issue by issue in reading order."""
    shape = tile.shape
    weighted = np.zeros(shape)
    weights = np.zeros(shape)
    shared, unclear = masks.counts(tile, result.shared.dtype)
    by_category = _CategoryMeans(shape) if weighting == "category" else None
    gaps, weight = work.gaps, work.weight
    for issue in issues:
        if by_category is not None:
            weighted, weights = by_category.sums(issue.category)
        issue.terms(tile, work)
        np.add(weights, weight, out=weights)
        np.multiply(gaps, weight, out=gaps)
        np.add(weighted, gaps, out=weighted)
        if issue.alternatives is not None:
            issue.alternatives.count(tile, shared, unclear)
    if by_category is not None:
        overall = by_category.means()
    else:
        overall = np.full(shape, np.nan)
        np.divide(weighted, weights, out=overall, where=weights > 0)
    result.write(tile, overall, shared, unclear)


class _CategoryMeans:
    """Each category's weighted sums, then the mean of the categories' weighted means, as
    ``DiffSummary.category_weighted_gap`` takes it (categories in the order they come)."""

    def __init__(self, shape: tuple[int, int]) -> None:
        self.shape = shape
        self.by_category: dict[str, tuple[FloatArray, FloatArray]] = {}

    def sums(self, category: str) -> tuple[FloatArray, FloatArray]:
        """The category's weighted gaps and weights, to add to."""
        found = self.by_category.get(category)
        if found is None:
            found = self.by_category[category] = (np.zeros(self.shape), np.zeros(self.shape))
        return found

    def means(self) -> FloatArray:
        total = np.zeros(self.shape)
        categories = np.zeros(self.shape)
        for weighted, weights in self.by_category.values():
            stated = weights > 0
            mean = np.zeros(self.shape)
            np.divide(weighted, weights, out=mean, where=stated)
            total += mean
            categories += stated
        result = np.full(self.shape, np.nan)
        np.divide(total, categories, out=result, where=categories > 0)
        return result


# ---------------------------------------------------------------------- issues, gathered once


class _Kernel(Protocol):
    def gaps(self, tile: _Tile, work: _Workspace) -> None:
        """The tile's gaps, written into ``work.gaps``: finite everywhere, meaningful where
        both proposals state a level (the caller weights the rest out)."""
        ...


@dataclass(frozen=True, eq=False)
class _Issue:
    """One issue's stances across the corpus, as arrays."""

    key: str
    category: str
    stated: BoolArray  # a plain stance with a level (alternatives are judged apart)
    unstated: BoolArray  # a plain stance without a level
    weights: _TableKernel  # each pair's weight, 0 where it has no gap
    kernel: _Kernel
    alternatives: _Alternatives | None

    def terms(self, tile: _Tile, work: _Workspace) -> None:
        """The tile's gaps and weights, into ``work.gaps`` and ``work.weight``; the weight
        is 0 wherever a pair has no gap."""
        self.weights.gather(tile, work.weight, work.columns)
        self.kernel.gaps(tile, work)
        if self.alternatives is not None:
            self.alternatives.patch(tile, work.gaps, work.weight)


def _weights(stated: BoolArray, salience: FloatArray) -> _TableKernel:
    """Each pair's weight, as a table over the distinct saliences: (a + b) * 0.5, the same
    float as ``issue_weight``'s (a + b) / 2; 0 where either side states no level."""
    values, inverse = np.unique(salience[stated], return_inverse=True)
    codes = np.full(stated.size, values.size, dtype=np.intp)
    codes[stated] = inverse
    table = np.zeros((values.size + 1, values.size + 1))
    table[:-1, :-1] = np.add.outer(values, values) * 0.5
    return _TableKernel(codes, table)


def _gather(position_sets: Sequence[PositionSet], category: str | None) -> list[_Issue]:
    """Every issue in scope, in the reading order of a comparison, each gathered once."""
    columns: dict[str, _Column] = {}
    for index, positions in enumerate(position_sets):
        for key, position in positions.positions.items():
            column = columns.get(key)
            if column is None:
                if category is not None and position.category != category:
                    continue
                column = columns[key] = _Column(position, positions)
            elif position.definition is not column.definition:
                check_same_definition(key, column.first, position, column.first_set, positions)
            column.add(index, position)
        if positions.alternatives:
            _gather_alternatives(columns, index, positions, category)
    return [
        columns[key].issue(position_sets) for key in reading_order(*position_sets) if key in columns
    ]


def _gather_alternatives(
    columns: dict[str, _Column], index: int, positions: PositionSet, category: str | None
) -> None:
    """The issues a proposal states only in its alternatives."""
    for key in dict.fromkeys(k for a in positions.alternatives for k in a.positions):
        candidates = positions.candidates(key)
        column = columns.get(key)
        if column is None:
            if category is not None and candidates[0].category != category:
                continue
            column = columns[key] = _Column(candidates[0], positions)
        column.add_candidates(index, candidates, positions)


class _Column:
    """One issue's stances, collected proposal by proposal and coded once all are in (one
    tight pass per issue rather than a method call per stance)."""

    __slots__ = ("definition", "first", "first_set", "holders", "indices", "key", "stances")

    def __init__(self, first: Position, first_set: PositionSet) -> None:
        self.key = first.key
        self.definition = first.definition
        self.first = first
        self.first_set = first_set
        self.indices: list[int] = []
        self.stances: list[Position] = []
        self.holders: list[int] = []  # proposals offering several alternatives on it

    def add(self, index: int, position: Position) -> None:
        self.indices.append(index)
        self.stances.append(position)

    def _coded(self) -> _Coded:
        """Each stance's distinct value's number (-1: no level), the distinct values, and
        the saliences given."""
        number = self.definition.kind is IssueKind.NUMBER
        signatures: list[object] = (
            [UNSTATED if p.value is UNSTATED else (p.value, p.unit, p.bound) for p in self.stances]
            if number
            else [p.value for p in self.stances]
        )
        first_seen = dict.fromkeys(signatures)
        first_seen.pop(UNSTATED, None)
        numbered = {value: code for code, value in enumerate(first_seen)}
        codes = [numbered.get(signature, -1) for signature in signatures]
        salient = [
            (index, p.salience)
            for index, p in zip(self.indices, self.stances, strict=True)
            if p.salience is not None and p.value is not UNSTATED
        ]
        distinct: list[Signature] = (
            list(numbered)  # type: ignore[arg-type]
            if number
            else [(value, None, None) for value in numbered]  # type: ignore[misc]
        )
        return _Coded(codes, distinct, salient)

    def add_candidates(
        self, index: int, candidates: tuple[Position, ...], positions: PositionSet
    ) -> None:
        for candidate in candidates:
            if candidate.definition is not self.definition:
                check_same_definition(self.key, self.first, candidate, self.first_set, positions)
        if len(candidates) == 1:
            self.add(index, candidates[0])
        else:
            self.holders.append(index)

    def issue(self, position_sets: Sequence[PositionSet]) -> _Issue:
        """The issue's arrays: who states a level, each stance's code, the weights."""
        count = len(position_sets)
        found = self._coded()
        distinct = found.distinct
        coded = np.array(found.codes, dtype=np.intp)
        indices = np.array(self.indices, dtype=np.intp)
        level = coded >= 0
        codes = np.full(count, len(distinct), dtype=np.intp)  # the last: no level
        codes[indices[level]] = coded[level]
        stated = np.zeros(count, dtype=bool)
        stated[indices[level]] = True
        unstated = np.zeros(count, dtype=bool)
        unstated[indices[~level]] = True
        salience = np.full(count, DEFAULT_SALIENCE)
        if found.salient:
            where, values = zip(*found.salient, strict=True)
            salience[list(where)] = values
        return _Issue(
            key=self.key,
            category=self.first.category,
            stated=stated,
            unstated=unstated,
            weights=_weights(stated, salience),
            kernel=_kernel(self.definition, distinct, codes),
            alternatives=(
                _Alternatives.build(self.key, self.holders, position_sets) if self.holders else None
            ),
        )


# ---------------------------------------------------------------------- gap kernels

Signature = tuple[PositionValue, str | None, str | None]  # value, unit, bound


@dataclass(frozen=True, slots=True)
class _Coded:
    codes: list[int]  # per stance: its distinct value's number; -1: no level
    distinct: list[Signature]  # the distinct stated values, by number
    salient: list[tuple[int, float]]  # (proposal, salience) where a level and a salience are given


def _kernel(definition: IssueDefinition, distinct: list[Signature], codes: IndexArray) -> _Kernel:
    """The kernel of one issue, from its distinct stated values and each proposal's code (the
    code after the last distinct value: no level stated)."""
    kind = definition.kind
    if kind is IssueKind.NUMBER:
        figures = _FigureKernel.build(definition, distinct, codes)
        if figures is not None:
            return figures
    if kind is IssueKind.SET or kind is IssueKind.TEXT:
        if kind is IssueKind.TEXT:
            distinct, items, codes = _same_words(definition, distinct, codes)
        else:
            items = [fixed_items(definition, value) for value, _, _ in distinct]
        kernel = _ItemKernel.build(definition, distinct, items, codes)
        if len(distinct) > TABLE_LIMIT:
            return kernel
        everything = np.arange(len(distinct) + 1, dtype=np.intp)
        return _TableKernel(codes, kernel.block(everything, everything))
    return _TableKernel(codes, _judged_table(definition, distinct))


def _same_words(
    definition: IssueDefinition, distinct: list[Signature], codes: IndexArray
) -> tuple[list[Signature], list[frozenset[str] | None], IndexArray]:
    """Texts with the same words are one value to the rule (``judge_values`` compares their
    words): the first text of each set of words stands for the others. Returns the texts
    kept, their words, and the codes renumbered."""
    first: dict[frozenset[str], int] = {}
    kept: list[Signature] = []
    recode = np.empty(len(distinct) + 1, dtype=np.intp)
    for code, signature in enumerate(distinct):
        found = first.setdefault(fixed_items(definition, signature[0]) or frozenset(), len(kept))
        if found == len(kept):
            kept.append(signature)
        recode[code] = found
    recode[-1] = len(kept)  # no level stated
    return kept, list(first), recode[codes]


def _judged_table(definition: IssueDefinition, distinct: Sequence[Signature]) -> FloatArray:
    """``judge_values`` on every pair of distinct stated values, and a last row and column of
    zeros for proposals without a level."""
    size = len(distinct)
    table = np.zeros((size + 1, size + 1))
    for i, (value_a, unit_a, bound_a) in enumerate(distinct):
        for j, (value_b, unit_b, bound_b) in enumerate(distinct):
            gap = judge_values(definition, value_a, value_b, unit_a, unit_b, bound_a, bound_b).gap
            table[i, j] = 0.0 if gap is None else gap  # None: refused above (no level)
    return table


@dataclass(frozen=True, eq=False)
class _TableKernel:
    """Gaps gathered from a table of every pair of distinct values."""

    codes: IndexArray
    table: FloatArray

    def gather(
        self, tile: _Tile, out: FloatArray, columns: dict[_TableKernel, npt.NDArray[Any]]
    ) -> None:
        """The tile's values from the table, into ``out``; ``columns`` keeps the table's
        columns for the tile's column block (see ``_Strip``)."""
        block = columns.get(self)
        if block is None:
            block = columns[self] = np.take(self.table, self.codes[tile.second], axis=1)
        # mode="clip" (the codes are in range): with the default, take copies through a buffer
        np.take(block, self.codes[tile.first], axis=0, out=out, mode="clip")

    def gaps(self, tile: _Tile, work: _Workspace) -> None:
        self.gather(tile, work.gaps, work.columns)


@dataclass(frozen=True, eq=False)
class _FigureKernel:
    """``rules.number_gap`` in array form: |a − b| over the issue's scale, or over the larger
    magnitude, at most 1; 1 where the units differ."""

    values: FloatArray  # times the scale's factor (1, or 0.5 at ranges too wide for a float)
    magnitudes: FloatArray  # |value|, and the smallest float for 0 (see below)
    width: float | None
    units: IndexArray | None  # None: one unit throughout

    @classmethod
    def build(
        cls, definition: IssueDefinition, distinct: Sequence[Signature], codes: IndexArray
    ) -> _FigureKernel | None:
        """The kernel, or None where the scalar rule must judge each pair: mixed bounds (a
        ceiling against a level is judged by what both admit), or units that change the
        scale (percentages beside other units, without a range)."""
        if len({bound for _, _, bound in distinct}) > 1:
            return None
        units = list(dict.fromkeys(unit for _, unit, _ in distinct))
        scales = {definition.difference_scale(unit) for unit in units}
        if len(scales) > 1:
            return None
        scale = next(iter(scales), None)
        factor = 1.0 if scale is None else scale[1]
        figures = np.array([float(v) for v, _, _ in distinct if isinstance(v, float)] + [0.0])
        if figures.size != len(distinct) + 1:
            return None
        values = figures[codes] * factor if factor != 1.0 else figures[codes]
        magnitudes = np.abs(values)
        # max(|a|, |b|) is positive unless a = b = 0, where the gap is 0 (no division): the
        # smallest float for 0 gives 0 / it = 0 there and changes no other maximum.
        magnitudes[magnitudes == 0.0] = np.nextafter(0.0, 1.0)
        unit_codes = None
        if len(units) > 1:
            index = {unit: i for i, unit in enumerate(units)}
            per_value = np.array([index[u] for _, u, _ in distinct] + [len(units)])
            unit_codes = per_value[codes]
        return cls(values, magnitudes, None if scale is None else scale[0], unit_codes)

    def gaps(self, tile: _Tile, work: _Workspace) -> None:
        rows, columns = tile.first, tile.second
        gaps = work.gaps
        with np.errstate(over="ignore"):  # |a − b| may overflow to inf: a gap of 1 either way
            np.subtract.outer(self.values[rows], self.values[columns], out=gaps)
        np.abs(gaps, out=gaps)
        if self.width is not None:
            np.divide(gaps, self.width, out=gaps)
        else:
            largest = np.maximum.outer(
                self.magnitudes[rows], self.magnitudes[columns], out=work.scratch
            )
            np.divide(gaps, largest, out=gaps)
        np.minimum(gaps, 1.0, out=gaps)
        if self.units is not None:
            differ = np.not_equal.outer(self.units[rows], self.units[columns], out=work.mask)
            np.copyto(gaps, 1.0, where=differ)


@dataclass(frozen=True, eq=False)
class _ItemKernel:
    """Lists of items and texts: ``jaccard_gap`` of the items (or words) two values share.

    Each distinct value that stands for fixed items (``rules.fixed_items``) is a bit mask over
    the items, and the items two values share are counted with the masks; each pair's gap is
    looked up in a table of ``jaccard_gap`` over every count that can occur. Where the items
    need more 64-bit words than those two or more values name, the masks hold only the latter
    (an item of one value alone is shared by no other value), and a value against itself is
    given ``jaccard_gap`` of its own size. Values read against the other side (the universal
    item, open lists, everyone but some) are judged by ``judge_values`` against every distinct
    value.
    """

    codes: IndexArray
    masks: WordArray  # (distinct + 1, words)
    sizes: npt.NDArray[np.int32]  # items of each distinct value
    jaccard: FloatArray  # jaccard_gap(common, union), flattened by common
    union_span: int
    partial: bool  # the masks leave out items of one value alone
    special: IndexArray  # distinct codes judged by the scalar rule
    special_rows: FloatArray  # (len(special), distinct + 1)

    @classmethod
    def build(
        cls,
        definition: IssueDefinition,
        distinct: Sequence[Signature],
        items: Sequence[frozenset[str] | None],
        codes: IndexArray,
    ) -> _ItemKernel:
        """``items``: each distinct value's ``rules.fixed_items``."""
        seen: dict[str, int] = {}
        for fixed in items:
            for item in fixed or ():
                seen[item] = seen.get(item, 0) + 1
        named = sorted(item for item, times in seen.items() if times > 1)
        partial = _words_for(len(named)) < _words_for(len(seen))
        bit = {item: index for index, item in enumerate(named if partial else sorted(seen))}
        words = _words_for(len(bit))
        masks = np.zeros((len(distinct) + 1, words), dtype=np.uint64)
        sizes = np.zeros(len(distinct) + 1, dtype=np.int32)
        for row, fixed in enumerate(items):
            mask = 0  # a Python integer of any width, cut into 64-bit words below
            for item in fixed or ():
                position = bit.get(item)
                if position is not None:
                    mask |= 1 << position
            for word in range(words):
                masks[row, word] = (mask >> (64 * word)) & _WORD_MASK
            sizes[row] = len(fixed or ())
        most = int(sizes.max(initial=0))
        span = 2 * most + 1
        jaccard = np.array(
            [jaccard_gap(common, union) for common in range(most + 1) for union in range(span)]
        )
        special = np.array([i for i, fixed in enumerate(items) if fixed is None], dtype=np.intp)
        special_rows = np.zeros((special.size, len(distinct) + 1))
        for row, i in enumerate(special.tolist()):
            value_a, unit_a, bound_a = distinct[i]
            for j, (value_b, unit_b, bound_b) in enumerate(distinct):
                judged = judge_values(
                    definition, value_a, value_b, unit_a, unit_b, bound_a, bound_b
                )
                special_rows[row, j] = judged.gap or 0.0
        return cls(codes, masks, sizes, jaccard, span, partial, special, special_rows)

    def gaps(self, tile: _Tile, work: _Workspace) -> None:
        work.gaps[...] = self.block(self.codes[tile.first], self.codes[tile.second])

    def block(self, rows: IndexArray, columns: IndexArray) -> FloatArray:
        """The gaps of values ``rows`` × ``columns`` (distinct codes)."""
        common = _popcount(np.bitwise_and.outer(self.masks[rows, 0], self.masks[columns, 0]))
        for word in range(1, self.masks.shape[1]):
            common += _popcount(
                np.bitwise_and.outer(self.masks[rows, word], self.masks[columns, word])
            )
        if self.partial:  # a value shares its items of its own with itself
            same = np.equal.outer(rows, columns)
            common[same] = np.broadcast_to(self.sizes[rows][:, None], same.shape)[same]
        # jaccard_gap(common, union) sits at common * span + union, and the union is
        # |a| + |b| − common: the place is |a| + |b| + common * (span − 1).
        place = np.add.outer(self.sizes[rows], self.sizes[columns])
        place += common * np.int32(self.union_span - 1)
        gaps: FloatArray = self.jaccard[place]
        if self.special.size:
            self._judge_special(rows, columns, gaps)
        return gaps

    def _judge_special(self, rows: IndexArray, columns: IndexArray, gaps: FloatArray) -> None:
        which = np.full(self.masks.shape[0], -1, dtype=np.intp)
        which[self.special] = np.arange(self.special.size)
        row_special, column_special = which[rows], which[columns]
        picked = np.flatnonzero(row_special >= 0)
        if picked.size:
            gaps[picked] = np.take(self.special_rows[row_special[picked]], columns, axis=1)
        picked = np.flatnonzero(column_special >= 0)
        if picked.size:
            gaps[:, picked] = np.take(self.special_rows[column_special[picked]], rows, axis=1).T


_COUNT = np.dtype(np.int32)  # items in common: at most the items of a value
_WORD_MASK = (1 << 64) - 1


def _words_for(bits: int) -> int:
    """64-bit words that hold ``bits`` bits (at least one)."""
    return max(1, (bits + 63) // 64)


_BYTE_COUNTS = np.array([bin(i).count("1") for i in range(256)], dtype=np.intp)


def _popcount(words: WordArray, dtype: np.dtype[Any] = _COUNT) -> npt.NDArray[Any]:
    """Set bits per 64-bit word, as ``dtype`` (numpy 2's ``bitwise_count``, or by bytes)."""
    if hasattr(np, "bitwise_count"):
        counted: npt.NDArray[Any] = np.bitwise_count(words).astype(dtype, copy=False)
        return counted
    by_byte = _BYTE_COUNTS[words.view(np.uint8)]
    summed: npt.NDArray[Any] = by_byte.reshape(*words.shape, 8).sum(axis=-1, dtype=dtype)
    return summed


# ---------------------------------------------------------------------- counts and alternatives


class _IssueBits:
    """Which issues each proposal states with and without a level, as bit masks, so that a
    tile's shared and unclear counts are a few popcounts instead of one pass per issue."""

    def __init__(self, issues: Sequence[_Issue], count: int) -> None:
        words = _words_for(len(issues))
        self.stated = np.zeros((count, words), dtype=np.uint64)
        self.unstated = np.zeros((count, words), dtype=np.uint64)
        for index, issue in enumerate(issues):
            bit = np.uint64(1 << (index % 64))
            self.stated[issue.stated, index // 64] |= bit
            self.unstated[issue.unstated, index // 64] |= bit
        self.any_unstated = bool(self.unstated.any())

    def counts(self, tile: _Tile, dtype: np.dtype[Any]) -> tuple[CountArray, CountArray]:
        rows, columns = tile.first, tile.second
        shared = np.zeros(tile.shape, dtype=dtype)
        unclear = np.zeros(tile.shape, dtype=dtype)
        for word in range(self.stated.shape[1]):
            stated_rows, stated_columns = self.stated[rows, word], self.stated[columns, word]
            shared += _popcount(np.bitwise_and.outer(stated_rows, stated_columns), dtype)
            if self.any_unstated:
                unstated_rows = self.unstated[rows, word]
                unstated_columns = self.unstated[columns, word]
                either = np.bitwise_and.outer(stated_rows, unstated_columns)
                either |= np.bitwise_and.outer(unstated_rows, stated_columns)
                unclear += _popcount(either, dtype)
        return shared, unclear


@dataclass(frozen=True, eq=False)
class _Alternatives:
    """Proposals that offer alternatives on an issue, judged against every other proposal by
    ``closest``, once a pair (the proposal that comes first as side A)."""

    holders: IndexArray  # sorted
    is_holder: BoolArray
    gaps: FloatArray  # (holders, N): the closest pair's gap, 0 where none
    weights: FloatArray  # its weight, 0 where no gap
    valid: CountArray  # 1 where the pair has a gap
    unclear: CountArray  # 1 where it is unclear

    @classmethod
    def build(
        cls, key: str, holders: list[int], position_sets: Sequence[PositionSet]
    ) -> _Alternatives:
        count = len(position_sets)
        gaps = np.zeros((len(holders), count))
        weights = np.zeros((len(holders), count))
        valid = np.zeros((len(holders), count), dtype=np.uint8)
        unclear = np.zeros((len(holders), count), dtype=np.uint8)
        for row, holder in enumerate(holders):
            for other, positions in enumerate(position_sets):
                if not positions.candidates(key):
                    continue
                low, high = sorted((holder, other))
                a, b = position_sets[low], position_sets[high]
                left, right, judgement = closest(key, a.candidates(key), b.candidates(key), a, b)
                unclear[row, other] = judgement.relation is Relation.UNCLEAR
                if judgement.gap is not None:
                    gaps[row, other] = judgement.gap
                    weights[row, other] = issue_weight(left, right)
                    valid[row, other] = 1
        is_holder = np.zeros(count, dtype=bool)
        is_holder[holders] = True
        return cls(np.array(holders, dtype=np.intp), is_holder, gaps, weights, valid, unclear)

    def _within(self, span: slice) -> tuple[IndexArray, IndexArray]:
        """Holders inside ``span``: their rows here, and their places in the span."""
        start, stop = np.searchsorted(self.holders, [span.start, span.stop])
        picked = np.arange(start, stop, dtype=np.intp)
        return picked, self.holders[picked] - span.start

    def patch(self, tile: _Tile, gaps: FloatArray, weight: FloatArray) -> None:
        """Put the closest pairs' gaps and weights in the tile."""
        rows, columns = tile.first, tile.second
        picked, places = self._within(rows)
        gaps[places] = self.gaps[picked, columns]
        weight[places] = self.weights[picked, columns]
        picked, places = self._within(columns)
        gaps[:, places] = self.gaps[picked, rows].T
        weight[:, places] = self.weights[picked, rows].T

    def count(self, tile: _Tile, shared: CountArray, unclear: CountArray) -> None:
        """Add the closest pairs to the tile's counts, each cell once."""
        rows, columns = tile.first, tile.second
        picked, places = self._within(rows)
        shared[places] += self.valid[picked, columns].astype(shared.dtype)
        unclear[places] += self.unclear[picked, columns].astype(unclear.dtype)
        picked, places = self._within(columns)
        if picked.size:
            others = np.flatnonzero(~self.is_holder[rows])  # two holders: counted with rows
            cells = np.ix_(others, places)
            shared[cells] += self.valid[picked, rows][:, others].T.astype(shared.dtype)
            unclear[cells] += self.unclear[picked, rows][:, others].T.astype(unclear.dtype)
