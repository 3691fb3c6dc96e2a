"""Greedy constructions of an order, O(n^2) each (numba)."""
from __future__ import annotations

import numpy as np
from numba import njit

__all__ = ["becker_order", "els_order"]


@njit(cache=True, nogil=True)
def _weighted_degrees(A):
    """Out-weight and in-weight of every node (diagonal excluded)."""
    n = A.shape[0]
    out = np.zeros(n)
    inn = np.zeros(n)
    for x in range(n):
        for y in range(n):
            if x != y:
                out[x] += A[x, y]
                inn[y] += A[x, y]
    return out, inn


@njit(cache=True, nogil=True)
def becker_order(A):
    """Becker's rule, iterated: put first the node with the largest ratio out-weight / in-weight.

    Weights count only nodes not yet placed; a node with no in-weight left is a source and goes first
    (the largest out-weight first among sources).
    """
    n = A.shape[0]
    out, inn = _weighted_degrees(A)
    placed = np.zeros(n, dtype=np.bool_)
    order = np.empty(n, dtype=np.int64)
    for k in range(n):
        best, arg, best_source = -1.0, -1, False
        for x in range(n):
            if placed[x]:
                continue
            source = inn[x] <= 0.0
            r = out[x] if source else out[x] / inn[x]
            if arg < 0 or (source and not best_source) or (source == best_source and r > best):
                best, arg, best_source = r, x, source
        order[k] = arg
        placed[arg] = True
        for y in range(n):
            out[y] -= A[y, arg]
            inn[y] -= A[arg, y]
    return order


@njit(cache=True, nogil=True)
def els_order(A):
    """Eades-Lin-Smyth, weighted: sinks go to the back, sources to the front, otherwise the node
    with the largest out-weight minus in-weight goes to the front.
    """
    n = A.shape[0]
    out, inn = _weighted_degrees(A)
    placed = np.zeros(n, dtype=np.bool_)
    order = np.empty(n, dtype=np.int64)
    front, back = 0, n - 1
    while front <= back:
        pick, to_back = -1, False
        for x in range(n):
            if not placed[x] and out[x] <= 0.0:
                pick, to_back = x, True
                break
        if pick < 0:
            for x in range(n):
                if not placed[x] and inn[x] <= 0.0:
                    pick = x
                    break
        if pick < 0:
            best = -np.inf
            for x in range(n):
                if not placed[x] and out[x] - inn[x] > best:
                    best, pick = out[x] - inn[x], x
        if to_back:
            order[back] = pick
            back -= 1
        else:
            order[front] = pick
            front += 1
        placed[pick] = True
        for y in range(n):
            out[y] -= A[y, pick]
            inn[y] -= A[pick, y]
    return order
