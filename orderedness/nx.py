"""networkx adapter: minimum-weight feedback arc sets of directed graphs.

networkx is optional: it is never imported here; the functions only use the graph's own methods.
"""
from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from .lop import min_backflow
from .result import Ordering
from .validate import InputError, as_matrix, check_memory

__all__ = ["feedback_arc_set", "FeedbackArcSet", "to_matrix"]


@dataclass
class FeedbackArcSet:
    """A feedback arc set of a directed graph and the order that defines it.

    Attributes
    ----------
    arcs : set
        Arcs ``(u, v)`` (``(u, v, key)`` for a multigraph) whose removal leaves the graph acyclic:
        the arcs that go backwards in `order`, and every self-loop.
    order : list
        The nodes, first to last; every arc not in `arcs` goes forwards.
    weight : float
        Total weight of `arcs`.
    lower_bound : float
        Proven lower bound on the weight of every feedback arc set (self-loops included).
    optimal : bool
        True when `arcs` is proven to be of minimum weight.
    result : Ordering
        The solver's answer on the weight matrix (method, seconds, stats).
    """

    arcs: set
    order: list
    weight: float
    lower_bound: float
    optimal: bool
    result: Ordering = field(repr=False)


def to_matrix(G, weight: str | None = "weight") -> tuple[np.ndarray, list]:
    """Weight matrix ``A[x, y]`` = total weight of the arcs ``x -> y`` of `G`, and the node list.

    Parameters
    ----------
    G : networkx.DiGraph or networkx.MultiDiGraph
        The graph; parallel arcs add up.
    weight : str or None
        Edge attribute holding the weight (1 where missing), or None for unit weights.

    Returns
    -------
    A : (n, n) ndarray
        Rows and columns follow the node list.
    nodes : list
        ``list(G)``.
    """
    if not (hasattr(G, "is_directed") and hasattr(G, "edges") and hasattr(G, "nodes")):
        raise InputError(f"expected a networkx DiGraph, got {type(G).__name__}")
    if not G.is_directed():
        raise InputError("the graph is undirected; a feedback arc set needs a directed graph "
                         "(networkx.DiGraph)")
    nodes = list(G)
    n = len(nodes)
    if n == 0:
        raise InputError("the graph has no nodes; pass a graph with at least one node")
    check_memory(8 * n * n, None, f"a dense weight matrix of {n} nodes", "pass a smaller graph")
    index = {v: k for k, v in enumerate(nodes)}
    A = np.zeros((n, n))
    for u, v, w in G.edges(data=weight, default=1.0):
        if weight is None:
            w = 1.0
        A[index[u], index[v]] += w
    A = as_matrix(A, "edge weights")
    if (A < 0).any():
        raise InputError("negative edge weights: a minimum-weight feedback arc set needs weights >= 0; "
                         "pass non-negative weights")
    return A, nodes


def feedback_arc_set(G, weight: str | None = "weight", method: str = "auto", *,
                     time_limit: float | None = None, seed: int = 0, **options) -> FeedbackArcSet:
    """Minimum-weight feedback arc set of a directed graph (networkx), with a proven bound.

    The arcs to remove are those going backwards in the order that minimises their weight (the
    linear ordering problem), plus every self-loop. Exact methods prove the set minimal; the
    heuristic reports a proven lower bound.

    Parameters
    ----------
    G : networkx.DiGraph or networkx.MultiDiGraph
        The graph.
    weight : str or None
        Edge attribute of the weights (missing: 1); None for unit weights. Weights must be >= 0.
    method : str
        Solver, as for :func:`orderedness.min_backflow` (``"auto"``, ``"dp"``, ``"heuristic"``, ...).
    time_limit : float, optional
        Seconds.
    seed : int
        Seed of randomised solvers.
    **options
        Passed to the solver.

    Returns
    -------
    FeedbackArcSet
        ``arcs``, ``order``, ``weight``, ``lower_bound``, ``optimal`` and the solver's ``result``.

    Examples
    --------
    >>> import networkx as nx
    >>> G = nx.DiGraph([("a", "b", {"weight": 3}), ("b", "c", {"weight": 2}), ("c", "a", {"weight": 1})])
    >>> fas = feedback_arc_set(G)
    >>> fas.arcs, fas.order, fas.weight, fas.optimal
    ({('c', 'a')}, ['a', 'b', 'c'], 1.0, True)
    """
    A, nodes = to_matrix(G, weight)
    r = min_backflow(A, method=method, time_limit=time_limit, seed=seed, **options)
    order = [nodes[k] for k in r.order]
    rank = {v: k for k, v in enumerate(order)}
    edges = G.edges(keys=True, data=weight, default=1.0) if G.is_multigraph() else \
        G.edges(data=weight, default=1.0)
    arcs, total = set(), 0.0
    for e in edges:
        u, v, w = e[0], e[1], e[-1]
        if rank[u] >= rank[v]:
            arcs.add(tuple(e[:-1]))
            total += 1.0 if weight is None else float(w)
    loops = float(np.trace(A))
    return FeedbackArcSet(arcs, order, total, r.lower_bound + loops, r.optimal, r)
