"""Bargaining benchmarks (issue 10): Pareto frontiers against NegMAS, three parties, sensitivity.

One synthetic linear-additive domain per size (k ordinal issues of 10 options each, so 10^k
packages; per party a random utility per option and a random weight per issue, all seeded)
is built as a negpos ``Domain``; NegMAS gets the very same numbers as
``LinearAdditiveUtilityFunction``s over ``make_issue``s. Both tools are timed end to end,
from the preferences to the frontier, as a user calls them:

- negpos: ``pareto_frontier(outcome_utilities(domain))``;
- NegMAS: ``negmas.preferences.pareto_frontier(ufuns, issues=issues)``, which enumerates the
  outcomes itself (``itertools.product``, the order negpos numbers packages in), evaluates
  every ufun at every outcome, and extracts the frontier with ``pareto_frontier_numpy``.

Beside that, each tool's frontier step alone on negpos's utility array (NegMAS's
``pareto_frontier_numpy``, the extractor its docs recommend when the points are known). The
frontiers are checked to be the same packages and the same utility vectors, and a family of
tie-heavy domains (equal weights, utilities on a 0.1 grid) shows how each tool treats equal
vectors and rounding, against an exact integer frontier. NegMAS is AGPL: it comes from the
``bench`` extra only and is imported here on first use, never by negpos.

    python benchmarks/bargaining.py           # full run (long: see benchmarks/README.md)
    python benchmarks/bargaining.py --quick   # under ~15 s; verdicts wait for a full run

``python benchmarks/run.py`` runs it as its section e.
"""

from __future__ import annotations

import argparse
import gc
import math
import os
import resource
import statistics
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import partial
from importlib import metadata
from pathlib import Path
from typing import Any, TypeVar

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:  # so `python benchmarks/bargaining.py` finds negpos from a checkout
    sys.path.insert(0, str(ROOT))

from negpos.bargaining import (  # noqa: E402
    Domain,
    Estimate,
    IssueScope,
    PartyPreferences,
    Sensitivity,
    bargain,
    outcome_utilities,
    pareto_frontier,
)
from negpos.bargaining.domain import IssueUtility  # noqa: E402
from negpos.codebook import IssueDefinition, IssueKind  # noqa: E402
from negpos.model import Basis  # noqa: E402

__all__ = ["FULL", "QUICK", "BargainingResult", "BargainingSettings", "bench", "main", "report"]

SEED = 20261129
OPTIONS = 10  # options per issue: k issues give 10^k packages
QUICK_NOTE = "quick run: targets are judged on the full run"
T = TypeVar("T")


@dataclass(frozen=True)
class BargainingSettings:
    """Sizes (as numbers of 10-option issues) and repeat counts."""

    name: str
    quick: bool
    frontier_issues: tuple[int, ...]  # 2-party sizes: 10^k packages
    frontier_repeats: tuple[int, ...]  # runs of negpos at each size (the median is reported)
    negmas_issues: tuple[int, ...]  # sizes NegMAS is run at (a subset of frontier_issues)
    negmas_repeats: tuple[int, ...]
    target_issues: int  # the size the ≥ 20× goal is judged at
    three_issues: int  # the 3-party size
    three_repeat: int
    three_check_issues: int  # the 3-party size cross-checked against NegMAS
    tie_issues: int  # the tie-heavy domains' size
    tie_seeds: int  # how many tie-heavy domains
    sensitivity_issues: int
    draws: int


FULL = BargainingSettings(
    name="full",
    quick=False,
    frontier_issues=(5, 6, 7),
    frontier_repeats=(7, 5, 3),
    negmas_issues=(5, 6),
    negmas_repeats=(3, 2),
    target_issues=6,
    three_issues=6,
    three_repeat=3,
    three_check_issues=5,
    tie_issues=4,
    tie_seeds=20,
    sensitivity_issues=5,
    draws=10_000,
)
QUICK = BargainingSettings(
    name="quick",
    quick=True,
    frontier_issues=(3, 4, 5),
    frontier_repeats=(5, 5, 3),
    negmas_issues=(4,),
    negmas_repeats=(3,),
    target_issues=4,
    three_issues=4,
    three_repeat=3,
    three_check_issues=4,
    tie_issues=4,
    tie_seeds=3,
    sensitivity_issues=3,
    draws=500,  # two blocks of 250, so two workers really split the work
)

# The goals of issue 10, with the thresholds this benchmark judges them by.
RATIO_GOAL = 20.0  # NegMAS's pareto_frontier ÷ negpos on the same 10^6-package domain
GROWTH_LIMIT = 2.0  # time ÷ (n log2 n) at the largest size ≤ 2× that at the smallest
THREE_PARTY_LIMIT = 10.0  # "in seconds": a median under 10 s
SENSITIVITY_LIMIT = 60.0  # 10,000 draws over 10^5 packages, 2 workers on 2 cores


# ---------------------------------------------------------------------- the domains


