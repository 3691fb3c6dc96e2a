"""``python -m bench bounds``: how wide the proven interval is, against size and time budget.

For dense ``|N(0,1)|`` matrices of n = 60 ... 3000 neurons (``od.score(W, inputs=0, time_limit=T)``,
seed 0 unless ``--seeds``), the width ``upper - value`` in orderedness units of

- ``ours``: what ``od.score`` returns (memetic search beside the bound of
  :func:`orderedness.relaxation.bound`: the triangle packing, then below n = 300 the Lagrangian
  relax-and-cut);
- ``pairwise``: the pairwise bound ``sum_{a<b} min(A[a,b], A[b,a])`` with the same order;
- ``plain LP``: the same order against the plain HiGHS cutting-plane loop
  (:func:`orderedness.relaxation.lp_bound`) given the same budget (n <= 400: above, its
  ``n^2/2``-column LP does not finish one round).

``--converged N ...`` runs the cutting-plane loop to the end (no violated 3-dicycle left), however
long it takes, and prints the converged 3-dicycle LP value next to the best bound of ``od.score``:
how much of the remaining width is the relaxation's and how much the solver's.
"""
from __future__ import annotations

import argparse
import csv
import json
from pathlib import Path
from time import perf_counter

import numpy as np

import orderedness as od
from orderedness.relaxation import lp_bound

from .common import machine, print_table

SIZES = (60, 100, 200, 400, 1000, 3000)
BUDGETS = {60: (3.0, 10.0), 100: (3.0, 10.0, 30.0), 200: (3.0, 30.0), 400: (10.0, 60.0),
           1000: (3.0, 60.0), 3000: (3.0, 60.0)}
QUICK = {60: (1.0,), 100: (1.0,)}
LP_UP_TO = 400


def matrix(n: int, seed: int) -> np.ndarray:
    """The benchmark's dense ``|N(0,1)|`` matrix (diagonal kept: it counts in the denominator)."""
    return np.abs(np.random.default_rng(seed).standard_normal((n, n)))


def row(n: int, seconds: float, seed: int) -> dict:
    """One measurement: our interval, and the pairwise and plain-LP bounds for the same order."""
    W = matrix(n, seed)
    t = perf_counter()
    s = od.score(W, inputs=0, time_limit=seconds)
    took = perf_counter() - t
    A = W.copy()
    np.fill_diagonal(A, 0.0)
    backflow = (1.0 - s.value) * s.total
    out = {"n": n, "seconds": seconds, "seed": seed, "value": round(s.value, 6), "upper": round(s.upper, 6),
           "ours": round(s.upper - s.value, 4), "pairwise": round((backflow - od.pairwise_bound(A)) / s.total, 4),
           "plain LP": "", "took": round(took, 2), "optimal": bool(s.optimal)}
    if n <= LP_UP_TO:
        b, _ = lp_bound(A, time_limit=seconds, upper=backflow)
        out["plain LP"] = round((backflow - b) / s.total, 4)
    return out


def converged(n: int, seed: int, cap: float, cuts: bool = False) -> dict:
    """The 3-dicycle LP run to convergence (or `cap` seconds), beside our 60 s bound; with `cuts`, the
    LP with the {0,1/2}-cuts run to convergence too (no cut found)."""
    W = matrix(n, seed)
    A = W.copy()
    np.fill_diagonal(A, 0.0)
    t = perf_counter()
    b, stats = lp_bound(A, time_limit=cap)
    took = perf_counter() - t
    s = od.score(W, inputs=0, time_limit=60.0)
    backflow = (1.0 - s.value) * s.total
    out = {"n": n, "seed": seed, "LP value": stats["lp_value"], "LP status": stats["status"],
           "LP seconds": round(took, 1), "LP width": round((backflow - b) / s.total, 4),
           "ours 60 s width": round(s.upper - s.value, 4)}
    if cuts:
        t = perf_counter()
        b, stats = lp_bound(A, time_limit=cap, cuts=True)
        out.update({"with cuts": stats["lp_value"], "cuts": stats["half_cuts"],
                    "seconds with cuts": round(perf_counter() - t, 1),
                    "width with cuts": round((backflow - b) / s.total, 4)})
    return out


