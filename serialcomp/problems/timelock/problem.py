"""The registered problem ``timelock`` (``x^(2^t) mod N`` for ``N`` the product of two random n-bit
primes) and its circuit family.
"""

from __future__ import annotations

from functools import lru_cache
from math import gcd
from typing import Any, Mapping

import numpy as np
import sympy

from ..._validate import check_bool, check_int
from ...errors import ProblemParameterError
from ...ir.family import N
from ..bits import bits_to_int, check_bit_rows, int_to_bits
from ..facts import Bound, ComplexityFacts
from ..instances import Instances
from ..problem import Problem
from ..registry import register
from ..rng import RecordRNG
from .numbers import random_prime, timelock_naive, timelock_shortcut

__all__ = ["MAX_PRIME_BITS", "MAX_T", "TimelockProblem", "timelock_families"]

MAX_PRIME_BITS = 2048
"""Largest ``n`` (bits per prime): finding a random 2048-bit prime takes ~1-2 s of pure-Python
Miller-Rabin, and the cost grows about as ``n^4``; ``N`` then has 4096 bits."""
MAX_T = 2**63 - 1
"""Largest ``t``: sampling costs O(log t) whatever ``t`` is, but ``t`` is recorded as an int64 parameter.
The reference solver :func:`timelock_naive` does ``t`` squarings, so check large-``t`` answers with
:func:`timelock_shortcut` and the factors (``include_factors=True``) instead."""


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
        "P (conjectured inherently sequential)", N, sympy.Integer(1), True,
        ("Rivest, Shamir, Wagner. Time-lock puzzles and timed-release crypto. MIT/LCS/TR-684, 1996",
         "Boneh, Bonneau, Buenz, Fisch. Verifiable delay functions. CRYPTO 2018",
         "Hesse, Allender, Barrington. Uniform constant-depth threshold circuits for division and iterated "
         "multiplication. JCSS 65(4), 2002"),
        "Bounds for the default t = n. Upper, cited and not built here: t modular squarings, each of constant "
        "depth with threshold gates (multiplication and division are in TC0, Hesse-Allender-Barrington), so "
        "depth O(t). What is built (the looped family) is t squarings of depth at most 16(2n - 1) each with "
        "AND/OR gates (shift-and-add, carry look-ahead): serial depth 16 n (2n - 1), O(n^2) for t = n. Lower: "
        "only the trivial bound is proven; depth about t is the RSW time-lock assumption (a cryptographic "
        "assumption, not implied by P != NC: without the factors of N no parallel algorithm is substantially "
        "faster than t sequential squarings), and modular exponentiation is not known to be P-complete. The "
        "hardness knob is t; n sets the size of N (and so the cost of each squaring and of factoring N). "
        "Knowing phi(N) gives the answer with two modular exponentiations.",
        (Bound("upper", "TC0", N, "proven", "arith.timelock_tc0_step", "n (cited, not built)"),
         Bound("lower", "TC0", sympy.Integer(1), "proven", "fanin.trivial_lower"),
         Bound("lower", "TC0", N, "conjectured", "arith.timelock_rsw", "n (RSW assumption)"),
         Bound("upper", "AC0", N**2, "proven", "arith.timelock_looped", "n^2 (built)")),
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
    ``looped`` (recurrent): :func:`serialcomp.problems.timelock.modarith.iterated_squaring_looped` on
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
    from ...ir.family import CircuitFamily
    from .modarith import iterated_squaring_looped

    looped = CircuitFamily(
        "looped", "timelock", "recurrent", lambda n, t=None: iterated_squaring_looped(2 * n),
        16 * N * (2 * N - 1), exact=False, steps=lambda n, t=None: n if t is None else t,
        description="loop-mode step: one modular squaring of 2n-bit numbers (shift-and-add, carry look-ahead), "
                    "t steps; the first step squares x")
    return (looped,)


register(TimelockProblem())
