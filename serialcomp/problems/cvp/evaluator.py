"""A universal evaluator for layered circuit-value instances (``cvp``), one level per step.

The instance bits are those of :meth:`serialcomp.problems.cvp.CircuitValueProblem.encode_bits`:
``x`` (``n`` bits), then per gate (layer-major) 2 type bits ``t0`` (LSB), ``t1``, ``w`` bits of
the left operand and ``w`` of the right operand, LSB first, ``w = max(1, ceil(log2 n))``.  Codes:
0 AND, 1 OR, 2 XOR, 3 XNOR, i.e. a gate with operands ``a, b`` computes

    ``t1 ? (a XOR b XOR t0) : (t0 ? a OR b : a AND b)``.

A gate is evaluated in two levels, with threshold gates.  Its operand is *selected* by
``OR_j (addr == j AND v_j)``, but the OR need not be built: exactly one ``j`` matches, so
``s = a + b`` is a sum of mutually exclusive ``AND`` terms.  XOR is not a threshold function of
``s``, so the state keeps two threshold bits per gate,

    ``P = [2s + t0 + t1 >= 3]``  (``[s >= 2]`` for AND, ``[s >= 1]`` otherwise),
    ``Q = [s + 2 t1 >= 4]``      (``[s >= 2]`` for XOR/XNOR, 0 for AND/OR),

two THR gates over the same terms.  The gate's value is ``v = P XOR Q XOR (t0 AND t1)``
(``Q <= P``, so ``P XOR Q = [s == 1]`` for XOR/XNOR); rather than spend a level on it, a consumer
selects ``v_j`` as the sum of four mutually exclusive terms ``addr == j AND c`` with ``c`` one of
the cubes ``(not t1, P)``, ``(t1, not t0, P, not Q)``, ``(t1, t0, P, Q)``, ``(t1, t0, not P)``
over the operand's own bits.  So one layer costs exactly 2 levels (AND, THR).
"""

from __future__ import annotations

from typing import Sequence

from ..._validate import check_int
from ...errors import CircuitStructureError
from ...ir.builder import TRUE, CircuitBuilder
from ...ir.circuit import Circuit
from ...ir.looped import LoopedCircuit

__all__ = ["cvp_width_bits", "cvp_instance_inputs", "cvp_gate_value", "cvp_layer", "cvp_levelwise_looped",
           "cvp_layered_circuit"]

#: One gate's encoded fields: (type bits [t0, t1], left address bits, right address bits).
GateBits = tuple[list[int], list[int], list[int]]


def cvp_width_bits(n: int) -> int:
    """Address width ``w = max(1, ceil(log2 n))`` of the ``cvp`` bit encoding.

    Example
    -------
    >>> [cvp_width_bits(n) for n in (1, 2, 3, 4, 5, 16)]
    [1, 1, 2, 2, 3, 4]
    """
    return max(1, (check_int("n", n, 1, where="cvp_width_bits", error=CircuitStructureError) - 1).bit_length())


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


def _value_cubes(typ: Sequence[int], p: int, q: int) -> list[list[int]]:
    """Mutually exclusive cubes (literal lists) whose OR is the gate value ``P XOR Q XOR (t0 AND t1)``."""
    t0, t1 = int(typ[0]), int(typ[1])
    p, q = int(p), int(q)
    return [[t1 ^ 1, p], [t1, t0 ^ 1, p, q ^ 1], [t1, t0, p, q], [t1, t0, p ^ 1]]


def cvp_gate_value(b: CircuitBuilder, typ: Sequence[int], p: int, q: int) -> int:
    """The value ``P XOR Q XOR (t0 AND t1)`` of a gate from its state bits (one XOR level above them).

    Example
    -------
    >>> b = CircuitBuilder(); t = b.input_bus("t", 2); p, q = b.input("p"), b.input("q")
    >>> b.output(cvp_gate_value(b, t, p, q))
    >>> b.build().evaluate([[0, 1, 1, 0], [1, 1, 1, 1]]).astype(int).ravel().tolist()
    [1, 1]
    """
    return b.xor(int(p), int(q), b.and_(int(typ[0]), int(typ[1])))


