"""The sparse exact solver (``method="fas"``): arc variables and lazily added cycle inequalities."""
import itertools
from pathlib import Path

import numpy as np
import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

import orderedness as od
from orderedness import auto
from orderedness.solvers.exact import cycles
from orderedness.solvers.heuristics import memetic
from reference import brute_min_backflow, reference_dp

from bench.sparse_fas import PUBLISHED, de_bruijn, imase_itoh

CONNECTOMES = Path(__file__).resolve().parents[1] / ".." / "shared" / "data" / "connectomes"


def sparse_matrix(rng, n: int, kind: str, density: float = 0.25) -> np.ndarray:
    """Sparse test matrices: real, integer with ties, signed, and huge/tiny scales."""
    mask = rng.random((n, n)) < density
    if kind == "real":
        A = np.abs(rng.standard_normal((n, n)))
    elif kind == "ties":
        A = rng.integers(1, 3, (n, n)).astype(float)
    elif kind == "signed":
        A = rng.integers(-4, 5, (n, n)).astype(float)
    elif kind == "huge":
        A = np.abs(rng.standard_normal((n, n))) * 1e150
    else:
        A = np.abs(rng.standard_normal((n, n))) * 1e-150
    A = A * mask
    np.fill_diagonal(A, 0.0)
    return A


def close(a: float, b: float, scale: float) -> bool:
    return abs(a - b) <= 1e-6 * max(scale, 1e-300)


@pytest.mark.parametrize("kind", ["real", "ties", "signed", "huge", "tiny"])
def test_fas_equals_the_dp_on_small_sparse_matrices(kind):
    rng = np.random.default_rng(["real", "ties", "signed", "huge", "tiny"].index(kind))
    for _ in range(12):
        n = int(rng.integers(3, 13))
        A = sparse_matrix(rng, n, kind, density=float(rng.uniform(0.15, 0.5)))
        best = reference_dp(A)
        r = cycles.solve(A)
        total = float(np.abs(A).sum())
        assert r.optimal
        assert close(r.backflow, best, total)
        assert close(od.backflow(A, r.order), r.backflow, total)
        assert r.lower_bound <= best + 1e-9 * total


def test_fas_bounds_hold_under_tiny_time_limits():
    rng = np.random.default_rng(7)
    for k in range(16):
        n = int(rng.integers(12, 17))
        A = sparse_matrix(rng, n, ("real", "ties", "signed")[k % 3], density=0.3)
        best = reference_dp(A)
        r = cycles.solve(A, time_limit=float(rng.choice([1e-4, 0.01, 0.05])))
        total = float(np.abs(A).sum())
        assert r.lower_bound <= best + 1e-9 * total <= r.backflow + 2e-9 * total
        assert sorted(r.order.tolist()) == list(range(n))
        if r.optimal:
            assert close(r.backflow, best, total)


def test_fas_agrees_with_brute_force_on_tied_unweighted_graphs():
    rng = np.random.default_rng(3)
    for _ in range(8):
        A = (rng.random((7, 7)) < 0.4).astype(float)
        np.fill_diagonal(A, 0.0)
        r = od.min_backflow(A, method="fas")
        assert r.optimal and r.backflow == brute_min_backflow(A) == r.lower_bound


def test_fas_agrees_with_the_dense_branch_and_cut():
    rng = np.random.default_rng(11)
    for _ in range(3):
        A = sparse_matrix(rng, 30, "ties", density=0.12)
        f = od.min_backflow(A, method="fas")
        m = od.min_backflow(A, method="mip")
        assert f.optimal and m.optimal and f.backflow == m.backflow


def test_fas_is_relabelling_invariant():
    rng = np.random.default_rng(5)
    A = sparse_matrix(rng, 24, "ties", density=0.15)
    p = rng.permutation(24)
    assert od.min_backflow(A, method="fas").backflow == od.min_backflow(A[np.ix_(p, p)], method="fas").backflow


