"""Elementary cellular automata on a ring: rule tables, stepping (bit-sliced over a batch), and
rule 90's closed form.

A row of ``w`` cells on a ring (periodic boundary) is updated by Wolfram's rule: cell ``i``
becomes ``table[4 * x[i-1] + 2 * x[i] + x[i+1]]``, where bit ``k`` of the rule number is
``table[k]``. Batches are evolved bit-sliced: cell ``i`` of 64 records lives in one uint64 word, so
one step is a handful of word operations per cell. Rule 90 is linear over GF(2): after ``t`` steps
a cell is the XOR of the cells Pascal's triangle mod 2 selects (:func:`rule90_shortcut`).
"""

from __future__ import annotations

from typing import Any

import numpy as np

from ..._validate import check_int
from ...errors import ProblemParameterError

__all__ = ["rule_table", "ca_step", "ca_run", "ca_history", "rule90_coefficients", "rule90_shortcut", "check_rule"]


def check_rule(rule: Any) -> int:
    """``rule`` as an int in 0..255, else ProblemParameterError.

    Example
    -------
    >>> check_rule(110.0)
    110
    """
    return check_int("rule", rule, 0, 255, where="an elementary cellular automaton", error=ProblemParameterError)


def rule_table(rule: int) -> np.ndarray:
    """The rule's lookup table, uint8 (8,): entry ``4l + 2c + r`` is the next centre value.

    Example
    -------
    >>> rule_table(110).tolist()
    [0, 1, 1, 1, 0, 1, 1, 0]
    """
    rule = check_rule(rule)
    return ((rule >> np.arange(8)) & 1).astype(np.uint8)


def _as_rows(rows: Any) -> tuple[np.ndarray, bool]:
    a = np.asarray(rows)
    single = a.ndim == 1
    a = a[None] if single else a
    if a.ndim != 2 or a.shape[1] == 0:
        raise ProblemParameterError(
            f"cellular automaton rows must have shape (w,) or (count, w) with w >= 1, got {np.shape(rows)}")
    if a.dtype != bool and (a.size and ((a != 0) & (a != 1)).any()):
        raise ProblemParameterError("cellular automaton cells must be 0/1")
    return a.astype(bool), single


def ca_step(rows: Any, rule: int) -> np.ndarray:
    """One synchronous update of each row (periodic boundary); same shape, uint8.

    Example
    -------
    >>> ca_step([0, 0, 1, 0, 0], 90).tolist()
    [0, 1, 0, 1, 0]
    """
    a, single = _as_rows(rows)
    table = rule_table(rule)
    x = a.astype(np.uint8)
    idx = (np.roll(x, 1, axis=1) << 2) | (x << 1) | np.roll(x, -1, axis=1)
    out = table[idx]
    return out[0] if single else out


