"""The published code's draw order, replayed: ``TrainConfig(draws="legacy")``.

The paper's Table 1 was produced by a notebook that seeds torch's *global* generator once per
(row, task) with 3141592 and then runs the ten trials one after the other, every draw coming from
that one stream, in this order:

1. per trial, the layer's initial **values** ``(1, o+h)`` and then its **weights** ``(o+h, o+h+i)``
   (``torch.normal(0, 1)`` or ``torch.rand``; a zeros initialisation draws nothing);
2. per epoch, the data loader's two 64-bit draws: the iterator's base seed, then the seed of the
   generator that shuffles the epoch (``torch.randperm(N)`` on a fresh generator so seeded);
3. in trial 0 only, right after its first optimiser step (so after epoch 0's loader draws), the random
   pruner's mask ``torch.rand(o+h, o+h+i) < p`` (True: pruned). The pruner object lives for the whole
   (row, task), so all ten trials share that mask; the untrained and XOR columns, which draw the same
   numbers up to that point, share it too, while Sine (another shape) has its own.

Training and pruning themselves draw nothing, so every draw of every trial can be made up front;
:func:`draws` does that, and :func:`cpl.train.train` trains the trials as one batch from them.
Trial ``j`` depends on the draws of trials ``0 .. j-1``: a legacy run always starts at trial 0, and its
first ``n`` trials are the same whatever the number of trials.
"""
from __future__ import annotations

from dataclasses import dataclass

import torch

from .init import initialise
from .tasks import Task

__all__ = ["LEGACY_SEED", "LEGACY_INITIALISERS", "Draws", "draws"]

#: The notebook's global seed.
LEGACY_SEED = 3141592
#: The initialisations the published code had (``RandomNormal``, ``RandomUniform``, ``Zeros``).
LEGACY_INITIALISERS = ("normal", "uniform", "zeros")


@dataclass(frozen=True)
class Draws:
    """Everything random in a legacy run.

    Attributes
    ----------
    weight : torch.Tensor
        Initial weights, ``(trials, o+h, o+h+i)``.
    values : torch.Tensor
        Initial values, ``(trials, o+h)``.
    order : torch.Tensor
        Order of the data in every epoch, ``(trials, epochs, N)``.
    mask : torch.Tensor or None
        Random pruning's keep-mask, the same for every trial, ``(trials, o+h, o+h+i)``; None for the
        other pruners.
    """

    weight: torch.Tensor
    values: torch.Tensor
    order: torch.Tensor
    mask: torch.Tensor | None


def _seed_draw(generator: torch.Generator) -> int:
    return int(torch.empty((), dtype=torch.int64).random_(generator=generator).item())


def draws(task: Task, *, trials: int, seed: int = LEGACY_SEED, weights_init: str = "normal",
          values_init: str = "normal", pruner: str = "none", amount: float = 0.5) -> Draws:
    """Replay the published code's draws for `trials` trials of one (row, task).

    Parameters
    ----------
    task : Task
        The task, with its layer size and number of epochs.
    trials : int
        Trials ``0 .. trials-1``.
    seed : int
        The global seed (the notebook: 3141592).
    weights_init, values_init : {"normal", "uniform", "zeros"}
    pruner : str
        Only ``"random"`` draws (its mask, with probability `amount` of pruning).
    amount : float

    Returns
    -------
    Draws

    Examples
    --------
    >>> from cpl.tasks import get_task
    >>> d = draws(get_task("xor"), trials=2, pruner="random")
    >>> d.weight.shape, d.order.shape, bool((d.mask[0] == d.mask[1]).all())
    (torch.Size([2, 6, 8]), torch.Size([2, 1000, 4]), True)
    """
    for what, scheme in (("weights_init", weights_init), ("values_init", values_init)):
        if scheme not in LEGACY_INITIALISERS:
            raise ValueError(f"the legacy draw order has no {what} {scheme!r}; use one of {LEGACY_INITIALISERS} "
                             "or draws='independent'")
    n = task.outputs + task.hidden
    shape = (n, n + task.inputs)
    generator = torch.Generator().manual_seed(int(seed))
    weight, values, order, mask = [], [], [], None
    for trial in range(trials):
        values.append(initialise(values_init, (1, n), [generator])[0, 0])
        weight.append(initialise(weights_init, shape, [generator])[0])
        epochs = []
        for epoch in range(task.epochs):
            _seed_draw(generator)                                    # the loader iterator's base seed
            shuffle = torch.Generator().manual_seed(_seed_draw(generator))
            epochs.append(torch.randperm(task.x.shape[0], generator=shuffle))
            if pruner == "random" and trial == 0 and epoch == 0:
                mask = torch.rand(shape, generator=generator) >= amount
        order.append(torch.stack(epochs))
    return Draws(torch.stack(weight), torch.stack(values), torch.stack(order),
                 None if mask is None else mask.expand(trials, *shape))
