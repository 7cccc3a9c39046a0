"""Writing ISCAS BENCH netlists: :func:`write_bench`, :func:`dumps_bench`.

BENCH has AND, OR, XOR with their negations NAND, NOR, XNOR, and NOT/BUFF, but no complemented
edges, so the writer chooses for every gate node whether to emit it positive (AND) or negated
(NAND) from how it is used:

* a node used only negated (by AND/OR fan-ins, outputs and flip-flops) is written negated, the
  others positive; a node needed both ways gets an extra ``<name>_n = NOT(<name>)``;
* XOR fan-ins absorb negations (``XOR(~a, b) = XNOR(a, b)``), BUF nodes become NOT or BUFF to match
  whichever polarity of their fan-in exists;
* an output whose literal has no signal of the output's name gets ``<output> = BUFF(<signal>)``.

Circuits read from BENCH therefore come back with the same structure; others come back with the
same function (possibly with extra NOT/BUFF nodes, which cost levels only under
``count_inverters=True``).  Constants are ``gnd`` / ``vdd`` signals, as ABC writes them.  MAJ, THR
and MOD gates have no BENCH form: with ``lower=True`` (default) the circuit is lowered with
:func:`serialcomp.ir.aig.to_aig` first, else a :class:`~serialcomp.errors.CircuitStructureError`
names the first such node.  A stream-mode LoopedCircuit whose initial state is all zeros is written
with DFFs.

Names: a character BENCH cannot hold in a name (white space, ``( ) , = #``, and a lone surrogate,
which UTF-8 text cannot encode) becomes ``_``, and a name taken twice gets a ``_1``, ``_2`` suffix.
The written file is always valid UTF-8.
"""

from __future__ import annotations

import re
from typing import Any

import numpy as np

from ..errors import CircuitStructureError
from ..ir.gates import GateKind
from ._common import NameAllocator, PathLike, split_looped, write_bytes

__all__ = ["write_bench", "dumps_bench"]

#: What a BENCH name cannot hold: space, the punctuation of the format, and lone surrogates (no UTF-8).
_BAD = re.compile("[\\s(),=#\ud800-\udfff]")
_WRITABLE = {int(GateKind.AND), int(GateKind.OR), int(GateKind.XOR), int(GateKind.BUF)}
_TYPES = {int(GateKind.AND): ("AND", "NAND"), int(GateKind.OR): ("OR", "NOR"), int(GateKind.XOR): ("XOR", "XNOR")}


def write_bench(obj: Any, path: PathLike, *, lower: bool = True) -> None:
    """Write a Circuit (or stream-mode LoopedCircuit starting at 0) as BENCH.

    Parameters
    ----------
    obj : Circuit or LoopedCircuit
    path : str or os.PathLike
    lower : bool
        Lower circuits with MAJ/THR/MOD gates to an AIG first (else raise).

    Notes
    -----
    O(nodes + edges) Python work.

    Example
    -------
    >>> import tempfile, os
    >>> from serialcomp.ir import CircuitBuilder
    >>> from serialcomp.io import read_bench
    >>> b = CircuitBuilder(); x, y = b.input("x"), b.input("y"); b.output(b.or_(x, y) ^ 1, "z")
    >>> path = os.path.join(tempfile.mkdtemp(), "c.bench")
    >>> write_bench(b.build(), path)
    >>> read_bench(path) == b.build()
    True
    """
    write_bytes(path, dumps_bench(obj, lower=lower).encode("utf-8"))


