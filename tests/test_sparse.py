"""The sparse path: scipy.sparse input against the dense path, the sparse heuristic and the cycle-packing
bound against exact optima (brute force, subset DP)."""
import numpy as np
import pytest
from conftest import DISTRIBUTIONS, random_matrix
from hypothesis import given, settings
from hypothesis import strategies as st
from reference import brute_min_backflow, reference_dp
from scipy.sparse import csr_matrix, random as sparse_random

import orderedness as od
from orderedness.auto import DENSE_UP_TO
from orderedness.cycle_bound import cycle_packing_bound
from orderedness.kernels.sparse_search import els_order, insertion_pass
from orderedness.reduce import reduce
from orderedness.solvers.heuristics import sparse

from bench.scale import planted_hierarchy


def sparse_digraph(seed, n, density=0.3, kind="ties"):
    rng = np.random.default_rng(seed)
    A = random_matrix(rng, (n, n), kind) * (rng.random((n, n)) < density)
    return A


@pytest.mark.parametrize("kind", DISTRIBUTIONS)
@pytest.mark.parametrize("seed", range(4))
def test_sparse_reductions_equal_the_dense_ones(kind, seed):
    A = sparse_digraph(seed, 30, 0.15, kind)
    dense, sp = reduce(A), reduce(csr_matrix(A))
    assert sp.constant == pytest.approx(dense.constant, rel=1e-12, abs=1e-300)
    assert [c.tolist() for c in sp.components] == [c.tolist() for c in dense.components]
    assert np.array_equal(sp.normalized.toarray(), dense.normalized)
    for comp in [*dense.components, np.array([3, 1, 7, 0])]:
        assert np.array_equal(sp.submatrix(comp), dense.submatrix(comp))
        assert np.array_equal(sp.submatrix(comp, dense=False).toarray(), dense.submatrix(comp))


@pytest.mark.parametrize("kind", DISTRIBUTIONS)
@pytest.mark.parametrize("seed", range(3))
def test_small_sparse_graphs_are_solved_exactly_like_dense_ones(kind, seed):
    A = sparse_digraph(seed, 8, 0.4, kind)
    exact = brute_min_backflow(A)
    for method in ("auto", "dp", "mip", "brute"):
        r, d = od.min_backflow(csr_matrix(A), method=method), od.min_backflow(A, method=method)
        assert r.optimal == d.optimal and (r.optimal or method == "mip")
        assert r.backflow == pytest.approx(d.backflow, rel=1e-9, abs=1e-9 * np.abs(A).sum())
        assert r.lower_bound == pytest.approx(d.lower_bound, rel=1e-9, abs=1e-9 * np.abs(A).sum())
        if r.optimal:
            assert r.backflow == pytest.approx(exact, rel=1e-9, abs=1e-9 * np.abs(A).sum())
        assert r.backflow == pytest.approx(od.backflow(A, r.order), rel=1e-12, abs=1e-300)
    assert od.score(csr_matrix(A)).value == pytest.approx(od.score(A).value, rel=1e-9)


@settings(max_examples=40, deadline=None)
@given(st.integers(0, 10_000), st.integers(3, 9), st.sampled_from(["ties", "uniform", "signed-int"]),
       st.sampled_from([None, 1e-4]))
def test_sparse_heuristic_brackets_the_optimum(seed, n, kind, time_limit):
    A = sparse_digraph(seed, n, 0.5, kind)
    exact = reference_dp(A)
    r = od.min_backflow(csr_matrix(A), method="sparse", time_limit=time_limit, seed=seed)
    assert sorted(r.order.tolist()) == list(range(n))
    assert r.backflow == pytest.approx(od.backflow(A, r.order), abs=1e-9)
    scale = 1e-9 * (np.abs(A).sum() + 1)
    assert r.lower_bound <= exact + scale <= r.backflow + 2 * scale
    assert not r.optimal or r.backflow <= exact + scale


