"""How two stances on one issue relate, kind by kind: the relation, the gap, the reason.

Every rule is documented in docs/comparison.md; the gap functions are also what the
vectorised pairwise matrix calls on distinct values, so the two can never disagree.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum

from negpos.codebook import IssueDefinition, IssueKind
from negpos.positions import Position, PositionValue, value_text
from negpos.values import NumberRange, format_number

__all__ = [
    "ONLY_A",
    "ONLY_B",
    "Judgement",
    "Reason",
    "Relation",
    "explain",
    "gap_between",
    "judge",
]

# Stands for "everyone the other side did not name" when a set holds the universal item.
_EVERYONE_ELSE = "\x00everyone-else"
_WORD = re.compile(r"\w+")


class Relation(StrEnum):
    """The fixed vocabulary of how two sides' stances on one issue relate."""

    AGREE = "agree"
    PARTIAL = "partial"
    CONFLICT = "conflict"
    ONLY_A = "only_a"
    ONLY_B = "only_b"

    def mirrored(self) -> Relation:
        """The relation seen from the other side."""
        if self is Relation.ONLY_A:
            return Relation.ONLY_B
        if self is Relation.ONLY_B:
            return Relation.ONLY_A
        return self


def gap_between(
    definition: IssueDefinition,
    a: PositionValue,
    b: PositionValue,
    unit_a: str | None = None,
    unit_b: str | None = None,
) -> float:
    """Distance between two stated values, 0 (identical) to 1 (as far apart as the issue allows)."""
    kind = definition.kind
    if kind == IssueKind.ORDINAL:
        steps = len(definition.values) - 1
        return abs(definition.rank(str(a)) - definition.rank(str(b))) / steps if steps else 0.0
    if kind == IssueKind.NUMBER:
        if unit_a != unit_b:
            return 1.0
        return number_gap(_as_number(a), _as_number(b), definition.range)
    if kind == IssueKind.SET:
        left, right = _expanded_sets(definition, _as_set(a), _as_set(b))
        union = left | right
        return 1.0 - len(left & right) / len(union) if union else 0.0
    if kind == IssueKind.TEXT:
        return text_gap(str(a), str(b))
    return 0.0 if a == b else 1.0


def number_gap(a: float, b: float, span: NumberRange | None) -> float:
    """|a - b| over the issue's range, or over the larger magnitude when it has none; capped at 1."""
    if a == b:
        return 0.0
    if span is not None and span.min is not None and span.max is not None:
        return min(1.0, abs(a - b) / (span.max - span.min))
    return min(1.0, abs(a - b) / max(abs(a), abs(b)))


def text_gap(a: str, b: str) -> float:
    """1 - Jaccard similarity of the two texts' sets of words (case-folded)."""
    left, right = _words(a), _words(b)
    union = left | right
    return 1.0 - len(left & right) / len(union) if union else 0.0


class Reason(StrEnum):
    """Why two stances relate as they do: a code scripts can filter on, and the key of the
    sentence ``explain`` writes."""

    SAME = "same"
    EXCLUSIVE = "exclusive"  # categories that exclude each other
    OPPOSED = "opposed"  # opposite poles of a scale, or yes against no
    DEGREE = "degree"  # levels of a scale, in no common pole
    DEGREE_SAME_SIDE = "degree_same_side"  # levels in the same pole
    FIGURES_DIFFER = "figures_differ"
    UNITS_DIFFER = "units_differ"
    NO_OVERLAP = "no_overlap"
    SUBSET = "subset"  # one side's items are all among the other's
    OVERLAP = "overlap"
    WORDED_DIFFERENTLY = "worded_differently"
    ONLY_A = "only_a"
    ONLY_B = "only_b"


@dataclass(frozen=True, slots=True)
class Judgement:
    """The relation and gap of two stances, why, and whether acceptable ranges decided it."""

    relation: Relation
    gap: float | None  # None when only one side addresses the issue
    reason: Reason
    acceptable_meet: bool | None = None  # None: no acceptable range was involved


_AGREE = Judgement(Relation.AGREE, 0.0, Reason.SAME)
ONLY_A = Judgement(Relation.ONLY_A, None, Reason.ONLY_A)
ONLY_B = Judgement(Relation.ONLY_B, None, Reason.ONLY_B)


