"""Exact minimum feedback arc set of a sparse component: arc variables and lazily added cycle
inequalities (``method="fas"``; Baharev, Schichl, Neumaier & Achterberg, *An exact method for the
minimum feedback arc set problem*, ACM JEA 26, 2021).

After pairwise normalisation a component is a digraph: arc ``x -> y`` of weight ``A[x, y] > 0``, paid
when `x` ends up after `y`. The backward arcs of an order are a feedback arc set, and removing a feedback
arc set ``F`` leaves a DAG whose topological order pays at most ``w(F)``; so the least back-flow is the
minimum weight of a feedback arc set::

    minimise  sum_e w_e y_e   subject to  sum_{e in C} y_e >= 1  for every cycle C,  y in {0, 1}^arcs.

The variables are the arcs (not the ``n^2 / 2`` pairs of :mod:`~orderedness.solvers.exact.mip`), and of
the exponentially many cycles only a few are ever needed. How it runs:

1. Incumbent: the memetic heuristic for :data:`HEURISTIC_GENERATIONS` generations or
   :data:`HEURISTIC_SHARE` of the budget (at most :data:`HEURISTIC_SECONDS`), whichever ends first.
   Without a time limit, this and every later search is ended by its generation count alone.
2. Initial cycles: a shortest cycle through every arc, and through every backward arc of the incumbent
   in the graph of its forward arcs (breadth-first search).
3. LP rounds: the relaxation over the cycles so far is solved by HiGHS (dual simplex, kept warm); cycles
   shorter than 1 under the LP values are found by Dijkstra from every node and added, until none is.
   If they leave a gap, a longer memetic search (:data:`SEARCH_GENERATIONS` generations or
   :data:`SEARCH_SHARE` of the budget, at most :data:`SEARCH_SECONDS`, or until it meets the LP bound)
   improves the incumbent: on the unweighted benchmark graphs the short first search is often a few
   arcs above the minimum, and a proof by the integer rounds needs the minimum as incumbent. More
   generations find it more often (de Bruijn n = 110, d = 4: 98-99 after 1,000, 97, the minimum, after
   4,000; Imase-Itoh n = 110, d = 7: 211-212 and 210) but slow the connectomes' proofs 3-fold
   (Witvliet stage 2: 2.4 s against 0.8 s), where the LP gap is not closed by a better order.
4. Integer rounds: HiGHS's branch-and-cut solves the set-cover programme over the cycles so far with
   a cutoff (covers lighter than the incumbent only), with presolve (see
   :meth:`_Master.ilp`). Fewer cycles than the full problem make its optimum a lower bound, and no
   cover under the cutoff proves the incumbent. If its arcs leave the graph
   acyclic they are a minimum feedback arc set; otherwise a shortest cycle through each arc left on a
   cycle is added, the arc set is repaired into an order for the incumbent, and the programme is
   solved again.
5. If the integer rounds have not proven the incumbent when only :data:`LONG_SEARCH_SHARE` of the
   limit is left (at most :data:`LONG_SEARCH_SECONDS`; without a limit, after
   :data:`ILP_SLICE_SECONDS` of integer rounds), a third memetic search of up to
   :data:`LONG_SEARCH_GENERATIONS` generations takes that time, stopping as soon as it meets the best
   proven bound, and the integer rounds resume from its order. Kept for the end, it costs nothing
   where the integer rounds prove in time (the connectomes, 18 of the 24 benchmark graphs), and
   it finds the minimum where the bound is right but the incumbent is not (Imase-Itoh n = 110,
   d = 6: 155 after 1,000 generations, the bound 155 after 2,240-2,857 generations, 5-6 s). Its
   price: the integer rounds cut there lose their tree (HiGHS starts afresh), so a proof they would
   have reached in that last share comes later or not at all; the slowest proof measured, de Bruijn
   n = 100, d = 3, ends at 29-32 s of 60 (load average 4).

Tried on the five benchmark graphs not proven within 60 s, and not kept (measured 2026-11-26, load
average 1-3; "N" is the graph less its 2-cycles, whose minima are the published ones less 8, 15, 15, 22,
15). Their converged cycle LPs on N (de Bruijn n = 110, d = 4: 87.47, optimum 89; 110/6: 155.5, 157;
120/6: 164.0, 165; Imase-Itoh 110/7: 186.13, 188; 120/4: 97.0, 99) have large optimal faces with many
distinct fractional values, not half-integral vertices.

- {0,1/2}-Chvátal-Gomory cuts of the cycle rows (odd closed walks in the graph of fractional arcs and
  nearly tight rows, as :mod:`orderedness.kernels.halfcuts`; commit 4494683 has the kernel, rows with
  coefficients and right sides in the master and its bound, and tests): 1-87 violated cuts a round, yet
  the LP value never moved on any of the five, nor on de Bruijn 100/3, 100/6, Imase-Itoh 100/3, 110/6,
  15/4, 19/4 (the LP moves to another optimum of the same value); an exact separation
  (Caprara-Fischetti's MIP over the rows of slack below 1, HiGHS, 60 s) found no violated cut at
  Imase-Itoh 120/4's LP optimum (best slack 1.0, not proven least). In the integer rounds they slow
  HiGHS's tree: 120/6 with cutoff 164.5 on N, 85 cuts: 38 % of the tree in 120 s against the whole tree
  in 74 s without (1,161 nodes, no cover: the proof).
- Subgraph rows ``sum_{e in E(S)} y_e >= FAS(G[S])`` (the DP on ``S``): none violated at the LP optimum
  of Imase-Itoh 120/4 for ``S`` grown greedily from every node's neighbourhood up to 16 nodes.
- Target cuts (Buchheim, Liers & Oswald; commit a86c07e of branch ``tcut`` has the script): for a
  small graph ``H`` on ``k`` nodes, the most violated ``a.z >= a0`` with ``a in [0, 1]^E(H)`` at the LP
  point, by row generation over feedback arc sets of ``H`` with the subset DP as the oracle, rounded
  to integers up to 30 and ``a0`` recomputed exactly by the DP. On ``H = G[S]`` (``S`` grown greedily
  from each node, ``k = 16``, 33-53 distinct sets of 28-52 arcs, 7-13 s): no violated cut on any of
  the five. On "path graphs" (terminals: a node and its ``k - 1`` nearest under the LP lengths; an arc
  ``u -> v`` for each shortest path ``P_uv`` of LP length below 1, the point its length; valid since
  the arcs whose paths meet a feedback arc set of ``G`` are one of ``H``), ``k = 16``, 105-119 graphs
  of 158-229 arcs, 200-400 s a round: 1, 3, 0, 1 and 4 violated cuts (largest violation, per unit of
  ``sum a``, 0.006-0.011) on 110/4, 110/6, 120/6, 110/7, 120/4, and the LP stays at 87.4737, 155.5,
  164.0, 186.1317, 97.0; a second round finds 1 cut of violation 0.0002 (110/4) or 0.0004 (120/4,
  ``k = 14``, paths up to 1.5). The LP point spreads over nearly every arc (291 of 420 arcs fractional
  on 110/4, 139 distinct values), so any small graph sees a point its cycle rows already describe.
- The 3-dicycle LP (:func:`orderedness.relaxation.lp_bound`) on de Bruijn 100/3's N: 44.0 after 120 s,
  not converged, against the cycle LP's 52.67 (optimum 54).
- HiGHS options on 120/6 (cutoff 164.5, the proof above, 1,161 nodes, 74 s at load 2.7, 64 s at load 1):
  symmetry detection off, the same tree (73 s); no cut separation at nodes, 1,175 nodes, 95 s;
  ``mip_pscost_minreliable = 0``, 44 % after 120 s; ``mip_pool_soft_limit = 1000``,
  ``mip_pool_age_limit = 5`` or ``mip_lp_age_limit = 30``: 1,148-1,179 nodes, 62-65 s (load 1). Rows: only the 742 tight at
  the LP optimum, 6 % after 100 s (7,619 nodes); plus every cycle of up to 5 arcs (668 more), 42 % after
  100 s; plus the image of every row under the graphs' involution ``x -> n - 1 - x`` (1,355 more; HiGHS
  then finds an orbitope on all 680 columns), 71 % after 100 s. One tree per variant: HiGHS's trees vary
  a lot with the rows.
- Stopping an integer round at HiGHS's first cover under the cutoff (then adding its cycles, or taking
  it as the incumbent) instead of proving it least: the same proofs and times on de Bruijn 100/3, 100/4,
  Imase-Itoh 110/6, and no proof on 120/6 and Imase-Itoh 110/7 either way.
- With the minimum as incumbent, HiGHS's tree alone needs more than the budget: 120/6 64-74 s (above);
  110/4 (cutoff 88.5 on N) 60 % of the tree after 60 s, no cover found in 120 s (4,931 nodes). The
  incumbent is the other half: the memetic search (40 s, seed 1, up to 29,000 generations) stays at 181
  on 120/6, 211 on Imase-Itoh 110/7 and 173 on 110/6 (seeds 0-5, 10 s each, about 6,000-7,300
  generations: 181-182 and 211-212, load 1); HiGHS's tree with its default heuristics found 180
  on 120/6 in 61 s (two rounds, the first cover cyclic).
- HiGHS 1.16's callbacks: ``kCallbackMipDefineLazyConstraints`` is never called (0 calls in an 8 s MIP)
  and its callback input has no field for rows, so cycles cannot be added inside one tree;
  ``kCallbackMipUserSolution`` works through ``event.data_in.setSolution(y)`` (setting ``user_solution``
  directly ends the solve with ``kSolveError``): on de Bruijn 100/3 the minimum given so is accepted and
  proven in 285 nodes (215 with the cutoff instead), a way to give an improved incumbent to a running
  tree instead of restarting it.

Bounds. LP bounds are recomputed from the row duals by weak duality with a proven rounding margin, as
in :mod:`orderedness.relaxation`. The integer rounds' bound is HiGHS's MIP dual bound less a margin of
:data:`MIP_MARGIN` relative to the larger of the bound and the largest weight, and each MIP answer is
checked before use (see :meth:`_Master.ilp`).
With integer weights every bound is rounded up to an integer and a proof is exact; real weights are
scaled by a power of two (exactly) to a largest weight near 1, and an order within
:data:`REAL_PROOF` of the total weight above its bound counts as proven (HiGHS's tolerances).

Ctrl-C (or the ``progress`` reporter's caller stopping) ends the search at once with the best order
and the best proven bound, ``stats["stopped"] = STOPPED_BY_USER``.
"""
from __future__ import annotations

