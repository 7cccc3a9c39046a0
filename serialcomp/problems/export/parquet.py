"""Parquet: plain columns built straight from the numpy buffers, in fixed row groups, with a JSON
description of the dataset in the file's key-value metadata.

Columns are ints, strings, bools and nested lists of them, which pandas, pyarrow and Hugging Face
``datasets`` load as is; :class:`~serialcomp.problems.columns.Coded` string columns are dictionary
columns. The metadata under :data:`METADATA_KEY` is :func:`file_metadata`. The bytes depend only on
the records and the writer's arguments (for a given pyarrow version, whose name the footer
records), not on how the records were chunked.
"""

from __future__ import annotations

import json
import os
from typing import IO, Any, Iterator

import numpy as np

from ..._atomic import atomic_path
from ..._validate import check_int
from ...errors import ProblemParameterError
from ..columns import Coded, Ragged
from ..instances import Instances
from ..registry import get_problem
from .records import _as_chunks, _dumps, _param_columns, _params_json, _py, export_seed

__all__ = ["METADATA_KEY", "FORMAT_VERSION", "file_metadata", "records_table", "write_parquet"]

METADATA_KEY = "serialcomp"
"""The Parquet key-value metadata key whose value is :func:`file_metadata` as JSON."""

FORMAT_VERSION = 1
_ELEMENT_TABLE_LIMIT = 1 << 16  # most one-line entries (size x degree) stored in the metadata


def _nested(arr: np.ndarray, leaves: Any = None) -> Any:
    """A numpy array (count, d1, ..., dk) as a pyarrow list<list<...>> column of length count.

    The leaf values are the numpy buffer itself (no copy, no Python objects per row), or
    ``leaves`` (an Arrow array of ``arr.size`` values) when given; each list level adds one
    int32 offsets array ``0, d, 2d, ...``.
    """
    import pyarrow as pa

    arr = np.ascontiguousarray(arr)
    col = pa.array(arr.reshape(-1)) if leaves is None else leaves
    for axis in range(arr.ndim - 1, 0, -1):
        size = arr.shape[axis]
        outer = int(np.prod(arr.shape[:axis], dtype=np.int64))
        offsets = pa.array(np.arange(0, outer * size + 1, size, dtype=np.int32))
        col = pa.ListArray.from_arrays(offsets, col)
    return col


def _coded_array(col: Coded) -> Any:
    import pyarrow as pa

    if not col.strings:
        return _nested(col.categories[col.codes])
    size = len(col.categories)
    itype = np.int8 if size <= 127 else np.int16 if size <= 32767 else np.int32
    dictionary = pa.array(col.categories.tolist(), pa.string())
    values = pa.DictionaryArray.from_arrays(pa.array(col.codes.reshape(-1).astype(itype)), dictionary)
    return _nested(col.codes, values)


def _column(col: Any) -> Any:
    import pyarrow as pa

    if isinstance(col, Coded):
        return _coded_array(col)
    if isinstance(col, Ragged):
        values = np.asarray(col.values)
        inner = _nested(values) if values.ndim > 1 else pa.array(values)
        offsets = pa.array(np.asarray(col.offsets, dtype=np.int32))
        return pa.ListArray.from_arrays(offsets, inner)
    if isinstance(col, np.ndarray) and col.dtype != object:
        return _nested(col) if col.ndim > 1 else pa.array(col)
    return pa.array([_py(v) for v in col])


def _param_array(value: Any, count: int) -> Any:
    """A constant column of one parameter value: int64, float64, bool, string or null."""
    import pyarrow as pa

    if isinstance(value, bool):
        return pa.array(np.full(count, value, dtype=bool))
    if isinstance(value, int) and -2**63 <= value < 2**63:
        return pa.array(np.full(count, value, dtype=np.int64))
    if isinstance(value, float):
        return pa.array(np.full(count, value, dtype=np.float64))
    if value is None:
        return pa.nulls(count)
    return pa.repeat(pa.scalar(value if isinstance(value, str) else _dumps(value), pa.string()), count)


