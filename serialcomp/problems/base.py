"""The problem contract: complexity facts, sampled instances, and the :class:`Problem` base class.

A problem is a task with exact answers: ``sample(n, count, seed)`` draws instances as numpy arrays
whose leading axis is the record, a reference solver gives the target of one instance, and
encodings turn instances into bits (for circuits) and tokens (for sequence models).

Randomness is counter based: the values record ``i`` draws depend only on ``(seed, problem key,
i, stream tag, position)``, never on how many records are generated or where a batch starts, so a
dataset can be generated in shards (``start=``) and still be byte identical (see :class:`RecordRNG`).
Every draw is SplitMix64 arithmetic on uint64 words done here (:class:`RecordRNG`, and
:class:`BitStream` for generators that need a variable number of draws per record), never a
``numpy.random.Generator`` method, whose streams NumPy does not promise to keep across versions:
the same seed gives the same instances on every machine and NumPy version.
"""

from __future__ import annotations

import abc
import json
from dataclasses import dataclass, field
from typing import Any, Iterator, Mapping, NamedTuple

import numpy as np
import sympy

from .._seed import SeedLike, derive_seed
from ..errors import ProblemParameterError

__all__ = [
    "N_SYMBOL",
    "ComplexityFacts",
    "Instances",
    "Problem",
    "Ragged",
    "Coded",
    "RecordRNG",
    "BitStream",
    "as_stream",
    "check_int",
    "check_float",
    "check_bool",
    "bits_of",
    "int_of_bits",
    "flat2d",
]

N_SYMBOL = sympy.Symbol("n", positive=True, integer=True)
"""The size variable of every depth bound."""


@dataclass(frozen=True)
class ComplexityFacts:
    """What is known about a problem's circuit depth, as a function of its size ``n``.

    Attributes
    ----------
    complexity_class : str
        E.g. ``"TC0"``, ``"NC1-complete"``, ``"L-complete"``, ``"NL-complete"``, ``"P-complete"``.
    upper : sympy.Expr
        Depth upper bound in :data:`N_SYMBOL`, as an order of growth (constants dropped): the depth
        of a known construction with unbounded fan-in threshold gates (serialcomp's default depth).
    lower : sympy.Expr
        Depth lower bound in the same model, as an order of growth.
    proven : bool
        Whether ``lower`` is a theorem (``True``) or a conjecture (``False``); ``upper`` is always a
        construction.
    references : tuple of str
    notes : str
    """

    complexity_class: str
    upper: sympy.Expr
    lower: sympy.Expr
    proven: bool
    references: tuple[str, ...] = ()
    notes: str = ""

    def as_dict(self) -> dict[str, Any]:
        """JSON-friendly view (bounds as strings).

        Example
        -------
        >>> ComplexityFacts("TC0", sympy.Integer(1), sympy.Integer(1), True).as_dict()["upper"]
        '1'
        """
        return {
            "complexity_class": self.complexity_class,
            "upper": str(self.upper),
            "lower": str(self.lower),
            "proven": self.proven,
            "references": list(self.references),
            "notes": self.notes,
        }


class Coded:
    """A column of codes into a small table, like ``pandas.Categorical``: row ``i`` is ``categories[codes[i]]``.

    A problem's :meth:`~serialcomp.problems.base.Problem.columns` may return one where a readable
    value is one of few (e.g. a group element, a gate type): ``codes`` is an int array ``(count,)``
    or ``(count, d1, ...)``; ``categories`` a sequence of strings, or a numeric array whose rows are the
    values (e.g. one-line permutations, ``(size, k)``). Records see the values
    (``coded[i]``); the writers never build one Python object per value: JSON is joined from one
    text per category, and string categories become a dictionary-encoded Parquet column (the
    codes go straight into the data pages; readers see a plain string column).

    Example
    -------
    >>> c = Coded(np.array([[0, 1], [1, 1]]), ["01", "10"])
    >>> len(c), c[0].tolist(), c[1][0]
    (2, ['01', '10'], '10')
    """

    __slots__ = ("codes", "categories")

    def __init__(self, codes: Any, categories: Any) -> None:
        codes = np.asarray(codes)
        cats = np.asarray(categories if isinstance(categories, np.ndarray) else list(categories))
        if cats.dtype.kind in "UO" and cats.ndim == 1 and all(isinstance(c, str) for c in cats.tolist()):
            cats = np.array(cats.tolist(), dtype=object)
        elif cats.dtype.kind not in "biuf" or cats.ndim == 0:
            raise ProblemParameterError("Coded categories must be a sequence of strings or a numeric array, "
                                        f"got {cats.dtype} {cats.shape}")
        if codes.dtype.kind not in "iu" or codes.ndim == 0:
            raise ProblemParameterError(f"Coded codes must be an int array of shape (count, ...), "
                                        f"got {codes.dtype} {codes.shape}")
        if codes.size and (int(codes.min()) < 0 or int(codes.max()) >= len(cats)):
            raise ProblemParameterError(f"Coded codes must be in [0, {len(cats)})")
        self.codes, self.categories = codes, cats

    def __len__(self) -> int:
        return len(self.codes)

    def __getitem__(self, i: Any) -> Any:
        return self.categories[self.codes[i]]

    @property
    def strings(self) -> bool:
        """Whether the categories are strings (else numeric rows)."""
        return self.categories.dtype == object


