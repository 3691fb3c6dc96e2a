"""Table 1 bookkeeping, figures and the command line."""
import csv
import json
import math

import numpy as np
import pytest

pytest.importorskip("torch")

from cpl import experiments  # noqa: E402
from cpl.__main__ import main  # noqa: E402


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
    cells = experiments._table1_cells(10, 0, False)
    assert len(cells) == 27
    config, what = cells["uniform", "untrained"]
    assert (config.task, config.weights_init, what) == ("none", "uniform", "start")
    config, what = cells["zeros", "sine"]
    assert (config.task, config.values_init, config.pruner, what) == ("sine", "zeros", "none", "delta")
    config, what = cells["tril-damp", "untrained"]
    assert (config.task, config.pruner, config.amount, what) == ("none", "tril-damp", 0.8, "delta")
    assert cells["none", "xor"] == cells["normal", "xor"]                       # one run, two rows
    assert len({config for config, _ in cells.values()}) == 24                  # 22 + two untrained inits


def test_figures_write_png_and_csv(tmp_path):
    rows = experiments.figure3(tmp_path, levels=(0.0, 0.5), tasks=("none",), pruners=("topk", "tril-damp"),
                               trials=2)
    assert (tmp_path / "run-figure3.json").exists() and len(list((tmp_path / "cells").glob("*.npz"))) == 4
    assert [(r["pruner"], r["sparsity"], r["amount"]) for r in rows] == [
        ("topk", 0.0, 1.0), ("topk", 0.5, 0.5), ("tril-damp", 0.0, 0.0), ("tril-damp", 0.5, 0.5)]
    assert rows[0]["mean"] == 0.0 and rows[3]["mean"] > 0
    with open(tmp_path / "figure3.csv") as f:
        assert len(list(csv.DictReader(f))) == 4
    experiments.figure2(tmp_path / "f2", hidden=(1,), iterations=(2,), tasks=("xor",), trials=2)
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
    configs = [experiments.TrainConfig(task="none", pruner=p, amount=0.5, trials=3, seed=1)
               for p in ("random", "topk", "dynamic-topk")]
    one, two = experiments.run(configs, tmp_path / "one", workers=1), experiments.run(configs, tmp_path / "two", workers=2)
    for config in configs:
        np.testing.assert_array_equal(load_evidence(tmp_path / "one", config)["final"],
                                      load_evidence(tmp_path / "two", config)["final"])
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
    from pathlib import Path

    from cpl.sweep import parse_sweep, read_toml
    for path in sorted(Path(__file__).parents[1].joinpath("experiments").glob("*.toml")):
        data = read_toml(path)
        if "experiment" in data:
            assert set(data) - {"experiment"} <= experiments.EXPERIMENTS[data["experiment"]], path
        else:
            assert parse_sweep(data).cells, path
    small = tmp_path / "f3.toml"
    small.write_text('experiment = "figure3"\nlevels = [0.5]\ntasks = ["none"]\npruners = ["topk"]\ntrials = 2\n')
    assert main(["sweep", str(small), "--out", str(tmp_path / "o"), "--workers", "1", "--quiet"]) == 0
    assert "figure3.png" in capsys.readouterr().out and (tmp_path / "o" / "run-figure3.json").exists()
    small.write_text('experiment = "figure3"\nlevel = [0.5]\n')
    with pytest.raises(SystemExit) as exc:
        main(["sweep", str(small), "--out", str(tmp_path / "o"), "--quiet"])
    assert exc.value.code == 2 and "unknown key(s) ['level']" in capsys.readouterr().err
