"""Structural Verilog export: :func:`write_verilog`, :func:`dumps_verilog`.

Every node becomes one ``assign`` on a wire, so the module has the circuit's structure:

==========  ==========================================================================
AND/OR/XOR  ``a & ~b & c`` (``|``, ``^``); empty AND is ``1'b1``, empty OR/XOR ``1'b0``
BUF         ``assign n = ~a;`` (the fan-in literal)
THR, MAJ    ``((x1 ? W'dw1 : W'd0) + ... ) >= W'dt`` with non-negative weights (a negative
            weight ``w`` on ``x`` is ``|w|`` on ``~x`` with the threshold raised by ``|w|``); ``W``
            is the bit length of the largest reachable sum, so the addition cannot overflow
MOD         ``((x1 ? W'd1 : W'd0) + ...) % W'dm == W'd0``
==========  ==========================================================================

Names: ports keep the circuit's input and output names (as escaped identifiers ``\\a[0] `` when
they are not plain Verilog identifiers or are keywords); an output whose name is taken by an input, and any name
that Verilog cannot hold, gets a fresh one.  A stream-mode
:class:`~serialcomp.ir.looped.LoopedCircuit` gets a ``clk`` input and one register per state bit,
initialised to the initial state.  Yosys reads the result
(``read_verilog f.v; hierarchy -auto-top; proc; opt; stat``).
"""

from __future__ import annotations

import re
from typing import Any

from ..errors import CircuitStructureError
from ..ir.gates import GateKind
from ._common import NameAllocator, PathLike, split_looped, write_bytes

__all__ = ["write_verilog", "dumps_verilog"]

_SIMPLE = re.compile(r"[A-Za-z_][A-Za-z0-9_$]*")
_ESCAPABLE = re.compile(r"[!-~]+")  # printable ASCII without space
_KEYWORDS = frozenset(
    "always and assign automatic begin buf bufif0 bufif1 case casex casez cell cmos config deassign default "
    "defparam design disable edge else end endcase endconfig endfunction endgenerate endmodule endprimitive "
    "endspecify endtable endtask event for force forever fork function generate genvar highz0 highz1 if "
    "ifnone incdir include initial inout input instance integer join large liblist library localparam "
    "macromodule medium module nand negedge nmos nor noshowcancelled not notif0 notif1 or output parameter "
    "pmos posedge primitive pull0 pull1 pulldown pullup pulsestyle_onevent pulsestyle_ondetect rcmos real "
    "realtime reg release repeat rnmos rpmos rtran rtranif0 rtranif1 scalared showcancelled signed small "
    "specify specparam strong0 strong1 supply0 supply1 table task time tran tranif0 tranif1 tri tri0 tri1 "
    "triand trior trireg unsigned use uwire vectored wait wand weak0 weak1 while wire wor xnor xor".split()
)


def write_verilog(obj: Any, path: PathLike, *, module_name: str = "top") -> None:
    """Write a Circuit (or stream-mode LoopedCircuit) as a structural Verilog module.

    Parameters
    ----------
    obj : Circuit or LoopedCircuit
    path : str or os.PathLike
    module_name : str
        Name of the module.

    Notes
    -----
    One ``assign`` per node: O(nodes + edges) text.  Threshold and counting gates are arithmetic
    expressions that a synthesis tool expands into adders and comparators.

    Example
    -------
    >>> import tempfile, os
    >>> from serialcomp.ir import CircuitBuilder
    >>> b = CircuitBuilder(); xs = b.input_bus("x", 3); b.output(b.maj(*xs), "m")
    >>> path = os.path.join(tempfile.mkdtemp(), "m.v")
    >>> write_verilog(b.build(), path, module_name="maj3")
    >>> open(path).read().splitlines()[0]
    'module maj3(\\\\x[0] , \\\\x[1] , \\\\x[2] , m);'
    """
    write_bytes(path, dumps_verilog(obj, module_name=module_name).encode("ascii"))


