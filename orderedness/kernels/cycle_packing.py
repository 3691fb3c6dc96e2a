"""Kernel of the cycle-packing lower bound on sparse graphs (numba).

Every cycle of a digraph has an arc that points backwards in any order, so weights ``y_C >= 0`` on
cycles with ``sum_{C contains a} y_C <= w_a`` on every arc (a packing) bound the least back-flow from
below by ``sum_C y_C``. The kernel packs cycles made of one arc that points backwards in a given order
and a path of arcs that point forwards, found by breadth-first search on the residual capacities.
"""
from __future__ import annotations

import numpy as np
from numba import njit

__all__ = ["pack_cycles"]


@njit(cache=True, nogil=True)
def pack_cycles(optr, oidx, tails, arcs, pos, res, load, stamp, parent, queue, visit_cap, tries, window, depth, max_len, least):
    """Pack cycles through the arcs ``arcs`` (indices into the out-lists; ``tails[k]`` is the tail).

    For each arc ``u -> v`` (``pos[u] > pos[v]``), search a path ``v -> ... -> u`` whose arcs go
    forwards in `pos`, stay at or before ``pos[u]`` and have residual capacity ``res > 0``; send along
    the cycle the least residual capacity on it, subtract it from ``res`` and add it to ``load``; repeat
    up to `tries` times per arc. A search stops after `visit_cap` nodes. `stamp` (int64 per node, all
    below the current stamp base ``stamp.max() + 1``), `parent` (arc into each node) and `queue` (n
    nodes) are work arrays. Returns the total packed.
    """
    total = 0.0
    base = stamp.max() + 1
    for t in range(arcs.shape[0]):
        a = arcs[t]
        u = tails[a]
        v = oidx[a]
        limit = pos[u]
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
                px = pos[x]
                for k in range(optr[x], optr[x + 1]):
                    y = oidx[k]
                    py = pos[y]
                    if (window and (py <= px or py > limit)) or res[k] < least or stamp[y] == base:
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
