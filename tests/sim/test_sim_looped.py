"""The looped-circuit runner: run equals the unrolled circuit; halting; partial words; errors."""

import numpy as np
import pytest
from hypothesis import given, settings, strategies as st

from serialcomp.errors import SimulationInputError
from serialcomp.ir import CircuitBuilder, LoopedCircuit
from serialcomp.sim import CompiledCircuit, LoopedSimulator, LoopRun, simulator_for
from serialcomp.testing.patterns import int_patterns
from serialcomp.testing.reference import evaluate_reference, run_looped_reference
from serialcomp.testing.strategies import looped_circuits


@settings(max_examples=40, deadline=None)
@given(looped_circuits(mode="stream"), st.integers(1, 5), st.sampled_from([1, 63, 70, 128]), st.integers(0, 2**31))
def test_stream_run_equals_unrolled_reference(lc, steps, batch, seed):
    """Theorem: simulating T steps of a stream-mode circuit equals the naive evaluation of unroll(T)
    (batches that fill whole words, and batches that end inside a word)."""
    rng = np.random.default_rng(seed)
    x = rng.random((batch, steps, lc.n_x)) < 0.5
    got = lc.run(x)
    ref = evaluate_reference(lc.unroll(steps), x.reshape(batch, -1))
    assert got.outputs.shape == (batch, steps, lc.n_y)
    assert np.array_equal(got.outputs.reshape(batch, -1), ref)
    assert got.halted.all() and (got.steps == steps).all()


@settings(max_examples=40, deadline=None)
@given(looped_circuits(mode="loop"), st.integers(1, 5), st.sampled_from([1, 65, 128]), st.integers(0, 2**31))
def test_loop_run_equals_unrolled_reference(lc, steps, batch, seed):
    """Theorem: T steps of a loop-mode circuit (readout or last y) equal the naive evaluation of
    unroll(T), and the final state equals the state outputs of unroll(T) made observable."""
    rng = np.random.default_rng(seed)
    x = rng.random((batch, lc.n_x)) < 0.5
    got = lc.run(x, steps=steps)
    assert np.array_equal(got.outputs, evaluate_reference(lc.unroll(steps), x))
    probe = LoopedCircuit(lc.step, lc.n_state, lc.init, "loop", readout=_identity(lc.n_state))
    assert np.array_equal(got.state, evaluate_reference(probe.unroll(steps), x))


def _identity(n):
    b = CircuitBuilder()
    for k, l in enumerate(b.inputs(n)):
        b.output(l, f"state{k}")
    return b.build()


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
    x = int_patterns(values, 4)
    r = lc.run(x, steps=20, halt=True)
    assert r.steps.tolist() == values.tolist()
    assert r.halted.all()
    assert np.array_equal(r.state, x)
    short = lc.run(x, steps=5, halt=True)
    assert short.halted.tolist() == (values < 5).tolist()
    assert np.array_equal(short.steps, np.minimum(values, 5))
    # lanes that never halt: the state keeps changing, every lane reports the whole budget
    b = CircuitBuilder(); s = b.input("s"); b.output(s ^ 1, "s'")
    blink = LoopedCircuit(b.build(), 1, mode="loop").run(np.zeros((70, 0), bool), steps=7, halt=True)
    assert not blink.halted.any() and (blink.steps == 7).all() and blink.state[:, 0].all()


@pytest.mark.parametrize("batch", [1, 5, 63, 64, 65, 130])
def test_halting_stops_once_every_real_lane_is_done(batch, monkeypatch):
    """Padding lanes of a partial last word never hold the loop open: the run stops at the step
    where the slowest real lane reaches its fixed point, whatever the batch size."""
    lc = _counter(4)
    values = np.arange(batch) % 8  # every lane is done after at most 7 steps
    x = int_patterns(values, 4)
    sim = LoopedSimulator(lc)
    calls = []
    real_run = CompiledCircuit.run

    def counting(self, words, out=None):
        calls.append(1)
        return real_run(self, words, out=out)

    monkeypatch.setattr(CompiledCircuit, "run", counting)
    r = sim.run(x, steps=10_000, halt=True)
    assert r.halted.all() and r.steps.tolist() == values.tolist()
    assert len(calls) == values.max() + 1  # the last call is the one that sees the fixed point


