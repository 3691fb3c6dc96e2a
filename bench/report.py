"""Writing benchmark records: CSV, JSON and a PNG plot."""
from __future__ import annotations

import csv
import json
from pathlib import Path


def save(out, name: str, records: list[dict], *, x: str, y: str, series: str, facet: str | None = None,
         title: str = "", logx: bool = False, logy: bool = True, lines: bool = True) -> None:
    """Write ``name.csv``, ``name.json`` and ``name.png`` in `out`.

    The plot draws `y` against `x`, one colour per value of `series`, one panel per value of `facet`;
    records whose `y` is None (a timeout, a refusal) are left out of the plot but kept in the files.
    ``lines=False`` draws markers only (several records per x, e.g. instances of the same size).
    """
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    keys = list(dict.fromkeys(k for r in records for k in r))
    with open(out / f"{name}.csv", "w", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=keys)
        writer.writeheader()
        writer.writerows(records)
    (out / f"{name}.json").write_text(json.dumps(records, indent=1))
    try:
        import matplotlib
        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError:
        print(f"(matplotlib is not installed: {name}.png skipped)")
        return
    facets = list(dict.fromkeys(r[facet] for r in records)) if facet else [None]
    fig, axes = plt.subplots(1, len(facets), figsize=(4.5 * len(facets), 3.6), squeeze=False)
    for ax, fv in zip(axes[0], facets):
        rows = [r for r in records if facet is None or r[facet] == fv]
        for s in dict.fromkeys(r[series] for r in rows):
            pts = [(r[x], r[y]) for r in rows if r[series] == s and r[y] is not None]
            if pts:
                ax.plot(*zip(*pts), marker="o", linestyle="-" if lines else "none", label=str(s),
                        alpha=1.0 if lines else 0.6)
        if logx:
            ax.set_xscale("log")
        if logy:
            ax.set_yscale("log")
        ax.set_xlabel(x)
        ax.set_ylabel(y)
        ax.set_title(f"{title} ({fv})" if fv is not None else title, fontsize=9)
        ax.grid(alpha=0.3)
        ax.legend(fontsize=7)
    fig.tight_layout()
    fig.savefig(out / f"{name}.png", dpi=110)
    plt.close(fig)
    print(f"(wrote {name}.csv, {name}.json, {name}.png in {out})")
