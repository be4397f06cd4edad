"""How two stances on one issue relate, kind by kind: the relation, the gap, the reason.

Every rule is documented in docs/comparison.md and written here once. ``judge_values`` is the
rule of each kind on two values; ``gap_between`` is its gap, and ``judge`` adds what both
stances say besides their values (fallbacks, conditions, parts of a region). The pairwise
matrix (``negpos.engine.matrix``) derives every gap from these same functions: it calls
``judge_values`` on each issue's distinct values, and for lists of items and texts it counts
the items two stances share and calls ``jaccard_gap`` on the distinct counts. Only the
arithmetic of figures (``number_gap``) is mirrored there in array form, and a law holds the
two equal.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from enum import StrEnum

from negpos.codebook import PERCENT, IssueDefinition, IssueKind
from negpos.model import Condition
from negpos.positions import (
    UNSTATED,
    AnyBut,
    AtLeast,
    EveryoneBut,
    Position,
    PositionValue,
    value_text,
)
from negpos.values import NumberRange, format_number

__all__ = [
    "ONLY_A",
    "ONLY_B",
    "RELATIONS",
    "Judgement",
    "Reason",
    "Relation",
    "clear_judgement_memo",
    "explain",
    "fixed_items",
    "gap_between",
    "jaccard_gap",
    "judge",
    "judge_values",
    "number_gap",
]

# Stands for "everyone the other side did not name" when a set holds the universal item.
_EVERYONE_ELSE = "\x00everyone-else"
_EVERYONE_ELSE_SET = frozenset({_EVERYONE_ELSE})
_NOBODY: frozenset[str] = frozenset()
_WORD = re.compile(r"\w+")


class Relation(StrEnum):
    """The fixed vocabulary of how two sides' stances on one issue relate."""

    AGREE = "agree"
    PARTIAL = "partial"
    CONFLICT = "conflict"
    UNCLEAR = "unclear"  # both address it, but one states no level: not judged
    ONLY_A = "only_a"
    ONLY_B = "only_b"

    def mirrored(self) -> Relation:
        """The relation seen from the other side."""
        if self is Relation.ONLY_A:
            return Relation.ONLY_B
        if self is Relation.ONLY_B:
            return Relation.ONLY_A
        return self


RELATIONS: tuple[Relation, ...] = tuple(Relation)
"""Every relation, in the order tables list them (a tuple: iterating the enum is slower)."""


class Reason(StrEnum):
    """Why two stances relate as they do: a code scripts can filter on, and the key of the
    sentence ``explain`` writes."""

    SAME = "same"
    EXCLUSIVE = "exclusive"  # categories that exclude each other
    OPPOSED = "opposed"  # opposite poles of a scale, or yes against no
    DEGREE = "degree"  # levels of a scale, in no common pole
    DEGREE_SAME_SIDE = "degree_same_side"  # levels in the same pole
    SAME_LEVEL = "same_level"  # different levels the scale places alike
    FIGURES_DIFFER = "figures_differ"
    UNITS_DIFFER = "units_differ"
    BOUND_EXCLUDES = "bound_excludes"  # a ceiling or floor rules the other figure out
    NO_OVERLAP = "no_overlap"
    SUBSET = "subset"  # one side's items are all among the other's
    OVERLAP = "overlap"
    WORDED_DIFFERENTLY = "worded_differently"
    COMPATIBLE = "compatible"  # an open stance admits the other's, without committing to it
    EXCLUDED = "excluded"  # a stance rules out exactly what the other states
    UNSTATED = "unstated"  # one side addresses the issue without a level
    CONDITIONAL = "conditional"  # same value, different conditions
    EXTENT = "extent"  # same value, about different parts of a region
    ONLY_A = "only_a"
    ONLY_B = "only_b"


@dataclass(frozen=True, slots=True)
class Judgement:
    """The relation and gap of two stances, why, and whether acceptable values decided it."""

    relation: Relation
    gap: float | None  # None when only one side addresses the issue, or one states no level
    reason: Reason
    acceptable_meet: bool | None = None  # None: no acceptable value was involved


