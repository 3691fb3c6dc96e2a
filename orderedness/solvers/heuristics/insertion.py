"""Insertion local search on a plain order: the polishing step shared by the solvers."""
from __future__ import annotations

import numpy as np

from ...kernels.local_search import insertion_local_search

__all__ = ["polish"]


def polish(A: np.ndarray, order, D: np.ndarray | None = None) -> np.ndarray:
    """Improve `order` by single-node insertions until none lowers the back-flow of `A`.

    Parameters
    ----------
    A : (n, n) ndarray
        Square weight matrix; ``A[x, y]`` is paid when `x` comes after `y`.
    order : sequence of int
        Starting permutation (not modified).
    D : (n, n) ndarray, optional
        ``A - A.T``, when the caller already has it.

    Returns
    -------
    ndarray of int64
        A permutation that no single insertion improves, with back-flow at most that of `order`.

    Examples
    --------
    >>> import numpy as np
    >>> polish(np.array([[0., 0., 0.], [5., 0., 0.], [1., 2., 0.]]), [0, 1, 2]).tolist()
    [2, 1, 0]
    """
    if D is None:
        D = A - A.T
    out = np.array(order, dtype=np.int64)
    pos = np.empty_like(out)
    pos[out] = np.arange(len(out))
    insertion_local_search(D, out, pos, 1e-12 * len(out) * max(float(np.abs(D).max(initial=0.0)), 1e-300))
    return out
