"""Command line: ``python -m cpl {table1,figure2,figure3,matrices,sweep,report} ...``.

Bad input ends with exit status 2 and one line on stderr.
"""
from __future__ import annotations

import argparse
import dataclasses
import json
import os
import sys
from pathlib import Path

from .legacy import LEGACY_SEED

__all__ = ["main"]

WORKERS = min(2, os.cpu_count() or 1)


class _Parser(argparse.ArgumentParser):
    """An argument parser whose errors are one line on stderr and exit status 2."""

    def error(self, message: str):
        self.exit(2, f"{self.prog}: error: {message}\n")


def _integer(least: int, kind: str):
    """An argparse type: an integer of at least `least` (`kind` names it in the error)."""
    def parse(text: str) -> int:
        try:
            value = int(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"expected a {kind} integer, got {text!r}") from None
        if value < least:
            raise argparse.ArgumentTypeError(f"expected a {kind} integer, got {value}")
        return value
    return parse


_positive = _integer(1, "positive")
_non_negative = _integer(0, "non-negative")


def _parser() -> _Parser:
    parser = _Parser(prog="python -m cpl", description="Reproduce 'Pruning Increases Orderedness in "
                     "Weight-Tied Recurrent Computation' (Song 2025) with complete perceptron layers.")
    sub = parser.add_subparsers(dest="command", required=True, parser_class=_Parser)

    def engine(p: argparse.ArgumentParser) -> None:
        p.add_argument("--workers", type=_positive, default=WORKERS,
                       help=f"worker processes (default {WORKERS}); results do not depend on it")
        p.add_argument("--backend", choices=["process", "dask"], default="process",
                       help="process pool (default) or dask.distributed")
        p.add_argument("--scheduler", metavar="ADDRESS", help="dask scheduler to connect to (default: a LocalCluster)")
        p.add_argument("--quiet", action="store_true", help="no progress bar")

    def common(p: argparse.ArgumentParser, name: str, required_out: bool = False) -> None:
        p.add_argument("--trials", type=_positive, default=None,
                       help=f"trials per cell (default: experiments/{name}.toml's, 10)")
        p.add_argument("--seed", type=_non_negative, default=None,
                       help="experiment seed (default: the file's, 0; with --legacy the paper's 3141592)")
        p.add_argument("--out", metavar="DIR", required=required_out, default=None if required_out else f"runs/{name}",
                       help="directory of the run's evidence: run-<name>.json and the cells (weights, orders, losses)"
                       + ("" if required_out else f"; finished cells are reused (default runs/{name})"))
        engine(p)

    p = sub.add_parser("table1", help="Table 1 beside the published values, with final losses "
                       "(experiments/table1.toml)")
    common(p, "table1")
    p.add_argument("--legacy", action="store_true",
                   help="replay the published code's draw order (global seed 3141592, one random mask per task): "
                        "the published numbers exactly (experiments/table1-legacy.toml)")
    p.add_argument("--json", metavar="FILE", help="also write {row: {column: {mean, std, n, final_loss}}} to FILE")
    p.add_argument("--shared-mask", action="store_true",
                   help="independent draws, but random pruning with one mask for all trials")

    p = sub.add_parser("figure2", help="ΔO against hidden size and iterations, dynamic top-k 0.5 "
                       "(experiments/figure2.toml)")
    common(p, "figure2", required_out=True)
    p.add_argument("--hidden", type=_non_negative, nargs="+", metavar="H", help="hidden sizes (default 1 3 5 7)")
    p.add_argument("--its", type=_positive, nargs="+", metavar="T", help="iterations (default 1 .. 10)")
    p.add_argument("--tasks", nargs="+", choices=["xor", "sine"], help="default xor sine")

    p = sub.add_parser("figure3", help="ΔO against sparsity for the five pruners (experiments/figure3.toml)")
    common(p, "figure3", required_out=True)
    p.add_argument("--tasks", nargs="+", choices=["none", "xor", "sine"], help="default none xor sine")

    p = sub.add_parser("matrices", help="each pruner's weights before and after training, in optimal orders "
                       "(experiments/matrices.toml)")
    common(p, "table1")
    p.add_argument("--task", choices=["none", "xor", "sine"], help="default xor")
    p.add_argument("--trial", type=_non_negative, help="which trial to draw (default 0)")
    p.add_argument("--legacy", action="store_true", help="the published code's draw order (as table1 --legacy)")

    p = sub.add_parser("sweep", help="run a declarative sweep (TOML); resumes where it stopped")
    p.add_argument("config", metavar="CONFIG.toml", help="sweep file (see cpl.sweep)")
    p.add_argument("--out", metavar="DIR", help="output directory (default: sweeps/<config name>)")
    engine(p)

    p = sub.add_parser("report", help="rebuild a run's table or figure from its directory, without training")
    p.add_argument("dir", metavar="DIR", help="the --out directory of table1, figure2, figure3, matrices or sweep")
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
    if args.command != "report" and args.scheduler is not None and args.backend != "dask":
        parser.error("--scheduler needs --backend dask")
    from . import experiments   # torch is imported only once the arguments are valid
    from .backends import BackendError

    if args.command == "report":
        try:
            print(experiments.report(args.dir))
        except (FileNotFoundError, KeyError, json.JSONDecodeError) as e:
            parser.error(f"cannot report {args.dir!r}: {e}")
        return 0
    if args.command == "table1" and args.legacy and args.shared_mask:
        parser.error("--shared-mask is for independent draws; --legacy has its own one mask per task")
    if args.command == "table1" and args.json:
        try:
            open(args.json, "a").close()
        except OSError as e:
            parser.error(f"cannot write {args.json!r}: {e.strerror or e}")
    out = _writable_dir(parser, args.out)
    try:
        sweep = _experiment(args)
        seconds = experiments.run(sweep, out, workers=args.workers, backend=args.backend, scheduler=args.scheduler,
                                  progress=not args.quiet)
        if args.command == "table1":
            table = experiments.table1(sweep, out, seconds)
            print(table.format())
            if args.json:
                with open(args.json, "w") as f:
                    json.dump(table.summary(), f, indent=1)
        else:
            print(experiments.show(sweep, out, seconds))
    except (BackendError, ValueError) as e:
        parser.error(str(e))
    return 0


