"""TorchLoopedCircuit against the Numba looped runner (LoopedCircuit.run): stream and loop modes,
readouts, per-lane halting, batches that are not a multiple of 64, lanes that never halt."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

torch = pytest.importorskip("torch")

from serialcomp.errors import SimulationInputError  # noqa: E402
from serialcomp.ir import CircuitBuilder, LoopedCircuit  # noqa: E402
from serialcomp.testing.strategies import circuits  # noqa: E402
from serialcomp.torch import MODES, TorchLoopedCircuit, compile_torch  # noqa: E402


@st.composite
def looped(draw, mode):
    step = draw(circuits(min_inputs=1, max_inputs=6, max_gates=16, max_outputs=5, max_fanin=5, max_modulus=5))
    n_state = draw(st.integers(0, min(step.n_inputs, step.n_outputs)))
    init = [draw(st.integers(0, 1)) for _ in range(n_state)]
    readout = None
    if mode == "loop" and n_state and draw(st.booleans()):
        readout = draw(circuits(min_inputs=n_state, max_inputs=n_state, max_gates=6, max_outputs=3))
    return LoopedCircuit(step, n_state=n_state, init=init, mode=mode, readout=readout)


def _same(run_numba, run_torch):
    got = run_torch.numpy()
    for name, a, b in zip(("outputs", "state", "steps", "halted"),
                          (run_numba.outputs, run_numba.state, run_numba.steps, run_numba.halted), got):
        assert a.shape == b.shape and np.array_equal(a, b), name


@settings(max_examples=60)
@given(looped("stream"), st.integers(0, 130), st.integers(1, 6), st.integers(0, 2**32))
def test_stream_mode_matches_numba(device, lc, batch, T, seed):
    """For every stream-mode looped circuit and input sequence, both torch modes give the outputs
    and final state of the Numba runner."""
    x = np.random.default_rng(seed).random((batch, T, lc.n_x)) < 0.5
    want = lc.run(x)
    for mode in MODES:
        _same(want, compile_torch(lc, mode=mode, device=device)(torch.from_numpy(x)))


@settings(max_examples=60)
@given(looped("loop"), st.integers(0, 130), st.integers(1, 9), st.booleans(), st.integers(0, 2**32))
def test_loop_mode_with_and_without_halting_matches_numba(device, lc, batch, steps, halt, seed):
    """For every loop-mode looped circuit, both torch modes give the Numba runner's outputs, final
    state, steps used per lane and halting flags, with and without fixed-point halting."""
    x = np.random.default_rng(seed).random((batch, lc.n_x)) < 0.5
    want = lc.run(x, steps=steps, halt=halt)
    for mode in MODES:
        _same(want, compile_torch(lc, mode=mode, device=device)(torch.from_numpy(x), steps=steps, halt=halt))


def _counter():
    """A 3-bit saturating counter that counts up to the input: lane x halts after exactly x steps."""
    b = CircuitBuilder()
    s = b.input_bus("s", 3)
    x = b.input_bus("x", 3)
    less = 0
    for k in range(3):
        less = b.or_(b.and_(s[k] ^ 1, x[k]), b.and_(b.xor(s[k], x[k]) ^ 1, less))
    carry = less
    for k in range(3):
        b.output(b.xor(s[k], carry), f"s'{k}")
        carry = b.and_(s[k], carry)
    return LoopedCircuit(b.build(), n_state=3, mode="loop")


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("batch", [1, 63, 64, 65, 130])
def test_halting_reports_the_steps_each_lane_used(mode, batch, device):
    lc = _counter()
    values = np.arange(batch) % 8
    x = ((values[:, None] >> np.arange(3)) & 1).astype(bool)
    run = compile_torch(lc, mode=mode, device=device)(torch.from_numpy(x), steps=20, halt=True)
    assert run.steps.tolist() == values.tolist()  # the counter needs x steps to reach x
    assert bool(run.halted.all())
    # four steps: a lane is seen at its fixed point at step x (0-based), so lanes x >= 4 never halt
    short = compile_torch(lc, mode=mode, device=device)(torch.from_numpy(x), steps=4, halt=True)
    assert short.halted.tolist() == (values < 4).tolist()
    assert short.steps.tolist() == np.where(values < 4, values, 4).tolist()
    _same(lc.run(x, steps=4, halt=True), short)


def test_errors_name_the_mode_and_shape(device):
    m = compile_torch(_counter(), device=device)
    assert isinstance(m, TorchLoopedCircuit)
    with pytest.raises(SimulationInputError, match="steps="):
        m(torch.zeros((2, 3), dtype=torch.bool))
    with pytest.raises(SimulationInputError, match=r"shape \(batch, 3\)"):
        m(torch.zeros((2, 4), dtype=torch.bool), steps=2)
