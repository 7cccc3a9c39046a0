"""The universal layered-CVP evaluator (serialcomp.problems.cvp.evaluator) against independent evaluators."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from serialcomp.problems.cvp.evaluator import (
    cvp_gate_value,
    cvp_instance_inputs,
    cvp_layer,
    cvp_layered_circuit,
    cvp_levelwise_looped,
    cvp_width_bits,
)
from serialcomp.ir import CircuitBuilder
from serialcomp.problems import get_problem

CVP = get_problem("cvp")


def _random_instance(rng, count, n, depth, distinct=True):
    """Instances drawn here (not by the problem's sampler), as (x, gate, left, right) and their bits."""
    x = rng.random((count, n)) < 0.5
    gate = rng.integers(0, 4, (count, depth, n))
    left = rng.integers(0, n, (count, depth, n))
    right = (left + 1 + rng.integers(0, max(n - 1, 1), (count, depth, n))) % n if distinct else rng.integers(0, n, (count, depth, n))
    w = cvp_width_bits(n)
    bits = lambda v, k: ((v[..., None] >> np.arange(k)) & 1).astype(bool)  # noqa: E731
    per_gate = np.concatenate([bits(gate, 2), bits(left, w), bits(right, w)], axis=-1)
    return (x, gate, left, right), np.concatenate([x, per_gate.reshape(count, -1)], axis=1)


def _naive_values(x, gate, left, right):
    """Plain-Python evaluation of one instance: the values of every layer, (depth, n).
    Codes 0 AND, 1 OR, 2 XOR, 3 XNOR."""
    ops = {0: lambda a, b: a and b, 1: lambda a, b: a or b, 2: lambda a, b: a != b, 3: lambda a, b: a == b}
    vals, out = list(map(bool, x)), []
    for g_row, l_row, r_row in zip(gate, left, right):
        new = []
        for g, a, b in zip(g_row, l_row, r_row):
            new.append(ops[int(g)](vals[a], vals[b]))
        vals = new
        out.append(new)
    return np.array(out, dtype=bool)


def test_bits_match_the_problem_encoding():
    inst = CVP.sample(5, 4, seed=0, depth=3)
    x = inst.inputs
    _, bits = _random_instance(np.random.default_rng(0), 1, 5, 3)
    assert bits.shape[1] == CVP.encode_bits(inst).shape[1]
    w = cvp_width_bits(5)
    per_gate = np.concatenate([((x[k][..., None] >> np.arange(m)) & 1) for k, m in (("gate", 2), ("left", w), ("right", w))], -1)
    assert np.array_equal(CVP.encode_bits(inst), np.concatenate([x["x"], per_gate.reshape(4, -1)], 1).astype(bool))


@settings(max_examples=40, deadline=None)
@given(n=st.integers(1, 6), seed=st.integers(0, 2**32 - 1), distinct=st.booleans())
def test_one_layer_equals_naive(n, seed, distinct):
    """Theorem: for any layer-1 wiring (operands equal or distinct) and gate codes, cvp_layer's
    P XOR Q XOR (t0 AND t1) equals the gate values computed directly from x."""
    b = CircuitBuilder()
    xs, gates = cvp_instance_inputs(b, n, 1)
    ps, qs = cvp_layer(b, xs, None, gates[0])
    for g in range(n):
        b.output(cvp_gate_value(b, gates[0][g][0], ps[g], qs[g]))
    c = b.build()
    assert c.depth() == 3
    (x, gate, left, right), bits = _random_instance(np.random.default_rng(seed), 16, n, 1, distinct)
    out = c.evaluate(bits)
    for i in range(16):
        assert np.array_equal(out[i], _naive_values(x[i], gate[i], left[i], right[i])[0])


@settings(max_examples=25, deadline=None)
@given(n=st.integers(1, 6), depth=st.integers(1, 6), seed=st.integers(0, 2**32 - 1))
def test_levelwise_and_layered_equal_naive(n, depth, seed):
    """Theorem: on any layered instance of width n and depth D, the looped evaluator (D+1 steps, halting)
    and the layered circuit output gate 0 of layer D; every lane halts after exactly D steps with the
    state holding every gate's P = [2s + t0 + t1 >= 3] and Q = [s + 2 t1 >= 4] (s = a + b, the sum of
    its operands' values) and all ready bits set."""
    lc = cvp_levelwise_looped(n, depth)
    c = cvp_layered_circuit(n, depth)
    (x, gate, left, right), bits = _random_instance(np.random.default_rng(seed), 12, n, depth)
    run = lc.run(bits, steps=depth + 1, halt=True)
    flat = c.evaluate(bits)
    for i in range(12):
        vals = _naive_values(x[i], gate[i], left[i], right[i])
        assert run.outputs[i, 0] == vals[-1, 0] == flat[i, 0]
        P = run.state[i, : n * depth].reshape(depth, n)
        Q = run.state[i, n * depth : 2 * n * depth].reshape(depth, n)
        prev = np.vstack([x[i][None], vals[:-1]]).astype(int)
        s = np.take_along_axis(prev, left[i], 1) + np.take_along_axis(prev, right[i], 1)
        t0, t1 = gate[i] & 1, gate[i] >> 1
        assert np.array_equal(P, 2 * s + t0 + t1 >= 3) and np.array_equal(Q, s + 2 * t1 >= 4)
        assert np.array_equal(P ^ Q ^ (gate[i] == 3), vals)
        assert run.state[i, 2 * n * depth :].all()
    assert run.halted.all() and (run.steps == depth).all()


@pytest.mark.parametrize("n,depth", [(1, 1), (1, 3), (3, 2), (4, 4), (5, 3)])
def test_depths_and_pruned_unroll(n, depth):
    lc = cvp_levelwise_looped(n, depth)
    c = cvp_layered_circuit(n, depth)
    assert lc.step.depth() == 3 and c.depth() == 2 * depth + 1
    assert lc.n_state == 2 * depth * n + depth
    assert c.n_gates == (2 * n + 4 if depth == 1 else n * (2 * n + 2) + (depth - 2) * n * (8 * n + 2) + 8 * n + 4)
    for T in range(1, depth + 3):
        assert lc.serial_depth(T) == 2 * min(T, depth) + 1
    pruned = lc.unroll(depth).prune()
    assert (pruned.n_gates, pruned.depth()) == (c.n_gates, c.depth())
    (_, _, _, _), bits = _random_instance(np.random.default_rng(n * 10 + depth), 20, n, depth)
    assert np.array_equal(pruned.evaluate(bits), c.evaluate(bits))


def test_without_enough_steps_lanes_do_not_halt():
    lc = cvp_levelwise_looped(3, 4)
    _, bits = _random_instance(np.random.default_rng(1), 5, 3, 4)
    run = lc.run(bits, steps=4, halt=True)
    assert not run.halted.any() and (run.steps == 4).all()
