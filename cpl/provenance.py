"""Where a result came from: package version, git commit, library versions, machine and configuration.

Every experiment writes :func:`provenance` into its JSON, so a table or figure can be traced to the
code and settings that produced it.
"""
from __future__ import annotations

import platform

from orderedness.provenance import git_commit, machine

__all__ = ["provenance", "git_commit", "machine"]


def provenance(config: dict) -> dict:
    """Everything needed to trace a run: versions, commit, machine and the full configuration.

    Parameters
    ----------
    config : dict
        The run's complete configuration (JSON-serialisable).

    Returns
    -------
    dict
        ``{"package", "version", "git_commit", "torch", "numpy", "python", "machine", "config"}``.

    Examples
    --------
    >>> sorted(provenance({"trials": 1}))[:3]
    ['config', 'git_commit', 'machine']
    """
    import numpy as np
    import torch

    import orderedness as od

    return {"package": "orderedness", "version": od.__version__, "git_commit": git_commit(),
            "torch": torch.__version__, "numpy": np.__version__, "python": platform.python_version(),
            "machine": machine(), "config": config}
