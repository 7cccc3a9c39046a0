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

__all__ = ["GateKind", "GateSpec", "GATES", "gate_spec", "CLASS_ORDER", "evaluate_gate", "MAX_WEIGHT", "MAX_THRESHOLD"]

#: THR weights lie strictly inside (-MAX_WEIGHT, MAX_WEIGHT) and thresholds inside
#: (-MAX_THRESHOLD, MAX_THRESHOLD): the bit-sliced counters of the simulator add up to 2**20 weighted
#: fan-ins in int64 without overflow, and every format writes and reads back the same range.
MAX_WEIGHT = 1 << 40
MAX_THRESHOLD = 1 << 50


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
        Arity rule (``max_fanin = -1`` means unbounded).
    has_weights : bool
        Whether edges carry integer weights (THR only).
    param : str or None
        Name of the node's integer parameter (``"threshold"`` for THR, ``"modulus"`` for MOD).
    is_gate : bool
        Whether the node counts as a gate (costs a level, counts in ``size``).
    classes : tuple of str
        Unbounded-fan-in classes that admit this gate kind.
    """

    kind: GateKind
    name: str
    min_fanin: int
    max_fanin: int
    has_weights: bool
    param: str | None
    is_gate: bool
    classes: tuple[str, ...]
    rule: Callable[[Sequence[int], Sequence[int], int], int]

    def check_arity(self, fanin: int) -> str | None:
        """Return a message if ``fanin`` violates the arity rule, else None."""
        if fanin < self.min_fanin:
            return f"{self.name} needs at least {self.min_fanin} fan-in(s), got {fanin}"
        if self.max_fanin >= 0 and fanin > self.max_fanin:
            return f"{self.name} takes at most {self.max_fanin} fan-in(s), got {fanin}"
        return None


def _thr(x: Sequence[int], w: Sequence[int], t: int) -> int:
    return int(sum(wi * xi for wi, xi in zip(w, x)) >= t)


GATES: dict[GateKind, GateSpec] = {
    GateKind.CONST: GateSpec(GateKind.CONST, "CONST", 0, 0, False, None, False, CLASS_ORDER, lambda x, w, p: 0),
    GateKind.INPUT: GateSpec(GateKind.INPUT, "INPUT", 0, 0, False, None, False, CLASS_ORDER, lambda x, w, p: 0),
    GateKind.BUF: GateSpec(GateKind.BUF, "BUF", 1, 1, False, None, False, CLASS_ORDER, lambda x, w, p: x[0]),
    GateKind.AND: GateSpec(GateKind.AND, "AND", 0, -1, False, None, True, CLASS_ORDER, lambda x, w, p: int(all(x))),
    GateKind.OR: GateSpec(GateKind.OR, "OR", 0, -1, False, None, True, CLASS_ORDER, lambda x, w, p: int(any(x))),
    GateKind.XOR: GateSpec(GateKind.XOR, "XOR", 0, -1, False, None, True, ("ACC0", "TC0", "NC"), lambda x, w, p: sum(x) & 1),
    GateKind.MAJ: GateSpec(GateKind.MAJ, "MAJ", 1, -1, False, None, True, ("TC0", "NC"), lambda x, w, p: int(2 * sum(x) > len(x))),
    GateKind.THR: GateSpec(GateKind.THR, "THR", 0, -1, True, "threshold", True, ("TC0", "NC"), _thr),
    GateKind.MOD: GateSpec(GateKind.MOD, "MOD", 0, -1, False, "modulus", True, ("ACC0", "TC0", "NC"), lambda x, w, p: int(sum(x) % p == 0)),
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
