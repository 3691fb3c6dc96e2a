"""Experiments as data: every run keeps its evidence and provenance and reloads without training."""
import dataclasses
import json

import numpy as np
import pytest

pytest.importorskip("torch")

from reference import brute_min_backflow  # noqa: E402

import cpl.sweep  # noqa: E402
from cpl import experiments  # noqa: E402
from cpl.__main__ import main  # noqa: E402
from cpl.sweep import load_evidence  # noqa: E402


@pytest.fixture(scope="module")
def table_run(tmp_path_factory):
    out = tmp_path_factory.mktemp("table1")
    grid = experiments.load("table1", {"trials": 2})
    return out, experiments.table1(grid, out, experiments.run(grid, out))


def test_report_reloads_table1_without_training(table_run, monkeypatch, capsys):
    out, table = table_run

    def no_training(*args, **kwargs):
        raise AssertionError("report must not train")

    monkeypatch.setattr(cpl.sweep, "train", no_training)
    assert main(["report", str(out)]) == 0
    printed = capsys.readouterr().out
    reloaded = experiments.report(out)
    for row, label in experiments.ROWS.items():
        line = next(line for line in table.format().splitlines() if line.startswith(label))
        assert line in printed and line in reloaded
    record = json.loads((out / "run-table1.json").read_text())
    assert {"version", "git_commit", "torch", "numpy", "machine", "config"} <= set(record)
    assert record["config"]["experiment"] == "table1" and len(record["config"]["cells"]) == 24


def test_evidence_per_trial_is_consistent(table_run):
    out, table = table_run
    config, _ = experiments._table1_cells(experiments.load("table1", {"trials": 2}).cells)["topk", "xor"]
    assert (config.hidden, config.amount, config.trials) == (5, 0.5, 2)
    cell = json.loads(cpl.sweep.cell_path(out, config).read_text())
    evidence = load_evidence(out, config)
    assert evidence["initial"].shape == evidence["final"].shape == (2, 6, 8)
    assert evidence["losses"].shape == (1000, 2)
    np.testing.assert_allclose([r["final_loss"] for r in cell["rows"]], evidence["losses"][-1], rtol=1e-6)
    np.testing.assert_array_equal(cell["orders"]["end_order"], evidence["end_order"])
    for j, row in enumerate(cell["rows"]):
        for weights, order, value in (("initial", "start_order", "start"), ("final", "end_order", "end")):
            W = evidence[weights][j].astype(float)
            Q = np.abs(W[:, :6])
            # the stored order's back-flow is the least one (brute force over all orders of the 5 hidden)
            R = experiments.reordered(W, evidence[order][j])[:, :6]
            least = Q[1:, 0].sum() + brute_min_backflow(Q[1:, 1:])      # the output stays first
            assert np.tril(R, -1).sum() == pytest.approx(least, abs=1e-9)
            assert row[value] == pytest.approx(1 - np.tril(R, -1).sum() / Q.sum(), abs=1e-9)
            assert row[value + "_lower"] == row[value + "_upper"] == row[value]
        assert row["delta"] == pytest.approx(row["end"] - row["start"])
        assert table.values["topk"]["xor"][j] == pytest.approx(row["delta"])


def test_matrices_picture_reuses_the_table1_run(table_run, monkeypatch):
    out, _ = table_run
    monkeypatch.setattr(cpl.sweep, "train", None)        # every configuration must come from the run
    grid = experiments.load("matrices", {"trials": 2})
    grid = dataclasses.replace(grid, report={**grid.report, "trial": 1})
    experiments.run(grid, out)
    path = experiments.matrices(grid, out)
    assert path.read_bytes()[:4] == b"\x89PNG"
    reloaded = experiments.report(out)
    assert "matrices-xor.png" in reloaded and "top-k k=0.5" in reloaded          # both experiments
