"""The :class:`CircuitBuilder`: the way to make a :class:`Circuit`."""

from __future__ import annotations

from typing import Iterable, Sequence

import numpy as np

from .._validate import check_int
from ..errors import CircuitStructureError
from .circuit import Circuit
from .gates import MAX_THRESHOLD, MAX_WEIGHT, GateKind, gate_spec

__all__ = ["CircuitBuilder", "FALSE", "TRUE"]

FALSE = 0  #: literal of constant false
TRUE = 1  #: literal of constant true


class _GateWhere:
    """The 'gate 17 ('name') AND' prefix of a builder error, formatted only when one is raised."""

    __slots__ = ("index", "name", "kind")

    def __init__(self, index: int, name: str | None, kind: str) -> None:
        self.index, self.name, self.kind = index, name, kind

    def __str__(self) -> str:
        return f"gate {self.index}" + (f" ({self.name!r})" if self.name else "") + f" {self.kind}"

    def __format__(self, spec: str) -> str:
        return format(str(self), spec)


class CircuitBuilder:
    """Append-only builder; every method returns the literal (``2*node + neg``) of what it made.

    Negate a literal with ``lit ^ 1`` (or :meth:`not_`).  Gates may only refer to literals that
    already exist, so the order of creation is a topological order.  Inputs may be created at any
    time; :meth:`build` moves them to nodes ``1..n_inputs`` in creation order.

    Example
    -------
    >>> b = CircuitBuilder()
    >>> a = b.input_bus("a", 3)
    >>> b.output(b.maj(*a), "maj")
    >>> b.output(b.thr(a, [2, -1, 1], 2), "thr")
    >>> b.build()
    Circuit(inputs=3, outputs=2, gates=2 [MAJ=1, THR=1], depth=1)
    """

    def __init__(self) -> None:
        self._kind: list[int] = [int(GateKind.CONST)]
        self._fanins: list[tuple[int, ...]] = [()]
        self._weights: list[tuple[int, ...] | None] = [None]
        self._param: list[int] = [0]
        self._input_names: list[str] = []
        self._outputs: list[int] = []
        self._output_names: list[str] = []
        # Name -> position beside the ordered lists: duplicate checks stay O(1) for 1e5 ports.
        self._input_pos: dict[str, int] = {}
        self._output_pos: dict[str, int] = {}
        self._names: dict[int, str] = {}

    # ------------------------------------------------------------------ nodes
    @property
    def n_nodes(self) -> int:
        return len(self._kind)

    def _check_lit(self, l: int, where: str) -> int:
        if type(l) is not int:
            if isinstance(l, (bool, np.bool_)) or not isinstance(l, (int, np.integer)):
                raise CircuitStructureError(f"{where}: literal must be an int, got {l!r}")
            l = int(l)
        if l < 0 or (l >> 1) >= len(self._kind):
            raise CircuitStructureError(f"{where}: undefined literal {l} (only {len(self._kind)} nodes exist)")
        return l

    def input(self, name: str | None = None) -> int:
        """Add a primary input (name: non-empty, unique; default ``i<k>``); returns its literal."""
        name = f"i{len(self._input_names)}" if name is None else str(name)
        if not name:
            raise CircuitStructureError(f"input {len(self._input_names)} has an empty name; names must be non-empty")
        if name in self._input_pos:
            raise CircuitStructureError(
                f"duplicate input name {name!r} (inputs {self._input_pos[name]} and {len(self._input_names)})")
        self._kind.append(int(GateKind.INPUT))
        self._fanins.append(())
        self._weights.append(None)
        self._param.append(0)
        self._input_pos[name] = len(self._input_names)
        self._input_names.append(name)
        return 2 * (len(self._kind) - 1)

    def inputs(self, count: int, prefix: str | None = None) -> list[int]:
        """Add ``count`` inputs (named ``prefix0, prefix1, ...`` if a prefix is given)."""
        count = check_int("count", count, 0, where="inputs()", error=CircuitStructureError)
        return [self.input(None if prefix is None else f"{prefix}{k}") for k in range(count)]

    def input_bus(self, name: str, width: int) -> list[int]:
        """Add ``width`` inputs named ``name[0] .. name[width-1]`` (bit 0 first)."""
        width = check_int("width", width, 0, where=f"input_bus({name!r})", error=CircuitStructureError)
        return [self.input(f"{name}[{k}]") for k in range(width)]

    def gate(
        self,
        kind: "GateKind | str",
        fanins: Iterable[int],
        weights: Sequence[int] | None = None,
        param: int = 0,
        name: str | None = None,
    ) -> int:
        """Add a gate of any kind; returns its (positive) literal."""
        spec = gate_spec(kind)
        if spec.kind in (GateKind.CONST, GateKind.INPUT):
            raise CircuitStructureError(f"use input() or the literals 0/1 instead of a {spec.name} gate")
        where = _GateWhere(len(self._kind), name, spec.name)  # formatted only when an error is raised
        n_nodes = len(self._kind)
        lits = tuple(fanins)
        if not all(type(l) is int and 0 <= l < 2 * n_nodes for l in lits):
            lits = tuple(self._check_lit(l, str(where)) for l in lits)
        msg = spec.check_arity(len(lits))
        if msg:
            raise CircuitStructureError(f"{where}: {msg}")
        w: tuple[int, ...] | None = None
        if spec.kind == GateKind.THR:
            w = (1,) * len(lits) if weights is None else tuple(weights)
            if len(w) != len(lits):
                raise CircuitStructureError(f"{where}: {len(w)} weights for {len(lits)} fan-ins")
            if not all(type(x) is int and -MAX_WEIGHT < x < MAX_WEIGHT for x in w):
                # the slow path names the first bad weight: not an integer (1.9 is refused, never
                # truncated; bools are refused), or not below 2**40 in magnitude
                w = tuple(check_int("weight", x, where=f"{where}, fan-in {k}", error=CircuitStructureError)
                          for k, x in enumerate(w))
                bad = [k for k, x in enumerate(w) if not -MAX_WEIGHT < x < MAX_WEIGHT]
                if bad:
                    raise CircuitStructureError(
                        f"{where}, fan-in {bad[0]}: weight {w[bad[0]]} is not below 2**40 in magnitude (MAX_WEIGHT)")
        elif weights is not None:
            for k, x in enumerate(weights):
                if check_int("weight", x, where=f"{where}, fan-in {k}", error=CircuitStructureError) != 1:
                    raise CircuitStructureError(f"{where}: only THR gates take weights")
        p = 0
        if spec.param:
            what = spec.param
            p = param if type(param) is int else check_int(what, param, where=str(where), error=CircuitStructureError)
            if spec.kind == GateKind.MOD and p < 2:
                raise CircuitStructureError(f"{where}: modulus must be >= 2, got {p}")
            if not -MAX_THRESHOLD < p < MAX_THRESHOLD:
                raise CircuitStructureError(f"{where}: {what} {p} is not below 2**50 in magnitude (MAX_THRESHOLD)")
        self._kind.append(int(spec.kind))
        self._fanins.append(lits)
        self._weights.append(w)
        self._param.append(p)
        if name is not None:
            self._names[len(self._kind) - 1] = str(name)
        return 2 * (len(self._kind) - 1)

    def and_(self, *lits: int) -> int:
        """AND of the literals (no literal: constant true)."""
        return self.gate(GateKind.AND, lits)

    def or_(self, *lits: int) -> int:
        """OR of the literals (no literal: constant false)."""
        return self.gate(GateKind.OR, lits)

    def xor(self, *lits: int) -> int:
        """Parity of the literals."""
        return self.gate(GateKind.XOR, lits)

    def maj(self, *lits: int) -> int:
        """Strict majority: 1 when more than half of the literals are 1."""
        return self.gate(GateKind.MAJ, lits)

    def thr(self, lits: Sequence[int], weights: Sequence[int], threshold: int) -> int:
        """Threshold gate ``[sum w_i x_i >= threshold]``."""
        return self.gate(GateKind.THR, lits, weights, threshold)

    def mod(self, lits: Sequence[int], modulus: int) -> int:
        """``[sum x_i == 0 mod modulus]``."""
        return self.gate(GateKind.MOD, lits, None, modulus)

    def buf(self, l: int) -> int:
        """An explicit buffer node (free by default; one level with ``count_inverters``)."""
        return self.gate(GateKind.BUF, (l,))

    @staticmethod
    def not_(l: int) -> int:
        """The negation of a literal (costs no node)."""
        return int(l) ^ 1

    def output(self, l: int, name: str | None = None) -> None:
        """Declare an output (name: non-empty, unique among outputs; default ``o<k>``)."""
        name = f"o{len(self._outputs)}" if name is None else str(name)
        if not name:
            raise CircuitStructureError(f"output {len(self._outputs)} has an empty name; names must be non-empty")
        if name in self._output_pos:
            raise CircuitStructureError(
                f"duplicate output name {name!r} (outputs {self._output_pos[name]} and {len(self._outputs)})")
        self._outputs.append(self._check_lit(l, f"output {name!r}"))
        self._output_pos[name] = len(self._output_names)
        self._output_names.append(name)

    def name(self, l: int, name: str) -> None:
        """Attach a name to the node of a literal (kept by BENCH and the text format)."""
        self._names[self._check_lit(l, "name") >> 1] = str(name)

    # ------------------------------------------------------------------ build
    def build(self) -> Circuit:
        """Freeze into a :class:`Circuit` (inputs renumbered to nodes ``1..n_inputs``)."""
        kind = np.array(self._kind, np.uint8)
        is_in = kind == GateKind.INPUT
        order = np.concatenate([[0], np.flatnonzero(is_in), np.flatnonzero(~is_in)[1:]]).astype(np.int64)
        new_of = np.empty(len(kind), np.int64)
        new_of[order] = np.arange(len(kind))
        counts = np.array([len(self._fanins[v]) for v in order], np.int64)
        ptr = np.zeros(len(kind) + 1, np.int64)
        np.cumsum(counts, out=ptr[1:])
        flat = [l for v in order for l in self._fanins[v]]
        fan = np.array(flat, np.int64) if flat else np.zeros(0, np.int64)
        fan = 2 * new_of[fan >> 1] + (fan & 1)
        w = [x for v in order for x in (self._weights[v] or (1,) * len(self._fanins[v]))]
        param = np.array(self._param, np.int64)[order]
        outs = np.array(self._outputs, np.int64)
        outs = 2 * new_of[outs >> 1] + (outs & 1) if len(outs) else outs
        names = {int(new_of[v]): n for v, n in self._names.items()}
        return Circuit(
            kind[order], ptr, fan, outs, weight=np.array(w, np.int64), param=param,
            input_names=self._input_names, output_names=self._output_names, node_names=names,
        )

    def copy_from(self, circuit: Circuit, inputs: Sequence[int]) -> list[int]:
        """Instantiate ``circuit`` with its inputs driven by ``inputs``; returns its output literals.

        The same node is reused when ``circuit`` is instantiated twice with the same inputs only if
        the caller does so; no structural hashing is done here.
        """
        if len(inputs) != circuit.n_inputs:
            raise CircuitStructureError(f"copy_from: circuit has {circuit.n_inputs} inputs, {len(inputs)} literals given")
        m = np.zeros(circuit.n_nodes, np.int64)
        m[1 : circuit.n_inputs + 1] = [self._check_lit(l, "copy_from input") for l in inputs]
        kinds, ptr, fan, w, prm = circuit.kind, circuit.fanin_ptr, circuit.fanin, circuit.weight, circuit.param
        for v in range(circuit.n_inputs + 1, circuit.n_nodes):
            lo, hi = ptr[v], ptr[v + 1]
            lits = [int(m[l >> 1] ^ (l & 1)) for l in fan[lo:hi]]
            k = GateKind(int(kinds[v]))
            m[v] = self.gate(k, lits, w[lo:hi].tolist() if k == GateKind.THR else None, int(prm[v]))
        return [int(m[o >> 1] ^ (o & 1)) for o in circuit.outputs]




