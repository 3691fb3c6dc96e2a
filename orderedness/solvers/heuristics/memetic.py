"""``method="heuristic"``: a memetic algorithm, with a proven lower bound from an LP relaxation.

For a budget of ``time_limit`` seconds (default :data:`DEFAULT_TIME`):

- Search (main thread): Becker's greedy order and ``population - 1`` random orders, each improved by
  insertion local search, evolve under the memetic algorithm with explicit diversity management of
  :mod:`orderedness.kernels.memetic`. Its distance threshold shrinks linearly from the population's
  initial mean distance to zero at the end of the budget, so the run moves from exploring to
  exploiting whatever the budget.
- Bound (a second thread, for 3 <= n <= :data:`~orderedness.bounds.LP_MAX_N`): the 3-dicycle LP
  relaxation (:func:`orderedness.bounds.lp_bound`), solved by HiGHS while the search runs (both release
  the GIL, so a second core does this work). The search stops as soon as its best order meets the
  bound, which proves it optimal (up to floating-point rounding: within :data:`ROUNDING` times the
  total weight, the precision the exact solvers work at too); the LP stops as soon as its bound meets
  the best order.

Determinism: all randomness comes from one generator seeded by `seed`, and the clock is read only
between chunks of generations. With ``generations=K`` the threshold follows the generation count
instead of the clock, and a run is reproduced exactly on any machine; with a time limit only, the
result depends on how many generations fit in it.
"""
from __future__ import annotations

import threading
from time import perf_counter

import numpy as np

from ...backflow import backflow, pairwise_bound
from ...bounds import LP_MAX_N, lp_bound
from ...kernels.construct import becker_order
from ...kernels.memetic import descend, edm_run, mean_distance
from ...kernels.rng import rng_state
from ...result import Ordering
from ...validate import InputError

__all__ = ["solve", "check", "DEFAULT_TIME", "POPULATION"]

DEFAULT_TIME = 3.0      # seconds when no time_limit is given
POPULATION = 30
CHUNK_SECONDS = 0.02    # aim of one kernel call between clock readings
ROUNDING = 1e-12        # a bound this close (relative to sum |A|) proves optimality up to rounding


def check(n: int, *, population: int = POPULATION, generations=None, bound: str = "lp",
          **options) -> None:
    """Any size fits (memory ``O(n^2)``); refuse bad options before any work."""
    if isinstance(population, bool) or not isinstance(population, int) or population < 2:
        raise InputError(f"population must be an integer >= 2, got {population!r}")
    if generations is not None and (isinstance(generations, bool) or not isinstance(generations, int)
                                    or generations < 0):
        raise InputError(f"generations must be a non-negative integer or None, got {generations!r}")
    if bound not in ("lp", "pairwise"):
        raise InputError(f"bound must be 'lp' or 'pairwise', got {bound!r}")


def solve(A: np.ndarray, *, time_limit=None, seed: int = 0, generations: int | None = None,
          population: int = POPULATION, bound: str = "lp", **options) -> Ordering:
    """Best order found by the memetic algorithm in the time budget, with a proven lower bound.

    Parameters
    ----------
    A : (n, n) ndarray
        Square float64 matrix (non-negative with a zero diagonal after the reductions).
    time_limit : float, optional
        Seconds for the whole call (default :data:`DEFAULT_TIME`).
    seed : int
        Seed of the run.
    generations : int, optional
        Stop after this many generations, or at the time limit if that comes first; the run is then
        reproducible exactly (see the module docstring).
    population : int
        Orders kept (default :data:`POPULATION`); each generation makes as many children.
    bound : {"lp", "pairwise"}
        Lower bound: the LP relaxation (in a second thread) or the pairwise bound only.
    **options
        Ignored (the common signature passes ``verbose``, ``memory_limit``).

    Returns
    -------
    Ordering
        ``stats`` holds ``generations``, ``population``, ``construction_backflow`` (Becker's order
        after local search) and the bound's details.
    """
    t0 = perf_counter()
    budget = DEFAULT_TIME if time_limit is None else float(time_limit)
    n = A.shape[0]
    check(n, population=population, generations=generations, bound=bound)
    A = np.array(A, dtype=np.float64)
    np.fill_diagonal(A, 0.0)
    lower = pairwise_bound(A)
    if n <= 1:
        return Ordering(np.arange(n), 0.0, 0.0, True, "heuristic", perf_counter() - t0)
    D = A - A.T
    tol = 1e-12 * float(np.abs(D).max() or 1.0) * n
    close = 1e-9 * float(np.abs(A).sum())       # stop once this near the proven bound
    pop, cost, rng = _initial_population(A, D, population, seed, tol)
    shared = {"lower": lower, "upper": float(cost[0])}
    stats = {"construction_backflow": float(cost[0]), "population": population, "seed": seed,
             "bound": {"kind": "pairwise"}}
    lp = None
    if bound == "lp" and 3 <= n <= LP_MAX_N and cost[0] > lower + close:
        lp = threading.Thread(target=_run_lp, args=(A, t0 + budget, shared, stats), daemon=True)
        lp.start()

    ran, chunk = 0, 1
    start = perf_counter()
    spread = mean_distance(pop)
    while perf_counter() - t0 < budget and (generations is None or ran < generations):
        if cost[0] <= shared["lower"] + close:
            break
        step = chunk if generations is None else min(chunk, generations - ran)
        progress = ran / generations if generations is not None else (
            (perf_counter() - start) / max(t0 + budget - start, 1e-9))
        t = perf_counter()
        done = edm_run(A, D, pop, cost, rng, step, spread * (1.0 - progress), shared["lower"] + close, tol)
        shared["upper"] = float(cost[0])
        ran += done
        if done < step:
            break
        took = perf_counter() - t
        chunk = max(1, min(4 * chunk, int(chunk * CHUNK_SECONDS / took) if took > 0 else 4 * chunk))
    stats["generations"] = ran
    if lp is not None:
        lp.join()

    order = pop[0].copy()
    value = backflow(A, order)
    lower = min(shared["lower"], value)
    optimal = value - lower <= ROUNDING * float(np.abs(A).sum())
    return Ordering(order, value, lower, optimal, "heuristic", perf_counter() - t0, stats)


def _run_lp(A, deadline, shared, stats) -> None:
    """The LP bound until `deadline`, publishing each improvement in ``shared["lower"]``."""
    def report(b):
        shared["lower"] = max(shared["lower"], b)

    try:
        b, lp_stats = lp_bound(A, time_limit=max(deadline - perf_counter(), 1e-3),
                               upper=lambda: shared["upper"], report=report)
    except Exception as exc:  # noqa: BLE001 - a failed LP leaves the pairwise bound, and says why
        stats["bound"] = {"kind": "pairwise", "lp_error": f"{type(exc).__name__}: {exc}"}
        return
    report(b)
    stats["bound"] = {"kind": "lp", **lp_stats}


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
