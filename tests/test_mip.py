"""The branch-and-cut solver (``method="mip"``) and its kernels."""
import json
from itertools import permutations
from pathlib import Path

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import orderedness as od
from orderedness.backflow import backflow
from orderedness.io import load_matrix
from orderedness.solvers.heuristics.insertion import polish
from orderedness.kernels.dicycles import before_matrix, violated_triples
from orderedness.solvers import SOLVERS

IO = Path(__file__).resolve().parents[1] / ".." / "shared" / "data" / "lolib" / "IO"


def random_matrix(rng: np.random.Generator, n: int, kind: str) -> np.ndarray:
    """A test matrix of one of four kinds: dense, sparse, integer with ties, signed."""
    if kind == "dense":
        A = np.abs(rng.standard_normal((n, n)))
    elif kind == "sparse":
        A = np.abs(rng.standard_normal((n, n))) * (rng.random((n, n)) < 0.25)
    elif kind == "ties":
        A = rng.integers(0, 3, (n, n)).astype(float)
    else:
        A = rng.standard_normal((n, n))
    np.fill_diagonal(A, 0.0)
    return A


KINDS = ("dense", "sparse", "ties", "signed")


@pytest.mark.parametrize("kind", KINDS)
def test_mip_equals_dp_through_min_backflow(kind):
    rng = np.random.default_rng(["dense", "sparse", "ties", "signed"].index(kind))
    for _ in range(60):
        A = random_matrix(rng, int(rng.integers(2, 17)), kind)
        r = od.min_backflow(A, method="mip")
        ref = od.min_backflow(A, method="dp")
        assert r.optimal
        assert r.backflow == pytest.approx(ref.backflow, abs=1e-9)
        assert r.lower_bound == r.backflow
        assert r.backflow == backflow(A, r.order)
        assert sorted(r.order.tolist()) == list(range(len(A)))


@pytest.mark.parametrize("kind", KINDS)
def test_mip_solver_on_unreduced_matrices(kind):
    """The solver alone, without the reductions: signed, ties and all."""
    rng = np.random.default_rng(10 + KINDS.index(kind))
    for _ in range(15):
        A = random_matrix(rng, int(rng.integers(2, 15)), kind)
        r = SOLVERS["mip"].solve(A)
        assert r.optimal
        assert r.backflow == pytest.approx(SOLVERS["dp"].solve(A).backflow, abs=1e-9)
        assert r.backflow == backflow(A, r.order)


def test_scip_backend_equals_dp():
    rng = np.random.default_rng(20)
    for kind in KINDS:
        A = random_matrix(rng, 11, kind)
        r = od.min_backflow(A, method="mip", backend="scip")
        assert r.optimal and r.stats["solved"][0]["backend"] == "scip"
        assert r.backflow == pytest.approx(od.min_backflow(A, method="dp").backflow, abs=1e-9)


@pytest.mark.skipif(not IO.is_dir(), reason="LOLIB IO instances not found")
@pytest.mark.parametrize("name", ["t65l11xx", "t70l11xx", "t59d11xx"])
def test_mip_reaches_lolib_optima(name):
    A = load_matrix(IO / f"{name}.mat")
    optimum = json.loads((IO / "optima.json").read_text())[name]
    r = od.min_backflow(A, method="mip")
    assert r.optimal
    assert A.sum() - np.trace(A) - r.backflow == optimum


def test_time_limit_stops_with_an_honest_bound():
    A = np.abs(np.random.default_rng(7).standard_normal((40, 40)))
    r = od.min_backflow(A, method="mip", time_limit=0.3)
    assert not r.optimal
    assert r.lower_bound <= r.backflow
    assert r.lower_bound >= od.pairwise_bound(A)
    assert r.backflow == backflow(A, r.order)
    assert sorted(r.order.tolist()) == list(range(40))


def test_stats_say_how_it_ran():
    A = np.abs(np.random.default_rng(3).standard_normal((12, 12)))
    r = SOLVERS["mip"].solve(A)
    assert r.method == "mip"
    assert r.stats["weights"] == "real"
    assert SOLVERS["mip"].solve(np.round(10 * A)).stats["weights"] == "integer"


def test_polish_reaches_an_insertion_local_optimum():
    rng = np.random.default_rng(5)
    for _ in range(30):
        n = int(rng.integers(2, 9))
        A = rng.standard_normal((n, n))
        start = rng.permutation(n).astype(np.int64)
        out = polish(A, start)
        assert sorted(out.tolist()) == list(range(n))
        value = backflow(A, out)
        assert value <= backflow(A, start) + 1e-12
        for i in range(n):
            for j in range(n):
                moved = list(out)
                moved.insert(j, moved.pop(i))
                assert backflow(A, moved) >= value - 1e-9


