"""Exact linear ordering by branch-and-cut over pair variables (``method="mip"``).

The integer programme (Grötschel, Jünger & Reinelt 1984): a binary ``x[a, b]`` for each pair ``a < b``
(1 when `a` comes first), the back-flow ``sum_{a<b} A[a, b] + (A[b, a] - A[a, b]) x[a, b]`` to minimise,
and the 3-dicycle rows ``0 <= x[a,b] + x[b,c] - x[a,c] <= 1`` that make an integral `x` an order. The
relaxation (model, HiGHS set-up, separator, safe bound) is :mod:`orderedness.relaxation`.

How it runs
-----------
1. Warm start: the degree order, and the order given as ``start`` (a heuristic's), each improved by
   insertion local search (:func:`~orderedness.solvers.heuristics.insertion.polish`); the better one.
   Without a start, from :data:`START_FROM` nodes on and when the root does not prove that order
   after :data:`CUT_ROUNDS` cut rounds (or at all), the memetic search
   (:mod:`~orderedness.solvers.heuristics.memetic`) offers one more, made in
   :data:`START_GENERATIONS` generations (before the cut rounds' tail is measured on the gap).
2. Branch-and-cut on the HiGHS LP kept warm between solves (dual simplex after every change):
   the 3-dicycle rows are separated lazily from each LP solution (the most violated first) and
   stay in the LP as global cuts; at the root, once none is violated, {0,1/2}-Chvátal–Gomory cuts of
   those rows (:func:`orderedness.relaxation.half_cuts`) are added in rounds while the last
   :data:`CUT_ROUNDS` rounds together closed :data:`CUT_TAIL` of the gap left before them; every LP
   solution is rounded to an order and polished by insertion; nodes are taken best bound first,
   each starting from its parent's optimal basis
   (:meth:`~orderedness.relaxation.LP.restore`; a dive continues from it as it is), with Devex
   pricing below the root (steepest-edge weights are recomputed after every restored basis), and
   each LP's dual simplex stops once its objective passes the incumbent (HiGHS's
   ``objective_bound``: the duals' safe bound then prunes, or the LP is solved in full when it
   falls short). Branching is reliability branching: each fractional pair scores
   the product of the bound gains expected in its two children, from its pseudo-costs (the gain per
   unit moved, averaged over the branchings on it so far), or, while it has fewer than
   :data:`RELIABLE` of them each way, from strong branching: up to :data:`STRONG_CANDIDATES` such pairs
   are probed by the LP under each child's fixing, cut at :data:`STRONG_ITERATIONS` dual simplex
   iterations. A probe's duals bound its child safely (weak duality holds for any multipliers), so
   the children start with that bound, and a child the probe prunes is never solved.
3. Bounds are *safe*: each node's bound is recomputed from the LP duals by weak duality, with the
   proven rounding margin (:func:`orderedness.relaxation.safe_bound`), so LP tolerances cannot make
   a wrong proof. With these bounds pairs are fixed by reduced cost at every node, and every node's
   fixings (branching and reduced cost) are closed by transitivity
   (:func:`~orderedness.kernels.fixings.close_fixings`): a before b and b before c fix a before c,
   and fixings that close a cycle prune the node.
4. Weights stay real: no scaling anywhere; when all weights are integers the bound is rounded up.
5. Below the root, ``threads`` workers (default two) expand nodes in lockstep (:class:`_Tree`): each
   step gives each worker its dive child or the best open node, solved at once on the workers' own
   HiGHS LPs (HiGHS releases the GIL), then merged in worker order (incumbents, pseudo-costs, the
   3-dicycle rows each separated, children), so the tree is the same on every run for a given
   ``threads``.

Stopped by the time limit or Ctrl-C, it returns its best order with the least bound of the open nodes
(``optimal=False``).
"""
from __future__ import annotations

import heapq
import itertools
import math
import os
import threading
from concurrent.futures import ThreadPoolExecutor
from contextlib import nullcontext
from dataclasses import dataclass, field
from time import perf_counter, thread_time

import numpy as np

