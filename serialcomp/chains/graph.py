"""The graph a chain searches: an undirected graph in CSR form with a source and two targets.

Neighbours are listed in ascending node id, the order the searches count "the k-th unvisited
neighbour" in, so a trace is a function of the graph, its labels and the chain's draws.
"""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass
from typing import Any

import numpy as np

from ..errors import ProblemParameterError

__all__ = ["ChainParameterError", "SearchGraph", "graphs_of"]


class ChainParameterError(ProblemParameterError):
    """A chain's strategy, budget, graph or aggregation argument is invalid (one line naming it).

    A :class:`~serialcomp.errors.ProblemParameterError`, so ``except SerialcompError`` catches it.

    Example
    -------
    >>> from serialcomp.errors import SerialcompError
    >>> issubclass(ChainParameterError, SerialcompError)
    True
    """


@dataclass(frozen=True, eq=False)
class SearchGraph:
    """An undirected graph in CSR form, a source, the connected target and the other target.

    Attributes
    ----------
    indptr : int64 ``(N + 1,)``
    indices : int64 ``(2E,)``
        Neighbours of ``u`` are ``indices[indptr[u]:indptr[u + 1]]``, ascending.
    source, target : int
        ``s`` and the target connected to it.
    other : int
        The other target (-1 if none): a chain that reaches no target answers ``target`` or
        ``other`` by its rule.
    distance : int
        BFS distance from ``source`` to ``target``.

    Example
    -------
    >>> g = SearchGraph.from_edges([(0, 1), (1, 2), (3, 4)], 5, 0, 2, other=4)
    >>> g.num_nodes, g.neighbors(1).tolist(), g.distance
    (5, [0, 2], 2)
    """

    indptr: np.ndarray
    indices: np.ndarray
    source: int
    target: int
    other: int
    distance: int

    @classmethod
    def from_edges(cls, edges: Any, num_nodes: int, source: int, target: int, other: int = -1) -> "SearchGraph":
        """Build from an undirected edge list ``(E, 2)`` over ``0 .. num_nodes - 1``.

        Raises
        ------
        ChainParameterError
            A node id outside the range, or a target not connected to the source.
        """
        e = np.asarray(edges, dtype=np.int64).reshape(-1, 2)
        N = int(num_nodes)
        ids = [int(source), int(target)] + ([int(other)] if other >= 0 else [])
        if e.size and (int(e.min()) < 0 or int(e.max()) >= N) or min(ids) < 0 or max(ids) >= N:
            raise ChainParameterError(f"SearchGraph: node ids must lie in [0, {N})")
        u = np.concatenate([e[:, 0], e[:, 1]])
        v = np.concatenate([e[:, 1], e[:, 0]])
        order = np.lexsort((v, u))
        u, v = u[order], v[order]
        indptr = np.zeros(N + 1, dtype=np.int64)
        np.cumsum(np.bincount(u, minlength=N), out=indptr[1:])
        dist = _bfs(indptr, v, int(source))
        if dist[int(target)] < 0:
            raise ChainParameterError(f"SearchGraph: target {int(target)} is not connected to source {int(source)}")
        return cls(indptr, v.astype(np.int64), int(source), int(target), int(other), int(dist[int(target)]))

    @property
    def num_nodes(self) -> int:
        """Number of nodes ``N``."""
        return len(self.indptr) - 1

    def neighbors(self, u: int) -> np.ndarray:
        """Neighbours of ``u``, ascending."""
        return self.indices[self.indptr[u]:self.indptr[u + 1]]

    def distances(self) -> np.ndarray:
        """BFS distances from the source, int64 ``(N,)`` (-1: not connected)."""
        return _bfs(self.indptr, self.indices, self.source)

    def to_networkx(self) -> Any:
        """The graph as a ``networkx.Graph`` on nodes ``0 .. N-1``."""
        import networkx as nx

        g = nx.Graph()
        g.add_nodes_from(range(self.num_nodes))
        src = np.repeat(np.arange(self.num_nodes), np.diff(self.indptr))
        g.add_edges_from(zip(src.tolist(), self.indices.tolist()))
        return g


def _bfs(indptr: np.ndarray, indices: np.ndarray, s: int) -> np.ndarray:
    dist = np.full(len(indptr) - 1, -1, dtype=np.int64)
    dist[s] = 0
    q = deque([s])
    ip, ix = indptr.tolist(), indices.tolist()
    while q:
        u = q.popleft()
        for v in ix[ip[u]:ip[u + 1]]:
            if dist[v] < 0:
                dist[v] = dist[u] + 1
                q.append(v)
    return dist


def graphs_of(instances: Any) -> list[SearchGraph]:
    """One :class:`SearchGraph` per record of ``reach:flower`` instances (either layout).

    Example
    -------
    >>> from serialcomp.problems import get_problem
    >>> g = graphs_of(get_problem("reach:flower").sample(11, 2, seed=0, layout="lmt"))
    >>> len(g), g[0].num_nodes, g[0].distance
    (2, 22, 3)
    """
    if instances.problem != "reach:flower":
        raise ChainParameterError(f"chains search reach:flower instances (s, t1, t2), got {instances.problem}")
    N = 2 * int(instances.n)
    out = []
    for i in range(len(instances)):
        tg = instances.inputs["targets"][i].tolist()
        w = int(instances.targets["target"][i])
        out.append(SearchGraph.from_edges(instances.inputs["edges"][i], N, int(instances.inputs["source"][i]),
                                          int(tg[w]), int(tg[1 - w])))
    return out
