"""Elementary cellular automata: bit-sliced evolution vs. a plain loop, the rule 90 shortcut,
encodings, determinism and parameter errors."""

import numpy as np
import pytest
import sympy
from hypothesis import given, settings
from hypothesis import strategies as st

from serialcomp.errors import ProblemParameterError
from serialcomp.problems import N_SYMBOL, get_problem, list_problems
from serialcomp.problems.ca import (
    CellularAutomatonProblem, ca_history, ca_run, ca_step, rule90_coefficients, rule90_shortcut, rule_table,
)
from serialcomp.testing.problems import naive_ca_run

KEYS = ["ca:rule110", "ca:rule30", "ca:rule90"]


rows = st.integers(1, 70).flatmap(lambda w: st.lists(st.integers(0, 1), min_size=w, max_size=w))


@settings(max_examples=60, deadline=None)
@given(rows, st.integers(0, 255), st.integers(0, 40))
def test_run_matches_naive(row, rule, t):
    assert ca_run(np.array(row), rule, t).tolist() == naive_ca_run(row, rule, t)


@settings(max_examples=40, deadline=None)
@given(rows, st.integers(0, 300))
def test_rule90_shortcut(row, t):
    assert rule90_shortcut(np.array(row), t).tolist() == naive_ca_run(row, 90, t)


def test_rule90_pascal_mod_2():
    # on a ring wider than the light cone, the coefficients are binom(t, k) mod 2 at offset 2k - t
    w, t = 101, 37
    c = rule90_coefficients(w, t)
    want = np.zeros(w, bool)
    for k in range(t + 1):
        want[(2 * k - t) % w] ^= bool(sympy.binomial(t, k) % 2)
    assert (c == want).all()


