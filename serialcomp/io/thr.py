"""The threshold-circuit text format ``.thr``: :func:`read_thr`, :func:`write_thr` (and string forms).

A line-oriented format that holds every gate kind of :mod:`serialcomp.ir.gates` losslessly:
weights, thresholds, moduli, negated edges, BUF nodes, constants, node order and names.
``read_thr(write_thr(c)) == c`` for every Circuit, with the same ``node_names``.  Example::

    serialcomp-thr 1
    # anything after '#' is a comment
    input a
    input "b c"
    n1 = AND(a, ~"b c")
    $5 = THR[2](2*a, -1*~n1, 1*1)
    m = MOD[3](a, n1, $5)
    $7 = MAJ(a, ~m, 0)
    $8 "n1" = BUF(~$7)
    output y = ~$7
    output z = $8

Grammar (one statement per line; blank lines and comments are ignored):

``serialcomp-thr 1``
    The version header: the first statement.  Other versions are refused.
``input NAME``
    A primary input; inputs are numbered in the order of these lines.
``LHS = KIND(ARG, ...)``
    A node.  ``KIND`` is ``AND``, ``OR``, ``XOR``, ``MAJ``, ``BUF``, ``THR[t]`` (threshold ``t``)
    or ``MOD[m]`` (modulus ``m >= 2``).  ``LHS`` is a ``NAME``, an anonymous label ``$k`` (any
    number, local to the file), or both (``$k NAME``: a named node referred to by its label, used
    when the name is not unique).  An ``ARG`` is a literal; THR arguments may carry an integer
    weight, ``w*LIT`` (default 1).
``output NAME = LIT``
    An output (output names are a namespace of their own).
``looped stream`` / ``looped loop``
    The file holds a :class:`~serialcomp.ir.looped.LoopedCircuit` in that mode; then
``state NAME = 0|1``
    declares a state bit and its initial value (state bits come before inputs, in order), and
``next NAME = LIT``
    the next-state output of the state bits, in the same order (they come before the outputs).
``LIT``
    ``REF`` or ``~REF`` (negated); ``REF`` is a name, a label ``$k``, or ``0`` / ``1`` (constants).
``NAME``
    Bare when it matches ``[A-Za-z_][A-Za-z0-9_.[]:/@<>!?'$+-]*`` and is not a keyword (``input``,
    ``output``, ``state``, ``next``, ``looped``), else a JSON string literal (``"b c"``).

Nodes may be defined in any order (they are sorted topologically, file order when it is one); a
cycle, an undefined or ambiguous reference, a bad arity, weight or modulus is a
:class:`~serialcomp.errors.CircuitFormatError` naming the file and line.
"""

from __future__ import annotations

import json
import re
from typing import Any

from ..errors import CircuitStructureError
from ..ir.gates import GateKind
from ._common import PathLike, load_source, split_looped, write_bytes
from ._thr_reader import BARE_RE, KEYWORDS, MAGIC, THR_VERSION, ThrReader

__all__ = ["read_thr", "loads_thr", "write_thr", "dumps_thr", "THR_VERSION"]

def read_thr(path: PathLike) -> Any:
    """Read a ``.thr`` file (see the module docstring for the format).

    Returns
    -------
    Circuit or LoopedCircuit

    Notes
    -----
    Python work per line (a regular-expression lexer), then a Numba topological sort.

    Example
    -------
    >>> import tempfile, os
    >>> path = os.path.join(tempfile.mkdtemp(), "m.thr")
    >>> _ = open(path, "w").write("serialcomp-thr 1\\ninput a\\ninput b\\ninput c\\nm = MAJ(a, b, ~c)\\noutput y = m\\n")
    >>> read_thr(path).size()
    {'MAJ': 1}
    """
    data, label = load_source(path, "threshold-circuit")
    return ThrReader(data, label).build()


def loads_thr(text: "str | bytes", *, name: str = "<string>") -> Any:
    """Parse ``.thr`` text; ``name`` labels error messages.

    Example
    -------
    >>> loads_thr("serialcomp-thr 1\\ninput a\\ng = MOD[2](a, 1)\\noutput o = ~g\\n").param.tolist()
    [0, 0, 2]
    """
    return ThrReader(text.encode("utf-8") if isinstance(text, str) else bytes(text), name).build()