def dumps_bench(obj: Any, *, lower: bool = True) -> str:
    """The BENCH text of a Circuit or LoopedCircuit; see :func:`write_bench`.

    Example
    -------
    >>> from serialcomp.ir import CircuitBuilder
    >>> b = CircuitBuilder(); x, y = b.input("x"), b.input("y"); b.output(b.and_(x, y) ^ 1, "z")
    >>> print(dumps_bench(b.build()))
    INPUT(x)
    INPUT(y)
    OUTPUT(z)
    z = NAND(x, y)
    <BLANKLINE>
    """
    step, L, init, mode, readout = split_looped(obj)
    if mode and (mode != "stream" or readout is not None or any(init)):
        raise CircuitStructureError(
            "BENCH DFFs hold stream-mode looped circuits starting from the all-zero state only; "
            f"got mode={mode!r}, init={list(init)}" + (" and a readout" if readout is not None else ""))
    bad = np.flatnonzero(~np.isin(step.kind[step.n_inputs + 1 :], list(_WRITABLE)))
    if len(bad):
        if not lower:
            v = step.n_inputs + 1 + int(bad[0])
            raise CircuitStructureError(
                f"node {v} is a {GateKind(int(step.kind[v])).name} gate, which BENCH cannot hold; "
                "lower the circuit with circuit.to_aig() (or pass lower=True)")
        step = step.to_aig()
    return _Writer(step, L).text()


