"""Statistics and plots of a sweep's tidy table: ΔO per cell with 95 % confidence intervals, paired
tests of "pruning increases orderedness", its controls, final losses, and orderedness trajectories.

Trial ``j`` of every cell with the same seed, size and initialisation starts from the same initial
weights, so every comparison between two such cells is **paired by trial** (one-sided, alternative:
greater, unless stated):

- ``vs_none``: ΔO(pruner) against ΔO(no pruning) of the same task, size, iterations and initialisation
  (paired t-test and exact Wilcoxon signed-rank test), and ``certified``: the paired t-test of the worst
  case the certificates allow where a score is not proven optimal (pruner's lower ΔO bound against no
  pruning's upper one), the only claim made for unproven cells;
- ``vs_untrained``: for a trained task, ΔO(pruner, task) against ΔO(pruner, ``none`` task) of the same
  size: does training with the pruner order the layer beyond what the pruning alone does (paired t)?
  ``vs_untrained_matched`` does the same against the untrained control of the *static* schedule with the
  same final sparsity (dynamic top-k's own untrained control stops at ``k(0.9) = 0.524``: less sparse);
- ``vs_random``: the matched-sparsity control: ΔO(pruner) − ΔO(random pruning at p = 1 − k) of the same
  task and size, with a two-sided paired t-test;
- ``loss_vs_none``: final training loss of the pruner against no pruning's (paired, alternative:
  the pruned layer's loss is larger), the test of "pruning does not compromise performance".

Each family of p-values is also given Holm-adjusted over all the tests of the sweep. ``delta_room`` is
ΔO normalised by the room that was left, ``ΔO / (1 − O(start))``.
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


def _paired(a: pd.DataFrame, b: pd.DataFrame, column: str = "delta") -> tuple[np.ndarray, np.ndarray]:
    """`column` of the trials present in both cells, aligned by trial."""
    both = a[["trial", column]].merge(b[["trial", column]], on="trial", suffixes=("_a", "_b"))
    return both[f"{column}_a"].to_numpy(float), both[f"{column}_b"].to_numpy(float)


def paired_greater(a: np.ndarray, b: np.ndarray) -> tuple[float, float]:
    """One-sided p-values that `a` exceeds `b`, paired: (paired t, exact Wilcoxon signed-rank).

    Parameters
    ----------
    a, b : ndarray
        Paired samples.

    Returns
    -------
    (float, float)
        NaN for fewer than 2 pairs; 1 when all differences are zero.

    Examples
    --------
    >>> t, w = paired_greater(1.1 * np.arange(1.0, 11.0), np.arange(1.0, 11.0))
    >>> w == 0.5 ** 10          # ten distinct positive differences: the least exact p for 10 pairs
    True
    """
    d = np.asarray(a, float) - np.asarray(b, float)
    if len(d) < 2:
        return math.nan, math.nan
    if not np.any(d):
        return 1.0, 1.0
    if np.ptp(d) == 0:                      # the same nonzero difference in every pair
        t = 0.0 if d[0] > 0 else 1.0
    else:
        t = stats.ttest_rel(a, b, alternative="greater").pvalue
    nonzero = d[d != 0]
    method = "exact" if len(nonzero) <= 50 and len(np.unique(np.abs(nonzero))) == len(nonzero) else "approx"
    w = stats.wilcoxon(nonzero, alternative="greater", method=method).pvalue
    return float(t), float(w)


def _two_sided(a: np.ndarray, b: np.ndarray) -> float:
    d = a - b
    if len(d) < 2 or not np.any(d):
        return math.nan if len(d) < 2 else 1.0
    return 0.0 if np.ptp(d) == 0 else float(stats.ttest_rel(a, b).pvalue)


def _static(pruner: str) -> str:
    return pruner.removeprefix("dynamic-")


def summarise(trials: pd.DataFrame) -> pd.DataFrame:
    """One row per cell: ΔO mean, sd, 95 % CI, certified range of the mean, exact count, the paired tests
    of the module docstring, ΔO / (1 − O₀), sparsity and final loss.

    Parameters
    ----------
    trials : DataFrame
        The sweep's per-trial table (:func:`cpl.sweep.assemble`).

    Returns
    -------
    DataFrame
        Columns ``CELL`` + ``n, exact, start, end, delta, sd, ci95, ci_low, ci_high, delta_lower,
        delta_upper, width, delta_room, sparsity, final_loss`` and the tests: ``p_t, p_wilcoxon`` (vs no
        pruning), ``p_certified`` (the paired t-test of the worst case the certificates allow: each trial's
        least possible ΔO against no pruning's largest possible one; equal to ``p_t`` when all is exact), ``p_vs_untrained``, ``p_vs_untrained_matched`` with ``untrained_matched`` (the control
        used) and its ``untrained_sparsity``, ``d_vs_random, p_vs_random``, ``loss_ratio, p_loss``
        (pruner's final loss over no pruning's, and the test that it is larger), each p also ``_holm``.
        ``delta_lower``/``delta_upper`` bound the mean ΔO whatever the solver could not prove; ``width``
        is the mean certified width of a trial's ΔO.
    """
    if "trial" not in trials:
        trials = trials.assign(trial=trials.groupby(CELL).cumcount())
    if "delta_room" not in trials:
        trials = trials.assign(delta_room=trials["delta"] / (1 - trials["start"]))
    groups = {key: g for key, g in trials.groupby(CELL, sort=True)}

    def find(task, hidden, its, w_init, v_init, pruner, amount=None):
        for k, g in groups.items():
            if k[:6] == (task, hidden, its, w_init, v_init, pruner) and (amount is None or np.isclose(k[6], amount)):
                return g
        return None

    def untrained(hidden, w_init, v_init, pruner, amount):
        for k, g in groups.items():
            if k[0] == "none" and k[1] == hidden and k[3:5] == (w_init, v_init) and k[5] == pruner \
                    and np.isclose(k[6], amount):
                return g
        return None

    nan = math.nan
    rows = []
    for key, g in groups.items():
        d = g["delta"].to_numpy(float)
        ci = _ci95(d)
        row = dict(zip(CELL, key))
        row.update(n=len(d), exact=int(g["exact"].sum()), start=g["start"].mean(), end=g["end"].mean(),
                   delta=d.mean(), sd=d.std(ddof=1) if len(d) > 1 else nan, ci95=ci,
                   ci_low=d.mean() - ci, ci_high=d.mean() + ci, delta_lower=g["delta_lower"].mean(),
                   delta_upper=g["delta_upper"].mean(), width=(g["delta_upper"] - g["delta_lower"]).mean(),
                   delta_room=g["delta_room"].mean(),
                   sparsity=g["sparsity"].mean(), final_loss=g["final_loss"].mean(), p_t=nan, p_wilcoxon=nan,
                   p_certified=nan,
                   p_vs_untrained=nan, untrained_matched="", untrained_sparsity=nan, p_vs_untrained_matched=nan,
                   d_vs_random=nan, p_vs_random=nan, loss_ratio=nan, p_loss=nan)
        task, hidden, its, w_init, v_init, pruner, amount = key
        if pruner != "none":
            base = find(task, hidden, its, w_init, v_init, "none")
            if base is not None:
                row["p_t"], row["p_wilcoxon"] = paired_greater(*_paired(g, base))
                worst = g[["trial", "delta_lower"]].merge(base[["trial", "delta_upper"]], on="trial")
                row["p_certified"] = paired_greater(worst["delta_lower"].to_numpy(float),
                                                    worst["delta_upper"].to_numpy(float))[0]
                if task != "none":
                    mine, theirs = _paired(g, base, "final_loss")
                    row["loss_ratio"] = mine.mean() / theirs.mean() if theirs.mean() > 0 else nan
                    row["p_loss"] = paired_greater(mine, theirs)[1]
            if task != "none":
                control = untrained(hidden, w_init, v_init, pruner, amount)
                if control is not None:
                    row["p_vs_untrained"] = paired_greater(*_paired(g, control))[0]
                matched = untrained(hidden, w_init, v_init, _static(pruner), amount)
                if matched is not None:
                    row["untrained_matched"] = f"{_static(pruner)} {amount:g}"
                    row["untrained_sparsity"] = matched["sparsity"].mean()
                    row["p_vs_untrained_matched"] = paired_greater(*_paired(g, matched))[0]
            if "topk" in pruner:
                random = find(task, hidden, its, w_init, v_init, "random", 1 - amount)
                if random is not None:
                    mine, theirs = _paired(g, random)
                    row["d_vs_random"], row["p_vs_random"] = (mine - theirs).mean(), _two_sided(mine, theirs)
        rows.append(row)
    summary = pd.DataFrame(rows)
    if summary.empty:
        return summary
    for column in ("p_t", "p_wilcoxon", "p_certified", "p_vs_untrained", "p_vs_untrained_matched", "p_vs_random", "p_loss"):
        summary[column + "_holm"] = holm(summary[column])
    return summary


def _p(value: float) -> str:
    if math.isnan(value):
        return "–"
    return f"{value:.1e}" if value < 1e-3 else f"{value:.3f}"


def markdown(summary: pd.DataFrame) -> str:
    """The summary as Markdown: one table of ΔO and the paired tests, one of the controls and losses.

    Parameters
    ----------
    summary : DataFrame
        :func:`summarise` output.

    Returns
    -------
    str
    """
    lines = ["| task | h | its | pruner | n | exact | ΔO mean [95 % CI] | certified range of the mean | "
             "ΔO / (1 − O₀) | p paired t vs none (Holm) | p Wilcoxon vs none (Holm) | p certified worst case vs "
             "none (Holm) | p vs untrained (Holm) |",
             "|---|---|---|---|---|---|---|---|---|---|---|---|---|"]
    for r in summary.itertuples():
        certified = ("exact" if r.exact == r.n else f"[{r.delta_lower:.3f}, {r.delta_upper:.3f}]")
        lines.append(
            f"| {r.task} | {r.hidden} | {r.iterations} | {_label(r.pruner, r.amount)} | {r.n} | {r.exact} | "
            f"{r.delta:+.3f} [{r.ci_low:+.3f}, {r.ci_high:+.3f}] | {certified} | {r.delta_room:+.3f} | "
            f"{_p(r.p_t)} ({_p(r.p_t_holm)}) | {_p(r.p_wilcoxon)} ({_p(r.p_wilcoxon_holm)}) | "
            f"{_p(r.p_certified)} ({_p(r.p_certified_holm)}) | {_p(r.p_vs_untrained)} ({_p(r.p_vs_untrained_holm)}) |")
    lines += ["", "| task | h | pruner | sparsity | untrained control at matched sparsity (its sparsity): p (Holm) | "
              "ΔO − ΔO(random, same sparsity): mean, p two-sided (Holm) | final loss | loss / no pruning's: "
              "p larger (Holm) |", "|---|---|---|---|---|---|---|---|"]
    for r in summary[summary["task"] != "none"].itertuples():
        matched = (f"{r.untrained_matched} ({r.untrained_sparsity:.3f}): {_p(r.p_vs_untrained_matched)} "
                   f"({_p(r.p_vs_untrained_matched_holm)})" if r.untrained_matched else "–")
        random = (f"{r.d_vs_random:+.3f}, {_p(r.p_vs_random)} ({_p(r.p_vs_random_holm)})"
                  if not math.isnan(r.d_vs_random) else "–")
        loss = (f"{r.loss_ratio:.2f}×: {_p(r.p_loss)} ({_p(r.p_loss_holm)})" if not math.isnan(r.loss_ratio) else "–")
        lines.append(f"| {r.task} | {r.hidden} | {_label(r.pruner, r.amount)} | {r.sparsity:.3f} | {matched} | "
                     f"{random} | {r.final_loss:.4f} | {loss} |")
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
