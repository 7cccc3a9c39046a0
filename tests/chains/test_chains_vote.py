"""Voting: the exact formulas against enumeration of every outcome, the estimators' expectations, and
the paper's maj@k / any@k curves for k = 2^0 .. 2^m, simulated against exact."""

from fractions import Fraction
from itertools import product

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from serialcomp.chains.exact_dfs import dfs_distribution
from serialcomp.chains.flower import lmt_flower
from serialcomp.chains.graph import ChainParameterError
from serialcomp.chains.montecarlo import simulate_chains
from serialcomp.chains.vote import (any_at_k, any_mixed, estimate_votes, maj_at_k, maj_mixed, pass_at_k,
                                    single_success)


def brute(p, k, rule):
    """Every chain is R (reached), G (guessed right), W (guessed wrong) or A (abstained): sum over all k-tuples."""
    p = Fraction(p)
    kinds = {"guess": {"R": p, "G": (1 - p) / 2, "W": (1 - p) / 2}, "abstain": {"R": p, "A": 1 - p}}[rule]
    out = {"any": Fraction(0), "maj": Fraction(0), "pass": Fraction(0)}
    for combo in product(kinds, repeat=k):
        pr = Fraction(1)
        for c in combo:
            pr *= kinds[c]
        right = sum(c in "RG" for c in combo)
        wrong = sum(c == "W" for c in combo)
        out["any"] += pr * (1 if "R" in combo else Fraction(1, 2))
        out["maj"] += pr * (1 if right > wrong else 0 if right < wrong else Fraction(1, 2))
        out["pass"] += pr * (1 if right else 0)
    return out


@pytest.mark.parametrize("rule", ["guess", "abstain"])
@pytest.mark.parametrize("p", ["0", "1/7", "1/2", "5/6", "1"])
@pytest.mark.parametrize("k", [1, 2, 3, 4, 6])
def test_formulas_equal_enumeration(rule, p, k):
    b = brute(Fraction(p), k, rule)
    x = float(Fraction(p))
    assert abs(any_at_k(x, k) - b["any"]) < 1e-12
    assert abs(maj_at_k(x, k, rule) - b["maj"]) < 1e-12
    assert abs(pass_at_k(x, k, rule) - b["pass"]) < 1e-12
    assert abs(maj_mixed([x] * k, rule) - b["maj"]) < 1e-12 and abs(any_mixed([x] * k) - b["any"]) < 1e-12
    assert single_success(x) == pytest.approx(float(brute(Fraction(p), 1, rule)["maj"]))


def test_mixed_budgets_equal_enumeration():
    ps = [Fraction(1, 3), Fraction(1, 5), Fraction(0), Fraction(3, 4)]
    want = Fraction(0)
    for combo in product("RGW", repeat=len(ps)):
        pr = Fraction(1)
        for c, p in zip(combo, ps):
            pr *= p if c == "R" else (1 - p) / 2
        right, wrong = sum(c in "RG" for c in combo), combo.count("W")
        want += pr * (1 if right > wrong else 0 if right < wrong else Fraction(1, 2))
    assert abs(maj_mixed([float(p) for p in ps]) - want) < 1e-12


@settings(max_examples=200, deadline=None)
@given(st.floats(0, 1), st.integers(1, 3000))
def test_maj_at_most_any_at_most_pass(p, k):
    """maj@k <= any@k <= pass@k (guess): a majority is right at most when some chain reached the target
    (else 1/2 by symmetry), and any verified answer is among the answers."""
    assert maj_at_k(p, k) <= any_at_k(p, k) + 1e-12 <= pass_at_k(p, k) + 2e-12


@settings(max_examples=100, deadline=None)
@given(st.floats(0, 1), st.floats(0, 1), st.integers(1, 1500))
def test_votes_are_monotone_in_p(p, q, k):
    """A chain more likely to reach the target never makes k of them worse, under either aggregate."""
    lo, hi = min(p, q), max(p, q)
    assert any_at_k(lo, k) <= any_at_k(hi, k) + 1e-12 and maj_at_k(lo, k) <= maj_at_k(hi, k) + 1e-9