def test_readout_and_errors():
    b = CircuitBuilder(); s = b.input("s"); x = b.input("x"); b.output(b.or_(s, x), "s'")
    step = b.build()
    b = CircuitBuilder(); s = b.input("s"); b.output(s ^ 1, "not_s")
    lc = LoopedCircuit(step, 1, mode="loop", readout=b.build())
    r = lc.run(np.array([[0], [1]], bool), steps=3)
    assert isinstance(r, LoopRun) and r.outputs[:, 0].tolist() == [True, False]
    assert lc.run(np.array([[0], [1]]), steps=np.int64(3)).outputs[:, 0].tolist() == [True, False]
    with pytest.raises(SimulationInputError, match="shape"):
        lc.run(np.zeros((3, 2), bool), steps=2)
    with pytest.raises(SimulationInputError, match="steps="):
        lc.run(np.zeros((3, 1), bool))
    with pytest.raises(SimulationInputError, match="steps must be >= 1"):
        lc.run(np.zeros((3, 1), bool), steps=0)
    with pytest.raises(SimulationInputError, match="steps must be an integer"):
        lc.run(np.zeros((3, 1), bool), steps=2.5)
    with pytest.raises(SimulationInputError, match="only 0 and 1"):
        lc.run(np.full((3, 1), 2), steps=2)
    stream = LoopedCircuit(step, 1, mode="stream")
    with pytest.raises(SimulationInputError, match="loop mode only"):
        stream.run(np.zeros((3, 2, 1), bool), halt=True)
    with pytest.raises(SimulationInputError, match="one step per input symbol"):
        stream.run(np.zeros((3, 2, 1), bool), steps=3)
    with pytest.raises(SimulationInputError, match="threads"):
        LoopedSimulator(lc, threads=0)


def test_empty_batch_and_stateless_loop():
    lc = _counter(3)
    r = lc.run(np.zeros((0, 3), bool), steps=4, halt=True)
    assert r.outputs.shape == (0, lc.n_y) and r.state.shape == (0, 3) and r.steps.shape == (0,)
    b = CircuitBuilder(); x = b.input("x"); b.output(x ^ 1, "nx")
    flat = LoopedCircuit(b.build(), 0, mode="loop")
    r = flat.run(np.array([[0], [1]], bool), steps=5, halt=True)
    assert r.outputs[:, 0].tolist() == [True, False] and r.steps.tolist() == [0, 0]


def test_simulators_are_cached_outside_the_frozen_circuit():
    lc = _counter(3)
    assert simulator_for(lc) is simulator_for(lc)
    assert simulator_for(lc, 2) is not simulator_for(lc)
    assert simulator_for(_counter(3)) is simulator_for(lc)  # equal circuits share one
    x = int_patterns(np.arange(8), 3)
    assert np.array_equal(lc.compile(threads=2).run(x, steps=9, halt=True).state, x)


@settings(max_examples=40, deadline=None)
@given(looped_circuits(mode="loop"), st.integers(1, 6), st.sampled_from([1, 64, 100]), st.integers(0, 2**31))
def test_halting_run_equals_the_step_by_step_reference(lc, steps, batch, seed):
    """Theorem: with halting, every lane's outputs, final state, steps used and halted flag equal
    the step-by-step reference (first t with state_{t+1} == state_t), whatever the batch size."""
    x = np.random.default_rng(seed).random((batch, lc.n_x)) < 0.5
    got = lc.run(x, steps=steps, halt=True)
    ref = run_looped_reference(lc, x, steps=steps, halt=True)
    for field in ("outputs", "state", "steps", "halted"):
        assert np.array_equal(getattr(got, field), ref[field]), field