def _experiment(args: argparse.Namespace):
    """The grid of the command's file of ``experiments/``, with the options given replacing its keys."""
    from . import experiments

    legacy = getattr(args, "legacy", False)
    overrides = {"trials": args.trials, "seed": args.seed}
    if legacy and args.command == "matrices":
        overrides.update(seed=LEGACY_SEED if args.seed is None else args.seed, draws="legacy")
    if args.command == "table1" and args.shared_mask:
        overrides["shared_mask"] = True
    if args.command == "figure2":
        overrides.update(hidden=args.hidden, iterations=args.its)
    if args.command in ("figure2", "figure3"):
        overrides["tasks"] = args.tasks
    if args.command == "matrices":
        overrides["tasks"] = args.task and [args.task]
    name = "table1-legacy" if args.command == "table1" and legacy else args.command
    sweep = experiments.load(name, {key: value for key, value in overrides.items() if value is not None})
    if getattr(args, "trial", None) is not None:
        sweep = dataclasses.replace(sweep, report={**sweep.report, "trial": args.trial})
    return sweep


def _sweep(parser: _Parser, args: argparse.Namespace) -> int:
    """``python -m cpl sweep``: exit 0 when every cell is finished, 1 when some failed."""
    from .backends import BackendError
    from .sweep import SweepError, parse_sweep, read_toml, run_sweep

    if args.scheduler is not None and args.backend != "dask":
        parser.error("--scheduler needs --backend dask")
    from . import experiments
    try:
        sweep = parse_sweep(read_toml(args.config), default_name=Path(args.config).stem)
        experiments.check(sweep)
    except SweepError as e:
        parser.error(str(e))
    out = _writable_dir(parser, args.out or str(Path("sweeps") / Path(args.config).stem))
    if sweep.report:
        try:
            seconds = experiments.run(sweep, out, workers=args.workers, backend=args.backend,
                                      scheduler=args.scheduler, progress=not args.quiet)
            print(experiments.show(sweep, out, seconds))
        except (BackendError, ValueError) as e:
            parser.error(str(e))
        return 0
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