def test_batch_is_rowwise():
    rng = np.random.default_rng(0)
    for count in (1, 63, 64, 65, 200):
        a = rng.integers(0, 2, (count, 17))
        out = ca_run(a, 110, 9)
        assert out.shape == a.shape and out.dtype == np.uint8
        assert out[count // 2].tolist() == naive_ca_run(a[count // 2], 110, 9)
    assert (ca_step(a, 30) == ca_run(a, 30, 1)).all()


def test_tables_and_history():
    assert rule_table(30).tolist() == [0, 1, 1, 1, 1, 0, 0, 0]
    h = ca_history([0, 0, 0, 1, 0, 0, 0], 30, 3)
    assert h.shape == (4, 7)
    assert [naive_ca_run([0, 0, 0, 1, 0, 0, 0], 30, s) for s in range(4)] == h.tolist()


@pytest.mark.parametrize("key", KEYS)
def test_problem_targets(key):
    p = get_problem(key)
    assert key in list_problems() and p.knob == "t"
    for n, t in ((7, 3), (9, None), (16, 0), (33, 50)):
        params = {} if t is None else {"t": t}
        inst = p.sample(n, 5, seed=1, **params)
        tt = n if t is None else t
        assert inst.params["t"] == tt
        for i in range(5):
            row = inst.inputs["row"][i]
            final = naive_ca_run(row, p.rule, tt)
            assert inst.targets["final"][i].tolist() == final
            assert inst.targets["target"][i] == final[n // 2] == p.solve(inst.get_inputs(i), t=tt)


@pytest.mark.parametrize("key", KEYS)
def test_encodings_and_records(key):
    p = get_problem(key)
    inst = p.sample(12, 4, seed=3, t=7)
    bits = p.encode_bits(inst)
    assert bits.shape == (4, 12) and bits.dtype == bool
    assert (p.decode_bits(bits, 12)["row"] == inst.inputs["row"]).all()
    tok = p.encode_tokens(inst)
    assert tok.max() < len(p.vocab(12))
    assert (p.decode_tokens(tok, 12)["row"] == inst.inputs["row"]).all()
    assert p.target_bits(inst).shape == (4, 1)
    rec = next(inst.records())
    assert rec["row"] == inst.inputs["row"][0].astype(int).tolist() and rec["target"] in (0, 1)
    for bad in (np.zeros((4, 11)), np.full((4, 12), 2)):
        with pytest.raises(ProblemParameterError):
            p.decode_bits(bad, 12)
        with pytest.raises(ProblemParameterError):
            p.decode_tokens(bad, 12)


@pytest.mark.parametrize("key", KEYS)
def test_determinism_and_sharding(key):
    p = get_problem(key)
    a = p.sample(20, 70, seed=5)
    b = p.sample(20, 3, seed=5, start=66)
    assert (a.inputs["row"][66:69] == b.inputs["row"]).all()
    assert (a.targets["final"][66:69] == b.targets["final"]).all()
    assert (p.sample(20, 70, seed=5).inputs["row"] == a.inputs["row"]).all()


def test_facts():
    f90, f110 = get_problem("ca:rule90").facts, get_problem("ca:rule110").facts
    assert f90.upper == 1 and f90.proven
    # light-cone DNFs of k = Theta(log n) steps: O(n / log n); only the trivial lower bound is proven
    assert f110.complexity_class == "P-complete" and f110.upper == N_SYMBOL / sympy.log(N_SYMBOL) and f110.proven
    assert [b.shown for b in f110.bounds if b.status == "conjectured"] == ["not polylog"]
    assert any("Neary" in r for r in f110.references)


@pytest.mark.parametrize("n, params", [(0, {}), (-1, {}), (5, {"t": -1}), (5, {"t": 1.5}), (5, {"rule": 3})])
def test_bad_parameters(n, params):
    with pytest.raises(ProblemParameterError):
        get_problem("ca:rule30").sample(n, 2, seed=0, **params)


def test_bad_function_inputs():
    with pytest.raises(ProblemParameterError):
        ca_run([0, 1, 2], 30, 1)
    with pytest.raises(ProblemParameterError):
        ca_run([0, 1, 1], 256, 1)
    with pytest.raises(ProblemParameterError):
        ca_run([0, 1, 1], 30, -2)
    with pytest.raises(ProblemParameterError):
        CellularAutomatonProblem(-1)


@pytest.mark.parametrize("key,n,t", [("ca:rule90", 64, None), ("ca:rule90", 8, 4), ("ca:rule90", 1, 1),
                                     ("ca:rule110", 5, None), ("ca:rule30", 3, None)])
def test_sizes_with_one_label_are_refused(key, n, t):
    """Rule 90 on a ring of width 2^k dies out after 2^(k-1) steps (checked here by the naive loop
    on every row for small widths), and small rings whose centre cell is constant are refused."""
    p = get_problem(key)
    tt = n if t is None else t
    if n <= 10:
        assert len({naive_ca_run([(r >> j) & 1 for j in range(n)], p.rule, tt)[n // 2] for r in range(2**n)}) == 1
    with pytest.raises(ProblemParameterError, match="every target is the same"):
        p.sample(n, 4, seed=0, **({} if t is None else {"t": t}))


def test_rule90_power_of_two_below_half_and_other_widths_are_fine():
    p = get_problem("ca:rule90")
    for n, t in ((64, 31), (63, 63), (12, 12)):
        inst = p.sample(n, 256, seed=1, t=t)
        assert 0 < inst.targets["target"].mean() < 1, (n, t)


# ---------------------------------------------------------------------------------------------
# the rule 90 closed form at large t, and the bounds of the stepped rules
# ---------------------------------------------------------------------------------------------

def _reduce_steps(w, t):
    """A small t' with the same rule 90 map on width w as t (for t beyond any stepping).

    The map is multiplication by (z + 1/z)^t mod z^w - 1 over GF(2); the powers of that element
    are eventually periodic, so stepping ``prefix + (t - prefix) mod period`` times is exact once
    prefix and period are found by stepping the unit row (plain loop, cycle detection).
    """
    seen, state, s = {}, None, 0
    unit = [1] + [0] * (w - 1)
    state = tuple(unit)
    while state not in seen:
        seen[state] = s
        state = tuple(naive_ca_run(list(state), 90, 1))
        s += 1
    prefix, period = seen[state], s - seen[state]
    return t if t < prefix else prefix + (t - prefix) % period


@pytest.mark.parametrize("w", [1, 2, 3, 5, 7, 8, 9, 12, 16, 17, 31, 33])
def test_rule90_shortcut_against_stepping_many_t(w):
    """rule90_shortcut equals stepping for every t up to 3w, and for huge t (up to 2^62) through the
    eventually periodic powers of the linear map, found by the plain loop."""
    rng = np.random.default_rng(w)
    rows = rng.integers(0, 2, (5, w))
    for t in range(0, 3 * w + 2):
        want = [naive_ca_run(r, 90, t) for r in rows]
        assert rule90_shortcut(rows, t).tolist() == want, (w, t)
        assert ca_run(rows, 90, t).tolist() == want
    for t in (10**3, 12345, 10**6 + 7, 2**40 + 3, 2**62 - 1):
        t2 = _reduce_steps(w, t)
        assert rule90_shortcut(rows, t).tolist() == [naive_ca_run(r, 90, t2) for r in rows], (w, t)


def test_rule90_sampling_uses_the_closed_form(bounded):
    """The issue's case: t = 10^8 on width 15 used to step for > 30 s; now it is immediate, and the
    targets agree with stepping the reduced number of steps and with the reference solver."""
    p = get_problem("ca:rule90")
    with bounded(seconds=10):
        inst = p.sample(15, 64, seed=0, t=10**8)
    t2 = _reduce_steps(15, 10**8)
    for i in range(64):
        row = inst.inputs["row"][i]
        assert inst.targets["final"][i].tolist() == naive_ca_run(row, 90, t2)
    assert [inst.solve(i) for i in range(4)] == inst.targets["target"][:4].tolist()
    with bounded(seconds=10):
        big = p.sample(101, 8, seed=1, t=2**63 - 1)
    assert big.targets["final"].shape == (8, 101)


@pytest.mark.parametrize("key", ["ca:rule110", "ca:rule30"])
def test_stepped_rules_refuse_huge_t_fast(key, bounded):
    """Rules without a shortcut refuse t > MAX_STEPS and t * n > MAX_CELL_STEPS up front, naming the bound."""
    from serialcomp.problems.ca import MAX_CELL_STEPS, MAX_STEPS

    p = get_problem(key)
    with bounded(seconds=5):
        with pytest.raises(ProblemParameterError, match=f"MAX_STEPS={MAX_STEPS}"):
            p.sample(15, 1, seed=0, t=10**8)
        with pytest.raises(ProblemParameterError, match=f"MAX_CELL_STEPS={MAX_CELL_STEPS}"):
            p.sample(1000, 1, seed=0, t=MAX_STEPS)
        with pytest.raises(ProblemParameterError, match="MAX_STEPS"):
            p.solve({"row": np.zeros(15, bool)}, t=MAX_STEPS + 1)
        with pytest.raises(ProblemParameterError, match=r"t for ca:rule90 must be in \[0, 9223372036854775807\]"):
            get_problem("ca:rule90").sample(15, 1, seed=0, t=2**63)


@pytest.mark.parametrize("rule", [30, 110, 54])
def test_constant_check_for_any_t(rule):
    """The constant-answer check on small rings (successor table raised to the power t) matches the
    plain loop, also for t past the rings' transients."""
    from serialcomp.problems.ca.rules import _centre_after

    for w in (1, 3, 4, 6):
        for t in (0, 1, 5, 37, 300):
            want = [naive_ca_run([(r >> j) & 1 for j in range(w)], rule, t)[w // 2] for r in range(2**w)]
            assert _centre_after(rule, w, t).tolist() == want, (w, t)
