"""Kernel of the branch-and-cut's fixings: their transitive closure.

A pair ``a < b`` fixed to 1 (``lower = 1``) says "a before b", fixed to 0 (``upper = 0``) "b before a"
(pair-vector order, as in :mod:`orderedness.kernels.dicycles`). Every order that keeps the fixings keeps
their transitive closure too, and no order keeps fixings that close a cycle.
"""
from __future__ import annotations

import numpy as np
from numba import njit

__all__ = ["close_fixings"]


@njit(cache=True, nogil=True)
def close_fixings(lower, upper, n):
    """Fix, in place, every pair the fixed pairs imply by transitivity.

    Parameters
    ----------
    lower, upper : (n(n-1)/2,) float64
        Column bounds of the pairs (pair-vector order); a pair is fixed when they are equal.
    n : int
        Nodes.

    Returns
    -------
    int
        How many pairs were newly fixed, or ``-1`` when the fixings close a cycle: no order keeps
        them (the arrays are then partly updated and must be discarded).
    """
    before = np.zeros((n, n), dtype=np.bool_)
    p = 0
    for a in range(n):
        for b in range(a + 1, n):
            if lower[p] == 1.0:
                before[a, b] = True
            elif upper[p] == 0.0:
                before[b, a] = True
            p += 1
    for k in range(n):
        for i in range(n):
            if before[i, k]:
                for j in range(n):
                    if before[k, j]:
                        before[i, j] = True
    for a in range(n):
        if before[a, a]:
            return -1
    fixed = 0
    p = 0
    for a in range(n):
        for b in range(a + 1, n):
            if before[a, b] and lower[p] < 1.0:
                lower[p] = 1.0
                fixed += 1
            elif before[b, a] and upper[p] > 0.0:
                upper[p] = 0.0
                fixed += 1
            p += 1
    return fixed