from ...backflow import backflow, pairwise_bound
from ...kernels.dicycles import before_matrix, score_order, violated_triples
from ...kernels.fixings import close_fixings
from ...progress import STOPPED_BY_USER
from ...relaxation import LP, columns
from ...result import Ordering
from ...validate import InputError, check_choice, check_count, check_options
from ..heuristics import memetic
from ..heuristics.greedy import degree_order
from ..heuristics.insertion import polish

__all__ = ["solve", "check", "MAX_N", "BACKENDS"]

MAX_N = 400          # n(n-1)/2 = 79800 pair variables: beyond this the LP alone is too slow to help
PLUNGE = 0.5         # dive into a child while its bound is within this share of the gap from the best
INTEGRAL = 1e-6      # an LP value this close to 0 or 1 counts as integral
RELIABLE = 2         # a pair's pseudo-costs are trusted after this many observed branchings each way
STRONG_CANDIDATES = 4  # at most this many unreliable pairs are strong-branched at a node ...
STRONG_ITERATIONS = 50  # dual simplex iterations of one strong-branching LP (its duals bound the child)
LOOKAHEAD = 2        # ... stopping after this many in a row did not beat the best score
SCORE_FLOOR = 1e-6   # product score: a gain counts as at least this (relative to the node bound's scale)
CUT_DEPTH = 0        # {0,1/2}-cuts are separated at nodes up to this depth (the root: docs/solvers.md) ...
CUT_TAIL = 0.02      # ... while the last CUT_ROUNDS rounds of them closed at least this share of the gap left
CUT_ROUNDS = 3       # (the first rounds may barely move the bound: seeds 16, 24 at n = 40, docs/solvers.md)
NODE_PRICING = 1     # dual simplex pricing below the root: Devex (LP.pricing)
START_FROM = 23      # from this n on, without a start given and when the root does not prove the start, the
                     # memetic search makes another (smaller: instant proofs; its warm-up calls this at n = 5) ...
START_GENERATIONS = 200  # ... in this many generations (0.1 s at n = 40) ...
START_SHARE = 0.05   # ... or this share of the time limit if that comes first
COUNTERS = ("lp_solves", "cuts", "rows_dropped", "fixed_by_reduced_cost", "heuristic_improvements",
            "strong_branchings", "half_cuts", "fixed_by_transitivity")   # a worker's counters, summed
OPTIONS = ("backend", "start", "outside", "progress", "threads")   # options solve() takes beyond the common signature


def check(n: int, **options) -> None:
    """Refuse sizes whose pair LP is too large to be useful."""
    if n > MAX_N:
        raise InputError(f"a component of n = {n} nodes is too large for method='mip' (at most {MAX_N}); "
                         "use method='greedy' for an order with a bound")


@dataclass(order=True)
class _Node:
    bound: float
    depth: int
    tick: int
    lower: np.ndarray = field(compare=False)
    upper: np.ndarray = field(compare=False)
    branch: tuple | None = field(default=None, compare=False)   # (pair, side, distance moved, parent bound)
    basis: tuple | None = field(default=None, compare=False)    # the parent's optimal basis (LP.basis)


