"""Train a batch of complete perceptron layers and track their orderedness.

Read :func:`train` top to bottom: it is the whole training loop. All trials of one configuration are
one batched model whose parameters carry a leading trial dimension. The loss is the *sum* over trials
of each trial's mean squared error, so each trial's gradient is exactly its own, and Adam, being
element-wise, then updates every trial exactly as if it were trained alone.
"""
from __future__ import annotations

import time
from dataclasses import dataclass, field

import numpy as np
import torch

import orderedness as od

from . import legacy, rng
from .layer import CompletePerceptronLayer
from .pruning import make_pruner
from .tasks import get_task

__all__ = ["DRAWS", "TrainConfig", "TrainResult", "train", "orderedness", "scores"]

#: The two draw orders of :class:`TrainConfig`.
DRAWS = ("independent", "legacy")


@dataclass(frozen=True)
class TrainConfig:
    """One configuration, trained for trials ``first_trial .. first_trial + trials - 1``.

    Attributes
    ----------
    task : {"xor", "sine", "none"}
    hidden, iterations : int, optional
        Override the task's layer size and number of state updates.
    weights_init, values_init : str
        Initialisation schemes (:data:`cpl.init.INITIALISERS`).
    pruner : {"none", "random", "topk", "dynamic-topk", "tril-damp", "dynamic-tril-damp"}
    amount : float
        The pruner's parameter: p (random), k (top-k, fraction kept) or f (tril-damp).
    trials, seed, first_trial : int
        Trial ``j`` draws everything from streams seeded by ``(seed, j)``.
    lr : float
        Adam's learning rate.
    bias : bool
        Give the layer a learnable bias (the paper uses none).
    shared_mask : bool
        Random pruning draws one mask, from the stream of trial 0, for all trials (and so the same mask
        for every task with the same layer shape) instead of one mask per trial.
    track_every : int
        Also record the orderedness every this many steps (0: only at the start and the end).
    method : str
        ``od.score`` method for every orderedness ("auto": exact where it fits).
    time_limit : float, optional
        ``od.score`` time limit per matrix, in seconds; when reached, the score keeps certified bounds.
        None (the default): no limit, every score the same on any machine.
    draws : {"independent", "legacy"}
        "independent": trial ``j`` draws from its own streams ``(seed, j)`` (the default, the sound
        experiment). "legacy": the published code's order, every draw of every trial from one global
        stream seeded with `seed`, one random mask for all trials (:mod:`cpl.legacy`); needs
        ``first_trial = 0`` and no bias.
    """

    task: str = "xor"
    hidden: int | None = None
    iterations: int | None = None
    weights_init: str = "normal"
    values_init: str = "normal"
    pruner: str = "none"
    amount: float = 0.5
    trials: int = 10
    seed: int = 0
    first_trial: int = 0
    lr: float = 0.01
    bias: bool = False
    shared_mask: bool = False
    track_every: int = 0
    method: str = "auto"
    time_limit: float | None = None
    draws: str = "independent"


@dataclass
class TrainResult:
    """What :func:`train` measured.

    Attributes
    ----------
    config : TrainConfig
    start, end : ndarray
        Orderedness of every trial's weights before training and after the last step, ``(trials,)``.
    history : list of (int, ndarray)
        ``(step, orderedness per trial)``, from step 0 to the last step.
    scores : list of (int, list of od.Score)
        The same steps with each trial's full :class:`orderedness.Score` (bounds, optimality, method).
    losses : ndarray
        Training loss of every step and trial, ``(steps, trials)`` (empty for the ``none`` task).
    weight : ndarray
        Final weights, ``(trials, o+h, o+h+i)``.
    initial : ndarray
        Weights before the first step, ``(trials, o+h, o+h+i)``.
    seconds_training, seconds_scoring : float
        Wall time of the loop and of the orderedness computations.
    """

    config: TrainConfig
    start: np.ndarray
    end: np.ndarray
    history: list[tuple[int, np.ndarray]] = field(default_factory=list)
    scores: list[tuple[int, list[od.Score]]] = field(default_factory=list)
    losses: np.ndarray = field(default_factory=lambda: np.zeros((0, 0)))
    weight: np.ndarray = field(default_factory=lambda: np.zeros((0, 0, 0)))
    initial: np.ndarray = field(default_factory=lambda: np.zeros((0, 0, 0)))
    seconds_training: float = 0.0
    seconds_scoring: float = 0.0

    @property
    def delta(self) -> np.ndarray:
        """Change of orderedness from start to end, per trial."""
        return self.end - self.start


