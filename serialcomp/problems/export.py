"""Export instances as JSON Lines or Parquet, byte for byte reproducibly.

Both writers take one :class:`~serialcomp.problems.instances.Instances`, an iterable of them (chunks of
one dataset, e.g. from :func:`generate_chunks`), or an iterable of record dicts. A record (see
:func:`export_records`) holds the header ``problem``, ``n``, ``seed``, ``index``, ``params`` (JSON
string), one typed ``param_<name>`` column per resolved sampling parameter (the hardness knob
among them, so ``df[df.param_petals == 5]`` works), then the problem's readable columns: inputs,
``target`` and per-record metadata.

JSONL has one record per line with sorted keys, formatted column by column from the arrays (the
same bytes as ``json.dumps(record, sort_keys=True, separators=(",", ":"))``). Parquet has plain
columns (ints, strings, bools and nested lists of them) that pandas, pyarrow and Hugging Face
``datasets`` load as is, in row groups of a fixed number of records, and a JSON description of
the dataset under the key ``serialcomp`` of the file's key-value metadata (:func:`file_metadata`:
problem, n, seed, params, serialcomp version, the token vocabulary and, for word problems, the
element table that ``--raw`` element indices point into). Neither format stores a timestamp, and
neither depends on how the records were chunked, so the same records give the same bytes (for a
given pyarrow version, whose name is recorded in the Parquet footer). docs/FORMATS.md has the
schema.
"""

from __future__ import annotations

import functools
import io
import json
import os
from typing import IO, Any, Iterator

import numpy as np

from .._seed import SeedLike
from ..errors import ProblemParameterError
from .columns import Coded, Ragged
from .instances import Instances
from .registry import get_problem

__all__ = ["METADATA_KEY", "export_records", "file_metadata", "generate_chunks", "records_table",
           "write_jsonl", "write_parquet"]

METADATA_KEY = "serialcomp"
"""The Parquet key-value metadata key whose value is :func:`file_metadata` as JSON."""

FORMAT_VERSION = 1
_HEADER = ("problem", "n", "seed", "index", "params")
_SEED_LIMIT = 2**63  # the ``seed`` column is int64
_ELEMENT_TABLE_LIMIT = 1 << 16  # most one-line entries (size x degree) stored in the metadata


def _check_export_seed(seed: Any) -> None:
    if isinstance(seed, (int, np.integer)) and not isinstance(seed, (bool, np.bool_)) and not 0 <= seed < _SEED_LIMIT:
        raise ProblemParameterError(f"seed must be in [0, 2**63) to be exported (the seed column is int64), got {seed}")


def _check_positive(name: str, value: Any) -> int:
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, (int, np.integer)) or value < 1:
        raise ProblemParameterError(f"{name} must be an int >= 1, got {value!r}")
    return int(value)


def _py(v: Any) -> Any:
    if isinstance(v, np.generic):
        return v.item()
    if isinstance(v, np.ndarray):
        return v.tolist()
    return v


def _dumps(v: Any) -> str:
    return json.dumps(v, sort_keys=True, separators=(",", ":"), ensure_ascii=True)


# ---------------------------------------------------------------------------------------------
# records
# ---------------------------------------------------------------------------------------------


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


def _params_json(instances: Instances) -> str:
    return json.dumps({k: _py(v) for k, v in instances.params.items()}, sort_keys=True)


def _param_columns(instances: Instances) -> dict[str, Any]:
    """``param_<name>``: each resolved sampling parameter as a plain value (sorted by name)."""
    return {f"param_{k}": _py(instances.params[k]) for k in sorted(instances.params)}


def export_records(instances: Instances, readable: bool = True) -> Iterator[dict[str, Any]]:
    """The records the writers write, as JSON-friendly dicts: ``Instances.records`` plus ``param_<name>``.

    Example
    -------
    >>> rec = next(export_records(get_problem("reach:flower").sample(10, 1, seed=0, petals=2)))
    >>> rec["param_petals"], rec["params"], rec["target"] in (0, 1)
    (2, '{"petals": 2}', True)
    """
    extra = _param_columns(instances)
    for rec in instances.records(readable):
        out = {k: rec[k] for k in _HEADER if k in rec}
        for k, v in extra.items():
            out.setdefault(k, v)
        for k, v in rec.items():
            out.setdefault(k, v)
        yield out


# ---------------------------------------------------------------------------------------------
# JSON Lines
# ---------------------------------------------------------------------------------------------

_JOIN_BLOCK = 1 << 20  # most texts joined per block (memory: 8 bytes each)
_PIECE_TABLE = 1 << 14  # most entries of a (cached) table of texts of runs of values


