"""Comparing two proposals issue by issue, and summarising where they stand."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field

from negpos.engine.rules import Relation, compare_positions
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
    explanation: str

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


@dataclass(frozen=True, slots=True)
class ProposalDiff:
    """The engine's result for two proposals: every issue either addresses, in reading order."""

    a: PositionSet
    b: PositionSet
    issues: tuple[IssueDiff, ...]
    summary: DiffSummary = field(init=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "summary", _summarise(self.issues))

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
        kept = tuple(
            item
            for item in self.issues
            if (wanted_relations is None or item.relation in wanted_relations)
            and (wanted_categories is None or item.category in wanted_categories)
            and (wanted_keys is None or item.key in wanted_keys)
        )
        return ProposalDiff(a=self.a, b=self.b, issues=kept)

    def issue(self, key: str) -> IssueDiff:
        for item in self.issues:
            if item.key == key:
                return item
        raise KeyError(f"neither proposal addresses {key!r}")


def issue_weight(a: Position | None, b: Position | None) -> float:
    """Mean of both sides' salience, an unstated salience counting as 0.5."""
    sides = [p for p in (a, b) if p is not None]
    return sum(DEFAULT_SALIENCE if p.salience is None else p.salience for p in sides) / len(sides)


def diff(a: PositionSet, b: PositionSet) -> ProposalDiff:
    """Align two position sets by issue key and compare every issue either addresses."""
    keys = sorted(set(a) | set(b), key=lambda k: ((a.get(k) or b[k]).order, k))
    items = []
    for key in keys:
        left, right = a.get(key), b.get(key)
        items.append(diff_issue(key, left, right, a, b))
    return ProposalDiff(a=a, b=b, issues=tuple(items))


def diff_issue(
    key: str, left: Position | None, right: Position | None, a: PositionSet, b: PositionSet
) -> IssueDiff:
    some = left or right
    assert some is not None
    category_label = next(
        (
            c.category(some.category).label
            for c in (a.codebook, b.codebook)
            if some.category in c.category_order
        ),
        some.category,
    )
    if left is not None and right is not None:
        if left.definition != right.definition:
            raise ComparisonError(
                f"{key!r} is defined differently in the codebooks of {a.proposal_id!r} and "
                f"{b.proposal_id!r}; compare proposals validated against the same codebook"
            )
        outcome = compare_positions(left, right, a.label, b.label)
        relation, gap, explanation = outcome.relation, outcome.gap, outcome.explanation
    elif left is not None:
        relation, gap = Relation.ONLY_A, None
        explanation = f"Only {a.label} addresses this: {left.text}."
    else:
        assert right is not None
        relation, gap = Relation.ONLY_B, None
        explanation = f"Only {b.label} addresses this: {right.text}."
    return IssueDiff(
        key=key,
        label=some.label,
        category=some.category,
        category_label=category_label,
        a=left,
        b=right,
        relation=relation,
        gap=gap,
        explanation=explanation,
    )


def _summarise(issues: tuple[IssueDiff, ...]) -> DiffSummary:
    counts = Counter(item.relation for item in issues)
    by_category: dict[str, Counter[Relation]] = {}
    for item in issues:
        by_category.setdefault(item.category, Counter())[item.relation] += 1
    weighted = total = 0.0
    shared = 0
    for item in issues:
        if item.gap is None:
            continue
        shared += 1
        weighted += item.weight * item.gap
        total += item.weight
    return DiffSummary(
        counts={r: counts.get(r, 0) for r in Relation},
        by_category={c: {r: n.get(r, 0) for r in Relation} for c, n in by_category.items()},
        overall_gap=weighted / total if total > 0 else None,
        shared_issues=shared,
    )
