"""The ``serialcomp convert`` subcommand: convert a circuit between formats."""

from __future__ import annotations

import argparse
from pathlib import Path

from ._common import FORMATS

__all__ = ["register", "run"]


def run(args: argparse.Namespace) -> int:
    """Run ``serialcomp convert``; returns the exit status."""
    from ..io import read_aiger, read_circuit, write_circuit

    aiger = (".aag", ".aig")
    if Path(args.src).suffix.lower() in aiger and Path(args.dst).suffix.lower() in aiger:
        obj, comment = read_aiger(args.src, with_comment=True)  # AIGER to AIGER keeps the comments
        write_circuit(obj, args.dst, **({} if comment is None else {"comment": comment}))
    else:
        write_circuit(read_circuit(args.src), args.dst)
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
