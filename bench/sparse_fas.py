"""Suite ``sparse-fas``: minimum feedback arc sets of the sparse benchmark graphs of Baharev, Schichl,
Neumaier & Achterberg (*An exact method for the minimum feedback arc set problem*, ACM JEA 26, 2021),
proven by ``method="auto"`` (which picks ``fas``) and compared with the published minimum sizes.

The graphs are deterministic constructions on ``n`` nodes of out-degree ``d``, self-loops removed:

- generalised de Bruijn: ``x -> (d x + r) mod n`` for ``r = 0 .. d-1``;
- Imase-Itoh: ``x -> (-d x - r) mod n`` for ``r = 1 .. d``.

These generators reproduce, arc for arc, the 24 edge lists the authors publish with their code
(``data/benchmark_mfes`` of github.com/baharev/sdopt-tearing), whose minimum feedback arc sets have the
sizes in :data:`PUBLISHED` (checked here: every size below is the line count of their ``.mfes`` file).
"""
from __future__ import annotations

import numpy as np

__all__ = ["de_bruijn", "imase_itoh", "PUBLISHED", "GRAPHS"]

PUBLISHED = {
    ("de_bruijn", 100, 3): 58, ("de_bruijn", 100, 4): 91, ("de_bruijn", 100, 5): 116,
    ("de_bruijn", 100, 6): 158, ("de_bruijn", 110, 3): 63, ("de_bruijn", 110, 4): 97,
    ("de_bruijn", 110, 5): 134, ("de_bruijn", 110, 6): 172, ("de_bruijn", 120, 3): 66,
    ("de_bruijn", 120, 4): 108, ("de_bruijn", 120, 5): 150, ("de_bruijn", 120, 6): 180,
    ("imase_itoh", 100, 3): 66, ("imase_itoh", 100, 4): 90, ("imase_itoh", 100, 5): 126,
    ("imase_itoh", 100, 6): 156, ("imase_itoh", 100, 7): 192, ("imase_itoh", 110, 3): 62,
    ("imase_itoh", 110, 4): 100, ("imase_itoh", 110, 5): 135, ("imase_itoh", 110, 6): 172,
    ("imase_itoh", 110, 7): 210, ("imase_itoh", 120, 3): 72, ("imase_itoh", 120, 4): 114,
}


def _graph(n: int, d: int, targets) -> np.ndarray:
    x = np.repeat(np.arange(n), d)
    y = targets(x, np.tile(np.arange(d), n)) % n
    A = np.zeros((n, n))
    A[x, y] = 1.0
    np.fill_diagonal(A, 0.0)
    return A


def de_bruijn(n: int, d: int) -> np.ndarray:
    """Adjacency matrix of the generalised de Bruijn digraph (``x -> d x + r mod n``), no self-loops.

    Examples
    --------
    >>> int(de_bruijn(100, 4).sum())
    396
    """
    return _graph(n, d, lambda x, r: d * x + r)


def imase_itoh(n: int, d: int) -> np.ndarray:
    """Adjacency matrix of the Imase-Itoh digraph (``x -> -d x - r mod n``, ``r = 1..d``), no self-loops.

    Examples
    --------
    >>> int(imase_itoh(100, 3).sum())
    300
    """
    return _graph(n, d, lambda x, r: -d * x - r - 1)


GRAPHS = {"de_bruijn": de_bruijn, "imase_itoh": imase_itoh}


def main(argv=None) -> list[dict]:
    """Run the suite: every graph of :data:`PUBLISHED` (``--quick``: two), print and save the table."""
    import argparse
    import time

    import orderedness as od
    from bench.common import print_table
    from bench.report import save

    ap = argparse.ArgumentParser(prog="python -m bench.sparse_fas", description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--quick", action="store_true", help="two graphs")
    ap.add_argument("--time-limit", type=float, default=60.0, help="seconds per graph (default 60)")
    ap.add_argument("--out", default="bench-results", help="directory for CSV, JSON and PNG files")
    args = ap.parse_args(argv)
    keys = [("imase_itoh", 100, 3), ("de_bruijn", 120, 3)] if args.quick else list(PUBLISHED)
    print(f"sparse-fas: method='auto', time_limit={args.time_limit:g} s per graph, against the minimum "
          "feedback arc sets published by Baharev et al. (2021)")
    rows = []
    for kind, n, d in keys:
        A = GRAPHS[kind](n, d)
        t0 = time.perf_counter()
        r = od.min_backflow(A, time_limit=args.time_limit)
        seconds = time.perf_counter() - t0
        published = PUBLISHED[(kind, n, d)]
        rows.append({"graph": kind, "n": n, "d": d, "arcs": int(A.sum()), "published": published,
                     "ours": int(r.backflow), "bound": int(np.ceil(r.lower_bound - 1e-9)),
                     "proven": r.optimal, "equal": r.backflow == published,
                     "method": r.method, "seconds": round(seconds, 2)})
        print(f"  {kind} n={n} d={d}: {rows[-1]['ours']} (bound {rows[-1]['bound']}, published {published}, "
              f"{seconds:.1f} s)", flush=True)
    print_table(rows, list(rows[0]))
    proven = sum(r["proven"] and r["equal"] for r in rows)
    print(f"proven equal to the published minimum within {args.time_limit:g} s: {proven} of {len(rows)}")
    save(args.out, "sparse-fas", rows, x="arcs", y="seconds", series="graph", lines=False,
         title="sparse-fas: seconds to proof (capped at the time limit)")
    wrong = [r for r in rows if r["bound"] > r["published"] or (r["proven"] and not r["equal"])]
    if wrong:
        print(f"DISAGREEMENT with the published minimum on {len(wrong)} graph(s)")
        raise SystemExit(1)
    return rows


if __name__ == "__main__":
    main()
