"""Trades: small changes to a chosen package that leave every party better off.

From the base package (a proposal placed in the outcome space), every package that changes
one or two issues is tried; those that raise every party's utility are trades. They are
ranked by the smallest gain any party makes, then by the total gain, then by package
number. Each is explained issue by issue: who gives (its utility there falls) and who gains.
"""

from __future__ import annotations

import itertools
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np

from negpos.bargaining.domain import Domain

__all__ = ["IssueChange", "Trade", "find_trades"]


@dataclass(frozen=True, slots=True)
class IssueChange:
    """One issue's move in a trade, and what it does to each party there."""

    key: str
    label: str
    before: str
    after: str
    givers: tuple[str, ...]  # parties whose utility on this issue falls
    gainers: tuple[str, ...]  # parties whose utility on this issue rises
    unaffected: tuple[str, ...] = ()  # parties indifferent to the move


@dataclass(frozen=True, slots=True)
class Trade:
    package: int
    changes: tuple[IssueChange, ...]
    gains: tuple[float, ...]  # each party's utility gain over the base package

    @property
    def smallest_gain(self) -> float:
        return min(self.gains)

    def explain(self, names: Mapping[str, str]) -> str:
        """``Russia gives on sanctions (all lifted → partly lifted); Ukraine gives on ...``;
        a change no party gives on names who gains (and who is unaffected)."""
        parts = []
        for change in self.changes:
            move = f"{change.label} ({change.before} → {change.after})"
            if change.givers:
                who = _joined(change.givers, names)
                parts.append(f"{who} {'give' if len(change.givers) > 1 else 'gives'} on {move}")
                continue
            who = _joined(change.gainers, names)
            text = f"{who} {'gain' if len(change.gainers) > 1 else 'gains'} on {move}"
            if change.unaffected:
                text += f", {_joined(change.unaffected, names)} unaffected"
            parts.append(text)
        return "; ".join(parts)


def _joined(parties: Sequence[str], names: Mapping[str, str]) -> str:
    return " and ".join(names.get(p, p) for p in parties)


def find_trades(domain: Domain, base: Sequence[int], *, limit: int = 10) -> tuple[Trade, ...]:
    """The best ``limit`` trades from the package with options ``base`` (one per issue)."""
    per_issue = domain.issue_utilities()  # parties by options, weighted
    found: list[Trade] = []
    for count in (1, 2):
        for issues in itertools.combinations(range(len(domain.issues)), count):
            found += _trades_on(domain, per_issue, base, issues)
    found.sort(key=lambda t: (-round(t.smallest_gain, 12), -round(sum(t.gains), 12), t.package))
    return tuple(found[:limit])


def _trades_on(
    domain: Domain,
    per_issue: list[np.ndarray],
    base: Sequence[int],
    issues: tuple[int, ...],
) -> list[Trade]:
    ids = domain.party_ids
    trades = []
    ranges = [[o for o in range(len(domain.issues[i].options)) if o != base[i]] for i in issues]
    for choice in itertools.product(*ranges):
        delta = sum(
            per_issue[i][:, new] - per_issue[i][:, base[i]]
            for i, new in zip(issues, choice, strict=True)
        )
        assert isinstance(delta, np.ndarray)
        if not (np.round(delta, 12) > 0).all():
            continue
        package = list(base)
        changes = []
        for i, new in zip(issues, choice, strict=True):
            package[i] = new
            move = per_issue[i][:, new] - per_issue[i][:, base[i]]
            issue = domain.issues[i]
            changes.append(
                IssueChange(
                    key=issue.key,
                    label=issue.label,
                    before=issue.option_label(base[i]),
                    after=issue.option_label(new),
                    givers=tuple(ids[p] for p in np.flatnonzero(np.round(move, 12) < 0)),
                    gainers=tuple(ids[p] for p in np.flatnonzero(np.round(move, 12) > 0)),
                    unaffected=tuple(ids[p] for p in np.flatnonzero(np.round(move, 12) == 0)),
                )
            )
        trades.append(
            Trade(
                package=domain.index_of(package),
                changes=tuple(changes),
                gains=tuple(float(g) for g in np.round(delta, 12)),
            )
        )
    return trades
