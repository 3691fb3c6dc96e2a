"""Suite ``connectomes``: how feed-forward is the C. elegans nervous system?

``python -m bench.connectomes [--quick] [--doc]`` (``python -m bench connectomes``: without ``--doc``) scores every
network in ``../shared/data/connectomes`` with ``method="auto"`` under one time limit, and beside it
python-igraph's feedback arc sets on the same exactly reduced problem: ``eades`` (a heuristic) and the
exact ``ip`` and ``ip_cg`` under a cap (in a child process killed at the cap). It prints the table,
writes ``connectomes.csv/json/png`` (orderedness of Witvliet et al.'s eight stages against the stage)
to ``--out``, and with ``--doc`` regenerates ``docs/connectomes.md`` with the table, the curve and a
picture of one reordered connectome.

``W[i, j]`` counts the chemical synapses from cell ``i`` onto cell ``j``; the orderedness of ``W`` is
one minus the least share of synapses that point backwards in an order of the cells (presynaptic first).
"""
from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import numpy as np

if __package__ in (None, ""):  # run as a script: make the repository importable
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import orderedness as od
from bench.common import machine, print_table, run_capped
from bench.peers import igraph_available, igraph_min_backflow
from bench.report import save
from orderedness.plot import plot_order
from orderedness.reduce import reduce

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / ".." / "shared" / "data" / "connectomes"
NETWORKS = [*(f"witvliet2021_stage{k}" for k in range(1, 9)), "durbin_n2u", "varshney2011",
            "cook2019_hermaphrodite"]
QUICK = ["witvliet2021_stage1", "durbin_n2u"]
LABELS = {"durbin_n2u": "Durbin N2U (White et al. 1986)", "varshney2011": "Varshney et al. 2011",
          "cook2019_hermaphrodite": "Cook et al. 2019, hermaphrodite",
          **{f"witvliet2021_stage{k}": f"Witvliet et al. 2021, stage {k}" for k in range(1, 9)}}
PICTURE = "witvliet2021_stage8"


def measure(name: str, time_limit: float, igraph_cap: float | None) -> dict:
    """One row: sizes, our certified orderedness and time, and igraph's back-flows beside it."""
    z = np.load(DATA / f"{name}.npz")
    W = z["W"]
    red = reduce(W)
    t0 = time.perf_counter()
    s = od.score(W, time_limit=time_limit)
    seconds = time.perf_counter() - t0
    row = {"network": name, "n": len(W), "arcs": int(np.count_nonzero(W) - np.count_nonzero(np.diag(W))),
           "synapses": int(W.sum()), "scc": red.stats()["largest_component"],
           "orderedness": round(s.value, 6), "upper": round(s.upper, 6), "proven": bool(s.optimal),
           "width": s.upper - s.lower, "backflow": s.backflow, "bound": s.total * (1 - s.upper),
           "method": s.method, "seconds": round(seconds, 2)}
    if igraph_cap is not None and igraph_available():
        for method in ("eades", "ip", "ip_cg"):
            cap = 3600.0 if method == "eades" else igraph_cap
            took, value = run_capped(igraph_min_backflow, (W, method), cap)
            row[f"igraph {method}"] = None if value is None else value
            row[f"igraph {method} s"] = None if took is None else round(took, 2)
    return row


def table(rows: list[dict], igraph_cap: float | None) -> list[dict]:
    """The printed/markdown view of the rows."""
    out = []
    for r in rows:
        cert = "proven" if r["proven"] else f"width {r['width']:.2g}"
        view = {"network": LABELS[r["network"]], "n": r["n"], "arcs": r["arcs"], "SCC": r["scc"],
                "orderedness": f"{r['orderedness']:.4f}", "proof": cert,
                "back-flow": f"{r['backflow']:.0f}", "of": r["synapses"], "time": f"{r['seconds']:.1f} s"}
        if igraph_cap is not None and "igraph eades" in r:
            for method in ("eades", "ip", "ip_cg"):
                v, s = r[f"igraph {method}"], r[f"igraph {method} s"]
                view[f"igraph {method}"] = f"> {igraph_cap:g} s" if v is None else f"{v:.0f} ({s:.1f} s)"
        out.append(view)
    return out


def markdown(view: list[dict]) -> str:
    cols = list(view[0])
    lines = ["| " + " | ".join(cols) + " |", "|" + "|".join("---" for _ in cols) + "|"]
    lines += ["| " + " | ".join(str(r[c]) for c in cols) + " |" for r in view]
    return "\n".join(lines)


