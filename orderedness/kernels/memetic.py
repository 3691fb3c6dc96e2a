"""Memetic algorithm for the linear ordering problem (after Schiavinotto & Stuetzle, 2004).

A population of local optima of the insertion neighbourhood evolves by cycle crossover followed by
local search; the next population is the best distinct orders of parents and offspring. When it stops
improving for a while, every order but the best is replaced by a mutated, re-optimised copy of the best.
Everything random comes from the explicit generator of :mod:`.rng`, so a run split over many calls
gives exactly the result of one call with the same total number of generations.
"""
from __future__ import annotations

import numpy as np
from numba import njit

from .local_search import insertion_local_search, move, order_cost
from .rng import randint

__all__ = ["cycle_crossover", "perturb", "descend", "memetic_run"]


@njit(cache=True)
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


@njit(cache=True)
def perturb(order, pos, strength, rng):
    """Move `strength` random nodes to random positions (in place; `pos` kept in sync)."""
    n = order.shape[0]
    for _ in range(strength):
        i = randint(rng, n)
        j = randint(rng, n - 1)
        if j >= i:
            j += 1
        move(order, pos, i, j)


@njit(cache=True)
def descend(A, D, order, pos, tol):
    """Insertion local search on `order` in place; return its back-flow."""
    for k in range(order.shape[0]):
        pos[order[k]] = k
    insertion_local_search(D, order, pos, tol)
    return order_cost(A, order)


@njit(cache=True)
def _same(a, b):
    for q in range(a.shape[0]):
        if a[q] != b[q]:
            return False
    return True


@njit(cache=True)
def memetic_run(A, D, pop, cost, state, rng, generations, offspring, strength, patience, target, tol):
    """Run `generations` generations in place; stop early once the best cost reaches `target`.

    Parameters
    ----------
    A, D : (n, n) float64
        The matrix and ``A - A.T``.
    pop : (m, n) int64
        Population of orders, best first; `cost` (m,) their back-flows.
    state : (3,) float64
        ``[generations without improvement, generations run, restarts]``, carried between calls.
    rng : (1,) uint64
        Random state.
    generations, offspring, strength, patience : int
        Generations to run now, children per generation, random insertions of a restart mutation,
        and generations without improvement of the population before a restart.
    target : float
        Stop when the best back-flow is at most this (a proven lower bound).
    tol : float
        Least difference of back-flow that counts.

    Returns
    -------
    int
        Generations actually run.
    """
    m, n = pop.shape
    pos = np.empty(n, dtype=np.int64)
    kids = np.empty((offspring, n), dtype=np.int64)
    kid_cost = np.empty(offspring)
    merged = np.empty(m + offspring)
    new_pop = np.empty_like(pop)
    new_cost = np.empty(m)
    for g in range(generations):
        if cost[0] <= target + tol:
            return g
        for c in range(offspring):
            a = randint(rng, m)
            b = randint(rng, m - 1)
            if b >= a:
                b += 1
            cycle_crossover(pop[a], pop[b], kids[c], pos, rng)
            kid_cost[c] = descend(A, D, kids[c], pos, tol)
        merged[:m] = cost
        merged[m:] = kid_cost
        rank = np.argsort(merged, kind="mergesort")
        filled = 0
        for t in range(m + offspring):
            r = rank[t]
            src = pop[r] if r < m else kids[r - m]
            duplicate = False
            for u in range(filled):
                if abs(new_cost[u] - merged[r]) <= tol and _same(new_pop[u], src):
                    duplicate = True
                    break
            if not duplicate:
                new_pop[filled] = src
                new_cost[filled] = merged[r]
                filled += 1
                if filled == m:
                    break
        improved = False
        for u in range(filled):
            if new_cost[u] < cost[u] - tol:
                improved = True
                break
        state[0] = 0.0 if improved else state[0] + 1.0
        for u in range(filled, m):
            new_pop[u] = new_pop[0]
            new_cost[u] = _mutate(A, D, new_pop[u], pos, strength, rng, tol)
        if state[0] >= patience:
            for u in range(1, m):
                new_pop[u] = new_pop[0]
                new_cost[u] = _mutate(A, D, new_pop[u], pos, strength, rng, tol)
            state[0] = 0.0
            state[2] += 1.0
        rank = np.argsort(new_cost, kind="mergesort")
        for u in range(m):
            pop[u] = new_pop[rank[u]]
            cost[u] = new_cost[rank[u]]
        state[1] += 1.0
    return generations


@njit(cache=True)
def _mutate(A, D, order, pos, strength, rng, tol):
    for k in range(order.shape[0]):
        pos[order[k]] = k
    perturb(order, pos, strength, rng)
    return descend(A, D, order, pos, tol)
