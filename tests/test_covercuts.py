"""{0,1/2}-Chvátal–Gomory cuts of covering rows (the cycle rows of ``method="fas"``): every cut holds
for every 0/1 point of its rows (so for every feedback arc set), is violated as promised, and a
programme with them keeps its bounds below the exact optimum (DP / brute force)."""
import itertools
import math

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st
from reference import brute_min_backflow, reference_dp

from orderedness.kernels.covercuts import cover_cuts
from orderedness.solvers.exact import cycles


def csr(rows, coefs, rhs):
    indptr = np.cumsum([0] + [len(r) for r in rows]).astype(np.int64)
    return (indptr, np.concatenate(rows).astype(np.int64), np.concatenate(coefs).astype(np.int64),
            np.asarray(rhs, dtype=np.int64))


def separate(y, rows, coefs, rhs, limit=50):
    return cover_cuts(np.asarray(y, dtype=np.float64), *csr(rows, coefs, rhs), 1e-9, 1.0, limit, 10**7)


def dense(out, m):
    indptr, cols, coefs, rhs, slack = out
    G = np.zeros((len(rhs), m), dtype=np.int64)
    for r in range(len(rhs)):
        np.add.at(G[r], cols[indptr[r]:indptr[r + 1]], coefs[indptr[r]:indptr[r + 1]])
    return G, rhs, slack


def check(out, y, rows, coefs, rhs):
    """Each cut holds at every 0/1 point of the rows, and its left side at `y` is ``rhs - (1 - slack) / 2``."""
    m = len(y)
    G, b, slack = dense(out, m)
    points = np.array(list(itertools.product((0, 1), repeat=m)), dtype=np.int64)
    A = np.zeros((len(rows), m), dtype=np.int64)
    for r, (c, a) in enumerate(zip(rows, coefs)):
        A[r, c] = a
    feasible = points[(points @ A.T >= np.asarray(rhs)).all(axis=1)]
    assert (feasible @ G.T >= b).all()
    assert np.allclose(G @ y, b - (1 - slack) / 2, atol=1e-9)
    assert (slack < 1).all() and (G >= 0).all()


def test_three_cycles_pairwise_sharing_an_arc_give_the_textbook_cut():
    # arcs 0, 1, 2 at 1/2 shared pairwise by three tight cycles whose other arcs (3, 4, 5) are at 0:
    # the union holds two arcs of every cover, and the point has 1.5
    rows = [np.array([0, 2, 3]), np.array([0, 1, 4]), np.array([1, 2, 5])]
    ones = [np.ones(3, np.int64)] * 3
    y = np.array([0.5, 0.5, 0.5, 0.0, 0.0, 0.0])
    out = separate(y, rows, ones, [1, 1, 1])
    G, b, slack = dense(out, 6)
    assert len(b) >= 1 and b[0] == 2 and G[0].tolist() == [1] * 6 and slack[0] == 0.0
    check(out, y, rows, ones, [1, 1, 1])


def test_no_cut_at_an_integral_point_or_without_rows():
    rows = [np.array([0, 1]), np.array([1, 2])]
    ones = [np.ones(2, np.int64)] * 2
    assert len(separate(np.array([0.0, 1.0, 0.0]), rows, ones, [1, 1])[3]) == 0
    assert len(cover_cuts(np.full(3, 0.5), np.zeros(1, np.int64), np.zeros(0, np.int64),
                          np.zeros(0, np.int64), np.zeros(0, np.int64), 1e-9, 1.0, 10, 10**6)[3]) == 0


fraction = st.one_of(st.sampled_from([0.0, 1.0, 0.5, 1 / 3, 2 / 3, 0.25]), st.floats(0.0, 1.0))


@settings(max_examples=300, deadline=None)
@given(st.integers(0, 2**32 - 1), st.lists(fraction, min_size=3, max_size=11))
def test_every_cut_holds_at_every_0_1_point_of_its_rows(seed, y):
    # random covering rows, some with coefficients above 1 and right sides above 1 (as cuts are),
    # at random fractional points: the kernel may only return valid, violated cuts
    rng = np.random.default_rng(seed)
    y = np.array(y)
    m = len(y)
    k = int(rng.integers(1, 12))
    rows = [np.unique(rng.choice(m, int(rng.integers(1, min(m, 5) + 1)))) for _ in range(k)]
    coefs = [rng.choice([1, 1, 1, 2, 3], len(r)) for r in rows]
    rhs = [int(rng.choice([1, 1, 1, 2, 3])) for _ in rows]
    rhs = [min(b, int(a.sum())) for a, b in zip(coefs, rhs)]
    out = separate(y, rows, coefs, rhs)
    check(out, y, rows, coefs, rhs)


def all_cycles(A):
    """Arc ids (row-major over the non-zeros of `A`) of every simple cycle, by brute force."""
    n = len(A)
    tail, head = np.nonzero(A)
    ids = {(int(t), int(h)): e for e, (t, h) in enumerate(zip(tail, head))}
    found = set()
    for k in range(2, n + 1):
        for nodes in itertools.permutations(range(n), k):
            if nodes[0] != min(nodes):
                continue
            arcs = [ids.get((nodes[i], nodes[(i + 1) % k])) for i in range(k)]
            if None not in arcs:
                found.add(tuple(sorted(arcs)))
    return [np.array(c) for c in found]


@settings(max_examples=40, deadline=None)
@given(st.integers(0, 2**32 - 1), st.sampled_from(["unweighted", "weighted"]))
def test_cuts_at_the_cycle_lp_optimum_keep_every_feedback_arc_set_and_the_bound_below_the_optimum(seed, kind):
    # every cycle of a small random digraph, its LP optimum, then rounds of cuts: no cut removes the
    # backward arcs of any order (every minimal feedback arc set is one), and the master's safe bound
    # with the cuts stays at or below the least back-flow
    rng = np.random.default_rng(seed)
    n = int(rng.integers(4, 8))
    A = (rng.random((n, n)) < rng.uniform(0.3, 0.6)).astype(float)
    if kind == "weighted":
        A *= rng.integers(1, 4, (n, n))
    np.fill_diagonal(A, 0.0)
    A -= np.minimum(A, A.T)
    tail, head = np.nonzero(A)
    if len(tail) == 0:
        return
    w = A[tail, head]
    master = cycles._Master(w, integral=True)
    if master.add(all_cycles(A)) == 0:
        return
    best = brute_min_backflow(A)
    backs = [(np.argsort(p)[tail] > np.argsort(p)[head]).astype(np.int64) for p in itertools.permutations(range(n))]
    for _ in range(5):
        status, y, bound = master.lp(10.0)
        assert status == "optimal" and bound <= best
        out = cover_cuts(y, *csr(*master.all_rows()), 1e-6, 1.0, 50, 10**7)
        G, b, _ = dense(out, len(w))
        for back in backs:
            assert (G @ back >= b).all()
        if master.add_cuts(*out[:4]) == 0:
            break
    status, y, bound = master.lp(10.0)
    assert bound <= best == reference_dp(A)
    assert math.isfinite(bound)
