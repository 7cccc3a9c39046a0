"""LoopedCircuit: unroll depth equals serial depth; run equals the unrolled circuit; halting."""

import numpy as np
import pytest
from hypothesis import given, settings, strategies as st

from serialcomp.errors import CircuitStructureError, SimulationInputError
from serialcomp.ir import CircuitBuilder
from serialcomp.ir.looped import LoopedCircuit
from serialcomp.testing.reference import evaluate_reference
from serialcomp.testing.strategies import circuits


@st.composite
def looped_circuits(draw, mode=None):
    step = draw(circuits(min_inputs=1, max_inputs=6, max_gates=14, max_outputs=5))
    n_state = draw(st.integers(0, min(step.n_inputs, step.n_outputs)))
    init = draw(st.lists(st.integers(0, 1), min_size=n_state, max_size=n_state))
    return LoopedCircuit(step, n_state, init, mode=mode or draw(st.sampled_from(["stream", "loop"])))


@settings(max_examples=60, deadline=None)
@given(looped_circuits(), st.integers(1, 6), st.sampled_from([None, 2]))
def test_unroll_depth_equals_serial_depth(lc, steps, fanin):
    """Theorem: depth(unroll(T)) == serial_depth(T) for every T, under each depth convention."""
    assert lc.unroll(steps).depth(fanin=fanin) == lc.serial_depth(steps, fanin=fanin)
    assert lc.serial_depth(steps) <= steps * max(1, lc.step.depth())


@settings(max_examples=40, deadline=None)
@given(looped_circuits(mode="stream"), st.integers(1, 5), st.integers(0, 2**31))
def test_stream_run_equals_unrolled_reference(lc, steps, seed):
    """Theorem: simulating T steps equals the naive evaluation of unroll(T)."""
    rng = np.random.default_rng(seed)
    x = rng.random((70, steps, lc.n_x)) < 0.5
    got = lc.run(x)
    ref = evaluate_reference(lc.unroll(steps), x.reshape(70, -1))
    assert np.array_equal(got.outputs.reshape(70, -1), ref)


@settings(max_examples=40, deadline=None)
@given(looped_circuits(mode="loop"), st.integers(1, 5), st.integers(0, 2**31))
def test_loop_run_equals_unrolled_reference(lc, steps, seed):
    rng = np.random.default_rng(seed)
    x = rng.random((65, lc.n_x)) < 0.5
    got = lc.run(x, steps=steps)
    assert np.array_equal(got.outputs, evaluate_reference(lc.unroll(steps), x))


def _counter(width):
    """Loop mode: state counts up (saturating) to the input value x; a fixed point at state == x."""
    b = CircuitBuilder()
    s = b.input_bus("s", width)
    x = b.input_bus("x", width)
    # less = [s < x] by a ripple comparator from the LSB
    less = 0
    for k in range(width):
        lt_k = b.and_(s[k] ^ 1, x[k])
        eq_k = b.xor(s[k], x[k]) ^ 1
        less = b.or_(lt_k, b.and_(eq_k, less))
    carry = less
    nxt = []
    for k in range(width):  # s + less
        nxt.append(b.xor(s[k], carry))
        carry = b.and_(s[k], carry)
    for k, l in enumerate(nxt):
        b.output(l, f"s'[{k}]")
    return LoopedCircuit(b.build(), n_state=width, mode="loop")


def test_fixed_point_halting_reports_steps_per_lane():
    lc = _counter(4)
    values = np.arange(16)
    x = ((values[:, None] >> np.arange(4)) & 1).astype(bool)
    r = lc.run(x, steps=20, halt=True)
    assert r.steps.tolist() == values.tolist()
    assert r.halted.all()
    assert np.array_equal(r.state, x)
    short = lc.run(x, steps=5, halt=True)
    assert short.halted.tolist() == (values < 5).tolist()
    assert np.array_equal(short.steps, np.minimum(values, 5))


@pytest.mark.parametrize("batch", [1, 5, 63, 64, 65, 130])
def test_halting_stops_once_every_real_lane_is_done(batch):
    """Padding lanes of a partial last word never hold the loop open: the run stops at the step
    where the slowest real lane reaches its fixed point, whatever the batch size."""
    lc = _counter(4)
    values = np.arange(batch) % 8  # every lane is done after at most 7 steps
    x = ((values[:, None] >> np.arange(4)) & 1).astype(bool)
    sim = lc._step_sim()
    calls = []
    real_run = sim.run

    class Counting:
        def run(self, words):
            calls.append(1)
            return real_run(words)

    lc._compiled = Counting()
    r = lc.run(x, steps=10_000, halt=True)
    assert r.halted.all() and r.steps.tolist() == values.tolist()
    assert len(calls) == values.max() + 1  # the last call is the one that sees the fixed point


def test_readout_and_errors():
    b = CircuitBuilder(); s = b.input("s"); x = b.input("x"); b.output(b.or_(s, x), "s'")
    step = b.build()
    b = CircuitBuilder(); s = b.input("s"); b.output(s ^ 1, "not_s")
    lc = LoopedCircuit(step, 1, mode="loop", readout=b.build())
    r = lc.run(np.array([[0], [1]], bool), steps=3)
    assert r.outputs[:, 0].tolist() == [True, False]
    assert lc.unroll(3).output_names == ("not_s",)
    with pytest.raises(CircuitStructureError, match="mode"):
        LoopedCircuit(step, 1, mode="recurrent")
    with pytest.raises(CircuitStructureError, match="n_state"):
        LoopedCircuit(step, 2)
    with pytest.raises(CircuitStructureError, match="init"):
        LoopedCircuit(step, 1, init=[2])
    with pytest.raises(SimulationInputError, match="shape"):
        lc.run(np.zeros((3, 2), bool), steps=2)
    with pytest.raises(SimulationInputError, match="steps="):
        lc.run(np.zeros((3, 1), bool))
    with pytest.raises(CircuitStructureError, match="positive integer"):
        lc.unroll(0)
