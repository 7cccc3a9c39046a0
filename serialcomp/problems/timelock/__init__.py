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

Modules: :mod:`.numbers` (primality, random primes, the naive and shortcut answers),
:mod:`.problem` (the registered problem and its family) and :mod:`.modarith` (modular addition,
doubling and squaring with the modulus as input, and the loop of iterated squarings, as circuits).

Example
-------
>>> p, q = random_prime(16, seed=1), random_prime(16, seed=2)
>>> timelock_shortcut(5, 40, p, q) == timelock_naive(5, 40, p * q)
True
"""

from __future__ import annotations

from ..bits import bits_to_int, int_to_bits  # kept here for code that imported them from timelock
from .numbers import is_probable_prime, random_prime, timelock_naive, timelock_shortcut
from .problem import MAX_PRIME_BITS, MAX_T, TimelockProblem, timelock_families

__all__ = [
    "MAX_PRIME_BITS",
    "MAX_T",
    "TimelockProblem",
    "is_probable_prime",
    "random_prime",
    "timelock_naive",
    "timelock_shortcut",
    "timelock_families",
    "int_to_bits",
    "bits_to_int",
]
