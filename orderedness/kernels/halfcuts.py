"""Separation of {0, 1/2}-Chvátal–Gomory cuts from the 3-dicycle rows (numba).

The rows are the two sides of each triple ``i < j < k`` over the pair vector (see
:mod:`orderedness.kernels.dicycles`), ``x[ij] + x[jk] - x[ik] <= 1`` ("upper") and
``-x[ij] - x[jk] + x[ik] <= 0`` ("lower"), and the bounds ``x[p] <= 1`` and ``-x[p] <= 0``. Any
integer combination ``g x <= beta`` of them with every ``g_p`` even and ``beta`` odd gives the cut
``(g / 2) x <= (beta - 1) / 2``, valid for every order (its left side is an integer at every 0/1
point). At a point ``x`` its violation is ``(1 - s) / 2`` with ``s`` the summed slacks of the rows
combined, so a violated cut is a set of rows of odd parity and summed slack below 1 whose
columns cancel mod 2 (Caprara & Fischetti 1996; the Möbius ladders of Grötschel, Jünger &
Reinelt 1984 are such cycles of 3-dicycle rows).

Heuristic (odd cycles, as in the separation of Möbius ladders): a node per fractional pair and one
node for "a bound row"; a row whose fractional columns are two (its integral ones cancelled by
their bounds at zero slack) is an edge between them, weighted by its slack, labelled by the
parity of its right side; a row with three fractional columns gives an edge for each column it
cancels by a bound (weight plus that bound's slack); a row with one, and each bound of a fractional
pair, an edge to the bound node. A closed walk of odd parity and weight below 1 is a violated cut:
shortest paths from ``(p, even)`` to ``(p, odd)`` in the graph doubled by parity (Dijkstra).
The cut is then assembled from its rows exactly (columns left odd by a walk that repeats a pair are
cancelled by their cheaper bound), and kept only when its parity is odd and its slack below 1.
"""
from __future__ import annotations

import heapq

import numpy as np
from numba import njit

__all__ = ["odd_cycle_cuts"]


@njit(cache=True, nogil=True)
def _pair(a, b, n):
    """Pair-vector position of ``(a, b)``, ``a < b``."""
    return a * n - a * (a + 1) // 2 + b - a - 1


@njit(cache=True, nogil=True)
def _edges(x, n, node, frac, max_weight):
    """The auxiliary graph's edges: ``(u, v, weight, parity, i, j, k, side, cancel, bound)`` as
    arrays; ``side`` -1 marks a bound edge of pair ``cancel``, else the triple's row side (1 upper)
    with its fractional column ``cancel`` (or -1) cancelled by bound ``bound`` (1 upper)."""
    f = frac.shape[0]
    cap = 1024
    eu = np.empty(cap, np.int64)
    ev = np.empty(cap, np.int64)
    ew = np.empty(cap)
    ep = np.empty(cap, np.int64)
    er = np.empty((cap, 6), np.int64)
    m = 0
    cols = np.empty(3, np.int64)
    fr = np.empty(3, np.int64)
    for a in range(f):                         # the bound rows of each fractional pair
        p = frac[a]
        for b in range(2):
            w = x[p] if b == 0 else 1.0 - x[p]
            if w < max_weight:
                if m == cap:
                    eu, ev, ew, ep, er, cap = _grow(eu, ev, ew, ep, er, cap)
                eu[m], ev[m], ew[m], ep[m] = a, f, w, b
                er[m, 0], er[m, 1], er[m, 2], er[m, 3], er[m, 4], er[m, 5] = 0, 0, 0, -1, p, b
                m += 1
    for i in range(n):
        for j in range(i + 1, n):
            ij = _pair(i, j, n)
            for k in range(j + 1, n):
                jk = _pair(j, k, n)
                ik = _pair(i, k, n)
                g = x[ij] + x[jk] - x[ik]
                cols[0], cols[1], cols[2] = ij, jk, ik
                for side in range(2):
                    s = 1.0 - g if side == 1 else g
                    s = max(s, 0.0)
                    if s >= max_weight:
                        continue
                    parity = side
                    nf = 0
                    for c in range(3):
                        q = cols[c]
                        if node[q] >= 0:
                            fr[nf] = q
                            nf += 1
                        elif x[q] > 0.5:
                            parity ^= 1        # cancelled by its upper bound, at zero slack
                    if nf == 0:
                        continue
                    for c in range(3 if nf == 3 else 1):
                        for b in range(2 if nf == 3 else 1):
                            if nf == 3:
                                q = fr[c]
                                w = s + (x[q] if b == 0 else 1.0 - x[q])
                                u, v = node[fr[(c + 1) % 3]], node[fr[(c + 2) % 3]]
                                par, cancel = parity ^ b, q
                            else:
                                w, par, cancel = s, parity, -1
                                u = node[fr[0]]
                                v = node[fr[1]] if nf == 2 else f
                            if w >= max_weight:
                                continue
                            if m == cap:
                                eu, ev, ew, ep, er, cap = _grow(eu, ev, ew, ep, er, cap)
                            eu[m], ev[m], ew[m], ep[m] = u, v, w, par
                            er[m, 0], er[m, 1], er[m, 2], er[m, 3], er[m, 4], er[m, 5] = i, j, k, side, cancel, b
                            m += 1
    return eu[:m], ev[:m], ew[:m], ep[:m], er[:m]