_AGREE = Judgement(Relation.AGREE, 0.0, Reason.SAME)
_UNCLEAR = Judgement(Relation.UNCLEAR, None, Reason.UNSTATED)
# Both address the issue without a level: they say the same, but there is no level to measure.
_BOTH_UNSTATED = Judgement(Relation.AGREE, None, Reason.UNSTATED)
_COMPATIBLE = Judgement(Relation.PARTIAL, 0.0, Reason.COMPATIBLE)
ONLY_A = Judgement(Relation.ONLY_A, None, Reason.ONLY_A)
ONLY_B = Judgement(Relation.ONLY_B, None, Reason.ONLY_B)


# ---------------------------------------------------------------------------- values alone


def judge_values(
    definition: IssueDefinition,
    a: PositionValue,
    b: PositionValue,
    unit_a: str | None = None,
    unit_b: str | None = None,
    bound_a: str | None = None,
    bound_b: str | None = None,
) -> Judgement:
    """The rule of the issue's kind on two stated values: the one definition of every gap."""
    if a is UNSTATED or b is UNSTATED:
        return _BOTH_UNSTATED if a is b else _UNCLEAR
    if a == b and unit_a == unit_b and bound_a == bound_b:
        return _AGREE
    kind = definition.kind
    if kind is IssueKind.ORDINAL or kind is IssueKind.CATEGORICAL or kind is IssueKind.BOOLEAN:
        return _finite_kind(definition, a, b)
    if kind is IssueKind.NUMBER:
        return _numbers(definition, _as_number(a), _as_number(b), unit_a, unit_b, bound_a, bound_b)
    if kind is IssueKind.SET:
        return _sets(definition, a, b)
    return _texts(str(a), str(b))


def gap_between(
    definition: IssueDefinition,
    a: PositionValue,
    b: PositionValue,
    unit_a: str | None = None,
    unit_b: str | None = None,
    bound_a: str | None = None,
    bound_b: str | None = None,
) -> float | None:
    """Distance between two stated values, 0 (identical) to 1 (as far apart as the issue
    allows); None when one side states no level. The gap of ``judge_values``, nothing else."""
    return judge_values(definition, a, b, unit_a, unit_b, bound_a, bound_b).gap


def jaccard_gap(common: int, union: int) -> float:
    """The gap of two lists of items (or two texts' words) with ``common`` items in common out
    of ``union`` items in all: 1 − common / union, and 0 for two empty lists."""
    return 1.0 - common / union if union else 0.0


def number_gap(a: float, b: float, scale: tuple[float, float] | None) -> float:
    """|a − b| over the issue's scale (``IssueDefinition.difference_scale``: its range, or
    0–100 for percentages), or over the larger magnitude when it has none; capped at 1."""
    if a == b:
        return 0.0
    if scale is None:
        return min(1.0, abs(a - b) / max(abs(a), abs(b)))
    width, factor = scale
    if factor != 1.0:  # a range too wide for a float: both sides halved, exactly
        a, b = a * factor, b * factor
    return min(1.0, abs(a - b) / width)


def _finite_kind(definition: IssueDefinition, a: PositionValue, b: PositionValue) -> Judgement:
    """Ordinal, categorical and yes/no issues."""
    if isinstance(a, AnyBut) or isinstance(b, AnyBut):
        return _exclusions(definition, a, b)
    if definition.kind is IssueKind.ORDINAL:
        value_a, value_b = str(a), str(b)
        gap = _scale_gap(definition, value_a, value_b)
        pole_a, pole_b = definition.pole_of(value_a), definition.pole_of(value_b)
        if pole_a is not None and pole_b is not None and pole_a != pole_b:
            return Judgement(Relation.CONFLICT, gap, Reason.OPPOSED)
        if gap == 0.0:
            return Judgement(Relation.PARTIAL, gap, Reason.SAME_LEVEL)
        same_side = pole_a is not None and pole_a == pole_b
        return Judgement(
            Relation.PARTIAL, gap, Reason.DEGREE_SAME_SIDE if same_side else Reason.DEGREE
        )
    if definition.kind is IssueKind.BOOLEAN:
        return Judgement(Relation.CONFLICT, 1.0, Reason.OPPOSED)
    return Judgement(Relation.CONFLICT, 1.0, Reason.EXCLUSIVE)