def synthetic_domain(
    issues: int,
    parties: int,
    seed: int,
    *,
    uncertain: float = 0.0,
    grid: int | None = None,
) -> Domain:
    """``issues`` ordinal issues of ``OPTIONS`` levels; per party a utility per level (uniform
    in 0–1, or on a ``grid`` of steps 1/grid with equal weights) and a weight per issue
    (uniform in 0.2–1, given a range of ± ``uncertain`` × the weight when that is > 0)."""
    rng = np.random.default_rng(seed)
    scopes = []
    for i in range(issues):
        definition = IssueDefinition(
            key=f"bench.issue_{i}",
            label=f"Issue {i}",
            category="bench",
            kind=IssueKind.ORDINAL,
            values=tuple(f"level_{j}" for j in range(OPTIONS)),
        )
        scopes.append(IssueScope(definition.key, definition.label, definition, definition.values))
    preferences = []
    for p in range(parties):
        if grid is None:
            weights = rng.uniform(0.2, 1.0, issues)
            values = rng.random((issues, OPTIONS))
        else:
            weights = np.ones(issues)
            values = rng.integers(0, grid + 1, (issues, OPTIONS)) / grid
        preferences.append(
            PartyPreferences(
                party=f"P{p + 1}",
                name=f"Party {p + 1}",
                basis=Basis.INFERRED,
                weights=tuple(_weight(float(w), uncertain) for w in weights),
                utilities=tuple(
                    IssueUtility(tuple(Estimate(value=float(v)) for v in row)) for row in values
                ),
                reservation=Estimate(value=0.3),
                capability=Estimate(value=1.0),
            )
        )
    return Domain(
        title=f"Synthetic domain: {issues} issues × {OPTIONS} options, {parties} parties",
        issues=tuple(scopes),
        parties=tuple(preferences),
    )


def _weight(value: float, uncertain: float) -> Estimate:
    if uncertain <= 0:
        return Estimate(value=value)
    return Estimate(value=value, range=(value * (1 - uncertain), value * (1 + uncertain)))


@dataclass(frozen=True)
class NegmasDomain:
    """The same domain as NegMAS sees it: its issues and one ufun per party."""

    issues: list[Any]
    ufuns: list[Any]


def end_to_end(domain: Domain) -> np.ndarray:
    """negpos from a domain to its frontier: the utility table, then the frontier."""
    return pareto_frontier(outcome_utilities(domain))


def negmas_domain(domain: Domain) -> NegmasDomain:
    """One ``make_issue`` per issue (its options' names, in order) and, per party, a
    ``LinearAdditiveUtilityFunction`` with negpos's normalised weights and the same utility
    per option. Reserved values are left at NegMAS's default (−∞), so no outcome is cut as
    irrational: negpos's ``pareto_frontier`` takes no walk-away points either."""
    from negmas import make_issue
    from negmas.preferences import LinearAdditiveUtilityFunction

    issues = [make_issue([str(o) for o in i.options], i.key) for i in domain.issues]
    ufuns = []
    for party in domain.parties:
        values = [
            {
                str(option): float(u)
                for option, u in zip(
                    issue.options, party.utilities[i].point(issue.options), strict=True
                )
            }
            for i, issue in enumerate(domain.issues)
        ]
        weights = [float(w) for w in party.weight_vector()]
        ufuns.append(LinearAdditiveUtilityFunction(values, weights=weights, issues=issues))
    return NegmasDomain(issues, ufuns)


def negmas_frontier(nm: NegmasDomain) -> tuple[np.ndarray, np.ndarray]:
    """NegMAS's ``pareto_frontier`` as a user calls it: ufuns and issues in, NegMAS enumerates
    and evaluates. Returns its packages' numbers and its own utility vectors."""
    from negmas.preferences import pareto_frontier as frontier

    points, indices = frontier(nm.ufuns, issues=nm.issues)
    return np.asarray(indices, dtype=np.int64), np.asarray(points, dtype=float)


def negmas_frontier_alone(utilities: np.ndarray) -> np.ndarray:
    """NegMAS's frontier step alone (``pareto_frontier_numpy``) on a ready utility array."""
    from negmas.preferences.ops import pareto_frontier_numpy

    return np.asarray(pareto_frontier_numpy(utilities), dtype=np.int64)


def negmas_version() -> str | None:
    """NegMAS's version, or None when the ``bench`` extra is not installed."""
    try:
        return metadata.version("negmas")
    except metadata.PackageNotFoundError:
        return None


# ---------------------------------------------------------------------- timing


@dataclass(frozen=True)
class Timing:
    """Wall and CPU seconds of each run, in order. CPU time is this process's (all threads)
    and its finished children's (the sensitivity run's workers); on a shared machine it
    barely moves when other processes take the cores, so CPU beside wall shows contention."""

    runs: tuple[float, ...]
    cpu: tuple[float, ...]

    @property
    def median(self) -> float:
        return statistics.median(self.runs)

    @property
    def cpu_median(self) -> float:
        return statistics.median(self.cpu)

    @property
    def first(self) -> float:
        return self.runs[0]

    def __str__(self) -> str:
        text = f"{fmt_time(self.median)} ({fmt_time(self.cpu_median)} CPU"
        if len(self.runs) == 1:
            return f"{text}; 1 run)"
        return f"{text}; first {fmt_time(self.first)}; {len(self.runs)} runs)"


