"""Studies: the grid problems x families x n, measured as a list of cells and viewed as one tidy table."""

from __future__ import annotations

import sys
import time
from dataclasses import dataclass, field, replace
from typing import Any, Iterable, Sequence

import pandas as pd

from .._atomic import check_interrupted
from .._seed import derive_seed
from .._validate import check_int
from ..errors import ProblemParameterError, SerialcompError
from ..ir.family import CircuitFamily
from .cell import Cell, measure_cell
from .growth import fit_growth

__all__ = ["COLUMNS", "GridEntry", "study", "study_cells", "study_table"]

#: Columns of a study table (one row per problem, family, n): a view of the cells, plus the
#: family's fitted growth.
COLUMNS = [
    "problem", "family", "kind", "n", "depth", "size", "serial_depth", "steps", "accuracy",
    "mean_steps_used", "claimed_depth", "claimed", "agrees", "fitted_growth", "seconds",
]


@dataclass(frozen=True)
class GridEntry:
    """One problem of a study: its sizes, its families, and sampling options.

    Attributes
    ----------
    problem : str
        Registry key.
    ns : sequence of int
        Sizes to measure.
    families : sequence of CircuitFamily, or callable, optional
        Default: every family the problem registers. A callable is called with the problem (at
        study time, so a grid can name families without building problems on import).
    count : int
        Instances per n for accuracy (at least 1).
    sample_params : dict
        Parameters for ``problem.sample`` (e.g. a knob held fixed).
    accuracy_up_to : int, optional
        Skip simulation above this n (depth is still measured): for families whose circuits get big.
    max_n : dict of str to int
        Per family name, the largest n to build at all (constructions whose size grows fast).

    Example
    -------
    >>> e = GridEntry("parity", (2, 4, 8), count=16)
    >>> e.problem, tuple(e.ns), e.count, e.families, e.max_n
    ('parity', (2, 4, 8), 16, None, {})
    >>> GridEntry("parity", (2, 4), count=0)
    Traceback (most recent call last):
    ...
    serialcomp.errors.ProblemParameterError: GridEntry('parity').count must be >= 1, got 0
    """

    problem: str
    ns: Sequence[int]
    families: Sequence[CircuitFamily] | None = None
    count: int = 128
    sample_params: dict[str, Any] = field(default_factory=dict)
    accuracy_up_to: int | None = None
    max_n: dict[str, int] = field(default_factory=dict)

    def __post_init__(self) -> None:
        count = check_int(f"GridEntry({self.problem!r}).count", self.count, 1, error=ProblemParameterError)
        object.__setattr__(self, "count", count)


def _families_of(problem: Any, entry: GridEntry) -> list[CircuitFamily]:
    if callable(entry.families):
        return list(entry.families(problem))
    if entry.families is not None:
        return list(entry.families)
    fams = problem.families() if hasattr(problem, "families") else []
    if not fams:
        raise SerialcompError(f"problem {entry.problem!r} has no circuit families to study")
    return list(fams)


def study_cells(grid: Iterable[GridEntry], seed: int = 0, progress: bool = True, scheduler: Any = None) -> list[Cell]:
    """Measure every (problem, family, n) of ``grid`` as a :class:`~serialcomp.measure.Cell`.

    Instances are sampled once per (problem, n), with the seed ``derive_seed(seed, problem, n)``,
    and shared by the problem's families; each circuit is built and compiled once. A cell's
    ``seconds`` include the sampling when it was the first of its (problem, n).

    Parameters
    ----------
    grid : iterable of GridEntry
    seed : int
    progress : bool
        A progress bar on stderr (advanced as cells complete).
    scheduler : str or distributed.Client, optional
        None or ``"none"``: this process (the default). ``"local:N"`` (a LocalCluster of N
        worker processes), ``"tcp://HOST:PORT"`` or a ``distributed.Client``: every cell is a
        Dask task (:mod:`serialcomp.scale.cells`, the ``dask`` extra), and the cells are equal
        to the in-process ones (``seconds`` aside), in the same order.

    Raises
    ------
    SerialcompError
        If two entries of ``grid`` name the same problem; for a scheduler, when the ``dask``
        extra is missing or its address does not answer.

    Example
    -------
    >>> cells = study_cells([GridEntry("parity", (2, 4), count=4)], progress=False)
    >>> [(c.family, c.n, c.serial_depth, c.accuracy, c.count) for c in cells][:3]
    [('xor_tree', 2, 1, 1.0, 4), ('xor_tree', 4, 2, 1.0, 4), ('threshold2', 2, 2, 1.0, 4)]
    """
    from ..problems import get_problem

    entries = list(grid)
    seen: set[str] = set()
    for e in entries:
        if e.problem in seen:
            raise SerialcompError(
                f"study: problem {e.problem!r} appears in more than one GridEntry; give each problem once"
            )
        seen.add(e.problem)
    jobs = []
    for e in entries:
        prob = get_problem(e.problem)
        for fam in _families_of(prob, e):
            for n in e.ns:
                if int(n) <= e.max_n.get(fam.name, int(n)):
                    jobs.append((e, prob, fam, int(n)))
    from ..scale.scheduler import in_process  # imports no dask

    if not in_process(scheduler):
        from ..scale.cells import dask_cells  # dask only when a scheduler is asked for

        return dask_cells(jobs, seed, scheduler, progress=progress)
    bar = None
    if progress:
        from tqdm import tqdm

        bar = tqdm(total=len(jobs), desc="study", unit="cell", file=sys.stderr, leave=False)
    cells = []
    samples: dict[tuple[str, int], Any] = {}
    try:
        for e, prob, fam, n in jobs:
            if bar is not None:
                bar.set_postfix_str(f"{e.problem} {fam.name} n={n}", refresh=False)
            t0 = time.perf_counter()
            inst = None
            if e.accuracy_up_to is None or n <= e.accuracy_up_to:
                key = (e.problem, n)
                if key not in samples:
                    samples[key] = prob.sample(n, e.count, derive_seed(seed, e.problem, n), **e.sample_params)
                inst = samples[key]
            cell = measure_cell(fam, n, prob, instances=inst)
            check_interrupted()
            cells.append(replace(cell, seconds=round(time.perf_counter() - t0, 4)))
            if bar is not None:
                bar.update(1)
    finally:
        if bar is not None:
            bar.close()
    return cells


