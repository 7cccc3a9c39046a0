"""Lowering to an and-inverter graph: :func:`to_aig` and the structurally hashed :class:`AigBuilder`."""

from __future__ import annotations

from typing import Sequence

import numpy as np

from .circuit import Circuit
from .gates import GateKind

__all__ = ["AigBuilder", "to_aig", "is_aig"]


class AigBuilder:
    """Builds 2-input AND nodes with structural hashing and constant folding.

    Literals are AIGER literals (``0`` false, ``1`` true, ``2*node + neg``).  ``and2`` never makes
    a node for ``x & 0``, ``x & 1``, ``x & x`` or ``x & ~x``, and makes one node per unordered pair.

    Example
    -------
    >>> b = AigBuilder(2)
    >>> x, y = b.input_lit(0), b.input_lit(1)
    >>> b.and2(x, y) == b.and2(y, x), b.and2(x, x ^ 1), b.n_ands
    (True, 0, 1)
    """

    def __init__(self, n_inputs: int) -> None:
        self.n_inputs = int(n_inputs)
        self._left: list[int] = []
        self._right: list[int] = []
        self._hash: dict[tuple[int, int], int] = {}

    @property
    def n_ands(self) -> int:
        return len(self._left)

    def input_lit(self, k: int) -> int:
        return 2 * (k + 1)

    def and2(self, a: int, b: int) -> int:
        if a > b:
            a, b = b, a
        if a == 0:
            return 0
        if a == 1:
            return b
        if a == b:
            return a
        if a ^ 1 == b:
            return 0
        key = (a, b)
        hit = self._hash.get(key)
        if hit is not None:
            return hit
        lit = 2 * (self.n_inputs + 1 + len(self._left))
        self._left.append(a)
        self._right.append(b)
        self._hash[key] = lit
        return lit

    def or2(self, a: int, b: int) -> int:
        return self.and2(a ^ 1, b ^ 1) ^ 1

    def xor2(self, a: int, b: int) -> int:
        # (a | b) & ~(a & b): 3 ANDs, 2 levels.
        return self.and2(self.and2(a ^ 1, b ^ 1) ^ 1, self.and2(a, b) ^ 1)

    def maj3(self, a: int, b: int, c: int) -> int:
        return self.or2(self.and2(a, b), self.and2(c, self.or2(a, b)))

    def tree(self, lits: Sequence[int], op: str) -> int:
        """Balanced tree of a 2-input operator (``and``, ``or``, ``xor``): depth ceil(log2 f) ops."""
        fn = {"and": self.and2, "or": self.or2, "xor": self.xor2}[op]
        level = list(lits)
        if not level:
            return 1 if op == "and" else 0
        while len(level) > 1:
            nxt = [fn(level[i], level[i + 1]) for i in range(0, len(level) - 1, 2)]
            if len(level) % 2:
                nxt.append(level[-1])
            level = nxt
        return level[0]

    def weighted_sum(self, lits: Sequence[int], weights: Sequence[int]) -> list[int]:
        """Bits (LSB first) of ``sum w_i * x_i`` for non-negative weights.

        A carry-save (Wallace) tree of full adders reduces every bit column to two rows, and a
        ripple-carry adder adds them: depth O(log f + B) AND levels for B result bits.
        """
        cols: list[list[int]] = []
        for l, w in zip(lits, weights):
            bit = 0
            while w:
                if w & 1:
                    while len(cols) <= bit:
                        cols.append([])
                    cols[bit].append(l)
                w >>= 1
                bit += 1
        while any(len(c) > 2 for c in cols):
            new: list[list[int]] = [[] for _ in range(len(cols) + 1)]
            for k, col in enumerate(cols):
                i = 0
                while len(col) - i >= 3:
                    a, b, c = col[i : i + 3]
                    new[k].append(self.xor2(self.xor2(a, b), c))
                    new[k + 1].append(self.maj3(a, b, c))
                    i += 3
                new[k].extend(col[i:])
            while new and not new[-1]:
                new.pop()
            cols = new
        out: list[int] = []
        carry = 0
        for col in cols:
            a = col[0] if len(col) > 0 else 0
            b = col[1] if len(col) > 1 else 0
            out.append(self.xor2(self.xor2(a, b), carry))
            carry = self.maj3(a, b, carry)
        out.append(carry)
        return out

    def ge_const(self, bits: Sequence[int], t: int) -> int:
        """``[value(bits) >= t]`` for a non-negative constant ``t`` (bits LSB first)."""
        if t <= 0:
            return 1
        if t >= (1 << len(bits)):
            return 0
        ge = 1  # comparing the empty suffix: equal, so ">=" holds
        for k, s in enumerate(bits):
            ge = self.and2(s, ge) if (t >> k) & 1 else self.or2(s, ge)
        return ge

    def eq_const(self, bits: Sequence[int], value: int) -> int:
        """``[value(bits) == value]``: a balanced AND of the matching literals."""
        if value >= (1 << len(bits)) or value < 0:
            return 0
        return self.tree([s if (value >> k) & 1 else s ^ 1 for k, s in enumerate(bits)], "and")

    def build(self, outputs: Sequence[int], input_names: Sequence[str], output_names: Sequence[str]) -> Circuit:
        n = 1 + self.n_inputs + self.n_ands
        kind = np.full(n, int(GateKind.AND), np.uint8)
        kind[0] = GateKind.CONST
        kind[1 : 1 + self.n_inputs] = GateKind.INPUT
        ptr = np.zeros(n + 1, np.int64)
        ptr[2 + self.n_inputs :] = 2 * np.arange(1, self.n_ands + 1)
        fan = np.empty(2 * self.n_ands, np.int64)
        fan[0::2] = self._left
        fan[1::2] = self._right
        return Circuit(kind, ptr, fan, list(outputs), input_names=input_names, output_names=output_names)