def timed(func: Callable[[], T], repeat: int) -> tuple[Timing, T]:
    """Time ``repeat`` calls (after a collection, so no earlier garbage is paid for);
    return the timing and the last call's result."""
    runs, cpu = [], []
    result: T | None = None
    for _ in range(repeat):
        result = None
        gc.collect()
        start, start_cpu = time.perf_counter(), cpu_seconds()
        result = func()
        runs.append(time.perf_counter() - start)
        cpu.append(cpu_seconds() - start_cpu)
    assert result is not None
    return Timing(tuple(runs), tuple(cpu)), result


def cpu_seconds() -> float:
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return time.process_time() + children.ru_utime + children.ru_stime


def fmt_time(seconds: float) -> str:
    if seconds >= 1:
        return f"{seconds:.2f} s"
    if seconds >= 1e-3:
        return f"{seconds * 1e3:.1f} ms"
    return f"{seconds * 1e6:.0f} µs"


def fmt_ratio(ratio: float) -> str:
    return f"{ratio:.0f}×" if ratio >= 10 else f"{ratio:.2f}×"


def power(issues: int) -> str:
    return f"10^{issues}"


def table(header: Sequence[str], rows: Sequence[Sequence[str]]) -> list[str]:
    lines = ["| " + " | ".join(header) + " |", "|" + "|".join("---" for _ in header) + "|"]
    return [*lines, *("| " + " | ".join(row) + " |" for row in rows), ""]


def load_average() -> str:
    return ", ".join(f"{x:.2f}" for x in os.getloadavg())


def say(message: str) -> None:
    print(f"  [bargaining] {message}", file=sys.stderr, flush=True)


# ---------------------------------------------------------------------- frontier checks


@dataclass(frozen=True)
class FrontierCheck:
    """negpos's frontier against NegMAS's on one domain."""

    negpos_packages: int
    negpos_vectors: int  # distinct utility vectors among them
    negmas_packages: int
    negmas_vectors: int
    same_packages: bool
    same_vectors: bool  # as sets of utility vectors (negpos's values at both tools' packages)
    largest_difference: float  # |NegMAS's own utility − negpos's| at NegMAS's packages

    @property
    def identical(self) -> bool:
        return self.same_vectors

    def describe(self) -> str:
        if self.same_packages:
            return "**yes**: same packages"
        if self.same_vectors:
            return "**yes** as utility vectors (the packages differ: equal vectors)"
        return "**NO**"


def check_frontiers(
    utilities: np.ndarray, ours: np.ndarray, theirs: np.ndarray, their_points: np.ndarray
) -> FrontierCheck:
    def vectors(found: np.ndarray) -> set[tuple[float, ...]]:
        return {tuple(float(x) for x in row) for row in utilities[found]}

    mine, other = vectors(ours), vectors(theirs)
    difference = (
        float(np.abs(their_points - utilities[theirs]).max()) if len(theirs) else float("nan")
    )
    return FrontierCheck(
        negpos_packages=len(ours),
        negpos_vectors=len(mine),
        negmas_packages=len(theirs),
        negmas_vectors=len(other),
        same_packages=set(ours.tolist()) == set(theirs.tolist()),
        same_vectors=mine == other,
        largest_difference=difference,
    )


# ---------------------------------------------------------------------- 2 parties


@dataclass(frozen=True)
class FrontierRow:
    """One size of the 2-party comparison."""

    issues: int
    negpos: Timing  # outcome_utilities + pareto_frontier
    negpos_alone: Timing  # pareto_frontier on the ready array
    frontier: int
    negmas: Timing | None  # pareto_frontier(ufuns, issues=...)
    negmas_alone: Timing | None  # pareto_frontier_numpy on negpos's array
    check: FrontierCheck | None
    check_alone: bool | None  # pareto_frontier_numpy gave the same packages

    @property
    def n(self) -> int:
        return int(OPTIONS**self.issues)

    @property
    def per_nlogn(self) -> float:
        """Nanoseconds per n·log2 n of the end-to-end median."""
        return self.negpos.median / (self.n * math.log2(self.n)) * 1e9


