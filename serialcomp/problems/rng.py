"""Counter-based, stream-stable random numbers: SplitMix64 arithmetic on uint64 words.

Randomness of the problem generators is counter based: the values record ``i`` draws depend only on
``(seed, problem key, i, stream tag, position)``, never on how many records are generated or where
a batch starts, so a dataset can be generated in shards (``start=``) and still be byte identical
(:class:`RecordRNG`). Every draw is SplitMix64 arithmetic done here (:class:`RecordRNG`, and
:class:`BitStream` for generators that need a variable number of draws per record), never a
``numpy.random.Generator`` method, whose streams NumPy does not promise to keep across versions:
the same seed gives the same instances on every machine and NumPy version. Seeds are normalised
by :mod:`serialcomp._seed`.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from .._seed import SeedLike, derive_seed, stream_seed
from ..errors import ProblemParameterError

__all__ = ["BitStream", "RecordRNG", "as_stream", "MAX_DRAWS"]

MAX_DRAWS = 2**24
"""Most values one record may draw from one :class:`RecordRNG` stream tag: each is a 64-bit word,
so a record at the bound holds 128 MiB of draws. Problems bound their ``n`` by it
(:attr:`~serialcomp.problems.problem.Problem.max_n`); :meth:`RecordRNG.uint64` refuses more."""

_GAMMA = np.uint64(0x9E3779B97F4A7C15)
_M1 = np.uint64(0xBF58476D1CE4E5B9)
_M2 = np.uint64(0x94D049BB133111EB)


def _mix_into(z: np.ndarray) -> None:
    """SplitMix64's finaliser, in place on a uint64 array."""
    t = z >> np.uint64(30)
    z ^= t
    z *= _M1
    np.right_shift(z, np.uint64(27), out=t)
    z ^= t
    z *= _M2
    np.right_shift(z, np.uint64(31), out=t)
    z ^= t


def _mix(z: np.ndarray) -> np.ndarray:
    """SplitMix64's finaliser on a uint64 array (wrapping arithmetic)."""
    z = (z ^ (z >> np.uint64(30))) * _M1
    z = (z ^ (z >> np.uint64(27))) * _M2
    return z ^ (z >> np.uint64(31))


