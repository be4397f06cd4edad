"""How robust each answer is when the uncertain numbers move: a seeded Monte Carlo.

Every estimate given with a range or an sd (weights, utilities, walk-away points,
capabilities) is drawn anew in each draw; the rest keep their values. In each draw the
solutions and the forecast are found again, and the reference packages (the point answers
and any proposals placed in the space) are checked for Pareto efficiency. Draws come in
blocks of ``BLOCK`` with seeds spawned from the one given, so the result is the same for any
number of worker processes.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass

import numpy as np

from negpos.bargaining.domain import Domain, normalised, party_rows
from negpos.bargaining.forecast import ideal_places, weighted_mean, weighted_median
from negpos.bargaining.solutions import Concept, tie_slack

__all__ = ["BLOCK", "Reference", "Sensitivity", "Spread", "sensitivity"]

BLOCK = 250
Progress = Callable[[int, int], None]


@dataclass(frozen=True, slots=True)
class Reference:
    """A package whose efficiency is tracked across draws."""

    label: str
    package: int


@dataclass(frozen=True, slots=True)
class Spread:
    """Summary of one figure over the draws."""

    mean: float
    sd: float
    low: float  # 5th percentile
    high: float  # 95th percentile

    @classmethod
    def of(cls, values: np.ndarray) -> Spread:
        finite = values[np.isfinite(values)]
        if finite.size == 0:
            return cls(float("nan"), float("nan"), float("nan"), float("nan"))
        low, high = np.percentile(finite, [5, 95])
        return cls(float(finite.mean()), float(finite.std()), float(low), float(high))


@dataclass(frozen=True, slots=True)
class Sensitivity:
    """The shares and spreads over ``samples`` draws."""

    samples: int
    seed: int
    uncertain: int  # how many estimates were given a range or an sd
    same_solution: dict[Concept, float]  # share of draws giving the point answer's package
    efficient: tuple[tuple[Reference, float], ...]  # share of draws it is Pareto-efficient
    nash_utilities: tuple[Spread, ...]  # per party: its utility at each draw's Nash package
    forecast_median: tuple[Spread | None, ...]  # per issue (None: no scale)
    forecast_mean: tuple[Spread | None, ...]


@dataclass(frozen=True, slots=True)
class _BlockResult:
    same: np.ndarray  # concepts × draws, bool
    efficient: np.ndarray  # references × draws, bool
    nash: np.ndarray  # draws × parties
    median: np.ndarray  # draws × issues
    mean: np.ndarray


def sensitivity(
    domain: Domain,
    point: dict[Concept, tuple[int, ...]],
    references: Sequence[Reference],
    *,
    samples: int = 1000,
    seed: int = 0,
    workers: int = 1,
    progress: Progress | None = None,
) -> Sensitivity:
    """Draw ``samples`` times; ``point`` gives each concept's point-answer packages (ties)."""
    if samples < 1:
        raise ValueError("samples must be 1 or more")
    sizes = [min(BLOCK, samples - start) for start in range(0, samples, BLOCK)]
    seeds = np.random.SeedSequence(seed).spawn(len(sizes))
    tasks = [
        (domain, point, tuple(references), size, s) for size, s in zip(sizes, seeds, strict=True)
    ]
    results: list[_BlockResult] = []
    done = 0
    if workers > 1 and len(tasks) > 1:
        with ProcessPoolExecutor(max_workers=workers) as pool:
            for result in pool.map(_run_block, tasks):
                results.append(result)
                done += result.nash.shape[0]
                if progress is not None:
                    progress(done, samples)
    else:
        for task in tasks:
            results.append(_run_block(task))
            done += task[3]
            if progress is not None:
                progress(done, samples)
    same = np.concatenate([r.same for r in results], axis=1)
    efficient = np.concatenate([r.efficient for r in results], axis=1)
    nash = np.concatenate([r.nash for r in results])
    median = np.concatenate([r.median for r in results])
    mean = np.concatenate([r.mean for r in results])
    scaled = [issue.scale_positions() is not None for issue in domain.issues]
    return Sensitivity(
        samples=samples,
        seed=seed,
        uncertain=_uncertain_count(domain),
        same_solution={c: float(same[i].mean()) for i, c in enumerate(Concept)},
        efficient=tuple((ref, float(efficient[i].mean())) for i, ref in enumerate(references)),
        nash_utilities=tuple(Spread.of(nash[:, p]) for p in range(nash.shape[1])),
        forecast_median=tuple(
            Spread.of(median[:, i]) if scaled[i] else None for i in range(len(scaled))
        ),
        forecast_mean=tuple(
            Spread.of(mean[:, i]) if scaled[i] else None for i in range(len(scaled))
        ),
    )


def _uncertain_count(domain: Domain) -> int:
    count = 0
    for party in domain.parties:
        count += sum(w.uncertain for w in party.weights)
        count += sum(e.uncertain for u in party.utilities for e in u.estimates)
        count += party.reservation.uncertain
        count += party.capability is not None and party.capability.uncertain
    return count


