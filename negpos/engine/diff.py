"""Comparing two proposals issue by issue, and summarising where they stand."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Literal

from negpos.engine.rules import (
    ONLY_A,
    ONLY_B,
    RELATIONS,
    Judgement,
    Reason,
    Relation,
    explain,
    judge,
)
from negpos.errors import ComparisonError
from negpos.model import Source
from negpos.positions import Position, PositionSet

__all__ = [
    "DiffSummary",
    "IssueDiff",
    "ProposalDiff",
    "SalienceBasis",
    "Weighting",
    "check_same_definition",
    "closest",
    "diff",
    "diff_candidates",
    "issue_weight",
    "reading_order",
]

DEFAULT_SALIENCE = 0.5
Weighting = Literal["issue", "category"]
_RELATION_RANK = {
    Relation.AGREE: 0,
    Relation.PARTIAL: 1,
    Relation.UNCLEAR: 2,
    Relation.CONFLICT: 3,
}


@dataclass(frozen=True, slots=True)
class IssueDiff:
    """How two proposals relate on one issue that at least one of them addresses."""

    key: str
    label: str
    category: str
    category_label: str
    a: Position | None
    b: Position | None
    relation: Relation
    gap: float | None
    reason: Reason
    labels: tuple[str, str]
    acceptable_meet: bool | None = None

    @property
    def explanation(self) -> str:
        """One line a reader understands without the docs (written when first asked for)."""
        if self.a is None:
            assert self.b is not None
            return f"Only {self.labels[1]} addresses this: {self.b.describe()}."
        if self.b is None:
            return f"Only {self.labels[0]} addresses this: {self.a.describe()}."
        judgement = Judgement(self.relation, self.gap, self.reason, self.acceptable_meet)
        return explain(judgement, self.a, self.b, *self.labels)

    @property
    def sources_a(self) -> tuple[Source, ...]:
        return self.a.sources if self.a else ()

    @property
    def sources_b(self) -> tuple[Source, ...]:
        return self.b.sources if self.b else ()

    @property
    def weight(self) -> float:
        """How much this issue counts in the overall gap (mean salience of both sides)."""
        return issue_weight(self.a, self.b)


@dataclass(frozen=True, slots=True)
class SalienceBasis:
    """Whose salience the weights of the shared issues rest on: a stance's own or its
    section's, stated by both sides, by one, or by neither (each unstated salience counts 0.5)."""

    both: int = 0
    only_a: int = 0
    only_b: int = 0
    neither: int = 0

    def __str__(self) -> str:
        return (
            f"salience given by both on {self.both}, by A only on {self.only_a}, "
            f"by B only on {self.only_b}, by neither on {self.neither}"
        )


@dataclass(frozen=True, slots=True)
class DiffSummary:
    """Counts per relation and per category, the weighted overall gap, and what it rests on."""

    counts: dict[Relation, int]
    by_category: dict[str, dict[Relation, int]]
    overall_gap: float | None
    shared_issues: int
    salience: SalienceBasis = field(default_factory=SalienceBasis)
    category_weights: dict[str, float] = field(default_factory=dict)
    category_gaps: dict[str, float] = field(default_factory=dict)

    @property
    def category_weighted_gap(self) -> float | None:
        """The overall gap with every category counting equally (the mean of their gaps)."""
        gaps = list(self.category_gaps.values())
        return sum(gaps) / len(gaps) if gaps else None

    def gap(self, weighting: Weighting = "issue") -> float | None:
        """The overall gap, each shared issue weighted by salience (``issue``) or each
        category counting equally (``category``)."""
        if weighting == "category":
            return self.category_weighted_gap
        return self.overall_gap

    def describe(self, weighting: Weighting = "issue") -> str:
        counts = ", ".join(f"{self.counts[r]} {r.value}" for r in RELATIONS)
        value = self.gap(weighting)
        gap = "n/a" if value is None else f"{value:.2f}"
        issues = "issue" if self.shared_issues == 1 else "issues"
        how = (
            "each category counting equally" if weighting == "category" else "weighted by salience"
        )
        return f"{counts}; overall gap {gap} over {self.shared_issues} shared {issues} ({how})"

    def basis(self) -> str:
        """What the overall gap rests on: the weight each category carries, whose salience."""
        total = sum(self.category_weights.values())
        if not total:
            return "No shared issue with a gap: no overall gap."
        shares = ", ".join(
            f"{category} {weight / total:.0%}"
            for category, weight in sorted(self.category_weights.items(), key=lambda kv: -kv[1])
        )
        return f"Weight of each category in the overall gap: {shares}; {self.salience}."

    def __str__(self) -> str:
        return self.describe()


