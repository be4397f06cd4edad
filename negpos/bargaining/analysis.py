"""One call from a domain (and the proposals) to every bargaining answer, as a typed result."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np

from negpos.bargaining.domain import DEFAULT_MAX_OUTCOMES, Domain, package_utilities
from negpos.bargaining.errors import BargainingError
from negpos.bargaining.forecast import ForecastRow, forecast
from negpos.bargaining.frontier import pareto_frontier
from negpos.bargaining.sensitivity import Progress, Reference, Sensitivity, sensitivity
from negpos.bargaining.solutions import Concept, Solution, solve_all
from negpos.bargaining.trades import Trade, find_trades
from negpos.bargaining.zones import Zone, zones_of_agreement
from negpos.codebook import IssueKind
from negpos.positions import PositionSet

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["Bargaining", "PlacedProposal", "bargain", "outcome_utilities", "place_proposal"]


@dataclass(frozen=True, slots=True)
class PlacedProposal:
    """A proposal as a package of the outcome space, or why it cannot be one."""

    proposal: str
    label: str
    package: int | None
    utilities: tuple[float, ...] | None
    why_not: str | None = None
    snapped: tuple[str, ...] = ()  # figures moved to the nearest option, in words


def _judged_numbers(domain: Domain) -> list[str]:
    """The estimates marked ``inferred`` in a profile whose own basis is not: a walk-away
    point, a capability, a weight or a utility the analyst judged inside a stated profile."""
    found = []
    for party in domain.parties:
        if party.basis == "inferred" or party.derived:
            continue
        items = []
        if party.reservation.basis == "inferred":
            items.append("walk-away utility")
        if party.capability is not None and party.capability.basis == "inferred":
            items.append("capability")
        for i, issue in enumerate(domain.issues):
            if party.weights[i].basis == "inferred":
                items.append(f"weight on {issue.label}")
            if any(e.basis == "inferred" for e in party.utilities[i].estimates):
                items.append(f"utilities on {issue.label}")
        if items:
            found.append(f"{party.basis} profile of {party.name}: " + ", ".join(items))
    return found


def outcome_utilities(domain: Domain, *, max_outcomes: int = DEFAULT_MAX_OUTCOMES) -> np.ndarray:
    """packages × parties utilities, refusing (before any allocation) past ``max_outcomes``."""
    if domain.size > max_outcomes:
        shape = " × ".join(str(n) for n in domain.shape)
        raise BargainingError(
            f"the outcome space has {domain.size:,} packages ({shape}), over the limit of "
            f"{max_outcomes:,}: narrow the scope, coarsen a number's step or raise the limit"
        )
    return package_utilities(domain.issue_utilities())


def place_proposal(domain: Domain, positions: PositionSet) -> PlacedProposal:
    """The package a proposal states: its option on every issue in scope (figures snapped to
    the nearest option), or why it states none."""
    choices, problems, snapped = [], [], []
    for issue in domain.issues:
        stances = positions.candidates(issue.key)
        if not stances:
            problems.append(f"{issue.label}: not addressed")
            continue
        if len({(s.value, s.unit) for s in stances}) > 1:
            problems.append(f"{issue.label}: its alternatives state different options")
            continue
        value = stances[0].value
        if issue.kind is IssueKind.NUMBER and isinstance(value, float):
            figures = np.array(issue.options, dtype=float)
            nearest = int(np.abs(figures - value).argmin())
            if figures[nearest] != value:
                snapped.append(f"{issue.label}: {stances[0].text} → {issue.option_label(nearest)}")
            choices.append(nearest)
        elif value in issue.options and not isinstance(value, float):
            choices.append(issue.options.index(value))
        else:
            problems.append(f"{issue.label}: {stances[0].text} is not one option")
    if problems:
        return PlacedProposal(
            positions.proposal_id, positions.label, None, None, "; ".join(problems)
        )
    package = domain.index_of(choices)
    per_issue = domain.issue_utilities()
    utility = sum(table[:, c] for table, c in zip(per_issue, choices, strict=True))
    assert isinstance(utility, np.ndarray)
    return PlacedProposal(
        positions.proposal_id,
        positions.label,
        package,
        tuple(float(u) for u in np.round(utility, 12)),
        snapped=tuple(snapped),
    )


@dataclass(frozen=True)
class Bargaining:
    """Every bargaining answer for one domain."""

    domain: Domain
    utilities: np.ndarray  # packages × parties
    frontier: np.ndarray  # package numbers
    solutions: dict[Concept, Solution]
    zones: tuple[Zone, ...]
    placed: tuple[PlacedProposal, ...]
    against: PlacedProposal | None
    trades: tuple[Trade, ...]
    forecast: tuple[ForecastRow, ...]
    sensitivity: Sensitivity | None

    @property
    def profiles_basis(self) -> str:
        """What the profiles rest on, in a word or two: ``derived from proposals``, or the
        parties' bases (``inferred``, ``stated``, ``reported``) joined."""
        if self.domain.derived:
            return "derived from proposals"
        return ", ".join(sorted({str(p.basis) for p in self.domain.parties}))

    @property
    def notes(self) -> tuple[str, ...]:
        """What every output must say: derived profiles, inferred numbers, snapped figures."""
        notes = list(self.domain.notes)
        inferred = [p.name for p in self.domain.parties if p.basis == "inferred"]
        if inferred and not self.domain.derived:
            notes.append(
                "Inferred (the analyst's judgement, not stated by the party): the profiles of "
                + ", ".join(inferred)
                + "."
            )
        judged = _judged_numbers(self.domain)
        if judged:
            notes.append("Inferred numbers in otherwise " + "; ".join(judged) + ".")
        for placed in self.placed:
            for move in placed.snapped:
                notes.append(f"{placed.label}: figure moved to the nearest option ({move}).")
        return tuple(notes)

    def utilities_of(self, package: int) -> tuple[float, ...]:
        return tuple(float(u) for u in self.utilities[package])

    def solutions_frame(self) -> pd.DataFrame:
        import pandas as pd

        return pd.DataFrame(self.solution_records())

    def solution_records(self) -> list[dict[str, Any]]:
        records = []
        for concept, solution in self.solutions.items():
            record: dict[str, Any] = {
                "concept": concept.value,
                "label": concept.label,
                "measure": concept.measure,
                "value": solution.value,
                "package": solution.package,
                "ties": list(solution.ties),
                "why_none": solution.why_none,
            }
            if solution.package is not None:
                record.update(
                    {
                        f"utility_{p}": u
                        for p, u in zip(
                            self.domain.party_ids, self.utilities_of(solution.package), strict=True
                        )
                    }
                )
                record.update(self.domain.describe_package(solution.package))
            records.append(record)
        return records

    def frontier_frame(self) -> pd.DataFrame:
        import pandas as pd

        rows = []
        for package in self.frontier:
            row: dict[str, Any] = {"package": int(package)}
            row.update(
                {
                    f"utility_{p}": u
                    for p, u in zip(
                        self.domain.party_ids, self.utilities_of(int(package)), strict=True
                    )
                }
            )
            row.update(self.domain.describe_package(int(package)))
            rows.append(row)
        return pd.DataFrame(rows)


