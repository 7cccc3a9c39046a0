"""Arithmetic blocks against Python integer arithmetic, and their stated depths."""

from __future__ import annotations

from functools import lru_cache

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from serialcomp.blocks.arith import (
    carry_lookahead_adder,
    carry_save,
    compare_const,
    full_adder,
    half_adder,
    iterated_sum,
    popcount,
    prefix_adder,
    ripple_adder,
    serial_adder,
    threshold_iterated_sum,
    threshold_sum,
)
from serialcomp.errors import CircuitStructureError
from serialcomp.ir import CircuitBuilder
from serialcomp.testing.patterns import all_patterns, int_patterns
from serialcomp.testing.problems import row_value
from serialcomp.testing.reference import evaluate_reference


def _clog2(n: int) -> int:
    return 0 if n <= 1 else (n - 1).bit_length()


def _adder_circuit(adder, w: int, cin: bool = False):
    b = CircuitBuilder()
    xs, ys = b.input_bus("x", w), b.input_bus("y", w)
    args = (b.input("cin"),) if cin else ()
    for lit in adder(b, xs, ys, *args):
        b.output(lit)
    return b.build()


@lru_cache(maxsize=None)
def _compiled_adder(name: str, w: int):
    adder = {"ripple": ripple_adder, "cla": carry_lookahead_adder, "prefix": prefix_adder}[name]
    c = _adder_circuit(adder, w)
    return c, c.compile()


def _prefix_depth(w: int) -> int:
    d = 1 + 2 * _clog2(w)
    return d - 1 if w >= 3 and ((w - 1) & (w - 2)) == 0 else d


def _stated_depth(name: str, w: int) -> int:
    if name == "ripple":
        return 2 * w - 1
    if name == "cla":
        return {1: 2, 2: 3}.get(w, 4)
    return _prefix_depth(w)


# ------------------------------------------------------------------ one-bit adders
@pytest.mark.parametrize("unbounded", [False, True])
def test_full_adder_exhaustive_and_depth(unbounded):
    b = CircuitBuilder()
    x, y, z = b.inputs(3)
    s, c = full_adder(b, x, y, z, unbounded=unbounded)
    b.output(s); b.output(c)
    circ = b.build()
    pats = all_patterns(3)
    out = evaluate_reference(circ, pats)
    for p, o in zip(pats, out):
        assert int(o[0]) + 2 * int(o[1]) == int(p.sum())
    assert circ.depth() == (1 if unbounded else 3)
    assert circ.gate_set()["bounded_fanin"] is (not unbounded)


def test_half_adder_and_constant_folding():
    b = CircuitBuilder()
    x, y = b.inputs(2)
    s, c = half_adder(b, x, y)
    b.output(s); b.output(c)
    circ = b.build()
    assert circ.depth() == 1 and circ.n_gates == 2
    for p, o in zip(all_patterns(2), evaluate_reference(circ, all_patterns(2))):
        assert int(o[0]) + 2 * int(o[1]) == int(p.sum())
    b2 = CircuitBuilder(); x = b2.input()
    assert half_adder(b2, x, 0) == (x, 0)
    assert half_adder(b2, x, x ^ 1) == (1, 0)
    assert full_adder(b2, x, 0, 0) == (x, 0)
    assert b2.n_nodes == 2  # nothing was built


# ------------------------------------------------------------------ two-operand adders
@pytest.mark.parametrize("name", ["ripple", "cla", "prefix"])
@pytest.mark.parametrize("w", [1, 2, 3, 4])
def test_adders_exhaustive(name, w):
    circ, sim = _compiled_adder(name, w)
    pats = all_patterns(2 * w)
    out = sim.run_bool(pats)
    for p, o in zip(pats, out):
        assert row_value(o) == row_value(p[:w]) + row_value(p[w:])
    assert circ.depth() == _stated_depth(name, w)


@pytest.mark.parametrize("name", ["ripple", "cla", "prefix"])
@pytest.mark.parametrize("w", [5, 8, 9, 17, 33, 40])
def test_adders_random_and_depth(name, w):
    circ, sim = _compiled_adder(name, w)
    rng = np.random.default_rng(w)
    a = rng.integers(0, 2, (300, w)).astype(bool)
    bb = rng.integers(0, 2, (300, w)).astype(bool)
    a[0], bb[0] = True, True  # the longest carry chain
    out = sim.run_bool(np.concatenate([a, bb], axis=1))
    for i in range(300):
        assert row_value(out[i]) == row_value(a[i]) + row_value(bb[i])
    assert circ.depth() == _stated_depth(name, w)
    if name != "cla":
        assert circ.gate_set()["bounded_fanin"]


@pytest.mark.parametrize("w", [1, 2, 5])
def test_ripple_with_carry_in(w):
    circ = _adder_circuit(ripple_adder, w, cin=True)
    pats = all_patterns(2 * w + 1)
    for p, o in zip(pats, circ.evaluate(pats)):
        assert row_value(o) == row_value(p[:w]) + row_value(p[w : 2 * w]) + int(p[2 * w])
    assert circ.depth() == 2 * w + 1


