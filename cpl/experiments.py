"""The paper's results: Table 1, Figure 2 (hidden size x iterations) and Figure 3 (sparsity).

Each experiment is a list of :class:`~cpl.train.TrainConfig` (duplicates run once), trained with
:func:`run`, optionally over several worker processes; every configuration is deterministic, so the
results do not depend on the number of workers.
"""
from __future__ import annotations

import csv
import math
import os
import time
from collections.abc import Iterable, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, replace
from pathlib import Path

import numpy as np
import torch
from tqdm import tqdm

from .train import TrainConfig, TrainResult, train

__all__ = ["ROWS", "COLUMNS", "PUBLISHED", "AMOUNTS", "PRUNER_NAMES", "run", "summarise", "z_score",
           "Table1", "table1", "figure2", "figure3"]

ROWS = {"normal": "normal init", "uniform": "uniform init (weights)", "zeros": "zeros init (values)",
        "none": "no pruning", "random": "random p=0.5", "topk": "top-k k=0.5",
        "dynamic-topk": "dynamic top-k k=0.5", "tril-damp": "tril-damp f=0.8",
        "dynamic-tril-damp": "dynamic tril-damp f=0.8"}
COLUMNS = ("untrained", "xor", "sine")
#: Table 1 of the paper: (mean, std over 10 seeds, ddof = 0).
PUBLISHED = {
    "normal": {"untrained": (0.672, 0.050), "xor": (0.032, 0.047), "sine": (0.023, 0.033)},
    "uniform": {"untrained": (0.647, 0.045), "xor": (0.075, 0.057), "sine": (0.076, 0.039)},
    "zeros": {"untrained": (0.680, 0.070), "xor": (0.049, 0.078), "sine": (-0.004, 0.030)},
    "none": {"untrained": (0.000, 0.000), "xor": (0.032, 0.047), "sine": (0.023, 0.033)},
    "random": {"untrained": (0.170, 0.062), "xor": (0.243, 0.082), "sine": (0.104, 0.047)},
    "topk": {"untrained": (0.039, 0.032), "xor": (0.116, 0.060), "sine": (0.086, 0.037)},
    "dynamic-topk": {"untrained": (0.038, 0.025), "xor": (0.149, 0.073), "sine": (0.086, 0.037)},
    "tril-damp": {"untrained": (0.328, 0.050), "xor": (0.280, 0.045), "sine": (0.343, 0.026)},
    "dynamic-tril-damp": {"untrained": (0.315, 0.048), "xor": (0.280, 0.045), "sine": (0.343, 0.026)},
}
PUBLISHED_TRIALS = 10
#: (weights, values) initialisation of the initialisation rows.
INITS = {"normal": ("normal", "normal"), "uniform": ("uniform", "normal"), "zeros": ("normal", "zeros")}
#: Parameter of each pruning row: p, k (fraction kept) or f.
AMOUNTS = {"none": 0.5, "random": 0.5, "topk": 0.5, "dynamic-topk": 0.5, "tril-damp": 0.8,
           "dynamic-tril-damp": 0.8}
PRUNER_NAMES = ("random", "topk", "dynamic-topk", "tril-damp", "dynamic-tril-damp")


def _train_quietly(config: TrainConfig) -> TrainResult:
    torch.set_num_threads(1)
    return train(config)


def run(configs: Iterable[TrainConfig], *, jobs: int = 1, progress: bool = False,
        description: str = "training") -> dict[TrainConfig, TrainResult]:
    """Train every distinct configuration once.

    Parameters
    ----------
    configs : iterable of TrainConfig
    jobs : int
        Worker processes (1: train in this process). Tiny layers run best on one thread each.
    progress : bool
        Show a tqdm bar on stderr.
    description : str
        Label of the bar.

    Returns
    -------
    dict
        ``{config: result}``.
    """
    todo = list(dict.fromkeys(configs))
    bar = tqdm(total=len(todo), desc=description, disable=not progress, leave=False)
    results: dict[TrainConfig, TrainResult] = {}
    if jobs <= 1:
        threads = torch.get_num_threads()
        torch.set_num_threads(1)
        try:
            for config in todo:
                results[config] = train(config)
                bar.update()
        finally:
            torch.set_num_threads(threads)
    else:
        with ProcessPoolExecutor(max_workers=jobs) as pool:
            # longest first, so that the pool ends evenly
            order = sorted(todo, key=lambda c: -_cost(c))
            for config, result in zip(order, pool.map(_train_quietly, order)):
                results[config] = result
                bar.update()
    bar.close()
    return results


