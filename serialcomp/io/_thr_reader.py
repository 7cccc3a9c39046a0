"""The parser of the ``.thr`` format (the grammar is in :mod:`serialcomp.io.thr`).

A regular-expression lexer per line, with a fast path for the common ``ref = KIND(args)`` line;
names resolve after the whole file is read, then a Numba topological sort orders the nodes.
"""

from __future__ import annotations

import json
import re
from typing import Any

import numpy as np

from ..errors import CircuitFormatError
from ..ir.circuit import Circuit
from ..ir.gates import MAX_THR_FANIN, GateKind, gate_spec
from ._common import decode_line, make_looped, structure_as_format
from ._kernels import toposort

__all__ = ["ThrReader", "THR_VERSION", "MAGIC", "KEYWORDS", "BARE_RE"]

THR_VERSION = 1
MAGIC = "serialcomp-thr"
KEYWORDS = ("input", "output", "state", "next", "looped")
BARE_RE = r"[A-Za-z_][A-Za-z0-9_.\[\]:/@<>!?'$+\-]*"
_TOKEN = re.compile(
    r"""\s*(?:(?P<str>"(?:[^"\\]|\\.)*")|(?P<label>\$[0-9]+)|(?P<int>-?[0-9]+)"""
    r"""|(?P<name>""" + BARE_RE + r""")|(?P<punct>[=(),~*])|(?P<comment>\#.*)|(?P<bad>\S))"""
)
_HEAD = re.compile(r"([A-Za-z]+)(?:\[(-?[0-9]+)\])?")
_FAST_NODE = re.compile(r"\s*(\$[0-9]+|" + BARE_RE + r")\s*=\s*([A-Za-z]+(?:\[-?[0-9]+\])?)\s*\(([^\"#()]*)\)\s*(?:#.*)?")
_FAST_ARG = re.compile(r"\s*(?:(-?[0-9]+)\s*\*\s*)?(~?)\s*(\$[0-9]+|" + BARE_RE + r"|[01])\s*")
_KINDS = {"AND": GateKind.AND, "OR": GateKind.OR, "XOR": GateKind.XOR, "MAJ": GateKind.MAJ,
          "BUF": GateKind.BUF, "THR": GateKind.THR, "MOD": GateKind.MOD}
_SPECS = {k: gate_spec(k) for k in _KINDS.values()}
#: Digits any number of the format may have: weights, thresholds and moduli are below 2**50 (16
#: digits), so a longer number is out of range; checking the length first keeps Python's int <- str
#: conversion (refused past 4300 digits) from ever seeing it.
_MAX_DIGITS = 20


