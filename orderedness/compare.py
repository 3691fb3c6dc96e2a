"""Run the available solvers side by side on one weight matrix: :func:`compare`."""
from __future__ import annotations

import numpy as np

from .metric import score
from .reduce import reduce
from .solvers import SOLVERS
from .validate import InputError, check_cpl

__all__ = ["compare", "DP_SECONDS_AT_24"]

DP_SECONDS_AT_24 = 0.3      # measured wall time of the subset DP at n = 24 (it doubles per node)
BRUTE_MAX = 9               # 9! orders take about a second
DEFAULT_EXACT_BUDGET = 10.0  # seconds an exact method may be expected to take without a time limit


def compare(W, outputs: int = 0, inputs: int = 0, *, time_limit: float | None = None,
            methods=None, denominator: str = "square", seed: int = 0) -> list[dict]:
    """Score `W` with every available method that can finish, one after the other.

    Exact methods run only when they are expected to finish: ``brute`` up to 9 hidden neurons, ``dp``
    when its estimated time fits `time_limit` (10 s without one) and its table fits in memory, other
    exact methods (``mip``) with their own time limit. Heuristic methods always run.

    Parameters
    ----------
    W : (o+h, o+h+i) array_like
        Weight matrix, as for :func:`orderedness.score`.
    outputs, inputs : int
        Numbers of output and input neurons.
    time_limit : float, optional
        Seconds per method (each method's default when None).
    methods : sequence of str, optional
        Methods to consider (default: every registered solver).
    denominator : {"square", "full"}
        As for :func:`orderedness.score`.
    seed : int
        Seed of randomised solvers.

    Returns
    -------
    list of dict
        One per method, in order: ``method``, ``value`` (orderedness), ``lower``, ``upper``, ``gap``
        (``upper - lower``), ``optimal``, ``backflow``, ``seconds`` and ``solver`` (the solver(s) that
        ran, with the reductions); or ``method`` and ``skipped`` (the reason) for one that was not run.

    Examples
    --------
    >>> import numpy as np
    >>> rows = compare(np.array([[0., 1, 2], [3, 0, 4], [0, 5, 0]]), time_limit=0.5)
    >>> [(r["method"], round(r["value"], 4)) for r in rows if "skipped" not in r]
    [('brute', 0.6), ('dp', 0.6), ('mip', 0.6), ('heuristic', 0.6), ('greedy', 0.6), ('sparse', 0.6)]
    """
    Wc, o, h, i = check_cpl(W, outputs, inputs)
    names = list(SOLVERS) if methods is None else list(methods)
    unknown = [m for m in names if m not in SOLVERS]
    if unknown:
        raise InputError(f"unknown method {unknown[0]!r}; choose from: {', '.join(SOLVERS)}")
    largest = _largest_component(np.abs(Wc[o:, o:o + h])) if h else 0
    rows = []
    for name in names:
        why = _skip_reason(name, h, largest, time_limit)
        if why:
            rows.append({"method": name, "skipped": why})
            continue
        s = score(Wc, o, i, method=name, denominator=denominator, time_limit=time_limit, seed=seed)
        rows.append({"method": name, "value": float(s.value), "lower": float(s.lower),
                     "upper": float(s.upper), "gap": float(s.gap), "optimal": bool(s.optimal),
                     "backflow": float(s.backflow), "seconds": float(s.seconds), "solver": s.method})
    return rows


def _largest_component(H: np.ndarray) -> int:
    """Size of the largest strongly connected component left after the exact reductions."""
    return max(len(c) for c in reduce(H).components)


def _skip_reason(name: str, h: int, largest: int, time_limit) -> str | None:
    """Why an exact method cannot finish here, or None to run it."""
    if name == "brute" and h > BRUTE_MAX:
        return f"{h} hidden neurons: {h}! orders is too many for brute force (at most {BRUTE_MAX})"
    if name == "dp":
        try:
            SOLVERS["dp"].check(largest)
        except InputError as exc:
            return str(exc)
        budget = DEFAULT_EXACT_BUDGET if time_limit is None else time_limit
        estimate = DP_SECONDS_AT_24 * 2.0 ** (largest - 24) * largest / 24
        if estimate > budget:
            return (f"largest component has {largest} nodes: the subset DP would take about "
                    f"{estimate:.3g} s, more than the {budget:g} s budget")
    return None
