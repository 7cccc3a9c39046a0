"""The registered problem ``sudoku`` (n = the smallest propagation rating) and its circuit family."""

from __future__ import annotations

from functools import lru_cache
from typing import Any, Mapping

import numpy as np
import sympy

from ..._validate import check_int
from ...errors import ProblemParameterError
from ...ir.family import N
from ..facts import Bound, ComplexityFacts
from ..instances import Instances
from ..problem import Problem
from ..registry import register
from ..rng import RecordRNG
from .generate import MAX_RATING, _check_band, generate_sudoku
from .solve import NEEDS_SEARCH, solve_sudoku
from .text import format_sudoku

__all__ = ["SudokuProblem", "propagate_family"]


def _one_hot(grids: np.ndarray) -> np.ndarray:
    g = np.asarray(grids, dtype=np.int64)
    return (g[:, :, None] == np.arange(1, 10)).reshape(len(g), 729)


class SudokuProblem(Problem):
    """``sudoku``: solve a 9x9 puzzle that needs at least ``n`` rounds of propagation.

    ``n`` is the smallest rating: every puzzle needs at least ``n`` rounds of simultaneous single
    propagation and at most ``rating_max`` (default ``n``, so by default exactly ``n``).  Inputs
    ``puzzle`` int8 ``(count, 81)``, 0 for blanks; target int8 ``(count, 81)``, the unique
    solution; meta ``rating`` (the puzzle's own rating, in ``[n, rating_max]``) and ``clues``.
    Parameters: ``rating_max`` (>= ``n``, at most :data:`MAX_RATING`; -1 with ``n = 1`` for puzzles
    that propagation cannot finish, rated -1), ``rating_min`` (optional, must equal ``n``, or -1
    with ``rating_max = -1``) and ``max_attempts`` per record.  Bits: one-hot, bit
    ``9 * cell + d - 1`` set when the cell holds ``d`` (729; the target likewise).  Tokens: one per
    cell, ``"."`` then ``"1".."9"``.

    Notes
    -----
    A rating-r puzzle is solved by r rounds of propagation, each of constant depth with threshold
    gates, so depth O(r) (O(n) by default).  Generation costs ~0.3 ms per attempt for ratings up to
    10, more near :data:`MAX_RATING` (see :func:`generate_sudoku`); records are generated one by one.

    Example
    -------
    >>> from serialcomp.problems.sudoku import rate_sudoku
    >>> inst = SudokuProblem().sample(5, 2, seed=0)
    >>> rec = next(inst.records())
    >>> inst.meta["rating"].tolist(), rate_sudoku(rec["puzzle"]), len(rec["target"])
    ([5, 5], 5, 81)
    >>> band = SudokuProblem().sample(4, 6, seed=0, rating_max=6)   # the band 4..6: n is its low end
    >>> all(4 <= r <= 6 for r in band.meta["rating"].tolist())
    True
    """

    key = key_prefix = "sudoku"
    variant = ""
    description = "9x9 sudoku with a unique solution needing at least n rounds of simultaneous single propagation"
    knob = "rating"
    min_n = 1
    max_n = MAX_RATING
    max_n_reason = "the largest rating the generator reaches; single propagation rarely needs more than ~25 rounds"
    n_meaning = ("smallest propagation rating: every puzzle needs at least n rounds of simultaneous "
                 "naked/hidden-single propagation and at most rating_max (default n, so exactly n); "
                 "n = 1 with rating_max = -1 for puzzles that need search")
    defaults = {"rating_min": None, "rating_max": None, "max_attempts": 1000}
    facts = ComplexityFacts(
        "NP-complete for generalized k^2 x k^2 grids; here 9x9, n = propagation rating",
        N, sympy.Integer(1), True,
        ("Yato, Seta. Complexity and completeness of finding another solution and its application "
         "to puzzles. IEICE Trans. Fundamentals E86-A(5), 2003",
         "Simonis. Sudoku as a constraint problem. CP Workshop on Modeling and Reformulating CSPs, 2005"),
        "Solving sudoku on k^2 x k^2 grids is NP-complete (Yato-Seta), with k the size of the grid, not n. "
        "Here the grid is fixed at 9x9 and n is the rating: the number of rounds of simultaneous "
        "naked/hidden-single propagation the puzzle needs. Each round has constant depth with threshold "
        "gates, so depth O(n) solves rating-n puzzles (the upper bound). The grid size is fixed, so the "
        "only unconditional lower bound is constant; the rating measures the serial depth of "
        "propagation, not of every algorithm.",
        (Bound("upper", "TC0", N, "proven", "sudoku.propagate"),
         Bound("lower", "TC0", sympy.Integer(1), "proven", "fanin.trivial_lower")),
    )

    def resolve_params(self, n: int, params: Mapping[str, Any]) -> dict[str, Any]:
        p = super().resolve_params(n, params)
        lo, hi = p["rating_min"], p["rating_max"]
        if lo is not None:
            lo = check_int("rating_min", lo, -1, where="sudoku", error=ProblemParameterError)
        if hi is not None:
            hi = check_int("rating_max", hi, -1, where="sudoku", error=ProblemParameterError)
        if NEEDS_SEARCH in (lo, hi):  # puzzles that propagation cannot finish
            if lo not in (None, NEEDS_SEARCH) or hi not in (None, NEEDS_SEARCH):
                raise ProblemParameterError(
                    f"sudoku rating band [{lo}, {hi}]: use rating_max = -1 (and rating_min unset or -1) for "
                    "puzzles that need search, or rating_max >= n for puzzles propagation solves")
            if n != 1:
                raise ProblemParameterError(
                    f"sudoku: puzzles that need search (rating_max = -1) have no propagation rating, so n "
                    f"(the smallest rating) must be 1 for them, got n={n}")
            lo = hi = NEEDS_SEARCH
        else:
            if lo is not None and lo != n:
                raise ProblemParameterError(
                    f"sudoku: rating_min={lo} differs from n={n}: n is the smallest rating of the band, so "
                    f"ask for the band {lo}..{hi if hi is not None else n} with n={lo}"
                    f"{f' and rating_max={hi}' if hi is not None else ''}")
            lo, hi = n, n if hi is None else hi
        p["rating_min"], p["rating_max"] = _check_band(lo, hi)
        p["max_attempts"] = check_int("max_attempts", p["max_attempts"], 1, where="sudoku", error=ProblemParameterError)
        return p

    def _generate(self, n: int, rng: RecordRNG, params: dict[str, Any]):
        streams = rng.streams("grid")
        count = len(rng)
        puzzles = np.zeros((count, 81), np.int8)
        solutions = np.zeros((count, 81), np.int8)
        ratings = np.zeros(count, np.int64)
        for i in range(count):
            puzzles[i], solutions[i], ratings[i] = generate_sudoku(
                params["rating_min"], params["rating_max"], streams[i], params["max_attempts"])
        clues = (puzzles > 0).sum(axis=1).astype(np.int64)
        return {"puzzle": puzzles}, {"target": solutions}, {"rating": ratings, "clues": clues}

    def solve(self, record_inputs: Mapping[str, np.ndarray], **params: Any) -> np.ndarray:
        return solve_sudoku(np.asarray(record_inputs["puzzle"]))

    def columns(self, instances: Instances) -> dict[str, Any]:
        fmt = lambda a: np.array([format_sudoku(g) for g in a], dtype=object)  # noqa: E731
        return {"puzzle": fmt(instances.inputs["puzzle"]), "target": fmt(instances.targets["target"]),
                **instances.meta}

    def encode_bits(self, instances: Instances) -> np.ndarray:
        return _one_hot(instances.inputs["puzzle"])

    def decode_bits(self, bits: np.ndarray, n: int, **params: Any) -> dict[str, np.ndarray]:
        b = np.asarray(bits)
        if b.ndim != 2 or b.shape[1] != 729:
            raise ProblemParameterError(f"sudoku: bits must have shape (count, 729), got {b.shape}")
        cells = b.reshape(len(b), 81, 9).astype(np.int64)
        if (cells.sum(axis=2) > 1).any():
            raise ProblemParameterError("sudoku: a cell has more than one digit bit set")
        return {"puzzle": (cells * np.arange(1, 10)).sum(axis=2).astype(np.int8)}

    def target_bits(self, instances: Instances) -> np.ndarray:
        return _one_hot(instances.targets["target"])

    def vocab(self, n: int, **params: Any) -> list[str]:
        return ["."] + [str(d) for d in range(1, 10)]

    def encode_tokens(self, instances: Instances) -> np.ndarray:
        return instances.inputs["puzzle"].astype(np.int64)

    def decode_tokens(self, tokens: np.ndarray, n: int, **params: Any) -> dict[str, np.ndarray]:
        t = np.asarray(tokens)
        if t.ndim != 2 or t.shape[1] != 81 or (t.size and (t.min() < 0 or t.max() > 9)):
            raise ProblemParameterError("sudoku: tokens must be ids 0..9 of shape (count, 81)")
        return {"puzzle": t.astype(np.int8)}

    def families(self) -> list[Any]:
        """``propagate``: :func:`~serialcomp.problems.sudoku.step.propagation_looped`, halting at its
        fixed point, ``rounds + 1`` steps (default ``rounds = n``: the last step detects the fixed
        point), serial depth ``3 (n + 1)``; a rating-r lane reports ``steps == r``."""
        return [propagate_family()]


@lru_cache(maxsize=1)
def propagate_family() -> Any:
    """The family ``propagate``: the depth-3 propagation round, looped to its fixed point.

    Notes
    -----
    ``rounds + 1`` steps (``rounds`` defaults to n), each a depth-3 circuit over the 729-bit grid,
    so the claimed serial depth is ``3 (n + 1)``; it halts per lane, and a rating-r puzzle reports
    ``r`` steps.

    Example
    -------
    >>> f = propagate_family()
    >>> f.name, f.kind, f.claimed(5), f.n_steps(5)
    ('propagate', 'recurrent', 18, 6)
    """
    from ...ir.family import CircuitFamily
    from .step import propagation_looped

    return CircuitFamily(
        "propagate", "sudoku", "recurrent", lambda n, rounds=None: propagation_looped(), 3 * (N + 1),
        steps=lambda n, rounds=None: (n if rounds is None else rounds) + 1, halt=True,
        description="depth-3 round of naked + hidden singles over the 729-bit grid, looped to a fixed point")


register(SudokuProblem())