@pytest.mark.parametrize("kind", ["ties", "uniform", "tiny", "huge", "signed-int"])
def test_cycle_packing_bound_never_exceeds_the_optimum(kind):
    rng = np.random.default_rng(7)
    hits = 0
    for trial in range(60):
        n = int(rng.integers(3, 10))
        A = np.abs(random_matrix(rng, (n, n), kind)) * (rng.random((n, n)) < 0.45)
        exact = od.min_backflow(A, method="dp").backflow + 0.0
        order = rng.permutation(n) if trial % 2 else None
        for limit, phases, length in ((1e-6, 400, 5), (1e-3, 400, 5), (None, 0, 5), (None, 3, 3),
                                      (None, 400, 1), (None, 400, 5)):
            bound, stats = cycle_packing_bound(csr_matrix(A), order, time_limit=limit, phases=phases,
                                               max_length=length)
            assert 0 <= bound <= exact * (1 + 1e-12)
        hits += bound == pytest.approx(exact, rel=1e-8) and exact > 0 and stats["complete"]
    assert hits > 0          # the bound is not trivially zero: it proves some instances


@settings(max_examples=60, deadline=None)
@given(st.integers(0, 10_000), st.integers(3, 10), st.sampled_from(["ties", "uniform", "huge", "tiny", "signed-int"]),
       st.integers(2, 14), st.integers(2, 40), st.booleans())
def test_long_cycle_packing_never_exceeds_the_optimum(seed, n, kind, length, cap, shuffled):
    # the bidirectional greedy rounds with any longest cycle and any visit cap, seeded by any order
    rng = np.random.default_rng(seed)
    A = np.abs(random_matrix(rng, (n, n), kind)) * (rng.random((n, n)) < 0.4)
    exact = reference_dp(A)
    order = rng.permutation(n) if shuffled else None
    bound, stats = cycle_packing_bound(csr_matrix(A), order, max_length=length, visit_cap=cap)
    assert 0 <= bound <= exact * (1 + 1e-12) + 1e-300


def test_greedy_packing_loads_stay_within_the_weights():
    # the kernel on a planted graph: residual weights never negative, loads equal to what was taken
    from orderedness.kernels.cycle_packing import pack_cycles
    A, _ = planted_hierarchy(3000, seed=5)
    A = (A - A.minimum(A.T)).tocsr()
    A.eliminate_zeros()
    A.sort_indices()
    n = A.shape[0]
    tails = np.repeat(np.arange(n, dtype=np.int64), np.diff(A.indptr))
    heads = A.indices.astype(np.int64)
    iarc = np.argsort(heads, kind="stable").astype(np.int64)
    iptr = np.concatenate([[0], np.cumsum(np.bincount(heads, minlength=n))]).astype(np.int64)
    res, load = A.data.copy(), np.zeros(A.nnz)
    work = [np.zeros(n, dtype=np.int64) for _ in range(6)]
    total = 0.0
    for length in (3, 5, 9, 13):
        total += pack_cycles(A.indptr.astype(np.int64), heads, iptr, iarc, tails, np.flatnonzero(tails > heads),
                             res, load, *work, 500, 50, length, 1e-300)
    assert total > 0 and res.min() >= 0.0
    assert np.allclose(load + res, A.data, rtol=1e-12) and load.sum() > 2 * total * (1 - 1e-12)


@pytest.mark.parametrize("length", [2, 6, 11, 12, 13])
def test_one_long_cycle_is_found_by_a_round_of_its_length(length):
    # a ring of `length` arcs, each ring node feeding two sinks (arcs on no cycle): least back-flow =
    # the ring's lightest arc, certified only when cycles of that length are packed
    n = 3 * length
    A = np.zeros((n, n))
    for x in range(length):
        A[x, (x + 1) % length] = 3.0 + x
        A[x, length + 2 * x] = A[x, length + 2 * x + 1] = 1.0
    assert od.min_backflow(A).backflow == 3.0
    assert cycle_packing_bound(csr_matrix(A), max_length=length)[0] == 3.0
    assert cycle_packing_bound(csr_matrix(A), max_length=length - 1)[0] == 0.0


