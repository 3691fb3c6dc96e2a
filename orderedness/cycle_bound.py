"""A lower bound on back-flow that scales to sparse graphs: a packing of short cycles.

Every cycle of the digraph (arc ``x -> y`` of weight ``A[x, y] >= 0``) keeps at least one arc pointing
backwards in every order. So if weights ``y_C >= 0`` on cycles never load an arc beyond its weight
(``sum_{C contains a} y_C <= A[a]``), every order's back-flow is at least ``sum_C y_C``: the backward
arcs of the order meet every cycle, and each arc pays at most its weight for the cycles through it.
The same holds for closed walks (each contains a cycle; an arc met twice is loaded twice).

The packing is built through the arcs that point backwards in a given order (every cycle has one):

1. fractional, only when asked for (``phases > 0``;
   :func:`orderedness.kernels.cycle_packing.route_light_cycles`), for :data:`FRACTIONAL_SHARE` of the
   time: the multiplicative-weights scheme of Garg and Koenemann over closed walks of at most five
   arcs. Each arc has a length, ``1 / weight`` at first, multiplied by ``exp(EPS * amount / weight)``
   whenever a walk through it is routed; in phases of a growing threshold, the lightest walk through
   each arc is routed while it is lighter than the threshold. After each phase the packing divided by
   its largest overload (``load / weight``) is feasible; the best one is kept. The first phase only
   measures the lightest walk; when its time says fewer than about :data:`PROBE_FACTOR` phases fit in
   the budget, the stage stops there and the greedy one gets the time.
2. greedy (:func:`orderedness.kernels.cycle_packing.pack_cycles`) on the weights the fractional
   packing leaves: in rounds of a growing longest length (2, 3, 4, 5, then 7, 9, ... up to
   `max_length`), the shortest cycle through each backward arc is found by bidirectional
   breadth-first search on the residual weights and its least residual weight packed at once.
   Long cycles matter: on the planted-hierarchy graphs of ``bench.scale`` (100,000 nodes, 900,000
   arcs) the rounds up to five arcs prove 38 % of the back-flow, up to eleven 51 % (pairwise part
   included; 40 s with the machine loaded); the fractional stage followed by greedy cycles of at most
   five arcs proved 38 % in 35 s, and about 48 % at convergence.

The proof is checked after packing: the packed load of every arc is compared with its weight, and the
total is reduced by a relative margin of :data:`MARGIN` (far above the rounding of the sums), and
divided by the largest overload if there were one.
"""
from __future__ import annotations

from time import perf_counter

import numpy as np
from scipy.sparse import csr_matrix

from .kernels.cycle_packing import pack_cycles, route_light_cycles
from .validate import InputError

__all__ = ["cycle_packing_bound", "MARGIN", "EPS", "FRACTIONAL_SHARE"]

MARGIN = 1e-9          # relative safety margin on the packed total
MAX_LENGTH = 25        # longest cycle of the greedy stage (arcs); the time limit often ends it first
VISIT_CAP = 3000       # nodes one greedy search (both directions) may reach before giving up
ALL_LENGTHS_UP_TO = 5  # the greedy rounds take every length up to this one, then every second one
EPS = 1.0              # step of the multiplicative weights (lengths grow by exp(EPS) per saturation)
FRACTIONAL_SHARE = 0.75   # share of the time for the fractional stage (phases > 0); the rest is greedy
PROBE_FACTOR = 4       # the fractional stage goes on only if its budget holds this many first phases
CHUNK = 500            # arcs of the first kernel call of each greedy round; then sized to take CHUNK_SECONDS
CHUNK_SECONDS = 0.05   # seconds per kernel call between clock readings (greedy stage)
WALK_CHUNK = 200       # arcs per kernel call between clock readings (fractional stage)
WALK_TRIES = 5         # walks routed through one arc per phase at most
TINY = float(np.finfo(np.float64).tiny)   # residual weights below this count as used up


