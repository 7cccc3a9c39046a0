"""Input patterns for tests of circuits: every pattern, integers as bits and back, random patterns.

One convention throughout: a pattern array is bool of shape (batch, width), and column ``j`` is
bit ``j`` (least significant first) of the integer the row stands for, so ``all_patterns(n)[k]``
is the binary expansion of ``k``.

Example
-------
>>> all_patterns(2).astype(int).tolist()
[[0, 0], [1, 0], [0, 1], [1, 1]]
>>> pattern_values(int_patterns([5, 2], 3)).tolist()
[5, 2]
"""

from __future__ import annotations

from typing import Any

import numpy as np

from .._seed import SeedLike, as_generator
from .._validate import check_int
from ..errors import SimulationInputError

__all__ = ["all_patterns", "int_patterns", "pattern_values", "random_patterns", "MAX_EXHAUSTIVE"]

#: The widest exhaustive pattern set :func:`all_patterns` builds (2**20 rows).
MAX_EXHAUSTIVE = 20


def int_patterns(values: Any, width: int) -> np.ndarray:
    """The bits of non-negative integers: bool (len(values), width), column ``j`` = bit ``j``.

    Parameters
    ----------
    values : sequence of int
        Non-negative integers below ``2**width`` (Python ints of any size, or numpy integers).
    width : int

    Returns
    -------
    numpy.ndarray of bool, shape (len(values), width)

    Notes
    -----
    Vectorised for ``width <= 63``; wider values are split bit by bit in Python.

    Example
    -------
    >>> int_patterns([6], 4).astype(int).tolist()
    [[0, 1, 1, 0]]
    """
    width = check_int("width", width, 0, error=SimulationInputError)
    if width <= 63:
        v = np.asarray(values, dtype=np.int64).reshape(-1)
        if v.size and (v.min() < 0 or (width < 63 and v.max() >= 1 << width)):
            raise SimulationInputError(f"values must lie in [0, 2**{width}), got {int(v.min())}..{int(v.max())}")
        return ((v[:, None] >> np.arange(width, dtype=np.int64)) & 1).astype(bool)
    vals = [int(x) for x in values]
    if any(x < 0 or x >> width for x in vals):
        raise SimulationInputError(f"values must lie in [0, 2**{width})")
    return np.array([[(x >> j) & 1 for j in range(width)] for x in vals], dtype=bool).reshape(len(vals), width)


def pattern_values(bits: Any) -> np.ndarray:
    """The integers that bool rows stand for (column ``j`` = bit ``j``): the inverse of :func:`int_patterns`.

    Returns
    -------
    numpy.ndarray
        int64 for at most 63 columns, else an object array of Python ints.

    Example
    -------
    >>> pattern_values([[1, 0, 1], [0, 0, 1]]).tolist()
    [5, 4]
    """
    b = np.asarray(bits).astype(bool)
    if b.ndim != 2:
        raise SimulationInputError(f"expected bool patterns of shape (batch, width), got shape {b.shape}")
    if b.shape[1] <= 63:
        return (b.astype(np.int64) << np.arange(b.shape[1], dtype=np.int64)).sum(axis=1, dtype=np.int64)
    return np.array([sum(1 << j for j in np.flatnonzero(row).tolist()) for row in b], dtype=object)


def all_patterns(n: int) -> np.ndarray:
    """Every pattern of ``n`` bits: bool (2**n, n), row ``k`` = the bits of ``k``.

    Parameters
    ----------
    n : int
        At most :data:`MAX_EXHAUSTIVE` (an exhaustive check beyond that is not a unit test).

    Example
    -------
    >>> all_patterns(0).shape, all_patterns(3).shape
    ((1, 0), (8, 3))
    """
    n = check_int("n", n, 0, MAX_EXHAUSTIVE, where="all_patterns", error=SimulationInputError)
    return int_patterns(np.arange(1 << n, dtype=np.int64), n)


def random_patterns(n_inputs: int, batch: int = 128, seed: SeedLike = 0) -> np.ndarray:
    """Uniform random bool patterns (batch, n_inputs), deterministic in ``seed``.

    Example
    -------
    >>> p = random_patterns(3, 5, seed=1); p.shape, p.dtype.name, bool((p == random_patterns(3, 5, seed=1)).all())
    ((5, 3), 'bool', True)
    """
    n_inputs = check_int("n_inputs", n_inputs, 0, error=SimulationInputError)
    batch = check_int("batch", batch, 0, error=SimulationInputError)
    return as_generator(seed).random((batch, n_inputs)) < 0.5
