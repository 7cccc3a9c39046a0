"""The default study grids of ``serialcomp study``: which problems, sizes and sample counts.

Two grids: the default one (every problem with circuit families, sizes chosen so that depth growth
is visible and the bounded families cross the size where they must fail; about 35 seconds on a
2-core machine) and ``quick`` (fewer problems and sizes, about 10 seconds warm, 25 with a cold
Numba cache). Sizes were chosen by timing each (problem, family, n) cell; see docs/BENCHMARKS.md.

Example
-------
>>> [e.problem for e in default_grid(quick=True, problems=["parity"])]
['parity']
"""

from __future__ import annotations

from typing import Any, Iterable

from ..errors import SerialcompError
from .study import GridEntry

__all__ = ["default_grid", "grid_problems"]

_P2 = (2, 4, 8, 16, 32, 64)
# Every bounded family shows "exact, then failing" in both grids (its smallest sizes are within its
# reach), and its flat depth past its reach spans a factor >= 4 in n at >= 3 sizes, so that
# fit_growth sees a plateau (growth "1") and not a logarithmic step.  Reach: two squarings cover
# distance 4, so reach:cycles (distance n) is exact for n <= 4 and reach:random (distance <= n - 1)
# for n <= 5; their grids start there.
# Rule 90 on a power-of-two ring dies out (every configuration reaches 0 within the width), so the
# automata run on odd widths. On a width-3 ring rules 30 and 110 give every row the same centre cell
# after 3 steps (a one-label dataset, which ca:rule30 / ca:rule110 refuse), so they start at 7.
_ODD = (3, 7, 15, 31, 63, 127)
_ODD7 = _ODD[1:]


def _word_families_d2(problem: Any) -> list[Any]:
    """``tree``, ``stream`` and ``fixed2`` of a word problem (instead of ``fixed3``)."""
    from ..problems.words import word_families

    return [f for f in word_families(problem, d=2) if f.name in ("tree", "stream", "fixed2")]


# (problem key) -> GridEntry, for the default and the quick grid. Order is the table order.
_DEFAULT: dict[str, GridEntry] = {
    e.problem: e
    for e in [
        GridEntry("parity", (2, 4, 8, 16, 32, 64, 128, 256, 512, 1024), count=256),
        GridEntry("majority", (3, 5, 9, 17, 33, 65, 129, 257, 513, 1025), count=256),
        GridEntry("add", (3, 4, 8, 16, 32, 64, 128), count=256),
        GridEntry("iadd", (2, 3, 4, 6, 8, 12, 16, 24), count=128),
        GridEntry("word:Z5", _P2, count=256),
        GridEntry("word:flipflop", _P2, count=256),
        GridEntry("word:S3", _P2, count=256),
        GridEntry("word:A4xZ5", (2, 4, 8, 16, 32), count=128),
        GridEntry("word:A5", (2, 4, 8, 16, 32), count=128),
        GridEntry("word:S5", (2, 4, 8, 16, 32), count=128),
        GridEntry("reach:path", (8, 16, 24, 32), count=128),
        GridEntry("reach:random", (4, 6, 8, 12, 16, 24, 32), count=128),
        GridEntry("reach:flower", (8, 12, 16, 24, 32), count=128),
        GridEntry("reach:cycles", (3, 4, 6, 8, 12, 16, 24, 32), count=128),
        GridEntry("cvp", (4, 8, 12, 16, 24), count=128),
        GridEntry("ca:rule110", _ODD7, count=256),
        GridEntry("ca:rule30", _ODD7, count=256),
        GridEntry("ca:rule90", _ODD, count=256),
        GridEntry("sudoku", (1, 2, 4, 8, 12, 16), count=32),
        # timelock: 2n-bit numbers, t = n squarings of O(n) depth each; n = 8 is a 25k-gate step.
        GridEntry("timelock", (3, 4, 5, 6, 8), count=64),
    ]
}

