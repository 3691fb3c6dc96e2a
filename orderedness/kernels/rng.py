"""A small explicit random number generator for numba kernels (xorshift64*).

Its whole state is one ``uint64`` in a length-1 array owned by the caller, so a run split into many
kernel calls draws exactly the same numbers as one long call: results depend on the seed and the
number of iterations only, never on where the time checks fell.
"""
from __future__ import annotations

import numpy as np
from numba import njit

__all__ = ["rng_state", "next_u64", "randint"]


def rng_state(seed: int) -> np.ndarray:
    """A fresh state for `seed` (mixed by splitmix64 so that nearby seeds give unrelated streams)."""
    z = (int(seed) + 0x9E3779B97F4A7C15) & 0xFFFFFFFFFFFFFFFF
    z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & 0xFFFFFFFFFFFFFFFF
    z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & 0xFFFFFFFFFFFFFFFF
    z ^= z >> 31
    return np.array([z or 1], dtype=np.uint64)


@njit(cache=True, inline="always")
def next_u64(state):
    """Advance `state` and return 64 random bits."""
    x = state[0]
    x ^= x >> np.uint64(12)
    x ^= x << np.uint64(25)
    x ^= x >> np.uint64(27)
    state[0] = x
    return x * np.uint64(2685821657736338717)


@njit(cache=True, inline="always")
def randint(state, k):
    """A random integer in ``0..k-1``."""
    return np.int64((next_u64(state) >> np.uint64(11)) % np.uint64(k))