def bench_two_parties(s: BargainingSettings, have_negmas: bool) -> list[FrontierRow]:
    rows = []
    for issues, repeat in zip(s.frontier_issues, s.frontier_repeats, strict=True):
        domain = synthetic_domain(issues, 2, SEED + issues)
        say(f"2 parties, {OPTIONS**issues:,} packages: negpos × {repeat}")
        negpos_time, found = timed(partial(end_to_end, domain), repeat)
        utilities = outcome_utilities(domain)
        alone, _ = timed(partial(pareto_frontier, utilities), repeat)
        negmas_time = negmas_alone = check = check_alone = None
        if have_negmas and issues in s.negmas_issues:
            negmas_repeat = s.negmas_repeats[s.negmas_issues.index(issues)]
            nm = negmas_domain(domain)
            say(
                f"2 parties, {OPTIONS**issues:,} packages: NegMAS pareto_frontier × {negmas_repeat}"
            )
            negmas_time, (theirs, points) = timed(partial(negmas_frontier, nm), negmas_repeat)
            check = check_frontiers(utilities, found, theirs, points)
            del nm, points
            gc.collect()
            say(f"2 parties, {OPTIONS**issues:,} packages: NegMAS pareto_frontier_numpy")
            negmas_alone, plain = timed(partial(negmas_frontier_alone, utilities), negmas_repeat)
            check_alone = set(plain.tolist()) == set(found.tolist())
        rows.append(
            FrontierRow(
                issues=issues,
                negpos=negpos_time,
                negpos_alone=alone,
                frontier=len(found),
                negmas=negmas_time,
                negmas_alone=negmas_alone,
                check=check,
                check_alone=check_alone,
            )
        )
        del domain, utilities, found
        gc.collect()
    return rows


# ---------------------------------------------------------------------- ties and rounding


@dataclass(frozen=True)
class TieResult:
    """Tie-heavy domains against their exact frontier (integer utilities)."""

    domains: int
    packages: int  # per domain
    exact_packages: int  # packages on the exact frontier, summed over the domains
    exact_vectors: int  # distinct vectors on the exact frontier, summed
    negpos_exact: int  # domains where negpos returned exactly the exact frontier's packages
    negpos_packages: int
    negmas_packages: int
    negmas_vectors_exact: int  # domains where NegMAS's vectors are exactly the exact ones
    negmas_spurious: int  # NegMAS packages dominated in exact arithmetic, summed
    negmas_missing: int  # exact frontier vectors NegMAS returned no package for, summed
    spurious_domains: int
    largest_error: float  # NegMAS's utility − the exact one, at its frontier packages


def exact_frontier_vectors(points: np.ndarray) -> set[tuple[int, ...]]:
    """Non-dominated rows of an integer array, by brute force over the distinct rows."""
    distinct = np.unique(points, axis=0)
    at_least = np.all(distinct[None, :, :] >= distinct[:, None, :], axis=2)
    better = np.any(distinct[None, :, :] > distinct[:, None, :], axis=2)
    beaten = np.any(at_least & better, axis=1)
    return {tuple(int(x) for x in row) for row in distinct[~beaten]}


def bench_ties(s: BargainingSettings) -> TieResult:
    """Equal weights and utilities in steps of 0.1: many packages share a utility vector,
    and float sums of equal values can differ in the last bit. The exact utilities are the
    integer sums of the steps (times 1/(10 × issues))."""
    grid = 10
    totals = dict.fromkeys(
        (
            "exact_packages",
            "exact_vectors",
            "negpos_exact",
            "negpos_packages",
            "negmas_packages",
            "negmas_vectors_exact",
            "negmas_spurious",
            "negmas_missing",
            "spurious_domains",
        ),
        0,
    )
    largest = 0.0
    scale = grid * s.tie_issues
    for k in range(s.tie_seeds):
        domain = synthetic_domain(s.tie_issues, 2, SEED + 1000 + k, grid=grid)
        utilities = outcome_utilities(domain)
        steps = np.stack(
            [
                _integer_sums(
                    [
                        np.rint(p.utilities[i].point(x.options) * grid)
                        for i, x in enumerate(domain.issues)
                    ]
                )
                for p in domain.parties
            ],
            axis=1,
        )
        efficient = exact_frontier_vectors(steps)
        exact = {i for i, row in enumerate(steps.tolist()) if tuple(row) in efficient}
        ours = pareto_frontier(utilities)
        theirs, points = negmas_frontier(negmas_domain(domain))
        their_vectors = {tuple(int(x) for x in row) for row in steps[theirs]}
        spurious = sum(tuple(int(x) for x in steps[t]) not in efficient for t in theirs)
        totals["exact_packages"] += len(exact)
        totals["exact_vectors"] += len(efficient)
        totals["negpos_exact"] += set(ours.tolist()) == exact
        totals["negpos_packages"] += len(ours)
        totals["negmas_packages"] += len(theirs)
        totals["negmas_vectors_exact"] += their_vectors == efficient
        totals["negmas_spurious"] += spurious
        totals["negmas_missing"] += len(efficient - their_vectors)
        totals["spurious_domains"] += spurious > 0
        if len(theirs):
            largest = max(largest, float(np.abs(points - steps[theirs] / scale).max()))
    return TieResult(
        domains=s.tie_seeds, packages=OPTIONS**s.tie_issues, largest_error=largest, **totals
    )


def _integer_sums(per_issue: Sequence[np.ndarray]) -> np.ndarray:
    """packages of integer sums, numbered as ``np.unravel_index`` numbers packages."""
    total = np.zeros(1, dtype=np.int64)
    for steps in per_issue:
        total = (total[:, None] + steps.astype(np.int64)[None, :]).ravel()
    return total


# ---------------------------------------------------------------------- 3 parties


