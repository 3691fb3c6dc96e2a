import os
import sys
from pathlib import Path

import numpy as np
import pytest
from hypothesis import settings

sys.path.insert(0, str(Path(__file__).parent))

# The property tests draw the same examples on every run (CI lands or not on the code alone);
# HYPOTHESIS_PROFILE=explore draws new ones each run, to hunt for counterexamples.
settings.register_profile("repeatable", derandomize=True)
settings.register_profile("explore", derandomize=False)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "repeatable"))

DISTRIBUTIONS = ("normal", "uniform", "sparse", "ties", "huge", "tiny", "signed-int")


def random_matrix(rng, shape, kind):
    """Weight matrices of the kinds the metric meets: dense, sparse, tied, extreme scales."""
    if kind == "normal":
        return rng.standard_normal(shape)
    if kind == "uniform":
        return rng.uniform(0, 1, shape)
    if kind == "sparse":
        return rng.standard_normal(shape) * (rng.uniform(size=shape) < 0.3)
    if kind == "ties":
        return rng.integers(0, 3, shape).astype(float)
    if kind == "huge":
        return rng.standard_normal(shape) * 1e150
    if kind == "tiny":
        return rng.standard_normal(shape) * 1e-150
    if kind == "signed-int":
        return rng.integers(-5, 6, shape).astype(float)
    raise ValueError(kind)


@pytest.fixture
def rng():
    return np.random.default_rng(12345)
