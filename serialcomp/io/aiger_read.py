"""Reading AIGER files, ASCII (``aag``) and binary (``aig``): :func:`read_aiger`, :func:`loads_aiger`.

The format (http://fmv.jku.at/aiger/FORMAT): a header ``aag M I L O A`` or ``aig M I L O A``
(AIGER 1.9 adds ``B C J F``; a header with only the five classic numbers is fine), then the
inputs, latches, outputs and AND gates, an optional symbol table (``i0 name``, ``l0 name``,
``o0 name``) and an optional comment section after a line ``c``.

How a file maps onto a :class:`~serialcomp.ir.circuit.Circuit`:

* Without latches, AIGER variable ``v`` becomes node ``v`` when the inputs are ``1..I`` and the
  ANDs follow in order (always so in binary files, usually in ASCII ones); an ASCII file in any
  other order is renumbered: inputs in file order, ANDs in a topological order (file order when it
  already is one).  Fan-in order ``rhs0, rhs1`` is kept.
* With latches the result is a :class:`~serialcomp.ir.looped.LoopedCircuit` in stream mode whose
  step circuit has the latches as its first inputs (then the AIGER inputs) and the latch next-state
  functions as its first outputs (then the AIGER outputs).  Reset values 0 and 1 become the initial
  state.  An uninitialised latch (reset = its own literal, AIGER 1.9) is refused by default;
  ``uninitialized="zero"`` reads it as starting at 0.
* Names come from the symbol table; unnamed inputs, latches and outputs are ``i<k>``, ``l<k>`` and
  ``o<k>``; the next-state outputs are ``<latch>_next``.  A clash gets a ``_1``, ``_2`` suffix.
* ``B``, ``C``, ``J``, ``F`` (bad states, constraints, justice, fairness) must be 0: such files are
  refused with a message saying so.

Bad files raise :class:`~serialcomp.errors.CircuitFormatError` naming the file, the line (ASCII
parts) or the byte offset (binary AND section, symbol table of a binary file) and what was expected.
Header counts are checked against the file size before anything is allocated.
"""

from __future__ import annotations

import re
from typing import Any

import numpy as np

from ..errors import CircuitFormatError
from ..ir.circuit import Circuit
from ..ir.gates import GateKind
from ._common import MAX_INT, PathLike, load_source, make_looped, structure_as_format, unique_names
from ._kernels import DECODE_ERRORS, PARSE_ERRORS, decode_ands, parse_number_lines, toposort

__all__ = ["read_aiger", "loads_aiger"]

_HEADER_HELP = "expected the header 'aag M I L O A' or 'aig M I L O A' (optionally followed by B C J F)"
#: Inputs cost no bytes in a binary file; more than this many beyond the file size is taken as corrupt.
_SPARE_INPUTS = 1 << 20
_SYMBOL = re.compile(rb"([ilobcjf])([0-9]+) (.*)", re.S)


def read_aiger(path: PathLike, *, uninitialized: str = "error", with_comment: bool = False) -> Any:
    """Read an AIGER file (``.aag`` or ``.aig``; the header decides which).

    Parameters
    ----------
    path : str or os.PathLike
    uninitialized : {"error", "zero"}
        What to do with a latch whose reset value is its own literal (uninitialised).
    with_comment : bool
        Also return the comment section's text (after the line ``c``; None when there is none),
        so that a conversion can carry it over (``serialcomp convert`` does).

    Returns
    -------
    Circuit or LoopedCircuit, or (that, str or None) with ``with_comment``
        A Circuit when the file has no latches, else a stream-mode LoopedCircuit.

    Raises
    ------
    CircuitFormatError
        The file is not valid AIGER (the message names the file, the line or byte offset, and
        what was expected).

    Notes
    -----
    Binary files are decoded by a Numba kernel into arrays and the circuit is built from arrays:
    O(file size), no Python work per gate.  ASCII files are parsed by a kernel too; a file whose
    variables are out of order costs a sort and a topological sort, O(A log A).

    Example
    -------
    >>> import tempfile, os
    >>> path = os.path.join(tempfile.mkdtemp(), "and.aag")
    >>> _ = open(path, "w").write("aag 3 2 0 1 1\\n2\\n4\\n6\\n6 2 4\\ni0 x\\ni1 y\\no0 z\\n")
    >>> c = read_aiger(path); c.input_names, c.output_names, c.n_gates, c.depth()
    (('x', 'y'), ('z',), 1, 1)
    """
    data, label = load_source(path, "AIGER")
    return _parse(data, label, uninitialized, with_comment)


