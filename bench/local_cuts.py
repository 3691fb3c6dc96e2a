"""``python -m bench.local_cuts``: do local (target) cuts on small node subsets raise the n = 40 root bound?

An experiment for issue 12 (not a suite of ``python -m bench``). For dense ``|N(0,1)|`` n = 40 matrices
(the reduced matrix ``od.min_backflow`` solves), the root of ``method="mip"`` is evaluated as the
branch-and-cut does it (3-dicycle rows, then {0,1/2}-cut rounds to their tail, the memetic start
offered); then in each round, for subsets ``S`` of ``k`` nodes, the restriction ``x_S`` of the LP
point is separated from the linear ordering polytope ``P_S`` of ``S`` (the convex hull of its ``k!``
orders) by a target cut (Buchheim, Liers & Oswald): ``max a (x_S - 1/2)`` subject to
``a (v - 1/2) <= 1`` for every order ``v`` of ``S``, a HiGHS LP over all ``k!`` orders (the
barycentre ``1/2`` is interior, so the optimum exceeds 1 exactly when ``x_S`` is outside ``P_S``).
``a`` is scaled to small integers (several scales, the most violated kept) and its right side set to
the largest ``a v`` over all orders in integer arithmetic, so each cut holds for every order
whatever the rounding. The cuts are added to the LP as general rows (``LP.add_cuts``: the safe bound
covers them), the LP is re-solved with 3-dicycle rows and {0,1/2}-cuts separated to the end, and the
bound reported against the root's gap to the incumbent. ``--k 0`` runs the same rounds without local
cuts (the baseline: {0,1/2}-cut rounds past the root's tail).

Subsets: the node sets of the nearly tight cuts already in the LP with at most ``k`` nodes, filled up
to ``k`` by nodes drawn with weights their fractionality towards the set (``min(x, 1 - x)`` summed),
plus ``--sets`` such random sets grown from one node. Sets grown greedily from the most fractional pairs
(always adding the node of the most fractionality towards the set) separated nothing at k = 6, 7, 8 on
seed 39 (200 sets each).
"""
from __future__ import annotations

import argparse
import itertools
import os
from time import perf_counter

import numpy as np

from orderedness.backflow import pairwise_bound
from orderedness.reduce import reduce
from orderedness.relaxation import _highs
from orderedness.solvers.exact import mip
from orderedness.solvers.heuristics import memetic
from orderedness.solvers.heuristics.greedy import degree_order
from orderedness.solvers.heuristics.insertion import polish

SCALES = (1, 2, 3, 4, 6, 8, 12, 16)   # the largest |coefficient| of a rounded cut
MIN_VIOLATION = 1e-4                  # a rounded cut is kept beyond this violation (per unit Euclidean norm)
TIGHT = 0.3                           # a cut in the LP this close to tight lends its nodes to a subset

_ORDERS: dict[int, np.ndarray] = {}


def orders(k: int) -> np.ndarray:
    """The ``k!`` orders of ``k`` nodes as 0/1 pair vectors (pairs ``i < j`` row by row, 1: i first)."""
    if k not in _ORDERS:
        perms = np.array(list(itertools.permutations(range(k))), dtype=np.int64)
        pos = np.argsort(perms, axis=1)
        i, j = np.triu_indices(k, 1)
        _ORDERS[k] = (pos[:, i] < pos[:, j]).astype(np.int64)
    return _ORDERS[k]


def target_cut(xs: np.ndarray, k: int) -> np.ndarray | None:
    """The target cut's ``a`` separating `xs` from the polytope of the orders of ``k`` nodes, or None."""
    import highspy

    V = orders(k) - 0.5
    m, p = V.shape
    h = _highs()
    inf = highspy.kHighsInf
    h.addCols(p, -(xs - 0.5), np.full(p, -inf), np.full(p, inf), 0, np.array([], np.int32),
              np.array([], np.int32), np.array([]))
    h.addRows(m, np.full(m, -inf), np.ones(m), m * p, np.arange(0, m * p, p, dtype=np.int32),
              np.tile(np.arange(p, dtype=np.int32), m), V.ravel())
    h.setOptionValue("simplex_strategy", 4)   # primal simplex: the rows are many, the columns few
    h.run()
    if h.getModelStatus() != highspy.HighsModelStatus.kOptimal or -h.getInfo().objective_function_value <= 1 + 1e-6:
        return None
    return np.asarray(h.getSolution().col_value)


def integer_cut(a: np.ndarray, xs: np.ndarray, k: int):
    """``(coefs, rhs, violation)`` of the most violated rounding of `a` (valid for every order), or None."""
    V = orders(k)
    best = None
    for scale in SCALES:
        g = np.round(a / np.abs(a).max() * scale).astype(np.int64)
        if not g.any():
            continue
        g //= np.gcd.reduce(np.abs(g[g != 0]))
        rhs = int((V @ g).max())
        violation = (g @ xs - rhs) / np.linalg.norm(g)
        if violation > MIN_VIOLATION and (best is None or violation > best[2]):
            best = (g, rhs, violation)
    return best