def test_adders_of_unequal_or_no_width():
    b = CircuitBuilder()
    xs, ys = b.input_bus("x", 3), b.input_bus("y", 1)
    for lit in prefix_adder(b, xs, ys) + ripple_adder(b, xs, ys):
        b.output(lit)
    circ = b.build()
    for p, o in zip(all_patterns(4), circ.evaluate(all_patterns(4))):
        assert row_value(o[:4]) == row_value(o[4:]) == row_value(p[:3]) + int(p[3])
    assert prefix_adder(CircuitBuilder(), [], []) == [0]
    assert carry_lookahead_adder(CircuitBuilder(), [], []) == [0]
    with pytest.raises(CircuitStructureError):
        carry_lookahead_adder(b, xs, ys)


@settings(max_examples=60, deadline=None)
@given(st.sampled_from(["ripple", "cla", "prefix"]), st.integers(1, 24), st.data())
def test_adder_theorem(name, w, data):
    """For every width w and all a, b < 2^w, each adder outputs the w + 1 bits of a + b."""
    a = data.draw(st.integers(0, 2**w - 1))
    bv = data.draw(st.integers(0, 2**w - 1))
    _, sim = _compiled_adder(name, w)
    out = sim.run_bool(np.concatenate([int_patterns([a], w), int_patterns([bv], w)], axis=1))[0]
    assert row_value(out) == a + bv


def test_serial_adder_matches_ints_and_unroll():
    add = serial_adder()
    rng = np.random.default_rng(0)
    for w in (1, 3, 10):
        a = rng.integers(0, 2, (100, w)).astype(bool)
        bb = rng.integers(0, 2, (100, w)).astype(bool)
        x = np.concatenate([np.stack([a, bb], axis=2), np.zeros((100, 1, 2), bool)], axis=1)
        out = add.run(x).outputs[:, :, 0]
        assert [row_value(r) for r in out] == [row_value(p) + row_value(q) for p, q in zip(a, bb)]
        assert add.serial_depth(w + 1) == add.unroll(w + 1).depth() == w + 1
    assert add.step_depth() == 1


# ------------------------------------------------------------------ comparison
@pytest.mark.parametrize("w", [1, 2, 3, 5])
def test_compare_const_exhaustive(w):
    b = CircuitBuilder()
    xs = b.input_bus("x", w)
    ks = list(range(-1, 2**w + 2))
    for k in ks:
        b.output(compare_const(b, xs, k))
    circ = b.build()
    pats = all_patterns(w)
    out = circ.evaluate(pats)
    for p, o in zip(pats, out):
        assert o.tolist() == [row_value(p) >= k for k in ks]
    assert circ.depth() <= 2 * _clog2(w)
    assert circ.gate_set()["bounded_fanin"]


