"""Command line: ``python -m cpl {table1,figure2,figure3,bench,sweep} ...``.

Bad input ends with exit status 2 and one line on stderr.
"""
from __future__ import annotations

import argparse
import json
import os
import sys
import time
from pathlib import Path

__all__ = ["main"]

JOBS = min(2, os.cpu_count() or 1)


class _Parser(argparse.ArgumentParser):
    """An argument parser whose errors are one line on stderr and exit status 2."""

    def error(self, message: str):
        self.exit(2, f"{self.prog}: error: {message}\n")


def _positive(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a positive integer, got {text!r}") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"expected a positive integer, got {value}")
    return value


def _non_negative(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a non-negative integer, got {text!r}") from None
    if value < 0:
        raise argparse.ArgumentTypeError(f"expected a non-negative integer, got {value}")
    return value


def _parser() -> _Parser:
    parser = _Parser(prog="python -m cpl", description="Reproduce 'Pruning Increases Orderedness in "
                     "Weight-Tied Recurrent Computation' (Song 2025) with complete perceptron layers.")
    sub = parser.add_subparsers(dest="command", required=True, parser_class=_Parser)

    def common(p: argparse.ArgumentParser, trials: int = 10) -> None:
        p.add_argument("--trials", type=_positive, default=trials, help=f"trials per cell (default {trials})")
        p.add_argument("--seed", type=_non_negative, default=0, help="experiment seed (default 0)")
        p.add_argument("--jobs", type=_positive, default=JOBS,
                       help=f"worker processes (default {JOBS}); results do not depend on it")
        p.add_argument("--quiet", action="store_true", help="no progress bar")

    p = sub.add_parser("table1", help="Table 1 beside the published values")
    common(p)
    p.add_argument("--json", metavar="FILE", help="also write {row: {column: {mean, std, n}}} to FILE")
    p.add_argument("--shared-mask", action="store_true",
                   help="random pruning: one mask for all trials (as the published code most plausibly did)")

    p = sub.add_parser("bench", help="time Table 1")
    common(p)
    p.add_argument("--repeat", type=_positive, default=1, help="runs to time (default 1)")

    p = sub.add_parser("figure2", help="ΔO against hidden size and iterations (dynamic top-k 0.5)")
    common(p)
    p.add_argument("--out", required=True, metavar="DIR", help="directory for figure2.png and figure2.csv")
    p.add_argument("--hidden", type=_non_negative, nargs="+", default=[1, 3, 5, 7], metavar="H")
    p.add_argument("--its", type=_positive, nargs="+", default=list(range(1, 11)), metavar="T")
    p.add_argument("--tasks", nargs="+", choices=["xor", "sine"], default=["xor", "sine"])

    p = sub.add_parser("figure3", help="ΔO against sparsity for the five pruners")
    common(p)
    p.add_argument("--out", required=True, metavar="DIR", help="directory for figure3.png and figure3.csv")
    p.add_argument("--tasks", nargs="+", choices=["none", "xor", "sine"], default=["none", "xor", "sine"])

    p = sub.add_parser("sweep", help="run a declarative sweep (TOML); resumes where it stopped")
    p.add_argument("config", metavar="CONFIG.toml", help="sweep file (see cpl.sweep)")
    p.add_argument("--out", metavar="DIR", help="output directory (default: sweeps/<config name>)")
    p.add_argument("--workers", type=_positive, default=JOBS, help=f"local workers (default {JOBS})")
    p.add_argument("--backend", choices=["process", "dask"], default="process",
                   help="process pool (default) or dask.distributed")
    p.add_argument("--scheduler", metavar="ADDRESS", help="dask scheduler to connect to (default: a LocalCluster)")
    p.add_argument("--quiet", action="store_true", help="no progress bar")
    return parser


def _writable_dir(parser: _Parser, path: str) -> Path:
    out = Path(path)
    try:
        out.mkdir(parents=True, exist_ok=True)
    except OSError as e:
        parser.error(f"cannot create output directory {path!r}: {e.strerror or e}")
    if not out.is_dir():
        parser.error(f"{path!r} is not a directory")
    return out


def main(argv: list[str] | None = None) -> int:
    """Run the command line; returns the exit status."""
    parser = _parser()
    args = parser.parse_args(argv)
    if args.command == "sweep":
        return _sweep(parser, args)
    from . import experiments   # torch is imported only once the arguments are valid

    progress = not args.quiet
    if args.command == "table1":
        if args.json:
            try:
                open(args.json, "a").close()
            except OSError as e:
                parser.error(f"cannot write {args.json!r}: {e.strerror or e}")
        table = experiments.table1(args.trials, args.seed, shared_mask=args.shared_mask, jobs=args.jobs,
                                   progress=progress)
        print(table.format())
        if args.json:
            with open(args.json, "w") as f:
                json.dump(table.summary(), f, indent=1)
    elif args.command == "bench":
        times = []
        for _ in range(args.repeat):
            table = experiments.table1(args.trials, args.seed, jobs=args.jobs, progress=progress)
            times.append(table.seconds)
        print(f"table1: {args.trials} trials, {len(experiments.ROWS) * len(experiments.COLUMNS)} cells, "
              f"jobs {args.jobs}: wall {min(times):.2f} s (best of {args.repeat}); training "
              f"{table.seconds_training:.2f} s, orderedness {table.seconds_scoring:.2f} s "
              "(summed over configurations)")
    elif args.command in ("figure2", "figure3"):
        out = _writable_dir(parser, args.out)
        t0 = time.perf_counter()
        if args.command == "figure2":
            experiments.figure2(out, hidden=args.hidden, iterations=args.its, tasks=args.tasks,
                                trials=args.trials, seed=args.seed, jobs=args.jobs, progress=progress)
        else:
            experiments.figure3(out, tasks=args.tasks, trials=args.trials, seed=args.seed, jobs=args.jobs,
                                progress=progress)
        print(f"{args.command}: wrote {out / (args.command + '.png')} and "
              f"{out / (args.command + '.csv')} in {time.perf_counter() - t0:.1f} s")
    return 0


def _sweep(parser: _Parser, args: argparse.Namespace) -> int:
    """``python -m cpl sweep``: exit 0 when every cell is finished, 1 when some failed."""
    from .backends import BackendError
    from .sweep import SweepError, load_sweep, run_sweep

    if args.scheduler is not None and args.backend != "dask":
        parser.error("--scheduler needs --backend dask")
    try:
        sweep = load_sweep(args.config)
    except SweepError as e:
        parser.error(str(e))
    out = _writable_dir(parser, args.out or str(Path("sweeps") / Path(args.config).stem))
    try:
        run = run_sweep(sweep, out, backend=args.backend, workers=args.workers, scheduler=args.scheduler,
                        progress=not args.quiet)
    except BackendError as e:
        parser.error(str(e))
    print(f"sweep {sweep.name}: {len(sweep.cells)} cells ({run.computed} computed, {run.reused} already "
          f"done, {len(run.failed)} failed) in {run.seconds:.1f} s; wrote "
          + (", ".join(str(f) for f in run.files) or "no tables (no finished cell)"))
    for config, error in run.failed:
        print(f"failed: {config}: {error}", file=sys.stderr)
    return 1 if run.failed else 0


if __name__ == "__main__":
    sys.exit(main())