class BitStream:
    """A sequential, stream-stable source of random words for one record (SplitMix64).

    Word ``j`` (``j = 0, 1, ...``) is ``mix(state + (j + 1) * gamma)``: plain uint64 arithmetic,
    so the stream is the same on every machine and NumPy version (unlike the methods of
    ``numpy.random.Generator``). Generators that need a data-dependent number of draws (rejection
    sampling, search) take one per record from :meth:`RecordRNG.streams`; its first words are the
    record's :meth:`RecordRNG.uint64` draws of the same tag.

    Parameters
    ----------
    state : int
        64-bit state (the stream's seed).
    pos : int
        Words already drawn.

    Example
    -------
    >>> s = BitStream(7)
    >>> a = s.uint64(3)
    >>> bool((BitStream(7).uint64(5)[:3] == a).all()), s.pos
    (True, 3)
    >>> 0 <= BitStream(7).below(10) < 10, BitStream(1).randbits(100).bit_length() <= 100
    (True, True)
    """

    __slots__ = ("state", "pos")

    def __init__(self, state: int, pos: int = 0) -> None:
        self.state = int(state) & 0xFFFFFFFFFFFFFFFF
        self.pos = int(pos)

    def __repr__(self) -> str:
        return f"BitStream(state={self.state:#x}, pos={self.pos})"

    def uint64(self, k: int) -> np.ndarray:
        """The next ``k`` words, uint64 ``(k,)``."""
        k = int(k)
        j = np.arange(self.pos + 1, self.pos + k + 1, dtype=np.uint64)
        with np.errstate(over="ignore"):
            z = _mix(j * _GAMMA + np.uint64(self.state))
        self.pos += k
        return z

    def random(self, k: int) -> np.ndarray:
        """The next ``k`` words as uniform floats in [0, 1) (53 random bits each, exact)."""
        return (self.uint64(k) >> np.uint64(11)).astype(np.float64) * (1.0 / 9007199254740992.0)

    def randbits(self, bits: int) -> int:
        """A uniform int in ``[0, 2**bits)`` from ``ceil(bits / 64)`` words (little-endian)."""
        bits = int(bits)
        if bits <= 0:
            return 0
        words = self.uint64(-(-bits // 64)).astype("<u8")
        return int.from_bytes(words.tobytes(), "little") & ((1 << bits) - 1)

    def below(self, m: int) -> int:
        """A uniform int in ``[0, m)`` (``m >= 1``), by rejection of ``bit_length(m - 1)``-bit draws."""
        m = int(m)
        if m < 1:
            raise ProblemParameterError(f"BitStream.below needs m >= 1, got {m}")
        bits = (m - 1).bit_length()
        while True:
            v = self.randbits(bits)
            if v < m:
                return v


def as_stream(seed: "SeedLike | BitStream") -> BitStream:
    """A :class:`BitStream` for ``seed``: a BitStream as is (callers thread one stream through
    several calls), anything else through :func:`serialcomp._seed.stream_seed`.

    An int in ``[0, 2**64)`` seeds ``derive_seed(seed, "BitStream")``; a numpy Generator gives one
    raw word of its bit generator; ``None`` draws fresh OS entropy (not reproducible).

    Example
    -------
    >>> as_stream(3).uint64(2).tolist() == as_stream(3).uint64(2).tolist()
    True
    >>> s = BitStream(5); as_stream(s) is s
    True
    """
    if isinstance(seed, BitStream):
        return seed
    return BitStream(stream_seed(seed))


class RecordRNG:
    """Counter-based random numbers for a batch of records.

    Draw ``j`` of stream ``tag`` for record ``i`` is ``mix(s_i + (j + 1) * gamma)`` with
    ``s_i = mix(derive_seed(seed, key, tag) + i * gamma)`` (SplitMix64), so it depends on the
    record index and never on the batch: ``count`` and ``start`` do not change any record.

    Parameters
    ----------
    seed : int
    key : str
        The problem key (different problems draw different streams from one seed).
    index : int array, shape (count,)
        Record indices.

    Example
    -------
    >>> a = RecordRNG(1, "x", np.arange(4)).integers("t", 10, (3,))
    >>> b = RecordRNG(1, "x", np.arange(2, 6)).integers("t", 10, (3,))
    >>> bool((a[2:] == b[:2]).all())
    True
    """

    def __init__(self, seed: int, key: str, index: np.ndarray) -> None:
        self.seed = int(seed)
        self.key = key
        self.index = np.asarray(index, dtype=np.int64)

    def __len__(self) -> int:
        return len(self.index)

    def uint64(self, tag: str, shape: tuple[int, ...] = (), records_last: bool = False) -> np.ndarray:
        """Raw 64-bit draws, shape ``(count, *shape)`` (or ``(*shape, count)`` if ``records_last``)."""
        size = 1
        for d in shape:  # Python ints: a product of huge dimensions must not wrap
            size *= int(d)
        if size > MAX_DRAWS:
            raise ProblemParameterError(f"{self.key}: a record would draw {size} values for {tag!r}, more than "
                                        f"MAX_DRAWS={MAX_DRAWS} (each a 64-bit word)")
        base = np.uint64(derive_seed(self.seed, self.key, tag))
        count = len(self.index)
        with np.errstate(over="ignore"):
            s = _mix(base + self.index.astype(np.uint64) * _GAMMA)
            j = np.arange(1, size + 1, dtype=np.uint64) * _GAMMA
            out = np.empty((size, count) if records_last else (count, size), dtype=np.uint64)
            # blocks of about 2**15 values keep the mixing passes in cache
            if records_last:
                step = max(1, (1 << 15) // max(count, 1))
                for a in range(0, size, step):
                    _mix_into(np.add(j[a : a + step, None], s[None, :], out=out[a : a + step]))
            else:
                step = max(1, (1 << 15) // max(size, 1))
                for a in range(0, count, step):
                    _mix_into(np.add(s[a : a + step, None], j[None, :], out=out[a : a + step]))
        return out.reshape(*shape, count) if records_last else out.reshape(count, *shape)

    def random(self, tag: str, shape: tuple[int, ...] = (), records_last: bool = False) -> np.ndarray:
        """Uniform floats in [0, 1) with 53 random bits."""
        z = self.uint64(tag, shape, records_last)
        return (z >> np.uint64(11)).astype(np.float64) * (1.0 / 9007199254740992.0)

    def integers(self, tag: str, high: Any, shape: tuple[int, ...] = (), records_last: bool = False) -> np.ndarray:
        """Integers in ``[0, high)`` (``high`` >= 1: a scalar, or an array broadcasting to the draws).

        For a scalar ``high < 2**31`` each 64-bit draw gives two values (its 32-bit halves, times
        ``high``, high word; bias below ``high / 2**32``).
        """
        h = np.asarray(high, dtype=np.int64)
        if h.ndim == 0 and int(h) < 2**31:
            size = int(np.prod(shape, dtype=np.int64))
            half = (size + 1) // 2
            z = self.uint64(tag, (half,), records_last)
            hi, lo = z >> np.uint64(32), z & np.uint64(0xFFFFFFFF)
            axis = 0 if records_last else 1
            v = np.concatenate([hi, lo], axis=axis)
            v = v[:size] if records_last else v[:, :size]
            with np.errstate(over="ignore"):
                v *= np.uint64(int(h))
            v >>= np.uint64(32)
            v = v.astype(np.int64)
            c = len(self.index)
            return v.reshape(*shape, c) if records_last else v.reshape(c, *shape)
        z = self.uint64(tag, shape, records_last)
        if h.size and int(h.max()) < 2**31:
            with np.errstate(over="ignore"):
                return (((z >> np.uint64(32)) * h.astype(np.uint64)) >> np.uint64(32)).astype(np.int64)
        u = (z >> np.uint64(11)).astype(np.float64) * (1.0 / 9007199254740992.0)
        return np.minimum((u * h).astype(np.int64), h - 1)

    def bits(self, tag: str, shape: tuple[int, ...] = (), records_last: bool = False) -> np.ndarray:
        """Fair coin flips as bool."""
        return (self.uint64(tag, shape, records_last) >> np.uint64(63)).astype(bool)

    def permutations(self, tag: str, k: int) -> np.ndarray:
        """One uniformly random permutation of ``range(k)`` per record, shape ``(count, k)``."""
        keys = self.uint64(tag, (k,))
        return np.argsort(keys, axis=1, kind="stable").astype(np.int64)

    def streams(self, tag: str) -> list[BitStream]:
        """One :class:`BitStream` per record, for draws whose number depends on the data.

        Stream ``i`` continues the counter of record ``i``: its first ``k`` words are
        ``uint64(tag, (k,))[i]``, so it depends on the record index only, never on the batch.

        Example
        -------
        >>> rng = RecordRNG(5, "x", np.arange(3, 6))
        >>> bool((rng.streams("t")[1].uint64(4) == rng.uint64("t", (4,))[1]).all())
        True
        >>> alone = RecordRNG(5, "x", np.arange(4, 5)).streams("t")[0]   # record 4 in a batch of one
        >>> alone.uint64(2).tolist() == rng.streams("t")[1].uint64(2).tolist()
        True
        """
        base = np.uint64(derive_seed(self.seed, self.key, tag))
        with np.errstate(over="ignore"):
            s = _mix(base + self.index.astype(np.uint64) * _GAMMA)
        return [BitStream(int(v)) for v in s.tolist()]
