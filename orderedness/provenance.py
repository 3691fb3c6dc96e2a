"""Where a result came from: the machine it ran on and the git commit of the code.

Used by the benchmarks (``bench``) and the trainer's run records (:mod:`cpl.provenance`), so that every
table names its machine the same way.
"""
from __future__ import annotations

import os
import platform
import subprocess
import time
from pathlib import Path

__all__ = ["machine", "git_commit"]


def machine() -> str:
    """One line naming the machine: processor, cores, platform, Python, load average, UTC time.

    Examples
    --------
    >>> "cores" in machine()
    True
    """
    cpu = platform.processor() or platform.machine()
    try:
        with open("/proc/cpuinfo") as fh:
            cpu = next(line.split(":", 1)[1].strip() for line in fh if line.startswith("model name"))
    except (OSError, StopIteration):
        pass
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    return (f"{cpu}, {os.cpu_count()} cores, {platform.system()} {platform.release()}, Python "
            f"{platform.python_version()}, load average {load:.2f}, "
            f"{time.strftime('%Y-%m-%d %H:%M:%S', time.gmtime())} UTC")


def git_commit(path: str | os.PathLike = Path(__file__).parent) -> str | None:
    """The commit checked out at `path` (with ``+dirty`` when tracked files changed), or None.

    Examples
    --------
    >>> commit = git_commit()
    >>> commit is None or len(commit.split("+")[0]) == 40
    True
    """
    try:
        run = lambda *args: subprocess.run(["git", *args], cwd=path, capture_output=True, text=True,  # noqa: E731
                                           timeout=10)
        head = run("rev-parse", "HEAD")
        if head.returncode != 0:
            return None
        dirty = run("status", "--porcelain", "--untracked-files=no").stdout.strip()
    except (OSError, subprocess.SubprocessError):
        return None
    return head.stdout.strip() + ("+dirty" if dirty else "")
