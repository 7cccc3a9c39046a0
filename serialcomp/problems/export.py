"""Export instances as JSON Lines or Parquet, byte for byte reproducibly.

Both writers take one :class:`~serialcomp.problems.base.Instances`, an iterable of them (chunks of
one dataset, e.g. from :func:`generate_chunks`), or an iterable of record dicts. JSONL has one
record per line with sorted keys; Parquet has plain columns (ints, strings, bools and nested lists
of them) that pandas, pyarrow and Hugging Face ``datasets`` load as is. Neither format stores a
timestamp, so the same arguments give the same bytes (for a given pyarrow version, whose name is
recorded in the Parquet footer).
"""

from __future__ import annotations

import io
import json
import os
from typing import IO, Any, Iterator

import numpy as np

from .._seed import SeedLike
from .base import Instances, Ragged
from .registry import get_problem

__all__ = ["generate_chunks", "write_jsonl", "write_parquet", "records_table"]

_HEADER = ("problem", "n", "seed", "index", "params")


def generate_chunks(key: str, n: int, count: int, seed: SeedLike = 0, start: int = 0,
                    chunk_size: int = 4096, **params: Any) -> Iterator[Instances]:
    """Sample records ``start .. start + count - 1`` in chunks; the records do not depend on ``chunk_size``.

    Example
    -------
    >>> [len(c) for c in generate_chunks("parity", 4, 10, seed=0, chunk_size=4)]
    [4, 4, 2]
    """
    problem = get_problem(key)
    if isinstance(seed, np.random.Generator) or seed is None:  # fix one int seed for all chunks
        seed = problem.sample(n, 0, seed, **params).seed
    first = problem.sample(n, min(count, chunk_size), seed, start=start, **params)
    yield first
    for a in range(len(first), count, chunk_size):
        yield problem.sample(n, min(chunk_size, count - a), seed, start=start + a, **params)


def _as_chunks(data: Any) -> Iterator[Any]:
    if isinstance(data, (Instances, dict)):
        yield data
        return
    yield from data


def _records(data: Any, readable: bool) -> Iterator[dict[str, Any]]:
    for chunk in _as_chunks(data):
        if isinstance(chunk, Instances):
            yield from chunk.records(readable)
        else:
            yield chunk


def write_jsonl(instances_iter: Any, path_or_stream: str | os.PathLike | IO[Any], readable: bool = True) -> int:
    """Write records as JSON Lines (sorted keys, compact separators, ASCII); returns the record count.

    Parameters
    ----------
    instances_iter : Instances, iterable of Instances, or iterable of dict
    path_or_stream : path, or a text or binary stream
    readable : bool
        ``False`` writes the stored arrays (e.g. element indices for word problems) instead of
        readable structures (one-line permutations); see ``Instances.records``.

    Example
    -------
    >>> buf = io.StringIO()
    >>> write_jsonl(get_problem("parity").sample(3, 2, seed=0), buf)
    2
    >>> json.loads(buf.getvalue().splitlines()[0])["problem"]
    'parity'
    """
    if isinstance(path_or_stream, (str, os.PathLike)):
        with open(path_or_stream, "w", encoding="ascii", newline="\n") as f:
            return write_jsonl(instances_iter, f, readable)
    stream = path_or_stream
    binary = not isinstance(stream, io.TextIOBase) and "b" in getattr(stream, "mode", "")
    count = 0
    for rec in _records(instances_iter, readable):
        line = json.dumps(rec, sort_keys=True, separators=(",", ":"), ensure_ascii=True) + "\n"
        stream.write(line.encode("ascii") if binary else line)
        count += 1
    return count


def _nested(arr: np.ndarray) -> Any:
    """A numpy array (count, d1, ..., dk) as a pyarrow list<list<...>> column of length count."""
    import pyarrow as pa

    arr = np.ascontiguousarray(arr)
    col = pa.array(arr.reshape(-1))
    for axis in range(arr.ndim - 1, 0, -1):
        size = arr.shape[axis]
        outer = int(np.prod(arr.shape[:axis], dtype=np.int64))
        offsets = pa.array(np.arange(0, outer * size + 1, size, dtype=np.int32))
        col = pa.ListArray.from_arrays(offsets, col)
    return col


