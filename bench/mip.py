"""Benchmark of the exact branch-and-cut (``method="mip"``) against igraph's exact feedback arc set.

Run as ``python -m bench.mip [--quick]`` (or ``python bench/mip.py``) from the repository root. Prints:

(a) the 49 LOLIB IO instances: our time and igraph's, per instance and in total, with the ratio, and
    each value checked against ``optima.json``;
(b) dense random ``|N(0,1)|`` matrices, n = 28-31 (and 34, 40 unless ``--quick``): the same comparison;
(c) with ``--crossover``: the subset DP against the MIP on dense random matrices, the measurement
    behind :mod:`orderedness.auto`.

igraph runs in a forked child process (same inputs, same exact reductions as ours: see
:mod:`bench.peers`) that is killed after ``--igraph-timeout`` seconds, since it cannot be interrupted
otherwise. Without python-igraph its columns are skipped. With ``--out DIR`` tables (a) and (b) are
also written as ``lolib`` and ``mip-random`` (CSV, JSON, PNG of time against n).
"""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

import numpy as np

if __package__ in (None, ""):  # run as a script: make the repository importable
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import orderedness as od
from bench.common import run_capped
from bench.lolib import io_instances, lop_value
from bench.peers import igraph_available, igraph_min_backflow
from bench.report import save

DEFAULT_LOLIB = Path(__file__).resolve().parents[1] / ".." / "shared" / "data" / "lolib" / "IO"


def _fmt(seconds: float | None, timeout: float) -> str:
    return f">{timeout:.0f}" if seconds is None else f"{seconds:.2f}"


def _ratio(theirs: float | None, ours: float, timeout: float) -> str:
    if theirs is None:
        return f">{timeout / ours:.0f}x"
    return f"{theirs / ours:.1f}x"


def igraph_capped(A, args) -> tuple[float | None, float | None]:
    """``(seconds, back-flow)`` of igraph's exact method on `A`, or ``(None, None)`` past the timeout."""
    return run_capped(igraph_min_backflow, (A, args.igraph_method), args.igraph_timeout)


def io_table(directory: Path, args) -> tuple[list[dict], list[str]]:
    """Table (a): every LOLIB IO instance, ours against igraph.

    Returns one record per (instance, method) and the rows marked NO (not equal to the optimum).
    """
    use_igraph = args.igraph and igraph_available()
    records, failures = [], []
    print(f"(a) LOLIB IO instances in {directory}: method='mip' (backend {args.backend!r})"
          + (f" vs igraph feedback_arc_set(method={args.igraph_method!r}), same exact reductions for both"
             if use_igraph else ""))
    print(f"{'instance':10s} {'n':>3s} {'comp':>4s} {'nodes':>5s} {'ours s':>7s} {'ok':>3s}"
          + (f" {'igraph s':>8s} {'ok':>3s} {'ratio':>6s}" if use_igraph else ""))
    total_ours = total_theirs = 0.0
    all_ok, igraph_done = True, True
    for name, A, optimum in io_instances(directory):
        r = od.min_backflow(A, method="mip", time_limit=args.time_limit, backend=args.backend)
        ok = r.optimal and lop_value(A, r.backflow) == optimum
        all_ok &= ok
        if not ok:
            failures.append(f"ours (mip) on {name}")
        records.append({"instance": name, "n": len(A), "method": "ours (mip)", "seconds": r.seconds,
                        "value": lop_value(A, r.backflow), "optimum": optimum, "proven": r.optimal})
        total_ours += r.seconds
        parts = r.stats["solved"]
        line = (f"{name:10s} {len(A):3d} {max((p['size'] for p in parts), default=0):4d} "
                f"{sum(p.get('nodes', 0) for p in parts):5d} {r.seconds:7.2f} {'yes' if ok else 'NO':>3s}")
        if use_igraph:
            seconds, value = igraph_capped(A, args)
            igraph_done &= seconds is not None
            records.append({"instance": name, "n": len(A), "method": f"igraph {args.igraph_method}",
                            "seconds": seconds, "value": None if value is None else lop_value(A, value),
                            "optimum": optimum, "proven": seconds is not None})
            total_theirs += args.igraph_timeout if seconds is None else seconds
            their_ok = "-" if value is None else ("yes" if lop_value(A, value) == optimum else "NO")
            if their_ok == "NO":
                failures.append(f"igraph {args.igraph_method} on {name}")
            line += f" {_fmt(seconds, args.igraph_timeout):>8s} {their_ok:>3s} {_ratio(seconds, r.seconds, args.igraph_timeout):>6s}"
        print(line, flush=True)
    summary = f"total: ours {total_ours:.2f} s, all proven and equal to optima.json: {'yes' if all_ok else 'NO'}"
    if use_igraph:
        bound = "" if igraph_done else " (at least: timeouts counted at the cap)"
        summary += f"; igraph {total_theirs:.2f} s{bound}; ratio {total_theirs / total_ours:.1f}x"
    print(summary + "\n", flush=True)
    return records, failures