def _scale_gap(definition: IssueDefinition, a: str, b: str) -> float:
    span = definition.scale_span
    return abs(definition.place(a) - definition.place(b)) / span if span else 0.0


def _exclusions(definition: IssueDefinition, a: PositionValue, b: PositionValue) -> Judgement:
    """``{not: X}`` against a value or another exclusion: ruled out, or compatible."""
    left, right = _admissible(definition, a), _admissible(definition, b)
    if left is None or right is None:  # party-valued: any party not excluded remains open
        excluded = a if isinstance(a, AnyBut) else b
        other = b if excluded is a else a
        if isinstance(other, str) and other in excluded.values:  # type: ignore[union-attr]
            return Judgement(Relation.CONFLICT, 1.0, Reason.EXCLUDED)
        return _COMPATIBLE
    if left & right:
        return _COMPATIBLE
    if definition.kind is not IssueKind.ORDINAL:
        return Judgement(Relation.CONFLICT, 1.0, Reason.EXCLUDED)
    gap = min(_scale_gap(definition, x, y) for x in left for y in right)
    return Judgement(Relation.CONFLICT, gap, Reason.EXCLUDED)


def _admissible(definition: IssueDefinition, value: PositionValue) -> frozenset[str] | None:
    """The listed values a stance admits; None where the values are not a fixed list."""
    if isinstance(value, AnyBut):
        if definition.values_from:
            return None
        return frozenset(definition.values) - value.values
    return frozenset({str(value)})


def _numbers(
    definition: IssueDefinition,
    a: float,
    b: float,
    unit_a: str | None,
    unit_b: str | None,
    bound_a: str | None,
    bound_b: str | None,
) -> Judgement:
    if unit_a != unit_b:
        return Judgement(Relation.CONFLICT, 1.0, Reason.UNITS_DIFFER)
    gap = 0.0 if a == b else number_gap(a, b, definition.difference_scale(unit_a))
    if bound_a == bound_b:
        if a == b:
            return _AGREE
        return Judgement(Relation.PARTIAL, gap, Reason.FIGURES_DIFFER)
    low_a, high_a = _interval(a, bound_a)
    low_b, high_b = _interval(b, bound_b)
    if max(low_a, low_b) <= min(high_a, high_b):
        return _COMPATIBLE  # e.g. a level of 500,000 under a ceiling of 600,000
    return Judgement(Relation.CONFLICT, gap, Reason.BOUND_EXCLUDES)


def _interval(value: float, bound: str | None) -> tuple[float, float]:
    if bound == "max":
        return -math.inf, value
    if bound == "min":
        return value, math.inf
    return value, value


def _sets(definition: IssueDefinition, a: PositionValue, b: PositionValue) -> Judgement:
    """Lists of items: the Jaccard gap of their readings; sizes stand in for the union and
    the subset tests (``common`` is within both, so equal sizes mean equal sets)."""
    if type(a) is frozenset and type(b) is frozenset:
        left, right = _plain_readings(definition.universal, a, b)
    else:
        fixed_a, fixed_b = fixed_items(definition, a), fixed_items(definition, b)
        if fixed_a is None or fixed_b is None:
            left, right = set_readings(definition, a, b)
        else:
            left, right = fixed_a, fixed_b
    shared, size_a, size_b = len(left & right), len(left), len(right)
    gap = jaccard_gap(shared, size_a + size_b - shared)
    if shared == size_a == size_b:
        open_a, open_b = isinstance(a, AtLeast), isinstance(b, AtLeast)
        return _COMPATIBLE if open_a or open_b else _AGREE
    if not shared:
        return Judgement(Relation.CONFLICT, gap, Reason.NO_OVERLAP)
    subset = shared in (size_a, size_b)
    return Judgement(Relation.PARTIAL, gap, Reason.SUBSET if subset else Reason.OVERLAP)


