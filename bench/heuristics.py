"""Heuristic benchmark: ``python -m bench.heuristics [--quick] [--time-limit S ...] [--parts ...]``.

Three parts (``--parts``, default all):

- ``small``: random instances of n = 5..14 (several weight distributions) with a 0.1 s limit: how
  often the heuristic finds the exact optimum (the subset DP's), and its worst time.
- ``overshoot``: random integer instances of n = 250 and 1000: seconds taken beyond the time limit.
- ``xlolib``: for each time limit, runs ``method="heuristic"`` once per instance and prints, per instance, the gap
of the LOP value found (sum of the off-diagonal weights minus back-flow) to the best known value,
``(best - found) / best``, the proven bound gap ``(upper bound - found) / found`` on the LOP value,
the seconds taken (the time limit must hold within 1 s) and igraph's ``eades`` feedback arc set (after
the same exact reductions) when python-igraph is installed; then the mean and worst gaps.

The ``_150`` instances are compared with ``best_known_150.json`` (published, MA-EDM 2022). The
``_250`` ones have no published values: they are compared with the best value any of our runs ever
found, kept in ``bench/xlolib_best_250.json`` (``--update-best`` adds new records; the gap is then
measured before the update).

Running 39 instances of each size at 60 s takes 78 minutes; ``--subset-from S`` runs the time limits of
``S`` seconds and more on the quick subset of 8 instances only (``python -m bench heuristics`` uses
``--subset-from 60``). With ``--out DIR`` every run is written as ``heuristics-xlolib`` (CSV, JSON) and
the mean gaps per time limit as ``heuristics`` (CSV, JSON, PNG of gap against time limit).
"""
from __future__ import annotations

import argparse
import json
import time
from pathlib import Path

import numpy as np

import orderedness as od
from orderedness.io import load_matrix

from .common import machine, print_table
from .lolib import lop_value
from .peers import igraph_available, igraph_min_backflow
from .report import save

HERE = Path(__file__).parent
DEFAULT_DIR = HERE.parent.parent / "shared" / "data" / "lolib" / "xLOLIB"
BEST_250 = HERE / "xlolib_best_250.json"
QUICK = ["be75eec", "stabu1", "t59b11xx", "t65f11xx", "t70d11xn", "t75k11xx", "tiw56n54", "tiw56r72"]


def eades_value(A: np.ndarray) -> float | None:
    """LOP value of igraph's Eades-Lin-Smyth feedback arc set (None without python-igraph).

    igraph gets the same exact reductions as ours (:mod:`bench.peers`); the arcs it removes are what
    its order leaves behind.
    """
    if not igraph_available():
        return None
    return lop_value(A, igraph_min_backflow(A, "eades"))


def run(A: np.ndarray, time_limit: float, seed: int, options: dict) -> dict:
    """One heuristic run: LOP value, proven upper bound on it, seconds."""
    t0 = time.perf_counter()
    r = od.min_backflow(A, method="heuristic", time_limit=time_limit, seed=seed, **options)
    seconds = time.perf_counter() - t0
    total = float(A.sum() - np.trace(A))
    generations = sum(part.get("generations", 0) for part in r.stats.get("solved", []))
    return {"value": lop_value(A, od.backflow(A, r.order)), "upper": total - r.lower_bound, "seconds": seconds,
            "generations": generations}


KINDS = {
    "uniform": lambda g, n: g.random((n, n)),
    "sparse": lambda g, n: g.random((n, n)) * (g.random((n, n)) < 0.3),
    "integer ties": lambda g, n: g.integers(0, 3, (n, n)).astype(float),
    "signed normal": lambda g, n: g.standard_normal((n, n)),
}


