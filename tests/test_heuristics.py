"""Heuristic solver, its kernels and its bounds: properties and agreement with the exact solvers."""
import numpy as np
import pytest
from conftest import DISTRIBUTIONS, random_matrix
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

import orderedness as od
from orderedness.result import Skipped
from orderedness.kernels.construct import becker_order, els_order
from orderedness.kernels.local_search import (best_insertion, insertion_local_search, insertion_steps, move,
                                              order_cost)
from orderedness.kernels.memetic import cycle_crossover, descend, footrule, select_survivors
from orderedness.kernels.rng import rng_state
from orderedness.reduce import reduce
from orderedness.solvers.heuristics import memetic

small = arrays(np.float64, st.tuples(st.integers(2, 8), st.just(8)).map(lambda s: (s[0], s[0])),
               elements=st.one_of(st.integers(-3, 9).map(float),
                                  st.floats(-1e3, 1e3, allow_nan=False, allow_subnormal=False)))


def _pos(order):
    pos = np.empty(len(order), dtype=np.int64)
    pos[order] = np.arange(len(order))
    return pos


@settings(max_examples=60, deadline=None)
@given(small, st.integers(0, 3))
def test_heuristic_is_consistent_and_its_bound_is_proven(A, seed):
    exact = od.min_backflow(A, method="dp").backflow
    r = od.min_backflow(A, method="heuristic", seed=seed, time_limit=2.0, generations=20)
    assert sorted(r.order.tolist()) == list(range(len(A)))
    assert r.backflow == od.backflow(A, r.order)
    scale = 1e-9 * (np.abs(A).sum() + 1)
    assert r.lower_bound <= exact + scale
    assert r.backflow >= exact - scale
    assert not r.optimal or r.backflow <= exact + scale


@pytest.mark.parametrize("kind", DISTRIBUTIONS)
def test_heuristic_finds_the_optimum_at_small_n(kind):
    rng = np.random.default_rng(len(kind))
    for n in (9, 12, 14):
        A = random_matrix(rng, (n, n), kind)
        exact = od.min_backflow(A, method="dp").backflow
        r = od.min_backflow(A, method="heuristic", time_limit=10.0, generations=100)
        assert r.backflow == pytest.approx(exact, rel=1e-9, abs=1e-300)


def test_the_bound_proves_integer_instances_optimal():
    rng = np.random.default_rng(3)
    A = rng.integers(0, 10, (12, 12)).astype(float)
    r = od.min_backflow(A, method="heuristic", time_limit=10.0)
    assert r.optimal and r.lower_bound == r.backflow == od.min_backflow(A, method="dp").backflow


def test_same_seed_and_generations_give_the_same_order():
    A = np.abs(np.random.default_rng(7).standard_normal((40, 40)))
    runs = [memetic.solve(A, seed=5, generations=30, time_limit=60.0, bound="pairwise").order
            for _ in range(2)]
    assert np.array_equal(*runs)
    other = memetic.solve(A, seed=6, generations=30, time_limit=60.0, bound="pairwise")
    assert other.stats["generations"] == 30


def test_survivors_keep_the_best_and_only_orders_offered():
    rng = np.random.default_rng(0)
    A = rng.random((30, 30))
    np.fill_diagonal(A, 0)
    pop = np.array([rng.permutation(30) for _ in range(8)], dtype=np.int64)
    kids = np.array([rng.permutation(30) for _ in range(8)], dtype=np.int64)
    cost = np.array([order_cost(A, p) for p in pop])
    kid_cost = np.array([order_cost(A, p) for p in kids])
    offered = {tuple(p) for p in np.concatenate([pop, kids])}
    best = min(cost.min(), kid_cost.min())
    for threshold in (0.0, 50.0, 1e9):
        p, c = pop.copy(), cost.copy()
        select_survivors(p, c, kids, kid_cost, threshold, np.empty(30, dtype=np.int64))
        assert c[0] == best and all(tuple(q) in offered for q in p)
        assert len({tuple(q) for q in p}) == 8
        assert np.allclose(c, [order_cost(A, q) for q in p])


@settings(max_examples=50, deadline=None)
@given(st.integers(2, 40), st.integers(0, 2**32))
def test_local_search_reaches_an_insertion_optimum(n, seed):
    rng = np.random.default_rng(seed)
    A = rng.integers(0, 5, (n, n)).astype(float)
    np.fill_diagonal(A, 0)
    order = rng.permutation(n).astype(np.int64)
    before = order_cost(A, order)
    saved = insertion_local_search(A - A.T, order, _pos(order), 1e-9)
    after = od.backflow(A, order)
    assert sorted(order.tolist()) == list(range(n))
    assert after == pytest.approx(before - saved)
    for i in range(n):                       # no single move improves
        for j in range(n):
            moved = np.insert(np.delete(order, i), j, order[i])
            assert od.backflow(A, moved) >= after - 1e-9


def _sweeps(D, order, pos, tol):
    """The insertion local search as one loop of whole sweeps (the kernel before it took a budget)."""
    saved, improved = 0.0, True
    while improved:
        improved = False
        for x in order.copy():
            i = pos[x]
            j, s = best_insertion(D, order, i, tol)
            if j != i:
                move(order, pos, i, j)
                saved, improved = saved + s, True
    return saved


