"""The default study grids of ``serialcomp study``: which problems, sizes and sample counts.

Three grids: the default one (every problem with circuit families, sizes chosen so that each
family's growth is determined and the bounded families cross the size where they must fail; about
50 seconds on a 2-core machine), ``quick`` (fewer problems and sizes, about 14 seconds warm) and
``large`` (the default grid's problems at sizes that take about 8.5 minutes on one core, for a Dask
cluster: ``serialcomp study --grid large --scheduler local:2``).
Sizes were chosen by timing each (problem, family, n) cell; see docs/BENCHMARKS.md.

Example
-------
>>> [e.problem for e in default_grid(quick=True, problems=["parity"])]
['parity']
"""

from __future__ import annotations

from typing import Iterable

from ..errors import SerialcompError
from .study import GridEntry

__all__ = ["GRIDS", "default_grid", "grid_problems"]

_P2 = (2, 4, 8, 16, 32, 64)
# Every family's growth must be determined by fit_growth (see the notes of default_grid), and every
# bounded family shows "exact, then failing" (its smallest sizes are within its reach) with a flat
# depth past its reach at >= 3 sizes spanning a factor >= 4 in n (a plateau, growth "1").
# Reach: squaring's depth (2 ceil(log2(n - 1)) + 2; 2 ceil(log2 n) + 1 on cycles) rises exactly at
# n = 2^k + 1, so reach:random and reach:cycles run at 3, 5, 9, 17, 33: five sizes over four
# doublings, the fewest that tell log n from log^2 n at integer resolution (over three doublings,
# ceil(0.29 log2(n)^2 + 4.6) is 6, 8, 10, 12 as well). Two squarings cover distance 4, so
# squarings2 is exact at n = 3.
# reach:path and reach:flower start at n = 4 (their smallest graphs), so four doublings would need
# n = 64 (1.6M and 6.5M gates for squaring, 9 and 35 s to build): at 4, 8, 16, 32 their squaring
# family stays "undetermined" between log n and log^2 n (the study says so), and the grid keeps the
# cheap sizes that show bfs growing linearly and squarings2 failing.
# Rule 90 on a power-of-two ring dies out (every configuration reaches 0 within the width), so the
# automata run on odd widths. On a width-3 ring rules 30 and 110 give every row the same centre cell
# after 3 steps (a one-label dataset, which ca:rule30 / ca:rule110 refuse), so they start at 7.
# timelock (t = n squarings of O(n) depth, 16 n (2n - 1)) needs a factor 4 in n: 3..12 (a 56k-gate
# step at n = 12).
_ODD = (3, 7, 15, 31, 63, 127)
_ODD7 = _ODD[1:]
_REACH = (3, 5, 9, 17, 33)


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
        GridEntry("reach:path", (4, 8, 16, 32), count=128),
        GridEntry("reach:random", _REACH, count=128),
        GridEntry("reach:flower", (4, 8, 16, 32), count=128),
        GridEntry("reach:cycles", _REACH, count=128),
        GridEntry("cvp", (4, 8, 12, 16, 24), count=128),
        GridEntry("ca:rule110", _ODD7, count=256),
        GridEntry("ca:rule30", _ODD7, count=256),
        GridEntry("ca:rule90", _ODD, count=256),
        GridEntry("sudoku", (1, 2, 4, 8, 12, 16), count=32),
        GridEntry("timelock", (3, 4, 6, 8, 12), count=64),
    ]
}

_QUICK: dict[str, GridEntry] = {
    e.problem: e
    for e in [
        # parity and majority reach 256: over 2..64 their small integer depths (1..6) are followed
        # within rounding by a log^2 n curve as well; the extra sizes cost milliseconds
        GridEntry("parity", (2, 4, 8, 16, 32, 64, 128, 256), count=128),
        GridEntry("majority", (3, 5, 9, 17, 33, 65, 129, 257), count=128),
        GridEntry("add", (3, 4, 8, 16, 32), count=128),
        GridEntry("iadd", (2, 3, 4, 6, 8), count=64),
        # the non-solvable word problem of the quick grid is A5 (Barrington's group): its tree needs
        # n = 32 for a determined growth, 115k gates, where S5's is 450k (about 3 s more)
        GridEntry("word:A5", (2, 4, 8, 16, 32), count=64),
        GridEntry("word:Z5", (2, 4, 8, 16, 32), count=64),
        GridEntry("word:flipflop", (2, 4, 8, 16, 32), count=64),
        GridEntry("reach:random", _REACH, count=64),
        GridEntry("cvp", (4, 8, 12, 16), count=64),
        GridEntry("ca:rule110", (7, 15, 31, 63), count=128),
        GridEntry("ca:rule90", (3, 7, 15, 31, 63), count=128),
        GridEntry("sudoku", (1, 2, 4, 8, 16), count=8),
        GridEntry("timelock", (3, 4, 6, 12), count=32),
    ]
}


