"""A lower bound on back-flow that scales to sparse graphs: a packing of short cycles.

Every cycle of the digraph (arc ``x -> y`` of weight ``A[x, y] >= 0``) keeps at least one arc pointing
backwards in every order. So if weights ``y_C >= 0`` on cycles never load an arc beyond its weight
(``sum_{C contains a} y_C <= A[a]``), every order's back-flow is at least ``sum_C y_C``: the backward
arcs of the order meet every cycle, and each arc pays at most its weight for the cycles through it.

The packing is greedy (:func:`orderedness.kernels.cycle_packing.pack_cycles`): cycles of length 2,
then 3, ... up to `max_length`, each through an arc that points backwards in a given order (every
cycle has one), found by breadth-first search on the residual weights, the least residual weight on
the cycle packed at once. The proof is checked after packing: the packed load of every arc is compared
with its weight, and the total is reduced by a relative margin of :data:`MARGIN` (far above the
rounding of the sums), and divided by the largest overload if there were one.
"""
from __future__ import annotations

from time import perf_counter

import numpy as np
from scipy.sparse import csr_matrix

from .kernels.cycle_packing import pack_cycles
from .validate import InputError

__all__ = ["cycle_packing_bound", "MARGIN"]

MARGIN = 1e-9          # relative safety margin on the packed total
CHUNK = 2000           # arcs per kernel call between clock readings
TINY = float(np.finfo(np.float64).tiny)   # residual weights below this count as used up


def cycle_packing_bound(A: csr_matrix, order=None, *, time_limit: float | None = None,
                        max_length: int = 5, visit_cap: int = 1000, tries: int = 50,
                        progress=None) -> tuple[float, dict]:
    """Proven lower bound on the back-flow of every order of a non-negative sparse matrix.

    Parameters
    ----------
    A : (n, n) csr_matrix
        Non-negative weights, ``A[x, y]`` the arc ``x -> y`` (paid when `x` comes after `y`); the
        diagonal is ignored.
    order : array_like of int, optional
        An order whose backward arcs seed the search (a good order makes short cycles easy to find);
        default ``0..n-1``. The bound holds for every order whatever this one is.
    time_limit : float, optional
        Seconds; the packing so far is a valid bound when the time runs out.
    max_length : int
        Longest cycle packed (arcs).
    visit_cap : int
        Nodes one search may reach before giving up.
    tries : int
        Cycles packed through one arc per round at most.
    progress : Progress, optional
        Receives the bound as it grows.

    Returns
    -------
    bound : float
        The certified lower bound (rounded up to an integer when every weight is one).
    stats : dict
        ``packed`` (the raw total), ``cycle_rounds``, ``bound_seconds``, ``complete`` (False when stopped
        by the time limit).

    Examples
    --------
    >>> import numpy as np
    >>> from scipy.sparse import csr_matrix
    >>> A = csr_matrix(np.array([[0, 2, 0], [0, 0, 3], [1, 0, 0]]))   # one cycle 0 -> 1 -> 2 -> 0
    >>> cycle_packing_bound(A)[0]
    1.0
    """
    t0 = perf_counter()
    A = csr_matrix(A, dtype=np.float64, copy=True)
    A.setdiag(0.0)
    A.eliminate_zeros()
    A.sum_duplicates()
    A.sort_indices()
    n = A.shape[0]
    if A.nnz and A.data.min() < 0:
        raise InputError("the cycle-packing bound needs non-negative weights; normalise the matrix "
                         "first (orderedness.reduce)")
    pos = np.empty(n, dtype=np.int64)
    pos[np.arange(n) if order is None else np.asarray(order, dtype=np.int64)] = np.arange(n)
    tails = np.repeat(np.arange(n, dtype=np.int64), np.diff(A.indptr))
    heads = A.indices.astype(np.int64)
    indptr = A.indptr.astype(np.int64)
    back = np.flatnonzero(pos[tails] > pos[heads])
    res = A.data.copy()
    load = np.zeros_like(res)
    stamp = np.zeros(n, dtype=np.int64)
    parent = np.zeros(n, dtype=np.int64)
    queue = np.zeros(n, dtype=np.int64)
    depth = np.zeros(n, dtype=np.int64)
    packed, rounds, complete = 0.0, 0, True
    deadline = None if time_limit is None else t0 + time_limit
    for length in range(2, max_length + 1):
        arcs = back[res[back] > 0]
        arcs = arcs[np.argsort(pos[tails[arcs]] - pos[heads[arcs]], kind="stable")]
        for lo in range(0, len(arcs), CHUNK):
            if deadline is not None and perf_counter() > deadline:
                complete = False
                break
            packed += pack_cycles(indptr, heads, tails, arcs[lo:lo + CHUNK], res, load, stamp, parent,
                                  queue, depth, visit_cap, tries, length, TINY)
            if progress is not None:
                progress.update(bound=_certified(packed, load, A.data))
        if not complete:
            break
        rounds += 1
    bound = _certified(packed, load, A.data)
    return bound, {"packed": packed, "cycle_rounds": rounds, "bound_seconds": perf_counter() - t0,
                   "complete": complete}


def _certified(packed: float, load: np.ndarray, weight: np.ndarray) -> float:
    """The packed total made safe: divided by the worst overload (if any), less the margin."""
    over = float(np.max(load / weight)) if len(weight) else 0.0
    bound = packed * (1.0 - MARGIN) / max(1.0, over * (1.0 + MARGIN))
    if len(weight) and np.all(weight == np.round(weight)):
        bound = float(np.ceil(bound))
    return max(bound, 0.0)
