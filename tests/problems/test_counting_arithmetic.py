"""parity, majority, add, iadd against Python ints."""

import numpy as np
import pytest

from serialcomp.problems import get_problem


def _int(bits):
    return sum(int(b) << j for j, b in enumerate(bits))


@pytest.mark.parametrize("n", [1, 2, 7, 64, 300])
def test_parity_majority(n):
    for key, f in [("parity", lambda x: sum(x) % 2 == 1), ("majority", lambda x: 2 * sum(x) > len(x))]:
        p = get_problem(key)
        inst = p.sample(n, 50, seed=n)
        for i in range(50):
            x = [int(b) for b in inst.inputs["x"][i]]
            assert bool(inst.targets["target"][i]) == f(x) == p.solve(inst.get_inputs(i))
            assert inst.meta["ones"][i] == sum(x)
        assert p.target_bits(inst).shape == (50, 1)


@pytest.mark.parametrize("n", [1, 3, 16, 65, 200])
def test_add(n):
    p = get_problem("add")
    inst = p.sample(n, 40, seed=1)
    t = inst.targets["target"]
    assert t.shape == (40, n + 1)
    for i in range(40):
        assert _int(t[i]) == _int(inst.inputs["a"][i]) + _int(inst.inputs["b"][i])
        assert np.array_equal(p.solve(inst.get_inputs(i)), t[i])
    assert np.array_equal(p.target_bits(inst), t)


@pytest.mark.parametrize("n", [1, 2, 3, 5, 17, 64])
def test_iadd(n):
    p = get_problem("iadd")
    inst = p.sample(n, 20, seed=2)
    t = inst.targets["target"]
    assert t.shape == (20, n + (n - 1).bit_length())
    for i in range(20):
        assert _int(t[i]) == sum(_int(row) for row in inst.inputs["x"][i])
        assert np.array_equal(p.solve(inst.get_inputs(i)), t[i])


def test_iadd_max_fits():
    p = get_problem("iadd")
    for n in range(1, 40):
        assert (n * (2**n - 1)).bit_length() <= p.out_width(n)


def test_bits_are_uniformish():
    x = get_problem("parity").sample(64, 2000, seed=0).inputs["x"]
    assert abs(x.mean() - 0.5) < 0.01
    assert abs(get_problem("parity").sample(9, 4000, seed=0).targets["target"].mean() - 0.5) < 0.03