@dataclass(frozen=True)
class ThreeResult:
    issues: int
    negpos: Timing
    negpos_alone: Timing
    frontier: int
    check_issues: int
    check_negpos: Timing | None
    check_negmas: Timing | None
    check: FrontierCheck | None


def bench_three_parties(s: BargainingSettings, have_negmas: bool) -> ThreeResult:
    domain = synthetic_domain(s.three_issues, 3, SEED + 300 + s.three_issues)
    say(f"3 parties, {OPTIONS**s.three_issues:,} packages: negpos × {s.three_repeat}")
    negpos_time, found = timed(partial(end_to_end, domain), s.three_repeat)
    utilities = outcome_utilities(domain)
    alone, _ = timed(partial(pareto_frontier, utilities), s.three_repeat)
    del utilities
    gc.collect()
    check_negpos = check_negmas = check = None
    if have_negmas:
        small = synthetic_domain(s.three_check_issues, 3, SEED + 300 + s.three_check_issues)
        say(f"3 parties, {OPTIONS**s.three_check_issues:,} packages: negpos and NegMAS")
        check_negpos, ours = timed(partial(end_to_end, small), 3)
        check_negmas, (theirs, points) = timed(partial(negmas_frontier, negmas_domain(small)), 1)
        check = check_frontiers(outcome_utilities(small), ours, theirs, points)
    return ThreeResult(
        issues=s.three_issues,
        negpos=negpos_time,
        negpos_alone=alone,
        frontier=len(found),
        check_issues=s.three_check_issues,
        check_negpos=check_negpos,
        check_negmas=check_negmas,
        check=check,
    )


# ---------------------------------------------------------------------- sensitivity


@dataclass(frozen=True)
class SensitivityResult:
    issues: int
    draws: int
    uncertain: int
    point: Timing  # bargain(domain) without draws: the point answers
    by_workers: tuple[tuple[int, Timing], ...]
    same_for_any_workers: bool
    same_nash: float  # share of draws whose Nash package is the point answer's


def bench_sensitivity(s: BargainingSettings) -> SensitivityResult:
    """``bargain(domain, samples=draws, workers=w)``: what a user (or ``negpos bargain
    --samples``) pays, point answers included (timed alone beside it)."""
    domain = synthetic_domain(s.sensitivity_issues, 2, SEED + 500, uncertain=0.25)
    point, _ = timed(lambda: bargain(domain), 3)
    results: list[Sensitivity] = []
    by_workers = []
    for workers in (2, 1):
        say(f"sensitivity: {s.draws:,} draws over {domain.size:,} packages, {workers} worker(s)")
        started = time.perf_counter()
        shown = [0]

        def progress(
            done: int, total: int, started: float = started, shown: list[int] = shown
        ) -> None:
            tenth = done * 10 // total
            if tenth > shown[0]:
                shown[0] = tenth
                say(f"  {done:,}/{total:,} draws, {time.perf_counter() - started:.0f} s")

        timing, run = timed(
            partial(
                bargain, domain, samples=s.draws, seed=SEED, workers=workers, progress=progress
            ),
            1,
        )
        assert run.sensitivity is not None
        results.append(run.sensitivity)
        by_workers.append((workers, timing))
    first = results[0]
    from negpos.bargaining import Concept

    return SensitivityResult(
        issues=s.sensitivity_issues,
        draws=s.draws,
        uncertain=first.uncertain,
        point=point,
        by_workers=tuple(by_workers),
        same_for_any_workers=all(r == first for r in results),
        same_nash=first.same_solution[Concept.NASH],
    )


# ---------------------------------------------------------------------- all of it


@dataclass(frozen=True)
class BargainingResult:
    negmas: str | None  # NegMAS's version, None when not installed
    cold: Timing  # the first calls in the process, on a tiny domain
    load_start: str
    load_end: str
    two: list[FrontierRow]
    ties: TieResult | None
    three: ThreeResult
    sensitivity: SensitivityResult
    geniusweb: str | None = None  # NegMAS reading negpos's GeniusWeb export: None if no NegMAS


def geniusweb_round_trip() -> str:
    """Export the wage example as GeniusWeb JSON, read each profile back with NegMAS and
    compare its utility of every package with negpos's; '' when they agree, else why not."""
    import itertools

    from negmas.preferences import UtilityFunction

    from negpos.bargaining import load_profiles, to_geniusweb

    wages = Path(__file__).resolve().parent.parent / "examples" / "bargaining" / "wages"
    domain = load_profiles(wages / "profiles.yaml", codebook=wages / "codebook.yaml")
    exported = to_geniusweb(domain, name="wages")
    utilities = outcome_utilities(domain)
    values = [issue["values"] for issue in exported["domain"]["issuesValues"].values()]
    for p, party in enumerate(domain.party_ids):
        ufun, _ = UtilityFunction.from_geniusweb_json_str(exported["profiles"][party])
        if ufun is None:
            return f"NegMAS read no utility function for {party}"
        for index, package in enumerate(itertools.product(*values)):
            theirs = float(ufun(package))
            if abs(theirs - utilities[index, p]) > 1e-9:
                return f"{party} {package}: NegMAS {theirs}, negpos {utilities[index, p]}"
    return ""