def _column(col: Any) -> Any:
    import pyarrow as pa

    if isinstance(col, Ragged):
        inner = _nested(np.asarray(col.values)) if np.asarray(col.values).ndim > 1 else pa.array(col.values)
        offsets = pa.array(np.asarray(col.offsets, dtype=np.int32))
        return pa.ListArray.from_arrays(offsets, inner)
    if isinstance(col, np.ndarray) and col.dtype != object:
        return _nested(col) if col.ndim > 1 else pa.array(col)
    return pa.array([v.tolist() if isinstance(v, (np.ndarray, np.generic)) else v for v in col])


def records_table(instances: Instances, readable: bool = True) -> Any:
    """The records of ``instances`` as a ``pyarrow.Table``, built column-wise from the arrays.

    Example
    -------
    >>> records_table(get_problem("word:S3").sample(4, 2, seed=0)).column_names[:5]
    ['problem', 'n', 'seed', 'index', 'params']
    """
    import pyarrow as pa

    c = len(instances)
    params = json.dumps({k: (v.item() if isinstance(v, np.generic) else v) for k, v in instances.params.items()},
                        sort_keys=True)
    cols: dict[str, Any] = {
        "problem": pa.array([instances.problem] * c, pa.string()),
        "n": pa.array(np.full(c, instances.n, dtype=np.int64)),
        "seed": pa.array(np.full(c, instances.seed, dtype=np.int64) if instances.seed < 2**63 else [instances.seed] * c),
        "index": pa.array(np.asarray(instances.index, dtype=np.int64)),
        "params": pa.array([params] * c, pa.string()),
    }
    for k, v in instances.columns(readable).items():
        cols[k] = _column(v)
    return pa.table(cols)


def write_parquet(instances_iter: Any, path: str | os.PathLike | IO[bytes], compression: str = "zstd",
                  batch_size: int = 4096, readable: bool = True) -> int:
    """Write records as one Parquet file (one row group per chunk); returns the record count.

    Columns are the record keys (header first); arrays become nested list columns. Dict records
    are converted with ``pyarrow.Table.from_pylist`` in batches of ``batch_size``. ``readable=False``
    writes the stored arrays (much faster for word problems, whose readable elements are nested lists).

    Example
    -------
    >>> import pyarrow.parquet as pq
    >>> buf = io.BytesIO()
    >>> write_parquet(get_problem("parity").sample(3, 5, seed=0), buf)
    5
    >>> pq.read_table(io.BytesIO(buf.getvalue())).num_rows
    5
    """
    import pyarrow as pa
    import pyarrow.parquet as pq

    def tables() -> Iterator[Any]:
        pending: list[dict[str, Any]] = []
        for chunk in _as_chunks(instances_iter):
            if isinstance(chunk, Instances):
                if pending:
                    yield pa.Table.from_pylist(pending)
                    pending = []
                yield records_table(chunk, readable)
            else:
                pending.append(chunk)
                if len(pending) >= batch_size:
                    yield pa.Table.from_pylist(pending)
                    pending = []
        if pending:
            yield pa.Table.from_pylist(pending)

    writer = None
    count = 0
    try:
        for table in tables():
            if writer is None:
                # Dictionary pages and min/max statistics pay off on the flat header columns only;
                # on nested list columns (words, grids) they double the write time for nothing.
                flat = [f.name for f in table.schema if not pa.types.is_nested(f.type)]
                writer = pq.ParquetWriter(path, table.schema, compression=compression, use_dictionary=flat,
                                          write_statistics=flat, version="2.6")
                schema = table.schema
            elif table.schema != schema:
                table = table.cast(schema)
            if table.num_rows:
                writer.write_table(table)
            count += table.num_rows
        if writer is None:  # nothing at all: an empty file with no columns
            pq.write_table(pa.table({}), path, compression=compression)
    finally:
        if writer is not None:
            writer.close()
    return count

