"""Arithmetic blocks: adders, popcount, comparison with a constant, iterated addition.

Numbers are lists of literals, least significant bit first.  Bounded-fan-in blocks use only
AND/OR/XOR gates of fan-in 2 (the NC view); :func:`carry_lookahead_adder` uses unbounded fan-in
AND/OR/XOR (AC0 plus XOR); :func:`threshold_sum` and :func:`threshold_iterated_sum` use THR gates
(TC0).  Depths count gate levels from the block's input literals (NOT is free).

The bounded-fan-in helpers fold constants (``FALSE``/``TRUE`` operands, ``x op x``, ``x op ~x``), so
padding a short number with ``FALSE`` costs no gate.
"""

from __future__ import annotations

import heapq
from typing import Sequence

from .._validate import check_int, check_int_array
from ..errors import CircuitStructureError
from ..ir.builder import FALSE, TRUE, CircuitBuilder
from ..ir.looped import LoopedCircuit

__all__ = [
    "half_adder", "full_adder", "ripple_adder", "serial_adder", "carry_lookahead_adder", "prefix_adder",
    "compare_const", "carry_save", "iterated_sum", "popcount", "threshold_sum", "threshold_iterated_sum",
]


# ------------------------------------------------------------------ constant-folding 2-input gates
def _and(b: CircuitBuilder, x: int, y: int) -> int:
    if x == FALSE or y == FALSE or x == y ^ 1:
        return FALSE
    if x == TRUE or x == y:
        return y
    return x if y == TRUE else b.and_(x, y)


def _or(b: CircuitBuilder, x: int, y: int) -> int:
    return _and(b, x ^ 1, y ^ 1) ^ 1 if (x in (FALSE, TRUE) or y in (FALSE, TRUE) or x >> 1 == y >> 1) else b.or_(x, y)


def _xor(b: CircuitBuilder, x: int, y: int) -> int:
    if x in (FALSE, TRUE):
        return y ^ x
    if y in (FALSE, TRUE):
        return x ^ y
    return (x ^ y) & 1 if x >> 1 == y >> 1 else b.xor(x, y)


def _pad(xs: Sequence[int], width: int) -> list[int]:
    return list(xs) + [FALSE] * (width - len(xs))


# ------------------------------------------------------------------ adders
def half_adder(b: CircuitBuilder, x: int, y: int) -> tuple[int, int]:
    """Sum and carry of two bits: ``(x XOR y, x AND y)``.

    Notes
    -----
    Depth 1, two gates (fewer when an operand is constant).

    Example
    -------
    >>> b = CircuitBuilder(); x, y = b.inputs(2)
    >>> _ = [b.output(lit) for lit in half_adder(b, x, y)]
    >>> b.build().evaluate([[1, 1], [0, 1]]).astype(int).tolist()
    [[0, 1], [1, 0]]
    """
    return _xor(b, x, y), _and(b, x, y)


def full_adder(b: CircuitBuilder, x: int, y: int, z: int, unbounded: bool = False) -> tuple[int, int]:
    """Sum and carry of three bits.

    Give the latest-arriving literal as ``z``.  With ``unbounded``, one XOR and one MAJ gate of
    fan-in 3; else fan-in-2 gates ``p = x^y, s = p^z, c = (x&y) | (p&z)``.  Returns ``(sum, carry)``.

    Notes
    -----
    Fan-in 2: depth 3 (sum 2), five gates; ``z`` reaches the sum in 1 level and the carry in 2.
    Unbounded: depth 1, two gates.

    Example
    -------
    >>> b = CircuitBuilder(); x, y, z = b.inputs(3)
    >>> s, c = full_adder(b, x, y, z); b.output(s); b.output(c)
    >>> b.build().evaluate([[1, 1, 1], [1, 0, 1]]).astype(int).tolist()
    [[1, 1], [0, 1]]
    """
    if unbounded:
        return b.xor(x, y, z), b.maj(x, y, z)
    p = _xor(b, x, y)
    return _xor(b, p, z), _or(b, _and(b, x, y), _and(b, p, z))


