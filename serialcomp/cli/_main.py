"""The parser of the ``serialcomp`` command and its entry point (exit statuses, errors, signals)."""

from __future__ import annotations

import argparse
import sys
from typing import NoReturn, Sequence

from .. import __version__
from .._atomic import interrupts_raised
from ..errors import SerialcompError
from . import chains, claims, convert, crosscheck, generate, info, loops, problems, simulate, study, zoo

__all__ = ["build_parser", "main"]

_SUBCOMMANDS = (info, simulate, convert, crosscheck, generate, problems, study, zoo, chains, loops, claims)


class _Parser(argparse.ArgumentParser):
    """An argument parser whose usage errors are one line, like every other error of the command."""

    def error(self, message: str) -> "NoReturn":  # type: ignore[override]
        self.exit(2, f"{self.prog}: error: {message} (see {self.prog} --help)\n")


def build_parser() -> argparse.ArgumentParser:
    """The argument parser of the ``serialcomp`` command.

    Example
    -------
    >>> build_parser().parse_args(["info", "x.aig", "--json"]).json
    True
    """
    p = _Parser(
        prog="serialcomp",
        description="Measure serial depth: circuit size/depth, exact bit-parallel simulation, serial-hard datasets.",
    )
    p.add_argument("--version", action="version", version=f"serialcomp {__version__}")
    sub = p.add_subparsers(dest="command", metavar="COMMAND")
    for module in _SUBCOMMANDS:
        module.register(sub)
    return p


INTERRUPTED = 130
"""Exit status after Ctrl-C or SIGTERM (128 + SIGINT, the shell's convention)."""


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point; returns the exit status.

    0: done; 1: bad input (one line on stderr, ``serialcomp COMMAND: error: ...``); 2: usage;
    130: interrupted by Ctrl-C or SIGTERM (one line, ``serialcomp: interrupted``). Every output is
    written to a temporary name and renamed when complete, so an error or an interrupt leaves no
    partial file and every existing file as it was.
    """
    try:
        with interrupts_raised():  # SIGTERM unwinds like Ctrl-C, and neither is lost
            parser = build_parser()
            args = parser.parse_args(argv)
            if not getattr(args, "func", None):
                parser.print_help()
                return 2
            return _run(args)
    except KeyboardInterrupt:
        print("serialcomp: interrupted", file=sys.stderr)
        return INTERRUPTED


def _run(args: argparse.Namespace) -> int:
    try:
        return int(args.func(args) or 0)
    except SerialcompError as exc:
        print(f"serialcomp {args.command}: error: {exc}", file=sys.stderr)
        return 1
    except FileNotFoundError as exc:
        what = exc.filename if exc.filename is not None else (exc.strerror or exc)
        print(f"serialcomp {args.command}: error: no such file or folder: {what}", file=sys.stderr)
        return 1
    except MemoryError:
        print(f"serialcomp {args.command}: error: out of memory (use smaller sizes or counts)", file=sys.stderr)
        return 1
    except BrokenPipeError:  # pragma: no cover - e.g. piped into head
        return 0
    except OSError as exc:  # a folder where a file is expected, no permission, disk full, ...
        where = f": {exc.filename}" if exc.filename else ""
        print(f"serialcomp {args.command}: error: {exc.strerror or exc}{where}", file=sys.stderr)
        return 1
