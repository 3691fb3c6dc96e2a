"""Back-flow of an order: the one place that evaluates it, and the pairwise bound."""
from __future__ import annotations

import numpy as np
from scipy.sparse import issparse

from .kernels.backflow import backward_row_sums
from .kernels.normalise import normalise

__all__ = ["backflow", "pairwise_bound"]


def backflow(A: np.ndarray, order) -> float:
    """Back-flow of `order` on `A`: the strictly lower-triangular sum of ``A[order][:, order]``.

    Entry ``A[x, y]`` counts when `x` comes after `y` in `order`; the diagonal never counts.

    Parameters
    ----------
    A : (n, n) array_like or scipy.sparse matrix
        Square weight matrix (signed entries allowed); a sparse one is never densified.
    order : sequence of int
        A permutation of ``range(n)``; ``order[0]`` comes first.

    Returns
    -------
    float

    Examples
    --------
    >>> import numpy as np
    >>> A = np.array([[0, 2], [5, 0]])
    >>> backflow(A, [0, 1]), backflow(A, [1, 0])
    (5.0, 2.0)
    """
    order = np.asarray(order, dtype=np.intp)
    if issparse(A):
        C = A.tocoo()
        pos = np.empty(C.shape[0], dtype=np.intp)
        pos[order] = np.arange(len(order))
        return float(C.data[pos[C.row] > pos[C.col]].sum(dtype=np.float64))
    A = np.ascontiguousarray(A, dtype=np.float64)
    pos = np.empty(len(order), dtype=np.int64)
    pos[order] = np.arange(len(order))
    rows = np.empty(len(order))
    backward_row_sums(A, pos, rows)            # one pass over A, no copy of it (n = 5000: 1.5 s -> 0.1 s)
    return float(rows.sum())


def pairwise_bound(A: np.ndarray) -> float:
    """The pairwise lower bound on back-flow: ``sum_{a<b} min(A[a,b], A[b,a])``.

    Every order pays at least the smaller weight of each pair.

    Examples
    --------
    >>> import numpy as np
    >>> pairwise_bound(np.array([[0, 2], [5, 0]]))
    2.0
    """
    A = np.ascontiguousarray(A, dtype=np.float64)
    rows = np.empty(A.shape[0])
    normalise(A, np.empty((0, 0)), rows)     # one pass, no n x n temporary
    return float(rows.sum())
