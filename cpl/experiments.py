"""The paper's results: Table 1, Figure 2 (hidden size x iterations) and Figure 3 (sparsity), and the
pictures of reordered weight matrices.

Each experiment is a list of :class:`~cpl.train.TrainConfig` run as cells of the one sweep engine
(:func:`cpl.sweep.compute`: resume, process pool or dask); every configuration is deterministic, so the
results do not depend on the number of workers. Every run leaves its evidence in its output directory
(``run.json`` with the provenance and the experiment's settings; per cell, weights, orders with their
certificates, ΔO and losses), and :func:`report` rebuilds the table or figure from it without training.
"""
from __future__ import annotations

import csv
import json
import math
import os
import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from pathlib import Path

import numpy as np
import pandas as pd

from .sweep import Sweep, SweepError, assemble, cell_key, compute, load_evidence, write_tables
from .sweep_report import pyplot
from .train import TrainConfig

__all__ = ["ROWS", "COLUMNS", "PUBLISHED", "AMOUNTS", "PRUNER_NAMES", "run", "summarise", "z_score",
           "Table1", "table1", "figure2", "figure3", "reordered", "matrices", "report", "EXPERIMENTS",
           "run_experiment"]

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


def run(configs: Iterable[TrainConfig], out: str | os.PathLike, *, workers: int = 1, backend: str = "process",
        scheduler: str | None = None, progress: bool = False, name: str = "experiment",
        experiment: dict | None = None) -> dict[TrainConfig, pd.DataFrame]:
    """Train every distinct configuration once on the sweep engine and read back its trials.

    Each configuration is a cell of :mod:`cpl.sweep`: it is computed only when ``OUT/cells`` has no
    file for it yet (an interrupted or repeated experiment resumes), and its evidence (weights, orders,
    certificates, losses) stays in `out`.

    Parameters
    ----------
    configs : iterable of TrainConfig
    out : path
        Output directory of the run.
    workers, backend, scheduler
        See :func:`cpl.backends.run_each`; results do not depend on them.
    progress : bool
        Show a tqdm bar on stderr.
    name : str
        Label of the bar and of the run.
    experiment : dict, optional
        The experiment's settings, kept in ``run.json`` for :func:`report`.

    Returns
    -------
    dict
        ``{config: trials}``, one row per trial in trial order (the columns of
        :func:`cpl.sweep.assemble`: ``start``, ``end``, ``delta`` with bounds, ``final_loss``, ...).

    Raises
    ------
    RuntimeError
        When a configuration failed.
    """
    sweep = Sweep(name, tuple(dict.fromkeys(configs)))
    outcome = compute(sweep, out, backend=backend, workers=workers, scheduler=scheduler, progress=progress,
                      experiment=experiment)
    if outcome.failed:
        config, error = outcome.failed[0]
        raise RuntimeError(f"{len(outcome.failed)} configuration(s) failed, e.g. {config}: {error}")
    return _trials(sweep, out)


def _trials(sweep: Sweep, out: str | os.PathLike) -> dict[TrainConfig, pd.DataFrame]:
    trials, _, missing = assemble(sweep, out)
    if missing:
        raise FileNotFoundError(f"{len(missing)} of {len(sweep.cells)} configurations in {str(out)!r} are not "
                                "finished; run the experiment again to complete them")
    by_key = {key: rows.sort_values("trial") for key, rows in trials.groupby("key")}
    return {config: by_key[cell_key(config)] for config in sweep.cells}


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


