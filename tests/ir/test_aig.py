"""to_aig(): the lowering to 2-input ANDs preserves the function of every gate kind."""

import numpy as np
import pytest
from hypothesis import given, settings, strategies as st

from serialcomp.ir import CircuitBuilder, GateKind
from serialcomp.ir.aig import AigBuilder, is_aig, to_aig
from serialcomp.testing.patterns import all_patterns
from serialcomp.testing.reference import evaluate_reference
from serialcomp.testing.strategies import circuits


@settings(max_examples=80, deadline=None)
@given(circuits(max_inputs=6, max_gates=12, max_fanin=7, max_weight=9, max_modulus=6))
def test_to_aig_preserves_function(c):
    """Theorem: to_aig(c) computes the same function as c (checked exhaustively on <= 6 inputs)."""
    a = to_aig(c)
    assert is_aig(a) or a.n_gates == 0
    assert a.input_names == c.input_names and a.output_names == c.output_names
    pats = all_patterns(c.n_inputs)
    assert np.array_equal(evaluate_reference(a, pats), evaluate_reference(c, pats))


@pytest.mark.parametrize("f", [1, 2, 3, 7, 8, 13])
def test_single_gate_lowering_exhaustive_and_depth(f):
    pats = all_patterns(f)
    for kind, kw in [("AND", {}), ("OR", {}), ("XOR", {}), ("MAJ", {}), ("MOD", {"param": 3}),
                     ("THR", {"weights": list(range(-2, f - 2)), "param": 2})]:
        b = CircuitBuilder(); xs = b.inputs(f)
        b.output(b.gate(kind, xs, **kw))
        c = b.build()
        a = c.to_aig()
        assert np.array_equal(evaluate_reference(a, pats), evaluate_reference(c, pats)), kind
        if kind in ("AND", "OR") and f > 1:
            assert a.depth() == int(np.ceil(np.log2(f))) and a.n_gates == f - 1
        if kind == "XOR" and f > 1:
            assert a.depth() == 2 * int(np.ceil(np.log2(f)))


def test_strash_and_constant_folding():
    b = AigBuilder(2)
    x, y = b.input_lit(0), b.input_lit(1)
    assert b.and2(x, 0) == 0 and b.and2(x, 1) == x and b.and2(x, x) == x and b.and2(x, x ^ 1) == 0
    g = b.and2(x, y)
    assert b.and2(y, x) == g and b.n_ands == 1


def test_aig_passes_through_unchanged():
    b = CircuitBuilder(); x, y = b.inputs(2); b.output(b.and_(x, y ^ 1))
    c = b.build()
    assert to_aig(c) is c


@settings(max_examples=40, deadline=None)
@given(st.lists(st.integers(-40, 40), min_size=1, max_size=6), st.integers(-100, 100))
def test_threshold_lowering_large_weights(w, t):
    """Theorem: THR lowering is exact for any integer weights and threshold."""
    b = CircuitBuilder(); xs = b.inputs(len(w)); b.output(b.thr(xs, w, t))
    c = b.build()
    pats = all_patterns(len(w))
    expect = (pats.astype(int) @ np.array(w) >= t)[:, None]
    assert np.array_equal(evaluate_reference(c.to_aig(), pats), expect)


@settings(max_examples=60, deadline=None)
@given(circuits(max_gates=25))
def test_prune_keeps_function_and_depth_and_drops_only_dead_gates(c):
    """Theorem: pruning keeps outputs, function and depth, and leaves no gate outside every output cone."""
    p = c.prune()
    assert (p.n_inputs, p.n_outputs, p.depth()) == (c.n_inputs, c.n_outputs, c.depth())
    x = np.random.default_rng(1).random((64, c.n_inputs)) < 0.5
    assert np.array_equal(evaluate_reference(p, x), evaluate_reference(c, x))
    live = set()
    stack = [int(o) >> 1 for o in c.outputs]
    while stack:
        v = stack.pop()
        if v not in live:
            live.add(v)
            stack.extend(int(l) >> 1 for l in c.fanins(v))
    assert p.n_gates == sum(1 for v in live if c.kind[v] >= GateKind.AND)


@pytest.mark.parametrize(
    "kind, f, ands, levels",
    [("maj", 3, 8, 3), ("maj", 15, 88, 17), ("maj", 63, 456, 31), ("maj", 255, 1976, 41),
     ("thr", 15, 161, 22), ("thr", 63, 803, 35), ("mod3", 15, 107, 23), ("mod3", 63, 527, 39)],
)
def test_to_aig_cost_table_in_the_docstring(kind, f, ands, levels):
    """The AND counts and levels that to_aig's Notes state for one gate, and its function."""
    b = CircuitBuilder()
    xs = b.inputs(f)
    w = [(i % 7) + 1 for i in range(f)]
    if kind == "maj":
        b.output(b.maj(*xs))
    elif kind == "thr":
        b.output(b.thr(xs, w, sum(w) // 2))
    else:
        b.output(b.mod(xs, 3))
    c = b.build()
    a = to_aig(c)
    assert (a.n_gates, a.depth()) == (ands, levels)
    pats = np.random.default_rng(f).random((512, f)) < 0.5
    assert np.array_equal(evaluate_reference(a, pats), evaluate_reference(c, pats))
