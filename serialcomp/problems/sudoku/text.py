"""Sudoku grids as text: 81 characters, ``.`` (or ``0``) for a blank, and the array forms the
functions of this package accept (strings, ``(81,)``, ``(9, 9)`` or ``(count, 81)`` integer arrays).
"""

from __future__ import annotations

from typing import Any

import numpy as np

from ...errors import ProblemParameterError

__all__ = ["parse_sudoku", "format_sudoku", "as_grids"]


def as_grids(puzzle: Any) -> tuple[np.ndarray, bool]:
    """(count, 81) int64 grids and whether a single grid was given; strings are parsed.

    Example
    -------
    >>> g, single = as_grids("1" + "." * 80)
    >>> g.shape, single, int(g[0, 0])
    ((1, 81), True, 1)
    """
    if isinstance(puzzle, str):
        return parse_sudoku(puzzle)[None].astype(np.int64), True
    g = np.asarray(puzzle)
    single = g.ndim == 1 or g.shape == (9, 9)
    g = g.reshape(1, 81) if single and g.size == 81 else g
    if g.ndim != 2 or g.shape[1] != 81 or not np.issubdtype(g.dtype, np.integer):
        raise ProblemParameterError(
            f"sudoku grids must be integer arrays of 81 cells, got {g.dtype} {np.shape(puzzle)}")
    if g.size and (g.min() < 0 or g.max() > 9):
        raise ProblemParameterError("sudoku cells must be 0 (blank) or 1..9")
    return g.astype(np.int64), single


def parse_sudoku(text: str) -> np.ndarray:
    """An 81-character puzzle string ('.' or '0' for blanks, whitespace ignored) as int8 (81,).

    Example
    -------
    >>> parse_sudoku("1." + "0" * 79)[:3].tolist()
    [1, 0, 0]
    """
    s = "".join(str(text).split())
    if len(s) != 81 or any(ch not in ".0123456789" for ch in s):
        raise ProblemParameterError(f"a sudoku string has 81 characters from '.0123456789', got {text!r}")
    return np.array([0 if ch == "." else int(ch) for ch in s], dtype=np.int8)


def format_sudoku(grid: Any) -> str:
    """The 81-character string of a grid, '.' for blanks.

    Example
    -------
    >>> format_sudoku(parse_sudoku("0" * 80 + "9"))[-3:]
    '..9'
    """
    g, _ = as_grids(grid)
    if len(g) != 1:
        raise ProblemParameterError("format_sudoku takes one grid")
    return "".join("." if d == 0 else str(d) for d in g[0].tolist())
