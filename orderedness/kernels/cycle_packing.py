"""Kernel of the cycle-packing lower bound on sparse graphs (numba).

Every cycle of a digraph has an arc that points backwards in any order, so weights ``y_C >= 0`` on
cycles with ``sum_{C contains a} y_C <= w_a`` on every arc (a packing) bound the least back-flow from
below by ``sum_C y_C``. The kernel packs short cycles through given arcs, found by breadth-first search on
the residual weights (bidirectional: the search from both ends of the cycle reaches far fewer nodes
than one from one end, which makes cycles of ten arcs and more affordable on graphs of a million arcs).
"""
from __future__ import annotations

import numpy as np
from numba import njit

__all__ = ["pack_cycles", "route_light_cycles"]


@njit(cache=True, nogil=True)
def _grow(queue, first, last, tail, ptr, slots, ends, forward, res, least, stamp, other, par, base, cap):
    """Grow one layer ``queue[first:last]`` of one side of a bidirectional search, appending the nodes
    it reaches at ``queue[tail:]`` (until `tail` exceeds `cap`).

    The arcs out of node ``x`` are ``slots[s]`` for ``s`` in ``ptr[x]:ptr[x + 1]`` (the slot itself
    when `forward`: the out-lists), leading to ``ends[k]``; only arcs with ``res >= least`` count.
    `stamp` marks this side's nodes of search `base`, `other` the other side's, and ``par[y]`` is
    the arc that reached ``y``. Returns ``(tail, meet)``, `meet` the first node both sides reached
    (-1 if none).
    """
    for i in range(first, last):
        x = queue[i]
        for s in range(ptr[x], ptr[x + 1]):
            k = s if forward else slots[s]
            y = ends[k]
            if res[k] < least or stamp[y] == base:
                continue
            stamp[y] = base
            par[y] = k
            if other[y] == base:
                return tail, y
            queue[tail] = y
            tail += 1
        if tail > cap:
            break
    return tail, -1


@njit(cache=True, nogil=True)
def _load_path(par, ends, y, stop, res, load, amount):
    """Move `amount` from ``res`` to ``load`` on each arc of the path from `y` back to `stop` along
    ``par`` (``ends[k]``: the end of arc ``k`` nearer `stop`)."""
    while y != stop:
        k = par[y]
        res[k] -= amount
        load[k] += amount
        y = ends[k]


@njit(cache=True, nogil=True)
def _least_residual(par, ends, y, stop, res, amount):
    """The least of `amount` and ``res`` on the path from `y` back to `stop` along ``par``."""
    while y != stop:
        k = par[y]
        amount = min(amount, res[k])
        y = ends[k]
    return amount


@njit(cache=True, nogil=True)
def pack_cycles(optr, oidx, iptr, iarc, tails, arcs, res, load, fstamp, bstamp, fpar, bpar, fqueue, bqueue,
                visit_cap, tries, max_len, least):
    """Pack cycles of at most `max_len` arcs through each arc of `arcs` (indices into the out-lists;
    ``tails[k]`` is the tail of arc ``k``, ``iptr, iarc`` list the arcs into each node).

    For an arc ``u -> v``, a bidirectional breadth-first search over arcs of residual weight
    ``res >= least``, forwards from `v` and backwards from `u` (the smaller frontier grows a layer at a
    time), finds a simple path from `v` back to `u` of at most ``max_len - 1`` arcs, reaching at most
    `visit_cap` nodes; the least residual weight on the cycle is subtracted from ``res`` and added to
    ``load`` of each of its arcs; repeated up to `tries` times per arc. `fstamp`, `bstamp` (int64 per
    node), `fpar`, `bpar` (the arc by which each node was reached from each side), `fqueue` and
    `bqueue` (n entries each) are work arrays. Returns the total packed.
    """
    total = 0.0
    base = max(fstamp.max(), bstamp.max()) + 1
    for t in range(arcs.shape[0]):
        a = arcs[t]
        u = tails[a]
        v = oidx[a]
        for _ in range(tries):
            if res[a] < least:
                break
            base += 1
            fstamp[v] = base
            bstamp[u] = base
            fqueue[0] = v
            bqueue[0] = u
            f0, f1, b0, b1 = 0, 1, 0, 1             # the current layers: fqueue[f0:f1], bqueue[b0:b1]
            ftail, btail = 1, 1
            hops = 0
            meet = -1
            while meet < 0 and hops < max_len - 1 and f0 < f1 and b0 < b1 and ftail + btail <= visit_cap:
                if f1 - f0 <= b1 - b0:              # forwards from v over the out-lists
                    ftail, meet = _grow(fqueue, f0, f1, ftail, optr, oidx, oidx, True, res, least, fstamp,
                                        bstamp, fpar, base, visit_cap - btail)
                    f0, f1 = f1, ftail
                else:                               # backwards from u over the in-lists
                    btail, meet = _grow(bqueue, b0, b1, btail, iptr, iarc, tails, False, res, least, bstamp,
                                        fstamp, bpar, base, visit_cap - ftail)
                    b0, b1 = b1, btail
                hops += 1
            if meet < 0:
                break
            amount = _least_residual(fpar, tails, meet, v, res, res[a])     # the forward half, v ~> meet
            amount = _least_residual(bpar, oidx, meet, u, res, amount)      # the backward half, meet ~> u
            res[a] -= amount
            load[a] += amount
            _load_path(fpar, tails, meet, v, res, load, amount)
            _load_path(bpar, oidx, meet, u, res, load, amount)
            total += amount
    return total


