"""Loading weight matrices from files, safely (no unpickling).

Formats, chosen by extension:

- ``.npy``: a 2-D array (``allow_pickle=False``; memory-mapped first so its size is checked before it
  is read).
- ``.npz``: the array named `key`, or the only array.
- ``.csv``, ``.tsv``, ``.txt``: numbers separated by commas, semicolons, tabs or spaces; one row a
  line; blank lines and lines starting with ``#`` are skipped.
- ``.mat`` and files without extension: LOLIB text format, an optional title line, ``n``, then the
  ``n * n`` entries row by row (anything after them is ignored).
- ``.pt``, ``.pth``: a tensor, or a (possibly nested) dict of tensors such as a state dict, with `key`
  naming the entry (dotted for nested dicts); read with ``torch.load(weights_only=True)``, torch
  imported only then.

Every problem raises :class:`~orderedness.validate.InputError` naming the file and the fix.
"""
from __future__ import annotations

import os
import re
import zipfile
from pathlib import Path

import numpy as np

from .validate import InputError, check_memory

__all__ = ["load_matrix", "FORMATS"]

FORMATS = {".npy": "numpy array", ".npz": "numpy archive", ".csv": "delimited text",
           ".tsv": "delimited text", ".txt": "delimited text", ".mat": "LOLIB text",
           ".pt": "PyTorch tensor or state dict", ".pth": "PyTorch tensor or state dict",
           "": "LOLIB text (no extension)"}


def load_matrix(path, key: str | None = None) -> np.ndarray:
    """Read a matrix from `path` (see the module docstring for the formats).

    Parameters
    ----------
    path : str or Path
        The file.
    key : str, optional
        Which array of an ``.npz`` archive or which tensor of a ``.pt`` dict.

    Returns
    -------
    ndarray
        The array as stored (validation of shape and values is :mod:`orderedness.validate`'s job).
    """
    p = Path(path)
    if not p.exists():
        raise InputError(f"{p}: no such file; check the path")
    if p.is_dir():
        raise InputError(f"{p} is a directory; pass a matrix file ({', '.join(sorted(FORMATS)[1:])})")
    if not os.access(p, os.R_OK):
        raise InputError(f"{p}: permission denied; make the file readable")
    if p.stat().st_size == 0:
        raise InputError(f"{p} is empty; pass a file holding a matrix")
    ext = p.suffix.lower()
    if ext not in FORMATS:
        raise InputError(f"{p}: unknown file type {ext!r}; use one of "
                         f"{', '.join(e for e in FORMATS if e)} (or LOLIB text without extension)")
    reader = {".npy": _npy, ".npz": _npz, ".pt": _torch, ".pth": _torch, ".mat": _lolib,
              "": _lolib}.get(ext, _delimited)
    try:
        return reader(p, key)
    except (InputError, MemoryError):
        raise
    except (OSError, ValueError, EOFError, zipfile.BadZipFile) as exc:
        raise InputError(f"{p} cannot be read as {FORMATS[ext]} ({_one_line(exc)}); "
                         "check the file or save the matrix with numpy.save") from None


def _one_line(exc: BaseException) -> str:
    return " ".join(str(exc).split())[:200] or type(exc).__name__


def _npy(p: Path, key) -> np.ndarray:
    try:
        arr = np.load(p, mmap_mode="r", allow_pickle=False)
    except ValueError as exc:
        if "pickle" in str(exc).lower() or "object" in str(exc).lower():
            raise InputError(f"{p} holds Python objects, which are not loaded (no unpickling); "
                             "save a numeric array with numpy.save") from None
        raise
    _check_size(p, arr.size)
    return np.array(arr)


def _npz(p: Path, key) -> np.ndarray:
    with np.load(p, allow_pickle=False) as archive:
        names = list(archive.files)
        if key is None:
            if len(names) != 1:
                raise InputError(f"{p} holds {len(names)} arrays ({', '.join(names) or 'none'}); "
                                 "name one with --key")
            key = names[0]
        if key not in names:
            raise InputError(f"{p} has no array {key!r}; choose --key from: {', '.join(names)}")
        try:
            return archive[key]
        except ValueError:
            raise InputError(f"{p}[{key}] holds Python objects, which are not loaded (no unpickling); "
                             "save a numeric array") from None


def _check_size(p: Path, size: int) -> None:
    check_memory(8 * int(size), None, f"{p} ({size} entries)", "pass a smaller matrix")


