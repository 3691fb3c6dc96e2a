"""The picture of an order (``plot.py``, ``score --plot``), progress lines, and Ctrl-C on the command line."""
import io
import json
import signal
import subprocess
import sys

import numpy as np
import pytest

import orderedness as od
from orderedness.cli import main
from orderedness.plot import plot_order
from orderedness.progress import STOPPED_BY_USER, Progress

mpimg = pytest.importorskip("matplotlib.image")


def sparse(n: int, density: float, seed: int) -> np.ndarray:
    rng = np.random.default_rng(seed)
    A = rng.integers(1, 10, (n, n)) * (rng.random((n, n)) < density)
    np.fill_diagonal(A, 0)
    return A.astype(float)


def reddish(image: np.ndarray) -> np.ndarray:
    return (image[..., 0] > image[..., 1] + 0.2) & (image[..., 0] > image[..., 2] + 0.2)


@pytest.mark.parametrize("n", [5, 2000])
def test_plot_writes_a_png_of_the_asked_size(tmp_path, n):
    A = sparse(n, min(1.0, 8 / n), n)
    order = od.min_backflow(A, method="greedy").order
    path = tmp_path / "order.png"
    plot_order(A, order, path, inches=4, dpi=50)
    image = mpimg.imread(path)
    assert image.shape[:2] == (200, 200)
    # back-flow red appears exactly when the order has back-flow
    assert reddish(image).any() == (od.backflow(A, order) > 0)


def test_plot_shows_no_red_for_a_feed_forward_matrix(tmp_path):
    A = np.triu(np.ones((6, 6)), 1)
    path = tmp_path / "ff.png"
    plot_order(A, np.arange(6), path, inches=2, dpi=50)
    image = mpimg.imread(path)
    assert not reddish(image).any()
    blue = image[..., 2] > image[..., 0] + 0.2
    assert blue.any()


def test_plot_refuses_a_wrong_order():
    with pytest.raises(od.InputError, match="permutation"):
        plot_order(np.ones((3, 3)), [0, 1, 1])


def test_score_plot_option_writes_the_file(tmp_path, capsys):
    f = tmp_path / "w.npy"
    np.save(f, sparse(30, 0.15, 1))
    out = tmp_path / "w.png"
    code = main(["score", str(f), "--plot", str(out), "--quiet"])
    captured = capsys.readouterr()
    assert code == 0, captured.err
    assert mpimg.imread(out).shape[:2] == (600, 600)
    assert captured.err == ""


@pytest.mark.parametrize("target, problem", [("missing/w.png", "not a writable folder"),
                                             ("w.xyz", "unknown image format")])
def test_score_refuses_an_unwritable_plot_before_solving(tmp_path, capsys, monkeypatch, target, problem):
    f = tmp_path / "w.npy"
    np.save(f, sparse(30, 0.15, 1))
    monkeypatch.setattr("orderedness.cli.score", lambda *a, **k: pytest.fail("solved before refusing"))
    assert main(["score", str(f), "--plot", str(tmp_path / target), "--quiet"]) == 2
    err = capsys.readouterr().err
    assert problem in err and len(err.strip().splitlines()) == 1


def test_progress_lines_report_incumbent_and_bound():
    stream = io.StringIO()
    r = od.min_backflow(sparse(60, 0.08, 3), progress=Progress("auto", every=0.0, stream=stream))
    lines = stream.getvalue().splitlines()
    assert lines and all(line.startswith("[orderedness]") for line in lines)
    assert any("fas" in line and "incumbent" in line and "bound" in line for line in lines)
    assert r.optimal


def test_ctrl_c_prints_the_best_order_with_its_bound_and_exits_130(tmp_path):
    f = tmp_path / "hard.npy"
    np.save(f, sparse(80, 0.2, 1))          # fas does not prove this one for minutes
    p = subprocess.Popen([sys.executable, "-m", "orderedness", "score", str(f), "--json"],
                         stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                         preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL))
    seen = []
    for line in p.stderr:                    # the first progress line: the search is under way
        seen.append(line)
        if "incumbent" in line:
            break
    p.send_signal(signal.SIGINT)
    out, err = p.communicate(timeout=120)
    assert p.returncode == 130, "".join(seen) + err
    result = json.loads(out)
    A = np.load(f)
    assert sorted(result["permutation"]) == list(range(80))
    assert result["stats"]["stopped"] == STOPPED_BY_USER
    assert not result["optimal"] and 0 < result["lower"] == result["value"] < result["upper"] <= 1
    backflow = od.backflow(A, result["permutation"])
    assert result["value"] == pytest.approx(1 - backflow / A.sum())
    assert "interrupted" in err
