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
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any, Mapping

import numpy as np
import sympy

from .._jit import jit
from .._seed import SeedLike
from .._validate import check_int
from ..errors import ProblemParameterError
from ..ir.family import N
from .facts import ComplexityFacts
from .instances import Instances
from .problem import Problem
from .registry import register
from .rng import BitStream, RecordRNG, as_stream

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
]

NEEDS_SEARCH = -1
"""Rating of a puzzle whose single propagation stalls before the grid is full."""
CONTRADICTION = -2
"""Rating of a puzzle in which propagation meets a contradiction (it has no solution)."""
MAX_RATING = 24
"""Largest rating the generator accepts: an attempt aimed at 24 reaches it about 1.5% of the time
(~10 ms each), while ratings up to 15 succeed almost always; single propagation on 9x9 grids
rarely needs more than ~25 rounds."""

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


_UNITS, _CELL_UNITS = _unit_tables()


# ---------------------------------------------------------------------------------------------
# kernels (naive references: the propagation loop and the CNF check in tests/problems/test_sudoku.py)
# ---------------------------------------------------------------------------------------------


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


_ATTEMPT_FLOATS = 81 * 8 + 80 * (1 + _CLIMB_STEPS)  # the shuffles of one attempt, at most


def _attempt_floats(stream: BitStream) -> np.ndarray:
    return stream.random(_ATTEMPT_FLOATS)


# ---------------------------------------------------------------------------------------------
# public functions
# ---------------------------------------------------------------------------------------------


def _as_grids(puzzle: Any) -> tuple[np.ndarray, bool]:
    """(count, 81) int64 grids and whether a single grid was given; strings are parsed."""
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
    g, _ = _as_grids(grid)
    if len(g) != 1:
        raise ProblemParameterError("format_sudoku takes one grid")
    return "".join("." if d == 0 else str(d) for d in g[0].tolist())


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
    g, single = _as_grids(puzzle)
    out = _rate_many(g, _UNITS, _CELL_UNITS)
    return int(out[0]) if single else out


def count_solutions(puzzle: Any, limit: int = 2) -> int:
    """The number of solutions of ``puzzle``, counted up to ``limit`` (depth-first search).

    Example
    -------
    >>> count_solutions("." * 81, limit=3)
    3
    """
    g, single = _as_grids(puzzle)
    limit = check_int("limit", limit, 1, error=ProblemParameterError)
    if not single:
        raise ProblemParameterError("count_solutions takes one grid")
    order = np.tile(np.arange(1, 10, dtype=np.int64), (81, 1))
    return int(_solve_kernel(g[0], limit, order, np.zeros(81, np.int64), _CELL_UNITS))


def solve_sudoku(puzzle: Any) -> np.ndarray:
    """The first solution (in digit order) of ``puzzle``, int8 (81,).

    Raises
    ------
    ProblemParameterError
        If the puzzle has no solution.

    Example
    -------
    >>> format_sudoku(solve_sudoku("." * 81))[:9]
    '123456789'
    """
    g, single = _as_grids(puzzle)
    if not single:
        raise ProblemParameterError("solve_sudoku takes one grid")
    order = np.tile(np.arange(1, 10, dtype=np.int64), (81, 1))
    sol = np.zeros(81, np.int64)
    if _solve_kernel(g[0], 1, order, sol, _CELL_UNITS) == 0:
        raise ProblemParameterError("the sudoku has no solution")
    return sol.astype(np.int8)


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
        puzzle, solution, rating = _attempt_kernel(_attempt_floats(stream), target, _UNITS, _CELL_UNITS)
        if lo <= rating <= hi:
            return puzzle.astype(np.int8), solution.astype(np.int8), int(rating)
        reached[int(rating)] = reached.get(int(rating), 0) + 1
    seen = ", ".join(f"{r}: {k}" for r, k in sorted(reached.items()))
    raise ProblemParameterError(
        f"no sudoku with rating in [{lo}, {hi}] after {max_attempts} attempts (random grid, carve, "
        f"perturb towards a target in the band); ratings reached (rating: attempts): {seen}. "
        "Try a wider or lower band, or more max_attempts")


# ---------------------------------------------------------------------------------------------
# the registered problem
# ---------------------------------------------------------------------------------------------


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
        """``propagate``: :func:`~serialcomp.blocks.sudoku_step.propagation_looped`, halting at its
        fixed point, ``rounds + 1`` steps (default ``rounds = n``: the last step detects the fixed
        point), serial depth ``3 (n + 1)``; a rating-r lane reports ``steps == r``."""
        return [_propagate_family()]


@lru_cache(maxsize=1)
def _propagate_family() -> Any:
    from ..blocks.sudoku_step import propagation_looped
    from ..ir.family import N, CircuitFamily

    return CircuitFamily(
        "propagate", "sudoku", "recurrent", lambda n, rounds=None: propagation_looped(), 3 * (N + 1),
        steps=lambda n, rounds=None: (n if rounds is None else rounds) + 1, halt=True,
        description="depth-3 round of naked + hidden singles over the 729-bit grid, looped to a fixed point")


register(SudokuProblem())
