"""Wall time of the paper's Table 1: ``python -m bench cpl``.

The one timing of Table 1 (``python -m cpl`` has no timing command). Runs Table 1
(``experiments/table1.toml``: 27 cells, 10 trials each, 2 worker processes as ``python -m cpl table1``,
each run in a fresh directory so nothing is reused) twice: every orderedness by ``method="auto"``
(ours), and by ``method="brute"``, the search over all orders of the hidden neurons that the published
code does. Both give the same table (checked); the table prints the wall time, the training and
scoring parts, and the ratio. With ``--out DIR`` the records are written as ``cpl`` (CSV, JSON, PNG).
"""
from __future__ import annotations

import argparse
import dataclasses
import tempfile

import numpy as np

from .common import machine, print_table
from .report import save


def main(argv=None) -> list[dict]:
    ap = argparse.ArgumentParser(prog="python -m bench.cpl", description=__doc__.split("\n")[0])
    ap.add_argument("--trials", type=int, default=10, help="trials per cell (default 10, as the paper)")
    ap.add_argument("--out", metavar="DIR", help="also write CSV, JSON and PNG files there")
    args = ap.parse_args(argv)
    from cpl import experiments
    from cpl.__main__ import WORKERS

    print(f"## Table 1, {args.trials} trials per cell, {WORKERS} worker processes; {machine()}")

    def table1(trials: int, method: str, out: str, workers: int = 1) -> experiments.Table1:
        grid = experiments.load("table1", {"trials": trials})
        grid = dataclasses.replace(grid, cells=tuple(dataclasses.replace(c, method=method) for c in grid.cells))
        return experiments.table1(grid, out, experiments.run(grid, out, workers=workers))

    with tempfile.TemporaryDirectory() as tmp:
        table1(1, "auto", f"{tmp}/warm-up")   # import torch, compile the kernels: not timed
        tables = {m: table1(args.trials, m, f"{tmp}/{m}", WORKERS) for m in ("auto", "brute")}
    for row in experiments.ROWS:
        for col in experiments.COLUMNS:
            a, b = (tables[m].values[row][col] for m in ("auto", "brute"))
            assert np.allclose(a, b, rtol=0, atol=1e-9), (row, col, a, b)
    records = [{"scoring": m, "part": part, "seconds": seconds}
               for m, t in tables.items()
               for part, seconds in (("wall", t.seconds), ("training", t.seconds_training),
                                     ("orderedness", t.seconds_scoring))]
    auto, brute = tables["auto"], tables["brute"]
    rows = [{"scoring": m, "wall": f"{t.seconds:.2f} s", "training": f"{t.seconds_training:.2f} s",
             "orderedness": f"{t.seconds_scoring:.3f} s"} for m, t in tables.items()]
    print_table(rows, ["scoring", "wall", "training", "orderedness"])
    print(f"same table both ways; orderedness: brute / auto = {brute.seconds_scoring / auto.seconds_scoring:,.1f}x, "
          f"wall: {brute.seconds / auto.seconds:.2f}x")
    if args.out:
        save(args.out, "cpl", records, x="part", y="seconds", series="scoring", lines=False,
             title="Table 1: wall time and its parts")
    return records


if __name__ == "__main__":
    main()