def bench(s: BargainingSettings) -> BargainingResult:
    version = negmas_version()
    load_start = load_average()
    cold = warm_up()
    two = bench_two_parties(s, version is not None)
    ties = bench_ties(s) if version is not None else None
    three = bench_three_parties(s, version is not None)
    sensitivity = bench_sensitivity(s)
    geniusweb = geniusweb_round_trip() if version is not None else None
    return BargainingResult(
        version, cold, load_start, load_average(), two, ties, three, sensitivity, geniusweb
    )


def warm_up() -> Timing:
    """The first frontier calls in the process (2 and 3 parties on 10^2 packages), then a
    second round: lazy imports and numpy's first-use set-up are paid here, not in the tables."""
    small = [synthetic_domain(2, parties, SEED) for parties in (2, 3)]
    timing, _ = timed(lambda: [pareto_frontier(outcome_utilities(d)) for d in small], 2)
    return timing


def verdict(met: bool, s: BargainingSettings) -> str:
    if s.quick:
        return QUICK_NOTE
    return "**met**" if met else "**NOT met**"


def checked_report(s: BargainingSettings) -> list[str]:
    """Run and report; raise when NegMAS reads the GeniusWeb export differently (a check,
    not a timing, so a run that finds it fails)."""
    result = bench(s)
    if result.geniusweb:
        raise SystemExit(f"GeniusWeb export read differently by NegMAS: {result.geniusweb}")
    return report(result, s)


def report(r: BargainingResult, s: BargainingSettings) -> list[str]:
    """The section as Markdown lines."""
    lines = [
        "## e. Bargaining: Pareto frontiers and the sensitivity run (issue 10)",
        "",
        f"Synthetic linear-additive domains: k ordinal issues × {OPTIONS} options = 10^k "
        "packages; per party a random utility per option (uniform 0–1) and a random weight per "
        f"issue (uniform 0.2–1, normalised), seeded ({SEED} + size). Wall times: the median of "
        "the runs shown, the first run beside it. Load average at the start of this section: "
        f"{r.load_start}; at its end: {r.load_end} (2 cores, shared). Cold beside warm: the "
        "first frontier calls in this process (2 and 3 parties on 10^2 packages, lazy imports "
        f"and numpy's set-up included) took {fmt_time(r.cold.first)}, the same calls again "
        f"{fmt_time(r.cold.runs[-1])}; the tables time warm calls, and their first run at each "
        "size is the first on that domain.",
        "",
    ]
    if r.negmas is None:
        lines += [
            "**NegMAS is not installed** (`pip install -e '.[bench]'`): the comparison and the "
            "frontier check are skipped.",
            "",
        ]
    else:
        lines += [
            f"NegMAS {r.negmas}, fed the same domain: one `make_issue` per issue and one "
            "`LinearAdditiveUtilityFunction` per party with negpos's normalised weights and "
            "utilities; reserved values at its default (−∞), so nothing is cut as irrational. "
            "It is called as a user calls it, `pareto_frontier(ufuns, issues=issues)`, and "
            "**enumerates the outcomes itself** (the ufuns are built outside the timing); "
            "negpos is timed as `pareto_frontier(outcome_utilities(domain))`. Beside them, "
            "each tool's frontier step alone on negpos's utility array: negpos's "
            "`pareto_frontier(u)` and NegMAS's `pareto_frontier_numpy(u)`.",
            "",
        ]
    lines += _two_party_lines(r, s)
    if r.ties is not None:
        lines += _tie_lines(r.ties)
    lines += _three_party_lines(r.three, s)
    lines += _sensitivity_lines(r.sensitivity, s)
    if r.geniusweb is not None:
        lines += [
            "GeniusWeb export: NegMAS reads the wage example's profiles back and gives "
            + (
                "negpos's utility for every package."
                if not r.geniusweb
                else f"DIFFERENT utilities: {r.geniusweb}."
            ),
            "",
        ]
    return lines