def _run_block(
    task: tuple[
        Domain, dict[Concept, tuple[int, ...]], tuple[Reference, ...], int, np.random.SeedSequence
    ],
) -> _BlockResult:
    domain, point, references, size, seed = task
    generator = np.random.default_rng(seed)
    parties, issues = len(domain.parties), len(domain.issues)
    weights = normalised(
        np.stack(
            [
                np.stack([w.draw(generator, size, 0.0, np.inf) for w in p.weights], axis=1)
                for p in domain.parties
            ],
            axis=1,
        )
    )  # draws × parties × issues
    utilities = [
        np.stack(
            [p.utilities[i].draw(issue.options, generator, size) for p in domain.parties], axis=1
        )
        for i, issue in enumerate(domain.issues)
    ]  # per issue: draws × parties × options
    reservations = np.stack(
        [p.reservation.draw(generator, size, 0.0, 1.0) for p in domain.parties], axis=1
    )
    given = domain.capabilities_given
    capabilities = np.stack(
        [
            p.capability.draw(generator, size, 0.0, np.inf)
            if p.capability is not None and given
            else np.ones(size)
            for p in domain.parties
        ],
        axis=1,
    )
    scales = [issue.scale_positions() for issue in domain.issues]
    concepts = list(Concept)
    same = np.zeros((len(concepts), size), dtype=bool)
    efficient = np.zeros((len(references), size), dtype=bool)
    nash = np.full((size, parties), np.nan)
    median = np.full((size, issues), np.nan)
    mean = np.full((size, issues), np.nan)
    packages = np.array([r.package for r in references], dtype=np.int64)
    point_packages = {c: np.array(point.get(c, ()), dtype=np.int64) for c in concepts}
    work = _Workspace(parties, domain.size)
    for d in range(size):
        table = party_rows(
            [weights[d, :, i, None] * utilities[i][d] for i in range(issues)]
        )  # parties by packages, rounded as the point answers are
        found = _solutions(table, reservations[d], work)
        for c, concept in enumerate(concepts):
            same[c, d] = found.holds(concept, point_packages[concept])
        nash_package = found.package[Concept.NASH]
        if nash_package is not None:
            nash[d] = table[:, nash_package]
        for r, package in enumerate(packages):
            efficient[r, d] = not _beaten(table, table[:, package])
        for i, scale in enumerate(scales):
            if scale is None:
                continue
            places = ideal_places(utilities[i][d], scale)
            strength = capabilities[d] * weights[d, :, i]
            if strength.sum() > 0:
                median[d, i] = weighted_median(places, strength).low
                mean[d, i] = weighted_mean(places, strength)
    return _BlockResult(same, efficient, nash, median, mean)


def _beaten(table: np.ndarray, package: np.ndarray) -> bool:
    """Whether some package is at least as good for every party and better for one."""
    at_least = table[0] >= package[0]
    better = table[0] > package[0]
    for p in range(1, len(package)):
        at_least &= table[p] >= package[p]
        better |= table[p] > package[p]
    return bool((at_least & better).any())


class _Workspace:
    """Buffers reused by every draw of a block: the run allocates nothing per draw."""

    def __init__(self, parties: int, packages: int) -> None:
        self.gains = np.empty((parties, packages))
        self.product = np.empty(packages)
        self.smallest = np.empty(packages)
        self.shares = np.empty(packages)
        self.scratch = np.empty(packages)
        self.total = np.empty(packages)
        self.penalty = np.empty(packages)
        self.rational = np.empty(packages, dtype=bool)
        self.flag = np.empty(packages, dtype=bool)


@dataclass(frozen=True, slots=True)
class _DrawAnswers:
    """One draw's answers: each concept's best package, and its score of every package (so
    the point answer is judged by its score, and a tie is never counted as a change)."""

    package: dict[Concept, int | None]
    scores: dict[Concept, np.ndarray]

    def holds(self, concept: Concept, point: np.ndarray) -> bool:
        """Whether the point answer (any of its ties) is still best in this draw; a point
        answer of no package holds when the draw has none either."""
        best = self.package[concept]
        if best is None or point.size == 0:
            return best is None and point.size == 0
        scores = self.scores[concept]
        top = float(scores[best])
        return bool(scores[point].max() >= top - tie_slack(top))


def _solutions(table: np.ndarray, reservations: np.ndarray, work: _Workspace) -> _DrawAnswers:
    """Each concept's package in one draw, party by party over contiguous rows, in reused
    buffers (the hot loop of the run). Packages some party values below its walk-away point
    get a penalty of -1e300 added to every score, which is cheaper than masking."""
    gains = np.subtract(table, reservations[:, None], out=work.gains)
    penalty = None
    if not bool((reservations <= 0).all()):  # utilities are never negative
        rational = np.greater_equal(gains[0], 0, out=work.rational)
        for p in range(1, len(gains)):
            rational &= np.greater_equal(gains[p], 0, out=work.flag)
        if not rational.any():
            return _DrawAnswers(dict.fromkeys(Concept), {})
        penalty = np.subtract(rational, 1.0, out=work.penalty)
        penalty *= 1e300
    product, smallest = work.product, work.smallest
    np.copyto(product, gains[0])
    np.copyto(smallest, gains[0])
    for p in range(1, len(gains)):
        product *= gains[p]
        np.minimum(smallest, gains[p], out=smallest)
    if penalty is not None:
        product += penalty
        smallest += penalty
    shares = work.shares
    shares.fill(np.inf)
    for p in range(len(gains)):
        if penalty is None:
            possible = float(gains[p].max())
        else:
            possible = float(np.add(gains[p], penalty, out=work.scratch).max())
        if possible > 0:
            np.minimum(shares, np.divide(gains[p], possible, out=work.scratch), out=shares)
        else:
            np.minimum(shares, 1.0, out=shares)
    total = np.sum(table, axis=0, out=work.total)
    if penalty is not None:
        shares += penalty
        total += penalty
    scores = {
        Concept.NASH: product,
        Concept.KALAI_SMORODINSKY: shares,
        Concept.UTILITARIAN: total,
        Concept.EGALITARIAN: smallest,
    }
    package: dict[Concept, int | None] = {c: int(a.argmax()) for c, a in scores.items()}
    nash = package[Concept.NASH]
    if nash is not None and not (product[nash] > 0 and smallest[nash] > 0):
        package[Concept.NASH] = None  # no package gives every party more than walking away
    return _DrawAnswers(package, scores)
