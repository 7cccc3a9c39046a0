"""networkx export: same nodes, edges, levels and depth as the circuit."""

import networkx as nx
from hypothesis import given, settings

from serialcomp.io import to_networkx
from serialcomp.ir import CircuitBuilder
from serialcomp.ir.looped import LoopedCircuit
from serialcomp.testing.strategies import circuits


@settings(max_examples=60, deadline=None)
@given(circuits(max_inputs=6, max_gates=16))
def test_graph_mirrors_the_circuit(c):
    """Theorem: to_networkx gives an acyclic graph with one node per circuit node, the circuit's levels,
    and every fan-in occurrence (position, negation, weight) on its edges."""
    g = to_networkx(c)
    assert g.number_of_nodes() == c.n_nodes and nx.is_directed_acyclic_graph(g)
    lv = c.levels()
    for v in range(c.n_nodes):
        assert g.nodes[v]["level"] == lv[v]
        occ = sorted((pos, neg, w) for u in g.predecessors(v) for pos, neg, w in g.edges[u, v]["occurrences"])
        lits = c.fanins(v).tolist()
        assert [(p, bool(l & 1), int(w)) for p, (l, w) in enumerate(zip(lits, c.weights(v).tolist()))] == occ
        assert set(g.predecessors(v)) == {l >> 1 for l in lits}
    assert g.graph["depth"] == c.depth()
    # Longest path counting gate nodes (BUF and inputs free) equals the depth.
    gate = {v: int(g.nodes[v]["kind"] not in ("CONST", "INPUT", "BUF")) for v in g}
    best = {}
    for v in nx.topological_sort(g):
        best[v] = gate[v] + max((best[u] for u in g.predecessors(v)), default=0)
    assert max((best[o >> 1] for o in c.outputs.tolist()), default=0) == c.depth()


def test_attributes_names_outputs_and_looped():
    b = CircuitBuilder(); x, y = b.input("x"), b.input("y")
    t = b.gate("THR", [x, y ^ 1, x ^ 1], weights=[2, -1, 3], param=2, name="t")
    b.output(t ^ 1, "nt"); b.output(x, "xo")
    g = to_networkx(b.build())
    assert g.nodes[3] == {"kind": "THR", "name": "t", "level": 1, "param": 2, "outputs": [("nt", True)]}
    assert g.nodes[1]["name"] == "x" and g.nodes[1]["outputs"] == [("xo", False)]
    assert g.edges[1, 3]["occurrences"] == [(0, False, 2), (2, True, 3)]
    assert g.edges[1, 3]["negated"] is False and g.edges[2, 3]["weight"] == -1
    assert g.graph["outputs"] == [("nt", 3, True), ("xo", 1, False)]
    b = CircuitBuilder(); s, z = b.input("s"), b.input("z"); b.output(b.xor(s, z)); b.output(s)
    lg = to_networkx(LoopedCircuit(b.build(), 1, init=[1]))
    assert lg.graph["n_state"] == 1 and lg.graph["init"] == [1] and lg.graph["mode"] == "stream"
