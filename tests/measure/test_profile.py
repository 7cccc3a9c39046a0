"""Depth profiles measure what the families build and compare with the claim."""

import numpy as np
import pytest
import sympy

from serialcomp.errors import ProblemParameterError
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


@pytest.mark.parametrize("ns", [[2.5, 4, 8], [0, 2, 4], [-2, 4], ["4"], [True, 4], []])
def test_bad_sizes_are_rejected(ns):
    fam = CircuitFamily("xor_tree", "parity", "log", _xor_tree, sympy.ceiling(sympy.log(N, 2)))
    with pytest.raises(ProblemParameterError, match="ns"):
        depth_profile(fam, ns)


def test_integral_floats_and_numpy_sizes_are_accepted():
    fam = CircuitFamily("xor_tree", "parity", "log", _xor_tree, sympy.ceiling(sympy.log(N, 2)))
    assert depth_profile(fam, np.array([2, 4, 8])).table["n"].tolist() == [2, 4, 8]
    assert depth_profile(fam, [2.0, 4.0]).table["n"].tolist() == [2, 4]


def test_to_markdown_is_public_and_matches_repr():
    fam = CircuitFamily("xor_tree", "parity", "log", _xor_tree, sympy.ceiling(sympy.log(N, 2)))
    p = depth_profile(fam, [2, 4, 8])
    md = p.to_markdown()
    assert md.startswith("**parity / xor_tree** (log,") and "fitted log n" in md and "serial_depth" in md
    assert p._repr_markdown_() == md


def test_to_markdown_writes_the_claim_with_format_depth():
    """The heading shows the claim as format_depth writes it (ceil(log2 n), min, (n >= 2)), never
    sympy's raw Piecewise / ceiling / Min."""
    from serialcomp.measure import format_depth
    from serialcomp.problems import get_problem

    fixed3 = next(f for f in get_problem("word:Z5").families() if f.name == "fixed3")
    md = depth_profile(fixed3, [2, 4, 8]).to_markdown()
    head = md.splitlines()[0]
    assert head == "**word:Z5 / fixed3** (bounded, claimed 4*min(3, ceil(log2 n)) + 3 (n >= 2), fitted log n)"
    assert format_depth(fixed3.claimed_depth) in head
    assert not any(s in md for s in ("Piecewise", "ceiling", "Min(", "log(2)"))
