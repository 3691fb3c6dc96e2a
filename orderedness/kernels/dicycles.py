"""Kernels of the 3-dicycle relaxation: separation, rounding, and Lagrangian ascent.

Pairs ``i < j`` carry ``x[i, j]`` ("i before j") in the upper triangle of an ``(n, n)`` matrix, or in a
pair vector (row-major over the upper triangle, ``np.triu_indices(n, 1)`` order). Both 3-dicycles on ``i < j < k``
are cut off by one ranged row ``0 <= x[i, j] + x[j, k] - x[i, k] <= 1``; a triple ``(i, j, k)``
always means that row.
"""
from __future__ import annotations

import numpy as np
from numba import njit

__all__ = ["before_matrix", "score_order", "violated_triples", "reduced_costs",
           "ascend"]


@njit(cache=True, nogil=True)
def before_matrix(x, n):
    """``X[i, j]`` is ``x`` of pair ``(i, j)`` above the diagonal, ``1 - X[j, i]`` below, zero diagonal."""
    X = np.zeros((n, n))
    k = 0
    for a in range(n):
        for b in range(a + 1, n):
            X[a, b] = x[k]
            X[b, a] = 1.0 - x[k]
            k += 1
    return X


@njit(cache=True, nogil=True)
def score_order(X):
    """An order from fractional "before" values: nodes by ``sum_b X[a, b]``, largest first."""
    n = X.shape[0]
    s = np.empty(n)
    for a in range(n):
        s[a] = -X[a].sum()
    return np.argsort(s, kind="mergesort").astype(np.int64)


@njit(cache=True, nogil=True)
def violated_triples(X, eps, limit, start=0, work=-1):
    """Triples ``i < j < k`` whose row ``X[i,j] + X[j,k] - X[i,k]`` leaves ``[0, 1]`` by more than `eps`.

    Parameters
    ----------
    X : (n, n) float64
        Values of the pairs, upper triangle used.
    eps : float
        Violation tolerance.
    limit : int
        Keep at most this many, the most violated, with no pair in more than ``max(2, limit // n)``
        of them, so that one round spreads over the whole matrix.
    start : int
        First `i` scanned; the scan wraps around (large ``n``: successive calls cover other rows).
    work : int
        Stop the scan after the first `i` whose triples take it past this many, or once it holds
        four times `limit` violated triples (``-1``: scan everything), so that a call at large
        ``n`` takes a bounded time and memory.

    Returns
    -------
    triples : (m, 3) int64
        Most violated first.
    next_start : int
        Where a following partial scan should begin.
    """
    n = X.shape[0]
    count = 0
    found = np.empty((1024, 3), dtype=np.int64)
    viol = np.empty(1024)
    s = 0
    done = 0
    while s < n:
        i = (start + s) % n
        s += 1
        done += (n - i) * (n - i) // 2
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
        if 0 <= work <= done or (work >= 0 and count >= 4 * limit):
            break
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
    return keep[:m], (start + s) % n


@njit(cache=True, nogil=True)
def reduced_costs(C, T, y, m, D):
    """``D = C - G^T y`` over the upper triangle for the first `m` triples `T` with multipliers `y`."""
    n = C.shape[0]
    for i in range(n):
        for j in range(i + 1, n):
            D[i, j] = C[i, j]
    for t in range(m):
        i, j, k = T[t, 0], T[t, 1], T[t, 2]
        D[i, j] -= y[t]
        D[j, k] -= y[t]
        D[i, k] += y[t]


@njit(cache=True, nogil=True)
def _value(c0, D, y, m):
    """The Lagrangian function at `y` (plain float64 sums: used to steer, never as the bound)."""
    n = D.shape[0]
    v = 0.0
    for t in range(m):
        if y[t] < 0.0:
            v += y[t]
    for i in range(n):
        for j in range(i + 1, n):
            if D[i, j] < 0.0:
                v += D[i, j]
    return c0 + v


