"""Reading ISCAS BENCH netlists: :func:`read_bench`, :func:`loads_bench`.

The format, line by line (``#`` starts a comment; gate names are case-insensitive)::

    INPUT(G1)
    OUTPUT(G17)
    G10 = NAND(G1, G3)
    G11 = DFF(G10)
    G17 = NOT(G11)
    G20 = vdd

Definitions may come in any order; they are sorted topologically (file order where it already is
one) and a cycle through combinational gates is reported naming a signal on it.  How signals map
onto a :class:`~serialcomp.ir.circuit.Circuit`:

* AND, OR, XOR (any fan-in >= 1) become gates of that kind; NAND, NOR, XNOR become the same gates
  with their consumers taking the negated literal (a free complemented edge, as in AIGER).
* NOT becomes a BUF node with a negated fan-in, BUF/BUFF a BUF node, so
  ``depth(count_inverters=True)`` charges them, as the ISCAS "levels" column does.
* ``vdd`` / ``gnd`` (``X = vdd``, or a reference to an undefined signal of that name) are the
  constants 1 / 0, the way ABC reads and writes them.
* DFF makes the result a :class:`~serialcomp.ir.looped.LoopedCircuit` in stream mode, every
  flip-flop starting at 0: the flip-flops are the step circuit's first inputs (in file order), their
  D inputs its first outputs (named ``<dff>_next``), then come the INPUTs and OUTPUTs.
* Gate signals keep their names in ``node_names`` (for NAND/NOR/XNOR the name is that of the
  signal, i.e. the negation of the node).

Errors (:class:`~serialcomp.errors.CircuitFormatError`) name the file, the line and what was
expected: unknown gate types, wrong arity, undefined or twice-defined signals, cycles.
"""

from __future__ import annotations

import re
from typing import Any

import numpy as np

from ..errors import CircuitFormatError
from ..ir.circuit import Circuit
from ..ir.gates import GateKind
from ._common import PathLike, decode_line, load_source, make_looped, structure_as_format, unique_names
from ._kernels import toposort

__all__ = ["read_bench", "loads_bench", "BENCH_GATES"]

_IO = re.compile(r"(INPUT|OUTPUT)\s*\(\s*([^\s(),=#]+)\s*\)", re.I)
_DEF = re.compile(r"([^\s(),=#]+)\s*=\s*([A-Za-z_][A-Za-z0-9_]*)\s*(?:\((.*)\))?")
_NAME = re.compile(r"[^\s(),=#]+")

#: BENCH gate type -> (node kind, output negated, fan-in negated, exact arity or None for >= 1).
BENCH_GATES: dict[str, tuple[GateKind, bool, bool, int | None]] = {
    "AND": (GateKind.AND, False, False, None),
    "NAND": (GateKind.AND, True, False, None),
    "OR": (GateKind.OR, False, False, None),
    "NOR": (GateKind.OR, True, False, None),
    "XOR": (GateKind.XOR, False, False, None),
    "XNOR": (GateKind.XOR, True, False, None),
    "NOT": (GateKind.BUF, False, True, 1),
    "BUF": (GateKind.BUF, False, False, 1),
    "BUFF": (GateKind.BUF, False, False, 1),
}
_CONSTS = {"vdd": 1, "gnd": 0}


def read_bench(path: PathLike) -> Any:
    """Read an ISCAS BENCH file.

    Returns
    -------
    Circuit or LoopedCircuit
        A LoopedCircuit (stream mode, initial state 0) when the file has DFFs.

    Raises
    ------
    CircuitFormatError
        Naming the file, the line and what was expected.

    Notes
    -----
    One pass of regular expressions over the lines (Python work per line), then a topological sort
    by a Numba kernel: O(lines + fan-ins).

    Example
    -------
    >>> import tempfile, os
    >>> path = os.path.join(tempfile.mkdtemp(), "c17.bench")
    >>> _ = open(path, "w").write('''
    ... INPUT(a)
    ... INPUT(b)
    ... OUTPUT(z)
    ... z = NOT(n)
    ... n = NAND(a, b)
    ... ''')
    >>> c = read_bench(path); c.size(), c.depth(), c.depth(count_inverters=True)
    ({'BUF': 1, 'AND': 1}, 1, 2)
    """
    data, label = load_source(path, "BENCH")
    return _parse(data, label)


def loads_bench(text: "str | bytes", *, name: str = "<string>") -> Any:
    """Parse BENCH text; ``name`` labels error messages.

    Example
    -------
    >>> loads_bench("INPUT(a)\\nINPUT(b)\\nOUTPUT(y)\\ny = XNOR(a, b)\\n").outputs.tolist()
    [7]
    """
    return _parse(text.encode("utf-8") if isinstance(text, str) else bytes(text), name)


