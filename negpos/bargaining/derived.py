"""Profiles derived from proposals, when no profile file is given: a documented default.

Each party's latest proposal (by date, then id; a proposal counts for each of its authors)
is its ideal point. Its utility for an option is 1 minus the engine's gap between its stance
and that option, so the engine's rules (scales, bounds, exclusions, open lists) define how
fast utility falls. Its weight on an issue is the stance's salience where the file gives
one, else 1 (equal weights), uncertain from 0.5 to 1.5 for the sensitivity run. Its walk-away utility is 0 and it has no capability. The issues
in scope are those every party states a level on; numbers range over the codebook's range
(or the stated figures) in ``DEFAULT_STEPS`` steps. Every number is marked ``inferred``
(a salience keeps its own basis), and every output says the profiles were derived.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from negpos.bargaining.domain import Domain, IssueScope, IssueUtility, OptionValue, PartyPreferences
from negpos.bargaining.errors import BargainingError
from negpos.bargaining.estimates import Estimate
from negpos.bargaining.profiles import BARGAINABLE_KINDS, DEFAULT_STEPS
from negpos.codebook import IssueKind
from negpos.engine import gap_between
from negpos.model import Basis, Proposal
from negpos.positions import UNSTATED, Position, PositionSet, positions_of

__all__ = ["DERIVED_NOTE", "INFERRED_WEIGHT_RANGE", "derive_domain", "latest_proposals"]

# A weight no file states is a guess: the sensitivity run draws it from half to one and a
# half times the equal weight, so every answer says how much it leans on that guess.
INFERRED_WEIGHT_RANGE = (0.5, 1.5)

DERIVED_NOTE = (
    "Profiles derived from the proposals (not stated by the parties): each party's latest "
    "proposal is its ideal, utility falls with the engine's gap, weights are the stated "
    "saliences or equal, walk-away utility 0. Every number is the coder's inference."
)


def latest_proposals(
    proposals: Sequence[Proposal], parties: Sequence[str] | None = None
) -> dict[str, Proposal]:
    """Each party's latest proposal, by date then id; parties in the order given (or of
    first appearance among the proposals' authors)."""
    latest: dict[str, Proposal] = {}
    for proposal in sorted(proposals, key=lambda p: (p.date, p.id)):
        for author in proposal.authors:
            latest[author] = proposal
    order = (
        list(parties) if parties else list(dict.fromkeys(a for p in proposals for a in p.authors))
    )
    unknown = [p for p in order if p not in latest]
    if unknown:
        raise BargainingError(f"no proposal is authored by {', '.join(unknown)}")
    return {party: latest[party] for party in order}


def derive_domain(
    proposals: Sequence[Proposal],
    *,
    parties: Sequence[str] | None = None,
    issues: Sequence[str] | None = None,
    title: str | None = None,
) -> Domain:
    """A ``Domain`` from each party's latest proposal (see the module's docstring)."""
    chosen = latest_proposals(proposals, parties)
    if len(chosen) < 2:
        raise BargainingError("bargaining needs two or more parties")
    stances = {party: positions_of(proposal) for party, proposal in chosen.items()}
    keys = _scope(stances, issues)
    left_out = () if issues else _left_out(stances, keys)
    party_ids = tuple(dict.fromkeys(party.id for p in chosen.values() for party in p.parties))
    scope = [_issue(key, [stances[p][key] for p in chosen], party_ids) for key in keys]
    preferences = tuple(_party(party, chosen[party], stances[party], scope) for party in chosen)
    names = {party.id: party.name for p in chosen.values() for party in p.parties}
    preferences = tuple(
        PartyPreferences(
            party=p.party,
            name=names.get(p.party, p.party),
            basis=p.basis,
            weights=p.weights,
            utilities=p.utilities,
            reservation=p.reservation,
            derived_from=p.derived_from,
            sources=p.sources,
        )
        for p in preferences
    )
    sources = tuple({s.id + p.id: s for p in chosen.values() for s in p.sources}.values())
    return Domain(
        title=title or " vs ".join({p.id: p.label or p.title for p in chosen.values()}.values()),
        issues=tuple(scope),
        parties=preferences,
        sources=sources,
        notes=(DERIVED_NOTE,),
        left_out=left_out,
    )


