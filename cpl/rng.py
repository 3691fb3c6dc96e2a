"""Per-trial random streams: a trial's draws depend only on ``(seed, trial, stream)``.

Every trial of a batched run gets its own :class:`torch.Generator` for each purpose (weights, values,
data shuffling, pruning masks), so a trial's result does not depend on how many trials are trained
together, nor on what the other streams consumed.
"""
from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import torch

__all__ = ["STREAMS", "generators"]

STREAMS = {"weights": 0, "values": 1, "bias": 2, "data": 3, "pruning": 4}


def generators(seed: int, trials: Sequence[int], stream: str) -> list[torch.Generator]:
    """One independent CPU generator per trial.

    Parameters
    ----------
    seed : int
        Seed of the whole experiment (non-negative).
    trials : sequence of int
        Trial indices; trial ``j`` is the same whichever other trials run beside it.
    stream : {"weights", "values", "bias", "data", "pruning"}
        What the generators are for.

    Returns
    -------
    list of torch.Generator
        ``len(trials)`` generators seeded from ``(seed, trial, stream)``.
    """
    if stream not in STREAMS:
        raise ValueError(f"unknown random stream {stream!r}; expected one of {sorted(STREAMS)}")
    out = []
    for trial in trials:
        state = np.random.SeedSequence([int(seed), int(trial), STREAMS[stream]]).generate_state(2, np.uint32)
        out.append(torch.Generator().manual_seed(int(state[0]) << 32 | int(state[1])))
    return out
