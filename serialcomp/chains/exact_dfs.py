"""The exact law of a random-order DFS chain on a flower, by dynamic programming over its petals.

Why the flower makes it tractable: once the DFS leaves junction ``J_i`` along a route of petal
``i`` it never comes back (``J_{i+1}`` leads on to the target), so it backtracks only out of dead
parts: the dead ends, and at ``J_{i+1}`` the route of petal ``i`` it did not take (its far end
``J_i`` is visited, so it is a dead part of ``nodes`` nodes, explored in ``2 * nodes`` moves). The
DFS draws uniformly among unvisited neighbours every time it stands on a node, which is a uniform
random order of the node's branches; at a junction with ``m`` dead parts and two routes a given
set ``S`` of dead parts comes before the first route with probability ``2 |S|! (m - |S| + 1)! /
(m + 2)!``, and the first route is either with probability 1/2; on a route's inner node with dead
ends the same holds with one way on. The state carried from petal to petal is the size of the
route left behind and whether every route taken so far was a shortest one; the law of the moves
is convolved petal by petal.

The paper's flower (routes 3 and 5, dead end 3 at every ``J_i``): the DFS path is a shortest path
with probability ``2**-d``, the first ``d*short`` moves go straight to the target with
probability ``1 / (3 * 4**(d-1))`` and ``E[T] = 8d - 2`` (:func:`dfs_mean_length` in general).
"""

from __future__ import annotations

from fractions import Fraction
from itertools import combinations
from math import factorial

import numpy as np

from .distribution import TraceDistribution
from .flower import Flower

__all__ = ["dfs_distribution", "dfs_mean_length", "dead_first_law"]


def dead_first_law(sizes: tuple[int, ...], ways: int) -> dict[int, Fraction]:
    """Law of the moves spent in dead parts before the first of ``ways`` ways on, in a uniform random order.

    A dead part of ``b`` nodes costs ``2b`` moves (in and back out).

    Example
    -------
    >>> dead_first_law((3,), 2)   # the lmt junction J_0: the dead end first with probability 1/3
    {0: Fraction(2, 3), 6: Fraction(1, 3)}
    """
    m = len(sizes)
    law: dict[int, Fraction] = {}
    for j in range(m + 1):
        p = Fraction(ways * factorial(j) * factorial(m - j + ways - 1), factorial(m + ways))
        for S in combinations(range(m), j):
            cost = 2 * sum(sizes[i] for i in S)
            law[cost] = law.get(cost, Fraction(0)) + p
    return dict(sorted(law.items()))


def _array(law: dict[int, Fraction]) -> np.ndarray:
    a = np.zeros(max(law) + 1)
    for k, v in law.items():
        a[k] += float(v)
    return a


def _add(acc: dict, key: tuple, pmf: np.ndarray) -> None:
    if key in acc:
        old = acc[key]
        if len(old) < len(pmf):
            old, pmf = pmf, old
        old = old.copy()
        old[: len(pmf)] += pmf
        acc[key] = old
    else:
        acc[key] = pmf


def _route_law(route: "Route") -> np.ndarray:  # noqa: F821 - the type lives in .flower
    by_pos: dict[int, list[int]] = {}
    for pos, b in route.dead:
        by_pos.setdefault(pos, []).append(b)
    law = np.zeros(route.length + 1)
    law[route.length] = 1.0
    for sizes in by_pos.values():
        law = np.convolve(law, _array(dead_first_law(tuple(sizes), 1)))
    return law


def dfs_distribution(flower: Flower) -> TraceDistribution:
    """The exact law of the trace length of a random-order DFS from ``J_0`` to ``J_d`` (the paper's ``dfs``).

    Returns
    -------
    TraceDistribution
        ``pmf[x] = P(T = x)``, ``pmf_shortest[x] = P(T = x, the DFS path is a shortest path)``.

    Notes
    -----
    O(d x M) time for traces of at most ``M = 2N`` moves (four states per petal); d = 20 of the
    paper's flower takes about a millisecond.

    Example
    -------
    >>> from serialcomp.chains.flower import lmt_flower
    >>> law = dfs_distribution(lmt_flower(5))
    >>> law.shortest(), law.mean_used(), law.reach(15) == 1 / (3 * 4**4)
    (0.03125, 38.0, True)
    """
    states: dict[tuple[int, bool], np.ndarray] = {(0, True): np.ones(1)}
    for petal in flower.petals:
        best = min(r.length for r in petal.routes)
        routes = [_route_law(r) for r in petal.routes]
        new: dict[tuple[int, bool], np.ndarray] = {}
        for (back, allmin), pmf in states.items():
            items = tuple(petal.dead) + ((back,) if back > 0 else ())
            at_junction = np.convolve(pmf, _array(dead_first_law(items, 2)))
            for r in (0, 1):
                key = (petal.routes[1 - r].nodes, allmin and petal.routes[r].length == best)
                _add(new, key, 0.5 * np.convolve(at_junction, routes[r]))
        states = new
    total: dict = {}
    short: dict = {}
    for (_, allmin), pmf in states.items():
        _add(total, (), pmf)
        if allmin:
            _add(short, (), pmf)
    pmf = total[()]
    ps = np.zeros_like(pmf)
    if () in short:
        ps[: len(short[()])] = short[()]
    return TraceDistribution("dfs", flower.distance, pmf, ps, 0.0, dfs_mean_length(flower))


def dfs_mean_length(flower: Flower) -> float:
    """``E[T]`` of the random-order DFS, in closed form by linearity of expectation.

    Each petal adds the mean of its two routes' lengths. A dead part at a junction comes before
    both routes with probability 1/3, whatever else hangs there, and costs ``2b`` moves then; the
    route left behind at the previous petal is either route with probability 1/2. A dead end on a
    route is explored when its route is taken (1/2) and it comes before the way on (1/2). For the
    paper's flower this is ``d*(short + long)/2 + 2*d*dead/3 + (d - 1)*(short + long - 2)/3``,
    ``8d - 2`` for the lengths 3, 5, 3. An independent derivation of the mean of
    :func:`dfs_distribution`, which the tests compare.

    Example
    -------
    >>> from serialcomp.chains.flower import lmt_flower
    >>> [dfs_mean_length(lmt_flower(d)) for d in (1, 2, 5)]
    [6.0, 14.0, 38.0]
    """
    total = Fraction(0)
    prev_back: tuple[int, ...] = ()
    for petal in flower.petals:
        total += Fraction(sum(r.length for r in petal.routes), 2)
        total += sum(Fraction(2 * b, 3) for b in petal.dead)
        total += sum(Fraction(2 * b, 3) * Fraction(1, 2) for b in prev_back if b > 0)
        for r in petal.routes:
            by_pos: dict[int, list[int]] = {}
            for pos, b in r.dead:
                by_pos.setdefault(pos, []).append(b)
            for sizes in by_pos.values():
                total += Fraction(1, 2) * sum(Fraction(2 * b, 2) for b in sizes)
        prev_back = tuple(r.nodes for r in petal.routes)
    return float(total)
