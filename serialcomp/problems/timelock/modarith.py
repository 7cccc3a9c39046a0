"""Modular arithmetic with the modulus as an input: reduction, addition, squaring, and the looped
iterated-squaring circuit of the time-lock puzzle.

Every operation is built from the constant-depth carry look-ahead adder of
:mod:`serialcomp.blocks.arith` (AND/OR gates, depth 4) and 2-level multiplexers, so a modular
addition has constant depth and a modular squaring of ``w``-bit numbers by the shift-and-add
(Horner) method has depth linear in ``w``.  Numbers are little-endian lists of literals.

Example
-------
>>> from serialcomp.ir import CircuitBuilder
>>> b = CircuitBuilder(); x, m = b.input_bus("x", 4), b.input_bus("m", 4)
>>> for lit in mod_square(b, x, m): _ = b.output(lit)
>>> c = b.build()
>>> bits = lambda v: [(v >> k) & 1 for k in range(4)]
>>> out = c.evaluate([bits(9) + bits(14)])[0]          # 9^2 mod 14 = 11
>>> int(sum(int(v) << k for k, v in enumerate(out)))
11
"""

from __future__ import annotations

from typing import Sequence

from ..._validate import check_int
from ...blocks.arith import carry_lookahead_adder
from ...errors import CircuitStructureError
from ...ir.builder import CircuitBuilder
from ...ir.looped import LoopedCircuit

__all__ = [
    "MUX_DEPTH",
    "mux",
    "subtract_if_not_below",
    "mod_add",
    "mod_double",
    "mod_square",
    "mod_square_depth",
    "iterated_squaring_looped",
]

TRUE, FALSE = 1, 0
#: Levels a 2-way multiplexer adds on its data path (OR of two ANDs).
MUX_DEPTH = 2


def mux(b: CircuitBuilder, select: int, if_true: Sequence[int], if_false: Sequence[int]) -> list[int]:
    """``if_true`` where ``select`` is 1, else ``if_false``, bit by bit (2 levels of AND/OR)."""
    if len(if_true) != len(if_false):
        raise CircuitStructureError(f"mux: operands of {len(if_true)} and {len(if_false)} bits")
    return [b.or_(b.and_(select, t), b.and_(select ^ 1, f)) for t, f in zip(if_true, if_false)]


def subtract_if_not_below(b: CircuitBuilder, v: Sequence[int], m: Sequence[int]) -> list[int]:
    """``v - m`` if ``v >= m`` else ``v``, for ``v`` of ``w + 1`` bits and ``m`` of ``w`` bits; ``w`` bits out.

    With ``v < 2m`` this is ``v mod m``.  ``v - m`` is ``v + NOT m + 1`` over ``w + 1`` bits; the
    ``+ 1`` rides in as an extra low bit that is 1 in both addends (so it carries into bit 0), and
    the carry out is 1 exactly when there was no borrow, i.e. ``v >= m``.

    Notes
    -----
    Depth 4 (carry look-ahead) + 2 (multiplexer) = 6 on the path from ``v``; ``O(w^2)`` gates.
    """
    w = len(m)
    if len(v) != w + 1:
        raise CircuitStructureError(f"subtract_if_not_below: v needs {w + 1} bits for a {w}-bit m, got {len(v)}")
    not_m = [lit ^ 1 for lit in m] + [TRUE]  # NOT m over w + 1 bits
    total = carry_lookahead_adder(b, [TRUE, *v], [TRUE, *not_m])  # w + 3 bits: low guard, difference, carry
    diff, no_borrow = total[1 : w + 1], total[w + 2]
    return mux(b, no_borrow, diff, list(v[:w]))


def mod_add(b: CircuitBuilder, r: Sequence[int], a: Sequence[int], m: Sequence[int]) -> list[int]:
    """``(r + a) mod m`` for ``r, a < m`` (all ``w`` bits).  Depth 4 + 6 = 10 from ``r``."""
    return subtract_if_not_below(b, carry_lookahead_adder(b, list(r), list(a)), m)