def loads_aiger(data: "bytes | str", *, uninitialized: str = "error", name: str = "<string>",
                with_comment: bool = False) -> Any:
    """Parse AIGER from bytes (or ASCII text); ``name`` labels error messages.

    Example
    -------
    >>> loads_aiger(b"aag 1 1 0 1 0\\n2\\n3\\n").outputs.tolist()
    [3]
    >>> loads_aiger(b"aag 1 1 0 1 0\\n2\\n3\\nc\\nmade by hand\\n", with_comment=True)[1]
    'made by hand\\n'
    """
    if isinstance(data, str):
        data = data.encode("utf-8")
    return _parse(bytes(data), name, uninitialized, with_comment)


# ---------------------------------------------------------------------------------------------
def _parse(data: bytes, label: str, uninitialized: str, with_comment: bool = False) -> Any:
    if uninitialized not in ("error", "zero"):
        raise CircuitFormatError(f"uninitialized must be 'error' or 'zero', got {uninitialized!r}", label)
    binary, M, I, L, O, A, pos = _header(data, label)
    buf = np.frombuffer(data, np.uint8)
    line = 2
    if binary:
        latches = _lines(buf, pos, L, 1, 2, label, line, "latch line 'next [reset]'")
        pos, line = latches[1], line + L
        outs = _lines(buf, pos, O, 1, 1, label, line, "output line 'literal'")
        pos, line = outs[1], line + O
        need = 2 * A
        if len(data) - pos < need:
            raise CircuitFormatError(
                f"the header declares {A} ANDs, which need at least {need} bytes of binary AND section, "
                f"but only {len(data) - pos} bytes follow (byte offset {pos})", label)
        first = 2 * (I + L + 1)
        fan, pos, err, k, where = decode_ands(buf, pos, A, first)
        if err:
            raise CircuitFormatError(
                f"binary AND section, AND {k} (literal {first + 2 * k}) at byte offset {where}: "
                f"{DECODE_ERRORS[int(err)]}", label)
        latch_lit = 2 * np.arange(I + 1, I + L + 1, dtype=np.int64)
        next_lit, reset = latches[0][:, 0], latches[0][:, 1]
        out_lit = outs[0][:, 0]
        _check_range(next_lit, M, label, 2, "latch next-state literal")
        _check_range(out_lit, M, label, 2 + L, "output literal")
        names = _symbols(data, pos, I, L, O, label, None)
        node = _binary_map(I, L)
        kind, ptr = _arrays(I, L, A)
        fanin = node(fan)
    else:
        ins = _lines(buf, pos, I, 1, 1, label, line, "input line 'literal'")
        pos, line = ins[1], line + I
        latches = _lines(buf, pos, L, 2, 3, label, line, "latch line 'literal next [reset]'")
        pos, line = latches[1], line + L
        outs = _lines(buf, pos, O, 1, 1, label, line, "output line 'literal'")
        pos, line = outs[1], line + O
        ands = _lines(buf, pos, A, 3, 3, label, line, "AND line 'lhs rhs0 rhs1'")
        pos = ands[1]
        names = _symbols(data, pos, I, L, O, label, line + A)
        in_lit, latch_lit = ins[0][:, 0], latches[0][:, 0]
        next_lit, reset = latches[0][:, 1], latches[0][:, 2]
        out_lit, and_tab = outs[0][:, 0], ands[0]
        node, kind, ptr, fanin = _ascii_structure(in_lit, latch_lit, next_lit, out_lit, and_tab, M, label)
    init = _resets(reset, latch_lit, uninitialized, label, 2 + (0 if binary else I))
    in_names, latch_names, out_names, comment = names
    outs_names = unique_names(out_names, "o")
    x_names = unique_names(in_names, "i")
    st_names = unique_names(latch_names, "l", taken=x_names)
    next_names = unique_names([f"{n}_next" for n in st_names], "", taken=outs_names)
    line_latch = 2 + (0 if binary else I)
    outputs = np.concatenate([node(next_lit, line_latch, "latch next-state"), node(out_lit, line_latch + L, "output")])
    with structure_as_format(label):
        step = Circuit(kind, ptr, fanin, outputs, input_names=st_names + x_names, output_names=next_names + outs_names)
        obj = step if L == 0 else make_looped(step, L, init, "stream")
    return (obj, comment) if with_comment else obj


