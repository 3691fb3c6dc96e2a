"""Sweeps: parsing, one file per cell, resume, the dask backend, tracking, statistics, the CLI."""
import json
import subprocess
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

pytest.importorskip("torch")

from cpl.__main__ import main  # noqa: E402
from cpl.sweep import SweepError, cell_path, load_sweep, parse_sweep, run_sweep  # noqa: E402
from cpl.sweep_report import holm, summarise  # noqa: E402

TINY = {"name": "tiny", "grid": {"tasks": ["none", "xor"], "hidden": [3, 5], "trials": 3, "seed": 1},
        "pruners": {"none": [0], "topk": [0.5], "tril-damp": [0.8]}}


@pytest.fixture(scope="module")
def tiny_run(tmp_path_factory):
    out = tmp_path_factory.mktemp("tiny")
    sweep = parse_sweep(TINY)
    run = run_sweep(sweep, out, workers=1)
    return sweep, out, run


def test_grid_expands_to_cells_with_explicit_sizes():
    sweep = parse_sweep({"grid": {"tasks": ["xor", "none", "sine"], "trials": 2},
                         "pruners": {"none": [0, 0.3], "random": [0.2, 0.5]}})
    assert len(sweep.cells) == 3 * 3                     # "none" collapses to one strength
    sizes = {(c.task, c.hidden, c.iterations) for c in sweep.cells}
    assert sizes == {("xor", 5, 3), ("none", 5, 1), ("sine", 8, 3)}
    assert {c.method for c in sweep.cells} == {"auto"} and {c.trials for c in sweep.cells} == {2}


@pytest.mark.parametrize("data, words", [
    ({"grid": {"tasks": ["xor"]}}, "trials"),
    ({"grid": {"tasks": ["mnist"], "trials": 1}}, "unknown task"),
    ({"grid": {"tasks": ["xor"], "trials": 1, "hiden": [3]}}, "unknown key"),
    ({"grid": {"tasks": ["xor"], "trials": 1}, "pruners": {"topk": [1.5]}}, "topk"),
    ({"grid": {"tasks": ["xor"], "trials": 1}, "pruners": {"magnitude": [0.5]}}, "unknown pruner"),
    ({"grid": {"tasks": ["xor"], "trials": 1, "hidden": [-1]}}, "hidden"),
    ({"grid": [{"tasks": ["xor"], "trials": 1}, {"tasks": ["xor"]}]}, "trials"),
    ({"defaults": {"task": ["xor"]}, "grid": {"trials": 1}}, "unknown key.*defaults"),
    ({"grid": [{"tasks": ["xor"], "trials": 1, "pruners": {"topk": [2]}}]}, "topk"),
    ({"grid": ["xor"]}, r"\[\[grid\]\] blocks"),
    ({"report": {"trial": 1}, "grid": {"tasks": ["xor"], "trials": 1}}, "kind"),
    ({"grid": {"tasks": ["xor"], "trials": 1}, "score": {"method": "magic"}}, "method"),
])
def test_bad_sweeps_are_refused_with_the_key_named(data, words):
    with pytest.raises(SweepError, match=words):
        parse_sweep(data)
    with pytest.raises(SweepError, match="unknown key"):
        parse_sweep({"grid": {"tasks": ["xor"], "trials": 1}}, overrides={"trial": 2})


def test_grid_blocks_are_a_union_with_defaults_and_overrides():
    data = {"defaults": {"tasks": ["none", "xor"], "trials": 2, "seed": 5},
            "grid": [{"values_init": ["normal", "zeros"]},
                     {"tasks": ["xor"], "pruners": {"topk": [0.5, 0.3]}},
                     {"weights_init": ["normal"]}],                        # the first block's first cells again
            "pruners": {"none": [0], "random": [0.5]}}
    cells = [(c.task, c.values_init, c.pruner, c.amount, c.seed, c.trials) for c in parse_sweep(data).cells]
    first = [(t, v, p, a, 5, 2) for t in ("none", "xor") for v in ("normal", "zeros")
             for p, a in (("none", 0.0), ("random", 0.5))]
    assert cells == first + [("xor", "normal", "topk", k, 5, 2) for k in (0.5, 0.3)]
    seeds = {c.seed for c in parse_sweep({**data, "grid": [{"seed": 1}, {}]}, overrides={"seed": 7}).cells}
    assert seeds == {7}
    assert parse_sweep(data).report == {} and parse_sweep({**data, "report": {"kind": "x", "a": 1}}).report == {
        "kind": "x", "a": 1}


