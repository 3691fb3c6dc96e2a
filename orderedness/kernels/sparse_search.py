"""Kernels of the sparse heuristic: adjacency lists only, memory O(n + m) (numba).

A graph without self-loops is given by its out-lists (``optr``, ``oidx``, ``ow``: the CSR of the
weight matrix, arc ``x -> y`` of weight ``A[x, y]``, paid when `x` comes after `y`) and its in-lists
(``iptr``, ``iidx``, ``iw``: the CSR of the transpose). An order is held as a float key per node
(smaller keys first), so that moving a node costs O(1) once its place is chosen: the new key lies
strictly between the keys of two of its neighbours, and only the order between neighbours matters to
the back-flow.
"""
from __future__ import annotations

import numpy as np
from numba import njit

__all__ = ["els_order", "insertion_pass"]


@njit(cache=True, nogil=True, inline="always")
def _before(hk, hv, a, b):
    """Heap entry `a` comes out before `b`: larger key first, then smaller node."""
    return hk[a] > hk[b] or (hk[a] == hk[b] and hv[a] < hv[b])


@njit(cache=True, nogil=True, inline="always")
def _swap(hk, hv, hs, a, b):
    hk[a], hk[b] = hk[b], hk[a]
    hv[a], hv[b] = hv[b], hv[a]
    hs[a], hs[b] = hs[b], hs[a]


@njit(cache=True, nogil=True)
def _push(hk, hv, hs, size, key, v, stamp):
    """Push ``(key, v, stamp)`` on the max-heap of `size` entries; return the new size."""
    i = size
    hk[i] = key
    hv[i] = v
    hs[i] = stamp
    while i > 0:
        p = (i - 1) // 2
        if not _before(hk, hv, i, p):
            break
        _swap(hk, hv, hs, i, p)
        i = p
    return size + 1


@njit(cache=True, nogil=True)
def _pop(hk, hv, hs, size):
    """Drop the top entry (read it first); return the new size."""
    size -= 1
    hk[0], hv[0], hs[0] = hk[size], hv[size], hs[size]
    i = 0
    while True:
        c = 2 * i + 1
        if c >= size:
            break
        if c + 1 < size and _before(hk, hv, c + 1, c):
            c += 1
        if not _before(hk, hv, c, i):
            break
        _swap(hk, hv, hs, i, c)
        i = c
    return size


@njit(cache=True, nogil=True)
def els_order(optr, oidx, ow, iptr, iidx, iw):
    """Eades-Lin-Smyth order, weighted, in O(m log n).

    Repeatedly: a node with no arc left into it (a source) goes to the front, one with no arc left out
    of it (a sink) to the back; otherwise the node of largest out-weight minus in-weight among those
    left goes to the front (ties: smallest index). A lazy max-heap holds the differences; an entry is
    stale when its stamp is older than its node's.
    """
    n = optr.shape[0] - 1
    m = oidx.shape[0]
    outw = np.zeros(n)
    inw = np.zeros(n)
    outd = np.zeros(n, dtype=np.int64)
    ind = np.zeros(n, dtype=np.int64)
    for x in range(n):
        for k in range(optr[x], optr[x + 1]):
            if ow[k] > 0.0:
                outw[x] += ow[k]
                outd[x] += 1
        for k in range(iptr[x], iptr[x + 1]):
            if iw[k] > 0.0:
                inw[x] += iw[k]
                ind[x] += 1
    cap = 2 * m + n + 1
    hk = np.empty(cap)
    hv = np.empty(cap, dtype=np.int64)
    hs = np.empty(cap, dtype=np.int64)
    stamp = np.zeros(n, dtype=np.int64)
    ready = np.empty(cap, dtype=np.int64)
    done = np.zeros(n, dtype=np.bool_)
    size = 0
    top = 0
    for x in range(n):
        if outd[x] == 0 or ind[x] == 0:
            ready[top] = x
            top += 1
        else:
            size = _push(hk, hv, hs, size, outw[x] - inw[x], x, 0)
    front = np.empty(n, dtype=np.int64)
    back = np.empty(n, dtype=np.int64)
    nf = 0
    nb = 0
    for _ in range(n):
        v = -1
        while top > 0 and v < 0:
            top -= 1
            if not done[ready[top]]:
                v = ready[top]
        while size > 0 and v < 0:
            x, s = hv[0], hs[0]
            size = _pop(hk, hv, hs, size)
            if not done[x] and s == stamp[x]:
                v = x
        done[v] = True
        if ind[v] > 0 and outd[v] == 0:
            back[nb] = v
            nb += 1
        else:
            front[nf] = v
            nf += 1
        for side in range(2):                   # arcs out of v lose a predecessor, arcs into v a successor
            ptr, idx, wt = (optr, oidx, ow) if side == 0 else (iptr, iidx, iw)
            for k in range(ptr[v], ptr[v + 1]):
                y = idx[k]
                if done[y] or wt[k] <= 0.0:
                    continue
                if side == 0:
                    inw[y] -= wt[k]
                    ind[y] -= 1
                else:
                    outw[y] -= wt[k]
                    outd[y] -= 1
                stamp[y] += 1
                if ind[y] == 0 or outd[y] == 0:
                    ready[top] = y
                    top += 1
                else:
                    size = _push(hk, hv, hs, size, outw[y] - inw[y], y, stamp[y])
    order = np.empty(n, dtype=np.int64)
    order[:nf] = front[:nf]
    for k in range(nb):
        order[nf + k] = back[nb - 1 - k]
    return order