def is_aig(circuit: Circuit) -> bool:
    """Whether every gate is a 2-input AND (no BUF nodes): the circuit is already an AIG."""
    gates = circuit.kind[circuit.n_inputs + 1 :]
    return bool(np.all(gates == GateKind.AND) and np.all(circuit.fanin_counts[circuit.n_inputs + 1 :] == 2))


def to_aig(circuit: Circuit) -> Circuit:
    """An equivalent and-inverter graph: 2-input ANDs, negations on edges, same inputs and outputs.

    Notes
    -----
    Per gate of fan-in ``f`` (``B = bit length`` of the largest reachable weighted sum):

    ========  ==============================  ===============================
    gate      AND nodes                       AND levels
    ========  ==============================  ===============================
    AND, OR   f - 1                           ceil(log2 f)
    XOR       3 (f - 1)                       2 ceil(log2 f)
    MAJ, THR  O(f B) (carry-save tree)        O(log_{3/2} f + B), with B = O(log sum|w|)
    MOD_m     O(f B + (f/m) B)                O(log_{3/2} f + B + log B)
    BUF       0                               0
    ========  ==============================  ===============================

    Measured (after hashing and folding; ``serialcomp.ir.to_aig`` on a single gate):

    ==============================  =====  =====  =====  =====
    gate, fan-in f                  3      15     63     255
    ==============================  =====  =====  =====  =====
    MAJ: ANDs / levels              8/3    88/17  456/31 1976/41
    THR, weights 1..7: ANDs/levels  13/6   161/22 803/35 3387/50
    MOD_3: ANDs / levels            11/6   107/23 527/39 2195/52
    ==============================  =====  =====  =====  =====

    At f = 255 that is about 8 ANDs per input for MAJ and 13 for THR; tests/ir/test_aig.py pins
    these figures.

    Structural hashing and constant folding may make the result smaller.  The result is a
    constant-depth circuit only where the input was AC0 (AND/OR); threshold and counting gates
    become logarithmic depth, as they must in bounded fan-in.

    Example
    -------
    >>> from serialcomp.ir import CircuitBuilder
    >>> b = CircuitBuilder(); xs = b.inputs(3); b.output(b.maj(*xs))
    >>> a = to_aig(b.build()); a.gate_set()["kinds"], a.max_fanin
    (['AND'], 2)
    """
    if is_aig(circuit):
        return circuit
    b = AigBuilder(circuit.n_inputs)
    m = np.zeros(circuit.n_nodes, np.int64)
    m[1 : circuit.n_inputs + 1] = 2 * np.arange(1, circuit.n_inputs + 1)
    ptr, fan, wts, prm = circuit.fanin_ptr, circuit.fanin, circuit.weight, circuit.param
    for v in range(circuit.n_inputs + 1, circuit.n_nodes):
        lo, hi = int(ptr[v]), int(ptr[v + 1])
        lits = [int(m[l >> 1]) ^ int(l & 1) for l in fan[lo:hi]]
        k = int(circuit.kind[v])
        if k == GateKind.BUF:
            out = lits[0]
        elif k == GateKind.AND:
            out = b.tree(lits, "and")
        elif k == GateKind.OR:
            out = b.tree(lits, "or")
        elif k == GateKind.XOR:
            out = b.tree(lits, "xor")
        elif k in (GateKind.MAJ, GateKind.THR):
            if k == GateKind.MAJ:
                w, t = [1] * len(lits), len(lits) // 2 + 1
            else:
                w, t = [int(x) for x in wts[lo:hi]], int(prm[v])
            # w*x with w < 0 equals |w|*(~x) + w: make every weight positive.
            pos_lits = [l ^ 1 if wi < 0 else l for l, wi in zip(lits, w)]
            t = t - sum(wi for wi in w if wi < 0)
            w = [abs(wi) for wi in w]
            out = b.ge_const(b.weighted_sum(pos_lits, w), t) if t > 0 else 1
            if t > sum(w):
                out = 0
        elif k == GateKind.MOD:
            mod = int(prm[v])
            bits = b.weighted_sum(lits, [1] * len(lits))
            out = b.tree([b.eq_const(bits, j * mod) for j in range(len(lits) // mod + 1)], "or")
        else:  # pragma: no cover - validation rules this out
            raise AssertionError(f"unexpected gate kind {k}")
        m[v] = out
    outs = [int(m[o >> 1]) ^ int(o & 1) for o in circuit.outputs]
    return b.build(outs, circuit.input_names, circuit.output_names)