def _table1_cells(trials: int, seed: int, shared_mask: bool, method: str = "auto",
                  draws: str = "independent") -> dict[tuple[str, str], tuple[TrainConfig, str]]:
    """Which configuration and which measurement (``start`` or ``delta``) each cell of Table 1 is.

    "untrained" of an initialisation row is the orderedness at initialisation of the ``none`` task (h = 5),
    as the published notebook printed it.
    """
    base = TrainConfig(trials=trials, seed=seed, shared_mask=shared_mask, method=method, draws=draws)
    cells = {}
    for row, (weights, values) in INITS.items():
        config = replace(base, weights_init=weights, values_init=values)
        cells[row, "untrained"] = (replace(config, task="none"), "start")
        for task in ("xor", "sine"):
            cells[row, task] = (replace(config, task=task), "delta")
    for row in ("none", *PRUNER_NAMES):
        for column in COLUMNS:
            task = "none" if column == "untrained" else column
            cells[row, column] = (replace(base, task=task, pruner=row, amount=AMOUNTS[row]), "delta")
    return cells


def _published_text(value: float) -> str:
    return f"{round(value, 3) + 0.0:.3f}"


@dataclass
class Table1:
    """Table 1 as measured: per-trial values of every cell.

    Attributes
    ----------
    values : dict
        ``{row: {column: ndarray of trial values}}``.
    losses : dict
        ``{row: {column: ndarray of each trial's final training loss}}`` (NaN where nothing trains).
    trials, seed : int
    shared_mask : bool
        Whether the random-pruning rows used one mask for all trials (independent draws only).
    draws : {"independent", "legacy"}
        The draw order (:class:`cpl.train.TrainConfig`).
    seconds : float
        Wall time of the whole table (0 when reloaded).
    seconds_training, seconds_scoring : float
        Summed over configurations (they overlap in time with several workers).
    out : str
        The run's directory.
    """

    values: dict[str, dict[str, np.ndarray]]
    losses: dict[str, dict[str, np.ndarray]]
    trials: int
    seed: int
    shared_mask: bool
    draws: str
    seconds: float
    seconds_training: float
    seconds_scoring: float
    out: str = ""

    def summary(self) -> dict:
        """``{row: {column: {"mean", "std", "n", "final_loss"}}}`` (the JSON layout; loss: the mean)."""
        return {row: {col: {**summarise(v), "final_loss": _mean_or_nan(self.losses[row][col])}
                      for col, v in cols.items()} for row, cols in self.values.items()}

    def z_scores(self) -> dict[str, dict[str, float]]:
        """``{row: {column: z}}`` against :data:`PUBLISHED`."""
        summary = self.summary()
        return {row: {col: z_score(summary[row][col], PUBLISHED[row][col]) for col in COLUMNS}
                for row in summary}

    def reproduced(self) -> dict[str, dict[str, bool]]:
        """``{row: {column: bool}}``: mean and std both equal to the published ones at 3 decimals."""
        summary = self.summary()
        return {row: {col: (_published_text(summary[row][col]["mean"]), _published_text(summary[row][col]["std"]))
                      == tuple(_published_text(v) for v in PUBLISHED[row][col]) for col in COLUMNS}
                for row in summary}

    def format(self, threshold: float = 3.0) -> str:
        """The table in the published layout, ours beside the paper's with z, and the mean final training
        loss beside ΔO; cells beyond `threshold` flagged with '!', cells equal to the paper's with '='."""
        summary, z, same = self.summary(), self.z_scores(), self.reproduced()
        width = {"untrained": 35, "xor": 46, "sine": 46}
        head = f"{'':24s}" + "".join(f"  {col:<{width[col]}s}" for col in COLUMNS)
        sub = f"{'':24s}" + "".join("  ours          paper            z  " + ("  final loss" if col != "untrained" else "")
                                    for col in COLUMNS)
        lines = [f"Table 1: mean ± std over {self.trials} trials (seed {self.seed}, {self.draws} draws); "
                 "'untrained' of the initialisation rows is the orderedness at initialisation, every other cell "
                 "is its change ΔO; final loss: the mean over trials of the last step's training MSE", head, sub]
        for row, label in ROWS.items():
            if row == "none":
                lines.append("-" * len(head))
            cells = []
            for col in COLUMNS:
                s, (pm, ps), zz = summary[row][col], PUBLISHED[row][col], z[row][col]
                flag = "=" if same[row][col] else "!" if abs(zz) > threshold else " "
                cell = f"  {s['mean']:6.3f}±{s['std']:.3f} {pm:6.3f}±{ps:.3f} {zz:+5.1f}{flag}"
                if col != "untrained":
                    cell += f"  {s['final_loss']:10.4f}" if not math.isnan(s["final_loss"]) else " " * 12
                cells.append(cell)
            lines.append(f"{label:24s}" + "".join(cells))
        flat = [abs(v) for cols in z.values() for v in cols.values()]
        outside = sum(v > threshold for v in flat)
        equal = sum(v for cols in same.values() for v in cols.values())
        lines.append(f"z = (ours - paper) / sqrt(std_ours²/{self.trials} + std_paper²/{PUBLISHED_TRIALS}); "
                     f"'!' marks |z| > {threshold:g}: {outside} of {len(flat)} cells, max |z| = {max(flat):.1f}; "
                     f"'=' marks mean and std equal to the paper's at 3 decimals: {equal} of {len(flat)} cells")
        if self.draws == "legacy":
            mask = "one mask per task, drawn in trial 0 (the published code's order)"
        else:
            mask = "one mask shared by all trials" if self.shared_mask else "an independent mask per trial"
        lines.append(f"random pruning: {mask}; wall time {self.seconds:.1f} s "
                     f"(training {self.seconds_training:.1f} s, orderedness {self.seconds_scoring:.1f} s); "
                     f"evidence in {self.out}")
        return "\n".join(lines)


