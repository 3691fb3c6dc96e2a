"""Kernels of the linear-ordering branch-and-cut: pair variables, 3-dicycle separation, rounding.

Pair variable ``x[k]`` for ``a < b`` (``k = a n - a (a + 1) / 2 + b - a - 1``, row-major over the upper
triangle, the order of ``np.triu_indices(n, 1)``) is 1 when `a` comes before `b`. ``P[a, b]`` is "a before b": ``x`` above the diagonal, ``1 - x`` below it. A
3-dicycle ``a -> b -> c -> a`` is cut off by ``P[a, b] + P[b, c] + P[c, a] <= 2``; together with the
bounds these inequalities describe exactly the orders when ``x`` is integral.
"""
from __future__ import annotations

import numpy as np
from numba import njit

__all__ = ["before_matrix", "violated_triangles", "triangle_rows", "score_order"]


@njit(cache=True)
def before_matrix(x, n):
    """``P[a, b]``: the value of "a before b" in the pair vector `x` (zero diagonal)."""
    P = np.zeros((n, n))
    k = 0
    for a in range(n):
        for b in range(a + 1, n):
            P[a, b] = x[k]
            P[b, a] = 1.0 - x[k]
            k += 1
    return P


@njit(cache=True)
def violated_triangles(P, eps, limit):
    """The at most `limit` most violated 3-dicycle inequalities ``P[a,b] + P[b,c] + P[c,a] <= 2``.

    Parameters
    ----------
    P : (n, n) float64 ndarray
        "Before" values (see :func:`before_matrix`).
    eps : float
        Violations up to `eps` are ignored.
    limit : int
        Largest number of inequalities returned; at most ``max(1, limit // n)`` share any one node
        pair, so that one round cuts in many places of the matrix.

    Returns
    -------
    (k, 3) int64 ndarray
        Rows ``(a, b, c)``, most violated first.
    """
    n = P.shape[0]
    cap = 1024
    cyc = np.empty((cap, 3), dtype=np.int64)
    viol = np.empty(cap)
    k = 0
    for i in range(n):
        for j in range(i + 1, n):
            pij = P[i, j]
            for l in range(j + 1, n):
                v1 = pij + P[j, l] + P[l, i] - 2.0      # i -> j -> l -> i
                v2 = P[i, l] + P[l, j] + P[j, i] - 2.0  # i -> l -> j -> i
                if v1 > eps or v2 > eps:
                    if k + 2 > cap:
                        cap *= 2
                        cyc2 = np.empty((cap, 3), dtype=np.int64)
                        cyc2[:k] = cyc[:k]
                        viol2 = np.empty(cap)
                        viol2[:k] = viol[:k]
                        cyc, viol = cyc2, viol2
                    if v1 > eps:
                        cyc[k, 0], cyc[k, 1], cyc[k, 2] = i, j, l
                        viol[k] = v1
                        k += 1
                    if v2 > eps:
                        cyc[k, 0], cyc[k, 1], cyc[k, 2] = i, l, j
                        viol[k] = v2
                        k += 1
    rank = np.argsort(-viol[:k], kind="mergesort")
    per_pair = max(1, limit // n)
    used = np.zeros((n, n), dtype=np.int64)
    out = np.empty((min(k, limit), 3), dtype=np.int64)
    m = 0
    for r in rank:
        if m == limit:
            break
        a, b, c = cyc[r, 0], cyc[r, 1], cyc[r, 2]
        if used[a, b] >= per_pair or used[b, c] >= per_pair or used[c, a] >= per_pair:
            continue
        used[a, b] += 1
        used[b, c] += 1
        used[c, a] += 1
        out[m] = cyc[r]
        m += 1
    return out[:m]


@njit(cache=True)
def triangle_rows(cycles, n):
    """Rows ``(columns, coefficients, right-hand side)`` of the 3-dicycle inequalities of `cycles`.

    ``P[u, w]`` is ``x[k]`` when ``u < w`` and ``1 - x[k]`` otherwise, so each row has three entries of
    +-1 and the right-hand side ``2 - (number of reversed arcs)``.
    """
    m = cycles.shape[0]
    cols = np.empty((m, 3), dtype=np.int32)
    vals = np.empty((m, 3))
    rhs = np.empty(m)
    for r in range(m):
        rhs[r] = 2.0
        for e in range(3):
            u, w = cycles[r, e], cycles[r, (e + 1) % 3]
            if u < w:
                cols[r, e] = u * n - u * (u + 1) // 2 + w - u - 1
                vals[r, e] = 1.0
            else:
                cols[r, e] = w * n - w * (w + 1) // 2 + u - w - 1
                vals[r, e] = -1.0
                rhs[r] -= 1.0
    return cols, vals, rhs


@njit(cache=True)
def score_order(P):
    """An order from fractional "before" values: nodes by ``sum_b P[a, b]`` (how much a precedes), largest first."""
    n = P.shape[0]
    s = np.empty(n)
    for a in range(n):
        s[a] = -P[a].sum()
    return np.argsort(s, kind="mergesort").astype(np.int64)
