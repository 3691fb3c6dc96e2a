"""networkx adapter: minimum-weight feedback arc sets of directed graphs.

networkx is optional: it is never imported here; the functions only use the graph's own methods.
"""
from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from scipy.sparse import coo_matrix, csr_matrix, issparse

from .lop import min_backflow
from .result import Ordering
from .validate import InputError, as_matrix, check_memory, check_names, check_square

__all__ = ["feedback_arc_set", "FeedbackArcSet", "to_matrix", "to_sparse"]


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
    nodes = _nodes(G)
    n = len(nodes)
    check_memory(8 * n * n, None, f"a dense weight matrix of {n} nodes", "pass a smaller graph")
    index = {v: k for k, v in enumerate(nodes)}
    A = np.zeros((n, n))
    for u, v, w in G.edges(data=weight, default=1.0):
        if weight is None:
            w = 1.0
        A[index[u], index[v]] += w
    A = as_matrix(A, "edge weights")
    _check_non_negative(A.min())
    return A, nodes


def to_sparse(G, weight: str | None = "weight") -> tuple[csr_matrix, list]:
    """Like :func:`to_matrix`, as a sparse matrix (memory O(n + m), for graphs of any size).

    Examples
    --------
    >>> import networkx as nx
    >>> A, nodes = to_sparse(nx.DiGraph([("a", "b"), ("b", "a"), ("a", "b")]))
    >>> A.toarray().tolist(), nodes
    ([[0.0, 1.0], [1.0, 0.0]], ['a', 'b'])
    """
    nodes = _nodes(G)
    index = {v: k for k, v in enumerate(nodes)}
    edges = list(G.edges(data=weight, default=1.0))
    rows = np.fromiter((index[e[0]] for e in edges), np.int64, len(edges))
    cols = np.fromiter((index[e[1]] for e in edges), np.int64, len(edges))
    try:
        w = np.array([1.0 if weight is None else e[2] for e in edges], dtype=np.float64)
    except (TypeError, ValueError):
        raise InputError(f"edge weights ({weight!r}) must be numbers; fix the graph's edge data") from None
    A = check_square(coo_matrix((w, (rows, cols)), shape=(len(nodes),) * 2), "edge weights")
    _check_non_negative(A.data.min() if A.nnz else 0.0)
    return A, nodes


def _nodes(G) -> list:
    if not (hasattr(G, "is_directed") and hasattr(G, "edges") and hasattr(G, "nodes")):
        raise InputError(f"expected a networkx DiGraph, got {type(G).__name__}")
    if not G.is_directed():
        raise InputError("the graph is undirected; a feedback arc set needs a directed graph "
                         "(networkx.DiGraph)")
    nodes = list(G)
    if not nodes:
        raise InputError("the graph has no nodes; pass a graph with at least one node")
    return nodes


def _check_non_negative(smallest: float) -> None:
    if smallest < 0:
        raise InputError("negative edge weights: a minimum-weight feedback arc set needs weights >= 0; "
                         "pass non-negative weights")


def feedback_arc_set(G, weight: str | None = "weight", method: str = "auto", *, names=None,
                     time_limit: float | None = None, seed: int = 0, **options) -> FeedbackArcSet:
    """Minimum-weight feedback arc set of a directed graph, with a proven bound.

    The arcs to remove are those going backwards in the order that minimises their weight (the
    linear ordering problem), plus every self-loop. Exact methods prove the set minimal; the
    heuristics report a proven lower bound. The graph stays sparse (memory O(n + m)).

    Parameters
    ----------
    G : networkx.DiGraph, networkx.MultiDiGraph, ndarray or scipy.sparse matrix
        The graph; a matrix ``A[x, y]`` is the weight of the arc ``x -> y`` (as loaded from an edge
        list by :func:`orderedness.io.load_network`).
    weight : str or None
        Edge attribute of the weights (missing: 1); None for unit weights. Weights must be >= 0.
    method : str
        Solver, as for :func:`orderedness.min_backflow` (``"auto"``, ``"dp"``, ``"heuristic"``, ...).
    names : sequence, optional
        Node names of a matrix (default ``0..n-1``); a networkx graph names its nodes itself.
    time_limit : float, optional
        Seconds; None (the default): no limit (see :func:`orderedness.min_backflow`).
    seed : int
        Seed of randomised solvers.
    **options
        Passed to the solver.

    Returns
    -------
    FeedbackArcSet
        ``arcs`` (pairs of node names), ``order``, ``weight``, ``lower_bound``, ``optimal`` and the
        solver's ``result``.

    Examples
    --------
    >>> import networkx as nx
    >>> G = nx.DiGraph([("a", "b", {"weight": 3}), ("b", "c", {"weight": 2}), ("c", "a", {"weight": 1})])
    >>> fas = feedback_arc_set(G)
    >>> fas.arcs, fas.order, fas.weight, fas.optimal
    ({('c', 'a')}, ['a', 'b', 'c'], 1.0, True)
    >>> from scipy.sparse import csr_matrix
    >>> feedback_arc_set(csr_matrix(np.array([[0, 3, 0], [0, 0, 2], [1, 0, 0]])), names="abc").arcs
    {('c', 'a')}
    """
    graph = hasattr(G, "is_directed") and hasattr(G, "edges")
    if graph:
        A, nodes = to_sparse(G, weight)
    elif issparse(G) or isinstance(G, np.ndarray):
        A = check_square(G, "G")
        _check_non_negative(A.min() if A.size else 0.0)
        nodes = check_names(names, A.shape[0]) or list(range(A.shape[0]))
    else:
        raise InputError(f"expected a networkx DiGraph, a numpy array or a scipy.sparse matrix, "
                         f"got {type(G).__name__}")
    r = min_backflow(A, method=method, time_limit=time_limit, seed=seed, names=nodes, **options)
    rank = {v: k for k, v in enumerate(r.names)}
    if graph:
        edges = G.edges(keys=True, data=weight, default=1.0) if G.is_multigraph() else \
            G.edges(data=weight, default=1.0)
        arcs, total = set(), 0.0
        for e in edges:
            if rank[e[0]] >= rank[e[1]]:
                arcs.add(tuple(e[:-1]))
                total += 1.0 if weight is None else float(e[-1])
    else:
        C = coo_matrix(A)
        back = r.order.argsort()[C.row] >= r.order.argsort()[C.col]
        arcs = {(nodes[x], nodes[y]) for x, y in zip(C.row[back].tolist(), C.col[back].tolist())}
        total = float(C.data[back].sum())
    loops = float(A.diagonal().sum())
    return FeedbackArcSet(arcs, r.names, total, r.lower_bound + loops, r.optimal, r)
