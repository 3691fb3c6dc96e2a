"""Separation of {0, 1/2}-Chvátal–Gomory cuts from covering rows over arc variables (numba).

The rows are ``sum_e a_e y_e >= b`` with non-negative integer ``a`` and ``b`` (the cycle rows
``sum_{e in C} y_e >= 1`` of :mod:`orderedness.solvers.exact.cycles`, and cuts found earlier), and
the bounds ``y_e >= 0`` and ``-y_e >= -1``. Any set of them whose column sums are all even and whose
right sides sum to an odd ``beta`` gives, halved, the cut ``sum_e (g_e / 2) y_e >= (beta + 1) / 2``,
valid for every 0/1 point of the rows (its left side is an integer there). At a point ``y`` the
combination's left side exceeds ``beta`` by the summed slacks ``s`` of its rows, so the cut is
violated by ``(1 - s) / 2`` when ``s < 1`` (Caprara & Fischetti 1996). Example: three cycles pairwise
sharing an arc, their other arcs cancelled by ``y_e >= 0``, give ``sum_{e in union} y_e >= 2`` (one arc
breaks at most two of them), violated when the cycles' slacks plus the values of their unshared arcs
are below 1.

Heuristic (as in :mod:`orderedness.kernels.halfcuts`): a node per fractional arc and one node for "a
bound"; a row of slack below the limit whose odd-coefficient fractional columns are ``F`` gives an
edge between each pair of ``F`` (to the bound node when ``|F| = 1``), the rest of ``F`` cancelled by
their cheaper bound: weight the row's slack plus those bounds' slacks, parity that of ``b`` flipped
by each upper bound used (integral columns are cancelled by their bound at no cost); each bound of a
fractional arc is an edge to the bound node. A closed walk of odd parity and weight below 1 is a
violated cut (:func:`~orderedness.kernels.halfcuts.odd_walk`). The cut is then assembled from its rows
exactly (rows walked twice left out, columns left odd cancelled by their cheaper bound) and kept only
when ``beta`` is odd and its slack below the limit.
"""
from __future__ import annotations

import numpy as np
from numba import njit

from .halfcuts import odd_walk, parity_graph

__all__ = ["cover_cuts"]


@njit(cache=True, nogil=True)
def _edges(y, indptr, cols, coefs, rhs, node, f, max_weight, frac):
    """The auxiliary graph's edges ``(u, v, weight, parity)`` and the row of each (-1: a bound edge)."""
    eu = [0][:0]
    ev = [0][:0]
    ew = [0.0][:0]
    ep = [0][:0]
    er = [0][:0]
    for a in range(f):
        v = y[frac[a]]
        for b in range(2):
            w = v if b == 0 else 1.0 - v
            if w < max_weight:
                eu.append(a)
                ev.append(f)
                ew.append(w)
                ep.append(b)
                er.append(-1)
    odd = np.empty(y.shape[0], np.int64)
    for r in range(indptr.shape[0] - 1):
        lhs = 0.0
        for t in range(indptr[r], indptr[r + 1]):
            lhs += coefs[t] * y[cols[t]]
        slack = max(lhs - rhs[r], 0.0)
        if slack >= max_weight:
            continue
        parity = rhs[r] % 2
        total = slack
        k = 0
        for t in range(indptr[r], indptr[r + 1]):
            if coefs[t] % 2 == 0:
                continue
            e = cols[t]
            total += min(y[e], 1.0 - y[e])
            parity ^= 1 if y[e] > 0.5 else 0
            if node[e] >= 0:
                odd[k] = e
                k += 1
        if k == 0:
            continue
        for i in range(k):
            ei = odd[i]
            wi = total - min(y[ei], 1.0 - y[ei])
            pi = parity ^ (1 if y[ei] > 0.5 else 0)
            for j in range(i + 1, k + 1 if k == 1 else k):
                if j == k:                               # the one fractional column: to the bound node
                    w, p, v = wi, pi, f
                else:
                    ej = odd[j]
                    w, p, v = wi - min(y[ej], 1.0 - y[ej]), pi ^ (1 if y[ej] > 0.5 else 0), node[ej]
                if w < max_weight:
                    eu.append(node[ei])
                    ev.append(v)
                    ew.append(max(w, 0.0))
                    ep.append(p)
                    er.append(r)
    return (np.array(eu, np.int64), np.array(ev, np.int64), np.array(ew), np.array(ep, np.int64),
            np.array(er, np.int64))