def ripple_adder(b: CircuitBuilder, xs: Sequence[int], ys: Sequence[int], cin: int = FALSE) -> list[int]:
    """Ripple-carry sum of two numbers (fan-in 2 gates), ``max(len) + 1`` bits.

    Notes
    -----
    For two w-bit operands (w >= 1) of input literals: depth exactly ``2w - 1`` with ``cin = FALSE``
    and ``2w + 1`` with a carry-in literal; about ``5w`` gates.

    Example
    -------
    >>> b = CircuitBuilder(); xs, ys = b.input_bus("x", 3), b.input_bus("y", 3)
    >>> _ = [b.output(lit) for lit in ripple_adder(b, xs, ys)]
    >>> c = b.build(); c.depth()
    5
    >>> c.evaluate([[1, 1, 1, 1, 0, 0]]).astype(int).tolist()   # 7 + 1 = 8
    [[0, 0, 0, 1]]
    """
    w = max(len(xs), len(ys))
    xs, ys = _pad(xs, w), _pad(ys, w)
    out, c = [], cin
    for x, y in zip(xs, ys):
        s, c = full_adder(b, x, y, c)
        out.append(s)
    return out + [c]


def serial_adder() -> LoopedCircuit:
    """The ripple-carry adder as a stream :class:`~serialcomp.ir.looped.LoopedCircuit`.

    State: the carry (1 bit, initially 0).  Per step ``x = (a_t, b_t)`` and ``y = (s_t,)``; one
    extra step with ``x = (0, 0)`` emits the final carry.

    Notes
    -----
    One XOR3 and one MAJ3 gate per step (step depth 1); serial depth of ``T`` steps is ``T``.

    Example
    -------
    >>> import numpy as np
    >>> add = serial_adder()
    >>> x = np.array([[[1, 1], [1, 0], [0, 0]]], bool)          # 3 + 1, LSB first, padded
    >>> add.run(x).outputs[0, :, 0].astype(int).tolist(), add.serial_depth(3)
    ([0, 0, 1], 3)
    """
    b = CircuitBuilder()
    c, x, y = b.input("carry"), b.input("a"), b.input("b")
    s, c2 = full_adder(b, x, y, c, unbounded=True)
    b.output(c2, "carry'")
    b.output(s, "s")
    return LoopedCircuit(b.build(), n_state=1, mode="stream")


def carry_lookahead_adder(b: CircuitBuilder, xs: Sequence[int], ys: Sequence[int]) -> list[int]:
    """Constant-depth carry look-ahead sum of two w-bit numbers with AND/OR gates only (AC0), ``w + 1`` bits.

    With ``t_i = x_i OR y_i`` and the generate terms ``T_ij = AND(x_j, y_j, t_{j+1}, ..., t_{i-1})``,
    the carry into bit i is ``c_i = OR_j T_ij``.  The sum bit ``s_i = x_i XOR y_i XOR c_i`` is
    written without XOR: ``c_i`` where ``x_i = y_i`` and ``NOT c_i = AND_j NOT T_ij`` where they
    differ, so ``s_i = OR(AND(x_i, y_i, T_ij)_j, AND(~x_i, ~y_i, T_ij)_j, AND(x_i, ~y_i, ~T_i0, ...),
    AND(~x_i, y_i, ~T_i0, ...))``, negations free.  The top bit is ``c_w``.

    Notes
    -----
    Depth exactly 2 for w = 1, 3 for w = 2 and 4 for w >= 3 (OR inputs, generate ANDs, sum ANDs,
    OR).  ``O(w^2)`` gates and ``O(w^3)`` edges; only AND and OR gates, so the circuit is in AC0.

    Example
    -------
    >>> b = CircuitBuilder(); xs, ys = b.input_bus("x", 4), b.input_bus("y", 4)
    >>> _ = [b.output(lit) for lit in carry_lookahead_adder(b, xs, ys)]
    >>> c = b.build(); c.depth(), sorted(c.size())
    (4, ['AND', 'OR'])
    >>> c.evaluate([[1, 1, 0, 1, 1, 1, 1, 0]]).astype(int).tolist()   # 11 + 7 = 18
    [[0, 1, 0, 0, 1]]
    """
    if len(xs) != len(ys):
        raise CircuitStructureError(f"carry_lookahead_adder: operands of {len(xs)} and {len(ys)} bits")
    w = len(xs)
    if w == 0:
        return [FALSE]
    t = [b.or_(x, y) for x, y in zip(xs, ys)]
    gen = [[b.and_(xs[j], ys[j], *t[j + 1 : i]) for j in range(i)] for i in range(w + 1)]
    out = []
    for i in range(w):
        x, y = xs[i], ys[i]
        terms = [b.and_(x, y, g) for g in gen[i]] + [b.and_(x ^ 1, y ^ 1, g) for g in gen[i]]
        terms += [b.and_(x, y ^ 1, *[g ^ 1 for g in gen[i]]), b.and_(x ^ 1, y, *[g ^ 1 for g in gen[i]])]
        out.append(b.or_(*terms))
    top = gen[w]
    return out + [top[0] if len(top) == 1 else b.or_(*top)]


