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

__all__ = ["Outcome", "Relation", "compare_positions", "gap_between"]

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


@dataclass(frozen=True, slots=True)
class Outcome:
    relation: Relation
    gap: float
    explanation: str


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


def compare_positions(a: Position, b: Position, label_a: str, label_b: str) -> Outcome:
    """Relation, gap and a one-line reason for two stances on the same issue."""
    definition = a.definition
    outcome = _by_kind(definition, a, b, label_a, label_b)
    if outcome.relation is Relation.AGREE or (a.acceptable is None and b.acceptable is None):
        return outcome
    if definition.kind == IssueKind.NUMBER and a.unit != b.unit:
        return outcome  # figures in different units cannot meet, whatever each would accept
    meeting = _acceptable_meet(a, b)
    if meeting is None:
        return Outcome(
            Relation.CONFLICT,
            outcome.gap,
            f"{outcome.explanation} What each side would accept does not overlap.",
        )
    return Outcome(
        Relation.PARTIAL,
        outcome.gap,
        f"{outcome.explanation} Both would accept {meeting}.",
    )


def _by_kind(definition: IssueDefinition, a: Position, b: Position, la: str, lb: str) -> Outcome:
    kind = definition.kind
    both = f"{la}: {a.text}; {lb}: {b.text}"
    if kind == IssueKind.NUMBER and a.unit != b.unit:
        return Outcome(
            Relation.CONFLICT,
            1.0,
            f"Not comparable, the units differ ({a.unit} vs {b.unit}): {both}.",
        )
    if _same(a, b):
        return Outcome(Relation.AGREE, 0.0, f"Both: {a.text}.")
    gap = gap_between(definition, a.value, b.value, a.unit, b.unit)
    if kind == IssueKind.ORDINAL:
        steps = abs(definition.rank(str(a.value)) - definition.rank(str(b.value)))
        pole_a, pole_b = definition.pole_of(str(a.value)), definition.pole_of(str(b.value))
        if pole_a is not None and pole_b is not None and pole_a != pole_b:
            return Outcome(Relation.CONFLICT, gap, f"Opposed: {both}.")
        scale = len(definition.values) - 1
        side = "Same side, differ" if pole_a is not None and pole_a == pole_b else "Differ"
        return Outcome(
            Relation.PARTIAL, gap, f"{side} in degree ({steps} of {scale} steps): {both}."
        )
    if kind == IssueKind.NUMBER:
        return Outcome(Relation.PARTIAL, gap, f"Differ in degree ({gap:.0%} apart): {both}.")
    if kind == IssueKind.SET:
        return _compare_sets(definition, a, b, la, lb, gap)
    if kind == IssueKind.TEXT:
        shared = 1.0 - gap
        return Outcome(
            Relation.PARTIAL, gap, f"Worded differently ({shared:.0%} of words shared): {both}."
        )
    if kind == IssueKind.BOOLEAN:
        return Outcome(Relation.CONFLICT, gap, f"Opposed: {both}.")
    return Outcome(Relation.CONFLICT, gap, f"Mutually exclusive: {both}.")


def _same(a: Position, b: Position) -> bool:
    if a.definition.kind == IssueKind.SET:
        left, right = _expanded_sets(a.definition, _as_set(a.value), _as_set(b.value))
        return left == right
    if a.definition.kind == IssueKind.TEXT:  # the same words, whatever the case or punctuation
        return _words(str(a.value)) == _words(str(b.value))
    return a.value == b.value


def _words(text: str) -> set[str]:
    return set(_WORD.findall(text.casefold()))


def _compare_sets(
    definition: IssueDefinition, a: Position, b: Position, la: str, lb: str, gap: float
) -> Outcome:
    left, right = _expanded_sets(definition, _as_set(a.value), _as_set(b.value))
    both = f"{la}: {a.text}; {lb}: {b.text}"
    if not left & right:
        return Outcome(Relation.CONFLICT, gap, f"No overlap: {both}.")
    if left <= right or right <= left:
        wider, narrower = (la, lb) if right <= left else (lb, la)
        return Outcome(
            Relation.PARTIAL,
            gap,
            f"Overlap: {wider} includes all of {narrower}'s and more. {both}.",
        )
    shared = value_text(definition, (left & right) - {_EVERYONE_ELSE}, None, a.party_names)
    return Outcome(Relation.PARTIAL, gap, f"Overlap on {shared}: {both}.")


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
