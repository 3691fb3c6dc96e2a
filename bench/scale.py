"""Scale benchmark: ``python -m bench.scale [--sizes N ...] [--quick] [--out DIR]``, sparse networks.

Planted-hierarchy graphs (:func:`planted_hierarchy`, about 10 arcs per node) of 10,000, 100,000 and
1,000,000 nodes are saved with ``scipy.sparse.save_npz`` and scored by the command line,
``python -m orderedness score FILE --time-limit T --json`` in a fresh process (loading included; wall
time and peak resident memory from ``os.wait4``), and by python-igraph's ``eades`` feedback arc set in
another fresh process, in the same run. The table gives wall time, peak memory, the forward share of
each order (and of the hidden one), ours's certified maximum forward share and its proven lower bound
on back-flow as a share of the back-flow it reports. ``python -m bench scale`` runs it (``--quick``:
10,000 nodes at 5 s).
"""
from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import numpy as np
from scipy.sparse import coo_matrix, csr_matrix, load_npz, save_npz

import orderedness as od

from .common import fmt_seconds, machine, print_table
from .peers import igraph_available
from .report import save

__all__ = ["planted_hierarchy", "main"]


def planted_hierarchy(n: int, arcs_per_node: float = 10.0, seed: int = 0, *, local: float = 0.7,
                      reversed_share: float = 0.2, reach: float = 8.0) -> tuple[csr_matrix, np.ndarray]:
    """A sparse weighted digraph with a hidden order, shaped like a connectome.

    ``arcs_per_node * n`` arcs are drawn: a share `local` joins a node to one close to it in a hidden
    order (rank distance 1 + a geometric number of mean `reach`), the rest join uniformly random pairs;
    each arc points forward in the hidden order, then a share `reversed_share` of all arcs is turned
    around. Weights are log-normal (mu 0, sigma 1) rounded up to integers; parallel arcs add up and
    self-loops are dropped.

    Returns
    -------
    A : csr_matrix
        ``A[x, y]`` = weight of the arc ``x -> y``.
    hidden : ndarray
        The hidden order (node ids, first to last).
    """
    g = np.random.default_rng(seed)
    m = int(round(arcs_per_node * n))
    hidden = g.permutation(n)
    n_local = int(round(local * m))
    a = g.integers(0, n, m)
    b = np.empty(m, dtype=np.int64)
    step = 1 + g.geometric(1.0 / reach, n_local)
    b[:n_local] = a[:n_local] + np.where(g.random(n_local) < 0.5, step, -step)
    b[n_local:] = g.integers(0, n, m - n_local)
    keep = (b >= 0) & (b < n) & (a != b)
    a, b = a[keep], b[keep]
    lo, hi = np.minimum(a, b), np.maximum(a, b)
    flip = g.random(len(lo)) < reversed_share
    src, dst = np.where(flip, hi, lo), np.where(flip, lo, hi)
    w = np.ceil(g.lognormal(0.0, 1.0, len(src)))
    A = coo_matrix((w, (hidden[src], hidden[dst])), shape=(n, n)).tocsr()
    A.sum_duplicates()
    return A, hidden


DEFAULT_SIZES = (10_000, 100_000, 1_000_000)
TIME_LIMITS = {10_000: 10.0, 100_000: 60.0, 1_000_000: 300.0}
QUICK_TIME = 5.0


def time_limit_for(n: int) -> float:
    """Our time limit at `n` nodes: 10 s at 10,000, 60 s at 100,000, 300 s at 1,000,000."""
    return TIME_LIMITS.get(n, 10.0 if n <= 10_000 else 60.0 if n <= 100_000 else 300.0)


def forward_share(A: csr_matrix, order) -> float:
    """Share of the arc weight pointing forwards in `order`."""
    return 1.0 - od.backflow(A, order) / float(A.sum())


def measure(argv: list[str], stdout: Path, timeout: float | None = None) -> tuple[float, float, int]:
    """Run ``python argv`` in a fresh process: ``(wall seconds, peak resident MiB, exit status)``.

    Past `timeout` seconds the process is killed (exit status -9).
    """
    t0 = time.perf_counter()
    with open(stdout, "w") as fh:
        proc = subprocess.Popen([sys.executable, *argv], stdout=fh, stderr=subprocess.DEVNULL,
                                cwd=Path(__file__).resolve().parents[1])
        timer = threading.Timer(timeout, proc.kill) if timeout else None
        if timer:
            timer.start()
        _, status, usage = os.wait4(proc.pid, 0)
        if timer:
            timer.cancel()
    return time.perf_counter() - t0, usage.ru_maxrss / 1024, os.waitstatus_to_exitcode(status)