def judge(a: Position, b: Position) -> Judgement:
    """Relation and gap of two stances on the same issue, without building any text."""
    if a.value == b.value and a.unit == b.unit:
        return _AGREE  # the common case, whatever the kind
    base = _by_kind(a.definition, a, b)
    if base.relation is Relation.AGREE or (a.acceptable is None and b.acceptable is None):
        return base
    if base.reason is Reason.UNITS_DIFFER:
        return base  # figures in different units cannot meet, whatever each would accept
    meet = _acceptable_meet(a, b) is not None
    relation = Relation.PARTIAL if meet else Relation.CONFLICT
    return Judgement(relation, base.gap, base.reason, meet)


def explain(judgement: Judgement, a: Position, b: Position, label_a: str, label_b: str) -> str:
    """The one-line reason a reader sees, written only when asked for."""
    reason = judgement.reason
    definition = a.definition
    both = f"{label_a}: {a.text}; {label_b}: {b.text}"
    if reason is Reason.SAME:
        text = f"Both: {a.text}."
    elif reason is Reason.UNITS_DIFFER:
        text = f"Not comparable, the units differ ({a.unit} vs {b.unit}): {both}."
    elif reason is Reason.OPPOSED:
        text = f"Opposed: {both}."
    elif reason is Reason.EXCLUSIVE:
        text = f"Mutually exclusive: {both}."
    elif reason in (Reason.DEGREE, Reason.DEGREE_SAME_SIDE):
        steps = abs(definition.rank(str(a.value)) - definition.rank(str(b.value)))
        scale = len(definition.values) - 1
        side = "Same side, differ" if reason is Reason.DEGREE_SAME_SIDE else "Differ"
        text = f"{side} in degree ({steps} of {scale} steps): {both}."
    elif reason is Reason.FIGURES_DIFFER:
        text = f"Differ in degree ({judgement.gap or 0.0:.0%} apart): {both}."
    elif reason is Reason.WORDED_DIFFERENTLY:
        text = f"Worded differently ({1.0 - (judgement.gap or 0.0):.0%} of words shared): {both}."
    elif reason is Reason.NO_OVERLAP:
        text = f"No overlap: {both}."
    else:
        left, right = _expanded_sets(definition, _as_set(a.value), _as_set(b.value))
        if reason is Reason.SUBSET:
            wider, narrower = (label_a, label_b) if right <= left else (label_b, label_a)
            text = f"Overlap: {wider} includes all of {narrower}'s and more. {both}."
        else:
            shared = value_text(definition, (left & right) - {_EVERYONE_ELSE}, None, a.party_names)
            text = f"Overlap on {shared}: {both}."
    if judgement.acceptable_meet is True:
        text += f" Both would accept {_acceptable_meet(a, b)}."
    elif judgement.acceptable_meet is False:
        text += " What each side would accept does not overlap."
    return text


def _by_kind(definition: IssueDefinition, a: Position, b: Position) -> Judgement:
    """Each kind's rule, computing what it needs once (this is the engine's hot path)."""
    kind = definition.kind
    if kind is IssueKind.ORDINAL or kind is IssueKind.CATEGORICAL or kind is IssueKind.BOOLEAN:
        memo = definition.judgement_memo  # few values, many pairs: judge each pair once
        pair = (a.value, b.value)
        judged = memo.get(pair)
        if judged is None:
            judged = memo[pair] = _finite_kind(definition, a, b)
        return judged
    if kind is IssueKind.NUMBER:
        if a.unit != b.unit:
            return Judgement(Relation.CONFLICT, 1.0, Reason.UNITS_DIFFER)
        gap = number_gap(_as_number(a.value), _as_number(b.value), definition.range)
        return Judgement(Relation.PARTIAL, gap, Reason.FIGURES_DIFFER)
    if kind is IssueKind.SET:
        left, right = _expanded_sets(definition, _as_set(a.value), _as_set(b.value))
        if left == right:
            return _AGREE
        common = left & right
        gap = 1.0 - len(common) / len(left | right)
        if not common:
            return Judgement(Relation.CONFLICT, gap, Reason.NO_OVERLAP)
        subset = left <= right or right <= left
        return Judgement(Relation.PARTIAL, gap, Reason.SUBSET if subset else Reason.OVERLAP)
    # text: the same words agree, whatever the case or punctuation
    words_a, words_b = _words(str(a.value)), _words(str(b.value))
    if words_a == words_b:
        return _AGREE
    gap = 1.0 - len(words_a & words_b) / len(words_a | words_b)
    return Judgement(Relation.PARTIAL, gap, Reason.WORDED_DIFFERENTLY)