def scores(weight: torch.Tensor, outputs: int, inputs: int, *, method: str = "auto",
           time_limit: float | None = None) -> list[od.Score]:
    """Orderedness (square denominator) of each trial's weight matrix, with its bounds.

    Parameters
    ----------
    weight : torch.Tensor
        ``(trials, o+h, o+h+i)``.
    outputs, inputs : int
        ``o`` and ``i``.
    method : str
        ``od.score`` method.
    time_limit : float, optional
        Seconds per matrix; None: no limit.

    Returns
    -------
    list of od.Score
        ``od.score(weight[j], outputs=outputs, inputs=inputs, ...)`` for every trial ``j``.
    """
    matrices = weight.detach().cpu().double().numpy()
    return [od.score(w, outputs=outputs, inputs=inputs, method=method, time_limit=time_limit) for w in matrices]


def orderedness(weight: torch.Tensor, outputs: int, inputs: int) -> np.ndarray:
    """Exact orderedness (square denominator) of each trial's weight matrix.

    Parameters
    ----------
    weight : torch.Tensor
        ``(trials, o+h, o+h+i)``.
    outputs, inputs : int
        ``o`` and ``i``.

    Returns
    -------
    ndarray
        ``od.score(weight[j], outputs=outputs, inputs=inputs).value`` for every trial ``j``.
    """
    return np.array([s.value for s in scores(weight, outputs, inputs)])


def train(config: TrainConfig) -> TrainResult:
    """Train ``config.trials`` layers on ``config.task`` with pruning after every optimiser step.

    Parameters
    ----------
    config : TrainConfig

    Returns
    -------
    TrainResult
        Orderedness at the start and the end (and every ``track_every`` steps), losses and final weights.
    """
    task = get_task(config.task, config.hidden, config.iterations)
    o, h, i = task.outputs, task.hidden, task.inputs
    trials = range(config.first_trial, config.first_trial + config.trials)

    if config.draws not in DRAWS:
        raise ValueError(f"unknown draws {config.draws!r}; expected one of {DRAWS}")
    legacy_run = config.draws == "legacy"
    if legacy_run and (config.first_trial != 0 or config.bias or config.shared_mask):
        raise ValueError("the legacy draw order runs trials 0.. in sequence, without bias, with its own "
                         "shared mask: set first_trial=0, bias=False, shared_mask=False")
    layer = CompletePerceptronLayer(o, h, i, trials=config.trials, iterations=task.iterations,
                                    weights_init=config.weights_init, values_init=config.values_init,
                                    bias=config.bias, seed=config.seed, first_trial=config.first_trial)
    mask_streams = [0] * config.trials if config.shared_mask else trials
    pruner = make_pruner(config.pruner, config.amount, rng.generators(config.seed, mask_streams, "pruning"),
                         legacy=legacy_run)
    if legacy_run:
        drawn = legacy.draws(task, trials=config.trials, seed=config.seed, weights_init=config.weights_init,
                             values_init=config.values_init, pruner=config.pruner, amount=config.amount)
        with torch.no_grad():
            layer.weight.copy_(drawn.weight)
            layer.values.copy_(drawn.values)
        if drawn.mask is not None:              # random pruning: the one mask of the published code
            pruner.mask = drawn.mask
        order = drawn.order
    else:
        order = task.shuffles(rng.generators(config.seed, trials, "data"))      # (trials, epochs, N)
    optimiser = torch.optim.Adam(layer.parameters(), lr=config.lr)

    history: list[tuple[int, np.ndarray]] = []
    score_history: list[tuple[int, list[od.Score]]] = []
    seconds = {"training": 0.0, "scoring": 0.0}

    def record(step: int) -> None:
        t0 = time.perf_counter()
        measured = scores(layer.weight, o, i, method=config.method, time_limit=config.time_limit)
        score_history.append((step, measured))
        history.append((step, np.array([s.value for s in measured])))
        seconds["scoring"] += time.perf_counter() - t0

    initial = layer.weight.detach().numpy().copy()
    record(0)
    losses = torch.zeros(task.steps if task.trains else 0, config.trials)
    t0 = time.perf_counter()
    step = 0
    for epoch in range(task.epochs):
        t = epoch / task.epochs                                   # training progress, never reaches 1
        for b in range(task.steps_per_epoch):
            if task.trains:
                idx = order[:, epoch, b * task.batch_size:(b + 1) * task.batch_size]   # (trials, batch)
                prediction = layer(task.x[idx])
                per_trial = (prediction - task.y[idx]).square().mean(dim=(1, 2))     # each trial's MSE
                optimiser.zero_grad(set_to_none=True)
                per_trial.sum().backward()
                optimiser.step()
                losses[step] = per_trial.detach()
            with torch.no_grad():
                layer.weight.copy_(pruner(layer.weight, t))
            step += 1
            if config.track_every and step % config.track_every == 0 and step < task.steps:
                seconds["training"] += time.perf_counter() - t0
                record(step)
                t0 = time.perf_counter()
    seconds["training"] += time.perf_counter() - t0
    record(step)
    return TrainResult(config, start=history[0][1], end=history[-1][1], history=history,
                       scores=score_history, losses=losses.numpy(), weight=layer.weight.detach().numpy().copy(),
                       initial=initial, seconds_training=seconds["training"],
                       seconds_scoring=seconds["scoring"])