def write_doc(rows, view, args, header: str) -> None:
    """``docs/connectomes.md`` and its two pictures."""
    img = ROOT / "docs" / "img" / "connectomes"
    img.mkdir(parents=True, exist_ok=True)
    _curve(rows, img / "witvliet-stages.png")
    z = np.load(DATA / f"{PICTURE}.npz")
    s = od.score(z["W"], time_limit=args.time_limit)
    plot_order(z["W"], s.permutation, img / f"{PICTURE}.png", score=s, title=LABELS[PICTURE],
                       inches=7, dpi=100)
    stages = [r for r in rows if r["network"].startswith("witvliet")]
    curve = ", ".join(f"{r['orderedness']:.3f}" for r in stages)
    igraph = ("python-igraph's `feedback_arc_set` ran on the same exactly reduced problem in the same run: "
              f"`eades` (heuristic) without a cap, the exact `ip` and `ip_cg` capped at {args.igraph_cap:g} s "
              "each (back-flow, seconds; `>` when the cap was reached)."
              if args.igraph_cap else "igraph was not run.")
    text = f"""# How feed-forward is the C. elegans nervous system?

*Generated by `python -m bench.connectomes --doc` (this page, its table and both pictures); {header}.
Timings are wall times on 2 cores shared with other jobs: indicative only.*

The orderedness of a network is one minus the least share of its weight that points backwards over all
orders of its nodes (`W[i, j]` = chemical synapses from cell `i` onto cell `j`; an order with little
back-flow puts presynaptic cells first). It is the linear ordering problem (a minimum-weight feedback
arc set), NP-hard. `orderedness.score(W, time_limit={args.time_limit:g})` with the default
`method="auto"` reduces each network exactly (pairwise normalisation, strongly connected components),
gives the DP the small components and the sparse branch-and-cut (`fas`: arc variables, cycle
inequalities added lazily, Baharev et al. 2021) the large one, and returns the order with a proof.

## Every network

{markdown(view)}

`SCC`: nodes of the largest strongly connected component after the reductions, the part that has to be
searched. `proof`: `proven` when the order is optimal, otherwise the width of the certified interval
of the orderedness. {igraph} {_summary(rows, args.igraph_cap)}

## Across development

Witvliet et al. reconstructed eight animals from birth (L1, stage 1) to adulthood (stage 8). Their
orderedness, proven for each stage: {curve}.

![orderedness across the eight developmental stages](img/connectomes/witvliet-stages.png)

The network grows from {stages[0]['arcs']} to {stages[-1]['arcs']} connections; {_trend(stages)}

## One connectome, reordered

{LABELS[PICTURE]}, its {s.permutation and len(s.permutation)} cells in the proven optimal order:
connections pointing forwards in blue above the diagonal, the back-flow in red below it, the strongly
connected blocks outlined (only the large block needs the search).

![{LABELS[PICTURE]} reordered](img/connectomes/{PICTURE}.png)

## Data credits

The networks are the compilation of the C. elegans Connectome Toolbox (`cect` 0.3.5, OpenWorm, MIT
licence) of: Witvliet et al., *Connectomes across development reveal principles of brain maturation*,
Nature 596 (2021); White, Southgate, Thomson & Brenner, *The structure of the nervous system of the
nematode Caenorhabditis elegans*, Phil. Trans. R. Soc. B 314 (1986), as digitised by Durbin (1987);
Varshney, Chen, Paniagua, Hall & Chklovskii, *Structural properties of the Caenorhabditis elegans
neuronal network*, PLoS Comput. Biol. 7 (2011); Cook et al., *Whole-animal connectomes of both
Caenorhabditis elegans sexes*, Nature 571 (2019). The exact method follows Baharev, Schichl, Neumaier &
Achterberg, *An exact method for the minimum feedback arc set problem*, ACM J. Exp. Algorithmics 26
(2021).
"""
    (ROOT / "docs" / "connectomes.md").write_text(text)
    print(f"(wrote docs/connectomes.md and {img.relative_to(ROOT)}/)")


