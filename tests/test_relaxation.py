"""The 3-dicycle relaxation: its safe bound, its two solvers, and the exchange with the searches.

Every bound is checked against the exact optimum (the numpy subset DP of ``tests/reference.py``) on
small signed, sparse, tied and integer instances, also under tiny time limits.
"""
from itertools import permutations

import highspy
import numpy as np
import pytest
from conftest import DISTRIBUTIONS, random_matrix
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays
from reference import KINDS, instance, reference_dp, slack

import orderedness as od
from orderedness import relaxation
from orderedness.progress import STOPPED_BY_USER, Progress
from orderedness.reduce import reduce
from orderedness.solvers import SOLVERS


def all_triples(n):
    return np.array([(i, j, k) for i in range(n) for j in range(i + 1, n) for k in range(j + 1, n)],
                    dtype=np.int64).reshape(-1, 3)


@pytest.mark.parametrize("kind", KINDS)
def test_safe_bound_of_any_multipliers_is_below_the_optimum(kind):
    """Weak duality holds for every y, column bounds included: random y, random fixings."""
    rng = np.random.default_rng(KINDS.index(kind))
    for _ in range(300):
        n = int(rng.integers(3, 8))
        A = instance(rng, n, kind)
        c0, c, integral = relaxation.costs(A)
        T = all_triples(n)
        T = T[rng.random(len(T)) < 0.7]
        y = rng.standard_normal(len(T)) * rng.choice([0.01, 1.0, 100.0])
        exact = reference_dp(A)
        b, d = relaxation.safe_bound(c0, c, T, y, n, integral)
        assert b <= exact + slack(A)
        assert len(d) == n * (n - 1) // 2
        # fixing a pair to the direction of an optimal order keeps that order feasible
        order = od.min_backflow(A, method="dp").order
        pos = np.argsort(order)
        iu, ju = np.triu_indices(n, 1)
        x = (pos[iu] < pos[ju]).astype(float)
        fix = rng.random(len(x)) < 0.4
        lo, hi = np.where(fix, x, 0.0), np.where(fix, x, 1.0)
        assert relaxation.safe_bound(c0, c, T, y, n, integral, lo, hi)[0] <= exact + slack(A)


def test_safe_bound_with_zero_multipliers_is_the_pairwise_bound():
    rng = np.random.default_rng(7)
    for _ in range(50):
        A = rng.standard_normal((9, 9))
        c0, c, integral = relaxation.costs(A)
        b, _ = relaxation.safe_bound(c0, c, np.empty((0, 3), dtype=np.int64), np.empty(0), 9, integral)
        assert b == pytest.approx(od.pairwise_bound(A), abs=slack(A))
        assert b <= od.pairwise_bound(A) + 1e-12


@pytest.mark.parametrize("solver", ["lagrangian_bound", "lp_bound"])
@pytest.mark.parametrize("kind", KINDS)
def test_bounds_under_tiny_time_limits_are_below_the_optimum(solver, kind):
    f = getattr(relaxation, solver)
    rng = np.random.default_rng(100 + KINDS.index(kind))
    for t in range(120):
        n = int(rng.integers(3, 10))
        A = instance(rng, n, kind)
        exact = reference_dp(A)
        b, stats = f(A, time_limit=(0.0005, 0.003, 0.02)[t % 3], upper=exact if t % 2 else None)
        assert od.pairwise_bound(A) - slack(A) <= b <= exact + slack(A), (stats, A.tolist())
        if kind in ("ties", "integer"):
            assert b == np.round(b)


small = arrays(np.float64, st.tuples(st.integers(3, 8), st.just(8)).map(lambda s: (s[0], s[0])),
               elements=st.one_of(st.integers(-3, 9).map(float),
                                  st.floats(-1e3, 1e3, allow_nan=False, allow_subnormal=False)))


