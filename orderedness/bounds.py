"""Proven lower bounds on back-flow: the pairwise bound and the 3-dicycle LP relaxation.

The LP has one variable ``x[i, j]`` in ``[0, 1]`` per pair ``i < j`` ("i before j") and minimises
``sum_{i<j} A[i, j] + (A[j, i] - A[i, j]) x[i, j]`` subject to the 3-dicycle rows
``0 <= x[i, j] + x[j, k] - x[i, k] <= 1``, added lazily (most violated first) and re-solved by the dual
simplex of HiGHS. Every order is a feasible 0/1 point, so the LP value bounds back-flow from below.

The bound is never taken from the solver's reported objective. It is recomputed from the row duals
``y``: for *any* ``y``, weak duality gives

    c0 + sum_r min(y_r l_r, y_r u_r) + sum_j min(0, c_j - (G^T y)_j)  <=  every feasible value,

so the bound is valid even when a solve stops early or its duals are slightly off. Rounding errors of
the float64 arithmetic are covered by subtracting a proven error bound (see ``_dual_bound``); with
integer weights the bound is then rounded up to the next integer.
"""
from __future__ import annotations

import math
import os
import sys
from time import perf_counter

import numpy as np

from .backflow import pairwise_bound
from .kernels.cuts import violated_triples

__all__ = ["pairwise_bound", "lp_bound", "LP_MAX_N"]

LP_MAX_N = 400          # above this the LP (n^2/2 columns, O(n^3) separation) does not pay off
_EPS = 1e-6             # violation that counts when separating


def lp_bound(A: np.ndarray, *, time_limit: float = 1.0, upper=None, report=None,
             max_rounds: int = 1000) -> tuple[float, dict]:
    """Lower bound on the least back-flow of `A` from the 3-dicycle LP relaxation.

    Parameters
    ----------
    A : (n, n) ndarray
        Square float64 matrix (any signs; the diagonal is ignored).
    time_limit : float
        Seconds for the whole cutting-plane loop; the best bound so far is returned when reached.
    upper : float or callable, optional
        Back-flow of a known order, or a function returning the current one (a search running
        meanwhile): the loop stops once the bound proves it optimal.
    report : callable, optional
        Called with each improved bound as soon as it is proven.
    max_rounds : int
        Most separation rounds.

    Returns
    -------
    bound : float
        A proven lower bound (``-inf`` never: at worst the pairwise bound).
    stats : dict
        ``rounds``, ``cuts``, ``lp_value`` (the last LP objective), ``status`` and ``seconds``.

    Examples
    --------
    >>> import numpy as np
    >>> A = np.array([[0., 1, 0], [0, 0, 1], [1, 0, 0]])   # a 3-cycle: one arc must go back
    >>> lp_bound(A)[0]
    1.0
    """
    t0 = perf_counter()
    upper_now = upper if callable(upper) else (lambda: np.inf if upper is None else upper)
    A = np.asarray(A, dtype=np.float64)
    n = A.shape[0]
    floor = pairwise_bound(A)
    stats = {"rounds": 0, "cuts": 0, "lp_value": None, "status": "not run", "seconds": 0.0}
    if n < 3:
        stats["status"] = "n < 3: pairwise bound is exact"
        return floor, stats
    try:
        h = _highs()
    except ImportError:
        stats["status"] = "highspy not installed: pairwise bound only"
        return floor, stats
    integral = bool(np.all(A == np.round(A)))
    iu, ju = np.triu_indices(n, 1)
    col = np.full((n, n), -1, dtype=np.int32)
    col[iu, ju] = np.arange(len(iu), dtype=np.int32)
    c0 = math.fsum(A[iu, ju])                  # exactly rounded: the margin covers it
    cost = A[ju, iu] - A[iu, ju]
    h.addCols(len(cost), cost, np.zeros(len(cost)), np.ones(len(cost)), 0,
              np.array([], dtype=np.int32), np.array([], dtype=np.int32), np.array([]))
    rows = []                                   # triples added, in row order
    best = floor
    limit = 30 * n
    while stats["rounds"] < max_rounds:
        left = time_limit - (perf_counter() - t0)
        if left <= 0:
            stats["status"] = "time limit"
            break
        h.setOptionValue("time_limit", h.getRunTime() + left)   # HiGHS's clock adds up all runs
        h.run()
        sol = h.getSolution()
        x = np.asarray(sol.col_value)
        y = np.asarray(sol.row_dual)
        stats["lp_value"] = c0 + float(h.getInfo().objective_function_value)
        if sol.dual_valid and len(y) == len(rows):
            bound = _dual_bound(c0, cost, y, np.asarray(rows, dtype=np.int64).reshape(-1, 3), col, integral)
            if bound > best:
                best = bound
                if report is not None:
                    report(best)
        if best >= upper_now():
            stats["status"] = "bound meets the order given"
            break
        if h.modelStatusToString(h.getModelStatus()) != "Optimal":
            stats["status"] = h.modelStatusToString(h.getModelStatus()).lower()
            break
        X = np.zeros((n, n))
        X[iu, ju] = x
        new = violated_triples(X, _EPS, limit)
        if len(new) == 0:
            stats["status"] = "optimal: no violated 3-dicycle"
            break
        _add_rows(h, new, col)
        rows.extend(map(tuple, new))
        stats["rounds"] += 1
    stats["cuts"] = len(rows)
    stats["seconds"] = perf_counter() - t0
    return min(best, upper_now()), stats