@njit(cache=True, nogil=True)
def _sort_pairs(sk, sd, d):
    """Sort ``sk[:d]`` ascending, carrying ``sd`` along (insertion sort: degrees are small)."""
    if d > 32:
        idx = np.argsort(sk[:d])
        k2 = sk[:d][idx]
        d2 = sd[:d][idx]
        sk[:d] = k2
        sd[:d] = d2
        return
    for i in range(1, d):
        a, b = sk[i], sd[i]
        j = i - 1
        while j >= 0 and sk[j] > a:
            sk[j + 1] = sk[j]
            sd[j + 1] = sd[j]
            j -= 1
        sk[j + 1] = a
        sd[j + 1] = b


@njit(cache=True, nogil=True)
def insertion_pass(optr, oidx, ow, iptr, iidx, iw, key, nodes, tol, sk, sd):
    """Move each node of `nodes`, in turn, to its best place among its neighbours.

    The cost of placing `v` after the first `j` of its neighbours (sorted by key) is the weight of its
    out-arcs to those `j` plus the weight of its in-arcs from the others: a prefix sum over the sorted
    neighbours, so a node's best place is found in O(d log d) from its own arcs only. A move is made
    when it gains more than `tol`; its new key lies strictly between the two neighbours around the
    chosen place (a place between neighbours of equal keys is skipped). `sk`, `sd` are buffers of at
    least the largest degree. Returns ``(gain, moves)``; `key` is updated in place.
    """
    gain = 0.0
    moves = 0
    for t in range(nodes.shape[0]):
        v = nodes[t]
        d = 0
        for k in range(optr[v], optr[v + 1]):
            sk[d] = key[oidx[k]]
            sd[d] = ow[k]
            d += 1
        for k in range(iptr[v], iptr[v + 1]):
            sk[d] = key[iidx[k]]
            sd[d] = -iw[k]
            d += 1
        if d == 0:
            continue
        _sort_pairs(sk, sd, d)
        kv = key[v]
        run = 0.0
        cur = 0.0 if kv < sk[0] else np.inf
        best, bestj = 0.0, 0
        for j in range(1, d + 1):
            run += sd[j - 1]
            if j < d and sk[j - 1] == sk[j]:
                continue
            if sk[j - 1] < kv and (j == d or kv < sk[j]):
                cur = run
            if run < best:
                best, bestj = run, j
        if cur == np.inf or not cur - best > tol:
            continue
        if bestj == 0:
            nk = sk[0] - 1.0
        elif bestj == d:
            nk = sk[d - 1] + 1.0
        else:
            nk = 0.5 * (sk[bestj - 1] + sk[bestj])
            if not (sk[bestj - 1] < nk < sk[bestj]):
                continue
        key[v] = nk
        gain += cur - best
        moves += 1
    return gain, moves
