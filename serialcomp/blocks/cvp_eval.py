"""A universal evaluator for layered circuit-value instances (``cvp``), one level per step.

The instance bits are those of :meth:`serialcomp.problems.cvp.CircuitValueProblem.encode_bits`:
``x`` (``n`` bits), then per gate (layer-major) 2 type bits, ``w`` bits of the left operand and
``w`` of the right operand, LSB first, ``w = max(1, ceil(log2 n))``.  Type bit 0 says OR-like
(codes 1 OR, 3 NOR) rather than AND-like (0 AND, 2 NAND), type bit 1 says negated (NAND, NOR).

A gate is evaluated in two levels, with threshold gates.  Let ``a, b`` be the values of its two
operands; the operand is *selected* by ``OR_j (addr == j AND v_j)``, but the OR need not be
built: exactly one ``j`` matches, so ``a + b`` is a sum of ``AND`` terms and

    ``u = [a + b + typebit0 >= 2]``

is AND (type bit 0 clear) or OR (set) in one THR gate.  The value of the gate is ``u XOR
typebit1``; rather than spend a level on it, the state keeps ``u`` and a consumer selects ``v_j``
as ``(addr == j AND NOT neg_j AND u_j) OR (addr == j AND neg_j AND NOT u_j)`` -- two more
mutually exclusive terms of the same sum.  So one layer costs exactly 2 levels (AND, THR).
"""

from __future__ import annotations

from typing import Sequence

from ..ir.builder import TRUE, CircuitBuilder
from ..ir.circuit import Circuit
from ..ir.looped import LoopedCircuit

__all__ = ["cvp_width_bits", "cvp_instance_inputs", "cvp_layer", "cvp_levelwise_looped", "cvp_layered_circuit"]

#: One gate's encoded fields: (type bits [or_like, negated], left address bits, right address bits).
GateBits = tuple[list[int], list[int], list[int]]


def cvp_width_bits(n: int) -> int:
    """Address width ``w = max(1, ceil(log2 n))`` of the ``cvp`` bit encoding.

    Example
    -------
    >>> [cvp_width_bits(n) for n in (1, 2, 3, 4, 5, 16)]
    [1, 1, 2, 2, 3, 4]
    """
    return max(1, (int(n) - 1).bit_length())


def cvp_instance_inputs(b: CircuitBuilder, n: int, depth: int) -> tuple[list[int], list[list[GateBits]]]:
    """Create the instance inputs in the ``cvp`` bit order; returns ``(x, gates[layer][g])``.

    Example
    -------
    >>> b = CircuitBuilder(); x, g = cvp_instance_inputs(b, 2, 3)
    >>> len(x), len(g), len(g[0]), [len(f) for f in g[0][0]], b.build().n_inputs
    (2, 3, 2, [2, 1, 1], 26)
    """
    w = cvp_width_bits(n)
    x = b.input_bus("x", n)
    gates = []
    for layer in range(depth):
        row = []
        for g in range(n):
            p = f"g{layer + 1}.{g}"
            row.append((b.input_bus(f"{p}.type", 2), b.input_bus(f"{p}.left", w), b.input_bus(f"{p}.right", w)))
        gates.append(row)
    return x, gates


def _addr_match(addr: Sequence[int], j: int) -> list[int]:
    """Literals whose AND says ``addr == j`` (LSB first)."""
    return [int(a) if (j >> i) & 1 else int(a) ^ 1 for i, a in enumerate(addr)]


def cvp_layer(
    b: CircuitBuilder,
    prev: Sequence[int],
    prev_neg: Sequence[int] | None,
    gates: Sequence[GateBits],
) -> list[int]:
    """The pre-negation values ``u`` of one layer, from the previous layer.

    Parameters
    ----------
    b : CircuitBuilder
    prev : sequence of n literals
        Previous layer: the values themselves when ``prev_neg`` is None (layer 0, the inputs
        ``x``), else the pre-negation values ``u``.
    prev_neg : sequence of n literals or None
        The previous layer's negation type bits (value = ``u XOR neg``).
    gates : sequence of GateBits
        This layer's encoded gates.

    Returns
    -------
    list of literals
        ``u_g = [a + b + or_like >= 2]``; the gate's value is ``u_g XOR negated_g``.

    Notes
    -----
    Depth 2 above ``prev`` (AND terms with the address decoder fused in, then one THR per gate).
    Size per gate: ``2n`` ANDs of fan-in ``w + 1`` when ``prev_neg`` is None, else ``4n`` of
    fan-in ``w + 2``, and one THR of fan-in ``2n + 1`` (``4n + 1``).

    Example
    -------
    >>> b = CircuitBuilder(); x, g = cvp_instance_inputs(b, 2, 1)
    >>> for l in cvp_layer(b, x, None, g[0]):
    ...     b.output(l)
    >>> # x = (1, 0); gate 0 = OR(x0, x1) (type bits 1,0; left 0; right 1), gate 1 = AND(x1, x0)
    >>> b.build().evaluate([[1, 0,  1, 0, 0, 1,  0, 0, 1, 0]]).astype(int).tolist()
    [[1, 0]]
    """
    n = len(prev)
    out = []
    for (typ, left, right) in gates:
        terms = []
        for addr in (left, right):
            for j in range(n):
                match = _addr_match(addr, j)
                if prev_neg is None:
                    terms.append(b.and_(*match, int(prev[j])))
                else:
                    terms.append(b.and_(*match, int(prev_neg[j]) ^ 1, int(prev[j])))
                    terms.append(b.and_(*match, int(prev_neg[j]), int(prev[j]) ^ 1))
        terms.append(int(typ[0]))
        out.append(b.thr(terms, [1] * len(terms), 2))
    return out