def test_one_row_per_trial_with_bounds_and_exact_scores(tiny_run):
    sweep, out, run = tiny_run
    assert (run.computed, run.reused, run.failed) == (12, 0, [])
    table = pd.read_csv(out / "results.csv")
    assert len(table) == 12 * 3
    assert table["exact"].all() and (table["start_lower"] == table["start_upper"]).all()
    np.testing.assert_allclose(table["delta"], table["end"] - table["start"])
    untrained_unpruned = table[(table.task == "none") & (table.pruner == "none")]
    assert (untrained_unpruned["delta"] == 0).all()
    for name in ("summary.csv", "summary.md", "delta.png"):
        assert (out / name).stat().st_size > 0


def test_resume_recomputes_only_missing_cells(tiny_run):
    sweep, out, _ = tiny_run
    paths = [cell_path(out, c) for c in sweep.cells]
    stamps = {p: p.stat().st_mtime_ns for p in paths}
    before = pd.read_csv(out / "results.csv")
    paths[2].unlink()
    paths[5].unlink()
    run = run_sweep(sweep, out, workers=1)
    assert (run.computed, run.reused) == (2, 10)
    for p in paths:
        if p not in (paths[2], paths[5]):
            assert p.stat().st_mtime_ns == stamps[p]
    timeless = ["cell_seconds_training", "cell_seconds_scoring",     # recomputed cells: same values, new times
                "start_seconds", "end_seconds"]
    pd.testing.assert_frame_equal(pd.read_csv(out / "results.csv").drop(columns=timeless),
                                  before.drop(columns=timeless))
    assert run_sweep(sweep, out, workers=1).computed == 0


def test_dask_local_cluster_gives_the_same_table(tiny_run, tmp_path):
    pytest.importorskip("dask.distributed")
    sweep, out, _ = tiny_run
    small = parse_sweep({**TINY, "grid": {**TINY["grid"], "hidden": [3]}})
    run = run_sweep(small, tmp_path, backend="dask", workers=2, processes=False)
    assert (run.computed, run.failed) == (6, [])
    for config in small.cells:
        ours = json.loads(cell_path(tmp_path, config).read_text())["rows"]
        reference = json.loads(cell_path(out, config).read_text())["rows"]
        assert [r["delta"] for r in ours] == pytest.approx([r["delta"] for r in reference], abs=1e-6)


def test_tracking_records_trajectories_from_start_to_end(tmp_path):
    sweep = parse_sweep({"grid": {"tasks": ["none"], "hidden": [4], "trials": 2, "track_every": 3},
                         "pruners": {"dynamic-topk": [0.5]}})
    run_sweep(sweep, tmp_path, workers=1)
    traj, table = pd.read_csv(tmp_path / "trajectories.csv"), pd.read_csv(tmp_path / "results.csv")
    assert sorted(set(traj["step"])) == [0, 3, 6, 9, 10]
    for trial, g in traj.groupby("trial"):
        row = table[table.trial == trial].iloc[0]
        assert g[g.step == 0]["value"].item() == pytest.approx(row["start"])
        assert g[g.step == 10]["value"].item() == pytest.approx(row["end"])
    assert (tmp_path / "trajectories.png").exists()


def test_heuristic_scores_keep_certified_bounds(tmp_path):
    sweep = parse_sweep({"grid": {"tasks": ["none"], "hidden": [9], "trials": 4},
                         "pruners": {"random": [0.3]}, "score": {"method": "greedy"}})
    run_sweep(sweep, tmp_path, workers=1)
    t = pd.read_csv(tmp_path / "results.csv")
    assert (t["start_lower"] <= t["start"] + 1e-12).all() and (t["start"] <= t["start_upper"] + 1e-12).all()
    assert (t["delta_lower"] <= t["delta"] + 1e-12).all() and (t["delta"] <= t["delta_upper"] + 1e-12).all()
    assert set(t["start_method"]) == {"greedy"} and not t["exact"].all()


