"""The sudoku family ``propagate``: exact on propagation-solvable puzzles, halting after ``rating`` steps."""

from __future__ import annotations

import numpy as np
import pytest

from serialcomp.measure.accuracy import accuracy
from serialcomp.measure.profile import depth_profile
from serialcomp.problems import get_problem
from serialcomp.testing.sudoku import naive_sudoku_rating

def test_declared_family():
    fams = get_problem("sudoku").families()
    assert [(f.name, f.kind, f.exact, f.halt) for f in fams] == [("propagate", "recurrent", True, True)]
    assert fams[0] is get_problem("sudoku").family("propagate")
    assert [get_problem("sudoku").family("propagate").n_steps(n) for n in (1, 5)] == [2, 6]
    assert [get_problem("sudoku").family("propagate").claimed(n) for n in (1, 5)] == [6, 18]


@pytest.mark.parametrize("n", [1, 2, 3, 5, 8])
def test_accuracy_and_steps_equal_rating(n):
    fam, prob = get_problem("sudoku").family("propagate"), get_problem("sudoku")
    inst = prob.sample(n, 6, seed=n)
    ratings = [naive_sudoku_rating(p) for p in inst.inputs["puzzle"]]
    assert ratings == [n] * 6 == inst.meta["rating"].tolist()
    res = accuracy(fam, prob, n, instances=inst)
    assert res.accuracy == 1.0
    # n + 1 steps run: the lane's state stops changing after step n, so it reports n steps
    assert res.steps.tolist() == ratings and res.halted.all()
    assert fam.serial_depth(n) == fam.claimed(n) == 3 * (n + 1)


def test_rating_band_and_too_few_rounds():
    fam, prob = get_problem("sudoku").family("propagate"), get_problem("sudoku")
    inst = prob.sample(2, 8, seed=7, rating_max=6)
    ratings = [naive_sudoku_rating(p) for p in inst.inputs["puzzle"]]
    assert ratings == inst.meta["rating"].tolist() and max(ratings) > 2
    res = accuracy(fam, prob, 2, instances=inst, rounds=6)
    assert res.accuracy == 1.0 and res.steps.tolist() == ratings and res.halted.all()
    few = accuracy(fam, prob, 2, instances=inst, rounds=1)  # 2 steps: only the rating <= 2 lanes finish
    assert few.correct.tolist() == [r <= 2 for r in ratings]
    assert few.halted.tolist() == [r <= 1 for r in ratings]


def test_depth_profile_is_linear():
    prof = depth_profile(get_problem("sudoku").family("propagate"), [1, 2, 4, 8, 16])
    assert prof.agrees and prof.fit.growth == "n"
    assert prof.table["depth"].tolist() == [3] * 5
    assert np.array_equal(prof.table["serial_depth"], 3 * (prof.table["n"] + 1))
