"""Nothing lost at the library level: writing to a path is all or nothing, a stream is written as the
records come, and the format of a path is read from its suffix in any case."""

import io
import json

import pyarrow.parquet as pq
import pytest

from serialcomp.errors import ProblemParameterError
from serialcomp.problems import get_problem
from serialcomp.problems.export import format_for_path, generate_chunks, write_jsonl, write_parquet

WRITERS = {"parquet": write_parquet, "jsonl": write_jsonl}


def _failing_chunks(fail_with, good=3):
    """``good`` chunks of parity records, then ``fail_with`` raised from inside the iterator."""
    yield from generate_chunks("parity", 8, 4 * good, seed=1, chunk_size=4)
    raise fail_with


@pytest.mark.parametrize("fmt", sorted(WRITERS))
@pytest.mark.parametrize("exc", [RuntimeError("disk on fire"), KeyboardInterrupt()])
def test_a_failed_write_leaves_no_file(tmp_path, fmt, exc):
    target = tmp_path / f"data.{fmt}"
    with pytest.raises(type(exc)):
        WRITERS[fmt](_failing_chunks(exc), target)
    assert sorted(p.name for p in tmp_path.iterdir()) == []  # neither the file nor a temporary one


@pytest.mark.parametrize("fmt", sorted(WRITERS))
def test_a_failed_write_keeps_an_existing_file_byte_identical(tmp_path, fmt):
    target = tmp_path / f"data.{fmt}"
    assert WRITERS[fmt](generate_chunks("majority", 5, 10, seed=2), target) == 10
    before = target.read_bytes()
    for exc in (RuntimeError("boom"), KeyboardInterrupt()):
        with pytest.raises(type(exc)):
            WRITERS[fmt](_failing_chunks(exc), target)
        assert target.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == [target.name]


def test_a_complete_write_replaces_the_file(tmp_path):
    target = tmp_path / "data.parquet"
    target.write_bytes(b"not parquet")
    assert write_parquet(generate_chunks("parity", 8, 9, seed=0, chunk_size=4), target) == 9
    f = pq.ParquetFile(target)
    assert f.metadata.num_rows == 9
    assert json.loads(f.schema_arrow.metadata[b"serialcomp"])["problem"] == "parity"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["data.parquet"]


def test_jsonl_to_a_stream_is_written_chunk_by_chunk():
    """A stream (stdout) gets each chunk's lines before the next chunk is sampled: the three chunks
    drawn before the failure are there, complete."""
    buf = io.StringIO()
    with pytest.raises(RuntimeError):
        write_jsonl(_failing_chunks(RuntimeError("later")), buf)
    lines = buf.getvalue().splitlines()
    assert [json.loads(line)["index"] for line in lines] == list(range(12))


def test_format_for_path_ignores_case():
    assert [format_for_path(p) for p in ("a.parquet", "a.PARQUET", "a.Pq", "dir.parquet/a.jsonl", "a", "a.JSONL")] \
        == ["parquet", "parquet", "parquet", "jsonl", "jsonl", "jsonl"]


def test_generate_chunks_checks_everything_before_the_first_chunk():
    """A bad size, parameter or index range raises at the call, so no writer opens its output for it."""
    with pytest.raises(ProblemParameterError, match="too large for parity"):
        generate_chunks("parity", 10**12, 1)
    with pytest.raises(ProblemParameterError, match="unknown parameter"):
        generate_chunks("parity", 4, 1, petals=2)
    with pytest.raises(ProblemParameterError, match=r"exceeds 2\*\*63"):
        generate_chunks("parity", 4, 2, start=2**63 - 1)
    assert [c.index.tolist() for c in generate_chunks("parity", 4, 1, start=2**63 - 1)] == [[2**63 - 1]]


def test_sample_refuses_indices_beyond_int64():
    p = get_problem("parity")
    with pytest.raises(ProblemParameterError, match=r"start \+ count = 9223372036854775807 \+ 2 exceeds 2\*\*63"):
        p.sample(8, 2, seed=0, start=2**63 - 1)
    with pytest.raises(ProblemParameterError, match="start for parity must be in"):
        p.sample(8, 0, seed=0, start=2**63)
    assert p.sample(8, 1, seed=0, start=2**63 - 1).index.tolist() == [2**63 - 1]
