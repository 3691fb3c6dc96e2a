"""``method="heuristic"``: a memetic algorithm, with a proven lower bound from the 3-dicycle relaxation.

Within a budget of ``time_limit`` seconds, or without one (``time_limit=None``) for a fixed effort
chosen from n (:func:`effort`):

- Search (main thread): Becker's greedy order and ``population - 1`` random orders, each improved by
  insertion local search, evolve under the memetic algorithm with explicit diversity management of
  :mod:`orderedness.kernels.memetic`. Its distance threshold shrinks linearly from the population's
  initial mean distance to zero at the end of the run (the time limit, or the last generation), so
  the run moves from exploring to exploiting whatever the budget.
- Bound (a second thread, any n >= 3): the 3-dicycle relaxation (:func:`orderedness.relaxation.bound`,
  a Lagrangian relax-and-cut in numba) while the search runs (both release the GIL, so a second core
  does this work). The search stops as soon as its best order meets the bound, which proves it
  optimal (up to floating-point rounding: within :data:`ROUNDING` times the total weight, the
  precision the exact solvers work at too); the bound stops as soon as it meets the best order.
  Under a time limit it aims at the search's best order and stops when the search ends; without one
  it aims at an order of its own and runs its fixed effort to the end (the search waits for it).

Determinism: all randomness comes from one generator seeded by `seed`. Without a time limit no
decision depends on the clock (it is read only to size batches of work, which does not change the
result): the order, its back-flow and the bound are the same on any machine. With ``generations=K``
and a time limit that is not reached the search is reproduced exactly too; with a time limit only,
the result depends on how many generations fit in it.
"""
from __future__ import annotations

import math
import threading
from time import perf_counter

import numpy as np

from ...backflow import backflow, pairwise_bound
from ...kernels.construct import becker_order
from ...kernels.local_search import insertion_steps, order_cost
from ...kernels.memetic import descend_many, make_children, mean_distance, select_survivors
from ...kernels.rng import rng_state
from ...progress import STOPPED_BY_USER
from ... import relaxation
from ...result import Ordering
from ...validate import InputError, check_options

__all__ = ["solve", "check", "effort", "least_seconds", "POPULATION"]

POPULATION = 30         # orders kept (fewer without a time limit above n = 230, see effort())
CHILD_WORK = 2.1e9       # without a time limit: CHILD_WORK / n^2.5 children's local searches in all (about 3 s
                         # at n <= 400 on the project machine, load 4; table in docs/solvers.md) ...
MOST_GENERATIONS = 500   # ... in at most this many generations and at least one
POPULATION_WORK = 1.6e6  # without a time limit: at most POPULATION_WORK / n^2 orders (all 30 up to n = 230)
CHUNK_SECONDS = 0.02    # aim of one batch of local searches between clock readings
INITIAL_SHARE = 0.3     # at most this share of the budget builds the initial population
GENERATIONS_AIM = 40    # fewer orders when the budget would not allow this many generations
ROUNDING = 1e-12        # a bound this close (relative to sum |A|) proves optimality up to rounding
FINISH_UP_TO = 60       # up to this size the branch-and-cut finishes the run (a proof often comes in time)
SEARCH_SHARE = 0.3      # share of the budget the search gets before the branch-and-cut
SETUP_SECONDS = 7e-8    # per matrix entry: copies, differences, Becker's order and the final evaluation, before
                        # and after any search (n = 5000: about 1.7 s on the project machine, load 3.7)
OPTIONS = ("generations", "population", "bound", "finish", "progress")   # beyond the common signature


def effort(n: int) -> tuple[int, int]:
    """``(generations, population)`` of a run of `n` nodes without a time limit.

    ``POPULATION_WORK / n^2`` orders (between 2 and :data:`POPULATION`), and as many generations
    (between 1 and :data:`MOST_GENERATIONS`) as make ``CHILD_WORK / n^2.5`` children in all: a
    child's local search costs about ``n^2`` per sweep and takes more sweeps as n grows, so a
    default call takes about 3 s up to n = 400 and grows slowly above (``docs/solvers.md``).

    Examples
    --------
    >>> effort(100), effort(400), effort(1000), effort(3000)
    ((500, 30), (65, 10), (33, 2), (2, 2))
    """
    square = float(n) * n
    population = max(2, min(POPULATION, int(POPULATION_WORK / square)))
    return max(1, min(MOST_GENERATIONS, int(CHILD_WORK / square / n ** 0.5 / population))), population


