"""Reading LOLIB instances (Heidelberg ``.mat`` format) for the benchmarks."""
from __future__ import annotations

import json
from pathlib import Path

import numpy as np

from orderedness.io import load_matrix

__all__ = ["read_mat", "io_instances", "lop_value"]


def read_mat(path) -> np.ndarray:
    """The matrix of a LOLIB file (title line optional), read by :func:`orderedness.io.load_matrix`."""
    return load_matrix(path)


def io_instances(directory) -> list[tuple[str, np.ndarray, float]]:
    """``(name, matrix, optimal LOP value)`` of every ``.mat`` file in `directory`, smallest first."""
    directory = Path(directory)
    optima = json.loads((directory / "optima.json").read_text())
    out = [(p.stem, read_mat(p), float(optima[p.stem])) for p in sorted(directory.glob("*.mat"))]
    return sorted(out, key=lambda item: (item[1].shape[0], item[0]))


def lop_value(A: np.ndarray, backflow: float) -> float:
    """LOP value (upper-triangular sum) of an order with the given back-flow: off-diagonal sum minus it."""
    return float(A.sum() - np.trace(A)) - backflow
