"""``method="auto"``: pick a solver for one component from its size and the budgets, and say why.

The crossover between the subset DP and the branch-and-cut (``mip``), measured on the project machine
(2 cores shared with other jobs, so timings are indicative) with ``python -m bench.mip --crossover``
and on unweighted random tournaments, the hardest case known for the MIP (medians of 3-5 seeds, s):

====  ======  =================  ===================
n     dp      mip, |N(0,1)|      mip, 0/1 tournament
====  ======  =================  ===================
20    0.009   0.008              0.015 (max 0.28)
22    0.07    0.015              0.09
24    0.26    0.033              0.16 (max 0.34)
26    0.8     0.06               1.4 (max 3.1)
28    7.9     0.06               -
====  ======  =================  ===================

Up to ``DP_UP_TO`` nodes the DP takes at most a tenth of a second whatever the weights, and its time
does not depend on them: it is used there. Above, a sparse component (at most :data:`FAS_DENSITY` of
its node pairs joined by an arc after normalisation: connectomes, pruned layers, dependency graphs)
goes to ``fas``, the branch-and-cut on arc variables and lazily added cycle inequalities, which
proves the C. elegans connectomes (components of 85-259 nodes, densities 0.05-0.1) in seconds and
beats ``mip`` on random components of 40 and 80 nodes up to density 0.35 (``docs/connectomes.md``).
On denser components, the MIP is faster by 10-100x on weighted matrices,
needs no exponential memory, and returns a proven bound when the time runs out (the DP returns only
the greedy order). Up to ``MIP_UP_TO`` nodes it proves dense random matrices within a minute (and
the LOLIB input-output tables, n = 44-60, within seconds); above, a proof may take far longer than
anyone waits, so ``auto`` runs the memetic heuristic beside the 3-dicycle relaxation's bound
(:mod:`orderedness.relaxation`): for the time limit, and up to
:data:`~orderedness.solvers.heuristics.memetic.FINISH_UP_TO` nodes the branch-and-cut takes over from
the heuristic's order for the rest of the budget; without a time limit, for a fixed effort chosen from
n (:func:`orderedness.solvers.heuristics.memetic.effort`, about 3 s up to n = 400). The answer is
proven optimal when a bound meets it. Ask for ``method="mip"`` to insist on a proof.

``time_limit=None`` means no time limit for every method: exact ones run to a proof, the heuristics
stop after a fixed effort, and no decision depends on the clock.
"""
from __future__ import annotations

from .solvers.exact import dp
from .solvers.heuristics import memetic
from .validate import SMALL, memory_budget

__all__ = ["choose", "METHODS", "DP_UP_TO", "MIP_UP_TO", "FAS_DENSITY", "DENSE_UP_TO"]

METHODS = ("dp", "fas", "mip", "heuristic", "greedy", "sparse")   # what choose() may return, and the fallback

DP_UP_TO = 22
MIP_UP_TO = 40
FAS_DENSITY = 0.35
DENSE_UP_TO = 2000     # larger components of a sparse matrix go to the sparse heuristic


def choose(n: int, *, time_limit=None, memory_limit=None, arcs: int | None = None, sparse: bool = False,
           **options) -> tuple[str, str]:
    """Return ``(method, reason)`` for a component of `n` nodes with `arcs` arcs after normalisation
    (at most one per pair; None: dense), of a scipy.sparse matrix if `sparse`.

    Never raises: every size gets a method (the heuristics take any size).
    """
    if sparse and (n > DENSE_UP_TO or (memory_limit is not None and 8 * n * n > memory_budget(memory_limit))):
        return "sparse", (f"n = {n} > {DENSE_UP_TO} in a sparse matrix: local search on adjacency lists, "
                          "memory O(n + m), with a cycle-packing bound")
    need = dp.memory_needed(n)
    budget = need if need < SMALL and memory_limit is None else memory_budget(memory_limit)
    if n <= DP_UP_TO and need <= budget:
        return "dp", f"n = {n} <= {DP_UP_TO}: the subset DP is fastest at this size (table {need / 2**20:.3g} MiB)"
    density = 1.0 if arcs is None else arcs / (n * (n - 1) / 2)
    if density <= FAS_DENSITY:
        return "fas", (f"n = {n}, {arcs} arcs (density {density:.3g} <= {FAS_DENSITY}): branch-and-cut on "
                       "arc variables and cycle inequalities, from the heuristic's order")
    if n > MIP_UP_TO:
        if time_limit is None:
            generations, population = memetic.effort(n)
            how = (f"without a time limit, {generations} generations of {population} orders of the memetic "
                   "heuristic find an order beside a fixed effort of the 3-dicycle relaxation's bound, "
                   "proven if the bound meets the order")
        else:
            then = ("then branch-and-cut from its order for the rest, proven if the bound meets it in time"
                    if n <= memetic.FINISH_UP_TO else "proven if the bound meets the order")
            how = (f"within {time_limit:g} s the memetic heuristic finds an order beside the 3-dicycle "
                   f"relaxation's bound, {then}")
        return "heuristic", (f"n = {n} > {MIP_UP_TO}: a proof may take very long; {how} "
                             "(method='mip' insists on a proof)")
    if n <= DP_UP_TO:
        return "mip", f"n = {n}: the subset DP would need {need / 2**20:.3g} MiB > the {budget / 2**20:.3g} MiB budget"
    return "mip", (f"n = {n} > {DP_UP_TO}: branch-and-cut is faster than the subset DP from here on "
                   "and bounds its answer under a time limit")
