"""Faults on a Dask cluster, for tests: a worker plugin that ends its worker's process as it starts
a chosen task, once per cluster.

What Dask promises on a lost worker (its tasks and the results it held are computed again
elsewhere) is what serialcomp's "a cluster run gives the bytes of a one-process run" rests on;
these helpers make the loss happen at a known moment instead of by chance.

Example
-------
>>> plugin = die_once("/tmp/flag-that-does-not-exist", "cell-")   # doctest: +SKIP
>>> client.register_plugin(plugin)                                 # doctest: +SKIP
"""

from __future__ import annotations

import os
from typing import Any

__all__ = ["die_once", "killed"]


def die_once(flag: str | os.PathLike[str], prefix: str) -> Any:
    """A ``distributed.WorkerPlugin`` that ends its worker's process (``os._exit(1)``, as the
    kernel's out-of-memory killer would) the first time any worker of the cluster starts executing
    a task whose key starts with ``prefix``. The file ``flag``, created exclusively, makes it once
    per cluster whichever worker gets there first, and records ``"<pid> <key>"`` of the kill.

    Parameters
    ----------
    flag : path
        A file that must not exist yet, on a filesystem every worker sees.
    prefix : str
        Key prefix of the tasks to die on (serialcomp's keys: ``cell-``, ``sample-``, ``shard-``,
        ``train-``, ``eval-``).

    Returns
    -------
    distributed.WorkerPlugin
        For ``client.register_plugin``.
    """
    import distributed

    class _DieOnce(distributed.WorkerPlugin):
        name = "serialcomp-die-once"

        def __init__(self, flag: str, prefix: str) -> None:
            self.flag, self.prefix = flag, prefix

        def transition(self, key: Any, start: str, finish: str, **kwargs: Any) -> None:
            if finish != "executing" or not str(key).startswith(self.prefix):
                return
            try:
                fd = os.open(self.flag, os.O_CREAT | os.O_EXCL | os.O_WRONLY)
            except FileExistsError:
                return
            os.write(fd, f"{os.getpid()} {key}".encode())
            os.close(fd)
            os._exit(1)

    return _DieOnce(os.fspath(flag), prefix)


def killed(flag: str | os.PathLike[str]) -> tuple[int, str] | None:
    """``(pid, key)`` of the kill :func:`die_once` recorded in ``flag``, or None if none happened.

    Example
    -------
    >>> killed("/nonexistent/flag") is None
    True
    """
    try:
        pid, key = open(flag).read().split(maxsplit=1)
    except (OSError, ValueError):
        return None
    return int(pid), key
