"""Scale-out on Dask distributed: study cells, dataset shards and looped-model sweeps as Dask tasks.

The in-process run is the default everywhere; ``scheduler="local:N"`` (a ``LocalCluster`` of N
worker processes, one thread each), ``scheduler="tcp://HOST:PORT"`` (a running cluster) or a
``distributed.Client`` sends the same work to Dask instead. The results are the same bytes
whichever runs them: every task is a pure function of its arguments, and results are put in the
order of their grid position, never of completion.

=====================  ===========================================================================
module                 what
=====================  ===========================================================================
:mod:`.scheduler`      :func:`parse_scheduler`, :func:`connect` (a Client for a spec, closed after),
                       :func:`require_dask`, the errors (missing extra, unreachable scheduler)
:mod:`.tasks`          :func:`run_tasks`: submit calls, a progress bar as futures complete, results
                       in submission order; what a worker is sent (families, instances)
:mod:`.cells`          the study's cells as tasks (:func:`dask_cells`, used by
                       :func:`serialcomp.measure.study_cells` with ``scheduler=``)
:mod:`.shards`         :func:`write_shards`: a Parquet dataset folder ``part-00000.parquet``, ...
:mod:`.sweep`          :func:`read_sweep_grid`, :func:`run_sweep`: looped-model train and eval
                       jobs, GPU jobs on workers that declare the ``GPU`` resource
=====================  ===========================================================================

Nothing here imports dask at import time: the core and ``serialcomp --help`` work without the
``dask`` extra, and asking for a scheduler without it is one line naming the extra.

Example
-------
>>> parse_scheduler("local:2")
SchedulerSpec(kind='local', workers=2, address=None)
"""

from __future__ import annotations

from .scheduler import (CONNECT_TIMEOUT, DaskUnavailableError, SchedulerSpec, SchedulerUnreachableError, connect,
                        parse_scheduler, require_dask)
from .shards import SHARD_PATTERN, shard_bounds, shard_name, write_shards
from .sweep import SWEEP_COLUMNS, SweepGrid, read_sweep_grid, run_sweep
from .tasks import run_tasks

__all__ = [
    "CONNECT_TIMEOUT", "DaskUnavailableError", "SHARD_PATTERN", "SWEEP_COLUMNS", "SchedulerSpec",
    "SchedulerUnreachableError", "SweepGrid", "connect", "parse_scheduler", "read_sweep_grid", "require_dask",
    "run_sweep", "run_tasks", "shard_bounds", "shard_name", "write_shards",
]