class ProposalDiff:
    """The engine's result for two proposals: every issue either addresses, in reading order.

    The comparison is computed whole when the object is made: each issue's relation, gap and
    reason (``keys`` and ``judgements``, as columns) and the summary. The row objects of
    ``issues`` are assembled from those columns on first access, since a pipeline over a
    corpus often needs only relations, gaps and summaries.
    """

    __slots__ = ("_issues", "a", "b", "chosen", "judgements", "keys", "summary")

    def __init__(
        self,
        a: PositionSet,
        b: PositionSet,
        keys: tuple[str, ...],
        judgements: tuple[Judgement, ...],
        summary: DiffSummary | None = None,
        chosen: Mapping[str, tuple[Position | None, Position | None]] | None = None,
    ) -> None:
        self.a = a
        self.b = b
        self.keys = keys
        self.judgements = judgements
        self.chosen = chosen or {}  # issues stated in alternatives: the closest pair
        if summary is None:
            summary = _summarised(_given_sides(a, b, keys, judgements, self.chosen))
        self.summary = summary
        self._issues: tuple[IssueDiff, ...] | None = None

    def pair(self, key: str) -> tuple[Position | None, Position | None]:
        """Both sides' positions on an issue (for alternatives, the closest pair)."""
        chosen = self.chosen.get(key)
        if chosen is not None:
            return chosen
        return self.a.positions.get(key), self.b.positions.get(key)

    @property
    def issues(self) -> tuple[IssueDiff, ...]:
        """One row per issue, with both positions, relation, gap and explanation."""
        if self._issues is None:
            labels: dict[str, str] = {}
            self._issues = tuple(
                _row(key, *self.pair(key), judgement, self.a, self.b, labels)
                for key, judgement in zip(self.keys, self.judgements, strict=True)
            )
        return self._issues

    def relations(self) -> dict[str, Relation]:
        """Issue key -> relation, without building rows."""
        return {key: j.relation for key, j in zip(self.keys, self.judgements, strict=True)}

    def select(
        self,
        *,
        relations: Iterable[Relation | str] | None = None,
        categories: Iterable[str] | None = None,
        keys: Iterable[str] | None = None,
    ) -> ProposalDiff:
        """Only the issues matching every filter given; the summary covers just those."""
        wanted_relations = None if relations is None else {Relation(r) for r in relations}
        wanted_categories = None if categories is None else set(categories)
        wanted_keys = None if keys is None else set(keys)
        kept = [
            (key, judgement)
            for key, judgement in zip(self.keys, self.judgements, strict=True)
            if (wanted_relations is None or judgement.relation in wanted_relations)
            and (wanted_categories is None or _category(self.pair(key)) in wanted_categories)
            and (wanted_keys is None or key in wanted_keys)
        ]
        kept_keys = tuple(k for k, _ in kept)
        return ProposalDiff(
            self.a,
            self.b,
            kept_keys,
            tuple(j for _, j in kept),
            chosen={k: v for k, v in self.chosen.items() if k in kept_keys},
        )

    def issue(self, key: str) -> IssueDiff:
        """The row of one issue key."""
        if key not in self.keys:
            raise KeyError(f"neither proposal addresses {key!r}")
        return self.issues[self.keys.index(key)]


