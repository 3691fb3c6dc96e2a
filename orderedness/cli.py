"""Command line: ``python -m orderedness score|compare FILE ...`` (also installed as ``orderedness``).

Exit status: 0 on success, 2 on bad input (one line on stderr naming the problem and the fix),
130 when interrupted (Ctrl-C during a solve prints the best order so far with its proven bounds
first), 141 when the reader of stdout closed it early.
"""
from __future__ import annotations

import argparse
import json
import os
import sys
import time
from time import perf_counter

from scipy.sparse import issparse

from . import __version__
from .auto import DENSE_UP_TO
from .compare import compare
from .io import load_network
from .lop import METHODS
from .metric import DENOMINATORS, score
from .plot import check_drawable, plot_order
from .progress import STOPPED_BY_USER, Progress
from .result import Score
from .validate import InputError, as_matrix

__all__ = ["main", "build_parser"]

ORDER_SHOWN = 1000      # the table lists at most this many nodes of the order
WRITE_SECONDS_PER_NODE = 1e-6   # kept from --time-limit to print the order (1 s at a million nodes)
FINISH_SECONDS_PER_ARC = 1e-6   # kept per arc of a network for the checks and totals around the search
LEAST_SECONDS = 1e-6            # a limit already used up by loading reaches the solver as this (fastest answer)


class _Parser(argparse.ArgumentParser):
    """argparse that reports usage errors as one line and exit status 2."""

    def error(self, message: str):
        raise InputError(f"{message}; see '{self.prog} --help'")


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="orderedness", description="Orderedness of weight matrices, exactly.")
    parser.add_argument("--version", action="version", version=f"orderedness {__version__}")
    sub = parser.add_subparsers(dest="command", required=True, parser_class=_Parser)

    p = sub.add_parser("score", help="orderedness of a weight matrix",
                       description="Orderedness of a complete-perceptron-layer weight matrix "
                                   "(shape (o+h, o+h+i)) or of any square matrix.")
    _add_matrix_options(p)
    p.add_argument("--method", default="auto", choices=METHODS, metavar="METHOD",
                   help=f"solver: {', '.join(METHODS)} (default auto)")
    p.add_argument("--denominator", default="square", choices=DENOMINATORS,
                   help="square: S = sum |Q| (the paper's numbers, default); full: S = sum |W|")
    p.add_argument("--time-limit", type=float, default=None, metavar="S",
                   help="seconds for the whole command, loading included; when reached the best "
                        "order so far is printed with proven bounds. Default: no limit (exact methods "
                        "run to a proof, heuristics for a fixed effort, the same on any machine)")
    p.add_argument("--seed", type=int, default=0, metavar="K", help="seed of randomised solvers")
    p.add_argument("--json", action="store_true", help="print one JSON object")
    p.add_argument("--quiet", action="store_true", help="no progress lines on stderr")
    p.add_argument("--plot", default=None, metavar="FILE.png",
                   help="draw the matrix reordered by the order found (back-flow in red, strongly "
                        "connected blocks outlined, the certificate in the title)")
    p.set_defaults(run=_run_score)

    p = sub.add_parser("compare", help="all solvers side by side",
                       description="Score one matrix with every solver that can finish and print one "
                                   "table: orderedness, proven bounds, gap, proof, seconds.")
    _add_matrix_options(p)
    p.add_argument("--methods", nargs="+", default=None, choices=METHODS[1:], metavar="METHOD",
                   help=f"solvers to run (default all: {', '.join(METHODS[1:])})")
    p.add_argument("--denominator", default="square", choices=DENOMINATORS,
                   help="square: S = sum |Q| (default); full: S = sum |W|")
    p.add_argument("--time-limit", type=float, default=None, metavar="S",
                   help="seconds per method (default: no limit; brute and dp are skipped when "
                        "estimated above 10 s)")
    p.add_argument("--seed", type=int, default=0, metavar="K", help="seed of randomised solvers")
    p.add_argument("--json", action="store_true", help="print a JSON list, one object per method")
    p.set_defaults(run=_run_compare)
    return parser


def _add_matrix_options(p: argparse.ArgumentParser) -> None:
    p.add_argument("file", help="matrix file: .npy .npz .csv .tsv .txt .mat (LOLIB) .pt .pth, or a network: "
                               "an edge list (.csv/.tsv/.txt with a header naming source and target, "
                               "optionally weight) or a scipy.sparse .npz")
    p.add_argument("--outputs", type=int, default=0, metavar="O",
                   help="output neurons (first O rows; they stay first), default 0")
    p.add_argument("--inputs", type=int, default=None, metavar="I",
                   help="input neurons (last I columns); default: columns minus rows")
    p.add_argument("--key", default=None, help="array in an .npz, or tensor in a .pt state dict")


def load_cpl(args, quiet: bool = False) -> tuple:
    """Load the matrix of `args.file`, settle ``inputs`` from its shape when not given; return
    ``(W, inputs, names)`` (`W` stays sparse for a network). Notes of the reader go to stderr."""
    net = load_network(args.file, args.key)
    W = net.matrix if issparse(net.matrix) else as_matrix(net.matrix, args.file)
    inputs = args.inputs if args.inputs is not None else max(W.shape[1] - W.shape[0], 0)
    for note in net.notes if not quiet else ():
        print(f"note: {args.file}: {note}", file=sys.stderr)
    return W, inputs, net.names


