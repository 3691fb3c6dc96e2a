"""Exact solvers against each other and against python-igraph: ``python -m bench exact``.

Families of matrices: dense ``|N(0,1)|``, sparse (30 % of the entries of ``|N(0,1)|``), and
trained-CPL-like (top-50 % magnitudes of ``N(0,1)`` kept, lower triangle damped by 0.8 as the
tril-damp pruner does, neurons shuffled). For each method, n grows (8 to 100; 8 to 24 with
``--quick``) until the method exceeds the time cap (60 s; 5 s) or refuses the size; after that it is
skipped. Every finished result is checked against the others. Peers get the same exact reductions as
ours.
"""
from __future__ import annotations

import sys

import numpy as np

import orderedness as od

from .common import fmt_seconds, print_table, run_capped
from .peers import igraph_available, igraph_min_backflow

FAMILIES = ("dense", "sparse", "cpl-like")


def make(family: str, n: int, seed: int) -> np.ndarray:
    """One test matrix of the family."""
    rng = np.random.default_rng([seed, n, FAMILIES.index(family)])
    A = np.abs(rng.standard_normal((n, n)))
    if family == "sparse":
        A *= rng.uniform(size=(n, n)) < 0.3
    elif family == "cpl-like":
        A *= A >= np.median(A)
        A -= 0.8 * np.tril(A, -1)
        p = rng.permutation(n)
        A = A[np.ix_(p, p)]
    np.fill_diagonal(A, 0.0)
    return A


def _ours(method):
    def run(A, cap):
        try:
            r = od.min_backflow(A, method=method, time_limit=cap)
        except od.InputError:            # the DP refuses a table larger than half the free memory
            return None, None, "refused"
        return (r.seconds, r.backflow, "proven") if r.optimal else (None, None, "over cap")
    return run


def _peer(method):
    def run(A, cap):
        seconds, value = run_capped(igraph_min_backflow, (A, method), cap)
        return seconds, value, "proven" if seconds is not None else "over cap"
    return run


def methods() -> dict:
    """The methods this run can compare: ours that are registered, igraph's if installed."""
    ours = {m: _ours(m) for m in ("brute", "dp", "mip") if m in od.METHODS}
    peers = {f"igraph {m}": _peer(m) for m in ("ip_ti", "ip")} if igraph_available() else {}
    return ours | peers


def run(sizes, cap: float, families=FAMILIES, seed: int = 0, progress: bool = False) -> list[dict]:
    """Time every method on every family and size; returns one record per (family, n, method).

    With `progress`, one line per (family, n) on stderr.
    """
    records = []
    for family in families:
        alive = methods()
        for n in sizes:
            A = make(family, n, seed)
            values = {}
            for name, solve in list(alive.items()):
                if name == "brute" and n > 10:
                    del alive[name]
                    continue
                seconds, value, status = solve(A, cap)
                if seconds is None:
                    del alive[name]
                values[name] = value
                records.append({"family": family, "n": n, "method": name, "seconds": seconds,
                                "backflow": value, "status": status})
            if progress:
                times = ", ".join(f"{r['method']} {r['status'] if r['seconds'] is None else fmt_seconds(r['seconds'])}"
                                  for r in records[-len(values):])
                print(f"  {family} n={n}: {times}", file=sys.stderr, flush=True)
            done = [v for v in values.values() if v is not None]
            assert all(abs(v - done[0]) <= 1e-6 * max(1.0, abs(done[0])) for v in done), (family, n, values)
            if not alive:
                break
    return records


def _times(ratio: float) -> str:
    return f"{ratio:.1f}x" if ratio < 10 else f"{ratio:,.0f}x"


def table(records: list[dict], cap: float) -> list[dict]:
    """One row per (family, n): each method's time, and each peer's ratio to our fastest."""
    rows = {}
    names = list(dict.fromkeys(r["method"] for r in records))
    for r in records:
        row = rows.setdefault((r["family"], r["n"]), {"family": r["family"], "n": r["n"]})
        row[r["method"]] = (fmt_seconds(r["seconds"]) if r["seconds"] is not None
                            else "refused" if r.get("status") == "refused" else f"> {cap:g} s")
        row["_" + r["method"]] = r["seconds"]
    for row in rows.values():
        ours = [row.get("_" + m) for m in names if not m.startswith("igraph") and row.get("_" + m)]
        best = min(ours) if ours else None
        for m in names:
            if m.startswith("igraph") and best:
                t = row.get("_" + m)
                row[f"{m} / ours"] = (_times(t / best) if t else
                                      f"> {_times(cap / best)}" if "_" + m in row else "")
    return list(rows.values())


def main(quick: bool, out=None, progress: bool = True) -> list[dict]:
    cap = 5.0 if quick else 60.0
    sizes = [8, 12, 16, 20, 24] if quick else [8, 10, 12, 16, 20, 24, 26, 28, 30, 32, 34, 36, 40, 48, 56, 64, 80, 100]
    families = ("dense",) if quick else FAMILIES
    print(f"## exact solvers, time cap {cap:g} s per solve (peers get the same exact reductions)")
    for name in ("dp", "mip"):                     # compile or load the kernels before timing
        for n in (8, 20):                          # the DP has a serial kernel for small n
            od.min_backflow(make("dense", n, 1), method=name)
    records = run(sizes, cap, families, progress=progress)
    rows = table(records, cap)
    names = list(dict.fromkeys(r["method"] for r in records))
    ratios = [f"{m} / ours" for m in names if m.startswith("igraph")]
    print_table(rows, ["family", "n", *names, *ratios])
    if out is not None:
        from .report import save
        save(out, "exact", records, x="n", y="seconds", series="method", facet="family",
             title="exact solvers: time to a proven optimum")
    return records
