"""Exact solvers (brute, dp) against independent references, the reductions, limits."""
import numpy as np
import pytest
from conftest import DISTRIBUTIONS, random_matrix
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays
from reference import brute_min_backflow, lower_sum, reference_dp

import orderedness as od
from orderedness.reduce import reduce
from orderedness.solvers.exact import dp


@pytest.mark.parametrize("kind", DISTRIBUTIONS)
@pytest.mark.parametrize("n", [2, 3, 5, 7, 8])
def test_dp_and_brute_match_reference_brute_force(n, kind):
    rng = np.random.default_rng(n * 100 + len(kind))
    for _ in range(4):
        A = random_matrix(rng, (n, n), kind)
        expected = brute_min_backflow(A)
        for method in ("dp", "brute"):
            r = od.min_backflow(A, method=method)
            assert r.optimal and r.method == method
            assert r.backflow == pytest.approx(expected, rel=1e-9, abs=1e-300)
            assert r.backflow == pytest.approx(lower_sum(A, r.order), rel=1e-12, abs=1e-300)


@pytest.mark.parametrize("n", [9, 10])
def test_dp_matches_brute_at_its_limit(n):
    rng = np.random.default_rng(n)
    A = rng.standard_normal((n, n))
    assert od.min_backflow(A, method="dp").backflow == pytest.approx(
        od.min_backflow(A, method="brute").backflow, rel=1e-12)


@pytest.mark.parametrize("n", [11, 13, 15, 16])
@pytest.mark.parametrize("kind", ["uniform", "sparse", "ties", "signed-int"])
def test_dp_matches_reference_dp(n, kind):
    A = random_matrix(np.random.default_rng(n), (n, n), kind)
    r = od.min_backflow(A, method="dp")
    assert r.backflow == pytest.approx(reference_dp(A), rel=1e-10, abs=1e-9)


@pytest.mark.parametrize("n", [18, 19])
def test_parallel_dp_matches_sequential_dp(n):
    """Above PARALLEL_FROM the DP runs block-parallel; its value must equal the sequential pass."""
    A = np.abs(np.random.default_rng(n).standard_normal((n, n)))
    r = dp.solve(A)
    old = dp.PARALLEL_FROM
    try:
        dp.PARALLEL_FROM = 100
        sequential = dp.solve(A)
    finally:
        dp.PARALLEL_FROM = old
    assert r.backflow == pytest.approx(sequential.backflow, rel=1e-12)
    assert r.backflow == pytest.approx(od.backflow(A, r.order), rel=1e-12)


def test_reductions_change_nothing():
    rng = np.random.default_rng(3)
    for _ in range(30):
        n = int(rng.integers(2, 12))
        A = rng.standard_normal((n, n)) * (rng.uniform(size=(n, n)) < 0.5)
        direct = dp.solve(A)                                  # no reductions
        assert od.min_backflow(A, method="dp").backflow == pytest.approx(direct.backflow, rel=1e-9,
                                                                         abs=1e-12)


def test_reduction_splits_a_dag_into_singletons_in_topological_order():
    U = np.triu(np.ones((6, 6)), 1)
    p = np.random.default_rng(0).permutation(6)
    red = reduce(U[np.ix_(p, p)])
    assert all(len(c) == 1 for c in red.components)
    order = np.concatenate(red.components)
    assert od.backflow(U[np.ix_(p, p)], order) == 0.0


def test_components_are_solved_separately():
    rng = np.random.default_rng(5)
    cycle = 10 * np.roll(np.eye(4), 1, axis=1)         # 0 -> 1 -> 2 -> 3 -> 0 keeps each block strong
    blocks = [np.abs(rng.standard_normal((4, 4))) + cycle for _ in range(3)]
    A = np.zeros((12, 12))
    for k, B in enumerate(blocks):
        A[4 * k:4 * k + 4, 4 * k:4 * k + 4] = B
    A[0:4, 4:12] = 1.0                       # block 0 before the others: no cost if ordered
    perm = rng.permutation(12)
    r = od.min_backflow(A[np.ix_(perm, perm)])
    assert r.stats["reductions"]["nontrivial_sizes"] == [4, 4, 4]
    assert r.backflow == pytest.approx(sum(brute_min_backflow(B) for B in blocks))


