"""The bargaining domain: the issues in scope with their options, and each party's preferences.

Preference files (``profiles.py``) and proposals (``derived.py``) both compile to a
``Domain``; every answer (frontier, solutions, trades, forecast, sensitivity) reads only
this. Utilities are linear-additive: a party's utility for a package is the sum over the
issues of its normalised weight times its utility (0 to 1) for the package's option there.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from negpos.bargaining.estimates import Estimate
from negpos.codebook import IssueDefinition, IssueKind
from negpos.model import Basis, Source
from negpos.values import format_number

__all__ = [
    "DEFAULT_MAX_OUTCOMES",
    "Domain",
    "IssueScope",
    "IssueUtility",
    "OptionValue",
    "PartyPreferences",
]

OptionValue = str | bool | float
DEFAULT_MAX_OUTCOMES = 10_000_000
ROUNDING = 12  # decimals kept in utilities, so sums do not depend on the order of addition


@dataclass(frozen=True, slots=True)
class IssueScope:
    """One issue in scope and the options a package can take on it."""

    key: str
    label: str
    definition: IssueDefinition
    options: tuple[OptionValue, ...]
    step: float | None = None  # numbers: the step the range was cut into

    @property
    def kind(self) -> IssueKind:
        return self.definition.kind

    @property
    def category(self) -> str:
        return self.definition.category

    def option_label(self, index: int) -> str:
        return describe_option(self.definition, self.options[index])

    @property
    def option_labels(self) -> tuple[str, ...]:
        return tuple(self.option_label(i) for i in range(len(self.options)))

    def scale_positions(self) -> np.ndarray | None:
        """Each option's place on the issue's scale (ordinal places, figures, 0/1), or None
        for an issue with no scale (categorical, set, text)."""
        kind = self.kind
        if kind is IssueKind.ORDINAL:
            return np.array([self.definition.place(str(v)) for v in self.options], dtype=float)
        if kind is IssueKind.NUMBER:
            return np.array(self.options, dtype=float)
        if kind is IssueKind.BOOLEAN:
            return np.array([1.0 if v else 0.0 for v in self.options])
        return None


def describe_option(definition: IssueDefinition, value: OptionValue) -> str:
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float):
        unit = f" {definition.unit}" if definition.unit else ""
        return format_number(value) + unit
    if isinstance(value, frozenset):
        return ", ".join(sorted(definition.value_label(v) for v in value)) or "none"
    if definition.kind is IssueKind.TEXT:
        return value
    return definition.value_label(value)


@dataclass(frozen=True, slots=True)
class IssueUtility:
    """A party's utility on one issue: one estimate per option, or a piecewise-linear curve
    through estimates ``at`` given figures (numbers), flat beyond its ends."""

    estimates: tuple[Estimate, ...]
    at: tuple[float, ...] | None = None

    def point(self, options: Sequence[OptionValue]) -> np.ndarray:
        values = np.array([e.value for e in self.estimates], dtype=float)
        return values if self.at is None else self._interpolation(options) @ values

    def draw(
        self, options: Sequence[OptionValue], generator: np.random.Generator, size: int
    ) -> np.ndarray:
        """``size`` × options utilities, each estimate drawn within its range, cut to 0–1."""
        draws = np.stack([e.draw(generator, size, 0.0, 1.0) for e in self.estimates], axis=1)
        return draws if self.at is None else draws @ self._interpolation(options).T

    def _interpolation(self, options: Sequence[OptionValue]) -> np.ndarray:
        """options × points matrix M with utility(options) = M @ utility(points)."""
        assert self.at is not None
        figures = np.array(options, dtype=float)
        at = np.array(self.at, dtype=float)
        return np.stack([np.interp(figures, at, unit) for unit in np.eye(len(at))], axis=1)

    @property
    def uncertain(self) -> bool:
        return any(e.uncertain for e in self.estimates)


@dataclass(frozen=True, slots=True)
class PartyPreferences:
    """One party's weights, utilities, walk-away point and capability, with how each is known."""

    party: str
    name: str
    basis: Basis
    weights: tuple[Estimate, ...]  # one per issue in scope, before normalising
    utilities: tuple[IssueUtility, ...]  # one per issue in scope
    reservation: Estimate
    capability: Estimate | None = None
    derived_from: str | None = None  # id of the proposal a derived profile comes from
    sources: tuple[Source, ...] = ()
    note: str | None = None

    @property
    def derived(self) -> bool:
        return self.derived_from is not None

    def weight_vector(self) -> np.ndarray:
        """The weights, normalised to sum to 1 (equal weights when all are 0)."""
        return normalised(np.array([w.value for w in self.weights], dtype=float))

    def weight_basis(self, index: int) -> Basis:
        return self.weights[index].basis_or(self.basis)