def mod_double(b: CircuitBuilder, r: Sequence[int], m: Sequence[int]) -> list[int]:
    """``2 r mod m`` for ``r < m``: a free shift, then one conditional subtraction (depth 6)."""
    return subtract_if_not_below(b, [FALSE, *r], m)


def mod_square(b: CircuitBuilder, x: Sequence[int], m: Sequence[int]) -> list[int]:
    """``x^2 mod m`` for ``x < m`` (``w`` bits each) by shift-and-add from the top bit of ``x``.

    ``r = x_{w-1} x``; then for each lower bit ``k``: ``r = 2r mod m``, ``r = (r + x_k x) mod m``.
    Every intermediate stays below ``m``, so each reduction is one conditional subtraction.

    Notes
    -----
    Depth :func:`mod_square_depth` ``(w)`` = ``16 (w - 1) - 2`` for ``w >= 2``, or one less: each of
    the ``w - 1`` lower bits costs a doubling (one conditional subtraction: look-ahead 4 levels,
    multiplexer 2) and an addition (look-ahead 4, then a conditional subtraction 6), 16 levels,
    less the levels where the look-ahead's top carry, which settles a level before its sum bits,
    is on the critical path.  ``O(w^3)`` gates (``2 (w - 1)`` carry look-ahead adders of
    ``w + 1`` to ``w + 3`` bits); w = 16: 24,811 gates, depth 238.
    """
    w = len(x)
    if len(m) != w or w == 0:
        raise CircuitStructureError(f"mod_square: x and m need the same positive width, got {w} and {len(m)}")
    r = [b.and_(x[w - 1], xi) for xi in x]
    for k in range(w - 2, -1, -1):
        r = mod_double(b, r, m)
        r = mod_add(b, r, [b.and_(x[k], xi) for xi in x], m)
    return r


def mod_square_depth(w: int) -> int:
    """The depth of :func:`mod_square` on ``w``-bit numbers, an upper bound that is exact or one
    more (see its Notes; tests check both on built circuits).

    Example
    -------
    >>> [mod_square_depth(w) for w in (1, 2, 4, 8)]
    [1, 14, 46, 110]
    """
    return 1 if w <= 1 else 16 * (w - 1) - 2


def iterated_squaring_looped(width: int) -> LoopedCircuit:
    """Loop-mode circuit for the time-lock puzzle: after ``t`` steps its output is ``x^(2^t) mod m``.

    State ``(started, y)``; inputs ``x`` and ``m`` (``width`` bits each, ``x < m``), re-injected every
    step.  A step squares ``y`` (or ``x`` on the first step, when ``started`` is 0) modulo ``m``;
    the outputs ``r`` are the new ``y``.

    Notes
    -----
    Step depth at most ``16 (width - 1)`` (the multiplexer that picks ``x`` or ``y`` shares levels
    with the first partial products) and at least 1 less, so ``t`` steps have serial depth at most
    ``16 t (width - 1)``: linear in ``t``, as the time-lock assumption says any method without the
    factors of ``m`` must be.  ``O(width^3)`` gates per step.

    Example
    -------
    >>> import numpy as np
    >>> lc = iterated_squaring_looped(4)
    >>> bits = lambda v: [(v >> k) & 1 for k in range(4)]
    >>> out = lc.run(np.array([bits(3) + bits(11)], bool), steps=2).outputs[0]
    >>> int(sum(int(v) << k for k, v in enumerate(out))), pow(3, 4, 11)
    (4, 4)
    """
    width = check_int("width", width, 1, where="iterated_squaring_looped", error=CircuitStructureError)
    b = CircuitBuilder()
    started = b.input("started")
    y = b.input_bus("y", width)
    x = b.input_bus("x", width)
    m = b.input_bus("m", width)
    base = mux(b, started, y, x)
    r = mod_square(b, base, m)
    b.output(TRUE, "started'")
    for k, lit in enumerate(r):
        b.output(lit, f"y'[{k}]")
    for k, lit in enumerate(r):
        b.output(lit, f"r[{k}]")
    return LoopedCircuit(b.build(), n_state=width + 1, mode="loop")
