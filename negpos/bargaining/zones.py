"""Zones of possible agreement: on each issue, what every side has said it would accept.

A side's acceptable values on an issue are its stance plus its stated fallbacks
(``acceptable``), everything but what it excludes (``{not: [...]}``), or for a figure its
ceiling or floor (``bound``) widened by any acceptable range. A side that states no fallback
is known to accept its own stance and nothing more is known. The zone is:
- ``overlap``: the values every side accepts (at least these, when some side states no
  fallback);
- ``empty``: every side states its fallbacks and they do not meet;
- ``unknown``: they do not meet as far as the texts go, but some side states no fallback
  (or no level), so nothing can be said.
Alternatives offered by one proposal are all acceptable to it; conditions are reported, and
a side resting on an inferred stance is marked so.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum

from negpos.bargaining.domain import OptionValue, describe_option
from negpos.bargaining.errors import BargainingError
from negpos.codebook import IssueDefinition, IssueKind
from negpos.positions import UNSTATED, AnyBut, Position, PositionSet
from negpos.values import format_number

__all__ = ["Zone", "ZoneStatus", "zones_of_agreement"]

Interval = tuple[float, float]


class ZoneStatus(StrEnum):
    OVERLAP = "overlap"
    EMPTY = "empty"
    UNKNOWN = "unknown"


@dataclass(frozen=True, slots=True)
class SideAcceptance:
    """What one proposal accepts on one issue, as far as its text goes."""

    proposal: str
    label: str
    text: str  # in words: "dismantled, or scaled down" / "at most 600,000 personnel"
    fallback_stated: bool
    conditions: tuple[str, ...]
    inferred: bool = False  # some stance it rests on is the coder's inference


@dataclass(frozen=True, slots=True)
class Zone:
    """One issue's zone of possible agreement across the given proposals."""

    key: str
    label: str
    category: str
    status: ZoneStatus
    overlap: str | None  # the values every side accepts, in words
    sides: tuple[SideAcceptance, ...]
    reason: str  # why the status is what it is, in words

    @property
    def conditional(self) -> bool:
        return any(side.conditions for side in self.sides)


@dataclass(frozen=True, slots=True)
class _Accepts:
    values: frozenset[object] | None  # finite issues
    intervals: tuple[Interval, ...] | None  # number issues
    unit: str | None
    fallback: bool


def zones_of_agreement(
    proposals: Sequence[PositionSet], keys: Sequence[str] | None = None
) -> tuple[Zone, ...]:
    """A zone per issue that every proposal addresses (or the given ``keys``), in reading order."""
    if len(proposals) < 2:
        raise BargainingError("zones of agreement need two or more proposals")
    if keys is None:
        shared = set.intersection(*(set(_stated_keys(p)) for p in proposals))
        first = proposals[0]
        keys = sorted(shared, key=lambda k: first.candidates(k)[0].sort_key)
    return tuple(_zone(key, proposals) for key in keys)


def _stated_keys(proposal: PositionSet) -> list[str]:
    keys = list(proposal.positions)
    for alternative in proposal.alternatives:
        keys += [k for k in alternative.positions if k not in keys]
    return keys


def _zone(key: str, proposals: Sequence[PositionSet]) -> Zone:
    candidates = [p.candidates(key) for p in proposals]
    missing = [p.label for p, c in zip(proposals, candidates, strict=True) if not c]
    some = next(c[0] for c in candidates if c) if any(candidates) else None
    if some is None:
        raise BargainingError(f"no proposal given states {key!r}")
    definition = some.definition
    sides = []
    accepts: list[_Accepts | None] = []
    for proposal, stances in zip(proposals, candidates, strict=True):
        found = [_acceptance(definition, s) for s in stances]
        merged = _merge(found) if stances else None
        accepts.append(merged)
        sides.append(
            SideAcceptance(
                proposal=proposal.proposal_id,
                label=proposal.label,
                text=_side_text(definition, merged, stances),
                fallback_stated=bool(merged and merged.fallback),
                conditions=tuple(s.condition_text for s in stances if s.condition_text),
                inferred=any(s.basis == "inferred" for s in stances),
            )
        )
    status, overlap, reason = _judge(definition, accepts, missing)
    return Zone(key, some.label, some.category, status, overlap, tuple(sides), reason)