def _pack(a: np.ndarray) -> np.ndarray:
    """(count, w) bool -> (w, words) uint64, record ``64 * k + j`` in bit ``j`` of word ``k``."""
    count, w = a.shape
    words = max(1, -(-count // 64))
    # pad the packed bytes, not the rows: a batch of one record must not cost 64 rows of bools
    out = np.zeros((w, words * 8), dtype=np.uint8)
    out[:, : -(-count // 8)] = np.packbits(a.T, axis=1, bitorder="little")
    return out.view(np.uint64).reshape(w, words)


def _unpack(s: np.ndarray, count: int) -> np.ndarray:
    """Inverse of :func:`_pack`: uint8 ``(count, w)``."""
    w = s.shape[0]
    bits = np.unpackbits(np.ascontiguousarray(s).view(np.uint8).reshape(w, -1), axis=1, count=count,
                         bitorder="little")
    return np.ascontiguousarray(bits.T)


def _step_words(s: np.ndarray, rule: int) -> np.ndarray:
    left, right = np.roll(s, 1, axis=0), np.roll(s, -1, axis=0)
    if rule == 90:
        return left ^ right
    if rule == 30:
        return left ^ (s | right)
    if rule == 110:
        return (s ^ right) | (s & ~left)
    out = np.zeros_like(s)
    lits = ((~left, left), (~s, s), (~right, right))
    for k in range(8):
        if (rule >> k) & 1:
            out |= lits[0][(k >> 2) & 1] & lits[1][(k >> 1) & 1] & lits[2][k & 1]
    return out


def ca_run(rows: Any, rule: int, t: int) -> np.ndarray:
    """Each row after ``t`` steps, uint8 of the input's shape (bit-sliced over the batch).

    Notes
    -----
    O(t * w * ceil(count / 64)) word operations; the direct circuit has depth O(t). This is the
    stepping reference; the problem's sampler uses :func:`rule90_shortcut` for rule 90.

    Example
    -------
    >>> ca_run([0, 0, 0, 1, 0, 0, 0], 90, 2).tolist()
    [0, 1, 0, 0, 0, 1, 0]
    """
    a, single = _as_rows(rows)
    rule = check_rule(rule)
    t = check_int("t", t, 0, where="a cellular automaton", error=ProblemParameterError)
    s = _pack(a)
    for _ in range(t):
        s = _step_words(s, rule)
    out = _unpack(s, len(a))
    return out[0] if single else out


def ca_history(row: Any, rule: int, t: int) -> np.ndarray:
    """The space-time diagram of one row: uint8 ``(t + 1, w)``, row ``s`` is the state at step ``s``.

    Example
    -------
    >>> ca_history([0, 0, 1, 0, 0], 90, 2).tolist()
    [[0, 0, 1, 0, 0], [0, 1, 0, 1, 0], [1, 0, 0, 0, 1]]
    """
    a, single = _as_rows(row)
    if not single:
        raise ProblemParameterError("ca_history takes one row")
    t = check_int("t", t, 0, where="a cellular automaton", error=ProblemParameterError)
    out = np.empty((t + 1, a.shape[1]), np.uint8)
    out[0] = a[0]
    for s in range(t):
        out[s + 1] = ca_step(out[s], rule)
    return out


def rule90_coefficients(w: int, t: int) -> np.ndarray:
    """Which cells rule 90 XORs: bool (w,), entry ``j`` says whether ``x[i + j mod w]`` enters cell ``i``.

    The coefficients of ``(z + 1/z)^t`` modulo ``z^w - 1`` over GF(2).  Squaring over GF(2) is
    ``p(z) -> p(z^2)``, so the power is a product of ``z^(2^k) + z^(-2^k)`` over the set bits ``k``
    of ``t``: O(w * popcount(t)) work (Pascal's triangle mod 2, by Lucas' theorem).

    Example
    -------
    >>> rule90_coefficients(7, 2).astype(int).tolist()   # x[i-2] ^ x[i+2]
    [0, 0, 1, 0, 0, 1, 0]
    """
    w = check_int("w", w, 1, where="rule 90", error=ProblemParameterError)
    t = check_int("t", t, 0, where="rule 90", error=ProblemParameterError)
    c = np.zeros(w, dtype=bool)
    c[0] = True
    k = 0
    while t >> k:
        if (t >> k) & 1:
            shift = pow(2, k, w)
            c = np.roll(c, shift) ^ np.roll(c, -shift)
        k += 1
    return c


def _rule90_words(s: np.ndarray, t: int) -> np.ndarray:
    """Rule 90 after ``t`` steps on bit-sliced rows ``(w, words)``: XOR of rolled copies."""
    c = rule90_coefficients(s.shape[0], t)
    out = np.zeros_like(s)
    for j in np.flatnonzero(c).tolist():  # cell i gets x[i + j]
        out ^= np.roll(s, -j, axis=0)
    return out


def rule90_shortcut(rows: Any, t: int) -> np.ndarray:
    """Rule 90 after ``t`` steps in one parallel step: each cell is the parity of a fixed cell set.

    Notes
    -----
    One XOR gate of fan-in at most ``w`` per cell: depth 1 (constant depth with threshold gates),
    whatever ``t`` is.  Cost O(w log t) for the coefficients (:func:`rule90_coefficients`) plus
    O(k * w * ceil(count / 64)) word operations, ``k <= min(w, t + 1)`` the cells XORed, instead of
    stepping's O(t * w * ceil(count / 64)).  Agrees with ``ca_run(rows, 90, t)``.

    Example
    -------
    >>> row = np.array([0, 1, 1, 0, 1, 0, 0, 1, 1])
    >>> bool((rule90_shortcut(row, 13) == ca_run(row, 90, 13)).all())
    True
    >>> # width 9: 2^6 = 1 (mod 9), so 2^60 steps act as 1 (squaring maps z + 1/z to z^2 + 1/z^2)
    >>> bool((rule90_shortcut(row, 2**60) == ca_run(row, 90, 1)).all())
    True
    """
    a, single = _as_rows(rows)
    t = check_int("t", t, 0, where="rule 90", error=ProblemParameterError)
    out = _unpack(_rule90_words(_pack(a), t), len(a))
    return out[0] if single else out


def _evolve(a: np.ndarray, rule: int, t: int) -> np.ndarray:
    """Rows after ``t`` steps, uint8 ``(count, w)``: rule 90 by its closed form when it is cheaper."""
    if rule == 90 and int(rule90_coefficients(a.shape[1], t).sum()) < t:
        return _unpack(_rule90_words(_pack(a), t), len(a))
    return ca_run(a, rule, t)


def _centre_after(rule: int, w: int, t: int) -> np.ndarray:
    """The centre cell after ``t`` steps from each of the ``2^w`` rows (row ``r`` has bit ``i`` at
    cell ``i``), uint8 ``(2^w,)``, for any ``t``: the successor table of the ring raised to the
    ``t``-th power by repeated squaring (``O(2^w log t)``), exact for small ``w``."""
    rows = ((np.arange(2**w)[:, None] >> np.arange(w)) & 1).astype(np.uint8)
    succ = (ca_step(rows, rule).astype(np.int64) << np.arange(w)).sum(axis=1)
    power = np.arange(2**w)  # f^0
    while t:
        if t & 1:
            power = succ[power]
        succ = succ[succ]
        t >>= 1
    return ((power >> (w // 2)) & 1).astype(np.uint8)
