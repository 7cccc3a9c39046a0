"""The structure of a flower graph: petals of two routes between junctions, and dead ends.

A :class:`Flower` is a chain of junctions ``J_0 = s .. J_d = t``; petal ``i`` joins ``J_i`` to
``J_{i+1}`` by two internally disjoint routes (:class:`Route`), and dead ends (paths) hang off
junctions or inner nodes of routes. Both layouts of ``reach:flower`` are flowers: ``lmt`` (every
petal: routes of 3 and 5 edges, a dead end of 3 at ``J_i``; :func:`lmt_flower`) and ``random``
(random lengths, the dead end at ``J_i`` or on a route). :func:`flower_of` reads the structure off
a graph (the source's component), so the exact DP of :mod:`.exact_dfs` runs on generated
instances; :meth:`Flower.graph` builds a graph back, for the generic exact computations.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from .._validate import check_int
from .graph import ChainParameterError, SearchGraph

__all__ = ["Route", "Petal", "Flower", "lmt_flower", "flower_of"]


@dataclass(frozen=True)
class Route:
    """One route of a petal: ``length`` edges from ``J_i`` to ``J_{i+1}``; ``dead`` lists the dead
    ends on its inner nodes as ``(position, length)``, position ``1 .. length - 1`` from ``J_i``.

    Example
    -------
    >>> Route(3).inner, Route(5, ((2, 1),)).nodes
    (2, 5)
    """

    length: int
    dead: tuple[tuple[int, int], ...] = ()

    @property
    def inner(self) -> int:
        """Inner nodes: ``length - 1``."""
        return self.length - 1

    @property
    def nodes(self) -> int:
        """Inner nodes plus the nodes of its dead ends (what a DFS explores entering it from ``J_{i+1}``)."""
        return self.inner + sum(b for _, b in self.dead)


@dataclass(frozen=True)
class Petal:
    """Two routes from ``J_i`` to ``J_{i+1}`` and the lengths of the dead ends at ``J_i``.

    Example
    -------
    >>> Petal((Route(3), Route(5)), (3,)) == lmt_flower(1).petals[0]
    True
    """

    routes: tuple[Route, Route]
    dead: tuple[int, ...] = ()


@dataclass(frozen=True)
class Flower:
    """A chain of petals; ``end`` lists dead ends at the last junction (the target).

    Example
    -------
    >>> f = lmt_flower(5)
    >>> f.depth, f.num_nodes, f.num_edges, f.distance
    (5, 51, 55, 15)
    """

    petals: tuple[Petal, ...]
    end: tuple[int, ...] = ()

    @property
    def depth(self) -> int:
        """Number of petals ``d``."""
        return len(self.petals)

    @property
    def distance(self) -> int:
        """The s-t distance: the shorter route of every petal."""
        return sum(min(r.length for r in p.routes) for p in self.petals)

    @property
    def num_nodes(self) -> int:
        """Nodes of the component."""
        return 1 + sum(1 + sum(r.nodes for r in p.routes) + sum(p.dead) for p in self.petals) + sum(self.end)

    @property
    def num_edges(self) -> int:
        """Edges of the component (a tree plus one edge per petal)."""
        return self.num_nodes - 1 + self.depth

    def canonical(self) -> "Flower":
        """The same flower with routes, dead ends sorted (equal structures compare equal)."""
        ps = tuple(Petal(tuple(sorted((Route(r.length, tuple(sorted(r.dead))) for r in p.routes),
                                      key=lambda r: (r.length, r.dead))), tuple(sorted(p.dead)))
                   for p in self.petals)
        return Flower(ps, tuple(sorted(self.end)))

    def edges(self) -> np.ndarray:
        """The component's edges, int64 ``(E, 2)``: ``J_0 = 0``, the target as in :meth:`graph`."""
        return self._build()[0]

    def _build(self) -> tuple[np.ndarray, int]:
        edges: list[tuple[int, int]] = []
        count = [1]

        def new() -> int:
            count[0] += 1
            return count[0] - 1

        def dead_end(at: int, length: int) -> None:
            prev = at
            for _ in range(length):
                v = new()
                edges.append((prev, v))
                prev = v

        j = 0
        for p in self.petals:
            inner = [[new() for _ in range(r.inner)] for r in p.routes]
            end = new()
            for r, nodes in zip(p.routes, inner):
                seq = [j, *nodes, end]
                edges.extend(zip(seq[:-1], seq[1:]))
                for pos, b in r.dead:
                    dead_end(seq[pos], b)
            for b in p.dead:
                dead_end(j, b)
            j = end
        for b in self.end:
            dead_end(j, b)
        return np.array(edges, dtype=np.int64).reshape(-1, 2), j

    def graph(self) -> SearchGraph:
        """The component as a :class:`SearchGraph`: source 0, target the last junction, no other target.

        Example
        -------
        >>> g = lmt_flower(2).graph()
        >>> g.num_nodes, g.distance
        (21, 6)
        """
        e, t = self._build()
        return SearchGraph.from_edges(e, self.num_nodes, 0, t)