def _parse(data: bytes, label: str) -> Any:
    inputs: list[str] = []
    outputs: list[tuple[str, int]] = []
    gates: list[tuple[str, str, list[str], int]] = []  # name, TYPE, args, line
    dffs: list[tuple[str, str, int]] = []
    defined: dict[str, tuple[str, int, int]] = {}  # name -> (what, index, line)
    out_seen: dict[str, int] = {}

    def define(name: str, what: str, index: int, line: int) -> None:
        if name in defined:
            raise CircuitFormatError(f"signal {name!r} is defined twice (first on line {defined[name][2]})", label, line)
        defined[name] = (what, index, line)

    for lineno, raw in enumerate(data.split(b"\n"), 1):
        text = decode_line(raw, label, lineno).split("#", 1)[0].strip()
        if not text:
            continue
        m = _IO.fullmatch(text)
        if m:
            name = m.group(2)
            if m.group(1).upper() == "INPUT":
                define(name, "input", len(inputs), lineno)
                inputs.append(name)
            else:
                if name in out_seen:
                    raise CircuitFormatError(f"OUTPUT({name}) is declared twice (first on line {out_seen[name]})",
                                             label, lineno)
                out_seen[name] = lineno
                outputs.append((name, lineno))
            continue
        m = _DEF.fullmatch(text)
        if not m:
            raise CircuitFormatError(
                f"expected INPUT(name), OUTPUT(name) or 'name = GATE(a, b, ...)', got {text[:60]!r}", label, lineno)
        name, gtype, arg_text = m.group(1), m.group(2), m.group(3)
        if arg_text is None:
            if gtype.lower() not in _CONSTS:
                raise CircuitFormatError(f"expected 'GATE(args)', 'vdd' or 'gnd' after '=', got {gtype!r}", label, lineno)
            define(name, "const", _CONSTS[gtype.lower()], lineno)
            continue
        args = [a.strip() for a in arg_text.split(",")] if arg_text.strip() else []
        for a in args:
            if not _NAME.fullmatch(a):
                raise CircuitFormatError(f"expected signal names separated by commas, got {arg_text[:60]!r}", label, lineno)
        gtype = gtype.upper()
        if gtype == "DFF":
            if len(args) != 1:
                raise CircuitFormatError(f"DFF takes exactly 1 input, got {len(args)}", label, lineno)
            define(name, "dff", len(dffs), lineno)
            dffs.append((name, args[0], lineno))
            continue
        if gtype not in BENCH_GATES:
            raise CircuitFormatError(
                f"unknown gate type {gtype!r}; expected one of {', '.join(BENCH_GATES)}, DFF, vdd, gnd", label, lineno)
        arity = BENCH_GATES[gtype][3]
        if (arity is not None and len(args) != arity) or not args:
            raise CircuitFormatError(
                f"{gtype} takes {'exactly ' + str(arity) if arity else 'at least 1'} input(s), got {len(args)}",
                label, lineno)
        define(name, "gate", len(gates), lineno)
        gates.append((name, gtype, args, lineno))
    if not inputs and not outputs and not dffs:
        raise CircuitFormatError(
            "the file declares no inputs and no outputs (no INPUT(...) or OUTPUT(...) line): it holds no "
            "circuit", label)
    return _build(inputs, outputs, gates, dffs, defined, label)


def _build(inputs, outputs, gates, dffs, defined, label) -> Any:
    L, I, G = len(dffs), len(inputs), len(gates)

    def ref(name: str, line: int) -> tuple[str, int]:
        hit = defined.get(name)
        if hit is not None:
            return hit[0], hit[1]
        if name in _CONSTS:
            return "const", _CONSTS[name]
        raise CircuitFormatError(f"signal {name!r} is used but never defined", label, line)

    refs = [[ref(a, line) for a in args] for _, _, args, line in gates]
    ptr = np.zeros(G + 1, np.int64)
    np.cumsum([len(r) for r in refs], out=ptr[1:])
    dep = np.array([i if w == "gate" else -1 for r in refs for w, i in r], np.int64)
    order, cyc = toposort(ptr, dep)
    if cyc >= 0:
        name, _, _, line = gates[int(cyc)]
        raise CircuitFormatError(f"combinational cycle through signal {name!r}", label, line)
    rank = np.empty(G, np.int64)
    rank[order] = np.arange(G)
    base = 1 + L + I

    def lit(what: str, i: int) -> int:
        if what == "const":
            return i
        if what == "dff":
            return 2 * (1 + i)
        if what == "input":
            return 2 * (1 + L + i)
        return 2 * (base + int(rank[i])) + int(BENCH_GATES[gates[i][1]][1])

    kind = np.empty(base + G, np.uint8)
    kind[0] = GateKind.CONST
    kind[1:base] = GateKind.INPUT
    counts = np.zeros(base + G, np.int64)
    fan: list[int] = []
    node_names: dict[int, str] = {}
    for r, j in enumerate(order.tolist()):
        name, gtype, _, _ = gates[j]
        k, _, neg_in, _ = BENCH_GATES[gtype]
        kind[base + r] = k
        counts[base + r] = len(refs[j])
        fan.extend(lit(w, i) ^ int(neg_in) for w, i in refs[j])
        node_names[base + r] = name
    fanin_ptr = np.zeros(base + G + 1, np.int64)
    np.cumsum(counts, out=fanin_ptr[1:])
    out_lits = [lit(*ref(name, line)) for name, line in outputs]
    next_lits = [lit(*ref(d, line)) for _, d, line in dffs]
    out_names = [name for name, _ in outputs]
    st_names = [name for name, _, _ in dffs]
    next_names = unique_names([f"{n}_next" for n in st_names], "", taken=out_names)
    with structure_as_format(label):
        step = Circuit(
            kind, fanin_ptr, np.array(fan, np.int64), np.array(next_lits + out_lits, np.int64),
            input_names=st_names + inputs, output_names=next_names + out_names, node_names=node_names,
        )
        return make_looped(step, L, [0] * L, "stream") if L else step