square = st.integers(2, 7).flatmap(lambda n: arrays(
    np.float64, (n, n), elements=st.floats(-100, 100, allow_nan=False, allow_subnormal=False)))


@settings(max_examples=150, deadline=None)
@given(square)
def test_transpose_has_the_same_least_backflow(A):
    assert od.min_backflow(A).backflow == pytest.approx(od.min_backflow(A.T).backflow,
                                                        rel=1e-9, abs=1e-9)


@settings(max_examples=150, deadline=None)
@given(square, st.randoms(use_true_random=False))
def test_relabelling_and_scaling_change_nothing(A, random):
    n = len(A)
    p = list(range(n))
    random.shuffle(p)
    base = od.score(A)
    moved = od.score(A[np.ix_(p, p)])
    scaled = od.score(A * 3.5)
    assert moved.value == pytest.approx(base.value, rel=1e-9, abs=1e-12)
    assert scaled.value == pytest.approx(base.value, rel=1e-9, abs=1e-12)


@settings(max_examples=150, deadline=None)
@given(st.integers(0, 2), st.integers(1, 6), st.integers(0, 2), st.integers(0, 2**32 - 1))
def test_bounds_bracket_the_value_and_backflow_is_the_permutations(o, h, i, seed):
    rng = np.random.default_rng(seed)
    W = rng.standard_normal((o + h, o + h + i)) * (rng.uniform(size=(o + h, o + h + i)) < 0.7)
    for method in ("auto", "greedy"):
        s = od.score(W, o, i, method=method)
        assert s.lower <= s.value <= s.upper <= 1.0
        assert s.backflow == pytest.approx(lower_sum(np.abs(W[:, :o + h]), s.permutation), abs=1e-9)


def test_relabelling_hidden_neurons_with_outputs_fixed():
    rng = np.random.default_rng(11)
    W = rng.standard_normal((9, 11))
    p = np.r_[0, 1, 2 + rng.permutation(7)]
    Wp = W.copy()
    Wp[:, :9] = W[:, :9][np.ix_(p, p)]
    Wp = Wp[:, list(range(9)) + [9, 10]]
    assert od.score(Wp, 2, 2).value == pytest.approx(od.score(W[np.ix_(p, list(p) + [9, 10])], 2, 2).value)
    assert od.score(W[np.ix_(p, list(p) + [9, 10])], 2, 2).value == pytest.approx(od.score(W, 2, 2).value)


def test_time_limit_stops_the_dp_with_an_honest_bound():
    A = np.abs(np.random.default_rng(0).standard_normal((25, 25)))
    r = od.min_backflow(A, method="dp", time_limit=0.01)
    assert not r.optimal
    assert r.lower_bound <= r.backflow
    assert r.backflow == pytest.approx(od.backflow(A, r.order))
    assert sorted(r.order) == list(range(25))


def test_time_limit_stops_the_brute_force_with_an_honest_bound():
    A = np.abs(np.random.default_rng(1).standard_normal((10, 10)))
    r = od.min_backflow(A, method="brute", time_limit=0.01)
    assert not r.optimal and r.lower_bound <= r.backflow
    assert r.stats["orders_tried"] < 3628800


def test_dp_refuses_before_allocating_when_memory_is_short():
    A = np.abs(np.random.default_rng(0).standard_normal((20, 20)))
    with pytest.raises(od.InputError, match="memory budget"):
        od.min_backflow(A, method="dp", memory_limit=1 << 20)
    with pytest.raises(od.InputError, match="memory budget"):
        od.min_backflow(np.abs(np.random.default_rng(0).standard_normal((45, 45))), method="dp")


def test_brute_refuses_more_than_ten():
    with pytest.raises(od.InputError, match="n <= 10"):
        od.min_backflow(np.ones((11, 11)) - np.eye(11), method="brute")


def test_results_are_deterministic():
    A = np.random.default_rng(2).standard_normal((12, 12))
    a, b = od.min_backflow(A, seed=3), od.min_backflow(A, seed=3)
    assert a.order.tolist() == b.order.tolist() and a.backflow == b.backflow
