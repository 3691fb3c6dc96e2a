"""Memetic algorithm for the linear ordering problem with explicit diversity management.

After Schiavinotto & Stuetzle (2004: local optima of the insertion neighbourhood recombined by cycle
crossover) and Lugo, Segura & Miranda (2022, MA-EDM: survivors chosen by quality *and* distance, with
a distance threshold that shrinks to zero over the run, moving from exploration to exploitation).
A generation is three calls (:func:`make_children`, :func:`descend_many` over batches of children,
:func:`select_survivors`), so the caller can read the clock between batches. Everything random comes
from the explicit generator of :mod:`.rng`, drawn in :func:`make_children` only: the result depends on
the seed, the number of generations and the thresholds, never on how the children were batched.
"""
from __future__ import annotations

import numpy as np
from numba import njit

from .local_search import insertion_local_search, order_cost
from .rng import randint

__all__ = ["cycle_crossover", "descend", "footrule", "mean_distance", "make_children", "descend_many",
           "select_survivors"]


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
def make_children(pop, cost, kids, pos, rng):
    """Fill `kids` (as many rows as `pop`): parents by binary tournaments, crossed pairwise both ways."""
    m = pop.shape[0]
    for c in range(m):
        a = randint(rng, m)
        b = randint(rng, m)
        kids[c] = pop[a] if cost[a] <= cost[b] else pop[b]
    first = np.empty(pop.shape[1], dtype=np.int64)
    second = np.empty(pop.shape[1], dtype=np.int64)
    for c in range(0, m - 1, 2):
        cycle_crossover(kids[c], kids[c + 1], first, pos, rng)
        cycle_crossover(kids[c + 1], kids[c], second, pos, rng)
        kids[c] = first
        kids[c + 1] = second


@njit(cache=True, nogil=True)
def descend_many(A, D, kids, kid_cost, start, stop, pos, tol):
    """Local search on ``kids[start:stop]``, costs into `kid_cost`."""
    for c in range(start, stop):
        kid_cost[c] = descend(A, D, kids[c], pos, tol)


@njit(cache=True, nogil=True)
def select_survivors(pop, cost, kids, kid_cost, threshold, pos):
    """Replace `pop` by survivors of ``pop + kids``, chosen as in MA-EDM (best non-penalised).

    First the best order; then, while some candidate is closer than `threshold` (footrule distance)
    to everything kept, the candidate farthest from those kept; otherwise the best candidate at least
    `threshold` from all kept. Ties go to the better cost, then the nearer candidate. ``pop[0]``
    ends as a best order.
    """
    m, n = pop.shape
    every = np.empty((2 * m, n), dtype=np.int64)
    every_cost = np.empty(2 * m)
    every[:m] = pop
    every[m:] = kids
    every_cost[:m] = cost
    every_cost[m:] = kid_cost
    dist = np.full(2 * m, np.inf)
    taken = np.zeros(2 * m, dtype=np.bool_)
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