def cycle_packing_bound(A: csr_matrix, order=None, *, time_limit: float | None = None,
                        max_length: int = MAX_LENGTH, visit_cap: int = VISIT_CAP,
                        tries: int = 50, phases: int = 0, progress=None) -> tuple[float, dict]:
    """Proven lower bound on the back-flow of every order of a non-negative sparse matrix.

    Parameters
    ----------
    A : (n, n) csr_matrix
        Non-negative weights, ``A[x, y]`` the arc ``x -> y`` (paid when `x` comes after `y`); the
        diagonal is ignored.
    order : array_like of int, optional
        An order whose backward arcs seed the search (a good order has few); default ``0..n-1``. The
        bound holds for every order whatever this one is.
    time_limit : float, optional
        Seconds; the packing so far is a valid bound when the time runs out.
    max_length : int
        Longest cycle of the greedy stage (arcs); the fractional stage routes walks of up to five.
    visit_cap : int
        Nodes one greedy search may reach before giving up.
    tries : int
        Cycles packed through one arc per round of the greedy stage at most.
    phases : int
        Phases of the fractional stage at most (0, the default: greedy only).
    progress : Progress, optional
        Receives the bound as it grows.

    Returns
    -------
    bound : float
        The certified lower bound (rounded up to an integer when every weight is one).
    stats : dict
        ``packed`` (the raw total), ``fractional`` (its part from the fractional stage, scaled),
        ``phases``, ``cycle_rounds``, ``bound_seconds``, ``complete`` (False when the greedy stage was
        stopped by the time limit).

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
    if order is not None:               # relabel: node i is the i-th of the order (arcs between
        order = np.asarray(order, dtype=np.int64)       # neighbours in it lie close in memory)
        A = A[order][:, order].tocsr()
        A.sort_indices()
    tails = np.repeat(np.arange(n, dtype=np.int64), np.diff(A.indptr))
    heads = A.indices.astype(np.int64)
    indptr = A.indptr.astype(np.int64)
    back = np.flatnonzero(tails > heads)       # by tail: neighbouring searches share memory
    deadline = None if time_limit is None else t0 + time_limit
    split = None if time_limit is None else t0 + FRACTIONAL_SHARE * time_limit
    iarc = np.argsort(heads, kind="stable").astype(np.int64)   # arcs into each node
    iptr = np.zeros(n + 1, dtype=np.int64)
    np.cumsum(np.bincount(heads, minlength=n), out=iptr[1:])
    fractional, load, done = _fractional(A.data, back, tails, heads, indptr, iptr, iarc, split, phases,
                                         progress)
    res = np.maximum(A.data - load, 0.0)
    fstamp, bstamp = np.zeros(n, dtype=np.int64), np.zeros(n, dtype=np.int64)
    fpar, bpar = np.zeros(n, dtype=np.int64), np.zeros(n, dtype=np.int64)
    fqueue, bqueue = np.zeros(n, dtype=np.int64), np.zeros(n, dtype=np.int64)
    packed, rounds, complete = fractional, 0, True
    shown = perf_counter()              # the check of the bound costs a pass over the arcs: one a line
    for length in _lengths(max_length):
        arcs = back[res[back] > 0]
        lo, chunk = 0, CHUNK            # a longer length costs more per arc: the calls start short again
        while lo < len(arcs):
            now = perf_counter()
            if deadline is not None and now > deadline:
                complete = False
                break
            packed += pack_cycles(indptr, heads, iptr, iarc, tails, arcs[lo:lo + chunk], res, load, fstamp,
                                  bstamp, fpar, bpar, fqueue, bqueue, visit_cap, tries, length, TINY)
            lo += chunk                 # searches cost from microseconds to milliseconds: keep calls short
            chunk = int(min(2 * chunk, max(1, chunk * CHUNK_SECONDS / max(perf_counter() - now, 1e-9))))
            if progress is not None and perf_counter() - shown >= progress.every:
                shown = perf_counter()
                progress.update(bound=_certified(packed, load, A.data))
        if not complete:
            break
        rounds += 1
    bound = _certified(packed, load, A.data)
    return bound, {"packed": packed, "fractional": fractional, "phases": done, "cycle_rounds": rounds,
                   "bound_seconds": perf_counter() - t0, "complete": complete}


def _lengths(max_length: int) -> list[int]:
    """The longest cycle of each greedy round: every length up to :data:`ALL_LENGTHS_UP_TO`, then every
    second one, and `max_length` last (a round finds the shorter cycles too, the skipped lengths
    cost a round each and add almost nothing)."""
    lengths = list(range(2, min(max_length, ALL_LENGTHS_UP_TO) + 1))
    lengths += list(range(ALL_LENGTHS_UP_TO + 2, max_length + 1, 2))
    if max_length > ALL_LENGTHS_UP_TO and lengths[-1] != max_length:
        lengths.append(max_length)
    return lengths


def _fractional(w, back, tails, heads, indptr, iptr, iarc, deadline, phases, progress):
    """The fractional stage: ``(total, load, phases run)`` of the best scaled packing (loads within
    the weights up to rounding, checked later with the rest)."""
    n = len(indptr) - 1
    load = np.zeros_like(w)
    length = 1.0 / w
    fstamp, gstamp = np.zeros(n, dtype=np.int64), np.zeros(n, dtype=np.int64)
    fdist, gdist = np.zeros(n), np.zeros(n)
    fvia, gvia = np.zeros((n, 2), dtype=np.int64), np.zeros((n, 2), dtype=np.int64)
    threshold = 0.0                     # the first phase only finds the lightest walk
    base, packed, done = 0, 0.0, 0
    best, best_load = 0.0, np.zeros_like(w)
    start = perf_counter()
    while len(back) and done < phases and (deadline is None or perf_counter() < deadline):
        lightest, routed = np.inf, 0.0
        alive = np.ones(len(back), dtype=np.bool_)
        for lo in range(0, len(back), WALK_CHUNK):
            if deadline is not None and perf_counter() > deadline:
                break
            got, base, light = route_light_cycles(indptr, heads, iptr, iarc, tails, back[lo:lo + WALK_CHUNK],
                                                  w, load, length, EPS, threshold, WALK_TRIES, fstamp, fdist,
                                                  fvia, gstamp, gdist, gvia, base, alive[lo:lo + WALK_CHUNK])
            routed += got
            lightest = min(lightest, light)
        packed += routed
        back = back[alive]
        done += 1
        if done == 1 and deadline is not None and PROBE_FACTOR * (perf_counter() - start) > deadline - start:
            break                       # too few phases would fit: leave the time to the greedy stage
        if lightest == np.inf and routed == 0:     # no walk at all
            break
        threshold = (1.0 + EPS) * (threshold if lightest == np.inf else max(threshold, lightest))
        over = max(1.0, float(np.max(load / w)))
        if packed / over > best:
            best, best_load = packed / over, load / over
            if progress is not None:
                progress.update(bound=_certified(best, best_load, w))
        if threshold > 1e250:           # lengths near overflow
            break
    return best, best_load, done


def _certified(packed: float, load: np.ndarray, weight: np.ndarray) -> float:
    """The packed total made safe: divided by the worst overload (if any), less the margin."""
    over = float(np.max(load / weight)) if len(weight) else 0.0
    bound = packed * (1.0 - MARGIN) / max(1.0, over * (1.0 + MARGIN))
    if len(weight) and np.all(weight == np.round(weight)):
        bound = float(np.ceil(bound))
    return max(bound, 0.0)