def lmt_flower(petals: int, short: int = 3, long: int = 5, dead: int = 3) -> Flower:
    """The flower of "Let Me Think!": every petal routes of ``short`` and ``long`` edges, a dead end of ``dead`` at ``J_i``.

    Example
    -------
    >>> lmt_flower(1)
    Flower(petals=(Petal(routes=(Route(length=3, dead=()), Route(length=5, dead=())), dead=(3,)),), end=())
    """
    d = check_int("petals", petals, 1, where="lmt_flower", error=ChainParameterError)
    s = check_int("short", short, 1, where="lmt_flower", error=ChainParameterError)
    l_ = check_int("long", long, s + 1, where=f"lmt_flower (long > short = {s})", error=ChainParameterError)
    b = check_int("dead", dead, 0, where="lmt_flower", error=ChainParameterError)
    return Flower(tuple(Petal((Route(s), Route(l_)), (b,) if b else ()) for _ in range(d)))


def flower_of(graph: SearchGraph) -> Flower:
    """Read the flower structure off the source's component of ``graph`` (canonical form).

    The junctions are where a shortest s-t path changes biconnected component; each such
    component must be a cycle through two consecutive junctions (a petal), and every other edge
    must lie on a dead end: a path hanging off one node of a petal.

    Raises
    ------
    ChainParameterError
        If the component is not a flower, naming what was found.

    Notes
    -----
    O(N + E) (networkx's biconnected components).

    Example
    -------
    >>> from serialcomp.problems import get_problem
    >>> from serialcomp.chains.graph import graphs_of
    >>> g = graphs_of(get_problem("reach:flower").sample(31, 1, seed=0, layout="lmt"))[0]
    >>> flower_of(g) == lmt_flower(3)
    True
    """
    import networkx as nx

    dist = graph.distances()
    comp = np.flatnonzero(dist >= 0)
    G = graph.to_networkx().subgraph(comp.tolist())
    s, t = graph.source, graph.target
    path = nx.shortest_path(G, s, t)
    block: dict[frozenset, int] = {}
    blocks = list(nx.biconnected_component_edges(G))
    for b, es in enumerate(blocks):
        for u, v in es:
            block[frozenset((u, v))] = b
    junctions, cycles = [s], []
    for u, v in zip(path[:-1], path[1:]):
        b = block[frozenset((u, v))]
        if not cycles or cycles[-1] != b:
            if cycles:
                junctions.append(u)
            cycles.append(b)
    junctions.append(t)
    on_cycle: set[int] = set()
    petals_routes = []
    for i, b in enumerate(cycles):
        es = blocks[b]
        nodes = {x for e in es for x in e}
        if len(es) != len(nodes) or len(nodes) < 3:
            raise ChainParameterError(f"not a flower: the component between junctions {junctions[i]} and "
                                      f"{junctions[i + 1]} has {len(nodes)} nodes and {len(es)} edges, not a cycle")
        C = nx.Graph(list(es))
        if any(deg != 2 for _, deg in C.degree()):
            raise ChainParameterError(f"not a flower: petal {i} is not a cycle")
        a, z = junctions[i], junctions[i + 1]
        routes = []
        for first in sorted(C.neighbors(a)):
            seq = [a, first]
            while seq[-1] != z:
                nxt = [w for w in C.neighbors(seq[-1]) if w != seq[-2]]
                seq.append(nxt[0])
                if seq[-1] == a:
                    raise ChainParameterError(f"not a flower: junction {z} is not on petal {i}'s cycle")
            routes.append(seq)
        on_cycle.update(nodes)
        petals_routes.append(routes)
    # dead ends: components of the rest, each a path hanging off one node of a petal
    rest = nx.Graph()
    rest.add_edges_from((u, v) for u, v in G.edges() if block[frozenset((u, v))] not in set(cycles))
    dead_at: dict[int, list[int]] = {}
    for part in nx.connected_components(rest):
        anchors = [v for v in part if v in on_cycle]
        H = rest.subgraph(part)
        if len(anchors) != 1 or not nx.is_tree(H) or any(deg > 2 for _, deg in H.degree()) or H.degree(anchors[0]) != 1:
            raise ChainParameterError(f"not a flower: the edges off the petals at {sorted(anchors)[:3]} are not a dead-end "
                                      "path hanging off one node")
        dead_at.setdefault(anchors[0], []).append(H.number_of_edges())
    petals = []
    for i, routes in enumerate(petals_routes):
        rs = tuple(Route(len(seq) - 1, tuple((k, b) for k, v in enumerate(seq[1:-1], 1) for b in dead_at.get(v, ())))
                   for seq in routes)
        petals.append(Petal(rs, tuple(dead_at.get(junctions[i], ()))))
    f = Flower(tuple(petals), tuple(dead_at.get(t, ()))).canonical()
    if f.num_nodes != len(comp):
        raise ChainParameterError(f"not a flower: the structure holds {f.num_nodes} nodes, the component {len(comp)}")
    return f
