"""``timelock``: iterated squaring ``x^(2^T) mod N`` with ``N = p q`` (Rivest-Shamir-Wagner 1996).

Without the factors the best known method is ``T`` sequential modular squarings.  The generator
knows ``p`` and ``q`` and takes the shortcut ``x^(2^T mod phi(N)) mod N``, so an instance of any
``T`` costs two modular exponentiations.  ``n`` is the bit size of each prime (``N`` has ``2n - 1``
or ``2n`` bits); the knob ``t`` (``T``) defaults to ``n``.

The factors are the trapdoor: they are used internally and dropped from the records unless
``include_factors=True``, so a dataset published as a time-lock challenge does not give its answers
away.  Primes and ``x`` are drawn from :class:`~serialcomp.problems.rng.BitStream` words (one
stream per record), so the same seed gives the same instances on every machine and NumPy version.

Numbers are stored as little-endian bit rows of width ``2n`` (they may not fit in int64); the
records show them as decimal strings.
"""

from __future__ import annotations

import hashlib
from functools import lru_cache
from math import gcd
from typing import Any, Mapping

import numpy as np

from .._seed import SeedLike
from .._validate import check_bool, check_int
from ..errors import ProblemParameterError
from ..ir.family import N
from .bits import bits_to_int, check_bit_rows, int_to_bits
from .facts import ComplexityFacts
from .instances import Instances
from .problem import Problem
from .registry import register
from .rng import BitStream, RecordRNG, as_stream

__all__ = [
    "MAX_PRIME_BITS",
    "MAX_T",
    "TimelockProblem",
    "is_probable_prime",
    "random_prime",
    "timelock_naive",
    "timelock_shortcut",
    "int_to_bits",
    "bits_to_int",
]

MAX_PRIME_BITS = 2048
"""Largest ``n`` (bits per prime): finding a random 2048-bit prime takes ~1-2 s of pure-Python
Miller-Rabin, and the cost grows about as ``n^4``; ``N`` then has 4096 bits."""
MAX_T = 2**63 - 1
"""Largest ``t``: sampling costs O(log t) whatever ``t`` is, but ``t`` is recorded as an int64 parameter.
The reference solver :func:`timelock_naive` does ``t`` squarings, so check large-``t`` answers with
:func:`timelock_shortcut` and the factors (``include_factors=True``) instead."""

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


