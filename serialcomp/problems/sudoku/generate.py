"""Generating sudoku puzzles whose propagation rating lies in a band.

Every random choice comes from the words of one :class:`~serialcomp.problems.rng.BitStream`, so the
same seed gives the same puzzles on every machine and NumPy version.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from ..._seed import SeedLike
from ..._validate import check_int
from ...errors import ProblemParameterError
from ..rng import BitStream, as_stream
from ._kernels import _CLIMB_STEPS, CELL_UNITS, UNITS, _attempt_kernel
from .solve import NEEDS_SEARCH

__all__ = ["MAX_RATING", "generate_sudoku"]

MAX_RATING = 24
"""Largest rating the generator accepts: an attempt aimed at 24 reaches it about 1.5% of the time
(~10 ms each), while ratings up to 15 succeed almost always; single propagation on 9x9 grids
rarely needs more than ~25 rounds."""

_ATTEMPT_FLOATS = 81 * 8 + 80 * (1 + _CLIMB_STEPS)  # the shuffles of one attempt, at most


def _attempt_floats(stream: BitStream) -> np.ndarray:
    return stream.random(_ATTEMPT_FLOATS)



def _check_band(rating_min: Any, rating_max: Any) -> tuple[int, int]:
    lo = check_int("rating_min", rating_min, -1, where="sudoku", error=ProblemParameterError)
    hi = check_int("rating_max", rating_max, -1, where="sudoku", error=ProblemParameterError)
    if (lo == NEEDS_SEARCH) != (hi == NEEDS_SEARCH):
        raise ProblemParameterError(
            f"sudoku rating band [{lo}, {hi}]: use rating_min = rating_max = -1 for puzzles that need "
            "search, or 1 <= rating_min <= rating_max for puzzles propagation solves")
    if lo == 0 or hi == 0 or lo > hi:
        raise ProblemParameterError(f"sudoku rating band [{lo}, {hi}] is empty (need 1 <= rating_min <= rating_max)")
    if lo > MAX_RATING:
        raise ProblemParameterError(
            f"sudoku rating band [{lo}, {hi}] is out of reach: the generator supports ratings up to "
            f"{MAX_RATING} (single propagation rarely needs more than ~25 rounds on 9x9 grids)")
    return lo, hi


def generate_sudoku(rating_min: int, rating_max: int, seed: "SeedLike | BitStream" = 0,
                    max_attempts: int = 1000) -> tuple[np.ndarray, np.ndarray, int]:
    """One puzzle whose rating lies in ``[rating_min, rating_max]``, with its solution.

    Each attempt draws a random full grid, picks a target rating uniformly in the band, carves
    clues while propagation still solves within the target, and perturbs the result towards the
    target.  ``rating_min = rating_max = -1`` asks for a puzzle with a unique solution that
    propagation cannot finish.

    ``seed`` is an int, a :class:`~serialcomp.problems.rng.BitStream` (drawn from and advanced) or
    a numpy Generator (one raw word of its bit generator seeds the stream, see
    :func:`~serialcomp.problems.rng.as_stream`); every random choice comes from the stream's words.

    Returns
    -------
    (puzzle, solution, rating): int8 (81,), int8 (81,), int.

    Raises
    ------
    ProblemParameterError
        For an empty or unreachable band, or when ``max_attempts`` attempts all miss it (the message
        lists the ratings reached).

    Notes
    -----
    An attempt costs about 0.3 ms for ratings up to 10 and ~10 ms near :data:`MAX_RATING`
    (hundreds of propagation runs of O(rating * 81 * 20) each); puzzles that need search cost
    ~5 ms (a uniqueness search for each clue whose removal stalls propagation).

    Example
    -------
    >>> from serialcomp.problems.sudoku import count_solutions, rate_sudoku
    >>> puzzle, solution, rating = generate_sudoku(4, 6, seed=1)
    >>> 4 <= rating <= 6 and rating == rate_sudoku(puzzle) and count_solutions(puzzle) == 1
    True
    """
    lo, hi = _check_band(rating_min, rating_max)
    max_attempts = check_int("max_attempts", max_attempts, 1, where="sudoku", error=ProblemParameterError)
    stream = as_stream(seed)
    top = min(hi, MAX_RATING)
    reached: dict[int, int] = {}
    for _ in range(max_attempts):
        target = lo if lo == NEEDS_SEARCH else lo + stream.below(top - lo + 1)
        puzzle, solution, rating = _attempt_kernel(_attempt_floats(stream), target, UNITS, CELL_UNITS)
        if lo <= rating <= hi:
            return puzzle.astype(np.int8), solution.astype(np.int8), int(rating)
        reached[int(rating)] = reached.get(int(rating), 0) + 1
    seen = ", ".join(f"{r}: {k}" for r, k in sorted(reached.items()))
    raise ProblemParameterError(
        f"no sudoku with rating in [{lo}, {hi}] after {max_attempts} attempts (random grid, carve, "
        f"perturb towards a target in the band); ratings reached (rating: attempts): {seen}. "
        "Try a wider or lower band, or more max_attempts")