def test_no_order_violates_a_three_dicycle_row():
    n = 6
    for order in ([0, 1, 2, 3, 4, 5], [5, 3, 1, 0, 2, 4], [2, 0, 5, 1, 4, 3]):
        pos = np.argsort(order)
        x = np.array([float(pos[a] < pos[b]) for a in range(n) for b in range(a + 1, n)])
        assert len(violated_triples(before_matrix(x, n), 1e-9, 100)[0]) == 0


def test_separation_finds_both_three_cycles():
    for x in ([1.0, 0.0, 1.0], [0.0, 1.0, 0.0]):   # 0 -> 1 -> 2 -> 0 and 0 -> 2 -> 1 -> 0
        assert violated_triples(before_matrix(np.array(x), 3), 1e-9, 10)[0].tolist() == [[0, 1, 2]]


def test_auto_takes_mip_beyond_the_dp_range_and_says_why():
    A = np.abs(np.random.default_rng(4).standard_normal((26, 26)))
    r = od.min_backflow(A)
    assert r.method == "mip" and r.optimal
    assert "branch-and-cut" in r.stats["solved"][0]["why"]
    assert od.min_backflow(A[:12, :12]).method == "dp"
    with pytest.raises(od.InputError, match="too large"):
        od.min_backflow(np.abs(np.random.default_rng(0).standard_normal((401, 401))), method="mip")


def test_auto_hands_large_components_to_the_heuristic_with_a_bound():
    A = np.abs(np.random.default_rng(5).standard_normal((60, 60)))
    r = od.min_backflow(A, time_limit=1.0)
    assert r.method == "heuristic" and "relaxation" in r.stats["solved"][0]["why"]
    assert r.lower_bound <= r.backflow == pytest.approx(od.backflow(A, r.order))


@pytest.mark.parametrize("seed", range(3))
def test_stopped_search_bound_lies_between_root_bound_and_optimum(seed):
    # a node's bound is at least its parent's (its orders are its parent's too), so the least open
    # bound never falls below the root's, and never rises above the optimum
    A = np.abs(np.random.default_rng(seed).standard_normal((30, 30)))
    optimum = SOLVERS["mip"].solve(A).backflow
    for limit in (0.05, 0.2, 0.5):
        r = SOLVERS["mip"].solve(A, time_limit=limit)
        assert r.lower_bound <= optimum + 1e-9
        if "root_bound" in r.stats:
            assert r.lower_bound >= min(r.stats["root_bound"], r.backflow)


@pytest.fixture
def strong_always(monkeypatch):
    """Strong branching at every node on many pairs, each LP cut short after one iteration: the
    children's bounds then come from the duals of unfinished LPs."""
    from orderedness.solvers.exact import mip
    monkeypatch.setattr(mip, "RELIABLE", 10**9)
    monkeypatch.setattr(mip, "STRONG_CANDIDATES", 50)
    monkeypatch.setattr(mip, "LOOKAHEAD", 50)
    monkeypatch.setattr(mip, "STRONG_ITERATIONS", 1)


def tournament(rng: np.random.Generator, n: int, weights: str) -> np.ndarray:
    """A tournament (one arc per pair: the relaxation is often fractional, so the search branches) with
    unit weights, real weights in [1, 1.1], or those and small negative weights against the arcs."""
    T = np.triu((rng.random((n, n)) < 0.5).astype(float), 1)
    A = T + np.triu(1.0 - T, 1).T
    if weights == "real":
        A *= 1.0 + 0.1 * rng.random((n, n))
    elif weights == "signed":
        A = A * (1.0 + 0.1 * rng.random((n, n))) - 0.05 * (1.0 - A)
    np.fill_diagonal(A, 0.0)
    return A


@pytest.mark.parametrize("weights", ["unit", "real", "signed"])
def test_strong_branching_children_bounds_keep_the_optimum(weights, strong_always):
    rng = np.random.default_rng(2)
    branched = 0
    for _ in range(6):
        A = tournament(rng, int(rng.integers(15, 19)), weights)
        r = SOLVERS["mip"].solve(A)
        branched += r.stats["strong_branchings"]
        assert r.optimal
        assert r.backflow == pytest.approx(SOLVERS["dp"].solve(A).backflow, abs=1e-9)
        assert r.backflow == backflow(A, r.order)
    assert branched > 0


