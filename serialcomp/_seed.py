"""Seed normalisation, as in networkx: every random function takes ``seed`` and calls this."""

from __future__ import annotations

from typing import Union

import numpy as np

from .errors import SerialcompError

__all__ = ["SeedLike", "as_generator", "derive_seed", "substream"]

SeedLike = Union[int, np.random.Generator, None]


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
            words.append(int(k) & 0xFFFFFFFFFFFFFFFF)
    ss = np.random.SeedSequence(words)
    return int(ss.generate_state(1, dtype=np.uint64)[0])


def substream(seed: int, *keys: int | str) -> np.random.Generator:
    """A Generator for record/sub-task ``keys`` under ``seed`` (see :func:`derive_seed`)."""
    return np.random.Generator(np.random.PCG64(derive_seed(seed, *keys)))