class Ragged(NamedTuple):
    """A column whose rows have different lengths: row ``i`` is ``values[offsets[i]:offsets[i+1]]``."""

    values: np.ndarray
    offsets: np.ndarray

    def row(self, i: int) -> np.ndarray:
        return self.values[self.offsets[i] : self.offsets[i + 1]]


# ---------------------------------------------------------------------------------------------
# counter-based random numbers
# ---------------------------------------------------------------------------------------------

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
    """A :class:`BitStream` for ``seed``, as :func:`~serialcomp._seed.as_generator` is for Generators.

    A BitStream is returned as is (callers thread one stream through several calls); an int in
    ``[0, 2**64)`` seeds ``derive_seed(seed, "BitStream")``; a numpy Generator gives one raw word of
    its bit generator (``bit_generator.random_raw``, whose stream is the bit generator's own
    algorithm, not a distribution method); ``None`` draws fresh OS entropy (not reproducible).

    Example
    -------
    >>> as_stream(3).uint64(2).tolist() == as_stream(3).uint64(2).tolist()
    True
    """
    if isinstance(seed, BitStream):
        return seed
    if isinstance(seed, np.random.Generator):
        return BitStream(int(seed.bit_generator.random_raw()))
    if seed is None:
        return BitStream(int(np.random.SeedSequence().generate_state(1, dtype=np.uint64)[0]))
    if isinstance(seed, (bool, np.bool_)) or not isinstance(seed, (int, np.integer)) or not 0 <= int(seed) < 2**64:
        raise ProblemParameterError(f"seed must be an int in [0, 2**64), a numpy Generator, a BitStream or None, "
                                    f"got {seed!r}")
    return BitStream(derive_seed(int(seed), "BitStream"))


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
        base = np.uint64(derive_seed(self.seed, self.key, tag))
        count = len(self.index)
        size = int(np.prod(shape, dtype=np.int64))
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


# ---------------------------------------------------------------------------------------------
# small helpers shared by problem modules
# ---------------------------------------------------------------------------------------------


def check_int(name: str, value: Any, low: int | None = None, high: int | None = None, where: str = "") -> int:
    """``value`` as an int in ``[low, high]``, else :class:`ProblemParameterError` naming ``name``.

    Example
    -------
    >>> check_int("depth", 0, 1, where="cvp")
    Traceback (most recent call last):
    ...
    serialcomp.errors.ProblemParameterError: depth for cvp must be >= 1, got 0
    """
    ctx = f" for {where}" if where else ""
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, (int, np.integer)):
        if isinstance(value, (float, np.floating)) and float(value).is_integer():
            value = int(value)
        else:
            raise ProblemParameterError(f"{name}{ctx} must be an integer, got {value!r}")
    value = int(value)
    if low is not None and value < low:
        raise ProblemParameterError(f"{name}{ctx} must be >= {low}, got {value}")
    if high is not None and value > high:
        raise ProblemParameterError(f"{name}{ctx} must be <= {high}, got {value}")
    return value


def check_float(name: str, value: Any, low: float | None = None, high: float | None = None, where: str = "") -> float:
    """``value`` as a finite float in ``[low, high]``, else :class:`ProblemParameterError`.

    Example
    -------
    >>> check_float("p", 1, 0.0, 1.0)
    1.0
    """
    ctx = f" for {where}" if where else ""
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, (int, float, np.integer, np.floating)):
        raise ProblemParameterError(f"{name}{ctx} must be a number, got {value!r}")
    v = float(value)
    if not np.isfinite(v) or (low is not None and v < low) or (high is not None and v > high):
        raise ProblemParameterError(f"{name}{ctx} must be in [{low}, {high}], got {value!r}")
    return v