def _texts(a: str, b: str) -> Judgement:
    words_a, words_b = words(a), words(b)
    if words_a == words_b:
        return _AGREE  # the same words agree, whatever the case or punctuation
    gap = jaccard_gap(len(words_a & words_b), len(words_a | words_b))
    return Judgement(Relation.PARTIAL, gap, Reason.WORDED_DIFFERENTLY)


def fixed_items(definition: IssueDefinition, value: PositionValue) -> frozenset[str] | None:
    """The items a set or text stance stands for whatever the other side states: a closed list
    without the universal item is its items, a text is its words. None for a stance that is
    read against the other side's (the universal item, an open list, everyone but some, or no
    level stated): only ``set_readings`` knows what those mean."""
    if isinstance(value, frozenset):
        everyone = definition.universal
        return value if everyone is None or everyone not in value else None
    if isinstance(value, str) and definition.kind is IssueKind.TEXT:
        return words(value)
    return None


def set_readings(
    definition: IssueDefinition, a: PositionValue, b: PositionValue
) -> tuple[frozenset[str], frozenset[str]]:
    """Both set stances as sets of named items, read at their closest to each other.

    - a closed list is its items;
    - 'everyone' (the universal item, which absorbs anything listed beside it) is every item
      either side names, plus one item standing for everyone else; 'everyone except E' is
      that without E;
    - an open list ('including ...') is its items plus whatever the other side's reading
      holds: it admits more, so it is read as the most it could mean to the other side.
    """
    if type(a) is frozenset and type(b) is frozenset:  # two plain lists: the common case
        return _plain_readings(definition.universal, a, b)
    return _readings(definition, a, b)


def _plain_readings(
    everyone: str | None, a: frozenset[str], b: frozenset[str]
) -> tuple[frozenset[str], frozenset[str]]:
    """``_readings`` of two plain lists, with nothing open to read against the other side:
    a list is its items, or, holding the universal item, every item named plus everyone else."""
    all_a = everyone is not None and everyone in a
    all_b = everyone is not None and everyone in b
    if not (all_a or all_b):
        return a, b
    universe = (_NOBODY if all_a else a) | (_NOBODY if all_b else b)
    everybody = universe | _EVERYONE_ELSE_SET
    return (everybody if all_a else a), (everybody if all_b else b)


def _readings(
    definition: IssueDefinition, a: PositionValue, b: PositionValue
) -> tuple[frozenset[str], frozenset[str]]:
    """``set_readings`` of any two set stances, step by step."""
    universe = _named(definition, a) | _named(definition, b)
    read_a, read_b = (
        _closed_reading(definition, a, universe),
        _closed_reading(definition, b, universe),
    )
    if isinstance(a, AtLeast):
        read_a = a.items | (b.items if isinstance(b, AtLeast) else read_b)
    if isinstance(b, AtLeast):
        read_b = b.items | (a.items if isinstance(a, AtLeast) else read_a)
    return read_a, read_b


def _named(definition: IssueDefinition, value: PositionValue) -> frozenset[str]:
    if isinstance(value, AtLeast | EveryoneBut):
        return value.items
    items = _as_set(value)
    return frozenset() if definition.universal in items else items


def _closed_reading(
    definition: IssueDefinition, value: PositionValue, universe: frozenset[str]
) -> frozenset[str]:
    if isinstance(value, AtLeast):
        return value.items
    if isinstance(value, EveryoneBut):
        return (universe - value.items) | {_EVERYONE_ELSE}
    items = _as_set(value)
    if definition.universal is not None and definition.universal in items:
        return universe | {_EVERYONE_ELSE}
    return items


