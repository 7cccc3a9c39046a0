"""The exact law of a random-order BFS chain on any graph, by dynamic programming over BFS layers.

BFS dequeues layer by layer (layer ``m``: the nodes at distance ``m`` from the source); when it
starts on layer ``m`` every node of dist < m is visited and layer ``m`` sits in the queue in the
order of its first enqueueing. The order of layer ``m + 1`` follows from the order of layer ``m``:
each node, in turn, enqueues its neighbours of layer ``m + 1`` not enqueued yet, in a uniformly
random order (a uniform shuffle of all its unvisited neighbours orders any subset uniformly). The
DP carries the law of the layer's order, merging equal orders, and drops nodes without neighbours
in the next layer (they order nothing). The trace reaches the target ``t`` of layer ``D`` after
``#{v : dist(v) < D} + (position of t in layer D)`` moves.
"""

from __future__ import annotations

from itertools import permutations
from math import factorial

import numpy as np

from .distribution import TraceDistribution
from .graph import ChainParameterError, SearchGraph

__all__ = ["bfs_distribution", "MAX_ORDERS"]

MAX_ORDERS = 200_000
"""Most layer orders the DP holds at once; a graph with wider ambiguous layers is refused."""


def bfs_distribution(graph: SearchGraph) -> TraceDistribution:
    """The exact law of the trace length of a random-order BFS from the source to the target.

    Notes
    -----
    Time O(sum over layers of (orders x the shuffles of its nodes)); on flowers a layer holds a
    few nodes, so it is linear in the depth (d = 20 of the paper's flower: about 0.1 s). Refused
    (ChainParameterError) when a layer would hold more than :data:`MAX_ORDERS` orders.

    Example
    -------
    >>> from serialcomp.chains.flower import lmt_flower
    >>> law = bfs_distribution(lmt_flower(5).graph())
    >>> [round(float(p), 6) for p in law.pmf[47:50]], law.shortest()
    ([0.333333, 0.333333, 0.333333], 1.0)
    """
    dist = graph.distances()
    D = graph.distance
    ip, ix = graph.indptr.tolist(), graph.indices.tolist()
    nbrs = [ix[ip[u]:ip[u + 1]] for u in range(graph.num_nodes)]
    before = int(((dist >= 0) & (dist < D)).sum())
    has_next = [any(dist[v] == dist[u] + 1 for v in nbrs[u]) for u in range(graph.num_nodes)]
    states: dict[tuple[int, ...], float] = {(graph.source,): 1.0}
    for m in range(D):
        new: dict[tuple[int, ...], float] = {}
        for order, prob in states.items():
            partial: dict[tuple[int, ...], float] = {(): prob}
            for u in order:
                nxt: dict[tuple[int, ...], float] = {}
                for seq, p in partial.items():
                    seen = set(seq)
                    fresh = [v for v in nbrs[u] if dist[v] == m + 1 and v not in seen]
                    share = p / factorial(len(fresh))
                    for perm in permutations(fresh):
                        key = seq + perm
                        nxt[key] = nxt.get(key, 0.0) + share
                partial = nxt
            for seq, p in partial.items():
                if m + 1 < D:
                    seq = tuple(v for v in seq if has_next[v])
                new[seq] = new.get(seq, 0.0) + p
            if len(new) > MAX_ORDERS:
                raise ChainParameterError(f"bfs_distribution: layer {m + 1} has more than {MAX_ORDERS} orders")
        states = new
    pmf = np.zeros(before + max(len(o) for o in states))
    for order, prob in states.items():
        pmf[before + order.index(graph.target)] += prob
    return TraceDistribution("bfs", D, pmf, pmf.copy())