def _mean_or_nan(values: np.ndarray) -> float:
    values = np.asarray(values, dtype=float)
    return float(values.mean()) if values.size and not np.isnan(values).all() else math.nan


def table1(trials: int = 10, seed: int = 0, *, out: str | os.PathLike, shared_mask: bool = False,
           draws: str = "independent", workers: int = 1, backend: str = "process", scheduler: str | None = None,
           progress: bool = False, method: str = "auto") -> Table1:
    """Measure Table 1 (or reload it: finished configurations in `out` are not trained again).

    Parameters
    ----------
    trials : int
        Trials per cell (the paper used 10).
    seed : int
        Experiment seed. Independent draws: trial ``j`` of every configuration starts from the same
        streams ``(seed, j)``. Legacy draws: the global seed (the paper: 3141592).
    out : path
        Output directory: the run's evidence (see :func:`run`).
    shared_mask : bool
        Random pruning with one mask for all trials (independent draws; see ``docs/reproduction.md``).
    draws : {"independent", "legacy"}
        "legacy" replays the published code's draw order (:mod:`cpl.legacy`).
    workers, backend, scheduler
        See :func:`cpl.backends.run_each`.
    progress : bool
        tqdm progress bar on stderr.
    method : str
        ``od.score`` method of every orderedness (``"brute"`` is the paper's search over all orders).

    Returns
    -------
    Table1
    """
    t0 = time.perf_counter()
    settings = {"experiment": "table1", "trials": trials, "seed": seed, "shared_mask": shared_mask,
                "draws": draws, "method": method}
    cells = _table1_cells(trials, seed, shared_mask, method, draws)
    results = run((config for config, _ in cells.values()), out, workers=workers, backend=backend,
                  scheduler=scheduler, progress=progress, name="table1", experiment=settings)
    return _table1_from(cells, results, settings, time.perf_counter() - t0, out)


def _table1_from(cells: dict, results: dict[TrainConfig, pd.DataFrame], settings: dict, seconds: float,
                 out: str | os.PathLike) -> Table1:
    values: dict[str, dict[str, np.ndarray]] = {row: {} for row in ROWS}
    losses: dict[str, dict[str, np.ndarray]] = {row: {} for row in ROWS}
    for (row, col), (config, what) in cells.items():
        trials = results[config]
        values[row][col] = trials[what].to_numpy(dtype=float)
        losses[row][col] = trials["final_loss"].to_numpy(dtype=float)
    distinct = [trials.iloc[0] for trials in results.values()]
    return Table1(values, losses, settings["trials"], settings["seed"], settings["shared_mask"], settings["draws"],
                  seconds, sum(r["cell_seconds_training"] for r in distinct),
                  sum(r["cell_seconds_scoring"] for r in distinct), str(out))