class TimelockProblem(Problem):
    """``timelock``: ``x^(2^t) mod N`` for a random ``N = pq`` of two ``n``-bit primes.

    Inputs ``x`` and ``modulus`` bool ``(count, 2n)``, little-endian bits (``x`` is uniform in
    ``[2, N - 2]`` and coprime to ``N``); target bool ``(count, 2n)``.  Parameters: ``t`` (the
    knob, default ``n``; pass it to :meth:`solve`, or use :meth:`Instances.solve`) and
    ``include_factors`` (default ``False``).  The generator always computes the target through the
    factors (:func:`timelock_shortcut`); only with ``include_factors=True`` are they kept, as meta
    ``p``, ``q`` bool ``(count, n)``, so that answers can be checked fast.  They are never in the
    bit or token encodings; leave them out of a dataset published as a time-lock challenge (the
    default), since they give every answer away.  Bits: ``x`` then ``modulus`` (4n).  Tokens: the
    bits of ``x``, ``","``, the bits of ``modulus`` (4n + 1).

    Notes
    -----
    Sampling costs two random primes (O(n) Miller-Rabin tests of O(n^3) each, expected) and the
    shortcut, O(log t) multiplications whatever ``t`` is (``n <= MAX_PRIME_BITS``,
    ``t <= MAX_T``); the reference solver does ``t`` squarings.

    Example
    -------
    >>> p = TimelockProblem()
    >>> inst = p.sample(16, 2, seed=0, t=50)
    >>> bool((p.solve(inst.get_inputs(0), t=50) == inst.targets["target"][0]).all()), sorted(inst.meta)
    (True, [])
    >>> sorted(p.sample(16, 2, seed=0, t=50, include_factors=True).meta)
    ['p', 'q']
    """

    key = key_prefix = "timelock"
    variant = ""
    description = "x^(2^t) mod N for N the product of two random n-bit primes (t = n by default)"
    knob = "t"
    min_n = 3
    max_n = MAX_PRIME_BITS
    max_n_reason = "bits per prime; a random 2048-bit prime takes ~1-2 s to find"
    n_meaning = "bits per prime: N = pq has 2n - 1 or 2n bits (the number of squarings t defaults to n)"
    defaults = {"t": None, "include_factors": False}
    facts = ComplexityFacts(
        "P (conjectured inherently sequential)", N, N, False,
        ("Rivest, Shamir, Wagner. Time-lock puzzles and timed-release crypto. MIT/LCS/TR-684, 1996",
         "Boneh, Bonneau, Buenz, Fisch. Verifiable delay functions. CRYPTO 2018",
         "Hesse, Allender, Barrington. Uniform constant-depth threshold circuits for division and iterated "
         "multiplication. JCSS 65(4), 2002"),
        "Bounds for the default t = n (in general depth O(t)). Upper: t modular squarings, each of constant "
        "depth with threshold gates (multiplication and division are in TC0, Hesse-Allender-Barrington). "
        "Lower: conjectured (the RSW time-lock assumption: without the factors of N no parallel algorithm is "
        "substantially faster than t sequential squarings); no unconditional super-constant bound is known, "
        "and modular exponentiation is not known to be P-complete. The hardness knob is t; n sets the size "
        "of N (and so the cost of each squaring and of factoring N). Knowing phi(N) gives the answer with "
        "two modular exponentiations.",
    )

    def resolve_params(self, n: int, params: Mapping[str, Any]) -> dict[str, Any]:
        p = super().resolve_params(n, params)
        p["t"] = n if p["t"] is None else check_int("t", p["t"], 0, MAX_T, where=self.key, error=ProblemParameterError)
        p["include_factors"] = check_bool("include_factors", p["include_factors"], where=self.key, error=ProblemParameterError)
        return p

    def _generate(self, n: int, rng: RecordRNG, params: dict[str, Any]):
        xs, ns, ys, ps, qs = [], [], [], [], []
        for stream in rng.streams("numbers"):
            p = random_prime(n, stream)
            q = random_prime(n, stream)
            while q == p:
                q = random_prime(n, stream)
            modulus = p * q
            x = 2 + stream.below(modulus - 3)
            while gcd(x, modulus) != 1:
                x = 2 + stream.below(modulus - 3)
            xs.append(x), ns.append(modulus), ps.append(p), qs.append(q)
            ys.append(timelock_shortcut(x, params["t"], p, q))
        w = 2 * n
        inputs = {"x": int_to_bits(xs, w), "modulus": int_to_bits(ns, w)}
        meta = {"p": int_to_bits(ps, n), "q": int_to_bits(qs, n)} if params["include_factors"] else {}
        return inputs, {"target": int_to_bits(ys, w)}, meta

    def solve(self, record_inputs: Mapping[str, np.ndarray], **params: Any) -> np.ndarray:
        """The plain loop of ``t`` squarings (``t`` defaults to half the bit width)."""
        xb, nb = np.asarray(record_inputs["x"]), np.asarray(record_inputs["modulus"])
        t = params.get("t")
        t = len(xb) // 2 if t is None else t
        (x,), (modulus,) = bits_to_int(xb[None]), bits_to_int(nb[None])
        return int_to_bits([timelock_naive(x, t, modulus)], len(xb))[0]

    def columns(self, instances: Instances) -> dict[str, Any]:
        def dec(a: np.ndarray) -> np.ndarray:
            return np.array([str(v) for v in bits_to_int(a)], dtype=object)

        cols = {**instances.inputs, **instances.targets, **instances.meta}
        return {k: dec(v) for k, v in cols.items()}

    def encode_bits(self, instances: Instances) -> np.ndarray:
        return np.concatenate([instances.inputs["x"], instances.inputs["modulus"]], axis=1).astype(bool)

    def decode_bits(self, bits: np.ndarray, n: int, **params: Any) -> dict[str, np.ndarray]:
        b = check_bit_rows(bits, 4 * n, self.key, "bits")
        return {"x": b[:, : 2 * n], "modulus": b[:, 2 * n :]}

    def target_bits(self, instances: Instances) -> np.ndarray:
        return instances.targets["target"].astype(bool)

    def vocab(self, n: int, **params: Any) -> list[str]:
        return ["0", "1", ","]

    def encode_tokens(self, instances: Instances) -> np.ndarray:
        x, m = instances.inputs["x"], instances.inputs["modulus"]
        comma = np.full((len(x), 1), 2, dtype=np.int64)
        return np.concatenate([x.astype(np.int64), comma, m.astype(np.int64)], axis=1)

    def decode_tokens(self, tokens: np.ndarray, n: int, **params: Any) -> dict[str, np.ndarray]:
        t = np.asarray(tokens)
        if t.ndim != 2 or t.shape[1] != 4 * n + 1 or (t[:, 2 * n] != 2).any():
            raise ProblemParameterError(f"timelock: tokens must have shape (count, {4 * n + 1}) with ',' at {2 * n}")
        return {"x": check_bit_rows(t[:, : 2 * n], 2 * n, self.key, "tokens"),
                "modulus": check_bit_rows(t[:, 2 * n + 1 :], 2 * n, self.key, "tokens")}


    def families(self) -> list[Any]:
        """``looped``: the iterated-squaring loop, one modular squaring per step (see
        :func:`timelock_families`)."""
        return list(timelock_families())


@lru_cache(maxsize=None)
def timelock_families() -> tuple[Any, ...]:
    """The circuit families of ``timelock``.

    Notes
    -----
    ``looped`` (recurrent): :func:`serialcomp.blocks.modarith.iterated_squaring_looped` on
    ``2n``-bit numbers, run ``t`` steps (``t = n``, the default knob, unless given): each step is one
    shift-and-add modular squaring with carry look-ahead adders (AND/OR gates), depth at most
    ``16 (2n - 1)`` and at least one less, so the claimed serial depth ``16 n (2n - 1)`` is an upper
    bound (``exact=False``) that is tight within ``n`` levels.  No constant- or log-depth family is
    offered: squaring once is in TC0, but no shortcut to ``t`` squarings without the factors of
    ``N`` is known (the RSW assumption).

    Example
    -------
    >>> (fam,) = timelock_families()
    >>> fam.name, fam.kind, fam.exact, fam.claimed(4), fam.serial_depth(4) <= fam.claimed(4)
    ('looped', 'recurrent', False, 448, True)
    """
    from ..blocks.modarith import iterated_squaring_looped
    from ..ir.family import N, CircuitFamily

    looped = CircuitFamily(
        "looped", "timelock", "recurrent", lambda n, t=None: iterated_squaring_looped(2 * n),
        16 * N * (2 * N - 1), exact=False, steps=lambda n, t=None: n if t is None else t,
        description="loop-mode step: one modular squaring of 2n-bit numbers (shift-and-add, carry look-ahead), "
                    "t steps; the first step squares x")
    return (looped,)


register(TimelockProblem())
