"""The 3-dicycle relaxation of the linear ordering problem: one model, one safe bound, two solvers.

The model has one variable ``x[i, j]`` in ``[0, 1]`` per pair ``i < j`` ("i before j") and minimises
``c0 + sum_{i<j} c[i, j] x[i, j]`` with ``c0 = sum_{i<j} A[i, j]`` and ``c[i, j] = A[j, i] - A[i, j]``,
subject to the rows ``0 <= x[i, j] + x[j, k] - x[i, k] <= 1`` of triples ``i < j < k`` (one ranged row
forbids both 3-dicycles on the triple). Every order is a feasible 0/1 point, so any lower bound on the
model bounds back-flow from below; with integral ``x`` the rows make ``x`` an order.

Stronger than the 3-dicycle rows: {0,1/2}-Chvátal–Gomory cuts (:func:`half_cuts`), integer
combinations of 3-dicycle rows and bounds with even coefficients and an odd right side, halved and
rounded down (the Möbius ladders are among them). :class:`LP` takes them as general rows ``g x <= r``
beside the triples, and the safe bound covers them too; the branch-and-cut separates them at its root.

The safe bound (:func:`safe_bound`)
-----------------------------------
For any multipliers ``y`` of any set of rows and column bounds ``l <= x <= u``, weak duality gives

    c0 + sum_r min(0, y_r) + sum_j min(d_j l_j, d_j u_j)  <=  every feasible value,  d = c - G^T y,

(a general row ``g x <= r`` adds ``min(0, z) r``, its multiplier ``z`` taken as ``min(0, z)``), so
the bound never depends on how well a solver converged, nor on its tolerances: the multipliers may
come from the simplex duals, from a Lagrangian ascent stopped at any step, or be all zero (the
pairwise bound). The float64 rounding of that sum is covered by subtracting a proven error bound;
with integer weights the result is then rounded up.

Three solvers of the same model
-------------------------------
- :class:`LP`, the HiGHS LP (public ``highspy`` API, dual simplex kept warm) with rows added lazily:
  the branch-and-cut (:mod:`orderedness.solvers.exact.mip`) needs its exact optima and reduced costs,
  and :func:`lp_bound` runs its cutting-plane loop (a baseline, see ``bench/bounds.py``).
- :func:`lagrangian_bound`, relax-and-cut: the rows are dualised, the pair subproblem is solved in
  closed form (each pair takes its cheaper direction under the multipliers), a working set of
  triples grows from the violated rows of an averaged solution, and a deflected subgradient ascent
  (:func:`orderedness.kernels.dicycles.ascend`) moves the multipliers. Every iterate is a bound,
  memory is ``O(n^2)`` (the working set is capped at :func:`max_rows`), and no LP is factorised.
- OR-Tools' PDLP (first-order) on the LP over the Lagrangian's working set, up to
  :data:`PDLP_UP_TO` nodes: the subgradient finds the rows quickly, PDLP their exact multipliers.

and a fast dual heuristic of the same model: :func:`packing_bound`, a water-filling packing of the
cyclic triangles of the pairs' heavier arcs (multipliers of 3-dicycle rows chosen greedily, bounded
through the pair usages alone, ``O(n^2)`` memory, no triple stored).

:func:`bound` is the one size policy: the triangle packing first, then below :data:`LAGRANGE_UP_TO`
nodes the Lagrangian, finished by PDLP up to :data:`PDLP_UP_TO` nodes, and from :data:`CENTRAL_FROM`
to :data:`CENTRAL_UP_TO` nodes {0,1/2}-cuts at interior points (:func:`central_cut_bound`); the
pairwise bound when ``n < 3`` (measurements in ``docs/solvers.md``).
"""
from __future__ import annotations

import copy
import math
import os
import sys
import threading
from time import perf_counter

import numpy as np

from .backflow import backflow, pairwise_bound
from .kernels.dicycles import ascend, before_matrix, dual_terms, violated_triples
from .kernels.halfcuts import odd_cycle_cuts
from .kernels.triangle_packing import arc_bits, count_triangles, push_triangles, settle

__all__ = ["LP", "safe_bound", "half_cuts", "lp_bound", "lagrangian_bound", "packing_bound", "central_cut_bound",
           "bound", "warm_up", "max_rows", "VIOLATION"]

VIOLATION = 1e-6        # a row counts as violated beyond this
HALF_SLACK = 0.9        # a {0,1/2}-cut is kept when its rows' summed slack is below this (violation > 0.05)
HALF_FRACTIONAL = 1e-6  # ... and its separation counts a pair this close to 0 or 1 as integral
HALF_WORK = 10_000_000  # arcs one {0,1/2}-cut separation scans at most (0.1-0.2 s)
PDLP_UP_TO = 100        # PDLP finishes the bound up to this n (it holds the GIL: short calls only)
LAGRANGE_UP_TO = 300    # below this n the Lagrangian continues after the packing (docs/solvers.md)
LAGRANGE_SHARE = 0.6    # ... after the Lagrangian had this share of the budget
GAP = 1e-9              # an ascent value this close to the target (relative) is proven at once
PATIENCE = 20           # ascent steps without a better value before the step halves
RESTART = 0.25          # step scale after it vanished
VANISHED = 1e-4         # a step scale this small has vanished
ROUND_SECONDS = 0.03    # least time of one round of ascent steps (a stop request waits about this)
SEPARATION_SHARE = 0.5  # a round of ascent lasts at least the separation's time divided by this
DROP_AT = 0.5           # idle triples leave the working set once it is this full
ROWS_PER_PAIR = 4       # working set: at most this many triples per pair of nodes (times two) ...
MAX_ROWS = 8_000_000    # ... and at most this many (384 MB of working arrays)
MAX_STEPS = 60          # most ascent steps in one round
ROWS_PER_NODE = 50      # one separation adds at most this many triples per node
SCAN_WORK = 10_000_000  # triples one separation call scans at most (tens of ms, at large n)
ITERATIONS = 2**31 - 1  # HiGHS's default simplex iteration limit (none)
POLISH_UP_TO = 400      # without an order given, the target is the degree order, polished up to this n
PACKING_UP_TO = 6000    # the triangle packing runs up to this n (six n x n arrays: 1.7 GB at 6000)
ROUND_SECONDS_PER_N3 = 3e-10   # a packing round takes about this times n^3 s (n = 1000: 0.2-0.35 s, 3000: 8-16 s):
                               # a shorter time limit gets the pairwise bound at once (its setup would not pay)
CHUNK_SECONDS = 0.05    # a packing kernel call lasts about this long (a stop request waits about this)
DEAD = 1e-12            # an arc whose residual fell below this share of its weight is used up
# Without a time limit (time_limit=None) the bound runs a fixed effort that never depends on the clock:
PACKING_WORK = 1e10     # the packing stops after PACKING_WORK / n^3 rounds (maximal up to n = 400; none at 3000)
ROUND_STEPS = 30        # the Lagrangian's rounds make this many ascent steps (n = 200: 30 rounds 0.0322,
                        # 40 of 15 0.0565),
LAGRANGE_ROUNDS = 25    # at most this many rounds, and LAGRANGE_WORK / n^2 of them (a step costs O(n^2 + rows)),
LAGRANGE_WORK = 8e5     # 20 at n = 200 ...
LEAST_ROUNDS = 15       # ... or none when fewer would do: they do not beat the packing (n = 250: 19 rounds 0.0439
                        # in orderedness width, the packing alone 0.0437)
