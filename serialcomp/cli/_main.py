"""The parser of the ``serialcomp`` command and its entry point (exit statuses, errors, signals)."""

from __future__ import annotations

import argparse
import sys
from typing import Sequence

from .. import __version__
from ..errors import SerialcompError
from . import convert, generate, info, problems, simulate, study, zoo

__all__ = ["build_parser", "main"]

_SUBCOMMANDS = (info, simulate, convert, generate, problems, study, zoo)


def build_parser() -> argparse.ArgumentParser:
    """The argument parser of the ``serialcomp`` command.

    Example
    -------
    >>> build_parser().parse_args(["info", "x.aig", "--json"]).json
    True
    """
    p = argparse.ArgumentParser(
        prog="serialcomp",
        description="Measure serial depth: circuit size/depth, exact bit-parallel simulation, serial-hard datasets.",
    )
    p.add_argument("--version", action="version", version=f"serialcomp {__version__}")
    sub = p.add_subparsers(dest="command", metavar="COMMAND")
    for module in _SUBCOMMANDS:
        module.register(sub)
    return p


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point; returns the exit status (0 ok, 1 bad input, 2 usage)."""
    parser = build_parser()
    args = parser.parse_args(argv)
    if not getattr(args, "func", None):
        parser.print_help()
        return 2
    try:
        return int(args.func(args) or 0)
    except SerialcompError as exc:
        print(f"serialcomp {args.command}: error: {exc}", file=sys.stderr)
        return 1
    except FileNotFoundError as exc:
        print(f"serialcomp {args.command}: error: no such file: {exc.filename}", file=sys.stderr)
        return 1
    except BrokenPipeError:  # pragma: no cover - e.g. piped into head
        return 0
    except OSError as exc:  # a folder where a file is expected, no permission, disk full, ...
        where = f": {exc.filename}" if exc.filename else ""
        print(f"serialcomp {args.command}: error: {exc.strerror or exc}{where}", file=sys.stderr)
        return 1