def _remaining(args, nodes: int, arcs: int) -> float | None:
    """What is left of ``--time-limit`` since the command started (loading counts), less the time to
    check the input, total the back-flow and print the order (`arcs`: of a network, else 0); a
    missing or invalid limit is passed on as given (validation names it); one used up already leaves
    :data:`LEAST_SECONDS`, so the solver still answers with its fastest order and a proven bound."""
    if args.time_limit is None or not args.time_limit > 0:
        return args.time_limit
    return max(LEAST_SECONDS, args.time_limit - (perf_counter() - args.started) - WRITE_SECONDS_PER_NODE * nodes
               - FINISH_SECONDS_PER_ARC * arcs)


def _run_score(args) -> int:
    """Print the score; 130 when Ctrl-C stopped the solve (the best order so far is printed)."""
    W, inputs, names = load_cpl(args, args.quiet)
    if args.plot:
        check_drawable(args.plot)
    arcs = W.nnz if issparse(W) else 0
    s = score(W, outputs=args.outputs, inputs=inputs, method=args.method,
              denominator=args.denominator, time_limit=_remaining(args, W.shape[0], arcs), seed=args.seed,
              names=names, progress=None if args.quiet else Progress(args.method))
    s.time_limit = args.time_limit         # the command's limit (loading included), as asked
    status = 130 if s.stats.get("stopped") == STOPPED_BY_USER else 0
    if status:
        print("interrupted: the best order so far, with its proven bounds", file=sys.stderr)
    if args.json:
        print(json.dumps(s.to_dict()))
    else:
        _print_score(s, W)
    if args.plot:
        plot_order(W[:, :W.shape[0]], s.permutation, args.plot, outputs=args.outputs, score=s)
    return status


def _print_score(s: Score, W) -> None:
    """The table of a score on stdout (the order cut at ORDER_SHOWN nodes)."""
    st = s.stats
    proof = "proven optimal" if s.optimal else f"not proven: true value in [{s.lower:.6f}, {s.upper:.6f}]"
    S = "sum |Q|" if s.denominator == "square" else "sum |W|"
    print(f"orderedness  {s.value:.6f}  ({proof})")
    print(f"bounds       [{s.lower:.6f}, {s.upper:.6f}]")
    print(f"back-flow    {s.backflow:.6g} of S = {s.total:.6g} ({s.denominator}: {S})")
    if issparse(W):
        print(f"network      {W.shape[0]} nodes, {W.nnz} arcs (sparse)")
    else:
        print(f"neurons      {st['outputs']} outputs, {st['hidden']} hidden, {st['inputs']} inputs")
    print(f"method       {s.method}")
    limit = "no limit" if s.time_limit is None else f"limit {s.time_limit:g} s"
    print(f"time         {_seconds(s.seconds)} ({limit})")
    order = s.names if s.names is not None else s.permutation
    shown = " ".join(map(str, order[:ORDER_SHOWN]))
    more = f" ... ({len(order)} nodes; --json lists them all)" if len(order) > ORDER_SHOWN else ""
    print(f"order        {shown}{more}")


def _run_compare(args) -> None:
    W, inputs, _ = load_cpl(args)
    if issparse(W):
        if W.shape[0] > DENSE_UP_TO:
            raise InputError(f"compare runs the dense solvers, and this network has {W.shape[0]} > "
                             f"{DENSE_UP_TO} nodes; use 'orderedness score' (method sparse)")
        W = W.toarray()
    results = compare(W, outputs=args.outputs, inputs=inputs, time_limit=args.time_limit,
                      methods=args.methods, denominator=args.denominator, seed=args.seed)
    rows = [{**r.to_dict(), "method": m, "solver": r.method, "gap": r.gap} if isinstance(r, Score)
            else r.to_dict() for m, r in results.items()]
    if args.json:
        print(json.dumps(rows))
        return
    head = ("method", "orderedness", "lower", "upper", "gap", "optimal", "seconds")
    cells = [head] + [(m, f"{r.value:.6f}", f"{r.lower:.6f}", f"{r.upper:.6f}", f"{r.gap:.2e}",
                       "yes" if r.optimal else "no", _seconds(r.seconds))
                      for m, r in results.items() if isinstance(r, Score)]
    widths = [max(len(row[k]) for row in cells) for k in range(len(head))]
    for row in cells:
        print("  ".join(c.ljust(w) if k == 0 else c.rjust(w) for k, (c, w) in enumerate(zip(row, widths))))
    for m, r in results.items():
        if not isinstance(r, Score):
            print(f"skipped {m}: {r.reason}")
    print("time limit: " + ("none" if args.time_limit is None else f"{args.time_limit:g} s per method"))


def _seconds(s: float) -> str:
    return f"{s * 1e3:.3g} ms" if s < 1 else f"{s:.3g} s"


def _process_age() -> float:
    """Seconds since this process started (run as a command, Python's start-up and imports count
    against ``--time-limit`` too); 0 where the system does not tell (only Linux's /proc is read)."""
    try:
        with open("/proc/self/stat") as f:
            start_ticks = int(f.read().rsplit(")", 1)[1].split()[19])
        return max(0.0, time.clock_gettime(time.CLOCK_BOOTTIME) - start_ticks / os.sysconf("SC_CLK_TCK"))
    except (OSError, ValueError, IndexError, AttributeError):
        return 0.0


def main(argv=None) -> int:
    """Entry point; returns the exit status."""
    started = perf_counter() - (_process_age() if argv is None else 0.0)   # a command: since start-up
    try:
        args = build_parser().parse_args(argv)
        args.started = started
        status = args.run(args) or 0
    except InputError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    except MemoryError:
        print("error: out of memory; use a smaller problem, method='greedy', or a time limit",
              file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:          # stdout closed early (`| head`): stop quietly, as Unix tools do
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 141
    return status
