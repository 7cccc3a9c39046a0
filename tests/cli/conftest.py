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