def _write_csv(path: Path, header: Sequence[str], rows: Iterable[Sequence]) -> None:
    with open(path, "w", newline="") as f:
        writer = csv.writer(f)
        writer.writerow(header)
        writer.writerows(rows)


def _plot_lines(rows: list[dict], *, panels: Sequence[str], series: str, x: str, titles: dict[str, str],
                xlabel: str, trials: int, path: Path) -> None:
    """One panel per task, one line (mean ± s.e.) per value of `series` against `x`."""
    plt = pyplot()
    fig, axes = plt.subplots(1, len(panels), figsize=(4.8 * len(panels), 3.8), squeeze=False, sharey=True)
    for ax, task in zip(axes[0], panels):
        for value in dict.fromkeys(r[series] for r in rows):
            sel = [r for r in rows if r["task"] == task and r[series] == value]
            m = np.array([r["mean"] for r in sel])
            se = np.array([r["std"] / math.sqrt(r["n"]) for r in sel])
            ax.plot([r[x] for r in sel], m, marker="o", ms=3, label=f"{series} = {value}" if series == "hidden" else value)
            ax.fill_between([r[x] for r in sel], m - se, m + se, alpha=0.2)
        ax.axhline(0, color="grey", lw=0.5)
        ax.set(title=titles.get(task, task), xlabel=xlabel)
        ax.legend(fontsize=8)
    axes[0][0].set_ylabel(f"ΔO (mean ± s.e., {trials} trials)")
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)


def _figure2_grid(hidden, iterations, tasks, trials, seed) -> dict[tuple, TrainConfig]:
    return {(task, h, its): TrainConfig(task=task, hidden=h, iterations=its, pruner="dynamic-topk",
                                        amount=0.5, trials=trials, seed=seed)
            for task in tasks for h in hidden for its in iterations}


def figure2(out: str | os.PathLike, *, hidden: Sequence[int] = (1, 3, 5, 7),
            iterations: Sequence[int] = tuple(range(1, 11)), tasks: Sequence[str] = ("xor", "sine"),
            trials: int = 10, seed: int = 0, workers: int = 1, backend: str = "process",
            scheduler: str | None = None, progress: bool = False) -> list[dict]:
    """ΔO against hidden size and iterations under dynamic top-k (k = 0.5): ``figure2.png`` and ``.csv``.

    Parameters
    ----------
    out : path
        Output directory (created if needed); it also keeps the run's evidence.
    hidden, iterations : sequence of int
        Grid of layer sizes and numbers of state updates.
    tasks : sequence of {"xor", "sine"}
    trials, seed : int
    workers, backend, scheduler
        See :func:`cpl.backends.run_each`.
    progress : bool

    Returns
    -------
    list of dict
        One row per (task, hidden, iterations): mean, std, n of ΔO and mean final loss.
    """
    settings = {"experiment": "figure2", "hidden": list(hidden), "iterations": list(iterations),
                "tasks": list(tasks), "trials": trials, "seed": seed}
    grid = _figure2_grid(hidden, iterations, tasks, trials, seed)
    results = run(grid.values(), out, workers=workers, backend=backend, scheduler=scheduler, progress=progress,
                  name="figure2", experiment=settings)
    return _figure2_from(grid, results, settings, Path(out))


def _figure2_from(grid: dict, results: dict, settings: dict, out: Path) -> list[dict]:
    rows = [{"task": task, "hidden": h, "iterations": its, **summarise(results[c]["delta"]),
             "final_loss": _mean_or_nan(results[c]["final_loss"])} for (task, h, its), c in grid.items()]
    _write_csv(out / "figure2.csv", list(rows[0]), [list(r.values()) for r in rows])
    _plot_lines(rows, panels=settings["tasks"], series="hidden", x="iterations", xlabel="iterations",
                titles={t: f"{t}: dynamic top-k (k = 0.5)" for t in settings["tasks"]}, trials=settings["trials"],
                path=out / "figure2.png")
    return rows


