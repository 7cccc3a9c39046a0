"""Fixtures shared by the command-line tests."""

import pytest

from serialcomp.ir import CircuitBuilder


@pytest.fixture
def small_circuit(tmp_path):
    """A 5-input circuit (MAJ, 3-input XOR, AND with a negated input) written as small.thr."""
    from serialcomp.io import write_circuit

    b = CircuitBuilder(); xs = b.input_bus("x", 5)
    b.output(b.maj(*xs), "maj"); b.output(b.xor(*xs[:3]), "p"); b.output(b.and_(xs[0], xs[4] ^ 1), "a")
    c = b.build()
    path = tmp_path / "small.thr"
    write_circuit(c, path)
    return c, path


@pytest.fixture
def loop_counter_thr(tmp_path):
    """A loop-mode counter: the 3-bit state counts up (saturating) to the input x, so lane x reaches
    its fixed point after exactly x steps."""
    from serialcomp.io import write_circuit
    from serialcomp.ir.looped import LoopedCircuit

    b = CircuitBuilder()
    s = b.input_bus("s", 3)
    x = b.input_bus("x", 3)
    less = 0
    for k in range(3):  # ripple comparator s < x from the LSB
        less = b.or_(b.and_(s[k] ^ 1, x[k]), b.and_(b.xor(s[k], x[k]) ^ 1, less))
    carry = less
    nxt = []
    for k in range(3):
        nxt.append(b.xor(s[k], carry))
        b.output(nxt[-1], f"s'[{k}]")
        carry = b.and_(s[k], carry)
    b.output(nxt[2], "top")  # y: the top bit of the next state
    path = tmp_path / "counter.thr"
    write_circuit(LoopedCircuit(b.build(), n_state=3, mode="loop"), path)
    return path
