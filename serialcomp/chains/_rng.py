"""Counter-based draws of the chains: SplitMix64 words, in pure Python and as Numba helpers.

Chain ``c`` of a run has a 64-bit state ``mix(base + (c + 1) * gamma)`` (:func:`chain_states`);
its word ``j`` is ``mix(state + j * gamma)``, the words of :class:`serialcomp.problems.rng.BitStream`
of that state. Word 0 is the chain's answer coin (:func:`coin`); the search draws words 1, 2, ...
in order (:func:`below`: an exact uniform integer by Lemire's multiply-and-reject on 32-bit
halves). The Numba kernels and the pure-Python references draw the same words in the same order,
so they emit the same traces; nothing here uses a numpy distribution method.
"""

from __future__ import annotations

import numpy as np

from .._jit import jit
from .._seed import derive_seed

__all__ = ["GAMMA", "mix64", "word", "below", "coin", "chain_states", "run_base"]

GAMMA = 0x9E3779B97F4A7C15
_M1 = 0xBF58476D1CE4E5B9
_M2 = 0x94D049BB133111EB
_MASK = (1 << 64) - 1
_U_GAMMA = np.uint64(GAMMA)
_U_M1 = np.uint64(_M1)
_U_M2 = np.uint64(_M2)


def mix64(z: int) -> int:
    """SplitMix64's finaliser on a Python int (mod 2**64).

    Example
    -------
    >>> mix64(0), mix64(1) != mix64(2)
    (0, True)
    """
    z &= _MASK
    z = ((z ^ (z >> 30)) * _M1) & _MASK
    z = ((z ^ (z >> 27)) * _M2) & _MASK
    return z ^ (z >> 31)


def word(state: int, j: int) -> int:
    """Word ``j`` of the stream with ``state``: ``mix(state + j * gamma)``.

    Example
    -------
    >>> from serialcomp.problems.rng import BitStream
    >>> word(7, 1) == int(BitStream(7).uint64(1)[0])
    True
    """
    return mix64(state + j * GAMMA)


def below(state: int, j: int, m: int) -> tuple[int, int]:
    """A uniform int in ``[0, m)`` (``1 <= m < 2**32``) from words ``j + 1, ...``; returns ``(value, last j)``.

    Lemire's method on the high 32 bits of each word: exact (a draw in the biased low range is
    rejected and the next word taken).

    Example
    -------
    >>> v, j = below(7, 0, 3)
    >>> 0 <= v < 3, j >= 1
    (True, True)
    """
    while True:
        j += 1
        x = word(state, j) >> 32
        prod = x * m
        low = prod & 0xFFFFFFFF
        if low >= m or low >= ((1 << 32) - m) % m:
            return prod >> 32, j


def coin(state: int) -> bool:
    """The chain's answer coin: the top bit of word 0.

    Example
    -------
    >>> coin(5) in (True, False)
    True
    """
    return bool(mix64(state) >> 63)


def run_base(seed: int, *keys: int | str) -> int:
    """The base of a run's chain states: ``derive_seed(seed, "serialcomp.chains", *keys)``.

    Example
    -------
    >>> run_base(0, "dfs", 0) == run_base(0, "dfs", 0) != run_base(0, "dfs", 1)
    True
    """
    return derive_seed(int(seed), "serialcomp.chains", *keys)


def chain_states(base: int, start: int, count: int) -> np.ndarray:
    """States of chains ``start .. start + count - 1``: ``mix(base + (c + 1) * gamma)``, uint64 ``(count,)``.

    Example
    -------
    >>> chain_states(3, 0, 4)[2:].tolist() == chain_states(3, 2, 2).tolist()
    True
    """
    c = np.arange(start + 1, start + count + 1, dtype=np.uint64)
    with np.errstate(over="ignore"):
        z = c * _U_GAMMA + np.uint64(int(base) & _MASK)
        z = (z ^ (z >> np.uint64(30))) * _U_M1
        z = (z ^ (z >> np.uint64(27))) * _U_M2
        return z ^ (z >> np.uint64(31))


@jit
def _mix(z):  # pragma: no cover - compiled
    z = (z ^ (z >> np.uint64(30))) * np.uint64(0xBF58476D1CE4E5B9)
    z = (z ^ (z >> np.uint64(27))) * np.uint64(0x94D049BB133111EB)
    return z ^ (z >> np.uint64(31))


@jit
def _word(state, j):  # pragma: no cover - compiled
    return _mix(state + np.uint64(j) * np.uint64(0x9E3779B97F4A7C15))


@jit
def _below(state, j, m):  # pragma: no cover - compiled
    """Numba twin of :func:`below`: returns ``(value, last j)``."""
    mm = np.uint64(m)
    while True:
        j += 1
        x = _word(state, j) >> np.uint64(32)
        prod = x * mm
        low = prod & np.uint64(0xFFFFFFFF)
        if low >= mm or low >= (np.uint64(4294967296) - mm) % mm:
            return np.int64(prod >> np.uint64(32)), j