def small_part(per_size: int, seed: int) -> None:
    """Optimum-hit rate at n = 5..14 within 0.1 s, against the subset DP."""
    g = np.random.default_rng(seed)
    rows, slowest = [], 0.0
    for kind, make in KINDS.items():
        hits = total = 0
        for n in range(5, 15):
            for _ in range(per_size):
                A = make(g, n)
                exact = od.min_backflow(A, method="dp").backflow
                t0 = time.perf_counter()
                r = od.min_backflow(A, method="heuristic", time_limit=0.1, seed=int(g.integers(1 << 30)))
                slowest = max(slowest, time.perf_counter() - t0)
                hits += r.backflow <= exact + 1e-9 * max(1.0, abs(exact))
                total += 1
        rows.append({"distribution": kind, "instances": total, "optimum found": f"{hits / total:.1%}"})
    print(f"\n## n = 5..14, time limit 0.1 s: exact optimum found (vs the subset DP)")
    print_table(rows, ["distribution", "instances", "optimum found"])
    print(f"slowest call {slowest:.3f} s")


def overshoot_part(limits, seed: int) -> None:
    """Seconds beyond the time limit on random integer instances of n = 250 and 1000."""
    g = np.random.default_rng(seed)
    rows = []
    for n in (250, 1000):
        A = g.integers(0, 100, (n, n)).astype(float)
        for limit in limits:
            t0 = time.perf_counter()
            r = od.min_backflow(A, method="heuristic", time_limit=limit)
            took = time.perf_counter() - t0
            part = r.stats["solved"][0]
            rows.append({"n": n, "time limit": f"{limit:g}", "seconds": f"{took:.3f}",
                         "overshoot": f"{took - limit:+.3f}", "generations": part["generations"],
                         "population": part["population"], "bound": part["bound"]["kind"]})
    print("\n## time limit held (random integer weights 0..99)")
    print_table(rows, ["n", "time limit", "seconds", "overshoot", "generations", "population", "bound"])


