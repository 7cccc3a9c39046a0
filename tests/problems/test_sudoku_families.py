"""The sudoku family ``propagate``: exact on propagation-solvable puzzles, halting after ``rating`` steps."""

from __future__ import annotations

import numpy as np
import pytest

from serialcomp.measure.accuracy import accuracy
from serialcomp.measure.profile import depth_profile
from serialcomp.problems import get_problem

ROWS = [[9 * r + c for c in range(9)] for r in range(9)]
COLS = [[9 * r + c for r in range(9)] for c in range(9)]
BOXES = [[9 * (3 * br + r) + 3 * bc + c for r in range(3) for c in range(3)] for br in range(3) for bc in range(3)]
UNITS = ROWS + COLS + BOXES
PEERS = [set().union(*(u for u in UNITS if c in u)) - {c} for c in range(81)]


def naive_rating(grid) -> int:
    """Rounds of simultaneous naked + hidden singles until the grid is full (-1 if it stalls)."""
    g = [int(d) for d in grid]
    rounds = 0
    while 0 in g:
        cand = {c: set(range(1, 10)) - {g[p] for p in PEERS[c]} for c in range(81) if g[c] == 0}
        place = {c: next(iter(m)) for c, m in cand.items() if len(m) == 1}
        for unit in UNITS:
            for v in range(1, 10):
                cells = [c for c in unit if c in cand and v in cand[c]]
                if len(cells) == 1:
                    place[cells[0]] = v
        if not place:
            return -1
        for c, v in place.items():
            g[c] = v
        rounds += 1
    return rounds


def _fam():
    return get_problem("sudoku").families()[0]


def test_declared_family():
    fams = get_problem("sudoku").families()
    assert [(f.name, f.kind, f.exact, f.halt) for f in fams] == [("propagate", "recurrent", True, True)]
    assert fams[0] is _fam()
    assert [_fam().n_steps(n) for n in (1, 5)] == [2, 6]
    assert [_fam().claimed(n) for n in (1, 5)] == [6, 18]


@pytest.mark.parametrize("n", [1, 2, 3, 5, 8])
def test_accuracy_and_steps_equal_rating(n):
    fam, prob = _fam(), get_problem("sudoku")
    inst = prob.sample(n, 6, seed=n)
    ratings = [naive_rating(p) for p in inst.inputs["puzzle"]]
    assert ratings == [n] * 6 == inst.meta["rating"].tolist()
    res = accuracy(fam, prob, n, instances=inst)
    assert res.accuracy == 1.0
    # n + 1 steps run: the lane's state stops changing after step n, so it reports n steps
    assert res.steps.tolist() == ratings and res.halted.all()
    assert fam.serial_depth(n) == fam.claimed(n) == 3 * (n + 1)


def test_rating_band_and_too_few_rounds():
    fam, prob = _fam(), get_problem("sudoku")
    inst = prob.sample(2, 8, seed=7, rating_max=6)
    ratings = [naive_rating(p) for p in inst.inputs["puzzle"]]
    assert ratings == inst.meta["rating"].tolist() and max(ratings) > 2
    res = accuracy(fam, prob, 2, instances=inst, rounds=6)
    assert res.accuracy == 1.0 and res.steps.tolist() == ratings and res.halted.all()
    few = accuracy(fam, prob, 2, instances=inst, rounds=1)  # 2 steps: only the rating <= 2 lanes finish
    assert few.correct.tolist() == [r <= 2 for r in ratings]
    assert few.halted.tolist() == [r <= 1 for r in ratings]


def test_depth_profile_is_linear():
    prof = depth_profile(_fam(), [1, 2, 4, 8, 16])
    assert prof.agrees and prof.fit.growth == "n"
    assert prof.table["depth"].tolist() == [3] * 5
    assert np.array_equal(prof.table["serial_depth"], 3 * (prof.table["n"] + 1))