def _cost(config: TrainConfig) -> float:
    """Rough relative cost of a configuration, to schedule the longest first."""
    steps = {"xor": 1000, "sine": 600, "none": 1}[config.task]
    return steps * (config.iterations or 3) * config.trials


def summarise(values: np.ndarray) -> dict:
    """``{"mean", "std", "n"}`` of trial values (std with ddof = 0, as published)."""
    values = np.asarray(values, dtype=float)
    return {"mean": float(values.mean()), "std": float(values.std()), "n": int(values.size)}


def z_score(ours: dict, published: tuple[float, float], n_published: int = PUBLISHED_TRIALS) -> float:
    """Difference of means in combined standard errors ``sqrt(std_ours^2/n + std_pub^2/n_pub)``.

    Parameters
    ----------
    ours : dict
        ``{"mean", "std", "n"}``.
    published : (float, float)
        Published mean and std.
    n_published : int
        Trials behind the published value.

    Returns
    -------
    float
        0 when both means agree exactly, ``inf`` when they differ with zero standard error.
    """
    se = math.sqrt(ours["std"] ** 2 / ours["n"] + published[1] ** 2 / n_published)
    diff = ours["mean"] - published[0]
    if se == 0:
        return 0.0 if abs(diff) < 5e-4 else math.copysign(math.inf, diff)
    return diff / se


def _table1_cells(trials: int, seed: int, shared_mask: bool,
                  method: str = "auto") -> dict[tuple[str, str], tuple[TrainConfig, str]]:
    """Which configuration and which measurement (``start`` or ``delta``) each cell of Table 1 is."""
    base = TrainConfig(trials=trials, seed=seed, shared_mask=shared_mask, method=method)
    cells = {}
    for row, (weights, values) in INITS.items():
        config = replace(base, weights_init=weights, values_init=values)
        cells[row, "untrained"] = (replace(config, task="xor"), "start")        # h = 5, at initialisation
        for task in ("xor", "sine"):
            cells[row, task] = (replace(config, task=task), "delta")
    for row in ("none", *PRUNER_NAMES):
        for column in COLUMNS:
            task = "none" if column == "untrained" else column
            cells[row, column] = (replace(base, task=task, pruner=row, amount=AMOUNTS[row]), "delta")
    return cells


@dataclass
class Table1:
    """Table 1 as measured: per-trial values of every cell.

    Attributes
    ----------
    values : dict
        ``{row: {column: ndarray of trial values}}``.
    trials, seed : int
    shared_mask : bool
        Whether the random-pruning rows used one mask for all trials.
    seconds : float
        Wall time of the whole table.
    seconds_training, seconds_scoring : float
        Summed over configurations (they overlap in time when ``jobs > 1``).
    """

    values: dict[str, dict[str, np.ndarray]]
    trials: int
    seed: int
    shared_mask: bool
    seconds: float
    seconds_training: float
    seconds_scoring: float

    def summary(self) -> dict:
        """``{row: {column: {"mean", "std", "n"}}}`` (the JSON layout)."""
        return {row: {col: summarise(v) for col, v in cols.items()} for row, cols in self.values.items()}

    def z_scores(self) -> dict[str, dict[str, float]]:
        """``{row: {column: z}}`` against :data:`PUBLISHED`."""
        summary = self.summary()
        return {row: {col: z_score(summary[row][col], PUBLISHED[row][col]) for col in COLUMNS}
                for row in summary}

    def format(self, threshold: float = 3.0) -> str:
        """The table in the published layout, ours beside the paper's, cells beyond `threshold` flagged."""
        summary, z = self.summary(), self.z_scores()
        head = f"{'':24s}" + "".join(f"  {col:<29s}" for col in COLUMNS)
        sub = f"{'':24s}" + "  ours          paper            z" * len(COLUMNS)
        lines = [f"Table 1: mean ± std over {self.trials} trials (seed {self.seed}); 'untrained' of the "
                 "initialisation rows is the orderedness at initialisation, every other cell is its change ΔO",
                 head, sub]
        for row, label in ROWS.items():
            if row == "none":
                lines.append("-" * len(head))
            cells = []
            for col in COLUMNS:
                s, (pm, ps), zz = summary[row][col], PUBLISHED[row][col], z[row][col]
                flag = "!" if abs(zz) > threshold else " "
                cells.append(f"  {s['mean']:6.3f}±{s['std']:.3f} {pm:6.3f}±{ps:.3f} {zz:+5.1f}{flag}")
            lines.append(f"{label:24s}" + "".join(cells))
        flat = [abs(v) for cols in z.values() for v in cols.values()]
        outside = sum(v > threshold for v in flat)
        lines.append(f"z = (ours - paper) / sqrt(std_ours²/{self.trials} + std_paper²/{PUBLISHED_TRIALS}); "
                     f"'!' marks |z| > {threshold:g}: {outside} of {len(flat)} cells, max |z| = {max(flat):.1f}")
        mask = "one mask shared by all trials" if self.shared_mask else "an independent mask per trial"
        lines.append(f"random pruning: {mask}; wall time {self.seconds:.1f} s "
                     f"(training {self.seconds_training:.1f} s, orderedness {self.seconds_scoring:.1f} s)")
        return "\n".join(lines)