# ---------------------------------------------------------------------------- two stances


def judge(a: Position, b: Position) -> Judgement:
    """Relation and gap of two stances on the same issue, without building any text."""
    if a.value == b.value and a.unit == b.unit and a.bound == b.bound and a.value is not UNSTATED:
        base = _AGREE  # the common case, whatever the kind
    else:
        base = _by_kind(a.definition, a, b)
    if a.acceptable is not None or b.acceptable is not None:
        base = _with_acceptable(base, a, b)
    if a.condition is None and b.condition is None and a.extent == b.extent and a.area == b.area:
        return base
    return _with_qualifiers(base, a, b)


def _by_kind(definition: IssueDefinition, a: Position, b: Position) -> Judgement:
    """``judge_values``, with the pairs of the finite kinds looked up once judged (this is the
    engine's hot path: few values, many pairs)."""
    kind = definition.kind
    if kind is IssueKind.ORDINAL or kind is IssueKind.CATEGORICAL or kind is IssueKind.BOOLEAN:
        entry = _JUDGED.get(id(definition))
        judged = entry[1] if entry is not None else _table(definition)
        pair = (a.value, b.value)
        found = judged.get(pair)
        if found is None:
            found = judged[pair] = judge_values(definition, a.value, b.value)
        return found
    return judge_values(definition, a.value, b.value, a.unit, b.unit, a.bound, b.bound)


# The engine's memo of judged value pairs of the finite kinds, one table per issue definition.
# It is the engine's own state, not the definition's. A table is found by the definition's
# id, and its entry holds the definition itself: while the entry lives, no other object can
# take that id, so a table is never found for another definition (a ``model_copy`` is
# another object, judged by its own rule). Past ``_MEMO_LIMIT`` definitions the memo starts
# afresh, dropping every entry at once.
_JUDGED: dict[int, tuple[IssueDefinition, dict[object, Judgement]]] = {}
_MEMO_LIMIT = 4096


def _table(definition: IssueDefinition) -> dict[object, Judgement]:
    if len(_JUDGED) >= _MEMO_LIMIT:
        _JUDGED.clear()
    table: dict[object, Judgement] = {}
    _JUDGED[id(definition)] = (definition, table)
    return table


def clear_judgement_memo() -> None:
    """Forget every judged value pair (for benchmarks of the cold path)."""
    _JUDGED.clear()


def _with_acceptable(base: Judgement, a: Position, b: Position) -> Judgement:
    """Acceptable values change a relation only as far as both sides' statements carry it.

    Where one side's acceptable values take in what the other states, or both sides'
    acceptable zones meet, the pair is ``partial``. Only when both sides state acceptable
    values and these do not meet is a difference a ``conflict``. A zone stated by one side
    alone that misses the other's stance leaves the relation as the values make it.
    """
    if base.relation is Relation.AGREE or base.relation is Relation.UNCLEAR:
        return base
    if base.reason is Reason.UNITS_DIFFER:
        return base  # figures in different units cannot meet, whatever each would accept
    if base.gap == 0.0:
        return base  # the stances already meet (compatible, or placed alike): nothing to add
    if _zones_meet(a, b):
        return Judgement(Relation.PARTIAL, base.gap, base.reason, True)
    if a.acceptable is not None and b.acceptable is not None:
        return Judgement(Relation.CONFLICT, base.gap, base.reason, False)
    return Judgement(base.relation, base.gap, base.reason, False)


def _with_qualifiers(base: Judgement, a: Position, b: Position) -> Judgement:
    """The same value on different conditions, or about different parts, is only partial."""
    if base.relation is not Relation.AGREE:
        return base
    if not same_extent(a, b):
        return Judgement(Relation.PARTIAL, base.gap, Reason.EXTENT, base.acceptable_meet)
    if not same_condition(a.condition, b.condition):
        return Judgement(Relation.PARTIAL, base.gap, Reason.CONDITIONAL, base.acceptable_meet)
    return base


