"""Reading LOLIB instances (Heidelberg ``.mat`` format) for the benchmarks."""
from __future__ import annotations

import json
from pathlib import Path

import numpy as np

from orderedness.io import load_matrix

__all__ = ["io_instances", "lop_value"]


def io_instances(directory) -> list[tuple[str, np.ndarray, float]]:
    """``(name, matrix, optimal LOP value)`` of every ``.mat`` file in `directory`, smallest first."""
    directory = Path(directory)
    optima = json.loads((directory / "optima.json").read_text())
    out = [(p.stem, load_matrix(p), float(optima[p.stem])) for p in sorted(directory.glob("*.mat"))]
    return sorted(out, key=lambda item: (item[1].shape[0], item[0]))


def lop_value(A: np.ndarray, backflow: float) -> float:
    """LOP value (upper-triangular sum) of an order with the given back-flow: off-diagonal sum minus it.

    LOLIB publishes the largest weight ordered forwards; the back-flow is what an order leaves behind.
    """
    return float(A.sum() - np.trace(A)) - backflow
