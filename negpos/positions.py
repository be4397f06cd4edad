"""The flat issue-position core: one position per issue key, the form the engine computes on.

The typed model is for writing proposals; this form is for computing with them. Each
position carries its issue definition, a normalised value (a category as text, a figure,
a frozen set of items, a yes/no), its evidence and weight, and the text a reader sees.
Research code can use it directly: ``positions_of(p).to_records()`` is one dict per issue.
"""

from __future__ import annotations

import datetime as dt
import weakref
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from negpos.codebook import Codebook, IssueDefinition, IssueKind
from negpos.model import KeyedStance, NumberStance, Proposal, Source
from negpos.values import NumberRange, Quantity, format_number

__all__ = [
    "Position",
    "PositionSet",
    "PositionValue",
    "clear_compiled_positions",
    "positions_of",
]

PositionValue = str | bool | float | frozenset[str]
Acceptable = frozenset[PositionValue] | NumberRange


@dataclass(frozen=True, slots=True)
class Position:
    """One side's stance on one issue, normalised for comparison."""

    key: str
    definition: IssueDefinition
    label: str
    category: str
    subject: str
    order: tuple[int, str, int]
    value: PositionValue
    unit: str | None
    acceptable: Acceptable | None
    salience: float | None
    red_line: bool
    condition: str | None
    note: str | None
    sources: tuple[Source, ...]
    text: str
    party_names: Mapping[str, str]
    sort_key: tuple[tuple[int, str, int], str]  # reading order: (order, key)

    @property
    def kind(self) -> IssueKind:
        return self.definition.kind


@dataclass(frozen=True, slots=True)
class PositionSet(Mapping[str, Position]):
    """All positions of one proposal, keyed by issue and in reading order."""

    proposal_id: str
    title: str
    label: str
    date: dt.date
    status: str
    codebook: Codebook
    sources: tuple[Source, ...]
    positions: Mapping[str, Position]
    sort_keys: Mapping[str, tuple[tuple[int, str, int], str]]

    def __getitem__(self, key: str) -> Position:
        return self.positions[key]

    def __iter__(self) -> Iterator[str]:
        return iter(self.positions)

    def __len__(self) -> int:
        return len(self.positions)

    def to_records(self) -> list[dict[str, Any]]:
        """One plain dict per position, ready for ``pandas.DataFrame`` or JSON."""
        return [
            {
                "proposal": self.proposal_id,
                "date": self.date.isoformat(),
                "category": p.category,
                "issue": p.key,
                "label": p.label,
                "kind": p.kind.value,
                "value": sorted(p.value) if isinstance(p.value, frozenset) else p.value,
                "unit": p.unit,
                "text": p.text,
                "salience": p.salience,
                "red_line": p.red_line,
                "condition": p.condition,
                "sources": [s.id for s in p.sources],
            }
            for p in self.positions.values()
        ]


# Compiled positions by proposal identity. A proposal is frozen, so its positions never go
# stale; the weak reference drops an entry when its proposal is collected.
_COMPILED: dict[int, tuple[weakref.ref[Proposal], PositionSet]] = {}


def positions_of(proposal: Proposal) -> PositionSet:
    """Compile a proposal into its flat positions (once per proposal object, then reused)."""
    entry = _COMPILED.get(id(proposal))
    if entry is not None and entry[0]() is proposal:
        return entry[1]
    compiled = _compile(proposal)
    key = id(proposal)

    def forget(_: weakref.ref[Proposal]) -> None:
        _COMPILED.pop(key, None)

    _COMPILED[key] = (weakref.ref(proposal, forget), compiled)
    return compiled


def clear_compiled_positions() -> None:
    """Forget every compiled position set (for benchmarks of the cold path)."""
    _COMPILED.clear()


