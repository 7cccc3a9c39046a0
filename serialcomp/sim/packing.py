"""Bit packing between bool pattern arrays and the simulator's uint64 word layout, and packed random patterns.

Layout (the same as Stim's ``ptb64``): a signal is a row of uint64 words; bit ``j`` (least
significant first) of word ``w`` is pattern ``64*w + j``.  A bool array of shape
(batch, n_signals) packs to a uint64 array of shape (n_signals, ceil(batch / 64)); padding bits of
the last word are 0.

:func:`pack_bits` and :func:`unpack_bits` run in Numba kernels (one pass, 64 patterns at a time,
each a transposition of a 64 x n block that stays in cache), beside the numpy references
:func:`pack_bits_reference` / :func:`unpack_bits_reference` the tests compare them with.
:func:`random_pattern_words` draws random patterns already packed, so a random simulation never
builds a bool array at all.

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

from .._jit import jit
from .._seed import SeedLike, as_generator
from .._validate import check_int
from ..errors import SimulationInputError

__all__ = [
    "pack_bits", "unpack_bits", "random_pattern_words", "random_words", "n_words_for",
    "pack_bits_reference", "unpack_bits_reference",
]


def n_words_for(batch: int) -> int:
    """Number of 64-bit words holding ``batch`` patterns: ``ceil(batch / 64)``.

    Example
    -------
    >>> n_words_for(0), n_words_for(64), n_words_for(65)
    (0, 1, 2)
    """
    return (check_int("batch", batch, 0, error=SimulationInputError) + 63) // 64


def _bits_u8(bits: Any) -> np.ndarray:
    """``bits`` as a C-contiguous (batch, n) uint8 array of 0/1 (a view of a bool array, no copy)."""
    arr = np.asarray(bits)
    if arr.ndim != 2:
        raise SimulationInputError(f"expected a 2-D (batch, n) array of bits, got shape {arr.shape}")
    if arr.dtype != np.bool_:
        if arr.dtype.kind not in "iu" or (arr.size and (arr.min() < 0 or arr.max() > 1)):
            raise SimulationInputError(f"expected bool or 0/1 integer bits, got dtype {arr.dtype}")
        return np.ascontiguousarray(arr, dtype=np.uint8)
    return np.ascontiguousarray(arr).view(np.uint8)


@jit
def _pack_kernel(bits, out):  # pragma: no cover - compiled
    """``out[i, w]`` bit ``j`` = ``bits[64*w + j, i]``; ``bits`` (batch, n) uint8 0/1, ``out`` (n, nw)."""
    batch, n = bits.shape
    nw = out.shape[1]
    acc = np.zeros(n, np.uint64)
    for w in range(nw):
        base = 64 * w
        m = min(64, batch - base)
        for i in range(n):
            acc[i] = 0
        for j in range(m):
            row = bits[base + j]
            sh = np.uint64(j)
            for i in range(n):  # contiguous in both arrays: vectorised
                acc[i] |= np.uint64(row[i]) << sh
        for i in range(n):
            out[i, w] = acc[i]


@jit
def _unpack_kernel(words, batch, out):  # pragma: no cover - compiled
    """``out[64*w + j, i]`` = bit ``j`` of ``words[i, w]`` for the first ``batch`` patterns (uint8 0/1)."""
    n, nw = words.shape
    cur = np.zeros(n, np.uint64)
    one = np.uint64(1)
    for w in range(nw):
        base = 64 * w
        if base >= batch:
            break
        m = min(64, batch - base)
        for i in range(n):
            cur[i] = words[i, w]
        for j in range(m):
            row = out[base + j]
            sh = np.uint64(j)
            for i in range(n):
                row[i] = np.uint8((cur[i] >> sh) & one)


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
    One Numba pass over the bits, O(batch * n), no temporary beyond the result (a bool array is
    read in place; an integer array is first converted to uint8).  Reference:
    :func:`pack_bits_reference`.

    Example
    -------
    >>> import numpy as np
    >>> pack_bits(np.array([[1], [0], [1]], bool)).tolist()
    [[5]]
    """
    arr = _bits_u8(bits)
    batch, n = arr.shape
    out = np.empty((n, n_words_for(batch)), np.uint64)
    if out.size:
        _pack_kernel(arr, out)
    return out