class _Search:
    """One worker of the branch-and-cut: its LP, and the incumbent and pseudo-costs as it knows them
    (the tree's at the start of a step, then its own offers and observations), with its counters."""

    def __init__(self, A: np.ndarray, order: np.ndarray, deadline: float | None, progress=None,
                 lp: LP | None = None, stop: threading.Event | None = None):
        self.A = A
        self.progress = progress
        self.D = A - A.T
        self.n = A.shape[0]
        self.lp = LP(A) if lp is None else lp
        self.order, self.best = order, backflow(A, order)
        self.deadline = deadline
        self.stop = threading.Event() if stop is None else stop
        self.integer = self.lp.integral
        self.tol = 1e-9 * max(1.0, float(np.abs(A).sum()))
        self.cut_limit = 4 * self.n
        self.stats = dict.fromkeys(COUNTERS, 0)
        self.gain = np.zeros((2, self.lp.m))    # pseudo-costs: bound gained per unit moved, summed ...
        self.seen = np.zeros((2, self.lp.m))    # ... over this many branchings, down (0) and up (1)
        self.records: list[tuple[int, int, float]] = []   # this step's pseudo-cost observations ...
        self.fresh: list[np.ndarray] = []       # ... and 3-dicycle rows (for the tree to merge)
        self.more = None                        # makes one more order to offer when the root is not proof enough

    def cutoff(self, bound: float) -> bool:
        """True when no order under this bound beats the incumbent."""
        if self.integer and math.isfinite(bound):
            return math.ceil(bound - self.tol) >= self.best - 0.5
        return bound >= self.best - self.tol

    def lp_cutoff(self) -> float:
        """The LP value past which :meth:`cutoff` prunes: the dual simplex may stop there (its
        duals' safe bound then decides)."""
        return self.best - 0.5 if self.integer else self.best

    def seconds_left(self) -> float:
        if self.stop.is_set():
            return 0.0
        return math.inf if self.deadline is None else self.deadline - perf_counter()

    def offer(self, order: np.ndarray) -> None:
        """Polish `order` by insertion and keep it if it beats the incumbent."""
        order = polish(self.A, order, self.D)
        value = backflow(self.A, order)
        if value < self.best - self.tol:
            self.order, self.best = order, value
            self.stats["heuristic_improvements"] += 1
            if self.progress is not None:
                self.progress.update(incumbent=value)

    def offer_more(self) -> None:
        """Offer the order :attr:`more` makes (once)."""
        self.offer(self.more())
        self.more = None

    def evaluate(self, node: _Node):
        """Cut until no 3-dicycle is violated; returns ``(status, x, bound)`` with status "open",
        "pruned" or "stopped". Stopped part way, the node keeps the best bound its LPs proved
        (``node.bound`` is raised to it: the root's cut rounds count even when they do not end)."""
        x = bound = None
        rounds = []                 # the bound at each {0,1/2}-cut round so far
        while True:
            left = self.seconds_left()
            status = "stopped"
            if left > 0:
                status, x_new, b, d = self._solve(node, min(left, 1e9))
            if status == "stopped":
                if bound is not None:
                    node.bound = max(node.bound, bound)
                return "stopped", None, node.bound
            if status == "infeasible" or self.cutoff(b):
                return "pruned", None, b
            x, bound = x_new, b
            added = self.lp.separate(x, self.cut_limit)
            self.stats["cuts"] += added
            if added:
                self.fresh.append(self.lp.triples[-added:])
            if added == 0 and len(rounds) == CUT_ROUNDS and self.more is not None:
                self.offer_more()           # before the cut rounds' tail is first measured on its gap
                if self.cutoff(bound):
                    return "pruned", None, bound
            if added == 0 and self._cutting(node, bound, rounds):
                rounds.append(bound)
                added = self.lp.cut(x, self.cut_limit)
                self.stats["half_cuts"] += added
            if added == 0:
                break

        self.offer(score_order(before_matrix(x, self.n)))
        if not self._fix_by_reduced_cost(node, x, bound, d) or self.cutoff(bound):
            return "pruned", None, bound
        return "open", x, bound

    def _solve(self, node: _Node, seconds: float):
        """The node's LP (:meth:`LP.solve`'s answer), its dual simplex stopped once past the incumbent;
        solved again in full when the stop's safe bound falls short of pruning the node."""
        status, x, b, d = self.lp.solve(node.lower, node.upper, seconds, cutoff=self.lp_cutoff())
        self.stats["lp_solves"] += 1
        if status == "limit" and not self.cutoff(b):
            status, x, b, d = self.lp.solve(node.lower, node.upper, seconds)
            self.stats["lp_solves"] += 1
        return status, x, b, d

    def _cutting(self, node: _Node, bound: float, rounds: list) -> bool:
        """Whether to separate {0,1/2}-cuts at `node` now: up to :data:`CUT_DEPTH`, while the last
        :data:`CUT_ROUNDS` cut rounds (from the bounds at each, `rounds`) closed at least :data:`CUT_TAIL`
        of the gap left before them."""
        if node.depth > CUT_DEPTH:
            return False
        if len(rounds) < CUT_ROUNDS:
            return True
        start = rounds[-CUT_ROUNDS]
        return bound - start >= CUT_TAIL * (self.best - start)

    def _fix_by_reduced_cost(self, node: _Node, x, bound: float, d: np.ndarray) -> bool:
        """Fix free pairs whose flip would raise the safe bound past the incumbent (valid in the subtree),
        and what they imply; False when no order better than the incumbent is left in the subtree."""
        free = node.lower < node.upper
        gap = self.best - bound
        up = free & (d > gap + self.tol)       # raising x costs more than the gap: keep it at 0
        down = free & (-d > gap + self.tol)    # lowering x costs more than the gap: keep it at 1
        if up.any() or down.any():
            node.upper = node.upper.copy()
            node.lower = node.lower.copy()
            node.upper[up] = 0.0
            node.lower[down] = 1.0
            self.stats["fixed_by_reduced_cost"] += int(up.sum() + down.sum())
            return self.close(node.lower, node.upper)
        return True

    def close(self, lower: np.ndarray, upper: np.ndarray) -> bool:
        """Fix in place the pairs the fixed ones imply by transitivity; False when they close a cycle
        (no order keeps them)."""
        fixed = close_fixings(lower, upper, self.n)
        if fixed > 0:
            self.stats["fixed_by_transitivity"] += fixed
        return fixed >= 0

    def fixed(self, node: _Node, j: int, value: float):
        """The column bounds of `node` with pair `j` fixed to `value` and closed by transitivity (copies),
        or None when no order keeps them."""
        lower, upper = node.lower.copy(), node.upper.copy()
        lower[j] = upper[j] = value
        return (lower, upper) if self.close(lower, upper) else None

    def learn(self, node: _Node, bound: float | None) -> None:
        """Record the bound gained by the branching that made `node` (its pair's pseudo-cost)."""
        if node.branch is None or bound is None or not math.isfinite(bound):
            return
        j, side, moved, parent = node.branch
        self.record(side, j, max(bound - parent, 0.0), moved)

    def record(self, side: int, j: int, gained: float, moved: float) -> None:
        """One observation of pair `j`'s pseudo-cost on `side`: `gained` bound for `moved` of its value."""
        _observe(self.gain, self.seen, side, j, gained / moved)
        self.records.append((side, j, gained / moved))

    def choose(self, node: _Node, x: np.ndarray, bound: float, basis) -> tuple[int, list]:
        """The pair to branch on and its two children's bounds (reliability branching).

        Each fractional free pair scores ``max(down, floor) * max(up, floor)``, the bound gains its two
        children are expected to make: from its pseudo-costs, or by strong branching (the LP solved
        under each child's fixing) while they are unreliable. A strong-branching LP's safe bound is a
        bound of that child, so the children start with it."""
        free = node.lower < node.upper
        cand = np.flatnonzero(free & (np.abs(x - 0.5) < 0.5 - INTEGRAL))
        moved = np.stack([x[cand], 1.0 - x[cand]])          # distance to 0 (down) and to 1 (up)
        mean = [self.gain[s].sum() / self.seen[s].sum() if self.seen[s].any() else 1.0 for s in (0, 1)]
        unit = np.stack([np.where(self.seen[s, cand] > 0, self.gain[s, cand] / np.maximum(self.seen[s, cand], 1),
                                  mean[s]) for s in (0, 1)])
        floor = SCORE_FLOOR * max(1.0, abs(bound))
        expected = unit * moved
        score = np.maximum(expected[0], floor) * np.maximum(expected[1], floor)
        rank = np.argsort(-score, kind="stable")
        best = int(rank[0])
        children = [bound, bound]
        tried = misses = 0
        for r in rank:
            if tried >= STRONG_CANDIDATES or misses >= LOOKAHEAD:
                break
            j = int(cand[r])
            if min(self.seen[0, j], self.seen[1, j]) >= RELIABLE:
                continue
            tried += 1
            sides = []
            for side, value in ((0, 0.0), (1, 1.0)):
                if tried > 1 or side == 1:         # a probe starts from the node's basis
                    self.lp.restore(basis)
                bounds = self.fixed(node, j, value)
                if bounds is None:
                    status, b = "infeasible", math.inf
                else:
                    status, _, b, _ = self.lp.solve(*bounds, min(self.seconds_left(), 1e9), STRONG_ITERATIONS,
                                                    self.lp_cutoff())
                    self.stats["lp_solves"] += 1
                if status == "stopped":
                    return int(cand[best]), children
                b = max(b, bound)
                sides.append(b)
                if math.isfinite(b):
                    self.record(side, j, b - bound, moved[side, r])
            self.stats["strong_branchings"] += 1
            s = max(sides[0] - bound, floor) * max(sides[1] - bound, floor)
            if self.cutoff(sides[0]) or self.cutoff(sides[1]):
                return j, sides          # one child is pruned already: branch here
            if s > score[best]:
                best, misses = int(r), 0
            elif best != r:
                misses += 1
            if best == r:                # the probe replaces the pseudo-cost estimate of the best pair
                children, score[best] = sides, s
        return int(cand[best]), children

    def sync(self, best: float, order: np.ndarray, gain: np.ndarray, seen: np.ndarray) -> None:
        """Start a step from the tree's incumbent and pseudo-costs (copies: the step's own go to
        :attr:`records`)."""
        self.best, self.order = best, order
        self.gain, self.seen = gain.copy(), seen.copy()

    def expand(self, node: _Node, jumped: bool) -> _Done:
        """Evaluate `node` and choose its branching (from its own basis when `jumped`: not the dive
        this LP just made it); the children, the one the LP leans to marked as the dive."""
        if jumped and node.basis is not None:
            self.lp.restore(node.basis)
        try:
            status, x, bound = self.evaluate(node)
            self.learn(node, bound)
            if status == "open" and node.depth == 0:
                self.stats["root_bound"] = bound
                self.stats["rows_dropped"] += self.lp.drop_idle()
                self.lp.pricing(NODE_PRICING)
                if self.more is not None:
                    self.offer_more()
                    if self.cutoff(bound):
                        status = "pruned"
            if status == "open" and np.abs(x - 0.5).min() > 0.5 - INTEGRAL:
                status = "order"      # integral, no 3-dicycle violated: already offered to the incumbent
            if status == "open":
                bound = max(bound, node.bound)     # a child's orders are its parent's too
                basis = self.lp.basis()
                solves = self.stats["lp_solves"]
                j, bounds = self.choose(node, x, bound, basis)
                if self.stats["lp_solves"] > solves:      # probes moved the basis
                    self.lp.restore(basis)
        except KeyboardInterrupt:
            self.stats["stopped"] = STOPPED_BY_USER
            self.stop.set()
            status = "stopped"
        if status != "open":
            return _Done(node, status)
        children = []
        for side, value in ((0, 0.0), (1, 1.0)):
            fixed = self.fixed(node, j, value)
            if fixed is not None:
                child = _Node(bounds[side], node.depth + 1, 0, *fixed, (j, side, abs(x[j] - value), bound), basis)
                children.append((child, value == 1.0 - (x[j] < 0.5) and PLUNGE > 0))
        return _Done(node, status, children)


