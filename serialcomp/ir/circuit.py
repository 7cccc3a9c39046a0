"""The frozen :class:`Circuit`: a DAG in topological order stored as flat numpy arrays."""

from __future__ import annotations

from functools import cached_property
from types import MappingProxyType
from typing import TYPE_CHECKING, Any, Iterator, Mapping, Sequence

import numpy as np

from .._validate import check_int_array
from ..errors import CircuitStructureError
from .gates import CLASS_ORDER, GATES, MAX_THRESHOLD, MAX_WEIGHT, GateKind

if TYPE_CHECKING:  # pragma: no cover
    from ..sim.compiled import CompiledCircuit

__all__ = ["Circuit", "lit", "lit_node", "lit_neg", "first_duplicate"]


def lit(node: int, negated: bool = False) -> int:
    """The literal of ``node`` (``2*node + negated``), as in AIGER."""
    return 2 * int(node) + int(bool(negated))


def lit_node(literal: int) -> int:
    """The node a literal refers to."""
    return int(literal) >> 1


def lit_neg(literal: int) -> bool:
    """Whether a literal is negated."""
    return bool(int(literal) & 1)


def _frozen(a: Any, dtype: Any) -> np.ndarray:
    arr = np.array(a, dtype=dtype, copy=True).reshape(-1)
    arr.flags.writeable = False
    return arr


def _checked(name: str, a: Any, dtype: Any) -> np.ndarray:
    """An integer array owned by the circuit: floats only when integral (never truncated), no bools."""
    arr = np.asarray(a)
    if arr.dtype != dtype:
        arr = check_int_array(name, arr, error=CircuitStructureError)
        if dtype == np.uint8 and arr.size and (arr.min() < 0 or arr.max() > 255):
            raise CircuitStructureError(f"{name} holds a value outside [0, 255]: not a gate kind")
    return _frozen(arr, dtype)


def first_duplicate(names: Sequence[str]) -> tuple[str, int, int] | None:
    """``(name, first position, second position)`` of the first repeated name, or None; O(n).

    Example
    -------
    >>> first_duplicate(["a", "b", "c", "b"]), first_duplicate(["a"])
    (('b', 1, 3), None)
    """
    seen: dict[str, int] = {}
    for k, x in enumerate(names):
        j = seen.setdefault(x, k)
        if j != k:
            return x, j, k
    return None


