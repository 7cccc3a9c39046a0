"""add and iadd against Python ints (serialcomp.testing.problems.row_value)."""

import numpy as np
import pytest

from serialcomp.problems import get_problem
from serialcomp.testing.problems import row_value


@pytest.mark.parametrize("n", [1, 3, 16, 65, 200])
def test_add(n):
    p = get_problem("add")
    inst = p.sample(n, 40, seed=1)
    t = inst.targets["target"]
    assert t.shape == (40, n + 1)
    for i in range(40):
        assert row_value(t[i]) == row_value(inst.inputs["a"][i]) + row_value(inst.inputs["b"][i])
        assert np.array_equal(p.solve(inst.get_inputs(i)), t[i])
    assert np.array_equal(p.target_bits(inst), t)


@pytest.mark.parametrize("n", [1, 2, 3, 5, 17, 64])
def test_iadd(n):
    p = get_problem("iadd")
    inst = p.sample(n, 20, seed=2)
    t = inst.targets["target"]
    assert t.shape == (20, n + (n - 1).bit_length())
    for i in range(20):
        assert row_value(t[i]) == sum(row_value(row) for row in inst.inputs["x"][i])
        assert np.array_equal(p.solve(inst.get_inputs(i)), t[i])


def test_iadd_max_fits():
    p = get_problem("iadd")
    for n in range(1, 40):
        assert (n * (2**n - 1)).bit_length() <= p.out_width(n)