def _compile(proposal: Proposal) -> PositionSet:
    codebook = proposal.codebook
    definition_rank = {d.key: index for index, d in enumerate(codebook.issues)}
    sources = {s.id: s for s in proposal.sources}
    compiled: list[Position] = []
    party_names = {p.id: p.name for p in proposal.parties}
    for keyed in proposal.keyed_stances():
        resolved = codebook.resolve(keyed.key)
        if resolved is None:  # validation guarantees a match; keep the engine honest anyway
            raise KeyError(f"{proposal.id}: no codebook entry for {keyed.key!r}")
        definition = resolved.definition
        names = {
            name: _subject_name(proposal, name, bound) for name, bound in resolved.bindings.items()
        }
        subject_id = next(iter(resolved.bindings.values()), "")
        value, unit = _normalise(keyed, definition)
        names_of_parties = party_names if definition.values_from == "parties" else {}
        order = (
            codebook.category_order.get(definition.category, len(codebook.categories)),
            subject_id,
            definition_rank[definition.key],
        )
        compiled.append(
            Position(
                key=keyed.key,
                definition=definition,
                label=definition.label_for(names),
                category=definition.category,
                subject=subject_id,
                order=order,
                value=value,
                unit=unit,
                acceptable=_acceptable(keyed, definition),
                salience=keyed.salience,
                red_line=keyed.red_line,
                condition=keyed.condition,
                note=keyed.note,
                sources=tuple(sources[i] for i in keyed.sources),
                text=value_text(definition, value, unit, names_of_parties),
                party_names=names_of_parties,
                sort_key=(order, keyed.key),
            )
        )
    compiled.sort(key=lambda p: p.sort_key)
    return PositionSet(
        proposal_id=proposal.id,
        title=proposal.title,
        label=proposal.display_label,
        date=proposal.date,
        status=proposal.status.value,
        codebook=codebook,
        sources=proposal.sources,
        positions={p.key: p for p in compiled},
        sort_keys={p.key: p.sort_key for p in compiled},
    )


def _subject_name(proposal: Proposal, placeholder: str, bound: str) -> str:
    if placeholder == "region":
        region = proposal.region(bound)
        return region.name if region else bound
    party = proposal.party(bound)
    return party.name if party else bound


def _normalise(keyed: KeyedStance, definition: IssueDefinition) -> tuple[PositionValue, str | None]:
    stance = keyed.stance
    raw: object = stance.value
    if definition.kind == IssueKind.NUMBER:
        if isinstance(stance, NumberStance):
            return float(stance.amount), stance.unit or definition.unit
        if isinstance(raw, Quantity):
            return float(raw.amount), raw.unit or definition.unit
        return _number(raw), definition.unit
    return _plain_value(raw, definition), None


def _plain_value(raw: object, definition: IssueDefinition) -> PositionValue:
    if definition.kind == IssueKind.SET and isinstance(raw, tuple | list | frozenset):
        return frozenset(str(item) for item in raw)
    if definition.kind == IssueKind.NUMBER:
        return _number(raw.amount if isinstance(raw, Quantity) else raw)
    if isinstance(raw, bool | str):
        return raw
    raise TypeError(f"unexpected {definition.kind} value {raw!r}")


def _number(raw: object) -> float:
    if isinstance(raw, int | float) and not isinstance(raw, bool):
        return float(raw)
    raise TypeError(f"expected a number, got {raw!r}")


def _acceptable(keyed: KeyedStance, definition: IssueDefinition) -> Acceptable | None:
    acceptable = keyed.stance.acceptable
    if acceptable is None or isinstance(acceptable, NumberRange):
        return acceptable
    return frozenset(_plain_value(option, definition) for option in acceptable)


def value_text(
    definition: IssueDefinition,
    value: PositionValue,
    unit: str | None,
    party_names: Mapping[str, str] | None = None,
) -> str:
    """A value as a reader reads it: labels, party names, figures with units."""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float):
        return format_number(value) + (f" {unit}" if unit else "")
    if isinstance(value, frozenset):
        if not value:
            return "none"
        return ", ".join(sorted(_item_text(definition, item, party_names) for item in value))
    if definition.kind == IssueKind.TEXT:
        return value
    return _item_text(definition, value, party_names)


def _item_text(
    definition: IssueDefinition, item: str, party_names: Mapping[str, str] | None
) -> str:
    if party_names and item in party_names and item != definition.universal:
        return party_names[item]
    return definition.value_label(item)
