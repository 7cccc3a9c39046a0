"""Rating and solving sudoku puzzles: the propagation rating (rounds of simultaneous naked and
hidden singles), solution counting and solving by depth-first search.

A puzzle that propagation alone cannot finish is rated :data:`NEEDS_SEARCH` (-1); one that
propagation proves contradictory is rated :data:`CONTRADICTION` (-2). A puzzle that propagation
finishes has exactly one solution, since every placement is forced.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from ..._validate import check_int
from ...errors import ProblemParameterError
from ._kernels import CELL_UNITS, UNITS, _rate_many, _solve_kernel
from .text import as_grids

__all__ = ["NEEDS_SEARCH", "CONTRADICTION", "rate_sudoku", "count_solutions", "solve_sudoku"]

NEEDS_SEARCH = -1
"""Rating of a puzzle whose single propagation stalls before the grid is full."""
CONTRADICTION = -2
"""Rating of a puzzle in which propagation meets a contradiction (it has no solution)."""


def rate_sudoku(puzzle: Any) -> int | np.ndarray:
    """Rounds of simultaneous naked/hidden-single propagation needed to solve ``puzzle``.

    Parameters
    ----------
    puzzle : str or int array of shape (81,), (9, 9) or (count, 81)

    Returns
    -------
    int for one grid, int64 array (count,) for several: the number of rounds (0 for a full grid),
    :data:`NEEDS_SEARCH` if propagation stalls, :data:`CONTRADICTION` if it meets a contradiction.

    Notes
    -----
    Each round is O(81 * 20) bit operations: constant depth as a threshold circuit (candidates are
    NORs over peers, singles are exactly-one tests), so a rating-r puzzle is solved by depth O(r).

    Example
    -------
    >>> solved = "123456789456789123789123456231564897564897231897231564312645978645978312978312645"
    >>> rate_sudoku(solved), rate_sudoku("." + solved[1:])
    (0, 1)
    """
    g, single = as_grids(puzzle)
    out = _rate_many(g, UNITS, CELL_UNITS)
    return int(out[0]) if single else out


def count_solutions(puzzle: Any, limit: int = 2) -> int:
    """The number of solutions of ``puzzle``, counted up to ``limit`` (depth-first search).

    Example
    -------
    >>> count_solutions("." * 81, limit=3)
    3
    """
    g, single = as_grids(puzzle)
    limit = check_int("limit", limit, 1, error=ProblemParameterError)
    if not single:
        raise ProblemParameterError("count_solutions takes one grid")
    order = np.tile(np.arange(1, 10, dtype=np.int64), (81, 1))
    return int(_solve_kernel(g[0], limit, order, np.zeros(81, np.int64), CELL_UNITS))


def solve_sudoku(puzzle: Any) -> np.ndarray:
    """The first solution (in digit order) of ``puzzle``, int8 (81,).

    Raises
    ------
    ProblemParameterError
        If the puzzle has no solution.

    Example
    -------
    >>> from serialcomp.problems.sudoku import format_sudoku
    >>> format_sudoku(solve_sudoku("." * 81))[:9]
    '123456789'
    """
    g, single = as_grids(puzzle)
    if not single:
        raise ProblemParameterError("solve_sudoku takes one grid")
    order = np.tile(np.arange(1, 10, dtype=np.int64), (81, 1))
    sol = np.zeros(81, np.int64)
    if _solve_kernel(g[0], 1, order, sol, CELL_UNITS) == 0:
        raise ProblemParameterError("the sudoku has no solution")
    return sol.astype(np.int8)
