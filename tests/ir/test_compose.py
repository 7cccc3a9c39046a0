"""Series and parallel composition compute the composed functions."""

import numpy as np
import pytest

from serialcomp.errors import CircuitStructureError
from serialcomp.ir import CircuitBuilder
from serialcomp.testing.reference import evaluate_reference


def _half_adder():
    b = CircuitBuilder(); a, c = b.input("a"), b.input("b")
    b.output(b.xor(a, c), "s"); b.output(b.and_(a, c), "c")
    return b.build()


def test_series_by_name_function_and_depth():
    ha = _half_adder()
    b = CircuitBuilder(); s, z = b.input("s"), b.input("z"); b.output(b.or_(s, z), "t"); g = b.build()
    h = ha >> g
    assert h.input_names == ("a", "b", "z") and h.output_names == ("t", "c")
    pats = np.array([[a, bb, z] for a in (0, 1) for bb in (0, 1) for z in (0, 1)], bool)
    out = evaluate_reference(h, pats)
    assert np.array_equal(out[:, 0], (pats[:, 0] ^ pats[:, 1]) | pats[:, 2])
    assert np.array_equal(out[:, 1], pats[:, 0] & pats[:, 1])
    assert h.depth() <= ha.depth() + g.depth()


def test_series_positional_and_errors():
    ha = _half_adder()
    b = CircuitBuilder(); p, q = b.inputs(2); b.output(b.and_(p, q ^ 1), "r"); g = b.build()
    h = ha >> g
    pats = np.array([[0, 0], [0, 1], [1, 0], [1, 1]], bool)
    assert evaluate_reference(h, pats)[:, 0].tolist() == [False, True, True, False]
    b = CircuitBuilder(); b.output(b.input("u"), "v"); one = b.build()
    with pytest.raises(CircuitStructureError, match="counts differ"):
        ha >> one
    with pytest.raises(CircuitStructureError, match="no input named"):
        from serialcomp.ir.compose import series
        series(ha, one, wiring={"nope": "s"})


def test_parallel_shares_inputs_and_rejects_duplicate_outputs():
    ha = _half_adder()
    b = CircuitBuilder(); a = b.input("a"); b.output(a ^ 1, "na"); g = b.build()
    h = ha | g
    assert h.input_names == ("a", "b") and h.output_names == ("s", "c", "na")
    assert h.depth() == max(ha.depth(), g.depth())
    with pytest.raises(CircuitStructureError, match="both circuits"):
        ha | ha