@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.integers(0, 2**32 - 1), st.integers(12, 17), st.sampled_from(["unit", "real", "signed"]))
def test_mip_with_strong_branching_is_exact_on_random_tournaments(strong_always, seed, n, weights):
    A = tournament(np.random.default_rng(seed), n, weights)
    r = SOLVERS["mip"].solve(A)
    assert r.optimal and r.lower_bound == r.backflow
    assert r.backflow == pytest.approx(SOLVERS["dp"].solve(A).backflow, abs=1e-9)


def fixings_by_brute_force(lower, upper, n):
    """Pairs on which every order keeping the fixings agrees (None when no order keeps them)."""
    pairs = [(a, b) for a in range(n) for b in range(a + 1, n)]
    agree = None
    for order in permutations(range(n)):
        pos = np.argsort(order)
        x = np.array([float(pos[a] < pos[b]) for a, b in pairs])
        if np.all(lower <= x) and np.all(x <= upper):
            agree = (x.copy(), x.copy()) if agree is None else (np.minimum(agree[0], x), np.maximum(agree[1], x))
    return agree


@settings(max_examples=200, deadline=None)
@given(st.integers(1, 6), st.integers(0, 2**32 - 1), st.floats(0.0, 1.0))
def test_transitive_closure_of_fixings_is_what_every_order_keeping_them_agrees_on(n, seed, share):
    # the pairs on which all linear extensions of a partial order agree are its transitive closure
    from orderedness.kernels.fixings import close_fixings
    rng = np.random.default_rng(seed)
    m = n * (n - 1) // 2
    lower, upper = np.zeros(m), np.ones(m)
    fix = rng.random(m) < share
    value = rng.random(m) < 0.5
    lower[fix & value] = 1.0
    upper[fix & ~value] = 0.0
    expected = fixings_by_brute_force(lower, upper, n)
    before = int(np.sum(lower == upper))
    fixed = close_fixings(lower, upper, n)
    if expected is None:
        assert fixed == -1
    else:
        assert fixed == int(np.sum(expected[0] == expected[1])) - before
        assert lower.tolist() == expected[0].tolist() and upper.tolist() == expected[1].tolist()


@pytest.mark.parametrize("short", [0.01, 0.3])
def test_dual_simplex_stopped_short_of_the_incumbent_is_solved_again(monkeypatch, short):
    # HiGHS told to stop below the incumbent: its duals' safe bound does not prune, the node is solved in
    # full, and probes stopped there only give weaker children's bounds: the answer stays exact
    from orderedness.solvers.exact import mip
    monkeypatch.setattr(mip._Search, "lp_cutoff", lambda self: self.best - short * abs(self.best))
    rng = np.random.default_rng(30)
    for kind in KINDS:
        for _ in range(4):
            A = random_matrix(rng, int(rng.integers(10, 15)), kind)
            r = SOLVERS["mip"].solve(A)
            assert r.optimal
            assert r.backflow == pytest.approx(SOLVERS["dp"].solve(A).backflow, abs=1e-9)


def test_the_search_grows_the_same_tree_twice():
    # warm starts (restored bases) change how long each LP takes, never which node comes next
    A = np.abs(np.random.default_rng(6).standard_normal((30, 30)))
    np.fill_diagonal(A, 0.0)
    runs = [SOLVERS["mip"].solve(A - np.minimum(A, A.T)) for _ in range(2)]
    keys = ("nodes", "lp_solves", "simplex_iterations", "cuts", "fixed_by_reduced_cost", "fixed_by_transitivity")
    assert [runs[0].stats[k] for k in keys] == [runs[1].stats[k] for k in keys]
    assert runs[0].stats["nodes"] > 1 and runs[0].order.tolist() == runs[1].order.tolist()


@pytest.mark.parametrize("solves", [2, 3])
def test_root_stopped_part_way_keeps_the_bound_its_lps_proved(monkeypatch, solves):
    # the clock runs out after a few LP solves of the root's cutting loop: the answer's bound is what
    # those LPs proved (above the pairwise bound where a 3-dicycle row was added), never above the optimum
    from orderedness.backflow import pairwise_bound
    from orderedness.solvers.exact import mip
    from reference import KINDS as BOUND_KINDS, instance, slack
    rng = np.random.default_rng(40 + solves)
    raised = 0
    for kind in BOUND_KINDS:
        for _ in range(6):
            A = instance(rng, int(rng.integers(9, 15)), kind)
            calls = iter(range(10**6))
            monkeypatch.setattr(mip._Search, "seconds_left", lambda self: 1e9 if next(calls) < solves else 0.0)
            r = SOLVERS["mip"].solve(A, time_limit=1e9)
            optimum = SOLVERS["dp"].solve(A).backflow
            assert r.lower_bound <= optimum + slack(A)
            if not r.optimal and r.stats["nodes"] == 1:
                assert r.lower_bound >= pairwise_bound(A) - slack(A)
                raised += r.lower_bound > pairwise_bound(A) + slack(A)
    assert raised >= 6


