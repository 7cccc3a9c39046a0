"""sudoku: unique solutions (checked with a SAT solver), ratings recomputed by a naive propagation
loop, encodings, determinism and parameter errors."""

import os
import subprocess
import sys
import textwrap

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pysat.solvers import Minisat22

from serialcomp.errors import ProblemParameterError
from serialcomp.problems import get_problem
from serialcomp.testing.sudoku import naive_sudoku_rating, sudoku_cnf, sudoku_var
from serialcomp.problems.sudoku import (
    CONTRADICTION, MAX_RATING, NEEDS_SEARCH, count_solutions, format_sudoku, generate_sudoku,
    parse_sudoku, rate_sudoku, solve_sudoku,
)

SOLVED = "534678912672195348198342567859761423426853791713924856961537284287419635345286179"


# ---------------------------------------------------------------------------------------------
# independent oracles
# ---------------------------------------------------------------------------------------------

# serialcomp.testing.sudoku: the rating by its definition (Python sets) and the CNF of the rules
CNF = sudoku_cnf()


def sat_unique(puzzle, solution):
    """True iff ``solution`` satisfies ``puzzle`` and no other grid does (SAT check)."""
    with Minisat22(bootstrap_with=CNF) as s:
        for c, d in enumerate(puzzle):
            if d:
                s.add_clause([sudoku_var(c, int(d))])
        lits = [sudoku_var(c, int(d)) for c, d in enumerate(solution)]
        if not s.solve(assumptions=lits):
            return False
        s.add_clause([-lit for lit in lits])
        return not s.solve()


# ---------------------------------------------------------------------------------------------
# generator promises
# ---------------------------------------------------------------------------------------------

@pytest.mark.parametrize("n", [1, 3, 5, 8, 12])
def test_ratings_and_uniqueness(n):
    p = get_problem("sudoku")
    inst = p.sample(n, 4, seed=n)
    for i in range(len(inst)):
        puz, sol = inst.inputs["puzzle"][i], inst.targets["target"][i]
        assert inst.meta["rating"][i] == n == naive_sudoku_rating(puz)
        assert inst.meta["clues"][i] == (puz > 0).sum()
        assert ((puz == 0) | (puz == sol)).all()
        assert sat_unique(puz, sol)
        assert (p.solve(inst.get_inputs(i)) == sol).all()


def test_band_4_6():
    """n is the low end of the band: every record's n is a true lower bound on its rating."""
    inst = get_problem("sudoku").sample(4, 12, seed=2, rating_max=6)
    r = inst.meta["rating"]
    assert ((r >= 4) & (r <= 6)).all() and len(set(r.tolist())) > 1
    assert [naive_sudoku_rating(g) for g in inst.inputs["puzzle"]] == r.tolist()
    assert inst.params["rating_min"] == 4 == inst.n
    assert all(rec["n"] <= rec["rating"] <= 6 for rec in inst.records())
    again = get_problem("sudoku").sample(4, 12, seed=2, rating_min=4, rating_max=6)  # the same request
    assert (again.inputs["puzzle"] == inst.inputs["puzzle"]).all()


def test_band_must_start_at_n():
    """A band whose low end is not n would label records with an n they do not satisfy."""
    with pytest.raises(ProblemParameterError, match="rating_min=4 differs from n=5.*n=4 and rating_max=6"):
        get_problem("sudoku").sample(5, 1, seed=0, rating_min=4, rating_max=6)
    with pytest.raises(ProblemParameterError, match="band"):
        get_problem("sudoku").sample(5, 1, seed=0, rating_max=4)


@pytest.mark.parametrize("params", [{"rating_min": -1, "rating_max": -1}, {"rating_max": -1}])
def test_search_band(params):
    inst = get_problem("sudoku").sample(1, 3, seed=4, **params)
    assert inst.params["rating_min"] == inst.params["rating_max"] == NEEDS_SEARCH
    for puz, sol, r in zip(inst.inputs["puzzle"], inst.targets["target"], inst.meta["rating"]):
        assert r == NEEDS_SEARCH == naive_sudoku_rating(puz)
        assert sat_unique(puz, sol)
        assert count_solutions(puz) == 1


def test_search_band_needs_n_1():
    """Puzzles that need search have no rating: n (the smallest rating) must be 1 for them."""
    with pytest.raises(ProblemParameterError, match="must be 1"):
        get_problem("sudoku").sample(5, 1, seed=0, rating_max=-1)
    with pytest.raises(ProblemParameterError, match="search"):
        get_problem("sudoku").sample(1, 1, seed=0, rating_min=-1, rating_max=3)


def test_generate_sudoku_function():
    puz, sol, r = generate_sudoku(7, 9, seed=11)
    assert 7 <= r <= 9 and naive_sudoku_rating(puz) == r and sat_unique(puz, sol)
    assert format_sudoku(solve_sudoku(puz)) == format_sudoku(sol)


# ---------------------------------------------------------------------------------------------
# rater and solver against the oracles
# ---------------------------------------------------------------------------------------------

@settings(max_examples=60, deadline=None)
@given(st.lists(st.booleans(), min_size=81, max_size=81))
def test_rate_matches_naive_on_blanked_grids(mask):
    g = parse_sudoku(SOLVED)
    g[np.array(mask)] = 0
    assert rate_sudoku(g) == naive_sudoku_rating(g)


