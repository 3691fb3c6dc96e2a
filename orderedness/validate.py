"""Input validation: the one place that checks what users hand to the package.

Every check raises :class:`InputError` (a ``ValueError``) whose message names the
problem and the fix, so that the command line can print it as one line.
"""
from __future__ import annotations

import numbers
import os

import numpy as np
from scipy.sparse import csr_matrix, issparse

__all__ = ["InputError", "as_matrix", "check_square", "check_sparse", "check_names", "check_cpl",
           "check_count",
           "check_time_limit", "check_seed", "check_choice", "memory_budget", "check_memory"]


SMALL = 1 << 26   # allocations below 64 MiB are not worth reading the available memory for


class InputError(ValueError):
    """Bad input: the message says what is wrong and how to fix it."""


def as_matrix(X, name: str = "matrix") -> np.ndarray:
    """Return `X` as a finite 2-D ``float64`` array, or raise :class:`InputError`."""
    if hasattr(X, "detach") and hasattr(X, "cpu"):  # a torch tensor, without importing torch
        X = X.detach().cpu().numpy()
    try:
        arr = np.asarray(X)
    except (TypeError, ValueError) as exc:
        raise InputError(f"{name} is not an array of numbers ({exc}); pass a 2-D numeric array") from None
    if arr.dtype == object or arr.dtype.kind in "USVMm":
        raise InputError(f"{name} has dtype {arr.dtype}, not numbers; pass a 2-D array of real numbers")
    if arr.dtype.kind == "c":
        raise InputError(f"{name} is complex; pass real weights (for example np.abs(W) or W.real)")
    if arr.ndim != 2:
        raise InputError(f"{name} is {arr.ndim}-D with shape {arr.shape}; pass a 2-D weight matrix")
    if arr.size == 0:
        raise InputError(f"{name} is empty (shape {arr.shape}); pass a matrix with at least one row and column")
    arr = np.asarray(arr, dtype=np.float64)
    if not np.isfinite(arr).all():
        bad = np.argwhere(~np.isfinite(arr))[0]
        raise InputError(f"{name} holds NaN or Inf (first at row {bad[0]}, column {bad[1]}); "
                         "replace them with finite numbers")
    return arr


def check_sparse(X, name: str = "matrix") -> csr_matrix:
    """Return a scipy.sparse matrix as a finite ``float64`` CSR matrix (duplicates summed, explicit
    zeros dropped), never densified, or raise :class:`InputError`."""
    if X.dtype == object or X.dtype.kind not in "biuf":
        kind = "complex" if X.dtype.kind == "c" else f"dtype {X.dtype}"
        raise InputError(f"{name} is a sparse matrix of {kind}; pass real weights")
    if len(X.shape) != 2 or 0 in X.shape:
        raise InputError(f"{name} is an empty sparse matrix (shape {X.shape}); pass at least one node")
    A = csr_matrix(X, dtype=np.float64, copy=True)
    A.sum_duplicates()
    if not np.isfinite(A.data).all():
        k = int(np.flatnonzero(~np.isfinite(A.data))[0])
        row = int(np.searchsorted(A.indptr, k, side="right") - 1)
        raise InputError(f"{name} holds NaN or Inf (first at row {row}, column {A.indices[k]}); "
                         "replace them with finite numbers")
    A.eliminate_zeros()
    return A


def check_names(names, n: int) -> list | None:
    """Node names: None, or a sequence of `n` names (returned as a list)."""
    if names is None:
        return None
    names = list(names)
    if len(names) != n:
        raise InputError(f"{len(names)} names for {n} nodes; pass one name per row of the matrix")
    return names


def check_square(X, name: str = "matrix"):
    """Return a finite square ``float64`` matrix, or raise :class:`InputError`.

    A scipy.sparse matrix comes back as a CSR matrix (:func:`check_sparse`), never densified.
    """
    arr = check_sparse(X, name) if issparse(X) else as_matrix(X, name)
    if arr.shape[0] != arr.shape[1]:
        raise InputError(f"{name} has shape {arr.shape}, not square; pass an n x n matrix")
    return arr


