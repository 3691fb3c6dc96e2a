"""Back-flow of an order on a dense matrix in one pass, without copying the matrix (numba)."""
from __future__ import annotations

from numba import njit

__all__ = ["backward_row_sums"]


@njit(cache=True, nogil=True)
def backward_row_sums(A, pos, out):
    """``out[x] = sum of A[x, y] over the y placed before x`` (``pos[y] < pos[x]``): the back-flow
    each node receives; their sum is the back-flow of the order whose positions are `pos`."""
    n = A.shape[0]
    for x in range(n):
        p = pos[x]
        total = 0.0
        for y in range(n):
            if pos[y] < p:
                total += A[x, y]
        out[x] = total