import math
import threading
from time import perf_counter

import numpy as np
from highspy import Highs, HighsCallbackEvent, HighsModelStatus, HighsVarType
from scipy.sparse import csr_matrix
from scipy.sparse.csgraph import connected_components, shortest_path

from ...backflow import backflow
from ...progress import STOPPED_BY_USER
from ...relaxation import _highs
from ...reduce import component_rank
from ...result import Ordering
from ...validate import InputError, check_options
from . import dp
from ..heuristics import memetic
from ..heuristics.insertion import polish

__all__ = ["solve", "check", "MAX_N", "OPTIONS", "HEURISTIC_SHARE", "HEURISTIC_SECONDS", "HEURISTIC_GENERATIONS",
           "SEARCH_SHARE", "SEARCH_SECONDS", "SEARCH_GENERATIONS", "LONG_SEARCH_SHARE", "LONG_SEARCH_SECONDS",
           "LONG_SEARCH_GENERATIONS", "ILP_SLICE_SECONDS", "MIP_MARGIN", "MIP_HEURISTIC_EFFORT", "REAL_PROOF"]

MAX_N = 5000              # the component is held as a dense matrix (8 n^2 bytes)
HEURISTIC_SHARE = 0.05    # of the time limit, for the memetic incumbent
HEURISTIC_SECONDS = 2.0   # at most this (without a time limit, the generations alone end each search)
HEURISTIC_GENERATIONS = 20  # or this many memetic generations, whichever ends first
SEARCH_SHARE = 0.15       # when the LP rounds leave a gap: a longer memetic search, this share of the limit,
SEARCH_SECONDS = 10.0     # at most this,
SEARCH_GENERATIONS = 1000  # or this many generations, or until it meets the LP bound, whichever ends first
LONG_SEARCH_SHARE = 0.2   # if the integer rounds leave a gap, this last share of the limit is kept
LONG_SEARCH_SECONDS = 15.0  # (at most this) for a longer memetic search:
LONG_SEARCH_GENERATIONS = 10_000  # this many generations at most, or until it meets the bound
ILP_SLICE_SECONDS = 30.0  # without a time limit, the integer rounds' first try before that search
MIP_MARGIN = 1e-7         # margin taken off HiGHS's MIP dual bound, relative to it or the largest weight
REAL_PROOF = 2e-7         # real weights: a bound this close (relative to the total) proves the order
VIOLATION = 1e-6          # an LP cycle shorter than 1 - VIOLATION is violated
LP_ROUNDS = 200           # most LP separation rounds before the integer rounds
MIP_HEURISTIC_EFFORT = 0.0  # HiGHS's primal heuristics: off, the incumbent comes from ours (see ilp)
REPAIR_DP_UP_TO = 16      # cycles an integer solution leaves in parts this small are broken optimally
OPTIONS = ("progress",)   # options solve() takes beyond the common signature