def prefix_adder(b: CircuitBuilder, xs: Sequence[int], ys: Sequence[int]) -> list[int]:
    """Kogge-Stone parallel-prefix sum of two numbers (fan-in 2 gates), ``max(len) + 1`` bits.

    ``g_i = x_i y_i``, ``p_i = x_i ^ y_i``; round k combines ``(G, P)_i`` with ``(G, P)_{i - 2^k}``
    (``G <- G | P G'``, ``P <- P P'``); ``s_i = p_i ^ G_{i-1}``, the top bit ``G_{w-1}``.

    Notes
    -----
    For two w-bit operands of input literals: depth exactly ``1 + 2 ceil(log2 w)``, one less when
    ``w - 1`` is a power of two ``>= 2`` (the last round then combines with ``G_0`` of depth 1);
    ``O(w log w)`` gates (constant operand bits fold away).

    Example
    -------
    >>> b = CircuitBuilder(); xs, ys = b.input_bus("x", 5), b.input_bus("y", 5)
    >>> _ = [b.output(lit) for lit in prefix_adder(b, xs, ys)]
    >>> c = b.build(); c.depth()
    6
    >>> c.evaluate([[1, 1, 1, 1, 1] + [1, 0, 0, 0, 1]]).astype(int).tolist()   # 31 + 17 = 48
    [[0, 0, 0, 0, 1, 1]]
    """
    w = max(len(xs), len(ys))
    if w == 0:
        return [FALSE]
    xs, ys = _pad(xs, w), _pad(ys, w)
    p = [_xor(b, x, y) for x, y in zip(xs, ys)]
    g = [_and(b, x, y) for x, y in zip(xs, ys)]
    pp = list(p)
    k = 1
    while k < w:
        g, pp = (
            [g[i] if i < k else _or(b, g[i], _and(b, pp[i], g[i - k])) for i in range(w)],
            [pp[i] if i < k else _and(b, pp[i], pp[i - k]) for i in range(w)],
        )
        k *= 2
    return [p[0]] + [_xor(b, p[i], g[i - 1]) for i in range(1, w)] + [g[w - 1]]


# ------------------------------------------------------------------ comparison
def compare_const(b: CircuitBuilder, xs: Sequence[int], k: int) -> int:
    """``[value(xs) >= k]`` for a constant integer ``k`` (fan-in 2 gates, balanced tree).

    Notes
    -----
    Depth at most ``2 ceil(log2 w)`` for w bits (constant when ``k <= 0`` or ``k >= 2^w``);
    fewer than ``3w`` gates.

    Example
    -------
    >>> b = CircuitBuilder(); xs = b.input_bus("x", 3)
    >>> b.output(compare_const(b, xs, 5))
    >>> b.build().evaluate([[0, 0, 1], [1, 0, 1], [0, 1, 1]]).astype(int).ravel().tolist()  # 4, 5, 6
    [0, 1, 1]
    """
    k = check_int("k", k, where="compare_const", error=CircuitStructureError)
    w = len(xs)
    if k <= 0:
        return TRUE
    if k >= 1 << w:
        return FALSE
    c = k - 1  # value > c

    def rec(lo: int, hi: int) -> tuple[int, int]:  # (gt, eq) of xs[lo:hi] against c's bits
        if hi - lo == 1:
            return (FALSE, xs[lo]) if (c >> lo) & 1 else (xs[lo], xs[lo] ^ 1)
        mid = (lo + hi) // 2
        gl, el = rec(lo, mid)
        gh, eh = rec(mid, hi)
        return _or(b, gh, _and(b, eh, gl)), _and(b, eh, el)

    return rec(0, w)[0]


