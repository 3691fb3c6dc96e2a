"""Scale benchmark: ``python -m bench.scale``, sparse networks of 10,000 to 1,000,000 nodes."""
from __future__ import annotations

import numpy as np
from scipy.sparse import coo_matrix, csr_matrix

__all__ = ["planted_hierarchy"]


def planted_hierarchy(n: int, arcs_per_node: float = 10.0, seed: int = 0, *, local: float = 0.7,
                      reversed_share: float = 0.2, reach: float = 8.0) -> tuple[csr_matrix, np.ndarray]:
    """A sparse weighted digraph with a hidden order, shaped like a connectome.

    ``arcs_per_node * n`` arcs are drawn: a share `local` joins a node to one close to it in a hidden
    order (rank distance 1 + a geometric number of mean `reach`), the rest join uniformly random pairs;
    each arc points forward in the hidden order, then a share `reversed_share` of all arcs is turned
    around. Weights are log-normal (mu 0, sigma 1) rounded up to integers; parallel arcs add up and
    self-loops are dropped.

    Returns
    -------
    A : csr_matrix
        ``A[x, y]`` = weight of the arc ``x -> y``.
    hidden : ndarray
        The hidden order (node ids, first to last).
    """
    g = np.random.default_rng(seed)
    m = int(round(arcs_per_node * n))
    hidden = g.permutation(n)
    n_local = int(round(local * m))
    a = g.integers(0, n, m)
    b = np.empty(m, dtype=np.int64)
    step = 1 + g.geometric(1.0 / reach, n_local)
    b[:n_local] = a[:n_local] + np.where(g.random(n_local) < 0.5, step, -step)
    b[n_local:] = g.integers(0, n, m - n_local)
    keep = (b >= 0) & (b < n) & (a != b)
    a, b = a[keep], b[keep]
    lo, hi = np.minimum(a, b), np.maximum(a, b)
    flip = g.random(len(lo)) < reversed_share
    src, dst = np.where(flip, hi, lo), np.where(flip, lo, hi)
    w = np.ceil(g.lognormal(0.0, 1.0, len(src)))
    A = coo_matrix((w, (hidden[src], hidden[dst])), shape=(n, n)).tocsr()
    A.sum_duplicates()
    return A, hidden