@njit(cache=True, nogil=True)
def _two_arc_paths(s, ptr, slots, ends, forward, length, stamp, dist, via, base):
    """The lightest paths of 0, 1 and 2 arcs under `length` from node `s` over the lists ``ptr``,
    ``slots``, ``ends`` (as in :func:`_grow`: the out-lists when `forward`, else the in-lists):
    ``stamp[y] = base`` marks each node reached, ``dist[y]`` its distance and ``via[y]`` its arcs
    (-1 where the path is shorter)."""
    stamp[s] = base
    dist[s] = 0.0
    via[s, 0] = -1
    via[s, 1] = -1
    for s1 in range(ptr[s], ptr[s + 1]):
        k1 = s1 if forward else slots[s1]
        y1 = ends[k1]
        if stamp[y1] != base or length[k1] < dist[y1]:
            stamp[y1] = base
            dist[y1] = length[k1]
            via[y1, 0] = k1
            via[y1, 1] = -1
    for s1 in range(ptr[s], ptr[s + 1]):         # one arc per pair of nodes: no parallel arcs
        k1 = s1 if forward else slots[s1]
        y1 = ends[k1]
        for s2 in range(ptr[y1], ptr[y1 + 1]):
            k2 = s2 if forward else slots[s2]
            y2 = ends[k2]
            d2 = length[k1] + length[k2]
            if stamp[y2] != base or d2 < dist[y2]:
                stamp[y2] = base
                dist[y2] = d2
                via[y2, 0] = k1
                via[y2, 1] = k2


@njit(cache=True, nogil=True)
def route_light_cycles(optr, oidx, iptr, iarc, tails, arcs, weight, load, length, eps, threshold, tries,
                       fstamp, fdist, fvia, gstamp, gdist, gvia, base, alive):
    """One phase of a multiplicative-weights (Garg-Koenemann) fractional packing of cycles of at most
    five arcs.

    For each arc ``u -> v`` of `arcs` the lightest closed walk ``u -> v ~> u`` of at most five arcs
    under the arc lengths `length` is found exactly, meeting in the middle: the lightest paths of at
    most two arcs out of `v` and into `u`. While it is lighter than `threshold` (at most `tries` times
    per arc) it is routed with the least weight on it: ``load += amount`` and
    ``length *= exp(eps * amount / weight)`` on each of its arcs. A closed walk contains a cycle, so
    every order pays for one of its arcs. `load` may exceed `weight`: the caller scales the packing
    down. ``iptr, iarc`` list the arcs into each node (indices into the out-lists). `fstamp`, `gstamp`
    (int64), `fdist`, `gdist` (float) and `fvia`, `gvia` (int64, two arcs per node: shape (n, 2)) are
    work arrays; `base` numbers the searches (returned updated); ``alive[t]`` is set False when no walk
    at all passes through ``arcs[t]``. Returns ``(total routed, base,
    lightest)``, the last the least length of a walk found too heavy to route (inf if none).
    """
    total = 0.0
    lightest = np.inf
    for t in range(arcs.shape[0]):
        a = arcs[t]
        u = tails[a]
        v = oidx[a]
        for _ in range(tries):
            base += 1
            _two_arc_paths(v, optr, oidx, oidx, True, length, fstamp, fdist, fvia, base)     # out of v
            _two_arc_paths(u, iptr, iarc, tails, False, length, gstamp, gdist, gvia, base)   # into u
            best = np.inf
            meet = -1
            if gstamp[v] == base and gdist[v] < best:
                best = gdist[v]
                meet = v
            for k1 in range(optr[v], optr[v + 1]):
                y1 = oidx[k1]
                if gstamp[y1] == base and fdist[y1] + gdist[y1] < best:
                    best = fdist[y1] + gdist[y1]
                    meet = y1
                for k2 in range(optr[y1], optr[y1 + 1]):
                    y2 = oidx[k2]
                    if gstamp[y2] == base and fdist[y2] + gdist[y2] < best:
                        best = fdist[y2] + gdist[y2]
                        meet = y2
            if meet < 0:
                alive[t] = False                  # no closed walk of five arcs or less through a
                break
            if length[a] + best >= threshold:
                lightest = min(lightest, length[a] + best)
                break
            amount = weight[a]
            for side in range(4):
                k = fvia[meet, side] if side < 2 else gvia[meet, side - 2]
                if k >= 0 and weight[k] < amount:
                    amount = weight[k]
            for side in range(5):
                k = a if side == 4 else (fvia[meet, side] if side < 2 else gvia[meet, side - 2])
                if k >= 0:
                    load[k] += amount
                    length[k] *= np.exp(eps * amount / weight[k])
            total += amount
    return total, base, lightest