@settings(max_examples=80, deadline=None)
@given(st.lists(st.booleans(), min_size=81, max_size=81),
       st.dictionaries(st.integers(0, 80), st.integers(0, 9), max_size=3))
def test_rate_matches_naive_on_corrupted_grids(mask, changes):
    g = parse_sudoku(SOLVED)
    g[np.array(mask)] = 0
    for c, d in changes.items():
        g[c] = d
    assert rate_sudoku(g) == naive_sudoku_rating(g)


def test_rate_and_count_edges():
    g = parse_sudoku(SOLVED)
    assert rate_sudoku(g) == 0 and count_solutions(g) == 1
    bad = g.copy()
    bad[1] = bad[0]
    assert rate_sudoku(bad) == CONTRADICTION and count_solutions(bad) == 0
    assert count_solutions("." * 81, limit=5) == 5
    assert rate_sudoku("." * 81) == NEEDS_SEARCH
    many = np.stack([g, bad, np.zeros(81, np.int8)])
    assert rate_sudoku(many).tolist() == [0, CONTRADICTION, NEEDS_SEARCH]
    with pytest.raises(ProblemParameterError):
        solve_sudoku(bad)


def test_parse_format():
    s = SOLVED[:40] + "." + SOLVED[41:]
    assert format_sudoku(parse_sudoku(s)) == s
    assert (parse_sudoku(s.replace(".", "0")) == parse_sudoku(s)).all()
    for bad in ("1" * 80, "x" * 81):
        with pytest.raises(ProblemParameterError):
            parse_sudoku(bad)
    with pytest.raises(ProblemParameterError):
        rate_sudoku(np.full(81, 10))


# ---------------------------------------------------------------------------------------------
# problem contract
# ---------------------------------------------------------------------------------------------

def test_encodings_round_trip():
    p = get_problem("sudoku")
    inst = p.sample(4, 3, seed=0)
    bits = p.encode_bits(inst)
    assert bits.shape == (3, 729) and bits.dtype == bool
    assert (p.decode_bits(bits, 4)["puzzle"] == inst.inputs["puzzle"]).all()
    tok = p.encode_tokens(inst)
    assert tok.shape == (3, 81) and tok.max() < len(p.vocab(4))
    assert (p.decode_tokens(tok, 4)["puzzle"] == inst.inputs["puzzle"]).all()
    tb = p.target_bits(inst)
    assert tb.shape == (3, 729) and (tb.reshape(3, 81, 9).sum(axis=2) == 1).all()
    rec = next(inst.records())
    assert rec["puzzle"] == format_sudoku(inst.inputs["puzzle"][0]) and len(rec["target"]) == 81
    assert rec["rating"] == 4
    with pytest.raises(ProblemParameterError):
        p.decode_bits(np.ones((1, 729), bool), 4)
    with pytest.raises(ProblemParameterError):
        p.decode_tokens(np.full((1, 81), 10), 4)


def test_determinism_and_sharding():
    p = get_problem("sudoku")
    a = p.sample(6, 5, seed=9)
    b = p.sample(6, 5, seed=9)
    c = p.sample(6, 2, seed=9, start=3)
    assert (a.inputs["puzzle"] == b.inputs["puzzle"]).all()
    assert (a.inputs["puzzle"][3:] == c.inputs["puzzle"]).all()
    assert (a.targets["target"][3:] == c.targets["target"]).all()
    assert not (p.sample(6, 5, seed=10).inputs["puzzle"] == a.inputs["puzzle"]).all()


@pytest.mark.parametrize("n, params", [
    (0, {}), (-3, {}), (40, {}), (5, {"rating_min": 40, "rating_max": 50}),
    (5, {"rating_min": 6, "rating_max": 4}), (5, {"rating_min": -1, "rating_max": 5}),
    (5, {"rating_min": 4, "rating_max": 6}), (5, {"rating_max": -1}), (5, {"rating_max": 4}),
    (5, {"rating_min": 0, "rating_max": 0}), (5, {"max_attempts": 0}), (5, {"bogus": 1}),
])
def test_bad_parameters_fail_fast(n, params, bounded):
    """Impossible or malformed parameters are refused up front, not after a long search."""
    with bounded(seconds=20), pytest.raises(ProblemParameterError):
        get_problem("sudoku").sample(n, 2, seed=0, **params)


def test_unreachable_band_reports_attempts():
    with pytest.raises(ProblemParameterError, match="after 2 attempts"):
        generate_sudoku(MAX_RATING, MAX_RATING, seed=1, max_attempts=2)  # seed 1 misses twice


def test_kernels_as_python():
    """The kernels' logic under NUMBA_DISABLE_JIT=1 gives the same puzzles as the compiled run."""
    script = textwrap.dedent(
        """
        from serialcomp.problems.sudoku import _kernels, count_solutions, format_sudoku, generate_sudoku
        assert not hasattr(_kernels._rate_kernel, "py_func"), "jit was not disabled"
        puz, sol, r = generate_sudoku(3, 3, seed=5)
        print(format_sudoku(puz), format_sudoku(sol), r, count_solutions(puz))
        """
    )
    env = dict(os.environ, NUMBA_DISABLE_JIT="1")
    res = subprocess.run([sys.executable, "-c", script], env=env, capture_output=True, text=True, timeout=120)
    assert res.returncode == 0, res.stderr
    puz, sol, r = generate_sudoku(3, 3, seed=5)
    assert res.stdout.split() == [format_sudoku(puz), format_sudoku(sol), str(r), "1"]
