"""networkx adapter: feedback arc sets that leave the graph acyclic, of minimum weight."""
import numpy as np
import pytest

import orderedness as od

nx = pytest.importorskip("networkx")


def random_digraph(seed, n, p=0.4, multi=False):
    rng = np.random.default_rng(seed)
    G = nx.MultiDiGraph() if multi else nx.DiGraph()
    G.add_nodes_from(f"v{k}" for k in range(n))
    for u in range(n):
        for v in range(n):
            if u != v and rng.random() < p:
                G.add_edge(f"v{u}", f"v{v}", weight=float(rng.integers(1, 9)))
                if multi and rng.random() < 0.3:
                    G.add_edge(f"v{u}", f"v{v}", weight=1.0)
    return G


def brute_fas_weight(G, weight="weight"):
    A, nodes = od.nx.to_matrix(G, weight)
    return od.min_backflow(A, method="brute").backflow + np.trace(A)


@pytest.mark.parametrize("seed", range(6))
@pytest.mark.parametrize("method", ["auto", "dp", "heuristic"])
def test_fas_is_minimal_and_leaves_a_dag(seed, method):
    G = random_digraph(seed, 8)
    fas = od.feedback_arc_set(G, method=method, time_limit=5.0)
    H = G.copy()
    H.remove_edges_from(fas.arcs)
    assert nx.is_directed_acyclic_graph(H)
    assert fas.weight == pytest.approx(brute_fas_weight(G))
    assert fas.weight == pytest.approx(sum(G.edges[e]["weight"] for e in fas.arcs))
    assert fas.lower_bound <= fas.weight + 1e-9
    assert sorted(fas.order) == sorted(G)


def test_multigraph_self_loops_and_unit_weights():
    G = random_digraph(1, 7, multi=True)
    G.add_edge("v0", "v0", weight=2.0)
    fas = od.feedback_arc_set(G, method="dp")
    assert ("v0", "v0", 0) in fas.arcs and all(len(e) == 3 for e in fas.arcs)
    H = G.copy()
    H.remove_edges_from(fas.arcs)
    assert nx.is_directed_acyclic_graph(H)
    assert fas.weight == pytest.approx(brute_fas_weight(G)) and fas.optimal
    unit = od.feedback_arc_set(nx.DiGraph(nx.cycle_graph(5, create_using=nx.DiGraph)), weight=None)
    assert unit.weight == 1.0 and len(unit.arcs) == 1


def test_dag_needs_no_arcs():
    G = nx.gn_graph(30, seed=3)
    fas = od.feedback_arc_set(G)
    assert fas.arcs == set() and fas.weight == 0 and fas.optimal


@pytest.mark.parametrize("G, match", [
    (nx.Graph([(0, 1)]), "undirected"),
    (nx.DiGraph([(0, 1, {"weight": -1.0}), (1, 0, {"weight": 1.0})]), "negative"),
    (nx.DiGraph(), "no nodes"),
    ([[0, 1], [1, 0]], "networkx DiGraph, a numpy array"),
])
def test_bad_graphs_are_refused(G, match):
    with pytest.raises(od.InputError, match=match):
        od.feedback_arc_set(G)


def test_score_accepts_a_digraph_and_names_the_order():
    nx = pytest.importorskip("networkx")
    G = nx.DiGraph()
    G.add_weighted_edges_from([("a", "b", 2.0), ("b", "c", 1.0), ("c", "a", 0.5), ("c", "d", 4.0)])
    s = od.score(G)
    assert s.value == pytest.approx(1 - 0.5 / 7.5) and s.optimal
    assert s.names[:3] == ["a", "b", "c"] and s.to_dict()["names"] == s.names
    A = nx.to_numpy_array(G, nodelist=list(G))
    assert od.score(A).value == pytest.approx(s.value)