def _value_texts(a: np.ndarray) -> np.ndarray:
    """JSON text of every value of ``a`` (object array of str, same shape), as ``json.dumps`` writes it."""
    flat = a.reshape(-1)
    if a.dtype.kind == "b":
        out = np.array(["false", "true"], dtype=object)[flat.astype(np.intp)]
    elif a.dtype.kind in "iu" and flat.size:
        lo, hi = int(flat.min()), int(flat.max())
        if hi - lo < min(65536, flat.size) and -2**62 < lo and hi < 2**62:  # few distinct values: a table
            table = np.array([str(v) for v in range(lo, hi + 1)], dtype=object)
            out = table[flat.astype(np.int64) - lo]
        else:
            out = np.array(list(map(str, flat.tolist())), dtype=object)
    else:  # floats (NaN / Infinity as json writes them), strings, objects
        out = np.array([_dumps(_py(v)) for v in flat.tolist()], dtype=object) if flat.size else flat.astype(object)
    return out.reshape(a.shape)


@functools.lru_cache(maxsize=64)
def _run_table(kind: str, lo: int, base: int, size: int, bracket: bool) -> np.ndarray:
    """Texts ``"v1,...,v_size"`` (``"[...]"`` if ``bracket``) of all runs of values ``lo .. lo + base - 1``, by key."""
    vals = ["false", "true"] if kind == "b" else [str(v) for v in range(lo, lo + base)]
    runs = [""]
    for _ in range(size):
        runs = [r + "," + v if r else v for r in runs for v in vals]
    return np.array(["[" + r + "]" for r in runs] if bracket else runs, dtype=object)


def _piece_texts(a: np.ndarray) -> tuple[np.ndarray, bool]:
    """JSON texts of runs of consecutive values along the last axis (``"v,v,v"``), shape ``(..., pieces)``.

    Small-range ints and bools are cut into runs of ``g`` values with ``base**g <= 2**14`` and
    looked up in a table by their base-``base`` key: one text per run instead of one per value.
    When one run is a whole last-axis row it comes bracketed (``"[v,v,v]"``), shape ``a.shape[:-1]``,
    and the second value is ``True``.
    """
    m = a.shape[-1]
    if a.dtype.kind == "b":
        lo, base, src = 0, 2, a.view(np.uint8)
    elif a.dtype.kind in "iu":
        lo, hi = int(a.min()), int(a.max())
        base, src = hi - lo + 1, a
        if not (-2**62 < lo and hi < 2**62):
            return _value_texts(a), False
    else:
        return _value_texts(a), False
    g = 1
    while g < m and base ** (g + 1) <= _PIECE_TABLE:
        g += 1
    if g == 1 and m > 1:
        return _value_texts(a), False
    d = src.reshape(-1, m)
    full, rest = divmod(m, g)
    whole = full == 1 and rest == 0
    parts = []
    for size, first, runs in ((g, 0, full), (rest, full * g, 1 if rest else 0)):
        if runs:
            block = d[:, first:first + size * runs].reshape(len(d), runs, size)
            keys = np.zeros((len(d), runs), dtype=np.int32)
            for j in range(size):
                keys += block[:, :, j].astype(np.int32) * np.int32(base ** (size - 1 - j))
            if lo:
                keys -= np.int32(lo * sum(base**j for j in range(size)))
            parts.append(_run_table(a.dtype.kind, lo, base, size, whole)[keys])
    pieces = parts[0] if len(parts) == 1 else np.concatenate(parts, axis=1)
    if whole:
        return pieces.reshape(a.shape[:-1]), True
    return pieces.reshape(a.shape[:-1] + pieces.shape[-1:]), False


