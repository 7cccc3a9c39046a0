"""Circuit families of the reachability problems: repeated squaring of ``A OR I`` (log depth), a
bounded number of squarings, and loop-mode BFS (recurrent). The constructions are in
:mod:`.boolmat`; a family's input is the problem's ``encode_bits``, its output ``target_bits``.

Per variant: nodes per n, target one-hots, and the largest BFS distance needed (directed graphs:
n - 1; flower: within a component of n nodes; cycles: n on a 2n-cycle).
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

import sympy

__all__ = ["reach_families", "squarings_family"]

_FAMILY_SPECS: dict[str, tuple[int, int, Any]] = {
    "reach:path": (1, 1, lambda n: n - 1),
    "reach:random": (1, 1, lambda n: n - 1),
    "reach:flower": (2, 2, lambda n: n - 1),
    "reach:cycles": (2, 0, lambda n: n),
}


def squarings_family(key: str, k: int) -> Any:
    """The bounded family ``squarings<k>`` of a reach variant: exactly ``k`` squarings of ``A OR I``.

    Exact when every needed distance is at most ``2^k`` (``valid_up_to(k=k) = 2^k``); beyond, it
    answers "unreachable" (``reach:cycles``: "two cycles") for every pair farther apart, so only
    the positive instances fail. Claimed depth ``2k + 2`` (``2k + 1`` for ``reach:cycles``): an upper
    bound, met from ``n = 3`` on (a 2-node matrix product folds to fewer levels).

    Example
    -------
    >>> f = squarings_family("reach:path", 3)
    >>> f.name, f.kind, f.claimed(64), f(12).depth(), f.valid_up_to(k=3)
    ('squarings3', 'bounded', 8, 8, 8)
    """
    from . import boolmat as bm
    from ...ir.family import CircuitFamily

    per, targets, _ = _FAMILY_SPECS[key]
    return CircuitFamily(
        f"squarings{k}", key, "bounded",
        lambda n, k: bm.reach_squaring_circuit(per * n, k, targets, undirected=per == 2),
        sympy.Integer(2 * k + (2 if targets else 1)), exact=False, params={"k": int(k)},
        valid_up_to=lambda k: 2**k, description=f"{k} squarings of A OR I, then the readout (paths <= 2^k edges)")


@lru_cache(maxsize=None)
def reach_families(key: str) -> tuple[Any, ...]:
    """The families of a reach variant: ``squaring`` (log), ``bfs`` (recurrent, halting) and ``squarings2``.

    Example
    -------
    >>> [(f.name, f.kind, f.claimed(9)) for f in reach_families("reach:path")]
    [('squaring', 'log', 8), ('bfs', 'recurrent', 20), ('squarings2', 'bounded', 6)]
    """
    from . import boolmat as bm
    from ...ir.family import N, CircuitFamily

    per, targets, dist = _FAMILY_SPECS[key]
    readout = 2 if targets else 1
    squaring = CircuitFamily(
        "squaring", key, "log",
        lambda n: bm.reach_squaring_circuit(per * n, bm.closure_squarings(dist(n)), targets, undirected=per == 2),
        2 * sympy.ceiling(sympy.log(dist(N), 2)) + readout,
        description="ceil(log2 d) squarings of A OR I (d: the largest distance needed), then the readout")
    bfs = CircuitFamily(
        "bfs", key, "recurrent", lambda n: bm.reach_bfs_looped(per * n, targets),
        2 * (dist(N) + 1) + readout, steps=lambda n: dist(n) + 1, halt=True,
        description="loop-mode BFS (state: reached set and a target-hit bit that freezes it, 2 levels a "
                    "step), halting at the fixed point: a lane uses as many steps as the distance to the "
                    "target it reaches (with no target reachable: to the farthest node; cycles: ecc(0))")
    return squaring, bfs, squarings_family(key, 2)
