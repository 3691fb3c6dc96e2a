"""The paper's tasks (Section 4, Appendix C), with the settings its published numbers used.

=======  ==============================================  ======  ===  ==========  ======  ========
task     data                                            hidden  its  batch size  epochs  steps
=======  ==============================================  ======  ===  ==========  ======  ========
xor      the 4 points of {0,1}^2, target XOR             5       3    4           1000    1000
sine     ``arange(0, 3, 0.01)`` as 150 x 2 points,       8       3    10          40      600
         target ``(sin x1 + sin x2) / 2``
none     XOR's data, no training: only the pruner runs   5       1    4           10      10
=======  ==============================================  ======  ===  ==========  ======  ========

The paper's text gives the sine task 10 hidden neurons; its published numbers used 8.
"""
from __future__ import annotations

import dataclasses
import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import torch

__all__ = ["Task", "xor", "sine", "none", "TASKS", "get_task"]


@dataclass(frozen=True)
class Task:
    """A dataset with the layer size and schedule it is trained with.

    Attributes
    ----------
    name : str
    x, y : torch.Tensor
        Inputs ``(N, i)`` and targets ``(N, o)``.
    hidden, iterations : int
        Default layer size and number of state updates.
    batch_size, epochs : int
        Mini-batches are drawn from a fresh shuffle of the data every epoch.
    trains : bool
        False for the ``none`` task: the loop only applies the pruner.
    """

    name: str
    x: torch.Tensor
    y: torch.Tensor
    hidden: int
    iterations: int
    batch_size: int
    epochs: int
    trains: bool = True

    @property
    def outputs(self) -> int:
        return self.y.shape[1]

    @property
    def inputs(self) -> int:
        return self.x.shape[1]

    @property
    def steps_per_epoch(self) -> int:
        return math.ceil(self.x.shape[0] / self.batch_size)

    @property
    def steps(self) -> int:
        return self.epochs * self.steps_per_epoch

    def shuffles(self, generators: Sequence[torch.Generator | None]) -> torch.Tensor:
        """Every trial's order of the data in every epoch.

        Parameters
        ----------
        generators : sequence of torch.Generator or None
            One per trial.

        Returns
        -------
        torch.Tensor
            Indices of shape ``(trials, epochs, N)``; trial ``j`` uses only ``generators[j]``.
        """
        n = self.x.shape[0]
        return torch.stack([torch.stack([torch.randperm(n, generator=g) for _ in range(self.epochs)])
                            for g in generators])


def xor() -> Task:
    """XOR on the four points of {0, 1}^2: h = 5, 3 iterations, batch 4, 1000 epochs."""
    x = torch.tensor([[0.0, 0.0], [0.0, 1.0], [1.0, 0.0], [1.0, 1.0]])
    y = torch.logical_xor(x[:, :1] > 0, x[:, 1:] > 0).float()
    return Task("xor", x, y, hidden=5, iterations=3, batch_size=4, epochs=1000)


def sine() -> Task:
    """``(sin x1 + sin x2) / 2`` on ``arange(0, 3, 0.01)`` as 150 pairs: h = 8, 3 iterations, batch 10, 40 epochs."""
    x = torch.arange(0, 3, 0.01, dtype=torch.float64).reshape(150, 2)
    y = (torch.sin(x[:, :1]) + torch.sin(x[:, 1:])) / 2
    return Task("sine", x.float(), y.float(), hidden=8, iterations=3, batch_size=10, epochs=40)


def none() -> Task:
    """No training: XOR's layer (h = 5, 1 iteration) while the pruner alone runs for 10 steps."""
    return dataclasses.replace(xor(), name="none", iterations=1, epochs=10, trains=False)


TASKS: dict[str, Callable[[], Task]] = {"xor": xor, "sine": sine, "none": none}


def get_task(name: str, hidden: int | None = None, iterations: int | None = None) -> Task:
    """A task by name, optionally with another hidden size or number of iterations.

    Parameters
    ----------
    name : {"xor", "sine", "none"}
    hidden, iterations : int, optional
        Overrides of the task's defaults (>= 1 iteration, >= 0 hidden).

    Returns
    -------
    Task
    """
    if name not in TASKS:
        raise ValueError(f"unknown task {name!r}; expected one of {sorted(TASKS)}")
    task = TASKS[name]()
    if hidden is not None:
        if hidden < 0:
            raise ValueError(f"hidden must be >= 0, got {hidden}")
        task = dataclasses.replace(task, hidden=hidden)
    if iterations is not None:
        if iterations < 1:
            raise ValueError(f"iterations must be >= 1, got {iterations}")
        task = dataclasses.replace(task, iterations=iterations)
    return task