def _header(data: bytes, label: str) -> tuple[bool, int, int, int, int, int, int]:
    if not data:
        raise CircuitFormatError(f"the file is empty; {_HEADER_HELP}", label, 1)
    end = data.find(b"\n")
    end = len(data) if end < 0 else end
    toks = data[:end].rstrip(b"\r").split()
    if not toks or toks[0] not in (b"aag", b"aig"):
        raise CircuitFormatError(f"{_HEADER_HELP}, got {data[:min(end, 40)]!r}", label, 1)
    nums = toks[1:]
    if not 5 <= len(nums) <= 9 or not all(t.isdigit() for t in nums):
        raise CircuitFormatError(f"{_HEADER_HELP}: 5 to 9 unsigned numbers, got {data[:min(end, 60)]!r}", label, 1)
    vals = [int(t) for t in nums]
    if max(vals) > MAX_INT:
        raise CircuitFormatError(f"a header number is too large (at most {MAX_INT})", label, 1)
    M, I, L, O, A = vals[:5]
    extra = dict(zip("BCJF", vals[5:]))
    if any(extra.values()):
        got = ", ".join(f"{k}={v}" for k, v in extra.items() if v)
        raise CircuitFormatError(
            f"AIGER 1.9 properties ({got}: bad states B, constraints C, justice J, fairness F) are not "
            "supported; only inputs, latches, outputs and ANDs are", label, 1)
    binary = toks[0] == b"aig"
    pos = min(end + 1, len(data))
    rest = len(data) - pos
    if binary:
        if M != I + L + A:
            raise CircuitFormatError(f"binary AIGER needs M = I + L + A, got M={M}, I+L+A={I + L + A}", label, 1)
        if L + O > rest or 2 * (L + O) + 2 * A > rest + 1:
            raise CircuitFormatError(
                f"the header declares {L} latches, {O} outputs and {A} ANDs, which need at least "
                f"{2 * (L + O) + 2 * A} bytes, but the file has {rest} bytes after the header", label, 1)
        if I > len(data) + _SPARE_INPUTS:
            raise CircuitFormatError(
                f"the header declares {I} inputs in a file of {len(data)} bytes; taken as corrupt "
                f"(at most file size + {_SPARE_INPUTS} inputs are accepted)", label, 1)
    else:
        if I + L + A > M:
            raise CircuitFormatError(f"M={M} is less than I + L + A = {I + L + A} (M is the largest variable)", label, 1)
        need = 2 * I + 4 * L + 2 * O + 6 * A - 1  # shortest lines: "2\n", "2 0\n", "2 0 0\n"
        if need > rest:
            raise CircuitFormatError(
                f"the header declares {I} inputs, {L} latches, {O} outputs and {A} ANDs, which need at least "
                f"{need} bytes, but the file has only {rest} bytes after the header", label, 1)
    return binary, M, I, L, O, A, pos


def _lines(buf: np.ndarray, pos: int, n: int, lo: int, hi: int, label: str, line0: int, what: str) -> tuple[np.ndarray, int]:
    vals, _, pos_after, err, k, _ = parse_number_lines(buf, pos, n, lo, hi)
    if err:
        raise CircuitFormatError(f"expected {what}: found {PARSE_ERRORS[int(err)]}", label, line0 + int(k))
    return vals, int(pos_after)


def _check_range(lits: np.ndarray, M: int, label: str, line0: int, what: str) -> None:
    bad = np.flatnonzero(lits > 2 * M + 1)
    if len(bad):
        k = int(bad[0])
        raise CircuitFormatError(f"{what} {int(lits[k])} is larger than 2*M+1 = {2 * M + 1}", label, line0 + k)


