"""Brute force over all n! orders: the reference, for n <= 10 only."""
from __future__ import annotations

from itertools import islice, permutations
from math import factorial
from time import perf_counter

import numpy as np

from ...backflow import backflow, pairwise_bound
from ...result import Ordering
from ...validate import InputError, check_options

__all__ = ["solve", "check", "estimate_seconds", "MAX_N"]

MAX_N = 10
OPTIONS = ()           # options solve() takes beyond the common signature
_BATCH = 1 << 16


def check(n: int, **options) -> None:
    """Refuse n > 10 (10! = 3.6 million orders)."""
    if n > MAX_N:
        raise InputError(f"method='brute' tries all n! orders and takes n <= {MAX_N}, got n = {n}; "
                         "use method='dp' (exact) or 'auto'")


def estimate_seconds(n: int) -> float:
    """Expected wall time at size `n`: about 3.6e5 orders a second (9! in about a second)."""
    return factorial(n) / 3.6e5


def solve(A: np.ndarray, *, time_limit=None, seed: int = 0, **options) -> Ordering:
    """Try every order, in batches (vectorised with numpy); keep the first best.

    When stopped by `time_limit`, returns the best order seen with the pairwise lower bound.
    """
    t0 = perf_counter()
    check_options(options, OPTIONS, "method='brute'")
    n = A.shape[0]
    check(n)
    rows, cols = np.tril_indices(n, -1)
    perms = permutations(range(n))
    best, best_order, seen = np.inf, np.arange(n), 0
    while True:
        batch = np.array(list(islice(perms, _BATCH)), dtype=np.intp).reshape(-1, n)
        if len(batch) == 0:
            break
        costs = A[batch[:, rows], batch[:, cols]].sum(axis=1)
        k = int(np.argmin(costs))
        if costs[k] < best:
            best, best_order = costs[k], batch[k]
        seen += len(batch)
        if time_limit is not None and perf_counter() - t0 > time_limit and seen < factorial(n):
            value = backflow(A, best_order)
            return Ordering(best_order, value, min(pairwise_bound(A), value), False, "brute",
                            perf_counter() - t0, {"orders_tried": seen, "stopped": "time limit"})
    value = backflow(A, best_order)
    return Ordering(best_order, value, value, True, "brute", perf_counter() - t0, {"orders_tried": seen})
