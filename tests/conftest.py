import sys
from pathlib import Path

import numpy as np
import pytest

sys.path.insert(0, str(Path(__file__).parent))

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