def _left_out(stances: dict[str, PositionSet], keys: list[str]) -> tuple[str, ...]:
    """The issues some party's latest proposal addresses that are not in scope, and why."""
    found: dict[str, str] = {}
    for positions in stances.values():
        for key in (*positions.positions, *positions.alternative_sort_keys()):
            if key in keys or key in found:
                continue
            lacking = [
                f"{p} states it only in alternatives"
                if s.candidates(key) and key not in s
                else f"{p} states no level"
                for p, s in stances.items()
                if not _states(s, key)
            ]
            position = next(
                (s.candidates(key)[0] for s in stances.values() if s.candidates(key)), None
            )
            if position is not None and position.kind not in BARGAINABLE_KINDS:
                found[key] = f"{key} (a {position.kind.value} issue)"
            else:
                found[key] = f"{key} ({', '.join(lacking)})"
    return tuple(found[k] for k in sorted(found))


def _scope(stances: dict[str, PositionSet], issues: Sequence[str] | None) -> list[str]:
    sets = list(stances.values())
    if issues:
        for key in issues:
            if sets[0].codebook.resolve(key) is None:
                raise BargainingError(f"{key} is not an issue of the codebook in use")
            kinds = {s[key].kind for s in sets if key in s}
            wrong = sorted(k.value for k in kinds if k not in BARGAINABLE_KINDS)
            if wrong:
                raise BargainingError(
                    f"{key} is a {wrong[0]} issue: a package needs a finite list of options "
                    "(categorical, ordinal, boolean or number issues)"
                )
            lacking = [p for p, s in stances.items() if not _states(s, key)]
            if lacking:
                raise BargainingError(
                    f"{key}: the latest proposal of {', '.join(lacking)} states no level on it"
                )
        return list(issues)
    shared = [k for k in sets[0] if all(_states(s, k) for s in sets)]
    if not shared:
        raise BargainingError("the parties' latest proposals state no issue in common")
    return shared


def _states(positions: PositionSet, key: str) -> bool:
    position = positions.get(key)
    return (
        position is not None
        and position.value is not UNSTATED
        and position.kind in BARGAINABLE_KINDS
        and (position.kind is not IssueKind.NUMBER or isinstance(position.value, float))
    )


def _issue(key: str, positions: list[Position], party_ids: tuple[str, ...]) -> IssueScope:
    definition = positions[0].definition
    if definition.kind is IssueKind.NUMBER:
        figures = [float(p.value) for p in positions if isinstance(p.value, float)]
        span = definition.range
        low = span.min if span is not None and span.min is not None else min(figures)
        high = span.max if span is not None and span.max is not None else max(figures)
        step = (high - low) / DEFAULT_STEPS if high > low else None
        options: tuple[OptionValue, ...] = (
            tuple(float(low + i * step) for i in range(DEFAULT_STEPS + 1))
            if step
            else (float(low),)
        )
        return IssueScope(key, positions[0].label, definition, options, step=step)
    if definition.kind is IssueKind.BOOLEAN:
        return IssueScope(key, positions[0].label, definition, (True, False))
    if definition.values_from == "parties":
        return IssueScope(key, positions[0].label, definition, party_ids)
    values = definition.values or tuple(
        sorted({str(p.value) for p in positions if isinstance(p.value, str)})
    )
    return IssueScope(key, positions[0].label, definition, values)


def _party(
    party: str, proposal: Proposal, positions: PositionSet, scope: list[IssueScope]
) -> PartyPreferences:
    weights, utilities = [], []
    for issue in scope:
        position = positions[issue.key]
        if position.salience is not None:
            weights.append(
                Estimate(
                    value=position.salience, basis=Basis(position.salience_basis or "reported")
                )
            )
        else:
            weights.append(Estimate(value=1.0, range=INFERRED_WEIGHT_RANGE, basis=Basis.INFERRED))
        utilities.append(
            IssueUtility(tuple(Estimate(value=u) for u in _utilities(issue, position)))
        )
    return PartyPreferences(
        party=party,
        name=party,
        basis=Basis.INFERRED,
        weights=tuple(weights),
        utilities=tuple(utilities),
        reservation=Estimate(value=0.0),
        derived_from=proposal.id,
        sources=proposal.sources,
    )


def _utilities(issue: IssueScope, position: Position) -> list[float]:
    found = []
    for option in issue.options:
        gap = gap_between(
            issue.definition,
            position.value,
            option,
            position.unit,
            issue.definition.unit if issue.kind is IssueKind.NUMBER else None,
            position.bound,
            "exact" if issue.kind is IssueKind.NUMBER else None,
        )
        found.append(1.0 - (gap if gap is not None else 1.0))
    return [float(np.clip(u, 0.0, 1.0)) for u in found]
