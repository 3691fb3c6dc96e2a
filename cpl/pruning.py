"""Pruning schedules of the paper (Appendix B) as plain tensor functions and as pruners ``(W, t) -> W``.

Every function acts on the last two dimensions of `W` (one weight matrix, input columns included, in
the stored index order); leading dimensions are independent trials. `t` in ``[0, 1)`` is training
progress (``epoch / n_epochs``). The trainer applies a pruner to the whole weight after every
optimiser step: ``W <- pruner(W, t)``.

For the same schedules on any ``torch.nn.Module`` through ``torch.nn.utils.prune``, see
:mod:`cpl.prune_methods`.
"""
from __future__ import annotations

import math
from collections.abc import Sequence

import torch

__all__ = ["top_k", "tril_damp", "dynamic_fraction", "random_mask", "Pruner", "NoPrune", "RandomPrune",
           "TopK", "DynamicTopK", "TrilDamp", "DynamicTrilDamp", "PRUNERS", "make_pruner"]


def _fraction(value: float, what: str) -> float:
    value = float(value)
    if not 0.0 <= value <= 1.0:
        raise ValueError(f"{what} must be in [0, 1], got {value}")
    return value


def dynamic_fraction(t: float) -> float:
    """The ramp ``sin^4(pi t / 2)`` of the dynamic schedules: 0 at ``t = 0``, 1/4 at 0.5, 1 at 1."""
    return math.sin(math.pi * t / 2) ** 4


def top_k(W: torch.Tensor, k: float, *, guard: float = 1e-9) -> torch.Tensor:
    """Keep the fraction `k` of each matrix's entries with the largest ``|w|``; zero the rest.

    Parameters
    ----------
    W : torch.Tensor
        ``(..., rows, cols)``; each trailing matrix is pruned on its own.
    k : float
        Fraction kept, in ``[0, 1]``; ``floor(k * rows * cols + guard)`` entries survive.
    guard : float
        Added before rounding down, so that a product a rounding error below an integer keeps that
        integer. The published code has none (``int(k * N)``): at ``k = 1 - 3e-12`` it prunes one weight.

    Returns
    -------
    torch.Tensor
        A pruned copy of `W`.
    """
    k = _fraction(k, "top-k fraction")
    flat = W.flatten(-2)
    keep = math.floor(k * flat.shape[-1] + guard)
    if keep >= flat.shape[-1]:
        return W.clone()
    mask = torch.zeros_like(flat, dtype=torch.bool)
    mask.scatter_(-1, flat.abs().topk(keep, dim=-1, sorted=False).indices, True)
    return (flat * mask).view_as(W)


def tril_damp(W: torch.Tensor, f: float) -> torch.Tensor:
    """``W - f * tril(W, -1)``: shrink the strictly lower part of each stored matrix by the factor `f`.

    Parameters
    ----------
    W : torch.Tensor
        ``(..., rows, cols)``.
    f : float
        Damping factor in ``[0, 1]``.

    Returns
    -------
    torch.Tensor
        A damped copy of `W`.
    """
    if W.dim() < 2:
        raise ValueError("tril-damp needs a matrix (at least 2 dimensions)")
    return W - _fraction(f, "tril-damp factor") * torch.tril(W, -1)


def random_mask(shape: Sequence[int], p: float,
                generators: Sequence[torch.Generator | None]) -> torch.Tensor:
    """A keep-mask of shape ``(len(generators), *shape)`` dropping each entry with probability `p`.

    Parameters
    ----------
    shape : sequence of int
        Shape of one trial's matrix.
    p : float
        Probability of zeroing an entry, in ``[0, 1]``.
    generators : sequence of torch.Generator or None
        One per trial.

    Returns
    -------
    torch.Tensor
        Boolean mask, True where the weight is kept.
    """
    p = _fraction(p, "random pruning probability")
    return torch.stack([torch.rand(tuple(shape), generator=g) >= p for g in generators])


class Pruner:
    """A pruning schedule: ``pruner(W, t)`` returns the pruned weights at training progress `t`."""

    name = "none"

    def __call__(self, W: torch.Tensor, t: float) -> torch.Tensor:
        raise NotImplementedError

    def schedule(self, t: float) -> float:
        """The schedule's parameter (p, k or f) at progress `t`."""
        raise NotImplementedError


