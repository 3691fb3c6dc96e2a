"""``time_limit=None`` means no time limit for every method, and the budget is reported (issues 12, 13).

A run without a limit stops at its natural end, which never depends on the clock: frozen or
not, it gives the same answer. The rounding of the one-pass kernels (back-flow, normalisation,
pairwise bound) is checked against the plain numpy formulas they replaced.
"""
from __future__ import annotations

import json

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays
from reference import KINDS, instance, reference_dp, slack

import orderedness as od
from orderedness import auto, relaxation
from orderedness.cli import main
from orderedness.reduce import reduce
from orderedness.solvers.heuristics import memetic, sparse


def frozen(monkeypatch):
    """Stop the clock of every module that reads it during a heuristic run."""
    from orderedness import cycle_bound, lop, metric
    from orderedness.solvers.heuristics import memetic as m, sparse as s
    for module in (m, s, relaxation, cycle_bound, lop, metric):
        monkeypatch.setattr(module, "perf_counter", lambda: 0.0)


def same(a, b):
    return (a.order.tolist() == b.order.tolist() and a.backflow == b.backflow
            and a.lower_bound == b.lower_bound and a.optimal == b.optimal)


@pytest.mark.parametrize("n", [45, 130])
def test_heuristic_without_a_limit_never_reads_a_deadline(n, monkeypatch):
    """The default effort ends the same way with the clock frozen (a deadline would never come)."""
    A = reduce(np.abs(np.random.default_rng(n).standard_normal((n, n)))).normalized
    generations = 20 if n > 100 else None          # the default at n = 130 is 363: keep the test fast
    first = memetic.solve(A, generations=generations)
    assert first.stats["generations"] == (generations or memetic.effort(n)[0]) or first.optimal
    assert first.stats["population"] == memetic.effort(n)[1]
    assert first.stats["bound"]["kind"] == "relaxation" and "finish" not in first.stats
    frozen(monkeypatch)
    second = memetic.solve(A, generations=generations)
    assert same(first, second), (first.stats, second.stats)


def test_default_calls_are_reproducible_and_report_no_limit():
    W = np.abs(np.random.default_rng(7).standard_normal((50, 50)))
    runs = [od.score(W, inputs=0) for _ in range(2)]
    assert runs[0].permutation == runs[1].permutation and runs[0].upper == runs[1].upper
    assert runs[0].time_limit is None and runs[0].stats["time_limit"] is None
    d = runs[0].to_dict()
    assert d["time_limit"] is None and d["seconds"] == runs[0].seconds
    r = od.min_backflow(W)
    assert r.stats["time_limit"] is None and r.stats["solved"][0]["time_limit"] is None
    assert "without a time limit" in r.stats["solved"][0]["why"]


def test_a_time_limit_is_reported_where_it_was_given():
    W = np.abs(np.random.default_rng(8).standard_normal((30, 30)))
    s = od.score(W, inputs=0, time_limit=0.5)
    assert s.time_limit == 0.5 and s.to_dict()["time_limit"] == 0.5 and s.stats["time_limit"] == 0.5
    assert json.loads(json.dumps(s.to_dict()))["time_limit"] == 0.5


def test_sparse_heuristic_without_a_limit_never_reads_a_deadline(monkeypatch):
    rng = np.random.default_rng(3)
    n = 400
    A = np.zeros((n, n))
    rows, cols = rng.integers(0, n, 3000), rng.integers(0, n, 3000)
    A[rows, cols] = rng.random(3000)
    first = sparse.solve(A)
    assert first.stats["local_optimum"] or first.stats["sweeps"] == sparse.SWEEPS
    frozen(monkeypatch)
    assert same(first, sparse.solve(A))


def test_auto_says_the_rule_for_both_budgets():
    assert "without a time limit" in auto.choose(200)[1]
    assert "within 2 s" in auto.choose(200, time_limit=2.0)[1]


