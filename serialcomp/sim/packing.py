"""Bit packing between bool pattern arrays and the simulator's uint64 word layout.

Layout (the same as Stim's ``ptb64``): a signal is a row of uint64 words; bit ``j`` (least
significant first) of word ``w`` is pattern ``64*w + j``.  A bool array of shape
(batch, n_signals) packs to a uint64 array of shape (n_signals, ceil(batch / 64)); padding bits of
the last word are 0.

Example
-------
>>> import numpy as np
>>> bits = np.zeros((70, 2), bool); bits[0, 0] = bits[65, 1] = True
>>> words = pack_bits(bits)
>>> words.shape, words.dtype.name, [hex(int(x)) for x in words[:, 1]]
((2, 2), 'uint64', ['0x0', '0x2'])
>>> bool(np.array_equal(unpack_bits(words, 70), bits))
True
"""

from __future__ import annotations

from typing import Any

import numpy as np

from .._seed import SeedLike, as_generator
from ..errors import SimulationInputError

__all__ = ["pack_bits", "unpack_bits", "random_words", "n_words_for"]


def n_words_for(batch: int) -> int:
    """Number of 64-bit words holding ``batch`` patterns: ``ceil(batch / 64)``.

    Example
    -------
    >>> n_words_for(0), n_words_for(64), n_words_for(65)
    (0, 1, 2)
    """
    return (int(batch) + 63) // 64


def pack_bits(bits: Any) -> np.ndarray:
    """Pack bool patterns (batch, n) into uint64 words (n, ceil(batch / 64)).

    Parameters
    ----------
    bits : array-like of bool (or 0/1 integers), shape (batch, n)

    Returns
    -------
    numpy.ndarray of uint64, shape (n, ceil(batch / 64)), C-contiguous
        Bit ``j`` of word ``w`` of row ``i`` is ``bits[64*w + j, i]``; padding bits are 0.

    Notes
    -----
    O(batch * n) with numpy's ``packbits``; about one byte of temporary memory per 8 bits.

    Example
    -------
    >>> import numpy as np
    >>> pack_bits(np.array([[1], [0], [1]], bool)).tolist()
    [[5]]
    """
    arr = np.asarray(bits)
    if arr.ndim != 2:
        raise SimulationInputError(f"expected a 2-D (batch, n) array of bits, got shape {arr.shape}")
    if arr.dtype != np.bool_:
        if arr.dtype.kind not in "iu" or (arr.size and (arr.min() < 0 or arr.max() > 1)):
            raise SimulationInputError(f"expected bool or 0/1 integer bits, got dtype {arr.dtype}")
        arr = arr.astype(bool)
    batch, n = arr.shape
    nw = n_words_for(batch)
    packed8 = np.packbits(arr.T, axis=1, bitorder="little")  # (n, ceil(batch / 8))
    buf = np.zeros((n, nw * 8), np.uint8)
    buf[:, : packed8.shape[1]] = packed8
    return buf.view("<u8").astype(np.uint64, copy=False).reshape(n, nw)


def unpack_bits(words: Any, batch: int | None = None) -> np.ndarray:
    """Unpack uint64 words (n, n_words) into bool patterns (batch, n).

    Parameters
    ----------
    words : numpy.ndarray of uint64, shape (n, n_words)
    batch : int, optional
        Number of patterns to keep (default ``64 * n_words``); at most ``64 * n_words``.

    Returns
    -------
    numpy.ndarray of bool, shape (batch, n), C-contiguous

    Example
    -------
    >>> import numpy as np
    >>> unpack_bits(np.array([[5]], np.uint64), 3).ravel().tolist()
    [True, False, True]
    """
    w = np.asarray(words)
    if w.ndim != 2 or w.dtype != np.uint64:
        raise SimulationInputError(f"expected uint64 words of shape (n, n_words), got {w.dtype} {w.shape}")
    n, nw = w.shape
    total = 64 * nw
    batch = total if batch is None else int(batch)
    if not 0 <= batch <= total:
        raise SimulationInputError(f"batch must be between 0 and 64 * n_words = {total}, got {batch}")
    as_bytes = np.ascontiguousarray(w, dtype="<u8").view(np.uint8).reshape(n, nw * 8)
    bits = np.unpackbits(as_bytes, axis=1, count=batch, bitorder="little")  # (n, batch)
    return np.ascontiguousarray(bits.T.astype(bool))


def random_words(n_rows: int, n_words: int, seed: SeedLike = None) -> np.ndarray:
    """Uniformly random uint64 words of shape (n_rows, n_words): random patterns, already packed.

    Example
    -------
    >>> random_words(3, 4, seed=1).shape
    (3, 4)
    """
    rng = as_generator(seed)
    return rng.integers(0, np.iinfo(np.uint64).max, size=(int(n_rows), int(n_words)), dtype=np.uint64,
                        endpoint=True)