def subsets(lp, x: np.ndarray, n: int, k: int, count: int, rng) -> list[tuple]:
    """Node sets of ``k`` nodes: the nearly tight cuts' supports filled up, and `count` grown at random."""
    I, J = np.triu_indices(n, 1)
    F = np.zeros((n, n))
    F[I, J] = np.minimum(x, 1 - x)
    F += F.T
    F[F < 1e-6] = 0
    pool = np.flatnonzero(F.sum(0) > 0)

    def fill(S: set) -> tuple:
        while len(S) < k:
            cand = np.array([v for v in pool if v not in S])
            w = F[np.ix_(cand, sorted(S))].sum(1) + 1e-3
            S.add(int(rng.choice(cand, p=w / w.sum())))
        return tuple(sorted(S))

    sets = set()
    for cols, coefs, rhs in lp.cuts:
        nodes = set(I[cols].tolist()) | set(J[cols].tolist())
        if rhs - coefs @ x[cols] <= TIGHT and len(nodes) <= k:
            sets.add(fill(nodes))
    for _ in range(5 * count):
        if len(sets) >= count + len(lp.cuts):
            break
        sets.add(fill({int(rng.choice(pool))}))
    return sorted(sets)


def root(seed: int, n: int = 40):
    """The branch-and-cut's root of the seed's reduced matrix: ``(search, node, x, bound, n)``."""
    A = np.abs(np.random.default_rng(seed).standard_normal((n, n)))
    red = reduce(A)
    B = red.submatrix(max(red.components, key=len))
    search = mip._Search(B, polish(B, degree_order(B)), None)
    search.more = lambda: memetic.solve(B, seed=0, generations=mip.START_GENERATIONS, population=memetic.POPULATION,
                                        bound="pairwise", finish=False).order
    m = search.lp.m
    node = mip._Node(pairwise_bound(B), 0, 0, np.zeros(m), np.ones(m))
    _, x, bound = search.evaluate(node)
    return search, node, x, bound, B.shape[0]


def run(seed: int, k: int, count: int, rounds: int) -> None:
    search, node, x, start, n = root(seed)
    lp, rng = search.lp, np.random.default_rng(seed)
    gap = search.best - start
    print(f"seed {seed} k={k}: root {start:.4f}, incumbent {search.best:.4f}, load {os.getloadavg()[0]:.2f}", flush=True)
    total = 0
    for r in range(rounds):
        t = perf_counter()
        cuts, sets = [], subsets(lp, x, n, k, count, rng) if k else []
        for S in sets:
            i, j = (np.array(S)[t] for t in np.triu_indices(k, 1))
            cols = i * n - i * (i + 1) // 2 + j - i - 1     # the pair vector's positions of S's pairs
            a = target_cut(x[cols], k)
            found = None if a is None else integer_cut(a, x[cols], k)
            if found is not None:
                g, rhs, _ = found
                cuts.append((cols[g != 0], g[g != 0], rhs))
        if k and not cuts:
            print("  no violated local cut")
            break
        if cuts:
            lp.add_cuts(np.cumsum([0] + [len(c[0]) for c in cuts]).astype(np.int64),
                        np.concatenate([c[0] for c in cuts]).astype(np.int64),
                        np.concatenate([c[1] for c in cuts]).astype(np.int64), np.array([c[2] for c in cuts], np.int64))
        total += len(cuts)
        half = 0
        while True:
            _, x, bound, _ = lp.solve(node.lower, node.upper, 1e9)
            if lp.separate(x, 4 * n) == 0:
                added = lp.cut(x, 4 * n)
                half += added
                if added == 0:
                    break
        print(f"  round {r}: {len(sets)} sets, +{len(cuts)} local cuts ({total}), +{half} {{0,1/2}}-cuts; "
              f"bound {bound:.4f}, {100 * (bound - start) / gap:.2f} % of the gap closed "
              f"({perf_counter() - t:.1f} s, load {os.getloadavg()[0]:.2f})", flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", type=int, nargs="+", default=[39, 8, 24])
    parser.add_argument("--k", type=int, default=7, help="nodes of a subset (0: no local cuts, the baseline)")
    parser.add_argument("--sets", type=int, default=300, help="random subsets a round, beside the cuts' supports")
    parser.add_argument("--rounds", type=int, default=4)
    args = parser.parse_args()
    for seed in args.seeds:
        run(seed, args.k, args.sets, args.rounds)


if __name__ == "__main__":
    main()