class ThrReader:
    def __init__(self, data: bytes, label: str) -> None:
        self.label = label
        self.inputs: list[tuple[str, int]] = []
        self.states: list[tuple[str, int, int]] = []
        self.nodes: list[tuple[str | None, str | None, GateKind, int, list, int]] = []
        self.outputs: list[tuple[str, Any, int]] = []
        self.nexts: list[tuple[str, Any, int]] = []
        self.mode: str | None = None
        self.signals: dict[str, tuple[str, int, int, bool]] = {}  # name -> (what, index, line, labelled)
        self.labels: dict[str, tuple[int, int]] = {}
        seen_header = False
        for lineno, raw in enumerate(data.split(b"\n"), 1):
            text = decode_line(raw, label, lineno)
            if seen_header and self.fast_node(text, lineno):
                continue
            toks = self.lex(text, lineno)
            if not toks:
                continue
            if not seen_header:
                if len(toks) != 2 or toks[0] != ("name", MAGIC) or toks[1][0] != "int":
                    raise CircuitFormatError(f"expected the header '{MAGIC} {THR_VERSION}'", label, lineno)
                version = toks[1][1]
                if len(version) > _MAX_DIGITS or int(version) != THR_VERSION:
                    shown = version if len(version) <= _MAX_DIGITS else f"{version[:12]}... ({len(version)} digits)"
                    raise CircuitFormatError(
                        f"format version {shown} is not supported (this reader knows version {THR_VERSION})",
                        label, lineno)
                seen_header = True
                continue
            self.statement(toks, lineno)
        if not seen_header:
            raise CircuitFormatError(f"the file is empty; expected the header '{MAGIC} {THR_VERSION}'", label, 1)

    def err(self, msg: str, line: int) -> CircuitFormatError:
        return CircuitFormatError(msg, self.label, line)

    def number(self, text: str, what: str, line: int, limit: str = "2**50") -> int:
        """``int(text)`` for a decimal the lexer matched; a number of more digits than any valid one is an error."""
        if len(text.lstrip("-")) > _MAX_DIGITS:
            raise self.err(f"{what} has {len(text.lstrip('-'))} digits; it must be below {limit} in magnitude", line)
        return int(text)

    def lex(self, text: str, line: int) -> list[tuple[str, str]]:
        toks, pos = [], 0
        while pos < len(text):
            m = _TOKEN.match(text, pos)
            if m is None:  # only trailing whitespace is left
                break
            pos = m.end()
            kind = m.lastgroup
            if kind == "comment":
                break
            if kind == "bad":
                raise self.err(f"unexpected character {m.group(kind)!r} at column {m.start(kind) + 1}", line)
            if kind == "str":
                try:
                    toks.append(("name", json.loads(m.group(kind))))
                except ValueError:
                    raise self.err(f"bad quoted name {m.group(kind)[:40]}", line) from None
                continue
            toks.append((kind, m.group(kind)))
        return toks

    def define(self, name: str, what: str, index: int, line: int, labelled: bool = False) -> None:
        """Names of unlabelled definitions must be unique; a labelled node's name refers to it only
        when no unlabelled definition has that name and no other labelled node shares it."""
        old = self.signals.get(name)
        if old is None:
            self.signals[name] = (what, index, line, labelled)
        elif not labelled and not old[3]:
            raise self.err(f"{name!r} is defined twice (first on line {old[2]})", line)
        elif not labelled:
            self.signals[name] = (what, index, line, False)
        elif old[3]:
            self.signals[name] = ("ambiguous", -1, old[2], True)

    def statement(self, toks: list, line: int) -> None:
        head = toks[0]
        if head[0] == "name" and head[1] in KEYWORDS and (len(toks) < 2 or toks[1] != ("punct", "=")):
            kw = head[1]
            if kw == "looped":
                if len(toks) != 2 or toks[1][1] not in ("stream", "loop"):
                    raise self.err("expected 'looped stream' or 'looped loop'", line)
                if self.mode is not None:
                    raise self.err("'looped' is given twice", line)
                self.mode = toks[1][1]
                return
            if len(toks) < 2 or toks[1][0] != "name":
                raise self.err(f"expected a name after '{kw}'", line)
            name = toks[1][1]
            if kw == "input":
                if len(toks) != 2:
                    raise self.err("expected 'input NAME'", line)
                self.define(name, "input", len(self.inputs), line)
                self.inputs.append((name, line))
                return
            if len(toks) < 4 or toks[2] != ("punct", "="):
                raise self.err(f"expected '{kw} NAME = ...'", line)
            if kw == "state":
                if len(toks) != 4 or toks[3] not in (("int", "0"), ("int", "1")):
                    raise self.err("expected 'state NAME = 0' or 'state NAME = 1'", line)
                self.define(name, "state", len(self.states), line)
                self.states.append((name, int(toks[3][1]), line))
                return
            lit, rest = self.literal(toks, 3, line)
            if rest != len(toks):
                raise self.err(f"unexpected text after the literal of '{kw}'", line)
            (self.nexts if kw == "next" else self.outputs).append((name, lit, line))
            return
        self.node(toks, line)

    def literal(self, toks: list, i: int, line: int) -> tuple[tuple[bool, tuple[str, str]], int]:
        neg = False
        if i < len(toks) and toks[i] == ("punct", "~"):
            neg, i = True, i + 1
        if i >= len(toks) or toks[i][0] not in ("name", "label", "int") or (toks[i][0] == "int" and toks[i][1] not in ("0", "1")):
            raise self.err("expected a literal: a name, a label $k, 0 or 1, optionally negated with ~", line)
        return (neg, toks[i]), i + 1

    def node(self, toks: list, line: int) -> None:
        i, lab, name = 0, None, None
        if toks[i][0] == "label":
            lab, i = toks[i][1], i + 1
        if i < len(toks) and toks[i][0] == "name":
            name, i = toks[i][1], i + 1
        if (lab is None and name is None) or i + 2 >= len(toks) or toks[i] != ("punct", "=") or toks[i + 1][0] != "name":
            raise self.err("expected 'NAME = KIND(args)', 'input NAME', 'output NAME = LIT' or a comment", line)
        head = toks[i + 1][1]
        i += 2
        if i >= len(toks) or toks[i] != ("punct", "("):
            raise self.err(f"expected '(' after {head}", line)
        i += 1
        args: list[tuple[int | None, tuple[bool, tuple[str, str]]]] = []
        while i < len(toks) and toks[i] != ("punct", ")"):
            if args:
                if toks[i] != ("punct", ","):
                    raise self.err("expected ',' or ')' between arguments", line)
                i += 1
            w = None
            if i + 1 < len(toks) and toks[i][0] == "int" and toks[i + 1] == ("punct", "*"):
                w, i = self.number(toks[i][1], "a weight", line, "2**40"), i + 2
            lit, i = self.literal(toks, i, line)
            args.append((w, lit))
        if i != len(toks) - 1:
            raise self.err("expected ')' at the end of the line", line)
        self.add_node(lab, name, head, args, line)

    def fast_node(self, text: str, line: int) -> bool:
        """The common shape ``ref = KIND(args)`` without quotes, parsed without the lexer."""
        m = _FAST_NODE.fullmatch(text)
        if m is None:
            return False
        args: list[tuple[int | None, tuple[bool, tuple[str, str]]]] = []
        if m.group(2)[:3].upper() == "THR" and m.group(3).count(",") >= MAX_THR_FANIN:
            # refused before a million arguments are parsed
            raise self.err(_SPECS[GateKind.THR].check_arity(m.group(3).count(",") + 1) or "", line)
        if m.group(3).strip():
            for piece in m.group(3).split(","):
                a = _FAST_ARG.fullmatch(piece)
                if a is None:
                    return False
                w, ref = a.group(1), a.group(3)
                kind = "label" if ref[0] == "$" else "int" if ref in ("0", "1") else "name"
                args.append((None if w is None else self.number(w, "a weight", line, "2**40"), (bool(a.group(2)), (kind, ref))))
        lhs = m.group(1)
        lab, name = (lhs, None) if lhs[0] == "$" else (None, lhs)
        self.add_node(lab, name, m.group(2), args, line)
        return True

    def add_node(self, lab: str | None, name: str | None, head: str, args: list, line: int) -> None:
        m = _HEAD.fullmatch(head)
        kind = _KINDS.get(m.group(1).upper()) if m else None
        if kind is None:
            raise self.err(f"unknown gate kind {head!r}; expected AND, OR, XOR, MAJ, BUF, THR[t] or MOD[m]", line)
        has_param = kind in (GateKind.THR, GateKind.MOD)
        if has_param != (m.group(2) is not None):
            raise self.err(f"{kind.name} " + ("needs a parameter in brackets" if has_param else "takes no parameter"), line)
        param = self.number(m.group(2), f"the {_SPECS[kind].param} of {kind.name}", line) if has_param else 0
        if kind == GateKind.MOD and param < 2:
            raise self.err(f"MOD needs a modulus >= 2, got {param}", line)
        if abs(param) >= 1 << 50:
            raise self.err("a threshold must be below 2**50 in magnitude", line)
        for w, _ in args:
            if w is not None:
                if kind != GateKind.THR:
                    raise self.err(f"only THR arguments take weights, this is {kind.name}", line)
                if abs(w) >= 1 << 40:
                    raise self.err("a weight must be below 2**40 in magnitude", line)
        msg = _SPECS[kind].check_arity(len(args))
        if msg:
            raise self.err(msg, line)
        j = len(self.nodes)
        if lab is not None:
            if lab in self.labels:
                raise self.err(f"label {lab} is defined twice (first on line {self.labels[lab][1]})", line)
            self.labels[lab] = (j, line)
        if name is not None:
            self.define(name, "node", j, line, labelled=lab is not None)
        self.nodes.append((lab, name, kind, param, [(1 if w is None else w, lit) for w, lit in args], line))

    def resolve(self, lit: tuple[bool, tuple[str, str]], line: int) -> tuple[bool, str, int]:
        neg, (kind, text) = lit
        if kind == "int":
            return neg, "const", int(text)
        if kind == "label":
            hit = self.labels.get(text)
            if hit is None:
                raise self.err(f"label {text} is used but never defined", line)
            return neg, "node", hit[0]
        sig = self.signals.get(text)
        if sig is None:
            raise self.err(f"{text!r} is used but never defined", line)
        if sig[0] == "ambiguous":
            raise self.err(f"{text!r} names several nodes; refer to it by its label", line)
        return neg, sig[0], sig[1]

    def build(self) -> Any:
        S, I, G = len(self.states), len(self.inputs), len(self.nodes)
        last = max([ln for *_, ln in self.states + self.nexts] or [1])
        if self.mode is None and (S or self.nexts):
            raise self.err("'state' and 'next' need a 'looped stream' or 'looped loop' line", last)
        if len(self.nexts) != S:
            raise self.err(f"{S} state bit(s) but {len(self.nexts)} 'next' line(s); they must match", last)
        refs = [[(w, self.resolve(l, node[5])) for w, l in node[4]] for node in self.nodes]
        ptr = np.zeros(G + 1, np.int64)
        np.cumsum([len(r) for r in refs], out=ptr[1:])
        dep = np.array([i if what == "node" else -1 for r in refs for _, (_, what, i) in r], np.int64)
        order, cyc = toposort(ptr, dep)
        if cyc >= 0:
            raise self.err("this node is on a cycle (it depends on itself)", self.nodes[int(cyc)][5])
        rank = np.empty(G, np.int64)
        rank[order] = np.arange(G)
        base = 1 + S + I

        def lit(neg: bool, what: str, i: int) -> int:
            if what == "const":
                return i ^ int(neg)
            node = 1 + i if what == "state" else 1 + S + i if what == "input" else base + int(rank[i])
            return 2 * node + int(neg)

        kind = np.empty(base + G, np.uint8)
        kind[0], kind[1:base] = GateKind.CONST, GateKind.INPUT
        param = np.zeros(base + G, np.int64)
        counts = np.zeros(base + G + 1, np.int64)
        fan: list[int] = []
        wts: list[int] = []
        names: dict[int, str] = {}
        for r, j in enumerate(order.tolist()):
            _, name, k, p, _, _ = self.nodes[j]
            kind[base + r], param[base + r], counts[base + r + 1] = k, p, len(refs[j])
            fan.extend(lit(*x) for _, x in refs[j])
            wts.extend(w for w, _ in refs[j])
            if name is not None:
                names[base + r] = name
        outs = [lit(*self.resolve(l, ln)) for _, l, ln in self.nexts + self.outputs]
        with structure_as_format(self.label):
            step = Circuit(
                kind, np.cumsum(counts), np.array(fan, np.int64), np.array(outs, np.int64),
                weight=np.array(wts, np.int64), param=param,
                input_names=[n for n, _, _ in self.states] + [n for n, _ in self.inputs],
                output_names=[n for n, _, _ in self.nexts + self.outputs], node_names=names,
            )
            if self.mode is None:
                return step
            return make_looped(step, S, [v for _, v, _ in self.states], self.mode)