PDLP_SOLVES = 2         # ... then PDLP (n <= PDLP_UP_TO) at most this many solves, each to its own tolerances
PDLP_ITERATIONS = 100_000   # or this many iterations
CENTRAL_FROM = 41       # from this n up to CENTRAL_UP_TO, after PDLP, {0,1/2}-cuts separated at interior points
CENTRAL_UP_TO = 64      # (central_cut_bound): an interior-point solve takes 0.5-1 s at n = 60 and grows fast with n
                        # (a default call at n = 64: 6.5-7.7 s against 0.6-1 s without, load 1.7; n = 70: 14 s, load 4)
CENTRAL_ROUNDS = 6      # without a time limit: this many interior-point solves (the first without cuts; n = 60
                        # seeds 0-49: 4 solves leave the largest width at 0.0099, 6 at 0.0093)
CENTRAL_TOLERANCE = 1e-5   # the interior-point method stops this far from optimality: near the central path
CENTRAL_SLACK = 0.5     # cuts of summed slack below this at the interior point (violation > 0.25) ...
CENTRAL_CUTS = 4        # ... at most this many per node a round
TIGHT = 1e-3            # a 3-dicycle row with more slack than this at the interior point leaves the LP


def costs(A: np.ndarray) -> tuple[float, np.ndarray, bool]:
    """``(c0, c, integral)``: the constant (rounded down safely), the pair costs (pair-vector order)
    and whether all weights are integers."""
    n = A.shape[0]
    iu, ju = np.triu_indices(n, 1)
    upper = A[iu, ju]
    c0 = float(upper.sum())                   # off by at most len * u * sum |upper|
    c0 -= 2 * np.finfo(np.float64).eps * (len(upper) * float(np.abs(upper).sum()) + abs(c0))
    return c0, A[ju, iu] - upper, bool(np.all(A == np.round(A)))


