"""``method="auto"``: pick a solver for one component from its size and the budgets, and say why."""
from __future__ import annotations

from .solvers.exact import dp
from .validate import SMALL, InputError, memory_budget

__all__ = ["choose"]


def choose(n: int, *, time_limit=None, memory_limit=None, **options) -> tuple[str, str]:
    """Return ``(method, reason)`` for a component of `n` nodes."""
    need = dp.memory_needed(n)
    if need < SMALL and memory_limit is None:
        return "dp", f"n = {n}: the subset DP fits ({need / 2**20:.3g} MiB)"
    budget = memory_budget(memory_limit)
    if need <= budget:
        return "dp", f"n = {n}: the subset DP fits ({need / 2**20:.3g} MiB of a {budget / 2**30:.1f} GiB budget)"
    raise InputError(f"a component of n = {n} nodes is too large for the exact subset DP "
                     f"({need / 2**30:.1f} GiB > {budget / 2**30:.1f} GiB budget); "
                     "use method='greedy' for an order with a bound, or raise memory_limit")
