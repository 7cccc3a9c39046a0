"""Sudoku propagation blocks against a naive Python propagation round, and their depths."""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from serialcomp.problems.sudoku.step import (
    at_most_one, exactly_one, propagation_looped, propagation_step_circuit, sole, sudoku_units,
)
from serialcomp.ir import CircuitBuilder
from serialcomp.problems.sudoku import generate_sudoku
from serialcomp.testing.patterns import all_patterns

ROWS = [[9 * r + c for c in range(9)] for r in range(9)]
COLS = [[9 * r + c for r in range(9)] for c in range(9)]
BOXES = [[9 * (3 * br + r) + 3 * bc + c for r in range(3) for c in range(3)] for br in range(3) for bc in range(3)]
UNITS = ROWS + COLS + BOXES
PEERS = [set().union(*(u for u in UNITS if c in u)) - {c} for c in range(81)]


def naive_round(grid: list[int]) -> list[int]:
    """One round: candidates from the grid, then every naked and hidden single placed at once."""
    cand = {c: set(range(1, 10)) - {grid[p] for p in PEERS[c]} for c in range(81) if grid[c] == 0}
    place = {c: next(iter(m)) for c, m in cand.items() if len(m) == 1}
    for unit in UNITS:
        for v in range(1, 10):
            cells = [c for c in unit if c in cand and v in cand[c]]
            if len(cells) == 1:
                assert place.setdefault(cells[0], v) == v, "contradiction"
    return [place.get(c, d) for c, d in enumerate(grid)]


def _onehot(grids) -> np.ndarray:
    g = np.asarray(grids, np.int64)
    return (g[:, :, None] == np.arange(1, 10)).reshape(len(g), 729)


def _digits(bits: np.ndarray) -> np.ndarray:
    cells = bits.reshape(len(bits), 81, 9)
    assert (cells.sum(axis=2) <= 1).all()
    return (cells * np.arange(1, 10)).sum(axis=2)


def test_units_match_the_definition():
    units, cell_units, peers = sudoku_units()
    assert sorted(map(sorted, units.tolist())) == sorted(map(sorted, UNITS))
    assert [set(p) for p in peers.tolist()] == PEERS
    assert all(c in units[u] for c in range(81) for u in cell_units[c])


def test_counting_helpers_exhaustive():
    for k in range(0, 6):
        b = CircuitBuilder()
        xs = b.inputs(k)
        b.output(at_most_one(b, xs))
        b.output(at_most_one(b, xs, threshold=False))
        b.output(exactly_one(b, xs))
        for i in range(k):
            b.output(sole(b, xs, i))
        c = b.build()
        pats = all_patterns(k)
        for p, row in zip(pats, c.evaluate(pats)):
            s = int(p.sum())
            want = [s <= 1, s <= 1, s == 1] + [bool(p[i]) and s == 1 for i in range(k)]
            assert row.tolist() == want, (k, p)


def _partial_grids(seed: int, count: int) -> list[list[int]]:
    """Random subsets of random solved grids (every placement propagation makes is then forced)."""
    rng = np.random.default_rng(seed)
    out = []
    for i in range(count):
        _, sol, _ = generate_sudoku(1, 3, seed=int(rng.integers(2**31)))
        keep = rng.random(81) < rng.uniform(0.2, 0.8)
        out.append([int(d) if k else 0 for d, k in zip(sol, keep)])
    return out


def test_round_matches_naive_round():
    c = propagation_step_circuit()
    assert c.depth() == 3 and c.n_gates == 6 * 729
    grids = _partial_grids(0, 24)
    empty = np.zeros((len(grids), 729), bool)
    x = _onehot(grids)
    # the round acts on grid OR puzzle: the grid in the state, in the input, or split between them
    split = np.random.default_rng(1).random(x.shape) < 0.5
    for state, puzzle in [(empty, x), (x, empty), (x & split, x & ~split)]:
        out = c.evaluate(np.concatenate([state, puzzle], axis=1))
        assert [list(r) for r in _digits(out)] == [naive_round(g) for g in grids]


@settings(max_examples=20, deadline=None)
@given(st.integers(1, 8), st.integers(0, 2**31 - 1))
def test_loop_state_is_the_grid_after_t_rounds(rating, seed):
    """Theorem: the loop's state after t steps is the grid after t rounds of simultaneous
    naked/hidden-single propagation, so a puzzle of rating r is solved after r steps and step
    r + 1 is the first that changes nothing (the halting step count is r)."""
    puzzle, solution, r = generate_sudoku(rating, rating, seed=seed)
    lc = propagation_looped()
    x = _onehot([puzzle])
    g = [int(d) for d in puzzle]
    for t in range(1, r + 1):
        g = naive_round(g)
        assert _digits(lc.run(x, steps=t).state)[0].tolist() == g
    assert g == solution.tolist()
    run = lc.run(x, steps=r + 3, halt=True)
    assert run.steps.tolist() == [r] and run.halted.all()
    assert _digits(run.outputs)[0].tolist() == solution.tolist()


def test_serial_depth_is_three_per_step():
    lc = propagation_looped()
    assert lc is propagation_looped()  # cached
    assert [lc.serial_depth(t) for t in (1, 2, 5)] == [3, 6, 15]
    assert lc.unroll(2).depth() == 6
