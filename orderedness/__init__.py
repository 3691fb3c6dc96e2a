"""orderedness: how feed-forward is a weight matrix, exactly.

The orderedness of a complete perceptron layer (Song, 2025) is one minus the least share of weight
that flows backwards over all orders of its hidden neurons: a linear ordering problem, solved here
exactly (subset DP, branch-and-cut on node pairs for dense parts or on arcs and cycles for sparse
ones) or with proven bounds; ``METHODS`` lists the solvers.

>>> import numpy as np
>>> import orderedness as od
>>> od.score(np.triu(np.ones((4, 4)))).value
1.0
"""
from .backflow import backflow, pairwise_bound
from .lop import METHODS, min_backflow
from .metric import DENOMINATORS, score
from .nx import FeedbackArcSet, feedback_arc_set
from .result import Ordering, Score
from .validate import InputError

__version__ = "0.1.0"

__all__ = ["score", "min_backflow", "feedback_arc_set", "FeedbackArcSet", "backflow", "pairwise_bound", "Score", "Ordering", "InputError",
           "METHODS", "DENOMINATORS", "__version__"]