# The large grid: the default grid's problems at the sizes where one machine waits, for a Dask
# cluster (`serialcomp study --grid large --scheduler ...`). S5's composition tree at n = 1024 is
# 15M gates (about 100 s for the one cell); reach:random's squaring at n = 129 is 15M (90 s); the
# fourth doubling of reach:path and reach:flower (n = 64: 1.5M and 6.5M gates) determines their
# squaring growth, which the default grid leaves undetermined. Families whose circuits grow faster
# than the rest are capped by max_n: the S5/A5 block products (7.8M gates at n = 128); iadd stops
# at 40 summands, since its threshold family's weights pass 2**40 (MAX_WEIGHT) beyond. Cell times are in
# docs/BENCHMARKS.md; the whole grid takes about 8.5 minutes on one core.
_LARGE: dict[str, GridEntry] = {
    **_DEFAULT,
    **{e.problem: e for e in [
        GridEntry("parity", (2, 4, 8, 16, 32, 64, 128, 256, 512, 1024, 2048, 4096), count=256),
        GridEntry("majority", (3, 5, 9, 17, 33, 65, 129, 257, 513, 1025, 2049, 4097), count=256),
        GridEntry("add", (3, 4, 8, 16, 32, 64, 128, 256, 512), count=256),
        GridEntry("iadd", (2, 3, 4, 6, 8, 12, 16, 24, 32, 40), count=128),
        GridEntry("word:Z5", _P2 + (128, 256, 512, 1024), count=256),
        GridEntry("word:flipflop", _P2 + (128, 256, 512, 1024), count=256),
        GridEntry("word:S3", _P2 + (128, 256, 512, 1024), count=256),
        GridEntry("word:A5", (2, 4, 8, 16, 32, 64, 128, 256), count=128, max_n={"blocks": 64}),
        GridEntry("word:S5", (2, 4, 8, 16, 32, 64, 128, 256, 512, 1024), count=128, max_n={"blocks": 64}),
        GridEntry("reach:path", (4, 8, 16, 32, 64), count=128),
        GridEntry("reach:random", _REACH + (65, 129), count=128),
        GridEntry("reach:flower", (4, 8, 16, 32, 64), count=128),
        GridEntry("reach:cycles", _REACH + (65,), count=128),
        GridEntry("cvp", (4, 8, 12, 16, 24, 32, 48), count=128),
        GridEntry("ca:rule110", _ODD7 + (255,), count=256),
        GridEntry("ca:rule30", _ODD7 + (255,), count=256),
        GridEntry("ca:rule90", _ODD + (255, 511), count=256),
        GridEntry("sudoku", (1, 2, 4, 8, 12, 16, 20, 24), count=32),
        GridEntry("timelock", (3, 4, 6, 8, 12, 16, 24), count=64),
    ]},
}


#: The grids by name (``serialcomp study --grid NAME``).
GRIDS = ("quick", "default", "large")


def _grid(name: str) -> dict[str, GridEntry]:
    if name not in GRIDS:
        raise SerialcompError(f"study: unknown grid {name!r} (the grids: {', '.join(GRIDS)})")
    return {"quick": _QUICK, "default": _DEFAULT, "large": _LARGE}[name]


def grid_problems(quick: bool = False, name: str | None = None) -> list[str]:
    """The problem keys of a grid (``name``; else the quick grid when ``quick``, else the default
    one), in table order.

    Example
    -------
    >>> grid_problems(quick=True)[:3], set(grid_problems(quick=True)) <= set(grid_problems())
    (['parity', 'majority', 'add'], True)
    >>> grid_problems(name="large") == grid_problems()
    True
    """
    return list(_grid(name or ("quick" if quick else "default")).keys())


def default_grid(quick: bool = False, problems: Iterable[str] | None = None, name: str | None = None) -> list[GridEntry]:
    """The grid ``serialcomp study`` runs.

    Parameters
    ----------
    quick : bool
        The small grid (about 14 s on 2 cores) instead of the default one (about 50 s).
    name : {"quick", "default", "large"}, optional
        The grid by name (overrides ``quick``). ``large`` has the default grid's problems at larger
        sizes (the S5 word problem to n = 1024, reach:random to 129 nodes, iadd to 40 summands, ...),
        about 8.5 minutes on one core: a grid for ``--scheduler``.
    problems : iterable of str, optional
        Only these problem keys, in the order given; a repeated key is kept once (at its first
        place). A key with circuit families that the chosen grid does not list is taken from the
        default grid, then from sizes 2..32; an unknown key is an error.

    Returns
    -------
    list of GridEntry

    Notes
    -----
    Sizes are chosen so that :func:`~serialcomp.measure.fit_growth` determines each family's growth
    (a bounded family's flat depth spans a factor >= 4 in n; a growing one is measured at enough
    sizes, over enough doublings, that no other class fits it as well or rounds to the same
    depths) and each bounded family is exact at the smallest sizes and fails at the largest ones.
    Two exceptions are labelled ``undetermined``: the squaring family of ``reach:path`` and
    ``reach:flower`` in the default grid, whose fourth doubling (n = 64) would take longer than the
    rest of the study (the large grid has it, and determines log n), and the S5/A5 block products
    in every grid, whose depth 2 ceil(log_b n) + 4, b = max(2, ceil(log2 n)), is
    Theta(log n / log log n): between the fit's classes 1 and log n.

    Example
    -------
    >>> [(e.problem, tuple(e.ns), e.count) for e in default_grid(quick=True, problems=["timelock", "cvp"])]
    [('timelock', (3, 4, 6, 12), 32), ('cvp', (4, 8, 12, 16), 64)]
    >>> e = default_grid(problems=["reach:cycles"])[0]
    >>> e.ns, e.count
    ((3, 5, 9, 17, 33), 128)
    >>> default_grid(problems=["word:Z7"])[0].ns       # not in the grid: sizes 2..32
    (2, 4, 8, 16, 32)
    """
    chosen = _grid(name or ("quick" if quick else "default"))
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
