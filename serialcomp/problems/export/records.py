"""The records both writers write, and the chunks they are sampled in.

A record (:func:`export_records`) holds the header ``problem``, ``n``, ``seed``, ``index``,
``params`` (JSON string), one typed ``param_<name>`` column per resolved sampling parameter (the
hardness knob among them, so ``df[df.param_petals == 5]`` works), then the problem's readable
columns: inputs, ``target`` and per-record metadata. :func:`generate_chunks` samples a dataset in
chunks whose records do not depend on the chunking; :func:`format_for_path` picks the file format
from a file name.
"""

from __future__ import annotations

import json
import os
from typing import Any, Iterator

import numpy as np

from ..._atomic import check_interrupted
from ..._seed import SeedLike, seed_int
from ..._validate import check_int
from ...errors import ProblemParameterError
from ..instances import Instances
from ..problem import MAX_INDEX
from ..registry import get_problem

__all__ = ["FORMATS", "export_records", "format_for_path", "generate_chunks"]

FORMATS = ("jsonl", "parquet")
"""The file formats of :func:`~serialcomp.problems.export.jsonl.write_jsonl` and
:func:`~serialcomp.problems.export.parquet.write_parquet`."""
_PARQUET_SUFFIXES = (".parquet", ".pq")
_HEADER = ("problem", "n", "seed", "index", "params")
_EXPORT_SEED = " to be exported (the seed column is int64)"


def format_for_path(path: str | os.PathLike[str]) -> str:
    """The format a file name asks for: ``"parquet"`` for a ``.parquet`` or ``.pq`` suffix in any
    case (``data.PARQUET`` included), else ``"jsonl"``.

    Example
    -------
    >>> format_for_path("d.PARQUET"), format_for_path("shard.pq"), format_for_path("d.jsonl")
    ('parquet', 'parquet', 'jsonl')
    """
    return "parquet" if os.fspath(path).lower().endswith(_PARQUET_SUFFIXES) else "jsonl"


def export_seed(seed: Any) -> int:
    """``seed`` as the int of the int64 ``seed`` column: ``[0, 2**63)``, else ProblemParameterError.

    Example
    -------
    >>> export_seed(2**63)
    Traceback (most recent call last):
    ...
    serialcomp.errors.ProblemParameterError: seed must be in [0, 2**63) to be exported (the seed column is int64), got 9223372036854775808
    """
    return seed_int(seed, bits=63, why=_EXPORT_SEED)


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
    these, ``n``, ``count``, ``start`` and the parameters are checked here, before the first chunk
    is drawn, and anything wrong raises :class:`~serialcomp.errors.ProblemParameterError`.

    Example
    -------
    >>> [len(c) for c in generate_chunks("parity", 4, 10, seed=0, chunk_size=4)]
    [4, 4, 2]
    """
    # checked here, not at the first next(): a writer must not open its output for a run that fails
    chunk_size = check_int("chunk_size", chunk_size, 1, where="generate_chunks", error=ProblemParameterError)
    seed = export_seed(seed)  # one int seed for all chunks, also from a Generator
    problem = get_problem(key)
    empty = problem.sample(n, 0, seed, start=start, **params)  # n, start and the parameters
    count = check_int("count", count, 0, where="generate_chunks", error=ProblemParameterError)
    if count > MAX_INDEX + 1 - start:
        raise ProblemParameterError(f"start + count = {start} + {count} exceeds 2**63 for generate_chunks: record "
                                    "indices are int64")
    return _chunks(problem, empty.n, count, seed, start, chunk_size, params)


def _chunks(problem: Any, n: int, count: int, seed: int, start: int, chunk_size: int,
            params: dict[str, Any]) -> Iterator[Instances]:
    first = problem.sample(n, min(count, chunk_size), seed, start=start, **params)
    yield first
    for a in range(len(first), count, chunk_size):
        check_interrupted()
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
    >>> from serialcomp.problems import get_problem
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