def least_seconds(n: int) -> float:
    """Seconds a run of `n` nodes takes whatever its limit (its ``O(n^2)`` set-up and final
    evaluation): :func:`orderedness.min_backflow` gives a shorter remaining budget to ``greedy``."""
    return SETUP_SECONDS * float(n) * n


def check(n: int, *, population: int | None = None, generations=None, bound: str = "lp",
          **options) -> None:
    """Any size fits (memory ``O(n^2)``); refuse bad options before any work."""
    if population is not None and (isinstance(population, bool) or not isinstance(population, int)
                                   or population < 2):
        raise InputError(f"population must be an integer >= 2, got {population!r}")
    if generations is not None and (isinstance(generations, bool) or not isinstance(generations, int)
                                    or generations < 0):
        raise InputError(f"generations must be a non-negative integer or None, got {generations!r}")
    if bound not in ("lp", "pairwise"):
        raise InputError(f"bound must be 'lp' or 'pairwise', got {bound!r}")


def solve(A: np.ndarray, *, time_limit=None, seed: int = 0, generations: int | None = None,
          population: int | None = None, bound: str = "lp", finish: bool = True, progress=None,
          known_bound: float = -np.inf, **options) -> Ordering:
    """Best order found by the memetic algorithm in the time budget, with a proven lower bound.

    Parameters
    ----------
    A : (n, n) ndarray
        Square float64 matrix (non-negative with a zero diagonal after the reductions).
    time_limit : float, optional
        Seconds for the whole call; None (the default): no limit, the effort of :func:`effort`
        (reproducible on any machine).
    seed : int
        Seed of the run.
    generations : int, optional
        Stop after this many generations, or at the time limit if that comes first (default: at the
        time limit, or :func:`effort`'s count without one).
    population : int, optional
        Orders kept (default :data:`POPULATION` under a time limit, :func:`effort`'s without one);
        each generation makes as many children.
    bound : {"lp", "pairwise"}
        Lower bound: the 3-dicycle relaxation (in a second thread) or the pairwise bound only.
    finish : bool
        For ``n <=`` :data:`FINISH_UP_TO`, with a time limit and no `generations` only: search for
        :data:`SEARCH_SHARE` of the budget, then run the branch-and-cut
        (:mod:`orderedness.solvers.exact.mip`) from the best order for the rest, the relaxation's
        thread going on beside it; the answer is proven
        optimal when either bound meets the order.
    progress : Progress, optional
        Told of every better order and every better bound. Ctrl-C stops the search and the bound
        and returns the best order so far with ``stats["stopped"]`` set.
    known_bound : float
        A lower bound on the least back-flow of `A` that the caller has proven (the cycle LP of
        :mod:`~orderedness.solvers.exact.cycles`): the search stops as soon as its best order meets it.
    **options
        Refused by :func:`orderedness.min_backflow` unless listed in :data:`OPTIONS`.

    Returns
    -------
    Ordering
        ``stats`` holds ``generations``, ``population`` (as built: fewer orders than asked when the
        budget is short), ``initial_backflow`` (best of the initial local optima) and the bound's
        details.
    """
    n = A.shape[0]
    check_options(options, OPTIONS, "method='heuristic'")
    check(n, population=population, generations=generations, bound=bound)
    t0 = perf_counter()
    _compile_kernels()
    timed = time_limit is not None
    if not timed:
        default_generations, default_population = effort(n)
        generations = default_generations if generations is None else generations
        population = default_population if population is None else population
    population = POPULATION if population is None else population
    budget = float(time_limit) if timed else math.inf
    A = np.array(A, dtype=np.float64)
    np.fill_diagonal(A, 0.0)
    lower = max(pairwise_bound(A), float(known_bound))
    if n <= 1:
        return Ordering(np.arange(n), 0.0, 0.0, True, "heuristic", perf_counter() - t0)
    D = A - A.T
    tol = 1e-12 * float(np.abs(D).max() or 1.0) * n
    close = ROUNDING * float(np.abs(A).sum())   # this near the proven bound is optimal
    shared = {"lower": lower, "upper": np.inf, "done": False, "progress": progress}
    stats = {"seed": seed, "bound": {"kind": "pairwise"}, "generations": 0}
    lp = None
    if bound == "lp" and n >= 3:
        lp = threading.Thread(target=_run_bound, args=(A, t0 + budget if timed else None, shared, stats, close),
                              daemon=True)
        lp.start()
    finish = finish and timed and bound == "lp" and generations is None and 3 <= n <= FINISH_UP_TO
    search_end = t0 + (SEARCH_SHARE if finish else 1.0) * budget
    try:
        pop, cost, rng = _initial_population(A, D, population, seed, tol, t0 + INITIAL_SHARE * budget,
                                             search_end)
        shared["upper"] = float(cost[0])
        stats.update(initial_backflow=float(cost[0]), population=len(pop))
        stats["generations"] = _search(A, D, pop, cost, rng, shared, search_end, generations, close, tol)
        if finish and cost[0] > shared["lower"] + close:
            pop, finish_lower = _finish(A, pop[0], t0 + budget, shared, stats, close)
            lower = max(lower, finish_lower)
        if lp is not None and not timed:       # no limit: the bound runs its effort to the end
            lp.join()
    except KeyboardInterrupt:
        stats["stopped"] = STOPPED_BY_USER
        if "initial_backflow" not in stats:    # stopped before the population: Becker's order
            pop = becker_order(A)[None, :]
    finally:
        shared["done"] = True
        if lp is not None:
            lp.join()

    order = pop[0].copy()
    value = backflow(A, order)
    lower = min(max(lower, shared["lower"]), value)
    optimal = value - lower <= close
    return Ordering(order, value, lower, optimal, "heuristic", perf_counter() - t0, stats)


