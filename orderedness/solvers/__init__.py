"""Solvers of the linear ordering problem, one module per method, one signature for all::

    solve(A, *, time_limit=None, seed=0, **options) -> Ordering
    check(n, **options) -> None      # raises InputError when the method cannot take size n

`A` is a square float64 matrix (``sparse`` also takes a scipy.sparse one); :func:`orderedness.min_backflow` validates and reduces it first.
"""
from __future__ import annotations

from .exact import brute, cycles, dp, mip
from .heuristics import greedy, memetic, sparse

SOLVERS = {"brute": brute, "dp": dp, "mip": mip, "fas": cycles, "heuristic": memetic, "greedy": greedy,
           "sparse": sparse}

__all__ = ["SOLVERS"]