def test_holm_and_paired_one_sided_tests():
    adjusted = holm(pd.Series([0.01, np.nan, 0.04, 0.03]))
    np.testing.assert_allclose(adjusted.to_numpy(), [0.03, np.nan, 0.06, 0.06])
    rng = np.random.default_rng(0)
    common = rng.normal(0, 0.05, 20)          # what a trial's initial weights contribute, in every cell
    rows = [{"task": "xor", "hidden": 4, "iterations": 3, "weights_init": "normal", "values_init": "normal",
             "pruner": p, "amount": a, "trial": j, "delta": c + shift + e, "delta_lower": c + shift + e,
             "delta_upper": c + shift + e, "start": 0.5, "end": 0.5 + c + shift + e, "exact": True,
             "sparsity": 0.0, "final_loss": loss}
            for p, a, shift, loss in (("none", 0.0, 0.0, 0.01), ("topk", 0.5, 0.01, 0.01), ("random", 0.5, 0.02, 0.02))
            for j, (c, e) in enumerate(zip(common, rng.normal(0, 0.002, 20)))]
    s = summarise(pd.DataFrame(rows)).set_index("pruner")
    # a shift of 0.01 is invisible to unpaired tests (sd 0.05) but clear to paired ones (sd 0.003)
    from scipy import stats
    assert s.loc["topk", "p_t"] < 1e-8
    assert s.loc["topk", "p_wilcoxon"] < 1e-5
    a = pd.DataFrame(rows).query("pruner == 'topk'")["delta"].to_numpy()
    b = pd.DataFrame(rows).query("pruner == 'none'")["delta"].to_numpy()
    assert stats.ttest_ind(a, b, alternative="greater").pvalue > 0.1
    assert s.loc["topk", "d_vs_random"] == pytest.approx(-0.01, abs=0.003) and s.loc["topk", "p_vs_random"] < 1e-6
    assert s.loc["random", "loss_ratio"] == pytest.approx(2.0) and s.loc["random", "p_loss"] < 1e-5
    assert s.loc["topk", "delta_room"] == pytest.approx(s.loc["topk", "delta"] / 0.5)
    assert s.loc["topk", "p_certified"] == s.loc["topk", "p_t"] and s.loc["topk", "width"] == 0       # exact
    wide = pd.DataFrame(rows).assign(delta_lower=lambda d: d["delta"] - 0.05, delta_upper=lambda d: d["delta"] + 0.05)
    loose = summarise(wide).set_index("pruner")
    assert loose.loc["topk", "p_t"] < 1e-8 < 0.5 < loose.loc["topk", "p_certified"]    # widths hide the effect
    assert loose.loc["topk", "width"] == pytest.approx(0.1)
    assert np.isnan(s.loc["none", "p_t"]) and s.loc["topk", "ci_low"] < s.loc["topk", "delta"]


def test_cli_runs_a_sweep_and_refuses_bad_input(tmp_path, capsys):
    config = tmp_path / "s.toml"
    config.write_text('[grid]\ntasks = ["none"]\nhidden = [3]\ntrials = 2\n[pruners]\ntopk = [0.5]\n')
    assert main(["sweep", str(config), "--out", str(tmp_path / "o"), "--workers", "1", "--quiet"]) == 0
    assert "1 cells (1 computed" in capsys.readouterr().out
    bad = tmp_path / "bad.toml"
    for text in ("[grid\n", '[grid]\ntasks = ["xor"]\n', '[grid]\ntasks = ["xor"]\ntrials = 1\n[score]\ntime_limit = -1\n'):
        bad.write_text(text)
        with pytest.raises(SystemExit) as e:
            main(["sweep", str(bad), "--quiet"])
        assert e.value.code == 2
        err = capsys.readouterr().err
        assert err.count("\n") == 1 and "error" in err
    for args in (["sweep", str(tmp_path / "missing.toml")], ["sweep", str(config), "--scheduler", "tcp://x:1"],
                 ["sweep", str(config), "--workers", "0"]):
        r = subprocess.run([sys.executable, "-m", "cpl", *args], capture_output=True, text=True)
        assert r.returncode == 2 and r.stderr.count("\n") == 1, r.stderr


def test_load_sweep_reads_the_committed_study():
    sweep = load_sweep(Path(__file__).parent.parent / "experiments" / "scaling.toml")
    assert {c.hidden for c in sweep.cells} == {8, 16, 24, 32} and {c.trials for c in sweep.cells} == {30}
    assert {c.task for c in sweep.cells} == {"none", "xor", "sine"} and len(sweep.cells) == 3 * 4 * 6


def test_a_cell_beyond_the_exact_solvers_keeps_certified_bounds(tmp_path):
    from cpl.sweep import load_evidence, run_cell
    from cpl.train import TrainConfig
    config = TrainConfig(task="none", hidden=64, pruner="topk", amount=0.5, trials=1, time_limit=0.3)
    run_cell(config, tmp_path)
    record = json.loads(cell_path(tmp_path, config).read_text())     # numpy flags became JSON booleans
    (row,) = record["rows"]
    assert row["start_lower"] <= row["start"] <= row["start_upper"]
    assert row["delta_lower"] <= row["delta"] <= row["delta_upper"]
    assert isinstance(row["exact"], bool)
    evidence = load_evidence(tmp_path, config)
    assert sorted(evidence["end_order"][0]) == list(range(65)) and evidence["end_order"][0][0] == 0
