"""Table 1 bookkeeping, figures and the command line."""
import csv
import dataclasses
import json
import math

import numpy as np
import pytest

pytest.importorskip("torch")

from cpl import experiments  # noqa: E402
from cpl.__main__ import main  # noqa: E402
from cpl.sweep import load_sweep, parse_sweep  # noqa: E402


def published_table(shift=0.0):
    spread = np.array([1.0, -1.0] * 5)            # mean ± std, ddof = 0: the published mean and std exactly
    values = {row: {col: mean + shift + std * spread for col, (mean, std) in cols.items()}
              for row, cols in experiments.PUBLISHED.items()}
    losses = {row: {col: np.full(10, np.nan if col == "untrained" else 0.01) for col in cols}
              for row, cols in experiments.PUBLISHED.items()}
    return experiments.Table1(values, losses, trials=10, seed=0, shared_mask=False, draws="independent",
                              seconds=1.0, seconds_training=0.5, seconds_scoring=0.1)


def test_summary_and_z_scores():
    s = experiments.summarise([0.1, 0.3])
    assert s == {"mean": pytest.approx(0.2), "std": pytest.approx(0.1), "n": 2}      # ddof = 0
    assert experiments.z_score({"mean": 0.2, "std": 0.1, "n": 10}, (0.1, 0.1)) == pytest.approx(0.1 / math.sqrt(0.002))
    assert experiments.z_score({"mean": 0.0, "std": 0.0, "n": 10}, (0.0, 0.0)) == 0.0
    assert experiments.z_score({"mean": 0.1, "std": 0.0, "n": 10}, (0.0, 0.0)) == math.inf
    exact = published_table()
    assert all(abs(z) < 1e-9 for cols in exact.z_scores().values() for z in cols.values())
    assert "0 of 27 cells" in exact.format() and "equal to the paper's at 3 decimals: 27 of 27" in exact.format()
    assert all(all(cols.values()) for cols in exact.reproduced().values())
    assert "0.0100" in exact.format()                                             # the final losses
    off = published_table(shift=0.1).format()
    assert not any(any(cols.values()) for cols in published_table(shift=0.0006).reproduced().values())
    assert "!" in off and "no pruning" in off and "dynamic tril-damp f=0.8" in off


def test_table1_cells_follow_the_issue():
    cells = experiments._table1_cells(experiments.load("table1").cells)
    assert len(cells) == 27
    config, what = cells["uniform", "untrained"]
    assert (config.task, config.weights_init, what) == ("none", "uniform", "start")
    config, what = cells["zeros", "sine"]
    assert (config.task, config.values_init, config.pruner, what) == ("sine", "zeros", "none", "delta")
    config, what = cells["tril-damp", "untrained"]
    assert (config.task, config.pruner, config.amount, what) == ("none", "tril-damp", 0.8, "delta")
    assert cells["none", "xor"] == cells["normal", "xor"]                       # one run, two rows
    assert len({config for config, _ in cells.values()}) == 24                  # 22 + two untrained inits
    assert {(c.pruner, c.amount) for c, _ in cells.values()} == {
        ("none", 0.0), ("random", 0.5), ("topk", 0.5), ("dynamic-topk", 0.5), ("tril-damp", 0.8),
        ("dynamic-tril-damp", 0.8)}
    assert {(c.trials, c.seed, c.draws, c.shared_mask, c.hidden) for c, _ in cells.values()
            if c.task == "xor"} == {(10, 0, "independent", False, 5)}


def test_the_files_hold_the_papers_grids():
    table1, legacy = experiments.load("table1"), experiments.load("table1-legacy")
    assert [dataclasses.replace(c, seed=3141592, draws="legacy") for c in table1.cells] == list(legacy.cells)
    figure2 = experiments.load("figure2").cells
    assert [(c.task, c.hidden, c.iterations) for c in figure2] == [
        (t, h, i) for t in ("xor", "sine") for h in (1, 3, 5, 7) for i in range(1, 11)]
    assert {(c.pruner, c.amount, c.trials) for c in figure2} == {("dynamic-topk", 0.5, 10)}
    figure3 = experiments.load("figure3").cells
    assert len(figure3) == 3 * 5 * 10
    for task in ("none", "xor", "sine"):
        for pruner in ("random", "topk", "dynamic-topk", "tril-damp", "dynamic-tril-damp"):
            levels = [experiments._sparsity(c) for c in figure3 if (c.task, c.pruner) == (task, pruner)]
            assert levels == pytest.approx([s / 10 for s in range(10)], abs=1e-12), (task, pruner)
    matrices = experiments.load("matrices")
    pruning_rows = {c for c in table1.cells if c.task == "xor" and c.weights_init == c.values_init == "normal"}
    assert set(matrices.cells) == pruning_rows and len(pruning_rows) == 6     # reused from a Table 1 run
    grid = experiments.load("figure2", {"tasks": ["sine"], "hidden": [0, 2], "trials": 3, "seed": 4})
    assert [(c.task, c.hidden, c.trials, c.seed) for c in grid.cells[::10]] == [("sine", 0, 3, 4), ("sine", 2, 3, 4)]


