"""The orderedness of a complete-perceptron-layer weight matrix: :func:`score`."""
from __future__ import annotations

from time import perf_counter

import numpy as np
from scipy.sparse import issparse

from .backflow import backflow
from .lop import METHODS, min_backflow
from .result import Score
from .validate import check_choice, check_cpl, check_names, check_time_limit

__all__ = ["score", "DENOMINATORS"]

DENOMINATORS = ("square", "full")


def score(W, outputs: int = 0, inputs: int = 0, *, method: str = "auto", denominator: str = "square",
          time_limit: float | None = None, seed: int = 0, names=None, **options) -> Score:
    """Orderedness ``O(W) = 1 - min_pi L(pi(|Q|)) / S`` of a weight matrix.

    `W` has shape ``(o+h, o+h+i)``: rows and columns index outputs ``0..o-1``, hidden ``o..o+h-1``
    and (columns only) inputs; ``W[a, b]`` is the weight from neuron `b` into neuron `a`. ``Q`` is the
    square part ``W[:, :o+h]``; ``L`` the strictly lower-triangular sum; ``pi`` permutes the hidden
    neurons only (outputs stay first). An arbitrary square matrix is ``outputs=0, inputs=0``.

    Parameters
    ----------
    W : (o+h, o+h+i) array_like, scipy.sparse matrix or networkx.DiGraph
        Weight matrix (numpy array, nested lists, or a torch tensor). A network (a DiGraph, or a
        square scipy.sparse matrix) is read as the square matrix ``A[x, y]`` = weight of the arc
        ``x -> y`` (DiGraph attribute ``"weight"``, 1 where missing), every node free
        (``outputs = inputs = 0``): its orderedness is one minus the least share of arc weight that
        points backwards in an order of the nodes. It stays sparse (memory O(n + m)).
    outputs, inputs : int
        Numbers of output and input neurons.
    method : {"auto", "brute", "dp", "mip", "fas", "heuristic", "greedy", "sparse"}
        Solver for the hidden block; see :func:`orderedness.min_backflow`.
    denominator : {"square", "full"}
        ``S = sum |Q|`` (the paper's published numbers) or ``S = sum |W|`` (input columns included).
    time_limit : float, optional
        Seconds; when reached, the best order so far comes back with certified bounds. None (the
        default): no time limit (see :func:`orderedness.min_backflow`); ``Score.time_limit`` says
        which.
    seed : int
        Seed of randomised solvers.
    names : sequence, optional
        Names of the ``o + h`` neurons (a DiGraph names its nodes itself); ``Score.names`` lists them
        in the order of ``permutation``.
    **options
        Passed to the solvers that take them (``memory_limit``, ``progress``; see
        :func:`orderedness.min_backflow`); an unknown one raises :class:`InputError`.

    Returns
    -------
    Score
        ``value`` (orderedness of the best order found) with proven bounds ``lower <= value <= upper``.
        An all-zero square part has orderedness 1.0 by definition: nothing flows backwards.

    Examples
    --------
    >>> import numpy as np
    >>> import orderedness as od
    >>> W = np.array([[0., 1., 2.], [3., 0., 4.], [0., 0., 0.]])
    >>> s = od.score(W)                      # 3 hidden neurons, any order
    >>> round(s.value, 4), s.optimal, s.permutation
    (1.0, True, [1, 0, 2])
    >>> s = od.score(W, outputs=1)            # neuron 0 is an output and stays first
    >>> round(s.value, 4), s.permutation
    (0.7, [0, 1, 2])
    """
    t0 = perf_counter()
    if hasattr(W, "is_directed") and hasattr(W, "edges"):        # a networkx DiGraph
        from .nx import to_sparse
        W, names = to_sparse(W)
    check_choice(denominator, DENOMINATORS, "denominator")
    check_choice(method, METHODS, "method")
    time_limit = check_time_limit(time_limit)
    W, o, h, i = check_cpl(W, outputs, inputs)
    if issparse(W):                                              # a network: every node free
        Q = abs(W)
        total, constant = float(Q.sum()), 0.0
    else:
        Q = np.abs(W[:, :o + h])
        total = float(Q.sum() if denominator == "square" else np.abs(W).sum())
        constant = float(np.tril(Q[:o, :o], -1).sum() + Q[o:, :o].sum())
    names = check_names(names, o + h)
    if h:
        r = min_backflow(Q[o:, o:] if o else Q, method=method, time_limit=time_limit, seed=seed, **options)
        hidden, name, optimal, stats = o + r.order, r.method, r.optimal, r.stats
        hidden_bound, hidden_backflow = r.lower_bound, r.backflow
    else:
        hidden, name, optimal, stats, hidden_bound, hidden_backflow = np.arange(0), "none", True, {}, 0.0, 0.0
    permutation = [*range(o), *(int(x) for x in hidden)]
    # without outputs min_backflow evaluated this very order on this very matrix: not again
    value_backflow = hidden_backflow if o == 0 else backflow(Q, permutation)
    bound = value_backflow if optimal else min(constant + hidden_bound, value_backflow)
    if total > 0:
        value, upper = 1.0 - value_backflow / total, min(1.0, 1.0 - bound / total)
    else:
        value = upper = 1.0
    stats = {"outputs": o, "hidden": h, "inputs": i, "constant_backflow": constant, **stats}
    named = None if names is None else [names[k] for k in permutation]
    return Score(value, value, upper, optimal, permutation, value_backflow, total, denominator,
                 name, perf_counter() - t0, stats, named, time_limit)