def short_cycle_lp(A, longest=5):
    """The best fractional packing of the cycles of at most `longest` arcs (linear programme)."""
    import networkx as nx
    from scipy.optimize import linprog
    G = nx.DiGraph(A)
    cycles = list(nx.simple_cycles(G, length_bound=longest))
    if not cycles:
        return 0.0
    arcs = {a: i for i, a in enumerate(G.edges)}
    M = np.zeros((len(arcs), len(cycles)))
    for j, c in enumerate(cycles):
        for x, y in zip(c, c[1:] + c[:1]):
            M[arcs[x, y], j] = 1.0
    cap = np.array([A[x, y] for x, y in G.edges])
    return -linprog(-np.ones(len(cycles)), A_ub=M, b_ub=cap, method="highs").fun


def test_fractional_packing_is_feasible_and_near_the_best_one():
    # the fractional stage alone (max_length=1: no greedy cycles) against the linear programme over all
    # cycles of at most five arcs: never above it (a closed walk packs no more than its cycle), and
    # close to it once converged
    rng = np.random.default_rng(3)
    ratios = []
    for _ in range(25):
        n = int(rng.integers(5, 9))
        A = rng.uniform(0.1, 1.0, (n, n)) * (rng.random((n, n)) < 0.5)
        np.fill_diagonal(A, 0.0)
        best = short_cycle_lp(A)
        bound, stats = cycle_packing_bound(csr_matrix(A), max_length=1, phases=400)
        assert bound <= best * (1 + 1e-9) + 1e-12
        assert bound <= od.min_backflow(A, method="dp").backflow * (1 + 1e-12)
        if best > 0:
            ratios.append(bound / best)
    assert min(ratios) > 0.9 and np.mean(ratios) > 0.99, ratios


def test_cycle_packing_proves_disjoint_cycles_and_rounds_integers():
    # two arc-disjoint triangles sharing node 0, and a 4-cycle: least back-flow 2 + 3 + 1
    arcs = {(0, 1): 2, (1, 2): 5, (2, 0): 7, (0, 3): 3, (3, 4): 3, (4, 0): 9,
            (5, 6): 1, (6, 7): 4, (7, 8): 4, (8, 5): 4}
    A = np.zeros((9, 9))
    for (x, y), w in arcs.items():
        A[x, y] = w
    bound, stats = cycle_packing_bound(csr_matrix(A))
    assert bound == 6.0 == od.min_backflow(A, method="dp").backflow and stats["complete"]
    r = sparse.solve(csr_matrix(A), time_limit=2.0)
    assert r.optimal and r.backflow == 6.0


def test_cycle_packing_refuses_negative_weights():
    with pytest.raises(od.InputError, match="non-negative"):
        cycle_packing_bound(csr_matrix(np.array([[0.0, -1.0], [1.0, 0.0]])))


@pytest.mark.parametrize("seed", range(3))
def test_insertion_pass_gains_what_it_says_and_reaches_an_insertion_optimum(seed):
    A = sparse_digraph(seed, 60, 0.1, "uniform")
    np.fill_diagonal(A, 0.0)                 # the kernels take graphs without self-loops
    A = csr_matrix(A)
    At = A.T.tocsr()
    out = (A.indptr.astype(np.int64), A.indices.astype(np.int64), A.data)
    inn = (At.indptr.astype(np.int64), At.indices.astype(np.int64), At.data)
    order = els_order(*out, *inn)
    assert sorted(order.tolist()) == list(range(60))
    key = np.empty(60)
    key[order] = np.arange(60.0)
    before = od.backflow(A, order)
    buf = (np.empty(60), np.empty(60))
    nodes = np.random.default_rng(seed).permutation(60).astype(np.int64)
    gain, moves = insertion_pass(*out, *inn, key, nodes, 0.0, *buf)
    after = od.backflow(A, np.argsort(key, kind="stable"))
    assert before - after == pytest.approx(gain) and gain >= 0
    while moves:
        key = np.argsort(np.argsort(key, kind="stable")).astype(np.float64)    # as the solver does
        gain, moves = insertion_pass(*out, *inn, key, nodes, 1e-12, *buf)
    final = np.argsort(key, kind="stable")
    D = A.toarray()
    best = od.backflow(D, final)
    for v in range(60):                      # no single node can move to a better place
        rest = [x for x in final if x != v]
        for j in range(60):
            assert od.backflow(D, rest[:j] + [v] + rest[j:]) >= best - 1e-9


