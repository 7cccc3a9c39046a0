"""Export instances as JSON Lines or Parquet, byte for byte reproducibly.

Both writers take one :class:`~serialcomp.problems.base.Instances`, an iterable of them (chunks of
one dataset, e.g. from :func:`generate_chunks`), or an iterable of record dicts. JSONL has one
record per line with sorted keys; Parquet has plain columns (ints, strings, bools and nested lists
of them) that pandas, pyarrow and Hugging Face ``datasets`` load as is, in row groups of a fixed
number of records. Neither format stores a timestamp, and neither depends on how the records were
chunked, so the same records give the same bytes (for a given pyarrow version, whose name is
recorded in the Parquet footer).
"""

from __future__ import annotations

import io
import json
import os
from typing import IO, Any, Iterator

import numpy as np

from .._seed import SeedLike
from ..errors import ProblemParameterError
from .base import Instances, Ragged
from .registry import get_problem

__all__ = ["generate_chunks", "write_jsonl", "write_parquet", "records_table"]

_HEADER = ("problem", "n", "seed", "index", "params")
_SEED_LIMIT = 2**63  # the ``seed`` column is int64


def _check_export_seed(seed: Any) -> None:
    if isinstance(seed, (int, np.integer)) and not isinstance(seed, (bool, np.bool_)) and not 0 <= seed < _SEED_LIMIT:
        raise ProblemParameterError(f"seed must be in [0, 2**63) to be exported (the seed column is int64), got {seed}")


def _check_positive(name: str, value: Any) -> int:
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, (int, np.integer)) or value < 1:
        raise ProblemParameterError(f"{name} must be an int >= 1, got {value!r}")
    return int(value)


def generate_chunks(key: str, n: int, count: int, seed: SeedLike = 0, start: int = 0,
                    chunk_size: int = 4096, **params: Any) -> Iterator[Instances]:
    """Sample records ``start .. start + count - 1`` in chunks; the records do not depend on ``chunk_size``.

    ``seed`` must be in ``[0, 2**63)`` (it is exported as an int64 column) and ``chunk_size`` >= 1;
    anything else raises :class:`~serialcomp.errors.ProblemParameterError`.

    Example
    -------
    >>> [len(c) for c in generate_chunks("parity", 4, 10, seed=0, chunk_size=4)]
    [4, 4, 2]
    """
    chunk_size = _check_positive("chunk_size", chunk_size)  # checked here, not at the first next()
    _check_export_seed(seed)
    problem = get_problem(key)
    if isinstance(seed, np.random.Generator) or seed is None:  # fix one int seed for all chunks
        seed = problem.sample(n, 0, seed, **params).seed
    return _chunks(problem, n, count, seed, start, chunk_size, params)


def _chunks(problem: Any, n: int, count: int, seed: int, start: int, chunk_size: int,
            params: dict[str, Any]) -> Iterator[Instances]:
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
    """A numpy array (count, d1, ..., dk) as a pyarrow list<list<...>> column of length count.

    The leaf values are the numpy buffer itself (no copy, no Python objects per row); each list
    level adds one int32 offsets array ``0, d, 2d, ...``.
    """
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
        values = np.asarray(col.values)
        inner = _nested(values) if values.ndim > 1 else pa.array(values)
        offsets = pa.array(np.asarray(col.offsets, dtype=np.int32))
        return pa.ListArray.from_arrays(offsets, inner)
    if isinstance(col, np.ndarray) and col.dtype != object:
        return _nested(col) if col.ndim > 1 else pa.array(col)
    return pa.array([v.tolist() if isinstance(v, (np.ndarray, np.generic)) else v for v in col])


def records_table(instances: Instances, readable: bool = True) -> Any:
    """The records of ``instances`` as a ``pyarrow.Table``, built column-wise from the arrays.

    Raises :class:`~serialcomp.errors.ProblemParameterError` when ``instances.seed`` does not fit
    the int64 ``seed`` column (``[0, 2**63)``).

    Example
    -------
    >>> records_table(get_problem("word:S3").sample(4, 2, seed=0)).column_names[:5]
    ['problem', 'n', 'seed', 'index', 'params']
    """
    import pyarrow as pa

    _check_export_seed(instances.seed)
    c = len(instances)
    params = json.dumps({k: (v.item() if isinstance(v, np.generic) else v) for k, v in instances.params.items()},
                        sort_keys=True)
    cols: dict[str, Any] = {
        "problem": pa.repeat(pa.scalar(instances.problem, pa.string()), c),
        "n": pa.array(np.full(c, instances.n, dtype=np.int64)),
        "seed": pa.array(np.full(c, instances.seed, dtype=np.int64)),
        "index": pa.array(np.asarray(instances.index, dtype=np.int64)),
        "params": pa.repeat(pa.scalar(params, pa.string()), c),
    }
    for k, v in instances.columns(readable).items():
        cols[k] = _column(v)
    return pa.table(cols)