def table1(trials: int = 10, seed: int = 0, *, shared_mask: bool = False, jobs: int = 1,
           progress: bool = False, method: str = "auto") -> Table1:
    """Measure Table 1.

    Parameters
    ----------
    trials : int
        Trials per cell (the paper used 10).
    seed : int
        Experiment seed; trial ``j`` of every configuration starts from the same streams ``(seed, j)``.
    shared_mask : bool
        Random pruning with one mask for all trials (see ``docs/reproduction.md``).
    jobs : int
        Worker processes.
    progress : bool
        tqdm progress bar on stderr.
    method : str
        ``od.score`` method of every orderedness (``"brute"`` is the paper's search over all orders).

    Returns
    -------
    Table1
    """
    t0 = time.perf_counter()
    cells = _table1_cells(trials, seed, shared_mask, method)
    results = run((config for config, _ in cells.values()), jobs=jobs, progress=progress, description="table1")
    values: dict[str, dict[str, np.ndarray]] = {row: {} for row in ROWS}
    for (row, col), (config, what) in cells.items():
        result = results[config]
        values[row][col] = result.start if what == "start" else result.delta
    return Table1(values, trials, seed, shared_mask, time.perf_counter() - t0,
                  sum(r.seconds_training for r in results.values()),
                  sum(r.seconds_scoring for r in results.values()))


def _write_csv(path: Path, header: Sequence[str], rows: Iterable[Sequence]) -> None:
    with open(path, "w", newline="") as f:
        writer = csv.writer(f)
        writer.writerow(header)
        writer.writerows(rows)


def _pyplot():
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    return plt


