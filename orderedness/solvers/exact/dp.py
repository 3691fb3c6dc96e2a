"""Exact subset dynamic programme (Held-Karp for the linear ordering problem), numba-compiled.

Time O(2^n n) and memory 8 * 2^n bytes (float64); the order is recovered in O(n^2) from the table.
Uses both cores from n = 18 on. When the time limit stops it, it returns the greedy order with the
pairwise lower bound.
"""
from __future__ import annotations

from math import comb
from time import perf_counter

import numpy as np

from ...backflow import backflow
from ...kernels.dp import LANE_BITS, bit_table, dp_blocks, dp_order, dp_serial
from ...result import Ordering
from ...validate import check_memory, check_options
from ..heuristics import greedy

__all__ = ["solve", "check", "memory_needed", "estimate_seconds", "SECONDS_AT_24"]

SECONDS_AT_24 = 0.3     # measured wall time at n = 24; it doubles per node

OPTIONS = ("memory_limit", "progress")   # options solve() takes beyond the common signature

PARALLEL_FROM = 18      # below this one serial pass is faster than the parallel blocks
CHUNK = 1 << 22         # masks per parallel call: time-limit checks come every few tens of ms
TOP_BITS = 12           # the parallel blocks are indexed by the top bits of the mask


def _layout(n: int) -> tuple[int, int, int]:
    """Lane bits t, mid-table bits a, block bits m for size n."""
    t = min(n, LANE_BITS)
    a = (n - t + 1) // 2
    m = max(t, n - TOP_BITS)
    return t, a, m


def memory_needed(n: int) -> int:
    """Bytes the DP allocates at size n: the table ``f`` plus the three cost tables."""
    t, a, _ = _layout(n)
    return 8 * ((1 << n) + n * ((1 << t) + (1 << a) + (1 << (n - t - a))))


def estimate_seconds(n: int) -> float:
    """Expected wall time at size `n`, from :data:`SECONDS_AT_24` (``2^n n`` work)."""
    return SECONDS_AT_24 * 2.0 ** (n - 24) * n / 24


def check(n: int, *, memory_limit=None, **options) -> None:
    """Refuse, before allocating anything, a size whose table exceeds the memory budget."""
    check_memory(memory_needed(n), memory_limit, f"the subset DP at n = {n}",
                 "use method='mip' or 'heuristic', or raise memory_limit")


def solve(A: np.ndarray, *, time_limit=None, seed: int = 0, memory_limit=None,
          progress=None, **options) -> Ordering:
    """Least back-flow order of `A` by the subset DP.

    Parameters
    ----------
    A : (n, n) ndarray
        Square float64 matrix.
    time_limit : float, optional
        Seconds; when exceeded the greedy order is returned with the pairwise bound.
    seed : int
        Unused (the DP is deterministic); accepted for the common signature.
    memory_limit : int, optional
        Bytes the table may take (default: half the available memory).
    progress : orderedness.progress.Progress, optional
        Reporter of the share of the table filled (large n only; None: silent).
    """
    t0 = perf_counter()
    check_options(options, (), "method='dp'")
    n = A.shape[0]
    check(n, memory_limit=memory_limit)
    if n <= 1:
        order = np.arange(n)
        return Ordering(order, 0.0, 0.0, True, "dp", perf_counter() - t0)
    B = np.array(A, dtype=np.float64)
    np.fill_diagonal(B, 0.0)
    t, a, m = _layout(n)
    tables = (np.ascontiguousarray(bit_table(B, 0, t).T), bit_table(B, t, a), bit_table(B, t + a, n - t - a))
    f = np.empty(1 << n, dtype=np.float64)
    if n < PARALLEL_FROM:
        dp_serial(f, *tables, t, a)
    elif not _fill_parallel(f, tables, t, a, m, n, t0, time_limit, progress):
        stopped = greedy.solve(A)
        stopped.method, stopped.seconds = "dp", perf_counter() - t0
        stopped.stats = {"stopped": "time limit reached before the DP finished; greedy order returned"}
        return stopped
    order = dp_order(f, B)
    value = backflow(A, order)
    return Ordering(order, value, value, True, "dp", perf_counter() - t0,
                    {"dp_table_bytes": memory_needed(n)})


def _fill_parallel(f, tables, t, a, m, n, t0, time_limit, progress) -> bool:
    """Fill ``f`` layer by layer of top-part popcount; False if the time limit stopped it."""
    hi_bits = n - m
    his = np.arange(1 << hi_bits, dtype=np.int64)
    his = his[np.argsort(np.bitwise_count(his), kind="stable")]  # grouped by popcount
    per_call = max(2, CHUNK >> m)
    start = 0
    for k in range(hi_bits + 1):
        layer = his[start:start + comb(hi_bits, k)]
        start += len(layer)
        for k0 in range(0, len(layer), per_call):
            if time_limit is not None and perf_counter() - t0 > time_limit:
                return False
            dp_blocks(f, *tables, t, a, m, layer[k0:k0 + per_call])
            if progress is not None:
                done = (start - len(layer) + k0 + per_call) / len(his)
                progress.update(table=f"{min(done, 1):.0%} of 2^{n}")
    return True
