"""Insertion local search for the linear ordering problem (Schiavinotto & Stuetzle, 2004).

All kernels take ``D = A - A.T`` (antisymmetric). Moving node ``x`` one place to the right, past
``y``, changes back-flow by ``D[x, y]``; one place to the left, past ``y``, by ``D[y, x]``. So the
changes of moving ``x`` to every other position are running sums along the order: O(n) for one node,
O(n^2) for a full sweep over all nodes.
"""
from __future__ import annotations

import numpy as np
from numba import njit

__all__ = ["order_cost", "best_insertion", "move", "insertion_steps", "insertion_local_search"]

UNLIMITED = 2 ** 62    # a number of steps no search reaches


@njit(cache=True, nogil=True)
def order_cost(A, order):
    """Back-flow of `order` on `A` (``A[x, y]`` paid when `x` comes after `y`), in O(n^2)."""
    n = order.shape[0]
    total = 0.0
    for i in range(1, n):
        x = order[i]
        for j in range(i):
            total += A[x, order[j]]
    return total


@njit(cache=True, nogil=True)
def best_insertion(D, order, i, tol):
    """Best new position of the node at position `i`, and the back-flow it saves (> `tol`, else 0).

    Returns ``(j, saving)``; ``j == i`` and ``saving == 0`` when no move saves more than `tol`.
    Among equal savings the nearest position to the right, then to the left, wins.
    """
    n = order.shape[0]
    x = order[i]
    best, arg = tol, i
    g = 0.0
    for j in range(i + 1, n):
        g -= D[x, order[j]]
        if g > best:
            best, arg = g, j
    g = 0.0
    for j in range(i - 1, -1, -1):
        g += D[x, order[j]]
        if g > best:
            best, arg = g, j
    if arg == i:
        return i, 0.0
    return arg, best


@njit(cache=True, nogil=True)
def move(order, pos, i, j):
    """Move the node at position `i` to position `j`, shifting those between; keep `pos` in sync."""
    x = order[i]
    if j > i:
        for k in range(i, j):
            order[k] = order[k + 1]
            pos[order[k]] = k
    else:
        for k in range(i, j, -1):
            order[k] = order[k - 1]
            pos[order[k]] = k
    order[j] = x
    pos[x] = j


@njit(cache=True, nogil=True)
def insertion_steps(D, order, pos, tol, visit, state, steps):
    """At most `steps` node visits of :func:`insertion_local_search`, resumable; return the saving.

    `state` (int64, 3) holds where the search is: the next index into `visit` (the order at the
    start of the current sweep), whether the sweep moved a node, and whether the search is done (a
    local optimum). Start with ``state = [n, 1, 0]`` and `pos` the inverse of `order`. Calls made
    until ``state[2] == 1`` go through the same moves as one unlimited call, however the visits
    are split; `order` stays a permutation after every call.
    """
    n = order.shape[0]
    saved = 0.0
    while steps > 0 and state[2] == 0:
        if state[0] >= n:
            if state[1] == 0:
                state[2] = 1
                break
            visit[:] = order
            state[0], state[1] = 0, 0
        i = pos[visit[state[0]]]
        j, s = best_insertion(D, order, i, tol)
        if j != i:
            move(order, pos, i, j)
            saved += s
            state[1] = 1
        state[0] += 1
        steps -= 1
    return saved


@njit(cache=True, nogil=True)
def insertion_local_search(D, order, pos, tol):
    """Improve `order` in place until no single insertion saves more than `tol`; return the saving.

    Nodes are visited in the order they had at the start of each sweep; each one moves to its best
    position. `pos` (inverse of `order`) is kept in sync. One sweep costs O(n^2).
    """
    n = order.shape[0]
    state = np.array([n, 1, 0], dtype=np.int64)
    return insertion_steps(D, order, pos, tol, np.empty(n, dtype=np.int64), state, UNLIMITED)
