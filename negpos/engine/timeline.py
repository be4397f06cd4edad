"""How one party's positions (or one proposal lineage) move from proposal to proposal.

Each step compares two consecutive proposals issue by issue. Where a stance changed, its
direction is measured, never typed in: the gap to a reference party's stance (from the
issue's scale: ordinal ranks, figures, item sets) shrinking is a concession, growing is a
hardening, unchanged is a shift. The reference stance is the reference party's latest
proposal dated on or before the step (its earliest, if it has none yet).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum
from itertools import pairwise
from typing import TYPE_CHECKING

from negpos.engine.diff import check_same_definition, diff, reading_order
from negpos.engine.rules import Relation, gap_between, judge
from negpos.errors import ComparisonError
from negpos.model import Source
from negpos.positions import Position, PositionSet

if TYPE_CHECKING:
    from negpos.corpus import Corpus  # the engine reads a corpus, never loads one

__all__ = ["Change", "GapPoint", "Timeline", "TimelineStep", "build_timeline", "timeline"]


class Change(StrEnum):
    """What happened to a stance between two consecutive proposals."""

    ADDED = "added"
    DROPPED = "dropped"
    UNCHANGED = "unchanged"
    CONCESSION = "concession"
    HARDENING = "hardening"
    SHIFTED = "shifted"


@dataclass(frozen=True, slots=True)
class TimelineStep:
    """One issue between two consecutive proposals of the track."""

    key: str
    label: str
    category: str
    before: PositionSet
    after: PositionSet
    old: Position | None
    new: Position | None
    change: Change
    reference: PositionSet | None
    gap_before: float | None
    gap_after: float | None
    explanation: str

    @property
    def sources(self) -> tuple[Source, ...]:
        """The evidence for the stance after the step (before it, for a dropped stance)."""
        position = self.new or self.old
        return position.sources if position is not None else ()


@dataclass(frozen=True, slots=True)
class GapPoint:
    """The overall gap between one proposal of the track and the reference at that time."""

    proposal: PositionSet
    reference: PositionSet
    gap: float | None


@dataclass(frozen=True, slots=True)
class Timeline:
    """A track of proposals in date order, the steps between them, and the gap over time."""

    subject: str
    reference_party: str | None
    track: tuple[PositionSet, ...]
    steps: tuple[TimelineStep, ...]
    gaps: tuple[GapPoint, ...]

    def changes(self, *kinds: Change | str) -> list[TimelineStep]:
        """Steps of the given kinds (all changed steps if none are given)."""
        wanted = {Change(k) for k in kinds} if kinds else set(Change) - {Change.UNCHANGED}
        return [step for step in self.steps if step.change in wanted]


def timeline(
    corpus: Corpus,
    *,
    party: str | None = None,
    lineage: str | None = None,
    reference: str | None = None,
) -> Timeline:
    """The timeline of a party's proposals (``party``) or of a lineage of revisions
    (``lineage``: the id of any proposal in it), measured against ``reference`` (a party id)."""
    if (party is None) == (lineage is None):
        raise ComparisonError("give either party= or lineage=, not both or neither")
    if reference is not None and reference == party:
        raise ComparisonError(f"the reference party must differ from the party ({party!r})")
    if party is not None:
        track = [p for p in corpus if party in p.authors]
        if not track:
            raise ComparisonError(f"no proposal in the corpus is authored by {party!r}")
        subject = party
    else:
        assert lineage is not None
        members = _lineage(corpus, lineage)
        track = [p for p in corpus if p.id in members]
        subject = lineage
    references: list[PositionSet] = []
    if reference is not None:
        references = [corpus.positions(p.id) for p in corpus if reference in p.authors]
        if not references:
            raise ComparisonError(f"no proposal in the corpus is authored by {reference!r}")
    timeline_track = [corpus.positions(p.id) for p in track]
    return build_timeline(subject, timeline_track, references, reference_party=reference)


def _lineage(corpus: Corpus, start: str) -> set[str]:
    """Every proposal linked to ``start`` by ``revises``, in either direction."""
    ids = set(corpus.ids)
    if start not in ids:
        raise ComparisonError(
            f"no proposal {start!r} in the corpus; it holds: {', '.join(corpus.ids) or 'none'}"
        )
    neighbours: dict[str, set[str]] = {}
    for proposal in corpus:
        if proposal.revises in ids:
            neighbours.setdefault(proposal.id, set()).add(proposal.revises)
            neighbours.setdefault(proposal.revises, set()).add(proposal.id)
    members, frontier = {start}, [start]
    while frontier:
        for linked in neighbours.get(frontier.pop(), set()):
            if linked not in members:
                members.add(linked)
                frontier.append(linked)
    return members


def build_timeline(
    subject: str,
    track: Sequence[PositionSet],
    references: Sequence[PositionSet],
    *,
    reference_party: str | None = None,
) -> Timeline:
    """Steps between consecutive proposals of ``track`` (already in date order)."""
    ordered = sorted(track, key=lambda p: (p.date, p.proposal_id))
    ordered_refs = sorted(references, key=lambda p: (p.date, p.proposal_id))
    steps: list[TimelineStep] = []
    for before, after in pairwise(ordered):
        ref = _reference_at(ordered_refs, after)
        steps += [_step(key, before, after, ref) for key in reading_order(before, after)]
    gaps = tuple(
        GapPoint(p, ref, diff(p, ref).summary.overall_gap)
        for p in ordered
        if (ref := _reference_at(ordered_refs, p)) is not None
    )
    return Timeline(
        subject=subject,
        reference_party=reference_party,
        track=tuple(ordered),
        steps=tuple(steps),
        gaps=gaps,
    )


def _reference_at(references: Sequence[PositionSet], when: PositionSet) -> PositionSet | None:
    if not references:
        return None
    earlier = [r for r in references if r.date <= when.date and r.proposal_id != when.proposal_id]
    return earlier[-1] if earlier else references[0]


def _step(
    key: str, before: PositionSet, after: PositionSet, ref: PositionSet | None
) -> TimelineStep:
    old, new = _first(before, key), _first(after, key)
    some = old or new
    assert some is not None
    target = _first(ref, key) if ref is not None else None
    if old is not None and new is not None:
        check_same_definition(key, old, new, before, after)
    if target is not None and ref is not None:
        check_same_definition(key, some, target, before if old is not None else after, ref)
    gap_before = _gap(old, target)
    gap_after = _gap(new, target)
    if old is None and new is not None:
        change, explanation = Change.ADDED, f"Added in {after.label}: {new.describe()}."
    elif new is None and old is not None:
        change, explanation = (
            Change.DROPPED,
            f"{after.label} no longer addresses it (was: {old.describe()}).",
        )
    else:
        assert old is not None
        assert new is not None
        same = judge(old, new).relation is Relation.AGREE
        if same:
            change, explanation = Change.UNCHANGED, f"Unchanged: {new.describe()}."
        elif gap_before is None or gap_after is None or ref is None:
            change = Change.SHIFTED
            why = (
                "no reference stance to measure direction"
                if target is None
                else "a level not stated on one side leaves the direction unmeasured"
            )
            explanation = f"Changed from {old.describe()} to {new.describe()}; {why}."
        else:
            change = (
                Change.CONCESSION
                if gap_after < gap_before
                else Change.HARDENING
                if gap_after > gap_before
                else Change.SHIFTED
            )
            word = {
                Change.CONCESSION: "Toward",
                Change.HARDENING: "Away from",
                Change.SHIFTED: "No closer to",
            }[change]
            explanation = (
                f"{word} {ref.label}: {old.describe()} → {new.describe()} "
                f"(gap to its stance {gap_before:.2f} → {gap_after:.2f})."
            )
    return TimelineStep(
        key=key,
        label=some.label,
        category=some.category,
        before=before,
        after=after,
        old=old,
        new=new,
        change=change,
        reference=ref,
        gap_before=gap_before,
        gap_after=gap_after,
        explanation=explanation,
    )


def _first(positions: PositionSet, key: str) -> Position | None:
    """A proposal's stance on an issue; where only alternatives state it, the first of them."""
    candidates = positions.candidates(key)
    return candidates[0] if candidates else None


def _gap(position: Position | None, target: Position | None) -> float | None:
    if position is None or target is None:
        return None
    return gap_between(
        position.definition,
        position.value,
        target.value,
        position.unit,
        target.unit,
        position.bound,
        target.bound,
    )
