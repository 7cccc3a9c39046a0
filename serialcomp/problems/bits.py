"""Numbers as bit rows, little-endian (bit ``j`` of a row is bit ``j`` of the number), for the bit
encodings of problems; and :func:`flat2d`, which flattens per-record arrays into bit rows.

Two widths, two representations: :func:`bits_of` / :func:`int_of_bits` are vectorised over int64
arrays (widths up to 62 bits: element indices, node ids); :func:`int_to_bits` /
:func:`bits_to_int` take Python ints of any size (sums of n-bit numbers, RSA moduli).
"""

from __future__ import annotations

from typing import Any

import numpy as np

from ..errors import ProblemParameterError

__all__ = ["bits_of", "int_of_bits", "int_to_bits", "bits_to_int", "check_bit_rows", "flat2d"]


def bits_of(values: np.ndarray, width: int) -> np.ndarray:
    """Little-endian bits of non-negative ints: shape ``values.shape + (width,)``, bool.

    Example
    -------
    >>> bits_of(np.array([6]), 4).astype(int).tolist()
    [[0, 1, 1, 0]]
    """
    v = np.asarray(values, dtype=np.int64)
    return ((v[..., None] >> np.arange(width, dtype=np.int64)) & 1).astype(bool)


def int_of_bits(bits: np.ndarray) -> np.ndarray:
    """Inverse of :func:`bits_of` along the last axis (width <= 62).

    Example
    -------
    >>> int_of_bits(np.array([[0, 1, 1]])).tolist()
    [6]
    """
    b = np.asarray(bits, dtype=np.int64)
    return (b << np.arange(b.shape[-1], dtype=np.int64)).sum(axis=-1)


def int_to_bits(values: Any, width: int) -> np.ndarray:
    """Little-endian bits of non-negative Python ints (any size), bool ``(len(values), width)``.

    Example
    -------
    >>> int_to_bits([6, 2**70], 71)[:, [0, 1, 2, 70]].astype(int).tolist()
    [[0, 1, 1, 0], [0, 0, 0, 1]]
    """
    vals = [int(v) for v in values]
    if any(v < 0 or v.bit_length() > width for v in vals):
        raise ProblemParameterError(f"values do not fit in {width} unsigned bits")
    nbytes = (width + 7) // 8
    raw = np.frombuffer(b"".join(v.to_bytes(nbytes, "little") for v in vals), dtype=np.uint8)
    return np.unpackbits(raw.reshape(len(vals), nbytes), axis=1, bitorder="little")[:, :width].astype(bool)


def bits_to_int(bits: Any) -> list[int]:
    """Inverse of :func:`int_to_bits`: one Python int per row of a 2-D bit array.

    Example
    -------
    >>> bits_to_int(int_to_bits([5, 2**80 + 1], 81))
    [5, 1208925819614629174706177]
    """
    b = np.asarray(bits)
    if b.ndim != 2:
        raise ProblemParameterError(f"expected a 2-D array of bits, got shape {b.shape}")
    packed = np.packbits(b.astype(bool), axis=1, bitorder="little")
    return [int.from_bytes(row.tobytes(), "little") for row in packed]


def check_bit_rows(a: Any, width: int, where: str, what: str = "bits") -> np.ndarray:
    """``a`` as bool rows ``(count, width)``, else ProblemParameterError: decoders check their input here.

    Entries must be bools or the integers 0 and 1 (a 2 is refused, not read as ``True``).

    Example
    -------
    >>> check_bit_rows([[0, 1, 1]], 3, "parity").tolist()
    [[False, True, True]]
    >>> check_bit_rows([[0, 2]], 2, "parity")
    Traceback (most recent call last):
    ...
    serialcomp.errors.ProblemParameterError: parity: bits must be 0/1 of shape (count, 2), got shape (1, 2)
    """
    a = np.asarray(a)
    if a.ndim != 2 or a.shape[1] != width or (a.size and a.dtype != bool and ((a != 0) & (a != 1)).any()):
        raise ProblemParameterError(f"{where}: {what} must be 0/1 of shape (count, {width}), got shape {a.shape}")
    return a.astype(bool)


def flat2d(a: np.ndarray) -> np.ndarray:
    """``a`` reshaped to ``(len(a), -1)``, also for empty batches.

    Example
    -------
    >>> flat2d(np.zeros((0, 3, 2))).shape
    (0, 6)
    """
    a = np.asarray(a)
    return a.reshape(a.shape[0], int(np.prod(a.shape[1:], dtype=np.int64)))
