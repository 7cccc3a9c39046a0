"""Modular arithmetic circuits (serialcomp.problems.timelock.modarith) against Python's integers; depth
bounds of the squaring circuits."""

import numpy as np
import pytest
from hypothesis import given, settings, strategies as st

from serialcomp.errors import CircuitStructureError
from serialcomp.ir import CircuitBuilder
from serialcomp.problems.timelock.modarith import (
    iterated_squaring_looped,
    mod_add,
    mod_double,
    mod_square,
    mod_square_depth,
    subtract_if_not_below,
)
from serialcomp.testing.patterns import int_patterns, pattern_values
from serialcomp.testing.reference import evaluate_reference


def _binary(op, width):
    b = CircuitBuilder()
    x, y, m = b.input_bus("x", width), b.input_bus("y", width), b.input_bus("m", width)
    for lit in op(b, x, y, m):
        b.output(lit)
    return b.build()


@pytest.mark.parametrize("width", [1, 2, 3, 4])
def test_mod_add_double_square_exhaustive(width):
    """For every modulus m < 2^w and all x, y < m: the circuits give (x + y) mod m, 2x mod m, x^2 mod m
    (the naive reference evaluator runs the circuits; Python's integers are the oracle)."""
    rows = [(x, y, m) for m in range(1, 2**width) for x in range(m) for y in range(m)]
    x, y, m = (np.array(c) for c in zip(*rows))
    pats = np.concatenate([int_patterns(x, width), int_patterns(y, width), int_patterns(m, width)], axis=1)
    cases = {
        "add": (lambda b, x, y, m: mod_add(b, x, y, m), (x + y) % m),
        "double": (lambda b, x, y, m: mod_double(b, x, m), (2 * x) % m),
        "square": (lambda b, x, y, m: mod_square(b, x, m), (x * x) % m),
    }
    for name, (op, want) in cases.items():
        c = _binary(op, width)
        assert pattern_values(evaluate_reference(c, pats)).tolist() == want.tolist(), name
        assert pattern_values(c.compile().run_bool(pats)).tolist() == want.tolist(), name


@settings(max_examples=30, deadline=None)
@given(st.integers(5, 16), st.data())
def test_mod_square_random_wide(width, data):
    """x^2 mod m for random m of w bits and x < m, against pow()."""
    m = data.draw(st.lists(st.integers(2, 2**width - 1), min_size=64, max_size=64))
    x = [data.draw(st.integers(0, mi - 1)) for mi in m]
    b = CircuitBuilder()
    xs, ms = b.input_bus("x", width), b.input_bus("m", width)
    for lit in mod_square(b, xs, ms):
        b.output(lit)
    got = pattern_values(b.build().evaluate(np.concatenate([int_patterns(x, width), int_patterns(m, width)], axis=1))).tolist()
    assert got == [pow(xi, 2, mi) for xi, mi in zip(x, m)]


def test_subtract_if_not_below_is_v_mod_m_below_2m():
    w = 3
    b = CircuitBuilder()
    v, m = b.input_bus("v", w + 1), b.input_bus("m", w)
    for lit in subtract_if_not_below(b, v, m):
        b.output(lit)
    c = b.build()
    rows = [(vv, mm) for mm in range(1, 8) for vv in range(2 * mm)]
    pats = np.concatenate([int_patterns([r[0] for r in rows], w + 1), int_patterns([r[1] for r in rows], w)], axis=1)
    assert pattern_values(c.evaluate(pats)).tolist() == [vv % mm for vv, mm in rows]
    with pytest.raises(CircuitStructureError, match="needs 4 bits"):
        subtract_if_not_below(CircuitBuilder(), [0, 0, 0], [0, 0, 0])


@pytest.mark.parametrize("width", range(1, 19))
def test_mod_square_depth_bound_and_tightness(width):
    """Theorem (Notes of mod_square): depth is 16 (w - 1) - 2 or one less (w >= 2); the looped
    step is at most 16 (w - 1) deep (within 1), and t steps have serial depth t times the step's."""
    b = CircuitBuilder()
    x, m = b.input_bus("x", width), b.input_bus("m", width)
    for lit in mod_square(b, x, m):
        b.output(lit)
    d = b.build().depth()
    assert mod_square_depth(width) - 1 <= d <= mod_square_depth(width)
    lc = iterated_squaring_looped(width)
    step = lc.step.depth()
    assert max(1, 16 * (width - 1)) - 1 <= step <= max(3, 16 * (width - 1))
    assert lc.serial_depth(4) == lc.unroll(4).depth() == 4 * step
    assert lc.step.gate_set()["circuit_class"] == "AC0"


@pytest.mark.parametrize("width, steps", [(3, 1), (4, 3), (6, 5), (8, 8)])
def test_iterated_squaring_equals_pow(width, steps):
    """After t steps the loop outputs x^(2^t) mod m (pow is the oracle), for moduli with the top bit
    set and clear."""
    rng = np.random.default_rng(width * 100 + steps)
    m = rng.integers(2, 2**width, size=200)
    x = np.array([rng.integers(0, mi) for mi in m])
    lc = iterated_squaring_looped(width)
    pats = np.concatenate([int_patterns(x, width), int_patterns(m, width)], axis=1)
    got = pattern_values(lc.run(pats, steps=steps).outputs).tolist()
    assert got == [pow(int(xi), 2**steps, int(mi)) for xi, mi in zip(x, m)]
    unrolled = evaluate_reference(lc.unroll(steps), pats[:20])
    assert pattern_values(unrolled).tolist() == got[:20]


def test_width_errors():
    with pytest.raises(CircuitStructureError, match="same positive width"):
        mod_square(CircuitBuilder(), [0, 0], [0])
    with pytest.raises(CircuitStructureError, match="width for iterated_squaring_looped must be >= 1"):
        iterated_squaring_looped(0)
    with pytest.raises(CircuitStructureError, match="mux"):
        from serialcomp.problems.timelock.modarith import mux
        mux(CircuitBuilder(), 0, [0], [0, 0])
