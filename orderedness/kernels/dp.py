"""Held-Karp style dynamic programme over subsets for the linear ordering problem.

``f[S]`` is the least back-flow of an order whose first ``|S|`` nodes are the set ``S`` (a bit mask).
Appending ``v`` after ``S`` costs ``c(v, S) = sum_{u in S} A[v, u]``. With the diagonal zeroed, the cost
splits over the low ``m`` and the high ``n - m`` bits of the mask, ``c(v, S) = low[S_lo, v] +
high[S_hi, v]``, two tables of ``2^m x n`` and ``2^(n-m) x n`` numbers: O(1) per transition, O(2^n n)
work in all, and nothing of size ``2^n x n`` stored.

Masks sharing their high bits form a block of ``2^m`` consecutive entries of ``f``; a block depends
only on itself and on blocks with one high bit fewer, so blocks whose high part has the same popcount
are independent and run in parallel.
"""
from __future__ import annotations

import numpy as np
from numba import njit, prange
from numba.cpython.unsafe.numbers import trailing_zeros

__all__ = ["half_tables", "dp_all", "dp_blocks", "dp_order", "dp_plain"]


@njit(cache=True)
def half_tables(A, m):
    """``low[s, v] = sum_{b in s} A[v, b]`` over bits ``0..m-1``; ``high`` likewise over bits ``m..n-1``."""
    n = A.shape[0]
    low = np.zeros((1 << m, n))
    high = np.zeros((1 << (n - m), n))
    for b in range(m):
        step = 1 << b
        for s in range(step, 2 * step):
            for v in range(n):
                low[s, v] = low[s - step, v] + A[v, b]
    for b in range(n - m):
        step = 1 << b
        for s in range(step, 2 * step):
            for v in range(n):
                high[s, v] = high[s - step, v] + A[v, m + b]
    return low, high


@njit(cache=True, inline="always")
def _best(f, low, high, S, lo, hi):
    best = np.inf
    x = S
    while x:
        v = trailing_zeros(x)
        x &= x - 1
        c = f[S ^ (np.int64(1) << v)] + low[lo, v] + high[hi, v]
        if c < best:
            best = c
    return best


@njit(cache=True)
def dp_all(f, low, high, m):
    """Fill ``f`` (length ``2^n``) in one sequential pass over the masks in increasing order."""
    mask = (np.int64(1) << m) - 1
    f[0] = 0.0
    for S in range(1, f.shape[0]):
        f[S] = _best(f, low, high, np.int64(S), S & mask, S >> m)


@njit(cache=True, parallel=True)
def dp_blocks(f, low, high, m, blocks):
    """Fill the blocks ``blocks`` (high parts, pairwise independent) of ``f``, in parallel."""
    size = np.int64(1) << m
    for k in prange(blocks.shape[0]):
        hi = np.int64(blocks[k])
        base = hi << m
        for lo in range(size):
            S = base | lo
            if S == 0:
                f[0] = 0.0
            else:
                f[S] = _best(f, low, high, S, lo, hi)


@njit(cache=True)
def dp_order(f, low, high, m, n):
    """Recover an optimal order from a filled ``f`` in O(n^2): peel off the best last node."""
    mask = (np.int64(1) << m) - 1
    order = np.empty(n, dtype=np.int64)
    S = (np.int64(1) << n) - 1
    for pos in range(n - 1, -1, -1):
        lo, hi = S & mask, S >> m
        best, arg = np.inf, np.int64(-1)
        x = S
        while x:
            v = trailing_zeros(x)
            x &= x - 1
            c = f[S ^ (np.int64(1) << v)] + low[lo, v] + high[hi, v]
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