@pytest.mark.parametrize("w", [4, 8, 11])
def test_compare_const_depth_bound(w):
    for k in (1, 2**w - 1, 2 ** (w - 1) + 1, 5):
        b = CircuitBuilder()
        xs = b.input_bus("x", w)
        b.output(compare_const(b, xs, k))
        circ = b.build()
        assert circ.depth() <= 2 * _clog2(w)
        vals = np.arange(0, 2**w, max(1, 2**w // 200))
        pats = int_patterns(vals, w)
        assert circ.evaluate(pats)[:, 0].tolist() == [bool(v >= k) for v in vals]


# ------------------------------------------------------------------ many operands
def test_carry_save_keeps_the_sum():
    rng = np.random.default_rng(1)
    widths = [3, 1, 5, 2, 4, 4, 1]
    b = CircuitBuilder()
    nums = [b.input_bus(f"x{r}", w) for r, w in enumerate(widths)]
    ra, rb = carry_save(b, nums)
    assert len(ra) == len(rb)
    for lit in ra + rb:
        b.output(lit)
    circ = b.build()
    pats = rng.integers(0, 2, (300, sum(widths))).astype(bool)
    out = circ.evaluate(pats)
    for p, o in zip(pats, out):
        pos, total = 0, 0
        for w in widths:
            total += row_value(p[pos : pos + w]); pos += w
        assert row_value(o[: len(ra)]) + row_value(o[len(ra) :]) == total
    assert circ.gate_set()["bounded_fanin"]


@pytest.mark.parametrize("n", range(1, 11))
def test_popcount_exhaustive(n):
    b = CircuitBuilder()
    bits = popcount(b, b.inputs(n))
    assert len(bits) == n.bit_length()
    for lit in bits:
        b.output(lit)
    circ = b.build()
    pats = all_patterns(n)
    assert [row_value(o) for o in circ.evaluate(pats)] == pats.sum(axis=1).tolist()
    assert circ.depth() <= 4 * _clog2(n) + 1
    assert circ.gate_set()["bounded_fanin"]


@pytest.mark.parametrize("n", [16, 33, 100, 257])
def test_popcount_random_and_depth_bound(n):
    b = CircuitBuilder()
    for lit in popcount(b, b.inputs(n)):
        b.output(lit)
    circ = b.build()
    pats = np.random.default_rng(n).random((256, n)) < np.linspace(0, 1, 256)[:, None]
    assert [row_value(o) for o in circ.evaluate(pats)] == pats.sum(axis=1).tolist()
    assert circ.depth() <= 4 * _clog2(n) + 1
    assert circ.n_gates < 6 * n


@pytest.mark.parametrize("m,w", [(1, 1), (2, 3), (3, 3), (5, 4), (12, 12)])
@pytest.mark.parametrize("threshold", [False, True])
def test_iterated_sum_random(m, w, threshold):
    f = threshold_iterated_sum if threshold else iterated_sum
    b = CircuitBuilder()
    nums = [b.input_bus(f"x{r}", w) for r in range(m)]
    bits = f(b, nums)
    assert len(bits) == (m * (2**w - 1)).bit_length()
    for lit in bits:
        b.output(lit)
    circ = b.build()
    rng = np.random.default_rng(m * 100 + w)
    pats = rng.integers(0, 2, (200, m * w)).astype(bool)
    pats[0] = True
    out = circ.evaluate(pats)
    for p, o in zip(pats, out):
        assert row_value(o) == sum(row_value(p[r * w : (r + 1) * w]) for r in range(m))
    if threshold:
        assert circ.depth() == 2 and circ.gate_set()["circuit_class"] == "TC0"
    else:
        assert circ.gate_set()["bounded_fanin"]


def test_iterated_sum_truncates_modulo_width():
    b = CircuitBuilder()
    nums = [b.input_bus(f"x{r}", 3) for r in range(3)]
    for lit in iterated_sum(b, nums, 2) + threshold_iterated_sum(b, nums, 2):
        b.output(lit)
    pats = all_patterns(9)[::7]
    for p, o in zip(pats, b.build().evaluate(pats)):
        total = sum(row_value(p[3 * r : 3 * r + 3]) for r in range(3)) % 4
        assert row_value(o[:2]) == row_value(o[2:]) == total


@settings(max_examples=40, deadline=None)
@given(st.lists(st.integers(0, 9), min_size=1, max_size=6), st.data())
def test_threshold_sum_theorem(weights, data):
    """For non-negative integer weights w and bits x, threshold_sum outputs the bits of sum w_i x_i,
    and every non-constant output has depth exactly 2."""
    k = len(weights)
    width = max(1, sum(weights).bit_length())
    b = CircuitBuilder()
    xs = b.inputs(k)
    bits = threshold_sum(b, xs, weights, width)
    for lit in bits:
        b.output(lit)
    circ = b.build()
    pats = all_patterns(k)
    out = evaluate_reference(circ, pats)
    for p, o in zip(pats, out):
        assert row_value(o) == sum(w * int(v) for w, v in zip(weights, p))
    depths = circ.output_depths()
    for lit, d in zip(bits, depths.values()):
        assert d == (0 if lit == 0 else 2)


def test_threshold_sum_rejects_bad_weights():
    b = CircuitBuilder()
    xs = b.inputs(2)
    with pytest.raises(CircuitStructureError):
        threshold_sum(b, xs, [1], 2)
    with pytest.raises(CircuitStructureError, match="weights for threshold_sum must be >= 0, got -1 at position 1"):
        threshold_sum(b, xs, [1, -1], 2)
    with pytest.raises(CircuitStructureError, match="weights for threshold_sum must hold integers, got 1.5"):
        threshold_sum(b, xs, [1, 1.5], 2)  # refused, not truncated to 1
    tables = []
    for weights in ([1, 2.0], [1, 2]):  # an integral float is its int
        c = CircuitBuilder()
        ys = c.inputs(2)
        for lit in threshold_sum(c, ys, weights, 2):
            c.output(lit)
        tables.append(c.build().evaluate(all_patterns(2)).tolist())
    assert tables[0] == tables[1] == [[0, 0], [1, 0], [0, 1], [1, 1]]


def test_compare_const_refuses_a_fractional_constant():
    b = CircuitBuilder()
    xs = b.input_bus("x", 3)
    with pytest.raises(CircuitStructureError, match="k for compare_const must be an integer, got 2.5"):
        compare_const(b, xs, 2.5)  # [x >= 2.5] is [x >= 3]; truncating would build [x >= 2]


def test_threshold_iterated_sum_size_is_practical():
    """n = 16 numbers of 16 bits (the iadd family at n = 16) stays small enough to build fast."""
    b = CircuitBuilder()
    nums = [b.input_bus(f"x{r}", 16) for r in range(16)]
    bits = threshold_iterated_sum(b, nums, 20)
    assert len(bits) == 20
    assert b.n_nodes < 1000