def _check_words(words: Any, batch: int | None) -> tuple[np.ndarray, int]:
    w = np.asarray(words)
    if w.ndim != 2 or w.dtype != np.uint64:
        raise SimulationInputError(f"expected uint64 words of shape (n, n_words), got {w.dtype} {w.shape}")
    w = np.ascontiguousarray(w)
    total = 64 * w.shape[1]
    if batch is None:
        return w, total
    batch = check_int("batch", batch, 0, total, where=f"{w.shape[1]} words (64 patterns each)",
                      error=SimulationInputError)
    return w, batch


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

    Notes
    -----
    One Numba pass writing the result, O(batch * n), no other temporary.  Reference:
    :func:`unpack_bits_reference`.

    Example
    -------
    >>> import numpy as np
    >>> unpack_bits(np.array([[5]], np.uint64), 3).ravel().tolist()
    [True, False, True]
    """
    w, batch = _check_words(words, batch)
    out = np.empty((batch, w.shape[0]), np.uint8)
    if out.size:
        _unpack_kernel(w, batch, out)
    return out.view(np.bool_)


def pack_bits_reference(bits: Any) -> np.ndarray:
    """The numpy reference of :func:`pack_bits` (``np.packbits`` on the transposed bits).

    Example
    -------
    >>> import numpy as np
    >>> pack_bits_reference(np.array([[1], [0], [1]], bool)).tolist()
    [[5]]
    """
    arr = _bits_u8(bits).view(np.bool_)
    batch, n = arr.shape
    nw = n_words_for(batch)
    packed8 = np.packbits(arr.T, axis=1, bitorder="little")  # (n, ceil(batch / 8))
    buf = np.zeros((n, nw * 8), np.uint8)
    buf[:, : packed8.shape[1]] = packed8
    return buf.view("<u8").astype(np.uint64, copy=False).reshape(n, nw)


def unpack_bits_reference(words: Any, batch: int | None = None) -> np.ndarray:
    """The numpy reference of :func:`unpack_bits` (``np.unpackbits`` of the little-endian bytes).

    Example
    -------
    >>> import numpy as np
    >>> unpack_bits_reference(np.array([[5]], np.uint64), 3).ravel().tolist()
    [True, False, True]
    """
    w, batch = _check_words(words, batch)
    n, nw = w.shape
    as_bytes = np.ascontiguousarray(w, dtype="<u8").view(np.uint8).reshape(n, nw * 8)
    bits = np.unpackbits(as_bytes, axis=1, count=batch, bitorder="little")  # (n, batch)
    return np.ascontiguousarray(bits.T.astype(bool))


def random_pattern_words(n_inputs: int, batch: int, seed: SeedLike = None, *, start: int = 0) -> np.ndarray:
    """``batch`` uniformly random patterns of ``n_inputs`` bits, drawn packed: uint64 (n_inputs, ceil(batch / 64)).

    Parameters
    ----------
    n_inputs : int
    batch : int
        Number of patterns; the bits of the last word past ``batch`` are 0 (as :func:`pack_bits`
        leaves them).
    seed : int, numpy Generator or None
        See :func:`serialcomp._seed.as_generator`.  A Generator's bit generator is advanced.
    start : int
        Index of the first pattern, a multiple of 64, for drawing a long stream in chunks
        (int seeds only): ``random_pattern_words(n, b, s, start=64*k)`` is word columns ``k ..``
        of one long draw.

    Returns
    -------
    numpy.ndarray of uint64, shape (n_inputs, ceil(batch / 64)), C-contiguous
        The simulator's layout: bit ``j`` of word ``w`` of row ``i`` is input ``i`` of pattern
        ``64*w + j``.

    Notes
    -----
    Each word is one raw 64-bit output of the seed's PCG64 bit generator (``random_raw``), whose
    stream is fixed by its algorithm: the same seed gives the same bytes on every machine and numpy
    version.  Words are drawn pattern-word by pattern-word (the ``n_inputs`` words of patterns
    ``64*w .. 64*w + 63`` are consecutive outputs), so the first patterns do not depend on
    ``batch``: a longer draw extends a shorter one.  Cost: 8 bytes of output per 64 patterns and
    input, plus a transposed copy; no bool array, no float per bit.

    Example
    -------
    >>> w = random_pattern_words(3, 100, seed=1)
    >>> w.shape, w.dtype.name, bool((w[:, 1] >> 36 == 0).all())
    ((3, 2), 'uint64', True)
    >>> bool((random_pattern_words(3, 64, seed=1) == w[:, :1]).all())
    True
    >>> bool((random_pattern_words(3, 36, seed=1, start=64) == w[:, 1:]).all())
    True
    """
    n_inputs = check_int("n_inputs", n_inputs, 0, error=SimulationInputError)
    batch = check_int("batch", batch, 0, error=SimulationInputError)
    start = check_int("start", start, 0, error=SimulationInputError)
    if start % 64:
        raise SimulationInputError(f"start must be a multiple of 64 (a whole word of patterns), got {start}")
    if start and isinstance(seed, np.random.Generator):
        raise SimulationInputError("start= needs an int seed (a Generator is already at some point of its stream)")
    nw = n_words_for(batch)
    bg = as_generator(seed).bit_generator
    if start and n_inputs:
        bg.advance((start // 64) * n_inputs)
    raw = np.asarray(bg.random_raw(nw * n_inputs), dtype=np.uint64).reshape(nw, n_inputs)
    words = np.ascontiguousarray(raw.T)
    if batch % 64 and n_inputs:
        words[:, -1] &= np.uint64((1 << (batch % 64)) - 1)
    return words


def random_words(n_rows: int, n_words: int, seed: SeedLike = None) -> np.ndarray:
    """Uniformly random uint64 words of shape (n_rows, n_words): random patterns, already packed.

    Kept for its stream (``Generator.integers``); :func:`random_pattern_words` draws a given number
    of patterns, with the tail masked and a stream fixed across numpy versions.

    Example
    -------
    >>> random_words(3, 4, seed=1).shape
    (3, 4)
    """
    rng = as_generator(seed)
    n_rows = check_int("n_rows", n_rows, 0, error=SimulationInputError)
    n_words = check_int("n_words", n_words, 0, error=SimulationInputError)
    return rng.integers(0, np.iinfo(np.uint64).max, size=(n_rows, n_words), dtype=np.uint64, endpoint=True)
