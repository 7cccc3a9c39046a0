"""CPU threads of torch for a call: :func:`cpu_threads` (set, then restored)."""

from __future__ import annotations

import contextlib
from typing import Iterator

from ..._validate import check_int
from ...errors import ProblemParameterError
from ..device import require_torch

torch = require_torch()

__all__ = ["cpu_threads"]


@contextlib.contextmanager
def cpu_threads(threads: int | None, where: str) -> Iterator[None]:
    """Run the block with ``torch.set_num_threads(threads)`` (None: as it is), restoring it after.

    One thread is the default of the looped-model functions: their matrices are small, and on a
    shared machine several intra-op threads spin on each other (measured 5-25x slower with 2 threads
    on 2 busy cores than with 1).
    """
    if threads is None:
        yield
        return
    threads = check_int("threads", threads, 1, where=where, error=ProblemParameterError)
    old = torch.get_num_threads()
    torch.set_num_threads(threads)
    try:
        yield
    finally:
        torch.set_num_threads(old)