def test_large_k_uses_the_log_space_law_consistently():
    """Around the switch from the direct binomial (k <= 1000) to log space: maj@k changes smoothly, and
    an odd k and the even k + 1 agree (the tie of k + 1 halves the extra vote), within 1e-9."""
    for p in (0.001, 0.01, 0.05):
        for k in (999, 1001):
            assert abs(maj_at_k(p, k) - maj_at_k(p, k + 1)) < 1e-9
        assert maj_at_k(p, 999) <= maj_at_k(p, 1001) + 1e-12
    assert maj_at_k(0.3, 2**20) <= 1.0 and maj_at_k(0.0, 2**20) == 0.5


def test_estimators_are_unbiased():
    """The subset estimators' expectation over every draw of K chains is the exact value (K = 4)."""
    p = 0.3
    K = 4
    kinds = {1: p, 2: (1 - p) / 2, 3: (1 - p) / 2}  # reached, guessed right, guessed wrong
    mean = {k: np.zeros(3) for k in (1, 2, 3, 4)}
    for combo in product(kinds, repeat=K):
        pr = np.prod([kinds[c] for c in combo])
        R = np.array([[c == 1 for c in combo]])
        V = np.array([[1 if c in (1, 2) else 0 for c in combo]], dtype=np.int8)
        for e in estimate_votes(R, V, [1, 2, 3, 4]):
            mean[e.k] += pr * np.array([e.any_at_k, e.maj_at_k, e.pass_at_k])
    for k, (a, m, ps) in mean.items():
        assert abs(a - any_at_k(p, k)) < 1e-12 and abs(m - maj_at_k(p, k)) < 1e-12 and abs(ps - pass_at_k(p, k)) < 1e-12


def test_estimator_errors():
    with pytest.raises(ChainParameterError, match="k for estimate_votes with K=2"):
        estimate_votes(np.zeros((3, 2), bool), np.zeros((3, 2), np.int8), [3])
    with pytest.raises(ChainParameterError, match="mix abstentions and wrong"):
        estimate_votes(np.zeros((1, 2), bool), np.array([[0, -1]], np.int8), [1])
    with pytest.raises(ChainParameterError, match="needs tie_coins"):
        estimate_votes(np.zeros((1, 2), bool), np.zeros((1, 2), np.int8), [1], estimator="first")


@pytest.mark.parametrize("d,L", [(2, 6), (3, 12)])
def test_papers_curves_k_powers_of_two(d, L):
    """maj@k and any@k for k = 2^0 .. 2^7, evaluated as the paper does (the first 2^j chains of each
    instance, ties by a coin) and by subsets, against the exact curves, within 4.5 standard errors
    (sqrt(v (1 - v) / count) for the exact value v: the first-k estimate is Bernoulli(v), the subset
    average of such has no larger variance)."""
    g = lmt_flower(d).graph()
    law = dfs_distribution(lmt_flower(d))
    p = law.reach(L)
    ks = [2**j for j in range(8)]
    count = 1500
    R, V = [], []
    for i in range(count):
        r = simulate_chains(g, "dfs", ks[-1], L, seed=99, stream=i)
        R.append(r.reached())
        V.append(r.votes())
    coins = np.random.Generator(np.random.PCG64(5)).random((count, len(ks))) < 0.5

    def bound(v):  # a per-instance estimate in [0, 1] with mean v has variance at most v (1 - v)
        return 4.5 * np.sqrt(v * (1 - v) / count) + 1e-12

    for how in ("first", "subsets"):
        for e in estimate_votes(np.array(R), np.array(V), ks, estimator=how, tie_coins=coins):
            a, m = any_at_k(p, e.k), maj_at_k(p, e.k)
            assert abs(e.any_at_k - a) <= bound(a) and abs(e.maj_at_k - m) <= bound(m), (how, e)
    assert maj_at_k(p, ks[-1]) < any_at_k(p, ks[-1])
