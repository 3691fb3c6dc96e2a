"""The two exact reductions of the linear ordering problem (see ``docs/metric.md``).

1. Pairwise normalisation: every order pays ``min(A[a,b], A[b,a])`` for each pair, so
   ``A = min(A, A.T) + N`` with ``N >= 0`` and at most one of ``N[a,b]``, ``N[b,a]`` non-zero.
2. Strongly connected components of the support of ``N`` (arc ``x -> y`` when ``N[x,y] > 0``, meaning
   "x wants to precede y"): ordered topologically they cost nothing between each other, so each
   component is solved alone.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy.sparse import csr_matrix
from scipy.sparse.csgraph import connected_components

__all__ = ["Reduction", "reduce"]


@dataclass
class Reduction:
    """A linear ordering problem split into independent parts.

    Attributes
    ----------
    constant : float
        Back-flow every order pays (the pairwise part).
    normalized : ndarray
        ``N = A - min(A, A.T)`` with a zero diagonal; non-negative.
    components : list of ndarray
        Node indices of each strongly connected component of ``N > 0``, in topological order.
    """

    constant: float
    normalized: np.ndarray
    components: list

    def stats(self) -> dict:
        sizes = sorted((len(c) for c in self.components), reverse=True)
        return {"constant": self.constant, "components": len(sizes),
                "largest_component": sizes[0] if sizes else 0,
                "nontrivial_sizes": [s for s in sizes if s > 1]}


def reduce(A: np.ndarray) -> Reduction:
    """Normalise `A` pairwise and split it into strongly connected components.

    Examples
    --------
    >>> import numpy as np
    >>> A = np.array([[0., 3, 1], [1, 0, 0], [0, 0, 0]])
    >>> r = reduce(A)
    >>> r.constant, [c.tolist() for c in r.components]
    (1.0, [[0], [1], [2]])
    """
    A = np.asarray(A, dtype=np.float64)
    M = np.minimum(A, A.T)
    constant = float(np.triu(M, 1).sum())
    N = A - M
    np.fill_diagonal(N, 0.0)
    support = N > 0
    k, labels = connected_components(csr_matrix(support), directed=True, connection="strong")
    rank = _topological_rank(support, labels, k)
    order = np.lexsort((np.arange(len(A)), rank[labels]))
    bounds = np.flatnonzero(np.diff(rank[labels][order])) + 1
    return Reduction(constant, N, np.split(order, bounds))


def _topological_rank(support: np.ndarray, labels: np.ndarray, k: int) -> np.ndarray:
    """Rank of each component in a topological order of the condensation (Kahn, level by level)."""
    rows, cols = np.nonzero(support)
    between = labels[rows] != labels[cols]
    dag = np.zeros((k, k), dtype=bool)
    dag[labels[rows[between]], labels[cols[between]]] = True
    indegree = dag.sum(axis=0)
    first = np.full(k, len(labels))
    np.minimum.at(first, labels, np.arange(len(labels)))
    rank = np.empty(k, dtype=np.intp)
    done = np.zeros(k, dtype=bool)
    placed = 0
    while placed < k:
        ready = np.flatnonzero((indegree == 0) & ~done)
        ready = ready[np.argsort(first[ready])]
        rank[ready] = placed + np.arange(len(ready))
        placed += len(ready)
        done[ready] = True
        indegree -= dag[ready].sum(axis=0)
    return rank
