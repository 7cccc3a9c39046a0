"""networkx export: :func:`to_networkx`.

Example
-------
>>> from serialcomp.ir import CircuitBuilder
>>> b = CircuitBuilder(); x, y = b.input("x"), b.input("y"); b.output(b.and_(x, y ^ 1), "z")
>>> g = to_networkx(b.build())
>>> g.nodes[3]["kind"], g.nodes[3]["level"], g.edges[2, 3]["negated"]
('AND', 1, True)
"""

from __future__ import annotations

from typing import Any

from ..ir.gates import GateKind
from ._common import split_looped

__all__ = ["to_networkx"]


def to_networkx(circuit: Any) -> "nx.DiGraph":
    """The circuit as a directed graph from fan-ins to gates.

    Parameters
    ----------
    circuit : Circuit or LoopedCircuit
        For a LoopedCircuit, its step circuit (graph attributes ``n_state``, ``init``, ``mode``).

    Returns
    -------
    networkx.DiGraph
        One node per circuit node (integer ids, 0 is the constant) with attributes ``kind``
        (gate kind name), ``name`` (input name, ``node_names`` entry, or None), ``level``
        (:meth:`Circuit.levels <serialcomp.ir.circuit.Circuit.levels>`), ``param`` (threshold or
        modulus, 0 elsewhere) and ``outputs`` (names of the outputs it drives, as
        ``(name, negated)`` pairs).  One edge ``u -> v`` per fan-in node, with ``negated`` and
        ``weight`` of its first occurrence, ``position`` (index in ``v``'s fan-in list) and
        ``occurrences``: every ``(position, negated, weight)`` of ``u`` among ``v``'s fan-ins (a
        node may feed a gate twice, e.g. ``x`` and ``~x``; a DiGraph holds one edge).  Graph
        attributes: ``inputs``, ``outputs`` (``(name, node, negated)``), ``depth``.

    Notes
    -----
    O(nodes + edges) Python work; meant for analysis and drawing of small and medium circuits.

    Example
    -------
    >>> import networkx as nx
    >>> from serialcomp.ir import CircuitBuilder
    >>> b = CircuitBuilder(); x, y, z = b.inputs(3); b.output(b.or_(b.and_(x, y), z))
    >>> g = to_networkx(b.build())
    >>> nx.dag_longest_path(g), g.graph["depth"]
    ([1, 4, 5], 2)
    """
    import networkx as nx  # imported here: reading a file should not pay for networkx

    step, L, init, mode, _ = split_looped(circuit)
    c = step
    lv = c.levels().tolist()
    g = nx.DiGraph(
        inputs=list(c.input_names),
        outputs=[(n, int(o) >> 1, bool(o & 1)) for n, o in zip(c.output_names, c.outputs.tolist())],
        depth=c.depth(),
    )
    if mode:
        g.graph.update(n_state=L, init=list(init), mode=mode)
    drives: dict[int, list[tuple[str, bool]]] = {}
    for n, o in zip(c.output_names, c.outputs.tolist()):
        drives.setdefault(o >> 1, []).append((n, bool(o & 1)))
    kinds, prm = c.kind.tolist(), c.param.tolist()
    for v in range(c.n_nodes):
        name = c.input_names[v - 1] if 1 <= v <= c.n_inputs else c.node_names.get(v)
        g.add_node(v, kind=GateKind(kinds[v]).name, name=name, level=lv[v], param=prm[v], outputs=drives.get(v, []))
    ptr, fan, wts = c.fanin_ptr.tolist(), c.fanin.tolist(), c.weight.tolist()
    for v in range(c.n_nodes):
        for pos in range(ptr[v], ptr[v + 1]):
            u, neg, w = fan[pos] >> 1, bool(fan[pos] & 1), wts[pos]
            occ = (pos - ptr[v], neg, w)
            if g.has_edge(u, v):
                g.edges[u, v]["occurrences"].append(occ)
            else:
                g.add_edge(u, v, negated=neg, weight=w, position=pos - ptr[v], occurrences=[occ])
    return g
