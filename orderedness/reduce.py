"""The two exact reductions of the linear ordering problem (see ``docs/metric.md``).

1. Pairwise normalisation: every order pays ``min(A[a,b], A[b,a])`` for each pair, so
   ``A = min(A, A.T) + N`` with ``N >= 0`` and at most one of ``N[a,b]``, ``N[b,a]`` non-zero.
2. Strongly connected components of the support of ``N`` (arc ``x -> y`` when ``N[x,y] > 0``, meaning
   "x wants to precede y"): ordered topologically they cost nothing between each other, so each
   component is solved alone.

A scipy.sparse matrix stays sparse throughout (memory O(n + m)): the minimum with the transpose only
touches the arcs present, and the components come from the sparse structure.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from time import perf_counter

import numpy as np
from scipy.sparse import csr_matrix, issparse, triu
from scipy.sparse.csgraph import connected_components

from .kernels.graph import topological_rank
from .kernels.normalise import arcs_of, normalise

__all__ = ["Reduction", "reduce", "component_rank"]


@dataclass
class Reduction:
    """A linear ordering problem split into independent parts.

    Attributes
    ----------
    constant : float
        Back-flow every order pays (the pairwise part).
    normalized : ndarray or csr_matrix
        ``N = A - min(A, A.T)`` with a zero diagonal; non-negative; sparse when `A` was.
    components : list of ndarray
        Node indices of each strongly connected component of ``N > 0``, in topological order; one
        part of every node when the split was skipped (``split`` False).
    arcs : list of int or None
        Arcs of ``N > 0`` inside each component (at most one per pair), in the same order (None: not
        counted, the split was skipped).
    split : bool
        False when a deadline came before the split into components (the normalisation is done).
    """

    constant: float
    normalized: np.ndarray
    components: list
    arcs: list = field(default_factory=list)
    split: bool = True
    _local: np.ndarray | None = field(default=None, repr=False)   # work array of submatrix()

    def stats(self) -> dict:
        sizes = sorted((len(c) for c in self.components), reverse=True)
        return {"constant": self.constant, "components": len(sizes),
                "largest_component": sizes[0] if sizes else 0,
                "nontrivial_sizes": [s for s in sizes if s > 1], "split": self.split}

    def submatrix(self, comp: np.ndarray, dense: bool = True):
        """``normalized`` restricted to the nodes `comp` (dense, or kept sparse with ``dense=False``).

        For a sparse matrix this costs O(len(comp) + arcs out of `comp`), not O(n).
        """
        N = self.normalized
        if not issparse(N):
            return N if len(comp) == N.shape[0] else N[np.ix_(comp, comp)]   # a whole matrix is in order
        if self._local is None:
            self._local = np.full(N.shape[0], -1, dtype=np.int64)
        rows = N[comp]
        self._local[comp] = np.arange(len(comp))
        cols = self._local[rows.indices]
        self._local[comp] = -1
        inside = cols >= 0
        row_of = np.repeat(np.arange(len(comp)), np.diff(rows.indptr))
        sub = csr_matrix((rows.data[inside], (row_of[inside], cols[inside])), shape=(len(comp),) * 2)
        return sub.toarray() if dense else sub


def reduce(A, deadline: float | None = None) -> Reduction:
    """Normalise `A` pairwise and split it into strongly connected components.

    `A` is a square array, or a scipy.sparse matrix (then nothing dense of size n x n is built).
    When the clock (``perf_counter()``) passes `deadline` after the normalisation, the split is
    skipped: every node goes into one part (a correct, unsplit, instance).

    Examples
    --------
    >>> import numpy as np
    >>> A = np.array([[0., 3, 1], [1, 0, 0], [0, 0, 0]])
    >>> r = reduce(A)
    >>> r.constant, [c.tolist() for c in r.components]
    (1.0, [[0], [1], [2]])
    """
    if issparse(A):
        A = csr_matrix(A, dtype=np.float64)
        M = A.minimum(A.T)
        constant = float(triu(M, 1).sum())
        N = csr_matrix(A - M)
        N.setdiag(0.0)
        N.eliminate_zeros()
        support = N
    else:
        A = np.ascontiguousarray(A, dtype=np.float64)
        N = np.empty_like(A)
        pair_rows = np.empty(A.shape[0])
        normalise(A, N, pair_rows)
        constant = float(pair_rows.sum())
        support = None
    n = A.shape[0]
    if deadline is not None and perf_counter() >= deadline:
        return Reduction(constant, N, [np.arange(n)], [None], split=False)
    if support is None:
        support = _support(N)
    k, labels = connected_components(support, directed=True, connection="strong")
    if k == 1:                                                    # strongly connected: nothing to order
        return Reduction(constant, N, [np.arange(n)], [int(support.nnz)])
    C = support.tocoo()
    rank = component_rank(C.row, C.col, labels, k)
    order = np.lexsort((np.arange(n), rank[labels]))
    bounds = np.flatnonzero(np.diff(rank[labels][order])) + 1
    components = np.split(order, bounds)
    inside = labels[C.row] == labels[C.col]
    per_label = np.bincount(labels[C.row[inside]], minlength=k)
    return Reduction(constant, N, components, [int(per_label[labels[c[0]]]) for c in components])


def _support(N: np.ndarray) -> csr_matrix:
    """The arcs ``N > 0`` of a dense matrix as a boolean csr_matrix (two passes of a kernel, no
    ``n x n`` temporary)."""
    indptr = np.zeros(N.shape[0] + 1, dtype=np.int64)
    arcs_of(N, indptr, np.empty(0, dtype=np.int64))
    indices = np.empty(indptr[-1], dtype=np.int64)
    arcs_of(N, indptr, indices)
    return csr_matrix((np.ones(len(indices), dtype=bool), indices, indptr), shape=N.shape)


def component_rank(rows: np.ndarray, cols: np.ndarray, labels: np.ndarray, k: int) -> np.ndarray:
    """Rank of each component in a topological order of the condensation of the arcs
    ``rows[t] -> cols[t]`` (Kahn, level by level, a level's components by their first node)."""
    between = labels[rows] != labels[cols]
    dag = csr_matrix((np.ones(int(between.sum()), dtype=np.int8),
                      (labels[rows[between]], labels[cols[between]])), shape=(k, k))
    first = np.full(k, len(labels))
    np.minimum.at(first, labels, np.arange(len(labels)))
    return topological_rank(dag.indptr.astype(np.int64), dag.indices.astype(np.int64), first)
