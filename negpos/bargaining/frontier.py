"""Pareto frontiers: the packages no other package beats for one party without costing another.

Two parties: sort by the first party's utility and sweep, keeping a package when it beats
everything above it for the second party: O(n log n). Three parties: sort by the first
party's utility; a package is beaten exactly when some package before it is at least as good
for the other two, an offline two-dimensional question answered by divide and conquer, each
level vectorised: O(n log² n). More parties: a skyline in blocks, in order of total utility,
each block checked against the frontier found so far. Equal utility vectors are all kept:
neither beats the other.
"""

from __future__ import annotations

import numpy as np

__all__ = ["dominated_by_any", "pareto_frontier"]

_BLOCK = 1024


def pareto_frontier(utilities: np.ndarray) -> np.ndarray:
    """Indices (rows of ``utilities``, packages × parties) of the Pareto-efficient packages,
    by the first party's utility from high to low, then by index."""
    rows, parties = utilities.shape
    if rows == 0:
        return np.zeros(0, dtype=np.int64)
    if parties == 1:
        return np.flatnonzero(utilities[:, 0] == utilities[:, 0].max())
    if parties == 2:
        return _two_parties(utilities)
    found = _three_parties(utilities) if parties == 3 else _skyline(utilities)
    order = np.lexsort((found, -utilities[found, 0]))
    return found[order]


def _two_parties(utilities: np.ndarray) -> np.ndarray:
    survivors = _not_strictly_beaten_by_leaders(utilities)
    first, second = utilities[survivors, 0], utilities[survivors, 1]
    order = np.argsort(-first)  # first party's utility from high to low; ties handled below
    a, b = first[order], second[order]
    new = np.empty(len(a), dtype=bool)
    new[0] = True
    np.not_equal(a[1:], a[:-1], out=new[1:])
    starts = np.flatnonzero(new)
    best = np.maximum.reduceat(b, starts)  # the best second utility in each tie of the first
    before = np.empty_like(best)
    before[0] = -np.inf
    np.maximum.accumulate(best[:-1], out=before[1:])
    group = np.cumsum(new) - 1
    kept = (best > before)[group] & (b == best[group])
    found = survivors[order[kept]]
    return np.asarray(found[np.lexsort((found, -utilities[found, 0]))])


def _not_strictly_beaten_by_leaders(utilities: np.ndarray, leaders: int = 64) -> np.ndarray:
    """Indices of the packages no leader (a package of high total utility) beats for both
    parties at once: a cheap, exact first cut (such packages are never efficient)."""
    rows = len(utilities)
    if rows <= 4 * leaders:
        return np.arange(rows)
    total = utilities[:, 0] + utilities[:, 1]
    top = np.argpartition(-total, leaders)[:leaders]
    by_first = top[np.argsort(utilities[top, 0])]
    first_of_leaders = utilities[by_first, 0]
    # best second utility among the leaders whose first utility is above a given one
    best_after = np.maximum.accumulate(utilities[by_first, 1][::-1])[::-1]
    above = np.searchsorted(first_of_leaders, utilities[:, 0], side="right")
    beaten = np.zeros(rows, dtype=bool)
    has = above < leaders
    beaten[has] = best_after[above[has]] > utilities[has, 1]
    return np.flatnonzero(~beaten)


def _three_parties(utilities: np.ndarray) -> np.ndarray:
    ranks = [np.unique(utilities[:, j], return_inverse=True)[1].astype(np.int64) for j in range(3)]
    order = np.lexsort((-ranks[2], -ranks[1], -ranks[0]))  # best first, lexicographically
    r1, r2 = ranks[1][order], ranks[2][order]
    r0 = ranks[0][order]
    first = np.concatenate(
        ([True], (r0[1:] != r0[:-1]) | (r1[1:] != r1[:-1]) | (r2[1:] != r2[:-1]))
    )
    # Among distinct vectors in this order, anything that beats a package comes before it.
    beaten = _beaten_by_earlier(r1[first], r2[first])
    copy = np.cumsum(first) - 1  # equal vectors share their first copy's fate
    return np.asarray(order[~beaten[copy]])


def _beaten_by_earlier(second: np.ndarray, third: np.ndarray) -> np.ndarray:
    """For each i, whether some j < i has second[j] >= second[i] and third[j] >= third[i]
    (integer ranks). Divide and conquer over index blocks, one vectorised pass per level."""
    count = len(second)
    beaten = np.zeros(count, dtype=bool)
    scale = np.int64(count + 1)
    index = np.arange(count, dtype=np.int64)
    size = 1
    while size < count:
        pair = index // (2 * size)
        left = (index // size) % 2 == 0
        lefts, rights = index[left], index[~left]
        # Left halves sorted by pair, then by second from high to low; within a pair the
        # running maximum of third answers "best third among those at least this good".
        key = pair[lefts] * scale + (count - second[lefts])
        by_key = np.argsort(key, kind="stable")
        sorted_key = key[by_key]
        running = np.maximum.accumulate(pair[lefts][by_key] * scale + third[lefts][by_key])
        query = pair[rights] * scale + (count - second[rights])
        position = np.searchsorted(sorted_key, query, side="right") - 1
        start = np.searchsorted(sorted_key, pair[rights] * scale, side="left")
        found = position >= start
        best = np.where(found, running[np.maximum(position, 0)] - pair[rights] * scale, -1)
        beaten[rights] |= best >= third[rights]
        size *= 2
    return beaten


def _skyline(utilities: np.ndarray) -> np.ndarray:
    keys = tuple(-utilities[:, j] for j in reversed(range(utilities.shape[1])))
    order = np.lexsort((*keys, -utilities.sum(axis=1)))
    frontier_rows: list[np.ndarray] = []
    frontier = np.zeros((0, utilities.shape[1]))
    for start in range(0, len(order), _BLOCK):
        block = order[start : start + _BLOCK]
        points = utilities[block]
        alive = ~dominated_by_any(points, frontier)
        candidates = block[alive]
        inside = utilities[candidates]
        survivors = candidates[~dominated_by_any(inside, inside)]
        if survivors.size:
            frontier_rows.append(survivors)
            frontier = np.concatenate((frontier, utilities[survivors]))
    return np.concatenate(frontier_rows) if frontier_rows else np.zeros(0, dtype=np.int64)


def dominated_by_any(points: np.ndarray, others: np.ndarray) -> np.ndarray:
    """For each row of ``points``, whether some row of ``others`` is at least as good for
    every party and better for one. Checked in blocks so memory stays bounded."""
    dominated = np.zeros(len(points), dtype=bool)
    for start in range(0, len(others), _BLOCK):
        live = np.flatnonzero(~dominated)
        if live.size == 0:
            break
        block = others[start : start + _BLOCK][None, :, :]
        candidates = points[live][:, None, :]
        at_least = np.all(np.greater_equal(block, candidates), axis=2)
        better = np.any(np.greater(block, candidates), axis=2)
        beaten = np.any(at_least & better, axis=1)
        dominated[live[beaten]] = True
    return dominated