def test_auto_takes_fas_for_sparse_components_and_says_why():
    rng = np.random.default_rng(2)
    A = sparse_matrix(rng, 60, "ties", density=0.06)
    r = od.min_backflow(A)
    big = max(r.stats["solved"], key=lambda p: p["size"])
    assert big["size"] > auto.DP_UP_TO and big["method"] == "fas"
    assert "density" in big["why"] and r.optimal
    dense = np.abs(rng.standard_normal((30, 30)))
    assert auto.choose(30, arcs=30 * 29 // 2)[0] == "mip"
    assert auto.choose(30, arcs=40)[0] == "fas"
    assert od.min_backflow(dense, time_limit=5).method != "fas"


def test_unknown_options_are_refused():
    A = np.array([[0.0, 1.0], [2.0, 0.0]])
    with pytest.raises(od.InputError, match="verbos"):
        od.min_backflow(A, verbos=True)
    with pytest.raises(od.InputError, match="population"):
        od.min_backflow(A, method="greedy", population=3)
    with pytest.raises(od.InputError):
        cycles.solve(A, population=3)


def test_generators_match_the_published_graphs():
    # arc counts of the published edge lists (self-loops removed), and the graphs are the same
    # construction: every node has out-degree d before loops are dropped
    assert int(de_bruijn(100, 3).sum()) == 296 and int(imase_itoh(110, 5).sum()) == 546
    assert int(de_bruijn(120, 6).sum()) == 710 and int(imase_itoh(100, 7).sum()) == 696
    A = de_bruijn(110, 4)
    assert set(np.flatnonzero(A[7])) == {(4 * 7 + r) % 110 for r in range(4)}


@pytest.mark.parametrize("graph, n, d", [(imase_itoh, 100, 3), (de_bruijn, 100, 4)])
def test_fas_proves_published_minimum_feedback_arc_sets(graph, n, d):
    r = od.min_backflow(graph(n, d))
    assert r.optimal
    assert r.backflow == r.lower_bound == PUBLISHED[(graph.__name__, n, d)]


@pytest.mark.skipif(not CONNECTOMES.is_dir(), reason="shared connectome data not present")
def test_fas_proves_a_connectome_and_its_bound_is_below_every_order():
    z = np.load(CONNECTOMES / "witvliet2021_stage4.npz")
    W = z["W"]
    r = od.min_backflow(W)
    assert r.optimal and r.lower_bound == r.backflow
    heuristic = od.min_backflow(W, method="heuristic", time_limit=1)
    assert r.backflow <= heuristic.backflow
    assert heuristic.lower_bound <= r.backflow


def test_a_longer_search_runs_when_the_lp_leaves_a_gap_and_a_stop_in_it_is_honoured(monkeypatch):
    A = imase_itoh(22, 4)                     # its cycle LP bound is below its minimum, 24
    best = reference_dp(A)
    r = cycles.solve(A, time_limit=5)
    assert "search_backflow" in r.stats and r.stats["search_backflow"] >= r.backflow
    assert r.optimal and r.backflow == r.lower_bound == best

    real, calls = cycles.memetic.solve, []

    def stopped_second_time(*args, **kwargs):
        out = real(*args, **kwargs)
        calls.append(out)
        if len(calls) == 2:
            out.stats["stopped"] = od.progress.STOPPED_BY_USER
        return out

    monkeypatch.setattr(cycles.memetic, "solve", stopped_second_time)
    r = cycles.solve(A, time_limit=5)
    assert len(calls) == 2 and r.stats["stopped"] == od.progress.STOPPED_BY_USER
    assert not r.optimal and r.lower_bound <= best <= r.backflow == od.backflow(A, r.order)
    assert sorted(r.order.tolist()) == list(range(22))


def _least_cover(w: np.ndarray, rows: list) -> float:
    """Brute force: the least weight of a 0/1 vector covering every row."""
    best = np.inf
    for y in itertools.product((0, 1), repeat=len(w)):
        y = np.array(y)
        if all(y[r].sum() >= 1 for r in rows):
            best = min(best, float(w @ y))
    return best


@settings(max_examples=60, deadline=None)
@given(st.integers(0, 2**32 - 1))
def test_the_integer_programme_finds_the_least_cover_under_a_cutoff_and_proves_none_below_it(seed):
    # the set-cover programme with presolve and HiGHS's objective cutoff: at or above the least cover
    # (brute force) its checked answer is that cover and its bound equals it; half below, it proves
    # there is none (random rows: singletons and dominated columns let presolve fix and drop columns)
    rng = np.random.default_rng(seed)
    m = int(rng.integers(3, 11))
    w = rng.integers(1, 4, m).astype(float)
    rows = [np.unique(rng.choice(m, int(rng.integers(1, 4)))) for _ in range(int(rng.integers(1, 9)))]
    least = _least_cover(w, rows)
    master = cycles._Master(w, integral=True)
    master.add(rows)
    status, y, bound = master.ilp(10.0, least + float(rng.integers(0, 3)) + 0.5)
    assert status == "optimal" and y is not None and w @ y == least == bound
    assert all(y[r].sum() >= 1 for r in rows)
    status, y, bound = master.ilp(10.0, least - 0.5)
    assert status == "none" and y is None and bound >= least
    assert master.failed_checks == 0


@settings(max_examples=40, deadline=None)
@given(st.integers(0, 2**32 - 1), st.sampled_from(["ties", "signed"]))
def test_integer_rounds_alone_prove_the_dp_optimum_from_a_poor_incumbent(seed, kind):
    # no LP rounds and the identity order as every heuristic's answer: the proof and the order come
    # from the integer rounds (cutoff row, repair), and the bound stays below the DP optimum
    rng = np.random.default_rng(seed)
    n = int(rng.integers(4, 12))
    A = sparse_matrix(rng, n, kind, density=float(rng.uniform(0.2, 0.5)))
    best = reference_dp(A)
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(cycles, "LP_ROUNDS", 0)
        mp.setattr(cycles, "_heuristic", lambda N, *args: np.arange(N.shape[0]))
        r = cycles.solve(A)
    assert r.optimal and r.backflow == best == r.lower_bound
    assert od.backflow(A, r.order) == r.backflow


def test_the_search_stops_when_it_meets_a_known_bound():
    A = imase_itoh(22, 4)
    best = reference_dp(A)
    r = memetic.solve(A, time_limit=60, seed=1, bound="pairwise", generations=10**6, known_bound=best)
    assert r.backflow == best and r.optimal
    assert r.stats["generations"] < 10**6


@settings(max_examples=30, deadline=None)
@given(st.integers(0, 2**32 - 1), st.sampled_from(["ties", "signed", "real"]))
@example(291, "real")       # scaled weights summing to less than 1: the margin once outgrew the proof's tolerance
def test_integer_rounds_cut_short_then_a_longer_search_and_integer_rounds_again_prove_the_dp_optimum(seed, kind):
    # the first integer rounds get no time: the longer search runs (from poor earlier incumbents),
    # then the integer rounds prove the DP optimum, and the bound never passes it
    rng = np.random.default_rng(seed)
    n = int(rng.integers(4, 12))
    A = sparse_matrix(rng, n, kind, density=float(rng.uniform(0.2, 0.5)))
    best = reference_dp(A)
    calls = []

    def heuristic(N, *args):
        calls.append(args)
        return cycles.memetic.solve(N, generations=5, seed=0).order if len(calls) == 3 else np.arange(N.shape[0])

    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(cycles, "LP_ROUNDS", 0)
        mp.setattr(cycles, "ILP_SLICE_SECONDS", 0.0)
        mp.setattr(cycles, "_heuristic", heuristic)
        r = cycles.solve(A)
    total = float(np.abs(A).sum())
    assert r.lower_bound <= best + 1e-9 * total
    assert len(calls) in (0, 1, 3)         # none without arcs, one when the identity is optimal
    if len(calls) == 3:
        assert calls[2][2] == cycles.LONG_SEARCH_GENERATIONS and "long_search_backflow" in r.stats
    assert r.optimal and close(r.backflow, best, total) and close(od.backflow(A, r.order), r.backflow, total)


def test_with_a_time_limit_the_longer_search_takes_the_reserve_and_the_integer_rounds_then_prove(monkeypatch):
    A = imase_itoh(16, 3)
    monkeypatch.setattr(cycles, "LP_ROUNDS", 0)                # no LP bound: the searches cannot prove
    monkeypatch.setattr(cycles, "LONG_SEARCH_SHARE", 1.0)      # the whole limit reserved: no first integer rounds
    monkeypatch.setattr(cycles, "LONG_SEARCH_GENERATIONS", 50)
    r = cycles.solve(A, time_limit=10)
    assert "long_search_backflow" in r.stats and r.stats["long_search_backflow"] >= r.backflow
    assert r.stats["ilp_rounds"] >= 1 and r.optimal and r.backflow == r.lower_bound == reference_dp(A)


def test_without_a_time_limit_every_search_is_ended_by_its_generations(monkeypatch):
    # no clock caps without a limit: each memetic search gets time_limit=None and its generation count
    A = imase_itoh(22, 4)                     # its cycle LP bound is below its minimum: two searches
    real, calls = cycles.memetic.solve, []

    def recorded(*args, **kwargs):
        calls.append((kwargs["time_limit"], kwargs["generations"]))
        return real(*args, **kwargs)

    monkeypatch.setattr(cycles.memetic, "solve", recorded)
    r = cycles.solve(A)
    assert len(calls) >= 2 and all(limit is None for limit, _ in calls)
    assert [g for _, g in calls[:2]] == [cycles.HEURISTIC_GENERATIONS, cycles.SEARCH_GENERATIONS]
    assert r.optimal and r.backflow == reference_dp(A)