class _Writer:
    def __init__(self, c: Any, n_state: int) -> None:
        self.c, self.L = c, n_state
        n = c.n_nodes
        kind, ptr, fan = c.kind, c.fanin_ptr.tolist(), c.fanin.tolist()
        self.kind = kind.tolist()
        self.fans = [fan[ptr[v] : ptr[v + 1]] for v in range(n)]
        # Zero fan-in AND/OR/XOR gates are constants: AND() = 1, OR() = XOR() = 0.
        self.eff = list(range(0, 2 * n, 2))
        for v in range(c.n_inputs + 1, n):
            if not self.fans[v] and self.kind[v] != GateKind.BUF:
                self.eff[v] = 1 if self.kind[v] == GateKind.AND else 0
        rigid = np.zeros((n, 2), np.int64)
        xor = np.zeros((n, 2), np.int64)
        for v in range(c.n_inputs + 1, n):
            k = self.kind[v]
            if k == GateKind.BUF or not self.fans[v]:
                continue
            tab = xor if k == GateKind.XOR else rigid
            for l in self.fans[v]:
                e = self.lit(l)
                tab[e >> 1, e & 1] += 1
        for l in c.outputs.tolist():
            e = self.lit(l)
            rigid[e >> 1, e & 1] += 1
        # Polarity of each node's own signal, and whether the other one is needed too.
        self.primary = [0] * n
        self.both = [False] * n
        for v in range(1, n):
            pos, neg = int(rigid[v, 0]), int(rigid[v, 1])
            if self.kind[v] in _TYPES and self.fans[v]:
                if (neg and not pos) or (not pos and not neg and xor[v, 1] > xor[v, 0]):
                    self.primary[v] = 1
                self.both[v] = bool(pos and neg)
            else:
                self.both[v] = bool(neg)
        self.taken = NameAllocator(["vdd", "gnd"])
        # Output names (sanitised) -> their literal: names the writer invents avoid them.
        outs = zip(c.outputs.tolist()[n_state:], c.output_names[n_state:])
        self.reserved = {_BAD.sub("_", name) or "_": self.lit(l) for l, name in outs}
        self._internal: dict[str, int] = {}
        self.sig: dict[int, str] = {}  # literal -> signal name
        self.lines: list[str] = []
        self.consts: list[str] = []

    def lit(self, l: int) -> int:
        return self.eff[l >> 1] ^ (l & 1)

    def fresh(self, name: str) -> str:
        return self.taken.fresh(_BAD.sub("_", name) or "_")

    def fresh_internal(self, base: str, lit: int = -1) -> str:
        """A name for a signal the writer adds (XOR trees, ``_n`` inverters, constants): never a name
        already given out, nor the name of an output other than one whose literal is ``lit``
        (outputs are named last and must keep their names)."""
        base = _BAD.sub("_", base) or "_"
        k = self._internal.get(base, 0)
        cand = base if k == 0 else f"{base}_{k}"
        while cand in self.taken or self.reserved.get(cand, lit) != lit:
            k += 1
            cand = f"{base}_{k}"
        self._internal[base] = k + 1
        self.taken.taken.add(cand)
        return cand

    def signal(self, l: int) -> str:
        """The signal of literal ``l`` (an exact match; constants are made on demand)."""
        if l < 2:
            if l not in self.sig:
                self.sig[l] = name = self.fresh_internal(f"const{l}", l)
                self.consts.append(f"{name} = {'vdd' if l else 'gnd'}")
            return self.sig[l]
        return self.sig[l]

    def text(self) -> str:
        c, L = self.c, self.L
        n_in = c.n_inputs
        names = list(c.input_names)
        for v in range(1, n_in + 1):
            self.sig[2 * v] = self.fresh(names[v - 1])
        # Name unnamed nodes after an output that takes their own signal.
        out_lits = c.outputs.tolist()
        want: dict[int, str] = {}
        for l, oname in zip(out_lits[L:], c.output_names[L:]):
            e = self.lit(l)
            v = e >> 1
            if v > n_in and v not in c.node_names and (e & 1) == self.primary[v] and v not in want:
                want[v] = oname
        for v in range(n_in + 1, c.n_nodes):
            if self.fans[v] or self.kind[v] == GateKind.BUF:
                p = self.primary[v]
                self.sig[2 * v + p] = self.fresh(c.node_names.get(v) or want.get(v) or f"n{v}")
        body: list[str] = []
        for v in range(1, c.n_nodes):
            if v > n_in:
                if not self.fans[v] and self.kind[v] != GateKind.BUF:
                    continue
                body.append(self.gate_line(v))
            if self.both[v]:
                p = self.primary[v]
                self.sig[2 * v + 1 - p] = name = self.fresh_internal(self.sig[2 * v + p] + "_n", 2 * v + 1 - p)
                body.append(f"{name} = NOT({self.sig[2 * v + p]})")
        head = [f"INPUT({self.sig[2 * v]})" for v in range(L + 1, n_in + 1)]
        tail: list[str] = []
        outs: list[str] = []
        for l, oname in zip(out_lits[L:], c.output_names[L:]):
            e = self.lit(l)
            if e < 2 and _BAD.sub("_", oname) not in self.taken:  # a constant output: 'name = vdd'
                s = self.fresh(oname)
                self.consts.append(f"{s} = {'vdd' if e else 'gnd'}")
                outs.append(s)
                continue
            s = self.signal(e)
            if s != _BAD.sub("_", oname) or s in outs:
                new = self.fresh(oname)
                tail.append(f"{new} = BUFF({s})")
                s = new
            outs.append(s)
        head += [f"OUTPUT({s})" for s in outs]
        dff = [f"{self.sig[2 * (s + 1)]} = DFF({self.signal(self.lit(out_lits[s]))})" for s in range(L)]
        return "\n".join(head + self.consts + dff + body + tail) + "\n"

    def gate_line(self, v: int) -> str:
        k, p = self.kind[v], self.primary[v]
        me = self.sig[2 * v + p]
        if k == GateKind.BUF:
            e = self.lit(self.fans[v][0])
            if e < 2 or e in self.sig:
                return f"{me} = BUFF({self.signal(e)})"
            return f"{me} = NOT({self.sig[e ^ 1]})"
        args = []
        flip = 0
        for l in self.fans[v]:
            e = self.lit(l)
            if k == GateKind.XOR and e >= 2 and e not in self.sig:
                e ^= 1
                flip ^= 1
            args.append(self.signal(e))
        gtype = _TYPES[k][p ^ flip]
        if k != GateKind.XOR or len(args) == 2:
            return f"{me} = {gtype}({', '.join(args)})"
        # Tools (ABC's read_bench among them) take 2-input XOR/XNOR only: one input becomes
        # XOR(a, gnd) (same function, same level), more inputs a balanced tree of 2-input XORs
        # (ceil(log2 k) levels) whose last gate has the node's own name and polarity.
        if len(args) == 1:
            return f"{me} = {gtype}({args[0]}, {self.signal(0)})"
        lines: list[str] = []

        def tree(xs: list[str]) -> str:
            if len(xs) == 1:
                return xs[0]
            h = (len(xs) + 1) // 2
            a, b = tree(xs[:h]), tree(xs[h:])
            t = self.fresh_internal(f"{me}_x")
            lines.append(f"{t} = XOR({a}, {b})")
            return t

        h = (len(args) + 1) // 2
        a, b = tree(args[:h]), tree(args[h:])
        lines.append(f"{me} = {gtype}({a}, {b})")
        return "\n".join(lines)
