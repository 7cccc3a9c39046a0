"""The gate table: one record per gate kind.

Every node of a :class:`~serialcomp.ir.circuit.Circuit` has a kind from this table.  A record says
how many fan-ins the kind admits, how it evaluates (in plain Python, the reference every kernel is
checked against), whether it costs a level, and which circuit classes admit it.

Literals follow AIGER: literal ``2*node + neg``; literal 0 is constant false, 1 constant true.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from typing import Callable, Sequence

from ..errors import CircuitStructureError

__all__ = [
    "GateKind", "GateSpec", "GATES", "gate_spec", "CLASS_ORDER", "evaluate_gate",
    "MAX_WEIGHT", "MAX_THRESHOLD", "MAX_THR_FANIN",
]

#: THR weights lie strictly inside (-MAX_WEIGHT, MAX_WEIGHT); see :data:`MAX_THR_FANIN`.
MAX_WEIGHT = 1 << 40
#: THR thresholds and MOD moduli lie strictly inside (-MAX_THRESHOLD, MAX_THRESHOLD).
MAX_THRESHOLD = 1 << 50
#: A THR gate has at most MAX_THR_FANIN fan-ins (weighted edges), so no sum of the simulator overflows.
#:
#: The bound.  The simulator (:mod:`serialcomp.sim._program`) normalises a THR gate with fan-in
#: ``f``, weights ``w_i`` and threshold ``t`` in int64: every negative weight is made positive by
#: complementing its edge and adding ``|w_i|`` to the threshold, and a constant-true fan-in
#: subtracts its weight, so every intermediate threshold ``t'`` satisfies
#: ``|t'| <= |t| + sum_i |w_i| <= |t| + f * max_i |w_i|``.  With ``|t| < 2**50``,
#: ``|w_i| < 2**40`` and ``f <= 2**20``: ``|t'| < 2**50 + 2**20 * 2**40 = 2**60 + 2**50 < 2**61``,
#: far inside int64 (``2**63``).  The weight sums of the lowering saturate at ``t' + 1``.  The
#: bit-sliced counter then has ``B = ceil(log2 t') <= 61`` slices (``2**B`` fits in int64;
#: ``2**B >= t'`` is computed by shifting ``1 << B``, which must not reach ``2**63``), its start
#: value ``C0 = 2**B - t' < 2**61``, ``2B + 1 <= 123`` scratch rows and ``B + 1 <= 62`` entries of
#: its per-level workspace of 64.  Without the fan-in bound ``t'`` reaches ``2**62`` at about
#: ``f = 2**22`` and ``1 << B`` overflows: the answer would be wrong.  Every format writes and reads
#: back the same ranges (Circuit(), the builder and the ``.thr`` reader check them).
MAX_THR_FANIN = 1 << 20


class GateKind(enum.IntEnum):
    """Node kinds.  The integer values are stored in ``Circuit.kind`` and used by the kernels."""

    CONST = 0  #: constant false (node 0 only); literal 1 is its negation
    INPUT = 1  #: primary input (a state input of a looped circuit is an input too)
    BUF = 2  #: explicit buffer / inverter (NOT = BUF with a negated fan-in); costs no level by default
    AND = 3
    OR = 4
    XOR = 5  #: parity of the fan-in
    MAJ = 6  #: strict majority: ``2 * sum(x) > fanin`` (a tie gives 0)
    THR = 7  #: ``sum(w_i * x_i) >= t`` with integer weights and threshold
    MOD = 8  #: ``sum(x) % m == 0`` (the MOD_m gate of ACC0); ``m >= 2`` is the node's parameter


#: Circuit classes from the smallest to the largest; a circuit is in the first class admitting all its gates.
CLASS_ORDER = ("AC0", "ACC0", "TC0", "NC")


@dataclass(frozen=True)
class GateSpec:
    """One row of the gate table.

    Attributes
    ----------
    kind : GateKind
    name : str
        Upper-case name, as written in the threshold text format.
    min_fanin, max_fanin : int
        Arity rule (``max_fanin = -1`` means unbounded; THR is bounded by :data:`MAX_THR_FANIN`).
    param : str or None
        Name of the node's integer parameter (``"threshold"`` for THR, ``"modulus"`` for MOD).
    classes : tuple of str
        Unbounded-fan-in classes that admit this gate kind.
    """

    kind: GateKind
    name: str
    min_fanin: int
    max_fanin: int
    param: str | None
    classes: tuple[str, ...]
    rule: Callable[[Sequence[int], Sequence[int], int], int]

    def check_arity(self, fanin: int) -> str | None:
        """Return a message if ``fanin`` violates the arity rule, else None."""
        if fanin < self.min_fanin:
            return f"{self.name} needs at least {self.min_fanin} fan-in(s), got {fanin}"
        if self.max_fanin >= 0 and fanin > self.max_fanin:
            why = " (MAX_THR_FANIN = 2**20, so that the simulator's int64 sums cannot overflow)" if self.kind == GateKind.THR else ""
            return f"{self.name} takes at most {self.max_fanin} fan-in(s){why}, got {fanin}"
        return None


def _thr(x: Sequence[int], w: Sequence[int], t: int) -> int:
    return int(sum(wi * xi for wi, xi in zip(w, x)) >= t)


GATES: dict[GateKind, GateSpec] = {
    GateKind.CONST: GateSpec(GateKind.CONST, "CONST", 0, 0, None, CLASS_ORDER, lambda x, w, p: 0),
    GateKind.INPUT: GateSpec(GateKind.INPUT, "INPUT", 0, 0, None, CLASS_ORDER, lambda x, w, p: 0),
    GateKind.BUF: GateSpec(GateKind.BUF, "BUF", 1, 1, None, CLASS_ORDER, lambda x, w, p: x[0]),
    GateKind.AND: GateSpec(GateKind.AND, "AND", 0, -1, None, CLASS_ORDER, lambda x, w, p: int(all(x))),
    GateKind.OR: GateSpec(GateKind.OR, "OR", 0, -1, None, CLASS_ORDER, lambda x, w, p: int(any(x))),
    GateKind.XOR: GateSpec(GateKind.XOR, "XOR", 0, -1, None, ("ACC0", "TC0", "NC"), lambda x, w, p: sum(x) & 1),
    GateKind.MAJ: GateSpec(GateKind.MAJ, "MAJ", 1, -1, None, ("TC0", "NC"), lambda x, w, p: int(2 * sum(x) > len(x))),
    GateKind.THR: GateSpec(GateKind.THR, "THR", 0, MAX_THR_FANIN, "threshold", ("TC0", "NC"), _thr),
    GateKind.MOD: GateSpec(GateKind.MOD, "MOD", 0, -1, "modulus", ("ACC0", "TC0", "NC"), lambda x, w, p: int(sum(x) % p == 0)),
}

_BY_NAME = {spec.name: spec for spec in GATES.values()}


def gate_spec(kind: "GateKind | int | str") -> GateSpec:
    """Look up a gate kind by enum, integer value or name (``"MOD"`` and ``"MOD3"`` both work).

    Example
    -------
    >>> gate_spec("maj").classes
    ('TC0', 'NC')
    """
    if isinstance(kind, str):
        key = kind.upper()
        if key.startswith("MOD") and key[3:].isdigit():
            key = "MOD"
        if key not in _BY_NAME:
            raise CircuitStructureError(f"unknown gate kind {kind!r}; known: {', '.join(_BY_NAME)}")
        return _BY_NAME[key]
    return GATES[GateKind(int(kind))]


def evaluate_gate(kind: "GateKind | int", values: Sequence[int], weights: Sequence[int], param: int) -> int:
    """Evaluate one gate on 0/1 fan-in values (after edge negation); the reference semantics.

    Example
    -------
    >>> evaluate_gate(GateKind.THR, [1, 0, 1], [2, 5, -1], 1)
    1
    >>> evaluate_gate(GateKind.MAJ, [1, 1, 0, 0], [1, 1, 1, 1], 0)
    0
    """
    return GATES[GateKind(int(kind))].rule(values, weights, param)
