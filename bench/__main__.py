"""``python -m bench [suite ...] [--quick] [--out DIR]``: benchmarks that print tables and save them.

With one suite, options the suite takes go through to it: ``python -m bench scale --sizes 100000``
is ``python -m bench.scale --out bench-results --sizes 100000`` (``python -m bench.<suite> --help``
lists them; ``exact`` takes none).

Suites:

- ``dp``: the subset DP against the brute force over all orders and a plain O(2^n n^2) DP;
- ``exact``: brute, dp, mip against python-igraph's ``ip_ti`` and ``ip`` on dense, sparse and
  trained-CPL-like matrices, n growing until each exceeds its time cap;
- ``lolib``: the 49 LOLIB input-output instances proven by ``mip``, checked against their published
  optima, igraph ``ip_ti`` beside them (``bench/mip.py``);
- ``heuristics``: the memetic heuristic on xLOLIB (n = 150, 250) at 1, 10 and 60 s (60 s on a subset
  of 8 instances per size), gaps to the best known values and to its own LP bound, igraph's ``eades``
  beside it (``bench/heuristics.py``);
- ``bounds``: the width of the proven interval of ``od.score`` against n (60 ... 3000) and time budget,
  beside the pairwise bound and a plain HiGHS cutting-plane loop (``bench/bounds.py``);
- ``cpl``: the wall time of the paper's Table 1, scored by ``auto`` and by the brute force;
- ``connectomes``: the eleven C. elegans connectomes of ``../shared/data/connectomes`` proven by
  ``auto`` at 60 s each, igraph's ``eades``, ``ip`` and ``ip_cg`` beside them (``bench/connectomes.py``;
  ``python -m bench.connectomes --doc`` also regenerates ``docs/connectomes.md``);
- ``sparse-fas``: the 24 de Bruijn and Imase-Itoh graphs of Baharev et al. (2021) at 60 s each, against
  their published minimum feedback arc sets (``bench/sparse_fas.py``);
- ``scale``: sparse planted-hierarchy networks of 10,000 to 1,000,000 nodes, the command line against
  igraph's ``eades``: time, peak memory, forward share, certified share (``bench/scale.py``).

Each prints its tables, measured in this run, with the ratios against the peers, and writes CSV, JSON
and PNG files to ``--out`` (default ``bench-results``). ``--quick`` keeps the whole run under about
two minutes (small sizes, short caps, no igraph on LOLIB); the full run takes about an hour.
"""
from __future__ import annotations

import argparse
import time

from .common import machine

SUITES = ("dp", "exact", "lolib", "heuristics", "bounds", "cpl", "connectomes", "sparse-fas", "scale")


def main(argv=None) -> None:
    ap = argparse.ArgumentParser(prog="python -m bench", description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("suites", nargs="*", metavar="suite", help=f"any of {', '.join(SUITES)} (default: all)")
    ap.add_argument("--quick", action="store_true", help="small sizes and short caps (under 2 minutes)")
    ap.add_argument("--out", default="bench-results", help="directory for CSV, JSON and PNG files")
    ap.add_argument("--quiet", action="store_true", help="no progress lines on stderr")
    args, extra = ap.parse_known_args(argv)
    unknown = [s for s in args.suites if s not in SUITES]
    if unknown:
        ap.error(f"unknown suite {unknown[0]!r}; choose from {', '.join(SUITES)}")
    if extra and (len(args.suites) != 1 or args.suites[0] == "exact"):
        ap.error(f"unrecognized arguments: {' '.join(extra)} (a suite's own options need exactly one suite "
                 "named, other than exact; see python -m bench.<suite> --help)")
    print(f"# orderedness benchmarks on {machine()}{' (quick)' if args.quick else ''}")
    start = time.perf_counter()
    for suite in args.suites or SUITES:
        t0 = time.perf_counter()
        print()
        if suite == "dp":
            from . import dp
            dp.main((["--quick", "--out", args.out] if args.quick else ["--out", args.out]) + extra)
        elif suite == "exact":
            from . import exact
            exact.main(args.quick, args.out, progress=not args.quiet)
        elif suite == "lolib":
            from . import mip
            mip.main(["--no-random", "--out", args.out]
                     + (["--no-igraph"] if args.quick else ["--igraph-timeout", "60"]) + extra)
        elif suite == "heuristics":
            from . import heuristics
            heuristics.main(["--out", args.out]
                            + (["--quick", "--parts", "xlolib"] if args.quick else ["--subset-from", "60"]) + extra)
        elif suite == "bounds":
            from . import bounds
            bounds.main(["--out", args.out] + (["--quick"] if args.quick else []) + extra)
        elif suite == "cpl":
            from . import cpl
            cpl.main(["--out", args.out] + (["--trials", "2"] if args.quick else []) + extra)
        elif suite == "connectomes":
            from . import connectomes
            connectomes.main(["--out", args.out] + (["--quick"] if args.quick else []) + extra)
        elif suite == "sparse-fas":
            from . import sparse_fas
            sparse_fas.main(["--out", args.out] + (["--quick"] if args.quick else []) + extra)
        elif suite == "scale":
            from . import scale
            scale.main(["--out", args.out] + (["--quick"] if args.quick else []) + extra)
        print(f"({suite}: {time.perf_counter() - t0:.0f} s)")
    print(f"\n(whole run: {time.perf_counter() - start:.0f} s; files in {args.out})")


if __name__ == "__main__":
    main()
