"""Greedy construction: sort nodes by weighted out-degree minus in-degree."""
from __future__ import annotations

from time import perf_counter

import numpy as np

from ...backflow import backflow, pairwise_bound
from ...result import Ordering
from ...validate import check_options

__all__ = ["solve", "check", "degree_order"]

OPTIONS = ()   # options solve() takes beyond the common signature


def degree_order(A: np.ndarray) -> np.ndarray:
    """Nodes sorted by ``sum_y A[x, y] - sum_y A[y, x]``, largest first (ties by index).

    A node that mostly sends weight forward (``A[x, y]`` large: x wants to precede y) goes first.
    """
    return np.argsort(-(A.sum(axis=1) - A.sum(axis=0)), kind="stable")


def check(n: int, **options) -> None:
    """Any size fits."""


def solve(A: np.ndarray, *, time_limit=None, seed: int = 0, **options) -> Ordering:
    """Order by degree difference; the lower bound is the pairwise bound."""
    t0 = perf_counter()
    check_options(options, OPTIONS, "method='greedy'")
    order = degree_order(A)
    value = backflow(A, order)
    lower = min(pairwise_bound(A), value)
    return Ordering(order, value, lower, lower == value, "greedy", perf_counter() - t0)