def _acceptance(definition: IssueDefinition, position: Position) -> _Accepts | None:
    value = position.value
    if value is UNSTATED:
        return None
    if definition.kind is IssueKind.NUMBER:
        if not isinstance(value, float):
            return None
        low, high = value, value
        if position.bound == "max":
            low = -math.inf
        elif position.bound == "min":
            high = math.inf
        acceptable = position.acceptable
        fallback = position.bound in ("max", "min")
        if acceptable is not None and not isinstance(acceptable, frozenset):
            low = min(low, -math.inf if acceptable.min is None else acceptable.min)
            high = max(high, math.inf if acceptable.max is None else acceptable.max)
            fallback = True
        return _Accepts(None, ((low, high),), position.unit, fallback)
    if isinstance(value, AnyBut):
        universe: frozenset[object]
        if definition.kind is IssueKind.BOOLEAN:
            universe = frozenset((True, False))
        elif definition.values_from == "parties":
            universe = frozenset(position.party_names)  # the proposal's parties
        else:
            universe = frozenset(definition.values)
        return _Accepts(universe - value.values, None, None, True)
    if not isinstance(value, str | bool | frozenset):
        return None  # open lists and "everyone but" name no finite set of packages
    accepted: set[object] = {value}
    acceptable = position.acceptable
    if isinstance(acceptable, frozenset):
        accepted |= acceptable
    return _Accepts(frozenset(accepted), None, None, isinstance(acceptable, frozenset))


def _merge(found: list[_Accepts | None]) -> _Accepts | None:
    """One proposal's alternatives: it accepts what any of them accepts, and it states a
    fallback only when every alternative does (an alternative with no fallback may accept
    more than it names)."""
    if any(f is None for f in found) or not found:
        return None
    known = [f for f in found if f is not None]
    if known[0].intervals is not None:
        units = {f.unit for f in known}
        if len(units) > 1:
            return None
        intervals = tuple(i for f in known for i in f.intervals or ())
        return _Accepts(None, intervals, known[0].unit, all(f.fallback for f in known))
    values = frozenset().union(*(f.values or frozenset() for f in known))
    return _Accepts(values, None, None, all(f.fallback for f in known))


def _judge(
    definition: IssueDefinition, accepts: list[_Accepts | None], missing: list[str]
) -> tuple[ZoneStatus, str | None, str]:
    if missing:
        return ZoneStatus.UNKNOWN, None, f"not addressed by {', '.join(missing)}"
    if any(a is None for a in accepts):
        return ZoneStatus.UNKNOWN, None, "a side states no level (or no finite list)"
    known = [a for a in accepts if a is not None]
    all_fallbacks = all(a.fallback for a in known)
    if known[0].intervals is not None:
        if len({a.unit for a in known}) > 1:
            return ZoneStatus.UNKNOWN, None, "the sides state figures in different units"
        meeting = _meet_intervals([a.intervals or () for a in known])
        if meeting:
            text = "; ".join(_interval_text(i, definition.unit or known[0].unit) for i in meeting)
            return ZoneStatus.OVERLAP, text, _overlap_reason(all_fallbacks)
    else:
        common = frozenset.intersection(*(a.values or frozenset() for a in known))
        if common:
            words = sorted(describe_option(definition, _option(v)) for v in common)
            return ZoneStatus.OVERLAP, ", ".join(words), _overlap_reason(all_fallbacks)
    if all_fallbacks:
        return ZoneStatus.EMPTY, None, "every side states what it accepts, and they do not meet"
    return (
        ZoneStatus.UNKNOWN,
        None,
        "the stated terms do not meet, and a side states no fallback",
    )


def _overlap_reason(all_fallbacks: bool) -> str:
    if all_fallbacks:
        return "every side accepts these"
    return "at least these: a side states no fallback, so it may accept more"


def _meet_intervals(sides: list[tuple[Interval, ...]]) -> list[Interval]:
    meeting = list(sides[0])
    for intervals in sides[1:]:
        meeting = [
            (max(a[0], b[0]), min(a[1], b[1]))
            for a in meeting
            for b in intervals
            if max(a[0], b[0]) <= min(a[1], b[1])
        ]
    return sorted(set(meeting))


def _interval_text(interval: Interval, unit: str | None) -> str:
    low, high = interval
    suffix = f" {unit}" if unit else ""
    if low == high:
        return f"{format_number(low)}{suffix}"
    if low == -math.inf and high == math.inf:
        return "any figure"
    if low == -math.inf:
        return f"at most {format_number(high)}{suffix}"
    if high == math.inf:
        return f"at least {format_number(low)}{suffix}"
    return f"{format_number(low)}–{format_number(high)}{suffix}"


def _option(value: object) -> OptionValue:
    if isinstance(value, frozenset):
        return value  # type: ignore[return-value]
    assert isinstance(value, str | bool | float)
    return value


def _side_text(
    definition: IssueDefinition, accepts: _Accepts | None, stances: tuple[Position, ...]
) -> str:
    if not stances:
        return "not addressed"
    if accepts is None:
        return " / ".join(s.describe(condition=False) for s in stances)
    if accepts.intervals is not None:
        return "; ".join(_interval_text(i, accepts.unit) for i in accepts.intervals)
    return ", ".join(sorted(describe_option(definition, _option(v)) for v in accepts.values or ()))