def test_cli_prints_the_budget(tmp_path, capsys):
    path = tmp_path / "w.npy"
    np.save(path, np.abs(np.random.default_rng(2).standard_normal((8, 10))))
    assert main(["score", str(path), "--quiet"]) == 0
    assert "(no limit)" in capsys.readouterr().out
    assert main(["score", str(path), "--quiet", "--time-limit", "30"]) == 0
    assert "(limit 30 s)" in capsys.readouterr().out
    assert main(["score", str(path), "--quiet", "--json"]) == 0
    d = json.loads(capsys.readouterr().out)
    assert d["time_limit"] is None and d["seconds"] > 0
    assert main(["compare", str(path), "--json", "--methods", "dp", "greedy", "--time-limit", "5"]) == 0
    rows = json.loads(capsys.readouterr().out)
    assert [r["time_limit"] for r in rows] == [5.0, 5.0]
    assert main(["compare", str(path), "--methods", "greedy"]) == 0
    assert "time limit: none" in capsys.readouterr().out


@pytest.mark.parametrize("kind", KINDS)
def test_bound_without_a_limit_is_below_the_optimum(kind):
    """The fixed effort (packing, Lagrangian, PDLP) without a clock, on small instances of every kind."""
    rng = np.random.default_rng(500 + KINDS.index(kind))
    for t in range(40):
        n = int(rng.integers(3, 10))
        A = instance(rng, n, kind)
        exact = reference_dp(A)
        b, stats = relaxation.bound(A, time_limit=None, upper=exact if t % 2 else None)
        assert od.pairwise_bound(A) - slack(A) <= b <= exact + slack(A), (stats, A.tolist())
        if kind in ("ties", "integer"):
            assert b == np.round(b)


def test_efforts_without_a_limit():
    assert memetic.effort(60) == (memetic.MOST_GENERATIONS, memetic.POPULATION)
    assert memetic.effort(3000) == (2, 2) and memetic.effort(5000) == (1, 2)
    assert relaxation.lagrange_rounds(100) == relaxation.LAGRANGE_ROUNDS
    assert relaxation.lagrange_rounds(250) == 0
    A = np.abs(np.random.default_rng(1).standard_normal((30, 30)))
    assert relaxation.packing_bound(A, time_limit=None, rounds=0)[1]["status"] == "rounds"
    b, stats = relaxation.packing_bound(A, time_limit=None, rounds=2)
    assert stats["rounds"] == 2 and stats["status"] == "rounds"


@settings(max_examples=60, deadline=None)
@given(arrays(np.float64, st.integers(1, 70).map(lambda n: (n, n)),
              elements=st.floats(-1e6, 1e6, allow_nan=False, allow_subnormal=False)),
       st.integers(0, 2**32 - 1))
def test_one_pass_kernels_match_the_numpy_formulas(A, seed):
    n = A.shape[0]
    order = np.random.default_rng(seed).permutation(n)
    scale = np.abs(A).sum() + 1.0
    assert abs(od.backflow(A, order) - np.tril(A[np.ix_(order, order)], -1).sum()) <= 1e-12 * scale
    M = np.minimum(A, A.T)
    assert abs(od.pairwise_bound(A) - np.triu(M, 1).sum()) <= 1e-12 * scale
    red = reduce(A)
    N = A - M
    np.fill_diagonal(N, 0.0)
    assert np.array_equal(red.normalized, N)
    assert abs(red.constant - np.triu(M, 1).sum()) <= 1e-12 * scale
    assert red.arcs == [int((N[np.ix_(c, c)] > 0).sum()) for c in red.components]


def test_reductions_past_the_deadline_keep_one_part_and_the_answer():
    rng = np.random.default_rng(4)
    A = np.abs(rng.standard_normal((12, 12))) * (rng.random((12, 12)) < 0.4)
    red = reduce(A, deadline=0.0)
    assert not red.split and len(red.components) == 1 and red.arcs == [None]
    assert red.stats()["split"] is False
    assert np.array_equal(red.normalized, reduce(A).normalized) and red.constant == reduce(A).constant
    exact = reference_dp(A)
    r = od.min_backflow(A, time_limit=1e-9)                 # the deadline passes in the reductions
    assert r.stats["reductions"]["split"] is False
    assert r.lower_bound - slack(A) <= exact <= r.backflow + slack(A)
    assert r.backflow == pytest.approx(od.backflow(A, r.order), abs=slack(A))
