"""The Numba kernels of sudoku: single-propagation rating, depth-first search, and one generation attempt.

Grids are int64 arrays of 81 cells in row-major order, 0 for a blank; candidates are 9-bit masks
(bit ``d - 1`` for digit ``d``). The kernels are private: the public functions of
:mod:`.solve` and :mod:`.generate` check their arguments and call them. Their naive references
are in :mod:`serialcomp.testing.sudoku` (the propagation rating by its definition, the CNF of
the rules for a SAT solver), which the tests compare them against.
"""

from __future__ import annotations

import numpy as np

from ..._jit import jit

__all__: list[str] = []  # private kernels; see solve.py and generate.py

_ALL = 0x1FF
_CLIMB_STEPS = 64  # perturbation steps per attempt when the first carve falls short of its target
_CLIMB_EXTRA = 2  # clues put back per perturbation step


def _unit_tables() -> tuple[np.ndarray, np.ndarray]:
    units = np.empty((27, 9), np.int64)
    for i in range(9):
        units[i] = np.arange(9) + 9 * i
        units[9 + i] = np.arange(9) * 9 + i
        br, bc = divmod(i, 3)
        units[18 + i] = [(3 * br + r) * 9 + 3 * bc + c for r in range(3) for c in range(3)]
    cell_units = np.empty((81, 3), np.int64)
    for c in range(81):
        r, k = divmod(c, 9)
        cell_units[c] = (r, 9 + k, 18 + 3 * (r // 3) + k // 3)
    return units, cell_units


UNITS, CELL_UNITS = _unit_tables()

@jit
def _digit(bit):  # pragma: no cover - compiled
    d = 1
    while bit > 1:
        bit >>= 1
        d += 1
    return d


@jit
def _rate_kernel(grid, units, cell_units):  # pragma: no cover - compiled
    g = grid.copy()
    used = np.zeros(27, np.int64)
    cand = np.zeros(81, np.int64)
    place = np.zeros(81, np.int64)
    rounds = 0
    while True:
        used[:] = 0
        blanks = 0
        for c in range(81):
            if g[c] == 0:
                blanks += 1
                continue
            b = 1 << (g[c] - 1)
            for k in range(3):
                u = cell_units[c, k]
                if used[u] & b:
                    return -2
                used[u] |= b
        if blanks == 0:
            return rounds
        found = 0
        for c in range(81):
            place[c] = 0
            cand[c] = 0
            if g[c] == 0:
                m = _ALL & ~(used[cell_units[c, 0]] | used[cell_units[c, 1]] | used[cell_units[c, 2]])
                if m == 0:
                    return -2
                cand[c] = m
                if m & (m - 1) == 0:
                    place[c] = _digit(m)
                    found += 1
        for u in range(27):
            once = 0
            twice = 0
            for j in range(9):
                m = cand[units[u, j]]
                twice |= once & m
                once |= m
            if (once | used[u]) != _ALL:
                return -2  # a digit has no place left in this unit
            single = once & ~twice
            while single:
                b = single & -single
                single ^= b
                d = _digit(b)
                for j in range(9):
                    c = units[u, j]
                    if cand[c] & b:
                        if place[c] == 0:
                            place[c] = d
                            found += 1
                        elif place[c] != d:
                            return -2  # one cell is the only place of two digits
        if found == 0:
            return -1
        for c in range(81):
            if place[c]:
                g[c] = place[c]
        rounds += 1


@jit
def _rate_many(grids, units, cell_units):  # pragma: no cover - compiled
    out = np.empty(grids.shape[0], np.int64)
    for i in range(grids.shape[0]):
        out[i] = _rate_kernel(grids[i], units, cell_units)
    return out


@jit
def _solve_kernel(grid, limit, order, solution, cell_units):  # pragma: no cover - compiled
    """Depth-first search, fewest candidates first; counts solutions up to ``limit``.

    ``order`` (81, 9) gives the digit order tried at each depth (rows of 1..9); the first solution
    found is written to ``solution``.
    """
    g = grid.copy()
    used = np.zeros(27, np.int64)
    for c in range(81):
        if g[c] != 0:
            b = 1 << (g[c] - 1)
            for k in range(3):
                u = cell_units[c, k]
                if used[u] & b:
                    return 0
                used[u] |= b
    stack_cell = np.zeros(82, np.int64)
    stack_mask = np.zeros(82, np.int64)
    depth = 0
    count = 0
    advance = True
    while True:
        if advance:
            best = -1
            best_n = 10
            best_m = 0
            for c in range(81):
                if g[c] == 0:
                    m = _ALL & ~(used[cell_units[c, 0]] | used[cell_units[c, 1]] | used[cell_units[c, 2]])
                    k = 0
                    mm = m
                    while mm:
                        mm &= mm - 1
                        k += 1
                    if k < best_n:
                        best, best_n, best_m = c, k, m
                        if k <= 1:
                            break
            if best == -1:
                count += 1
                if count == 1:
                    solution[:] = g
                if count >= limit:
                    return count
            elif best_n > 0:
                stack_cell[depth] = best
                stack_mask[depth] = best_m
                depth += 1
        advance = False
        while depth > 0:
            c = stack_cell[depth - 1]
            if g[c] != 0:  # undo the previous choice at this depth
                b = 1 << (g[c] - 1)
                for k in range(3):
                    used[cell_units[c, k]] &= ~b
                g[c] = 0
            m = stack_mask[depth - 1]
            if m == 0:
                depth -= 1
                continue
            d = 0
            for j in range(9):
                if m & (1 << (order[depth - 1, j] - 1)):
                    d = order[depth - 1, j]
                    break
            b = 1 << (d - 1)
            stack_mask[depth - 1] = m & ~b
            g[c] = d
            for k in range(3):
                used[cell_units[c, k]] |= b
            advance = True
            break
        if not advance:
            return count


@jit
def _shuffle(a, u, pos):  # pragma: no cover - compiled
    """Fisher-Yates shuffle of ``a`` in place with the floats ``u[pos:]``; returns the next pos."""
    for i in range(a.shape[0] - 1, 0, -1):
        j = int(u[pos] * (i + 1))
        pos += 1
        a[i], a[j] = a[j], a[i]
    return pos


@jit
def _attempt_kernel(u, target, units, cell_units):  # pragma: no cover - compiled
    """One generation attempt from the random floats ``u`` (see :func:`_attempt_floats`).

    Fills a random grid, removes clues in random order while the puzzle stays solvable by
    propagation within ``target`` rounds (or, for ``target == -1``, while the solution stays
    unique), then, if the rating is below ``target``, perturbs it: put two clues back, carve again,
    keep the result if its rating did not drop.  Returns (puzzle, solution, rating).
    """
    order = np.empty((81, 9), np.int64)
    pos = 0
    for r in range(81):
        for j in range(9):
            order[r, j] = j + 1
        pos = _shuffle(order[r], u, pos)
    solution = np.zeros(81, np.int64)
    _solve_kernel(np.zeros(81, np.int64), 1, order, solution, cell_units)
    cells = np.arange(81)
    pos = _shuffle(cells, u, pos)
    g = solution.copy()
    scratch = np.zeros(81, np.int64)
    for i in range(81):
        c = cells[i]
        g[c] = 0
        r = _rate_kernel(g, units, cell_units)
        if target == -1:
            keep = r >= 0 or (r == -1 and _solve_kernel(g, 2, order, scratch, cell_units) == 1)
        else:
            keep = 0 <= r <= target
        if not keep:
            g[c] = solution[c]
    best = _rate_kernel(g, units, cell_units)
    if target == -1:
        return g, solution, best
    for step in range(_CLIMB_STEPS):
        if best >= target:
            break
        pos = _shuffle(cells, u, pos)
        h = g.copy()
        added = 0
        for i in range(81):
            if h[cells[i]] == 0 and added < _CLIMB_EXTRA:
                h[cells[i]] = solution[cells[i]]
                added += 1
        for i in range(80, -1, -1):
            c = cells[i]
            if h[c] == 0:
                continue
            h[c] = 0
            r = _rate_kernel(h, units, cell_units)
            if not (0 <= r <= target):
                h[c] = solution[c]
        r = _rate_kernel(h, units, cell_units)
        if r >= best:
            best = r
            g[:] = h
    return g, solution, best
