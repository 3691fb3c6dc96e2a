"""Declarative sweeps: a TOML file expands to cells, each cell is trained and scored once, and the
finished cells are assembled into one tidy table (one row per trial).

A *cell* is one :class:`~cpl.train.TrainConfig` (task, layer size, iterations, initialisations, pruner
and strength, scoring method) whose seeds are trained together as one batch. Each finished cell is
written atomically to ``OUT/cells/<key>.json``, `key` being a hash of the cell's configuration, so an
interrupted sweep resumes where it stopped: a cell whose file exists is never recomputed. Beside it,
``OUT/cells/<key>.npz`` keeps the evidence of every trial (:func:`load_evidence`): initial and final
weights, the loss of every step, and the orders returned at the start and the end; the JSON keeps each
order with its certificate (lower and upper bounds) and ΔO. ``OUT/run-<name>.json`` holds the provenance.

The sweep file::

    name = "scaling"                    # optional, labels the results

    [grid]                              # every combination is one cell
    tasks = ["none", "xor", "sine"]
    hidden = [8, 16]                    # optional: each task's own size
    iterations = [3]                    # optional: each task's own number of iterations
    weights_init = ["normal"]           # optional
    values_init = ["normal"]            # optional
    trials = 30                         # seeds per cell, trained as one batch
    seed = 0                            # experiment seed
    lr = 0.01                           # optional
    track_every = 0                     # optional: also score every this many steps
    shared_mask = false                 # optional
    draws = "independent"               # optional: "legacy" replays the published code (cpl.legacy)

    [pruners]                           # pruner = [strengths]: p, k (fraction kept) or f
    none = [0]
    topk = [0.5]
    tril-damp = [0.8]

    [score]                             # optional
    method = "auto"
    time_limit = 20                     # seconds per matrix; beyond it, certified bounds

A grid that is no single product is a list of blocks, ``[[grid]]``, each a product as above with,
optionally, its own ``[grid.pruners]``; the cells are their union, in the file's order. Keys common to
every block can go in ``[defaults]``. An optional ``[report]`` table names how the finished grid is
shown, ``kind`` being one of the paper's layouts (``table1``, ``figure2``, ``figure3``, ``matrices``,
:data:`cpl.experiments.REPORTS`) with that layout's settings; without it, :func:`write_tables` writes
the sweep's tables and plots. Every experiment of the paper is such a file (``experiments/``).
"""
from __future__ import annotations

import contextlib
import dataclasses
import functools
import hashlib
import io
import json
import os
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

try:
    import tomllib
except ModuleNotFoundError:         # Python 3.10: the sweep extra installs tomli
    import tomli as tomllib

import numpy as np
import pandas as pd
from tqdm import tqdm

import orderedness as od

from . import sweep_report
from .backends import run_each
from .init import INITIALISERS
from .provenance import provenance
from .pruning import PRUNERS, make_pruner
from .tasks import TASKS, get_task
from .train import DRAWS, TrainConfig, TrainResult, train

__all__ = ["SweepError", "Sweep", "SweepRun", "load_sweep", "read_toml", "parse_sweep", "cell_key", "cell_path",
           "run_cell", "pending", "assemble", "compute", "run_sweep", "write_tables", "load_evidence", "SCHEMA"]

#: Version of a cell file's layout; part of every key, so a new layout never reads old files.
SCHEMA = 2

#: Keys of a grid block (``[grid]``, each ``[[grid]]`` and ``[defaults]``).
GRID_KEYS = frozenset({"tasks", "hidden", "iterations", "weights_init", "values_init", "trials", "seed", "lr",
                       "track_every", "shared_mask", "draws"})
_TABLES = {"report", "defaults", "grid", "pruners", "score"}
_SCORE_KEYS = {"method", "time_limit"}


class SweepError(ValueError):
    """A sweep file that cannot be run; the message names the key and the fix."""


@dataclass(frozen=True)
class Sweep:
    """A parsed sweep.

    Attributes
    ----------
    name : str
    cells : tuple of TrainConfig
        Every cell, with explicit hidden size and iterations, no duplicates, in the file's order.
    report : dict
        How the finished grid is shown: the file's ``[report]`` table (``kind`` and its settings,
        :data:`cpl.experiments.REPORTS`); empty for the sweep's own tables and plots.
    """

    name: str
    cells: tuple[TrainConfig, ...]
    report: dict = field(default_factory=dict)


