"""Depth conventions checked against independent computations (networkx, explicit expansion)."""

import math

import networkx as nx
import numpy as np
import pytest
from hypothesis import given, settings, strategies as st

from serialcomp.errors import SerialcompError
from serialcomp.ir import CircuitBuilder, GateKind
from serialcomp.ir.depth import _levels_reference, node_costs
from serialcomp.testing.strategies import circuits

FAST = settings(max_examples=60, deadline=None)


def _nx_depth(c, cost):
    """Longest path with node costs, by networkx on a graph with a super-source."""
    g = nx.DiGraph()
    g.add_node("src")
    for v in range(c.n_nodes):
        g.add_edge("src", v, w=int(cost[v]))
        for l in c.fanins(v):
            g.add_edge(int(l) >> 1, v, w=int(cost[v]))
    dist = {"src": 0}
    for v in nx.topological_sort(g):
        if v != "src":
            dist[v] = max(dist[u] + g.edges[u, v]["w"] for u in g.predecessors(v))
    return max((dist[int(o) >> 1] for o in c.outputs), default=0)


@FAST
@given(circuits(max_gates=30), st.sampled_from([None, 2, 3, 7]), st.booleans())
def test_depth_equals_networkx_longest_path(c, fanin, inv):
    """Theorem: depth is the longest input-to-output path under the node-cost convention."""
    cost = node_costs(c, fanin=fanin, count_inverters=inv)
    assert c.depth(fanin=fanin, count_inverters=inv) == _nx_depth(c, cost)
    assert c.levels(fanin=fanin, count_inverters=inv).tolist() == _levels_reference(c, cost)


_NEUTRAL = {GateKind.AND: 1, GateKind.OR: 0, GateKind.XOR: 0}  # constant literal x with g(y, x) = y


def _expand_to_fanin2(c):
    """Replace each AND/OR/XOR gate of fan-in f by a complete binary tree of 2-input gates of
    height ceil(log2 f), padding the leaves with the gate's neutral constant, so that every
    fan-in travels through exactly ceil(log2 f) levels (no hashing, no shortcuts)."""
    b = CircuitBuilder()
    m = [0] + b.inputs(c.n_inputs)
    for v, kind, fan in c.iter_gates():
        lits = [m[int(l) >> 1] ^ (int(l) & 1) for l in fan]
        if kind == GateKind.BUF or len(lits) == 1:
            m.append(lits[0])  # a 1-input gate costs no level under fanin=2
            continue
        if not lits:
            m.append(_NEUTRAL[kind])
            continue
        height = math.ceil(math.log2(len(lits)))
        lits += [_NEUTRAL[kind]] * (2**height - len(lits))
        while len(lits) > 1:
            lits = [b.gate(kind, lits[i : i + 2]) for i in range(0, len(lits), 2)]
        m.append(lits[0])
    for o in c.outputs:
        b.output(m[int(o) >> 1] ^ (int(o) & 1))
    return b.build()


@FAST
@given(circuits(max_gates=20, kinds=(GateKind.AND, GateKind.OR, GateKind.XOR), max_fanin=9))
def test_fanin2_depth_is_sum_of_ceil_log2_along_critical_path(c):
    """Theorem: with fanin=2, depth equals the depth of the circuit whose f-input gates are replaced
    by complete binary trees of height ceil(log2 f), and equals the sum of ceil(log2 f) along the
    critical path; the expanded circuit computes the same function."""
    expanded = _expand_to_fanin2(c)
    assert c.depth(fanin=2) == expanded.depth()
    path = c.critical_path(fanin=2)
    along = sum(math.ceil(math.log2(max(1, c.fanin_counts[v]))) for v in path if c.kind[v] >= GateKind.AND)
    assert along == c.depth(fanin=2)
    x = np.random.default_rng(0).random((64, c.n_inputs)) < 0.5
    assert np.array_equal(c.evaluate(x), expanded.evaluate(x))


def test_critical_path_is_a_path_from_a_source():
    b = CircuitBuilder(); x, y, z = b.inputs(3)
    a = b.and_(x, y); o = b.or_(a, z); p = b.xor(o, x)
    b.output(p); b.output(z)
    c = b.build()
    path = c.critical_path()
    assert path[0] in (1, 2) and path[-1] == p >> 1
    for u, v in zip(path, path[1:]):
        assert u in (c.fanins(v) >> 1).tolist()
    assert c.output_depths() == {"o0": 3, "o1": 0}


def test_count_inverters_counts_buf_nodes_only():
    b = CircuitBuilder(); x, y = b.inputs(2)
    b.output(b.buf(b.and_(b.buf(x ^ 1), y ^ 1)))
    c = b.build()
    assert c.depth() == 1 and c.depth(count_inverters=True) == 3


def test_bad_fanin_option():
    b = CircuitBuilder(); b.output(b.input())
    with pytest.raises(SerialcompError, match="fanin for depth must be >= 2"):
        b.build().depth(fanin=1)


def test_no_outputs_depth_zero():
    b = CircuitBuilder(); b.input()
    assert b.build().depth() == 0 and b.build().critical_path() == []
