"""Insertion local search for the linear ordering problem (a small warm start for the exact solvers).

A move takes one node out of the order and puts it back at another position. Moving node ``v`` from
position ``i`` to ``j < i`` passes it in front of the nodes ``u`` at positions ``j..i-1``: each such pair
stops paying ``A[v, u]`` and starts paying ``A[u, v]``. Moving right is the mirror image. Every node's
best move is found in O(n) by a running sum, a full pass costs O(n^2), and passes repeat until no move
lowers the back-flow.
"""
from __future__ import annotations

import numpy as np
from numba import njit

__all__ = ["insertion_local_search"]


@njit(cache=True)
def _best_move(A, order, i):
    """Best new position of the node at position `i` and the back-flow change of moving it there."""
    n = order.shape[0]
    v = order[i]
    best_delta, best_pos = 0.0, i
    delta = 0.0
    for j in range(i - 1, -1, -1):  # move v in front of order[j]
        u = order[j]
        delta += A[u, v] - A[v, u]
        if delta < best_delta:
            best_delta, best_pos = delta, j
    delta = 0.0
    for j in range(i + 1, n):  # move v behind order[j]
        u = order[j]
        delta += A[v, u] - A[u, v]
        if delta < best_delta:
            best_delta, best_pos = delta, j
    return best_pos, best_delta


@njit(cache=True)
def _move(order, i, j):
    """Move the entry at position `i` to position `j`, shifting the ones between."""
    v = order[i]
    if j < i:
        for k in range(i, j, -1):
            order[k] = order[k - 1]
    else:
        for k in range(i, j):
            order[k] = order[k + 1]
    order[j] = v


@njit(cache=True)
def insertion_local_search(A, order):
    """Improve `order` by single-node insertions until none lowers the back-flow.

    Parameters
    ----------
    A : (n, n) float64 ndarray
        Square weight matrix; ``A[x, y]`` is paid when `x` comes after `y`.
    order : (n,) int64 ndarray
        Starting permutation (not modified).

    Returns
    -------
    (n,) int64 ndarray
        A permutation that no single insertion improves, with back-flow at most that of `order`.
    """
    n = order.shape[0]
    out = order.copy()
    scale = 0.0
    for a in range(n):
        for b in range(n):
            scale = max(scale, abs(A[a, b]))
    tol = 1e-12 * scale * n
    improved = True
    while improved:
        improved = False
        for v in order:  # visit every node once per pass, wherever it sits now
            i = 0
            while out[i] != v:
                i += 1
            j, delta = _best_move(A, out, i)
            if delta < -tol:
                _move(out, i, j)
                improved = True
    return out
