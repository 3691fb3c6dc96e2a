"""Pairwise normalisation of a dense matrix and the arcs it leaves, in place of several numpy passes
(each of which allocates an ``n x n`` array) (numba)."""
from __future__ import annotations

from numba import njit

__all__ = ["normalise", "arcs_of"]

BLOCK = 64   # the pairs are visited in square blocks, so that A[y, x] is read from cache


@njit(cache=True, nogil=True)
def normalise(A, N, pair_rows):
    """``N = A - min(A, A.T)`` with a zero diagonal; ``pair_rows[x] = sum_{y > x} min(A[x, y], A[y, x])``
    (their sum is the constant every order pays). An `N` of shape ``(0, 0)`` is not written."""
    n = A.shape[0]
    write = N.shape[0] > 0
    for x in range(n):
        if write:
            N[x, x] = 0.0
        pair_rows[x] = 0.0
    for bx in range(0, n, BLOCK):
        for by in range(bx, n, BLOCK):
            for x in range(bx, min(bx + BLOCK, n)):
                total = 0.0
                for y in range(max(by, x + 1), min(by + BLOCK, n)):
                    a = A[x, y]
                    b = A[y, x]
                    m = a if a < b else b
                    total += m
                    if write:
                        N[x, y] = a - m
                        N[y, x] = b - m
                pair_rows[x] += total


@njit(cache=True, nogil=True)
def arcs_of(N, indptr, indices):
    """The arcs ``N[x, y] > 0`` in CSR form: with `indices` None-sized (length 0), fill ``indptr[1:]``
    with the row counts (cumulated); else fill `indices` (sorted within each row)."""
    n = N.shape[0]
    if indices.shape[0] == 0:
        for x in range(n):
            c = 0
            for y in range(n):
                if N[x, y] > 0:
                    c += 1
            indptr[x + 1] = indptr[x] + c
        return
    for x in range(n):
        k = indptr[x]
        for y in range(n):
            if N[x, y] > 0:
                indices[k] = y
                k += 1