def _numbers(text: str, p: Path, start_line: int = 1):
    """Parse whitespace-separated numbers, naming the first token that is not one."""
    tokens = text.split()
    try:
        return np.array(tokens, dtype=np.float64)
    except ValueError:
        for tok in tokens:
            try:
                float(tok)
            except ValueError:
                raise InputError(f"{p}: {tok[:40]!r} is not a number; the file must hold numbers only") \
                    from None
        raise


def _lolib(p: Path, key) -> np.ndarray:
    head = p.read_bytes()[:128]
    if head.startswith(b"MATLAB") or b"\x00" in head:
        raise InputError(f"{p} is a binary file, not LOLIB text; binary MATLAB .mat is not supported: "
                         "save the matrix with numpy.save and pass the .npy")
    text = p.read_text(errors="strict")
    lines = text.splitlines()
    first = lines[0].split() if lines else []
    body_start = 1 if not (len(first) == 1 and re.fullmatch(r"\d+", first[0])) else 0
    rest = "\n".join(lines[body_start:]).split()
    if not rest or not re.fullmatch(r"\d+", rest[0]):
        raise InputError(f"{p}: expected LOLIB format (optional title line, n, then n*n numbers); "
                         "the size n is missing")
    n = int(rest[0])
    if n == 0:
        raise InputError(f"{p}: LOLIB size n is 0; pass a matrix with at least one node")
    _check_size(p, n * n)
    if len(rest) - 1 < n * n:
        raise InputError(f"{p}: LOLIB size n = {n} needs {n * n} numbers, the file has {len(rest) - 1}")
    return _numbers(" ".join(rest[1:1 + n * n]), p).reshape(n, n)


def _delimited(p: Path, key) -> np.ndarray:
    text = p.read_text()
    rows = [(k + 1, line) for k, line in enumerate(text.splitlines())
            if line.strip() and not line.lstrip().startswith("#")]
    if not rows:
        raise InputError(f"{p} holds no numbers; pass a file with one matrix row a line")
    sep = "," if "," in text else ";" if ";" in text else None
    values, width = [], None
    for lineno, line in rows:
        cells = [c.strip() for c in (line.split(sep) if sep else line.split())]
        if sep and cells and cells[-1] == "":
            cells = cells[:-1]
        try:
            row = [float(c) for c in cells]
        except ValueError:
            bad = next(c for c in cells if not _is_float(c))
            raise InputError(f"{p}, line {lineno}: {bad[:40]!r} is not a number; "
                             "the file must hold numbers only (remove headers and labels)") from None
        if width is None:
            width = len(row)
        elif len(row) != width:
            raise InputError(f"{p}, line {lineno}: {len(row)} values where earlier rows have {width}; "
                             "every row needs the same number of values")
        values.append(row)
    return np.array(values, dtype=np.float64)


def _is_float(s: str) -> bool:
    try:
        float(s)
    except ValueError:
        return False
    return True


def _torch(p: Path, key) -> np.ndarray:
    try:
        import torch
    except ImportError:
        raise InputError(f"reading {p} needs PyTorch, which is not installed; "
                         "run pip install torch==2.13.0, or save the matrix with numpy.save") from None
    try:
        obj = torch.load(p, map_location="cpu", weights_only=True)
    except Exception as exc:  # torch raises many types for corrupt or unsafe files
        raise InputError(f"{p} cannot be read as a tensor or state dict with weights_only=True "
                         f"({_one_line(exc)}); save a tensor or a state dict") from None
    if torch.is_tensor(obj):
        return obj.detach().cpu().numpy()
    if not isinstance(obj, dict):
        raise InputError(f"{p} holds a {type(obj).__name__}, not a tensor or dict of tensors; "
                         "save a tensor or a state dict")
    tensors = dict(_flatten(obj))
    if key is None:
        matrices = [k for k, v in tensors.items() if v.ndim == 2]
        if len(matrices) != 1:
            raise InputError(f"{p} holds {len(matrices)} 2-D tensors ({', '.join(matrices) or 'none'}); "
                             "name one with --key")
        key = matrices[0]
    if key not in tensors:
        raise InputError(f"{p} has no tensor {key!r}; choose --key from: {', '.join(tensors)}")
    return tensors[key].detach().cpu().numpy()


def _flatten(d: dict, prefix: str = ""):
    import torch
    for k, v in d.items():
        name = f"{prefix}{k}"
        if torch.is_tensor(v):
            yield name, v
        elif isinstance(v, dict):
            yield from _flatten(v, name + ".")
