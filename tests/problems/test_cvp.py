"""cvp against a straightforward gate-by-gate evaluation."""

import pytest

from serialcomp.problems import get_problem


def naive(x, gate, left, right):
    vals = [bool(v) for v in x]
    for layer in range(len(gate)):
        new = []
        for g in range(len(gate[layer])):
            a, b = vals[left[layer][g]], vals[right[layer][g]]
            new.append({0: a and b, 1: a or b, 2: not (a and b), 3: not (a or b)}[int(gate[layer][g])])
        vals = new
    return vals[0]


@pytest.mark.parametrize("n,depth", [(1, 1), (1, 5), (2, 3), (8, 8), (16, 64), (5, None)])
def test_cvp_oracle(n, depth):
    p = get_problem("cvp")
    kw = {} if depth is None else {"depth": depth}
    inst = p.sample(n, 50, seed=3, **kw)
    D = inst.params["depth"]
    assert inst.inputs["gate"].shape == (50, D, n)
    for i in range(50):
        x = inst.get_inputs(i)
        assert naive(x["x"], x["gate"], x["left"], x["right"]) == bool(inst.targets["target"][i]) == p.solve(x)
        if n > 1:
            assert (x["left"] != x["right"]).all()
    assert inst.inputs["left"].max() < n and inst.inputs["gate"].max() <= 3


def test_cvp_depth_is_default_n_and_labels_balanced():
    p = get_problem("cvp")
    inst = p.sample(12, 2000, seed=0)
    assert inst.params["depth"] == 12
    assert 0.4 < inst.targets["target"].mean() < 0.6
