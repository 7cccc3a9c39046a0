"""Circuit families of the counting baselines (parity, majority): exact on sampled instances, depth equal
to (or within) the claim."""

from __future__ import annotations

import pytest

from serialcomp.ir.looped import LoopedCircuit
from serialcomp.measure.profile import depth_profile
from serialcomp.problems import get_problem
from serialcomp.testing.problems import check_family

NS = {"parity": (1, 2, 3, 5, 8, 13, 64), "majority": (1, 2, 3, 5, 8, 13, 64)}

EXPECTED = {
    ("parity", "xor_tree"): ("log", True, "log n"),
    ("parity", "threshold2"): ("constant", True, "1"),
    ("parity", "stream"): ("recurrent", True, "n"),
    ("majority", "maj_gate"): ("constant", True, "1"),
    ("majority", "adder_tree"): ("log", False, "log n"),
}

#: sizes for the growth fit
# wide enough that log n is told apart from its neighbours after integer rounding (the fit says
# "undetermined" on 4..64, honestly)
PROFILE_NS = {"parity": (4, 8, 16, 32, 64, 128, 256, 512, 1024), "majority": (4, 8, 16, 32, 64, 128, 256)}


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
    assert [get_problem("parity").family("xor_tree").serial_depth(n) for n in (1, 2, 3, 4, 5, 64, 65)] == [0, 1, 2, 2, 3, 6, 7]
    assert get_problem("majority").family("maj_gate").serial_depth(100) == 1


def test_gate_classes():
    """Threshold families are TC0 circuits; trees use fan-in-2 gates only."""
    assert get_problem("parity").family("threshold2")(9).gate_set()["kinds"] == ["THR"]
    assert get_problem("majority").family("adder_tree")(9).gate_set()["bounded_fanin"]
    assert get_problem("parity").family("xor_tree")(9).gate_set()["bounded_fanin"]


def test_stream_parity_unrolls_to_its_serial_depth():
    fam = get_problem("parity").family("stream")
    loop = fam(9)
    assert isinstance(loop, LoopedCircuit) and loop.mode == "stream"
    assert loop.unroll(fam.n_steps(9)).depth() == fam.serial_depth(9) == fam.claimed(9)
    assert fam.encode(get_problem("parity").sample(5, 3, seed=0)).shape == (3, 5, 1)
