"""Graph kernels on adjacency lists (numba)."""
from __future__ import annotations

import numpy as np
from numba import njit

__all__ = ["topological_rank"]


@njit(cache=True, nogil=True)
def topological_rank(indptr, indices, first):
    """Rank of each node of a DAG in a topological order built level by level (Kahn).

    A level is every node whose predecessors are all ranked; within a level, nodes are ranked by
    `first` (ascending). ``indptr``/``indices`` are the CSR of the arcs (repeated arcs allowed).
    """
    k = indptr.shape[0] - 1
    indegree = np.zeros(k, dtype=np.int64)
    for j in range(indices.shape[0]):
        indegree[indices[j]] += 1
    level = np.empty(k, dtype=np.int64)
    size = 0
    for c in range(k):
        if indegree[c] == 0:
            level[size] = c
            size += 1
    rank = np.empty(k, dtype=np.int64)
    following = np.empty(k, dtype=np.int64)
    placed = 0
    while size > 0:
        current = level[:size][np.argsort(first[level[:size]], kind="mergesort")]
        nxt = 0
        for c in current:
            rank[c] = placed
            placed += 1
            for j in range(indptr[c], indptr[c + 1]):
                d = indices[j]
                indegree[d] -= 1
                if indegree[d] == 0:
                    following[nxt] = d
                    nxt += 1
        level[:nxt] = following[:nxt]
        size = nxt
    return rank