def _summary(rows: list[dict], cap: float | None) -> str:
    """Who proved what, from the measurements."""
    ours = sum(r["proven"] for r in rows)
    text = f"Ours proved {ours} of the {len(rows)} networks"
    if cap and any("igraph ip" in r for r in rows):
        theirs = sum(r.get("igraph ip") is not None or r.get("igraph ip_cg") is not None for r in rows)
        slowest = max(rows, key=lambda r: r["seconds"])
        text += (f"; igraph's exact methods finished on {theirs} within {cap:g} s (a finished exact "
                 f"method is an optimum, and theirs agree with ours). Our slowest was "
                 f"{LABELS[slowest['network']]}, {slowest['seconds']:.1f} s")
    return text + "."


def _trend(stages: list[dict]) -> str:
    first, last = stages[0]["orderedness"], stages[-1]["orderedness"]
    values = [r["orderedness"] for r in stages]
    monotone = all(a >= b for a, b in zip(values, values[1:])) or all(a <= b for a, b in zip(values, values[1:]))
    return (f"its orderedness goes from {first:.3f} at birth to {last:.3f} in the adult"
            f"{'' if monotone else ', not monotonically'}: the share of synapses that must point "
            f"backwards in the best order goes from {1 - first:.1%} to {1 - last:.1%}.")


def _curve(rows: list[dict], path: Path) -> None:
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    stages = [r for r in rows if r["network"].startswith("witvliet")]
    x = [int(r["network"][-1]) for r in stages]
    fig, ax = plt.subplots(figsize=(5.5, 3.4))
    ax.plot(x, [r["orderedness"] for r in stages], marker="o", label="orderedness (proven)")
    for r, xi in zip(stages, x):
        if not r["proven"]:
            ax.vlines(xi, r["orderedness"], r["upper"], color="C3", label="certified interval")
    ax.set_xlabel("developmental stage (Witvliet et al. 2021; 1 = L1, 8 = adult)")
    ax.set_ylabel("orderedness")
    ax.grid(alpha=0.3)
    ax.legend(fontsize=8)
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)


def _contradicts(r: dict) -> bool:
    """True when igraph's answers contradict our certificate: an order below our proven bound, or an
    exact igraph optimum different from our proven optimum."""
    theirs = {m: r.get(f"igraph {m}") for m in ("eades", "ip", "ip_cg")}
    if any(v is not None and v < r["bound"] - 1e-6 * r["synapses"] for v in theirs.values()):
        return True
    return r["proven"] and any(theirs[m] is not None and abs(theirs[m] - r["backflow"]) > 1e-6 * r["synapses"]
                               for m in ("ip", "ip_cg"))


def main(argv=None) -> list[dict]:
    ap = argparse.ArgumentParser(prog="python -m bench.connectomes", description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--quick", action="store_true", help="two networks, igraph eades only")
    ap.add_argument("--time-limit", type=float, default=60.0, help="seconds per network (default 60)")
    ap.add_argument("--igraph-cap", type=float, default=60.0,
                    help="seconds for each of igraph's exact methods (0: igraph not run)")
    ap.add_argument("--out", default="bench-results", help="directory for CSV, JSON and PNG files")
    ap.add_argument("--doc", action="store_true", help="regenerate docs/connectomes.md and its pictures")
    args = ap.parse_args(argv)
    if not DATA.is_dir():
        print(f"(connectomes: no data in {DATA}; skipped)")
        return []
    names = QUICK if args.quick else NETWORKS
    cap = (1.0 if args.quick else args.igraph_cap) or None
    header = machine()
    print(f"connectomes: method='auto', time_limit={args.time_limit:g} s per network"
          + (f"; igraph eades, ip and ip_cg (exact ones capped at {cap:g} s)" if cap else ""))
    rows = []
    for name in names:
        rows.append(measure(name, args.time_limit, cap))
        print(f"  {name}: {rows[-1]['orderedness']:.4f} "
              f"({'proven' if rows[-1]['proven'] else 'width %.2g' % rows[-1]['width']}, "
              f"{rows[-1]['seconds']:.1f} s)", flush=True)
    view = table(rows, cap)
    print_table(view, list(view[0]))
    wrong = [r["network"] for r in rows if _contradicts(r)]
    save(args.out, "connectomes", rows, x="scc", y="seconds", series="method", lines=False,
         title="connectomes: auto, time to proof against the largest component")
    if args.doc:
        write_doc(rows, view, args, header)
    if wrong:
        print(f"DISAGREEMENT with igraph on {', '.join(wrong)}")
        raise SystemExit(1)
    return rows


if __name__ == "__main__":
    main()