def load_sweep(path: str | os.PathLike) -> Sweep:
    """Read and validate a sweep file.

    Parameters
    ----------
    path : path
        A TOML file (see the module docstring).

    Returns
    -------
    Sweep

    Raises
    ------
    SweepError
        Unreadable file, invalid TOML, or an invalid sweep.
    """
    return parse_sweep(read_toml(path), default_name=Path(path).stem)


def read_toml(path: str | os.PathLike) -> dict:
    """The parsed TOML of an experiment file; :class:`SweepError` when unreadable or invalid."""
    try:
        with open(path, "rb") as f:
            return tomllib.load(f)
    except OSError as e:
        raise SweepError(f"cannot read sweep file {str(path)!r}: {e.strerror or e}") from None
    except tomllib.TOMLDecodeError as e:
        raise SweepError(f"{str(path)!r} is not valid TOML: {e}") from None


def _list(table: dict, key: str, kind: type | tuple[type, ...], default: list | None = None) -> list:
    value = table.get(key, default)
    if value is None:
        raise SweepError(f"missing {key!r}")
    if not isinstance(value, list):
        value = [value]
    if not value or not all(isinstance(v, kind) and not isinstance(v, bool) for v in value):
        raise SweepError(f"{key!r} must be a non-empty list of {getattr(kind, '__name__', 'numbers')}s, got {value!r}")
    return value


def _scalar(table: dict, key: str, kind: type | tuple[type, ...], default):
    value = table.get(key, default)
    if value is not None and (not isinstance(value, kind) or (isinstance(value, bool) and kind is not bool)):
        raise SweepError(f"{key!r} must be a {getattr(kind, '__name__', 'number')}, got {value!r}")
    return value


def parse_sweep(data: dict, *, default_name: str = "sweep", overrides: dict | None = None) -> Sweep:
    """Validate a sweep given as a dictionary (parsed TOML) and expand it into cells.

    Parameters
    ----------
    data : dict
    default_name : str
        Name when the file gives none.
    overrides : dict, optional
        Grid keys (:data:`GRID_KEYS`) that replace the file's in every block, e.g. ``{"trials": 2}``.

    Returns
    -------
    Sweep

    Raises
    ------
    SweepError

    Examples
    --------
    >>> sweep = parse_sweep({"grid": [{"tasks": ["xor"], "trials": 2, "pruners": {"topk": [0.5]}},
    ...                               {"tasks": ["none"], "trials": 2}]}, overrides={"seed": 1})
    >>> [(c.task, c.pruner, c.amount, c.seed) for c in sweep.cells]
    [('xor', 'topk', 0.5, 1), ('none', 'none', 0.0, 1)]
    """
    unknown = set(data) - _TABLES - {"name"}
    if unknown:
        raise SweepError(f"unknown key(s) {sorted(unknown)}; expected 'name', [report], [defaults], [grid] "
                         "(or [[grid]] blocks), [pruners], [score]")
    for table in _TABLES - {"grid"}:
        if not isinstance(data.get(table, {}), dict):
            raise SweepError(f"[{table}] must be a table")
    blocks = data.get("grid", {})
    blocks = blocks if isinstance(blocks, list) else [blocks]
    if not blocks or not all(isinstance(b, dict) for b in blocks):
        raise SweepError("[grid] must be a table or [[grid]] blocks")
    overrides = overrides or {}
    for table, keys in (("defaults", data.get("defaults", {})), ("grid", overrides),
                        *(("grid", set(b) - {"pruners"}) for b in blocks), ("score", data.get("score", {}))):
        allowed = _SCORE_KEYS if table == "score" else GRID_KEYS
        if set(keys) - allowed:
            raise SweepError(f"unknown key(s) {sorted(set(keys) - allowed)} in [{table}]; "
                             f"expected some of {sorted(allowed)}")
    name = _scalar(data, "name", str, default_name)
    report = data.get("report", {})
    if report and not isinstance(report.get("kind"), str):
        raise SweepError(f"[report] needs kind = a string, got {report.get('kind')!r}")
    score = data.get("score", {})
    method = _scalar(score, "method", str, "auto")
    if method not in od.METHODS:
        raise SweepError(f"unknown [score] method {method!r}; expected one of {list(od.METHODS)}")
    time_limit = _scalar(score, "time_limit", (int, float), None)
    if time_limit is not None and time_limit <= 0:
        raise SweepError(f"[score] time_limit must be > 0 seconds, got {time_limit}")
    scoring = {"method": method, "time_limit": None if time_limit is None else float(time_limit)}
    cells = []
    for block in blocks:
        grid = {**data.get("defaults", {}), **block, **overrides}
        cells.extend(_block_cells(grid, grid.pop("pruners", data.get("pruners")), scoring))
    return Sweep(name, tuple(dict.fromkeys(cells)), dict(report))


