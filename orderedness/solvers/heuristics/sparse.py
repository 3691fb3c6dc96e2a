"""``method="sparse"``: insertion local search on adjacency lists, for graphs of millions of arcs.

Memory and time per sweep are O(n + m), so components far beyond the dense solvers' reach (a dense
``n x n`` matrix of 100,000 nodes takes 80 GB) are solved in seconds. Within a budget of
``time_limit`` seconds, or without one (``time_limit=None``) to their natural ends:

1. construction: the weighted Eades-Lin-Smyth order in O(m log n)
   (:func:`orderedness.kernels.sparse_search.els_order`);
2. local search, for :data:`SEARCH_SHARE` of the budget (without one: at most :data:`SWEEPS` sweeps):
   sweeps over the nodes in a random order (seeded), each node moved to its best place among its
   neighbours, the gain computed from its own arcs
   (:func:`orderedness.kernels.sparse_search.insertion_pass`); it stops early at a local optimum
   (a sweep without a move);
3. certificate, for the rest (most of the budget once the search reaches its local optimum; without
   one, to the end of its round of cycles of :data:`LENGTH` arcs): a greedy packing of cycles of
   growing length (up to 25 arcs while time lasts),
   found by bidirectional breadth-first search from the backward arcs (:mod:`orderedness.cycle_bound`),
   a proven lower bound.

Determinism: the construction is deterministic and the sweeps draw their node orders from a generator
seeded by `seed`; without a time limit (or with ``sweeps=K`` and a limit that is not reached) the run
is reproduced exactly on any machine, with a time limit only the result depends on how many sweeps
fit. The clock is read between chunks of nodes.
"""
from __future__ import annotations

import math
from time import perf_counter

import numpy as np
from scipy.sparse import csr_matrix, issparse

from ...backflow import backflow
from ...cycle_bound import cycle_packing_bound
from ...kernels.sparse_search import els_order, insertion_pass
from ...progress import STOPPED_BY_USER, Progress
from ...result import Ordering
from ...validate import InputError, check_options

__all__ = ["solve", "check", "SWEEPS", "SEARCH_SHARE"]

SWEEPS = 100            # sweeps at most without a time limit (a local optimum usually comes first)
LENGTH = 7              # without a time limit the certificate packs cycles of up to this many arcs
SEARCH_SHARE = 0.6      # share of the budget for the local search; the rest certifies
CHUNK_ARCS = 200_000    # arcs visited per kernel call between clock readings
TOLERANCE = 1e-12       # a move must gain more than this share of the total weight


OPTIONS = ("sweeps", "certify", "progress")   # options solve() takes beyond the common signature


def check(n: int, *, sweeps=None, **options) -> None:
    """Any size fits (memory O(n + m)); refuse bad options before any work."""
    if sweeps is not None and (isinstance(sweeps, bool) or not isinstance(sweeps, int) or sweeps < 0):
        raise InputError(f"sweeps must be a non-negative integer or None, got {sweeps!r}")


