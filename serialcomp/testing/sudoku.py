"""Naive Sudoku oracles, independent of the Numba kernels in :mod:`serialcomp.problems.sudoku`:
the propagation rating by its definition (Python sets, one round at a time), and the CNF of the
9x9 rules for a SAT solver (python-sat's clause lists; no solver is imported here).

Grids are sequences of 81 digits in row-major order, 0 for a blank.

Example
-------
>>> solved = [(3 * (r % 3) + r // 3 + c) % 9 + 1 for r in range(9) for c in range(9)]
>>> naive_sudoku_rating(solved), naive_sudoku_rating([0] + solved[1:])
(0, 1)
>>> naive_sudoku_rating([0] * 81)      # nothing forced: propagation stalls
-1
"""

from __future__ import annotations

from typing import Sequence

__all__ = ["SUDOKU_UNITS", "SUDOKU_PEERS", "naive_sudoku_rating", "sudoku_var", "sudoku_cnf"]


def _units() -> list[list[int]]:
    rows = [[9 * r + c for c in range(9)] for r in range(9)]
    cols = [[9 * r + c for r in range(9)] for c in range(9)]
    boxes = [[9 * (3 * br + r) + 3 * bc + c for r in range(3) for c in range(3)] for br in range(3) for bc in range(3)]
    return rows + cols + boxes


#: The 27 units (rows, columns, boxes) as lists of cell indices.
SUDOKU_UNITS: list[list[int]] = _units()
#: The 20 peers of every cell (cells sharing a unit with it).
SUDOKU_PEERS: list[set[int]] = [set().union(*(u for u in SUDOKU_UNITS if c in u)) - {c} for c in range(81)]


def naive_sudoku_rating(puzzle: Sequence[int]) -> int:
    """Rounds of simultaneous naked- and hidden-single placement until the grid is full.

    Each round computes every blank cell's candidates from the current grid, collects every
    naked single (one candidate) and every hidden single (a digit with one possible cell in a
    unit) at once, and places them all.  Returns the number of rounds, ``-1`` when a round finds
    nothing to place (propagation stalls: the puzzle needs search), and ``-2`` on a contradiction
    (a repeated digit, a cell without candidates, a digit with no place in a unit, or two singles
    that disagree).

    Notes
    -----
    O(rounds x 81 x 27) set operations; meant as an oracle, not for speed.
    """
    g = [int(v) for v in puzzle]
    if len(g) != 81 or any(not 0 <= v <= 9 for v in g):
        raise ValueError(f"a puzzle is 81 digits 0..9, got {len(g)} values")
    rounds = 0
    while True:
        for u in SUDOKU_UNITS:
            vals = [g[c] for c in u if g[c]]
            if len(vals) != len(set(vals)):
                return -2
        if all(g):
            return rounds
        cand = {c: set(range(1, 10)) - {g[p] for p in SUDOKU_PEERS[c]} for c in range(81) if not g[c]}
        if any(not s for s in cand.values()):
            return -2
        place = {c: next(iter(s)) for c, s in cand.items() if len(s) == 1}
        conflict = False
        for u in SUDOKU_UNITS:
            for d in range(1, 10):
                if any(g[c] == d for c in u):
                    continue
                spots = [c for c in u if c in cand and d in cand[c]]
                if not spots:
                    conflict = True
                elif len(spots) == 1:
                    c = spots[0]
                    if place.get(c, d) != d:
                        conflict = True
                    place[c] = d
        if conflict:
            return -2
        if not place:
            return -1
        for c, d in place.items():
            g[c] = d
        rounds += 1


def sudoku_var(cell: int, digit: int) -> int:
    """The SAT variable "cell holds digit" (cells 0..80, digits 1..9: variables 1..729)."""
    return 9 * cell + digit


def sudoku_cnf() -> list[list[int]]:
    """Clauses of the 9x9 rules: every cell holds exactly one digit, every unit every digit once.

    Example
    -------
    >>> len(sudoku_cnf())
    11988
    """
    v = sudoku_var
    cls = []
    for c in range(81):
        cls.append([v(c, d) for d in range(1, 10)])
        cls += [[-v(c, a), -v(c, b)] for a in range(1, 10) for b in range(a + 1, 10)]
    for u in SUDOKU_UNITS:
        for d in range(1, 10):
            cls.append([v(c, d) for c in u])
            cls += [[-v(a, d), -v(b, d)] for i, a in enumerate(u) for b in u[i + 1 :]]
    return cls
