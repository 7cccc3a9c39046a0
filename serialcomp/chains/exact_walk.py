"""The exact law of a random-walk chain (and of the oracle) on any graph.

A walk chain reaches the target within ``L`` moves with the probability that a simple random walk
from the source hits it within ``L`` steps (the paper's ``reach_prob``): the walk's position law is
propagated step by step, the mass arriving at the target absorbed and recorded. Its path is the
walk, a shortest path exactly when it hits the target in ``distance`` moves. The mean hitting
time solves ``(I - Q) h = 1`` over the other nodes of the source's component.
"""

from __future__ import annotations

import numpy as np

from .._validate import check_int
from .distribution import TraceDistribution
from .graph import ChainParameterError, SearchGraph

__all__ = ["walk_distribution", "walk_mean_length", "shortest_distribution", "MAX_WALK_NODES"]

MAX_WALK_NODES = 20_000
"""Largest component whose mean hitting time is solved (a dense linear system)."""


def walk_distribution(graph: SearchGraph, max_length: int) -> TraceDistribution:
    """The law of the hitting time of the target, up to ``max_length`` moves (the rest is ``tail``).

    Notes
    -----
    O(max_length x E) time (one sparse step per move), plus :func:`walk_mean_length`.

    Example
    -------
    >>> g = SearchGraph.from_edges([(0, 1), (1, 2)], 3, 0, 2)
    >>> law = walk_distribution(g, 6)
    >>> law.pmf.tolist(), law.tail, law.mean_used()
    ([0.0, 0.0, 0.5, 0.0, 0.25, 0.0, 0.125], 0.125, 4.0)
    """
    M = check_int("max_length", max_length, 0, 10**7, where="walk_distribution", error=ChainParameterError)
    N = graph.num_nodes
    deg = np.diff(graph.indptr).astype(np.float64)
    src = np.repeat(np.arange(N), np.diff(graph.indptr))
    x = np.zeros(N)
    x[graph.source] = 1.0
    pmf = np.zeros(M + 1)
    if graph.source == graph.target:
        pmf[0] = 1.0
        x[:] = 0.0
    inv = np.divide(1.0, deg, out=np.zeros(N), where=deg > 0)
    for step in range(1, M + 1):
        x = np.bincount(graph.indices, weights=(x * inv)[src], minlength=N)
        pmf[step] = x[graph.target]
        x[graph.target] = 0.0
    ps = np.zeros(M + 1)
    if graph.distance <= M:
        ps[graph.distance] = pmf[graph.distance]
    tail = max(0.0, 1.0 - float(pmf.sum()))
    return TraceDistribution("walk", graph.distance, pmf, ps, tail, walk_mean_length(graph))


def walk_mean_length(graph: SearchGraph) -> float:
    """``E[T]``: the mean hitting time of the target from the source, exactly (a linear solve).

    Example
    -------
    >>> walk_mean_length(SearchGraph.from_edges([(0, 1), (1, 2)], 3, 0, 2))
    4.0
    """
    dist = graph.distances()
    comp = np.flatnonzero(dist >= 0)
    if len(comp) > MAX_WALK_NODES:
        raise ChainParameterError(f"walk_mean_length: the component has {len(comp)} nodes, more than {MAX_WALK_NODES}")
    others = comp[comp != graph.target]
    if graph.source == graph.target:
        return 0.0
    pos = np.full(graph.num_nodes, -1)
    pos[others] = np.arange(len(others))
    A = np.eye(len(others))
    for u in others:
        nb = graph.neighbors(u)
        for v in nb:
            if pos[v] >= 0:
                A[pos[u], pos[v]] -= 1.0 / len(nb)
    h = np.linalg.solve(A, np.ones(len(others)))
    return float(h[pos[graph.source]])


def shortest_distribution(graph: SearchGraph) -> TraceDistribution:
    """The oracle's law: ``T = distance`` with probability 1, always a shortest path.

    Example
    -------
    >>> shortest_distribution(SearchGraph.from_edges([(0, 1), (1, 2)], 3, 0, 2)).reach(1)
    0.0
    """
    pmf = np.zeros(graph.distance + 1)
    pmf[graph.distance] = 1.0
    return TraceDistribution("shortest", graph.distance, pmf, pmf.copy())
