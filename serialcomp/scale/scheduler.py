"""Which Dask runs the work: a scheduler spec (``none``, ``local[:N]``, ``tcp://HOST:PORT``) and
the client for it.

``none`` is the in-process run (no Dask at all). ``local:N`` starts a ``LocalCluster`` of N
worker processes with one thread each (``local`` alone: one per available core) and closes it
when the work is done; ``tcp://HOST:PORT`` (or ``tls://``) connects to a running scheduler, with
a short connect timeout, and leaves the cluster running. dask is imported only here, and only
when a scheduler is asked for.
"""

from __future__ import annotations

import contextlib
import logging
import os
import re
from dataclasses import dataclass
from typing import Any, Iterator

from ..errors import SerialcompError

__all__ = ["CONNECT_TIMEOUT", "DaskUnavailableError", "SchedulerError", "SchedulerSpec", "SchedulerUnreachableError",
           "connect", "in_process", "is_client", "parse_scheduler", "require_dask", "scheduler_option"]

CONNECT_TIMEOUT = 5.0
"""Seconds to wait for a scheduler address to answer before giving up (one line naming it)."""

_ADDRESS = re.compile(r"^(tcp|tls)://(\[[0-9A-Fa-f:.]+\]|[A-Za-z0-9_.-]+):([0-9]{1,5})/?$")
_EXTRA = "pip install 'serialcomp[dask]' (or: bash scripts/install.sh dask)"


class SchedulerError(SerialcompError, ValueError):
    """A scheduler spec is not one of ``none``, ``local``, ``local:N``, ``tcp://HOST:PORT``."""


class DaskUnavailableError(SerialcompError):
    """dask or distributed is not installed (the message names the ``dask`` extra)."""


class SchedulerUnreachableError(SerialcompError):
    """No Dask scheduler answered at the address given (the message names the address)."""


@dataclass(frozen=True)
class SchedulerSpec:
    """A parsed scheduler spec.

    Attributes
    ----------
    kind : {"none", "local", "address"}
        In-process, a LocalCluster started for the run, or a running scheduler.
    workers : int or None
        Worker processes of a LocalCluster (one thread each).
    address : str or None
        The scheduler's address (``tcp://HOST:PORT``).

    Example
    -------
    >>> parse_scheduler("tcp://10.0.0.5:8786").address
    'tcp://10.0.0.5:8786'
    """

    kind: str
    workers: int | None = None
    address: str | None = None

    @property
    def in_process(self) -> bool:
        """Whether this is the in-process run (``none``)."""
        return self.kind == "none"

    def __str__(self) -> str:
        if self.kind == "local":
            return f"local:{self.workers}"
        return self.address if self.kind == "address" else "none"


def _cores() -> int:
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except (AttributeError, OSError):  # pragma: no cover - not Linux
        return max(1, os.cpu_count() or 1)


def parse_scheduler(text: str | None, what: str = "--scheduler") -> SchedulerSpec:
    """Parse a scheduler spec: ``none`` (or None), ``local``, ``local:N`` or ``tcp://HOST:PORT``.

    Parameters
    ----------
    text : str or None
        The spec. ``local`` alone starts one worker per available core.
    what : str
        How the spec is named in errors.

    Returns
    -------
    SchedulerSpec

    Raises
    ------
    SchedulerError
        One line naming ``what`` and what was expected.

    Example
    -------
    >>> parse_scheduler(None).in_process, parse_scheduler("local:3").workers
    (True, 3)
    >>> parse_scheduler("localhost:8786")
    Traceback (most recent call last):
    ...
    serialcomp.scale.scheduler.SchedulerError: --scheduler: expected none, local, local:N (N >= 1 workers) or tcp://HOST:PORT, got 'localhost:8786'
    """
    if text is None or text.strip().lower() in ("", "none"):
        return SchedulerSpec("none")
    t = text.strip()
    if t.lower() == "local":
        return SchedulerSpec("local", workers=_cores())
    m = re.fullmatch(r"local:([0-9]+)", t, flags=re.IGNORECASE)
    if m and int(m.group(1)) >= 1:
        return SchedulerSpec("local", workers=int(m.group(1)))
    m = _ADDRESS.match(t)
    if m and 0 < int(m.group(3)) < 65536:
        return SchedulerSpec("address", address=t.rstrip("/"))
    raise SchedulerError(f"{what}: expected none, local, local:N (N >= 1 workers) or tcp://HOST:PORT, got {text!r}")


def in_process(scheduler: Any) -> bool:
    """Whether ``scheduler`` asks for the in-process run: None, ``"none"`` (or empty, any case) or
    a :class:`SchedulerSpec` of kind ``none``. Checked without importing dask.

    Example
    -------
    >>> in_process(None), in_process(" None "), in_process(parse_scheduler("none")), in_process("local:2")
    (True, True, True, False)
    """
    if scheduler is None:
        return True
    if isinstance(scheduler, SchedulerSpec):
        return scheduler.in_process
    return isinstance(scheduler, str) and scheduler.strip().lower() in ("", "none")


