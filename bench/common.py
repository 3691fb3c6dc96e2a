"""Shared helpers of the benchmarks: timing, table printing, and the machine line (:func:`orderedness.provenance.machine`)."""
from __future__ import annotations

import time

from orderedness.provenance import machine


def best_time(fn, *, repeat: int = 5, min_time: float = 0.2):
    """Best wall time of `fn()` over `repeat` rounds, each looping until `min_time` passes."""
    best, result = float("inf"), None
    for _ in range(repeat):
        loops, t0 = 0, time.perf_counter()
        while True:
            result = fn()
            loops += 1
            elapsed = time.perf_counter() - t0
            if elapsed >= min_time or elapsed * (loops + 1) / loops > 10 * min_time:
                break
        best = min(best, elapsed / loops)
    return best, result


def print_table(rows: list[dict], columns: list[str]) -> None:
    """Print `rows` (dicts) as an aligned plain-text table."""
    cells = [[str(r.get(c, "")) for c in columns] for r in rows]
    widths = [max(len(c), *(len(row[k]) for row in cells)) for k, c in enumerate(columns)]
    print("  ".join(c.rjust(w) for c, w in zip(columns, widths)))
    print("  ".join("-" * w for w in widths))
    for row in cells:
        print("  ".join(v.rjust(w) for v, w in zip(row, widths)))


def fmt_seconds(s: float) -> str:
    if s != s:
        return "-"
    if s < 1e-3:
        return f"{s * 1e6:.0f} us"
    if s < 1:
        return f"{s * 1e3:.3g} ms"
    return f"{s:.3g} s"


def run_capped(fn, args: tuple, cap: float):
    """Run ``fn(*args)`` in a child process; return ``(seconds, result)`` or ``(None, None)`` past `cap`.

    For peers that cannot be stopped from Python (igraph's integer programmes run in C).
    """
    import multiprocessing as mp

    ctx = mp.get_context("fork")
    parent, child = ctx.Pipe(duplex=False)

    def target():
        t0 = time.perf_counter()
        out = fn(*args)
        child.send((time.perf_counter() - t0, out))

    proc = ctx.Process(target=target, daemon=True)
    proc.start()
    ready = parent.poll(cap)
    result = parent.recv() if ready else (None, None)
    proc.kill()
    proc.join()
    return result