def check_bool(name: str, value: Any, where: str = "") -> bool:
    """``value`` as a bool (also accepts 0/1 and the strings true/false).

    Example
    -------
    >>> check_bool("prefix", "true"), check_bool("prefix", 0)
    (True, False)
    """
    if isinstance(value, (bool, np.bool_)):
        return bool(value)
    if isinstance(value, (int, np.integer)) and value in (0, 1):
        return bool(value)
    if isinstance(value, str) and value.lower() in ("true", "false", "1", "0", "yes", "no"):
        return value.lower() in ("true", "1", "yes")
    ctx = f" for {where}" if where else ""
    raise ProblemParameterError(f"{name}{ctx} must be a bool, got {value!r}")


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


def flat2d(a: np.ndarray) -> np.ndarray:
    """``a`` reshaped to ``(len(a), -1)``, also for empty batches.

    Example
    -------
    >>> flat2d(np.zeros((0, 3, 2))).shape
    (0, 6)
    """
    a = np.asarray(a)
    return a.reshape(a.shape[0], int(np.prod(a.shape[1:], dtype=np.int64)))


def _seed_int(seed: SeedLike) -> int:
    # a Generator gives one raw word of its bit generator (not a distribution method, whose stream
    # NumPy may change), kept below 2**63 so the recorded seed fits the int64 export column
    if isinstance(seed, np.random.Generator):
        return int(seed.bit_generator.random_raw()) >> 1
    if seed is None:
        return int(np.random.SeedSequence().generate_state(1, dtype=np.uint64)[0]) >> 1
    if isinstance(seed, (bool, np.bool_)) or not isinstance(seed, (int, np.integer)) or not 0 <= int(seed) < 2**64:
        # 2**64 and up would alias (the streams use 64 bits); Parquet/CLI export further needs < 2**63
        raise ProblemParameterError(f"seed must be an int in [0, 2**64), a numpy Generator or None, got {seed!r}")
    return int(seed)


def _jsonable(v: Any) -> Any:
    if isinstance(v, np.generic):
        return v.item()
    return v


# ---------------------------------------------------------------------------------------------
# Instances
# ---------------------------------------------------------------------------------------------


@dataclass(eq=False)
class Instances:
    """A batch of sampled instances of one problem.

    Attributes
    ----------
    problem : str
        Registry key, e.g. ``"word:S5"``.
    n : int
    seed : int
    params : dict
        The resolved sampling parameters (defaults filled in).
    inputs, targets, meta : dict of str -> ndarray
        Arrays whose leading axis is the record; ``targets`` has at least ``"target"``.
    index : int64 array, shape (count,)
        Record indices (``start``, ``start + 1``, ...).

    Example
    -------
    >>> from serialcomp.problems import get_problem
    >>> inst = get_problem("majority").sample(3, 4, seed=0, start=10)
    >>> len(inst), inst.index.tolist(), sorted(next(inst.records()))
    (4, [10, 11, 12, 13], ['index', 'n', 'ones', 'params', 'problem', 'seed', 'target', 'x'])
    """

    problem: str
    n: int
    seed: int
    params: dict[str, Any]
    inputs: dict[str, np.ndarray]
    targets: dict[str, np.ndarray]
    meta: dict[str, np.ndarray] = field(default_factory=dict)
    index: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=np.int64))
    solver: "Problem | None" = field(default=None, repr=False, compare=False)

    def __len__(self) -> int:
        return len(self.index)

    @property
    def problem_obj(self) -> "Problem":
        """The :class:`Problem` that sampled these instances."""
        if self.solver is None:
            from .registry import get_problem

            self.solver = get_problem(self.problem)
        return self.solver

    def get_inputs(self, i: int) -> dict[str, np.ndarray]:
        """The inputs of record ``i`` (position in this batch), for :meth:`Problem.solve`."""
        return {k: v[i] for k, v in self.inputs.items()}

    def solve(self, i: int) -> Any:
        """The reference solver on record ``i``, with the parameters it was sampled with.

        Some answers depend on a parameter that is not among the inputs (``t`` of ``ca:*`` and
        ``timelock``); this passes :attr:`params` along, so it never answers a different question.
        """
        return self.problem_obj.solve(self.get_inputs(i), **self.params)

    def take(self, sel: Any) -> "Instances":
        """A sub-batch (slice, index array or bool mask over positions)."""
        def pick(d: dict[str, np.ndarray]) -> dict[str, np.ndarray]:
            return {k: v[sel] for k, v in d.items()}

        return Instances(self.problem, self.n, self.seed, dict(self.params), pick(self.inputs),
                         pick(self.targets), pick(self.meta), self.index[sel], self.solver)

    def __getitem__(self, sel: Any) -> "Instances":
        if isinstance(sel, (int, np.integer)):
            sel = slice(int(sel), int(sel) + 1 if int(sel) != -1 else None)
        return self.take(sel)

    def columns(self, readable: bool = True) -> dict[str, Any]:
        """Column view of :meth:`records` (arrays, :class:`Ragged` or lists), without header keys.

        ``readable=False`` gives the stored arrays instead (:meth:`Problem.raw_columns`), e.g.
        element indices rather than one-line permutations for word problems.
        """
        p = self.problem_obj
        return p.columns(self) if readable else p.raw_columns(self)

    def records(self, readable: bool = True) -> Iterator[dict[str, Any]]:
        """Self-describing dicts, one per record.

        Keys: ``problem``, ``n``, ``seed``, ``index``, ``params`` (JSON string, sorted keys), the
        inputs in a readable structure, ``target`` (and further targets), and per-record metadata.
        With ``readable=False`` the inputs and targets are the stored arrays as lists.
        """
        cols = self.columns(readable)
        params = json.dumps({k: _jsonable(v) for k, v in self.params.items()}, sort_keys=True)
        for i in range(len(self)):
            rec: dict[str, Any] = {
                "problem": self.problem,
                "n": int(self.n),
                "seed": int(self.seed),
                "index": int(self.index[i]),
                "params": params,
            }
            for k, col in cols.items():
                v = col.row(i) if isinstance(col, Ragged) else col[i]
                rec[k] = v.tolist() if isinstance(v, (np.ndarray, np.generic)) else v
            yield rec


