"""Suite ``sparse-fas``: minimum feedback arc sets of the sparse benchmark graphs of Baharev, Schichl,
Neumaier & Achterberg (*An exact method for the minimum feedback arc set problem*, ACM JEA 26, 2021),
proven by ``method="auto"`` (which picks ``fas``) and compared with the published minimum sizes.

The graphs are deterministic constructions on ``n`` nodes of out-degree ``d``, self-loops removed:

- generalised de Bruijn: ``x -> (d x + r) mod n`` for ``r = 0 .. d-1``;
- Imase-Itoh: ``x -> (-d x - r) mod n`` for ``r = 1 .. d``.

These generators reproduce, arc for arc, the 24 edge lists the authors publish with their code
(``data/benchmark_mfes`` of github.com/baharev/sdopt-tearing), whose minimum feedback arc sets have the
sizes in :data:`PUBLISHED` (checked here: every size below is the line count of their ``.mfes`` file).
"""
from __future__ import annotations

import numpy as np

__all__ = ["de_bruijn", "imase_itoh", "PUBLISHED", "GRAPHS"]

PUBLISHED = {
    ("de_bruijn", 100, 3): 58, ("de_bruijn", 100, 4): 91, ("de_bruijn", 100, 5): 116,
    ("de_bruijn", 100, 6): 158, ("de_bruijn", 110, 3): 63, ("de_bruijn", 110, 4): 97,
    ("de_bruijn", 110, 5): 134, ("de_bruijn", 110, 6): 172, ("de_bruijn", 120, 3): 66,
    ("de_bruijn", 120, 4): 108, ("de_bruijn", 120, 5): 150, ("de_bruijn", 120, 6): 180,
    ("imase_itoh", 100, 3): 66, ("imase_itoh", 100, 4): 90, ("imase_itoh", 100, 5): 126,
    ("imase_itoh", 100, 6): 156, ("imase_itoh", 100, 7): 192, ("imase_itoh", 110, 3): 62,
    ("imase_itoh", 110, 4): 100, ("imase_itoh", 110, 5): 135, ("imase_itoh", 110, 6): 172,
    ("imase_itoh", 110, 7): 210, ("imase_itoh", 120, 3): 72, ("imase_itoh", 120, 4): 114,
}


def _graph(n: int, d: int, targets) -> np.ndarray:
    x = np.repeat(np.arange(n), d)
    y = targets(x, np.tile(np.arange(d), n)) % n
    A = np.zeros((n, n))
    A[x, y] = 1.0
    np.fill_diagonal(A, 0.0)
    return A


def de_bruijn(n: int, d: int) -> np.ndarray:
    """Adjacency matrix of the generalised de Bruijn digraph (``x -> d x + r mod n``), no self-loops.

    Examples
    --------
    >>> int(de_bruijn(100, 4).sum())
    396
    """
    return _graph(n, d, lambda x, r: d * x + r)


def imase_itoh(n: int, d: int) -> np.ndarray:
    """Adjacency matrix of the Imase-Itoh digraph (``x -> -d x - r mod n``, ``r = 1..d``), no self-loops.

    Examples
    --------
    >>> int(imase_itoh(100, 3).sum())
    300
    """
    return _graph(n, d, lambda x, r: -d * x - r - 1)


GRAPHS = {"de_bruijn": de_bruijn, "imase_itoh": imase_itoh}
