"""Export instances as JSON Lines or Parquet, byte for byte reproducibly.

Both writers take one :class:`~serialcomp.problems.instances.Instances`, an iterable of them (chunks
of one dataset, e.g. from :func:`generate_chunks`), or an iterable of record dicts, and write the
records of :func:`export_records`: the header ``problem``, ``n``, ``seed``, ``index``, ``params``
(JSON string), one typed ``param_<name>`` column per resolved sampling parameter, then the
problem's readable columns (inputs, ``target``, per-record metadata).

=====================  ===============================================================
module                 what
=====================  ===============================================================
:mod:`.records`        the records, :func:`generate_chunks`, :func:`format_for_path`
:mod:`.jsonl`          :func:`write_jsonl`: the JSON text engine, column by column
:mod:`.parquet`        :func:`write_parquet`, :func:`records_table`, :func:`file_metadata`
=====================  ===============================================================

JSONL has one record per line with sorted keys (the same bytes as ``json.dumps(record,
sort_keys=True, separators=(",", ":"))``). Parquet has plain columns that pandas, pyarrow and
Hugging Face ``datasets`` load as is, in row groups of a fixed number of records, and a JSON
description of the dataset under the key ``serialcomp`` of the file's key-value metadata. Neither
format stores a timestamp, and neither depends on how the records were chunked, so the same records
give the same bytes (for a given pyarrow version, whose name is recorded in the Parquet footer).
Writing to a path is atomic: a failed or interrupted write leaves no file, and an existing file as it
was. docs/FORMATS.md has the schema.

Example
-------
>>> import io, json
>>> buf = io.StringIO()
>>> write_jsonl(generate_chunks("parity", 4, 3, seed=0, chunk_size=2), buf)
3
>>> [json.loads(line)["index"] for line in buf.getvalue().splitlines()]
[0, 1, 2]
"""

from __future__ import annotations

from .jsonl import write_jsonl
from .parquet import FORMAT_VERSION, METADATA_KEY, file_metadata, records_table, write_parquet
from .records import FORMATS, export_records, format_for_path, generate_chunks

__all__ = ["FORMATS", "FORMAT_VERSION", "METADATA_KEY", "export_records", "file_metadata", "format_for_path",
           "generate_chunks", "records_table", "write_jsonl", "write_parquet"]