# ------------------------------------------------------------------ iterated addition
def carry_save(b: CircuitBuilder, numbers: Sequence[Sequence[int]]) -> tuple[list[int], list[int]]:
    """Reduce many numbers to two with the same sum by 3:2 compression (fan-in-2 full adders).

    Each column keeps its bits in a heap by (estimated) arrival level and repeatedly compresses its
    three earliest bits with a :func:`full_adder` (sum back into the column, carry into the next)
    until at most two remain: a Wallace/Dadda tree that is greedy in arrival time.

    Returns ``(row_a, row_b)``, of equal length (``FALSE`` where a column kept fewer bits).

    Notes
    -----
    About ``log_{3/2}(m / 2)`` full-adder stages for m numbers; each full adder adds at most 3
    levels, so depth ``O(log m)``; ``5 (total bits - 2 * columns)`` gates at most.

    Example
    -------
    >>> b = CircuitBuilder(); nums = [b.input_bus(f"x{r}", 2) for r in range(4)]
    >>> ra, rb = carry_save(b, nums)
    >>> _ = [b.output(lit) for lit in ra + rb]
    >>> out = b.build().evaluate([[1, 1, 1, 0, 0, 1, 1, 1]])[0].astype(int).tolist()  # 3+1+2+3
    >>> sum(v << j for j, v in enumerate(out[:len(ra)])) + sum(v << j for j, v in enumerate(out[len(ra):]))
    9
    """
    cols: list[list[tuple[int, int, int]]] = []
    seq = 0
    for num in numbers:
        for j, lit in enumerate(num):
            if lit == FALSE:
                continue
            while len(cols) <= j + 1:
                cols.append([])
            cols[j].append((0, seq, lit))
            seq += 1
    for h in cols:
        heapq.heapify(h)
    j = 0
    while j < len(cols):
        h = cols[j]
        while len(h) > 2:
            (lx, _, x), (ly, _, y), (lz, _, z) = heapq.heappop(h), heapq.heappop(h), heapq.heappop(h)
            s, c = full_adder(b, x, y, z)
            lp = max(lx, ly) + 1
            ls = max(lp, lz) + 1
            if j + 1 >= len(cols):
                cols.append([])
            heapq.heappush(h, (ls, seq, s))
            heapq.heappush(cols[j + 1], (ls + 1, seq + 1, c))
            seq += 2
        j += 1
    while cols and not cols[-1]:
        cols.pop()
    ra = [h[0][2] if len(h) > 0 else FALSE for h in cols]
    rb = [h[1][2] if len(h) > 1 else FALSE for h in cols]
    return ra, rb


def iterated_sum(b: CircuitBuilder, numbers: Sequence[Sequence[int]], width: int | None = None) -> list[int]:
    """Sum of many numbers: :func:`carry_save` then :func:`prefix_adder` (fan-in 2 gates).

    The result has ``width`` bits (default: enough for the largest possible sum): the sum modulo
    ``2**width``.

    Notes
    -----
    Depth ``O(log m + log w)`` for m numbers of w bits; ``O(m w)`` gates.

    Example
    -------
    >>> b = CircuitBuilder(); nums = [b.input_bus(f"x{r}", 3) for r in range(3)]
    >>> _ = [b.output(lit) for lit in iterated_sum(b, nums)]
    >>> b.build().evaluate([[1, 1, 1, 1, 1, 1, 0, 0, 1]]).astype(int).tolist()   # 7 + 7 + 4
    [[0, 1, 0, 0, 1]]
    """
    if width is None:
        width = max(1, sum((1 << len(num)) - 1 for num in numbers).bit_length())
    ra, rb = carry_save(b, numbers)
    return _pad(prefix_adder(b, ra, rb)[:width], width)


def popcount(b: CircuitBuilder, xs: Sequence[int]) -> list[int]:
    """Number of true literals among ``xs`` in binary (``max(1, bit_length(len(xs)))`` bits), fan-in 2.

    Notes
    -----
    :func:`iterated_sum` of 1-bit numbers: depth ``O(log n)`` (at most ``4 ceil(log2 n) + 1``
    for ``n <= 1024``, checked in the tests); fewer than ``6n`` gates.

    Example
    -------
    >>> b = CircuitBuilder(); xs = b.inputs(6)
    >>> _ = [b.output(lit) for lit in popcount(b, xs)]
    >>> b.build().evaluate([[1, 0, 1, 1, 0, 1]]).astype(int).tolist()
    [[0, 0, 1]]
    """
    return iterated_sum(b, [[x] for x in xs], max(1, len(xs).bit_length()))


