"""A corpus: many proposals at once, filtered, and flattened into one long table of stances."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Any

from negpos.codebook import CodebookOrPath
from negpos.errors import ComparisonError, Problem
from negpos.files import collector_paused, load_dir
from negpos.model import Proposal, ProposalStatus
from negpos.positions import (
    STANCE_COLUMNS,
    STANCE_SCHEMA,
    PositionSet,
    positions_of,
    stance_frame,
)

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["STANCE_COLUMNS", "STANCE_SCHEMA", "Corpus"]


@dataclass(frozen=True)
class Corpus:
    """Proposals in date order (then id), each with its compiled positions.

    Build one with ``Corpus.from_dir(path)`` or ``Corpus(proposals)``; every filter returns a
    new corpus, so a pipeline reads as a chain: ``corpus.filter(party="RU").stances()``.
    """

    proposals: tuple[Proposal, ...]
    skipped: tuple[Problem, ...] = ()
    ignored: tuple[Problem, ...] = ()  # files of the folder that are not proposal files
    _positions: dict[str, PositionSet] = field(default_factory=dict, repr=False, compare=False)
    _by_id: dict[str, Proposal] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        ordered = tuple(sorted(self.proposals, key=lambda p: (p.date, p.id)))
        counts = Counter(p.id for p in ordered)
        repeated = sorted(i for i, n in counts.items() if n > 1)
        if repeated:
            raise ComparisonError(f"proposal ids repeat in the corpus: {repeated}")
        object.__setattr__(self, "proposals", ordered)
        object.__setattr__(self, "_by_id", {p.id: p for p in ordered})

    @classmethod
    def from_dir(
        cls,
        directory: str | Path,
        *,
        codebook: CodebookOrPath | None = None,
        skip_invalid: bool = False,
        max_bytes: int | None = None,
    ) -> Corpus:
        """Load every proposal file in a directory; see ``negpos.load_dir`` for bad files,
        the codebook (a ``Codebook`` or a codebook file's path) and the size limit."""
        with collector_paused():
            loaded = load_dir(
                directory, codebook=codebook, skip_invalid=skip_invalid, max_bytes=max_bytes
            )
        return cls(proposals=loaded.proposals, skipped=loaded.skipped, ignored=loaded.ignored)

    @classmethod
    def of(cls, proposals: Iterable[Proposal]) -> Corpus:
        return cls(proposals=tuple(proposals))

    # ------------------------------------------------------------------ access

    def __len__(self) -> int:
        return len(self.proposals)

    def __iter__(self) -> Iterator[Proposal]:
        return iter(self.proposals)

    def __getitem__(self, proposal_id: str) -> Proposal:
        proposal = self._by_id.get(proposal_id)
        if proposal is None:
            known = ", ".join(self.ids) or "none"
            raise KeyError(f"no proposal {proposal_id!r} in the corpus; it holds: {known}")
        return proposal

    @property
    def ids(self) -> list[str]:
        return [p.id for p in self.proposals]

    def positions(self, proposal_id: str) -> PositionSet:
        """The flat positions of one proposal, compiled once and kept."""
        cached = self._positions.get(proposal_id)
        if cached is None:
            cached = self._compiled(self[proposal_id])
        return cached

    def position_sets(self) -> list[PositionSet]:
        """Every proposal's flat positions, in the corpus's order (each compiled once)."""
        found = []
        with collector_paused():
            for proposal in self.proposals:
                cached = self._positions.get(proposal.id)  # None, not empty: a set may be empty
                found.append(self._compiled(proposal) if cached is None else cached)
        return found

    def _compiled(self, proposal: Proposal) -> PositionSet:
        compiled = positions_of(proposal)
        self._positions[proposal.id] = compiled
        return compiled

    @cached_property
    def issue_keys(self) -> list[str]:
        """Every issue any proposal addresses, in reading order."""
        order: dict[str, tuple[tuple[int, str, int], str]] = {}
        for positions in self.position_sets():
            for key, position in positions.items():
                order.setdefault(key, (position.order, key))
        return sorted(order, key=lambda k: order[k])

    # ------------------------------------------------------------------ filters

    def filter(
        self,
        *,
        party: str | Sequence[str] | None = None,
        start: dt.date | str | None = None,
        end: dt.date | str | None = None,
        status: str | Sequence[str] | None = None,
        issue: str | None = None,
    ) -> Corpus:
        """Proposals matching every filter given.

        ``party``: authored by it (or any of several); ``start``/``end``: dates, inclusive;
        ``status``: official, reported ...; ``issue``: addresses this key, or any key under
        this dotted prefix (``territory``, ``security.UA``).
        """
        parties = _as_set(party)
        statuses = {ProposalStatus(s) for s in _as_set(status)} if status is not None else None
        first = _as_date(start)
        last = _as_date(end)
        kept = []
        for proposal in self.proposals:
            if parties and not parties & set(proposal.authors):
                continue
            if statuses is not None and proposal.status not in statuses:
                continue
            if first is not None and proposal.date < first:
                continue
            if last is not None and proposal.date > last:
                continue
            if issue is not None and not any(
                key == issue or key.startswith(issue + ".") for key in self.positions(proposal.id)
            ):
                continue
            kept.append(proposal)
        return Corpus(
            proposals=tuple(kept),
            skipped=self.skipped,
            ignored=self.ignored,
            _positions={p.id: self._positions[p.id] for p in kept if p.id in self._positions},
        )

    # ------------------------------------------------------------------ tables

    def stance_records(self) -> list[dict[str, Any]]:
        """One JSON-ready dict per proposal × issue it addresses: the long form of
        ``STANCE_COLUMNS``, each proposal's ``PositionSet.to_records()`` in corpus order."""
        sets = self.position_sets()
        with collector_paused():
            return [record for positions in sets for record in positions.to_records()]

    def stances(self) -> pd.DataFrame:
        """A tidy long DataFrame: one row per proposal × issue, columns ``STANCE_COLUMNS``,
        each of its ``STANCE_SCHEMA`` dtype.

        ``value`` holds the stance as data in one text cell (a level, a party id, words, a
        figure, items joined by ``;``), ``number`` a figure as a number, ``value_form`` says how
        the text states it (``value``; ``unspecified``, with no value; ``not``, ``including``
        or ``all_except`` the items in ``value``), and ``text`` reads as a reader reads it. A
        proposal's alternatives add one row per alternative that states an issue
        (``alternative`` names it); group and pivot on ``issue``.
        """
        return stance_frame(self.stance_records())


def _as_set(value: str | Sequence[str] | None) -> set[str]:
    if value is None:
        return set()
    return {value} if isinstance(value, str) else set(value)


def _as_date(value: dt.date | str | None) -> dt.date | None:
    if value is None or isinstance(value, dt.date):
        return value
    return dt.date.fromisoformat(value)