def _finish(A, order, deadline, shared, stats, close):
    """Branch-and-cut from the search's best order until `deadline`, while the relaxation's thread
    goes on; each stops the other when the bound meets the order. Returns ``(population, bound)``:
    the branch-and-cut's order (never worse than `order`) and its proven bound. The branch-and-cut
    runs on one thread: the relaxation's has the other core."""
    from ..exact import mip

    r = mip.solve(A, start=order, time_limit=max(deadline - perf_counter(), 1e-3), threads=1,
                  progress=shared["progress"], outside=lambda: shared["lower"] + close)
    shared["upper"] = r.backflow
    stats["finish"] = {"method": "mip", "optimal": r.optimal, "lower_bound": r.lower_bound,
                       **{k: r.stats[k] for k in ("nodes", "lp_solves", "cuts", "stopped") if k in r.stats}}
    if r.stats.get("stopped") == STOPPED_BY_USER:
        stats["stopped"] = STOPPED_BY_USER
    return r.order[None, :], r.lower_bound


_compiled = False


def _compile_kernels() -> None:
    """Compile (or load from numba's cache) every kernel of the search and the bound, once per process.

    Done on a 5-node problem inside the budget (loading cached kernels takes a few tenths of a
    second), so that the first call of a process holds its limit too; only the first call after
    installing, which compiles them, takes longer than its limit (by the compile time).
    """
    global _compiled
    if _compiled:
        return
    A = np.triu(np.arange(1.0, 26.0).reshape(5, 5), 1) + np.tril(np.ones((5, 5)), -1)
    np.fill_diagonal(A, 0.0)
    D = A - A.T
    later = perf_counter() + 3600.0
    pop, cost, rng = _initial_population(A, D, 2, 0, 0.0, later, later)
    _search(A, D, pop, cost, rng, {"lower": -np.inf, "upper": float(cost[0]), "progress": None}, later, 1, 0.0, 0.0)
    relaxation.warm_up()
    from ..exact import mip
    mip.solve(A)                               # the branch-and-cut that finishes small runs
    _compiled = True


def _search(A, D, pop, cost, rng, shared, deadline, generations, close, tol) -> int:
    """Evolve `pop` in place until `deadline`, `generations`, or a best cost within `close` of the
    proven bound; return the generations completed (an unfinished one is dropped)."""
    m, n = pop.shape
    if m < 2:
        return 0
    kids = np.empty_like(pop)
    kid_cost = np.empty(m)
    pos = np.empty(n, dtype=np.int64)
    start, spread = perf_counter(), mean_distance(pop)
    ran, batch = 0, 1
    while (generations is None or ran < generations) and cost[0] > shared["lower"] + close:
        now = perf_counter()
        if now >= deadline:
            break
        progress = ran / generations if generations is not None else (now - start) / (deadline - start)
        make_children(pop, cost, kids, pos, rng)
        c = 0
        while c < m and perf_counter() < deadline:
            stop = min(m, c + batch)
            t = perf_counter()
            if batch > 1:
                descend_many(A, D, kids, kid_cost, c, stop, pos, tol)
            else:                              # one child at a time: its search stops at the deadline
                kid_cost[c], done = _descend(A, D, kids[c], pos, tol, deadline)
                if not done:
                    break
            took = perf_counter() - t
            batch = max(1, int(CHUNK_SECONDS * (stop - c) / took)) if took > 0 else m
            c = stop
        if c < m:
            break
        select_survivors(pop, cost, kids, kid_cost, spread * (1.0 - progress), pos)
        if cost[0] < shared["upper"] and shared["progress"] is not None:
            shared["progress"].update(incumbent=cost[0], generations=ran + 1)
        shared["upper"] = float(cost[0])
        ran += 1
    return ran


