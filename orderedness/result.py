"""Result objects: :class:`Ordering` (a solved linear ordering problem) and :class:`Score`."""
from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from .progress import relative_gap

__all__ = ["Ordering", "Score", "Skipped"]


@dataclass
class Ordering:
    """The answer of a linear-ordering solver (:func:`orderedness.min_backflow`).

    Attributes
    ----------
    order : ndarray of int
        A permutation of the nodes, first to last.
    backflow : float
        Back-flow of `order` (strictly lower-triangular mass of the reordered matrix).
    lower_bound : float
        Proven lower bound on the least back-flow over all orders.
    optimal : bool
        True when `order` is proven optimal (``lower_bound == backflow``).
    method : str
        The solver that ran.
    seconds : float
        Wall time.
    stats : dict
        Solver details (reductions, component sizes, why a method was chosen, ...).
    names : list, optional
        The node names in the order of `order`, when the input named its nodes.
    """

    order: np.ndarray
    backflow: float
    lower_bound: float
    optimal: bool
    method: str
    seconds: float
    stats: dict = field(default_factory=dict)
    names: list | None = None

    @property
    def gap(self) -> float:
        """Relative gap ``(backflow - lower_bound) / backflow`` (0 when proven optimal); the same
        quantity as :attr:`Score.gap`."""
        return 0.0 if self.optimal else relative_gap(self.backflow, self.lower_bound)

    def to_dict(self) -> dict:
        """JSON-ready dictionary."""
        return {"order": [int(x) for x in self.order], "backflow": float(self.backflow),
                "lower_bound": float(self.lower_bound), "optimal": bool(self.optimal),
                "method": self.method, "seconds": float(self.seconds), "stats": _jsonable(self.stats),
                **_names(self.names)}


@dataclass
class Score:
    """Orderedness of a weight matrix (:func:`orderedness.score`).

    Attributes
    ----------
    value : float
        Orderedness ``1 - backflow / total`` of the best order found.
    lower, upper : float
        Proven bounds on the true orderedness; ``lower == value`` and ``upper`` comes from
        the proven lower bound on back-flow. Equal when the order is proven optimal.
    optimal : bool
        True when `value` is the exact orderedness.
    permutation : list of int
        Full order of the ``o + h`` neurons (outputs ``0..o-1`` first).
    backflow : float
        Back-flow of `permutation` over ``|Q|``, constants included.
    total : float
        The denominator S (``sum |Q|`` or ``sum |W|``).
    denominator : {"square", "full"}
        Which denominator `total` is.
    method : str
        The solver that ran on the hidden block.
    seconds : float
        Wall time.
    stats : dict
        Details from the solver and the reductions.
    names : list, optional
        The node names in the order of `permutation`, when the input named its nodes (a networkx
        graph, an edge list, an ``.npz`` with ``names``, or ``names=``).
    time_limit : float, optional
        The time limit the call had, in seconds; None: none (every method ran to its natural end).
    """

    value: float
    lower: float
    upper: float
    optimal: bool
    permutation: list
    backflow: float
    total: float
    denominator: str
    method: str
    seconds: float
    stats: dict = field(default_factory=dict)
    names: list | None = None
    time_limit: float | None = None

    @property
    def backflow_bound(self) -> float:
        """Proven lower bound on the back-flow of every order: ``total * (1 - upper)``."""
        return self.backflow if self.optimal else self.total * (1.0 - self.upper)

    @property
    def gap(self) -> float:
        """Relative gap of the back-flow, ``(backflow - bound) / backflow`` (0 when proven optimal): the
        same quantity as :attr:`Ordering.gap`. The certified interval of the orderedness is
        :attr:`width`."""
        return 0.0 if self.optimal else relative_gap(self.backflow, self.backflow_bound)

    @property
    def width(self) -> float:
        """Width of the certified interval of the orderedness, ``upper - lower``."""
        return self.upper - self.lower

    def to_dict(self) -> dict:
        """JSON-ready dictionary with the attribute names as keys."""
        return {"value": float(self.value), "lower": float(self.lower), "upper": float(self.upper),
                "optimal": bool(self.optimal), "permutation": [int(x) for x in self.permutation],
                "backflow": float(self.backflow), "total": float(self.total),
                "denominator": self.denominator, "method": self.method,
                "seconds": float(self.seconds),
                "time_limit": None if self.time_limit is None else float(self.time_limit),
                "stats": _jsonable(self.stats), **_names(self.names)}


def _names(names) -> dict:
    """``{"names": [...]}`` (each name as JSON can hold it) when there are names, else ``{}``."""
    return {} if names is None else {"names": [_jsonable(v) if isinstance(v, (np.generic, int, float))
                                               else str(v) for v in names]}


@dataclass
class Skipped:
    """A method :func:`orderedness.compare.compare` did not run, and why."""

    method: str
    reason: str

    def to_dict(self) -> dict:
        return {"method": self.method, "skipped": self.reason}


def _jsonable(obj):
    if isinstance(obj, dict):
        return {str(k): _jsonable(v) for k, v in obj.items()}
    if isinstance(obj, (list, tuple, np.ndarray)):
        return [_jsonable(v) for v in obj]
    if isinstance(obj, np.bool_):
        return bool(obj)
    if isinstance(obj, np.integer):
        return int(obj)
    if isinstance(obj, np.floating):
        return float(obj)
    return obj