def _observe(gain: np.ndarray, seen: np.ndarray, side: int, j: int, unit: float) -> None:
    """Add one pseudo-cost observation (bound gained per unit moved) of pair `j` on `side`."""
    gain[side, j] += unit
    seen[side, j] += 1


@dataclass
class _Done:
    """What a worker made of a node: "open" (then its children, each with whether to dive into it),
    "pruned", "order" (integral) or "stopped" (back to the queue)."""
    node: _Node
    status: str
    children: list = field(default_factory=list)
    seconds: float = 0.0      # the worker's thread CPU time on it


class _Tree:
    """Best-bound-first branch-and-cut with `threads` workers (:class:`_Search`) in lockstep.

    The root is one worker's; its LP (rows, basis) is then copied for the others. Each step gives every
    worker its dive child (while within :data:`PLUNGE` of the gap) or the best open node, evaluates
    them at once (HiGHS releases the GIL), each on its own LP, against the incumbent and pseudo-costs
    of the step's start, then merges in worker order: incumbents, pseudo-cost observations, the
    3-dicycle rows each separated (added to the other LPs: all keep the same rows), children. So the
    tree depends on `threads`, never on timing (unless the time limit or Ctrl-C cuts it short).
    """

    def __init__(self, first: _Search, threads: int, progress=None, outside=None):
        self.workers = [first]
        self.threads = threads
        self.progress = progress
        self.outside = outside
        self.order, self.best = first.order, first.best
        self.gain, self.seen = first.gain.copy(), first.seen.copy()
        self.stats = {"nodes": 0, **dict.fromkeys(COUNTERS, 0)}
        self._tick = itertools.count()

    def cutoff(self, bound: float) -> bool:
        """:meth:`_Search.cutoff` against the tree's incumbent (every worker starts a step from it)."""
        return self.workers[0].cutoff(bound)

    def gather(self) -> None:
        """Merge the workers' step, in worker order: incumbents, pseudo-costs, rows, counters; then
        start them all from the result."""
        for w in self.workers:
            if w.best < self.best - w.tol:
                self.order, self.best = w.order, w.best
                if self.progress is not None:
                    self.progress.update(incumbent=self.best)
        for w in self.workers:
            for side, j, unit in w.records:
                _observe(self.gain, self.seen, side, j, unit)
            w.records.clear()
        if len(self.workers) > 1:
            fresh = [np.concatenate(w.fresh) if w.fresh else np.empty((0, 3), np.int64) for w in self.workers]
            for w in self.workers:
                for v, rows in zip(self.workers, fresh):
                    if v is not w and len(rows):
                        w.lp.share(rows)
        for w in self.workers:
            w.fresh.clear()
            for k, v in w.stats.items():
                self.stats[k] = self.stats.get(k, 0) + v if k in COUNTERS else v
            w.stats = dict.fromkeys(COUNTERS, 0)
            w.sync(self.best, self.order, self.gain, self.seen)

    def take(self, heap: list, dives: list) -> list:
        """This step's ``(worker, node, jumped)``: each worker's dive while within :data:`PLUNGE` of the
        gap, else the best open node not cut off; idle workers are left out."""
        for w, dive in enumerate(dives):
            if dive is not None and heap and dive.bound > heap[0].bound + PLUNGE * (self.best - heap[0].bound):
                heapq.heappush(heap, dive)
                dives[w] = None
        batch = []
        for w in range(len(self.workers)):
            node, jumped = dives[w], False
            dives[w] = None
            while (node is None or self.cutoff(node.bound)) and heap:
                node, jumped = heapq.heappop(heap), True
            if node is not None and not self.cutoff(node.bound):
                batch.append((w, node, jumped))
        return batch

    def step(self, batch: list, pool) -> list[_Done]:
        """Expand the batch's nodes at once: the first on this thread (Ctrl-C reaches it), the others
        on the pool's; a Ctrl-C while waiting stops them at their next LP."""
        futures = [pool.submit(self.expand, *job) for job in batch[1:]]
        done = [self.expand(*batch[0])]
        for f in futures:
            while True:
                try:
                    done.append(f.result())
                    break
                except KeyboardInterrupt:
                    self.workers[0].stop.set()
                    self.stats["stopped"] = STOPPED_BY_USER
        for (w, _, _), d in zip(batch, done):
            self.stats["worker_seconds"][w] += d.seconds
        self.stats["critical_seconds"] += max(d.seconds for d in done)
        return done

    def expand(self, w: int, node: _Node, jumped: bool) -> _Done:
        """Worker `w`'s :meth:`_Search.expand`, timed by its thread's CPU clock."""
        start = thread_time()
        done = self.workers[w].expand(node, jumped)
        done.seconds = thread_time() - start
        return done

    def run(self) -> tuple[bool, float]:
        """Search; returns ``(finished, lower_bound)``."""
        m = self.workers[0].lp.m
        heap = [_Node(pairwise_bound(self.workers[0].A), 0, next(self._tick), np.zeros(m), np.ones(m))]
        dives = [None] * self.threads
        self.stats.update(steps=0, worker_seconds=[0.0] * self.threads, critical_seconds=0.0)
        with ThreadPoolExecutor(self.threads - 1) if self.threads > 1 else nullcontext() as pool:
            while heap or any(d is not None for d in dives):
                batch = self.take(heap, dives)
                if not batch:
                    continue
                if self.outside is not None and self.cutoff(self.outside()):
                    self.stats["proven_by"] = "the bound given as outside"
                    return True, self.best
                for _, node, _ in batch:
                    self.stats["nodes"] += 1
                    if self.progress is not None:
                        self.progress.update(incumbent=self.best, bound=min(node.bound, self.best),
                                             nodes=self.stats["nodes"])
                self.stats["steps"] += 1
                done = self.step(batch, pool)
                self.gather()
                stopped = False
                for (w, _, _), d in zip(batch, done):
                    stopped |= d.status == "stopped"
                    if d.status == "stopped":
                        heapq.heappush(heap, d.node)
                    for child, dive in d.children:
                        child.tick = next(self._tick)
                        if dive:
                            dives[w] = child
                        else:
                            heapq.heappush(heap, child)
                if stopped:
                    for dive in dives:
                        if dive is not None:
                            heapq.heappush(heap, dive)
                    return False, min(self.best, heap[0].bound)
                if len(self.workers) < self.threads and len(heap) + len(dives) - dives.count(None) > 1:
                    self.fork()
        return True, self.best

    def fork(self) -> None:
        """Add the other workers, each on a copy of the first one's LP (the root's rows and basis)."""
        first = self.workers[0]
        while len(self.workers) < self.threads:
            w = _Search(first.A, self.order, first.deadline, lp=first.lp.copy(), stop=first.stop)
            w.sync(self.best, self.order, self.gain, self.seen)
            self.workers.append(w)


