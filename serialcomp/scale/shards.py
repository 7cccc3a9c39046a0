"""A dataset as a folder of Parquet shards, ``part-00000.parquet``, ``part-00001.parquet``, ...,
written in this process or as Dask tasks (one task per shard).

Shard j holds records ``start + lo_j .. start + hi_j - 1`` (:func:`shard_bounds`: K contiguous
ranges as even as integers allow). Record i depends only on (problem, n, params, seed, i), so the
shards read in name order are the single-file dataset record for record, whichever machine
wrote which shard; each shard is a file of :func:`~serialcomp.problems.export.write_parquet`
(the same columns, row groups and key-value metadata as a single file). ``pyarrow``,
``dask.dataframe.read_parquet(DIR)`` and Hugging Face ``datasets`` read the folder as one dataset.

The folder appears only when every shard is complete: the shards are written into a temporary
folder beside it, which then replaces it whole (:func:`~serialcomp._atomic.atomic_dir`). Workers
write their shards there themselves, so with a remote cluster the folder must be on a filesystem
that every worker shares.
"""

from __future__ import annotations

import os
import re
import shutil
import socket
from pathlib import Path
from typing import Any

from .._atomic import atomic_dir, check_interrupted
from .scheduler import in_process
from ..errors import ProblemParameterError, SerialcompError

__all__ = ["SHARD_PATTERN", "MAX_SHARDS", "check_shard_dir", "shard_bounds", "shard_name", "write_shard",
           "write_shards"]

SHARD_PATTERN = "part-{:05d}.parquet"
"""The name of shard j (``part-00000.parquet``): names sort in shard order."""

MAX_SHARDS = 100_000
"""Most shards in one folder (five-digit names)."""

_NAME = re.compile(r"^part-[0-9]{5}\.parquet$")


def shard_name(j: int) -> str:
    """The file name of shard ``j``.

    Example
    -------
    >>> shard_name(0), shard_name(12)
    ('part-00000.parquet', 'part-00012.parquet')
    """
    return SHARD_PATTERN.format(j)


