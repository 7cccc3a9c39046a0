"""Depth profiles measure what the families build and compare with the claim."""

import sympy

from serialcomp.ir import CircuitBuilder
from serialcomp.ir.family import CircuitFamily, N
from serialcomp.ir.looped import LoopedCircuit
from serialcomp.measure.profile import depth_profile


def _xor_tree(n):
    b = CircuitBuilder(); xs = b.inputs(n)
    while len(xs) > 1:
        xs = [b.xor(*xs[i : i + 2]) for i in range(0, len(xs), 2)]
    b.output(xs[0]); return b.build()


def _stream_parity(n):
    b = CircuitBuilder(); s, x = b.input("s"), b.input("x")
    p = b.xor(s, x); b.output(p, "s'"); b.output(p, "y")
    return LoopedCircuit(b.build(), 1, mode="stream")


def test_tree_profile_is_log_and_exact():
    fam = CircuitFamily("xor_tree", "parity", "log", _xor_tree, sympy.ceiling(sympy.log(N, 2)))
    p = depth_profile(fam, [2, 3, 8, 33, 64])
    assert p.table["serial_depth"].tolist() == [1, 2, 3, 6, 6]
    assert p.agrees and p.fit.growth == "log n"


def test_looped_profile_uses_steps_and_serial_depth():
    fam = CircuitFamily("stream", "parity", "recurrent", _stream_parity, N, steps=lambda n: n)
    p = depth_profile(fam, [4, 16, 64])
    assert p.table["depth"].tolist() == [1, 1, 1]
    assert p.table["serial_depth"].tolist() == [4, 16, 64]
    assert p.fit.growth == "n" and p.agrees


def test_wrong_claim_is_reported():
    fam = CircuitFamily("xor_tree", "parity", "constant", _xor_tree, sympy.Integer(1))
    assert not depth_profile(fam, [2, 4, 8]).agrees