BACKENDS = ("highs", "scip")


def solve(A: np.ndarray, *, time_limit=None, seed: int = 0, backend: str = "highs", start=None,
          progress=None, outside=None, threads: int | None = None, **options) -> Ordering:
    """Least back-flow order of `A` by branch-and-cut, proven optimal unless the time limit stops it.

    Parameters
    ----------
    A : (n, n) ndarray
        Square float64 matrix (the reduced component: non-negative, zero diagonal, but any real
        matrix works).
    time_limit : float, optional
        Seconds. When reached, the best order found is returned with the least bound of the open
        nodes (``optimal=False``).
    seed : int
        Seed of the memetic start (made in a fixed number of generations: the search is deterministic
        unless the time limit cuts it short).
    backend : {"highs", "scip"}
        ``"highs"`` (default): the branch-and-cut of this module on a HiGHS LP. ``"scip"``: the
        3-dicycle rows of the root cutting-plane loop handed to SCIP through OR-Tools, re-solved with
        the violated rows added until its optimum is an order (slower: see ``bench/mip.py``).
    start : array of int, optional
        An order to start from (a heuristic's): the incumbent is the better of it and the polished
        degree order, both improved by insertion, so the answer is never worse than `start`.
    progress : Progress, optional
        Told of every better incumbent and, per node, of the bound and the node count.
    outside : callable, optional
        Returns a lower bound proven elsewhere (a relaxation running in another thread); the search
        ends, proven, once it meets the incumbent.
    threads : int, optional
        Workers of the branch-and-cut (:class:`_Tree`), each on its own thread and HiGHS LP; default
        ``min(2, os.cpu_count())``. The tree depends on it (and is the same for the same value).

    Returns
    -------
    Ordering
        ``method="mip"``; stopped by the time limit or Ctrl-C, ``stats["stopped"]`` says which;
        ``stats`` has the back-end, the node, LP (probes included), cut and strong-branching counts,
        the root bound and whether the weights were integers (bounds rounded up) or real (no
        scaling, bounds safe in floating point).
    """
    t0 = perf_counter()
    n = A.shape[0]
    check_options(options, OPTIONS, "method='mip'")
    check(n)
    check_choice(backend, BACKENDS, "backend")
    threads = min(2, os.cpu_count() or 1) if threads is None else check_count(threads, "threads", least=1)
    A = np.array(A, dtype=np.float64)
    np.fill_diagonal(A, 0.0)
    if n <= 1:
        return Ordering(np.arange(n), 0.0, 0.0, True, "mip", perf_counter() - t0)
    first = polish(A, degree_order(A))
    if start is not None:
        given = polish(A, np.asarray(start, dtype=np.int64))
        first = given if backflow(A, given) <= backflow(A, first) else first
    search = _Search(A, first, None if time_limit is None else t0 + time_limit, progress)
    if start is None and n >= START_FROM:
        seconds = None if time_limit is None else START_SHARE * time_limit
        search.more = lambda: memetic.solve(A, time_limit=seconds, seed=seed, generations=START_GENERATIONS,
                                            population=memetic.POPULATION, bound="pairwise", finish=False).order
    tree = _Tree(search, threads, progress, outside)
    tree.stats["start_backflow"] = search.best
    finished, lower = tree.run() if backend == "highs" else _run_scip(search)
    tree.gather()
    order = tree.order
    value = backflow(A, order)
    stats = {**tree.stats, "simplex_iterations": sum(w.lp.iterations for w in tree.workers), "backend": backend,
             "threads": len(tree.workers), "weights": "integer" if search.integer else "real"}
    if finished:
        return Ordering(order, value, value, True, "mip", perf_counter() - t0, stats)
    stats.setdefault("stopped", "time limit")
    return Ordering(order, value, min(lower, value), False, "mip", perf_counter() - t0, stats)


