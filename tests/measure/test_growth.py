"""Growth fits recover the class a series was generated from; claims evaluate exactly."""

import numpy as np
import pytest
import sympy
from hypothesis import given, settings, strategies as st

from serialcomp.errors import SerialcompError
from serialcomp.measure.growth import GROWTH_CLASSES, evaluate_claim, fit_growth

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