@settings(max_examples=100, deadline=None)
@given(small, st.sampled_from([0.002, 0.05, None]))   # None: the fixed effort, no clock
def test_relaxation_bound_is_a_proof_on_any_matrix(A, seconds):
    exact = reference_dp(A)
    b, _ = relaxation.bound(A, time_limit=seconds)
    assert b <= exact + slack(A)
    N = reduce(A).normalized
    assert relaxation.bound(N, time_limit=seconds)[0] <= reference_dp(N) + slack(N)


@pytest.mark.parametrize("bound, seed", [
    (lambda A: relaxation.lagrangian_bound(A, time_limit=0.02), 0),
    (lambda A: relaxation.packing_bound(A, time_limit=5.0), 40)], ids=["lagrangian", "packing"])
@pytest.mark.parametrize("kind", DISTRIBUTIONS)
def test_bound_on_extreme_scales_is_a_proof(kind, bound, seed):
    rng = np.random.default_rng(seed + len(kind))
    for _ in range(20):
        A = random_matrix(rng, (8, 8), kind)
        np.fill_diagonal(A, 0.0)
        b, _ = bound(A)
        assert b <= reference_dp(A) + slack(A)


def test_lagrangian_never_passes_the_full_lp_and_closes_most_of_its_gap():
    """Its dual optimum is the LP over all 3-dicycle rows: a bound above the converged LP is a bug."""
    rng = np.random.default_rng(11)
    for n in (12, 18, 25):
        A = np.abs(rng.standard_normal((n, n)))
        np.fill_diagonal(A, 0.0)
        lp, stats = relaxation.lp_bound(A, time_limit=60.0)
        assert stats["status"].startswith("optimal")
        lag, _ = relaxation.lagrangian_bound(A, time_limit=1.0)
        pair = od.pairwise_bound(A)
        assert lag <= stats["lp_value"] + slack(A)
        assert lag - pair >= 0.9 * (lp - pair)


def test_three_cycle_and_a_known_order():
    A = np.array([[0., 1, 0], [0, 0, 1], [1, 0, 0]])
    for f in (relaxation.lp_bound, relaxation.lagrangian_bound):
        assert f(A)[0] == 1.0
    A = np.abs(np.random.default_rng(1).standard_normal((20, 20)))
    value = od.min_backflow(A, method="dp").backflow
    b, stats = relaxation.lagrangian_bound(A, time_limit=5.0, upper=value)
    assert od.pairwise_bound(A) <= b <= value


def test_continuing_from_a_state_never_loses_the_bound():
    A = np.abs(np.random.default_rng(2).standard_normal((30, 30)))
    np.fill_diagonal(A, 0.0)
    first, stats = relaxation.lagrangian_bound(A, time_limit=0.3)
    again, _ = relaxation.lagrangian_bound(A, time_limit=0.05, start=stats["state"])
    assert again >= first - slack(A)


def test_stop_request_ends_the_bound_at_once():
    A = np.abs(np.random.default_rng(3).standard_normal((40, 40)))
    b, stats = relaxation.bound(A, time_limit=30.0, stop=lambda: True)
    assert stats["status"] == "stopped" and stats["rounds"] == 0


def test_lp_rows_and_drop_keep_the_model_consistent():
    A = np.abs(np.random.default_rng(4).standard_normal((15, 15)))
    lp = relaxation.LP(A)
    lo, hi = np.zeros(lp.m), np.ones(lp.m)
    lp.add(all_triples(15))
    status, x, b, d = lp.solve(lo, hi, 30.0)
    assert status == "optimal"
    assert lp.drop_idle() > 0
    status, x2, b2, _ = lp.solve(lo, hi, 30.0)
    assert b2 == pytest.approx(b, abs=slack(A))     # rows with a zero multiplier were not needed
    assert len(lp.triples) == len(lp.y) < len(all_triples(15))