def bargain(
    domain: Domain,
    *,
    proposals: Sequence[PositionSet] = (),
    against: str | None = None,
    samples: int = 0,
    seed: int = 0,
    workers: int = 1,
    max_outcomes: int = DEFAULT_MAX_OUTCOMES,
    trades: int = 10,
    progress: Progress | None = None,
) -> Bargaining:
    """Zones, frontier, solutions, trades against ``against`` (a proposal id), forecast and,
    with ``samples`` > 0, the sensitivity run."""
    utilities = outcome_utilities(domain, max_outcomes=max_outcomes)
    frontier = pareto_frontier(utilities)
    solutions = solve_all(utilities, frontier, domain.reservations())
    keys = [issue.key for issue in domain.issues]
    # Every issue in scope that some proposal addresses: one a side is silent on is
    # `unknown` ("not addressed by ..."), never dropped.
    zones = (
        zones_of_agreement(proposals, [k for k in keys if any(p.candidates(k) for p in proposals)])
        if len(proposals) >= 2
        else ()
    )
    placed = tuple(place_proposal(domain, p) for p in proposals)
    base = None
    found_trades: tuple[Trade, ...] = ()
    if against is not None:
        base = next((p for p in placed if p.proposal == against), None)
        if base is None:
            raise BargainingError(f"--against {against}: no such proposal among those given")
        if base.package is None:
            raise BargainingError(
                f"{against} cannot be placed in the outcome space: {base.why_not}"
            )
        found_trades = find_trades(domain, domain.package(base.package), limit=trades)
    result_sensitivity = None
    if samples > 0:
        references = [
            Reference(concept.label, solution.package)
            for concept, solution in solutions.items()
            if solution.package is not None
        ]
        references += [Reference(p.label, p.package) for p in placed if p.package is not None]
        result_sensitivity = sensitivity(
            domain,
            {c: s.packages for c, s in solutions.items()},
            references,
            samples=samples,
            seed=seed,
            workers=workers,
            progress=progress,
        )
    return Bargaining(
        domain=domain,
        utilities=utilities,
        frontier=frontier,
        solutions=solutions,
        zones=zones,
        placed=placed,
        against=base,
        trades=found_trades,
        forecast=forecast(domain),
        sensitivity=result_sensitivity,
    )