def write_thr(obj: Any, path: PathLike) -> None:
    """Write a Circuit or LoopedCircuit (without readout) as ``.thr``; lossless.

    Example
    -------
    >>> import tempfile, os
    >>> from serialcomp.ir import CircuitBuilder
    >>> b = CircuitBuilder(); xs = b.inputs(3); b.output(b.thr(xs, [3, -2, 1], 2) ^ 1)
    >>> path = os.path.join(tempfile.mkdtemp(), "t.thr")
    >>> write_thr(b.build(), path); read_thr(path) == b.build()
    True
    """
    write_bytes(path, dumps_thr(obj).encode("utf-8"))


def dumps_thr(obj: Any) -> str:
    """The ``.thr`` text of a Circuit or LoopedCircuit.

    Notes
    -----
    O(nodes + edges).  Node names that are unique and not an input's name are written as names,
    the other nodes as labels ``$<node>`` (a non-unique name follows its label).

    Example
    -------
    >>> from serialcomp.ir import CircuitBuilder
    >>> b = CircuitBuilder(); x, y = b.input("x"), b.input("y")
    >>> b.output(b.thr([x, y ^ 1], [2, -1], 1), "t"); b.output(b.mod([x, y], 2), "p")
    >>> print(dumps_thr(b.build()))
    serialcomp-thr 1
    input x
    input y
    $3 = THR[1](2*x, -1*~y)
    $4 = MOD[2](x, y)
    output t = $3
    output p = $4
    <BLANKLINE>
    """
    step, L, init, mode, readout = split_looped(obj)
    if readout is not None:
        raise CircuitStructureError("the .thr format does not hold a looped circuit's readout circuit")
    c = step
    lines = [f"{MAGIC} {THR_VERSION}"]
    ref: dict[int, str] = {}
    used: set[str] = set(c.input_names)
    for v in range(1, c.n_inputs + 1):
        ref[v] = _quote(c.input_names[v - 1])
    if mode:
        lines.append(f"looped {mode}")
        lines += [f"state {ref[s + 1]} = {init[s]}" for s in range(L)]
    lines += [f"input {ref[v]}" for v in range(L + 1, c.n_inputs + 1)]
    kinds, ptr, fan, wts, prm = c.kind.tolist(), c.fanin_ptr.tolist(), c.fanin.tolist(), c.weight.tolist(), c.param.tolist()

    def lit(l: int) -> str:
        return ("~" if l & 1 else "") + (str(l >> 1) if l < 2 else ref[l >> 1])

    for v in range(c.n_inputs + 1, c.n_nodes):
        name = c.node_names.get(v)
        if name is not None and name not in used:
            used.add(name)
            ref[v] = lhs = _quote(name)
        else:
            ref[v] = f"${v}"
            lhs = ref[v] + ("" if name is None else " " + _quote(name))
        k = GateKind(kinds[v])
        args = [lit(l) for l in fan[ptr[v] : ptr[v + 1]]]
        if k == GateKind.THR:
            args = [f"{w}*{a}" for w, a in zip(wts[ptr[v] : ptr[v + 1]], args)]
        head = k.name + (f"[{prm[v]}]" if k in (GateKind.THR, GateKind.MOD) else "")
        lines.append(f"{lhs} = {head}({', '.join(args)})")
    outs = c.outputs.tolist()
    lines += [f"next {_quote(c.output_names[s])} = {lit(outs[s])}" for s in range(L)]
    lines += [f"output {_quote(n)} = {lit(o)}" for n, o in zip(c.output_names[L:], outs[L:])]
    return "\n".join(lines) + "\n"


_BARE = re.compile(BARE_RE)


def _quote(name: str) -> str:
    if _BARE.fullmatch(name) and name not in KEYWORDS:
        return name
    try:
        name.encode("utf-8")
    except UnicodeEncodeError:
        # a lone surrogate: written as a JSON escape (\udc80), which reads back as the same string
        return json.dumps(name, ensure_ascii=True)
    return json.dumps(name, ensure_ascii=False)
