"""Kernel of the cycle-packing lower bound on sparse graphs (numba).

Every cycle of a digraph has an arc that points backwards in any order, so weights ``y_C >= 0`` on
cycles with ``sum_{C contains a} y_C <= w_a`` on every arc (a packing) bound the least back-flow from
below by ``sum_C y_C``. The kernel packs short cycles through given arcs, found by breadth-first search on
the residual weights.
"""
from __future__ import annotations

import numpy as np
from numba import njit

__all__ = ["pack_cycles"]


@njit(cache=True, nogil=True)
def pack_cycles(optr, oidx, tails, arcs, res, load, stamp, parent, queue, depth, visit_cap, tries,
                max_len, least):
    """Pack cycles of at most `max_len` arcs through each arc of `arcs` (indices into the out-lists;
    ``tails[k]`` is the tail of arc ``k``).

    For an arc ``u -> v``, a breadth-first search from `v` over arcs of residual weight ``res >= least``
    finds a shortest path back to `u` (at most ``max_len - 1`` arcs, at most `visit_cap` nodes
    reached); the least residual weight on the cycle is subtracted from ``res`` and added to ``load``
    of each of its arcs; repeated up to `tries` times per arc. `stamp` (int64 per node), `parent` (the
    arc into each node), `queue` and `depth` (n entries each) are work arrays. Returns the total
    packed.
    """
    total = 0.0
    base = stamp.max() + 1
    for t in range(arcs.shape[0]):
        a = arcs[t]
        u = tails[a]
        v = oidx[a]
        for _ in range(tries):
            if res[a] < least:
                break
            base += 1
            stamp[v] = base
            depth[v] = 0
            queue[0] = v
            head, tail = 0, 1
            found = False
            while head < tail and not found and tail < visit_cap:
                x = queue[head]
                head += 1
                if depth[x] + 2 > max_len:
                    continue
                for k in range(optr[x], optr[x + 1]):
                    y = oidx[k]
                    if res[k] < least or stamp[y] == base:
                        continue
                    stamp[y] = base
                    parent[y] = k
                    depth[y] = depth[x] + 1
                    if y == u:
                        found = True
                        break
                    queue[tail] = y
                    tail += 1
            if not found:
                break
            amount = res[a]
            y = u
            while y != v:
                k = parent[y]
                if res[k] < amount:
                    amount = res[k]
                y = tails[k]
            res[a] -= amount
            load[a] += amount
            y = u
            while y != v:
                k = parent[y]
                res[k] -= amount
                load[k] += amount
                y = tails[k]
            total += amount
    return total