def test_root_cut_rounds_go_on_while_their_last_rounds_together_close_the_tail():
    # the first rounds of {0,1/2}-cuts may barely move the bound (seed 16 at n = 40: 0.3 % of the gap, then
    # 1 %, 2 %, 8 %): the loop stops only when the last CUT_ROUNDS rounds together closed less than CUT_TAIL
    # of the gap left before them
    from orderedness.solvers.exact import mip
    A = random_matrix(np.random.default_rng(0), 6, "dense")
    search = mip._Search(A, np.arange(6), None)
    search.best = 10.0
    root, deep = (mip._Node(0.0, depth, 0, np.zeros(15), np.ones(15)) for depth in (0, mip.CUT_DEPTH + 1))
    slow = [1.0 + 0.001 * k for k in range(mip.CUT_ROUNDS + 1)]
    assert all(search._cutting(root, b, slow[:k]) for k, b in enumerate(slow[:mip.CUT_ROUNDS]))
    rounds = slow[:mip.CUT_ROUNDS]
    tail = mip.CUT_TAIL * (search.best - rounds[0])
    assert not search._cutting(root, rounds[0] + 0.99 * tail, rounds)
    assert search._cutting(root, rounds[0] + 1.01 * tail, rounds)
    assert not search._cutting(root, rounds[1] + 0.99 * mip.CUT_TAIL * (search.best - rounds[1]), slow)
    assert not search._cutting(deep, 5.0, [])


@pytest.fixture
def no_half_cuts(monkeypatch):
    """No {0,1/2}-cuts at the root: small tournaments then branch (a tree for two workers)."""
    from orderedness.solvers.exact import mip
    monkeypatch.setattr(mip, "CUT_DEPTH", -1)


def tournaments(seed: int, count: int):
    """`count` tournaments of 14-18 nodes, unit, real and signed weights in turn."""
    rng = np.random.default_rng(seed)
    for k in range(count):
        yield tournament(rng, int(rng.integers(14, 19)), ("unit", "real", "signed")[k % 3])


@settings(max_examples=40, deadline=None)
@given(st.integers(0, 2**32 - 1), st.integers(6, 14), st.sampled_from(["dense", "signed", "sparse", "ties", "integer"]))
def test_two_workers_reach_the_dp_optimum(seed, n, kind):
    from reference import instance, reference_dp, slack
    A = instance(np.random.default_rng(seed), n, kind)
    r = SOLVERS["mip"].solve(A, threads=2)
    assert r.optimal and r.lower_bound == r.backflow
    assert r.backflow == pytest.approx(reference_dp(A), abs=slack(A))
    assert r.backflow == backflow(A, r.order)
    assert sorted(r.order.tolist()) == list(range(n))


def test_two_workers_branch_in_lockstep_to_the_optimum(no_half_cuts):
    # trees of a few nodes: the second worker takes part (fewer steps than nodes) and the proof holds
    paired = 0
    for A in tournaments(1, 36):
        r = SOLVERS["mip"].solve(A, threads=2)
        assert r.optimal and r.lower_bound == r.backflow
        assert r.backflow == pytest.approx(SOLVERS["dp"].solve(A).backflow, abs=1e-9)
        assert r.backflow == backflow(A, r.order)
        assert r.stats["steps"] <= r.stats["nodes"] <= 2 * r.stats["steps"]
        paired += r.stats["steps"] < r.stats["nodes"]
    assert paired >= 6


def test_two_workers_stopped_part_way_keep_an_honest_bound(monkeypatch, no_half_cuts):
    # the clock runs out after a few LP solves, in whichever worker: the open nodes (the stopped ones,
    # the other worker's children and both dives) bound the answer, never above the optimum
    from orderedness.solvers.exact import mip
    from reference import slack
    in_tree = 0
    for solves in (1, 3, 8, 20, 40):
        for A in tournaments(2, 18):
            calls = iter(range(10**6))
            monkeypatch.setattr(mip._Search, "seconds_left", lambda self: 1e9 if next(calls) < solves else 0.0)
            r = SOLVERS["mip"].solve(A, time_limit=1e9, threads=2)
            optimum = SOLVERS["dp"].solve(A).backflow
            assert r.lower_bound <= optimum + slack(A)
            assert r.backflow == backflow(A, r.order) >= optimum - slack(A)
            in_tree += not r.optimal and r.stats["threads"] == 2
    assert in_tree >= 3


