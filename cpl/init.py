"""Initialisations of a complete perceptron layer's weights, values and bias.

Each scheme draws one trial at a time from that trial's generator, so a trial's initial state
depends only on its own random stream.
"""
from __future__ import annotations

from collections.abc import Callable, Sequence

import torch

__all__ = ["INITIALISERS", "initialise"]


def _normal(shape: tuple[int, ...], generator: torch.Generator | None) -> torch.Tensor:
    return torch.randn(shape, generator=generator)


def _uniform(shape: tuple[int, ...], generator: torch.Generator | None) -> torch.Tensor:
    return torch.rand(shape, generator=generator)


def _zeros(shape: tuple[int, ...], generator: torch.Generator | None) -> torch.Tensor:
    return torch.zeros(shape)


def _ones(shape: tuple[int, ...], generator: torch.Generator | None) -> torch.Tensor:
    return torch.ones(shape)


def _upper_triangular(shape: tuple[int, ...], generator: torch.Generator | None) -> torch.Tensor:
    if len(shape) != 2:
        raise ValueError("the upper-triangular initialisation applies to weight matrices only")
    return torch.triu(torch.randn(shape, generator=generator))


INITIALISERS: dict[str, Callable[[tuple[int, ...], torch.Generator | None], torch.Tensor]] = {
    "normal": _normal,                      # N(0, 1), the default for weights and values
    "uniform": _uniform,                    # U[0, 1)
    "zeros": _zeros,
    "ones": _ones,
    "upper-triangular": _upper_triangular,  # N(0, 1) with the strictly lower part (as stored) zeroed
}


def initialise(scheme: str, shape: tuple[int, ...],
               generators: Sequence[torch.Generator | None]) -> torch.Tensor:
    """Draw a ``(trials, *shape)`` tensor, trial ``j`` from ``generators[j]``.

    Parameters
    ----------
    scheme : {"normal", "uniform", "zeros", "ones", "upper-triangular"}
        The initialisation; "upper-triangular" needs a matrix `shape`.
    shape : tuple of int
        Shape of one trial's tensor.
    generators : sequence of torch.Generator or None
        One per trial; None draws from torch's global generator.

    Returns
    -------
    torch.Tensor
        float32 tensor of shape ``(len(generators), *shape)``.
    """
    if scheme not in INITIALISERS:
        raise ValueError(f"unknown initialisation {scheme!r}; expected one of {sorted(INITIALISERS)}")
    draw = INITIALISERS[scheme]
    return torch.stack([draw(tuple(shape), g) for g in generators]).to(torch.float32)
