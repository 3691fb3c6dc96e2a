"""Subset DP benchmark: ``python -m bench.dp [--quick]``.

Prints (1) the exact score of a CPL layer with h hidden units against the brute force over all h!
orders (ours, vectorised with numpy, and the seed code's loop over permutations), (2) the DP at
n = 16..28 against a plain O(2^n n^2) numba DP, with memory. With ``--out DIR`` both tables are also
written as ``dp-score`` and ``dp`` (CSV, JSON, PNG of time against size).
"""
from __future__ import annotations

import argparse
import time
from itertools import permutations

import numpy as np

import orderedness as od
from orderedness.kernels.dp import dp_plain
from orderedness.solvers.exact import dp

from .common import best_time, fmt_seconds, machine, print_table
from .report import save


def seed_code_brute(W, o):
    """The published code's approach: every order of the hidden neurons, one at a time."""
    n = W.shape[0]
    Q = np.abs(W[:, :n])
    best = np.inf
    for perm in permutations(range(o, n)):
        p = list(range(o)) + list(perm)
        best = min(best, np.tril(Q[np.ix_(p, p)], -1).sum())
    return 1 - best / Q.sum()


def score_table(hs, seed_code_up_to) -> list[dict]:
    """Print the score table; return one record per (h, method)."""
    rng = np.random.default_rng(0)
    rows, records = [], []
    for h in hs:
        W = rng.standard_normal((1 + h, 1 + h + 2))
        t_dp, s = best_time(lambda: od.score(W, outputs=1, inputs=2, method="dp"))
        row = {"h": h, "dp score": fmt_seconds(t_dp)}
        records.append({"h": h, "method": "dp", "seconds": t_dp})
        if h <= 10:
            t_b, sb = best_time(lambda: od.score(W, outputs=1, inputs=2, method="brute"), repeat=1,
                                min_time=0)
            assert abs(sb.value - s.value) < 1e-12
            row |= {"brute (numpy)": fmt_seconds(t_b), "ratio": f"{t_b / t_dp:,.0f}x"}
            records.append({"h": h, "method": "brute (numpy)", "seconds": t_b})
        if h <= seed_code_up_to:
            t0 = time.perf_counter()
            v = seed_code_brute(W, 1)
            t_s = time.perf_counter() - t0
            assert abs(v - s.value) < 1e-9
            row |= {"seed-code brute": fmt_seconds(t_s), "ratio ": f"{t_s / t_dp:,.0f}x"}
            records.append({"h": h, "method": "seed-code brute", "seconds": t_s})
        rows.append(row)
    print_table(rows, ["h", "dp score", "brute (numpy)", "ratio", "seed-code brute", "ratio "])
    return records


def dp_table(ns, plain_up_to) -> list[dict]:
    """Print the DP table; return one record per (n, method)."""
    rng = np.random.default_rng(1)
    rows, records = [], []
    for n in ns:
        A = np.abs(rng.standard_normal((n, n)))
        t0 = time.perf_counter()
        r = dp.solve(A)
        t = time.perf_counter() - t0
        row = {"n": n, "dp": fmt_seconds(t), "table": f"{dp.memory_needed(n) / 2**20:,.0f} MiB"}
        records.append({"n": n, "method": "dp", "seconds": t, "table bytes": dp.memory_needed(n)})
        if n <= plain_up_to:
            t0 = time.perf_counter()
            value = dp_plain(A)
            t_p = time.perf_counter() - t0
            assert abs(value - r.backflow) <= 1e-9 * value
            row |= {"plain O(2^n n^2) DP": fmt_seconds(t_p), "ratio": f"{t_p / t:.1f}x"}
            records.append({"n": n, "method": "plain O(2^n n^2) DP", "seconds": t_p})
        rows.append(row)
    print_table(rows, ["n", "dp", "table", "plain O(2^n n^2) DP", "ratio"])
    return records


def main(argv=None) -> None:
    ap = argparse.ArgumentParser(prog="python -m bench.dp", description=__doc__)
    ap.add_argument("--quick", action="store_true", help="smaller sizes (under a minute)")
    ap.add_argument("--out", metavar="DIR", help="also write CSV, JSON and PNG files there")
    args = ap.parse_args(argv)
    print(f"# subset DP benchmark on {machine()}")
    W = np.random.default_rng(0).standard_normal((4, 6))
    od.score(W, 1, 2, method="dp")           # compile (or load from cache) before timing
    dp.solve(np.abs(np.random.default_rng(0).standard_normal((dp.PARALLEL_FROM,) * 2)))
    dp_plain(np.ones((3, 3)))
    print("\n## exact score of a CPL layer (1 output, h hidden, 2 inputs), N(0,1) weights")
    scores = score_table([6, 8, 9, 10, 12, 16] if not args.quick else [6, 8, 9], seed_code_up_to=9)
    print("\n## subset DP on dense |N(0,1)| n x n matrices (one run each), vs a plain numba DP")
    dps = dp_table([16, 20, 22, 24, 26, 28] if not args.quick else [16, 20, 22], plain_up_to=24)
    if args.out:
        save(args.out, "dp-score", scores, x="h", y="seconds", series="method",
             title="exact score of a CPL layer (1 output, h hidden, 2 inputs)")
        save(args.out, "dp", dps, x="n", y="seconds", series="method", title="subset DP, dense |N(0,1)|")


if __name__ == "__main__":
    main()
