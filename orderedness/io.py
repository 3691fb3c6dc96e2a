"""Loading weight matrices from files, safely (no unpickling).

Formats, chosen by extension:

- ``.npy``: a 2-D array (``allow_pickle=False``; memory-mapped first so its size is checked before it
  is read).
- ``.npz``: the array named `key`, or the only array; an array ``names`` names the nodes (rows). A
  scipy.sparse matrix saved by ``scipy.sparse.save_npz`` is read as such and stays sparse.
- ``.csv``, ``.tsv``, ``.txt``: numbers separated by commas, semicolons, tabs or spaces; one row a
  line; blank lines and lines starting with ``#`` are skipped. A first line naming the columns
  ``source`` and ``target`` (and optionally ``weight``, else 1) makes the file an **edge list**: one
  arc a line, nodes named by any string, read into a sparse matrix; parallel arcs add up and
  self-loops are reported and dropped.
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

from dataclasses import dataclass, field

import numpy as np
from scipy.sparse import coo_matrix, load_npz

from .validate import InputError, check_memory

__all__ = ["load_matrix", "load_network", "Network", "FORMATS"]

SPARSE_NPZ = {"format", "shape", "data"}     # the arrays scipy.sparse.save_npz always writes

FORMATS = {".npy": "numpy array", ".npz": "numpy archive", ".csv": "delimited text",
           ".tsv": "delimited text", ".txt": "delimited text", ".mat": "LOLIB text",
           ".pt": "PyTorch tensor or state dict", ".pth": "PyTorch tensor or state dict",
           "": "LOLIB text (no extension)"}


@dataclass
class Network:
    """A matrix as loaded, with its node names when the file has them.

    Attributes
    ----------
    matrix : ndarray or scipy.sparse matrix
        As stored (sparse for edge lists and ``save_npz`` archives).
    names : list of str, optional
        One name per row.
    notes : list of str
        Things the reader did that the user should know (self-loops dropped).
    """

    matrix: object
    names: list | None = None
    notes: list = field(default_factory=list)


def load_matrix(path, key: str | None = None):
    """The matrix of :func:`load_network` (names and notes dropped).

    Examples
    --------
    >>> import numpy as np, tempfile, os
    >>> path = os.path.join(tempfile.mkdtemp(), "w.npy")
    >>> np.save(path, np.eye(2))
    >>> load_matrix(path).tolist()
    [[1.0, 0.0], [0.0, 1.0]]
    """
    return load_network(path, key).matrix


def load_network(path, key: str | None = None) -> Network:
    """Read a matrix, and node names if the file has them, from `path` (formats: module docstring).

    Parameters
    ----------
    path : str or Path
        The file.
    key : str, optional
        Which array of an ``.npz`` archive or which tensor of a ``.pt`` dict.

    Returns
    -------
    Network
        The matrix as stored (validation of shape and values is :mod:`orderedness.validate`'s job),
        its names, notes.

    Examples
    --------
    >>> import tempfile, os
    >>> path = os.path.join(tempfile.mkdtemp(), "arcs.csv")
    >>> _ = open(path, "w").write("source,target,weight\\nAVAL,AVAR,3\\nAVAR,AVAL,1\\nAVAR,AVAR,2\\n")
    >>> net = load_network(path)
    >>> net.matrix.toarray().tolist(), net.names, net.notes
    ([[0.0, 3.0], [1.0, 0.0]], ['AVAL', 'AVAR'], ['1 self-loop (weight 2) ignored'])
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
        out = reader(p, key)
        return out if isinstance(out, Network) else Network(out)
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


def _npz(p: Path, key):
    with np.load(p, allow_pickle=False) as archive:
        names = list(archive.files)
        if SPARSE_NPZ <= set(names) and key is None:
            return load_npz(p)
        arrays = [k for k in names if k != "names"]
        if key is None:
            if len(arrays) != 1:
                raise InputError(f"{p} holds {len(arrays)} arrays ({', '.join(arrays) or 'none'}); "
                                 "name one with --key")
            key = arrays[0]
        if key not in names:
            raise InputError(f"{p} has no array {key!r}; choose --key from: {', '.join(arrays)}")
        try:
            matrix = archive[key]
            labels = archive["names"] if "names" in names else None
        except ValueError:
            raise InputError(f"{p} holds Python objects, which are not loaded (no unpickling); "
                             "save numeric arrays and names as strings") from None
    if labels is None:
        return matrix
    if labels.ndim != 1 or (matrix.ndim == 2 and len(labels) != matrix.shape[0]):
        raise InputError(f"{p}: 'names' has shape {labels.shape} for a matrix of shape {matrix.shape}; "
                         "save one name per row")
    return Network(matrix, [str(v) for v in labels.tolist()])


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
    first = rows[0][1]
    head_sep = next((c for c in ("\t", ",", ";") if c in first), None)   # names may hold spaces
    header = [c.strip().strip('"').lower() for c in _cells(first, head_sep)]
    if {"source", "target"} & set(header):
        return _edge_list(p, rows, head_sep, header)
    values, width = [], None
    for lineno, line in rows:
        cells = _cells(line, sep)
        try:
            row = [float(c) for c in cells]
        except ValueError:
            bad = next(c for c in cells if not _is_float(c))
            raise InputError(f"{p}, line {lineno}: {bad[:40]!r} is not a number; "
                             "the file must hold numbers only (remove headers and labels), or be an edge list "
                             "with a header naming source and target columns") from None
        if width is None:
            width = len(row)
        elif len(row) != width:
            raise InputError(f"{p}, line {lineno}: {len(row)} values where earlier rows have {width}; "
                             "every row needs the same number of values")
        values.append(row)
    return np.array(values, dtype=np.float64)


def _cells(line: str, sep: str | None) -> list:
    cells = [c.strip() for c in (line.split(sep) if sep else line.split())]
    return cells[:-1] if sep and cells and cells[-1] == "" else cells


def _edge_list(p: Path, rows: list, sep: str | None, header: list) -> Network:
    """An edge list: a header naming ``source``, ``target`` (and optionally ``weight``) columns."""
    missing = [c for c in ("source", "target") if c not in header]
    if missing:
        raise InputError(f"{p}: the first line names the columns {', '.join(header)}, without "
                         f"{' and '.join(missing)}; an edge list needs a header with source and target "
                         "(and optionally weight); a matrix file holds numbers only")
    s, t = header.index("source"), header.index("target")
    wcol = header.index("weight") if "weight" in header else None
    need = max(s, t, -1 if wcol is None else wcol) + 1
    index: dict = {}
    src, dst, weights = [], [], []
    for lineno, line in rows[1:]:
        cells = [c.strip('"') for c in _cells(line, sep)]
        if len(cells) < need:
            raise InputError(f"{p}, line {lineno}: {len(cells)} columns where the header needs {need}; "
                             "every arc needs a source, a target (and a weight)")
        src.append(index.setdefault(cells[s], len(index)))
        dst.append(index.setdefault(cells[t], len(index)))
        if wcol is not None:
            try:
                weights.append(float(cells[wcol]))
            except ValueError:
                raise InputError(f"{p}, line {lineno}: weight {cells[wcol][:40]!r} is not a number; "
                                 "weights must be numbers") from None
            if not np.isfinite(weights[-1]):
                raise InputError(f"{p}, line {lineno}: weight {cells[wcol]} is not finite; "
                                 "weights must be finite numbers")
    if not src:
        raise InputError(f"{p} has a header but no arcs; add one line per arc")
    src, dst = np.array(src, dtype=np.int64), np.array(dst, dtype=np.int64)
    w = np.array(weights) if wcol is not None else np.ones(len(src))
    loop = src == dst
    notes = []
    if loop.any():
        k = int(loop.sum())
        notes.append(f"{k} self-loop{'s' if k > 1 else ''} (weight {w[loop].sum():g}) ignored")
    n = len(index)
    A = coo_matrix((w[~loop], (src[~loop], dst[~loop])), shape=(n, n)).tocsr()
    A.sum_duplicates()
    return Network(A, list(index), notes)


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
