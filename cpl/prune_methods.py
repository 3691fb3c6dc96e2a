"""The paper's pruning schedules as ``torch.nn.utils.prune`` methods, for any ``nn.Module``.

``torch.nn.utils.prune`` keeps the trained tensor as ``<name>_orig`` and a multiplicative mask as
``<name>_mask``; the module sees ``<name> = <name>_orig * <name>_mask``, recomputed before every
forward pass. Applying a method again on the same tensor combines it with the mask so far, so the
schedules can be stepped during training::

    >>> import torch
    >>> from torch import nn
    >>> from torch.nn.utils import prune
    >>> from cpl.prune_methods import DynamicTopKPruning, TrilDampPruning
    >>> _ = torch.manual_seed(0)
    >>> layer = nn.Linear(6, 4)
    >>> _ = DynamicTopKPruning.apply(layer, "weight", k=0.5, progress=0.9)
    >>> int((layer.weight != 0).sum())       # floor(k(0.9) * 24) = floor(0.524 * 24)
    12
    >>> _ = TrilDampPruning.apply(layer, "weight", f=0.8)
    >>> sorted(layer.weight_mask.unique().tolist())   # pruned, damped (1 - f), kept
    [0.0, 0.2, 1.0]
    >>> _ = prune.remove(layer, "weight")    # make it permanent: a plain parameter again

Unlike the trainer's in-place pruning (:mod:`cpl.pruning`), a weight masked here stays masked:
gradients reach ``<name>_orig`` but not through a zero of the mask. Tril-damp's mask is not binary:
it holds ``1 - f`` below the diagonal, and every further application multiplies it again.
Top-k fractions refer to the whole tensor (all of its entries), whatever was pruned before.
"""
from __future__ import annotations

import torch
from torch.nn.utils import prune

from .pruning import _fraction, dynamic_fraction, top_k

__all__ = ["RandomPruning", "TopKPruning", "DynamicTopKPruning", "TrilDampPruning", "DynamicTrilDampPruning"]


class _Global(prune.BasePruningMethod):
    # "global": the method sees the whole tensor and the whole mask so far, so fractions and damping
    # refer to the full tensor and compose with earlier pruning.
    PRUNING_TYPE = "global"


class RandomPruning(_Global):
    """Zero each still-unpruned entry with probability `p`.

    Parameters
    ----------
    p : float
        Probability in ``[0, 1]``.
    generator : torch.Generator, optional
        Source of the mask (torch's global generator by default).
    """

    def __init__(self, p: float, generator: torch.Generator | None = None):
        self.p, self.generator = _fraction(p, "random pruning probability"), generator

    def compute_mask(self, t: torch.Tensor, default_mask: torch.Tensor) -> torch.Tensor:
        keep = torch.rand(t.shape, generator=self.generator) >= self.p
        return default_mask * keep.to(device=default_mask.device, dtype=default_mask.dtype)

    @classmethod
    def apply(cls, module: torch.nn.Module, name: str, p: float,
              generator: torch.Generator | None = None) -> RandomPruning:
        """Prune ``module.<name>``; returns the method (or the container of all methods so far)."""
        return super().apply(module, name, p=p, generator=generator)


class TopKPruning(_Global):
    """Keep the fraction `k` of the tensor's entries with the largest ``|w|`` (among those still kept).

    Parameters
    ----------
    k : float
        Fraction of all entries kept, in ``[0, 1]``.
    """

    def __init__(self, k: float):
        self.k = _fraction(k, "top-k fraction")

    def fraction(self) -> float:
        """The fraction kept."""
        return self.k

    def compute_mask(self, t: torch.Tensor, default_mask: torch.Tensor) -> torch.Tensor:
        current = (t * default_mask).reshape(1, -1)
        keep = top_k(current, self.fraction()).reshape(t.shape) != 0
        return default_mask * keep.to(default_mask.dtype)

    @classmethod
    def apply(cls, module: torch.nn.Module, name: str, k: float) -> TopKPruning:
        """Prune ``module.<name>``; returns the method (or the container of all methods so far)."""
        return super().apply(module, name, k=k)


class DynamicTopKPruning(TopKPruning):
    """Top-k with the fraction ``k(t) = 1 - (1 - k) sin^4(pi t / 2)`` at training progress `progress`.

    Parameters
    ----------
    k : float
        Final fraction kept.
    progress : float
        Training progress ``t`` in ``[0, 1]``.
    """

    def __init__(self, k: float, progress: float):
        super().__init__(k)
        self.progress = _fraction(progress, "progress")

    def fraction(self) -> float:
        return 1.0 - (1.0 - self.k) * dynamic_fraction(self.progress)

    @classmethod
    def apply(cls, module: torch.nn.Module, name: str, k: float, progress: float) -> DynamicTopKPruning:
        """Prune ``module.<name>``; returns the method (or the container of all methods so far)."""
        return super(TopKPruning, cls).apply(module, name, k=k, progress=progress)


class TrilDampPruning(_Global):
    """Multiply the strictly lower part (last two dimensions, as stored) by ``1 - f``.

    Parameters
    ----------
    f : float
        Damping factor in ``[0, 1]``.
    """

    def __init__(self, f: float):
        self.f = _fraction(f, "tril-damp factor")

    def factor(self) -> float:
        """The damping factor."""
        return self.f

    def compute_mask(self, t: torch.Tensor, default_mask: torch.Tensor) -> torch.Tensor:
        if t.dim() < 2:
            raise ValueError("tril-damp needs a matrix (at least 2 dimensions)")
        lower = torch.ones(t.shape[-2:], dtype=default_mask.dtype, device=default_mask.device).tril(-1)
        return default_mask * (1.0 - self.factor() * lower)

    @classmethod
    def apply(cls, module: torch.nn.Module, name: str, f: float) -> TrilDampPruning:
        """Damp ``module.<name>``; returns the method (or the container of all methods so far)."""
        return super().apply(module, name, f=f)


class DynamicTrilDampPruning(TrilDampPruning):
    """Tril-damp with the factor ``f(t) = f sin^4(pi t / 2)`` at training progress `progress`.

    Parameters
    ----------
    f : float
        Final damping factor.
    progress : float
        Training progress ``t`` in ``[0, 1]``.
    """

    def __init__(self, f: float, progress: float):
        super().__init__(f)
        self.progress = _fraction(progress, "progress")

    def factor(self) -> float:
        return self.f * dynamic_fraction(self.progress)

    @classmethod
    def apply(cls, module: torch.nn.Module, name: str, f: float, progress: float) -> DynamicTrilDampPruning:
        """Damp ``module.<name>``; returns the method (or the container of all methods so far)."""
        return super(TrilDampPruning, cls).apply(module, name, f=f, progress=progress)