def cvp_layer(
    b: CircuitBuilder,
    prev: Sequence[int],
    prev_state: tuple[Sequence[int], Sequence[Sequence[int]]] | None,
    gates: Sequence[GateBits],
) -> tuple[list[int], list[int]]:
    """The state bits ``(P, Q)`` of one layer, from the previous layer.

    Parameters
    ----------
    b : CircuitBuilder
    prev : sequence of n literals
        Previous layer: the values themselves when ``prev_state`` is None (layer 0, the inputs
        ``x``), else its ``P`` bits.
    prev_state : (Q bits, type bits) of the previous layer, or None
        The previous layer's ``Q`` bits and per-gate type bits ``[t0, t1]`` (value =
        ``P XOR Q XOR (t0 AND t1)``).
    gates : sequence of GateBits
        This layer's encoded gates.

    Returns
    -------
    (list of literals, list of literals)
        ``P_g = [2s + t0 + t1 >= 3]`` and ``Q_g = [s + 2 t1 >= 4]``, ``s = a + b``; the gate's value
        is ``P_g XOR Q_g XOR (t0 AND t1)`` (:func:`cvp_gate_value`).

    Notes
    -----
    Depth 2 above ``prev`` (AND terms with the address decoder fused in, then two THRs per gate
    over the same terms).  Size per gate: ``2n`` ANDs of fan-in ``w + 1`` when ``prev_state`` is
    None, else ``8n`` of fan-in at most ``w + 4``; two THRs of fan-in ``2n + 2`` and ``2n + 1``
    (``8n + 2``, ``8n + 1``).

    Example
    -------
    >>> b = CircuitBuilder(); x, g = cvp_instance_inputs(b, 2, 1)
    >>> p, q = cvp_layer(b, x, None, g[0])
    >>> for k in range(2):
    ...     b.output(cvp_gate_value(b, g[0][k][0], p[k], q[k]))
    >>> # x = (1, 0); gate 0 = OR(x0, x1) (type bits 1,0; left 0; right 1), gate 1 = XNOR(x1, x0)
    >>> b.build().evaluate([[1, 0,  1, 0, 0, 1,  1, 1, 1, 0]]).astype(int).tolist()
    [[1, 0]]
    """
    n = len(prev)
    ps, qs = [], []
    for (typ, left, right) in gates:
        terms = []
        for addr in (left, right):
            for j in range(n):
                match = _addr_match(addr, j)
                if prev_state is None:
                    terms.append(b.and_(*match, int(prev[j])))
                else:
                    q_prev, t_prev = prev_state
                    for cube in _value_cubes(t_prev[j], prev[j], q_prev[j]):
                        terms.append(b.and_(*match, *cube))
        t0, t1 = int(typ[0]), int(typ[1])
        ps.append(b.thr([*terms, t0, t1], [2] * len(terms) + [1, 1], 3))
        qs.append(b.thr([*terms, t1], [1] * len(terms) + [2], 4))
    return ps, qs


def cvp_levelwise_looped(n: int, depth: int) -> LoopedCircuit:
    """Loop-mode universal evaluator: one step updates every gate of the instance from the state.

    State: ``P`` of every gate (``depth * n`` bits, layer-major), then ``Q`` of every gate (same
    layout), then one *ready* bit per layer.  A step computes layer 1 from ``x`` and layer ``l``
    from the state's layer ``l - 1`` (:func:`cvp_layer`); ready bits shift (``ready'_1 = 1``,
    ``ready'_l = ready_{l-1}``, wires).  The output ``y`` is the value of gate 0 of the last
    layer, ``P' XOR Q' XOR (t0 AND t1)`` (:func:`cvp_gate_value`), read from the next state.

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
    ``depth * n * (8n + 2)`` gates.

    Example
    -------
    >>> lc = cvp_levelwise_looped(3, 3)
    >>> lc.n_state, lc.n_x, lc.serial_depth(2), lc.serial_depth(4)
    (21, 57, 5, 7)
    """
    n = check_int("n", n, 1, where="cvp_levelwise_looped", error=CircuitStructureError)
    depth = check_int("depth", depth, 1, where="cvp_levelwise_looped", error=CircuitStructureError)
    b = CircuitBuilder()
    p = [b.input_bus(f"p{layer + 1}", n) for layer in range(depth)]
    q = [b.input_bus(f"q{layer + 1}", n) for layer in range(depth)]
    ready = b.input_bus("ready", depth)
    x, gates = cvp_instance_inputs(b, n, depth)
    types = [[g[0] for g in row] for row in gates]
    nxt = [cvp_layer(b, x, None, gates[0])]
    for layer in range(1, depth):
        nxt.append(cvp_layer(b, p[layer - 1], (q[layer - 1], types[layer - 1]), gates[layer]))
    for k, name in enumerate("pq"):
        for layer, row in enumerate(nxt):
            for g, l in enumerate(row[k]):
                b.output(l, f"{name}{layer + 1}'[{g}]")
    for layer, l in enumerate([TRUE, *ready[:-1]]):
        b.output(l, f"ready'[{layer}]")
    b.output(cvp_gate_value(b, types[-1][0], nxt[-1][0][0], nxt[-1][1][0]), "value")
    return LoopedCircuit(b.build(), n_state=2 * depth * n + depth, mode="loop")


def cvp_layered_circuit(n: int, depth: int) -> Circuit:
    """Plain universal evaluator: the layers one after another (the pruned unrolled loop).

    Same inputs as :func:`cvp_levelwise_looped`'s ``x``; one output, the value of gate 0 of the
    last layer.  Only gate 0 of the last layer is built.

    Notes
    -----
    Depth ``2 * depth + 1``; size ``n (2n + 2) + (depth - 2) n (8n + 2) + 8n + 4`` gates for
    ``depth >= 2`` (``2n + 4`` for ``depth = 1``).  Equal in size and depth to
    ``cvp_levelwise_looped(n, depth).unroll(depth).prune()``.

    Example
    -------
    >>> c = cvp_layered_circuit(3, 3)
    >>> c.n_inputs, c.depth()
    (57, 7)
    """
    n = check_int("n", n, 1, where="cvp_layered_circuit", error=CircuitStructureError)
    depth = check_int("depth", depth, 1, where="cvp_layered_circuit", error=CircuitStructureError)
    b = CircuitBuilder()
    x, gates = cvp_instance_inputs(b, n, depth)
    prev, prev_state = x, None
    for layer in range(depth):
        row = gates[layer] if layer < depth - 1 else gates[layer][:1]
        ps, qs = cvp_layer(b, prev, prev_state, row)
        prev, prev_state = ps, (qs, [g[0] for g in row])
    b.output(cvp_gate_value(b, prev_state[1][0], prev[0], prev_state[0][0]), "value")
    return b.build()
