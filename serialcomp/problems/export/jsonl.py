"""JSON Lines: one record per line, formatted column by column from the arrays.

Each line is ``json.dumps(record, sort_keys=True, separators=(",", ":"))`` of a record of
:func:`~serialcomp.problems.export.records.export_records`, ASCII only; batches of
:class:`~serialcomp.problems.instances.Instances` are turned into text a column at a time (runs of
small values looked up in tables of their texts), without a Python dict per record, and give the
same bytes.
"""

from __future__ import annotations

import functools
import io
import os
from typing import IO, Any

import numpy as np

from ..._atomic import atomic_open
from ..columns import Coded, Ragged
from ..instances import Instances
from .records import _as_chunks, _dumps, _param_columns, _params_json, _py

__all__ = ["write_jsonl"]

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
        A path is written atomically (a temporary file beside it, renamed when complete): an error,
        Ctrl-C or SIGTERM leaves no file, and an existing file as it was. A stream (``sys.stdout``)
        is written chunk by chunk as the records are sampled.
    readable : bool
        ``False`` writes the stored arrays (e.g. element indices for word problems) instead of
        readable structures (one-line permutations); see ``Instances.records``.

    Example
    -------
    >>> import json
    >>> from serialcomp.problems import get_problem
    >>> buf = io.StringIO()
    >>> write_jsonl(get_problem("parity").sample(3, 2, seed=0), buf)
    2
    >>> json.loads(buf.getvalue().splitlines()[0])["problem"]
    'parity'
    """
    if isinstance(path_or_stream, (str, os.PathLike)):
        # the file appears complete or not at all: an error or an interrupt leaves an existing file as it was
        with atomic_open(path_or_stream, "w", encoding="ascii", newline="\n") as f:
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