@settings(max_examples=50, deadline=None)
@given(st.integers(1, 40), st.integers(0, 2**32), st.sampled_from(["integer", "signed", "tied"]))
def test_budgeted_local_search_is_the_same_search_in_slices(n, seed, kind):
    rng = np.random.default_rng(seed)
    A = {"integer": lambda: rng.integers(0, 5, (n, n)).astype(float),
         "signed": lambda: rng.standard_normal((n, n)),
         "tied": lambda: np.ones((n, n))}[kind]()
    np.fill_diagonal(A, 0)
    D = A - A.T
    start = rng.permutation(n).astype(np.int64)
    whole = start.copy()
    whole_saved = _sweeps(D, whole, _pos(whole), 1e-9)
    order, pos = start.copy(), _pos(start)
    state, visit = np.array([n, 1, 0], dtype=np.int64), np.empty(n, dtype=np.int64)
    saved, cost = 0.0, order_cost(A, order)
    assert insertion_steps(D, order, pos, 1e-9, visit, state, 0) == 0.0     # no budget: nothing moves
    assert order.tolist() == start.tolist() and state[2] == 0
    while state[2] == 0:
        saved += insertion_steps(D, order, pos, 1e-9, visit, state, int(rng.integers(1, 2 * n + 2)))
        assert sorted(order.tolist()) == list(range(n)) and (pos[order] == np.arange(n)).all()
        assert order_cost(A, order) <= cost + 1e-9            # every slice leaves an order no worse
        cost = order_cost(A, order)
    assert order.tolist() == whole.tolist() and saved == pytest.approx(whole_saved, abs=1e-9)
    again = start.copy()
    insertion_local_search(D, again, _pos(again), 1e-9)
    assert again.tolist() == whole.tolist()


@pytest.mark.parametrize("n", [1, 2, 7, 40])
def test_descent_stops_at_its_deadline_with_a_valid_order(n):
    rng = np.random.default_rng(n)
    A = rng.standard_normal((n, n))
    np.fill_diagonal(A, 0)
    D, start = A - A.T, rng.permutation(n).astype(np.int64)
    pos = np.empty(n, dtype=np.int64)
    late = start.copy()
    cost, done = memetic._descend(A, D, late, pos, 1e-9, -np.inf)          # no time at all
    assert late.tolist() == start.tolist() and not done and cost == pytest.approx(od.backflow(A, start))
    full = start.copy()
    cost, done = memetic._descend(A, D, full, pos, 1e-9, np.inf)
    old = start.copy()
    assert done and cost == descend(A, D, old, pos, 1e-9) and full.tolist() == old.tolist()


@settings(max_examples=50, deadline=None)
@given(st.integers(1, 30), st.integers(0, 2**32))
def test_constructions_and_crossover_give_permutations(n, seed):
    rng = np.random.default_rng(seed)
    A = rng.random((n, n)) * (rng.random((n, n)) < 0.5)
    for order in (becker_order(A), els_order(A)):
        assert sorted(order.tolist()) == list(range(n))
    p1, p2 = rng.permutation(n).astype(np.int64), rng.permutation(n).astype(np.int64)
    child = np.empty(n, dtype=np.int64)
    cycle_crossover(p1, p2, child, np.empty(n, dtype=np.int64), rng_state(seed))
    assert sorted(child.tolist()) == list(range(n))
    assert np.all((child == p1) | (child == p2))
    assert footrule(p1, _pos(p1)) == 0 and footrule(p2, _pos(p1)) == np.abs(_pos(p2) - _pos(p1)).sum()


def test_acyclic_input_is_optimal_at_once():
    A = np.triu(np.random.default_rng(2).random((50, 50)), 1)[::-1, ::-1]
    r = od.min_backflow(A, method="heuristic")
    assert r.optimal and r.backflow == 0.0


def test_score_with_the_heuristic_brackets_the_exact_value():
    W = np.random.default_rng(4).standard_normal((13, 15))
    exact = od.score(W, outputs=1, inputs=2, method="dp")
    s = od.score(W, outputs=1, inputs=2, method="heuristic", time_limit=2.0)
    assert s.lower <= exact.value + 1e-12 and exact.value <= s.upper + 1e-12
    assert s.value == pytest.approx(exact.value)


@pytest.mark.parametrize("bad", [{"population": 1}, {"generations": -1}, {"bound": "exact"}])
def test_bad_options_are_refused(bad):
    with pytest.raises(od.InputError):
        od.min_backflow(np.random.default_rng(0).random((5, 5)), method="heuristic", **bad)


def test_compare_command_on_the_bundled_example(capsys):
    import json
    from pathlib import Path

    from orderedness.cli import main
    example = Path(__file__).parent.parent / "examples" / "xor_cpl_o1_h8_i2.npy"
    assert main(["compare", str(example), "--outputs", "1", "--time-limit", "1", "--json"]) == 0
    rows = json.loads(capsys.readouterr().out)
    ran = {r["method"]: r for r in rows if "skipped" not in r}
    assert {"brute", "dp", "greedy", "heuristic"} <= set(ran)
    exact = ran["dp"]["value"]
    for r in ran.values():
        assert r["lower"] <= exact + 1e-12 <= r["upper"] + 2e-12
    assert main(["compare", str(example), "--outputs", "1", "--time-limit", "1"]) == 0
    table = capsys.readouterr().out.splitlines()
    assert table[0].split() == ["method", "orderedness", "lower", "upper", "gap", "optimal", "seconds"]


def test_compare_skips_exact_methods_that_cannot_finish():
    from orderedness.compare import compare
    A = np.random.default_rng(0).random((60, 60))
    results = compare(A, time_limit=0.5, methods=["brute", "dp", "heuristic", "greedy"])
    assert isinstance(results["brute"], Skipped) and isinstance(results["dp"], Skipped)
    s = results["heuristic"]
    assert isinstance(s, od.Score) and s.lower <= s.value <= s.upper
    assert s.gap == od.Ordering(np.arange(2), s.backflow, s.backflow_bound, s.optimal, "", 0.0).gap
