"""Experiment (issue 13): target cuts (Buchheim, Liers & Oswald) from small graphs, with the subset DP as the
oracle, on the converged cycle LP of the five sparse benchmark graphs not proven in 60 s.

Two kinds of small graph ``H`` on a node set ``S`` (``|S| = k <= 16``, the DP runs serially):

- ``induced``: ``H = G[S]``, ``S`` grown greedily from each node (most arcs into ``S``, fractional arcs
  counted more); the point is ``y*`` on ``E(S)``.
- ``paths``: terminals ``S`` (each node and its ``k - 1`` nearest in the LP metric), an arc ``u -> v`` of
  ``H`` for each pair whose shortest path ``P_uv`` under the lengths ``y*`` is below ``threshold``; the
  point is ``l_uv = y*(P_uv)``. Valid: for a feedback arc set ``F`` of ``G``, the arcs ``uv`` whose path
  meets ``F`` are a feedback arc set of ``H`` (a cycle of ``H`` is a closed walk of ``G``, which holds a
  cycle), so ``a.z >= a0`` on ``H`` gives ``sum_uv a_uv y(P_uv) >= a0`` on ``G`` for ``a >= 0``.

Separation: maximise ``a0 - a.l`` over ``a in [0, 1]^E(H)``, ``a0 <= a(F)`` for the feedback arc sets ``F``
generated so far (scipy's HiGHS), each new ``F`` the DP's least one under ``a``; a violated ``a`` is scaled
to integers up to 30 and ``a0`` recomputed exactly by the DP. Rounds: separate at every seed, add the
cuts, re-solve with cycle separation to convergence.

Run from the repository root: ``python -m bench.target_cuts db 110 4 --k 16 --kind paths --rounds 2``.
"""
from __future__ import annotations

import argparse
import os
from time import perf_counter

import numpy as np
from scipy.optimize import linprog
from scipy.sparse import csr_matrix
from scipy.sparse.csgraph import shortest_path

from bench.sparse_fas import PUBLISHED, de_bruijn, imase_itoh
from orderedness.solvers.exact import cycles, dp

SCALE = 30          # largest integer coefficient of a rounded cut


def least_fas(tail: np.ndarray, head: np.ndarray, k: int, weights: np.ndarray) -> tuple[float, np.ndarray]:
    """Least weight of a feedback arc set of the graph on ``k`` nodes, and its arcs (a mask), by the DP."""
    W = np.zeros((k, k))
    W[tail, head] = weights
    r = dp.solve(W)
    pos = np.empty(k, dtype=np.intp)
    pos[r.order] = np.arange(k)
    return r.backflow, pos[tail] > pos[head]


def target_cut(tail: np.ndarray, head: np.ndarray, k: int, point: np.ndarray, most: int = 300):
    """The most violated ``a.z >= a0`` with ``a in [0, 1]^arcs`` at `point`: returns ``(violation, a,
    oracle calls)``; violation None when `most` rounds did not converge."""
    m = len(tail)
    pool = [least_fas(tail, head, k, np.ones(m))[1], least_fas(tail, head, k, point + 1e-3)[1]]
    for it in range(most):
        P = np.array(pool, dtype=float)
        res = linprog(np.append(point, -1.0), A_ub=np.hstack([-P, np.ones((len(P), 1))]), b_ub=np.zeros(len(P)),
                      bounds=[(0, 1)] * m + [(0, None)], method="highs")
        a, a0 = res.x[:m], res.x[m]
        if -res.fun <= 1e-7:
            return 0.0, a, it + 2
        value, F = least_fas(tail, head, k, a)
        if value >= a0 - 1e-9:
            return a0 - a @ point, a, it + 3
        pool.append(F)
    return None, a, most + 2


def grown(v: int, weight: np.ndarray, k: int) -> np.ndarray:
    """Nodes grown greedily from `v`: each time the one with the most arc weight to and from the set."""
    S, inside = [v], np.zeros(weight.shape[0], dtype=bool)
    inside[v] = True
    score = weight[v] + weight[:, v]
    while len(S) < k:
        s = np.where(inside, -1.0, score)
        u = int(np.argmax(s))
        if s[u] <= 0:
            break
        S.append(u)
        inside[u] = True
        score = score + weight[u] + weight[:, u]
    return np.sort(np.array(S))


