"""Statistics and plots of a sweep's tidy table: ΔO per cell with 95 % confidence intervals, tests of
"pruning increases orderedness", and orderedness trajectories over training.

Tests, for every trained or untrained cell with a pruner, one-sided (alternative: greater):

- ``vs_none``: ΔO(pruner) against ΔO(no pruning) of the same task, size, iterations and initialisation
  (Welch's t-test and Mann-Whitney U);
- ``vs_untrained``: for a trained task, ΔO(pruner, task) against ΔO(pruner, ``none`` task) of the same
  size: does training with the pruner order the layer beyond what the pruning alone does (Welch)?

Each family of p-values is also given Holm-adjusted over all the tests of the sweep.
"""
from __future__ import annotations

import math
import os
from pathlib import Path

import numpy as np
import pandas as pd
from scipy import stats

__all__ = ["CELL", "summarise", "holm", "markdown", "pyplot", "plot_delta", "plot_trajectories"]

#: Columns that identify a cell apart from its seeds.
CELL = ["task", "hidden", "iterations", "weights_init", "values_init", "pruner", "amount"]


def holm(p: pd.Series) -> pd.Series:
    """Holm-Bonferroni adjusted p-values (NaN entries stay NaN and do not count)."""
    valid = p.dropna().sort_values()
    m = len(valid)
    adjusted = np.minimum(1.0, np.maximum.accumulate((m - np.arange(m)) * valid.to_numpy()))
    return pd.Series(adjusted, index=valid.index).reindex(p.index)


def _ci95(x: np.ndarray) -> float:
    return float(stats.t.ppf(0.975, len(x) - 1) * x.std(ddof=1) / math.sqrt(len(x))) if len(x) > 1 else math.nan


def _greater(a: np.ndarray, b: np.ndarray) -> tuple[float, float]:
    """One-sided p-values that `a` tends to exceed `b`: (Welch t, Mann-Whitney U)."""
    if len(a) < 2 or len(b) < 2:
        return math.nan, math.nan
    if np.ptp(np.concatenate([a, b])) == 0:
        return 1.0, 1.0
    welch = stats.ttest_ind(a, b, equal_var=False, alternative="greater").pvalue
    mw = stats.mannwhitneyu(a, b, alternative="greater").pvalue
    return float(welch), float(mw)


def summarise(trials: pd.DataFrame) -> pd.DataFrame:
    """One row per cell: ΔO mean, sd, 95 % CI, certified range of the mean, exact count and tests.

    Parameters
    ----------
    trials : DataFrame
        The sweep's per-trial table (:func:`cpl.sweep.assemble`).

    Returns
    -------
    DataFrame
        Columns ``CELL`` + ``n, exact, start, end, delta, sd, ci95, ci_low, ci_high, delta_lower,
        delta_upper, sparsity, final_loss, p_welch, p_mw, p_welch_holm, p_mw_holm, p_vs_untrained,
        p_vs_untrained_holm``. ``delta_lower``/``delta_upper`` bound the mean ΔO whatever the
        solver could not prove; ``exact`` counts trials whose start and end are both proven optimal.
    """
    groups = {key: g for key, g in trials.groupby(CELL, sort=True)}
    rows = []
    for key, g in groups.items():
        d = g["delta"].to_numpy(float)
        ci = _ci95(d)
        row = dict(zip(CELL, key))
        row.update(n=len(d), exact=int(g["exact"].sum()), start=g["start"].mean(), end=g["end"].mean(),
                   delta=d.mean(), sd=d.std(ddof=1) if len(d) > 1 else math.nan, ci95=ci,
                   ci_low=d.mean() - ci, ci_high=d.mean() + ci, delta_lower=g["delta_lower"].mean(),
                   delta_upper=g["delta_upper"].mean(), sparsity=g["sparsity"].mean(),
                   final_loss=g["final_loss"].mean(), p_welch=math.nan, p_mw=math.nan,
                   p_vs_untrained=math.nan)
        task, hidden, its, w_init, v_init, pruner, _ = key
        if pruner != "none":
            base = [g2 for k2, g2 in groups.items()
                    if k2[:5] == (task, hidden, its, w_init, v_init) and k2[5] == "none"]
            if base:
                row["p_welch"], row["p_mw"] = _greater(d, base[0]["delta"].to_numpy(float))
            if task != "none":
                control = [g2 for k2, g2 in groups.items()
                           if k2[0] == "none" and k2[1] == hidden and k2[3:] == key[3:]]
                if control:
                    row["p_vs_untrained"] = _greater(d, control[0]["delta"].to_numpy(float))[0]
        rows.append(row)
    summary = pd.DataFrame(rows)
    if summary.empty:
        return summary
    summary["p_welch_holm"] = holm(summary["p_welch"])
    summary["p_mw_holm"] = holm(summary["p_mw"])
    summary["p_vs_untrained_holm"] = holm(summary["p_vs_untrained"])
    return summary


