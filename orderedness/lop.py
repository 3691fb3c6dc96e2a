"""The linear ordering problem on any square matrix: :func:`min_backflow`."""
from __future__ import annotations

from time import perf_counter

import numpy as np
from scipy.sparse import issparse

from . import auto
from .backflow import backflow
from .reduce import reduce
from .result import Ordering
from .solvers import SOLVERS
from .progress import STOPPED_BY_USER
from .validate import (check_choice, check_memory, check_names, check_options, check_seed, check_square,
                       check_time_limit)


__all__ = ["min_backflow", "METHODS"]

METHODS = ("auto", *SOLVERS)


def min_backflow(A, *, method: str = "auto", time_limit: float | None = None, seed: int = 0,
                 names=None, **options) -> Ordering:
    """Order the nodes of a square matrix to minimise back-flow (the linear ordering problem).

    Back-flow of an order is the strictly lower-triangular sum of ``A[order][:, order]``: entry
    ``A[x, y]`` is paid when `x` comes after `y`. Equivalently the order maximises the upper-triangular
    sum (the LOP), or is a minimum-weight feedback arc set of the digraph with arc ``x -> y`` of weight
    ``A[x, y]``. Signed entries are allowed; the diagonal never counts.

    Except for ``"brute"``, the problem is first reduced exactly: pairwise normalisation, then a split
    into strongly connected components solved one by one and ordered topologically (skipped, and the
    whole solved as one part, when a time limit runs out before it).

    Parameters
    ----------
    A : (n, n) array_like or scipy.sparse matrix
        Real square matrix. A sparse one stays sparse through the reductions; its components up to
        :data:`orderedness.auto.DENSE_UP_TO` nodes are solved by the dense solvers, larger ones by
        ``"sparse"`` (memory O(n + m)).
    method : {"auto", "brute", "dp", "mip", "fas", "heuristic", "greedy", "sparse"}
        ``"auto"`` picks per component (see :mod:`orderedness.auto`); ``"brute"`` tries all orders
        (n <= 10); ``"dp"`` is the exact subset DP; ``"mip"`` exact branch-and-cut on node pairs
        (dense components, proves n = 30-60); ``"fas"`` exact branch-and-cut on arcs and cycles
        (sparse components: proves connectomes of a few hundred nodes);
        ``"heuristic"`` a memetic search with a proven LP bound; ``"greedy"`` a degree order with the
        pairwise bound; ``"sparse"`` insertion local search on adjacency lists with a cycle-packing
        bound (any size).
    time_limit : float, optional
        Seconds for the whole call. When reached, the best order so far is returned with a proven
        lower bound (``optimal=False``) instead of raising. None (the default): no time limit for
        any method; exact ones run to a proof, the heuristics for a fixed effort chosen from the size
        (``"heuristic"``: about 3 s up to n = 400, see ``docs/solvers.md``), and no decision depends
        on the clock. ``stats["time_limit"]`` says which.
    seed : int
        Seed of randomised solvers; every solver is deterministic given it.
    names : sequence, optional
        Node names; the result's ``names`` lists them in the returned order.
    **options
        Passed to the solvers that take them, e.g. ``memory_limit`` (bytes, ``dp``) or ``progress``
        (a :class:`orderedness.progress.Progress`: periodic lines on stderr). An option no solver
        that may run takes raises :class:`InputError`.

    Returns
    -------
    Ordering
        ``order``, ``backflow``, ``lower_bound``, ``optimal``, ``method``, ``seconds``, ``stats``.
        After a Ctrl-C (KeyboardInterrupt) the solver that was running returns its best order with
        its bound, the components left get fast methods only, and ``stats["stopped"]`` is
        :data:`orderedness.progress.STOPPED_BY_USER`.

    Raises
    ------
    InputError
        Bad matrix or option, or a problem too large for the method (raised before allocating).

    Examples
    --------
    >>> import numpy as np
    >>> import orderedness as od
    >>> A = np.array([[0, 1, 0], [4, 0, 2], [3, 0, 0]])
    >>> r = od.min_backflow(A)
    >>> r.order.tolist(), r.backflow, r.optimal
    ([1, 2, 0], 1.0, True)
    """
    t0 = perf_counter()
    A = check_square(A, "A")
    check_choice(method, METHODS, "method")
    time_limit = check_time_limit(time_limit)
    seed = check_seed(seed)
    candidates = auto.METHODS if method == "auto" else (method,)
    check_options(options, {"progress", "memory_limit"}.union(*(SOLVERS[m].OPTIONS for m in candidates)),
                  f"method(s) {', '.join(candidates)}")
    progress = options.pop("progress", None)
    names = check_names(names, A.shape[0])
    sparse = issparse(A)
    if method == "brute":
        SOLVERS["brute"].check(A.shape[0])
        result = SOLVERS["brute"].solve(A.toarray() if sparse else A, time_limit=time_limit, seed=seed,
                                        **options)
        result.seconds = perf_counter() - t0
        result.names = _named(names, result.order)
        return result

    red = reduce(A, None if time_limit is None else t0 + time_limit)
    plan = {}
    for k, (comp, arcs) in enumerate(zip(red.components, red.arcs)):
        if len(comp) > 1:
            if method == "auto":
                plan[k] = auto.choose(len(comp), time_limit=time_limit, arcs=arcs, sparse=sparse,
                                      **options)
            else:
                SOLVERS[method].check(len(comp), **options)
                plan[k] = (method, "requested")
            if sparse and plan[k][0] != "sparse":
                check_memory(8 * len(comp) ** 2, options.get("memory_limit"),
                             f"method {plan[k][0]!r} on a sparse component of {len(comp)} nodes (dense)",
                             "use method='sparse' or 'auto'")

    pieces, parts, lower, optimal, stopped = [], [], red.constant, True, None
    for k, comp in enumerate(red.components):
        if k not in plan:
            pieces.append(comp)
            continue
        name, why = plan[k]
        remaining = None if time_limit is None else time_limit - (perf_counter() - t0)
        least = getattr(SOLVERS[name], "least_seconds", lambda size: 0.0)(len(comp))
        if remaining is not None and remaining <= least:
            why = ("time limit reached before this component" if remaining <= 0 else
                   f"{remaining:.3g} s left, {name} needs about {least:.3g} s at n = {len(comp)}")
            name, remaining = "greedy", None
        if stopped and name == "sparse":
            why, remaining = "stopped by the user before this component: construction only", 0.0
        elif stopped and name not in QUICK:
            name, why = "greedy", "stopped by the user before this component"
        sub = red.submatrix(comp, dense=name != "sparse")
        r = _solve_component(name, sub, remaining, seed, options, progress,
                             f"component {len(parts) + 1}/{len(plan)} (n = {len(comp)}) {name}")
        stopped = stopped or r.stats.get("stopped") == STOPPED_BY_USER
        pieces.append(comp[r.order])
        lower += r.lower_bound
        optimal &= r.optimal
        parts.append({"size": len(comp), "method": r.method, "why": why, "optimal": r.optimal,
                      "backflow": r.backflow, "lower_bound": r.lower_bound, "seconds": r.seconds,
                      "time_limit": remaining, **r.stats})

    order = np.concatenate(pieces)
    value = backflow(A, order)
    used = sorted({p["method"] for p in parts})
    name = "+".join(used) if used else (method if method != "auto" else "reductions")
    stats = {"reductions": red.stats(), "solved": parts, "time_limit": time_limit}
    if stopped:
        stats["stopped"] = STOPPED_BY_USER
    return Ordering(order, value, value if optimal else min(lower, value), optimal, name,
                    perf_counter() - t0, stats, _named(names, order))


QUICK = ("dp", "greedy")     # methods that still run on the components left after a Ctrl-C


def _named(names, order):
    return None if names is None else [names[k] for k in order]


def _solve_component(name, sub, time_limit, seed, options, progress, label) -> Ordering:
    """Solve one component with the options its solver takes; a Ctrl-C in a solver that does not
    catch it gives the component the greedy order and marks the result stopped."""
    solver = SOLVERS[name]
    mine = {k: v for k, v in options.items() if k in solver.OPTIONS}
    if progress is not None and "progress" in solver.OPTIONS:
        mine["progress"] = progress.child(label)
    try:
        return solver.solve(sub, time_limit=time_limit, seed=seed, **mine)
    except KeyboardInterrupt:
        r = SOLVERS["greedy"].solve(sub)
        r.stats["stopped"] = STOPPED_BY_USER
        return r