_QUICK: dict[str, GridEntry] = {
    e.problem: e
    for e in [
        GridEntry("parity", (2, 4, 8, 16, 32, 64), count=128),
        GridEntry("majority", (3, 5, 9, 17, 33, 65), count=128),
        GridEntry("add", (3, 4, 8, 16, 32), count=128),
        GridEntry("iadd", (2, 3, 4, 6, 8), count=64),
        # S5's bounded family in the quick grid is fixed2, not the registered fixed3: fixed3 is flat
        # from n = 8, so its plateau needs n = 8, 16, 32, and S5 at n = 32 (tree and fixed3, ~450k
        # and ~200k gates) adds ~3 s warm to a run that must stay well under 30 s cold. fixed2
        # (exact up to n = 4, flat from 4 on) shows the same "exact, then failing" and a plateau
        # over 4, 8, 16 at a third of the cost of fixed3 (the default grid keeps fixed3).
        GridEntry("word:S5", (2, 4, 8, 16), count=64, families=_word_families_d2),
        GridEntry("word:Z5", (2, 4, 8, 16, 32), count=64),
        GridEntry("word:flipflop", (2, 4, 8, 16, 32), count=64),
        GridEntry("reach:path", (8, 16, 32), count=64),
        GridEntry("reach:flower", (4, 8, 16), count=64),
        GridEntry("cvp", (4, 8, 12, 16), count=64),
        GridEntry("ca:rule110", (7, 15, 31, 63), count=128),
        GridEntry("ca:rule90", (3, 7, 15, 31, 63), count=128),
        GridEntry("sudoku", (1, 2, 4, 8), count=8),
        GridEntry("timelock", (3, 4, 6), count=32),
    ]
}


def grid_problems(quick: bool = False) -> list[str]:
    """The problem keys of the default (or quick) grid, in table order.

    Example
    -------
    >>> grid_problems(quick=True)[:3], set(grid_problems(quick=True)) <= set(grid_problems())
    (['parity', 'majority', 'add'], True)
    """
    return list((_QUICK if quick else _DEFAULT).keys())


def default_grid(quick: bool = False, problems: Iterable[str] | None = None) -> list[GridEntry]:
    """The grid ``serialcomp study`` runs.

    Parameters
    ----------
    quick : bool
        The small grid (about 10 s on 2 cores) instead of the default one (about 35 s).
    problems : iterable of str, optional
        Only these problem keys, in the order given; a repeated key is kept once (at its first
        place). A key with circuit families that the chosen grid does not list is taken from the
        default grid, then from sizes 2..32; an unknown key is an error.

    Returns
    -------
    list of GridEntry

    Notes
    -----
    Sizes are chosen so that each family's growth class is visible to
    :func:`~serialcomp.measure.fit_growth` (a bounded family's flat depth spans a factor >= 4 in
    n) and each bounded family is exact at the smallest sizes and fails at the largest ones.

    Example
    -------
    >>> [(e.problem, tuple(e.ns), e.count) for e in default_grid(quick=True, problems=["parity", "cvp"])]
    [('parity', (2, 4, 8, 16, 32, 64), 128), ('cvp', (4, 8, 12, 16), 64)]
    >>> e = default_grid(problems=["reach:cycles"])[0]
    >>> e.ns[:2], e.count
    ((3, 4), 128)
    >>> default_grid(problems=["word:Z7"])[0].ns       # not in the grid: sizes 2..32
    (2, 4, 8, 16, 32)
    """
    chosen = _QUICK if quick else _DEFAULT
    if problems is None:
        return list(chosen.values())
    from ..problems import get_problem

    out = []
    for key in dict.fromkeys(problems):  # drop repeated keys, keep the order
        if key in chosen:
            out.append(chosen[key])
        elif key in _DEFAULT:
            out.append(_DEFAULT[key])
        else:
            prob = get_problem(key)  # raises ProblemParameterError naming the unknown key
            if not prob.families():
                raise SerialcompError(f"study: problem {key!r} has no circuit families (see `serialcomp problems`)")
            out.append(GridEntry(key, (2, 4, 8, 16, 32), count=128))
    return out
