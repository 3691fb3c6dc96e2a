"""Separation of 3-dicycle inequalities for the LP relaxation of the linear ordering problem.

With ``x[i, j]`` (``i < j``) meaning "i comes before j", both 3-dicycles on ``i < j < k`` are cut
off by the one ranged row ``0 <= x[i, j] + x[j, k] - x[i, k] <= 1``.
"""
from __future__ import annotations

import numpy as np
from numba import njit

__all__ = ["violated_triples"]


@njit(cache=True, nogil=True)
def violated_triples(X, eps, limit):
    """Triples ``i < j < k`` whose row ``X[i,j] + X[j,k] - X[i,k]`` leaves ``[0, 1]`` by more than `eps`.

    Parameters
    ----------
    X : (n, n) float64
        LP values, upper triangle used.
    eps : float
        Violation tolerance.
    limit : int
        Keep at most this many, the most violated ones, with no pair ``(i, j)`` in more than
        ``max(2, limit // n)`` of them, so that one round spreads over the whole matrix.

    Returns
    -------
    (m, 3) int64
        The triples, most violated first.
    """
    n = X.shape[0]
    count = 0
    cap = 1 << 16
    found = np.empty((cap, 3), dtype=np.int64)
    viol = np.empty(cap)
    for i in range(n):
        for j in range(i + 1, n):
            xij = X[i, j]
            for k in range(j + 1, n):
                v = xij + X[j, k] - X[i, k]
                w = v - 1.0 if v > 1.0 else -v
                if w > eps:
                    if count == found.shape[0]:
                        bigger = np.empty((2 * count, 3), dtype=np.int64)
                        bigger[:count] = found
                        found = bigger
                        more = np.empty(2 * count)
                        more[:count] = viol
                        viol = more
                    found[count, 0], found[count, 1], found[count, 2] = i, j, k
                    viol[count] = w
                    count += 1
    order = np.argsort(-viol[:count], kind="mergesort")
    per_pair = max(2, limit // max(n, 1))
    used = np.zeros((n, n), dtype=np.int32)
    keep = np.empty((min(limit, count), 3), dtype=np.int64)
    m = 0
    for t in range(count):
        if m == keep.shape[0]:
            break
        i, j, k = found[order[t], 0], found[order[t], 1], found[order[t], 2]
        if used[i, j] >= per_pair or used[j, k] >= per_pair or used[i, k] >= per_pair:
            continue
        used[i, j] += 1
        used[j, k] += 1
        used[i, k] += 1
        keep[m] = found[order[t]]
        m += 1
    return keep[:m]
