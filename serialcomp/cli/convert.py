"""The ``serialcomp convert`` subcommand: convert a circuit between formats."""

from __future__ import annotations

import argparse
from pathlib import Path

from ._common import FORMATS, writing

__all__ = ["register", "run"]


def run(args: argparse.Namespace) -> int:
    """Run ``serialcomp convert``; returns the exit status."""
    from .._atomic import check_outputs, check_target
    from ..io import read_aiger, read_circuit, write_circuit

    check_outputs({"OUT": args.dst}, {"IN": args.src})
    check_target(args.dst, "OUT")

    aiger = (".aag", ".aig")
    if Path(args.src).suffix.lower() in aiger and Path(args.dst).suffix.lower() in aiger:
        obj, comment = read_aiger(args.src, with_comment=True)  # AIGER to AIGER keeps the comments
        with writing(args.dst, "OUT"):
            write_circuit(obj, args.dst, **({} if comment is None else {"comment": comment}))
    else:
        obj = read_circuit(args.src)
        with writing(args.dst, "OUT"):
            write_circuit(obj, args.dst)
    return 0


def register(subparsers: "argparse._SubParsersAction[argparse.ArgumentParser]") -> None:
    """Add the ``convert`` subcommand."""
    q = subparsers.add_parser(
        "convert",
        help="convert between circuit formats",
        description=f"Convert a circuit; formats by extension. Read: {FORMATS}. Write: those and .v (structural "
        "Verilog). Writing AIGER or BENCH lowers threshold and counting gates to AND/inverter logic.",
    )
    q.add_argument("src", metavar="IN")
    q.add_argument("dst", metavar="OUT")
    q.set_defaults(func=run)