def test_large_sparse_components_go_to_the_sparse_heuristic_and_beat_the_planted_order():
    A, hidden = planted_hierarchy(DENSE_UP_TO + 1000, seed=3)
    r = od.min_backflow(A, time_limit=20.0, sweeps=30)
    parts = r.stats["solved"]
    assert max(p["size"] for p in parts) > DENSE_UP_TO
    assert any(p["method"] == "sparse" for p in parts)
    assert sorted(r.order.tolist()) == list(range(A.shape[0]))
    assert r.backflow == od.backflow(A, r.order) <= od.backflow(A, hidden)
    assert 0 < r.lower_bound <= r.backflow
    again = od.min_backflow(A, time_limit=20.0, sweeps=30)
    assert np.array_equal(again.order, r.order)            # deterministic for a fixed seed and sweeps


@settings(max_examples=15, deadline=None)
@given(st.integers(0, 10_000))
def test_relabelling_a_sparse_graph_keeps_its_optimum(seed):
    A = sparse_random(9, 9, density=0.35, random_state=seed, format="csr") * 10
    p = np.random.default_rng(seed).permutation(9)
    B = A[p][:, p]
    assert od.min_backflow(B).backflow == pytest.approx(od.min_backflow(A).backflow, rel=1e-12)


@pytest.mark.parametrize("bad, match", [
    (csr_matrix(np.array([[0.0, np.nan], [1.0, 0.0]])), "NaN or Inf .*row 0, column 1"),
    (csr_matrix(np.array([[0, 1j], [1, 0]])), "complex"),
    (csr_matrix((0, 0)), "empty"),
    (csr_matrix(np.ones((2, 3))), "not square"),
])
def test_bad_sparse_input_is_refused(bad, match):
    with pytest.raises(od.InputError, match=match):
        od.min_backflow(bad)


def test_sparse_network_has_no_outputs_and_dense_methods_refuse_huge_components():
    with pytest.raises(od.InputError, match="network"):
        od.score(csr_matrix(np.ones((3, 3))), outputs=1)
    A, _ = planted_hierarchy(3000, seed=1)
    with pytest.raises(od.InputError, match="GiB"):
        od.min_backflow(A, method="heuristic", memory_limit=1 << 20)


def test_names_follow_the_order():
    A = csr_matrix(np.array([[0, 0, 5], [3, 0, 0], [0, 0, 0]]))
    s = od.score(A, names=["x", "y", "z"])
    assert s.names == ["y", "x", "z"] == [["x", "y", "z"][k] for k in s.permutation]
    assert s.to_dict()["names"] == s.names
    r = od.min_backflow(A, names=["x", "y", "z"])
    assert r.names == ["y", "x", "z"] and r.to_dict()["names"] == r.names
    fas = od.feedback_arc_set(A + A.T, names=["x", "y", "z"])
    assert fas.weight == 8.0 == fas.lower_bound and len(fas.arcs) == 2
    assert all(a in {"x", "y", "z"} and b in {"x", "y", "z"} for a, b in fas.arcs)
    with pytest.raises(od.InputError, match="2 names for 3 nodes"):
        od.score(A, names=["x", "y"])


class _Interrupt:
    """A progress reporter that presses Ctrl-C on its `at`-th update."""

    def __init__(self, at):
        self.at, self.calls = at, 0

    def update(self, incumbent=None, bound=None, **extra):
        self.calls += 1
        if self.calls == self.at:
            raise KeyboardInterrupt


@pytest.mark.parametrize("at", [1, 2, 3])
def test_ctrl_c_returns_the_best_order_with_an_honest_bound(at):
    A, _ = planted_hierarchy(3000, seed=4)
    r = sparse.solve(A, time_limit=30.0, progress=_Interrupt(at))
    assert r.stats["stopped"] == od.progress.STOPPED_BY_USER
    assert sorted(r.order.tolist()) == list(range(3000))
    assert r.backflow == od.backflow(A, r.order) and 0 <= r.lower_bound <= r.backflow
    assert not r.optimal and r.backflow <= r.stats["construction"]      # never worse than Eades-Lin-Smyth