def columns(triples: np.ndarray, n: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Pair-vector positions of ``(i, j)``, ``(j, k)`` and ``(i, k)`` of each triple."""
    i, j, k = (triples[:, c].astype(np.int64) for c in range(3))

    def pair(a, b):
        return a * n - a * (a + 1) // 2 + b - a - 1

    return pair(i, j), pair(j, k), pair(i, k)


NO_CUTS = (np.zeros(1, np.int64), np.empty(0, np.int64), np.empty(0, np.int64), np.empty(0, np.int64))


def safe_bound(c0: float, c: np.ndarray, triples: np.ndarray, y: np.ndarray, n: int, integral: bool,
               lower: np.ndarray | None = None, upper: np.ndarray | None = None, cuts=None,
               z: np.ndarray | None = None) -> tuple[float, np.ndarray]:
    """Weak-duality bound of the multipliers `y` of the rows `triples` (and `z` of `cuts`), safe against rounding.

    Parameters
    ----------
    c0, c : float, ndarray
        Constant and pair costs (:func:`costs`).
    triples : (m, 3) int ndarray
        Rows ``0 <= x[i,j] + x[j,k] - x[i,k] <= 1``, ``i < j < k``.
    y : (m,) ndarray
        Any multipliers (any signs).
    n : int
        Nodes.
    integral : bool
        Round the bound up to an integer (valid when all weights are integers).
    lower, upper : ndarray, optional
        Column bounds (default ``[0, 1]``): a branch-and-cut node's fixings.
    cuts : tuple of int64 arrays, optional
        ``(indptr, cols, coefs, rhs)``: general rows ``sum coefs x[cols] <= rhs`` (CSR), valid for
        every order (:func:`half_cuts`).
    z : ndarray, optional
        Their multipliers (any; positive ones count as zero).

    Returns
    -------
    bound : float
        A proven lower bound on ``c0 + c x`` over the integral points of the rows and bounds.
    d : ndarray
        The reduced costs ``c - G^T y - H^T min(z, 0)`` (for fixing by reduced cost).

    Notes
    -----
    ``d_j`` is accumulated from ``k_j + 1`` terms (``k_j`` the rows of column `j`), each a product of a
    row's integer coefficient and its multiplier (exact for the 3-dicycle rows, rounded once for a
    cut), so it is off by at most ``(k_j + 1) u reach_j`` with ``reach_j = |c_j| + sum_{r ∋ j} |a_rj y_r|``
    and ``u`` the unit roundoff; ``min(d l, d u)`` with ``l, u`` in ``[0, 1]`` does not enlarge the
    error. The two sums of ``N`` terms (a cut's term ``z_r rhs_r`` rounded once more) are accumulated in
    order, each off by at most ``(N + 1) u`` times the sum of its terms' magnitudes, and three more
    roundings make the value. Subtracting
    ``2u ((k + 2) sum_j reach_j + N (rows_abs + cols_abs) + 4 |value| + |c0|)``, with ``k`` the largest
    ``k_j`` and ``N`` the number of terms plus two, covers all of it with a factor-2 slack (which also
    covers the rounding of the margin's own sums). ``c0`` from :func:`costs` is already rounded down safely.
    """
    c = np.asarray(c, dtype=np.float64)
    y = np.asarray(y, dtype=np.float64)
    ij, jk, ik = columns(np.asarray(triples).reshape(-1, 3), n)
    lo = np.zeros_like(c) if lower is None else np.asarray(lower, dtype=np.float64)
    hi = np.ones_like(c) if upper is None else np.asarray(upper, dtype=np.float64)
    indptr, cols_, coefs, rhs = NO_CUTS if cuts is None else cuts
    z = np.zeros(len(rhs)) if z is None else np.asarray(z, dtype=np.float64)
    d, rows, rows_abs, cols, cols_abs, reach, k = dual_terms(c, ij, jk, ik, y, lo, hi, indptr, cols_, coefs,
                                                             rhs, z)
    value = c0 + rows + cols
    u = np.finfo(np.float64).eps
    terms = len(y) + len(z) + len(c) + 2
    value -= 2 * u * ((k + 2) * reach + terms * (rows_abs + cols_abs) + 4 * abs(value) + abs(c0)) + 1e-300
    return (float(math.ceil(value)) if integral else value), d


def half_cuts(x: np.ndarray, n: int, limit: int, max_slack: float = HALF_SLACK
              ) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Violated {0,1/2}-Chvátal–Gomory cuts of the 3-dicycle rows at the point `x` (pair vector).

    At most `limit` cuts ``sum coefs x[cols] <= rhs``, each violated by more than
    ``(1 - max_slack) / 2``, as ``(indptr, cols, coefs, rhs)`` (CSR, int64); found as odd closed walks
    of small slack in the graph of the nearly tight rows (:mod:`orderedness.kernels.halfcuts`; Möbius
    ladders are among them). Each is an integer combination of valid rows halved and rounded down,
    so it holds for every order whatever `x` is.
    """
    indptr, cols, coefs, rhs, _ = odd_cycle_cuts(np.asarray(x, dtype=np.float64), n, HALF_FRACTIONAL,
                                                 max_slack, limit, HALF_WORK)
    return indptr, cols, coefs, rhs


def max_rows(n: int) -> int:
    """Largest working set of triples for `n` nodes: ``O(n^2)`` memory at any size."""
    return min(MAX_ROWS, max(20_000, ROWS_PER_PAIR * n * n))


_BANNER = threading.Lock()


def _highs(mip: bool = False):
    """A silent single-threaded HiGHS (its constructor prints a banner on the C stdout: hidden).

    By default an LP engine: dual simplex (warm after new rows and bound changes), no presolve, no
    callbacks. With `mip`, HiGHS's own defaults for presolve and the simplex strategy (its branch-and-cut
    needs presolve) and callbacks enabled, for ``h.cbMipInterrupt.subscribe(...)`` and the like.
    """
    import highspy

    with _BANNER:
        sys.stdout.flush()
        saved = os.dup(1)
        try:
            with open(os.devnull, "w") as null:
                os.dup2(null.fileno(), 1)
                h = highspy.Highs()
        finally:
            os.dup2(saved, 1)
            os.close(saved)
    h.setOptionValue("output_flag", False)
    h.setOptionValue("threads", 1)
    if not mip:
        h.disableCallbacks()
        h.setOptionValue("simplex_strategy", 1)
        h.setOptionValue("presolve", "off")
    return h


class LP:
    """The HiGHS LP over the pair variables with the rows added so far.

    Rows are 3-dicycle rows (:meth:`add`) and general cuts (:meth:`add_cuts`), kept in the LP's order:
    ``kind[r]`` is 0 for a triple (the next of ``triples``), 1 for a cut (the next of ``cuts``).

    Parameters
    ----------
    A : (n, n) ndarray
        The weights.
    """

    def __init__(self, A: np.ndarray):
        import highspy

        self._status = highspy.HighsModelStatus
        self._inf = highspy.kHighsInf
        self.n = A.shape[0]
        self.c0, self.cost, self.integral = costs(A)
        self.m = len(self.cost)
        self.triples = np.empty((0, 3), dtype=np.int64)
        self.cuts: list[tuple[np.ndarray, np.ndarray, int]] = []   # (cols, coefs, rhs) of each cut row
        self._csr = None                       # the cuts in CSR form (cut_rows), None when to be rebuilt
        self.kind = np.empty(0, dtype=np.int8)
        self.lower, self.upper = np.zeros(self.m), np.ones(self.m)
        self.y = np.empty(0)                   # row multipliers of the last optimum
        self.ids = np.empty(0, dtype=np.int64)  # a number per row: a saved basis finds its rows (in a copy too):
        self.made = 0                          # a triple's key (_keys), a cut's n^3 + how many cuts came before
        self.iterations = 0                    # dual simplex iterations of all solves so far
        self.h = h = _highs()
        h.addCols(self.m, self.cost, self.lower, self.upper, 0, np.array([], dtype=np.int32),
                  np.array([], dtype=np.int32), np.array([]))

    def add(self, triples: np.ndarray) -> None:
        """Add the rows of `triples` (``i < j < k``)."""
        k = len(triples)
        cols = np.stack(columns(triples, self.n), axis=1).astype(np.int32)
        self.h.addRows(k, np.zeros(k), np.ones(k), 3 * k, np.arange(0, 3 * k, 3, dtype=np.int32),
                       cols.ravel(), np.tile(np.array([1.0, 1.0, -1.0]), k))
        self.triples = np.concatenate([self.triples, np.asarray(triples, dtype=np.int64)])
        self._grow(_keys(self.triples[-k:], self.n), 0)

    def share(self, triples: np.ndarray) -> None:
        """Add the rows of `triples` the LP does not have yet (another LP's, :meth:`copy`)."""
        new = triples[~np.isin(_keys(triples, self.n), self.ids)]
        if len(new):
            self.add(new)

    def copy(self) -> LP:
        """The same LP (rows, column bounds, pricing, basis) on a HiGHS of its own: a second thread's."""
        twin = copy.copy(self)
        twin.cuts = list(self.cuts)
        twin.iterations = 0
        twin.h = _highs()
        twin.h.passModel(self.h.getLp())
        option = "simplex_dual_edge_weight_strategy"
        twin.h.setOptionValue(option, self.h.getOptionValue(option)[1])
        twin.h.setBasis(self.h.getBasis())
        return twin

    def add_cuts(self, indptr: np.ndarray, cols: np.ndarray, coefs: np.ndarray, rhs: np.ndarray) -> None:
        """Add the rows ``sum coefs x[cols] <= rhs`` given in CSR form (:func:`half_cuts`)."""
        k = len(rhs)
        self.h.addRows(k, np.full(k, -self._inf), np.asarray(rhs, dtype=np.float64), len(cols),
                       np.asarray(indptr[:-1], dtype=np.int32), np.asarray(cols, dtype=np.int32),
                       np.asarray(coefs, dtype=np.float64))
        self.cuts += [(cols[indptr[r]:indptr[r + 1]], coefs[indptr[r]:indptr[r + 1]], int(rhs[r])) for r in range(k)]
        self._csr = None
        self._grow(self.n ** 3 + self.made + np.arange(k, dtype=np.int64), 1)
        self.made += k

    def separate(self, x: np.ndarray, limit: int) -> int:
        """Add the 3-dicycle rows violated by the LP solution `x` (at most `limit`, the most violated
        first); returns how many."""
        triples, _ = violated_triples(before_matrix(x, self.n), VIOLATION, limit)
        if len(triples):
            self.add(triples)
        return len(triples)

    def cut(self, x: np.ndarray, limit: int, max_slack: float = HALF_SLACK) -> int:
        """Add up to `limit` {0,1/2}-cuts violated by `x` (:func:`half_cuts`); returns how many."""
        indptr, cols, coefs, rhs = half_cuts(x, self.n, limit, max_slack)
        if len(rhs):
            self.add_cuts(indptr, cols, coefs, rhs)
        return len(rhs)

    def _grow(self, ids: np.ndarray, kind: int) -> None:
        k = len(ids)
        self.kind = np.concatenate([self.kind, np.full(k, kind, dtype=np.int8)])
        self.y = np.concatenate([self.y, np.full(k, np.nan)])
        self.ids = np.concatenate([self.ids, ids])

    def cut_rows(self) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
        """The cuts as ``(indptr, cols, coefs, rhs)`` (CSR, in the LP's order), built once per change
        of the cuts (every solve's safe bound reads them)."""
        if not self.cuts:
            return NO_CUTS
        if self._csr is None:
            sizes = [len(c) for c, _, _ in self.cuts]
            self._csr = (np.concatenate([[0], np.cumsum(sizes)]).astype(np.int64),
                         np.concatenate([c for c, _, _ in self.cuts]).astype(np.int64),
                         np.concatenate([a for _, a, _ in self.cuts]).astype(np.int64),
                         np.array([r for _, _, r in self.cuts], dtype=np.int64))
        return self._csr

    def drop_idle(self) -> int:
        """Remove the rows whose multiplier was zero at the last optimum (the optimum stays one);
        returns how many went."""
        return self.drop(self.y == 0.0)

    def drop(self, idle: np.ndarray) -> int:
        """Remove the rows marked in `idle` (one flag a row, in the LP's order); returns how many went."""
        drop = np.flatnonzero(idle)
        if len(drop):
            self.h.deleteRows(len(drop), drop.astype(np.int32))
            triple = self.kind == 0
            self.triples = self.triples[~idle[triple]]
            self.cuts = [cut for cut, dropped in zip(self.cuts, idle[~triple]) if not dropped]
            self._csr = None
            self.kind = np.delete(self.kind, drop)
            self.y = np.delete(self.y, drop)
            self.ids = np.delete(self.ids, drop)
        return len(drop)

    def bound(self, y: np.ndarray, lower: np.ndarray, upper: np.ndarray) -> tuple[float, np.ndarray]:
        """:func:`safe_bound` of the multipliers `y` of the LP's rows (in its order) under the column bounds."""
        triple = self.kind == 0
        return safe_bound(self.c0, self.cost, self.triples, y[triple], self.n, self.integral, lower, upper,
                          self.cut_rows(), y[~triple])

    def interior(self, seconds: float | None) -> tuple[np.ndarray | None, float, np.ndarray | None]:
        """Solve by HiGHS's interior-point method, without crossover, to :data:`CENTRAL_TOLERANCE`
        (at most `seconds`; None: no limit); returns ``(x, bound, slack)``.

        `x` is a point near the central path, inside the optimal face rather than at a vertex of it;
        `bound` is the :func:`safe_bound` of the duals reached (at any status: weak duality holds
        for any multipliers); `slack` is each row's slack at `x` (3-dicycle rows: to the nearer side).
        ``(None, -inf, None)`` when HiGHS gives no duals. The simplex (:meth:`solve`) is not used
        after this: the options stay set.
        """
        h = self.h
        h.setOptionValue("solver", "ipm")
        h.setOptionValue("run_crossover", "off")
        h.setOptionValue("ipm_optimality_tolerance", CENTRAL_TOLERANCE)
        h.setOptionValue("time_limit", self._inf if seconds is None else h.getRunTime() + max(seconds, 1e-3))
        h.run()
        sol = h.getSolution()
        if not (sol.dual_valid and sol.value_valid):
            return None, -math.inf, None
        b, _ = self.bound(np.asarray(sol.row_dual), self.lower, self.upper)
        value = np.asarray(sol.row_value)
        slack = np.where(self.kind == 0, np.minimum(value, 1.0 - value), 0.0)
        slack[self.kind == 1] = self.cut_rows()[3] - value[self.kind == 1]
        return np.asarray(sol.col_value), b, slack

    def pricing(self, strategy: int) -> None:
        """Dual simplex pricing from the next solve on: 2 dual steepest edge (the default: fewest
        iterations from scratch), 1 Devex (cheap to start after :meth:`restore`, which makes HiGHS
        recompute steepest-edge weights from scratch)."""
        self.h.setOptionValue("simplex_dual_edge_weight_strategy", strategy)

    def basis(self) -> tuple:
        """The simplex basis now, with the rows' ids (for :meth:`restore`)."""
        return self.h.getBasis(), self.ids.copy()

    def restore(self, saved: tuple) -> bool:
        """Make a basis from :meth:`basis` the next solve's start: rows added since are basic (their
        slacks), so it stays a basis unless a row it held tight was dropped (then nothing changes).
        Returns whether it was set. The bound never depends on it, only the solve's length."""
        import highspy

        b, ids = saved
        if not np.array_equal(ids, self.ids):
            basic = highspy.HighsBasisStatus.kBasic
            rows = b.row_status
            at = np.zeros(len(self.ids), dtype=np.int64)
            if len(ids):
                by = np.argsort(ids)
                at = by[np.minimum(np.searchsorted(ids, self.ids, sorter=by), len(ids) - 1)]
            known = ids[at] == self.ids if len(ids) else np.zeros(len(self.ids), dtype=bool)
            status = [rows[a] if k else basic for a, k in zip(at.tolist(), known.tolist())]
            if b.col_status.count(basic) + status.count(basic) != len(self.ids):
                return False
            cols, b = b.col_status, highspy.HighsBasis()
            b.col_status, b.row_status = cols, status
        return self.h.setBasis(b) == highspy.HighsStatus.kOk

    def solve(self, lower: np.ndarray, upper: np.ndarray, seconds: float, iterations: int | None = None,
              cutoff: float = math.inf):
        """Solve under column bounds; returns ``(status, x, bound, reduced_costs)``.

        `status` is "optimal", "infeasible", "stopped", or "limit" when `iterations` dual simplex
        iterations did not reach the optimum, or when the dual simplex stopped once its objective
        (plus the constant) passed `cutoff` (HiGHS's ``objective_bound``): `bound` is then the
        :func:`safe_bound` of the duals reached so far (weak duality holds for any multipliers, so
        it never relies on HiGHS's test), `x` is not a solution. `bound` is ``-inf`` when stopped.
        """
        h = self.h
        changed = np.flatnonzero((lower != self.lower) | (upper != self.upper)).astype(np.int32)
        if len(changed):
            h.changeColsBounds(len(changed), changed, lower[changed], upper[changed])
            self.lower, self.upper = lower, upper
        h.setOptionValue("time_limit", h.getRunTime() + max(seconds, 1e-3))  # HiGHS counts from creation
        h.setOptionValue("simplex_iteration_limit", ITERATIONS if iterations is None else iterations)
        h.setOptionValue("objective_bound", cutoff - self.c0)
        h.run()
        self.iterations += h.getInfo().simplex_iteration_count
        status = h.getModelStatus()
        if status == self._status.kInfeasible:
            return "infeasible", None, math.inf, None
        sol = h.getSolution()
        limited = (status == self._status.kIterationLimit and iterations is not None) or (
            status == self._status.kObjectiveBound)
        if (status != self._status.kOptimal and not limited) or not sol.dual_valid:
            return "stopped", None, -math.inf, None
        y = np.asarray(sol.row_dual)
        b, d = self.bound(y, lower, upper)
        if limited:
            return "limit", None, b, d
        self.y = y
        return "optimal", np.asarray(sol.col_value), b, d


def _raised(best: float, b: float, report) -> float:
    """The larger of the best bound so far and a new one, `b`; `report` (if any) hears of a rise."""
    if b > best and report is not None:
        report(b)
    return max(best, b)


def _upper_now(upper):
    """`upper` (a number, a function giving one, or None: no order) as a function."""
    return upper if callable(upper) else (lambda: math.inf if upper is None else upper)


def _start(A, upper, stop, stats):
    """What both solvers begin with: the clock, the order's value and the stop request as
    functions, the matrix as float64 and the pairwise bound; `stats` gets its status."""
    t0 = perf_counter()
    upper_now = _upper_now(upper)
    stop_now = stop if stop is not None else (lambda: False)
    A = np.asarray(A, dtype=np.float64)
    stats.update(status="n < 3: pairwise bound is exact" if A.shape[0] < 3 else "not run", seconds=0.0)
    return t0, upper_now, stop_now, A, pairwise_bound(A)


def lp_bound(A: np.ndarray, *, time_limit: float = 1.0, upper=None, report=None, stop=None,
             max_rounds: int = 1000, cuts: bool = False) -> tuple[float, dict]:
    """Lower bound on the least back-flow of `A` by the HiGHS cutting-plane loop on :class:`LP`.

    The plain baseline of ``bench/bounds.py`` (:func:`bound` is faster). Arguments and results as
    in :func:`bound`; `max_rounds` caps the separation rounds, and ``stats["lp_value"]`` is the last
    LP objective (the converged relaxation value when ``status`` starts with "optimal"). With `cuts`,
    a round that finds no violated 3-dicycle adds {0,1/2}-cuts (:func:`half_cuts`, at most ``4 n``)
    instead, until none is found (``stats["half_cuts"]`` counts them).

    Examples
    --------
    >>> import numpy as np
    >>> A = np.array([[0., 1, 0], [0, 0, 1], [1, 0, 0]])   # a 3-cycle: one arc must go back
    >>> lp_bound(A)[0]
    1.0
    """
    stats = {"solver": "lp", "rounds": 0, "cuts": 0, "half_cuts": 0, "lp_value": None}
    t0, upper_now, stop_now, A, best = _start(A, upper, stop, stats)
    n = A.shape[0]
    if n < 3:
        return best, stats
    lp = LP(A)
    lo, hi = np.zeros(lp.m), np.ones(lp.m)
    while stats["rounds"] < max_rounds:
        left = time_limit - (perf_counter() - t0)
        if left <= 0 or stop_now():
            stats["status"] = "time limit" if left <= 0 else "stopped"
            break
        status, x, b, _ = lp.solve(lo, hi, left)
        if status != "optimal":
            stats["status"] = status
            break
        stats["lp_value"] = lp.c0 + float(lp.cost @ x)
        best = _raised(best, b, report)
        if best >= upper_now():
            stats["status"] = "bound meets the order given"
            break
        added = lp.separate(x, 30 * n)
        stats["cuts"] += added
        if added == 0 and cuts:
            added = lp.cut(x, 4 * n)
            stats["half_cuts"] += added
        if added == 0:
            stats["status"] = "optimal: no violated 3-dicycle" + (" and no {0,1/2}-cut found" if cuts else "")
            break
        stats["rounds"] += 1
    stats["seconds"] = perf_counter() - t0
    return min(best, upper_now()), stats


def _orders():
    """The degree order and insertion (imported late: the heuristics import this module)."""
    from .solvers.heuristics.greedy import degree_order
    from .solvers.heuristics.insertion import polish
    return degree_order, polish


def lagrangian_bound(A: np.ndarray, *, time_limit: float | None = 1.0, upper=None, report=None, stop=None,
                     start=None, rounds: int | None = None) -> tuple[float, dict]:
    """Lower bound on the least back-flow of `A` by relax-and-cut (see the module docstring).

    Parameters
    ----------
    A : (n, n) ndarray
        Square float64 matrix (any signs; the diagonal is ignored).
    time_limit : float or None
        Seconds; the best bound so far is returned when reached. None: no clock, every round makes
        :data:`ROUND_STEPS` ascent steps and ends with a proof (give `rounds`, and a fixed `upper` or
        none, for a run that ends and never depends on the clock).
    upper : float or callable, optional
        Back-flow of a known order, or a function returning the current one (a search running
        meanwhile): the Polyak target, and the ascent stops once the bound proves it optimal.
        Without one, the degree order (improved by insertion up to :data:`POLISH_UP_TO` nodes) is
        the target.
    report : callable, optional
        Called with each improved bound as soon as it is proven.
    stop : callable, optional
        Returns True when the caller wants the bound now.
    start : tuple, optional
        ``(triples, y)`` of an earlier call on the same matrix (``stats["state"]``): the ascent
        continues from there.
    rounds : int, optional
        Stop after this many rounds (status "rounds").

    Returns
    -------
    bound : float
        A proven lower bound (at worst the pairwise bound).
    stats : dict
        ``rounds``, ``rows`` (working set at the end), ``status``, ``seconds`` and ``state`` (the
        ``(triples, y)`` to continue from).

    Examples
    --------
    >>> import numpy as np
    >>> A = np.array([[0., 1, 0], [0, 0, 1], [1, 0, 0]])
    >>> lagrangian_bound(A)[0]
    1.0
    """
    stats = {"solver": "lagrangian", "rounds": 0, "rows": 0}
    t0, upper_now, stop_now, A, best = _start(A, upper, stop, stats)
    n = A.shape[0]
    if n < 3:
        return best, stats
    c0, c, integral = costs(A)
    iu = np.triu_indices(n, 1)
    C = np.zeros((n, n))
    C[iu] = c
    cap = max_rows(n)
    T = np.zeros((cap, 3), dtype=np.int64)
    y, best_y, direction = np.zeros(cap), np.zeros(cap), np.zeros(cap)
    m = 0
    if start is not None:
        m = min(len(start[0]), cap)
        T[:m], y[:m], best_y[:m] = start[0][:m], start[1][:m], start[1][:m]
    Xbar = (C < 0).astype(np.float64)
    state = np.array([1.0, 0.0, -np.inf])      # step scale, steps without improvement, best value
    scan_from = 0
    known = np.sort(_keys(T[:m], n))           # keys of the working set, to add no triple twice
    per_round = ROWS_PER_NODE * n
    steps, round_seconds = 1, ROUND_SECONDS
    own = None                  # an order's value of our own, when none is given: the step needs a target
    proven_at, proved, proving = -math.inf, t0, 0.0   # the ascent's value last proven, when, at what cost
    status = "time limit"
    timed = time_limit is not None
    while True:
        now = perf_counter()
        end = t0 + time_limit - proving if timed else math.inf   # the last proof must fit in the budget too
        if now >= end:
            break
        if stop_now():
            status = "stopped"
            break
        if m < cap:
            new, scan_from = violated_triples(Xbar, VIOLATION, min(per_round, cap - m), scan_from,
                                              SCAN_WORK)
            keys = _keys(new, n)
            if len(new) and m:
                at = np.minimum(np.searchsorted(known, keys), len(known) - 1)
                new, keys = new[known[at] != keys], keys[known[at] != keys]
            if len(new):
                known = np.sort(np.concatenate([known, keys]))
                k = len(new)
                T[m:m + k] = new
                y[m:m + k] = best_y[m:m + k] = direction[m:m + k] = 0.0
                m += k
            round_seconds = max(ROUND_SECONDS, (perf_counter() - now) / SEPARATION_SHARE)
            if perf_counter() >= end or stop_now():
                status = "time limit" if perf_counter() >= end else "stopped"
                break
        target = upper_now()
        if not math.isfinite(target):
            if own is None:
                degree_order, polish = _orders()
                first = degree_order(A)
                own = backflow(A, polish(A, first) if n <= POLISH_UP_TO else first)
            target = own
        t = perf_counter()
        if timed:
            steps = max(1, min(steps, int(steps * (end - t) / max(round_seconds, 1e-9))))
        else:
            steps = ROUND_STEPS
        # each round is a short ascent of its own from where the last one ended best: its step scale
        # carries over, its best and its deflection start afresh (measured: far better than one long
        # monotone ascent, which stalls once the working set grows)
        state[1:] = 0.0, -np.inf
        direction[:m] = 0.0
        if state[0] < VANISHED:
            state[0] = RESTART
        steps = min(steps, MAX_STEPS)
        value = ascend(C, c0, T, y, m, steps, target, state, PATIENCE, Xbar, 0.05, best_y, direction)
        y[:m] = best_y[:m]
        took = perf_counter() - t
        steps = max(1, int(steps * round_seconds / took)) if took > 0 else 2 * steps
        stats["rounds"] += 1
        counted = rounds is not None and stats["rounds"] >= rounds
        last = counted or perf_counter() >= end or stop_now()
        if value > proven_at and (last or not timed or value >= target - GAP * abs(target)
                                  or perf_counter() - proved > 4 * proving):
            proved = perf_counter()
            b, _ = safe_bound(c0, c, T[:m], best_y[:m], n, integral)
            proving, proven_at = perf_counter() - proved, value
            best = _raised(best, b, report)
        if best >= target:
            status = "bound meets the order given"
            break
        if counted:
            status = "rounds"
            break
        if m > DROP_AT * cap:
            m = _drop_idle(T, m, y, best_y, direction)
            known = np.sort(_keys(T[:m], n))
    stats.update(rows=m, status=status, seconds=perf_counter() - t0,
                 state=(T[:m].copy(), best_y[:m].copy()))
    return min(best, upper_now(), math.inf if own is None else own), stats


def _keys(triples, n):
    return (triples[:, 0] * n + triples[:, 1]) * n + triples[:, 2]


def _drop_idle(T, m, y, best_y, direction) -> int:
    """Compact the working set to the triples with a non-zero multiplier, now or at the best point;
    returns the new size."""
    keep = np.flatnonzero((y[:m] != 0.0) | (best_y[:m] != 0.0))
    k = len(keep)
    for a in (T, y, best_y, direction):
        a[:k] = a[keep]
    return k


def packing_bound(A: np.ndarray, *, time_limit: float | None = 1.0, upper=None, report=None,
                  stop=None, rounds: int | None = None) -> tuple[float, dict]:
    """Lower bound on the least back-flow of `A` by a water-filling packing of cyclic triangles.

    Write ``L_p = min(A[a, b], A[b, a])`` and ``d_p = |A[a, b] - A[b, a]|`` for each pair ``p``; its
    heavier direction is its *heavy arc*. Every order pays ``sum_p L_p`` plus ``d_p`` for each heavy
    arc it sends backward, and sends back at least one heavy arc of each cyclic triangle of heavy arcs.
    So for multipliers ``y_T >= 0`` of the cyclic triangles, with ``U_p = sum_{T ∋ p} y_T``,

        sum_p L_p + sum_T y_T + sum_p min(0, d_p - U_p)  <=  every order's back-flow

    (the Lagrangian of the 3-dicycle rows of those triangles, with the pair variables in ``[0, 1]``).
    Since ``sum_T y_T = sum_p U_p / 3``, the bound is ``sum_p (L_p + f_p(U_p))`` with
    ``f_p(U) = U/3 + min(0, d_p - U)``: it needs the pair usages only, never the ``O(n^3)`` multipliers.
    The packing is grown by water-filling rounds (:mod:`orderedness.kernels.triangle_packing`): each
    alive triangle gets the least of ``residual / triangles through it`` over its arcs, so no arc is
    overused, and a round stopped part way still fits (the formula would stay a bound even if it did not).

    Parameters
    ----------
    A, time_limit, upper, report, stop
        As for :func:`lagrangian_bound`; `upper` only ends the packing once the bound meets it.
    rounds : int, optional
        Stop after this many rounds (status "rounds"); 0 returns the pairwise bound at once.

    Returns
    -------
    bound : float
        A proven lower bound (at worst the pairwise bound), never above `upper`.
    stats : dict
        ``rounds`` (complete ones), ``triangles`` (served, over all rounds), ``status``, ``seconds``.

    Notes
    -----
    Rounding. Each ``y_T`` is a float the kernel computed, ``>= 0``, and exactly that float enters the
    usages, so only the evaluation of the formula rounds. ``U_p`` is accumulated from at most
    ``M = rounds * n`` non-negative terms, so the computed ``Û_p`` is off by at most ``1.02 M u Û_p``
    (``u = 2^-53``, ``M u <= 0.01``), and ``f_p`` moves by at most 2/3 of that. The computed
    ``d_p = fl(|A[a,b] - A[b,a]|)`` is off by at most ``1.01 u d_p`` (``f_p`` is 1-Lipschitz in ``d_p``).
    Evaluating ``f_p`` rounds four times, each off by at most ``u (Û_p + d_p)`` (times ``1 + 4u``), and
    the two sums over the pairs (``L`` and ``f``) are off by at most ``1.01 N u`` times the sums of
    their magnitudes, ``N = n^2``. Subtracting
    ``2u ((M + 6) sum Û + 6 sum d + N (sum |L| + sum |f|) + |value|)`` (sums over the pairs) covers all of it
    with a factor-2 slack (which also covers the rounding of the margin's own sums), and ``1e-300``
    the underflows; with integer weights the result is then rounded up.

    Examples
    --------
    >>> import numpy as np
    >>> A = np.array([[0., 2, 0], [0, 0, 2], [1, 0, 0]])
    >>> packing_bound(A)[0]
    1.0
    """
    stats = {"solver": "packing", "rounds": 0, "triangles": 0}
    _compile_packing()
    t0, upper_now, stop_now, A, best = _start(A, upper, stop, stats)
    n = A.shape[0]
    if n < 3:
        return best, stats
    short = time_limit is not None and time_limit < ROUND_SECONDS_PER_N3 * float(n) ** 3
    if n > PACKING_UP_TO or rounds == 0 or short:
        why = ("rounds" if rounds == 0 else f"n > {PACKING_UP_TO}: pairwise bound" if n > PACKING_UP_TO
               else "time limit shorter than a round: pairwise bound")
        stats.update(status=why, seconds=perf_counter() - t0)
        return min(best, upper_now()), stats
    limit = math.inf if time_limit is None else time_limit

    def late(status):
        """Whether the setup must stop here (time limit or stop request); `stats` then says so."""
        if perf_counter() < t0 + limit and not stop_now():
            return False
        stats.update(status="stopped" if stop_now() else status, seconds=perf_counter() - t0)
        return True

    if late("time limit"):                     # every O(n^2) step of the setup is checked
        return min(best, upper_now()), stats
    G = A > A.T
    D = np.abs(A - A.T)
    if not np.isfinite(D).all():
        stats.update(status="weights too large for the packing: pairwise bound", seconds=perf_counter() - t0)
        return min(best, upper_now()), stats
    L = np.minimum(A, A.T)
    np.fill_diagonal(L, 0.0)
    sum_l, abs_l = float(L.sum()) / 2, float(np.abs(L).sum()) / 2
    del L
    integral = bool(np.all(A == np.round(A)))
    sum_d = float(D.sum()) / 2
    if late("time limit"):
        return min(best, upper_now()), stats
    used, R, U, X = np.zeros_like(D), np.zeros_like(D), np.zeros_like(D), np.zeros_like(D)
    words = -(-n // 64)
    out_bits, in_bits = np.zeros((n, words), dtype=np.uint64), np.zeros((n, words), dtype=np.uint64)
    u = np.finfo(np.float64).eps / 2

    def evaluate(rounds):
        """Settle the round's usage ``U`` and return the bound, with its margin (see the Notes)."""
        sum_u, sum_f, abs_f = settle(U, used, D, R, DEAD)
        value = sum_l + sum_f
        margin = 2 * u * ((rounds * n + 6) * sum_u + 6 * sum_d + n * n * (abs_l + abs_f) + abs(value)) + 1e-300
        return float(math.ceil(value - margin)) if integral else value - margin

    def run(kernel, args):
        """Call `kernel` on slices of rows sized to :data:`CHUNK_SECONDS`; return its results summed
        (None before the first slice) and whether every row was done."""
        totals, first, rows = None, 0, 1
        while first < n:
            if perf_counter() >= end or stop_now():
                return totals, False
            t = perf_counter()
            got = np.asarray(kernel(*args, first, min(n, first + rows)), dtype=np.float64)
            took = perf_counter() - t
            first += rows
            totals = got if totals is None else totals + got
            rows = max(1, min(4 * rows, int(rows * CHUNK_SECONDS / took))) if took > 0 else 4 * rows
        return totals, True

    if late("time limit"):
        return min(best, upper_now()), stats
    t = perf_counter()
    evaluate(0)                                # R = D: every arc alive; and how long an evaluation takes
    evaluating = perf_counter() - t

    def halted():
        """Why the packing stops early: its time (`end`, the limit less an evaluation) or a stop request."""
        return "time limit" if perf_counter() >= end else "stopped"

    while True:
        end = t0 + limit - evaluating
        if perf_counter() >= end or stop_now():
            status = halted()
            break
        if rounds is not None and stats["rounds"] >= rounds:
            status = "rounds"
            break
        if arc_bits(G, R, out_bits, in_bits) == 0:
            status = "no cyclic triangle left"
            break
        counted, done = run(count_triangles, (out_bits, in_bits, R, X))
        if not done:
            status = halted()
            break
        if counted == 0:
            status = "no cyclic triangle left"
            break
        U[:] = 0.0
        pushed, done = run(push_triangles, (out_bits, in_bits, X, U))
        if pushed is not None:
            stats["triangles"] += int(pushed[1])
            stats["rounds"] += done
            t = perf_counter()
            b = evaluate(stats["rounds"] + 1)
            evaluating = perf_counter() - t
            best = _raised(best, b, report)
        if not done:
            status = halted()
            break
        if best >= upper_now():
            status = "bound meets the order given"
            break
    stats.update(status=status, seconds=perf_counter() - t0)
    return min(best, upper_now()), stats


_packing_compiled = False


def _compile_packing() -> None:
    """Compile (or load from the cache) the packing kernels on a 3-cycle, once per process, before the
    clock of the first call starts (as :func:`lagrangian_bound` runs its first round whatever the limit)."""
    global _packing_compiled
    if _packing_compiled:
        return
    A = np.array([[0.0, 1.0, 0.0], [0.0, 0.0, 1.0], [1.0, 0.0, 0.0]])
    G, R = A > A.T, np.abs(A - A.T)
    bits = np.zeros((3, 1), dtype=np.uint64), np.zeros((3, 1), dtype=np.uint64)
    X, U, used = np.zeros((3, 3)), np.zeros((3, 3)), np.zeros((3, 3))
    arc_bits(G, R, *bits)
    count_triangles(*bits, R, X, 0, 3)
    push_triangles(*bits, X, U, 0, 3)
    settle(U, used, R, R.copy(), DEAD)
    _packing_compiled = True


def bound(A: np.ndarray, *, time_limit: float | None = 1.0, upper=None, report=None, stop=None,
          start=None) -> tuple[float, dict]:
    """Proven lower bound on the least back-flow of `A` from the 3-dicycle relaxation (the size policy).

    First the triangle packing (:func:`packing_bound`): at n = 200 it converges in a fraction of a
    second, at n = 1000 in about 12 s, and from n = 400 on the Lagrangian does not reach it within a
    minute. Below :data:`LAGRANGE_UP_TO` nodes the time it leaves goes to the Lagrangian relax-and-cut,
    which converges on the 3-dicycle LP, tighter than any packing of triangles alone; up to
    :data:`PDLP_UP_TO` nodes that gets :data:`LAGRANGE_SHARE` of the rest, then the LP over its
    working set is solved by OR-Tools' first-order PDLP, whose duals give the bound (the same
    :func:`safe_bound`), rows violated by its solution are added and the LP solved again while time
    is left: the subgradient finds the rows the LP needs but converges slowly on their multipliers,
    PDLP finishes them (``python -m bench bounds``). From :data:`CENTRAL_FROM` to
    :data:`CENTRAL_UP_TO` nodes, {0,1/2}-cuts separated at interior points of the LP's optimal face
    then raise the bound above the 3-dicycle LP (:func:`central_cut_bound`) for the time left. With
    `start` (a Lagrangian state) the packing is skipped. The pairwise bound below n = 3.

    With ``time_limit=None`` the effort is fixed and no step depends on the clock (with `upper` a
    number or None, the bound is the same on any machine): ``PACKING_WORK / n^3`` packing rounds
    (:data:`PACKING_WORK`: a maximal packing up to n = 400, none from n = 2155 on), then below
    :data:`LAGRANGE_UP_TO` nodes :func:`lagrange_rounds` Lagrangian rounds of :data:`ROUND_STEPS`
    steps, then up to :data:`PDLP_UP_TO` nodes at most :data:`PDLP_SOLVES` PDLP solves, each to its
    tolerances or :data:`PDLP_ITERATIONS` iterations, then :data:`CENTRAL_ROUNDS` interior-point solves
    with cuts in the :data:`CENTRAL_FROM`-:data:`CENTRAL_UP_TO` range.

    Parameters
    ----------
    A, time_limit, upper, report, stop, start
        As for :func:`lagrangian_bound`.

    Returns
    -------
    bound : float
        A proven lower bound, never above `upper`.
    stats : dict
        The solver's details (``solver``, ``status``, ``seconds``, ``packing``: the packing's, ...).

    Examples
    --------
    >>> import numpy as np
    >>> A = np.array([[0., 2, 0], [0, 0, 2], [1, 0, 0]])
    >>> bound(A)[0]
    1.0
    """
    t0 = perf_counter()
    n = np.shape(A)[0]
    if n < 3 or start is not None:
        return _relax_and_cut(A, time_limit, upper, report, stop, start)
    rounds = None if time_limit is not None else int(PACKING_WORK / float(n) ** 3)
    packed, stats = packing_bound(A, time_limit=time_limit, upper=upper, report=report, stop=stop, rounds=rounds)
    if stats["status"] in ("time limit", "stopped", "bound meets the order given") or (
            LAGRANGE_UP_TO <= n <= PACKING_UP_TO) or (time_limit is None and lagrange_rounds(n) == 0):
        return packed, stats

    def better(b):
        if b > packed and report is not None:
            report(b)

    left = None if time_limit is None else max(0.0, time_limit - (perf_counter() - t0))
    best, more = _relax_and_cut(A, left, upper, better, stop, None)
    more.update(solver="packing+" + more["solver"], seconds=perf_counter() - t0,
                packing={k: stats[k] for k in ("rounds", "triangles", "seconds")})
    return min(max(best, packed), _upper_now(upper)()), more


def lagrange_rounds(n: int) -> int:
    """Rounds of the Lagrangian without a time limit: :data:`LAGRANGE_ROUNDS`, fewer from n = 179 on,
    none from n = 231 on (fewer than :data:`LEAST_ROUNDS`)."""
    rounds = min(LAGRANGE_ROUNDS, int(LAGRANGE_WORK / (float(n) * n)))
    return rounds if rounds >= LEAST_ROUNDS else 0


def _relax_and_cut(A, time_limit, upper, report, stop, start) -> tuple[float, dict]:
    """The Lagrangian, finished by PDLP up to :data:`PDLP_UP_TO` nodes (see :func:`bound`)."""
    t0 = perf_counter()
    n = np.shape(A)[0]
    finish = 3 <= n <= PDLP_UP_TO and _pdlp_available()
    central = finish and CENTRAL_FROM <= n <= CENTRAL_UP_TO
    share = LAGRANGE_SHARE if finish else 1.0
    timed = time_limit is not None
    best, stats = lagrangian_bound(A, time_limit=share * time_limit if timed else None, upper=upper,
                                   report=report, stop=stop, start=start,   # with the cuts to come: the
                                   rounds=None if timed and not central else lagrange_rounds(n))  # rounds at most
    if not finish or stats["status"] not in ("time limit", "rounds"):
        return best, stats
    A = np.asarray(A, dtype=np.float64)
    c0, c, integral = costs(A)
    triples = stats["state"][0]
    upper_now = _upper_now(upper)
    stats.update(solver="lagrangian+pdlp", pdlp_solves=0)
    while ((stats["pdlp_solves"] < PDLP_SOLVES) if not timed else (perf_counter() - t0 < time_limit)) and not (
            stop is not None and stop()):
        x, y = _pdlp(c, triples, n, t0 + time_limit - perf_counter() if timed else None)
        stats["pdlp_solves"] += 1
        b, _ = safe_bound(c0, c, triples, y, n, integral)
        best = _raised(best, b, report)
        if best >= upper_now():
            break
        new, _ = violated_triples(before_matrix(x, n), VIOLATION, ROWS_PER_NODE * n)
        if len(new) == 0:
            stats["status"] = "optimal: the LP over all 3-dicycle rows"
            break
        triples = np.concatenate([triples, new])
    left = None if not timed else t0 + time_limit - perf_counter()
    if (central and stats["pdlp_solves"] and best < upper_now()
            and (left is None or left > 0) and not (stop is not None and stop())):
        b, stats["central"] = central_cut_bound(A, triples, x, time_limit=left, upper=upper, report=report,
                                                stop=stop, rounds=CENTRAL_ROUNDS)
        best = max(best, b)
    stats.update(rows=len(triples), seconds=perf_counter() - t0, state=(triples, np.zeros(len(triples))))
    return min(best, upper_now()), stats


def central_cut_bound(A: np.ndarray, triples: np.ndarray, x: np.ndarray, *, time_limit: float | None = None,
                      upper=None, report=None, stop=None, rounds: int = CENTRAL_ROUNDS) -> tuple[float, dict]:
    """Lower bound from {0,1/2}-cuts separated at interior points of the 3-dicycle LP's optimal face.

    At a vertex of the 3-dicycle LP's optimal face (the simplex's answer) the cuts found cut off
    that vertex, and the LP moves to another of the same value: the bound stays flat for tens of
    rounds. Near the central path (HiGHS's interior-point method stopped at
    :data:`CENTRAL_TOLERANCE`, no crossover) the point lies inside the face, so its cuts cut the
    face itself. Each round solves the LP over the 3-dicycle rows tight at the last point and the
    cuts so far, proves the bound of its duals (:func:`safe_bound`), drops the 3-dicycle rows with
    more than :data:`TIGHT` of slack, and adds the 3-dicycle rows the point violates and up to
    :data:`CENTRAL_CUTS` ``n`` cuts of summed slack below :data:`CENTRAL_SLACK` (:func:`half_cuts`).
    Under a time limit each solve gets the time left, and a round starts only while the last
    round's time is left.

    Parameters
    ----------
    A : (n, n) ndarray
        The weights.
    triples : (m, 3) int ndarray
        3-dicycle rows to start from (a working set over which the LP has converged).
    x : ndarray
        A point of the LP's optimal face (pair vector); the rows tight there start the LP.
    time_limit : float or None
        Seconds; None: `rounds` interior-point solves, no clock read.
    upper, report, stop
        As for :func:`lagrangian_bound`.
    rounds : int
        Interior-point solves without a time limit (the first has no cuts).

    Returns
    -------
    bound : float
        A proven lower bound (``-inf`` when no solve gave duals), never above `upper`.
    stats : dict
        ``rounds``, ``cuts`` (added), ``rows`` (at the end), ``status``, ``seconds``.
    """
    t0 = perf_counter()
    upper_now = _upper_now(upper)
    stop_now = stop if stop is not None else (lambda: False)
    A = np.asarray(A, dtype=np.float64)
    n = A.shape[0]
    ij, jk, ik = columns(np.asarray(triples).reshape(-1, 3), n)
    value = x[ij] + x[jk] - x[ik]
    lp = LP(A)
    lp.add(triples[np.minimum(value, 1.0 - value) <= TIGHT])
    stats = {"rounds": 0, "cuts": 0, "status": "rounds"}
    best, took = -math.inf, 0.0
    while time_limit is not None or stats["rounds"] < rounds:
        began = perf_counter()
        left = None if time_limit is None else t0 + time_limit - began
        if left is not None and left <= took:  # a round would not end in time (a cut-short solve proves little)
            stats["status"] = "time limit"
            break
        if stop_now():
            stats["status"] = "stopped"
            break
        point, b, slack = lp.interior(left)
        stats["rounds"] += 1
        if point is None:
            stats["status"] = "no duals"
            break
        best = _raised(best, b, report)
        if best >= upper_now():
            stats["status"] = "bound meets the order given"
            break
        if time_limit is None and stats["rounds"] == rounds:
            break                              # the last solve's cuts would never be used
        if stop_now() or (time_limit is not None and perf_counter() >= t0 + time_limit):
            stats["status"] = "stopped" if stop_now() else "time limit"
            break
        lp.drop((slack > TIGHT) & (lp.kind == 0))
        added = lp.cut(point, CENTRAL_CUTS * n, CENTRAL_SLACK)
        stats["cuts"] += added
        if lp.separate(point, ROWS_PER_NODE * n) + added == 0:
            stats["status"] = "no violated row or cut"
            break
        took = perf_counter() - began
    stats.update(rows=len(lp.kind), seconds=perf_counter() - t0)
    return min(best, upper_now()), stats


def warm_up() -> None:
    """Compile the kernels and load PDLP on a 5-node problem (a first call costs up to seconds)."""
    A = np.triu(np.arange(1.0, 26.0).reshape(5, 5), 1) + np.tril(np.ones((5, 5)), -1)
    lagrangian_bound(A, time_limit=1e-3)       # its first round runs whatever the limit
    _compile_packing()
    cuts = half_cuts(np.full(10, 0.5), 5, 1)
    c0, c, _ = costs(A)
    safe_bound(c0, c, np.array([[0, 1, 2]]), np.zeros(1), 5, False, cuts=cuts)
    if _pdlp_available():
        _pdlp(c, np.array([[0, 1, 2]]), 5, 1.0)


def _pdlp_available() -> bool:
    try:
        from ortools.pdlp.python import pdlp  # noqa: F401
    except ImportError:
        return False
    return True


def _pdlp(c: np.ndarray, triples: np.ndarray, n: int, seconds: float | None):
    """The LP over the rows `triples` by PDLP (one thread, at most `seconds`, or
    :data:`PDLP_ITERATIONS` iterations when None); returns ``(x, y)``,
    its primal and row duals however far it got (the duals are only ever used through
    :func:`safe_bound`). It holds the GIL while it runs: hence :data:`PDLP_UP_TO`."""
    import scipy.sparse as sp
    from ortools.pdlp import solvers_pb2
    from ortools.pdlp.python import pdlp

    m, p = len(triples), len(c)
    qp = pdlp.QuadraticProgram()
    qp.resize_and_initialize(p, m)
    qp.objective_vector = c
    cols = np.stack(columns(triples, n), axis=1).ravel()
    qp.constraint_matrix = sp.csr_matrix((np.tile([1.0, 1.0, -1.0], m), (np.repeat(np.arange(m), 3), cols)),
                                         shape=(m, p))
    qp.constraint_lower_bounds, qp.constraint_upper_bounds = np.zeros(m), np.ones(m)
    qp.variable_lower_bounds, qp.variable_upper_bounds = np.zeros(p), np.ones(p)
    params = solvers_pb2.PrimalDualHybridGradientParams()
    if seconds is None:
        params.termination_criteria.iteration_limit = PDLP_ITERATIONS
    else:
        params.termination_criteria.time_sec_limit = max(seconds, 1e-3)
    params.num_threads = 1
    result = pdlp.primal_dual_hybrid_gradient(qp, params)
    return np.asarray(result.primal_solution), np.asarray(result.dual_solution)
