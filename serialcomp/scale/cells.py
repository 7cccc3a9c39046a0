"""The study's cells as Dask tasks: one sampling task per (problem, n), one measuring task per
(problem, family, n) that depends on it.

This is the Dask side of :func:`serialcomp.measure.study_cells` (``scheduler="local:2"``,
``"tcp://HOST:PORT"`` or a client). The tasks call the same functions as the in-process run with
the same seeds, so the cells are equal to the in-process ones field for field (``seconds`` aside,
the wall-clock time of each cell), and they come back in grid order, whichever worker finished
first. A worker lost in the middle of a study loses its tasks and the samples it held; Dask runs
them again elsewhere from their inputs, so the result does not change.
"""

from __future__ import annotations

import time
from dataclasses import replace
from typing import Any, Sequence

from .._seed import derive_seed
from .scheduler import connect
from .tasks import collect, portable_family, portable_instances, task_key

__all__ = ["dask_cells", "sample_task", "cell_task"]


def sample_task(problem: str, n: int, count: int, seed: int, sample_params: dict[str, Any]) -> tuple[Any, float]:
    """Sample ``count`` instances of ``problem`` at ``n`` with the study's seed for (problem, n);
    returns them (portable) and the seconds it took.

    Example
    -------
    >>> inst, seconds = sample_task("parity", 4, 3, 0, {})
    >>> len(inst), inst.seed == derive_seed(0, "parity", 4)
    (3, True)
    """
    from ..problems import get_problem

    t0 = time.perf_counter()
    inst = get_problem(problem).sample(n, count, derive_seed(seed, problem, n), **sample_params)
    return portable_instances(inst), time.perf_counter() - t0


def cell_task(family: Any, n: int, problem: str, sample: tuple[Any, float] | None, first: bool) -> Any:
    """Measure one cell, as the in-process study does: build ``family`` at ``n`` and simulate the
    sampled instances (none: depth only). ``seconds`` include the sampling when ``first`` (the
    first cell of its (problem, n)).

    Example
    -------
    >>> from serialcomp.problems import get_problem
    >>> fam = portable_family(get_problem("parity").family("xor_tree"))
    >>> c = cell_task(fam, 4, "parity", sample_task("parity", 4, 3, 0, {}), True)
    >>> c.family, c.serial_depth, c.accuracy, c.count
    ('xor_tree', 2, 1.0, 3)
    """
    from ..measure.cell import measure_cell
    from ..problems import get_problem

    t0 = time.perf_counter()
    inst, sampled = sample if sample is not None else (None, 0.0)
    cell = measure_cell(family.family, n, get_problem(problem), instances=inst)
    seconds = time.perf_counter() - t0 + (sampled if first else 0.0)
    return replace(cell, seconds=round(seconds, 4))


def dask_cells(jobs: Sequence[tuple[Any, Any, Any, int]], seed: int, scheduler: Any, progress: bool = False) -> list[Any]:
    """The cells of ``jobs`` measured as Dask tasks on ``scheduler``, in the order of ``jobs``.

    Parameters
    ----------
    jobs : sequence of (GridEntry, Problem, CircuitFamily, n)
        The study's cells in grid order (as :func:`serialcomp.measure.study_cells` lists them).
    seed : int
        The study's seed.
    scheduler : str or distributed.Client
        ``local[:N]``, ``tcp://HOST:PORT`` or a client (left open).
    progress : bool
        A progress bar on stderr, advanced as cells complete.

    Returns
    -------
    list of Cell

    Example
    -------
    >>> from serialcomp.measure import GridEntry, study_cells
    >>> cells = study_cells([GridEntry("parity", (2, 4), count=4)], scheduler="local:2")  # doctest: +SKIP
    >>> cells == study_cells([GridEntry("parity", (2, 4), count=4)])                       # doctest: +SKIP
    True
    """
    if not jobs:
        return []
    with connect(scheduler) as client:
        samples: dict[tuple[str, int], Any] = {}
        futures, labels = [], []
        families: dict[int, Any] = {}
        for e, _prob, fam, n in jobs:
            sample, first = None, False
            if e.accuracy_up_to is None or n <= e.accuracy_up_to:
                where = (e.problem, n)
                if where not in samples:
                    samples[where] = client.submit(sample_task, e.problem, n, e.count, seed, dict(e.sample_params),
                                                   key=task_key("sample", e.problem, n), pure=False)
                    first = True
                sample = samples[where]
            portable = families.setdefault(id(fam), portable_family(fam))
            futures.append(client.submit(cell_task, portable, n, e.problem, sample, first,
                                         key=task_key("cell", e.problem, fam.name, n), pure=False))
            labels.append(f"{e.problem} {fam.name} n={n}")
        try:
            return collect(futures, desc="study", unit="cell", progress=progress, labels=labels)
        except BaseException:
            for fut in samples.values():  # collect cancels the cells; the samples are ours to cancel
                fut.cancel()
            raise