def figure2(out: str | os.PathLike, *, hidden: Sequence[int] = (1, 3, 5, 7),
            iterations: Sequence[int] = tuple(range(1, 11)), tasks: Sequence[str] = ("xor", "sine"),
            trials: int = 10, seed: int = 0, jobs: int = 1, progress: bool = False) -> list[dict]:
    """ΔO against hidden size and iterations under dynamic top-k (k = 0.5): ``figure2.png`` and ``.csv``.

    Parameters
    ----------
    out : path
        Output directory (created if needed).
    hidden, iterations : sequence of int
        Grid of layer sizes and numbers of state updates.
    tasks : sequence of {"xor", "sine"}
    trials, seed, jobs : int
    progress : bool

    Returns
    -------
    list of dict
        One row per (task, hidden, iterations): mean, std, n of ΔO and mean final loss.
    """
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    grid = {(task, h, its): TrainConfig(task=task, hidden=h, iterations=its, pruner="dynamic-topk",
                                        amount=0.5, trials=trials, seed=seed)
            for task in tasks for h in hidden for its in iterations}
    results = run(grid.values(), jobs=jobs, progress=progress, description="figure2")
    rows = [{"task": task, "hidden": h, "iterations": its, **summarise(results[c].delta),
             "final_loss": float(results[c].losses[-1].mean())} for (task, h, its), c in grid.items()]
    _write_csv(out / "figure2.csv", list(rows[0]), [list(r.values()) for r in rows])

    plt = _pyplot()
    fig, axes = plt.subplots(1, len(tasks), figsize=(5 * len(tasks), 3.8), squeeze=False, sharey=True)
    for ax, task in zip(axes[0], tasks):
        for h in hidden:
            sel = [r for r in rows if r["task"] == task and r["hidden"] == h]
            x = [r["iterations"] for r in sel]
            m = np.array([r["mean"] for r in sel])
            se = np.array([r["std"] / math.sqrt(r["n"]) for r in sel])
            ax.plot(x, m, marker="o", ms=3, label=f"h = {h}")
            ax.fill_between(x, m - se, m + se, alpha=0.2)
        ax.axhline(0, color="grey", lw=0.5)
        ax.set(title=f"{task}: dynamic top-k (k = 0.5)", xlabel="iterations", xticks=list(iterations))
        ax.legend(fontsize=8)
    axes[0][0].set_ylabel(f"ΔO (mean ± s.e., {trials} trials)")
    fig.tight_layout()
    fig.savefig(out / "figure2.png", dpi=110)
    plt.close(fig)
    return rows


def figure3(out: str | os.PathLike, *, levels: Sequence[float] = tuple(np.round(np.arange(0, 1, 0.1), 1)),
            tasks: Sequence[str] = ("none", "xor", "sine"), pruners: Sequence[str] = PRUNER_NAMES,
            trials: int = 10, seed: int = 0, jobs: int = 1, progress: bool = False) -> list[dict]:
    """ΔO against sparsity for each pruner: ``figure3.png`` and ``figure3.csv``.

    The sparsity `s` maps to each pruner's parameter: random ``p = s``, top-k ``k = 1 - s`` (fraction
    kept), tril-damp ``f = s``.

    Parameters
    ----------
    out : path
        Output directory (created if needed).
    levels : sequence of float
        Sparsity levels in ``[0, 1)``.
    tasks : sequence of {"none", "xor", "sine"}
        ``none`` is the untrained panel.
    pruners : sequence of str
    trials, seed, jobs : int
    progress : bool

    Returns
    -------
    list of dict
        One row per (task, pruner, sparsity): mean, std, n of ΔO.
    """
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)

    def amount(pruner: str, s: float) -> float:
        return round(1.0 - s, 10) if "topk" in pruner else float(s)

    grid = {(task, p, float(s)): TrainConfig(task=task, pruner=p, amount=amount(p, s), trials=trials, seed=seed)
            for task in tasks for p in pruners for s in levels}
    results = run(grid.values(), jobs=jobs, progress=progress, description="figure3")
    rows = [{"task": task, "pruner": p, "sparsity": s, "amount": c.amount, **summarise(results[c].delta)}
            for (task, p, s), c in grid.items()]
    _write_csv(out / "figure3.csv", list(rows[0]), [list(r.values()) for r in rows])

    plt = _pyplot()
    titles = {"none": "untrained (10 pruning steps)", "xor": "xor", "sine": "sine"}
    fig, axes = plt.subplots(1, len(tasks), figsize=(4.6 * len(tasks), 3.8), squeeze=False, sharey=True)
    for ax, task in zip(axes[0], tasks):
        for p in pruners:
            sel = [r for r in rows if r["task"] == task and r["pruner"] == p]
            x = [r["sparsity"] for r in sel]
            m = np.array([r["mean"] for r in sel])
            se = np.array([r["std"] / math.sqrt(r["n"]) for r in sel])
            ax.plot(x, m, marker="o", ms=3, label=p)
            ax.fill_between(x, m - se, m + se, alpha=0.2)
        ax.axhline(0, color="grey", lw=0.5)
        ax.set(title=titles.get(task, task), xlabel="sparsity (p, 1 - k, or f)")
        ax.legend(fontsize=8)
    axes[0][0].set_ylabel(f"ΔO (mean ± s.e., {trials} trials)")
    fig.tight_layout()
    fig.savefig(out / "figure3.png", dpi=110)
    plt.close(fig)
    return rows
