"""LoopedCircuit as an IR object: frozen, value semantics, unroll depth equals serial depth, no simulator import."""

import copy
import pickle
import subprocess
import sys

import numpy as np
import pytest
from hypothesis import given, settings, strategies as st

from serialcomp.errors import CircuitStructureError
from serialcomp.ir import CircuitBuilder, LoopedCircuit
from serialcomp.testing.strategies import looped_circuits


@settings(max_examples=60, deadline=None)
@given(looped_circuits(), st.integers(1, 6), st.sampled_from([None, 2]))
def test_unroll_depth_equals_serial_depth(lc, steps, fanin):
    """Theorem: depth(unroll(T)) == serial_depth(T) for every T, under each depth convention,
    and serial_depth(T) <= T * max(1, depth(step)) (+ the readout's depth)."""
    assert lc.unroll(steps).depth(fanin=fanin) == lc.serial_depth(steps, fanin=fanin)
    readout = lc.readout.depth() if lc.readout is not None else 0
    assert lc.serial_depth(steps) <= steps * max(1, lc.step.depth()) + readout


def _toggle():
    b = CircuitBuilder(); s, x = b.input("s"), b.input("x"); b.output(b.xor(s, x), "s'"); b.output(s, "y")
    return b.build()


def test_frozen_hashable_pickles_and_equal_by_value():
    lc = LoopedCircuit(_toggle(), 1, init=[1], mode="stream")
    with pytest.raises(AttributeError, match="frozen"):
        lc.n_state = 2
    with pytest.raises(AttributeError, match="frozen"):
        del lc.mode
    twin = LoopedCircuit(_toggle(), 1, init=[1], mode="stream")
    assert twin == lc and hash(twin) == hash(lc) and twin is not lc
    assert LoopedCircuit(_toggle(), 1, init=[0], mode="stream") != lc
    for d in (pickle.loads(pickle.dumps(lc)), copy.copy(lc), copy.deepcopy(lc)):
        assert d == lc and d.init == (1,) and d.mode == "stream"
    assert not hasattr(lc, "__dict__")  # nothing to cache a compiled program in


def test_names_shape_and_errors():
    step = _toggle()
    lc = LoopedCircuit(step, np.int64(1), mode="loop", x_names=["u"], state_names=["q"])
    assert lc.state_names == ("q",) and lc.x_names == ("u",) and lc.next_names == ("s'",)
    assert (lc.n_x, lc.n_y, lc.output_names, lc.n_outputs) == (1, 1, ("y",), 1)
    with pytest.raises(CircuitStructureError, match="mode"):
        LoopedCircuit(step, 1, mode="recurrent")
    with pytest.raises(CircuitStructureError, match="n_state"):
        LoopedCircuit(step, 3)
    with pytest.raises(CircuitStructureError, match="n_state .*must be an integer, got 1.5"):
        LoopedCircuit(step, 1.5)
    with pytest.raises(CircuitStructureError, match="n_state .*must be an integer, got the bool"):
        LoopedCircuit(step, True)
    with pytest.raises(CircuitStructureError, match="init"):
        LoopedCircuit(step, 1, init=[2])
    b = CircuitBuilder(); b.output(b.input("s") ^ 1, "r")
    with pytest.raises(CircuitStructureError, match="loop mode only"):
        LoopedCircuit(step, 1, mode="stream", readout=b.build())
    with pytest.raises(CircuitStructureError, match="positive|>= 1"):
        LoopedCircuit(step, 1).unroll(0)
    with pytest.raises(CircuitStructureError, match="steps must be an integer"):
        LoopedCircuit(step, 1).serial_depth(2.5)


def test_ir_does_not_import_the_simulator():
    """Importing serialcomp.ir (and every ir module) leaves serialcomp.sim unimported: no ir <-> sim cycle."""
    code = ("import sys, serialcomp.ir, serialcomp.ir.looped, serialcomp.ir.compose, serialcomp.ir.family, "
            "serialcomp.ir.aig, serialcomp.ir.depth; "
            "print(sorted(m for m in sys.modules if m.startswith('serialcomp.sim')))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"
    # and the lazy delegate still works, importing the simulator on first use
    code = ("import sys, numpy as np; from serialcomp.ir.looped import LoopRun, LoopedCircuit; "
            "print(LoopRun.__module__, 'serialcomp.sim.looped' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.split() == ["serialcomp.sim.looped", "True"]
