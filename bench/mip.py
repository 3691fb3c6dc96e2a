"""Benchmark of the exact branch-and-cut (``method="mip"``) against igraph's exact feedback arc set.

Run as ``python -m bench.mip [--quick]`` (or ``python bench/mip.py``) from the repository root. Prints:

(a) the 49 LOLIB IO instances: our time and igraph's, per instance and in total, with the ratio, and
    each value checked against ``optima.json``;
(b) dense random ``|N(0,1)|`` matrices, n = 28-31 (and 34, 40 unless ``--quick``): the same comparison;
(c) with ``--crossover``: the subset DP against the MIP on dense random matrices, the measurement
    behind :mod:`orderedness.auto`.

igraph runs in a child process that is killed after ``--igraph-timeout`` seconds (it cannot be
interrupted otherwise); it gets the pairwise-normalised digraph (arc ``x -> y`` of weight ``N[x, y]``),
the smaller of the two equivalent inputs. Without python-igraph its columns are skipped.
"""
from __future__ import annotations

import argparse
import multiprocessing as mp
import sys
from pathlib import Path
from time import perf_counter

import numpy as np

if __package__ in (None, ""):  # run as a script: make the repository importable
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import orderedness as od
from bench.lolib import io_instances, lop_value
from orderedness.reduce import reduce

DEFAULT_LOLIB = Path(__file__).resolve().parents[1] / ".." / "shared" / "data" / "lolib" / "IO"


def _igraph_child(N: np.ndarray, method: str, queue) -> None:
    import igraph

    src, dst = np.nonzero(N)
    graph = igraph.Graph(n=N.shape[0], edges=list(zip(src.tolist(), dst.tolist())), directed=True)
    t0 = perf_counter()
    cut = graph.feedback_arc_set(weights=N[src, dst].tolist(), method=method)
    queue.put((perf_counter() - t0, float(N[src[cut], dst[cut]].sum())))


def igraph_backflow(A: np.ndarray, method: str, timeout: float) -> tuple[float | None, float | None]:
    """``(seconds, back-flow)`` of igraph's exact feedback arc set, or ``(None, None)`` after `timeout`.

    The seconds are those of the ``feedback_arc_set`` call alone, measured in the child.
    """
    red = reduce(A)
    queue = mp.get_context("fork").Queue()
    child = mp.get_context("fork").Process(target=_igraph_child, args=(red.normalized, method, queue))
    child.start()
    child.join(timeout)
    if child.is_alive():
        child.kill()
        child.join()
        return None, None
    seconds, cut = queue.get()
    return seconds, red.constant + cut


def has_igraph() -> bool:
    try:
        import igraph  # noqa: F401
    except ImportError:
        return False
    return True


def _fmt(seconds: float | None, timeout: float) -> str:
    return f">{timeout:.0f}" if seconds is None else f"{seconds:.2f}"


def _ratio(theirs: float | None, ours: float, timeout: float) -> str:
    if theirs is None:
        return f">{timeout / ours:.0f}x"
    return f"{theirs / ours:.1f}x"


def io_table(directory: Path, args) -> None:
    """Table (a): every LOLIB IO instance, ours against igraph."""
    use_igraph = args.igraph and has_igraph()
    print(f"(a) LOLIB IO instances in {directory}: method='mip' (backend {args.backend!r})"
          + (f" vs igraph feedback_arc_set(method={args.igraph_method!r})" if use_igraph else ""))
    print(f"{'instance':10s} {'n':>3s} {'comp':>4s} {'nodes':>5s} {'ours s':>7s} {'ok':>3s}"
          + (f" {'igraph s':>8s} {'ok':>3s} {'ratio':>6s}" if use_igraph else ""))
    total_ours = total_theirs = 0.0
    all_ok, igraph_done = True, True
    for name, A, optimum in io_instances(directory):
        r = od.min_backflow(A, method="mip", time_limit=args.time_limit, backend=args.backend)
        ok = r.optimal and lop_value(A, r.backflow) == optimum
        all_ok &= ok
        total_ours += r.seconds
        parts = r.stats["solved"]
        line = (f"{name:10s} {len(A):3d} {max((p['size'] for p in parts), default=0):4d} "
                f"{sum(p.get('nodes', 0) for p in parts):5d} {r.seconds:7.2f} {'yes' if ok else 'NO':>3s}")
        if use_igraph:
            seconds, value = igraph_backflow(A, args.igraph_method, args.igraph_timeout)
            igraph_done &= seconds is not None
            total_theirs += args.igraph_timeout if seconds is None else seconds
            their_ok = "-" if value is None else ("yes" if lop_value(A, value) == optimum else "NO")
            line += f" {_fmt(seconds, args.igraph_timeout):>8s} {their_ok:>3s} {_ratio(seconds, r.seconds, args.igraph_timeout):>6s}"
        print(line, flush=True)
    summary = f"total: ours {total_ours:.2f} s, all proven and equal to optima.json: {'yes' if all_ok else 'NO'}"
    if use_igraph:
        bound = "" if igraph_done else " (at least: timeouts counted at the cap)"
        summary += f"; igraph {total_theirs:.2f} s{bound}; ratio {total_theirs / total_ours:.1f}x"
    print(summary + "\n", flush=True)


def random_table(sizes, seeds, args) -> None:
    """Table (b): dense random ``|N(0,1)|`` matrices, ours against igraph."""
    use_igraph = args.igraph and has_igraph()
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
            if use_igraph:
                seconds, value = igraph_backflow(A, args.igraph_method, args.igraph_timeout)
                same = "-" if value is None else ("yes" if abs(value - r.backflow) <= 1e-9 * A.sum() else "NO")
                line += f" {_fmt(seconds, args.igraph_timeout):>8s} {same:>4s} {_ratio(seconds, r.seconds, args.igraph_timeout):>6s}"
            print(line, flush=True)
    print()


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
    args = parser.parse_args(argv)
    if args.igraph and not has_igraph():
        print("python-igraph is not installed: its columns are skipped\n")
    seeds = range(args.seeds if args.seeds is not None else (1 if args.quick else 3))
    od.min_backflow(random_dense(12, 0), method="mip")       # compile the numba kernels outside the timings
    od.min_backflow(random_dense(12, 0), method="dp")
    if args.io:
        if args.lolib.is_dir():
            io_table(args.lolib, args)
        else:
            print(f"no LOLIB IO directory at {args.lolib}: table (a) skipped (use --lolib DIR)\n")
    if args.random:
        sizes = args.sizes or ([28, 29, 30, 31] if args.quick else [28, 29, 30, 31, 34, 40])
        random_table(sizes, seeds, args)
    if args.crossover:
        crossover_table([16, 18, 20, 22, 24, 26, 28], range(5), args)


if __name__ == "__main__":
    main()