def test_lp_restores_a_saved_basis_across_added_and_dropped_rows():
    A = np.abs(np.random.default_rng(6).standard_normal((12, 12)))
    lp = relaxation.LP(A)
    lo, hi = np.zeros(lp.m), np.ones(lp.m)
    rows = all_triples(12)
    lp.add(rows[: len(rows) // 2])
    _, _, b, _ = lp.solve(lo, hi, 30.0)
    saved = lp.basis()
    lp.add(rows[len(rows) // 2:])
    lp.solve(lo, hi, 30.0)
    assert lp.restore(saved)                     # the new rows enter as basic: the old optimum again
    status, _, b2, _ = lp.solve(lo, hi, 30.0)
    assert status == "optimal" and b2 >= b - slack(A)
    assert lp.restore(lp.basis())
    before = lp.iterations
    lp.solve(lo, hi, 30.0)
    assert lp.iterations == before               # the optimal basis itself: nothing to do
    tight = [r for r, v in enumerate(saved[0].row_status) if v != highspy.HighsBasisStatus.kBasic]
    lp.y[:] = 1.0
    lp.y[tight[0]] = 0.0                         # drop one row the saved basis holds tight
    assert lp.drop_idle() == 1
    assert not lp.restore(saved)                 # no longer a basis: refused, the LP unchanged
    status, _, b3, _ = lp.solve(lo, hi, 30.0)
    assert status == "optimal" and b3 <= b2 + slack(A)


class Interrupt(Progress):
    """A progress reporter that presses Ctrl-C at its `at`-th incumbent update."""

    def __init__(self, at):
        super().__init__("test", every=0.0, stream=open("/dev/null", "w"))
        self.at, self.calls = at, 0

    def update(self, incumbent=None, bound=None, **extra):
        super().update(incumbent, bound, **extra)
        if incumbent is not None:
            self.calls += 1
            if self.calls == self.at:
                raise KeyboardInterrupt


def test_mip_starts_from_the_order_given_and_stops_on_ctrl_c():
    rng = np.random.default_rng(5)
    A = np.abs(rng.standard_normal((34, 34)))
    np.fill_diagonal(A, 0.0)
    h = SOLVERS["heuristic"].solve(A, time_limit=0.5)
    r = SOLVERS["mip"].solve(A, start=h.order, time_limit=0.5)
    assert r.backflow <= h.backflow + 1e-12
    r = SOLVERS["mip"].solve(A, progress=Interrupt(2))
    assert r.stats["stopped"] == STOPPED_BY_USER and not r.optimal
    assert r.lower_bound <= od.min_backflow(A, method="mip").backflow + slack(A)


def test_heuristic_stops_on_ctrl_c_with_an_honest_bound():
    A = np.abs(np.random.default_rng(6).standard_normal((60, 60)))
    np.fill_diagonal(A, 0.0)
    r = SOLVERS["heuristic"].solve(A, time_limit=30.0, progress=Interrupt(1))
    assert r.stats["stopped"] == STOPPED_BY_USER
    assert r.backflow == od.backflow(A, r.order)
    assert r.lower_bound <= r.backflow


@pytest.mark.parametrize("method", ["auto", "mip", "heuristic", "greedy", "dp"])
def test_every_method_brackets_the_optimum_under_tiny_time_limits(method):
    rng = np.random.default_rng(200 + len(method))
    for t in range(150):
        kind = KINDS[t % len(KINDS)]
        A = instance(rng, int(rng.integers(3, 10)), kind)
        exact = reference_dp(A)
        r = od.min_backflow(A, method=method, time_limit=(0.001, 0.01, 0.05)[t % 3])
        assert r.lower_bound <= exact + slack(A) and r.backflow >= exact - slack(A), (kind, A.tolist())
        assert r.backflow == od.backflow(A, r.order)
        assert not r.optimal or r.backflow <= exact + slack(A)


def test_bound_with_pdlp_reaches_the_converged_lp_and_never_passes_it():
    rng = np.random.default_rng(12)
    for n in (15, 25):
        A = np.abs(rng.standard_normal((n, n)))
        np.fill_diagonal(A, 0.0)
        _, stats = relaxation.lp_bound(A, time_limit=60.0)
        assert stats["status"].startswith("optimal")
        b, info = relaxation.bound(A, time_limit=3.0)
        assert b <= stats["lp_value"] + slack(A)
        assert b >= stats["lp_value"] - 1e-4 * (stats["lp_value"] - od.pairwise_bound(A)), info["solver"]


def cyclic_triangles(G):
    """Brute force: the cyclic triangles ``i -> j -> k -> i`` of the arcs ``G``, least node first."""
    n = len(G)
    return [(i, j, k) for i in range(n) for j in range(i + 1, n) for k in range(i + 1, n)
            if G[i, j] and G[j, k] and G[k, i]]


def test_packing_kernels_count_and_serve_every_cyclic_triangle_once():
    """Across word boundaries (n > 64): the counts per arc and the triangles served match brute force."""
    from orderedness.kernels.triangle_packing import arc_bits, count_triangles, push_triangles
    rng = np.random.default_rng(21)
    for n in (5, 64, 70, 130):
        A = instance(rng, n, "ties" if n == 70 else "dense")
        G, R = A > A.T, np.abs(A - A.T)
        R[rng.random((n, n)) < 0.1] = 0.0                  # some arcs used up: not alive
        R = np.minimum(R, R.T)
        words = -(-n // 64)
        out_bits, in_bits = np.zeros((n, words), np.uint64), np.zeros((n, words), np.uint64)
        alive = G & (R > 0)
        assert arc_bits(G, R, out_bits, in_bits) == alive.sum()
        X = np.zeros((n, n))
        total = count_triangles(out_bits, in_bits, R, X, 0, n)
        tri = cyclic_triangles(alive)
        assert total == 3 * len(tri)
        t = np.zeros((n, n))
        for i, j, k in tri:
            for a, b in ((i, j), (j, k), (k, i)):
                t[a, b] += 1
        expect = np.where(t > 0, R / np.maximum(t, 1), 0.0)
        assert np.allclose(np.where(alive, X, 0.0), np.where(alive, expect, 0.0), rtol=1e-15, atol=0)
        U = np.zeros((n, n))
        given, served = push_triangles(out_bits, in_bits, X, U, 0, n)
        assert served == len(tri)
        assert given == pytest.approx(sum(min(X[i, j], X[j, k], X[i, k]) for i, j, k in tri), rel=1e-12)


def test_a_packing_round_stopped_after_any_row_fits_the_residuals():
    """Water-filling from one round's counts: every prefix of rows uses at most each arc's residual."""
    from orderedness.kernels.triangle_packing import arc_bits, count_triangles, push_triangles
    rng = np.random.default_rng(22)
    for kind in KINDS:
        n = 90
        A = instance(rng, n, kind)
        G, R = A > A.T, np.abs(A - A.T)
        words = -(-n // 64)
        out_bits, in_bits = np.zeros((n, words), np.uint64), np.zeros((n, words), np.uint64)
        arc_bits(G, R, out_bits, in_bits)
        X = np.zeros((n, n))
        count_triangles(out_bits, in_bits, R, X, 0, n)
        for last in (1, 7, 40, n):
            U = np.zeros((n, n))
            push_triangles(out_bits, in_bits, X, U, 0, last)
            assert np.all(U + U.T <= R * (1 + 1e-12)), kind


@pytest.mark.parametrize("kind", KINDS)
def test_packing_bound_is_below_the_optimum(kind):
    """Hundreds of small instances, run to the end, under tiny limits, stopped after any kernel call."""
    rng = np.random.default_rng(300 + KINDS.index(kind))
    for t in range(150):
        n = int(rng.integers(3, 10))
        A = instance(rng, n, kind)
        exact = reference_dp(A)
        calls = iter(range(t % 7))
        stop = (lambda: next(calls, None) is None) if t % 4 == 3 else None
        b, stats = relaxation.packing_bound(A, time_limit=(10.0, 0.0005, 0.003)[t % 3],
                                            upper=exact if t % 2 else None, stop=stop)
        assert od.pairwise_bound(A) - slack(A) <= b <= exact + slack(A), (stats, A.tolist())
        if kind in ("ties", "integer"):
            assert b == np.round(b) and b <= exact


@settings(max_examples=80, deadline=None)
@given(small)
def test_packing_bound_is_a_proof_on_any_matrix(A):
    assert relaxation.packing_bound(A, time_limit=5.0)[0] <= reference_dp(A) + slack(A)


def test_packing_bound_never_passes_the_lp_and_is_deterministic():
    """A packing is a point of the 3-dicycle LP's dual; two runs give the same bound and statistics."""
    rng = np.random.default_rng(23)
    for n in (12, 20):
        A = np.abs(rng.standard_normal((n, n)))
        np.fill_diagonal(A, 0.0)
        _, stats = relaxation.lp_bound(A, time_limit=60.0)
        b, info = relaxation.packing_bound(A, time_limit=10.0)
        assert info["status"] == "no cyclic triangle left"
        assert od.pairwise_bound(A) < b <= stats["lp_value"] + slack(A)
    A = np.abs(np.random.default_rng(24).standard_normal((150, 150)))
    first, second = (relaxation.packing_bound(A, time_limit=30.0) for _ in range(2))
    assert first[0] == second[0] and first[1]["rounds"] == second[1]["rounds"] > 5
    assert first[1]["triangles"] == second[1]["triangles"]


def test_packing_bound_reports_its_improvements_and_stops_at_the_order_given():
    A = np.abs(np.random.default_rng(25).standard_normal((80, 80)))
    np.fill_diagonal(A, 0.0)
    seen = []
    b, stats = relaxation.packing_bound(A, time_limit=10.0, report=seen.append)
    assert seen == sorted(seen) and seen[-1] == b
    low, stats = relaxation.packing_bound(A, time_limit=10.0, upper=od.pairwise_bound(A) + 1.0)
    assert stats["status"] == "bound meets the order given" and low == od.pairwise_bound(A) + 1.0


def fixed_optimum(A, j, value):
    """Least back-flow over the orders whose pair `j` (pair-vector order) has the given value."""
    n = len(A)
    iu, ju = np.triu_indices(n, 1)
    P = np.array(list(permutations(range(n))))
    pos = np.argsort(P, axis=1)
    keep = (pos[:, iu[j]] < pos[:, ju[j]]) == bool(value)
    later, earlier = np.tril_indices(n, -1)
    return A[P[keep][:, later], P[keep][:, earlier]].sum(axis=1).min()


@pytest.mark.parametrize("kind", KINDS)
def test_lp_cut_short_by_iterations_still_bounds_the_fixed_optimum(kind):
    # strong branching stops the dual simplex after a few iterations: the duals reached so far, through
    # the safe bound, must bound every order of the child (weak duality holds for any multipliers)
    rng = np.random.default_rng(30 + KINDS.index(kind))
    limited = 0
    for _ in range(12):
        n = int(rng.integers(4, 8))
        A = instance(rng, n, kind)
        lp = relaxation.LP(A)
        lp.add(all_triples(n))
        lo, hi = np.zeros(lp.m), np.ones(lp.m)
        assert lp.solve(lo, hi, 30.0)[0] == "optimal"
        for iterations in (1, 2, 5):
            j, value = int(rng.integers(lp.m)), float(rng.integers(2))
            lower, upper = lo.copy(), hi.copy()
            lower[j] = upper[j] = value
            status, _, b, _ = lp.solve(lower, upper, 30.0, iterations)
            limited += status == "limit"
            assert status in ("optimal", "limit", "infeasible")
            assert b <= fixed_optimum(A, j, value) + slack(A)
            lp.solve(lo, hi, 30.0)
    assert limited > 0
