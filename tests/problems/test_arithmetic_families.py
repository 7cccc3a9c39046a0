"""Circuit families of the arithmetic baselines (add, iadd): exact on sampled instances, depth equal to
(or within) the claim."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from serialcomp.ir.looped import LoopedCircuit
from serialcomp.measure.profile import depth_profile
from serialcomp.problems import get_problem
from serialcomp.testing.problems import check_family

NS = {"add": (1, 2, 3, 5, 8, 13, 64), "iadd": (1, 2, 3, 5, 8, 13)}

EXPECTED = {
    ("add", "carry_lookahead"): ("constant", True, "1"),
    ("add", "ripple"): ("recurrent", True, "n"),
    ("iadd", "threshold"): ("constant", True, "1"),
    ("iadd", "adder_tree"): ("log", False, "log n"),
}

#: sizes for the growth fit (add's carry look-ahead is constant only from n = 3 on).
PROFILE_NS = {"add": (4, 8, 16, 32, 64), "iadd": (2, 4, 6, 8, 12)}


def test_every_problem_declares_its_families():
    for key in NS:
        fams = get_problem(key).families()
        assert {f.name for f in fams} == {name for k, name in EXPECTED if k == key}
        assert all(f.problem == key for f in fams)
        assert get_problem(key).families()[0] is fams[0]  # built once


@pytest.mark.parametrize("key,name", list(EXPECTED))
def test_family_is_exact_and_meets_its_claim(key, name):
    fam = get_problem(key).family(name)
    assert (fam.kind, fam.exact) == EXPECTED[key, name][:2]
    check_family(fam, get_problem(key), NS[key])


@pytest.mark.parametrize("key,name", list(EXPECTED))
def test_profile_growth_class(key, name):
    prof = depth_profile(get_problem(key).family(name), PROFILE_NS[key])
    assert prof.agrees
    assert prof.fit.growth == EXPECTED[key, name][2], prof.table


def test_stated_depths():
    assert [get_problem("add").family("carry_lookahead").serial_depth(n) for n in (1, 2, 3, 40)] == [2, 3, 4, 4]
    assert [get_problem("add").family("ripple").serial_depth(n) for n in (1, 7)] == [2, 8]
    assert get_problem("iadd").family("threshold").serial_depth(16) == 2


def test_gate_classes():
    """iadd's threshold family is a TC0 circuit, its adder tree uses fan-in-2 gates only; the carry
    look-ahead adder uses AND/OR gates only (addition is in AC0)."""
    assert get_problem("iadd").family("threshold")(5).gate_set()["circuit_class"] == "TC0"
    assert get_problem("iadd").family("adder_tree")(9).gate_set()["bounded_fanin"]
    cla = get_problem("add").family("carry_lookahead")(9).gate_set()
    assert set(cla["kinds"]) == {"AND", "OR"} and cla["circuit_class"] == "AC0"


def test_ripple_unrolls_to_its_serial_depth_and_pads_the_carry():
    fam = get_problem("add").family("ripple")
    loop = fam(6)
    assert isinstance(loop, LoopedCircuit) and loop.mode == "stream"
    assert loop.unroll(fam.n_steps(6)).depth() == fam.serial_depth(6) == fam.claimed(6)
    x = fam.encode(get_problem("add").sample(5, 3, seed=0))
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
        fam = get_problem("iadd").family(name)
        out = fam(n).compile().run_bool(bits)[0]
        assert sum(int(b) << j for j, b in enumerate(out)) == sum(rows)
        assert len(out) == width
        assert fam.serial_depth(n) <= fam.claimed(n)