def study_table(cells: Iterable[Cell]) -> pd.DataFrame:
    """The cells of a study as one tidy table: columns :data:`COLUMNS`, one row per cell.

    ``fitted_growth`` is :func:`~serialcomp.measure.fit_growth` of serial depth over the family's
    n (the same on each of its rows; ``"undetermined"`` when those sizes cannot separate two
    classes, None with fewer than 3 sizes). A missing accuracy (not simulated) is NaN.

    Example
    -------
    >>> cells = study_cells([GridEntry("parity", (2, 4, 8, 16, 32, 64, 128, 256), count=4)], progress=False)
    >>> t = study_table(cells)
    >>> t.groupby("family", sort=False)["fitted_growth"].first().to_dict()
    {'xor_tree': 'log n', 'threshold2': '1', 'stream': 'n'}
    """
    nan = float("nan")
    rows = []
    for c in cells:
        row = {k: getattr(c, k) for k in COLUMNS if k != "fitted_growth"}
        row["accuracy"] = nan if c.accuracy is None else c.accuracy
        row["mean_steps_used"] = nan if c.mean_steps_used is None else c.mean_steps_used
        row["fitted_growth"] = None
        rows.append(row)
    table = pd.DataFrame(rows, columns=COLUMNS)
    for (_, _), grp in table.groupby(["problem", "family"], sort=False):
        if grp["n"].nunique() >= 3:
            table.loc[grp.index, "fitted_growth"] = fit_growth(grp["n"], grp["serial_depth"]).growth
    return table


def study(grid: Iterable[GridEntry], seed: int = 0, progress: bool = True, scheduler: Any = None) -> pd.DataFrame:
    """Measure every (problem, family, n) of ``grid``: depth, size, serial depth, accuracy, fits.

    ``study_table(study_cells(grid, seed, progress, scheduler))``: the cells (:func:`study_cells`,
    in this process or as Dask tasks on ``scheduler``) viewed as one table (:func:`study_table`,
    columns :data:`COLUMNS`).

    Raises
    ------
    SerialcompError
        If two entries of ``grid`` name the same problem.

    Notes
    -----
    The table is deterministic: the same grid and ``seed`` give the same rows, except ``seconds``
    (the wall-clock time of each cell), the one column that differs from run to run. ``claimed``
    is the claimed depth at n (an integer) and ``agrees`` whether the serial depth equals it (is at
    most it, for a family whose claim is an upper bound).

    Example
    -------
    >>> t = study([GridEntry("parity", (2, 4, 8, 16), count=4)], progress=False)
    >>> t[["family", "n", "serial_depth", "accuracy", "fitted_growth", "claimed_depth"]]
            family   n  serial_depth  accuracy fitted_growth claimed_depth
    0     xor_tree   2             1       1.0  undetermined  ceil(log2 n)
    1     xor_tree   4             2       1.0  undetermined  ceil(log2 n)
    2     xor_tree   8             3       1.0  undetermined  ceil(log2 n)
    3     xor_tree  16             4       1.0  undetermined  ceil(log2 n)
    4   threshold2   2             2       1.0             1             2
    5   threshold2   4             2       1.0             1             2
    6   threshold2   8             2       1.0             1             2
    7   threshold2  16             2       1.0             1             2
    8       stream   2             2       1.0             n             n
    9       stream   4             4       1.0             n             n
    10      stream   8             8       1.0             n             n
    11      stream  16            16       1.0             n             n
    """
    return study_table(study_cells(grid, seed=seed, progress=progress, scheduler=scheduler))