def dumps_verilog(obj: Any, *, module_name: str = "top") -> str:
    """The Verilog text of a Circuit or stream-mode LoopedCircuit; see :func:`write_verilog`.

    Example
    -------
    >>> from serialcomp.ir import CircuitBuilder
    >>> b = CircuitBuilder(); x, y = b.input("x"), b.input("y"); b.output(b.and_(x, y ^ 1), "z")
    >>> print(dumps_verilog(b.build()))
    module top(x, y, z);
      input x;
      input y;
      output z;
      wire n3;
      assign n3 = x & ~y;
      assign z = n3;
    endmodule
    <BLANKLINE>
    """
    step, L, init, mode, readout = split_looped(obj)
    if mode and (mode != "stream" or readout is not None):
        raise CircuitStructureError(f"Verilog export holds stream-mode looped circuits only; got mode={mode!r}")
    c = step
    if not _ESCAPABLE.fullmatch(module_name):
        module_name = re.sub(r"[^!-~]", "_", module_name) or "top"
    taken = NameAllocator([module_name])

    def fresh(name: str) -> str:
        if not _ESCAPABLE.fullmatch(name):
            name = re.sub(r"[^!-~]", "_", name) or "_"
        return taken.fresh(name)

    clk = fresh("clk") if L else None
    ref = [""] * c.n_nodes
    for v in range(1, c.n_inputs + 1):
        ref[v] = fresh(c.input_names[v - 1])
    outs = [fresh(n) for n in c.output_names[L:]]
    for v in range(c.n_inputs + 1, c.n_nodes):
        ref[v] = fresh(f"n{v}")
    ports = ([clk] if clk else []) + ref[L + 1 : c.n_inputs + 1] + outs
    lines = [f"module {_ident(module_name)}({', '.join(_ident(p) for p in ports)});"]
    lines += [f"  input {_ident(p)};" for p in ports[: len(ports) - len(outs)]]
    lines += [f"  output {_ident(p)};" for p in outs]
    lines += [f"  reg {_ident(ref[s + 1])} = 1'b{init[s]};" for s in range(L)]
    lines += [f"  wire {_ident(ref[v])};" for v in range(c.n_inputs + 1, c.n_nodes)]

    def lit(l: int) -> str:
        if l < 2:
            return f"1'b{l}"
        return ("~" if l & 1 else "") + _ident(ref[l >> 1])

    ptr, fan, wts, prm = c.fanin_ptr.tolist(), c.fanin.tolist(), c.weight.tolist(), c.param.tolist()
    for v in range(c.n_inputs + 1, c.n_nodes):
        lits = fan[ptr[v] : ptr[v + 1]]
        lines.append(f"  assign {_ident(ref[v])} = {_expr(GateKind(int(c.kind[v])), lits, wts[ptr[v] : ptr[v + 1]], prm[v], lit)};")
    o = c.outputs.tolist()
    lines += [f"  assign {_ident(name)} = {lit(l)};" for name, l in zip(outs, o[L:])]
    if L:
        lines.append(f"  always @(posedge {_ident(clk)}) begin")
        lines += [f"    {_ident(ref[s + 1])} <= {lit(o[s])};" for s in range(L)]
        lines.append("  end")
    lines.append("endmodule")
    return "\n".join(lines) + "\n"


def _ident(name: str) -> str:
    """A Verilog identifier for a (printable ASCII, space-free) name: plain, or escaped ``\\name ``."""
    if _SIMPLE.fullmatch(name) and name not in _KEYWORDS:
        return name
    return "\\" + name + " "


def _expr(kind: GateKind, lits: list[int], weights: list[int], param: int, lit: Any) -> str:
    if kind in (GateKind.AND, GateKind.OR, GateKind.XOR):
        if not lits:
            return "1'b1" if kind == GateKind.AND else "1'b0"
        return {GateKind.AND: " & ", GateKind.OR: " | ", GateKind.XOR: " ^ "}[kind].join(lit(l) for l in lits)
    if kind == GateKind.BUF:
        return lit(lits[0])
    if kind == GateKind.MOD:
        width = max(len(lits).bit_length(), param.bit_length(), 1)
        if not lits:
            return "1'b1"
        total = " + ".join(f"({lit(l)} ? {width}'d1 : {width}'d0)" for l in lits)
        return f"((({total}) % {width}'d{param}) == {width}'d0)"
    if kind == GateKind.MAJ:
        weights, param = [1] * len(lits), len(lits) // 2 + 1
    # THR (and MAJ): make the weights non-negative, w*x = |w|*(~x) + w for w < 0.
    t = param
    terms = []
    for l, w in zip(lits, weights):
        if w < 0:
            l, w, t = l ^ 1, -w, t - w
        if w:
            terms.append((l, w))
    total = sum(w for _, w in terms)
    if t <= 0:
        return "1'b1"
    if t > total:
        return "1'b0"
    width = max(total.bit_length(), 1)
    s = " + ".join(f"({lit(l)} ? {width}'d{w} : {width}'d0)" for l, w in terms)
    return f"(({s}) >= {width}'d{t})"