def _block_cells(grid: dict, pruners: dict | None, scoring: dict) -> list[TrainConfig]:
    """The cells of one grid block: every combination of its lists."""
    tasks = _list(grid, "tasks", str)
    for task in tasks:
        if task not in TASKS:
            raise SweepError(f"unknown task {task!r} in [grid] tasks; expected some of {sorted(TASKS)}")
    hidden = _list(grid, "hidden", int) if "hidden" in grid else [None]
    iterations = _list(grid, "iterations", int) if "iterations" in grid else [None]
    if any(h is not None and h < 0 for h in hidden):
        raise SweepError(f"[grid] hidden sizes must be >= 0, got {hidden}")
    if any(t is not None and t < 1 for t in iterations):
        raise SweepError(f"[grid] iterations must be >= 1, got {iterations}")
    inits = {}
    for key in ("weights_init", "values_init"):
        inits[key] = _list(grid, key, str, ["normal"])
        for scheme in inits[key]:
            if scheme not in INITIALISERS:
                raise SweepError(f"unknown initialisation {scheme!r} in [grid] {key}; "
                                 f"expected some of {sorted(INITIALISERS)}")
    trials = _scalar(grid, "trials", int, None)
    if trials is None or trials < 1:
        raise SweepError(f"[grid] needs trials >= 1 (seeds per cell), got {trials!r}")
    seed = _scalar(grid, "seed", int, 0)
    lr = float(_scalar(grid, "lr", (int, float), 0.01))
    track_every = _scalar(grid, "track_every", int, 0)
    if seed < 0 or lr <= 0 or track_every < 0:
        raise SweepError(f"[grid] needs seed >= 0, lr > 0, track_every >= 0; got {seed}, {lr}, {track_every}")
    shared_mask = _scalar(grid, "shared_mask", bool, False)
    draws = _scalar(grid, "draws", str, "independent")
    if draws not in DRAWS:
        raise SweepError(f"[grid] draws must be one of {list(DRAWS)}, got {draws!r}")
    pruners = pruners or {"none": [0]}
    if not isinstance(pruners, dict):
        raise SweepError("[pruners] must be a table of pruner = [strengths]")
    strengths = []
    for pruner in pruners:
        if pruner not in PRUNERS:
            raise SweepError(f"unknown pruner {pruner!r} in [pruners]; expected some of {sorted(PRUNERS)}")
        for amount in _list(pruners, pruner, (int, float)):
            try:
                make_pruner(pruner, float(amount), [None])
            except ValueError as e:
                raise SweepError(f"[pruners] {pruner}: {e}") from None
            strengths.append((pruner, 0.0 if pruner == "none" else float(amount)))

    cells = []
    for task in tasks:
        for h in hidden:
            for its in iterations:
                resolved = get_task(task, h, its)
                for w_init in inits["weights_init"]:
                    for v_init in inits["values_init"]:
                        for pruner, amount in strengths:
                            cells.append(TrainConfig(
                                task=task, hidden=resolved.hidden, iterations=resolved.iterations,
                                weights_init=w_init, values_init=v_init, pruner=pruner, amount=amount,
                                trials=trials, seed=seed, lr=lr, shared_mask=shared_mask, draws=draws,
                                track_every=track_every, **scoring))
    return cells