@njit(cache=True, nogil=True)
def _grow(eu, ev, ew, ep, er, cap):
    """The edge arrays with twice the room."""
    big = 2 * cap
    eu2, ev2, ew2, ep2 = np.empty(big, np.int64), np.empty(big, np.int64), np.empty(big), np.empty(big, np.int64)
    er2 = np.empty((big, 6), np.int64)
    eu2[:cap], ev2[:cap], ew2[:cap], ep2[:cap], er2[:cap] = eu, ev, ew, ep, er
    return eu2, ev2, ew2, ep2, er2, big


@njit(cache=True, nogil=True)
def _assemble(x, n, walk, er, g, touched, listed):
    """Sum the rows of the edges `walk` (and the bounds each cancels) into ``g``, an edge walked an
    even number of times left out, and cancel the columns left odd by their cheaper bound; returns
    ``(beta, slack, cols, coefs)`` of the combination (coefs are ``g``, not yet halved). ``g`` and
    `listed` are zero / False on entry and left so on return."""
    beta = 0
    nt = 0
    walk = np.sort(np.array(walk))
    t = 0
    while t < walk.shape[0]:
        e = walk[t]
        run = 0
        while t < walk.shape[0] and walk[t] == e:
            run += 1
            t += 1
        if run % 2 == 0:                       # a row taken twice adds an even row: leave it out
            continue
        i, j, k, side, cancel, b = er[e, 0], er[e, 1], er[e, 2], er[e, 3], er[e, 4], er[e, 5]
        if side >= 0:
            ij, jk, ik = _pair(i, j, n), _pair(j, k, n), _pair(i, k, n)
            sign = 1 if side == 1 else -1
            for q, co in ((ij, sign), (jk, sign), (ik, -sign)):
                if not listed[q]:
                    listed[q] = True
                    touched[nt] = q
                    nt += 1
                g[q] += co
            beta += side
        if cancel >= 0:
            if not listed[cancel]:
                listed[cancel] = True
                touched[nt] = cancel
                nt += 1
            g[cancel] += 1 if b == 1 else -1
            beta += b
    cols = np.empty(nt, np.int64)
    coefs = np.empty(nt, np.int64)
    lhs = 0.0
    m = 0
    for t in range(nt):
        q = touched[t]
        if g[q] % 2 != 0:
            if x[q] > 0.5:
                g[q] += 1
                beta += 1
            else:
                g[q] -= 1
        if g[q] != 0:
            cols[m], coefs[m] = q, g[q]
            lhs += g[q] * x[q]
            m += 1
        g[q] = 0
        listed[q] = False
    return beta, beta - lhs, cols[:m], coefs[:m]