def issue_weight(a: Position | None, b: Position | None) -> float:
    """Mean of both sides' salience, an unstated salience counting as 0.5.

    Written as (a + b) / 2 so that the vectorised matrix, which computes the same sum, gives
    the same floats.
    """
    if a is None or b is None:
        some = a or b
        assert some is not None
        return DEFAULT_SALIENCE if some.salience is None else some.salience
    weight_a = DEFAULT_SALIENCE if a.salience is None else a.salience
    weight_b = DEFAULT_SALIENCE if b.salience is None else b.salience
    return (weight_a + weight_b) / 2


def reading_order(*position_sets: PositionSet) -> list[str]:
    """Every issue key the position sets state, in reading order: the one place the order is
    derived. Each key takes the sort key of its first statement, the proposals' own stances
    before their alternatives', and the earlier proposal before the later one.

    The keys stated only in alternatives are put after the others before sorting: each set's
    own keys are already in reading order, so the sort meets long runs and compares less
    (a sort key holds its issue key, so no two keys tie and the order is the same)."""
    order: dict[str, tuple[tuple[int, str, int], str]] = {}
    for positions in reversed(position_sets):
        order.update(positions.sort_keys)
    offered: dict[str, tuple[tuple[int, str, int], str]] = {}
    for positions in reversed(position_sets):
        if positions.alternatives:
            offered.update(positions.alternative_sort_keys())
    for key, sort_key in offered.items():
        if key not in order:
            order[key] = sort_key
    return sorted(order, key=order.__getitem__)


def diff(a: PositionSet, b: PositionSet) -> ProposalDiff:
    """Align two position sets by issue key and compare every issue either addresses."""
    keys = tuple(reading_order(a, b))
    chosen: dict[str, tuple[Position | None, Position | None]] = {}
    if a.alternatives or b.alternatives:
        sides = _closest_sides(a, b, keys, chosen)
    else:
        sides = _plain_sides(a, b, keys)
    return ProposalDiff(a, b, keys, sides.judgements, _summarised(sides), chosen)


@dataclass(frozen=True, slots=True)
class _Sides:
    """Each key's stance on either side (None where the side is silent) and its judgement, as
    three columns in key order: what the summary is counted from."""

    a: list[Position | None]
    b: list[Position | None]
    judgements: tuple[Judgement, ...]


def _plain_sides(a: PositionSet, b: PositionSet, keys: tuple[str, ...]) -> _Sides:
    """Both sides' own stances on every key, judged: no side offers alternatives, so each key
    has at most one pair (the engine's hot path)."""
    sides_a = list(map(a.positions.get, keys))
    sides_b = list(map(b.positions.get, keys))
    judgements: list[Judgement] = []
    for key, position_a, position_b in zip(keys, sides_a, sides_b, strict=True):
        if position_a is None:
            judgements.append(ONLY_B)
        elif position_b is None:
            judgements.append(ONLY_A)
        else:
            if position_a.definition is not position_b.definition:
                check_same_definition(key, position_a, position_b, a, b)
            judgements.append(judge(position_a, position_b))
    return _Sides(sides_a, sides_b, tuple(judgements))


def _closest_sides(
    a: PositionSet,
    b: PositionSet,
    keys: tuple[str, ...],
    chosen: dict[str, tuple[Position | None, Position | None]],
) -> _Sides:
    """Every key's pair where a side offers alternatives: a key both sides state in their own
    terms is one pair, as on the plain path; any other is the ``closest`` of the candidates,
    recorded in ``chosen``. Each side's alternatives are gathered by key once per comparison
    (``_offered``), not searched key by key."""
    left, right = a.positions, b.positions
    offered_a, offered_b = _offered(a), _offered(b)
    sides_a: list[Position | None] = []
    sides_b: list[Position | None] = []
    judgements: list[Judgement] = []
    for key in keys:
        position_a, position_b = left.get(key), right.get(key)
        if position_a is not None and position_b is not None:
            if position_a.definition is not position_b.definition:
                check_same_definition(key, position_a, position_b, a, b)
            judgement = judge(position_a, position_b)
        else:
            candidates_a = offered_a.get(key, ()) if position_a is None else (position_a,)
            candidates_b = offered_b.get(key, ()) if position_b is None else (position_b,)
            position_a, position_b, judgement = closest(key, candidates_a, candidates_b, a, b)
            chosen[key] = (position_a, position_b)
        sides_a.append(position_a)
        sides_b.append(position_b)
        judgements.append(judgement)
    return _Sides(sides_a, sides_b, tuple(judgements))


