"""Seed normalisation, as in networkx: every random function takes ``seed`` and calls one of these.

A *seed* (:data:`SeedLike`) is a non-negative int, a ``numpy.random.Generator`` (drawn from, so
callers can thread one stream through several calls) or ``None`` (fresh OS entropy, not
reproducible). What a function needs from it is one of three things, each normalised here:

* :func:`seed_int`: the int a dataset records (``Instances.seed``, the ``seed`` column), from which
  every record's counter-based stream is derived;
* :func:`stream_seed`: the 64-bit state of a sequential stream (``problems.rng.BitStream``);
* :func:`as_generator`: a numpy Generator (simulator patterns, tests).

:func:`derive_seed` derives independent 64-bit seeds for sub-tasks (record ``i``, problem ``key``)
from one seed, machine independently. A Generator contributes one raw word of its bit generator
(``bit_generator.random_raw``: the bit generator's own algorithm, not a distribution method, whose
streams NumPy does not promise to keep).
"""

from __future__ import annotations

from typing import Any, Union

import numpy as np

from .errors import ProblemParameterError, SerialcompError

__all__ = ["SeedLike", "seed_int", "stream_seed", "as_generator", "derive_seed"]

SeedLike = Union[int, np.integer, np.random.Generator, None]

_MASK64 = (1 << 64) - 1


def _entropy_word(seed: np.random.Generator | None) -> int:
    """One 64-bit word: a raw draw of the Generator's bit generator, or fresh OS entropy for ``None``."""
    if seed is None:
        return int(np.random.SeedSequence().generate_state(1, dtype=np.uint64)[0])
    return int(seed.bit_generator.random_raw()) & _MASK64


def _checked(seed: Any, bits: int, why: str, error: type[SerialcompError]) -> int:
    """An int seed in ``[0, 2**bits)``; bools, floats and other types are refused."""
    if isinstance(seed, (bool, np.bool_)) or not isinstance(seed, (int, np.integer)):
        raise error(f"seed must be an int, a numpy Generator or None, got {seed!r}")
    if not 0 <= int(seed) < 1 << bits:
        shown = str(int(seed)) if int(seed).bit_length() < 256 else f"a {int(seed).bit_length()}-bit number"
        raise error(f"seed must be in [0, 2**{bits}){why}, got {shown}")
    return int(seed)


def seed_int(seed: SeedLike, *, bits: int = 64, why: str = "",
             error: type[SerialcompError] = ProblemParameterError) -> int:
    """The int seed recorded for ``seed``: an int checked to lie in ``[0, 2**bits)``.

    A Generator gives one raw word of its bit generator and ``None`` one word of OS entropy, both
    kept below ``2**63`` so the recorded seed fits an int64 column.

    Parameters
    ----------
    seed : int, numpy Generator or None
    bits : int
        Ints must lie in ``[0, 2**bits)``: 64 for sampling (the streams use 64 bits, so a larger
        seed would alias a smaller one), 63 for export (the ``seed`` column is int64).
    why : str
        Appended to the range in the message, e.g. ``" to be exported (the seed column is int64)"``.
    error : type
        The :class:`~serialcomp.errors.SerialcompError` subclass raised for a bad seed.

    Example
    -------
    >>> seed_int(7), seed_int(np.random.default_rng(0)) == seed_int(np.random.default_rng(0))
    (7, True)
    >>> seed_int(2**63, bits=63)
    Traceback (most recent call last):
    ...
    serialcomp.errors.ProblemParameterError: seed must be in [0, 2**63), got 9223372036854775808
    """
    if seed is None or isinstance(seed, np.random.Generator):
        return _entropy_word(seed) >> 1
    return _checked(seed, bits, why, error)


def stream_seed(seed: SeedLike, *, error: type[SerialcompError] = ProblemParameterError) -> int:
    """The 64-bit state of a sequential stream for ``seed``.

    An int in ``[0, 2**64)`` gives ``derive_seed(seed, "BitStream")`` (so stream ``s`` and the
    records of seed ``s`` are unrelated draws); a Generator one raw word; ``None`` OS entropy.

    Example
    -------
    >>> stream_seed(3) == derive_seed(3, "BitStream"), 0 <= stream_seed(None) < 2**64
    (True, True)
    """
    if seed is None or isinstance(seed, np.random.Generator):
        return _entropy_word(seed)
    return derive_seed(_checked(seed, 64, "", error), "BitStream")


def as_generator(seed: SeedLike) -> np.random.Generator:
    """Return a numpy Generator for ``seed``.

    Parameters
    ----------
    seed
        ``None`` (fresh entropy, not reproducible), a non-negative int (PCG64 seeded with it), or a
        Generator (returned as is, so callers can thread one stream through several calls).

    Example
    -------
    >>> as_generator(7).integers(0, 100, 3).tolist() == as_generator(7).integers(0, 100, 3).tolist()
    True
    """
    if isinstance(seed, np.random.Generator):
        return seed
    if seed is None:
        return np.random.default_rng()
    if isinstance(seed, (bool, np.bool_)) or not isinstance(seed, (int, np.integer)):
        raise SerialcompError(f"seed must be an int, a numpy Generator or None, got {seed!r}")
    if seed < 0:
        raise SerialcompError(f"seed must be non-negative, got {seed}")
    return np.random.Generator(np.random.PCG64(int(seed)))


def derive_seed(seed: int, *keys: int | str) -> int:
    """A 64-bit seed derived from ``seed`` and ``keys`` (counter-based, machine independent).

    Record ``i`` of a dataset uses ``derive_seed(seed, i)`` so it does not depend on how many
    records are generated.

    Example
    -------
    >>> derive_seed(1, 0) == derive_seed(1, 0) != derive_seed(1, 1)
    True
    """
    if not 0 <= int(seed) < 2**64:  # masking would alias seed and seed + 2**64
        raise SerialcompError(f"seed must be in [0, 2**64), got {seed}")
    words = [int(seed)]
    for k in keys:
        if isinstance(k, str):
            words.extend(k.encode("utf-8"))
        else:
            words.append(int(k) & _MASK64)
    ss = np.random.SeedSequence(words)
    return int(ss.generate_state(1, dtype=np.uint64)[0])
