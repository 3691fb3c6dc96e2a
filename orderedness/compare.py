"""Run the available solvers side by side on one weight matrix: :func:`compare`."""
from __future__ import annotations

import numpy as np

from .metric import score
from .result import Score, Skipped
from .reduce import reduce
from .solvers import SOLVERS
from .validate import InputError, check_cpl

__all__ = ["compare", "DEFAULT_EXACT_BUDGET"]

DEFAULT_EXACT_BUDGET = 10.0  # without a time limit, brute and dp are skipped when estimated above this (s)


def compare(W, outputs: int = 0, inputs: int = 0, *, time_limit: float | None = None,
            methods=None, denominator: str = "square", seed: int = 0) -> dict:
    """Score `W` with every available method that can finish, one after the other.

    A method runs when its solver accepts the size (``check``) and, for those that estimate their
    time (``estimate_seconds``: ``brute``, ``dp``), when the estimate fits `time_limit` (or
    :data:`DEFAULT_EXACT_BUDGET` without one). The others (``mip``, ``fas``, ``heuristic``,
    ``greedy``, ``sparse``) respect the time limit themselves. Without a time limit every method runs
    to its natural end: the exact ones to a proof, the heuristics for their fixed effort.

    Parameters
    ----------
    W : (o+h, o+h+i) array_like
        Weight matrix, as for :func:`orderedness.score`.
    outputs, inputs : int
        Numbers of output and input neurons.
    time_limit : float, optional
        Seconds per method; None: no limit.
    methods : sequence of str, optional
        Methods to consider (default: every registered solver).
    denominator : {"square", "full"}
        As for :func:`orderedness.score`.
    seed : int
        Seed of randomised solvers.

    Returns
    -------
    dict
        Method name to its :class:`~orderedness.result.Score`, or to a
        :class:`~orderedness.result.Skipped` (with the reason) for a method that was not run; in the
        order of `methods`.

    Examples
    --------
    >>> import numpy as np
    >>> results = compare(np.array([[0., 1, 2], [3, 0, 4], [0, 5, 0]]), time_limit=0.5)
    >>> [(m, round(s.value, 4)) for m, s in results.items() if isinstance(s, Score)]
    [('brute', 0.6), ('dp', 0.6), ('mip', 0.6), ('fas', 0.6), ('heuristic', 0.6), ('greedy', 0.6), ('sparse', 0.6)]
    """
    Wc, o, h, i = check_cpl(W, outputs, inputs)
    names = list(SOLVERS) if methods is None else list(methods)
    unknown = [m for m in names if m not in SOLVERS]
    if unknown:
        raise InputError(f"unknown method {unknown[0]!r}; choose from: {', '.join(SOLVERS)}")
    largest = _largest_component(np.abs(Wc[o:, o:o + h])) if h else 0
    results = {}
    for name in names:
        why = _skip_reason(name, h if name == "brute" else largest, time_limit)
        results[name] = Skipped(name, why) if why else score(
            Wc, o, i, method=name, denominator=denominator, time_limit=time_limit, seed=seed)
    return results


def _largest_component(H: np.ndarray) -> int:
    """Size of the largest strongly connected component left after the exact reductions."""
    return max(len(c) for c in reduce(H).components)


def _skip_reason(name: str, size: int, time_limit) -> str | None:
    """Why a method cannot finish on a problem of `size` nodes (its own limits), or None to run it.

    `size` is the hidden block for ``brute`` (it runs without the reductions), otherwise the largest
    component.
    """
    solver = SOLVERS[name]
    try:
        solver.check(size)
    except InputError as exc:
        return str(exc)
    estimate = getattr(solver, "estimate_seconds", None)
    budget = DEFAULT_EXACT_BUDGET if time_limit is None else time_limit
    if estimate is not None and size > 1 and estimate(size) > budget:
        return (f"{size} nodes: method={name!r} would take about {estimate(size):.3g} s, more than the "
                f"{budget:g} s budget")
    return None