def _two_party_lines(r: BargainingResult, s: BargainingSettings) -> list[str]:
    rows = []
    for row in r.two:
        ratio = row.negmas.median / row.negpos.median if row.negmas else None
        cpu = row.negmas.cpu_median / row.negpos.cpu_median if row.negmas else None
        alone = row.negmas_alone.median / row.negpos_alone.median if row.negmas_alone else None
        rows.append(
            [
                f"{power(row.issues)} ({row.issues} × {OPTIONS})",
                str(row.negpos),
                str(row.negpos_alone),
                str(row.negmas) if row.negmas else "not run",
                f"**{fmt_ratio(ratio)}**" if ratio is not None else "",
                fmt_ratio(cpu) if cpu is not None else "",
                str(row.negmas_alone) if row.negmas_alone else "not run",
                fmt_ratio(alone) if alone is not None else "",
            ]
        )
    lines = [
        "### 2 parties: negpos against NegMAS",
        "",
        *table(
            [
                "n",
                "negpos end to end",
                "negpos frontier alone",
                "NegMAS `pareto_frontier` end to end",
                "NegMAS ÷ negpos (wall)",
                "(CPU)",
                "NegMAS `pareto_frontier_numpy` alone",
                "÷ negpos alone",
            ],
            rows,
        ),
    ]
    base = r.two[0]
    growth_rows = []
    previous: FrontierRow | None = None
    for row in r.two:
        check = row.check
        growth = (
            f"{row.negpos.median / previous.negpos.median:.1f}× / "
            f"{row.n * math.log2(row.n) / (previous.n * math.log2(previous.n)):.1f}×"
            if previous
            else ""
        )
        growth_rows.append(
            [
                power(row.issues),
                str(row.frontier),
                (f"{check.negmas_packages}" if check else "not run"),
                check.describe() if check else "",
                ("yes" if row.check_alone else "**NO**") if row.check_alone is not None else "",
                f"{check.largest_difference:.1e}" if check else "",
                f"{row.per_nlogn:.1f}",
                growth,
            ]
        )
        previous = row
    lines += [
        "Frontier sizes, the check, and growth (negpos end to end):",
        "",
        *table(
            [
                "n",
                "negpos frontier",
                "NegMAS frontier",
                "identical",
                "`pareto_frontier_numpy` identical",
                "largest utility difference",
                "negpos ns per n log₂ n",
                "time × / n log₂ n × (vs the row above)",
            ],
            growth_rows,
        ),
    ]
    target = next((row for row in r.two if row.issues == s.target_issues), None)
    if target is not None and target.negmas is not None and target.check is not None:
        ratio = target.negmas.median / target.negpos.median
        cpu_ratio = target.negmas.cpu_median / target.negpos.cpu_median
        alone_ratio = (
            target.negmas_alone.median / target.negpos_alone.median
            if target.negmas_alone
            else float("nan")
        )
        lines.append(
            f"- Goal ≥ {RATIO_GOAL:.0f}× faster than NegMAS's `pareto_frontier` at "
            f"{power(s.target_issues)} with identical frontiers: {fmt_ratio(ratio)} "
            f"({fmt_ratio(cpu_ratio)} by CPU time), "
            f"frontiers {'identical' if target.check.identical else 'DIFFERENT'}: "
            f"{verdict(ratio >= RATIO_GOAL and target.check.identical, s)}. The frontier step "
            f"alone is {fmt_ratio(alone_ratio)} faster than NegMAS's `pareto_frontier_numpy` "
            "on the same array; most of NegMAS's end-to-end time is evaluating its ufuns in "
            "Python, outcome by outcome."
        )
    else:
        lines.append(
            f"- Goal ≥ {RATIO_GOAL:.0f}× faster than NegMAS at {power(s.target_issues)}: "
            f"not measured (NegMAS not run): {verdict(False, s)}."
        )
    last = r.two[-1]
    spread = last.per_nlogn / base.per_nlogn
    lines += [
        f"- Goal: growth O(n log n): time ÷ (n log₂ n) goes from {base.per_nlogn:.1f} ns at "
        f"{power(base.issues)} to {last.per_nlogn:.1f} ns at {power(last.issues)} "
        f"({spread:.2f}×; judged met when ≤ {GROWTH_LIMIT:.0f}×): "
        f"{verdict(spread <= GROWTH_LIMIT, s)}.",
        f"- NegMAS is not run at {power(s.frontier_issues[-1])}: it would hold "
        f"{OPTIONS ** s.frontier_issues[-1]:,} outcome tuples and a Python list of their "
        "utilities in memory, and at its measured rate would take minutes per run.",
        "- Largest utility difference: NegMAS's own utilities against negpos's at NegMAS's "
        "frontier packages (negpos rounds package sums to 12 decimals).",
        "",
    ]
    return lines


def _tie_lines(t: TieResult) -> list[str]:
    return [
        f"### Ties and rounding: {t.domains} tie-heavy domains of {t.packages:,} packages",
        "",
        "Equal weights and utilities in steps of 0.1, so many packages share a utility vector "
        "and float sums of equal utilities can differ in the last bit. The reference is the "
        "exact frontier of the integer sums of the steps (brute force over the distinct "
        "vectors).",
        "",
        *table(
            ["", "packages returned", "matches the exact frontier"],
            [
                [
                    "exact frontier",
                    f"{t.exact_packages:,} packages, {t.exact_vectors} distinct vectors",
                    "",
                ],
                [
                    "negpos `pareto_frontier`",
                    f"{t.negpos_packages:,}",
                    f"{t.negpos_exact} of {t.domains} domains (every package on it, ties included)",
                ],
                [
                    "NegMAS `pareto_frontier`",
                    f"{t.negmas_packages:,}",
                    f"{t.negmas_vectors_exact} of {t.domains} domains (as sets of vectors)",
                ],
            ],
        ),
        "- negpos keeps every package of an equal vector (none beats another); NegMAS's "
        "`pareto_frontier_numpy` keeps one package per vector it sees as distinct.",
        f"- NegMAS returned {t.negmas_spurious} package(s) that are dominated in exact "
        f"arithmetic, in {t.spurious_domains} of {t.domains} domains, and missed "
        f"{t.negmas_missing} exact frontier vector(s). Its utilities differ from the exact ones "
        f"by up to {t.largest_error:.1e}. Such a package ties the package that beats it for "
        "one party, but its sum for that party, added in another order, comes out one bit "
        "higher, so NegMAS sees no package at least as good everywhere. NegMAS's `eps` "
        "argument is accepted but not used by the extractor it calls "
        "(`pareto_frontier_numpy`). negpos rounds package sums to 12 decimals before "
        "comparing, so equal sums compare equal.",
        "",
    ]


