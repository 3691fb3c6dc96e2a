"""Peers: python-igraph's feedback arc set, run on the same exactly reduced problem as ours."""
from __future__ import annotations

import numpy as np

import orderedness as od
from orderedness.reduce import reduce

__all__ = ["igraph_available", "igraph_order", "igraph_min_backflow"]


def igraph_available() -> bool:
    try:
        import igraph  # noqa: F401
    except ImportError:
        return False
    return True


def igraph_order(A: np.ndarray, method: str = "ip_ti") -> np.ndarray:
    """An order of the nodes of `A` from ``igraph.Graph.feedback_arc_set(weights, method)``.

    The same exact reductions as ours come first (pairwise normalisation, strongly connected
    components in topological order). igraph gets each component's digraph (arc x -> y of weight
    ``N[x, y]``); with the arcs it returns removed, the rest is acyclic and its topological order is
    the component's order. An exact method's arcs weigh exactly the back-flow of that order.
    """
    import igraph

    red = reduce(A)
    order = []
    for comp in red.components:
        if len(comp) < 2:
            order.extend(comp.tolist())
            continue
        N = red.normalized[np.ix_(comp, comp)]
        rows, cols = np.nonzero(N)
        g = igraph.Graph(n=len(comp), edges=list(zip(rows.tolist(), cols.tolist())), directed=True)
        g.delete_edges(g.feedback_arc_set(weights=N[rows, cols].tolist(), method=method))
        order.extend(comp[g.topological_sorting()].tolist())
    return np.asarray(order, dtype=np.int64)


def igraph_min_backflow(A: np.ndarray, method: str = "ip_ti") -> float:
    """Back-flow of :func:`igraph_order`, evaluated by :func:`orderedness.backflow` like ours."""
    return float(od.backflow(A, igraph_order(A, method)))
