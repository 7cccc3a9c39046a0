"""A circuit lowered once and cut into levels of same-kind gate groups, for the torch modules (private).

The lowering is the simulator's own (:func:`serialcomp.sim._program._lower`): BUF nodes become
aliases, constant fan-ins are folded, OR becomes AND with complemented edges, MOD_2 becomes XOR,
MAJ becomes THR, and THR is normalised (positive weights clamped to the threshold ``T``, constant
and trivial gates folded). Only the nodes the outputs depend on are kept.

What this module adds is the *level* structure the torch modules need, since a torch program is a
sequence of tensor operations over many gates at once rather than one instruction per gate:

* the level of a gate is one more than the deepest of its operands (inputs are level 0), so the
  number of levels is the depth of the lowered circuit, never more than the circuit's depth;
* each level is split into :class:`Group` s of one kind (AND, XOR, THR, MOD) whose fan-ins lie in
  one power-of-two bucket, padded to the bucket's largest fan-in with operands that change nothing
  (an all-ones row for AND, a zero row for XOR, THR and MOD);
* every value gets a *slot* (a row of the working tensor) that is reused once the value is dead:
  a value defined at level ``a`` and last read at level ``b`` holds its slot during ``[a, b]``, so
  the working set is the largest number of values alive across a level boundary, not the size.

Slot 0 always holds the all-zero row and slot 1 the all-ones row (so a constant 1 needs no
negation); an operand is a slot and a negation bit.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ..sim._program import IR_AND, IR_MOD, IR_NONE, IR_THR, IR_XOR, _lower

__all__: list[str] = []

KIND_NAMES = {IR_AND: "and", IR_XOR: "xor", IR_THR: "thr", IR_MOD: "mod"}


@dataclass(frozen=True)
class Group:
    """Gates of one kind and one fan-in bucket at one level.

    Attributes
    ----------
    kind : {"and", "xor", "thr", "mod"}
    dst : int64 (G,)
        The slot each gate writes.
    ops, neg : int64 (G, F)
        Operand slots and negation bits (padded, see the module docstring).
    out_neg : int64 (G,)
        Negation of each gate's result (AND/XOR; 0 for THR and MOD).
    weights : int64 (G, F)
        THR: the positive, clamped weights (0 on padding). Else ones.
    param : int64 (G,)
        THR: the threshold ``T`` (``out = [sum w_i x_i >= T]``); MOD: the modulus ``m``
        (``out = [sum x_i = 0 mod m]``); else 0.
    """

    kind: str
    dst: np.ndarray
    ops: np.ndarray
    neg: np.ndarray
    out_neg: np.ndarray
    weights: np.ndarray
    param: np.ndarray

    @property
    def size(self) -> int:
        return int(self.dst.shape[0])

    @property
    def fanin(self) -> int:
        return int(self.ops.shape[1])


@dataclass(frozen=True)
class LeveledCircuit:
    """The lowered circuit as levels of groups over reusable slots.

    Attributes
    ----------
    n_inputs, n_outputs, n_slots : int
    input_slot : int64 (n_inputs,)
        The slot each input is loaded into, -1 for inputs no output depends on.
    levels : tuple of tuple of Group
    out_slot, out_neg : int64 (n_outputs,)
        Output ``k`` is slot ``out_slot[k]`` XOR ``out_neg[k]`` after the last level.
    n_gates : int
        Gates that are evaluated (after folding and dead-node removal).
    """

    n_inputs: int
    n_outputs: int
    n_slots: int
    input_slot: np.ndarray
    levels: tuple[tuple[Group, ...], ...]
    out_slot: np.ndarray
    out_neg: np.ndarray
    n_gates: int

    @property
    def depth(self) -> int:
        return len(self.levels)


def _bucket(count: np.ndarray) -> np.ndarray:
    """Fan-in bucket: ``ceil(log2 count)`` (so padding at most doubles a group's fan-in)."""
    return np.ceil(np.log2(np.maximum(count, 1))).astype(np.int64)


def level_circuit(circuit: "object") -> LeveledCircuit:
    """Lower ``circuit`` with the simulator's lowering and cut it into levels (see the module docstring).

    Notes
    -----
    O(nodes + edges) numpy work plus a Python loop over levels and a heap-free slot allocation
    (a stack of free slots, released level by level).
    """
    kind, fanin_ptr = circuit.kind, circuit.fanin_ptr
    rep, irk, irneg, ircnt, irp1, irp2, lits, ws = _lower(kind, fanin_ptr, circuit.fanin, circuit.weight,
                                                         circuit.param)
    n = kind.shape[0]
    outputs = np.asarray(circuit.outputs, dtype=np.int64)
    out_lit = rep[outputs >> 1] ^ (outputs & 1)
    lo = fanin_ptr[:-1]
    computed = irk != IR_NONE
    # nodes the outputs depend on, in reverse topological order
    needed = np.zeros(n, bool)
    needed[out_lit >> 1] = True
    for v in range(n - 1, 0, -1):
        if needed[v] and computed[v]:
            needed[lits[lo[v] : lo[v] + ircnt[v]] >> 1] = True
    gates = np.flatnonzero(needed & computed)
    level = np.zeros(n, np.int64)
    for v in gates.tolist():
        level[v] = 1 + int(level[lits[lo[v] : lo[v] + ircnt[v]] >> 1].max())
    depth = int(level.max(initial=0))
    # last level that reads each value; outputs stay alive to the end
    last = np.full(n, -1, np.int64)
    for v in gates.tolist():
        ops = lits[lo[v] : lo[v] + ircnt[v]] >> 1
        np.maximum.at(last, ops, level[v])
    last[out_lit >> 1] = depth + 1
    last[0] = depth + 1
    input_nodes = np.flatnonzero(kind == 1)  # GateKind.INPUT
    # slot allocation
    slot = np.full(n, -1, np.int64)
    slot[0] = 0
    free: list[int] = []
    n_slots = 2  # slot 1: the all-ones row
    release: dict[int, list[int]] = {}

    def take(v: int) -> None:
        nonlocal n_slots
        if free:
            s = free.pop()
        else:
            s = n_slots
            n_slots += 1
        slot[v] = s
        release.setdefault(int(last[v]), []).append(s)

    for v in input_nodes.tolist():
        if last[v] >= 0:
            take(v)
    free.extend(release.pop(0, []))
    by_level = np.argsort(level[gates], kind="stable")
    gates_sorted = gates[by_level]
    bounds = np.searchsorted(level[gates_sorted], np.arange(1, depth + 2))
    levels = []
    for L in range(1, depth + 1):
        members = gates_sorted[bounds[L - 1] : bounds[L]]
        for v in members.tolist():
            take(v)
        levels.append(_groups(members, irk, irneg, ircnt, irp1, irp2, lits, ws, lo, slot))
        free.extend(release.pop(L, []))
    return LeveledCircuit(
        n_inputs=int(circuit.n_inputs), n_outputs=int(outputs.shape[0]), n_slots=n_slots,
        input_slot=slot[input_nodes].copy(), levels=tuple(levels), out_slot=_operands(slot, out_lit)[0],
        out_neg=_operands(slot, out_lit)[1], n_gates=int(gates.shape[0]),
    )


def _operands(slot: np.ndarray, lit: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Slots and negation bits of literals; the constant 1 (node 0 negated) is slot 1, not negated."""
    ops = slot[lit >> 1].astype(np.int64)
    neg = (lit & 1).astype(np.int64)
    one = (ops == 0) & (neg == 1)
    ops[one] = 1
    neg[one] = 0
    return ops, neg


def _groups(members, irk, irneg, ircnt, irp1, irp2, lits, ws, lo, slot) -> tuple[Group, ...]:
    groups = []
    kinds = irk[members]
    buckets = _bucket(ircnt[members])
    for ik in (IR_AND, IR_XOR, IR_THR, IR_MOD):
        for b in np.unique(buckets[kinds == ik]).tolist():
            sel = members[(kinds == ik) & (buckets == b)]
            cnt = ircnt[sel]
            F = int(cnt.max())
            G = sel.shape[0]
            col = np.arange(F)
            real = col[None, :] < cnt[:, None]
            edge = np.where(real, lo[sel][:, None] + col[None, :], 0)
            lit = np.where(real, lits[edge], 1 if ik == IR_AND else 0)  # padding: ones for AND, zeros else
            ops, neg = _operands(slot, lit)
            w = np.where(real, ws[edge], 0) if ik == IR_THR else np.where(real, 1, 0)
            if ik == IR_THR:
                param = (np.int64(1) << irp1[sel]) - irp2[sel]  # T = 2**B - C0
            elif ik == IR_MOD:
                param = irp2[sel].copy()
            else:
                param = np.zeros(G, np.int64)
            groups.append(Group(
                kind=KIND_NAMES[ik], dst=slot[sel].copy(), ops=ops, neg=neg, out_neg=irneg[sel].astype(np.int64) if ik in (IR_AND, IR_XOR)
                else np.zeros(G, np.int64), weights=w.astype(np.int64), param=param.astype(np.int64),
            ))
    return tuple(groups)