def cell_key(config: TrainConfig) -> str:
    """A stable 16-hex-digit hash of a cell's configuration (and of :data:`SCHEMA`)."""
    text = json.dumps({"schema": SCHEMA, **dataclasses.asdict(config)}, sort_keys=True)
    return hashlib.sha256(text.encode()).hexdigest()[:16]


def cell_path(out: str | os.PathLike, config: TrainConfig) -> Path:
    """Where a finished cell is stored: ``OUT/cells/<key>.json`` (its arrays: the same name, ``.npz``)."""
    return Path(out) / "cells" / f"{cell_key(config)}.json"


def load_evidence(out: str | os.PathLike, config: TrainConfig) -> dict[str, np.ndarray]:
    """The arrays of a finished cell, read back without retraining.

    Parameters
    ----------
    out : path
        The sweep's output directory.
    config : TrainConfig
        One of its cells.

    Returns
    -------
    dict
        ``initial`` and ``final`` weights ``(trials, o+h, o+h+i)``, ``losses`` ``(steps, trials)``,
        ``start_order`` and ``end_order`` ``(trials, o+h)``: the order of every neuron that the
        orderedness of the initial and of the final weights was certified with.
    """
    with np.load(cell_path(out, config).with_suffix(".npz"), allow_pickle=False) as data:
        return {name: data[name] for name in data.files}


def pending(sweep: Sweep, out: str | os.PathLike) -> list[TrainConfig]:
    """The cells of `sweep` without a finished file in `out`, costliest first."""
    todo = [c for c in sweep.cells if not cell_path(out, c).exists()]
    return sorted(todo, key=_cost, reverse=True)


