"""The paper's results shown from finished grids: Table 1, Figure 2 (hidden size x iterations),
Figure 3 (sparsity) and the pictures of reordered weight matrices.

What each experiment trains is data: its grid is a file of ``experiments/`` (:func:`load`), run by the
one sweep engine (:func:`cpl.sweep.compute`: resume, process pool or dask); every cell is deterministic,
so the results do not depend on the number of workers. This module holds what is not data: how a
finished grid is printed or plotted (:data:`REPORTS`, named by the file's ``[report] kind``). Every run
leaves its evidence in its output directory (``run-<name>.json`` with the provenance and the grid; per
cell, weights, orders with their certificates, ΔO and losses), and :func:`report` rebuilds the table or
figure from it without training.
"""
from __future__ import annotations

import csv
import json
import math
import os
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from .sweep import Sweep, SweepError, assemble, cell_key, compute, load_evidence, parse_sweep, read_toml, write_tables
from .sweep_report import pyplot
from .train import TrainConfig

__all__ = ["ROWS", "COLUMNS", "PUBLISHED", "EXPERIMENTS_DIR", "load", "check", "run", "results", "summarise",
           "z_score", "Table1", "table1", "figure2", "figure3", "reordered", "matrices", "show", "report",
           "REPORTS"]

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
#: (weights, values) initialisation of the initialisation rows; the pruning rows use the first.
INITS = {"normal": ("normal", "normal"), "uniform": ("uniform", "normal"), "zeros": ("normal", "zeros")}
#: The experiment files of the repository: ``experiments/<name>.toml``.
EXPERIMENTS_DIR = Path(__file__).resolve().parents[1] / "experiments"


def load(name: str, overrides: dict | None = None) -> Sweep:
    """The grid of an experiment file of ``experiments/``, with some grid keys replaced.

    Parameters
    ----------
    name : str
        ``"table1"``, ``"table1-legacy"``, ``"figure2"``, ``"figure3"``, ``"matrices"``, or any other
        file's name without ``.toml``.
    overrides : dict, optional
        Grid keys replaced in every block (:func:`cpl.sweep.parse_sweep`), e.g. ``{"trials": 2}``.

    Returns
    -------
    Sweep

    Raises
    ------
    SweepError
        A missing or invalid file.

    Examples
    --------
    >>> grid = load("figure2", {"hidden": [3], "iterations": [2], "trials": 2})
    >>> [(c.task, c.hidden, c.iterations, c.pruner, c.amount) for c in grid.cells]
    [('xor', 3, 2, 'dynamic-topk', 0.5), ('sine', 3, 2, 'dynamic-topk', 0.5)]
    """
    return parse_sweep(read_toml(EXPERIMENTS_DIR / f"{name}.toml"), default_name=name, overrides=overrides)


def check(sweep: Sweep) -> None:
    """Refuse, before anything is trained, a ``[report]`` that cannot show `sweep`'s grid.

    Raises
    ------
    SweepError
        Unknown report kind or setting, or a grid without the cells the layout needs.
    """
    if not sweep.report:
        return
    kind = sweep.report["kind"]
    if kind not in REPORTS:
        raise SweepError(f"unknown [report] kind {kind!r}; expected one of {sorted(REPORTS)}")
    settings, _ = REPORTS[kind]
    unknown = set(sweep.report) - {"kind"} - set(settings)
    if unknown:
        raise SweepError(f"unknown key(s) {sorted(unknown)} in [report] of kind {kind!r}; expected some of "
                         f"{sorted(settings)}")
    if kind == "table1":
        _table1_cells(sweep.cells)
    if kind == "matrices":
        _matrices_trial(sweep)


def run(sweep: Sweep, out: str | os.PathLike, *, workers: int = 1, backend: str = "process",
        scheduler: str | None = None, progress: bool = False) -> float:
    """Train every unfinished cell of `sweep` on the sweep engine, every cell once.

    A cell is computed only when ``OUT/cells`` has no file for it yet (an interrupted or repeated
    experiment resumes), and its evidence (weights, orders, certificates, losses) stays in `out`.

    Parameters
    ----------
    sweep : Sweep
        An experiment's grid (:func:`load`).
    out : path
        Output directory of the run.
    workers, backend, scheduler
        See :func:`cpl.backends.run_each`; results do not depend on them.
    progress : bool
        Show a tqdm bar on stderr.

    Returns
    -------
    float
        Wall time in seconds.

    Raises
    ------
    SweepError
        A report that cannot show the grid (:func:`check`).
    RuntimeError
        When a cell failed.
    """
    check(sweep)
    t0 = time.perf_counter()
    outcome = compute(sweep, out, backend=backend, workers=workers, scheduler=scheduler, progress=progress)
    if outcome.failed:
        config, error = outcome.failed[0]
        raise RuntimeError(f"{len(outcome.failed)} configuration(s) failed, e.g. {config}: {error}")
    return time.perf_counter() - t0


