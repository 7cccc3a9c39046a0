"""Graph reachability: ``reach:path``, ``reach:flower``, ``reach:cycles`` and ``reach:random``.

Graphs are edge lists over nodes ``0..N-1`` with shuffled ids, stored canonically (each row sorted
by ``(u, v)``; undirected edges as ``u < v``), so the bit encoding (adjacency matrix) round-trips.
``reach:random`` stores its adjacency matrix, since its edge count varies.

Bits (all families): the adjacency matrix row-major (bit ``u*N + v`` is edge ``u -> v``, symmetric
for undirected graphs), then the source one-hot (N bits) and each query target one-hot (N bits).
Tokens: ``u0 v0 u1 v1 ... | s t1 [t2]`` with node ``i`` as token ``i``, then ``"|"`` and ``"<pad>"``.

Modules: :mod:`.graphs` (edge lists, adjacency, BFS), :mod:`.encoding` (the shared columns and
encodings), :mod:`.problems` (the registered problems),
:mod:`.families` (their circuit families), :mod:`.boolmat` (Boolean matrix products, squaring and
BFS circuits).

Example
-------
>>> from serialcomp.problems import get_problem
>>> inst = get_problem("reach:cycles").sample(5, 2, seed=0)
>>> inst.inputs["edges"].shape, sorted(set(inst.targets["target"].tolist()) - {1, 2})
((2, 10, 2), [])
"""

from __future__ import annotations

from .families import reach_families, squarings_family
from .graphs import adjacency, bfs_distances, canonical_edges
from .encoding import GraphProblem
from .problems import MAX_EDGES, MAX_NODES, MAX_RANDOM_NODES, CyclesReach, FlowerReach, PathReach, RandomReach

__all__ = ["PathReach", "FlowerReach", "CyclesReach", "RandomReach", "GraphProblem", "canonical_edges", "adjacency",
           "bfs_distances", "squarings_family", "reach_families", "MAX_EDGES", "MAX_NODES", "MAX_RANDOM_NODES"]