def _sparsity_amount(pruner: str, s: float) -> float:
    return round(1.0 - s, 10) if "topk" in pruner else float(s)


def _figure3_grid(levels, tasks, pruners, trials, seed) -> dict[tuple, TrainConfig]:
    return {(task, p, float(s)): TrainConfig(task=task, pruner=p, amount=_sparsity_amount(p, s), trials=trials,
                                             seed=seed)
            for task in tasks for p in pruners for s in levels}


def figure3(out: str | os.PathLike, *, levels: Sequence[float] = tuple(np.round(np.arange(0, 1, 0.1), 1)),
            tasks: Sequence[str] = ("none", "xor", "sine"), pruners: Sequence[str] = PRUNER_NAMES,
            trials: int = 10, seed: int = 0, workers: int = 1, backend: str = "process",
            scheduler: str | None = None, progress: bool = False) -> list[dict]:
    """ΔO against sparsity for each pruner: ``figure3.png`` and ``figure3.csv``.

    The sparsity `s` maps to each pruner's parameter: random ``p = s``, top-k ``k = 1 - s`` (fraction
    kept), tril-damp ``f = s``.

    Parameters
    ----------
    out : path
        Output directory (created if needed); it also keeps the run's evidence.
    levels : sequence of float
        Sparsity levels in ``[0, 1)``.
    tasks : sequence of {"none", "xor", "sine"}
        ``none`` is the untrained panel.
    pruners : sequence of str
    trials, seed : int
    workers, backend, scheduler
        See :func:`cpl.backends.run_each`.
    progress : bool

    Returns
    -------
    list of dict
        One row per (task, pruner, sparsity): mean, std, n of ΔO.
    """
    settings = {"experiment": "figure3", "levels": [float(v) for v in levels], "tasks": list(tasks),
                "pruners": list(pruners), "trials": trials, "seed": seed}
    grid = _figure3_grid(levels, tasks, pruners, trials, seed)
    results = run(grid.values(), out, workers=workers, backend=backend, scheduler=scheduler, progress=progress,
                  name="figure3", experiment=settings)
    return _figure3_from(grid, results, settings, Path(out))


def _figure3_from(grid: dict, results: dict, settings: dict, out: Path) -> list[dict]:
    rows = [{"task": task, "pruner": p, "sparsity": s, "amount": c.amount, **summarise(results[c]["delta"])}
            for (task, p, s), c in grid.items()]
    _write_csv(out / "figure3.csv", list(rows[0]), [list(r.values()) for r in rows])
    _plot_lines(rows, panels=settings["tasks"], series="pruner", x="sparsity", xlabel="sparsity (p, 1 - k, or f)",
                titles={"none": "untrained (10 pruning steps)"}, trials=settings["trials"], path=out / "figure3.png")
    return rows


def reordered(W: np.ndarray, order: Sequence[int]) -> np.ndarray:
    """``|W|`` with rows and the square part's columns put in `order` (input columns stay last).

    Parameters
    ----------
    W : ndarray
        ``(o+h, o+h+i)``.
    order : sequence of int
        A full order of the ``o+h`` neurons (``Score.permutation``): position ``k`` holds neuron ``order[k]``.

    Returns
    -------
    ndarray
        The reordered ``|W|``: under an optimal order, the strictly lower triangle of its square part holds
        the least back-flow.

    Examples
    --------
    >>> W = np.array([[0., 0., 0.], [1., 0., 0.]])       # o + h = 2 neurons, 1 input
    >>> reordered(W, [1, 0])[:, :2]
    array([[0., 1.],
           [0., 0.]])
    """
    order = np.asarray(order, dtype=int)
    n = W.shape[0]
    columns = np.concatenate([order, np.arange(n, W.shape[1])])
    return np.abs(W)[order][:, columns]