def separate(g, y: np.ndarray, k: int, kind: str, threshold: float) -> tuple[list, dict]:
    """Violated rounded target cuts ``(arcs, coefficients, right side)`` at `y`, one per seed node at most."""
    n = g.n
    lengths = csr_matrix((np.maximum(y, 0) + 1e-6, (g.tail, g.head)), shape=(n, n))
    D, pred = shortest_path(lengths, method="D", directed=True, return_predecessors=True)
    near = np.minimum(D, D.T)
    weight = np.zeros((n, n))
    weight[g.tail, g.head] = 1.0 + 4 * np.minimum(y, 1 - y)
    cuts, seen, info = [], set(), {"graphs": 0, "oracle": 0, "arcs": [], "violation": 0.0}
    for v in range(n):
        S = grown(v, weight, k) if kind == "induced" else np.sort(np.argsort(near[v], kind="stable")[:k])
        if S.tobytes() in seen:
            continue
        seen.add(S.tobytes())
        if kind == "induced":
            local = -np.ones(n, dtype=np.intp)
            local[S] = np.arange(len(S))
            ids = np.flatnonzero((local[g.tail] >= 0) & (local[g.head] >= 0))
            tail, head, point = local[g.tail[ids]], local[g.head[ids]], y[ids]
        else:
            sub = D[np.ix_(S, S)]
            tail, head = np.nonzero((sub < threshold) & ~np.eye(len(S), dtype=bool))
            point = sub[tail, head]
        if len(tail) == 0:
            continue
        info["graphs"] += 1
        info["arcs"].append(len(tail))
        violation, a, calls = target_cut(tail, head, len(S), point)
        info["oracle"] += calls
        if violation is None or violation <= 1e-6:
            continue
        a = np.round(a / a.max() * SCALE)
        a0 = least_fas(tail, head, len(S), a)[0]
        coef = np.zeros(g.m)
        if kind == "induced":
            coef[ids] = a
        else:
            for u, w, c in zip(S[tail].tolist(), S[head].tolist(), a.tolist()):
                path = [w]
                while path[-1] != u:
                    path.append(int(pred[u, path[-1]]))
                nodes = np.array(path[::-1])
                coef[g.arcs(nodes[:-1], nodes[1:])] += c
        if (a0 - coef @ y) / a.sum() > 1e-5:
            arcs = np.flatnonzero(coef)
            cuts.append((arcs, coef[arcs], a0))
            info["violation"] = max(info["violation"], (a0 - coef @ y) / a.sum())
    return cuts, info


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("graph", choices=["db", "ii"])
    p.add_argument("n", type=int)
    p.add_argument("d", type=int)
    p.add_argument("--k", type=int, default=12)
    p.add_argument("--kind", choices=["induced", "paths"], default="paths")
    p.add_argument("--threshold", type=float, default=1.0)
    p.add_argument("--rounds", type=int, default=2)
    args = p.parse_args()
    name = "de_bruijn" if args.graph == "db" else "imase_itoh"
    A = (de_bruijn if args.graph == "db" else imase_itoh)(args.n, args.d).astype(float)
    N = A - np.minimum(A, A.T)
    optimum = PUBLISHED[(name, args.n, args.d)] - int(np.minimum(A, A.T).sum() / 2)
    s = cycles._Search(N, perf_counter() + 1e9, None, 0.0)
    s.initial_cycles()
    s.lp_rounds()
    g, h = s.g, s.master.h
    print(f"{name} {args.n}/{args.d} {args.kind} k={args.k}: cycle LP {h.getInfo().objective_function_value:.4f}, "
          f"optimum {optimum}, {len(s.master.rows)} cycles, load {os.getloadavg()[0]:.2f}", flush=True)
    total = 0
    for r in range(args.rounds):
        t = perf_counter()
        cuts, info = separate(g, np.asarray(h.getSolution().col_value), args.k, args.kind, args.threshold)
        for arcs, coef, a0 in cuts:
            h.addRow(a0, np.inf, len(arcs), arcs.astype(np.int32), coef)
        total += len(cuts)
        seconds = perf_counter() - t
        while True:
            h.run()
            y = np.asarray(h.getSolution().col_value)
            if s.master.add(g.cycles_through(np.arange(g.m), np.ones(g.m, dtype=bool), length=y)) == 0:
                break
        print(f"  round {r + 1}: {info['graphs']} graphs of {min(info['arcs'], default=0)}-"
              f"{max(info['arcs'], default=0)} arcs, {len(cuts)} cuts (largest violation {info['violation']:.4f}), "
              f"{info['oracle']} DP calls, {seconds:.1f} s -> LP {h.getInfo().objective_function_value:.4f} "
              f"({len(s.master.rows)} cycles, {total} cuts), load {os.getloadavg()[0]:.2f}", flush=True)
        if not cuts:
            break


if __name__ == "__main__":
    main()
