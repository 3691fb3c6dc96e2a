"""{0,1/2}-Chvátal–Gomory cuts of the 3-dicycle rows: every cut holds for every order, and no bound
with them passes the exact optimum (the subset DP) on small signed, sparse, tied and integer matrices."""
from itertools import permutations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from reference import KINDS, instance, reference_dp, slack

import orderedness as od
from orderedness import relaxation
from orderedness.solvers import SOLVERS


_ORDERS = {}


def orders(n):
    """The pair vectors of all ``n!`` orders, one a row."""
    if n not in _ORDERS:
        iu, ju = np.triu_indices(n, 1)
        pos = np.argsort(np.array(list(permutations(range(n)))), axis=1)
        _ORDERS[n] = (pos[:, iu] < pos[:, ju]).astype(np.int64)
    return _ORDERS[n]


def dense(cuts, n):
    """The cuts ``(indptr, cols, coefs, rhs)`` as a dense coefficient matrix and right sides."""
    indptr, cols, coefs, rhs = cuts
    G = np.zeros((len(rhs), n * (n - 1) // 2), dtype=np.int64)
    for r in range(len(rhs)):
        np.add.at(G[r], cols[indptr[r]:indptr[r + 1]], coefs[indptr[r]:indptr[r + 1]])
    return G, rhs


def check_cuts(cuts, x, n):
    """Every cut holds for every order and is violated at `x` by more than the separator promises."""
    G, rhs = dense(cuts, n)
    assert (orders(n) @ G.T <= rhs).all()
    assert (G @ x - rhs > (1 - relaxation.HALF_SLACK) / 2 - 1e-9).all()


def root(A, cuts=True, rounds=100):
    """The LP's cutting-plane loop to its end: 3-dicycle rows, then (with `cuts`) {0,1/2}-cuts;
    returns ``(lp, x, bound)``."""
    lp = relaxation.LP(A)
    lo, hi = np.zeros(lp.m), np.ones(lp.m)
    for _ in range(rounds):
        status, x, b, _ = lp.solve(lo, hi, 60.0)
        assert status == "optimal"
        if lp.separate(x, 100) == 0 and not (cuts and lp.cut(x, 100)):
            break
    return lp, x, b


fraction = st.one_of(st.sampled_from([0.0, 1.0, 0.5, 1 / 3, 2 / 3, 0.25]), st.floats(0.0, 1.0))


@settings(max_examples=150, deadline=None)
@given(st.integers(4, 7).flatmap(lambda n: st.tuples(st.just(n), st.lists(fraction, min_size=n * (n - 1) // 2,
                                                                             max_size=n * (n - 1) // 2))))
def test_every_cut_of_any_point_holds_for_every_order(case):
    n, x = case
    x = np.array(x)
    check_cuts(relaxation.half_cuts(x, n, 1000), x, n)


@pytest.mark.parametrize("kind", KINDS)
def test_cuts_of_lp_optima_hold_for_every_order(kind):
    """Realistic points: the 3-dicycle LP optimum of a 20-node matrix (fractional there, integral at
    8 nodes) restricted to 8 of its nodes touching fractional pairs, which keeps every row satisfied."""
    rng = np.random.default_rng(KINDS.index(kind))
    found = 0
    for _ in range(4):
        lp, x, _ = root(instance(rng, 20, kind), cuts=False)
        X = np.zeros((20, 20))
        X[np.triu_indices(20, 1)] = x
        F = (X > 1e-6) & (X < 1 - 1e-6)
        touching = np.flatnonzero(F.any(axis=0) | F.any(axis=1))
        for _ in range(10 if len(touching) >= 8 else 0):
            keep = np.sort(rng.choice(touching, 8, replace=False))
            sub = X[np.ix_(keep, keep)][np.triu_indices(8, 1)]
            cuts = relaxation.half_cuts(sub, 8, 1000)
            check_cuts(cuts, sub, 8)
            found += len(cuts[3])
    assert kind not in ("dense", "ties") or found > 0


@pytest.mark.parametrize("kind", KINDS)
def test_bound_with_cuts_never_passes_the_optimum(kind):
    """The converged LP with the cuts bounds the DP's optimum, and is never below the 3-dicycle LP."""
    rng = np.random.default_rng(20 + KINDS.index(kind))
    for _ in range(40):
        n = int(rng.integers(5, 13))
        A = instance(rng, n, kind)
        exact = reference_dp(A) if n <= 10 else od.min_backflow(A, method="dp").backflow
        _, _, plain = root(A, cuts=False)
        lp, _, b = root(A)
        assert plain - slack(A) <= b <= exact + slack(A)
        if kind in ("ties", "integer"):
            assert b == np.round(b)


@pytest.mark.parametrize("kind", KINDS)
def test_safe_bound_with_cuts_of_any_multipliers_is_below_the_optimum(kind):
    """Weak duality with general rows: random multipliers of both kinds of rows, random fixings."""
    rng = np.random.default_rng(40 + KINDS.index(kind))
    tried = 0
    for _ in range(200):
        n = int(rng.integers(5, 8))
        A = instance(rng, n, kind)
        x = rng.choice([0.0, 1.0, 0.5, 1 / 3, 2 / 3], n * (n - 1) // 2)
        cuts = relaxation.half_cuts(x, n, 50)
        if len(cuts[3]) == 0:
            continue
        tried += 1
        c0, c, integral = relaxation.costs(A)
        T = np.array([(i, j, k) for i in range(n) for j in range(i + 1, n) for k in range(j + 1, n)])
        scale = rng.choice([0.01, 1.0, 100.0])
        y, z = rng.standard_normal(len(T)) * scale, rng.standard_normal(len(cuts[3])) * scale
        exact = reference_dp(A)
        assert relaxation.safe_bound(c0, c, T, y, n, integral, cuts=cuts, z=z)[0] <= exact + slack(A)
        order = od.min_backflow(A, method="dp").order
        pos = np.argsort(order)
        iu, ju = np.triu_indices(n, 1)
        opt = (pos[iu] < pos[ju]).astype(float)
        fix = rng.random(len(opt)) < 0.4
        lo, hi = np.where(fix, opt, 0.0), np.where(fix, opt, 1.0)
        b, _ = relaxation.safe_bound(c0, c, T, y, n, integral, lo, hi, cuts=cuts, z=z)
        assert b <= exact + slack(A)
    assert tried >= 50


@settings(max_examples=40, deadline=None)
@given(st.integers(5, 9).flatmap(
    lambda n: st.lists(st.one_of(st.integers(-3, 9).map(float), st.floats(-1e3, 1e3, allow_nan=False,
                                                                          allow_subnormal=False)),
                       min_size=n * n, max_size=n * n).map(lambda v: np.array(v).reshape(n, n))))
def test_bound_with_cuts_is_a_proof_on_any_matrix(A):
    _, _, b = root(A)
    assert b <= reference_dp(A) + slack(A)


def dense20(seed: int) -> tuple[np.ndarray, float]:
    """A dense |N(0,1)| n = 20 matrix (zero diagonal) and its optimum (DP)."""
    A = np.abs(np.random.default_rng(seed).standard_normal((20, 20)))
    np.fill_diagonal(A, 0.0)
    return A, od.min_backflow(A, method="dp").backflow


def test_cuts_close_part_of_the_gap_and_drop_keeps_the_model_consistent():
    """On dense n = 20 the 3-dicycle LP is often below the optimum; the cuts raise it, never past it."""
    raised = 0
    for seed in range(6):
        A, exact = dense20(seed)
        _, _, plain = root(A, cuts=False)
        lp, _, b = root(A)
        assert b <= exact + slack(A)
        raised += b > plain + 1e-6
        lo, hi = np.zeros(lp.m), np.ones(lp.m)
        status, _, again, _ = lp.solve(lo, hi, 30.0)
        lp.drop_idle()
        assert (lp.kind == 0).sum() == len(lp.triples)
        assert (lp.kind == 1).sum() == len(lp.cuts) == len(lp.y) - len(lp.triples)
        status, _, dropped, _ = lp.solve(lo, hi, 30.0)
        assert status == "optimal" and dropped == pytest.approx(again, abs=slack(A))
    assert raised >= 2


@pytest.mark.parametrize("kind", KINDS)
def test_mip_with_root_cuts_is_exact(kind):
    rng = np.random.default_rng(60 + KINDS.index(kind))
    for _ in range(10):
        n = int(rng.integers(10, 15))
        A = instance(rng, n, kind)
        r = SOLVERS["mip"].solve(A)
        assert r.optimal
        assert r.backflow == pytest.approx(od.min_backflow(A, method="dp").backflow, abs=slack(A))


def central(A, rounds=relaxation.CENTRAL_ROUNDS, time_limit=None):
    """:func:`relaxation.central_cut_bound` from the converged 3-dicycle LP (its rows, its optimum)."""
    lp, x, plain = root(A, cuts=False)
    b, stats = relaxation.central_cut_bound(A, lp.triples, x, rounds=rounds, time_limit=time_limit)
    return plain, b, stats


@pytest.mark.parametrize("kind", KINDS)
def test_cuts_at_interior_points_never_pass_the_optimum(kind):
    """The interior-point rounds (no crossover: the duals of unfinished solves) bound the DP's optimum,
    with and without a clock, and the same twice without one."""
    rng = np.random.default_rng(80 + KINDS.index(kind))
    for _ in range(25):
        n = int(rng.integers(5, 13))
        A = instance(rng, n, kind)
        exact = reference_dp(A) if n <= 10 else od.min_backflow(A, method="dp").backflow
        plain, b, stats = central(A)
        assert b <= exact + slack(A), stats
        assert central(A)[1] == b
        for seconds in (0.002, 0.05):
            assert central(A, time_limit=seconds)[1] <= exact + slack(A)
        if kind in ("ties", "integer") and np.isfinite(b):
            assert b == np.round(b)


def test_cuts_at_interior_points_raise_the_lp_bound():
    """Dense n = 20: the interior-point rounds end above the 3-dicycle LP where it is below the optimum."""
    raised = 0
    for seed in range(6):
        A, exact = dense20(seed)
        plain, b, _ = central(A)
        assert b <= exact + slack(A)
        raised += b > plain + 1e-6 * abs(plain)
    assert raised >= 2


@settings(max_examples=60, deadline=None)
@given(st.integers(5, 9).flatmap(
    lambda n: st.lists(st.one_of(st.integers(-3, 9).map(float), st.floats(-1e3, 1e3, allow_nan=False,
                                                                          allow_subnormal=False)),
                       min_size=n * n, max_size=n * n).map(lambda v: np.array(v).reshape(n, n))),
       st.sampled_from([0.002, None]))
def test_relaxation_bound_with_interior_cuts_is_a_proof_on_any_matrix(A, seconds):
    """The whole size policy with the interior-point stage at every size (its range widened)."""
    saved = relaxation.CENTRAL_FROM
    relaxation.CENTRAL_FROM = 3
    try:
        b, _ = relaxation.bound(A, time_limit=seconds)
    finally:
        relaxation.CENTRAL_FROM = saved
    assert b <= reference_dp(A) + slack(A)
