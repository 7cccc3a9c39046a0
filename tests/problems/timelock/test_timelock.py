"""timelock: the phi(N) shortcut vs. plain pow, primes vs. sympy, encodings, determinism, errors."""

import numpy as np
import pytest
import sympy
from hypothesis import given, settings
from hypothesis import strategies as st

from serialcomp.errors import ProblemParameterError
from serialcomp.problems import get_problem
from serialcomp.problems.timelock import (
    bits_to_int, int_to_bits, is_probable_prime, random_prime, timelock_naive, timelock_shortcut,
)


def test_primality_matches_sympy():
    assert [k for k in range(5000) if is_probable_prime(k)] == list(sympy.primerange(0, 5000))
    rng = np.random.default_rng(0)
    for bits in (20, 64, 90, 200):
        for _ in range(30):
            k = int.from_bytes(rng.bytes(bits // 8 + 1), "little") >> 3 | 1
            assert is_probable_prime(k) == sympy.isprime(k)
    # strong pseudoprimes to several small bases, and Carmichael numbers
    for k in (2047, 3215031751, 3825123056546413051, 318665857834031151167461, 561, 41041):
        assert not is_probable_prime(k)
    assert is_probable_prime(2**89 - 1) and is_probable_prime(2**521 - 1)


@pytest.mark.parametrize("bits", [2, 3, 8, 31, 64, 100])
def test_random_prime(bits):
    p = random_prime(bits, seed=bits)
    assert p.bit_length() == bits and sympy.isprime(p)
    assert random_prime(bits, seed=bits) == p


@settings(max_examples=60, deadline=None)
@given(st.sampled_from([3, 5, 7, 11, 13, 17, 19, 23, 101, 257, 65537]),
       st.sampled_from([2, 3, 5, 7, 11, 29, 31, 97, 65521]),
       st.integers(0, 10**6), st.integers(0, 200))
def test_shortcut_matches_pow(p, q, x, t):
    if p == q:
        return
    want = pow(x, 2**t, p * q)
    assert timelock_shortcut(x, t, p, q) == want == timelock_naive(x, t, p * q)


def test_shortcut_large_t():
    # phi = 8 is a power of two: 2^t mod phi = 0 for t >= 3
    for x in range(15):
        assert timelock_shortcut(x, 10, 3, 5) == pow(x, 2**10, 15)
    p, q = random_prime(40, seed=1), random_prime(40, seed=2)
    assert timelock_shortcut(12345, 5000, p, q) == timelock_naive(12345, 5000, p * q)


@settings(max_examples=30, deadline=None)
@given(st.lists(st.integers(0, 2**90 - 1), min_size=1, max_size=5))
def test_bits_round_trip(vals):
    assert bits_to_int(int_to_bits(vals, 90)) == vals


@pytest.mark.parametrize("n, t", [(3, None), (8, 0), (16, 1), (24, 300)])
def test_problem_targets(n, t):
    p = get_problem("timelock")
    params = {} if t is None else {"t": t}
    inst = p.sample(n, 6, seed=n, include_factors=True, **params)
    tt = n if t is None else t
    assert inst.params["t"] == tt and inst.inputs["x"].shape == (6, 2 * n)
    xs, ms, ys = (bits_to_int(a) for a in (inst.inputs["x"], inst.inputs["modulus"], inst.targets["target"]))
    ps, qs = bits_to_int(inst.meta["p"]), bits_to_int(inst.meta["q"])
    for i in range(6):
        assert ps[i] != qs[i] and ps[i] * qs[i] == ms[i]
        assert sympy.isprime(ps[i]) and ps[i].bit_length() == n == qs[i].bit_length()
        assert 2 <= xs[i] <= ms[i] - 2 and sympy.gcd(xs[i], ms[i]) == 1
        assert ys[i] == pow(xs[i], 2**tt, ms[i])
        assert (p.solve(inst.get_inputs(i), t=tt) == inst.targets["target"][i]).all()


def test_factors_are_opt_in():
    """The trapdoor p, q is left out by default (records of a published challenge must not carry
    it); include_factors=True keeps it, and the instances are the same either way."""
    p = get_problem("timelock")
    plain = p.sample(12, 4, seed=7)
    withf = p.sample(12, 4, seed=7, include_factors=True)
    assert plain.meta == {} and plain.params["include_factors"] is False
    rec = next(plain.records())
    assert not {"p", "q"} & set(rec) and "p" not in plain.columns() and "q" not in plain.columns(readable=False)
    for k in ("x", "modulus"):
        assert (plain.inputs[k] == withf.inputs[k]).all()
    assert (plain.targets["target"] == withf.targets["target"]).all()
    r2 = next(withf.records())
    assert int(r2["p"]) * int(r2["q"]) == int(r2["modulus"])
    with pytest.raises(ProblemParameterError, match="include_factors"):
        p.sample(12, 1, seed=0, include_factors="perhaps")


def test_large_t_and_bounds(bounded):
    """Sampling costs O(log t): t = 2**62 is instant and checked through the factors; n and t have
    documented bounds (MAX_PRIME_BITS, MAX_T) that are refused up front."""
    from serialcomp.problems.timelock import MAX_PRIME_BITS, MAX_T

    p = get_problem("timelock")
    with bounded(seconds=20):
        inst = p.sample(32, 3, seed=1, t=2**62, include_factors=True)
    for i in range(3):
        x, m, y = (bits_to_int(a[i:i + 1])[0]
                   for a in (inst.inputs["x"], inst.inputs["modulus"], inst.targets["target"]))
        P, Q = bits_to_int(inst.meta["p"][i:i + 1])[0], bits_to_int(inst.meta["q"][i:i + 1])[0]
        assert P * Q == m and y == pow(x, pow(2, 2**62, (P - 1) * (Q - 1)), m)
    with bounded(seconds=5):
        with pytest.raises(ProblemParameterError, match=str(MAX_PRIME_BITS)):
            p.sample(MAX_PRIME_BITS + 1, 1, seed=0)
        with pytest.raises(ProblemParameterError, match=r"t for timelock must be in \[0, 9223372036854775807\]"):
            p.sample(8, 1, seed=0, t=MAX_T + 1)


def test_encodings_and_records():
    p = get_problem("timelock")
    inst = p.sample(10, 3, seed=0, include_factors=True)
    bits = p.encode_bits(inst)
    assert bits.shape == (3, 40)
    back = p.decode_bits(bits, 10)
    assert all((back[k] == inst.inputs[k]).all() for k in ("x", "modulus"))
    tok = p.encode_tokens(inst)
    assert tok.shape == (3, 41) and tok.max() < len(p.vocab(10))
    back = p.decode_tokens(tok, 10)
    assert all((back[k] == inst.inputs[k]).all() for k in ("x", "modulus"))
    assert p.target_bits(inst).shape == (3, 20)
    rec = next(inst.records())
    assert int(rec["target"]) == pow(int(rec["x"]), 2**10, int(rec["modulus"]))
    assert int(rec["p"]) * int(rec["q"]) == int(rec["modulus"])
    with pytest.raises(ProblemParameterError):
        p.decode_tokens(np.zeros((1, 41), np.int64), 10)
    with pytest.raises(ProblemParameterError):
        p.decode_bits(np.zeros((1, 39)), 10)


def test_determinism_and_sharding():
    p = get_problem("timelock")
    a = p.sample(12, 6, seed=4)
    b = p.sample(12, 2, seed=4, start=4)
    assert (a.inputs["modulus"][4:] == b.inputs["modulus"]).all()
    assert (a.targets["target"][4:] == b.targets["target"]).all()
    assert (p.sample(12, 6, seed=4).inputs["x"] == a.inputs["x"]).all()


@pytest.mark.parametrize("n, params", [(0, {}), (2, {}), (8, {"t": -1}), (8, {"t": "x"}), (8, {"k": 1})])
def test_bad_parameters(n, params):
    with pytest.raises(ProblemParameterError):
        get_problem("timelock").sample(n, 2, seed=0, **params)


def test_bad_function_inputs():
    with pytest.raises(ProblemParameterError):
        timelock_shortcut(3, 5, 7, 7)
    with pytest.raises(ProblemParameterError):
        timelock_naive(3, -1, 35)
    with pytest.raises(ProblemParameterError):
        int_to_bits([2**10], 10)
    with pytest.raises(ProblemParameterError):
        random_prime(1)
