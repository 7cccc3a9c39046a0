"""The ``serialcomp`` command: one module per subcommand.

========== ==================================================================
info       size and depth of circuit files (:mod:`.info`)
simulate   evaluate a circuit on patterns (:mod:`.simulate`)
convert    between circuit formats (:mod:`.convert`)
crosscheck Numba vs. both torch modes on the same patterns (:mod:`.crosscheck`)
generate   sample problem instances with exact answers (:mod:`.generate`)
problems   list the problem registry (:mod:`.problems`)
study      the main job: parallel vs. recurrent families on every problem (:mod:`.study`)
zoo        write every circuit family at small n (:mod:`.zoo`)
========== ==================================================================

Each subcommand module has ``register(subparsers)``, which adds its parser and sets ``func``; the
modules import only :mod:`argparse` at load time, so ``serialcomp --help`` and ``serialcomp info``
do not pay for sympy, pandas or the problem registry. :func:`main` is the entry point.
"""

from __future__ import annotations

from ._main import build_parser, main
from .info import circuit_info

__all__ = ["main", "build_parser", "circuit_info"]