def check(n: int, **options) -> None:
    """Refuse components too large to hold densely."""
    if n > MAX_N:
        raise InputError(f"a component of n = {n} nodes is too large for method='fas' (at most {MAX_N}); "
                         "use method='heuristic' for an order with a bound")


class _Graph:
    """The arcs of a non-negative matrix, and shortest cycles through them."""

    def __init__(self, N: np.ndarray):
        self.n = N.shape[0]
        self.tail, self.head = np.nonzero(N)
        self.w = N[self.tail, self.head]
        self.m = len(self.w)
        self.key = self.tail * self.n + self.head          # sorted: np.nonzero is row-major

    def arcs(self, tails: np.ndarray, heads: np.ndarray) -> np.ndarray:
        return np.searchsorted(self.key, tails * self.n + heads)

    def cycles_through(self, arcs: np.ndarray, keep: np.ndarray, length: np.ndarray | None = None) -> list:
        """Arc ids of a shortest cycle through each arc of `arcs` in the graph of the arcs `keep`.

        With `length` (LP values), only cycles of length below ``1 - VIOLATION`` are returned;
        without, shortest means fewest arcs. Arcs on no cycle are skipped.
        """
        if len(arcs) == 0:
            return []
        t, h = self.tail[keep], self.head[keep]
        data = np.ones(len(t)) if length is None else np.maximum(length[keep], 0.0) + 1e-9
        G = csr_matrix((data, (t, h)), shape=(self.n, self.n))
        sources = np.unique(self.head[arcs])
        dist, pred = shortest_path(G, method="D", directed=True, unweighted=length is None,
                                   indices=sources, return_predecessors=True)
        rows = np.searchsorted(sources, self.head[arcs])
        found = []
        for e, r in zip(arcs.tolist(), rows.tolist()):
            u, v = int(self.tail[e]), int(self.head[e])
            if not math.isfinite(dist[r, u]):
                continue
            path = [u]
            while path[-1] != v:
                path.append(int(pred[r, path[-1]]))
            nodes = np.array(path[::-1])                 # v ... u
            ids = np.append(self.arcs(nodes[:-1], nodes[1:]), e)
            if length is not None and length[ids].sum() >= 1.0 - VIOLATION:
                continue
            found.append(np.sort(ids))
        return found

    def order(self, keep: np.ndarray, prefer: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """An order of the nodes topological for the arcs `keep` where they are acyclic: strongly
        connected parts in topological order, nodes inside a part of at most
        :data:`REPAIR_DP_UP_TO` nodes in the DP's optimal order of its kept arcs, inside larger parts by `prefer` (positions).
        Returns the order and the kept arcs inside a strongly connected part (none when acyclic)."""
        support = csr_matrix((np.ones(int(keep.sum()), dtype=np.int8), (self.tail[keep], self.head[keep])),
                             shape=(self.n, self.n))
        k, labels = connected_components(support, directed=True, connection="strong")
        rank = component_rank(self.tail[keep], self.head[keep], labels, k)
        inside = keep & (labels[self.tail] == labels[self.head])
        sizes = np.bincount(labels, minlength=k)
        small = np.flatnonzero((sizes > 1) & (sizes <= REPAIR_DP_UP_TO))
        if len(small):
            prefer = prefer.copy()          # only compared inside a part: a part's own ranks will do
            kept = np.zeros((self.n, self.n))
            kept[self.tail[inside], self.head[inside]] = self.w[inside]
            for c in small:
                nodes = np.flatnonzero(labels == c)
                prefer[nodes[dp.solve(kept[np.ix_(nodes, nodes)]).order]] = np.arange(len(nodes))
        return np.lexsort((prefer, rank[labels])), inside


class _Master:
    """The set-cover programme over the cycles found so far, on one HiGHS instance."""

    def __init__(self, w: np.ndarray, integral: bool):
        self.w, self.m, self.integral = w, len(w), integral
        self.rows: list = []
        self._seen: set = set()
        self.stop = False
        self.report = None
        self.failed_checks = 0
        self.h = self._highs()

    def _highs(self, rows: list = ()) -> Highs:
        """A silent HiGHS instance (:func:`orderedness.relaxation._highs`) with the arc columns, the
        cycle rows `rows`, and the interrupt callbacks :meth:`interrupt` and :meth:`mip_interrupt`."""
        h = _highs(mip=True)
        h.setOptionValue("mip_rel_gap", 0.0)
        h.setOptionValue("mip_abs_gap", 1e-6 if self.integral else 1e-9 * float(self.w.sum()))
        h.addVars(self.m, np.zeros(self.m), np.ones(self.m))
        h.changeColsCost(self.m, np.arange(self.m, dtype=np.int32), self.w)
        _add_rows(h, rows)
        h.cbSimplexInterrupt.subscribe(self.interrupt)
        h.cbMipInterrupt.subscribe(self.mip_interrupt)
        return h

    def add(self, cycles: list) -> int:
        """Add the rows ``sum_{e in C} y_e >= 1`` of the cycles not yet in; returns how many were new."""
        new = []
        for c in cycles:
            key = c.tobytes()
            if key not in self._seen:
                self._seen.add(key)
                new.append(c)
        _add_rows(self.h, new)
        self.rows.extend(new)
        return len(new)

    def _run(self, h: Highs, seconds: float) -> None:
        """``run`` in a thread so that Ctrl-C reaches Python; it interrupts HiGHS through a callback."""
        h.setOptionValue("time_limit", h.getRunTime() + max(seconds, 1e-3))   # HiGHS's clock adds up
        worker = threading.Thread(target=h.run, daemon=True)
        worker.start()
        try:
            while worker.is_alive():
                worker.join(0.1)
        except KeyboardInterrupt:
            self.stop = True
            worker.join()
            raise

    def lp(self, seconds: float):
        """Solve the relaxation; returns ``(status, y, safe_bound)``."""
        self._run(self.h, seconds)
        if self.h.getModelStatus() != HighsModelStatus.kOptimal:
            return "stopped", None, -math.inf
        sol = self.h.getSolution()
        return "optimal", np.asarray(sol.col_value), self._dual_bound(np.asarray(sol.row_dual))

    def _dual_bound(self, z: np.ndarray) -> float:
        """Weak duality: for any ``z >= 0``, ``sum z + sum_e min(0, w_e - sum_{C ni e} z_C)`` bounds every
        feedback arc set (each satisfies the rows). Each reduced cost sums ``k + 1`` terms (``k`` its
        row count), so its error is below ``(k + 1) u (w_e + sum z)``; the sums are exactly rounded, and
        twice that total is taken off."""
        z = np.maximum(z, 0.0)
        d, reach = self.w.copy(), self.w.copy()
        k = 0
        if len(self.rows):
            idx = np.concatenate(self.rows)
            zz = np.repeat(z, [len(c) for c in self.rows])
            np.subtract.at(d, idx, zz)
            np.add.at(reach, idx, zz)
            k = int(np.bincount(idx).max())
        value = math.fsum([math.fsum(z), math.fsum(np.minimum(0.0, d))])
        value -= 2 * np.finfo(np.float64).eps * ((k + 1) * math.fsum(reach) + 4 * abs(value)) + 1e-300
        return float(math.ceil(value)) if self.integral else value

    def ilp(self, seconds: float, cutoff: float):
        """Least cover lighter than `cutoff` by the set-cover programme; returns ``(status, y,
        bound)``: "optimal" with the least cover `y` (at most `cutoff`), "none" when every cover
        weighs more than `cutoff`, or "stopped" (time, Ctrl-C, or an answer that fails its check).
        `bound` is a proven bound on every cover of the rows that weighs at most `cutoff` (HiGHS's
        dual bound less :data:`MIP_MARGIN`; ``inf`` when HiGHS found no cover at all).

        The cutoff is HiGHS's ``objective_bound`` on a fresh instance with presolve (nodes whose bound
        passes it are pruned), not the incumbent given as a start: HiGHS 1.16 moves a start into its
        presolved space wrongly when presolve drops columns (on ``imase_itoh(52, 3)``, 228 cycles: "MIP
        start solution is feasible: objective value is 30", then "... in the reduced space: objective
        value is 28", then the start returned as "optimal" with objective and dual bound 28; without
        the start, the least cover weighs 30), an answer the check below rejected and a second solve
        from scratch then replaced. The cutoff prunes at least what the start's value did, and more
        with integer weights (the incumbent less one half): on de Bruijn n = 100, d = 3 (552 cycles,
        the minimum as incumbent) the proof takes 215 nodes against 1,127 from the start and 2,013
        with a row ``w y <= incumbent - 1`` in its place; n = 120, d = 3 (657 cycles): 0.2 s against
        6.7 s. The answer is checked (`y` covers every row, weighs the reported objective, which is
        not below the dual bound); a failed check counts in ``failed_checks`` and stops the round.
        A cover HiGHS finds above the cutoff is no news and is dropped (its dual bound is kept: a
        tree ended by the gap tolerance proves the cutoff only up to it). Presolve stays on: off made
        the tree search several times slower (de Bruijn n = 100, d = 3, 632 cycles, the minimum as
        start: proven in 18.7 s with presolve, 99.97 % of the tree after 50 s without; one thread,
        load average 5).

        HiGHS's own primal heuristics are off (:data:`MIP_HEURISTIC_EFFORT`): the incumbent is the
        memetic order repaired after every round, and without them its branch-and-bound explores about
        2.6 times as many nodes in the same time (de Bruijn n = 110, d = 4, presolve on: 1,059 against 402
        in 45 s).
        """
        h = self._highs(self.rows)
        h.changeColsIntegrality(self.m, np.arange(self.m, dtype=np.int32),
                                np.full(self.m, HighsVarType.kInteger, dtype=np.uint8))
        h.setOptionValue("mip_heuristic_effort", MIP_HEURISTIC_EFFORT)
        h.setOptionValue("objective_bound", cutoff)
        self._run(h, seconds)
        status, info = h.getModelStatus(), h.getInfo()
        y = np.round(np.asarray(h.getSolution().col_value)) if info.primal_solution_status == 2 else None
        if y is not None and not self._consistent(y, info.objective_function_value, info.mip_dual_bound):
            self.failed_checks += 1
            return "stopped", None, -math.inf
        above = y is not None and float(self.w @ y) > cutoff      # a cover above the cutoff: no news
        done = status in (HighsModelStatus.kOptimal, HighsModelStatus.kInfeasible)
        bound = self.safe(info.mip_dual_bound)
        if done and (y is None or above):
            return "none", None, bound if above else math.inf
        return "optimal" if done else "stopped", None if above else y, bound

    def _consistent(self, y: np.ndarray, objective: float, bound: float) -> bool:
        tol = 1e-6 * max(1.0, float(self.w.sum()))
        weight = float(self.w @ y)
        covered = all(y[c].sum() >= 1 for c in self.rows)
        return covered and abs(weight - objective) <= tol and (not math.isfinite(bound) or bound <= weight + tol)

    def safe(self, bound: float) -> float:
        """HiGHS's MIP dual bound less :data:`MIP_MARGIN` relative to the larger of it and the largest
        weight (not to 1: real weights are scaled to a largest weight near 1, and a total below 1 then
        made the margin wider than :data:`REAL_PROOF` and no order could be proven), rounded up for
        integer weights."""
        if not math.isfinite(bound):
            return -math.inf
        bound -= MIP_MARGIN * max(float(self.w.max()), abs(bound))
        return float(math.ceil(bound)) if self.integral else bound

    def interrupt(self, event: HighsCallbackEvent) -> None:
        """HiGHS's simplex interrupt callback: stop on Ctrl-C."""
        if self.stop:
            event.interrupt()

    def mip_interrupt(self, event: HighsCallbackEvent) -> None:
        """HiGHS's MIP interrupt callback: report progress, stop on Ctrl-C."""
        if self.report is not None:
            self.report(event.data_out.mip_primal_bound, self.safe(event.data_out.mip_dual_bound))
        self.interrupt(event)


def _add_rows(h: Highs, cycles: list) -> None:
    """Add the rows ``sum_{e in C} y_e >= 1`` of `cycles` (arrays of arc ids) to `h`."""
    if len(cycles):
        starts = np.cumsum([0] + [len(c) for c in cycles[:-1]]).astype(np.int32)
        idx = np.concatenate(cycles).astype(np.int32)
        k = len(cycles)
        h.addRows(k, np.ones(k), np.full(k, np.inf), len(idx), starts, idx, np.ones(len(idx)))


class _Search:
    """The incumbent, the bound and the rounds of one solve."""

    def __init__(self, N: np.ndarray, deadline: float, progress, constant: float, scale: float = 1.0):
        self.N, self.D = N, N - N.T
        self.g = _Graph(N)
        self.integral = bool(np.all(self.g.w == np.round(self.g.w)))
        self.master = _Master(self.g.w, self.integral)
        self.master.report = self._report_mip
        self.deadline, self.progress, self.constant, self.scale = deadline, progress, constant, scale
        self.close = 0.5 if self.integral else REAL_PROOF * float(self.g.w.sum())
        self.lower = 0.0
        self.order = np.arange(N.shape[0])
        self.best = backflow(N, self.order)
        self.stats = {"arcs": self.g.m, "lp_rounds": 0, "ilp_rounds": 0, "incumbent_improvements": 0}

    def left(self) -> float:
        return self.deadline - perf_counter()

    def proven(self) -> bool:
        return self.best - self.lower < self.close if self.integral else self.best - self.lower <= self.close

    def offer(self, order: np.ndarray) -> None:
        order = polish(self.N, order, self.D)
        value = backflow(self.N, order)
        if value < self.best:
            self.order, self.best = order, value
            self.stats["incumbent_improvements"] += 1
        self._report()

    def raise_bound(self, bound: float) -> None:
        if bound > self.lower:
            self.lower = min(bound, self.best)
            self._report()

    def _report(self) -> None:
        if self.progress is not None:
            self.progress.update(self.constant + self.best / self.scale,
                                 self.constant + self.lower / self.scale)

    def _report_mip(self, primal: float, dual: float) -> None:
        if self.progress is not None:
            self.progress.update(self.constant + min(self.best, primal) / self.scale,
                                 self.constant + min(max(self.lower, dual), self.best) / self.scale)

    def backward(self, order: np.ndarray) -> np.ndarray:
        pos = np.empty(len(order), dtype=np.intp)
        pos[order] = np.arange(len(order))
        return pos[self.g.tail] > pos[self.g.head]

    def initial_cycles(self) -> None:
        g, everything = self.g, np.ones(self.g.m, dtype=bool)
        self.master.add(g.cycles_through(np.arange(g.m), everything))
        back = self.backward(self.order)
        self.master.add(g.cycles_through(np.flatnonzero(back), ~back))

    def lp_rounds(self) -> None:
        g, everything = self.g, np.ones(self.g.m, dtype=bool)
        while self.stats["lp_rounds"] < LP_ROUNDS and not self.proven() and self.left() > 0:
            status, y, bound = self.master.lp(self.left())
            if status != "optimal":
                return
            self.stats["lp_rounds"] += 1
            self.raise_bound(bound)
            self.stats["lp_bound"] = bound
            if self.master.add(g.cycles_through(np.arange(g.m), everything, length=y)) == 0:
                return

    def ilp_rounds(self, seconds: float = math.inf) -> bool:
        """Integer rounds until a proof, the deadline or `seconds` from now; returns True on a proof.

        Each round asks for the least cover of the cycles so far lighter than the incumbent (by more
        than half the proof's tolerance with real weights); when there is none, that proves it."""
        g = self.g
        end = min(self.deadline, perf_counter() + seconds)
        while not self.proven() and end - perf_counter() > 0:
            cutoff = self.best - 0.5 if self.integral else self.best - self.close / 2
            status, y, bound = self.master.ilp(end - perf_counter(), cutoff)
            self.stats["ilp_rounds"] += 1
            above = self.best if self.integral else self.master.safe(cutoff)     # every cover not below
            self.raise_bound(min(bound, above))
            if y is None:
                break
            keep = y < 0.5
            pos = np.empty(g.n, dtype=np.intp)
            pos[self.order] = np.arange(g.n)
            order, cyclic = g.order(keep, pos)
            self.offer(order)
            if status != "optimal":
                break
            if not cyclic.any():
                self.raise_bound(min(bound, self.best))
                break
            self.master.add(g.cycles_through(np.flatnonzero(cyclic), keep))
        return self.proven()


def solve(A: np.ndarray, *, time_limit=None, seed: int = 0, progress=None, **options) -> Ordering:
    """Least back-flow order of `A` as a minimum-weight feedback arc set, proven unless stopped.

    Parameters
    ----------
    A : (n, n) ndarray
        Square float64 matrix, any signs (normalised pairwise here; the arcs are the non-zero entries
        left). Best on sparse components: the programme has one variable per arc.
    time_limit : float, optional
        Seconds; none means run to a proof. When reached, the best order is returned with the best
        proven bound (``optimal=False``).
    seed : int
        Seed of the heuristic that gives the first incumbent.
    progress : orderedness.progress.Progress, optional
        Reporter of the incumbent and bound (None: silent).

    Returns
    -------
    Ordering
        ``method="fas"``; ``stats`` has the arc count, the cycles, the LP and integer rounds and the
        LP bound.

    Examples
    --------
    >>> import numpy as np
    >>> A = np.array([[0., 1, 0, 0], [0, 0, 1, 0], [2, 0, 0, 1], [0, 3, 0, 0]])
    >>> r = solve(A)                 # two cycles, 0-1-2 and 1-2-3, share the arc 1 -> 2
    >>> r.backflow, r.optimal, r.order.tolist()
    (1.0, True, [2, 3, 0, 1])
    """
    t0 = perf_counter()
    n = A.shape[0]
    check(n)
    check_options(options, (), "method='fas'")
    A = np.array(A, dtype=np.float64)
    np.fill_diagonal(A, 0.0)
    M = np.minimum(A, A.T)
    constant = float(np.triu(M, 1).sum())
    N = A - M
    np.fill_diagonal(N, 0.0)
    scale = _scale(N)
    deadline = t0 + (math.inf if time_limit is None else float(time_limit))
    search = _Search(N * scale, deadline, progress, constant, scale)
    stats = search.stats
    try:
        if search.g.m:
            search.offer(_heuristic(N, _budget(time_limit, HEURISTIC_SHARE, HEURISTIC_SECONDS), seed,
                                    HEURISTIC_GENERATIONS))
            stats["heuristic_backflow"] = backflow(A, search.order)
            search.initial_cycles()
            search.lp_rounds()
            if not search.proven():
                search.offer(_heuristic(N, _budget(time_limit, SEARCH_SHARE, min(SEARCH_SECONDS, search.left())),
                                        seed + 1, SEARCH_GENERATIONS, search.lower / scale))
                stats["search_backflow"] = backflow(A, search.order)
            reserve = _budget(time_limit, LONG_SEARCH_SHARE, LONG_SEARCH_SECONDS)
            if not search.ilp_rounds(ILP_SLICE_SECONDS if reserve is None else search.left() - reserve) \
                    and search.left() > 0:
                search.offer(_heuristic(N, None if reserve is None else min(reserve, search.left()), seed + 2,
                                        LONG_SEARCH_GENERATIONS, search.lower / scale))
                stats["long_search_backflow"] = backflow(A, search.order)
                search.ilp_rounds()
        stats["stopped"] = None if search.proven() else "time limit"
    except KeyboardInterrupt:
        stats["stopped"] = STOPPED_BY_USER
    stats["cycles"] = len(search.master.rows)
    stats["highs_answers_rejected"] = search.master.failed_checks
    stats["weights"] = "integer" if search.integral else "real"
    if stats["stopped"] is None:
        del stats["stopped"]
    order = search.order
    value = backflow(A, order)
    optimal = search.proven()
    lower = value if optimal else min(constant + search.lower / scale, value)
    return Ordering(order, value, lower, optimal, "fas", perf_counter() - t0, stats)


def _heuristic(N: np.ndarray, seconds: float | None, seed: int, generations: int,
               known_bound: float = -math.inf) -> np.ndarray:
    """The memetic order of `N` after `generations` generations, `seconds` (None: no clock) or on
    meeting the proven bound `known_bound`, whichever comes first; Ctrl-C during it is passed on."""
    r = memetic.solve(N, time_limit=None if seconds is None else max(seconds, 1e-3), seed=seed, bound="pairwise",
                      generations=generations, known_bound=known_bound)
    if r.stats.get("stopped") == STOPPED_BY_USER:
        raise KeyboardInterrupt
    return r.order


def _budget(time_limit, share: float, seconds: float) -> float | None:
    """`share` of `time_limit`, at most `seconds`; None when there is no time limit (the search's
    generation count ends it)."""
    return None if time_limit is None else min(seconds, share * time_limit)


def _scale(N: np.ndarray) -> float:
    """A power of two bringing the largest weight near 1 for HiGHS (exact: only the exponent changes);
    1 for integer weights up to 2**20, which stay integers."""
    top = float(N.max(initial=0.0))
    if top == 0.0 or (top <= 2.0**20 and np.all(N == np.round(N))):
        return 1.0
    return 2.0 ** -math.frexp(top)[1]
