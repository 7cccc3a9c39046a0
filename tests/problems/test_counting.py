"""parity and majority against their definitions, and the bits drawn."""

import pytest

from serialcomp.problems import get_problem


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


def test_bits_are_uniformish():
    x = get_problem("parity").sample(64, 2000, seed=0).inputs["x"]
    assert abs(x.mean() - 0.5) < 0.01
    assert abs(get_problem("parity").sample(9, 4000, seed=0).targets["target"].mean() - 0.5) < 0.03