def shard_bounds(count: int, shards: int) -> list[tuple[int, int]]:
    """The record ranges ``[lo, hi)`` of ``shards`` contiguous shards of ``count`` records (offsets
    from the first record), as even as integers allow; every shard holds at least one record.

    Raises
    ------
    ProblemParameterError
        When ``shards`` is not in ``1 .. min(count, MAX_SHARDS)``.

    Example
    -------
    >>> shard_bounds(10, 3)
    [(0, 3), (3, 6), (6, 10)]
    >>> shard_bounds(2, 3)
    Traceback (most recent call last):
    ...
    serialcomp.errors.ProblemParameterError: --shards 3 needs --count >= 3 (every shard holds at least one record), got 2
    """
    if not isinstance(shards, int) or isinstance(shards, bool) or not 1 <= shards <= MAX_SHARDS:
        raise ProblemParameterError(f"--shards must be an integer in 1..{MAX_SHARDS}, got {shards!r}")
    if count < shards:
        raise ProblemParameterError(f"--shards {shards} needs --count >= {shards} (every shard holds at least one "
                                    f"record), got {count}")
    return [(j * count // shards, (j + 1) * count // shards) for j in range(shards)]


def check_shard_dir(out: str | os.PathLike[str], what: str = "--out") -> Path:
    """Check, creating nothing, that ``out`` can become a shard folder: a new folder in an existing
    writable one, an empty folder, or a previous shard folder (only ``part-NNNNN.parquet`` files),
    which is replaced whole. Any other folder is refused, so no file of the user's is deleted.

    Example
    -------
    >>> import tempfile, pathlib
    >>> d = pathlib.Path(tempfile.mkdtemp()); _ = (d / "notes.txt").write_text("mine")
    >>> check_shard_dir(d / "data") == d / "data"
    True
    >>> check_shard_dir(d)
    Traceback (most recent call last):
    ...
    serialcomp.errors.SerialcompError: --out ...: holds notes.txt, which is not a shard (part-NNNNN.parquet); give a new or empty folder, or a previous shard folder
    """
    out = Path(out)
    parent = out.parent if str(out.parent) else Path(".")
    if out.is_symlink():
        raise SerialcompError(f"{what} {out}: is a symbolic link; give the folder it points to")
    if out.exists() and not out.is_dir():
        raise SerialcompError(f"{what} {out}: exists and is not a folder (--shards writes a folder of part-NNNNN.parquet)")
    if not parent.is_dir():
        raise SerialcompError(f"{what} {out}: the folder {parent} does not exist")
    if not os.access(parent, os.W_OK | os.X_OK):
        raise SerialcompError(f"{what} {out}: the folder {parent} is not writable")
    if out.is_dir():
        for entry in sorted(os.listdir(out)):
            if not _NAME.match(entry) or not (out / entry).is_file():
                raise SerialcompError(f"{what} {out}: holds {entry}, which is not a shard (part-NNNNN.parquet); give "
                                      "a new or empty folder, or a previous shard folder")
    return out


def write_shard(folder: str, j: int, key: str, n: int, start: int, count: int, seed: int, params: dict[str, Any],
                readable: bool = True, compression: str = "zstd", chunk_size: int = 4096) -> int:
    """Write shard ``j`` (records ``start .. start + count - 1``) into ``folder``; returns its
    record count. The task each shard is; the file is written under a temporary name and renamed.

    Example
    -------
    >>> import tempfile, pyarrow.parquet as pq
    >>> d = tempfile.mkdtemp()
    >>> write_shard(d, 1, "parity", 4, 5, 3, 0, {})
    3
    >>> pq.read_table(f"{d}/part-00001.parquet").column("index").to_pylist()
    [5, 6, 7]
    """
    from ..problems.export import generate_chunks, write_parquet

    if not os.path.isdir(folder):
        raise SerialcompError(f"shard folder {folder} is not visible on the Dask worker at {socket.gethostname()}: "
                              "--out must be on a filesystem that every worker shares")
    chunks = generate_chunks(key, n, count, seed, start=start, chunk_size=chunk_size, **params)
    return write_parquet(chunks, os.path.join(folder, shard_name(j)), compression=compression, readable=readable)


def write_shards(key: str, n: int, count: int, out: str | os.PathLike[str], *, shards: int, seed: int = 0,
                 start: int = 0, params: dict[str, Any] | None = None, readable: bool = True,
                 compression: str = "zstd", chunk_size: int = 4096, scheduler: Any = None,
                 progress: bool = False, what: str = "--out") -> list[Path]:
    """Write records ``start .. start + count - 1`` of ``key`` at ``n`` as ``shards`` Parquet files
    in the folder ``out``, in this process or as Dask tasks.

    Parameters
    ----------
    key, n, count, seed, start, params :
        The dataset, as for :func:`~serialcomp.problems.export.generate_chunks`.
    out : path
        The folder (see :func:`check_shard_dir`); replaced whole when every shard is written.
    shards : int
        How many files (:func:`shard_bounds`).
    readable, compression, chunk_size :
        As for ``serialcomp generate`` (the bytes do not depend on ``chunk_size``).
    scheduler : str or distributed.Client, optional
        None or ``"none"``: this process; ``"local:N"``, ``"tcp://HOST:PORT"`` or a client: one
        Dask task per shard. The files are the same bytes either way.
    progress : bool
        A progress bar on stderr, in records, advanced as shards complete.
    what : str
        How ``out`` is named in errors.

    Returns
    -------
    list of Path
        The shard files, in order.

    Raises
    ------
    SerialcompError
        A bad dataset, ``shards`` or ``out`` (before any work), a missing ``dask`` extra or an
        unreachable scheduler; nothing is left behind.

    Example
    -------
    >>> import tempfile, pyarrow.dataset as ds
    >>> d = tempfile.mkdtemp()
    >>> [p.name for p in write_shards("parity", 4, 10, f"{d}/data", shards=3)]
    ['part-00000.parquet', 'part-00001.parquet', 'part-00002.parquet']
    >>> ds.dataset(f"{d}/data").to_table().column("index").to_pylist()
    [0, 1, 2, 3, 4, 5, 6, 7, 8, 9]
    """
    from ..problems.export import generate_chunks

    params = dict(params or {})
    bounds = shard_bounds(count, shards)
    generate_chunks(key, n, count, seed, start=start, chunk_size=chunk_size, **params)  # checks, samples nothing
    target = check_shard_dir(out, what)
    names = [shard_name(j) for j in range(shards)]
    here = in_process(scheduler)
    with atomic_dir(target, what=what) as tmp:
        argsets = [(str(tmp), j, key, n, start + lo, hi - lo, seed, params, readable, compression, chunk_size)
                   for j, (lo, hi) in enumerate(bounds)]
        if here:
            from .tasks import _bar

            bar = _bar(count, f"generate {key}", "rec", progress)
            try:
                for args in argsets:
                    written = write_shard(*args)
                    check_interrupted()
                    if bar is not None:
                        bar.update(written)
            finally:
                if bar is not None:
                    bar.close()
        else:
            from .scheduler import connect
            from .tasks import run_tasks

            with connect(scheduler, what="--scheduler") as client:
                run_tasks(client, write_shard, argsets, key=f"shard-{key}", desc=f"generate {key}", unit="rec",
                          progress=progress, labels=names, weights=[hi - lo for lo, hi in bounds])
        for entry in os.listdir(tmp):  # what a worker killed while writing left under a temporary name
            if entry not in names:
                path = tmp / entry
                shutil.rmtree(path) if path.is_dir() else path.unlink()
        missing = [name for name in names if not (tmp / name).is_file()]
        if missing:
            raise SerialcompError(f"{what} {target}: shard {missing[0]} was not written")
    return [target / name for name in names]
