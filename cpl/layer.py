"""The complete perceptron layer (Song 2025, Section 3.1), batched over independent trials."""
from __future__ import annotations

from collections.abc import Callable

import torch
from torch import nn

from . import rng
from .init import initialise

__all__ = ["CompletePerceptronLayer"]


class CompletePerceptronLayer(nn.Module):
    """``trials`` independent complete perceptron layers evaluated as one batched module.

    Neurons are indexed outputs ``0..o-1``, hidden ``o..o+h-1``, inputs ``o+h..o+h+i-1``.
    ``weight[j, a, b]`` is trial `j`'s connection from neuron `b` into neuron `a`. The state
    ``s`` (outputs and hidden) starts at the learnable values and evolves for `iterations` steps,
    inputs clamped::

        s <- activation([s, x] @ weight.T (+ bias))      # Equation 1 of the paper
           = activation(s @ W_s.T + x @ W_x.T (+ bias))   # Equation 2: a weight-tied RNN

    Parameters
    ----------
    outputs, hidden, inputs : int
        ``o``, ``h`` and ``i``.
    trials : int
        Number of independent layers (the leading dimension of every parameter).
    iterations : int
        Default number of state updates per forward pass.
    weights_init, values_init : str
        Schemes of :data:`cpl.init.INITIALISERS` ("normal" by default).
    bias : bool
        Whether to add a learnable bias (initialised with `bias_init`).
    bias_init : str
        Scheme for the bias.
    activation : callable
        Element-wise non-linearity (sigmoid by default).
    seed : int, optional
        Draw trial ``j``'s parameters from streams seeded by ``(seed, first_trial + j)``
        (see :func:`cpl.rng.generators`); None uses torch's global generator.
    first_trial : int
        Index of the first trial in the seeded streams.

    Attributes
    ----------
    weight : nn.Parameter
        ``(trials, o+h, o+h+i)``.
    values : nn.Parameter
        ``(trials, o+h)``, the initial state (broadcast over the batch).
    bias : nn.Parameter or None
        ``(trials, o+h)``.

    Examples
    --------
    >>> import torch
    >>> layer = CompletePerceptronLayer(1, 5, 2, trials=3, seed=0)
    >>> layer(torch.rand(4, 2)).shape          # the same batch for every trial
    torch.Size([3, 4, 1])
    >>> layer.weight.shape
    torch.Size([3, 6, 8])
    """

    def __init__(self, outputs: int, hidden: int, inputs: int, *, trials: int = 1, iterations: int = 3,
                 weights_init: str = "normal", values_init: str = "normal", bias: bool = False,
                 bias_init: str = "normal", activation: Callable[[torch.Tensor], torch.Tensor] = torch.sigmoid,
                 seed: int | None = None, first_trial: int = 0):
        super().__init__()
        for name, value in (("outputs", outputs), ("hidden", hidden), ("inputs", inputs)):
            if value < 0:
                raise ValueError(f"{name} must be >= 0, got {value}")
        if outputs + hidden == 0:
            raise ValueError("a layer needs at least one output or hidden neuron")
        if trials < 1 or iterations < 1:
            raise ValueError(f"trials and iterations must be >= 1, got {trials} and {iterations}")
        self.outputs, self.hidden, self.inputs = outputs, hidden, inputs
        self.trials, self.iterations, self.activation = trials, iterations, activation
        n = outputs + hidden
        ids = range(first_trial, first_trial + trials)

        def streams(name: str) -> list[torch.Generator | None]:
            return [None] * trials if seed is None else rng.generators(seed, ids, name)

        self.weight = nn.Parameter(initialise(weights_init, (n, n + inputs), streams("weights")))
        self.values = nn.Parameter(initialise(values_init, (n,), streams("values")))
        self.bias = nn.Parameter(initialise(bias_init, (n,), streams("bias"))) if bias else None

    def forward(self, x: torch.Tensor, iterations: int | None = None) -> torch.Tensor:
        """Run the layer.

        Parameters
        ----------
        x : torch.Tensor
            Inputs, ``(batch, i)`` shared by all trials or ``(trials, batch, i)``.
        iterations : int, optional
            Number of state updates (default: ``self.iterations``).

        Returns
        -------
        torch.Tensor
            The outputs ``s[..., :o]`` after the last update, ``(trials, batch, o)``.
        """
        if x.dim() == 2:
            x = x.expand(self.trials, -1, -1)
        if x.dim() != 3 or x.shape[0] != self.trials or x.shape[2] != self.inputs:
            raise ValueError(f"expected inputs of shape (batch, {self.inputs}) or "
                             f"({self.trials}, batch, {self.inputs}), got {tuple(x.shape)}")
        n = self.outputs + self.hidden
        recurrent = self.weight[:, :, :n].transpose(1, 2)                 # W_s.T
        drive = torch.bmm(x, self.weight[:, :, n:].transpose(1, 2))       # x W_x.T, clamped inputs
        if self.bias is not None:
            drive = drive + self.bias[:, None, :]
        s = self.values[:, None, :].expand(-1, x.shape[1], -1)
        for _ in range(self.iterations if iterations is None else iterations):
            s = self.activation(torch.baddbmm(drive, s, recurrent))
        return s[..., :self.outputs]

    def extra_repr(self) -> str:
        return (f"outputs={self.outputs}, hidden={self.hidden}, inputs={self.inputs}, trials={self.trials}, "
                f"iterations={self.iterations}, bias={self.bias is not None}")
