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

from negpos.bargaining.domain import Domain, normalised
from negpos.bargaining.forecast import weighted_mean, weighted_median
from negpos.bargaining.frontier import dominated_by_any
from negpos.bargaining.solutions import Concept

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
    given = all(p.capability is not None for p in domain.parties)
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
    for d in range(size):
        table = _package_utilities(
            [weights[d, :, i, None] * utilities[i][d] for i in range(issues)]
        )
        found = _solutions(table, reservations[d])
        for c, concept in enumerate(concepts):
            same[c, d] = found[concept] is not None and found[concept] in point.get(concept, ())
        if found[Concept.NASH] is not None:
            nash[d] = table[found[Concept.NASH]]
        if packages.size:
            efficient[:, d] = ~dominated_by_any(table[packages], table)
        for i, scale in enumerate(scales):
            if scale is None:
                continue
            ideals = utilities[i][d].argmax(axis=1)
            strength = capabilities[d] * weights[d, :, i]
            if strength.sum() > 0:
                median[d, i] = weighted_median(scale[ideals], strength).low
                mean[d, i] = weighted_mean(scale[ideals], strength)
    return _BlockResult(same, efficient, nash, median, mean)


def _package_utilities(per_issue: list[np.ndarray]) -> np.ndarray:
    """packages × parties, without the rounding of the point answers (ties have measure 0)."""
    columns = []
    for p in range(per_issue[0].shape[0]):
        total = np.zeros(1)
        for table in per_issue:
            total = (total[:, None] + table[p][None, :]).ravel()
        columns.append(total)
    return np.stack(columns, axis=1)


def _solutions(table: np.ndarray, reservations: np.ndarray) -> dict[Concept, int | None]:
    gains = table - reservations
    rational = (gains >= 0).all(axis=1)
    if not rational.any():
        return dict.fromkeys(Concept)
    found: dict[Concept, int | None] = {}
    strict = (gains > 0).all(axis=1)
    product = np.where(strict, np.prod(gains, axis=1), -np.inf)
    found[Concept.NASH] = int(product.argmax()) if strict.any() else None
    possible = np.where(rational[:, None], gains, -np.inf).max(axis=0)
    shares = np.divide(gains, possible, out=np.ones_like(gains), where=possible > 0)
    found[Concept.KALAI_SMORODINSKY] = int(np.where(rational, shares.min(axis=1), -np.inf).argmax())
    found[Concept.UTILITARIAN] = int(np.where(rational, table.sum(axis=1), -np.inf).argmax())
    found[Concept.EGALITARIAN] = int(np.where(rational, gains.min(axis=1), -np.inf).argmax())
    return found
