"""The command line: every format round-trips to the same score; every bad input exits 2 with one line."""
import json
import subprocess
import sys
import time

import numpy as np
import pytest

import orderedness as od
from orderedness import cli
from orderedness.cli import main

W = np.random.default_rng(4).standard_normal((7, 9))       # 1 output, 6 hidden, 2 inputs
EXPECTED = od.score(W, outputs=1, inputs=2).value


def run(capsys, *argv):
    code = main([str(a) for a in argv])
    out, err = capsys.readouterr()
    return code, out, err


def score_json(capsys, *argv):
    code, out, err = run(capsys, "score", *argv, "--json", "--quiet")
    assert code == 0, err
    return json.loads(out)


def write_text(path, rows, sep):
    path.write_text("\n".join(sep.join(repr(float(x)) for x in row) for row in rows) + "\n")


@pytest.mark.parametrize("fmt", ["npy", "npz", "csv", "semicolon", "whitespace", "tsv", "pt", "state"])
def test_formats_round_trip(tmp_path, capsys, fmt):
    if fmt == "npy":
        f = tmp_path / "w.npy"
        np.save(f, W)
    elif fmt == "npz":
        f = tmp_path / "w.npz"
        np.savez(f, weights=W)
    elif fmt in ("csv", "semicolon", "whitespace", "tsv"):
        f = tmp_path / ("w.tsv" if fmt == "tsv" else "w.csv" if fmt != "whitespace" else "w.txt")
        write_text(f, W, {"csv": ",", "semicolon": ";", "whitespace": " ", "tsv": "\t"}[fmt])
    else:
        torch = pytest.importorskip("torch")
        f = tmp_path / "w.pt"
        torch.save(torch.tensor(W) if fmt == "pt" else {"layer.W": torch.tensor(W),
                                                         "layer.v": torch.zeros(7)}, f)
    d = score_json(capsys, f, "--outputs", 1)
    assert d["value"] == pytest.approx(EXPECTED, rel=1e-12)
    assert d["stats"]["inputs"] == 2                       # inferred from the shape


def test_lolib_formats_round_trip(tmp_path, capsys):
    A = np.random.default_rng(0).integers(0, 50, (8, 8))
    body = "\n".join(" ".join(map(str, r)) for r in A)
    (tmp_path / "a.mat").write_text(f" SOME TITLE\n8\n{body}\n SOME TITLE\n")
    (tmp_path / "a_150").write_text(f"8\n{body}\n")
    expected = od.score(A).value
    for name in ("a.mat", "a_150"):
        assert score_json(capsys, tmp_path / name)["value"] == pytest.approx(expected)


def test_human_output(tmp_path, capsys):
    f = tmp_path / "w.npy"
    np.save(f, W)
    code, out, err = run(capsys, "score", f, "--outputs", 1, "--quiet")
    assert code == 0 and f"{EXPECTED:.6f}" in out and "proven optimal" in out and "dp" in out


def test_npz_key_and_state_dict_key(tmp_path, capsys):
    f = tmp_path / "two.npz"
    np.savez(f, a=W, b=W.T)
    assert score_json(capsys, f, "--key", "a", "--outputs", 1)["value"] == pytest.approx(EXPECTED)
    code, _, err = run(capsys, "score", f)
    assert code == 2 and "--key" in err


def bad_inputs(tmp_path):
    """(name, argv) pairs of inputs that must be refused."""
    cases = {}

    def make(name, writer):
        path = tmp_path / name
        writer(path)
        return path

    cases["missing"] = ["score", tmp_path / "nope.npy"]
    cases["directory"] = ["score", tmp_path]
    cases["empty"] = ["score", make("empty.npy", lambda p: p.write_bytes(b""))]
    cases["corrupt npy"] = ["score", make("bad.npy", lambda p: p.write_bytes(b"\x93NUMPY garbage"))]
    cases["corrupt npz"] = ["score", make("bad.npz", lambda p: p.write_bytes(b"PK not a zip"))]
    cases["non-numeric csv"] = ["score", make("bad.csv", lambda p: p.write_text("a,b\n1,2\n"))]
    cases["ragged csv"] = ["score", make("ragged.csv", lambda p: p.write_text("1,2\n3\n"))]
    cases["blank csv"] = ["score", make("blank.csv", lambda p: p.write_text("\n\n"))]
    cases["1-D"] = ["score", make("v.npy", lambda p: np.save(p, np.ones(4)))]
    cases["3-D"] = ["score", make("t.npy", lambda p: np.save(p, np.ones((2, 2, 2))))]
    cases["object"] = ["score", make("o.npy", lambda p: np.save(p, np.array([{}, 1], dtype=object)))]
    cases["string"] = ["score", make("s.npy", lambda p: np.save(p, np.array([["a", "b"], ["c", "d"]])))]
    cases["complex"] = ["score", make("c.npy", lambda p: np.save(p, np.ones((2, 2)) * 1j))]
    cases["nan"] = ["score", make("n.npy", lambda p: np.save(p, np.array([[0, np.nan], [1, 0]])))]
    cases["inf"] = ["score", make("i.csv", lambda p: p.write_text("0,inf\n1,0\n"))]
    cases["zero-size"] = ["score", make("z.npy", lambda p: np.save(p, np.ones((0, 3))))]
    sq = make("sq.npy", lambda p: np.save(p, np.ones((4, 4))))
    cases["inputs disagree"] = ["score", sq, "--inputs", 2]
    cases["too many outputs"] = ["score", sq, "--outputs", 5]
    cases["negative outputs"] = ["score", sq, "--outputs", -1]
    cases["non-integer inputs"] = ["score", sq, "--inputs", 1.5]
    cases["negative time"] = ["score", sq, "--time-limit", -1]
    cases["bad seed"] = ["score", sq, "--seed", -3]
    cases["unknown method"] = ["score", sq, "--method", "magic"]
    cases["unknown denominator"] = ["score", sq, "--denominator", "half"]
    big = make("big.npy", lambda p: np.save(p, np.random.default_rng(0).uniform(size=(40, 40))))
    cases["too large for dp"] = ["score", big, "--method", "dp"]
    cases["too large for brute"] = ["score", big, "--method", "brute"]
    cases["unknown extension"] = ["score", make("w.xyz", lambda p: p.write_text("1"))]
    cases["binary mat"] = ["score", make("m.mat", lambda p: p.write_bytes(b"MATLAB 5.0 MAT-file\x00\x01"))]
    cases["short lolib"] = ["score", make("s.mat", lambda p: p.write_text("title\n3\n1 2 3\n"))]
    cases["no command"] = []
    cases["unknown option"] = ["score", sq, "--frobnicate"]
    return cases