def _offered(positions: PositionSet) -> dict[str, tuple[Position, ...]]:
    """``PositionSet.candidates`` of every issue the set states only in alternatives, in the
    alternatives' order, gathered in one pass over them."""
    found: dict[str, list[Position]] = {}
    own = positions.positions
    for alternative in positions.alternatives:
        for key, position in alternative.positions.items():
            if key not in own:
                found.setdefault(key, []).append(position)
    return {key: tuple(stances) for key, stances in found.items()}


def _given_sides(
    a: PositionSet,
    b: PositionSet,
    keys: tuple[str, ...],
    judgements: tuple[Judgement, ...],
    chosen: Mapping[str, tuple[Position | None, Position | None]],
) -> _Sides:
    """The sides of judgements made before (a selection of a diff): the pair chosen then, or
    both sides' own stances."""
    left, right = a.positions, b.positions
    pairs = [chosen.get(key) or (left.get(key), right.get(key)) for key in keys]
    return _Sides([p[0] for p in pairs], [p[1] for p in pairs], judgements)


def _summarised(sides: _Sides) -> DiffSummary:
    """Count the summary in one loop over the columns, in local variables: every key counts
    by relation and category, and the shared keys with a gap add their weighted gap."""
    counts = dict.fromkeys(RELATIONS, 0)
    by_category: dict[str, dict[Relation, int]] = {}
    per_category: dict[str, list[float]] = {}  # category -> [weighted gaps, weights]
    basis = [0, 0, 0, 0]  # salience stated by both, by B only, by A only, by neither
    weighted = total = 0.0
    for position_a, position_b, judgement in zip(sides.a, sides.b, sides.judgements, strict=True):
        relation = judgement.relation
        counts[relation] += 1
        category = (position_a or position_b).category  # type: ignore[union-attr]
        relations = by_category.get(category)
        if relations is None:
            relations = by_category[category] = dict.fromkeys(RELATIONS, 0)
        relations[relation] += 1
        gap = judgement.gap
        if gap is None or position_a is None or position_b is None:
            continue
        salience_a, salience_b = position_a.salience, position_b.salience
        weight = (
            (DEFAULT_SALIENCE if salience_a is None else salience_a)
            + (DEFAULT_SALIENCE if salience_b is None else salience_b)
        ) / 2  # issue_weight, inlined on the hot path
        weighted += weight * gap
        total += weight
        sums = per_category.get(category)
        if sums is None:
            sums = per_category[category] = [0.0, 0.0]
        sums[0] += weight * gap
        sums[1] += weight
        basis[(salience_a is None) + 2 * (salience_b is None)] += 1
    overall = weighted / total if total > 0 else None
    return _summary(counts, by_category, overall, basis, per_category)


def _summary(
    counts: dict[Relation, int],
    by_category: dict[str, dict[Relation, int]],
    overall: float | None,
    basis: list[int],
    per_category: dict[str, list[float]],
) -> DiffSummary:
    return DiffSummary(
        counts=counts,
        by_category=by_category,
        overall_gap=overall,
        shared_issues=sum(basis),
        salience=SalienceBasis(both=basis[0], only_a=basis[2], only_b=basis[1], neither=basis[3]),
        category_weights={c: sums[1] for c, sums in per_category.items()},
        category_gaps={c: sums[0] / sums[1] for c, sums in per_category.items() if sums[1] > 0},
    )