def random_table(sizes, seeds, args) -> tuple[list[dict], list[str]]:
    """Table (b): dense random ``|N(0,1)|`` matrices, ours against igraph.

    Returns one record per run and the rows marked NO (igraph's value not ours).
    """
    use_igraph = args.igraph and igraph_available()
    records, failures = [], []
    print(f"(b) dense random |N(0,1)| matrices, seeds {list(seeds)}, method='mip' (backend {args.backend!r}), "
          f"our time limit {args.time_limit} s")
    print(f"{'n':>3s} {'seed':>4s} {'nodes':>6s} {'ours s':>7s} {'proven':>6s}"
          + (f" {'igraph s':>8s} {'same':>4s} {'ratio':>6s}" if use_igraph else ""))
    for n in sizes:
        for seed in seeds:
            A = random_dense(n, seed)
            r = od.min_backflow(A, method="mip", time_limit=args.time_limit, backend=args.backend)
            nodes = sum(p.get("nodes", 0) for p in r.stats["solved"])
            line = f"{n:3d} {seed:4d} {nodes:6d} {r.seconds:7.2f} {'yes' if r.optimal else 'no':>6s}"
            records.append({"n": n, "seed": seed, "method": "ours (mip)",
                            "seconds": r.seconds if r.optimal else None, "backflow": r.backflow})
            if use_igraph:
                seconds, value = igraph_capped(A, args)
                records.append({"n": n, "seed": seed, "method": f"igraph {args.igraph_method}",
                                "seconds": seconds, "backflow": value})
                same = "-" if value is None else ("yes" if abs(value - r.backflow) <= 1e-9 * A.sum() else "NO")
                if same == "NO":
                    failures.append(f"igraph {args.igraph_method} on n={n} seed={seed}")
                line += f" {_fmt(seconds, args.igraph_timeout):>8s} {same:>4s} {_ratio(seconds, r.seconds, args.igraph_timeout):>6s}"
            print(line, flush=True)
    print()
    return records, failures


def crossover_table(sizes, seeds, args) -> None:
    """Table (c): subset DP against MIP on dense random matrices (the measurement behind auto)."""
    print(f"(c) dp vs mip on dense random |N(0,1)|, median over seeds {list(seeds)}")
    print(f"{'n':>3s} {'dp s':>7s} {'mip s':>7s} {'mip max s':>9s}")
    for n in sizes:
        dp_t, mip_t = [], []
        for seed in seeds:
            A = random_dense(n, seed)
            dp_t.append(od.min_backflow(A, method="dp").seconds)
            mip_t.append(od.min_backflow(A, method="mip").seconds)
        print(f"{n:3d} {np.median(dp_t):7.3f} {np.median(mip_t):7.3f} {max(mip_t):9.3f}", flush=True)
    print()


def random_dense(n: int, seed: int) -> np.ndarray:
    """``|N(0,1)|`` matrix with a zero diagonal."""
    A = np.abs(np.random.default_rng(seed).standard_normal((n, n)))
    np.fill_diagonal(A, 0.0)
    return A


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="fewer sizes and seeds")
    parser.add_argument("--lolib", type=Path, default=DEFAULT_LOLIB, help="directory of the IO instances")
    parser.add_argument("--no-io", dest="io", action="store_false", help="skip table (a)")
    parser.add_argument("--no-random", dest="random", action="store_false", help="skip table (b)")
    parser.add_argument("--crossover", action="store_true", help="also print table (c)")
    parser.add_argument("--sizes", type=int, nargs="*", help="sizes of table (b)")
    parser.add_argument("--seeds", type=int, default=None, help="seeds per size (default 3, quick 1)")
    parser.add_argument("--time-limit", type=float, default=120.0, help="our limit per instance (s)")
    parser.add_argument("--backend", default="highs", choices=("highs", "scip"), help="our MIP back-end")
    parser.add_argument("--no-igraph", dest="igraph", action="store_false", help="skip igraph")
    parser.add_argument("--igraph-method", default="ip_ti", choices=("ip", "ip_ti", "ip_cg"))
    parser.add_argument("--igraph-timeout", type=float, default=300.0, help="seconds before igraph is killed")
    parser.add_argument("--out", metavar="DIR", help="also write CSV, JSON and PNG files there")
    args = parser.parse_args(argv)
    if args.igraph and not igraph_available():
        print("python-igraph is not installed: its columns are skipped\n")
    seeds = range(args.seeds if args.seeds is not None else (1 if args.quick else 3))
    od.min_backflow(random_dense(12, 0), method="mip")       # compile the numba kernels outside the timings
    od.min_backflow(random_dense(12, 0), method="dp")
    failures = []
    if args.io:
        if args.lolib.is_dir():
            records, failed = io_table(args.lolib, args)
            failures += failed
            if args.out:
                save(args.out, "lolib", records, x="n", y="seconds", series="method", lines=False,
                     title="LOLIB IO: time to a proven optimum")
        else:
            print(f"no LOLIB IO directory at {args.lolib}: table (a) skipped (use --lolib DIR)\n")
    if args.random:
        sizes = args.sizes or ([28, 29, 30, 31] if args.quick else [28, 29, 30, 31, 34, 40])
        records, failed = random_table(sizes, seeds, args)
        failures += failed
        if args.out:
            save(args.out, "mip-random", records, x="n", y="seconds", series="method", lines=False,
                 title="dense random |N(0,1)|: time to a proven optimum")
    if args.crossover:
        crossover_table([16, 18, 20, 22, 24, 26, 28], range(5), args)
    if failures:
        raise SystemExit(f"bench: {len(failures)} results disagree with the optimum "
                         f"(first: {failures[0]}); see the rows marked NO above")


if __name__ == "__main__":
    main()
