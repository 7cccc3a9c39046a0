"""``sudoku``: 9x9 puzzles with a unique solution, rated by the serial depth of propagation.

The rating of a puzzle is the number of rounds of *simultaneous* single propagation it needs: each
round computes every empty cell's candidates from the current grid, finds every naked single (a
cell with one candidate) and every hidden single (a digit with one possible cell in a row, column or
box) at once, and places them all.  A puzzle that propagation alone cannot finish is rated
:data:`NEEDS_SEARCH` (-1); one that propagation proves contradictory is rated :data:`CONTRADICTION`.
A puzzle that propagation finishes has exactly one solution, since every placement is forced.

Grids are int8 arrays of 81 cells in row-major order, 0 for a blank.  Candidates are 9-bit masks
(bit ``d - 1`` for digit ``d``) inside the Numba kernels.

The size ``n`` of the registered problem is the smallest rating: ``sample(n, ...)`` draws puzzles
that need at least ``n`` rounds, exactly ``n`` by default, up to ``rating_max`` rounds when a band
is asked for (``rating_min`` is ``n``); each record's ``rating`` is its own.  Puzzles that need
search are sampled with ``n = 1`` and ``rating_max = -1`` (they have no rating).

Randomness comes from :class:`~serialcomp.problems.rng.BitStream` words only (one stream per
record), so the same seed gives the same puzzles on every machine and NumPy version.

Modules: :mod:`.text` (grids as 81-character strings), :mod:`.solve` (rating, counting and
solving), :mod:`.generate` (puzzles in a rating band), :mod:`.problem` (the registered problem and
its family), :mod:`.step` (the propagation round as a circuit), :mod:`._kernels` (the Numba
kernels behind them).

Example
-------
>>> puzzle, solution, rating = generate_sudoku(3, 3, seed=0)
>>> rating, rate_sudoku(format_sudoku(puzzle)), count_solutions(puzzle)
(3, 3, 1)
"""

from __future__ import annotations

from .generate import MAX_RATING, generate_sudoku
from .problem import SudokuProblem, propagate_family
from .solve import CONTRADICTION, NEEDS_SEARCH, count_solutions, rate_sudoku, solve_sudoku
from .text import format_sudoku, parse_sudoku

__all__ = [
    "NEEDS_SEARCH",
    "CONTRADICTION",
    "MAX_RATING",
    "SudokuProblem",
    "parse_sudoku",
    "format_sudoku",
    "rate_sudoku",
    "count_solutions",
    "solve_sudoku",
    "generate_sudoku",
    "propagate_family",
]