def results(sweep: Sweep, out: str | os.PathLike) -> dict[TrainConfig, pd.DataFrame]:
    """The trials of every cell of `sweep` finished in `out`, one row per trial in trial order.

    Returns
    -------
    dict
        ``{config: trials}`` with the columns of :func:`cpl.sweep.assemble` (``start``, ``end``,
        ``delta`` with bounds, ``final_loss``, ...).

    Raises
    ------
    FileNotFoundError
        When a cell is not finished.
    """
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


def _table1_cells(cells: Sequence[TrainConfig]) -> dict[tuple[str, str], tuple[TrainConfig, str]]:
    """Which cell of the grid and which measurement (``start`` or ``delta``) each cell of Table 1 is.

    "untrained" of an initialisation row is the orderedness at initialisation of the ``none`` task,
    as the published notebook printed it; every other cell is ΔO.

    Raises
    ------
    SweepError
        When the grid has no cell, or several, for a cell of the table.
    """
    def find(task: str, inits: tuple[str, str], pruner: str) -> TrainConfig:
        found = [c for c in cells if (c.task, c.weights_init, c.values_init, c.pruner) == (task, *inits, pruner)]
        if len(found) != 1:
            raise SweepError(f"Table 1 needs one cell of task {task!r}, initialisation {inits} and pruner "
                             f"{pruner!r}; the grid has {len(found)}")
        return found[0]

    table = {}
    for row, inits in INITS.items():
        table[row, "untrained"] = (find("none", inits, "none"), "start")
        for task in ("xor", "sine"):
            table[row, task] = (find(task, inits, "none"), "delta")
    for row in list(ROWS)[len(INITS):]:
        for column in COLUMNS:
            task = "none" if column == "untrained" else column
            table[row, column] = (find(task, INITS["normal"], row), "delta")
    return table


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


