"""Problems with exact answers: generators, reference solvers, encodings and complexity facts.

Every problem is registered under a key ``family:variant`` (``parity``, ``word:S5``,
``reach:flower``, ...). Look one up with :func:`get_problem` and sample it:

>>> from serialcomp.problems import get_problem
>>> inst = get_problem("parity").sample(8, count=3, seed=0)
>>> len(inst), inst.inputs["x"].shape
(3, (3, 8))

Modules: :mod:`.base` (contract), :mod:`.registry`, :mod:`.tc0`, :mod:`.words`, :mod:`.reach`,
:mod:`.cvp`, :mod:`.export` (JSONL / Parquet), :mod:`.dataset` (optional torch Dataset).
"""

from __future__ import annotations

from typing import Any

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .._seed import SeedLike
    from .base import N_SYMBOL, BitStream, Coded, ComplexityFacts, Instances, Problem, Ragged, RecordRNG, as_stream
    from .registry import get_problem, list_patterns, list_problems, register

# The package's names load on first use (PEP 562), so ``serialcomp info`` and ``--help``, which
# import the CLI wiring in problems._cli, do not pay for sympy and the problem modules.
_LAZY = {
    **dict.fromkeys(["N_SYMBOL", "ComplexityFacts", "Instances", "Problem", "Ragged", "Coded", "RecordRNG",
                     "BitStream", "as_stream"], "base"),
    **dict.fromkeys(["get_problem", "list_patterns", "list_problems", "register"], "registry"),
    **dict.fromkeys(["write_jsonl", "write_parquet"], "export"),
}

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
    "write_jsonl",
    "write_parquet",
]


def sample(key: str, n: int, count: int, seed: "SeedLike" = 0, start: int = 0, **params: Any) -> "Instances":
    """``get_problem(key).sample(n, count, seed, start, **params)``.

    Example
    -------
    >>> sample("majority", 5, 2, seed=1).targets["target"].shape
    (2,)
    """
    from .registry import get_problem

    return get_problem(key).sample(n, count, seed, start=start, **params)


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        import importlib

        value = getattr(importlib.import_module(f".{_LAZY[name]}", __name__), name)
        globals()[name] = value
        return value
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))
