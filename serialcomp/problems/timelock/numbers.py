"""The number theory of the time-lock puzzle: primality, random primes, and ``x^(2^t) mod N`` by
``t`` squarings (the reference) or through the factors (the generator's shortcut).

Every random choice is a word of a :class:`~serialcomp.problems.rng.BitStream`, and the extra
Miller-Rabin bases are derived from the number itself, so results are the same on every machine and
NumPy version.
"""

from __future__ import annotations

import hashlib
from math import gcd

import numpy as np

from ..._seed import SeedLike
from ..._validate import check_int
from ...errors import ProblemParameterError
from ..rng import BitStream, as_stream

__all__ = ["is_probable_prime", "random_prime", "timelock_naive", "timelock_shortcut"]

_SMALL_PRIMES = (2, 3, 5, 7, 11, 13, 17, 19, 23, 29, 31, 37, 41)
_DETERMINISTIC_BELOW = 3317044064679887385961981  # bases up to 41 decide every n below this
_EXTRA_ROUNDS = 32  # extra Miller-Rabin rounds above it: error < 4^-32 per composite
_SIEVE = [k for k in range(43, 4096, 2) if all(k % p for p in range(3, int(k**0.5) + 1, 2))]
_SIEVE_PRODUCT = int(np.prod(np.array(_SIEVE, dtype=object)))  # trial division by one gcd


def _mr_round(n: int, d: int, s: int, a: int) -> bool:
    """One Miller-Rabin round with base ``a`` for odd ``n - 1 = d 2^s``: False proves n composite."""
    x = pow(a, d, n)
    if x in (1, n - 1):
        return True
    for _ in range(s - 1):
        x = x * x % n
        if x == n - 1:
            return True
    return False


def is_probable_prime(n: int) -> bool:
    """Miller-Rabin primality, deterministic: exact below 3.3e24, error < 4^-32 above.

    Below 3,317,044,064,679,887,385,961,981 the prime bases up to 41 decide primality exactly
    (Sorenson-Webster 2015); above, 32 more bases are drawn from a
    :class:`~serialcomp.problems.rng.BitStream` seeded by a SHA-256 of ``n`` itself, so the answer
    is a pure function of ``n`` (on every machine and NumPy version).

    Notes
    -----
    O(k log^3 n) bit operations for k rounds (schoolbook multiplication).

    Example
    -------
    >>> [k for k in range(30) if is_probable_prime(k)]
    [2, 3, 5, 7, 11, 13, 17, 19, 23, 29]
    >>> is_probable_prime(2**127 - 1), is_probable_prime(2**128 + 1)
    (True, False)
    """
    n = int(n)
    if n < 2:
        return False
    for p in _SMALL_PRIMES:
        if n % p == 0:
            return n == p
    if n < 4096:
        return all(n % k for k in range(43, int(n**0.5) + 1, 2))
    if gcd(n, _SIEVE_PRODUCT) != 1:
        return False
    d, s = n - 1, 0
    while d % 2 == 0:
        d, s = d // 2, s + 1
    if not all(_mr_round(n, d, s, a) for a in _SMALL_PRIMES):
        return False
    if n < _DETERMINISTIC_BELOW:
        return True
    digest = hashlib.sha256(n.to_bytes((n.bit_length() + 7) // 8, "little")).digest()
    stream = BitStream(int.from_bytes(digest[:8], "little"))
    return all(_mr_round(n, d, s, 2 + stream.below(n - 3)) for _ in range(_EXTRA_ROUNDS))


def random_prime(bits: int, seed: "SeedLike | BitStream" = 0) -> int:
    """A uniformly random prime with exactly ``bits`` bits (top bit set), ``bits >= 2``.

    ``seed`` is an int, a :class:`~serialcomp.problems.rng.BitStream` (drawn from and advanced:
    candidates are its words) or a numpy Generator (one raw word seeds the stream).

    Example
    -------
    >>> p = random_prime(64, seed=3)
    >>> p.bit_length(), is_probable_prime(p), p == random_prime(64, seed=3)
    (64, True, True)
    """
    bits = check_int("bits", bits, 2, where="random_prime", error=ProblemParameterError)
    stream = as_stream(seed)
    while True:
        v = stream.randbits(bits - 1) | (1 << (bits - 1))
        if bits > 2:
            v |= 1
        if is_probable_prime(v):
            return v


def timelock_naive(x: int, t: int, modulus: int) -> int:
    """``x^(2^t) mod modulus`` by ``t`` sequential squarings: the reference solver.

    Example
    -------
    >>> timelock_naive(3, 4, 55) == pow(3, 2**4, 55)
    True
    """
    t = check_int("t", t, 0, where="timelock", error=ProblemParameterError)
    modulus = check_int("modulus", modulus, 1, where="timelock", error=ProblemParameterError)
    y = int(x) % modulus
    for _ in range(t):
        y = y * y % modulus
    return y


def timelock_shortcut(x: int, t: int, p: int, q: int) -> int:
    """``x^(2^t) mod pq`` from the factors: exponent ``2^t`` reduced modulo ``phi = (p-1)(q-1)``.

    Valid for distinct primes ``p, q`` and every ``x`` (for ``x`` sharing a factor with ``N``, the
    exponent is kept >= 1 so the reduction stays valid prime by prime).

    Notes
    -----
    O(log t + n) modular multiplications instead of ``t``.

    Example
    -------
    >>> timelock_shortcut(7, 100, 11, 13) == timelock_naive(7, 100, 143)
    True
    """
    t = check_int("t", t, 0, where="timelock", error=ProblemParameterError)
    p, q = int(p), int(q)
    modulus, phi = p * q, (p - 1) * (q - 1)
    if p == q or p < 2 or q < 2:
        raise ProblemParameterError(f"timelock_shortcut needs two distinct primes, got {p} and {q}")
    e = pow(2, t, phi) or phi  # x^a = x^b (mod N) for a = b (mod phi) when a, b >= 1 and N squarefree
    return pow(int(x), e, modulus)
