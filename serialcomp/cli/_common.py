"""Helpers shared by the subcommands: argument types, progress bars, help formatting, .npy files,
and the memory check made before a large allocation."""

from __future__ import annotations

import argparse
import contextlib
import os
import sys
from pathlib import Path
from typing import Any, Iterator, Mapping, Sequence

import numpy as np

from .._atomic import atomic_open
from ..errors import SerialcompError

__all__ = [
    "FORMATS", "int_at_least", "positive_int", "nonnegative_int", "progress", "save_npy", "save_npys", "load_npy",
    "available_memory", "check_memory", "writing", "HelpFormatter",
]

FORMATS = ".aag (ASCII AIGER), .aig (binary AIGER), .bench (ISCAS BENCH), .thr (threshold text format)"


def int_at_least(low: int, why: str = "", expected: str = "") -> Any:
    """An argparse type: an integer >= ``low``; ``why`` is added to the error ("expected an integer
    >= 2 (why), got 1"), ``expected`` replaces "an integer >= low" there.

    Example
    -------
    >>> int_at_least(2)("3")
    3
    """
    expected = expected or f"an integer >= {low}"

    def parse(text: str) -> int:
        try:
            value = int(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"expected {expected}, got {text!r}") from None
        if value < low:
            raise argparse.ArgumentTypeError(f"expected {expected}{why}, got {value}")
        return value

    parse.__name__ = expected  # argparse names the type by it in "invalid ... value" messages
    return parse


positive_int = int_at_least(1, expected="a positive integer")
"""An argparse type: an integer >= 1 (counts, steps, threads)."""

nonnegative_int = int_at_least(0, expected="a non-negative integer")
"""An argparse type: an integer >= 0 (seeds, start indices)."""


def progress(items: Sequence[Any], desc: str) -> Any:
    """``items`` wrapped in a tqdm bar on stderr when there are several and stderr is a terminal."""
    if len(items) < 3 or not sys.stderr.isatty():
        return items
    from tqdm import tqdm

    return tqdm(items, desc=desc, unit="file", file=sys.stderr)


def save_npy(path: str | os.PathLike[str], array: np.ndarray, what: str = "output") -> None:
    """Write ``array`` to ``path`` as named (``np.save(str)`` would append ``.npy``), atomically."""
    save_npys({path: array}, {str(path): what})


def save_npys(arrays: Mapping[Any, np.ndarray], what: Mapping[str, str] | None = None) -> None:
    """Write several ``.npy`` files as one unit: each to a temporary name, all renamed at the end.

    An error or an interrupt while writing any of them leaves none of them written and every
    existing file as it was.
    """
    with contextlib.ExitStack() as stack:
        for path, array in arrays.items():
            name = (what or {}).get(str(path), "output")
            with writing(path, name):
                f = stack.enter_context(atomic_open(path, "wb", what=name))
                np.save(f, array)
                f.flush()


def load_npy(path: str, what: str) -> np.ndarray:
    """Read a ``.npy`` array, checking the file before anything is allocated.

    Refused with one line naming ``what`` and the path: an empty file, a ``.npz`` archive or any
    other non-.npy file, an object array (pickles are never loaded), and a header whose shape does
    not match the file's size (a truncated file, or a header declaring more data than there is).
    """
    p = Path(path)
    try:
        size = p.stat().st_size
        f = open(p, "rb")
    except FileNotFoundError:
        raise SerialcompError(f"{what} {path}: no such file") from None
    except OSError as exc:
        raise SerialcompError(f"{what} {path}: cannot read ({exc.strerror or exc})") from None
    with f:
        head = f.read(6)
        if not head:
            raise SerialcompError(f"{what} {path}: the file is empty, expected a .npy array")
        if head[:2] == b"PK":
            raise SerialcompError(f"{what} {path}: is a .npz (zip) archive, expected a single .npy array")
        if head != b"\x93NUMPY":
            raise SerialcompError(f"{what} {path}: not a .npy file (no NUMPY magic)")
        f.seek(0)
        try:
            version = np.lib.format.read_magic(f)
            read_header = (np.lib.format.read_array_header_1_0 if version == (1, 0)
                           else np.lib.format.read_array_header_2_0)  # 3.0 differs only in the text encoding
            shape, fortran, dtype = read_header(f, max_header_size=1 << 16)
        except (ValueError, SyntaxError, OverflowError) as exc:
            raise SerialcompError(f"{what} {path}: bad .npy header ({exc})") from None
        if dtype.hasobject:
            raise SerialcompError(f"{what} {path}: holds Python objects ({dtype}); expected bool or 0/1 integers")
        count = 1
        for k in shape:
            count *= int(k)
        need = count * dtype.itemsize
        have = size - f.tell()
        if need != have:
            raise SerialcompError(f"{what} {path}: the header declares shape {shape} of {dtype} ({need} bytes) "
                                  f"but the file holds {have} bytes of data")
        check_memory(need, f"{what} {path}")
        f.seek(0)
        try:
            return np.lib.format.read_array(f, allow_pickle=False, max_header_size=1 << 16)
        except (ValueError, OSError) as exc:
            raise SerialcompError(f"{what} {path}: cannot read the array ({exc})") from None


@contextlib.contextmanager
def writing(path: Any, what: str) -> Iterator[None]:
    """Turn an OSError raised while writing ``path`` (disk full, file too large, no permission)
    into one line that names the output, as ``what PATH: cannot write (reason)``."""
    try:
        yield
    except OSError as exc:
        if isinstance(exc, (FileNotFoundError, IsADirectoryError)) and exc.filename is not None:
            raise
        raise SerialcompError(f"{what} {path}: cannot write ({exc.strerror or exc})") from None


def available_memory() -> int:
    """Bytes of memory a new allocation can use: ``MemAvailable`` on Linux, else physical memory."""
    try:
        with open("/proc/meminfo") as f:
            for line in f:
                if line.startswith("MemAvailable:"):
                    return int(line.split()[1]) * 1024
    except (OSError, ValueError, IndexError):
        pass
    try:
        return int(os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES"))
    except (ValueError, OSError, AttributeError):  # pragma: no cover - not POSIX
        return 1 << 62


def _gib(nbytes: float) -> str:
    return f"{nbytes / 2**30:.1f} GiB" if nbytes >= 2**30 else f"{nbytes / 2**20:.1f} MiB"


def check_memory(nbytes: float, what: str) -> None:
    """Refuse, before allocating, work that needs more memory than is available.

    Example
    -------
    >>> check_memory(1 << 70, "--random 10**21")
    Traceback (most recent call last):
    ...
    serialcomp.errors.SerialcompError: --random 10**21 needs about 1099511627776.0 GiB of memory; ... available
    """
    avail = available_memory()
    if nbytes > avail:
        raise SerialcompError(f"{what} needs about {_gib(nbytes)} of memory; {_gib(avail)} available")


class HelpFormatter(argparse.ArgumentDefaultsHelpFormatter, argparse.RawDescriptionHelpFormatter):
    """Defaults shown after options that have one; the description and epilog kept as written."""

    def _get_help_string(self, action: argparse.Action) -> str:
        if action.default is None or action.default is False or action.required:
            return action.help or ""
        return super()._get_help_string(action)