def _cost(config: TrainConfig) -> float:
    """Rough seconds a cell takes, to start the longest first (measured on 2 shared cores: about 1 ms
    per training step and iteration; scoring 2 s per matrix at h = 32, falling 16x every 10 neurons)."""
    task = get_task(config.task, config.hidden, config.iterations)
    scored = 2 + (task.steps // config.track_every if config.track_every else 0)
    return task.steps * task.iterations * 1e-3 + config.trials * scored * 2.0 * 2.0 ** ((task.hidden - 32) / 2.5)


@contextlib.contextmanager
def _one_torch_thread() -> Iterator[None]:
    import torch
    threads = torch.get_num_threads()
    torch.set_num_threads(1)
    try:
        yield
    finally:
        torch.set_num_threads(threads)


def run_cell(config: TrainConfig, out: str | os.PathLike) -> dict:
    """Train and score one cell and write its file atomically; the unit every backend maps.

    Parameters
    ----------
    config : TrainConfig
        One cell of a sweep.
    out : path
        The sweep's output directory.

    Returns
    -------
    dict
        ``{"key", "computed", "seconds"}``; ``computed`` is False when the cell's file already existed.
    """
    path = cell_path(out, config)
    if path.exists():
        return {"key": path.stem, "computed": False, "seconds": 0.0}
    t0 = time.perf_counter()
    with _one_torch_thread():
        result = train(config)
    (_, start), (_, end) = result.scores[0], result.scores[-1]
    orders = {"start_order": np.array([s.permutation for s in start]),
              "end_order": np.array([s.permutation for s in end])}
    _write_atomically(path.with_suffix(".npz"), _npz_bytes(initial=result.initial, final=result.weight,
                                                           losses=result.losses, **orders))
    record = {"schema": SCHEMA, "key": path.stem, "config": dataclasses.asdict(config),
              "rows": _trial_rows(result), "trajectory": _trajectory_rows(result),
              "orders": {name: value.tolist() for name, value in orders.items()},
              "seconds": {"total": time.perf_counter() - t0, "training": result.seconds_training,
                          "scoring": result.seconds_scoring},
              "finished": time.strftime("%Y-%m-%dT%H:%M:%S%z")}
    _write_atomically(path, json.dumps(record, allow_nan=True))
    return {"key": path.stem, "computed": True, "seconds": record["seconds"]["total"]}


def _npz_bytes(**arrays: np.ndarray) -> bytes:
    buffer = io.BytesIO()
    np.savez_compressed(buffer, **arrays)
    return buffer.getvalue()


def _write_atomically(path: Path, content: str | bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.stem}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb" if isinstance(content, bytes) else "w") as f:
            f.write(content)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise


_CELL_COLUMNS = ("task", "hidden", "iterations", "weights_init", "values_init", "pruner", "amount", "seed")


def _trial_rows(result: TrainResult) -> list[dict]:
    config = result.config
    (_, start), (_, end) = result.scores[0], result.scores[-1]
    final_loss = result.losses[-1] if len(result.losses) else np.full(config.trials, np.nan)
    rows = []
    for j in range(config.trials):
        s, e = start[j], end[j]
        rows.append({
            **{c: getattr(config, c) for c in _CELL_COLUMNS}, "trial": config.first_trial + j,
            "start": s.value, "start_lower": s.lower, "start_upper": s.upper, "start_optimal": bool(s.optimal),
            "start_method": s.method, "start_seconds": s.seconds,
            "end": e.value, "end_lower": e.lower, "end_upper": e.upper, "end_optimal": bool(e.optimal),
            "end_method": e.method, "end_seconds": e.seconds, "denominator": e.denominator,
            "delta": e.value - s.value, "delta_lower": e.lower - s.upper, "delta_upper": e.upper - s.lower,
            "delta_room": (e.value - s.value) / (1 - s.value) if s.value < 1 else np.nan,
            "exact": bool(s.optimal and e.optimal), "final_loss": float(final_loss[j]),
            "sparsity": float((result.weight[j] == 0).mean()),
        })
    return rows


def _trajectory_rows(result: TrainResult) -> list[dict]:
    config = result.config
    if not config.track_every:
        return []
    return [{**{c: getattr(config, c) for c in _CELL_COLUMNS}, "trial": config.first_trial + j, "step": step,
             "value": s.value, "lower": s.lower, "upper": s.upper, "optimal": bool(s.optimal)}
            for step, measured in result.scores for j, s in enumerate(measured)]


def assemble(sweep: Sweep, out: str | os.PathLike) -> tuple[pd.DataFrame, pd.DataFrame, list[TrainConfig]]:
    """Read the finished cells of `sweep` into tables.

    Files in ``OUT/cells`` that belong to no cell of `sweep` are ignored.

    Parameters
    ----------
    sweep : Sweep
    out : path

    Returns
    -------
    trials : DataFrame
        One row per trial: the cell's settings, start/end orderedness with bounds, optimality and
        method, ΔO with its certified range, final loss, sparsity, cell key and cell times.
    trajectory : DataFrame
        One row per trial and scored step (empty unless ``track_every`` was set).
    missing : list of TrainConfig
        Cells without a finished file.
    """
    rows, trajectory, missing = [], [], []
    for config in sweep.cells:
        path = cell_path(out, config)
        if not path.exists():
            missing.append(config)
            continue
        record = json.loads(path.read_text())
        extra = {"key": record["key"], "cell_seconds_training": record["seconds"]["training"],
                 "cell_seconds_scoring": record["seconds"]["scoring"]}
        rows.extend({"sweep": sweep.name, **r, **extra} for r in record["rows"])
        trajectory.extend({"sweep": sweep.name, **r, "key": record["key"]} for r in record["trajectory"])
    return pd.DataFrame(rows), pd.DataFrame(trajectory), missing


@dataclass
class SweepRun:
    """What :func:`run_sweep` did.

    Attributes
    ----------
    computed, reused : int
        Cells trained now, and cells whose file already existed.
    failed : list of (TrainConfig, str)
        Cells that raised, with the error; rerun the sweep to retry them.
    seconds : float
        Wall time of this run.
    files : list of Path
        The tables and plots written.
    """

    computed: int = 0
    reused: int = 0
    failed: list[tuple[TrainConfig, str]] = field(default_factory=list)
    seconds: float = 0.0
    files: list[Path] = field(default_factory=list)


def compute(sweep: Sweep, out: str | os.PathLike, *, backend: str = "process", workers: int = 2,
            scheduler: str | None = None, processes: bool = True, progress: bool = False) -> SweepRun:
    """Run the unfinished cells of `sweep` on a backend: the one grid runner of every experiment.

    Writes ``OUT/run-<sweep name>.json`` (:func:`cpl.provenance.provenance` of this run, its
    configuration being the sweep's report settings and its cells, so that ``python -m cpl report OUT``
    rebuilds the right table or figure) and ``OUT/cells/<key>.json`` and ``.npz`` for every cell.
    Experiments of different names share one directory and its cells.

    Parameters
    ----------
    sweep : Sweep
    out : path
        Output directory (created if needed).
    backend, workers, scheduler, processes
        See :func:`cpl.backends.run_each`.
    progress : bool
        tqdm bar on stderr.

    Returns
    -------
    SweepRun
        Without files (see :func:`write_tables`).
    """
    t0 = time.perf_counter()
    out = Path(out)
    (out / "cells").mkdir(parents=True, exist_ok=True)
    todo = pending(sweep, out)
    run = SweepRun(reused=len(sweep.cells) - len(todo))
    settings = {key: value for key, value in sweep.report.items() if key != "kind"}
    config = {"experiment": sweep.report.get("kind", "sweep"), **settings, "name": sweep.name,
              "cells": [dataclasses.asdict(c) for c in sweep.cells]}
    _write_atomically(out / f"run-{sweep.name}.json", json.dumps(provenance(config), indent=1))
    bar = tqdm(total=len(sweep.cells), initial=run.reused, desc=sweep.name, disable=not progress, leave=False)
    for cell, outcome in run_each(functools.partial(run_cell, out=str(out)), todo, backend=backend,
                                  workers=workers, scheduler=scheduler, processes=processes):
        if isinstance(outcome, BaseException):
            run.failed.append((cell, f"{type(outcome).__name__}: {outcome}"))
        elif outcome["computed"]:
            run.computed += 1
        else:
            run.reused += 1
        bar.update()
    bar.close()
    run.seconds = time.perf_counter() - t0
    return run


def run_sweep(sweep: Sweep, out: str | os.PathLike, *, backend: str = "process", workers: int = 2,
              scheduler: str | None = None, processes: bool = True, progress: bool = False) -> SweepRun:
    """Run the unfinished cells of `sweep` (:func:`compute`), then write its tables and plots.

    Writes to `out`: ``run-<name>.json``, ``cells/<key>.json`` and ``cells/<key>.npz`` (:func:`compute`),
    ``results.csv`` (one row per trial), ``summary.csv`` and ``summary.md`` (one row per cell,
    :func:`cpl.sweep_report.summarise`), ``delta.png``, and, when orderedness was tracked,
    ``trajectories.csv`` and ``trajectories.png``. The tables cover the cells finished so far.

    Parameters
    ----------
    sweep : Sweep
    out : path
        Output directory (created if needed).
    backend, workers, scheduler, processes
        See :func:`cpl.backends.run_each`.
    progress : bool
        tqdm bar on stderr.

    Returns
    -------
    SweepRun
    """
    t0 = time.perf_counter()
    run = compute(sweep, out, backend=backend, workers=workers, scheduler=scheduler, processes=processes,
                  progress=progress)
    run.files = write_tables(sweep, out)
    run.seconds = time.perf_counter() - t0
    return run


def write_tables(sweep: Sweep, out: str | os.PathLike) -> list[Path]:
    """Assemble the finished cells of `sweep` into its tables and plots in `out` (see :func:`run_sweep`)."""
    out = Path(out)
    trials, trajectory, _ = assemble(sweep, out)
    if trials.empty:
        return []
    summary = sweep_report.summarise(trials)
    files = [out / "results.csv", out / "summary.csv", out / "summary.md"]
    _write_atomically(files[0], trials.to_csv(index=False))
    _write_atomically(files[1], summary.to_csv(index=False))
    _write_atomically(files[2], sweep_report.markdown(summary))
    files.append(sweep_report.plot_delta(summary, out / "delta.png"))
    if not trajectory.empty:
        files.append(out / "trajectories.csv")
        _write_atomically(files[-1], trajectory.to_csv(index=False))
        files.append(sweep_report.plot_trajectories(trajectory, out / "trajectories.png"))
    return files
