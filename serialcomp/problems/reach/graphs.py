"""Graphs as edge lists: canonical order, adjacency matrices, and plain BFS (the reference solvers').

An edge list is an int array ``(count, E, 2)`` over nodes ``0..N-1``; canonical means each row
sorted by ``(u, v)``, undirected edges written ``u <= v`` (so the bit encoding, an adjacency
matrix, round-trips).
"""

from __future__ import annotations

from collections import deque
from typing import Any

import numpy as np

from ...errors import ProblemParameterError

__all__ = ["canonical_edges", "adjacency", "bfs_distances"]


def canonical_edges(edges: np.ndarray, num_nodes: int, undirected: bool) -> np.ndarray:
    """Sort each row of edges by ``(u, v)`` (undirected: ``u <= v`` first).

    Example
    -------
    >>> canonical_edges(np.array([[[3, 1], [0, 2]]]), 4, True).tolist()
    [[[0, 2], [1, 3]]]
    """
    e = np.asarray(edges, dtype=np.int64)
    u, v = e[..., 0], e[..., 1]
    if undirected:
        u, v = np.minimum(u, v), np.maximum(u, v)
    code = np.sort(u * num_nodes + v, axis=-1)
    return np.stack([code // num_nodes, code % num_nodes], axis=-1)


def adjacency(edges: np.ndarray, num_nodes: int, undirected: bool) -> np.ndarray:
    """Boolean adjacency matrices ``(count, N, N)`` of edge lists ``(count, E, 2)``.

    Example
    -------
    >>> adjacency(np.array([[[0, 1]]]), 2, undirected=True)[0].astype(int).tolist()
    [[0, 1], [1, 0]]
    """
    e = np.asarray(edges, dtype=np.int64)
    c = len(e)
    adj = np.zeros((c, num_nodes, num_nodes), dtype=bool)
    rows = np.repeat(np.arange(c), e.shape[1])
    adj[rows, e[..., 0].ravel(), e[..., 1].ravel()] = True
    if undirected:
        adj[rows, e[..., 1].ravel(), e[..., 0].ravel()] = True
    return adj


def check_node_ids(key: str, ids: list[int]) -> None:
    """Refuse negative node ids (a solver would index from the end).

    Example
    -------
    >>> check_node_ids("reach:path", [0, 3, -1])
    Traceback (most recent call last):
    ...
    serialcomp.errors.ProblemParameterError: reach:path: node ids must be >= 0, got -1
    """
    if ids and min(ids) < 0:
        raise ProblemParameterError(f"{key}: node ids must be >= 0, got {min(ids)}")


def bfs_distances(num_nodes: int, edges: Any, source: int, undirected: bool) -> list[int]:
    """Plain BFS distances from ``source`` (-1: unreachable), one Python list per call.

    Example
    -------
    >>> bfs_distances(4, [(0, 1), (1, 2)], 0, undirected=False)
    [0, 1, 2, -1]
    """
    nbrs: list[list[int]] = [[] for _ in range(num_nodes)]
    for u, v in edges:
        nbrs[u].append(v)
        if undirected:
            nbrs[v].append(u)
    dist = [-1] * num_nodes
    dist[source] = 0
    queue = deque([source])
    while queue:
        u = queue.popleft()
        for v in nbrs[u]:
            if dist[v] < 0:
                dist[v] = dist[u] + 1
                queue.append(v)
    return dist
