"""Independent references for the tests: written from the definitions, sharing no code with the package."""
from __future__ import annotations

from itertools import permutations

import numpy as np


def brute_orderedness(W, o, i, denominator="square"):
    """The seed paper's metric by brute force over all orders of the hidden neurons.

    Permutes rows and columns of |Q| (outputs fixed first), sums the strictly lower triangle.
    Returns (orderedness, least back-flow); orderedness 1.0 when S = 0.
    """
    W = np.asarray(W, dtype=float)
    n = W.shape[0]
    Q = np.abs(W[:, :n])
    S = Q.sum() if denominator == "square" else np.abs(W).sum()
    P = np.array([list(range(o)) + list(p) for p in permutations(range(o, n))])
    later, earlier = np.tril_indices(n, -1)          # positions a > b
    best = Q[P[:, later], P[:, earlier]].sum(axis=1).min()
    return (1.0 if S == 0 else 1.0 - best / S), best


def brute_min_backflow(A):
    """Least back-flow over all orders of a square matrix: sum of A[x, y] with x placed after y."""
    A = np.asarray(A, dtype=float)
    n = len(A)
    return min(sum(A[p[a], p[b]] for a in range(n) for b in range(a)) for p in permutations(range(n)))


def reference_dp(A):
    """Least back-flow by a numpy subset DP layered by popcount (O(2^n n^2) memory-hungry style)."""
    A = np.asarray(A, dtype=float).copy()
    np.fill_diagonal(A, 0.0)
    n = len(A)
    masks = np.arange(1 << n)
    bits = ((masks[:, None] >> np.arange(n)) & 1).astype(float)      # bits[S, u]
    cost = bits @ A.T                                                   # cost[S, v] = sum_{u in S} A[v, u]
    f = np.full(1 << n, np.inf)
    f[0] = 0.0
    popcount = bits.sum(axis=1)
    v = np.arange(n)
    for k in range(1, n + 1):
        S = masks[popcount == k]
        prev = S[:, None] ^ (1 << v)[None, :]
        inside = ((S[:, None] >> v) & 1).astype(bool)
        vals = np.where(inside, f[prev] + cost[prev, v[None, :]], np.inf)
        f[S] = vals.min(axis=1)
    return f[-1]


def lower_sum(A, order):
    """Back-flow of an order, from the definition."""
    A = np.asarray(A, dtype=float)
    return sum(A[order[a], order[b]] for a in range(len(order)) for b in range(a))


KINDS = ("dense", "signed", "sparse", "ties", "integer")   # the instance kinds the bounds are tested on


def instance(rng, n, kind):
    """A random ``n x n`` LOP instance of one of :data:`KINDS`, zero diagonal."""
    if kind == "dense":
        A = np.abs(rng.standard_normal((n, n)))
    elif kind == "signed":
        A = rng.standard_normal((n, n))
    elif kind == "sparse":
        A = np.abs(rng.standard_normal((n, n))) * (rng.random((n, n)) < 0.3)
    elif kind == "ties":
        A = rng.integers(0, 3, (n, n)).astype(float)
    else:
        A = rng.integers(-4, 9, (n, n)).astype(float)
    np.fill_diagonal(A, 0.0)
    return A


def slack(A):
    """Tolerance of a bound compared with an optimum: the solvers' float rounding on `A`."""
    return 1e-9 * (np.abs(A).sum() + 1.0)