def test_every_bad_input_exits_2_with_one_line(tmp_path, capsys):
    for name, argv in bad_inputs(tmp_path).items():
        code, out, err = run(capsys, *argv)
        assert code == 2, name
        assert out == "", name
        assert len(err.strip().splitlines()) == 1 and err.startswith("error: "), (name, err)


class Evil:
    """An arbitrary object: loading it would need unpickling code."""


def test_corrupt_torch_file_and_pickles_are_refused(tmp_path, capsys):
    torch = pytest.importorskip("torch")
    (tmp_path / "bad.pt").write_bytes(b"not a torch file")
    code, _, err = run(capsys, "score", tmp_path / "bad.pt")
    assert code == 2 and len(err.splitlines()) == 1
    torch.save({"W": torch.ones(2, 2), "obj": Evil()}, tmp_path / "evil.pt")
    code, _, err = run(capsys, "score", tmp_path / "evil.pt")
    assert code == 2 and "weights_only" in err


def test_module_entry_point_has_no_traceback(tmp_path):
    f = tmp_path / "x.csv"
    f.write_text("1,nan\n0,1\n")
    proc = subprocess.run([sys.executable, "-m", "orderedness", "score", str(f)],
                          capture_output=True, text=True)
    assert proc.returncode == 2
    assert "Traceback" not in proc.stderr and len(proc.stderr.strip().splitlines()) == 1
    np.save(tmp_path / "w.npy", W)
    proc = subprocess.run([sys.executable, "-m", "orderedness", "score", str(tmp_path / "w.npy"),
                           "--outputs", "1", "--json"], capture_output=True, text=True)
    assert proc.returncode == 0 and json.loads(proc.stdout)["value"] == pytest.approx(EXPECTED)


def test_closed_stdout_stops_quietly(tmp_path):
    np.save(tmp_path / "w.npy", W)
    proc = subprocess.Popen([sys.executable, "-m", "orderedness", "compare", str(tmp_path / "w.npy"),
                             "--outputs", "1", "--methods", "dp", "greedy"],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    proc.stdout.close()                      # the reader goes away before anything is printed
    err = proc.stderr.read()
    assert proc.wait() == 141 and err == ""


def test_time_limit_on_the_command_line(tmp_path, capsys):
    np.save(tmp_path / "w.npy", np.abs(np.random.default_rng(0).standard_normal((25, 25))))
    d = score_json(capsys, tmp_path / "w.npy", "--time-limit", 0.01)
    assert not d["optimal"] and d["lower"] <= d["upper"]


def test_time_limit_counts_the_loading(tmp_path, monkeypatch):
    np.save(tmp_path / "w.npy", np.ones((5, 5)))
    real_load, seen = cli.load_network, {}

    def slow_load(*a):
        time.sleep(0.3)
        return real_load(*a)

    def fake_score(W, **kw):
        seen["time_limit"] = kw["time_limit"]
        raise od.InputError("stop here")

    monkeypatch.setattr(cli, "load_network", slow_load)
    monkeypatch.setattr(cli, "score", fake_score)
    assert cli.main(["score", str(tmp_path / "w.npy"), "--time-limit", "5"]) == 2
    assert 0 < seen["time_limit"] <= 5 - 0.3
    assert cli.main(["score", str(tmp_path / "w.npy")]) == 2 and seen["time_limit"] is None
    if sys.platform.startswith("linux"):
        assert 0 < cli._process_age() < 3600     # this process started before the test


def test_a_limit_used_up_by_loading_still_answers(tmp_path, capsys, monkeypatch):
    """The loading took the whole --time-limit: the result still comes, with proven bounds (not exit 2)."""
    np.save(tmp_path / "w.npy", np.abs(np.random.default_rng(0).standard_normal((25, 25))))
    real_load = cli.load_network

    def slow_load(*a):
        time.sleep(0.05)
        return real_load(*a)

    monkeypatch.setattr(cli, "load_network", slow_load)
    d = score_json(capsys, tmp_path / "w.npy", "--time-limit", 0.01)
    assert d["lower"] <= d["value"] <= d["upper"]