def cvp_levelwise_looped(n: int, depth: int) -> LoopedCircuit:
    """Loop-mode universal evaluator: one step updates every gate of the instance from the state.

    State: ``u`` of every gate (``depth * n`` bits, layer-major) then one *ready* bit per layer.
    A step computes layer 1 from ``x`` and layer ``l`` from the state's layer ``l - 1``
    (:func:`cvp_layer`); ready bits shift (``ready'_1 = 1``, ``ready'_l = ready_{l-1}``, wires).
    The output ``y`` is the value of gate 0 of the last layer, ``u' XOR negated``, read from the
    next state.

    Notes
    -----
    After ``t`` steps layers ``1..t`` hold their final values and exactly the first ``t`` ready
    bits are set, so the state changes at every step up to ``depth`` and the state after
    ``depth`` steps is the (unique) fixed point: under fixed-point halting every lane reports
    ``depth`` steps, detected during step ``depth + 1`` (run at least ``depth + 1`` steps for
    ``halted`` to be set).  Step depth 2, ``y`` one more (XOR); the state path through layer ``l``
    is only ``l`` steps long (layer ``l`` reads layer ``l - 1``, layer 1 reads ``x``), so ``T``
    steps have serial depth ``2 min(T, depth) + 1``: ``2 depth + 1`` for the ``depth + 1`` steps
    that halting needs, the depth of :func:`cvp_layered_circuit`.  Step size about
    ``depth * n * (4n + 1)`` gates.

    Example
    -------
    >>> lc = cvp_levelwise_looped(3, 3)
    >>> lc.n_state, lc.n_x, lc.serial_depth(2), lc.serial_depth(4)
    (12, 57, 5, 7)
    """
    n, depth = int(n), int(depth)
    b = CircuitBuilder()
    u = [b.input_bus(f"u{layer + 1}", n) for layer in range(depth)]
    ready = b.input_bus("ready", depth)
    x, gates = cvp_instance_inputs(b, n, depth)
    neg = [[g[0][1] for g in row] for row in gates]
    nxt = [cvp_layer(b, x, None, gates[0])]
    for layer in range(1, depth):
        nxt.append(cvp_layer(b, u[layer - 1], neg[layer - 1], gates[layer]))
    for layer, row in enumerate(nxt):
        for g, l in enumerate(row):
            b.output(l, f"u{layer + 1}'[{g}]")
    for layer, l in enumerate([TRUE, *ready[:-1]]):
        b.output(l, f"ready'[{layer}]")
    b.output(b.xor(nxt[-1][0], neg[-1][0]), "value")
    return LoopedCircuit(b.build(), n_state=depth * n + depth, mode="loop")


def cvp_layered_circuit(n: int, depth: int) -> Circuit:
    """Plain universal evaluator: the layers one after another (the pruned unrolled loop).

    Same inputs as :func:`cvp_levelwise_looped`'s ``x``; one output, the value of gate 0 of the
    last layer.  Only gate 0 of the last layer is built.

    Notes
    -----
    Depth ``2 * depth + 1``; size about ``(depth - 1) n (4n + 1) + 4n + 2`` gates.  Equal in size and
    depth to ``cvp_levelwise_looped(n, depth).unroll(depth).prune()``.

    Example
    -------
    >>> c = cvp_layered_circuit(3, 3)
    >>> c.n_inputs, c.depth()
    (57, 7)
    """
    n, depth = int(n), int(depth)
    b = CircuitBuilder()
    x, gates = cvp_instance_inputs(b, n, depth)
    prev, prev_neg = x, None
    for layer in range(depth):
        row = gates[layer] if layer < depth - 1 else gates[layer][:1]
        cur = cvp_layer(b, prev, prev_neg, row)
        prev, prev_neg = cur, [g[0][1] for g in row]
    b.output(b.xor(prev[0], prev_neg[0]), "value")
    return b.build()