def main(argv=None) -> None:
    p = argparse.ArgumentParser(prog="python -m bench.heuristics", description=__doc__.split("\n")[0])
    p.add_argument("--xlolib", type=Path, default=DEFAULT_DIR, help="directory of the xLOLIB files")
    p.add_argument("--time-limit", type=float, nargs="+", default=None, metavar="S",
                   help="seconds per run (default 1 10 60; 1 with --quick)")
    p.add_argument("--sizes", type=int, nargs="+", default=[150, 250], choices=[150, 250])
    p.add_argument("--only", nargs="+", default=None, metavar="NAME", help="instance names without _150")
    p.add_argument("--quick", action="store_true", help=f"{len(QUICK)} instances, 1 s, n = 150 only")
    p.add_argument("--subset-from", type=float, default=None, metavar="S",
                   help=f"time limits >= S run on the {len(QUICK)} quick instances only")
    p.add_argument("--out", metavar="DIR", help="also write CSV, JSON and PNG files there")
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--update-best", action="store_true", help=f"record new bests in {BEST_250.name}")
    p.add_argument("--no-eades", action="store_true", help="skip igraph's eades")
    p.add_argument("--parts", nargs="+", default=["small", "overshoot", "xlolib"],
                   choices=["small", "overshoot", "xlolib"], help="which parts to run (default all)")
    p.add_argument("--set", nargs="+", default=[], metavar="KEY=VALUE",
                   help="solver options as JSON values, e.g. population=20 bound=\"pairwise\"")
    args = p.parse_args(argv)
    options = {k: json.loads(v) for k, v in (item.split("=", 1) for item in args.set)}
    if args.quick:
        args.only, args.time_limit, args.sizes = args.only or QUICK, args.time_limit or [1.0], [150]
    args.time_limit = args.time_limit or [1.0, 10.0, 60.0]
    known = {**json.loads((args.xlolib / "best_known_150.json").read_text()),
             **(json.loads(BEST_250.read_text()) if BEST_250.exists() else {})}
    print(f"# heuristic benchmark; {machine()}")
    # compile (or load) every kernel before timing: two whole generations, however long compiling takes
    od.min_backflow(np.random.default_rng(0).random((40, 40)), method="heuristic", time_limit=600,
                    generations=2)
    if "small" in args.parts:
        small_part(5 if args.quick else 25, args.seed)
    if "overshoot" in args.parts:
        overshoot_part([1.0] if args.quick else [1.0, 5.0], args.seed)
    if "xlolib" not in args.parts:
        return
    records = dict(json.loads(BEST_250.read_text())) if BEST_250.exists() else {}
    runs, summary, eades = [], [], {}
    for size in args.sizes:
        all_names = sorted(f.name for f in args.xlolib.glob(f"*_{size}"))
        if args.only:
            all_names = [m for m in all_names if m.rsplit("_", 1)[0] in args.only]
        reference = "best known (MA-EDM 2022)" if size == 150 else f"our best ever ({BEST_250.name})"
        for limit in args.time_limit:
            subset = args.subset_from is not None and limit >= args.subset_from
            names = [m for m in all_names if m.rsplit("_", 1)[0] in QUICK] if subset else all_names
            print(f"\n## n = {size}, time limit {limit:g} s, gap to {reference}"
                  + (f" ({len(names)} instances of the quick subset)" if subset else ""))
            rows, gaps, bound_gaps, eades_gaps, over = [], [], [], [], []
            for name in names:
                A = load_matrix(args.xlolib / name)
                r = run(A, limit, args.seed, options)
                best = known.get(name)
                record = {"size": size, "time limit": limit, "instance": name, "found": r["value"],
                          "best": best, "upper bound": r["upper"], "seconds": r["seconds"],
                          "generations": r["generations"]}
                row = {"instance": name, "found": f"{r['value']:.0f}",
                       "bound gap": f"{(r['upper'] - r['value']) / r['value']:.2%}",
                       "seconds": f"{r['seconds']:.2f}", "generations": r["generations"]}
                bound_gaps.append((r["upper"] - r["value"]) / r["value"])
                over.append(r["seconds"] - limit)
                if best is not None:
                    gaps.append((best - r["value"]) / best)
                    row.update({"best": f"{best:.0f}", "gap": f"{gaps[-1]:.4%}"})
                if not args.no_eades:
                    if name not in eades:
                        eades[name] = eades_value(A)
                    e = eades[name]
                    record["eades"] = e
                    if e is not None and best is not None:
                        eades_gaps.append((best - e) / best)
                        row["eades gap"] = f"{eades_gaps[-1]:.2%}"
                if size == 250 and (best is None or r["value"] > best):
                    records[name] = r["value"]
                rows.append(row)
                runs.append(record)
                print(f"  {name}: {row.get('gap', '-')}", flush=True)
            print_table(rows, ["instance", "found", "best", "gap", "bound gap", "eades gap", "seconds",
                               "generations"])
            if gaps:
                print(f"mean gap {np.mean(gaps):.4%}, worst {max(gaps):.4%} "
                      f"({names[int(np.argmax(gaps))]}), over {len(gaps)} instances")
                summary.append({"size": size, "time limit": limit, "instances": len(gaps),
                                "method": f"ours n={size}", "mean gap": float(np.mean(gaps)),
                                "worst gap": float(max(gaps)), "mean bound gap": float(np.mean(bound_gaps))})
                if eades_gaps:
                    summary.append({"size": size, "time limit": limit, "instances": len(eades_gaps),
                                    "method": f"igraph eades n={size}", "mean gap": float(np.mean(eades_gaps)),
                                    "worst gap": float(max(eades_gaps)), "mean bound gap": None})
            print(f"mean bound gap {np.mean(bound_gaps):.2%}; "
                  f"time limit overshoot: max {max(over):+.3f} s, mean {np.mean(over):+.3f} s")
    if args.out and runs:
        save(args.out, "heuristics-xlolib", runs, x="time limit", y="seconds", series="size", lines=False,
             logx=True, title="xLOLIB runs: seconds taken against the time limit")
        if summary:
            save(args.out, "heuristics", summary, x="time limit", y="mean gap", series="method", logx=True,
                 title="xLOLIB: mean gap to the best known value")
    if args.update_best:
        BEST_250.write_text(json.dumps(dict(sorted(records.items())), indent=1) + "\n")
        print(f"\nrecords written to {BEST_250}")


if __name__ == "__main__":
    main()