def closest(
    key: str,
    candidates_a: tuple[Position, ...],
    candidates_b: tuple[Position, ...],
    a: PositionSet,
    b: PositionSet,
) -> tuple[Position | None, Position | None, Judgement]:
    """The pair of stances that comes closest, where a side offers alternatives: the best
    relation (agree, partial, unclear, conflict), then the smallest gap, then the first
    alternative (``_tie_order``). A side that is silent leaves the row one-sided, citing its
    first stance. Ranks are compared as the tuples (relation, gap, tie order) would be, the
    tie order built only when relation and gap tie."""
    if not candidates_a:
        return None, candidates_b[0] if candidates_b else None, ONLY_B
    if not candidates_b:
        return candidates_a[0], None, ONLY_A
    best: tuple[Position, Position, Judgement] | None = None
    best_rank: tuple[int, float] = (0, 0.0)
    best_ties: list[tuple[str, str]] | None = None
    for left in candidates_a:
        for right in candidates_b:
            if left.definition is not right.definition:
                check_same_definition(key, left, right, a, b)
            judgement = judge(left, right)
            rank = (_RELATION_RANK[judgement.relation], judgement.gap or 0.0)
            if best is None or rank < best_rank:
                best, best_rank, best_ties = (left, right, judgement), rank, None
            elif rank == best_rank:  # the tie-break, worked out only for a tie
                ties = _tie_order(a, b, left, right)
                if best_ties is None:
                    best_ties = _tie_order(a, b, best[0], best[1])
                if ties < best_ties:
                    best, best_ties = (left, right, judgement), ties
    assert best is not None
    return best


def _tie_order(
    a: PositionSet, b: PositionSet, left: Position, right: Position
) -> list[tuple[str, str]]:
    """Ties go to the alternatives first in proposal-id order, whichever side is A, so that
    swapping the sides picks the same pair."""
    return sorted(
        ((a.proposal_id, left.alternative or ""), (b.proposal_id, right.alternative or ""))
    )


def diff_candidates(key: str, a: PositionSet, b: PositionSet) -> IssueDiff:
    """The row of one issue, taking each side's closest alternative where it offers several."""
    left, right, judgement = closest(key, a.candidates(key), b.candidates(key), a, b)
    return _row(key, left, right, judgement, a, b, {})


def check_same_definition(
    key: str, left: Position, right: Position, a: PositionSet, b: PositionSet
) -> None:
    """Raise ``ComparisonError`` unless both stances rest on the same definition of the issue:
    the one codebook-mismatch check of compare, the grid, the matrix and the timeline."""
    if left.definition is not right.definition and left.definition != right.definition:
        raise ComparisonError(
            f"{key!r} is defined differently in the codebooks of {a.proposal_id!r} and "
            f"{b.proposal_id!r}; compare proposals validated against the same codebook"
        )


def _row(
    key: str,
    left: Position | None,
    right: Position | None,
    judgement: Judgement,
    a: PositionSet,
    b: PositionSet,
    category_labels: dict[str, str],
) -> IssueDiff:
    some = left or right
    assert some is not None
    category_label = category_labels.get(some.category)
    if category_label is None:
        category_label = category_labels[some.category] = _category_label(some.category, a, b)
    return IssueDiff(
        key=key,
        label=some.label,
        category=some.category,
        category_label=category_label,
        a=left,
        b=right,
        relation=judgement.relation,
        gap=judgement.gap,
        reason=judgement.reason,
        labels=(a.label, b.label),
        acceptable_meet=judgement.acceptable_meet,
    )


def _category_label(category: str, a: PositionSet, b: PositionSet) -> str:
    for codebook in (a.codebook, b.codebook):
        if category in codebook.category_order:
            return codebook.category(category).label
    return category


def _category(pair: tuple[Position | None, Position | None]) -> str:
    some = pair[0] or pair[1]
    assert some is not None
    return some.category