# ---------------------------------------------------------------------------------------------
# Problem
# ---------------------------------------------------------------------------------------------


class Problem(abc.ABC):
    """Base class of every problem.

    Subclasses set the class attributes and implement :meth:`_generate`, :meth:`solve`, the
    encodings and :meth:`vocab`. ``defaults`` lists every accepted sampling parameter with its
    default (``None`` meaning "derived from n" in :meth:`resolve_params`).

    Attributes
    ----------
    key, key_prefix, variant, description : str
        ``key`` is ``"<key_prefix>:<variant>"`` (``"word:S5"``), or the prefix alone (``"parity"``).
    knob : str or None
        The name of the hardness parameter, if the problem has one.
    facts : ComplexityFacts
    min_n : int
        Smallest size the problem admits.
    n_meaning : str
        What the size ``n`` of :meth:`sample` (and the ``n`` of every record) means for this
        problem, e.g. ``"number of input bits"``; shown by :meth:`describe`.

    Example
    -------
    >>> from serialcomp.problems import get_problem
    >>> p = get_problem("reach:flower")
    >>> inst = p.sample(16, 3, seed=0, petals=4)
    >>> [inst.solve(i) for i in range(3)] == inst.targets["target"].tolist()
    True
    >>> bool(p.solve(inst.get_inputs(0), **inst.params) == inst.targets["target"][0])
    True
    >>> p.decode_bits(p.encode_bits(inst), 16, petals=4)["edges"].shape
    (3, 38, 2)
    """

    key: str = ""
    key_prefix: str = ""
    variant: str = ""
    description: str = ""
    knob: str | None = None
    facts: ComplexityFacts
    min_n: int = 1
    n_meaning: str = ""
    defaults: Mapping[str, Any] = {}

    def __repr__(self) -> str:
        return f"<Problem {self.key}>"

    # -- parameters --------------------------------------------------------------------------
    def resolve_params(self, n: int, params: Mapping[str, Any]) -> dict[str, Any]:
        """Check ``params`` against :attr:`defaults` and fill defaults; subclasses validate values.

        Raises
        ------
        ProblemParameterError
            For an unknown parameter (the message lists the accepted ones).
        """
        unknown = sorted(set(params) - set(self.defaults))
        if unknown:
            allowed = ", ".join(sorted(self.defaults)) or "none"
            raise ProblemParameterError(
                f"unknown parameter {unknown[0]!r} for problem {self.key!r}; accepted parameters: {allowed}"
            )
        out = dict(self.defaults)
        out.update(params)
        return out

    # -- sampling ----------------------------------------------------------------------------
    def sample(self, n: int, count: int, seed: SeedLike = 0, start: int = 0, **params: Any) -> Instances:
        """Sample ``count`` instances of size ``n``: records ``start .. start + count - 1``.

        Record ``i`` depends only on ``(seed, key, n, params, i)``, not on ``count`` or ``start``.

        Raises
        ------
        ProblemParameterError
            For ``n < min_n``, ``count < 0``, ``start < 0``, an unknown parameter or an impossible knob.
        """
        n = check_int("n", n, self.min_n, where=self.key)
        count = check_int("count", count, 0)
        start = check_int("start", start, 0)
        seed_i = _seed_int(seed)
        p = self.resolve_params(n, params)
        index = np.arange(start, start + count, dtype=np.int64)
        rng = RecordRNG(seed_i, f"{self.key}/n={n}", index)
        inputs, targets, meta = self._generate(n, rng, p)
        return Instances(self.key, n, seed_i, p, inputs, targets, meta, index, self)

    @abc.abstractmethod
    def _generate(
        self, n: int, rng: RecordRNG, params: dict[str, Any]
    ) -> tuple[dict[str, np.ndarray], dict[str, np.ndarray], dict[str, np.ndarray]]:
        """Vectorised sampler: (inputs, targets, meta), leading axis ``len(rng)``."""

    @abc.abstractmethod
    def solve(self, record_inputs: Mapping[str, np.ndarray], **params: Any) -> Any:
        """Reference solver: the ``"target"`` of one instance from its inputs.

        Pass the sampling parameters (``**instances.params``) or use :meth:`Instances.solve`: for
        ``ca:*`` and ``timelock`` the number of steps ``t`` is a parameter, not an input, and
        defaults to ``n``.
        """

    # -- views and encodings -----------------------------------------------------------------
    def columns(self, instances: Instances) -> dict[str, Any]:
        """Readable per-record columns (inputs, targets, meta); override for nicer structures."""
        return self.raw_columns(instances)

    def raw_columns(self, instances: Instances) -> dict[str, Any]:
        """The stored arrays as columns: inputs, targets, meta (see ``Instances.columns(readable=False)``)."""
        return {**instances.inputs, **instances.targets, **instances.meta}

    @abc.abstractmethod
    def encode_bits(self, instances: Instances) -> np.ndarray:
        """Inputs as bits, bool ``(count, n_bits)`` (layout in the subclass docstring)."""

    @abc.abstractmethod
    def decode_bits(self, bits: np.ndarray, n: int, **params: Any) -> dict[str, np.ndarray]:
        """Inverse of :meth:`encode_bits`: the inputs dict."""

    def target_bits(self, instances: Instances) -> np.ndarray:
        """Targets as bits, bool ``(count, n_target_bits)`` (default: ``target`` as 0/1)."""
        t = np.asarray(instances.targets["target"])
        return flat2d(t).astype(bool)

    @abc.abstractmethod
    def vocab(self, n: int, **params: Any) -> list[str]:
        """Token names; token id ``i`` is ``vocab(n)[i]``."""

    @abc.abstractmethod
    def encode_tokens(self, instances: Instances) -> np.ndarray:
        """Inputs as token ids, int64 ``(count, L)``."""

    @abc.abstractmethod
    def decode_tokens(self, tokens: np.ndarray, n: int, **params: Any) -> dict[str, np.ndarray]:
        """Inverse of :meth:`encode_tokens`: the inputs dict."""

    def families(self) -> list[Any]:
        """Circuit families that solve the problem (none by default)."""
        return []

    def family(self, name: str) -> Any:
        """The circuit family called ``name`` (see :meth:`families`).

        Raises
        ------
        ProblemParameterError
            For an unknown name; the message lists the problem's families.

        Example
        -------
        >>> from serialcomp.problems import get_problem
        >>> get_problem("word:S5").family("tree").kind
        'log'
        """
        fams = self.families()
        for fam in fams:
            if fam.name == name:
                return fam
        known = ", ".join(f.name for f in fams) or "none"
        raise ProblemParameterError(f"problem {self.key!r} has no circuit family {name!r}; its families: {known}")

    def describe(self) -> dict[str, Any]:
        """A JSON-friendly summary: key, description, meaning of n, knob, parameters and complexity facts.

        Example
        -------
        >>> from serialcomp.problems import get_problem
        >>> get_problem("parity").describe()["n_meaning"]
        'number of input bits'
        """
        return {
            "key": self.key,
            "key_prefix": self.key_prefix,
            "variant": self.variant,
            "description": self.description,
            "n_meaning": self.n_meaning,
            "knob": self.knob,
            "params": {k: _jsonable(v) for k, v in self.defaults.items()},
            "min_n": self.min_n,
            **self.facts.as_dict(),
        }