@njit(cache=True, nogil=True)
def odd_cycle_cuts(x, n, frac_eps, max_slack, limit, work):
    """Violated {0, 1/2}-cuts of the point `x` (pair vector) found as odd closed walks (module docstring).

    Parameters
    ----------
    x : (n(n-1)/2,) float64
        The point, e.g. an LP optimum over 3-dicycle rows.
    n : int
        Nodes.
    frac_eps : float
        A pair within this of 0 or 1 counts as integral.
    max_slack : float
        Keep cuts whose combined slack is below this (violation ``(1 - slack) / 2``); edges at least
        this heavy are left out of the graph.
    limit : int
        Most cuts returned (searches start from the most fractional pairs; each pair starts at most one).
    work : int
        Stop starting searches once they have scanned this many arcs (a bounded time at any size).

    Returns
    -------
    indptr, cols, coefs : int64 arrays
        The cuts ``sum coefs/2 * x[cols] <= rhs`` in CSR form, coefficients already halved.
    rhs : int64 array
    slack : float64 array
        Combined slack of each cut at `x` (its violation is ``(1 - slack) / 2``).
    """
    P = x.shape[0]
    node = -np.ones(P, np.int64)
    fr = np.empty(P, np.int64)
    f = 0
    for p in range(P):
        if frac_eps < x[p] < 1.0 - frac_eps:
            node[p] = f
            fr[f] = p
            f += 1
    frac = fr[:f]
    eu, ev, ew, ep, er = _edges(x, n, node, frac, max_slack)
    V = 2 * (f + 1)
    deg = np.zeros(V + 1, np.int64)
    E = eu.shape[0]
    for e in range(E):
        for a in range(2):
            deg[2 * eu[e] + a + 1] += 1
            deg[2 * ev[e] + a + 1] += 1
    for v in range(V):
        deg[v + 1] += deg[v]
    head = np.empty(deg[V], np.int64)
    tail = np.empty(deg[V], np.int64)
    arc_edge = np.empty(deg[V], np.int64)
    fill = deg[:V].copy()
    for e in range(E):
        for a in range(2):
            u0, v0 = 2 * eu[e] + a, 2 * ev[e] + (a ^ ep[e])
            head[fill[u0]], tail[fill[u0]], arc_edge[fill[u0]] = v0, u0, e
            fill[u0] += 1
            head[fill[v0]], tail[fill[v0]], arc_edge[fill[v0]] = u0, v0, e
            fill[v0] += 1
    order = np.argsort(np.abs(x[frac] - 0.5))
    dist = np.full(V, np.inf)
    pred = -np.ones(V, np.int64)
    g = np.zeros(P, np.int64)
    touched = np.empty(P, np.int64)
    listed = np.zeros(P, np.bool_)
    out_ptr = [0]
    out_cols = [0][:0]
    out_coefs = [0][:0]
    out_rhs = [0][:0]
    out_slack = [0.0][:0]
    radius = 0.5 * max_slack
    settled = np.empty(V, np.int64)
    scanned = 0
    for s in order:
        if len(out_rhs) >= limit or scanned >= work:
            break
        src = 2 * s
        ns = 0
        dist[src] = 0.0
        heap = [(0.0, src)]
        while len(heap) > 0:               # every node nearer than the radius, at its true distance
            d, v = heapq.heappop(heap)
            if d > dist[v]:
                continue
            settled[ns] = v
            ns += 1
            scanned += deg[v + 1] - deg[v]
            for a in range(deg[v], deg[v + 1]):
                w = head[a]
                nd = d + ew[arc_edge[a]]
                if nd < dist[w] and nd < radius:
                    dist[w] = nd
                    pred[w] = a
                    heapq.heappush(heap, (nd, w))
        best, meet = max_slack, -1         # an odd closed walk splits at an arc into two halves < radius
        for t in range(ns):
            v = settled[t]
            for a in range(deg[v], deg[v + 1]):
                w = head[a] ^ 1
                total = dist[v] + ew[arc_edge[a]] + dist[w]
                if total < best:
                    best, meet = total, a
        if meet >= 0:
            walk = [arc_edge[meet]]
            for v in (tail[meet], head[meet] ^ 1):
                while v != src:
                    a = pred[v]
                    walk.append(arc_edge[a])
                    v = tail[a]
            beta, sl, cols, coefs = _assemble(x, n, walk, er, g, touched, listed)
            if beta % 2 == 1 and sl < max_slack and cols.shape[0] > 0:
                for t in range(cols.shape[0]):
                    out_cols.append(cols[t])
                    out_coefs.append(coefs[t] // 2)
                out_ptr.append(len(out_cols))
                out_rhs.append((beta - 1) // 2)
                out_slack.append(sl)
        for t in range(ns):
            dist[settled[t]] = np.inf
            pred[settled[t]] = -1
    return (np.array(out_ptr, np.int64), np.array(out_cols, np.int64), np.array(out_coefs, np.int64),
            np.array(out_rhs, np.int64), np.array(out_slack))
