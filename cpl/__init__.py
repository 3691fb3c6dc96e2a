"""cpl: a lightweight PyTorch trainer of complete perceptron layers (Song 2025).

The paper's model (:class:`CompletePerceptronLayer`, batched over independent trials), its
initialisations (:mod:`cpl.init`), pruning schedules (:mod:`cpl.pruning`, and for any module
:mod:`cpl.prune_methods`), tasks (:mod:`cpl.tasks`), a training loop that tracks orderedness
(:func:`train`) and the published experiments (:mod:`cpl.experiments`, ``python -m cpl``).
"""
from .layer import CompletePerceptronLayer
from .pruning import PRUNERS, make_pruner
from .tasks import TASKS, get_task
from .train import TrainConfig, TrainResult, orderedness, scores, train

__all__ = ["CompletePerceptronLayer", "PRUNERS", "make_pruner", "TASKS", "get_task", "TrainConfig",
           "TrainResult", "orderedness", "scores", "train"]
