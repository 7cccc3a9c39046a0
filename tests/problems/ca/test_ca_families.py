"""Circuit families of the cellular automata: looped (recurrent), light_cone (rule 90), fixed<d> (bounded),
blocks<k> (k steps per light-cone DNF)."""

from __future__ import annotations

import subprocess
import sys

import pytest

from serialcomp.ir.looped import LoopedCircuit
from serialcomp.measure.accuracy import accuracy
from serialcomp.measure.profile import depth_profile
from serialcomp.problems import get_problem
from serialcomp.problems.ca import fixed_family

KEYS = ["ca:rule110", "ca:rule30", "ca:rule90"]
NS = [1, 2, 3, 7, 12, 31]


def test_declared_families():
    for key in KEYS:
        fams = get_problem(key).families()
        rest = ([("light_cone", "constant", True), ("light_cone_thr", "constant", True)] if key == "ca:rule90"
                else [("fixed8", "bounded", True), ("blocks4", "recurrent", False)])
        assert [(f.name, f.kind, f.exact) for f in fams] == [("looped", "recurrent", True), *rest]
        assert all(f.problem == key for f in fams)
        assert fams[0] is get_problem(key).families()[0]  # declared once (circuits cached per family)
    f = get_problem("ca:rule110").family("fixed8")
    assert f.valid_up_to(**f.params) == 8


def test_families_import_lazily():
    """Looking a problem up imports no circuit construction; building a family does."""
    code = ("import sys, serialcomp.problems as p; p.get_problem('ca:rule110'); p.get_problem('sudoku'); "
            "mods = ('serialcomp.blocks.', 'serialcomp.problems.ca.automata', 'serialcomp.problems.sudoku.step'); "
            "print(sorted(m for m in sys.modules if m.startswith(mods))); "
            "p.get_problem('ca:rule110').family('looped')(5); "
            "print('serialcomp.problems.ca.automata' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.split("\n")[:2] == ["[]", "True"]


@pytest.mark.parametrize("key,name", [(k, "looped") for k in KEYS] + [("ca:rule90", "light_cone"),
                                                                       ("ca:rule90", "light_cone_thr")])
def test_exact_families_accuracy_and_claimed_depth(key, name):
    fam, prob = get_problem(key).family(name), get_problem(key)
    for n in NS:
        assert fam.serial_depth(n) == fam.claimed(n), (key, name, n)
        if n >= 6:  # smaller rings have one label for some rules (refused by the problem)
            assert accuracy(fam, prob, n, count=64, seed=n).accuracy == 1.0, (key, name, n)
    assert [fam.claimed(n) for n in (3, 31)] == {"looped": [6, 62], "light_cone": [1, 1], "light_cone_thr": [2, 2]}[name]
    prof = depth_profile(fam, [3, 7, 15, 31])
    assert prof.agrees
    assert prof.fit.growth == ("n" if name == "looped" else "1")


@pytest.mark.parametrize("key", KEYS)
def test_looped_serial_depth_equals_unrolled_depth(key):
    lc = get_problem(key).family("looped")(6)
    assert isinstance(lc, LoopedCircuit) and lc.mode == "loop" and lc.step_depth() == 2
    assert lc.unroll(6).depth() == lc.serial_depth(6) == 12


@pytest.mark.parametrize("key", ["ca:rule110", "ca:rule30"])
def test_bounded_family_exact_up_to_d_then_fails(key):
    fam, prob = get_problem(key).family("fixed8"), get_problem(key)
    for n in (4, 6, 8):
        assert accuracy(fam, prob, n, count=128, seed=n).accuracy == 1.0, n
        assert fam.serial_depth(n) == fam.claimed(n) == 2 * n
    for n in (12, 16, 24):
        assert accuracy(fam, prob, n, count=256, seed=n).accuracy < 0.9, n
        assert fam.serial_depth(n) == fam.claimed(n) == 16
    assert depth_profile(fam, [2, 4, 8, 16, 32]).agrees


def test_knob_t_as_a_family_parameter():
    """With the problem's knob t held apart from the width n, the families take the same t."""
    prob = get_problem("ca:rule110")
    inst = prob.sample(20, 64, seed=3, t=5)
    for f in prob.families():
        assert accuracy(f, prob, 20, instances=inst, t=5).accuracy == 1.0, f.name
        assert f.serial_depth(20, t=5) == (4 if f.name == "blocks4" else 10)  # blocks of 1 + 4 steps
    fam = fixed_family(110, 3)
    assert accuracy(fam, prob, 20, instances=inst, t=5).accuracy < 1.0
    assert accuracy(fam, prob, 20, instances=prob.sample(20, 32, seed=4, t=3), t=3).accuracy == 1.0
    inst90 = get_problem("ca:rule90").sample(9, 64, seed=5, t=40)
    for f in get_problem("ca:rule90").families():
        assert accuracy(f, "ca:rule90", 9, instances=inst90, t=40).accuracy == 1.0, f.name


@pytest.mark.parametrize("key", ["ca:rule110", "ca:rule30"])
def test_blocks_family_exact_and_a_quarter_of_the_loop(key):
    """Theorem: k steps of a radius-1 automaton are one DNF over the 2k + 1 cells of the light cone,
    so t steps take depth 2 ceil(t / k); the reference solver agrees on sampled rings."""
    fam, prob = get_problem(key).family("blocks4"), get_problem(key)
    for n in (5, 7, 9, 12, 33):
        assert fam.serial_depth(n) == fam.claimed(n) == 2 * -(-n // 4), n
        if n >= 6:
            assert accuracy(fam, prob, n, count=128, seed=n).accuracy == 1.0, n
    for n in (1, 2, 3, 4):  # a cone wider than the ring folds: at most the claim
        assert fam.serial_depth(n) <= fam.claimed(n)
    assert fam.serial_depth(33) < get_problem(key).family("looped").serial_depth(33) // 3
