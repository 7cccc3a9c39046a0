"""Counting modulo m in constant depth: ``S mod m`` for a weighted sum ``S = sum_i w_i x_i``.

Two constructions of the same function, for the two constant-depth classes that can count:

* with threshold gates (TC0): ``g_v = [S >= v]`` for ``v = 1..S_max`` is a prefix of ones of
  length ``S``, so any ``f(S)`` is one more threshold gate ``[sum_v (f(v) - f(v-1)) g_v >= 1 - f(0)]``
  (the telescoping sum is ``f(S) - f(0)``): depth exactly 2 for a non-constant ``f``;
* with ``MOD_m`` gates (ACC0): ``[S = r mod m]`` is one ``MOD_m`` gate over the literals (``x_i``
  repeated ``w_i mod m`` times) and ``(m - r) mod m`` constant-true fan-ins: depth 1 for the
  residue one-hot, 2 for its binary index (an OR per bit).

The word problem over the cyclic group Z_m is exactly this: the product of the letters is the sum
of their residues mod m, and a letter given as binary index bits ``b_j`` contributes
``sum_j 2^j b_j`` (see :func:`binary_terms`).
"""

from __future__ import annotations

from typing import Callable, Sequence

from ..._validate import check_int, check_int_array
from ...errors import CircuitStructureError
from ...ir.builder import FALSE, TRUE, CircuitBuilder

__all__ = ["binary_terms", "residues_mod", "residues_thr", "sum_mod_mod", "sum_mod_thr", "function_of_sum_thr"]


def _check(lits: Sequence[int], weights: Sequence[int], where: str) -> list[int]:
    if len(lits) != len(weights):
        raise CircuitStructureError(f"{where}: {len(weights)} weights for {len(lits)} literals")
    return check_int_array("weights", list(weights), 0, where=where, error=CircuitStructureError).tolist()


def _check_m(m: int, where: str) -> int:
    return check_int("modulus", m, 2, where=where, error=CircuitStructureError)


def _width(m: int) -> int:
    return max(1, (m - 1).bit_length())


def binary_terms(letters: Sequence[Sequence[int]]) -> tuple[list[int], list[int]]:
    """Literals and weights of the sum of binary numbers (each LSB first): bit ``j`` weighs ``2^j``.

    Example
    -------
    >>> binary_terms([[2, 4], [6, 8]])
    ([2, 4, 6, 8], [1, 2, 1, 2])
    """
    lits = [l for bits in letters for l in bits]
    weights = [1 << j for bits in letters for j in range(len(bits))]
    return lits, weights


def function_of_sum_thr(
    b: CircuitBuilder, lits: Sequence[int], weights: Sequence[int], fs: Sequence[Callable[[int], int]]
) -> list[int]:
    """``f(S)`` for each ``f`` in ``fs``, with ``S = sum w_i x_i``, by two layers of threshold gates.

    Layer 1: ``g_v = [S >= v]``, shared by all ``f``, only for the ``v`` where some ``f`` changes.
    Layer 2: ``[sum_v (f(v) - f(v-1)) g_v >= 1 - f(0)]``.

    Notes
    -----
    Depth exactly 2 for each ``f`` that is not constant on ``0..S_max`` (a constant one is the
    literal ``FALSE``/``TRUE``, no gate).  At most ``S_max + len(fs)`` gates; layer 1 gates have
    fan-in ``len(lits)``, layer 2 gates at most ``S_max``.

    Example
    -------
    >>> b = CircuitBuilder(); x = b.inputs(3)
    >>> b.output(function_of_sum_thr(b, x, [1, 1, 1], [lambda s: int(s == 2)])[0])
    >>> c = b.build(); c.depth(), c.evaluate([[1, 1, 0], [1, 1, 1]]).ravel().tolist()
    (2, [True, False])
    """
    w = _check(lits, weights, "function_of_sum_thr")
    smax = sum(w)
    g: dict[int, int] = {}
    out = []
    for f in fs:
        vals = [int(bool(f(v))) for v in range(smax + 1)]
        if all(v == vals[0] for v in vals):
            out.append(TRUE if vals[0] else FALSE)
            continue
        ins, ws = [], []
        for v in range(1, smax + 1):
            d = vals[v] - vals[v - 1]
            if d:
                if v not in g:
                    g[v] = b.thr(lits, w, v)
                ins.append(g[v])
                ws.append(d)
        out.append(b.thr(ins, ws, 1 - vals[0]))
    return out


