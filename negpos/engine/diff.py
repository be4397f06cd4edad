"""Comparing two proposals issue by issue, and summarising where they stand."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from negpos.engine.rules import ONLY_A, ONLY_B, Judgement, Reason, Relation, explain, judge
from negpos.errors import ComparisonError
from negpos.model import Source
from negpos.positions import Position, PositionSet

__all__ = ["DiffSummary", "IssueDiff", "ProposalDiff", "diff", "diff_issue", "issue_weight"]

DEFAULT_SALIENCE = 0.5


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
            return f"Only {self.labels[1]} addresses this: {self.b.text}."
        if self.b is None:
            return f"Only {self.labels[0]} addresses this: {self.a.text}."
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
class DiffSummary:
    """Counts per relation and per category, and the salience-weighted overall gap."""

    counts: dict[Relation, int]
    by_category: dict[str, dict[Relation, int]]
    overall_gap: float | None
    shared_issues: int

    def __str__(self) -> str:
        counts = ", ".join(f"{self.counts[r]} {r.value}" for r in Relation)
        gap = "n/a" if self.overall_gap is None else f"{self.overall_gap:.2f}"
        issues = "issue" if self.shared_issues == 1 else "issues"
        return f"{counts}; overall gap {gap} over {self.shared_issues} shared {issues}"


class ProposalDiff:
    """The engine's result for two proposals: every issue either addresses, in reading order.

    The comparison is computed whole when the object is made: each issue's relation, gap and
    reason (``keys`` and ``judgements``, as columns) and the summary. The row objects of
    ``issues`` are assembled from those columns on first access, since a pipeline over a
    corpus often needs only relations, gaps and summaries.
    """

    __slots__ = ("_issues", "a", "b", "judgements", "keys", "summary")

    def __init__(
        self,
        a: PositionSet,
        b: PositionSet,
        keys: tuple[str, ...],
        judgements: tuple[Judgement, ...],
        summary: DiffSummary | None = None,
    ) -> None:
        self.a = a
        self.b = b
        self.keys = keys
        self.judgements = judgements
        if summary is None:
            left, right = a.positions, b.positions
            summary = _summarise(
                [(left.get(k), right.get(k), j) for k, j in zip(keys, judgements, strict=True)]
            )
        self.summary = summary
        self._issues: tuple[IssueDiff, ...] | None = None

    @property
    def issues(self) -> tuple[IssueDiff, ...]:
        """One row per issue, with both positions, relation, gap and explanation."""
        if self._issues is None:
            left, right = self.a.positions, self.b.positions
            labels: dict[str, str] = {}
            self._issues = tuple(
                _row(key, left.get(key), right.get(key), judgement, self.a, self.b, labels)
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
        left, right = self.a.positions, self.b.positions
        kept = [
            (key, judgement)
            for key, judgement in zip(self.keys, self.judgements, strict=True)
            if (wanted_relations is None or judgement.relation in wanted_relations)
            and (
                wanted_categories is None
                or (left.get(key) or right[key]).category in wanted_categories
            )
            and (wanted_keys is None or key in wanted_keys)
        ]
        return ProposalDiff(self.a, self.b, tuple(k for k, _ in kept), tuple(j for _, j in kept))

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


def diff(a: PositionSet, b: PositionSet) -> ProposalDiff:
    """Align two position sets by issue key and compare every issue either addresses."""
    left, right = a.positions, b.positions
    order = {**b.sort_keys, **a.sort_keys}
    keys = tuple(sorted(order, key=order.__getitem__))
    judged: list[tuple[Position | None, Position | None, Judgement]] = []
    judgements: list[Judgement] = []
    for key in keys:
        position_a, position_b = left.get(key), right.get(key)
        if position_a is None:
            judgement = ONLY_B
        elif position_b is None:
            judgement = ONLY_A
        else:
            if position_a.definition is not position_b.definition:
                _check_same_definition(key, position_a, position_b, a, b)
            judgement = judge(position_a, position_b)
        judged.append((position_a, position_b, judgement))
        judgements.append(judgement)
    return ProposalDiff(a, b, keys, tuple(judgements), _summarise(judged))


def diff_issue(
    key: str, left: Position | None, right: Position | None, a: PositionSet, b: PositionSet
) -> IssueDiff:
    """The row of one issue of two proposals (either side may be silent)."""
    if left is None:
        judgement = ONLY_B
    elif right is None:
        judgement = ONLY_A
    else:
        _check_same_definition(key, left, right, a, b)
        judgement = judge(left, right)
    return _row(key, left, right, judgement, a, b, {})


def _check_same_definition(
    key: str, left: Position, right: Position, a: PositionSet, b: PositionSet
) -> None:
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


def _summarise(judged: list[tuple[Position | None, Position | None, Judgement]]) -> DiffSummary:
    counts = dict.fromkeys(Relation, 0)
    by_category: dict[str, dict[Relation, int]] = {}
    weighted = total = 0.0
    shared = 0
    for position_a, position_b, judgement in judged:
        relation = judgement.relation
        counts[relation] += 1
        category = (position_a or position_b).category  # type: ignore[union-attr]
        per_category = by_category.get(category)
        if per_category is None:
            per_category = by_category[category] = dict.fromkeys(Relation, 0)
        per_category[relation] += 1
        gap = judgement.gap
        if gap is None:
            continue
        shared += 1
        weight = issue_weight(position_a, position_b)
        weighted += weight * gap
        total += weight
    return DiffSummary(
        counts=counts,
        by_category=by_category,
        overall_gap=weighted / total if total > 0 else None,
        shared_issues=shared,
    )