def records_table(instances: Instances, readable: bool = True) -> Any:
    """The records of ``instances`` as a ``pyarrow.Table``, built column-wise from the arrays.

    Columns: the header, ``param_<name>`` per parameter, then the problem's columns (see
    :func:`export_records`). Raises :class:`~serialcomp.errors.ProblemParameterError` when
    ``instances.seed`` does not fit the int64 ``seed`` column (``[0, 2**63)``).

    Example
    -------
    >>> from serialcomp.problems import get_problem
    >>> records_table(get_problem("word:S3").sample(4, 2, seed=0)).column_names[:6]
    ['problem', 'n', 'seed', 'index', 'params', 'param_prefix']
    """
    import pyarrow as pa

    export_seed(instances.seed)
    c = len(instances)
    cols: dict[str, Any] = {
        "problem": pa.repeat(pa.scalar(instances.problem, pa.string()), c),
        "n": pa.array(np.full(c, instances.n, dtype=np.int64)),
        "seed": pa.array(np.full(c, instances.seed, dtype=np.int64)),
        "index": pa.array(np.asarray(instances.index, dtype=np.int64)),
        "params": pa.repeat(pa.scalar(_params_json(instances), pa.string()), c),
    }
    for k, v in _param_columns(instances).items():
        cols[k] = _param_array(v, c)
    for k, v in instances.columns(readable).items():
        if k not in cols:
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
    Dictionaries and statistics on nested columns cost time for nothing, so they are off there,
    except for Arrow dictionary leaves (:class:`Coded` strings), whose codes are written as the
    dictionary indices directly. The Arrow schema is not stored (``store_schema=False``): readers
    see the Parquet types (dictionary columns as plain strings), the same for every reader.
    """
    import pyarrow as pa

    flat = [f.name for f in schema if not pa.types.is_nested(f.type)]
    leaves = [(path, typ) for f in schema for path, typ in _leaf_paths(f.name, f.type)]
    delta = {path: "DELTA_BINARY_PACKED"
             for f in schema if pa.types.is_nested(f.type) or f.name == "index"
             for path, typ in _leaf_paths(f.name, f.type) if pa.types.is_integer(typ)}
    dictionary = [c for c in flat if c not in delta]
    dictionary += [p for p, typ in leaves if pa.types.is_dictionary(typ) and p not in dictionary]
    opts: dict[str, Any] = {"use_dictionary": dictionary, "write_statistics": flat, "version": "2.6",
                            "use_compliant_nested_type": True, "store_schema": False}
    if delta:
        opts["column_encoding"] = delta
    return opts


def _package_version() -> str:
    import serialcomp

    return str(serialcomp.__version__)


class _Describer:
    """Collects the dataset-level facts of a file from its chunks; a fact that varies becomes ``None``."""

    _FIELDS = ("problem", "n", "seed", "params", "readable")

    def __init__(self) -> None:
        self.facts: dict[str, Any] = {}
        self.seen = False

    def add(self, **facts: Any) -> None:
        if not self.seen:
            self.facts, self.seen = dict(facts), True
            return
        for k in self._FIELDS:
            if self.facts.get(k) != facts.get(k):
                self.facts[k] = None

    def add_instances(self, inst: Instances, readable: bool) -> None:
        self.add(problem=inst.problem, n=int(inst.n), seed=int(inst.seed),
                 params={k: _py(v) for k, v in inst.params.items()}, readable=bool(readable))

    def add_record(self, rec: dict[str, Any]) -> None:
        params = rec.get("params")
        try:
            params = json.loads(params) if isinstance(params, str) else None
        except ValueError:
            params = None
        self.add(problem=rec.get("problem"), n=rec.get("n"), seed=rec.get("seed"), params=params, readable=None)

    def metadata(self) -> dict[str, Any]:
        f = {k: self.facts.get(k) for k in self._FIELDS}
        return file_metadata(f["problem"], f["n"], f["seed"], f["params"], f["readable"])


def file_metadata(problem: str | None, n: int | None, seed: int | None, params: dict[str, Any] | None,
                  readable: bool | None) -> dict[str, Any]:
    """What :func:`write_parquet` stores as JSON under :data:`METADATA_KEY` in the file's key-value metadata.

    Keys: ``format`` (``"serialcomp.problems"``), ``format_version``, ``serialcomp_version``,
    ``problem``, ``n``, ``seed``, ``params`` (resolved), ``readable`` (``False`` for ``--raw``
    files), and, when the problem is known: ``knob``, ``n_meaning`` (what ``n`` is; when the
    problem says), ``vocab`` (token names: token id ``i`` is ``vocab[i]``) and for word problems
    ``elements``: the one-line notation of every element in index order, so a raw element index
    ``i`` in ``word``, ``target`` or ``prefix`` is ``elements[i]`` (left out for tables over
    65536 entries, e.g. ``word:Z<m>`` for large m, whose element ``i`` is the rotation by ``i``).
    A fact that differs between the file's records is ``None``.

    Example
    -------
    >>> m = file_metadata("word:S3", 4, 0, {"prefix": False}, False)
    >>> m["elements"][:2], m["vocab"][:2], m["readable"]
    ([[0, 1, 2], [0, 2, 1]], ['012', '021'], False)
    """
    out: dict[str, Any] = {"format": "serialcomp.problems", "format_version": FORMAT_VERSION,
                           "serialcomp_version": _package_version(), "problem": problem, "n": n, "seed": seed,
                           "params": params, "readable": readable}
    if problem is None:
        return out
    try:
        prob = get_problem(problem)
    except ProblemParameterError:  # records of a problem not registered here
        return out
    out["knob"] = prob.knob
    meaning = getattr(prob, "n_meaning", None)
    if meaning:
        out["n_meaning"] = str(meaning)
    if n is not None and params is not None:
        try:
            out["vocab"] = [str(v) for v in prob.vocab(n, **params)]
        except ProblemParameterError:  # dict records whose params this version does not accept
            pass
    monoid = getattr(prob, "monoid", None)
    if monoid is not None and monoid.size * monoid.degree <= _ELEMENT_TABLE_LIMIT:
        out["elements"] = monoid.perms(np.arange(monoid.size)).tolist()
    return out


def write_parquet(instances_iter: Any, path: str | os.PathLike | IO[bytes], compression: str = "zstd",
                  batch_size: int = 4096, readable: bool = True, row_group_size: int = 4096) -> int:
    """Write records as one Parquet file; returns the record count.

    Columns are the record keys (header first, then ``param_<name>``); arrays become nested list
    columns built straight from the numpy buffers, :class:`Coded` string columns dictionary
    columns. Row groups hold ``row_group_size`` records each (the last one fewer), however the
    input is chunked, so the bytes depend only on the records and the arguments here. The file's
    key-value metadata holds :func:`file_metadata` as JSON under ``"serialcomp"``. Dict records
    are converted with ``pyarrow.Table.from_pylist`` in batches of ``batch_size``.
    ``readable=False`` writes the stored arrays (e.g. element indices for word problems, decoded
    by the metadata's ``elements``).

    A path is written atomically: the file is written under a temporary name beside it and renamed
    when complete, so an error, Ctrl-C or SIGTERM (raised inside the record iterator or the
    writer) leaves no file, and an existing file byte for byte as it was. A binary stream is
    written as is.

    Example
    -------
    >>> import io, pyarrow.parquet as pq
    >>> from serialcomp.problems import get_problem
    >>> buf = io.BytesIO()
    >>> write_parquet(get_problem("parity").sample(3, 5, seed=0), buf)
    5
    >>> f = pq.ParquetFile(io.BytesIO(buf.getvalue()))
    >>> f.metadata.num_rows, json.loads(f.schema_arrow.metadata[b"serialcomp"])["problem"]
    (5, 'parity')
    """
    batch_size = check_int("batch_size", batch_size, 1, where="write_parquet", error=ProblemParameterError)
    row_group_size = check_int("row_group_size", row_group_size, 1, where="write_parquet", error=ProblemParameterError)
    if isinstance(path, (str, os.PathLike)):
        with atomic_path(path, what="Parquet output") as tmp:
            return _write(instances_iter, str(tmp), compression, batch_size, readable, row_group_size)
    return _write(instances_iter, path, compression, batch_size, readable, row_group_size)


def _write(instances_iter: Any, sink: Any, compression: str, batch_size: int, readable: bool,
           row_group_size: int) -> int:
    import pyarrow as pa
    import pyarrow.parquet as pq

    describer = _Describer()

    def tables() -> Iterator[Any]:
        pending: list[dict[str, Any]] = []
        for chunk in _as_chunks(instances_iter):
            if isinstance(chunk, Instances):
                if pending:
                    yield pa.Table.from_pylist(pending)
                    pending = []
                describer.add_instances(chunk, readable)
                yield records_table(chunk, readable)
            else:
                describer.add_record(chunk)
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
                writer = pq.ParquetWriter(sink, table.schema, compression=compression, **_writer_options(table.schema))
                schema = table.schema
            elif table.schema != schema:
                table = table.cast(schema)
            if table.num_rows:
                buffered.append(table)
                n_buffered += table.num_rows
                emit(final=False)
            count += table.num_rows
        if writer is None:  # nothing at all: an empty file with no columns
            writer = pq.ParquetWriter(sink, pa.schema([]), compression=compression, store_schema=False)
        emit(final=True)
        writer.add_key_value_metadata({METADATA_KEY: _dumps(describer.metadata())})
    finally:
        if writer is not None:
            writer.close()
    return count