def matrices(out: str | os.PathLike, *, task: str = "xor", trial: int = 0, trials: int = 10, seed: int = 0,
             draws: str = "independent", workers: int = 1, backend: str = "process", scheduler: str | None = None,
             progress: bool = False) -> Path:
    """The picture of orderedness: each pruner's weights before and after training on `task`, reordered
    by their optimal orders (``matrices-<task>.png``).

    Runs (or, in a Table 1 directory, reuses) Table 1's pruning rows on `task` and draws trial `trial`.

    Parameters
    ----------
    out : path
        Output directory; a Table 1 run's directory reuses its configurations.
    task : {"xor", "sine", "none"}
    trial : int
        Which trial to draw.
    trials, seed : int
        As Table 1's (the configurations must match to be reused).
    draws : {"independent", "legacy"}
    workers, backend, scheduler, progress
        See :func:`run`.

    Returns
    -------
    Path
        The PNG written.
    """
    if not 0 <= trial < trials:
        raise ValueError(f"trial must be in [0, {trials}), got {trial}")
    settings = {"experiment": "matrices", "task": task, "trial": trial, "trials": trials, "seed": seed,
                "draws": draws}
    configs = _matrices_configs(settings)
    run(configs, out, workers=workers, backend=backend, scheduler=scheduler, progress=progress,
        name="matrices", experiment=settings)
    return _matrices_from(configs, settings, Path(out))


def _matrices_configs(settings: dict) -> list[TrainConfig]:
    return [TrainConfig(task=settings["task"], pruner=p, amount=AMOUNTS[p], trials=settings["trials"],
                        seed=settings["seed"], draws=settings["draws"]) for p in ("none", *PRUNER_NAMES)]


def _matrices_from(configs: list[TrainConfig], settings: dict, out: Path) -> Path:
    trial = settings["trial"]
    rows = _trials(Sweep("matrices", tuple(configs)), out)
    plt = pyplot()
    fig, axes = plt.subplots(len(configs), 2, figsize=(5.2, 2.1 * len(configs)), squeeze=False)
    for k, config in enumerate(configs):
        evidence = load_evidence(out, config)
        row = rows[config].iloc[trial]
        for col, (weights, order, value) in enumerate((("initial", "start_order", "start"),
                                                      ("final", "end_order", "end"))):
            M = reordered(evidence[weights][trial], evidence[order][trial])
            ax = axes[k][col]
            ax.imshow(M / max(M.max(), 1e-12), cmap="Greys", vmin=0, vmax=1)
            n = M.shape[0]
            ax.plot([-0.5, n - 0.5], [-0.5, n - 0.5], color="tab:red", lw=0.6)
            ax.axvline(n - 0.5, color="tab:blue", lw=0.6)
            ax.set_xticks([])
            ax.set_yticks([])
            label = "no pruning" if config.pruner == "none" else f"{config.pruner} {config.amount:g}"
            ax.set_title(f"{label}, {'before' if col == 0 else 'after'}: O = {row[value]:.3f}", fontsize=7)
    fig.suptitle(f"|W| on {settings['task']} (trial {trial}), rows and columns in an optimal order:\n"
                 "back-flow is the mass below the red diagonal; input columns right of the blue line", fontsize=7)
    fig.tight_layout()
    path = out / f"matrices-{settings['task']}.png"
    fig.savefig(path, dpi=120)
    plt.close(fig)
    return path


def report(out: str | os.PathLike) -> str:
    """Rebuild every experiment recorded in a directory (its tables and figures), without training.

    Parameters
    ----------
    out : path
        A directory written by :func:`table1`, :func:`figure2`, :func:`figure3`, :func:`matrices` or
        ``python -m cpl sweep``: one ``run-<name>.json`` per experiment run there.

    Returns
    -------
    str
        Per experiment: the table (Table 1), or a line naming the files written again, and its provenance.

    Raises
    ------
    FileNotFoundError
        No ``run-*.json``, or configurations without their files.
    """
    out = Path(out)
    runs = sorted(out.glob("run-*.json"))
    if not runs:
        raise FileNotFoundError(f"{str(out)!r} has no run-*.json: not the output of a cpl experiment")
    return "\n\n".join(_report_one(out, json.loads(path.read_text())) for path in runs)