def check_count(value, name: str, least: int = 0) -> int:
    """A whole-number option of at least `least` (``outputs``, ``inputs``; ``threads`` from 1)."""
    whole = isinstance(value, numbers.Integral) or (isinstance(value, numbers.Real) and float(value).is_integer())
    if isinstance(value, bool) or not whole:
        raise InputError(f"{name} must be a whole number, got {value!r}")
    value = int(value)
    if value < least:
        raise InputError(f"{name} must be >= {least}, got {value}")
    return int(value)


def check_cpl(W, outputs, inputs, name: str = "W") -> tuple[np.ndarray, int, int, int]:
    """Check a complete-perceptron-layer weight matrix of shape ``(o+h, o+h+i)``.

    Returns ``(W, o, h, i)``. A scipy.sparse matrix is a network: square, every node free
    (``o = i = 0``); it comes back as CSR (:func:`check_sparse`).
    """
    if issparse(W):
        if outputs or inputs:
            raise InputError(f"{name} is a sparse matrix, read as a network (every node free); pass "
                             "outputs=0 and inputs=0, or a dense array for a layer with outputs or inputs")
        A = check_square(W, name)
        return A, 0, A.shape[0], 0
    arr = as_matrix(W, name)
    o = check_count(outputs, "outputs")
    i = check_count(inputs, "inputs")
    rows, cols = arr.shape
    if cols != rows + i:
        hint = (f"inputs={cols - rows}" if cols > rows else
                "a matrix of shape (o+h, o+h+i), with at least as many columns as rows")
        raise InputError(f"{name} has shape {arr.shape} but inputs={i} needs {rows + i} columns; pass {hint}")
    if o > rows:
        raise InputError(f"outputs={o} exceeds the {rows} rows of {name}; pass outputs <= {rows}")
    return arr, o, rows - o, i


def check_time_limit(time_limit) -> float | None:
    """``None`` (no limit) or a positive number of seconds."""
    if time_limit is None:
        return None
    if isinstance(time_limit, bool) or not isinstance(time_limit, numbers.Real) or not time_limit > 0:
        raise InputError(f"time_limit must be a positive number of seconds or None, got {time_limit!r}")
    return float(time_limit)


def check_seed(seed) -> int:
    """A non-negative integer seed."""
    return check_count(seed, "seed")


def check_options(options: dict, known, what: str) -> None:
    """Refuse options outside `known` (a misspelt option must not pass silently)."""
    unknown = sorted(set(options) - set(known))
    if unknown:
        taken = f"options taken: {', '.join(sorted(known))}" if known else "it takes no option"
        raise InputError(f"unknown option {unknown[0]!r} for {what}; {taken}")


def check_choice(value, choices, name: str) -> str:
    """One of a fixed set of strings."""
    if value not in choices:
        raise InputError(f"unknown {name} {value!r}; choose one of: {', '.join(choices)}")
    return value


def _available_memory() -> int:
    try:
        with open("/proc/meminfo") as fh:
            for line in fh:
                if line.startswith("MemAvailable:"):
                    return int(line.split()[1]) * 1024
    except OSError:
        pass
    return os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_AVPHYS_PAGES")


def memory_budget(memory_limit=None) -> int:
    """Bytes a solver may allocate: `memory_limit`, or half the available memory."""
    if memory_limit is None:
        return _available_memory() // 2
    if isinstance(memory_limit, bool) or not isinstance(memory_limit, numbers.Real) or memory_limit <= 0:
        raise InputError(f"memory_limit must be a positive number of bytes, got {memory_limit!r}")
    return int(memory_limit)


def check_memory(needed: int, memory_limit, what: str, fix: str) -> None:
    """Refuse, before allocating, a problem that needs more than the memory budget."""
    if memory_limit is None and needed < SMALL:
        return
    budget = memory_budget(memory_limit)
    if needed > budget:
        raise InputError(f"{what} needs {needed / 2**30:.1f} GiB but the memory budget is "
                         f"{budget / 2**30:.1f} GiB; {fix}")