@pytest.mark.parametrize("limit", [1e-3, 0.01, 0.05])
def test_two_workers_under_tiny_time_limits_keep_an_honest_bound(no_half_cuts, limit):
    from reference import slack
    for A in tournaments(3, 9):
        r = SOLVERS["mip"].solve(A, time_limit=limit, threads=2)
        optimum = SOLVERS["dp"].solve(A).backflow
        assert r.lower_bound <= optimum + slack(A) and r.backflow >= optimum - slack(A)
        assert r.backflow == backflow(A, r.order)

def test_two_workers_grow_the_same_tree_twice():
    A = np.abs(np.random.default_rng(6).standard_normal((30, 30)))
    np.fill_diagonal(A, 0.0)
    runs = [SOLVERS["mip"].solve(A - np.minimum(A, A.T), threads=2) for _ in range(2)]
    keys = ("nodes", "steps", "lp_solves", "simplex_iterations", "cuts", "fixed_by_reduced_cost",
            "fixed_by_transitivity", "strong_branchings")
    assert [runs[0].stats[k] for k in keys] == [runs[1].stats[k] for k in keys]
    assert runs[0].stats["threads"] == 2 and runs[0].stats["steps"] < runs[0].stats["nodes"]
    assert runs[0].order.tolist() == runs[1].order.tolist()
    assert runs[0].lower_bound == runs[1].lower_bound == runs[0].backflow


def test_threads_must_be_a_positive_integer():
    A = random_matrix(np.random.default_rng(0), 5, "dense")
    for bad in (0, -1, 1.5, True):
        with pytest.raises(od.InputError):
            SOLVERS["mip"].solve(A, threads=bad)


def test_a_basis_restores_in_a_copy_and_in_an_lp_with_its_rows_in_another_order():
    # rows are matched by their key, not their position: a second worker's LP (a copy, or rows added
    # in another order) starts from the first one's optimal basis and needs no dual simplex step
    from orderedness.relaxation import LP
    A = random_matrix(np.random.default_rng(3), 12, "dense")
    lp = LP(A)
    lower, upper = np.zeros(lp.m), np.ones(lp.m)
    while True:
        status, x, bound, _ = lp.solve(lower, upper, 1e9)
        if lp.separate(x, 48) == 0:
            break
    saved = lp.basis()
    twin = lp.copy()
    other = LP(A)
    other.add(lp.triples[::-1])
    other.share(lp.triples)                     # nothing new: no row twice
    assert len(other.ids) == len(lp.ids)
    for target in (twin, other):
        assert target.restore(saved)
        before = target.iterations
        status2, _, bound2, _ = target.solve(lower, upper, 1e9)
        assert status2 == "optimal" and bound2 == pytest.approx(bound)
        assert target.iterations == before


def test_the_bound_of_a_stopped_lockstep_search_is_the_least_of_its_open_nodes(monkeypatch, no_half_cuts):
    # only the second worker runs out of time: the first one's children (its dive among them) stay open,
    # and the answer's bound is the least bound of all open nodes, not more
    from orderedness.solvers.exact import mip
    A = np.abs(np.random.default_rng(5).standard_normal((32, 32)))
    np.fill_diagonal(A, 0.0)
    optimum = SOLVERS["mip"].solve(A, threads=1).backflow
    expand, seconds_left = mip._Search.expand, mip._Search.seconds_left
    for solves in (10, 25, 50, 100):
        made, done, first, calls = {}, set(), [], iter(range(10**6))

        def spy(self, node, jumped):
            d = expand(self, node, jumped)
            if d.status != "stopped":
                done.add(id(node))
            made.update((id(child), child) for child, _ in d.children)
            return d

        def late(self):
            first.append(first[0] if first else self)
            return 0.0 if self is not first[0] and next(calls) >= solves else seconds_left(self)

        monkeypatch.setattr(mip._Search, "expand", spy)
        monkeypatch.setattr(mip._Search, "seconds_left", late)
        r = SOLVERS["mip"].solve(A, threads=2)
        assert not r.optimal and r.stats["threads"] == 2
        least = min([r.backflow] + [c.bound for k, c in made.items() if k not in done])
        assert r.lower_bound == least <= optimum
