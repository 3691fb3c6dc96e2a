"""Peers: python-igraph's feedback arc set, run on the same exactly reduced problem as ours."""
from __future__ import annotations

import numpy as np

from orderedness.reduce import reduce

__all__ = ["igraph_available", "igraph_min_backflow"]


def igraph_available() -> bool:
    try:
        import igraph  # noqa: F401
    except ImportError:
        return False
    return True


def igraph_min_backflow(A: np.ndarray, method: str = "ip_ti") -> float:
    """Least back-flow by ``igraph.Graph.feedback_arc_set(weights, method)``.

    The same exact reductions as ours come first (pairwise normalisation, strongly connected
    components); igraph solves each component's digraph (arc x -> y of weight N[x, y]) and the
    weights of the arcs it removes add up to the component's back-flow.
    """
    import igraph

    red = reduce(A)
    total = red.constant
    for comp in red.components:
        if len(comp) < 2:
            continue
        N = red.normalized[np.ix_(comp, comp)]
        rows, cols = np.nonzero(N)
        g = igraph.Graph(n=len(comp), edges=list(zip(rows.tolist(), cols.tolist())), directed=True)
        weights = N[rows, cols]
        removed = g.feedback_arc_set(weights=weights.tolist(), method=method)
        total += float(weights[removed].sum())
    return total