def test_figures_write_png_and_csv(tmp_path):
    grid = parse_sweep({"report": {"kind": "figure3"}, "grid": {"tasks": ["none"], "trials": 2},
                        "pruners": {"topk": [1.0, 0.5], "tril-damp": [0.0, 0.5]}})
    experiments.run(grid, tmp_path)
    rows = experiments.figure3(grid, tmp_path)
    assert (tmp_path / "run-sweep.json").exists() and len(list((tmp_path / "cells").glob("*.npz"))) == 4
    assert [(r["pruner"], r["sparsity"], r["amount"]) for r in rows] == [
        ("topk", 0.0, 1.0), ("topk", 0.5, 0.5), ("tril-damp", 0.0, 0.0), ("tril-damp", 0.5, 0.5)]
    assert rows[0]["mean"] == 0.0 and rows[3]["mean"] > 0
    with open(tmp_path / "figure3.csv") as f:
        assert len(list(csv.DictReader(f))) == 4
    figure2 = experiments.load("figure2", {"hidden": [1], "iterations": [2], "tasks": ["xor"], "trials": 2})
    experiments.run(figure2, tmp_path / "f2")
    assert experiments.show(figure2, tmp_path / "f2").startswith("figure2: wrote")
    for name in ("f2/figure2.png", "figure3.png"):
        assert (tmp_path / name).read_bytes()[:4] == b"\x89PNG"


@pytest.mark.parametrize("argv, message", [
    (["table1", "--trials", "0"], "positive integer"),
    (["table1", "--seed", "x"], "non-negative integer"),
    (["figure2"], "--out"),
    (["figure2", "--out", "OUT", "--hidden", "-3"], "non-negative integer"),
    (["figure3", "--out", "FILE"], "directory"),
    (["table1", "--legacy", "--shared-mask"], "--shared-mask"),
    (["table1", "--scheduler", "tcp://x:1"], "--backend dask"),
    (["table1", "--jobs", "2"], "unrecognized"),
    (["report", "OUT"], "no run-*.json"),
    (["table1", "--json", "/nonexistent-dir/t.json"], "cannot write"),
    (["tabel1"], "invalid choice"),
    (["matrices", "--trials", "2", "--trial", "2", "--out", "OUT"], "trial must be"),
])
def test_cli_bad_input_is_one_line_and_exit_2(argv, message, tmp_path, capsys):
    (tmp_path / "FILE").write_text("")
    argv = [str(tmp_path / a) if a in ("OUT", "FILE") else a for a in argv]
    with pytest.raises(SystemExit) as exc:
        main(argv)
    assert exc.value.code == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and message in err and "Traceback" not in err


def test_results_do_not_depend_on_the_number_of_workers(tmp_path):
    from cpl.sweep import load_evidence
    grid = parse_sweep({"grid": {"tasks": ["none"], "trials": 3, "seed": 1},
                        "pruners": {p: [0.5] for p in ("random", "topk", "dynamic-topk")}})
    for workers in (1, 2):
        experiments.run(grid, tmp_path / str(workers), workers=workers)
    one, two = experiments.results(grid, tmp_path / "1"), experiments.results(grid, tmp_path / "2")
    for config in grid.cells:
        np.testing.assert_array_equal(load_evidence(tmp_path / "1", config)["final"],
                                      load_evidence(tmp_path / "2", config)["final"])
        np.testing.assert_array_equal(one[config]["delta"], two[config]["delta"])


def test_cli_figure3_small(tmp_path, capsys):
    assert main(["figure3", "--out", str(tmp_path), "--tasks", "none", "--trials", "2", "--workers", "2", "--quiet"]) == 0
    assert "figure3.png" in capsys.readouterr().out
    with open(tmp_path / "figure3.csv") as f:
        assert len(list(csv.DictReader(f))) == 5 * 10


def test_json_layout_keys():
    summary = published_table().summary()
    assert list(summary) == ["normal", "uniform", "zeros", "none", "random", "topk", "dynamic-topk",
                             "tril-damp", "dynamic-tril-damp"]
    assert all(list(cols) == ["untrained", "xor", "sine"] for cols in summary.values())
    assert set(json.loads(json.dumps(summary))["topk"]["xor"]) == {"mean", "std", "n", "final_loss"}


def test_experiment_files_run_on_the_sweep_engine(tmp_path, capsys):
    files = sorted(experiments.EXPERIMENTS_DIR.glob("*.toml"))
    reports = set()
    for path in files:
        grid = load_sweep(path)
        experiments.check(grid)
        assert grid.cells, path
        reports.add(grid.report.get("kind"))
    assert {"table1", "figure2", "figure3", "matrices"} <= reports
    small = tmp_path / "f3.toml"
    small.write_text('[report]\nkind = "figure3"\n[grid]\ntasks = ["none"]\ntrials = 2\n[pruners]\ntopk = [0.5]\n')
    assert main(["sweep", str(small), "--out", str(tmp_path / "o"), "--workers", "1", "--quiet"]) == 0
    assert "figure3.png" in capsys.readouterr().out and (tmp_path / "o" / "run-f3.json").exists()
    for text, message in (('[report]\nkind = "figure4"\n', "unknown [report] kind 'figure4'"),
                          ('[report]\nkind = "figure3"\nlevel = 1\n', "unknown key(s) ['level']"),
                          ('[report]\nkind = "table1"\n', "Table 1 needs one cell of task 'none'")):
        small.write_text(text + '[grid]\ntasks = ["xor"]\ntrials = 2\n')
        with pytest.raises(SystemExit) as exc:
            main(["sweep", str(small), "--out", str(tmp_path / "o"), "--quiet"])
        assert exc.value.code == 2 and message in capsys.readouterr().err