def _run_bound(A, deadline, shared, stats, close) -> None:
    """The relaxation's bound, publishing each improvement in ``shared["lower"]``. It runs at the
    search's priority: the width of the answer depends on both (a lowered priority starved it on a
    busy machine).

    Until `deadline` or the search's end, aiming at the search's best order; without a deadline
    (None), the relaxation's fixed effort aiming at an order of its own, so that its steps never
    depend on how far the search got: it stops early only when it meets the search's best order
    (which then is the answer, proven) or on Ctrl-C.
    """

    def report(b):
        shared["lower"] = max(shared["lower"], b)
        if shared["progress"] is not None:
            shared["progress"].update(bound=b)

    if deadline is None:
        limit, upper = None, None
        stop = lambda: shared["done"] or shared["lower"] + close >= shared["upper"]   # noqa: E731
    else:
        limit, upper, stop = max(deadline - perf_counter(), 1e-3), lambda: shared["upper"], lambda: shared["done"]
    try:
        b, info = relaxation.bound(A, time_limit=limit, upper=upper, report=report, stop=stop)
    except Exception as exc:  # noqa: BLE001 - a failed bound leaves the pairwise bound, and says why
        stats["bound"] = {"kind": "pairwise", "error": f"{type(exc).__name__}: {exc}"}
        return
    report(b)
    info.pop("state", None)
    stats["bound"] = {"kind": "relaxation", **info}


def _descend(A, D, order, pos, tol, deadline):
    """Insertion local search on `order` in place until a local optimum or `deadline`, reading the
    clock every :data:`CHUNK_SECONDS` or so; return ``(back-flow, reached the local optimum)``.

    The order reached is the one :func:`orderedness.kernels.memetic.descend` gives whenever the
    search ends before `deadline`, however the clock splits it.
    """
    n = order.shape[0]
    pos[order] = np.arange(n)
    visit = np.empty(n, dtype=np.int64)
    state = np.array([n, 1, 0], dtype=np.int64)
    steps = n                                  # one sweep, then as many as fit in a chunk
    while state[2] == 0 and perf_counter() < deadline:
        t = perf_counter()
        insertion_steps(D, order, pos, tol, visit, state, steps)
        took = perf_counter() - t
        steps = max(1, int(steps * CHUNK_SECONDS / took)) if took > 0 else 2 * steps
    return order_cost(A, order), bool(state[2])


def _initial_population(A, D, size, seed, tol, deadline, end):
    """Becker's order and up to ``size - 1`` random orders, each a local optimum, sorted by back-flow.

    Orders are added until `deadline`, and past it up to two orders (a memetic algorithm needs two)
    while one more local search is expected to end before `end` (both infinite without a time limit:
    every order). Only the best are kept when the time left would not allow about
    :data:`GENERATIONS_AIM` generations (a child's local search taken as half a random order's).
    """
    n = A.shape[0]
    gen = np.random.default_rng(seed)
    pop = np.empty((size, n), dtype=np.int64)
    pos = np.empty(n, dtype=np.int64)
    cost = np.empty(size)
    pop[0] = becker_order(A)
    first = t = perf_counter()
    cost[0], done = _descend(A, D, pop[0], pos, tol, end)
    built, now = 1, perf_counter()
    while done and built < size and (now < deadline or (built < 2 and now + 2 * (now - t) < end)):
        pop[built] = gen.permutation(n)
        t = now
        cost[built], done = _descend(A, D, pop[built], pos, tol, end)
        built, now = built + done, perf_counter()   # an order stopped at `end` is dropped
    if math.isinf(end):                        # no time limit: every order built is kept
        keep = built
    else:
        per_search = (now - first) / built
        keep = max(min(built, 2), min(built, int((end - now) / (GENERATIONS_AIM * per_search / 2))))
    rank = np.argsort(cost[:built], kind="stable")[:keep]
    return np.ascontiguousarray(pop[rank]), cost[rank], rng_state(seed)
