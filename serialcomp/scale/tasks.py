"""Tasks on a Dask client: submit calls, show a progress bar as their futures complete, and give
the results back in the order the calls were given (never the order they completed in).

Also what a worker is sent: circuit families and instances travel as plain data
(:func:`portable_family`, :func:`portable_instances`) and are rebuilt on the worker, since a
family's build cache and an instance batch's problem object are per-process.
"""

from __future__ import annotations

import sys
import uuid
from dataclasses import fields, replace
from typing import Any, Callable, Sequence

from .._atomic import check_interrupted
from ..errors import SerialcompError

__all__ = ["PortableFamily", "TaskError", "collect", "portable_family", "portable_instances", "run_tasks",
           "task_key"]


class TaskError(SerialcompError):
    """A Dask task failed for a reason that is not a serialcomp error: serialcomp missing on a
    worker, or a task that killed its workers (out of memory) more often than Dask allows."""


class PortableFamily:
    """A :class:`~serialcomp.ir.family.CircuitFamily` as its fields, rebuilt where it is used.

    Example
    -------
    >>> import pickle
    >>> from serialcomp.problems import get_problem
    >>> fam = get_problem("parity").family("xor_tree")
    >>> back = pickle.loads(pickle.dumps(portable_family(fam))).family
    >>> back.name, back(8).depth() == fam(8).depth()
    ('xor_tree', True)
    """

    def __init__(self, family: Any) -> None:
        self.state = {f.name: getattr(family, f.name) for f in fields(family)}

    @property
    def family(self) -> Any:
        """The family, built from the fields (with a fresh build cache)."""
        from ..ir.family import CircuitFamily

        return CircuitFamily(**self.state)


def portable_family(family: Any) -> PortableFamily:
    """``family`` in the form a worker is sent (see :class:`PortableFamily`)."""
    return PortableFamily(family)


def portable_instances(instances: Any) -> Any:
    """``instances`` without their problem object (the worker looks the problem up by its key).

    Example
    -------
    >>> import pickle
    >>> from serialcomp.problems import get_problem
    >>> inst = get_problem("parity").sample(4, 3, seed=0)
    >>> back = pickle.loads(pickle.dumps(portable_instances(inst)))
    >>> back.problem_obj.key, (back.inputs["x"] == inst.inputs["x"]).all()
    ('parity', np.True_)
    """
    return replace(instances, solver=None)


def task_key(prefix: str, *parts: Any) -> str:
    """A unique, readable Dask key: ``prefix-part-part-<random>`` (a run's tasks never collide
    with another run's on a shared scheduler).

    Example
    -------
    >>> task_key("cell", "parity", "xor_tree", 8).startswith("cell-parity-xor_tree-8-")
    True
    """
    text = "-".join([prefix, *(str(p).replace(" ", "_") for p in parts)])
    return f"{text}-{uuid.uuid4().hex[:12]}"


def _bar(total: int, desc: str, unit: str, progress: bool) -> Any:
    if not progress or not total:
        return None
    from tqdm import tqdm

    return tqdm(total=total, desc=desc, unit=unit, file=sys.stderr, leave=False)


def _failed(exc: BaseException, label: str) -> BaseException:
    """The exception to raise for a failed task: serialcomp's own as they are, others as one line."""
    if isinstance(exc, SerialcompError):
        return exc
    if isinstance(exc, ModuleNotFoundError):
        return TaskError(f"{label}: a Dask worker cannot import {exc.name or 'a module'} ({exc}); install serialcomp "
                         "with the same extras on every worker")
    if type(exc).__name__ == "KilledWorker":
        return TaskError(f"{label}: the task was lost with every worker that ran it ({exc}); it may need more memory "
                         "than a worker has")
    return exc


def collect(futures: Sequence[Any], *, desc: str = "tasks", unit: str = "task", progress: bool = False,
            labels: Sequence[str] | None = None, weights: Sequence[int] | None = None,
            on_result: Callable[[int, Any], None] | None = None) -> list[Any]:
    """Wait for ``futures``; their results in the order given.

    Parameters
    ----------
    futures : sequence of distributed.Future
    desc, unit : str
        The progress bar's label and unit.
    progress : bool
        Show a tqdm bar on stderr, advanced as each future completes (in completion order).
    labels : sequence of str, optional
        What each future is (``"parity xor_tree n=8"``): shown on the bar, and named in errors.
    weights : sequence of int, optional
        How far each future advances the bar (e.g. the records of a shard; default 1).
    on_result : callable, optional
        Called as ``on_result(position, result)`` when a future completes.

    Raises
    ------
    SerialcompError
        The first failure (a task's own serialcomp error as it is); the other futures are cancelled.

    Example
    -------
    >>> collect([])
    []
    """
    futures = list(futures)
    if not futures:
        return []
    from distributed import as_completed

    labels = list(labels) if labels is not None else [f"task {i}" for i in range(len(futures))]
    weights = list(weights) if weights is not None else [1] * len(futures)
    position = {f.key: i for i, f in enumerate(futures)}
    results: list[Any] = [None] * len(futures)
    bar = _bar(sum(weights), desc, unit, progress)
    try:
        for fut in as_completed(futures, loop=futures[0].client.loop):
            i = position[fut.key]
            try:
                results[i] = fut.result()
            except Exception as exc:  # noqa: BLE001 - re-raised, as it is or as one line
                raise _failed(exc, labels[i]) from None
            check_interrupted()
            if on_result is not None:
                on_result(i, results[i])
            if bar is not None:
                bar.set_postfix_str(labels[i], refresh=False)
                bar.update(weights[i])
    except BaseException:
        for fut in futures:
            fut.cancel()
        raise
    finally:
        if bar is not None:
            bar.close()
    return results


def run_tasks(client: Any, fn: Callable[..., Any], argsets: Sequence[tuple[Any, ...]], *, key: str = "task",
              resources: dict[str, float] | None = None, **collect_options: Any) -> list[Any]:
    """``[fn(*args) for args in argsets]`` as Dask tasks on ``client``, results in that order.

    Each call is one task (``pure=False``: nothing is deduplicated or cached between runs);
    ``resources`` (e.g. ``{"GPU": 1}``) sends them to workers that declare those resources. The
    other options go to :func:`collect` (progress bar, labels, weights).

    Example
    -------
    >>> run_tasks(client, pow, [(2, 3), (3, 2)])   # doctest: +SKIP
    [8, 9]
    """
    futures = [client.submit(fn, *args, key=task_key(key, i), pure=False, resources=resources)
               for i, args in enumerate(argsets)]
    return collect(futures, **collect_options)