def _p(value: float) -> str:
    if math.isnan(value):
        return "–"
    return f"{value:.1e}" if value < 1e-3 else f"{value:.3f}"


def markdown(summary: pd.DataFrame) -> str:
    """The summary as a Markdown table, one line per cell, p-values raw and (Holm-adjusted).

    Parameters
    ----------
    summary : DataFrame
        :func:`summarise` output.

    Returns
    -------
    str
    """
    lines = ["| task | h | its | pruner | n | exact | ΔO mean [95 % CI] | certified range of the mean | "
             "p Welch vs none (Holm) | p Mann–Whitney vs none (Holm) | p vs untrained (Holm) |",
             "|---|---|---|---|---|---|---|---|---|---|---|"]
    for r in summary.itertuples():
        certified = ("exact" if r.exact == r.n else f"[{r.delta_lower:.3f}, {r.delta_upper:.3f}]")
        lines.append(
            f"| {r.task} | {r.hidden} | {r.iterations} | {_label(r.pruner, r.amount)} | {r.n} | {r.exact} | "
            f"{r.delta:+.3f} [{r.ci_low:+.3f}, {r.ci_high:+.3f}] | {certified} | "
            f"{_p(r.p_welch)} ({_p(r.p_welch_holm)}) | {_p(r.p_mw)} ({_p(r.p_mw_holm)}) | "
            f"{_p(r.p_vs_untrained)} ({_p(r.p_vs_untrained_holm)}) |")
    return "\n".join(lines) + "\n"


def pyplot():
    """matplotlib.pyplot on the Agg backend (files only, no display needed)."""
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    return plt


def _label(pruner: str, amount: float) -> str:
    return "no pruning" if pruner == "none" else f"{pruner} {amount:g}"


def plot_delta(summary: pd.DataFrame, path: str | os.PathLike) -> Path:
    """ΔO (mean and 95 % CI) against hidden size, one panel per task, one line per pruner.

    Parameters
    ----------
    summary : DataFrame
        :func:`summarise` output.
    path : path
        PNG file to write.

    Returns
    -------
    Path
    """
    plt = pyplot()
    tasks = list(dict.fromkeys(summary["task"]))
    fig, axes = plt.subplots(1, len(tasks), figsize=(4.4 * len(tasks), 3.6), squeeze=False, sharey=True)
    titles = {"none": "untrained (pruning alone)"}
    lines = summary.groupby(["pruner", "amount", "iterations", "weights_init", "values_init"], sort=False)
    for ax, task in zip(axes[0], tasks):
        for (pruner, amount, *_), g in lines:
            g = g[g["task"] == task].sort_values("hidden")
            if g.empty:
                continue
            ax.errorbar(g["hidden"], g["delta"], yerr=g["ci95"], marker="o", ms=3, capsize=2,
                        label=_label(pruner, amount))
        ax.axhline(0, color="grey", lw=0.5)
        ax.set(title=titles.get(task, task), xlabel="hidden neurons h", xticks=sorted(set(summary["hidden"])))
    axes[0][0].set_ylabel("ΔO (mean, 95 % CI)")
    axes[0][-1].legend(fontsize=7)
    fig.tight_layout()
    path = Path(path)
    fig.savefig(path, dpi=100)
    plt.close(fig)
    return path


def plot_trajectories(trajectory: pd.DataFrame, path: str | os.PathLike) -> Path:
    """Mean orderedness over training steps: rows of hidden sizes, columns of tasks, lines of pruners.

    Parameters
    ----------
    trajectory : DataFrame
        The sweep's trajectory table (:func:`cpl.sweep.assemble`).
    path : path
        PNG file to write.

    Returns
    -------
    Path
    """
    plt = pyplot()
    tasks = list(dict.fromkeys(trajectory["task"]))
    sizes = sorted(set(trajectory["hidden"]))
    fig, axes = plt.subplots(len(sizes), len(tasks), figsize=(4.2 * len(tasks), 2.8 * len(sizes)),
                             squeeze=False, sharey=True)
    for r, h in enumerate(sizes):
        for c, task in enumerate(tasks):
            ax = axes[r][c]
            sel = trajectory[(trajectory["hidden"] == h) & (trajectory["task"] == task)]
            for (pruner, amount), g in sel.groupby(["pruner", "amount"], sort=False):
                mean = g.groupby("step")["value"].agg(["mean", "std", "count"])
                half = 1.96 * mean["std"] / np.sqrt(mean["count"])
                ax.plot(mean.index, mean["mean"], lw=1.2, label=_label(pruner, amount))
                ax.fill_between(mean.index, mean["mean"] - half, mean["mean"] + half, alpha=0.15)
            ax.set_title(f"{task}, h = {h}", fontsize=9)
            if r == len(sizes) - 1:
                ax.set_xlabel("training step")
        axes[r][0].set_ylabel("orderedness O")
    axes[0][-1].legend(fontsize=7)
    fig.tight_layout()
    path = Path(path)
    fig.savefig(path, dpi=90)
    plt.close(fig)
    return path
