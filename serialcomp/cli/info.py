"""The ``serialcomp info`` subcommand: size and depth of circuit files."""

from __future__ import annotations

import argparse
import json
import time
from pathlib import Path
from typing import Any

from ._common import FORMATS, int_at_least, progress

__all__ = ["circuit_info", "register", "run"]


def circuit_info(obj: Any, fanin: int | None = None, count_inverters: bool = False) -> dict[str, Any]:
    """The numbers ``serialcomp info`` prints for a Circuit or LoopedCircuit.

    For a looped circuit (AIGER latches) the step circuit is measured with latch outputs as inputs,
    as ABC's ``&ps`` does: ``inputs`` and ``outputs`` exclude the latches, ``latches`` counts them.

    Example
    -------
    >>> from serialcomp.ir import CircuitBuilder
    >>> b = CircuitBuilder(); x, y = b.inputs(2); b.output(b.and_(x, y))
    >>> circuit_info(b.build())["gates_by_kind"]
    {'AND': 1}
    """
    from ..ir.looped import LoopedCircuit

    if isinstance(obj, LoopedCircuit):
        c, latches = obj.step, obj.n_state
    else:
        c, latches = obj, 0
    sizes = c.size()
    buffers = sizes.pop("BUF", 0)  # NOT/BUF nodes: free under the default convention, not in "gates"
    return {
        "inputs": c.n_inputs - latches,
        "outputs": c.n_outputs - latches,
        "latches": latches,
        "gates": c.n_gates,
        "gates_by_kind": sizes,
        "buffers": buffers,
        "depth": c.depth(fanin=fanin, count_inverters=count_inverters),
        "max_fanin": c.max_fanin,
        "circuit_class": c.gate_set()["circuit_class"],
    }


def run(args: argparse.Namespace) -> int:
    """Run ``serialcomp info``; returns the exit status."""
    from ..io import read_circuit

    rows = []
    for path in progress(args.paths, "reading"):
        t0 = time.perf_counter()
        obj = read_circuit(path)
        row = circuit_info(obj, fanin=args.fanin, count_inverters=args.count_inverters)
        row["seconds"] = round(time.perf_counter() - t0, 4)
        rows.append((path, row))
    if args.json:
        if len(rows) == 1:
            out: Any = {k: v for k, v in rows[0][1].items() if k != "seconds"}
        else:
            out = [{"path": str(p), **{k: v for k, v in r.items() if k != "seconds"}} for p, r in rows]
        print(json.dumps(out, indent=2))
        return 0
    header = f"{'circuit':<24} {'inputs':>7} {'outputs':>7} {'latches':>7} {'gates':>9} {'depth':>7} {'max fanin':>9}  class  kinds"
    print(header)
    print("-" * len(header))
    for path, r in rows:
        kinds = ", ".join(f"{k}={v}" for k, v in r["gates_by_kind"].items())
        print(
            f"{Path(path).name:<24} {r['inputs']:>7} {r['outputs']:>7} {r['latches']:>7} {r['gates']:>9} "
            f"{r['depth']:>7} {r['max_fanin']:>9}  {r['circuit_class']:<5}  {kinds}"
        )
    return 0


def register(subparsers: "argparse._SubParsersAction[argparse.ArgumentParser]") -> None:
    """Add the ``info`` subcommand."""
    q = subparsers.add_parser(
        "info",
        help="inputs, outputs, gates and depth of circuit files",
        description=f"Print size and depth of each circuit file. Formats by extension: {FORMATS}. "
        "Depth counts gate levels on the longest input-to-output path (negations free), as ABC's &ps 'lev'.",
    )
    q.add_argument("paths", nargs="+", metavar="PATH", help="circuit file(s)")
    q.add_argument("--json", action="store_true", help="JSON: an object for one file, a list for several")
    q.add_argument("--fanin", type=int_at_least(2, " (a gate of fan-in f costs ceil(log_K f) levels)"), default=None, metavar="K", help="charge ceil(log_K f) levels per gate of fan-in f")
    q.add_argument("--count-inverters", action="store_true", help="count explicit NOT/BUF gates as levels")
    q.set_defaults(func=run)
