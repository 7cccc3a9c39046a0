"""Problems with exact answers: generators, reference solvers, encodings and complexity facts.

Every problem is registered under a key ``family:variant`` (``parity``, ``word:S5``,
``reach:flower``, ...). Look one up with :func:`get_problem` and sample it:

>>> from serialcomp.problems import get_problem
>>> inst = get_problem("parity").sample(8, count=3, seed=0)
>>> len(inst), inst.inputs["x"].shape
(3, (3, 8))

The contract: :mod:`.problem` (:class:`Problem`), :mod:`.instances` (:class:`Instances`),
:mod:`.facts`, :mod:`.columns` (:class:`Coded`, :class:`Ragged`), :mod:`.rng` (counter-based
randomness), :mod:`.bits` (numbers as bit rows), :mod:`.registry`. The problems, one module or
subpackage each: :mod:`.counting` (parity, majority), :mod:`.arithmetic` (add, iadd),
:mod:`.words`, :mod:`.reach`, :mod:`.cvp`, :mod:`.ca`, :mod:`.sudoku`, :mod:`.timelock`. Export:
:mod:`.export` (JSON Lines, Parquet); :mod:`.dataset` (optional torch Dataset).

The problem modules are imported by the registry on the first lookup, not here.
"""

from __future__ import annotations

from typing import Any

from .._seed import SeedLike
from .columns import Coded, Ragged
from .export import format_for_path, write_jsonl, write_parquet
from .facts import N_SYMBOL, ComplexityFacts
from .instances import Instances
from .problem import Problem
from .registry import get_problem, list_patterns, list_problems, register
from .rng import BitStream, RecordRNG, as_stream

__all__ = [
    "N_SYMBOL",
    "ComplexityFacts",
    "Instances",
    "Problem",
    "Ragged",
    "Coded",
    "RecordRNG",
    "BitStream",
    "as_stream",
    "get_problem",
    "list_patterns",
    "list_problems",
    "register",
    "sample",
    "format_for_path",
    "write_jsonl",
    "write_parquet",
]


def sample(key: str, n: int, count: int, seed: SeedLike = 0, start: int = 0, **params: Any) -> Instances:
    """``get_problem(key).sample(n, count, seed, start, **params)``.

    Example
    -------
    >>> sample("majority", 5, 2, seed=1).targets["target"].shape
    (2,)
    """
    return get_problem(key).sample(n, count, seed, start=start, **params)