def _dual_bound(c0, cost, y, triples, col, integral) -> float:
    """Weak-duality bound for row duals `y`, rounded down safely (see the module docstring).

    The reduced costs ``d = cost - G^T y`` are accumulated column by column, ``k + 1`` terms for a
    column in ``k`` rows, so each is off by at most ``(k + 1) u (|cost_j| + sum |y_r|)`` (``u`` the unit
    roundoff, doubled here for slack); ``min(0, .)`` does not enlarge errors and the final sums are
    exactly rounded (``math.fsum``), so subtracting that total, plus the final roundings, is safe.
    """
    d = cost.copy()
    reach = np.abs(cost)
    k = 0
    if len(y):
        ij, jk, ik = (col[triples[:, 0], triples[:, 1]], col[triples[:, 1], triples[:, 2]],
                      col[triples[:, 0], triples[:, 2]])
        np.subtract.at(d, ij, y)
        np.subtract.at(d, jk, y)
        np.add.at(d, ik, y)
        for c in (ij, jk, ik):
            np.add.at(reach, c, np.abs(y))
        k = int(np.bincount(np.concatenate([ij, jk, ik])).max())
    rows_part = np.minimum(0.0, y)              # rows are 0 <= g <= 1: min(0 * y, 1 * y)
    value = math.fsum([c0, math.fsum(rows_part), math.fsum(np.minimum(0.0, d))])
    u = np.finfo(np.float64).eps
    value -= 2 * u * ((k + 1) * math.fsum(reach) + 4 * abs(value) + abs(c0)) + 1e-300
    return float(math.ceil(value)) if integral else value


def _add_rows(h, triples, col) -> None:
    """Add the rows ``0 <= x[i,j] + x[j,k] - x[i,k] <= 1`` of `triples`."""
    m = len(triples)
    idx = np.empty((m, 3), dtype=np.int32)
    idx[:, 0] = col[triples[:, 0], triples[:, 1]]
    idx[:, 1] = col[triples[:, 1], triples[:, 2]]
    idx[:, 2] = col[triples[:, 0], triples[:, 2]]
    vals = np.tile(np.array([1.0, 1.0, -1.0]), m)
    h.addRows(m, np.zeros(m), np.ones(m), 3 * m, np.arange(0, 3 * m, 3, dtype=np.int32),
              idx.ravel(), vals)


def _highs():
    """A silent HiGHS instance (its first construction prints a banner on the C stdout; hide it)."""
    import highspy

    sys.stdout.flush()
    saved = os.dup(1)
    try:
        with open(os.devnull, "w") as null:
            os.dup2(null.fileno(), 1)
            h = highspy.Highs()
    finally:
        os.dup2(saved, 1)
        os.close(saved)
    h.setOptionValue("output_flag", False)
    h.setOptionValue("threads", 1)
    return h