def same_condition(a: Condition | None, b: Condition | None) -> bool:
    """Conditions are the same when kind, issue and wording match: the same words in the same
    order, whatever the case and punctuation (both none counts as same)."""
    if a is None or b is None:
        return a is b
    return a.kind == b.kind and a.on == b.on and _wording(a.text) == _wording(b.text)


def same_extent(a: Position, b: Position) -> bool:
    """Both stances are about the same part of the region (or neither is about a region)."""
    if a.extent != b.extent:
        return False
    if a.area is None or b.area is None:
        return a.area is b.area
    return _wording(a.area) == _wording(b.area)


# ---------------------------------------------------------------------------- explanations


def explain(judgement: Judgement, a: Position, b: Position, label_a: str, label_b: str) -> str:
    """The one-line reason a reader sees, written only when asked for."""
    text = _value_sentence(judgement, a, b, label_a, label_b)
    if judgement.acceptable_meet is True:
        text += f" Both would accept {_acceptable_meet(a, b)}."
    elif judgement.acceptable_meet is False:
        if a.acceptable is not None and b.acceptable is not None:
            text += " What each side would accept does not overlap."
        else:
            text += _one_sided_acceptable(a, b, label_a, label_b)
    text += _qualifier_notes(a, b, label_a, label_b, judgement.reason)
    return _alternative_prefix(a, b, label_a, label_b) + text


def _value_sentence(
    judgement: Judgement, a: Position, b: Position, label_a: str, label_b: str
) -> str:
    reason = judgement.reason
    both = f"{label_a}: {_said(a)}; {label_b}: {_said(b)}"
    simple = _SENTENCES.get(reason)
    if simple is not None:
        same = _same_value(a, b, label_a, label_b)
        return simple.format(both=both, a=same, unit_a=a.unit, unit_b=b.unit)
    if reason in _DEGREES:
        return _degree_sentence(judgement, a, b, label_a, label_b, both)
    if reason is Reason.WORDED_DIFFERENTLY:
        return f"Worded differently ({1.0 - (judgement.gap or 0.0):.0%} of words shared): {both}."
    if reason is Reason.COMPATIBLE:
        if a.bound != b.bound and isinstance(a.value, float):
            return (
                f"Compatible figures: {label_a}: {_with_bound(a)}; {label_b}: {_with_bound(b)}; "
                "a figure exists that both admit."
            )
        return f"Compatible, not the same: {both}. The open stance admits the other but does not commit to it."
    if reason is Reason.EXCLUDED:
        excluder = label_a if isinstance(a.value, AnyBut) else label_b
        return f"Ruled out: {excluder} excludes what the other states. {both}."
    if reason is Reason.UNSTATED and judgement.relation is Relation.AGREE:
        return f"Both: {a.text}; no level to compare."
    if reason is Reason.UNSTATED:
        return f"Unclear: {both}. A level stated on one side only is not judged."
    if reason is Reason.EXTENT:
        return (
            f"Same stance, different parts: {_same_value(a, b, label_a, label_b)} for "
            f"{_part(a)} ({label_a}) and for {_part(b)} ({label_b})."
        )
    if reason is Reason.CONDITIONAL:
        return (
            f"Same stance, different conditions: {_same_value(a, b, label_a, label_b)}; "
            f"{label_a}: {_condition(a)}; "
            f"{label_b}: {_condition(b)}."
        )
    return _set_sentence(judgement, a, b, label_a, label_b, both)


_DEGREES = (Reason.DEGREE, Reason.DEGREE_SAME_SIDE, Reason.FIGURES_DIFFER, Reason.BOUND_EXCLUDES)