class NoPrune(Pruner):
    """Leave the weights alone."""

    name = "none"

    def __call__(self, W: torch.Tensor, t: float) -> torch.Tensor:
        return W

    def schedule(self, t: float) -> float:
        return 0.0


class RandomPrune(Pruner):
    """Zero each weight with probability `p`; the mask is drawn at the first call and kept.

    Parameters
    ----------
    p : float
        Probability of zeroing a weight.
    generators : sequence of torch.Generator or None, optional
        One per trial (leading dimension of `W`); None uses torch's global generator.
    """

    name = "random"

    def __init__(self, p: float, generators: Sequence[torch.Generator | None] | None = None):
        self.p, self.generators, self.mask = _fraction(p, "random pruning probability"), generators, None

    def __call__(self, W: torch.Tensor, t: float) -> torch.Tensor:
        if self.mask is None:
            lead = W.shape[:-2].numel()
            gens = self.generators if self.generators is not None else [None] * lead
            if len(gens) != lead:
                raise ValueError(f"{len(gens)} generators for {lead} weight matrices")
            self.mask = random_mask(W.shape[-2:], self.p, gens).view(W.shape)
        return W * self.mask

    def schedule(self, t: float) -> float:
        return self.p


class TopK(Pruner):
    """Keep the fraction `k` of the weights with the largest magnitude (`guard`: see :func:`top_k`)."""

    name = "topk"

    def __init__(self, k: float, *, guard: float = 1e-9):
        self.k, self.guard = _fraction(k, "top-k fraction"), guard

    def __call__(self, W: torch.Tensor, t: float) -> torch.Tensor:
        return top_k(W, self.k, guard=self.guard)

    def schedule(self, t: float) -> float:
        return self.k


class DynamicTopK(TopK):
    """Keep the fraction ``k(t) = 1 - (1 - k) sin^4(pi t / 2)``: everything at first, `k` at the end."""

    name = "dynamic-topk"

    def __call__(self, W: torch.Tensor, t: float) -> torch.Tensor:
        return top_k(W, self.schedule(t), guard=self.guard)

    def schedule(self, t: float) -> float:
        return 1.0 - (1.0 - self.k) * dynamic_fraction(t)


class TrilDamp(Pruner):
    """``W <- W - f tril(W, -1)`` at every call."""

    name = "tril-damp"

    def __init__(self, f: float):
        self.f = _fraction(f, "tril-damp factor")

    def __call__(self, W: torch.Tensor, t: float) -> torch.Tensor:
        return tril_damp(W, self.schedule(t))

    def schedule(self, t: float) -> float:
        return self.f


class DynamicTrilDamp(TrilDamp):
    """Tril-damp with the factor ``f(t) = f sin^4(pi t / 2)``: gentle at first, `f` at the end."""

    name = "dynamic-tril-damp"

    def schedule(self, t: float) -> float:
        return self.f * dynamic_fraction(t)


PRUNERS: dict[str, type[Pruner]] = {cls.name: cls for cls in
                                    (NoPrune, RandomPrune, TopK, DynamicTopK, TrilDamp, DynamicTrilDamp)}


def make_pruner(name: str, amount: float = 0.5,
                generators: Sequence[torch.Generator | None] | None = None, *, legacy: bool = False) -> Pruner:
    """Build a pruner by name.

    Parameters
    ----------
    name : {"none", "random", "topk", "dynamic-topk", "tril-damp", "dynamic-tril-damp"}
        The schedule.
    amount : float
        Its parameter: ``p`` for random, ``k`` (fraction kept) for top-k, ``f`` for tril-damp.
    generators : sequence of torch.Generator, optional
        Per-trial generators of the random mask.
    legacy : bool
        Top-k keeps ``int(k * N)`` weights, as the published code (no rounding guard).

    Returns
    -------
    Pruner
    """
    if name not in PRUNERS:
        raise ValueError(f"unknown pruner {name!r}; expected one of {sorted(PRUNERS)}")
    if name == "none":
        return NoPrune()
    if name == "random":
        return RandomPrune(amount, generators)
    if name in ("topk", "dynamic-topk"):
        return PRUNERS[name](amount, guard=0.0 if legacy else 1e-9)
    return PRUNERS[name](amount)