def solve(A, *, time_limit=None, seed: int = 0, sweeps: int | None = None, certify: bool = True,
          progress: Progress | None = None, **options) -> Ordering:
    """Order the nodes of a sparse non-negative matrix by local search, with a cycle-packing bound.

    Parameters
    ----------
    A : (n, n) csr_matrix or ndarray
        Non-negative weights (as left by the reductions), ``A[x, y]`` paid when `x` comes after `y`.
    time_limit : float, optional
        Seconds for the whole call; None (the default): no limit, the search stops at a local
        optimum or after `sweeps` sweeps and the bound after its cycles of :data:`LENGTH` arcs.
    seed : int
        Seed of the sweeps' node orders.
    sweeps : int, optional
        Stop the local search after this many sweeps (default: at the time limit, or
        :data:`SWEEPS` without one).
    certify : bool
        Compute the cycle-packing bound (else the bound is 0).
    progress : Progress, optional
        Receives the incumbent and the bound (periodic lines on stderr).

    Returns
    -------
    Ordering
        ``stats``: ``sweeps``, ``moves``, ``construction`` (back-flow of the Eades-Lin-Smyth order),
        ``local_optimum`` (True when a sweep made no move) and the bound's ``packed``,
        ``fractional``, ``phases``, ``cycle_rounds``.

    Examples
    --------
    >>> import numpy as np
    >>> from scipy.sparse import csr_matrix
    >>> A = csr_matrix(np.array([[0, 2, 0], [0, 0, 3], [1, 0, 0]]))
    >>> r = solve(A, time_limit=1.0)
    >>> r.order.tolist(), r.backflow, r.lower_bound, r.optimal
    ([0, 1, 2], 1.0, 1.0, True)
    """
    check_options(options, OPTIONS, "method='sparse'")
    t0 = perf_counter()
    check(0, sweeps=sweeps)
    _compile()                                    # loading the compiled kernels counts too
    timed = time_limit is not None
    budget = float(time_limit) if timed else math.inf
    sweeps = SWEEPS if sweeps is None and not timed else sweeps
    A = csr_matrix(A, dtype=np.float64) if not issparse(A) else A.tocsr().astype(np.float64)
    A.setdiag(0.0)
    A.eliminate_zeros()
    A.sum_duplicates()
    n = A.shape[0]
    At = A.T.tocsr()
    out = (A.indptr.astype(np.int64), A.indices.astype(np.int64), A.data)
    inn = (At.indptr.astype(np.int64), At.indices.astype(np.int64), At.data)
    stats = {"sweeps": 0, "moves": 0, "local_optimum": False}
    key = np.arange(n, dtype=np.float64)          # the order if Ctrl-C comes before the construction
    degree = np.diff(out[0]) + np.diff(inn[0])
    width = max(int(degree.max()) if n else 0, 1)
    sk, sd = np.empty(width), np.empty(width)
    tol = TOLERANCE * float(A.data.sum())
    chunk = max(1, int(CHUNK_ARCS / max(1.0, A.nnz / max(n, 1))))
    rng = np.random.default_rng(seed)
    search_end = t0 + SEARCH_SHARE * budget
    try:
        order = els_order(*out, *inn)
        value = backflow(A, order)
        stats["construction"] = value
        key[order] = np.arange(n, dtype=np.float64)
        if progress is not None:
            progress.update(incumbent=value)
        while (sweeps is None or stats["sweeps"] < sweeps) and perf_counter() < search_end:
            nodes = rng.permutation(n).astype(np.int64)
            moved, finished = 0, True
            for lo in range(0, n, chunk):
                if perf_counter() > search_end:
                    finished = False
                    break
                gain, mv = insertion_pass(*out, *inn, key, nodes[lo:lo + chunk], tol, sk, sd)
                moved += mv
                value -= gain
                if progress is not None:
                    progress.update(incumbent=value, sweep=stats["sweeps"] + 1)
            stats["moves"] += moved
            key = _ranks(key)
            if not finished:
                break
            stats["sweeps"] += 1
            if moved == 0:
                stats["local_optimum"] = True
                break
    except KeyboardInterrupt:
        stats["stopped"] = STOPPED_BY_USER
    order = np.argsort(key, kind="stable")
    value = backflow(A, order)
    lower = 0.0
    if certify and "stopped" not in stats:
        try:
            left = max(0.0, t0 + budget - perf_counter()) if timed else None
            lower, bound_stats = cycle_packing_bound(A, order, time_limit=left, progress=progress,
                                                     **({} if timed else {"max_length": LENGTH}))
            stats.update(bound_stats)
        except KeyboardInterrupt:
            stats["stopped"] = STOPPED_BY_USER
    lower = min(lower, value)
    return Ordering(order, value, lower, lower >= value, "sparse", perf_counter() - t0, stats)


def _ranks(key: np.ndarray) -> np.ndarray:
    """Keys ``0, 1, ..., n-1`` in the same order (restores room between keys after many moves)."""
    ranks = np.empty_like(key)
    ranks[np.argsort(key, kind="stable")] = np.arange(len(key), dtype=np.float64)
    return ranks


def _compile() -> None:
    """Compile (or load from the disk cache) every kernel on a 3-cycle, before the clock starts."""
    A = csr_matrix(np.array([[0.0, 1.0, 0.0], [0.0, 0.0, 1.0], [1.0, 0.0, 0.0]]))
    arrays = (A.indptr.astype(np.int64), A.indices.astype(np.int64), A.data)
    order = els_order(*arrays, *arrays)
    insertion_pass(*arrays, *arrays, order.astype(np.float64), order, 0.0, np.empty(2), np.empty(2))
    cycle_packing_bound(A)
