"""Held-Karp style dynamic programme over subsets for the linear ordering problem.

``f[S]`` is the least back-flow of an order whose first ``|S|`` nodes are the set ``S`` (a bit mask):
``f[S] = min_{v in S} f[S - v] + c(v, S)`` with ``c(v, S) = sum_{u in S} A[v, u]`` (diagonal zeroed).

Layout. A mask ``S`` splits into a *prefix* ``P = S >> t`` and a *lane* ``S & (2^t - 1)``. The cost
splits the same way, ``c(v, S) = cP[v] + lane_cost[v, lane]``, where ``cP`` (one number per node,
from two half tables over the prefix bits) is computed once per prefix and ``lane_cost`` is a small
``n x 2^t`` table: O(1) per transition, O(2^n n) work, nothing of size ``2^n x n`` stored. For the
nodes of the prefix, ``f[S - v]`` lies in an earlier prefix row, so the ``2^t`` lanes are updated by
one branch-free, vectorisable loop per node; only the ``t`` lane nodes need the bit-by-bit loop.

Parallelism. Masks sharing their top ``n - m`` bits form a block; a block depends only on itself and
on blocks with one top bit fewer, so blocks whose top part has the same popcount run in parallel.
"""
from __future__ import annotations

import numpy as np
from numba import njit, prange
from numba.cpython.unsafe.numbers import trailing_zeros

__all__ = ["LANE_BITS", "bit_table", "dp_serial", "dp_blocks", "dp_order", "dp_plain"]

LANE_BITS = 8


@njit(cache=True)
def bit_table(A, first, bits):
    """``tab[s, v] = sum_{b in s} A[v, first + b]`` for every mask ``s`` over `bits` bits."""
    n = A.shape[0]
    tab = np.zeros((1 << bits, n))
    for b in range(bits):
        step = 1 << b
        for s in range(step, 2 * step):
            for v in range(n):
                tab[s, v] = tab[s - step, v] + A[v, first + b]
    return tab


@njit(cache=True, inline="always")
def _fill_prefix(f, lane_cost, mid, high, t, a, P, cP, g):
    """Fill ``f`` for the ``2^t`` masks with prefix ``P`` (all earlier prefixes must be final)."""
    n = lane_cost.shape[0]
    L = np.int64(1) << t
    midmask = (np.int64(1) << a) - 1
    for v in range(n):
        cP[v] = mid[P & midmask, v] + high[P >> a, v]
    for lane in range(L):
        g[lane] = np.inf
    x = P
    while x:                                   # prefix nodes: one vectorisable pass each
        j = trailing_zeros(x)
        x &= x - 1
        v = t + j
        prev = (P ^ (np.int64(1) << j)) << t
        c = cP[v]
        for lane in range(L):
            g[lane] = min(g[lane], f[prev + lane] + (c + lane_cost[v, lane]))
    if P == 0:
        g[0] = 0.0                             # the empty set
    base = P << t
    for lane in range(L):                      # lane nodes: bit by bit, in increasing mask order
        best = g[lane]
        y = lane
        while y:
            b = trailing_zeros(y)
            y &= y - 1
            best = min(best, f[base + (lane ^ (np.int64(1) << b))] + (cP[b] + lane_cost[b, lane]))
        f[base + lane] = best


@njit(cache=True)
def dp_serial(f, lane_cost, mid, high, t, a):
    """Fill all of ``f`` (length ``2^n``), prefix by prefix, on one thread."""
    n = lane_cost.shape[0]
    cP = np.empty(n)
    g = np.empty(np.int64(1) << t)
    for P in range(np.int64(f.shape[0]) >> t):
        _fill_prefix(f, lane_cost, mid, high, t, a, np.int64(P), cP, g)


@njit(cache=True, parallel=True)
def dp_blocks(f, lane_cost, mid, high, t, a, m, blocks):
    """Fill the blocks ``blocks`` (top parts ``S >> m``, pairwise independent) of ``f``, in parallel."""
    n = lane_cost.shape[0]
    rows = np.int64(1) << (m - t)
    for k in prange(blocks.shape[0]):
        cP = np.empty(n)
        g = np.empty(np.int64(1) << t)
        first = np.int64(blocks[k]) * rows
        for P in range(first, first + rows):
            _fill_prefix(f, lane_cost, mid, high, t, a, P, cP, g)


@njit(cache=True)
def dp_order(f, A):
    """Recover an optimal order from a filled ``f``: peel off the best last node, O(n^3)."""
    n = A.shape[0]
    order = np.empty(n, dtype=np.int64)
    S = (np.int64(1) << n) - 1
    for pos in range(n - 1, -1, -1):
        best, arg = np.inf, -1
        for v in range(n):
            if S >> v & 1:
                c = f[S ^ (np.int64(1) << v)]
                for u in range(n):
                    if S >> u & 1:
                        c += A[v, u]
                if c < best:
                    best, arg = c, v
        order[pos] = arg
        S ^= np.int64(1) << arg
    return order


@njit(cache=True)
def dp_plain(A):
    """Textbook O(2^n n^2) subset DP (summing each transition's cost afresh): a benchmark baseline."""
    n = A.shape[0]
    f = np.full(1 << n, np.inf)
    f[0] = 0.0
    for S in range(1, 1 << n):
        for v in range(n):
            if S >> v & 1:
                prev = S ^ (1 << v)
                c = f[prev]
                for u in range(n):
                    if prev >> u & 1:
                        c += A[v, u]
                if c < f[S]:
                    f[S] = c
    return f[(1 << n) - 1]
