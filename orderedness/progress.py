"""Progress of long solves on stderr, and the one convention for stopping early.

Every solver takes ``progress`` (a :class:`Progress`, or None for silence) and calls
:meth:`Progress.update` whenever its best order or its proven bound improves; a line is printed at most
every :data:`EVERY` seconds, so calling it often costs nothing::

    [orderedness] 12.3 s  mip  incumbent 260  bound 259  gap 0.385 %

Ctrl-C: a solver catches :class:`KeyboardInterrupt` in its main loop, stops, and returns its best order
with an honest bound and ``stats["stopped"] = STOPPED_BY_USER``; :func:`orderedness.min_backflow` then
solves no further component with a slow method and marks its result the same way, and the command line
prints that result before exiting with status 130.
"""
from __future__ import annotations

import sys
from time import perf_counter

__all__ = ["Progress", "EVERY", "STOPPED_BY_USER", "relative_gap"]

EVERY = 2.0                       # seconds between two progress lines
STOPPED_BY_USER = "interrupted"   # stats["stopped"] of a solve stopped by Ctrl-C


def relative_gap(value: float, bound: float) -> float:
    """``(value - bound) / |value|``: 0 when proven, ``inf`` when the value is 0 and the bound below it."""
    if value <= bound:
        return 0.0
    return (value - bound) / abs(value) if value else float("inf")


class Progress:
    """Periodic progress lines on a stream (stderr by default).

    Parameters
    ----------
    label : str
        Printed after the elapsed time (the solver, or the component being solved).
    every : float
        Least number of seconds between two lines.
    stream : file-like, optional
        Where lines go (default ``sys.stderr``).

    Examples
    --------
    >>> import io
    >>> out = io.StringIO()
    >>> p = Progress("mip", every=0.0, stream=out)
    >>> p.update(incumbent=10.0, bound=8.0)
    >>> "incumbent 10  bound 8  gap 20 %" in out.getvalue()
    True
    """

    def __init__(self, label: str = "", *, every: float = EVERY, stream=None):
        self.label = label
        self.every = every
        self.stream = stream
        self.start = perf_counter()
        self._last = -float("inf")
        self.incumbent = float("inf")
        self.bound = -float("inf")

    def child(self, label: str) -> "Progress":
        """A reporter for one part of the work (a component), on the same clock and stream."""
        p = Progress(label, every=self.every, stream=self.stream)
        p.start, p._last = self.start, self._last
        return p

    def update(self, incumbent: float | None = None, bound: float | None = None, **extra) -> None:
        """Record an improvement and print a line if the last one is older than `every` seconds.

        `extra` items (``nodes=12``) are printed after the gap.
        """
        if incumbent is not None:
            self.incumbent = min(self.incumbent, float(incumbent))
        if bound is not None:
            self.bound = max(self.bound, float(bound))
        now = perf_counter()
        if now - self._last < self.every:
            return
        self._last = now
        parts = [f"[orderedness] {now - self.start:.1f} s", self.label]
        if self.incumbent < float("inf"):
            parts.append(f"incumbent {self.incumbent:.6g}")
        if self.bound > -float("inf"):
            parts.append(f"bound {self.bound:.6g}")
        if self.incumbent < float("inf") and self.bound > -float("inf"):
            parts.append(f"gap {100 * relative_gap(self.incumbent, self.bound):.3g} %")
        parts.extend(f"{k} {v}" for k, v in extra.items())
        print("  ".join(p for p in parts if p), file=self.stream or sys.stderr, flush=True)
