"""Word problems against sympy.combinatorics.Permutation (x1 applied first, as sympy's p*q)."""

import numpy as np
import pytest
from sympy.combinatorics import Permutation

from serialcomp.problems import get_problem
from serialcomp.problems.words import FiniteMonoid, symmetric_group

GROUPS = {"word:S3": (6, 3), "word:A4xZ5": (60, 9), "word:A5": (60, 5), "word:S5": (120, 5),
          "word:Z2": (2, 2), "word:Z7": (7, 7), "word:Z12": (12, 12)}


@pytest.mark.parametrize("key", sorted(GROUPS))
def test_group_table(key):
    g = get_problem(key).monoid
    assert (g.size, g.degree) == GROUPS[key]
    perms = g.perms(np.arange(g.size))
    assert len({tuple(p) for p in perms.tolist()}) == g.size
    assert all(sorted(p) == list(range(g.degree)) for p in perms.tolist())
    sp = [Permutation(p) for p in perms.tolist()]
    for a in range(g.size):
        for b in range(0, g.size, 7):
            assert g.perms(g.mul(a, b)).tolist() == (sp[a] * sp[b]).array_form
    assert g.perms(g.identity).tolist() == list(range(g.degree))


def test_solvability_of_named_groups():
    from sympy.combinatorics import PermutationGroup

    def group(key):
        g = get_problem(key).monoid
        return PermutationGroup([Permutation(p) for p in g.perms(np.arange(g.size)).tolist()])

    assert group("word:A4xZ5").is_solvable and group("word:S3").is_solvable
    assert not group("word:A5").is_solvable and not group("word:S5").is_solvable
    assert group("word:A4xZ5").order() == 60 and group("word:A5").order() == 60


@pytest.mark.parametrize("key", sorted(GROUPS))
@pytest.mark.parametrize("n", [1, 2, 33, 1000])
def test_products_against_sympy(key, n):
    p = get_problem(key)
    count = 6 if n == 1000 else 12
    inst = p.sample(n, count, seed=n, prefix=True)
    g = p.monoid
    words = g.perms(inst.inputs["word"]).tolist()
    prefix = g.perms(inst.targets["prefix"]).tolist()
    target = g.perms(inst.targets["target"]).tolist()
    for i in range(count):
        acc = Permutation(words[i][0])
        assert prefix[i][0] == acc.array_form
        for j in range(1, n):
            acc = acc * Permutation(words[i][j])
            if j % 97 == 0 or j == n - 1:
                assert prefix[i][j] == acc.array_form
        assert target[i] == acc.array_form
        assert p.solve(inst.get_inputs(i)) == inst.targets["target"][i]
    plain = p.sample(n, count, seed=n)
    assert np.array_equal(plain.targets["target"], inst.targets["target"])
    assert "prefix" not in plain.targets


def test_scan_matches_loop():
    g = symmetric_group(4)
    rng = np.random.default_rng(0)
    for n in [1, 2, 3, 7, 64, 129]:
        ids = rng.integers(0, g.size, (n, 5))
        out = g.scan(ids)
        acc = ids[0].copy()
        assert np.array_equal(out[0], acc)
        for j in range(1, n):
            acc = g.table[acc, ids[j]]
            assert np.array_equal(out[j], acc)


def _flipflop_state_oracle(names):
    out = []
    f = {0: 0, 1: 1}  # the transformation so far, as a map
    for nm in names:
        if nm == "set0":
            f = {0: 0, 1: 0}
        elif nm == "set1":
            f = {0: 1, 1: 1}
        out.append([f[0], f[1]])
    return out


@pytest.mark.parametrize("p_read", [0.0, 1 / 3, 0.9, 1.0])
def test_flipflop(p_read):
    p = get_problem("word:flipflop")
    inst = p.sample(50, 30, seed=3, prefix=True, p_read=p_read)
    names = np.array(p.vocab())[inst.inputs["word"]]
    g = p.monoid
    for i in range(30):
        exp = _flipflop_state_oracle(names[i].tolist())
        assert g.perms(inst.targets["prefix"][i]).tolist() == exp
        assert p.solve(inst.get_inputs(i)) == inst.targets["target"][i]
    frac = (names == "read").mean()
    assert abs(frac - p_read) < 0.06


def test_monoid_rejects_non_closed():
    with pytest.raises(ValueError, match="closed"):
        FiniteMonoid("bad", np.array([[0, 1, 2], [1, 2, 0]]))


def test_index_round_trip_and_bad_element():
    from serialcomp.errors import ProblemParameterError

    g = get_problem("word:A5").monoid
    assert np.array_equal(g.index(g.perms(np.arange(g.size))), np.arange(g.size))
    with pytest.raises(ProblemParameterError, match="not an element"):
        g.index(np.array([1, 0, 2, 3, 4]))  # odd permutation
    z = get_problem("word:Z5").monoid
    with pytest.raises(ProblemParameterError):
        z.index(np.array([0, 2, 1, 3, 4]))


def test_encodings_widths():
    p = get_problem("word:S5")
    inst = p.sample(10, 4, seed=0, prefix=True)
    assert p.encode_bits(inst).shape == (4, 70)
    assert p.target_bits(inst).shape == (4, 70)
    assert p.target_bits(p.sample(10, 4, seed=0)).shape == (4, 7)
    assert p.encode_tokens(inst).shape == (4, 10) and len(p.vocab(10)) == 120
