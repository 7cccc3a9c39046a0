"""The ``serialcomp problems`` subcommand: the problem registry, its facts and circuit families."""

from __future__ import annotations

import argparse
import json
import textwrap
from typing import Any

__all__ = ["n_meaning", "param_text", "register", "run"]

_WIDTH = 100


def param_text(params: dict[str, Any]) -> str:
    """``k=default, ...`` (``auto``: derived from n), or ``-``."""
    def show(v: Any) -> str:
        return "auto" if v is None else json.dumps(v) if isinstance(v, (bool, str)) else str(v)

    return ", ".join(f"{k}={show(v)}" for k, v in sorted(params.items())) or "-"


def n_meaning(desc: dict[str, Any]) -> str:
    """What n counts, from ``describe()`` (problems that do not say: a pointer to their docstring)."""
    return str(desc.get("n_meaning") or "") or "problem size (see the problem's docstring)"


def run(args: argparse.Namespace) -> int:
    """Run ``serialcomp problems``; returns the exit status."""
    from ..problems.registry import get_problem, list_patterns, list_problems

    rows = [get_problem(k).describe() for k in list_problems()]
    patterns = list_patterns()
    if args.families or args.json:
        from ..measure.claim import format_depth

        for r in rows:
            r["circuit_families"] = [
                {"name": f.name, "kind": f.kind, "claimed_depth": format_depth(f.claimed_depth),
                 "exact": f.exact, "description": f.description}
                for f in get_problem(r["key"]).families()]
    if args.json:
        print(json.dumps({"problems": rows, "patterns": patterns}, indent=1, sort_keys=True))
        return 0
    if args.families:
        head = ["key", "family", "kind", "claimed depth", "description"]
        table = [[r["key"], f["name"], f["kind"], f["claimed_depth"] + ("" if f["exact"] else " (bound)"), f["description"]]
                 for r in rows for f in r["circuit_families"]]
        widths = [max(len(str(x)) for x in col) for col in zip(head, *table)]
        for line in [head, ["-" * w for w in widths], *table]:
            print("  ".join(str(x).ljust(w) for x, w in zip(line, widths)).rstrip())
        return 0
    head = ["key", "class", "knob", "depth upper", "depth lower", "lower proven", "params (auto: from n)"]
    table = [[r["key"], r["complexity_class"], r["knob"] or "-", r["upper"], r["lower"],
              "yes" if r["proven"] else "conjectured", param_text(r.get("params", {}))] for r in rows]
    widths = [max(len(str(x)) for x in col) for col in zip(head, *table)]
    for line in [head, ["-" * w for w in widths], *table]:
        print("  ".join(str(x).ljust(w) for x, w in zip(line, widths)).rstrip())
    if patterns:
        print("\nparametric keys: " + ", ".join(patterns) + " (e.g. word:Z7)")
    print("\nwhat n counts (serialcomp generate KEY --n N):")
    pad = widths[0] + 4
    for r in rows:
        print(textwrap.fill(n_meaning(r), _WIDTH, initial_indent=f"  {r['key']}".ljust(pad),
                            subsequent_indent=" " * pad))
    return 0



def register(subparsers: "argparse._SubParsersAction[argparse.ArgumentParser]") -> None:
    """Add the ``problems`` subcommand."""
    q = subparsers.add_parser(
        "problems",
        help="list the problem registry: complexity class, hardness knob, depth bounds",
        description="List every registered problem with its complexity class, hardness knob, known "
        "depth bounds in n (orders of growth, unbounded fan-in threshold circuits), its `generate --param` "
        "keys with their defaults (auto: derived from n) and what n means.",
    )
    q.add_argument("--json", action="store_true",
                   help="full descriptions (parameters, references, circuit families) as JSON")
    q.add_argument("--families", action="store_true",
                   help="list each problem's circuit families instead: kind (constant, log, polylog, recurrent, "
                   "bounded), claimed depth in n ('(bound)': an upper bound, else exact) and construction")
    q.set_defaults(func=run)