def _three_party_lines(t: ThreeResult, s: BargainingSettings) -> list[str]:
    lines = [
        "### 3 parties",
        "",
        *table(
            ["n", "negpos end to end", "negpos frontier alone", "frontier"],
            [
                [
                    f"{power(t.issues)} ({t.issues} × {OPTIONS})",
                    str(t.negpos),
                    str(t.negpos_alone),
                    str(t.frontier),
                ]
            ],
        ),
        f"- Goal: the 3-party frontier on {power(t.issues)} outcomes in seconds (judged met "
        f"when the median is under {THREE_PARTY_LIMIT:.0f} s): {fmt_time(t.negpos.median)}: "
        f"{verdict(t.issues >= 6 and t.negpos.median < THREE_PARTY_LIMIT, s)}.",
    ]
    if t.check is not None and t.check_negmas is not None and t.check_negpos is not None:
        lines.append(
            f"- Cross-check at {power(t.check_issues)} (3 parties): negpos "
            f"{t.check_negpos}, NegMAS `pareto_frontier` {t.check_negmas} "
            f"({fmt_ratio(t.check_negmas.median / t.check_negpos.median)}); frontiers "
            f"{t.check.negpos_packages} and {t.check.negmas_packages} packages, identical: "
            f"{t.check.describe()}."
        )
    return [*lines, ""]


def _sensitivity_lines(r: SensitivityResult, s: BargainingSettings) -> list[str]:
    times = dict(r.by_workers)
    two, one = times[2], times[1]
    packages = OPTIONS**r.issues
    full = r.issues >= 5 and r.draws >= 10_000
    return [
        f"### Sensitivity: {r.draws:,} draws over {packages:,} packages",
        "",
        f"`bargain(domain, samples={r.draws}, workers=w)` on a 2-party domain of "
        f"{r.issues} ordinal issues whose {r.uncertain} weights are uncertain (a range of "
        "± 25 %); each draw finds the utilities, the four solutions, the forecast and the "
        "efficiency of the point answers again. One run each.",
        "",
        *table(
            [
                "workers",
                "wall time",
                "CPU time (all processes)",
                "per draw (wall)",
                "draws per second",
            ],
            [
                [
                    str(w),
                    fmt_time(t.median),
                    fmt_time(t.cpu_median),
                    fmt_time(t.median / r.draws),
                    f"{r.draws / t.median:.0f}",
                ]
                for w, t in r.by_workers
            ]
            + [["(point answers alone, no draws)", str(r.point), "", "", ""]],
        ),
        f"- Goal: {r.draws:,} draws over {packages:,} packages in under "
        f"{SENSITIVITY_LIMIT:.0f} s on 2 cores: with 2 workers {fmt_time(two.median)}: "
        f"{verdict(full and two.median < SENSITIVITY_LIMIT, s)}; with 1 worker "
        f"{fmt_time(one.median)}: {verdict(full and one.median < SENSITIVITY_LIMIT, s)}. "
        f"One worker's time ÷ two workers': {fmt_ratio(one.median / two.median)}. Cores kept "
        f"busy on average (CPU ÷ wall): {two.cpu_median / two.median:.2f} with two workers, "
        f"{one.cpu_median / one.median:.2f} with one"
        + (
            ": fewer than the workers, so other processes on this machine took the rest."
            if two.cpu_median < 1.8 * two.median or one.cpu_median < 0.9 * one.median
            else "."
        ),
        f"- The results with 1 and 2 workers are {'identical' if r.same_for_any_workers else 'DIFFERENT'}"
        f" (seeded blocks); the Nash package holds in {r.same_nash:.0%} of the draws.",
        "",
    ]


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="negpos bargaining benchmarks (issue 10)")
    parser.add_argument(
        "--quick", action="store_true", help="small sizes, NegMAS at 10^4 only, 500 draws"
    )
    args = parser.parse_args(argv)
    settings = QUICK if args.quick else FULL
    started = time.perf_counter()
    result = bench(settings)
    lines = report(result, settings)
    print("\n".join(lines))
    print(f"bargaining benchmarks took {time.perf_counter() - started:.0f} s", file=sys.stderr)
    return 1 if result.geniusweb else 0  # an export NegMAS reads differently is a failure


if __name__ == "__main__":
    raise SystemExit(main())