def require_dask(what: str = "--scheduler") -> Any:
    """Import and return ``distributed``, or raise :class:`DaskUnavailableError` naming the extra.

    Example
    -------
    >>> require_dask().__name__
    'distributed'
    """
    try:
        import dask  # noqa: F401
        import distributed
    except ImportError as exc:
        raise DaskUnavailableError(f"{what} needs dask and distributed, which are not installed ({exc}); install "
                                   f"the extra: {_EXTRA}") from None
    return distributed


def scheduler_option(text: str | None, what: str = "--scheduler") -> SchedulerSpec:
    """A command-line scheduler spec, checked before any work: parsed (:func:`parse_scheduler`) and,
    unless it is the in-process run, with the ``dask`` extra present (:func:`require_dask`).

    Example
    -------
    >>> scheduler_option(None).in_process, scheduler_option("local:2").workers
    (True, 2)
    """
    spec = parse_scheduler(text, what)
    if not spec.in_process:
        require_dask(what)
    return spec


def is_client(obj: Any) -> bool:
    """Whether ``obj`` is a ``distributed.Client`` (checked without importing dask).

    Example
    -------
    >>> is_client("local:2")
    False
    """
    return type(obj).__name__ == "Client" and type(obj).__module__.startswith("distributed")


def _local_cluster(workers: int, gpu_workers: int, distributed: Any) -> Any:
    """A LocalCluster of ``workers`` processes, one thread each; the first ``gpu_workers`` of them
    declare the Dask resource ``GPU=1`` and see only their own GPU (``CUDA_VISIBLE_DEVICES``: the
    i-th of the GPUs this process sees, so a mask set by the caller is kept)."""
    # the dashboard on a free port: on 8787, a second cluster (or the user's own) prints a warning
    quiet = {"silence_logs": logging.ERROR}
    if gpu_workers <= 0:
        return distributed.LocalCluster(n_workers=workers, threads_per_worker=1, processes=True,
                                        dashboard_address=":0", **quiet)
    # the GPUs this process may use, in its own numbering: CUDA_VISIBLE_DEVICES when set (indices,
    # UUIDs or MIG names), else 0..gpu_workers-1
    mask = os.environ.get("CUDA_VISIBLE_DEVICES")
    visible = [d.strip() for d in mask.split(",") if d.strip()] if mask is not None else [str(i) for i in range(gpu_workers)]
    specs = {}
    for i in range(workers):
        options: dict[str, Any] = {"nthreads": 1, "dashboard_address": None, **quiet}
        if i < min(gpu_workers, len(visible)):
            options["resources"] = {"GPU": 1}
            options["env"] = {"CUDA_VISIBLE_DEVICES": visible[i]}
        else:
            options["env"] = {"CUDA_VISIBLE_DEVICES": ""}
        specs[f"worker-{i}"] = {"cls": distributed.Nanny, "options": options}
    scheduler = {"cls": distributed.Scheduler, "options": {"dashboard_address": ":0"}}
    return distributed.SpecCluster(workers=specs, scheduler=scheduler, name="serialcomp-local", **quiet)


@contextlib.contextmanager
def connect(scheduler: Any, *, timeout: float = CONNECT_TIMEOUT, gpu_workers: int = 0,
            what: str = "--scheduler") -> Iterator[Any]:
    """A ``distributed.Client`` for ``scheduler``, closed (with its LocalCluster) after the block.

    Parameters
    ----------
    scheduler : str, SchedulerSpec or distributed.Client
        ``local``, ``local:N``, ``tcp://HOST:PORT``, or a client of the caller's (yielded as it is
        and left open).
    timeout : float
        Seconds an address has to answer.
    gpu_workers : int
        For ``local:N``: how many of the N workers declare the ``GPU`` resource (one GPU each).
    what : str
        How the scheduler is named in errors.

    Raises
    ------
    SchedulerError
        For ``none`` (there is no client for the in-process run) or a bad spec.
    DaskUnavailableError
        Without the ``dask`` extra.
    SchedulerUnreachableError
        When nothing answers at the address within ``timeout`` (one line naming it).

    Example
    -------
    >>> with connect("local:1") as client:   # doctest: +SKIP
    ...     client.submit(sum, [1, 2]).result()
    3
    """
    if is_client(scheduler):
        yield scheduler
        return
    spec = scheduler if isinstance(scheduler, SchedulerSpec) else parse_scheduler(scheduler, what)
    if spec.in_process:
        raise SchedulerError(f"{what}: 'none' is the in-process run; there is no Dask client for it")
    distributed = require_dask(what)
    with contextlib.ExitStack() as stack:
        if spec.kind == "local":
            cluster = stack.enter_context(_local_cluster(int(spec.workers or 1), gpu_workers, distributed))
            client = stack.enter_context(distributed.Client(cluster, set_as_default=False))
        else:
            try:
                client = distributed.Client(spec.address, timeout=timeout, set_as_default=False)
            except (OSError, TimeoutError, ValueError) as exc:
                reason = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
                raise SchedulerUnreachableError(f"{what} {spec.address}: no Dask scheduler answered within "
                                                f"{timeout:g} s ({reason})") from None
            stack.enter_context(client)
        yield client