_LISTS = ("is_list", "is_large_list", "is_fixed_size_list")


def _leaf_paths(name: str, typ: Any) -> list[tuple[str, Any]]:
    """Parquet leaf column paths (compliant nested names) and Arrow leaf types of one field."""
    import pyarrow as pa

    if any(getattr(pa.types, t)(typ) for t in _LISTS):
        return _leaf_paths(name + ".list.element", typ.value_type)
    if pa.types.is_nested(typ):  # structs, maps: not produced by the problems; leave them alone
        return []
    return [(name, typ)]


def _writer_options(schema: Any) -> dict[str, Any]:
    """Cheap, deterministic per-column settings for :class:`pyarrow.parquet.ParquetWriter`.

    Flat columns keep dictionary pages and min/max statistics (the header columns are constant or
    nearly so). Integer leaves of list columns (and ``index``) use ``DELTA_BINARY_PACKED``: their
    values are small (permutation images, bits, node ids), so they pack to a few bits each before
    zstd sees them, which makes writing faster and files smaller than PLAIN int32 + zstd.
    Dictionaries and statistics on nested columns cost time for nothing, so they are off there.
    """
    import pyarrow as pa

    flat = [f.name for f in schema if not pa.types.is_nested(f.type)]
    delta = {path: "DELTA_BINARY_PACKED"
             for f in schema if pa.types.is_nested(f.type) or f.name == "index"
             for path, typ in _leaf_paths(f.name, f.type) if pa.types.is_integer(typ)}
    opts: dict[str, Any] = {"use_dictionary": [c for c in flat if c not in delta], "write_statistics": flat,
                            "version": "2.6", "use_compliant_nested_type": True}
    if delta:
        opts["column_encoding"] = delta
    return opts


def write_parquet(instances_iter: Any, path: str | os.PathLike | IO[bytes], compression: str = "zstd",
                  batch_size: int = 4096, readable: bool = True, row_group_size: int = 4096) -> int:
    """Write records as one Parquet file; returns the record count.

    Columns are the record keys (header first); arrays become nested list columns built straight
    from the numpy buffers. Row groups hold ``row_group_size`` records each (the last one fewer),
    however the input is chunked, so the bytes depend only on the records and the arguments here.
    Dict records are converted with ``pyarrow.Table.from_pylist`` in batches of ``batch_size``.
    ``readable=False`` writes the stored arrays (much faster for word problems, whose readable
    elements are lists of lists).

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

    batch_size = _check_positive("batch_size", batch_size)
    row_group_size = _check_positive("row_group_size", row_group_size)

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
    schema = None
    count = 0
    buffered: list[Any] = []  # tables not yet written, fewer than row_group_size rows in all
    n_buffered = 0

    def emit(final: bool) -> None:
        nonlocal buffered, n_buffered
        while n_buffered >= row_group_size or (final and n_buffered):
            whole = buffered[0] if len(buffered) == 1 else pa.concat_tables(buffered)
            take = min(row_group_size, n_buffered)
            group = whole.slice(0, take)
            if any(col.num_chunks > 1 for col in group.columns):  # same bytes whatever the input chunks
                group = group.combine_chunks()
            writer.write_table(group, row_group_size=take)
            rest = whole.slice(take)
            buffered, n_buffered = ([rest] if rest.num_rows else []), n_buffered - take

    try:
        for table in tables():
            if writer is None:
                writer = pq.ParquetWriter(path, table.schema, compression=compression, **_writer_options(table.schema))
                schema = table.schema
            elif table.schema != schema:
                table = table.cast(schema)
            if table.num_rows:
                buffered.append(table)
                n_buffered += table.num_rows
                emit(final=False)
            count += table.num_rows
        if writer is None:  # nothing at all: an empty file with no columns
            pq.write_table(pa.table({}), path, compression=compression)
        else:
            emit(final=True)
    finally:
        if writer is not None:
            writer.close()
    return count
