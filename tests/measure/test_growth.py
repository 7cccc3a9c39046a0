"""Growth fits recover the class a series was generated from; claims evaluate exactly."""

import numpy as np
import pytest
import sympy
from hypothesis import given, settings, strategies as st

from serialcomp.errors import SerialcompError
from serialcomp.measure.growth import GROWTH_CLASSES, evaluate_claim, fit_growth, format_depth

NS = np.array([4, 8, 16, 32, 64, 128, 256, 512])


@settings(max_examples=60, deadline=None)
@given(st.sampled_from(list(GROWTH_CLASSES)[1:]), st.floats(0.5, 20), st.floats(-10, 10))
def test_fit_recovers_generating_class(name, a, b):
    """Theorem: for y = a g(n) + b with a > 0 on 8 doubling sizes, the fit picks g."""
    fn, _ = GROWTH_CLASSES[name]
    assert fit_growth(NS, a * fn(NS.astype(float)) + b).growth == name


def test_ceil_log_series_is_log():
    ys = [2 * int(np.ceil(np.log2(n))) for n in NS]
    assert fit_growth(NS, ys).growth == "log n"


def test_sympy_forms_match_numeric_forms():
    n = sympy.Symbol("n")
    for name, (fn, expr) in GROWTH_CLASSES.items():
        got = evaluate_claim(expr.subs({s: n for s in expr.free_symbols}), NS)
        assert np.allclose(got, fn(NS.astype(float))), name


def test_fit_errors():
    with pytest.raises(SerialcompError, match="at least 3 distinct"):
        fit_growth([2, 2, 4], [1, 2, 3])
    with pytest.raises(SerialcompError, match="same length"):
        fit_growth([2, 4, 8], [1, 2])


@given(st.integers(1, 6), st.integers(1, 20), st.integers(2, 5))
def test_a_plateau_is_bounded_growth(k, top, extra):
    """A series that grows (as log n) up to n = 2^k and then stays flat over at least half the
    sizes, and at least three of them, is classed "1" with the plateau as its constant."""
    ns = [2**i for i in range(1, k + 1 + max(3, k) + extra)]
    ys = [min(i, k) + top for i in range(1, len(ns) + 1)]
    fit = fit_growth(ns, ys)
    assert fit.growth == "1" and fit.b == k + top


def test_a_short_flat_tail_is_not_a_plateau():
    """Two equal values at the end of an otherwise logarithmic series are not enough to call it bounded."""
    assert fit_growth([2, 4, 8, 16, 32, 64], [1, 2, 3, 4, 5, 5]).growth == "log n"


def test_format_depth_reads_like_the_papers():
    import sympy

    n = sympy.Symbol("n", positive=True, integer=True)
    assert format_depth(sympy.ceiling(sympy.log(n, 2))) == "ceil(log2 n)"
    assert format_depth(sympy.Piecewise((1, n < 2), (3, n < 3), (4, True))) == "4 (n >= 3)"
    assert format_depth(2 * sympy.Min(8, n)) == "2*min(8, n)"
    assert format_depth(n**2) == "n**2"