def _run_scip(search: _Search) -> tuple[bool, float]:
    """SCIP through OR-Tools on the rows of the root cutting-plane loop; violated rows are added and
    the model re-solved until SCIP's optimum is an order. Returns ``(finished, lower_bound)``."""
    from ortools.linear_solver import pywraplp

    lp, n = search.lp, search.n
    root = _Node(pairwise_bound(search.A), 0, 0, np.zeros(lp.m), np.ones(lp.m))
    status, x, bound = search.evaluate(root)
    if status == "stopped":
        return False, min(root.bound, search.best)
    if status == "pruned":
        return True, search.best
    search.stats["root_bound"] = bound
    solver = pywraplp.Solver.CreateSolver("SCIP")
    xs = [solver.BoolVar(f"x{k}") for k in range(lp.m)]
    for k in np.flatnonzero(root.lower == root.upper):
        xs[k].SetBounds(root.lower[k], root.upper[k])
    solver.Minimize(solver.Sum(float(c) * v for c, v in zip(lp.cost, xs)) + lp.c0)
    pos = np.argsort(search.order)
    solver.SetHint(xs, [float(pos[a] < pos[b]) for a in range(n) for b in range(a + 1, n)])
    params = pywraplp.MPSolverParameters()
    params.SetDoubleParam(params.RELATIVE_MIP_GAP, 0.0)
    rows = lp.triples
    while True:
        for ij, jk, ik in zip(*columns(rows, n)):
            row = solver.Constraint(0.0, 1.0)
            for col, coef in ((ij, 1.0), (jk, 1.0), (ik, -1.0)):
                row.SetCoefficient(xs[col], coef)
        left = search.seconds_left()
        if left <= 0:
            return False, bound
        if math.isfinite(left):
            solver.SetTimeLimit(max(1, int(1000 * left)))
        result = solver.Solve(params)
        search.stats["scip_solves"] = search.stats.get("scip_solves", 0) + 1
        if result not in (pywraplp.Solver.OPTIMAL, pywraplp.Solver.FEASIBLE):
            return False, bound
        bound = max(bound, solver.Objective().BestBound())
        P = before_matrix(np.array([v.solution_value() for v in xs]), n)
        search.offer(score_order(P))
        rows, _ = violated_triples(P, 0.5, 4 * n)
        if len(rows) == 0:
            return result == pywraplp.Solver.OPTIMAL, bound
        search.stats["cuts"] += len(rows)