def _finite_kind(definition: IssueDefinition, a: Position, b: Position) -> Judgement:
    """Ordinal, categorical and yes/no issues, whose value pairs the memo keeps."""
    if a.value == b.value:
        return _AGREE
    if definition.kind is IssueKind.ORDINAL:
        value_a, value_b = str(a.value), str(b.value)
        gap = gap_between(definition, value_a, value_b)
        pole_a, pole_b = definition.pole_of(value_a), definition.pole_of(value_b)
        if pole_a is not None and pole_b is not None and pole_a != pole_b:
            return Judgement(Relation.CONFLICT, gap, Reason.OPPOSED)
        same_side = pole_a is not None and pole_a == pole_b
        return Judgement(
            Relation.PARTIAL, gap, Reason.DEGREE_SAME_SIDE if same_side else Reason.DEGREE
        )
    if definition.kind is IssueKind.BOOLEAN:
        return Judgement(Relation.CONFLICT, 1.0, Reason.OPPOSED)
    return Judgement(Relation.CONFLICT, 1.0, Reason.EXCLUSIVE)


def _words(text: str) -> set[str]:
    return set(_WORD.findall(text.casefold()))


def _as_number(value: PositionValue) -> float:
    if not isinstance(value, float):
        raise TypeError(f"expected a number value, got {value!r}")
    return value


def _as_set(value: PositionValue) -> frozenset[str]:
    if not isinstance(value, frozenset):
        raise TypeError(f"expected a set value, got {value!r}")
    return value


def _expanded_sets(
    definition: IssueDefinition, a: frozenset[str], b: frozenset[str]
) -> tuple[frozenset[str], frozenset[str]]:
    """Replace the universal item by everything the other side names, plus everyone else.

    The universal item absorbs anything listed beside it: [international, US] means
    everyone, just as [international] does.
    """
    everyone = definition.universal
    if everyone is None:
        return a, b
    if everyone in a:
        a = frozenset({everyone})
    if everyone in b:
        b = frozenset({everyone})
    if (everyone in a) == (everyone in b):
        return a, b
    if everyone in a:
        return b | {_EVERYONE_ELSE}, b
    return a, a | {_EVERYONE_ELSE}


def _acceptable_meet(a: Position, b: Position) -> str | None:
    """What both sides would accept, as text, or None if their acceptable stances are apart."""
    if isinstance(a.value, float) and isinstance(b.value, float):
        return _ranges_meet(a, b)
    zone_a = (a.acceptable if isinstance(a.acceptable, frozenset) else frozenset()) | {a.value}
    zone_b = (b.acceptable if isinstance(b.acceptable, frozenset) else frozenset()) | {b.value}
    common = zone_a & zone_b
    if not common:
        return None
    return " or ".join(sorted(value_text(a.definition, v, a.unit, a.party_names) for v in common))


def _ranges_meet(a: Position, b: Position) -> str | None:
    range_a = a.acceptable if isinstance(a.acceptable, NumberRange) else None
    range_b = b.acceptable if isinstance(b.acceptable, NumberRange) else None
    value_a, value_b = _as_number(a.value), _as_number(b.value)
    unit = f" {a.unit}" if a.unit else ""
    if range_a is not None and range_a.contains(value_b):
        return format_number(value_b) + unit
    if range_b is not None and range_b.contains(value_a):
        return format_number(value_a) + unit
    if range_a is not None and range_b is not None and range_a.overlaps(range_b):
        low = max(x for x in (range_a.min, range_b.min, -1e308) if x is not None)
        high = min(x for x in (range_a.max, range_b.max, 1e308) if x is not None)
        return f"{format_number(low)}–{format_number(high)}{unit}"
    return None
