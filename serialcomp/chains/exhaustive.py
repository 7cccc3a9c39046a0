"""Exact laws by brute force: every random choice of a search enumerated, with rational probabilities.

The oracles of the dynamic programs (:mod:`.exact_dfs`, :mod:`.exact_bfs`, :mod:`.exact_walk`): they
follow the search processes of :mod:`.search` step by step on the graph itself, branching on every
draw, and know nothing of flowers or layers. Exponential in the number of choices: for small
graphs only (a flower of two or three petals).
"""

from __future__ import annotations

from collections import deque
from fractions import Fraction
from itertools import permutations
from math import factorial

from .._validate import check_int
from .graph import ChainParameterError, SearchGraph

__all__ = ["enumerate_dfs", "enumerate_bfs", "enumerate_walk", "MAX_BRANCHES"]

MAX_BRANCHES = 5_000_000
"""Most executions one enumeration follows before it gives up."""


def _count(n: int, what: str) -> None:
    if n > MAX_BRANCHES:
        raise ChainParameterError(f"{what}: more than {MAX_BRANCHES} executions; use a smaller graph")


def enumerate_dfs(graph: SearchGraph) -> dict[tuple[int, bool], Fraction]:
    """``{(T, path is shortest): probability}`` of the random-order DFS, every execution followed.

    Example
    -------
    >>> g = SearchGraph.from_edges([(0, 1), (0, 2), (2, 3)], 4, 0, 3)
    >>> enumerate_dfs(g)
    {(2, True): Fraction(1, 2), (4, True): Fraction(1, 2)}
    """
    nbrs = [graph.neighbors(u).tolist() for u in range(graph.num_nodes)]
    out: dict[tuple[int, bool], Fraction] = {}
    todo = [((graph.source,), frozenset([graph.source]), 0, Fraction(1))]
    seen = 0
    while todo:
        stack, marked, moves, p = todo.pop()
        seen += 1
        _count(seen, "enumerate_dfs")
        u = stack[-1]
        if u == graph.target:
            key = (moves, len(stack) - 1 == graph.distance)
            out[key] = out.get(key, Fraction(0)) + p
            continue
        cand = [v for v in nbrs[u] if v not in marked]
        if cand:
            for v in cand:
                todo.append((stack + (v,), marked | {v}, moves + 1, p / len(cand)))
        elif len(stack) > 1:
            todo.append((stack[:-1], marked, moves + 1, p))
    return dict(sorted(out.items()))


def enumerate_bfs(graph: SearchGraph) -> dict[tuple[int, bool], Fraction]:
    """``{(T, path is shortest): probability}`` of the random-order BFS, every shuffle followed.

    Example
    -------
    >>> g = SearchGraph.from_edges([(0, 1), (0, 2), (2, 3)], 4, 0, 3)
    >>> enumerate_bfs(g)
    {(3, True): Fraction(1, 1)}
    """
    nbrs = [graph.neighbors(u).tolist() for u in range(graph.num_nodes)]
    out: dict[tuple[int, bool], Fraction] = {}
    start = (deque([graph.source]), frozenset(), {graph.source: 0}, 0, Fraction(1))
    todo = [start]
    seen = 0
    while todo:
        queue, marked, depth, moves, p = todo.pop()
        seen += 1
        _count(seen, "enumerate_bfs")
        queue = deque(queue)
        while queue and queue[0] in marked:
            queue.popleft()
        u = queue.popleft()
        if u == graph.target:
            key = (moves, depth[u] == graph.distance)
            out[key] = out.get(key, Fraction(0)) + p
            continue
        marked = marked | {u}
        cand = [v for v in nbrs[u] if v not in marked]
        share = p / factorial(len(cand))
        for perm in permutations(cand):
            d = dict(depth)
            q = deque(queue)
            for v in perm:
                if v not in d:
                    d[v] = d[u] + 1
                    q.append(v)
            todo.append((q, marked, d, moves + 1, share))
    return dict(sorted(out.items()))


def enumerate_walk(graph: SearchGraph, max_length: int) -> dict[int, Fraction]:
    """``{T: probability}`` of a random walk hitting the target within ``max_length`` moves, every walk followed.

    Example
    -------
    >>> enumerate_walk(SearchGraph.from_edges([(0, 1), (1, 2)], 3, 0, 2), 4)
    {2: Fraction(1, 2), 4: Fraction(1, 4)}
    """
    M = check_int("max_length", max_length, 0, 40, where="enumerate_walk", error=ChainParameterError)
    nbrs = [graph.neighbors(u).tolist() for u in range(graph.num_nodes)]
    out: dict[int, Fraction] = {}
    todo = [(graph.source, 0, Fraction(1))]
    seen = 0
    while todo:
        u, moves, p = todo.pop()
        seen += 1
        _count(seen, "enumerate_walk")
        if u == graph.target:
            out[moves] = out.get(moves, Fraction(0)) + p
            continue
        if moves == M:
            continue
        for v in nbrs[u]:
            todo.append((v, moves + 1, p / len(nbrs[u])))
    return dict(sorted(out.items()))