@njit(cache=True, nogil=True)
def ascend(C, c0, T, y, m, iterations, target, state, patience, Xbar, rate, best_y, direction):
    """Deflected subgradient ascent on the Lagrangian dual of the 3-dicycle rows.

    The rows ``0 <= g_t(x) = x[i,j] + x[j,k] - x[i,k] <= 1`` of the first `m` triples of `T` are
    dualised with free multipliers ``y`` (``y > 0`` prices the lower side, ``y < 0`` the upper); what
    remains, ``0 <= x <= 1``, splits over the pairs, so

        L(y) = c0 + sum_t min(0, y_t) + sum_{i<j} min(0, D[i, j]),   D = C - G^T y,

    is a lower bound on every order for *every* ``y``. The step follows Polyak's rule towards
    `target` (a known order's value), the direction is deflected by half the previous one
    (Camerini, Fratta & Maffioli), and the step scale halves after `patience` steps without a
    better value, the ascent going back to the best point. All state lives in the arrays passed,
    so successive calls (with rows added in between, at zero) continue one ascent.

    Parameters
    ----------
    C : (n, n) float64
        Pair costs in the upper triangle.
    c0 : float
        Constant of the objective.
    T : (cap, 3) int64
        Triples; the first `m` are used.
    y, best_y, direction : (cap,) float64
        Current multipliers, the best ones met, the last direction; updated in place.
    iterations : int
        Steps to take.
    target : float
        Polyak target.
    state : (3,) float64
        ``[step scale, steps since the last improvement, best value]``, updated in place.
    patience : int
        Steps without improvement before the scale halves.
    Xbar : (n, n) float64
        Exponentially averaged Lagrangian solutions (a primal estimate for separation), updated
        in place with weight `rate`.
    rate : float
        Averaging weight of the newest solution.

    Returns
    -------
    float
        The best ``L`` met so far, at `best_y` (rounded in floating point: prove it with
        :func:`orderedness.relaxation.safe_bound` before use).
    """
    n = C.shape[0]
    D = np.empty((n, n))
    scale, stale, best = state[0], state[1], state[2]
    for _ in range(iterations):
        reduced_costs(C, T, y, m, D)
        value = _value(c0, D, y, m)
        if value > best + 1e-12 * abs(value):
            best = value
            best_y[:m] = y[:m]
            stale = 0
        else:
            stale += 1
            if stale >= patience:
                scale *= 0.5
                stale = 0
                y[:m] = best_y[:m]
                direction[:m] = 0.0
                continue
        for i in range(n):
            for j in range(i + 1, n):
                xij = 1.0 if D[i, j] < 0.0 else 0.0
                Xbar[i, j] += rate * (xij - Xbar[i, j])
        norm = 0.0
        for t in range(m):
            i, j, k = T[t, 0], T[t, 1], T[t, 2]
            g = (1.0 if D[i, j] < 0.0 else 0.0) + (1.0 if D[j, k] < 0.0 else 0.0) \
                - (1.0 if D[i, k] < 0.0 else 0.0)
            if y[t] < 0.0:
                st = 1.0 - g
            elif y[t] > 0.0:
                st = -g
            elif g < 0.0:
                st = -g
            elif g > 1.0:
                st = 1.0 - g
            else:
                st = 0.0
            direction[t] = st + 0.5 * direction[t]
            norm += direction[t] * direction[t]
        if norm == 0.0:
            break
        step = scale * max(target - value, 1e-9 * abs(value)) / norm
        for t in range(m):
            y[t] += step * direction[t]
    state[0], state[1], state[2] = scale, stale, best
    return best


@njit(cache=True, nogil=True)
def dual_terms(c, ij, jk, ik, y, lo, hi, indptr, cols, coefs, rhs, z):
    """The pieces of the weak-duality bound of multipliers `y` (see :func:`orderedness.relaxation.safe_bound`).

    Parameters
    ----------
    c : (p,) float64
        Pair costs.
    ij, jk, ik : (m,) int64
        Pair positions of the three entries of each 3-dicycle row (``0 <= row <= 1``).
    y : (m,) float64
        Their multipliers.
    lo, hi : (p,) float64
        Column bounds.
    indptr, cols, coefs, rhs : int64 arrays
        General rows ``sum_t coefs[t] x[cols[t]] <= rhs[r]``, ``t`` in ``indptr[r]:indptr[r+1]`` (CSR).
    z : (len(rhs),) float64
        Their multipliers; a positive one is taken as zero (a row bounded above only bounds through
        ``z <= 0``).

    Returns
    -------
    d : (p,) float64
        Reduced costs ``c - G^T y - H^T min(z, 0)``.
    rows, rows_abs : float
        ``sum_r min(0, y_r) + sum_r min(z_r, 0) rhs_r`` and the sum of its terms' magnitudes.
    cols, cols_abs : float
        ``sum_j min(d_j lo_j, d_j hi_j)`` and the sum of its terms' magnitudes.
    reach : float
        ``sum_j (|c_j| + sum of the magnitudes of the terms subtracted from c_j)``.
    k : int
        Most terms subtracted from one column.
    """
    p = c.shape[0]
    d = c.copy()
    reach = np.abs(c)
    count = np.zeros(p, dtype=np.int64)
    rows = rows_abs = 0.0
    for r in range(y.shape[0]):
        v = y[r]
        a = abs(v)
        d[ij[r]] -= v
        d[jk[r]] -= v
        d[ik[r]] += v
        reach[ij[r]] += a
        reach[jk[r]] += a
        reach[ik[r]] += a
        count[ij[r]] += 1
        count[jk[r]] += 1
        count[ik[r]] += 1
        if v < 0.0:
            rows += v
            rows_abs -= v
    for r in range(z.shape[0]):
        v = min(z[r], 0.0)
        if v == 0.0:
            continue
        for t in range(indptr[r], indptr[r + 1]):
            q = cols[t]
            term = coefs[t] * v
            d[q] -= term
            reach[q] += abs(term)
            count[q] += 1
        term = v * rhs[r]
        rows += term
        rows_abs += abs(term)
    total_cols = total_abs = total = 0.0
    k = 0
    for j in range(p):
        t = min(d[j] * lo[j], d[j] * hi[j])
        total_cols += t
        total_abs += abs(t)
        total += reach[j]
        k = max(k, count[j])
    return d, rows, rows_abs, total_cols, total_abs, total, k