def _degree_sentence(
    judgement: Judgement, a: Position, b: Position, label_a: str, label_b: str, both: str
) -> str:
    """Levels of a scale, or figures, that differ in degree (or that a bound excludes)."""
    reason = judgement.reason
    if reason is Reason.FIGURES_DIFFER:
        return f"Differ in degree ({_figure_distance(a, b, judgement.gap)}): {both}."
    if reason is Reason.BOUND_EXCLUDES:
        return (
            f"Excluded by a bound ({_figure_distance(a, b, judgement.gap)}): {label_a}: "
            f"{_with_bound(a)}; {label_b}: {_with_bound(b)}."
        )
    side = "Same side, differ" if reason is Reason.DEGREE_SAME_SIDE else "Differ"
    return f"{side} in degree ({_scale_distance(a, b, judgement.gap)}): {both}."


_SENTENCES = {
    Reason.SAME: "Both: {a}.",
    Reason.UNITS_DIFFER: "Not comparable, the units differ ({unit_a} vs {unit_b}): {both}.",
    Reason.OPPOSED: "Opposed: {both}.",
    Reason.EXCLUSIVE: "Mutually exclusive: {both}.",
    Reason.SAME_LEVEL: "Different levels the scale places alike: {both}.",
    Reason.NO_OVERLAP: "No overlap: {both}.",
}


def _set_sentence(
    judgement: Judgement, a: Position, b: Position, label_a: str, label_b: str, both: str
) -> str:
    definition = a.definition
    left, right = set_readings(definition, a.value, b.value)
    if judgement.reason is Reason.SUBSET:
        wider, narrower = (label_a, label_b) if right <= left else (label_b, label_a)
        return f"Overlap: {wider} includes all of {narrower}'s and more. {both}."
    common = left & right
    named = frozenset(common - {_EVERYONE_ELSE})
    shared = value_text(definition, named, None, a.party_names) if named else ""
    if _EVERYONE_ELSE in common:
        shared = f"{shared} and everyone else neither names" if named else "everyone neither names"
    return f"Overlap on {shared}: {both}."


def _same_value(a: Position, b: Position, label_a: str, label_b: str) -> str:
    """The value both state, once; twice where one side's is an inference and the other's not."""
    if (a.basis == "inferred") == (b.basis == "inferred"):
        return _said(a)
    return f"{_said(a)} ({label_a}), {_said(b)} ({label_b})"


def _said(position: Position) -> str:
    """A stance's value, marked where it is the coder's inference rather than a source's."""
    return f"{position.text} (inferred)" if position.basis == "inferred" else position.text


def _scale_distance(a: Position, b: Position, gap: float | None) -> str:
    definition = a.definition
    if definition.evenly_spaced:
        steps = abs(definition.rank(str(a.value)) - definition.rank(str(b.value)))
        return f"{steps} of {len(definition.values) - 1} steps"
    return f"{gap or 0.0:.0%} of the scale apart"


def _figure_distance(a: Position, b: Position, gap: float | None) -> str:
    if a.unit == PERCENT and isinstance(a.value, float) and isinstance(b.value, float):
        points = abs(a.value - b.value)
        return f"{format_number(points)} percentage points apart"
    return f"{gap or 0.0:.0%} apart"


def _with_bound(position: Position) -> str:
    if position.bound == "exact" and isinstance(position.value, float):
        return f"level {position.text}"
    return position.text


def _part(position: Position) -> str:
    return position.extent_text or "the whole region"


def _condition(position: Position) -> str:
    text = position.condition_text
    return f"condition: {text}" if text else "no condition stated"


def _qualifier_notes(
    a: Position, b: Position, label_a: str, label_b: str, reason: Reason | None = None
) -> str:
    """The parts and conditions the sentence has not already named: those that differ, and
    on an agreement those both state."""
    notes = ""
    if reason is not Reason.EXTENT:
        if not same_extent(a, b):
            notes += f" Parts: {label_a}: {_part(a)}; {label_b}: {_part(b)}."
        elif a.extent_text and reason is Reason.SAME:
            notes += f" Both for {a.extent_text}."
    if reason is not Reason.CONDITIONAL:
        if not same_condition(a.condition, b.condition):
            notes += f" Conditions: {label_a}: {_condition(a)}; {label_b}: {_condition(b)}."
        elif a.condition_text and reason is Reason.SAME:
            notes += f" Both on the {_condition(a)}."
    return notes


