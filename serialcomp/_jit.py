"""The one place that configures ``numba.njit`` for serialcomp.

Kernels are compiled with ``cache=True`` so a second process does not recompile them.  Set the
environment variable ``SERIALCOMP_NO_CACHE=1`` to turn the on-disk cache off (useful when
benchmarking cold compile time), and ``NUMBA_DISABLE_JIT=1`` to run every kernel as plain Python
(used by the test suite to cover kernel logic).
"""

from __future__ import annotations

import os
from typing import Any, Callable

import numba

__all__ = ["jit", "parallel_jit", "prange", "set_num_threads", "get_num_threads"]

_CACHE = os.environ.get("SERIALCOMP_NO_CACHE", "") not in ("1", "true", "yes")

prange = numba.prange


def jit(fn: Callable[..., Any] | None = None, **kwargs: Any) -> Any:
    """``numba.njit`` with serialcomp's defaults (``cache``, ``nogil``, no fastmath)."""
    opts = {"cache": _CACHE, "nogil": True}
    opts.update(kwargs)
    if fn is None:
        return lambda f: numba.njit(**opts)(f)
    return numba.njit(**opts)(fn)


def parallel_jit(fn: Callable[..., Any]) -> Any:
    """A jitted kernel that may use ``prange`` across threads."""
    return jit(fn, parallel=True)


def set_num_threads(n: int) -> None:
    """Set the number of threads parallel kernels use (at most ``numba.config.NUMBA_NUM_THREADS``)."""
    numba.set_num_threads(max(1, min(int(n), numba.config.NUMBA_NUM_THREADS)))


def get_num_threads() -> int:
    """The number of threads parallel kernels currently use."""
    return int(numba.get_num_threads())