def plot(rows: list[dict], path: Path) -> None:
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(7, 4.5))
    for budget in sorted({r["seconds"] for r in rows}):
        pts = [r for r in rows if r["seconds"] == budget]
        ax.plot([r["n"] for r in pts], [r["ours"] for r in pts], "o-", label=f"ours, {budget:g} s")
        lp = [r for r in pts if r["plain LP"] != ""]
        if lp:
            ax.plot([r["n"] for r in lp], [r["plain LP"] for r in lp], "x--", label=f"plain LP, {budget:g} s")
    pts = sorted({r["n"]: r for r in rows}.values(), key=lambda r: r["n"])
    ax.plot([r["n"] for r in pts], [r["pairwise"] for r in pts], "k:", label="pairwise bound")
    ax.set_xscale("log")
    ax.set_xlabel("n (dense |N(0,1)|)")
    ax.set_ylabel("width: upper - value (orderedness)")
    ax.legend(fontsize=8)
    ax.grid(alpha=0.3)
    fig.tight_layout()
    fig.savefig(path, dpi=120)
    plt.close(fig)


def main(argv=None) -> list[dict]:
    p = argparse.ArgumentParser(prog="python -m bench.bounds", description=__doc__.split("\n")[0])
    p.add_argument("--sizes", type=int, nargs="+", default=None, help=f"default {' '.join(map(str, SIZES))}")
    p.add_argument("--time-limit", type=float, nargs="+", default=None, metavar="S",
                   help="budgets for every size (default: per size, see BUDGETS)")
    p.add_argument("--seeds", type=int, nargs="+", default=[0])
    p.add_argument("--quick", action="store_true", help="n = 60 and 100 at 1 s")
    p.add_argument("--converged", type=int, nargs="*", default=None, metavar="N",
                   help="only: run the 3-dicycle LP to convergence at these sizes (default 100 200)")
    p.add_argument("--cap", type=float, default=7200.0, help="seconds for one converged LP")
    p.add_argument("--cuts", action="store_true", help="with --converged: also the LP with {0,1/2}-cuts")
    p.add_argument("--out", metavar="DIR", help="also write CSV, JSON and PNG files there")
    args = p.parse_args(argv)
    print(f"# bounds benchmark; {machine()}")
    od.score(matrix(30, 0), inputs=0, time_limit=0.5)          # compile before timing
    if args.converged is not None:
        rows = [converged(n, s, args.cap, args.cuts) for n in (args.converged or [100, 200]) for s in args.seeds]
        print_table(rows, list(rows[0]))
        name = "bounds-converged"
    else:
        plan = QUICK if args.quick else {n: BUDGETS.get(n, (3.0,)) for n in (args.sizes or SIZES)}
        rows = []
        for n, budgets in plan.items():
            for seconds in args.time_limit or budgets:
                for seed in args.seeds:
                    rows.append(row(n, seconds, seed))
                    r = rows[-1]
                    print(f"n = {n}, {seconds:g} s, seed {seed}: ours {r['ours']}, plain LP {r['plain LP']}, "
                          f"pairwise {r['pairwise']}", flush=True)
        print()
        print("width = upper - value of od.score(W, inputs=0, time_limit=T), dense |N(0,1)|; the pairwise "
              "and plain-LP columns bound the same order")
        print_table(rows, list(rows[0]))
        name = "bounds"
    if args.out:
        out = Path(args.out)
        out.mkdir(parents=True, exist_ok=True)
        with open(out / f"{name}.csv", "w", newline="") as fh:
            w = csv.DictWriter(fh, fieldnames=list(rows[0]))
            w.writeheader()
            w.writerows(rows)
        (out / f"{name}.json").write_text(json.dumps(rows, indent=1))
        if name == "bounds":
            plot(rows, out / "bounds.png")
    return rows


if __name__ == "__main__":
    main()
