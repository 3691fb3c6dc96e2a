"""Memetic algorithm for the linear ordering problem with explicit diversity management.

After Schiavinotto & Stuetzle (2004: local optima of the insertion neighbourhood recombined by cycle
crossover) and Lugo, Segura & Miranda (2022, MA-EDM: survivors chosen by quality *and* distance, with
a distance threshold that shrinks to zero over the run, moving from exploration to exploitation).
Everything random comes from the explicit generator of :mod:`.rng`, so a run split over many calls
gives exactly the result of one call with the same generations and thresholds.
"""
from __future__ import annotations

import numpy as np
from numba import njit

from .local_search import insertion_local_search, order_cost
from .rng import randint

__all__ = ["cycle_crossover", "descend", "footrule", "mean_distance", "edm_run"]


@njit(cache=True, nogil=True)
def cycle_crossover(p1, p2, child, pos1, rng):
    """Cycle crossover: each position cycle of ``(p1, p2)`` is copied whole from one parent.

    The cycles are visited from a random position and taken alternately from `p1` and `p2`, so a
    node that both parents put at the same position keeps it.
    """
    n = p1.shape[0]
    for k in range(n):
        pos1[p1[k]] = k
    child[:] = -1
    take1 = True
    start = randint(rng, n)
    for s in range(n):
        k = (start + s) % n
        if child[k] >= 0:
            continue
        while child[k] < 0:
            child[k] = p1[k] if take1 else p2[k]
            k = pos1[p2[k]]
        take1 = not take1


@njit(cache=True, nogil=True)
def descend(A, D, order, pos, tol):
    """Insertion local search on `order` in place; return its back-flow."""
    for k in range(order.shape[0]):
        pos[order[k]] = k
    insertion_local_search(D, order, pos, tol)
    return order_cost(A, order)


@njit(cache=True, nogil=True)
def footrule(a, pos_b):
    """Spearman's footrule distance between order `a` and the order whose positions are `pos_b`."""
    d = 0
    for k in range(a.shape[0]):
        d += abs(k - pos_b[a[k]])
    return d


@njit(cache=True, nogil=True)
def mean_distance(pop):
    """Mean footrule distance over all pairs of the population."""
    m, n = pop.shape
    pos = np.empty(n, dtype=np.int64)
    total = 0.0
    for u in range(m):
        for k in range(n):
            pos[pop[u, k]] = k
        for v in range(u + 1, m):
            total += footrule(pop[v], pos)
    return total / max(1, m * (m - 1) // 2)


@njit(cache=True, nogil=True)
def edm_run(A, D, pop, cost, rng, generations, threshold, target, tol):
    """Generations of a memetic algorithm with explicit diversity management (after MA-EDM).

    Each generation pairs ``m`` parents chosen by binary tournaments, crosses every pair both ways
    (cycle crossover), descends, and keeps the best order, then repeatedly the order farthest from
    those kept while fewer than ``threshold`` apart, else the best of those at least ``threshold``
    from all kept (footrule distance).
    Returns the generations run (fewer when the best cost reaches `target`).
    """
    m, n = pop.shape
    pos = np.empty(n, dtype=np.int64)
    kids = np.empty((m, n), dtype=np.int64)
    kid_cost = np.empty(m)
    every = np.empty((2 * m, n), dtype=np.int64)
    every_cost = np.empty(2 * m)
    dist = np.empty(2 * m)
    taken = np.zeros(2 * m, dtype=np.bool_)
    for g in range(generations):
        if cost[0] <= target + tol:
            return g
        for c in range(m):
            a = randint(rng, m)
            b = randint(rng, m)
            p = a if cost[a] <= cost[b] else b
            kids[c] = pop[p]
        for c in range(0, m - 1, 2):
            cycle_crossover(kids[c], kids[c + 1], every[0], pos, rng)
            cycle_crossover(kids[c + 1], kids[c], every[1], pos, rng)
            kids[c] = every[0]
            kids[c + 1] = every[1]
        for c in range(m):
            kid_cost[c] = descend(A, D, kids[c], pos, tol)
        every[:m] = pop
        every[m:] = kids
        every_cost[:m] = cost
        every_cost[m:] = kid_cost
        taken[:] = False
        dist[:] = np.inf
        best = 0
        for t in range(1, 2 * m):
            if every_cost[t] < every_cost[best]:
                best = t
        for u in range(m):
            taken[best] = True
            pop[u] = every[best]
            cost[u] = every_cost[best]
            if u == m - 1:
                break
            for k in range(n):
                pos[pop[u, k]] = k
            best = -1
            for t in range(2 * m):
                if taken[t]:
                    continue
                dist[t] = min(dist[t], footrule(every[t], pos))
                if best < 0:
                    best = t
                elif dist[best] < threshold:
                    if dist[t] > dist[best] or (dist[t] == dist[best] and every_cost[t] < every_cost[best]):
                        best = t
                elif dist[t] >= threshold:
                    if every_cost[t] < every_cost[best] or (every_cost[t] == every_cost[best]
                                                            and dist[t] > dist[best]):
                        best = t
    return generations