def normalised(weights: np.ndarray) -> np.ndarray:
    """Rows of weights scaled to sum to 1; a row of zeros becomes equal weights."""
    total = weights.sum(axis=-1, keepdims=True)
    equal = np.full_like(weights, 1.0 / weights.shape[-1])
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(total > 0, weights / np.where(total > 0, total, 1.0), equal)


@dataclass(frozen=True)
class Domain:
    """Issues in scope, their options, and two or more parties' preferences over them."""

    title: str
    issues: tuple[IssueScope, ...]
    parties: tuple[PartyPreferences, ...]
    sources: tuple[Source, ...] = ()
    notes: tuple[str, ...] = ()  # what every output must carry (e.g. "derived")
    description: str | None = None
    left_out: tuple[str, ...] = ()  # issues not in scope, each with why (derived domains)

    def sources_of(self, ids: Sequence[str]) -> tuple[Source, ...]:
        """The file's sources with these ids, in the file's order."""
        wanted = set(ids)
        return tuple(s for s in self.sources if s.id in wanted)

    @property
    def shape(self) -> tuple[int, ...]:
        return tuple(len(issue.options) for issue in self.issues)

    @property
    def size(self) -> int:
        """How many packages there are: the product of the issues' numbers of options."""
        size = 1
        for count in self.shape:
            size *= count
        return size

    @property
    def derived(self) -> bool:
        return any(p.derived for p in self.parties)

    @property
    def capabilities_given(self) -> bool:
        """Capabilities count only when every party gives one; otherwise all count as 1."""
        return all(p.capability is not None for p in self.parties)

    @property
    def party_ids(self) -> tuple[str, ...]:
        return tuple(p.party for p in self.parties)

    def issue_utilities(self) -> list[np.ndarray]:
        """Per issue, a parties × options array of weighted utilities (the point values)."""
        per_issue = []
        for i, issue in enumerate(self.issues):
            rows = [
                p.weight_vector()[i] * p.utilities[i].point(issue.options) for p in self.parties
            ]
            per_issue.append(np.stack(rows))
        return per_issue

    def unweighted_utilities(self, issue_index: int) -> np.ndarray:
        """parties × options utilities on one issue, before weighting."""
        issue = self.issues[issue_index]
        return np.stack([p.utilities[issue_index].point(issue.options) for p in self.parties])

    def reservations(self) -> np.ndarray:
        return np.array([p.reservation.value for p in self.parties], dtype=float)

    def package(self, index: int) -> tuple[int, ...]:
        """The option chosen on each issue by package number ``index``."""
        return tuple(int(i) for i in np.unravel_index(index, self.shape))

    def index_of(self, choices: Sequence[int]) -> int:
        return int(np.ravel_multi_index(tuple(choices), self.shape))

    def describe_package(self, index: int) -> dict[str, str]:
        return {
            issue.key: issue.option_label(choice)
            for issue, choice in zip(self.issues, self.package(index), strict=True)
        }


def party_rows(per_issue: Sequence[np.ndarray]) -> np.ndarray:
    """parties × packages utilities from per-issue (parties × options) weighted utilities, in
    the order ``np.unravel_index`` numbers packages: outer sums, one issue at a time, rounded
    to ``ROUNDING`` decimals. The one definition of a package's utility: the point answers
    and every sensitivity draw use it."""
    rows = []
    for p in range(per_issue[0].shape[0]):
        total = np.zeros(1)
        for table in per_issue:
            total = (total[:, None] + table[p][None, :]).ravel()
        rows.append(np.round(total, ROUNDING, out=total))
    return np.stack(rows)


def package_utilities(per_issue: Sequence[np.ndarray]) -> np.ndarray:
    """packages × parties (a view of ``party_rows``)."""
    return party_rows(per_issue).T