# ------------------------------------------------------------------ threshold (TC0) constructions
def threshold_sum(b: CircuitBuilder, lits: Sequence[int], weights: Sequence[int], width: int) -> list[int]:
    """Bits ``0..width-1`` of ``S = sum_i w_i x_i`` (non-negative integer weights) in depth 2.

    Bit j of S is bit j of ``T_j = sum_i (w_i mod 2^{j+1}) x_i`` (S and T_j agree modulo
    ``2^{j+1}``), i.e. ``[floor(T_j / 2^j) is odd]``.  The first layer has the THR gates
    ``g_k = [T_j >= k 2^j]`` for ``k = 1..K_j`` (``K_j = floor(max T_j / 2^j)``); since ``g`` is a
    prefix of ones, the bit is the THR gate ``[g_1 - g_2 + g_3 - ... >= 1]``.

    Notes
    -----
    Depth exactly 2 for every bit that is not constant (``K_j >= 1``); a bit with ``K_j = 0`` is
    the constant ``FALSE``.  Bit j costs ``K_j + 1`` gates and ``K_j`` times the non-zero
    ``w_i mod 2^{j+1}`` edges.  Weights ``w_i`` must keep ``sum_i w_i`` below ``2**62``.

    Example
    -------
    >>> b = CircuitBuilder(); xs = b.inputs(3)
    >>> _ = [b.output(lit) for lit in threshold_sum(b, xs, [1, 2, 3], 3)]
    >>> c = b.build(); c.depth(), c.evaluate([[1, 1, 1], [0, 1, 1]]).astype(int).tolist()
    (2, [[0, 1, 1], [1, 0, 1]])
    """
    if len(lits) != len(weights):
        raise CircuitStructureError(f"threshold_sum: {len(weights)} weights for {len(lits)} literals")
    weights = check_int_array("weights", list(weights), 0, where="threshold_sum", error=CircuitStructureError).tolist()
    width = check_int("width", width, 0, where="threshold_sum", error=CircuitStructureError)
    out = []
    for j in range(width):
        mod = 1 << (j + 1)
        pairs = [(x, w % mod) for x, w in zip(lits, weights) if w % mod]
        kmax = sum(w for _, w in pairs) >> j
        if kmax == 0:
            out.append(FALSE)
            continue
        xs, ws = [x for x, _ in pairs], [w for _, w in pairs]
        g = [b.thr(xs, ws, k << j) for k in range(1, kmax + 1)]
        out.append(b.thr(g, [1 if k % 2 == 0 else -1 for k in range(kmax)], 1))
    return out


def threshold_iterated_sum(b: CircuitBuilder, numbers: Sequence[Sequence[int]], width: int | None = None) -> list[int]:
    """Sum of many numbers in depth 2 with THR gates (:func:`threshold_sum`, weights ``2^column``).

    Notes
    -----
    Depth exactly 2 (every non-constant bit).  For m numbers of w bits, bit ``j < w`` uses about
    ``2m`` first-layer gates of fan-in ``m (j + 1)``: ``O(m w)`` gates per bit, ``O(m^2 w^3)``
    edges in all.  Practical up to about w = 60 (weights ``2^j`` in int64).

    Example
    -------
    >>> b = CircuitBuilder(); nums = [b.input_bus(f"x{r}", 2) for r in range(3)]
    >>> _ = [b.output(lit) for lit in threshold_iterated_sum(b, nums)]
    >>> c = b.build(); c.depth(), c.evaluate([[1, 1, 1, 1, 0, 1]]).astype(int).tolist()  # 3+3+2
    (2, [[0, 0, 0, 1]])
    """
    if width is None:
        width = max(1, sum((1 << len(num)) - 1 for num in numbers).bit_length())
    lits = [lit for num in numbers for lit in num]
    weights = [1 << j for num in numbers for j in range(len(num))]
    return threshold_sum(b, lits, weights, width)
