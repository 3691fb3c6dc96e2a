"""Smoke test of ``python -m bench --quick``: every suite runs, agrees with its peers, writes its files.

The suites check their own results (peers against ours, LOLIB against the published optima) and stop
with an error on a disagreement; this test reads what they print and write. It asserts no timing.
"""
import csv
import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
LOLIB = ROOT.parent / "shared" / "data" / "lolib"
FILES = ("dp-score", "dp", "exact", "lolib", "heuristics-xlolib", "heuristics", "bounds", "cpl", "connectomes",
         "sparse-fas", "scale")
CONNECTOMES = ROOT.parent / "shared" / "data" / "connectomes"

pytest.importorskip("torch")
pytest.importorskip("matplotlib")


@pytest.fixture(scope="module")
def quick_run(tmp_path_factory):
    if not (LOLIB / "IO").is_dir() or not (LOLIB / "xLOLIB").is_dir() or not CONNECTOMES.is_dir():
        pytest.skip(f"no LOLIB data at {LOLIB} or no connectomes at {CONNECTOMES}")
    out = tmp_path_factory.mktemp("bench")
    proc = subprocess.run([sys.executable, "-m", "bench", "--quick", "--out", str(out)], cwd=ROOT,
                          capture_output=True, text=True, timeout=1800)
    return proc, out


def test_quick_run_succeeds(quick_run):
    proc, _ = quick_run
    assert proc.returncode == 0, proc.stderr[-3000:]
    assert "all proven and equal to optima.json: yes" in proc.stdout
    assert "same table both ways" in proc.stdout
    for suite in ("dp", "exact", "lolib", "heuristics", "bounds", "cpl", "connectomes", "sparse-fas", "scale"):
        assert f"({suite}: " in proc.stdout
    assert "proven equal to the published minimum within 60 s: 2 of 2" in proc.stdout


@pytest.mark.parametrize("name", FILES)
def test_quick_run_writes_files(quick_run, name):
    _, out = quick_run
    for ext in ("csv", "json", "png"):
        assert (out / f"{name}.{ext}").stat().st_size > 0
    records = json.loads((out / f"{name}.json").read_text())
    with open(out / f"{name}.csv", newline="") as fh:
        rows = list(csv.DictReader(fh))
    assert len(rows) == len(records) > 0
    assert (out / f"{name}.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_bounds_rows_are_never_wider_than_the_pairwise_bound(quick_run):
    _, out = quick_run
    rows = json.loads((out / "bounds.json").read_text())
    assert {r["n"] for r in rows} == {60, 100}
    assert all(0 <= r["ours"] <= r["pairwise"] and r["plain LP"] <= r["pairwise"] for r in rows)


def test_lolib_records_match_optima(quick_run):
    _, out = quick_run
    optima = json.loads((LOLIB / "IO" / "optima.json").read_text())
    ours = [r for r in json.loads((out / "lolib.json").read_text()) if r["method"] == "ours (mip)"]
    assert len(ours) == len(optima) == 49
    assert all(r["proven"] and r["value"] == optima[r["instance"]] for r in ours)


def test_exact_records_agree(quick_run):
    _, out = quick_run
    by_case: dict = {}
    for r in json.loads((out / "exact.json").read_text()):
        if r["backflow"] is not None:
            by_case.setdefault((r["family"], r["n"]), []).append(r["backflow"])
    assert by_case
    for values in by_case.values():
        assert max(values) - min(values) <= 1e-6 * max(1.0, abs(values[0]))


def test_lolib_disagreement_stops_the_run(tmp_path, capsys):
    if not (LOLIB / "IO").is_dir():
        pytest.skip(f"no LOLIB data at {LOLIB}")
    from bench import mip

    name = "be75eec"
    (tmp_path / f"{name}.mat").write_bytes((LOLIB / "IO" / f"{name}.mat").read_bytes())
    optimum = json.loads((LOLIB / "IO" / "optima.json").read_text())[name]
    (tmp_path / "optima.json").write_text(json.dumps({name: optimum + 1}))
    with pytest.raises(SystemExit, match="1 results disagree") as stop:
        mip.main(["--no-random", "--no-igraph", "--lolib", str(tmp_path)])
    assert name in str(stop.value)
    assert " NO" in capsys.readouterr().out


def test_suite_options_pass_through_to_one_suite(tmp_path):
    """``python -m bench SUITE --its-options`` reaches the suite; with two suites it is refused."""
    ok = subprocess.run([sys.executable, "-m", "bench", "scale", "--sizes", "300", "--no-igraph", "--out",
                         str(tmp_path)], cwd=ROOT, capture_output=True, text=True, timeout=600)
    assert ok.returncode == 0, ok.stderr[-2000:]
    rows = list(csv.DictReader(open(tmp_path / "scale.csv")))
    assert [int(r["nodes"]) for r in rows] == [300]
    bad = subprocess.run([sys.executable, "-m", "bench", "dp", "scale", "--sizes", "300"], cwd=ROOT,
                         capture_output=True, text=True, timeout=600)
    assert bad.returncode == 2 and "exactly one suite" in bad.stderr
