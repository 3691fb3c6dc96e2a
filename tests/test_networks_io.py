"""Networks as they are published: edge lists, scipy.sparse archives, .npz with names; round trips and
bad input (exit 2, one line)."""
import json
from pathlib import Path

import numpy as np
import pytest
from scipy.sparse import csr_matrix, load_npz, save_npz

import orderedness as od
from orderedness.cli import main
from orderedness.io import load_network

from bench.scale import planted_hierarchy

CONNECTOMES = Path(__file__).resolve().parents[2] / "shared" / "data" / "connectomes"


def run(capsys, *argv):
    code = main([str(a) for a in argv])
    out, err = capsys.readouterr()
    return code, out, err


def write_edges(path, A, names, sep=",", header=("source", "target", "weight")):
    C = A.tocoo()
    lines = [sep.join(header)] + [sep.join((names[x], names[y], repr(float(w))))
                                  for x, y, w in zip(C.row, C.col, C.data)]
    path.write_text("\n".join(lines) + "\n")


def test_edge_list_round_trip_at_moderate_size(tmp_path, capsys):
    A, _ = planted_hierarchy(1500, seed=2)
    names = [f"cell {k}" for k in range(1500)]               # names with spaces, in a tab-separated file
    write_edges(tmp_path / "arcs.tsv", A, names, sep="\t")
    net = load_network(tmp_path / "arcs.tsv")
    index = [int(s.split()[1]) for s in net.names]
    assert net.notes == []
    assert (net.matrix != A[index][:, index]).nnz == 0
    save_npz(tmp_path / "a.npz", A)
    assert (load_npz(tmp_path / "a.npz") != load_network(tmp_path / "a.npz").matrix).nnz == 0
    code, out, err = run(capsys, "score", tmp_path / "a.npz", "--json", "--quiet", "--time-limit", 5)
    d = json.loads(out)
    assert code == 0 and d["backflow"] == pytest.approx(od.backflow(A, d["permutation"]))
    assert sorted(d["permutation"]) == list(range(1500)) and "names" not in d
    code, out, err = run(capsys, "score", tmp_path / "arcs.tsv", "--json", "--quiet", "--time-limit", 5)
    e = json.loads(out)
    assert e["names"] == [net.names[k] for k in e["permutation"]]
    assert e["total"] == pytest.approx(A.sum())


def test_parallel_arcs_add_up_and_self_loops_are_reported(tmp_path, capsys):
    f = tmp_path / "e.csv"
    f.write_text("weight,target,source,extra\n2,b,a,x\n1,c,b,x\n1,a,c,x\n3,b,a,x\n4,c,c,x\n")
    net = load_network(f)
    assert net.names == ["a", "b", "c"] and net.notes == ["1 self-loop (weight 4) ignored"]
    assert net.matrix.toarray().tolist() == [[0, 5, 0], [0, 0, 1], [1, 0, 0]]
    code, out, err = run(capsys, "score", f)
    assert code == 0 and "self-loop" in err and "back-flow    1 of S = 7" in out
    assert sorted(out.split("\norder")[1].split()) == ["a", "b", "c"]
    f.write_text("source target\nx y\ny x\n")                   # whitespace, unit weights
    assert load_network(f).matrix.toarray().tolist() == [[0, 1], [1, 0]]


def test_npz_with_names_and_a_connectome(tmp_path, capsys):
    np.savez(tmp_path / "n.npz", W=np.array([[0, 0, 5], [3, 0, 0], [0, 0, 0.0]]), names=["x", "y", "z"])
    code, out, err = run(capsys, "score", tmp_path / "n.npz", "--json")
    d = json.loads(out)
    assert d["names"] == ["y", "x", "z"] and d["optimal"]
    path = CONNECTOMES / "witvliet2021_stage1.npz"
    if not path.exists():
        pytest.skip("shared connectome data not present")
    z = np.load(path)
    code, out, err = run(capsys, "score", path, "--json", "--quiet", "--time-limit", 3)
    d = json.loads(out)
    assert d["names"] == [str(z["names"][k]) for k in d["permutation"]]
    sparse = od.score(csr_matrix(z["W"]), time_limit=3)
    assert sparse.backflow >= sparse.total * (1 - sparse.upper) - 1e-9
    assert d["value"] >= d["lower"] and sparse.lower <= d["upper"] + 1e-12


@pytest.mark.parametrize("text, match", [
    ("source,weight\na,1\n", "without target"),
    ("source,target,weight\na,b,heavy\n", "line 2: weight 'heavy' is not a number"),
    ("source,target,weight\na,b,inf\n", "not finite"),
    ("source,target,weight\na,b,nan\n", "not finite"),
    ("source,target\n", "no arcs"),
    ("source,target,weight\na,b\n", "line 2: 2 columns"),
    ("", "empty"),
])
def test_bad_edge_lists_exit_2_with_one_line(tmp_path, capsys, text, match):
    f = tmp_path / "bad.csv"
    f.write_text(text)
    code, out, err = run(capsys, "score", f)
    assert code == 2 and out == "" and err.count("\n") == 1 and "Traceback" not in err
    assert match in err


def test_bad_sparse_archives_exit_2(tmp_path, capsys):
    save_npz(tmp_path / "rect.npz", csr_matrix(np.ones((2, 3))))
    code, out, err = run(capsys, "score", tmp_path / "rect.npz", "--inputs", "0")
    assert code == 2 and "not square" in err and err.count("\n") == 1
    save_npz(tmp_path / "nan.npz", csr_matrix(np.array([[0, np.nan], [1, 0]])))
    code, out, err = run(capsys, "score", tmp_path / "nan.npz")
    assert code == 2 and "NaN" in err
    np.savez(tmp_path / "names.npz", W=np.eye(3), names=["a", "b"])
    code, out, err = run(capsys, "score", tmp_path / "names.npz")
    assert code == 2 and "one name per row" in err