def table1(sweep: Sweep, out: str | os.PathLike, seconds: float = 0.0) -> Table1:
    """Table 1 from a finished grid (``experiments/table1.toml`` run by :func:`run`).

    Parameters
    ----------
    sweep : Sweep
        A grid with the cells of :func:`_table1_cells` (more cells are ignored).
    out : path
        Its output directory.
    seconds : float
        Wall time of the run, printed with the table.

    Returns
    -------
    Table1
    """
    cells = _table1_cells(sweep.cells)
    configs = tuple(dict.fromkeys(config for config, _ in cells.values()))
    trials = results(Sweep(sweep.name, configs), out)
    values: dict[str, dict[str, np.ndarray]] = {row: {} for row in ROWS}
    losses: dict[str, dict[str, np.ndarray]] = {row: {} for row in ROWS}
    for (row, col), (config, what) in cells.items():
        values[row][col] = trials[config][what].to_numpy(dtype=float)
        losses[row][col] = trials[config]["final_loss"].to_numpy(dtype=float)
    first = cells["normal", "untrained"][0]
    distinct = [rows.iloc[0] for rows in trials.values()]
    return Table1(values, losses, first.trials, first.seed, first.shared_mask, first.draws, seconds,
                  sum(r["cell_seconds_training"] for r in distinct),
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


def _trials_of(sweep: Sweep) -> int:
    return sweep.cells[0].trials


def figure2(sweep: Sweep, out: str | os.PathLike) -> list[dict]:
    """ΔO against hidden size and iterations (``experiments/figure2.toml``): ``figure2.png`` and ``.csv``.

    Parameters
    ----------
    sweep : Sweep
        A finished grid: one panel per task, one line per hidden size, iterations on the x axis.
    out : path
        Its output directory, where the files go.

    Returns
    -------
    list of dict
        One row per cell: task, hidden, iterations, mean, std, n of ΔO and mean final loss.
    """
    out, trials = Path(out), results(sweep, out)
    rows = [{"task": c.task, "hidden": c.hidden, "iterations": c.iterations, **summarise(trials[c]["delta"]),
             "final_loss": _mean_or_nan(trials[c]["final_loss"])} for c in sweep.cells]
    _write_csv(out / "figure2.csv", list(rows[0]), [list(r.values()) for r in rows])
    pruners = ", ".join(dict.fromkeys(f"{c.pruner} {c.amount:g}" for c in sweep.cells))
    tasks = list(dict.fromkeys(c.task for c in sweep.cells))
    _plot_lines(rows, panels=tasks, series="hidden", x="iterations", xlabel="iterations",
                titles={t: f"{t}: {pruners}" for t in tasks}, trials=_trials_of(sweep), path=out / "figure2.png")
    return rows


def _sparsity(config: TrainConfig) -> float:
    """The share of weights pruned that a pruner's parameter means: 1 - k for top-k, p or f otherwise."""
    return round(1.0 - config.amount, 10) if "topk" in config.pruner else config.amount


def figure3(sweep: Sweep, out: str | os.PathLike) -> list[dict]:
    """ΔO against sparsity for each pruner (``experiments/figure3.toml``): ``figure3.png`` and ``.csv``.

    The sparsity is each pruner's parameter: random ``p``, top-k ``1 - k`` (k the fraction kept),
    tril-damp ``f``.

    Parameters
    ----------
    sweep : Sweep
        A finished grid: one panel per task (``none``: untrained), one line per pruner.
    out : path
        Its output directory, where the files go.

    Returns
    -------
    list of dict
        One row per cell: task, pruner, sparsity, amount, mean, std, n of ΔO.
    """
    out, trials = Path(out), results(sweep, out)
    rows = [{"task": c.task, "pruner": c.pruner, "sparsity": _sparsity(c), "amount": c.amount,
             **summarise(trials[c]["delta"])} for c in sweep.cells]
    _write_csv(out / "figure3.csv", list(rows[0]), [list(r.values()) for r in rows])
    _plot_lines(rows, panels=list(dict.fromkeys(c.task for c in sweep.cells)), series="pruner", x="sparsity",
                xlabel="sparsity (p, 1 - k, or f)", titles={"none": "untrained (10 pruning steps)"},
                trials=_trials_of(sweep), path=out / "figure3.png")
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


def _matrices_trial(sweep: Sweep) -> int:
    trial, trials = sweep.report.get("trial", 0), _trials_of(sweep)
    if not isinstance(trial, int) or isinstance(trial, bool) or not 0 <= trial < trials:
        raise SweepError(f"[report] trial must be an integer in [0, {trials}), got {trial!r}")
    return trial


def matrices(sweep: Sweep, out: str | os.PathLike) -> Path:
    """The picture of orderedness: each cell's weights before and after training, reordered by their
    optimal orders (``matrices-<task>.png``; ``experiments/matrices.toml``).

    Parameters
    ----------
    sweep : Sweep
        A finished grid, one row of the picture per cell; ``[report] trial`` (default 0) is the trial
        drawn. ``experiments/matrices.toml`` holds Table 1's pruning rows on XOR, so that in a Table 1
        directory nothing is trained again.
    out : path
        Its output directory, where the picture goes.

    Returns
    -------
    Path
        The PNG written.
    """
    out, trial = Path(out), _matrices_trial(sweep)
    trials = results(sweep, out)
    plt = pyplot()
    fig, axes = plt.subplots(len(sweep.cells), 2, figsize=(5.2, 2.1 * len(sweep.cells)), squeeze=False)
    for k, config in enumerate(sweep.cells):
        evidence = load_evidence(out, config)
        row = trials[config].iloc[trial]
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
    tasks = "-".join(dict.fromkeys(c.task for c in sweep.cells))
    fig.suptitle(f"|W| on {tasks} (trial {trial}), rows and columns in an optimal order:\n"
                 "back-flow is the mass below the red diagonal; input columns right of the blue line", fontsize=7)
    fig.tight_layout()
    path = out / f"matrices-{tasks}.png"
    fig.savefig(path, dpi=120)
    plt.close(fig)
    return path


def show(sweep: Sweep, out: str | os.PathLike, seconds: float = 0.0) -> str:
    """Show a finished grid as its ``[report]`` says (:data:`REPORTS`), writing its files to `out`.

    Parameters
    ----------
    sweep : Sweep
    out : path
    seconds : float
        Wall time of the run, where the layout prints it.

    Returns
    -------
    str
        What the command prints: the table, or a line naming the files written.
    """
    if not sweep.report:
        files = write_tables(sweep, out)
        return (f"sweep {sweep.name}: wrote " + (", ".join(str(f) for f in files) or "no tables (no finished cell)"))
    kind = sweep.report["kind"]
    if kind == "table1":
        return table1(sweep, out, seconds).format()
    written = REPORTS[kind][1](sweep, out)
    files = [written] if isinstance(written, Path) else [Path(out) / f"{kind}.png", Path(out) / f"{kind}.csv"]
    return f"{kind}: wrote {' and '.join(str(f) for f in files)}" + (f" in {seconds:.1f} s" if seconds else "")


def report(out: str | os.PathLike) -> str:
    """Rebuild every experiment recorded in a directory (its tables and figures), without training.

    Parameters
    ----------
    out : path
        A directory written by ``python -m cpl table1``, ``figure2``, ``figure3``, ``matrices`` or
        ``sweep``: one ``run-<name>.json`` per experiment run there.

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
    settings = dict(record["config"])
    kind = settings.pop("experiment", "sweep")
    cells = tuple(TrainConfig(**c) for c in settings.pop("cells"))
    name = settings.pop("name")
    report_settings = {} if kind == "sweep" else {
        "kind": kind, **{k: v for k, v in settings.items() if k in REPORTS.get(kind, ((), None))[0]}}
    provenance = (f"(orderedness {record.get('version')} at commit {record.get('git_commit')}, "
                  f"torch {record.get('torch')}, numpy {record.get('numpy')}; {record.get('machine')})")
    return show(Sweep(name, cells, report_settings), out) + ("\n" if kind == "table1" else " ") + provenance


#: The layouts a ``[report] kind`` can name: the settings it accepts and what shows a finished grid.
REPORTS: dict[str, tuple[tuple[str, ...], Callable[[Sweep, str | os.PathLike], object]]] = {
    "table1": ((), table1), "figure2": ((), figure2), "figure3": ((), figure3), "matrices": (("trial",), matrices)}
