"""Kernels of the triangle packing bound: bitsets of the heavy arcs, counts, and water-filling pushes.

Each pair of nodes has at most one *heavy arc*, ``a -> b`` when ``A[a, b] > A[b, a]`` (``G[a, b]``
true), with residual capacity ``R[a, b] = R[b, a]`` (both halves hold it). An arc is *alive* while
its residual is positive; a *triangle* is a cyclic triangle ``i -> j -> k -> i`` of alive heavy arcs.
Alive arcs are kept as rows of 64-bit words: bit ``b`` of ``out_bits[a]`` for the arc ``a -> b``,
of ``in_bits[a]`` for the arc ``b -> a``; so the triangles through the arc ``i -> j`` are the bits of
``out_bits[j] & in_bits[i]``.

A round of water-filling counts the alive triangles through each arc (:func:`count_triangles`),
then gives every alive triangle ``min`` over its three arcs of ``residual / count``
(:func:`push_triangles`): the triangles through an arc then take at most its residual. Both kernels
work on a slice of rows, so a caller can stop between slices; a push stopped after some rows has
given a subset of the round's triangles, which still fits the residuals. :func:`settle` adds the
round's usage, updates the residuals and sums the terms of the bound
(:func:`orderedness.relaxation.packing_bound`) in one pass.
"""
from __future__ import annotations

import numpy as np
from numba import njit, types
from numba.extending import intrinsic

__all__ = ["arc_bits", "count_triangles", "push_triangles", "settle"]

WORD = 64               # bits of one word of a bitset


@intrinsic
def _popcount(typingctx, x):
    """Set bits of a uint64 (LLVM's ctpop)."""

    def codegen(context, builder, signature, args):
        return builder.ctpop(args[0])

    return types.uint64(types.uint64), codegen


@intrinsic
def _trailing_zeros(typingctx, x):
    """Index of the lowest set bit of a non-zero uint64 (LLVM's cttz)."""

    def codegen(context, builder, signature, args):
        from llvmlite import ir
        return builder.cttz(args[0], ir.Constant(ir.IntType(1), 1))

    return types.uint64(types.uint64), codegen


@njit(cache=True, nogil=True)
def arc_bits(G, R, out_bits, in_bits) -> int:
    """Fill the bitsets of the alive heavy arcs (``G[a, b]`` and ``R[a, b] > 0``); return their number."""
    n = G.shape[0]
    out_bits[:] = 0
    in_bits[:] = 0
    one = np.uint64(1)
    alive = 0
    for a in range(n):
        for b in range(n):
            if G[a, b] and R[a, b] > 0.0:
                out_bits[a, b // WORD] |= one << np.uint64(b % WORD)
                in_bits[b, a // WORD] |= one << np.uint64(a % WORD)
                alive += 1
    return alive


@njit(cache=True, nogil=True)
def count_triangles(out_bits, in_bits, R, X, first, last) -> int:
    """For every alive arc ``i -> j`` with ``first <= i < last``: ``X[i, j] = X[j, i] = R[i, j] / t``
    with ``t`` the alive triangles through it (0 when there is none); return the sum of the ``t``."""
    words = out_bits.shape[1]
    total = 0
    for i in range(first, last):
        for w in range(words):
            bits = out_bits[i, w]
            while bits:
                j = w * WORD + np.int64(_trailing_zeros(bits))
                bits &= bits - np.uint64(1)
                t = np.uint64(0)
                for v in range(words):
                    t += _popcount(out_bits[j, v] & in_bits[i, v])
                x = R[i, j] / np.float64(t) if t else 0.0
                X[i, j] = x
                X[j, i] = x
                total += np.int64(t)
    return total


@njit(cache=True, nogil=True)
def push_triangles(out_bits, in_bits, X, U, first, last) -> tuple[float, int]:
    """Give each alive triangle whose least node is in ``[first, last)`` the amount
    ``min(X[i, j], X[j, k], X[i, k])``, added to ``U`` at ``[i, j]``, ``[j, k]`` and ``[i, k]``
    (a pair's usage is ``U[a, b] + U[b, a]``); return the sum given and the triangles served."""
    words = out_bits.shape[1]
    given = 0.0
    served = 0
    full = ~np.uint64(0)
    for i in range(first, last):
        w0 = (i + 1) // WORD
        above = full << np.uint64((i + 1) % WORD)        # bits of the nodes after i in word w0
        for w in range(w0, words):
            bits = out_bits[i, w] & above if w == w0 else out_bits[i, w]
            while bits:
                j = w * WORD + np.int64(_trailing_zeros(bits))
                bits &= bits - np.uint64(1)
                xij = X[i, j]
                for v in range(w0, words):
                    ks = out_bits[j, v] & in_bits[i, v]
                    if v == w0:
                        ks &= above
                    while ks:
                        k = v * WORD + np.int64(_trailing_zeros(ks))
                        ks &= ks - np.uint64(1)
                        d = min(xij, X[j, k], X[i, k])
                        U[i, j] += d
                        U[j, k] += d
                        U[i, k] += d
                        given += d
                        served += 1
    return given, served


@njit(cache=True, nogil=True)
def settle(U, used, D, R, dead) -> tuple[float, float, float]:
    """Add a round's usage ``U[a, b] + U[b, a]`` to ``used`` and set ``R = D - used`` (0 below ``dead``
    times ``D``), both halves; return ``sum U``, ``sum f`` and ``sum |f|`` over the pairs ``a < b``,
    ``f = U/3 + min(0, D - U)`` with ``U`` the usage (the packing bound's terms)."""
    n = U.shape[0]
    sum_u, sum_f, abs_f = 0.0, 0.0, 0.0
    for a in range(n):
        for b in range(a + 1, n):
            u = used[a, b] + (U[a, b] + U[b, a])
            used[a, b] = u
            used[b, a] = u
            d = D[a, b]
            r = d - u
            if r <= dead * d:
                r = 0.0
            R[a, b] = r
            R[b, a] = r
            f = u / 3.0 + min(0.0, d - u)
            sum_u += u
            sum_f += f
            abs_f += abs(f)
    return sum_u, sum_f, abs_f