class Circuit:
    """An immutable Boolean/threshold circuit.

    Node 0 is the constant-false node; nodes ``1..n_inputs`` are the primary inputs in order; the
    remaining nodes are gates in topological order (every fan-in refers to an earlier node).  Edges
    are literals ``2*node + neg``, so a NOT costs no node and no level.  Build circuits with
    :class:`~serialcomp.ir.builder.CircuitBuilder` or the readers in :mod:`serialcomp.io`, not by
    hand; the constructor validates everything it is given.

    Parameters
    ----------
    kind : array of uint8, shape (n_nodes,)
        :class:`~serialcomp.ir.gates.GateKind` of each node.
    fanin_ptr : array of int64, shape (n_nodes + 1,)
        CSR offsets: the fan-ins of node ``v`` are ``fanin[fanin_ptr[v]:fanin_ptr[v+1]]``.
    fanin : array of int64, shape (n_edges,)
        Fan-in literals.
    weight : array of int64, shape (n_edges,), optional
        Integer edge weights (used by THR gates; 1 elsewhere).
    param : array of int64, shape (n_nodes,), optional
        Threshold of a THR gate, modulus of a MOD gate, 0 elsewhere.
    outputs : array of int64, shape (n_outputs,)
        Output literals.
    input_names, output_names : sequence of str, optional
        Names (default ``i0, i1, ...`` and ``o0, o1, ...``).  Names must be non-empty and unique.
    node_names : mapping of int to str, optional
        Names of internal nodes (kept by the BENCH and text formats); stored as a read-only mapping.

    A Circuit is frozen: its arrays are read-only and assigning or deleting an attribute raises
    :class:`AttributeError`; derive new circuits with :meth:`rename`, :meth:`with_outputs`,
    :meth:`prune` or a builder.

    Example
    -------
    >>> from serialcomp.ir import CircuitBuilder
    >>> b = CircuitBuilder()
    >>> x, y = b.input("x"), b.input("y")
    >>> b.output(b.and_(x, y ^ 1), "x_and_not_y")
    >>> c = b.build()
    >>> c.n_inputs, c.n_outputs, c.n_gates, c.depth()
    (2, 1, 1, 1)
    """

    __slots__ = (
        "kind", "fanin_ptr", "fanin", "weight", "param", "outputs",
        "input_names", "output_names", "node_names", "__dict__",
    )

    def __init__(
        self,
        kind: Any,
        fanin_ptr: Any,
        fanin: Any,
        outputs: Any,
        weight: Any = None,
        param: Any = None,
        input_names: Sequence[str] | None = None,
        output_names: Sequence[str] | None = None,
        node_names: Mapping[int, str] | None = None,
        *,
        validate: bool = True,
    ) -> None:
        init = object.__setattr__  # the one place fields are set: Circuit is frozen afterwards
        arr = _checked if validate else (lambda _, a, dtype: _frozen(a, dtype))
        init(self, "kind", arr("kind", kind, np.uint8))
        init(self, "fanin_ptr", arr("fanin_ptr", fanin_ptr, np.int64))
        init(self, "fanin", arr("fanin", fanin, np.int64))
        init(self, "weight", arr("weight", np.ones(len(self.fanin), np.int64) if weight is None else weight, np.int64))
        init(self, "param", arr("param", np.zeros(len(self.kind), np.int64) if param is None else param, np.int64))
        init(self, "outputs", arr("outputs", outputs, np.int64))
        n_in = int(np.count_nonzero(self.kind == GateKind.INPUT))
        init(self, "input_names",
             tuple(input_names) if input_names is not None else tuple(f"i{k}" for k in range(n_in)))
        init(self, "output_names",
             tuple(output_names) if output_names is not None else tuple(f"o{k}" for k in range(len(self.outputs))))
        init(self, "node_names", MappingProxyType(dict(node_names) if node_names else {}))
        if validate:
            self._validate()

    # ------------------------------------------------------------------ validation
    def _where(self, v: int) -> str:
        name = self.node_names.get(v)
        if 1 <= v <= self.n_inputs:
            name = self.input_names[v - 1]
        return f"node {v}" + (f" ({name!r})" if name else "")

    def _validate(self) -> None:
        n = len(self.kind)
        if n == 0 or self.kind[0] != GateKind.CONST:
            raise CircuitStructureError("node 0 must be the constant-false node (kind CONST)")
        if len(self.fanin_ptr) != n + 1 or self.fanin_ptr[0] != 0 or self.fanin_ptr[-1] != len(self.fanin):
            raise CircuitStructureError(
                f"fanin_ptr must have n_nodes+1 = {n + 1} entries from 0 to len(fanin) = {len(self.fanin)}"
            )
        if np.any(np.diff(self.fanin_ptr) < 0):
            bad = int(np.argmax(np.diff(self.fanin_ptr) < 0))
            raise CircuitStructureError(f"fanin_ptr decreases at {self._where(bad)}")
        if len(self.weight) != len(self.fanin) or len(self.param) != n:
            raise CircuitStructureError("weight must have one entry per edge and param one per node")
        valid_kinds = np.array([int(k) for k in GateKind], np.uint8)
        bad = np.flatnonzero(~np.isin(self.kind, valid_kinds))
        if len(bad):
            raise CircuitStructureError(f"{self._where(int(bad[0]))} has unknown gate kind {int(self.kind[bad[0]])}")
        if np.count_nonzero(self.kind == GateKind.CONST) != 1:
            v = int(np.flatnonzero(self.kind == GateKind.CONST)[1])
            raise CircuitStructureError(f"{self._where(v)} is CONST; only node 0 may be (use literal 0 or 1)")
        n_in = self.n_inputs
        if not np.all(self.kind[1 : n_in + 1] == GateKind.INPUT):
            v = 1 + int(np.argmax(self.kind[1 : n_in + 1] != GateKind.INPUT))
            raise CircuitStructureError(f"inputs must be nodes 1..{n_in}; {self._where(v)} is not an INPUT")
        if len(self.input_names) != n_in:
            raise CircuitStructureError(f"{len(self.input_names)} input names for {n_in} inputs")
        if len(self.output_names) != len(self.outputs):
            raise CircuitStructureError(f"{len(self.output_names)} output names for {len(self.outputs)} outputs")
        for what, names in (("input", self.input_names), ("output", self.output_names)):
            if "" in names:
                raise CircuitStructureError(
                    f"{what} {names.index('')} has an empty name; input and output names must be non-empty")
            if len(set(names)) != len(names):
                dup, first, second = first_duplicate(names)  # type: ignore[misc]
                raise CircuitStructureError(f"duplicate {what} name {dup!r} ({what}s {first} and {second})")
        # Topological order: each fan-in literal refers to an earlier node.
        owner = np.repeat(np.arange(n, dtype=np.int64), np.diff(self.fanin_ptr))
        bad = np.flatnonzero((self.fanin < 0) | ((self.fanin >> 1) >= owner))
        if len(bad):
            e = int(bad[0])
            v, l = int(owner[e]), int(self.fanin[e])
            if l < 0 or (l >> 1) >= n:
                raise CircuitStructureError(f"{self._where(v)} refers to undefined literal {l}")
            raise CircuitStructureError(
                f"{self._where(v)} refers to literal {l} (node {l >> 1}), which is not earlier in topological "
                "order: a cycle or unordered nodes"
            )
        bad = np.flatnonzero((self.outputs < 0) | ((self.outputs >> 1) >= n))
        if len(bad):
            raise CircuitStructureError(
                f"output {self.output_names[int(bad[0])]!r} refers to undefined literal {int(self.outputs[bad[0]])}"
            )
        fan = np.diff(self.fanin_ptr)
        for k, spec in GATES.items():
            idx = np.flatnonzero(self.kind == k)
            if not len(idx):
                continue
            f = fan[idx]
            low = f < spec.min_fanin
            high = (f > spec.max_fanin) if spec.max_fanin >= 0 else np.zeros_like(low)
            if np.any(low | high):
                v = int(idx[np.argmax(low | high)])
                raise CircuitStructureError(f"{self._where(v)}: {spec.check_arity(int(fan[v]))}")
        mods = np.flatnonzero(self.kind == GateKind.MOD)
        if len(mods) and np.any(self.param[mods] < 2):
            v = int(mods[np.argmax(self.param[mods] < 2)])
            raise CircuitStructureError(f"{self._where(v)}: MOD gate needs a modulus >= 2, got {int(self.param[v])}")
        nonthr = np.ones(len(self.fanin), bool)
        for v in np.flatnonzero(self.kind == GateKind.THR):
            nonthr[self.fanin_ptr[v] : self.fanin_ptr[v + 1]] = False
        if np.any(self.weight[nonthr] != 1):
            e = int(np.flatnonzero(nonthr & (self.weight != 1))[0])
            raise CircuitStructureError(f"{self._where(int(owner[e]))}: only THR gates carry edge weights")
        # Compare both signs rather than np.abs, which wraps -2**63 round to itself.
        bad_w = (self.weight >= MAX_WEIGHT) | (self.weight <= -MAX_WEIGHT)
        if np.any(bad_w):
            e = int(np.flatnonzero(bad_w)[0])
            raise CircuitStructureError(
                f"{self._where(int(owner[e]))}: weight {int(self.weight[e])} is not below 2**40 in magnitude "
                "(MAX_WEIGHT)"
            )
        bad_t = (self.param >= MAX_THRESHOLD) | (self.param <= -MAX_THRESHOLD)
        if np.any(bad_t):
            v = int(np.flatnonzero(bad_t)[0])
            raise CircuitStructureError(
                f"{self._where(v)}: parameter {int(self.param[v])} is not below 2**50 in magnitude (MAX_THRESHOLD)"
            )

    # ------------------------------------------------------------------ basic views
    @property
    def n_nodes(self) -> int:
        """Number of nodes, the constant node and the inputs included."""
        return len(self.kind)

    @cached_property
    def n_inputs(self) -> int:
        """Number of primary inputs."""
        return int(np.count_nonzero(self.kind == GateKind.INPUT))

    @property
    def n_outputs(self) -> int:
        """Number of outputs."""
        return len(self.outputs)

    @cached_property
    def n_gates(self) -> int:
        """Number of gate nodes (AND, OR, XOR, MAJ, THR, MOD; not BUF, inputs or the constant)."""
        return int(np.count_nonzero(self.kind >= GateKind.AND))

    @cached_property
    def fanin_counts(self) -> np.ndarray:
        """Fan-in of every node, shape (n_nodes,) (read-only)."""
        counts = np.diff(self.fanin_ptr)
        counts.flags.writeable = False
        return counts

    def fanins(self, node: int) -> np.ndarray:
        """The fan-in literals of ``node``."""
        return self.fanin[self.fanin_ptr[node] : self.fanin_ptr[node + 1]]

    def weights(self, node: int) -> np.ndarray:
        """The edge weights of ``node``'s fan-ins."""
        return self.weight[self.fanin_ptr[node] : self.fanin_ptr[node + 1]]

    def iter_gates(self) -> Iterator[tuple[int, GateKind, np.ndarray]]:
        """Yield ``(node, kind, fanin_literals)`` for every non-input, non-constant node."""
        for v in range(self.n_inputs + 1, self.n_nodes):
            yield v, GateKind(int(self.kind[v])), self.fanins(v)

    # ------------------------------------------------------------------ depth and size
    def levels(self, fanin: int | None = None, count_inverters: bool = False) -> np.ndarray:
        """Level of every node; see :func:`serialcomp.ir.depth.levels`."""
        from .depth import levels

        return levels(self, fanin=fanin, count_inverters=count_inverters)

    def depth(self, fanin: int | None = None, count_inverters: bool = False) -> int:
        """Longest input-to-output path in gate levels; see :func:`serialcomp.ir.depth.depth`."""
        from .depth import depth

        return depth(self, fanin=fanin, count_inverters=count_inverters)

    def output_depths(self, fanin: int | None = None, count_inverters: bool = False) -> dict[str, int]:
        """Depth of each output, keyed by output name."""
        lv = self.levels(fanin=fanin, count_inverters=count_inverters)
        return {name: int(lv[o >> 1]) for name, o in zip(self.output_names, self.outputs)}

    def critical_path(self, fanin: int | None = None, count_inverters: bool = False) -> list[int]:
        """Nodes of a longest path, from an input (or constant) to a deepest output."""
        from .depth import critical_path

        return critical_path(self, fanin=fanin, count_inverters=count_inverters)

    def size(self) -> dict[str, int]:
        """Gate count by kind name (BUF nodes listed, but not counted in ``n_gates``)."""
        counts = np.bincount(self.kind, minlength=len(GateKind))
        return {GateKind(k).name: int(counts[k]) for k in range(int(GateKind.BUF), len(GateKind)) if counts[k]}

    @cached_property
    def max_fanin(self) -> int:
        """Largest fan-in of a gate node (0 for a circuit without gates)."""
        gates = self.kind >= GateKind.AND
        return int(self.fanin_counts[gates].max()) if np.any(gates) else 0

    def gate_set(self) -> dict[str, Any]:
        """Which gate kinds the circuit uses and the smallest class admitting them.

        Returns a dict with ``kinds`` (sorted names), ``circuit_class`` (the first of AC0, ACC0,
        TC0 admitting every kind; ACC0 as soon as a MOD or XOR gate appears), ``bounded_fanin``
        (every gate has fan-in <= 2) and ``max_fanin``.
        """
        used = sorted({GateKind(int(k)) for k in np.unique(self.kind) if k >= GateKind.AND})
        cls = "AC0"
        for c in CLASS_ORDER:
            if all(c in GATES[k].classes for k in used):
                cls = c
                break
        return {
            "kinds": [k.name for k in used],
            "circuit_class": cls,
            "bounded_fanin": self.max_fanin <= 2,
            "max_fanin": self.max_fanin,
        }

    # ------------------------------------------------------------------ simulation
    def compile(self, **options: Any) -> "CompiledCircuit":
        """Flatten once for the bit-parallel simulator; see :class:`serialcomp.sim.CompiledCircuit`."""
        from ..sim import CompiledCircuit

        return CompiledCircuit(self, **options)

    def evaluate(self, patterns: Any) -> np.ndarray:
        """Evaluate on bool patterns of shape (batch, n_inputs); returns bool (batch, n_outputs)."""
        return self.compile().run_bool(patterns)

    # ------------------------------------------------------------------ composition and conversion
    def __rshift__(self, other: "Circuit") -> "Circuit":
        from .compose import series

        return series(self, other)

    def __or__(self, other: "Circuit") -> "Circuit":
        from .compose import parallel

        return parallel(self, other)

    def to_aig(self) -> "Circuit":
        """An equivalent circuit of 2-input ANDs; see :func:`serialcomp.ir.aig.to_aig`."""
        from .aig import to_aig

        return to_aig(self)

    def rename(self, inputs: Mapping[str, str] | None = None, outputs: Mapping[str, str] | None = None) -> "Circuit":
        """A copy with some inputs and/or outputs renamed."""
        ins = [inputs.get(n, n) for n in self.input_names] if inputs else list(self.input_names)
        outs = [outputs.get(n, n) for n in self.output_names] if outputs else list(self.output_names)
        return self._replace(input_names=ins, output_names=outs)

    def with_outputs(self, outputs: Sequence[int], names: Sequence[str] | None = None) -> "Circuit":
        """A copy with another list of output literals (same nodes)."""
        return self._replace(outputs=outputs, output_names=names)

    def prune(self) -> "Circuit":
        """A copy without the gates no output depends on (inputs and the constant are kept).

        Example
        -------
        >>> from serialcomp.ir import CircuitBuilder
        >>> b = CircuitBuilder(); x, y = b.inputs(2); _ = b.or_(x, y); b.output(b.and_(x, y))
        >>> c = b.build(); c.n_gates, c.prune().n_gates
        (2, 1)

        Notes
        -----
        Depth, outputs and function are unchanged; this is what ABC's ``&r`` keeps of an AIGER file.
        """
        keep = np.zeros(self.n_nodes, bool)
        keep[: self.n_inputs + 1] = True
        keep[self.outputs >> 1] = True
        for v in range(self.n_nodes - 1, self.n_inputs, -1):
            if keep[v]:
                keep[self.fanin[self.fanin_ptr[v] : self.fanin_ptr[v + 1]] >> 1] = True
        if keep.all():
            return self
        idx = np.flatnonzero(keep)
        new = np.cumsum(keep) - 1
        counts = np.diff(self.fanin_ptr)
        edge_keep = np.repeat(keep, counts)
        fan = self.fanin[edge_keep]
        return Circuit(
            self.kind[idx], np.concatenate([[0], np.cumsum(counts[idx])]), 2 * new[fan >> 1] + (fan & 1),
            outputs=2 * new[self.outputs >> 1] + (self.outputs & 1), weight=self.weight[edge_keep],
            param=self.param[idx], input_names=self.input_names, output_names=self.output_names,
            node_names={int(new[v]): s for v, s in self.node_names.items() if keep[v]},
        )

    def _replace(self, **changes: Any) -> "Circuit":
        fields = dict(
            kind=self.kind, fanin_ptr=self.fanin_ptr, fanin=self.fanin, outputs=self.outputs,
            weight=self.weight, param=self.param, input_names=self.input_names,
            output_names=self.output_names, node_names=self.node_names,
        )
        fields.update(changes)
        return Circuit(**fields)

    # ------------------------------------------------------------------ dunder
    def __setattr__(self, name: str, value: Any) -> None:
        raise AttributeError(
            f"Circuit is frozen; cannot set {name!r}. Use rename(), with_outputs(), prune(), "
            "CircuitBuilder.copy_from() or a new CircuitBuilder to derive a new circuit"
        )

    def __delattr__(self, name: str) -> None:
        raise AttributeError(
            f"Circuit is frozen; cannot delete {name!r}. Use rename(), with_outputs(), prune(), "
            "CircuitBuilder.copy_from() or a new CircuitBuilder to derive a new circuit"
        )

    def __reduce__(self) -> tuple[Any, ...]:
        # Rebuilt through the constructor: arrays come back read-only, no per-slot setattr.
        return _rebuild, (
            self.kind, self.fanin_ptr, self.fanin, self.outputs, self.weight, self.param,
            self.input_names, self.output_names, dict(self.node_names),
        )

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Circuit):
            return NotImplemented
        return (
            self.input_names == other.input_names
            and self.output_names == other.output_names
            and all(
                np.array_equal(getattr(self, f), getattr(other, f))
                for f in ("kind", "fanin_ptr", "fanin", "weight", "param", "outputs")
            )
        )

    def __hash__(self) -> int:
        return hash((self.n_nodes, self.n_inputs, self.n_outputs, self.fanin.tobytes(), self.outputs.tobytes()))

    def __repr__(self) -> str:
        sizes = ", ".join(f"{k}={v}" for k, v in self.size().items())
        return (
            f"Circuit(inputs={self.n_inputs}, outputs={self.n_outputs}, gates={self.n_gates}"
            + (f" [{sizes}]" if sizes else "")
            + f", depth={self.depth()})"
        )


def _rebuild(kind: Any, fanin_ptr: Any, fanin: Any, outputs: Any, weight: Any, param: Any,
             input_names: Any, output_names: Any, node_names: Any) -> Circuit:
    """Unpickling and copying: the fields were validated when the original was made."""
    return Circuit(kind, fanin_ptr, fanin, outputs, weight, param, input_names, output_names, node_names,
                   validate=False)
