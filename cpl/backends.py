"""Where a sweep's cells run: a local process pool, or a dask.distributed cluster.

Both backends map the same function (:func:`cpl.sweep.run_cell`) over the cells and yield each cell's
outcome as soon as it finishes; a cell that raises is reported, not fatal, so the others still finish
and the sweep can be resumed.
"""
from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor, as_completed
from typing import TypeVar

__all__ = ["BACKENDS", "BackendError", "run_each"]

BACKENDS = ("process", "dask")

T = TypeVar("T")
R = TypeVar("R")


class BackendError(RuntimeError):
    """The backend cannot start (dask missing, scheduler unreachable)."""


def run_each(fn: Callable[[T], R], items: Sequence[T], *, backend: str = "process", workers: int = 2,
             scheduler: str | None = None, processes: bool = True) -> Iterator[tuple[T, R | BaseException]]:
    """Apply `fn` to every item on a backend; yield ``(item, result or exception)`` as each finishes.

    Parameters
    ----------
    fn : callable
        A picklable function of one item (module-level, or a ``functools.partial`` of one).
    items : sequence
        Submitted in this order (put the longest first).
    backend : {"process", "dask"}
        ``process``: a local process pool (``workers == 1`` runs in this process). ``dask``: a
        dask.distributed cluster at `scheduler`, or a ``LocalCluster`` of `workers` single-threaded workers.
    workers : int
        Local workers (ignored when connecting to a scheduler).
    scheduler : str, optional
        Address of a running dask scheduler, e.g. ``tcp://10.0.0.5:8786``.
    processes : bool
        Whether a local dask cluster uses worker processes (threads otherwise; for tests).

    Yields
    ------
    (item, result or BaseException)
    """
    if backend not in BACKENDS:
        raise BackendError(f"unknown backend {backend!r}; expected one of {list(BACKENDS)}")
    if scheduler is not None and backend != "dask":
        raise BackendError("a scheduler address needs --backend dask")
    if not items:
        return
    if backend == "process":
        yield from _process(fn, items, workers)
    else:
        yield from _dask(fn, items, workers, scheduler, processes)


def _process(fn, items, workers):
    if workers <= 1:
        for item in items:
            try:
                yield item, fn(item)
            except Exception as e:       # a failed cell is reported with the others' results
                yield item, e
        return
    with ProcessPoolExecutor(max_workers=workers) as pool:
        futures = {pool.submit(fn, item): item for item in items}
        for future in as_completed(futures):
            error = future.exception()
            yield futures[future], (future.result() if error is None else error)


def _dask(fn, items, workers, scheduler, processes):
    try:
        from dask.distributed import as_completed as dask_completed
    except ImportError:
        raise BackendError("--backend dask needs dask.distributed: pip install 'orderedness[sweep]'") from None
    with _client(workers, scheduler, processes) as client:
        futures = client.map(fn, list(items), pure=False)
        owner = {f.key: item for f, item in zip(futures, items)}
        for future in dask_completed(futures):
            error = future.exception()
            yield owner[future.key], (future.result() if error is None else error)


@contextlib.contextmanager
def _client(workers, scheduler, processes):
    from dask.distributed import Client, LocalCluster
    if scheduler is not None:
        try:
            client = Client(scheduler, timeout="10s")
        except (OSError, TimeoutError) as e:
            raise BackendError(f"cannot reach the dask scheduler at {scheduler!r}: {e}") from None
        with client:
            yield client
        return
    with LocalCluster(n_workers=workers, threads_per_worker=1, processes=processes,
                      dashboard_address=None) as cluster, Client(cluster) as client:
        yield client