def _report_one(out: Path, record: dict) -> str:
    settings = record["config"]
    kind = settings.get("experiment", "sweep")
    provenance = (f"(orderedness {record.get('version')} at commit {record.get('git_commit')}, "
                  f"torch {record.get('torch')}, numpy {record.get('numpy')}; {record.get('machine')})")
    if kind == "table1":
        cells = _table1_cells(settings["trials"], settings["seed"], settings["shared_mask"], settings["method"],
                              settings["draws"])
        configs = tuple(dict.fromkeys(config for config, _ in cells.values()))
        table = _table1_from(cells, _trials(Sweep("table1", configs), out), settings, 0.0, out)
        return table.format() + "\n" + provenance
    if kind == "matrices":
        return f"matrices: wrote {_matrices_from(_matrices_configs(settings), settings, out)} {provenance}"
    if kind in ("figure2", "figure3"):
        if kind == "figure2":
            grid = _figure2_grid(settings["hidden"], settings["iterations"], settings["tasks"], settings["trials"],
                                 settings["seed"])
            make = _figure2_from
        else:
            grid = _figure3_grid(settings["levels"], settings["tasks"], settings["pruners"], settings["trials"],
                                 settings["seed"])
            make = _figure3_from
        make(grid, _trials(Sweep(kind, tuple(grid.values())), out), settings, out)
        return f"{kind}: wrote {out / (kind + '.png')} and {out / (kind + '.csv')} {provenance}"
    sweep = Sweep(settings["name"], tuple(TrainConfig(**c) for c in settings["cells"]))
    files = write_tables(sweep, out)
    return (f"sweep {sweep.name}: wrote " + (", ".join(str(f) for f in files) or "no tables (no finished cell)")
            + f" {provenance}")


#: The paper's layouts a file of ``experiments/`` can name, with the settings each accepts.
EXPERIMENTS = {"table1": {"trials", "seed", "shared_mask", "draws", "method"},
               "figure2": {"hidden", "iterations", "tasks", "trials", "seed"},
               "figure3": {"levels", "tasks", "pruners", "trials", "seed"},
               "matrices": {"task", "trial", "trials", "seed", "draws"}}


def run_experiment(data: dict, out: str | os.PathLike, **engine) -> str:
    """Run an experiment file (``experiment = "table1"`` and its settings) on the sweep engine.

    Parameters
    ----------
    data : dict
        The parsed file: ``experiment`` (a key of :data:`EXPERIMENTS`) and that experiment's settings,
        as the keyword arguments of :func:`table1`, :func:`figure2`, :func:`figure3` or :func:`matrices`.
    out : path
        Output directory.
    **engine
        ``workers``, ``backend``, ``scheduler``, ``progress``.

    Returns
    -------
    str
        What the command prints: the table, or the files written.

    Raises
    ------
    SweepError
        Unknown experiment or setting.
    """
    settings = dict(data)
    kind = settings.pop("experiment")
    settings.pop("name", None)
    if kind not in EXPERIMENTS:
        raise SweepError(f"unknown experiment {kind!r}; expected one of {sorted(EXPERIMENTS)}")
    unknown = set(settings) - EXPERIMENTS[kind]
    if unknown:
        raise SweepError(f"unknown key(s) {sorted(unknown)} for experiment {kind!r}; expected some of "
                         f"{sorted(EXPERIMENTS[kind])}")
    if kind == "table1":
        return table1(out=out, **settings, **engine).format()
    if kind == "matrices":
        return f"matrices: wrote {matrices(out, **settings, **engine)}"
    (figure2 if kind == "figure2" else figure3)(out, **settings, **engine)
    return f"{kind}: wrote {Path(out) / (kind + '.png')} and {Path(out) / (kind + '.csv')}"