def _one_sided_acceptable(a: Position, b: Position, label_a: str, label_b: str) -> str:
    stated, label = (a, label_a) if a.acceptable is not None else (b, label_b)
    return f" {label} would accept {_acceptable_text(stated)} (the other side states no fallback)."


def _acceptable_text(position: Position) -> str:
    acceptable = position.acceptable
    unit = f" {position.unit}" if position.unit else ""
    if isinstance(acceptable, NumberRange):
        if acceptable.min is None:
            return f"at most {format_number(acceptable.max or 0.0)}{unit}"
        if acceptable.max is None:
            return f"at least {format_number(acceptable.min)}{unit}"
        return f"{acceptable}{unit}"
    options = acceptable or frozenset()
    texts = sorted(
        value_text(position.definition, v, position.unit, position.party_names) for v in options
    )
    return " or ".join([position.text, *texts])


def _alternative_prefix(a: Position, b: Position, label_a: str, label_b: str) -> str:
    parts = [
        f"{label} offers alternatives; closest: {position.in_alternative}."
        for label, position in ((label_a, a), (label_b, b))
        if position.in_alternative is not None
    ]
    return " ".join(parts) + " " if parts else ""


# ---------------------------------------------------------------------------- helpers


def words(text: str) -> frozenset[str]:
    """The set of words of a text, case-folded: how text stances are compared."""
    return frozenset(_WORD.findall(text.casefold()))


def _wording(text: str) -> tuple[str, ...]:
    """The words of a text in order: conditions and areas, where order carries meaning."""
    return tuple(_WORD.findall(text.casefold()))


def _as_number(value: PositionValue) -> float:
    if not isinstance(value, float):
        raise TypeError(f"expected a number value, got {value!r}")
    return value


def _as_set(value: PositionValue) -> frozenset[str]:
    if not isinstance(value, frozenset):
        raise TypeError(f"expected a set value, got {value!r}")
    return value


def _acceptable_meet(a: Position, b: Position) -> str | None:
    """What both sides would accept, as text, or None if their acceptable stances are apart."""
    if isinstance(a.value, float) and isinstance(b.value, float):
        return _ranges_meet(a, b)
    zone_a = (a.acceptable if isinstance(a.acceptable, frozenset) else frozenset()) | _zone(a)
    zone_b = (b.acceptable if isinstance(b.acceptable, frozenset) else frozenset()) | _zone(b)
    common = zone_a & zone_b
    if not common:
        return None
    return " or ".join(sorted(value_text(a.definition, v, a.unit, a.party_names) for v in common))


def _zones_meet(a: Position, b: Position) -> bool:
    """Whether ``_acceptable_meet`` finds something both sides would accept, without writing
    it: judging needs only the yes or no, the sentence is written when a reader asks."""
    if isinstance(a.value, float) and isinstance(b.value, float):
        range_a = a.acceptable if isinstance(a.acceptable, NumberRange) else None
        range_b = b.acceptable if isinstance(b.acceptable, NumberRange) else None
        if range_a is not None and range_a.contains(b.value):
            return True
        if range_b is not None and range_b.contains(a.value):
            return True
        return range_a is not None and range_b is not None and range_a.overlaps(range_b)
    zone_a = (a.acceptable if isinstance(a.acceptable, frozenset) else frozenset()) | _zone(a)
    zone_b = (b.acceptable if isinstance(b.acceptable, frozenset) else frozenset()) | _zone(b)
    return not zone_a.isdisjoint(zone_b)


def _zone(position: Position) -> frozenset[PositionValue]:
    """What a stance itself admits: its value, or every listed level an exclusion leaves open."""
    value = position.value
    if isinstance(value, AnyBut):
        admitted = _admissible(position.definition, value)
        if admitted is not None:
            return frozenset(admitted)
    return frozenset({value})


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
