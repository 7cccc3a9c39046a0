"""Verilog export: Yosys parses it, and Yosys's own synthesis of it computes our function."""

import re
import subprocess

import numpy as np
import pytest
from hypothesis import given, settings

from serialcomp.errors import CircuitStructureError
from serialcomp.io import dumps_verilog, read_aiger, write_verilog
from serialcomp.ir import CircuitBuilder
from serialcomp.ir.looped import LoopedCircuit
from serialcomp.testing.strategies import circuits

from iohelpers import YOSYS, needs_yosys, same_function_by_name

pytestmark = pytest.mark.tools


def _every_kind():
    b = CircuitBuilder()
    xs = b.input_bus("x", 5)
    kw = b.input("input")  # a keyword as a port name
    g = [
        b.and_(xs[0], xs[1] ^ 1), b.or_(*xs), b.xor(xs[0], xs[2], kw), b.maj(*xs), b.mod(xs, 3),
        b.thr(xs + [kw], [7, -3, 2, 2, -1, 5], 4), b.thr([xs[0]], [-2], -1), b.thr([], [], 1), b.buf(xs[4] ^ 1),
        b.and_(), b.or_(), b.mod([], 2),
    ]
    for k, l in enumerate(g):
        b.output(l ^ (k % 2), f"o{k}")
    b.output(1, "one")
    b.output(xs[0], "x[0]")  # an output named like an input: renamed in Verilog
    return b.build()


def _yosys(script: str) -> str:
    r = subprocess.run([YOSYS, "-p", script], capture_output=True, text=True, timeout=120)
    assert r.returncode == 0, r.stdout[-3000:] + r.stderr[-3000:]
    return r.stdout


@needs_yosys
def test_yosys_parses_every_gate_kind(tmp_path):
    path = tmp_path / "every.v"
    write_verilog(_every_kind(), path, module_name="every")
    out = _yosys(f"read_verilog {path}; hierarchy -auto-top; proc; opt; stat")
    assert "=== every ===" in out and re.search(r"Number of cells:\s+\d+", out)


@needs_yosys
def test_yosys_synthesis_computes_our_function(tmp_path):
    """An independent oracle: Yosys synthesises the Verilog to an AIG; we read and simulate it."""
    c = _every_kind()
    write_verilog(c, tmp_path / "every.v", module_name="every")
    _yosys(f"read_verilog {tmp_path / 'every.v'}; synth -flatten -top every; aigmap; opt_clean; "
           f"write_aiger -symbols {tmp_path / 'every.aig'}")
    back = read_aiger(tmp_path / "every.aig")
    assert same_function_by_name(back, c.rename(outputs={"x[0]": "x[0]_1"}), batch=256)


@needs_yosys
@settings(max_examples=15, deadline=None)
@given(circuits(max_inputs=6, max_gates=10, max_weight=9))
def test_yosys_agrees_on_random_circuits(tmp_path_factory, c):
    """Theorem: Yosys's synthesis of our Verilog computes the circuit's function (ports matched by name)."""
    d = tmp_path_factory.mktemp("v")
    write_verilog(c, d / "c.v")
    _yosys(f"read_verilog {d / 'c.v'}; synth -flatten -top top; aigmap; opt_clean; write_aiger -ascii -symbols {d / 'c.aag'}")
    assert same_function_by_name(read_aiger(d / "c.aag"), c)


@needs_yosys
def test_looped_circuit_gets_registers(tmp_path):
    b = CircuitBuilder(); s, x = b.input("s"), b.input("x")
    p = b.xor(s, x); b.output(p, "s_next"); b.output(p, "parity")
    lc = LoopedCircuit(b.build(), 1, init=[1])
    text = dumps_verilog(lc)
    assert "reg s = 1'b1;" in text and "always @(posedge clk)" in text and "s <= n3;" in text
    (tmp_path / "acc.v").write_text(text)
    out = _yosys(f"read_verilog {tmp_path / 'acc.v'}; hierarchy -auto-top; proc; opt; stat")
    assert "$dff" in out or "$_DFF" in out
    with pytest.raises(CircuitStructureError, match="stream-mode"):
        dumps_verilog(LoopedCircuit(b.build(), 1, mode="loop"))


def test_widths_hold_the_largest_sum():
    b = CircuitBuilder(); xs = b.inputs(3)
    b.output(b.thr(xs, [1000, -1000, 24], 25))
    text = dumps_verilog(b.build())
    # Weights become 1000, 1000, 24 (sum 2024: 11 bits) with the threshold raised to 1025.
    assert "11'd1000" in text and ">= 11'd1025" in text and "~i1" in text
    assert np.all([len(line) < 400 for line in text.splitlines()])