def _join_rows(texts: np.ndarray) -> list[str]:
    """``texts`` (object, ``(count, d1, ..., dk)``, k >= 1) -> one JSON nested list text per record.

    Texts are joined with ``,`` along the last axis and bracketed per axis, so a text may itself
    be a run ``"v,v"`` of the innermost list (:func:`_piece_texts`).
    """
    count, inner = texts.shape[0], texts.shape[1:]
    size = int(np.prod(inner, dtype=np.int64))
    if size == 0 or count == 0:
        return [_dumps(np.zeros(inner).tolist())] * count
    k = len(inner)
    flat = texts.reshape(count, size)
    if k == 1:
        return ["[" + ",".join(row) + "]" for row in flat.tolist()]
    blocks = np.cumprod((1,) + inner[::-1])[::-1][1:]  # elements per index step at each axis
    j = np.arange(1, size)
    closes = np.zeros(size - 1, np.int64)
    for b in blocks[:-1]:
        closes += j % int(b) == 0
    seps = np.array(["]" * c + "," + "[" * c for c in range(k)], dtype=object)[closes]
    out: list[str] = []
    step = max(1, _JOIN_BLOCK // (2 * size + 1))
    for a in range(0, count, step):
        b = min(count, a + step)
        buf = np.empty((b - a, 2 * size + 1), dtype=object)
        buf[:, 0], buf[:, -1] = "[" * k, "]" * k
        buf[:, 1::2] = flat[a:b]
        buf[:, 2:-1:2] = seps
        out.extend(map("".join, buf.tolist()))
    return out


def _texts(a: np.ndarray) -> list[str]:
    """One JSON text per record of an array column (leading axis = record)."""
    if a.ndim == 1:
        return _value_texts(a).tolist()
    if a.size == 0:
        return _join_rows(np.empty(a.shape, dtype=object))
    pieces, whole = _piece_texts(a)
    if whole and pieces.ndim == 1:
        return pieces.tolist()
    return _join_rows(pieces)


def _column_texts(col: Any, count: int) -> list[str]:
    """The JSON text of each record's value of one column (the bytes ``json.dumps`` would write)."""
    if isinstance(col, Coded):
        cats = col.categories
        if col.strings:
            table = np.array([_dumps(c) for c in cats.tolist()], dtype=object)
        else:
            table = np.asarray(_texts(cats) if cats.ndim > 1 else _value_texts(cats).tolist(), dtype=object)
        t = table[col.codes]
        return t.tolist() if t.ndim == 1 else _join_rows(t)
    if isinstance(col, Ragged):
        values = np.asarray(col.values)
        elems = _texts(values) if values.ndim > 1 else _value_texts(values).tolist()
        o = np.asarray(col.offsets, dtype=np.int64).tolist()
        return ["[" + ",".join(elems[o[i]:o[i + 1]]) + "]" for i in range(count)]
    if isinstance(col, np.ndarray) and col.dtype != object and col.dtype.kind in "biuf":
        return _texts(col)
    return [_dumps(_py(v)) for v in col]


def _jsonl_chunk(instances: Instances, readable: bool) -> str:
    """The JSON Lines text of one batch, formatted column by column."""
    c = len(instances)
    if c == 0:
        return ""
    const: dict[str, str] = {"problem": _dumps(instances.problem), "n": str(int(instances.n)),
                             "seed": str(int(instances.seed)), "params": _dumps(_params_json(instances))}
    const.update({k: _dumps(v) for k, v in _param_columns(instances).items()})
    varying: dict[str, list[str]] = {"index": list(map(str, np.asarray(instances.index, dtype=np.int64).tolist()))}
    for k, col in instances.columns(readable).items():
        if k not in const and k not in varying:  # the header wins, as in export_records
            varying[k] = _column_texts(col, c)
    fields, order = [], []
    for k in sorted({**const, **varying}):
        key = _dumps(k).replace("%", "%%")
        if k in varying:
            fields.append(key + ":%s")
            order.append(varying[k])
        else:
            fields.append(key + ":" + const[k].replace("%", "%%"))
    fmt = "{" + ",".join(fields) + "}\n"
    return "".join([fmt % row for row in zip(*order)])


def write_jsonl(instances_iter: Any, path_or_stream: str | os.PathLike | IO[Any], readable: bool = True) -> int:
    """Write records as JSON Lines (sorted keys, compact separators, ASCII); returns the record count.

    Each line is ``json.dumps(record, sort_keys=True, separators=(",", ":"))`` of a record of
    :func:`export_records`; batches of :class:`Instances` are formatted column by column from
    their arrays (the same bytes, without a Python dict per record).

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
    binary = isinstance(stream, (io.RawIOBase, io.BufferedIOBase)) or (
        not isinstance(stream, io.TextIOBase) and "b" in getattr(stream, "mode", ""))
    count = 0
    for chunk in _as_chunks(instances_iter):
        if isinstance(chunk, Instances):
            text, m = _jsonl_chunk(chunk, readable), len(chunk)
        else:
            text, m = _dumps(chunk) + "\n", 1
        if text:
            stream.write(text.encode("ascii") if binary else text)
        count += m
    return count


# ---------------------------------------------------------------------------------------------
# Parquet
# ---------------------------------------------------------------------------------------------


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
    >>> records_table(get_problem("word:S3").sample(4, 2, seed=0)).column_names[:6]
    ['problem', 'n', 'seed', 'index', 'params', 'param_prefix']
    """
    import pyarrow as pa

    _check_export_seed(instances.seed)
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

    Example
    -------
    >>> import pyarrow.parquet as pq
    >>> buf = io.BytesIO()
    >>> write_parquet(get_problem("parity").sample(3, 5, seed=0), buf)
    5
    >>> f = pq.ParquetFile(io.BytesIO(buf.getvalue()))
    >>> f.metadata.num_rows, json.loads(f.schema_arrow.metadata[b"serialcomp"])["problem"]
    (5, 'parity')
    """
    import pyarrow as pa
    import pyarrow.parquet as pq

    batch_size = _check_positive("batch_size", batch_size)
    row_group_size = _check_positive("row_group_size", row_group_size)
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
            writer = pq.ParquetWriter(path, pa.schema([]), compression=compression, store_schema=False)
        emit(final=True)
        writer.add_key_value_metadata(
            {METADATA_KEY: _dumps(describer.metadata())})
    finally:
        if writer is not None:
            writer.close()
    return count