def _binary_map(I: int, L: int) -> Any:
    """Literal map of a binary file: inputs 1..I -> nodes L+1..L+I, latches -> nodes 1..L."""
    def node(lits: np.ndarray, line0: int = 0, what: str = "") -> np.ndarray:
        if L == 0:
            return np.asarray(lits, np.int64)
        v = np.asarray(lits, np.int64) >> 1
        v = np.where(v == 0, 0, np.where(v <= I, v + L, np.where(v <= I + L, v - I, v)))
        return 2 * v + (np.asarray(lits, np.int64) & 1)

    return node


def _arrays(I: int, L: int, A: int) -> tuple[np.ndarray, np.ndarray]:
    n = 1 + L + I + A
    kind = np.full(n, int(GateKind.AND), np.uint8)
    kind[0] = GateKind.CONST
    kind[1 : 1 + L + I] = GateKind.INPUT
    ptr = np.zeros(n + 1, np.int64)
    ptr[L + I + 1 :] = 2 * np.arange(A + 1, dtype=np.int64)
    return kind, ptr


def _ascii_structure(in_lit, latch_lit, next_lit, out_lit, and_tab, M, label):
    I, L, A = len(in_lit), len(latch_lit), len(and_tab)
    line_in, line_latch = 2, 2 + I
    line_out, line_and = 2 + I + L, 2 + I + L + len(out_lit)
    lhs, rhs = and_tab[:, 0], and_tab[:, 1:].reshape(-1)
    for lits, line0, what in ((in_lit, line_in, "input"), (latch_lit, line_latch, "latch"), (lhs, line_and, "AND")):
        bad = np.flatnonzero((lits & 1) | (lits < 2) | (lits > 2 * M))
        if len(bad):
            k = int(bad[0])
            raise CircuitFormatError(
                f"{what} literal {int(lits[k])} must be even, at least 2 and at most 2*M = {2 * M}", label, line0 + k)
    _check_range(next_lit, M, label, line_latch, "latch next-state literal")
    _check_range(out_lit, M, label, line_out, "output literal")
    if A:
        bad = np.flatnonzero(rhs > 2 * M + 1)
        if len(bad):
            k = int(bad[0]) // 2
            raise CircuitFormatError(f"AND fan-in literal {int(rhs[bad[0]])} is larger than 2*M+1 = {2 * M + 1}", label, line_and + k)
    # Defined variables, in the order latches, inputs, ANDs; their lines for messages.
    dvar = np.concatenate([latch_lit, in_lit, lhs]) >> 1
    dline = np.concatenate([line_latch + np.arange(L), line_in + np.arange(I), line_and + np.arange(A)])
    srt = np.argsort(dvar, kind="stable")
    svar = dvar[srt]
    dup = np.flatnonzero(svar[1:] == svar[:-1])
    if len(dup):
        a, b = sorted((int(dline[srt[dup[0]]]), int(dline[srt[dup[0] + 1]])))
        raise CircuitFormatError(f"variable {int(svar[dup[0]])} is defined twice (lines {a} and {b})", label, b)

    def find(lits: np.ndarray, line_of: Any, what: str) -> np.ndarray:
        v = lits >> 1
        idx = np.minimum(np.searchsorted(svar, v), max(len(svar) - 1, 0))
        ok = (v == 0) | ((svar[idx] == v) if len(svar) else np.zeros(len(v), bool))
        if not np.all(ok):
            k = int(np.flatnonzero(~ok)[0])
            raise CircuitFormatError(f"{what} literal {int(lits[k])} refers to variable {int(v[k])}, which is not "
                                     "defined as an input, latch or AND", label, line_of(k))
        if not len(srt):  # nothing defined (no inputs, latches or ANDs): only the constant is valid
            return np.full(len(v), -1, np.int64)
        return np.where(v == 0, -1, srt[idx])  # index into dvar, -1 for the constant

    fin = find(rhs, lambda k: line_and + k // 2, "AND fan-in")
    # Topological order of the ANDs (dependencies on other ANDs only).
    dep = np.where(fin >= L + I, fin - (L + I), -1)
    order, cyc = toposort(2 * np.arange(A + 1, dtype=np.int64), dep)
    if cyc >= 0:
        raise CircuitFormatError(f"AND {int(lhs[cyc])} is on a combinational cycle (it depends on itself)",
                                 label, line_and + int(cyc))
    node_of = np.zeros(L + I + A + 1, np.int64)  # the extra last entry serves index -1 (the constant)
    node_of[: L + I] = 1 + np.arange(L + I)
    node_of[L + I + order] = 1 + L + I + np.arange(A)

    def node(lits: np.ndarray, index: np.ndarray | None = None, line_of: Any = None, what: str = "") -> np.ndarray:
        if index is None:
            index = find(lits, line_of, what)
        return 2 * node_of[index] + (lits & 1)

    fan = node(rhs, fin).reshape(A, 2)[order].reshape(-1)
    kind, ptr = _arrays(I, L, A)

    def node_lits(lits: np.ndarray, line0: int, what: str) -> np.ndarray:
        return node(lits, None, lambda k: line0 + k, what)

    return node_lits, kind, ptr, fan


def _resets(reset: np.ndarray, latch_lit: np.ndarray, uninitialized: str, label: str, line0: int) -> list[int]:
    init = []
    for k, (r, l) in enumerate(zip(reset.tolist(), latch_lit.tolist())):
        if r in (-1, 0, 1):
            init.append(max(r, 0))
        elif r == l:
            if uninitialized == "error":
                raise CircuitFormatError(
                    f"latch {k} (literal {l}) is uninitialised (reset = its own literal); not supported "
                    "(read with uninitialized='zero' to start it at 0)", label, line0 + k)
            init.append(0)
        else:
            raise CircuitFormatError(f"latch {k} has reset value {r}; expected 0, 1 or its own literal {l}",
                                     label, line0 + k)
    return init


def _symbols(data: bytes, pos: int, I: int, L: int, O: int, label: str, line: int | None):
    """Symbol table and comment section; ``line`` is None for binary files (offsets are reported)."""
    names: dict[bytes, list[str | None]] = {b"i": [None] * I, b"l": [None] * L, b"o": [None] * O}
    what = {b"i": "input", b"l": "latch", b"o": "output", b"b": "bad-state property", b"c": "constraint",
            b"j": "justice property", b"f": "fairness property"}
    while pos < len(data):
        end = data.find(b"\n", pos)
        end = len(data) if end < 0 else end
        raw = data[pos:end]
        if raw.endswith(b"\r"):
            raw = raw[:-1]
        where = (f"symbol table at byte offset {pos}: " if line is None else "")
        if raw[:1] == b"c" and not raw[1:2].isdigit():  # the comment section: anything may follow
            comment = data[end + 1 :].decode("utf-8", errors="replace")
            return names[b"i"], names[b"l"], names[b"o"], comment
        if raw.strip():
            m = _SYMBOL.fullmatch(raw)
            if not m:
                raise CircuitFormatError(
                    f"{where}expected a symbol 'i<k> name', 'l<k> name', 'o<k> name' or the comment line 'c', "
                    f"got {raw[:40]!r}", label, line)
            kind, digits, name = m.group(1), m.group(2), m.group(3)
            table = names.get(kind, [])
            # the length test first: int() of a number of thousands of digits is refused by Python
            idx = int(digits) if len(digits) <= 19 else len(table)
            if idx >= len(table):
                shown = digits.decode() if len(digits) <= 19 else f"{digits[:12].decode()}... ({len(digits)} digits)"
                raise CircuitFormatError(
                    f"{where}symbol for {what[kind]} {shown}, but the file has {len(table)} {what[kind]}(s)", label, line)
            if table[idx] is not None:
                raise CircuitFormatError(f"{where}{what[kind]} {idx} is named twice", label, line)
            try:
                text = name.decode("utf-8")
            except UnicodeDecodeError:
                raise CircuitFormatError(f"{where}the name of {what[kind]} {idx} is not valid UTF-8", label, line) from None
            if not text:
                raise CircuitFormatError(f"{where}{what[kind]} {idx} has an empty name", label, line)
            table[idx] = text
        pos = end + 1
        if line is not None:
            line += 1
    return names[b"i"], names[b"l"], names[b"o"], None
