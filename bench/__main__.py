"""``python -m bench [suite ...] [--quick] [--out DIR]``: benchmarks that print tables.

Suites: ``dp`` (the subset DP against the brute force and a plain DP), ``exact`` (exact solvers
against python-igraph). Each prints a table measured in this run, with ratios against the peers,
and writes CSV, JSON and a PNG plot to ``--out`` (default ``bench-results``).
"""
from __future__ import annotations

import argparse
import time

from .common import machine

SUITES = ("dp", "exact")


def main(argv=None) -> None:
    ap = argparse.ArgumentParser(prog="python -m bench", description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("suites", nargs="*", metavar="suite", help=f"any of {', '.join(SUITES)} (default: all)")
    ap.add_argument("--quick", action="store_true", help="small sizes and short caps (under 2 minutes)")
    ap.add_argument("--out", default="bench-results", help="directory for CSV, JSON and PNG files")
    args = ap.parse_args(argv)
    unknown = [s for s in args.suites if s not in SUITES]
    if unknown:
        ap.error(f"unknown suite {unknown[0]!r}; choose from {', '.join(SUITES)}")
    print(f"# orderedness benchmarks on {machine()}{' (quick)' if args.quick else ''}")
    for suite in args.suites or SUITES:
        t0 = time.perf_counter()
        print()
        if suite == "dp":
            from . import dp
            dp.main(["--quick"] if args.quick else [])
        elif suite == "exact":
            from . import exact
            exact.main(args.quick, args.out)
        print(f"({suite}: {time.perf_counter() - t0:.0f} s)")


if __name__ == "__main__":
    main()
