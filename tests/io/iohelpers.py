"""Helpers shared by the io tests: paths, outside tools (ABC, Yosys), functional comparison."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import numpy as np
import pytest

from serialcomp.testing.benchmarks import epfl_dir
from serialcomp.testing.patterns import random_patterns
from serialcomp.testing.reference import evaluate_reference

EPFL = epfl_dir() or Path("/nonexistent-epfl")
ABC = shutil.which("berkeley-abc")
YOSYS = shutil.which("yosys")

needs_epfl = pytest.mark.skipif(not (EPFL / "ctrl.aig").exists(), reason="EPFL benchmarks not found")
needs_abc = pytest.mark.skipif(ABC is None, reason="berkeley-abc not installed")
needs_yosys = pytest.mark.skipif(YOSYS is None, reason="yosys not installed")

_ANSI = re.compile(r"\x1b\[[0-9;]*m")
_PS = re.compile(r"i/o =\s*(\d+)/\s*(\d+)(?:\s+ff =\s*(\d+))?\s+and =\s*(\d+)\s+lev =\s*(\d+)")


def abc_stats(paths: list[Path], strash: bool = True) -> list[dict[str, int]]:
    """ABC's ``&r FILE; &ps`` numbers for binary AIGER files, one ABC process for all of them."""
    flag = "" if strash else "-s "
    script = "; ".join(f"&r {flag}{p}; &ps" for p in paths)
    out = subprocess.run([ABC, "-c", script], capture_output=True, text=True, timeout=120)
    rows = [m for m in _PS.finditer(_ANSI.sub("", out.stdout))]
    assert len(rows) == len(paths), out.stdout + out.stderr
    return [
        {"inputs": int(m[1]), "outputs": int(m[2]), "latches": int(m[3] or 0), "ands": int(m[4]), "lev": int(m[5])}
        for m in rows
    ]


def our_stats(obj) -> dict[str, int]:
    """The same numbers from serialcomp (a LoopedCircuit is measured on its step circuit)."""
    step, L = (obj.step, obj.n_state) if hasattr(obj, "step") else (obj, 0)
    return {"inputs": step.n_inputs - L, "outputs": step.n_outputs - L, "latches": L,
            "ands": step.n_gates, "lev": step.depth()}


def _evaluate(c, patterns):
    """The naive reference for small circuits, the compiled simulator for large ones."""
    return evaluate_reference(c, patterns) if c.n_nodes < 2000 else c.evaluate(patterns)


def same_function(a, b, batch: int = 128, seed: int = 0) -> bool:
    """Equal outputs on random patterns (by the naive reference evaluator)."""
    if a.n_inputs != b.n_inputs or a.n_outputs != b.n_outputs:
        return False
    p = random_patterns(a.n_inputs, batch, seed)
    return bool(np.array_equal(_evaluate(a, p), _evaluate(b, p)))


def sorted_pairs(c):
    """``c`` with the two fan-ins of every AND in binary-AIGER order (larger literal first)."""
    f = c.fanin.copy().reshape(-1, 2)
    f.sort(axis=1)
    return c._replace(fanin=f[:, ::-1].reshape(-1))


def same_function_by_name(a, b, batch: int = 128, seed: int = 0) -> bool:
    """Equal outputs on random patterns, inputs and outputs matched by name (tools reorder ports)."""
    if sorted(a.input_names) != sorted(b.input_names) or sorted(a.output_names) != sorted(b.output_names):
        return False
    p = random_patterns(a.n_inputs, batch, seed)
    col = {n: k for k, n in enumerate(a.input_names)}
    q = p[:, [col[n] for n in b.input_names]]
    ya, yb = _evaluate(a, p), _evaluate(b, q)
    out = {n: k for k, n in enumerate(b.output_names)}
    return bool(np.array_equal(ya, yb[:, [out[n] for n in a.output_names]]))


def strash_and_prune(c):
    """A structurally hashed AIG of ``c`` without dangling nodes: what ABC's ``&r`` keeps of a file."""
    from serialcomp.ir import Circuit
    from serialcomp.ir.aig import AigBuilder

    b = AigBuilder(c.n_inputs)
    m = list(range(0, 2 * (c.n_inputs + 1), 2))
    for v in range(c.n_inputs + 1, c.n_nodes):
        x, y = (int(m[l >> 1]) ^ int(l & 1) for l in c.fanins(v))
        m.append(b.and2(x, y))
    a = b.build([m[o >> 1] ^ (o & 1) for o in c.outputs.tolist()], c.input_names, c.output_names)
    keep = np.zeros(a.n_nodes, bool)
    keep[: a.n_inputs + 1] = True
    keep[a.outputs >> 1] = True
    for v in range(a.n_nodes - 1, a.n_inputs, -1):
        if keep[v]:
            keep[a.fanins(v) >> 1] = True
    idx = np.flatnonzero(keep)
    new = np.cumsum(keep) - 1
    fan = np.concatenate([a.fanins(v) for v in idx] + [np.zeros(0, np.int64)])
    ptr = np.concatenate([[0], np.cumsum(np.diff(a.fanin_ptr)[idx])])
    return Circuit(a.kind[idx], ptr, 2 * new[fan >> 1] + (fan & 1), 2 * new[a.outputs >> 1] + (a.outputs & 1),
                   input_names=a.input_names, output_names=a.output_names)
