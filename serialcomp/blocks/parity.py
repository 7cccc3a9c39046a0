"""Parity blocks: a balanced XOR tree, a depth-2 threshold circuit, and a 1-bit stream accumulator.

Three depth regimes of the same function: ``ceil(log_k n)`` with fan-in-k XOR gates (NC view),
exactly 2 with threshold gates (TC0; parity is not in AC0), and ``n`` serial steps for the
recurrent accumulator.
"""

from __future__ import annotations

from typing import Sequence

from .._validate import check_int
from ..errors import CircuitStructureError
from ..ir.builder import FALSE, CircuitBuilder
from ..ir.looped import LoopedCircuit

__all__ = ["xor_tree", "threshold_parity", "stream_parity"]


def xor_tree(b: CircuitBuilder, xs: Sequence[int], fanin: int = 2) -> int:
    """Parity of ``xs`` by a balanced tree of XOR gates of fan-in at most ``fanin``.

    Parameters
    ----------
    b : CircuitBuilder
    xs : sequence of int
        Literals (none: the constant ``FALSE``; one: that literal, no gate).
    fanin : int
        Largest gate fan-in, at least 2.

    Returns
    -------
    int
        The literal of the parity.

    Notes
    -----
    Depth exactly ``ceil(log_fanin n)`` for n literals (0 for n <= 1).  ``n - 1`` gates for
    fan-in 2; with a larger fan-in at least ``ceil((n - 1) / (fanin - 1))`` and at most ``n - 1``
    (groups are near-equal rather than full, which keeps every layer balanced).

    Example
    -------
    >>> b = CircuitBuilder(); xs = b.inputs(5)
    >>> b.output(xor_tree(b, xs))
    >>> c = b.build(); c.depth(), c.n_gates
    (3, 4)
    >>> c.evaluate([[1, 0, 1, 1, 0], [1, 1, 0, 0, 0]]).ravel().tolist()
    [True, False]
    """
    fanin = check_int("fanin", fanin, 2, where="xor_tree", error=CircuitStructureError)
    layer = list(xs)
    if not layer:
        return FALSE
    while len(layer) > 1:
        # ceil(len / fanin) groups of near-equal size: each layer shrinks by a factor fanin
        groups = -(-len(layer) // fanin)
        size, extra = divmod(len(layer), groups)
        nxt, i = [], 0
        for g in range(groups):
            k = size + (1 if g < extra else 0)
            chunk = layer[i : i + k]
            i += k
            nxt.append(chunk[0] if len(chunk) == 1 else b.xor(*chunk))
        layer = nxt
    return layer[0]


def threshold_parity(b: CircuitBuilder, xs: Sequence[int]) -> int:
    """Parity of ``xs`` in depth 2 with threshold gates.

    Layer 1: ``g_k = [sum x >= k]`` for ``k = 1..n`` (THR, unit weights).  Since ``g`` is a prefix of
    ones of length ``sum x``, layer 2 ``[g_1 - g_2 + g_3 - ... >= 1]`` is 1 exactly when that length
    is odd.

    Notes
    -----
    Depth exactly 2 for n >= 1 (n = 0 gives the constant ``FALSE``); ``n + 1`` gates, ``n^2 + n``
    edges.

    Example
    -------
    >>> b = CircuitBuilder(); xs = b.inputs(4)
    >>> b.output(threshold_parity(b, xs))
    >>> c = b.build(); c.depth(), c.n_gates
    (2, 5)
    >>> c.evaluate([[1, 0, 1, 1], [1, 1, 0, 0]]).ravel().tolist()
    [True, False]
    """
    n = len(xs)
    if n == 0:
        return FALSE
    g = [b.thr(xs, [1] * n, k) for k in range(1, n + 1)]
    return b.thr(g, [1 if k % 2 == 0 else -1 for k in range(n)], 1)


def stream_parity() -> LoopedCircuit:
    """The running parity as a stream :class:`~serialcomp.ir.looped.LoopedCircuit`.

    State: one bit (initially 0).  Each step reads one bit ``x_t`` and outputs the parity of
    ``x_0 .. x_t`` (which is also the next state).

    Notes
    -----
    One XOR gate per step (step depth 1); the serial depth of ``T`` steps is ``T``.

    Example
    -------
    >>> import numpy as np
    >>> acc = stream_parity()
    >>> acc.run(np.array([[[1], [1], [1]]], bool)).outputs[0, :, 0].tolist(), acc.serial_depth(3)
    ([True, False, True], 3)
    """
    b = CircuitBuilder()
    s, x = b.input("s"), b.input("x")
    p = b.xor(s, x)
    b.output(p, "s'")
    b.output(p, "parity")
    return LoopedCircuit(b.build(), n_state=1, mode="stream")
