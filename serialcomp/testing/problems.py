"""Oracles and helpers for tests of problems: numbers from bit rows, a cellular automaton by its
definition, and a canonical digest of sampled instances.

Each oracle is written from the definition, in plain Python, and shares no code with
:mod:`serialcomp.problems` (whose vectorised generators and encodings the tests check against it).

Example
-------
>>> row_value([0, 1, 1])
6
>>> naive_ca_run([0, 0, 1, 0, 0], 90, 1)
[0, 1, 0, 1, 0]
"""

from __future__ import annotations

import hashlib
from typing import Any, Sequence

import numpy as np

__all__ = ["row_value", "naive_ca_run", "instance_digest", "same_instances", "check_family"]


def row_value(bits: Sequence[Any]) -> int:
    """The integer a little-endian bit row stands for (bit ``j`` weighs ``2**j``), any width.

    Example
    -------
    >>> row_value(np.array([True, False, True])), row_value([0] * 70 + [1]) == 2**70
    (5, True)
    """
    return sum(1 << j for j, b in enumerate(np.asarray(bits).tolist()) if b)


def naive_ca_run(row: Sequence[int], rule: int, t: int) -> list[int]:
    """Wolfram's elementary rule ``rule`` applied ``t`` times to a ring, one cell at a time.

    Cell ``i`` becomes bit ``4 x[i-1] + 2 x[i] + x[i+1]`` of the rule number (indices mod the
    width).

    Notes
    -----
    O(t * w) Python operations; an oracle, not for speed.

    Example
    -------
    >>> naive_ca_run([0, 0, 0, 1, 0, 0, 0], 30, 2)
    [0, 1, 1, 0, 0, 1, 0]
    """
    x = [int(v) for v in row]
    w = len(x)
    for _ in range(t):
        x = [(rule >> (4 * x[(i - 1) % w] + 2 * x[i] + x[(i + 1) % w])) & 1 for i in range(w)]
    return x


def _canonical(a: Any) -> np.ndarray:
    """Fixed dtypes in little-endian byte order: bool -> u1, integers -> <i8, floats -> <f8."""
    a = np.asarray(a)
    if a.dtype == bool:
        return np.ascontiguousarray(a, dtype="u1")
    if a.dtype.kind in "iu":
        return np.ascontiguousarray(a, dtype="<i8")
    if a.dtype.kind == "f":
        return np.ascontiguousarray(a, dtype="<f8")
    raise TypeError(f"unexpected dtype {a.dtype}")


def instance_digest(inst: Any) -> str:
    """SHA-256 of sampled instances: ``section/name/shape`` headers and the canonical bytes of every
    array of the inputs, targets and meta (names sorted within each section).

    The same values hash alike whatever their dtype or byte order (bool as u1, integers as <i8,
    floats as <f8), so the digest pins what a generator draws, not how it stores it.

    Example
    -------
    >>> from types import SimpleNamespace
    >>> a = SimpleNamespace(inputs={"x": np.array([1, 2], ">i4")}, targets={}, meta={})
    >>> b = SimpleNamespace(inputs={"x": np.array([1, 2], "<u2")}, targets={}, meta={})
    >>> instance_digest(a) == instance_digest(b)
    True
    """
    h = hashlib.sha256()
    for section in ("inputs", "targets", "meta"):
        arrays = getattr(inst, section)
        for name in sorted(arrays):
            a = _canonical(arrays[name])
            h.update(f"{section}/{name}/{a.shape};".encode("ascii"))
            h.update(a.tobytes())
    return h.hexdigest()


def same_instances(a: Any, b: Any) -> bool:
    """Whether two batches hold the same arrays (names and values) and record indices.

    Example
    -------
    >>> from serialcomp.problems import get_problem
    >>> p = get_problem("parity")
    >>> same_instances(p.sample(4, 3, seed=1)[1:], p.sample(4, 2, seed=1, start=1))
    True
    """
    return all(
        sorted(getattr(a, s)) == sorted(getattr(b, s))
        and all(np.array_equal(getattr(a, s)[k], getattr(b, s)[k]) for k in getattr(a, s))
        for s in ("inputs", "targets", "meta")
    ) and np.array_equal(a.index, b.index)


def check_family(family: Any, problem: Any, ns: Sequence[int], *, count: int = 96) -> None:
    """Assert that ``family`` answers ``problem`` right at every size in ``ns`` and keeps its claim.

    At each ``n``: accuracy 1.0 against the reference targets on ``count`` instances sampled with
    seed ``n``, and serial depth equal to the claimed depth (``family.exact``) or at most it (an
    upper-bound claim). The assertion message names ``n`` and the numbers that disagree.

    Example
    -------
    >>> from serialcomp.problems import get_problem
    >>> p = get_problem("parity")
    >>> check_family(p.family("xor_tree"), p, [1, 5, 16], count=8)
    """
    from ..measure.accuracy import accuracy

    for n in ns:
        res = accuracy(family, problem, n, count=count, seed=n)
        assert res.accuracy == 1.0, (family.name, n, res.accuracy)
        d, claimed = family.serial_depth(n), family.claimed(n)
        assert d == claimed if family.exact else d <= claimed, (family.name, n, d, claimed)