@njit(cache=True, nogil=True)
def _assemble(y, walk, er, indptr, cols, coefs, rhs, g, touched, listed):
    """Sum the rows of the edges `walk` (an edge walked an even number of times left out) and cancel
    the columns left odd by their cheaper bound; returns ``(beta, slack, cols, coefs)`` of the
    combination (coefs are ``g``, not yet halved). ``g`` and `listed` are zero / False on entry and
    left so on return."""
    rows = np.sort(np.array([er[e] for e in walk]))
    beta = 0
    nt = 0
    t = 0
    while t < rows.shape[0]:
        r = rows[t]
        run = 0
        while t < rows.shape[0] and rows[t] == r:
            run += 1
            t += 1
        if r < 0 or run % 2 == 0:               # bounds are re-chosen below; a row taken twice is even
            continue
        beta += rhs[r]
        for s in range(indptr[r], indptr[r + 1]):
            q = cols[s]
            if not listed[q]:
                listed[q] = True
                touched[nt] = q
                nt += 1
            g[q] += coefs[s]
    out_cols = np.empty(nt, np.int64)
    out_coefs = np.empty(nt, np.int64)
    lhs = 0.0
    m = 0
    for t in range(nt):
        q = touched[t]
        if g[q] % 2 != 0:
            if y[q] > 0.5:
                g[q] -= 1
                beta -= 1
            else:
                g[q] += 1
        if g[q] != 0:
            out_cols[m], out_coefs[m] = q, g[q]
            lhs += g[q] * y[q]
            m += 1
        g[q] = 0
        listed[q] = False
    return beta, lhs - beta, out_cols[:m], out_coefs[:m]


@njit(cache=True, nogil=True)
def cover_cuts(y, indptr, cols, coefs, rhs, frac_eps, max_slack, limit, work):
    """Violated {0, 1/2}-cuts of the point `y` found as odd closed walks (module docstring).

    Parameters
    ----------
    y : (m,) float64
        The point, e.g. an LP optimum over the rows, in ``[0, 1]``.
    indptr, cols, coefs : int64 arrays
        The rows ``sum coefs * y[cols] >= rhs`` in CSR form; coefficients positive.
    rhs : int64 array
        Their right sides, positive.
    frac_eps : float
        A value within this of 0 or 1 counts as integral.
    max_slack : float
        Keep cuts whose combined slack is below this (at most 1; violation ``(1 - slack) / 2``);
        edges at least this heavy are left out of the graph.
    limit : int
        Most cuts returned (searches start from the most fractional arcs; each starts at most one).
    work : int
        Stop starting searches once they have scanned this many arcs of the auxiliary graph.

    Returns
    -------
    indptr, cols, coefs : int64 arrays
        The cuts ``sum coefs * y[cols] >= rhs`` in CSR form, coefficients already halved.
    rhs : int64 array
    slack : float64 array
        Combined slack of each cut's rows at `y` (its violation is ``(1 - slack) / 2``).
    """
    m = y.shape[0]
    node = -np.ones(m, np.int64)
    fr = np.empty(m, np.int64)
    f = 0
    for e in range(m):
        if frac_eps < y[e] < 1.0 - frac_eps:
            node[e] = f
            fr[f] = e
            f += 1
    frac = fr[:f]
    eu, ev, ew, ep, er = _edges(y, indptr, cols, coefs, rhs, node, f, max_slack, frac)
    V = 2 * (f + 1)
    deg, head, tail, arc_edge = parity_graph(eu, ev, ep, V)
    order = np.argsort(np.abs(y[frac] - 0.5))
    dist = np.full(V, np.inf)
    pred = -np.ones(V, np.int64)
    settled = np.empty(V, np.int64)
    g = np.zeros(m, np.int64)
    touched = np.empty(m, np.int64)
    listed = np.zeros(m, np.bool_)
    out_ptr = [0]
    out_cols = [0][:0]
    out_coefs = [0][:0]
    out_rhs = [0][:0]
    out_slack = [0.0][:0]
    scanned = 0
    for s in order:
        if len(out_rhs) >= limit or scanned >= work:
            break
        walk, done = odd_walk(2 * s, deg, head, tail, arc_edge, ew, max_slack, dist, pred, settled)
        scanned += done
        if len(walk) > 0:
            beta, sl, cc, cf = _assemble(y, walk, er, indptr, cols, coefs, rhs, g, touched, listed)
            if beta % 2 == 1 and sl < max_slack and cc.shape[0] > 0:
                for t in range(cc.shape[0]):
                    out_cols.append(cc[t])
                    out_coefs.append(cf[t] // 2)
                out_ptr.append(len(out_cols))
                out_rhs.append((beta + 1) // 2)
                out_slack.append(sl)
    return (np.array(out_ptr, np.int64), np.array(out_cols, np.int64), np.array(out_coefs, np.int64),
            np.array(out_rhs, np.int64), np.array(out_slack))
