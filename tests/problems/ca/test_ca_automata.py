"""Cellular automaton circuits (serialcomp.problems.ca.automata) against a direct numpy implementation of
the rule table, and their depths."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from serialcomp.problems.ca.automata import (
    ca_looped, ca_step_circuit, ca_step_loaded, ca_unrolled, pascal_offsets, rule90_light_cone, rule_cover,
    rule_step_depth,
)
from serialcomp.errors import CircuitStructureError
from serialcomp.ir import CircuitBuilder
from serialcomp.testing.patterns import all_patterns
from serialcomp.testing.reference import evaluate_reference


def _np_step(rows: np.ndarray, rule: int) -> np.ndarray:
    """The rule table applied directly: index 4*left + 2*centre + right, periodic."""
    table = np.array([(rule >> k) & 1 for k in range(8)], bool)
    x = rows.astype(np.int64)
    return table[4 * np.roll(x, 1, axis=1) + 2 * x + np.roll(x, -1, axis=1)]


def _np_run(rows: np.ndarray, rule: int, t: int) -> np.ndarray:
    for _ in range(t):
        rows = _np_step(rows, rule)
    return rows


def test_rule_cover_is_the_table_with_prime_cubes():
    for rule in range(256):
        cover = rule_cover(rule)
        got = [any(k & m == v for m, v in cover) for k in range(8)]
        assert got == [bool((rule >> k) & 1) for k in range(8)], rule
        on = {k for k in range(8) if (rule >> k) & 1}
        for m, v in cover:  # prime: dropping any literal leaves the on-set
            for bit in (1, 2, 4):
                if m & bit:
                    m2, v2 = m & ~bit, v & ~bit
                    assert not all(k in on for k in range(8) if k & m2 == v2), (rule, m, v)
    assert [len(rule_cover(r)) for r in (30, 90, 110)] == [3, 2, 3]


def test_step_circuit_all_rules_small_widths():
    rows = {w: all_patterns(w) for w in range(1, 6)}
    for rule in range(256):
        for w in range(1, 6):
            c = ca_step_circuit(w, rule)
            assert np.array_equal(c.evaluate(rows[w]), _np_step(rows[w], rule)), (rule, w)
        assert ca_step_circuit(5, rule).depth() == rule_step_depth(rule), rule
    assert [rule_step_depth(r) for r in (30, 90, 110)] == [2, 2, 2]
    # the compiled simulator and the naive reference agree on one circuit
    c = ca_step_circuit(5, 110)
    assert np.array_equal(c.evaluate(rows[5]), evaluate_reference(c, rows[5]))


def test_loaded_step_muxes_for_free():
    rng = np.random.default_rng(0)
    w = 6
    for rule in range(256):
        b = CircuitBuilder()
        f, row, x = b.input("f"), b.input_bus("row", w), b.input_bus("x", w)
        for lit in ca_step_loaded(b, f, row, x, rule):
            b.output(lit)
        c = b.build()
        pat = rng.integers(0, 2, (32, 1 + 2 * w)).astype(bool)
        src = np.where(pat[:, :1], pat[:, 1 : 1 + w], pat[:, 1 + w :])
        assert np.array_equal(c.evaluate(pat), _np_step(src, rule)), rule
        assert c.depth() == (0 if rule in (0, 255) else 2), rule


@pytest.mark.parametrize("rule", [30, 90, 110, 54, 184, 150, 128, 204, 0])
def test_unrolled_and_looped_match_simulation(rule):
    rng = np.random.default_rng(rule)
    for w, t in [(1, 3), (2, 4), (5, 0), (5, 6), (9, 4), (13, 13)]:
        rows = rng.integers(0, 2, (40, w)).astype(bool)
        want = _np_run(rows, rule, t)
        full = ca_unrolled(w, rule, t)
        assert np.array_equal(full.evaluate(rows), want), (w, t)
        assert full.depth() == t * rule_step_depth(rule)
        cell = ca_unrolled(w, rule, t, cell=w // 2)
        assert np.array_equal(cell.evaluate(rows)[:, 0], want[:, w // 2])
        assert cell.depth() == t * rule_step_depth(rule)
        if t >= 1:
            lc = ca_looped(w, rule)
            assert np.array_equal(lc.run(rows, steps=t).outputs, want)
            assert lc.serial_depth(t) == (0 if rule == 0 else 2 * t) == lc.unroll(t).depth()


def test_cone_pruning_keeps_size_linear_in_t():
    c = ca_unrolled(101, 110, 10, cell=50)
    # step s builds 2(10 - s) + 1 cells of 3 ANDs + 1 OR
    assert c.n_gates == 4 * sum(2 * (10 - s) + 1 for s in range(1, 11))


@settings(max_examples=60, deadline=None)
@given(st.integers(1, 40), st.integers(0, 90), st.integers(0, 2**31 - 1))
def test_rule90_light_cone_is_rule90(w, t, seed):
    """Theorem: rule 90 is linear over GF(2), so after t steps on a ring of w cells, cell i is the
    XOR of x[i + 2k - t mod w] over the k with binom(t, k) odd (Lucas: k & t == k), counted mod 2;
    the light cone circuit computes it with one XOR gate per cell (depth exactly 1)."""
    rows = np.random.default_rng(seed).integers(0, 2, (16, w)).astype(bool)
    c = rule90_light_cone(w, t)
    assert np.array_equal(c.evaluate(rows), _np_run(rows, 90, t))
    assert c.depth() == 1
    # the offsets are the support of (z + 1/z)^t mod z^w - 1 over GF(2), computed naively
    coef = np.zeros(w, np.int64)
    coef[0] = 1
    for _ in range(t):
        coef = (np.roll(coef, 1) + np.roll(coef, -1)) % 2
    assert pascal_offsets(w, t).tolist() == np.flatnonzero(coef).tolist()
    one = rule90_light_cone(w, t, cell=w // 2)
    assert one.depth() == 1 and one.n_gates == 1
    assert np.array_equal(one.evaluate(rows)[:, 0], _np_run(rows, 90, t)[:, w // 2])
    thr = rule90_light_cone(w, t, gates="thr")  # the same parities with threshold gates: depth 2, TC0
    assert np.array_equal(thr.evaluate(rows), _np_run(rows, 90, t))
    assert thr.depth() == 2 and set(thr.size()) == {"THR"}


def test_light_cone_degenerate_cases_still_depth_one():
    assert pascal_offsets(16, 16).size == 0  # (z + 1/z)^16 = z^16 + z^-16 = 2 = 0 on a 16-ring
    c = rule90_light_cone(16, 16, cell=8)
    assert c.depth() == 1 and not c.evaluate(np.ones((1, 16), bool)).any()
    assert pascal_offsets(5, 0).tolist() == [0] and rule90_light_cone(5, 0).depth() == 1
    thr = rule90_light_cone(16, 16, cell=8, gates="thr")
    assert thr.depth() == 2 and not thr.evaluate(np.ones((1, 16), bool)).any()
    with pytest.raises(CircuitStructureError, match="gates"):
        rule90_light_cone(5, 5, gates="maj")


def test_errors():
    with pytest.raises(CircuitStructureError):
        rule_cover(256)
    with pytest.raises(CircuitStructureError):
        ca_step_circuit(0, 30)
    with pytest.raises(CircuitStructureError):
        ca_unrolled(5, 30, -1)
    with pytest.raises(CircuitStructureError):
        ca_looped(5, 30, cell=5)
    with pytest.raises(CircuitStructureError):
        pascal_offsets(5, True)