def residues_thr(b: CircuitBuilder, lits: Sequence[int], weights: Sequence[int], m: int) -> list[int]:
    """One-hot ``[S = r mod m]`` for ``r = 0..m-1`` with threshold gates.

    Notes
    -----
    Depth exactly 2 (a residue that ``S`` cannot take is ``FALSE``); at most ``S_max + m`` THR
    gates, ``S_max = sum w_i``.

    Example
    -------
    >>> b = CircuitBuilder(); x = b.inputs(4)
    >>> for lit in residues_thr(b, x, [1, 1, 1, 1], 3): b.output(lit)
    >>> b.build().evaluate([[1, 1, 1, 1]]).astype(int).tolist()   # 4 = 1 mod 3
    [[0, 1, 0]]
    """
    m = _check_m(m, "residues_thr")
    return function_of_sum_thr(b, lits, weights, [lambda s, r=r: s % m == r for r in range(m)])


def sum_mod_thr(b: CircuitBuilder, lits: Sequence[int], weights: Sequence[int], m: int) -> list[int]:
    """Binary index (LSB first, ``max(1, ceil(log2 m))`` bits) of ``S mod m``, with threshold gates.

    Notes
    -----
    Depth exactly 2 when ``S_max = sum w_i >= 2^(width-1)`` (then every bit varies; e.g. a sum of
    Z_m letters); at most ``S_max + width`` THR gates.

    Example
    -------
    >>> b = CircuitBuilder(); x = b.input_bus("x", 3); y = b.input_bus("y", 3)
    >>> lits, ws = binary_terms([x, y])
    >>> for lit in sum_mod_thr(b, lits, ws, 5): b.output(lit)
    >>> c = b.build(); c.depth(), c.evaluate([[0, 1, 1, 0, 0, 1]]).astype(int).tolist()   # 6 + 4 = 0 mod 5
    (2, [[0, 0, 0]])
    """
    m = _check_m(m, "sum_mod_thr")
    return function_of_sum_thr(b, lits, weights, [lambda s, j=j: (s % m) >> j & 1 for j in range(_width(m))])


def residues_mod(b: CircuitBuilder, lits: Sequence[int], weights: Sequence[int], m: int) -> list[int]:
    """One-hot ``[S = r mod m]`` for ``r = 0..m-1``, one ``MOD_m`` gate each.

    Gate ``r`` reads every ``x_i`` ``w_i mod m`` times and the constant ``TRUE`` ``(m - r) mod m``
    times, so it is 1 exactly when ``S + m - r = 0 mod m``.

    Notes
    -----
    Depth exactly 1; ``m`` MOD gates of fan-in ``sum_i (w_i mod m) + (m - r) mod m``.

    Example
    -------
    >>> b = CircuitBuilder(); x = b.inputs(4)
    >>> for lit in residues_mod(b, x, [1, 1, 1, 1], 3): b.output(lit)
    >>> c = b.build(); c.depth(), c.evaluate([[1, 1, 1, 1]]).astype(int).tolist()
    (1, [[0, 1, 0]])
    """
    m = _check_m(m, "residues_mod")
    w = _check(lits, weights, "residues_mod")
    base = [l for l, k in zip(lits, w) for _ in range(k % m)]
    return [b.mod(base + [TRUE] * ((m - r) % m), m) for r in range(m)]


def sum_mod_mod(b: CircuitBuilder, lits: Sequence[int], weights: Sequence[int], m: int) -> list[int]:
    """Binary index (LSB first) of ``S mod m`` from :func:`residues_mod`: per bit an OR of residues.

    Each bit uses the smaller of the residue sets with that bit 1 or 0 (the latter negated); a set
    of one residue is that gate's literal, no OR.

    Notes
    -----
    Depth exactly 2 for ``m >= 4``, 1 for ``m <= 3`` (every bit is one residue or all but one);
    ``m`` MOD gates and at most ``width`` ORs.

    Example
    -------
    >>> b = CircuitBuilder(); x = b.input_bus("x", 3); y = b.input_bus("y", 3)
    >>> lits, ws = binary_terms([x, y])
    >>> for lit in sum_mod_mod(b, lits, ws, 5): b.output(lit)
    >>> c = b.build(); c.depth(), c.evaluate([[1, 1, 0, 1, 1, 0]]).astype(int).tolist()   # 3 + 3 = 1 mod 5
    (2, [[1, 0, 0]])
    """
    m = _check_m(m, "sum_mod_mod")
    eq = residues_mod(b, lits, weights, m)
    out = []
    for j in range(_width(m)):
        ones = [eq[r] for r in range(m) if (r >> j) & 1]
        zeros = [eq[r] for r in range(m) if not (r >> j) & 1]
        if len(ones) == 1:
            out.append(ones[0])
        elif len(zeros) == 1:
            out.append(zeros[0] ^ 1)
        elif len(ones) <= len(zeros):
            out.append(b.or_(*ones))
        else:
            out.append(b.or_(*zeros) ^ 1)
    return out