def eades(path: str, out: str) -> None:
    """The peer, run in its own process: python-igraph's ``eades`` on the whole graph of `path`."""
    import igraph
    A = load_npz(path).tocsr()
    C = A.tocoo()
    g = igraph.Graph(n=A.shape[0], edges=np.column_stack([C.row, C.col]).tolist(), directed=True)
    g.delete_edges(g.feedback_arc_set(weights=C.data.tolist(), method="eades"))
    np.save(out, np.asarray(g.topological_sorting(), dtype=np.int64))


def run_size(n: int, seed: int, time_limit: float, work: Path, peer: bool,
             peer_timeout: float) -> list[dict]:
    """Ours (the command line, loading included) and eades on one planted graph of `n` nodes."""
    A, hidden = planted_hierarchy(n, seed=seed)
    path = work / f"planted-{n}-{seed}.npz"
    save_npz(path, A)
    base = {"nodes": n, "arcs": A.nnz, "planted": forward_share(A, hidden)}
    seconds, mib, code = measure(["-m", "orderedness", "score", str(path), "--time-limit", str(time_limit),
                                  "--json", "--quiet"], work / "ours.json")
    if code != 0:
        raise SystemExit(f"orderedness score failed on {path} (exit {code})")
    s = json.loads((work / "ours.json").read_text())
    assert abs(forward_share(A, s["permutation"]) - s["value"]) < 1e-9, "reported value != its order's"
    rows = [{**base, "method": "ours", "time_limit": time_limit, "seconds": seconds, "peak_mib": mib,
             "forward": s["value"], "certified": s["upper"],
             "bound_share": (1 - s["upper"]) / (1 - s["value"])}]
    if peer and igraph_available():
        seconds, mib, code = measure(["-m", "bench.scale", "--peer", str(path), str(work / "eades.npy")],
                                     work / "eades.log", peer_timeout)
        rows.append({**base, "method": "igraph eades", "time_limit": None, "seconds": seconds,
                     "peak_mib": mib, "certified": None, "bound_share": None,
                     "forward": forward_share(A, np.load(work / "eades.npy")) if code == 0 else None})
    path.unlink()
    return rows


def _percent(x, missing: str = "-") -> str:
    return missing if x is None else f"{100 * x:.2f} %"


def main(argv=None) -> list[dict]:
    ap = argparse.ArgumentParser(prog="python -m bench.scale", description=__doc__.split("\n")[0])
    ap.add_argument("--sizes", type=int, nargs="+", default=list(DEFAULT_SIZES), metavar="N",
                    help="nodes (about 10 arcs per node); default 10000 100000 1000000")
    ap.add_argument("--quick", action="store_true", help=f"10,000 nodes only, {QUICK_TIME:g} s")
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--no-igraph", action="store_true", help="skip the peer")
    ap.add_argument("--peer-timeout", type=float, default=1800.0, metavar="S",
                    help="seconds before the peer is stopped (default 1800; its row then shows no share)")
    ap.add_argument("--work", default=None,
                    help="directory for the generated graphs (default: a temporary one)")
    ap.add_argument("--out", metavar="DIR", help="also write scale.csv, scale.json, scale.png there")
    ap.add_argument("--peer", nargs=2, metavar=("NPZ", "OUT"), help=argparse.SUPPRESS)
    args = ap.parse_args(argv)
    if args.peer:
        eades(*args.peer)
        return []
    sizes = [10_000] if args.quick else args.sizes
    print(f"## Scale: planted-hierarchy graphs, about 10 arcs per node; ours = `orderedness score FILE.npz "
          f"--time-limit T` in a fresh process (loading included); {machine()}")
    records = []
    with tempfile.TemporaryDirectory(dir=args.work) as tmp:
        for n in sizes:
            limit = QUICK_TIME if args.quick else time_limit_for(n)
            records += run_size(n, args.seed, limit, Path(tmp), not args.no_igraph, args.peer_timeout)
    print_table([{"nodes": r["nodes"], "arcs": r["arcs"], "method": r["method"],
                  "limit": "-" if r["time_limit"] is None else f"{r['time_limit']:g} s",
                  "wall": fmt_seconds(r["seconds"]), "peak": f"{r['peak_mib']:.0f} MiB",
                  "forward": _percent(r["forward"], "stopped"), "planted": _percent(r["planted"]),
                  "certified max": _percent(r["certified"]), "bound/back-flow": _percent(r["bound_share"])}
                 for r in records], ["nodes", "arcs", "method", "limit", "wall", "peak", "forward", "planted",
                                     "certified max", "bound/back-flow"])
    print("forward: share of the weight pointing forwards in the order found; planted: in the hidden order; "
          "certified max: no order can do better (proven); bound/back-flow: proven lower bound on the "
          "back-flow over the back-flow reported")
    if args.out:
        save(args.out, "scale", records, x="nodes", y="forward", series="method", title="forward share",
             logx=True, logy=False)
    return records


if __name__ == "__main__":
    main()
