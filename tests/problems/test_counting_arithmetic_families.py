"""Circuit families of the TC0 baselines: exact on sampled instances, depth equal to (or within) the claim."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from serialcomp.ir.looped import LoopedCircuit
from serialcomp.measure.accuracy import accuracy
from serialcomp.measure.profile import depth_profile
from serialcomp.problems import get_problem

NS = {
    "parity": (1, 2, 3, 5, 8, 13, 64),
    "majority": (1, 2, 3, 5, 8, 13, 64),
    "add": (1, 2, 3, 5, 8, 13, 64),
    "iadd": (1, 2, 3, 5, 8, 13),
}

EXPECTED = {
    ("parity", "xor_tree"): ("log", True, "log n"),
    ("parity", "threshold2"): ("constant", True, "1"),
    ("parity", "stream"): ("recurrent", True, "n"),
    ("majority", "maj_gate"): ("constant", True, "1"),
    ("majority", "adder_tree"): ("log", False, "log n"),
    ("add", "carry_lookahead"): ("constant", True, "1"),
    ("add", "ripple"): ("recurrent", True, "n"),
    ("iadd", "threshold"): ("constant", True, "1"),
    ("iadd", "adder_tree"): ("log", False, "log n"),
}

#: sizes for the growth fit (a constant family's depth is only constant from n = 3 on for add).
PROFILE_NS = {"parity": (4, 8, 16, 32, 64), "majority": (4, 8, 16, 32, 64), "add": (4, 8, 16, 32, 64),
              "iadd": (2, 4, 6, 8, 12)}

CASES = [(k, name) for k, name in EXPECTED]


def _family(key, name):
    fams = {f.name: f for f in get_problem(key).families()}
    return fams[name]


def test_every_problem_declares_its_families():
    for key in NS:
        fams = get_problem(key).families()
        assert {f.name for f in fams} == {name for k, name in EXPECTED if k == key}
        assert all(f.problem == key for f in fams)
        assert get_problem(key).families()[0] is fams[0]  # built once


@pytest.mark.parametrize("key,name", CASES)
def test_family_is_exact_and_meets_its_claim(key, name):
    fam = _family(key, name)
    kind, exact, _ = EXPECTED[key, name]
    assert (fam.kind, fam.exact) == (kind, exact)
    p = get_problem(key)
    for n in NS[key]:
        res = accuracy(fam, p, n, count=96, seed=n)
        assert res.accuracy == 1.0, (n, res.accuracy)
        d = fam.serial_depth(n)
        assert d == fam.claimed(n) if fam.exact else d <= fam.claimed(n), (n, d, fam.claimed(n))


@pytest.mark.parametrize("key,name", CASES)
def test_profile_growth_class(key, name):
    prof = depth_profile(_family(key, name), PROFILE_NS[key])
    assert prof.agrees
    assert prof.fit.growth == EXPECTED[key, name][2], prof.table


def test_stated_depths():
    assert [_family("add", "carry_lookahead").serial_depth(n) for n in (1, 2, 3, 40)] == [2, 3, 4, 4]
    assert [_family("add", "ripple").serial_depth(n) for n in (1, 7)] == [2, 8]
    assert [_family("parity", "xor_tree").serial_depth(n) for n in (1, 2, 3, 4, 5, 64, 65)] == [0, 1, 2, 2, 3, 6, 7]
    assert _family("majority", "maj_gate").serial_depth(100) == 1
    assert _family("iadd", "threshold").serial_depth(16) == 2


def test_gate_classes():
    """Threshold families are TC0 circuits; adder trees use fan-in-2 gates only; the carry
    look-ahead adder is an AND/OR/XOR circuit (ACC0 gate set)."""
    assert _family("parity", "threshold2")(9).gate_set()["kinds"] == ["THR"]
    assert _family("iadd", "threshold")(5).gate_set()["circuit_class"] == "TC0"
    for key in ("majority", "iadd"):
        assert _family(key, "adder_tree")(9).gate_set()["bounded_fanin"]
    assert _family("parity", "xor_tree")(9).gate_set()["bounded_fanin"]
    cla = _family("add", "carry_lookahead")(9).gate_set()  # addition is in AC0: AND/OR gates only
    assert set(cla["kinds"]) == {"AND", "OR"} and cla["circuit_class"] == "AC0"


@pytest.mark.parametrize("key,name,n", [("parity", "stream", 9), ("add", "ripple", 6)])
def test_looped_families_unroll_to_their_serial_depth(key, name, n):
    fam = _family(key, name)
    loop = fam(n)
    assert isinstance(loop, LoopedCircuit) and loop.mode == "stream"
    steps = fam.n_steps(n)
    assert loop.unroll(steps).depth() == fam.serial_depth(n) == fam.claimed(n)


def test_stream_encodings_have_the_run_shape():
    par, rip = _family("parity", "stream"), _family("add", "ripple")
    assert par.encode(get_problem("parity").sample(5, 3, seed=0)).shape == (3, 5, 1)
    x = rip.encode(get_problem("add").sample(5, 3, seed=0))
    assert x.shape == (3, 6, 2) and not x[:, -1].any()


@settings(max_examples=25, deadline=None)
@given(st.integers(1, 12), st.data())
def test_iadd_theorem(n, data):
    """For every n and n numbers x_r < 2^n, both iadd families output the n + ceil(log2 n) bits of
    sum_r x_r: the threshold family in depth exactly 2, the adder tree within 8 ceil(log2 n)."""
    rows = data.draw(st.lists(st.integers(0, 2**n - 1), min_size=n, max_size=n))
    bits = np.array([[(v >> j) & 1 for v in rows for j in range(n)]], dtype=bool)
    width = n + (n - 1).bit_length()
    for name in ("threshold", "adder_tree"):
        fam = _family("iadd", name)
        out = fam(n).compile().run_bool(bits)[0]
        assert sum(int(b) << j for j, b in enumerate(out)) == sum(rows)
        assert len(out) == width
        assert fam.serial_depth(n) <= fam.claimed(n)
