"""``method="heuristic"``: a memetic algorithm with a proven lower bound (LP relaxation).

The run, for a budget of ``time_limit`` seconds (default :data:`DEFAULT_TIME`):

1. Becker's greedy order, improved by insertion local search, seeds a population whose other members
   are random orders improved the same way.
2. The memetic algorithm (:mod:`orderedness.kernels.memetic`) runs in chunks of generations; the clock
   is read only between chunks, so the result depends on the seed and the number of generations run,
   and ``generations=K`` reproduces a run exactly whatever the machine.

Before the search, the 3-dicycle LP relaxation (:func:`orderedness.bounds.lp_bound`) takes a share
``lp_share`` of the budget (for 3 <= n <= :data:`~orderedness.bounds.LP_MAX_N`; the pairwise bound
otherwise) and proves a lower bound; the search stops as soon as it finds an order meeting the bound,
which is then proven optimal.
"""
from __future__ import annotations

from time import perf_counter

import numpy as np

from ...backflow import backflow, pairwise_bound
from ...bounds import LP_MAX_N, lp_bound
from ...kernels.construct import becker_order
from ...kernels.memetic import descend, memetic_run
from ...kernels.rng import rng_state
from ...result import Ordering
from ...validate import InputError

__all__ = ["solve", "check", "DEFAULT_TIME"]

DEFAULT_TIME = 3.0      # seconds when no time_limit is given
POPULATION = 10
OFFSPRING = 5
PATIENCE = 30           # generations without improvement before a restart
CHUNK_SECONDS = 0.02    # aim of one kernel call between clock readings


def check(n: int, *, population: int = POPULATION, **options) -> None:
    """Any size fits (memory is ``O(n^2)``); refuse a population below 2."""
    if not isinstance(population, int) or population < 2:
        raise InputError(f"population must be an integer >= 2, got {population!r}")


def solve(A: np.ndarray, *, time_limit=None, seed: int = 0, generations: int | None = None,
          population: int = POPULATION, lp_share: float = 0.25, verbose: bool = False,
          **options) -> Ordering:
    """Best order found by the memetic algorithm, with a proven lower bound.

    Parameters
    ----------
    A : (n, n) ndarray
        Square float64 matrix (non-negative with a zero diagonal after the reductions).
    time_limit : float, optional
        Seconds for the whole call (default :data:`DEFAULT_TIME`).
    seed : int
        Seed of the run; equal seeds and generation counts give equal orders.
    generations : int, optional
        Stop after this many generations (or at the time limit, whichever comes first).
    population : int
        Orders kept.
    lp_share : float
        Share of the budget kept for the LP bound (0 for the pairwise bound only).
    verbose : bool
        Unused; accepted for the common signature.

    Returns
    -------
    Ordering
        ``stats`` holds ``generations``, ``restarts``, ``construction`` and the LP's ``bound`` details.
    """
    t0 = perf_counter()
    budget = DEFAULT_TIME if time_limit is None else float(time_limit)
    n = A.shape[0]
    check(n, population=population)
    A = np.array(A, dtype=np.float64)
    np.fill_diagonal(A, 0.0)
    lower = pairwise_bound(A)
    if n <= 1:
        return Ordering(np.arange(n), 0.0, 0.0, True, "heuristic", perf_counter() - t0)
    D = A - A.T
    tol = 1e-12 * float(np.abs(D).max() or 1.0) * n
    close = 1e-9 * float(np.abs(A).sum())       # stop once this near the proven bound
    use_lp = lp_share > 0 and 3 <= n <= LP_MAX_N
    pop, cost, rng = _initial_population(A, D, population, seed, tol)
    stats = {"construction_backflow": float(cost[0]), "population": population, "seed": seed,
             "bound": {"kind": "pairwise"}}
    if use_lp and cost[0] > lower + tol:
        bound, lp_stats = lp_bound(A, time_limit=budget * lp_share, upper=float(cost[0]))
        lower = max(lower, bound)
        stats["bound"] = {"kind": "lp", **lp_stats}

    state = np.zeros(3)
    ran, chunk = 0, 1
    while perf_counter() - t0 < budget and (generations is None or ran < generations):
        if cost[0] <= lower + close:
            break
        step = chunk if generations is None else min(chunk, generations - ran)
        t = perf_counter()
        done = memetic_run(A, D, pop, cost, state, rng, step, OFFSPRING, max(3, n // 10), PATIENCE,
                           lower + close, tol)
        ran += done
        if done < step:
            break
        took = perf_counter() - t
        chunk = max(1, min(4 * chunk, int(chunk * CHUNK_SECONDS / took) if took > 0 else 4 * chunk))
    stats.update(generations=ran, restarts=int(state[2]))

    order = pop[0].copy()
    value = backflow(A, order)
    lower = min(lower, value)
    return Ordering(order, value, lower, lower >= value, "heuristic", perf_counter() - t0, stats)


def _initial_population(A, D, size, seed, tol):
    """Becker's order and ``size - 1`` random orders, each a local optimum, sorted by back-flow."""
    n = A.shape[0]
    gen = np.random.default_rng(seed)
    pop = np.empty((size, n), dtype=np.int64)
    pop[0] = becker_order(A)
    for u in range(1, size):
        pop[u] = gen.permutation(n)
    pos = np.empty(n, dtype=np.int64)
    cost = np.array([descend(A, D, pop[u], pos, tol) for u in range(size)])
    rank = np.argsort(cost, kind="stable")
    return np.ascontiguousarray(pop[rank]), cost[rank], rng_state(seed)
