"""Parquet shard folders (`serialcomp generate --shards K --out DIR`, :func:`serialcomp.scale.write_shards`).

The oracle is the single-file dataset: `serialcomp generate ... --out x.parquet` with the same
arguments. The shards read in name order must be that file record for record (every column, the
same schema and the same key-value metadata), whether this process or Dask workers wrote them.
"""

from __future__ import annotations

import itertools
import json
from pathlib import Path

import pyarrow as pa
import pyarrow.dataset as pads
import pyarrow.parquet as pq
import pytest
from hypothesis import given
from hypothesis import strategies as st

from serialcomp.cli import main
from serialcomp.errors import SerialcompError
from serialcomp.problems.export import METADATA_KEY
from serialcomp.scale import shard_bounds, shard_name, write_shards
from serialcomp.scale import shards as shards_mod

# (key, n, extra generate options): a bit vector, a word problem in both encodings (readable
# strings; --raw element indices), and a graph problem with nested list columns
CASES = [
    ("parity", 8, []),
    ("word:S3", 5, ["--param", "prefix=true"]),
    ("word:S3", 5, ["--param", "prefix=true", "--raw"]),
    ("reach:flower", 6, []),
]
COUNT, SEED, START, SHARDS = 37, 3, 5, 4


def _generate(key, n, extra, out, *more):
    argv = ["generate", key, "--n", str(n), "--count", str(COUNT), "--seed", str(SEED), "--start", str(START),
            *extra, "--out", str(out), *more]
    assert main(argv) == 0


def _parts(folder: Path) -> list[Path]:
    return sorted(folder.glob("*.parquet"))


@pytest.fixture(scope="module", params=CASES, ids=[" ".join([c[0], *c[2]]) for c in CASES])
def single_and_shards(request, tmp_path_factory):
    """One case written twice by the CLI: one file, and a folder of 4 shards (small chunks, so a
    shard is several sampled batches)."""
    key, n, extra = request.param
    d = tmp_path_factory.mktemp("shards")
    _generate(key, n, extra, d / "x.parquet")
    _generate(key, n, extra, d / "s", "--shards", str(SHARDS), "--chunk-size", "4")
    return d / "x.parquet", d / "s"


def test_shards_in_name_order_are_the_single_file(single_and_shards):
    """The shards, concatenated in name order, equal the single file: every column and value, the
    schema, and the `serialcomp` key-value metadata of each shard (which describes the dataset, not
    the shard, so it is the single file's exactly)."""
    single_path, folder = single_and_shards
    parts = _parts(folder)
    assert [p.name for p in parts] == [shard_name(j) for j in range(SHARDS)]
    single = pq.read_table(single_path)
    tables = [pq.read_table(p) for p in parts]
    assert [t.num_rows for t in tables] == [hi - lo for lo, hi in shard_bounds(COUNT, SHARDS)]
    whole = pa.concat_tables(tables)
    assert whole.schema.equals(single.schema, check_metadata=True)
    assert whole.equals(single)
    assert whole.to_pylist() == single.to_pylist()
    assert whole.column("index").to_pylist() == list(range(START, START + COUNT))
    meta = single.schema.metadata[METADATA_KEY.encode()]
    for p in parts:
        assert pq.read_schema(p).metadata[METADATA_KEY.encode()] == meta
    assert json.loads(meta)["seed"] == SEED


def test_pyarrow_dataset_reads_the_folder_as_one_dataset(single_and_shards):
    """`pyarrow.dataset.dataset(DIR)` finds the shards and reads them, in name order, as the single file."""
    single_path, folder = single_and_shards
    table = pads.dataset(folder, format="parquet").to_table()
    assert table.equals(pq.read_table(single_path))


@pytest.mark.filterwarnings("ignore:The inplace keyword:Warning")  # inside dask, not ours
def test_dask_dataframe_reads_the_folder(single_and_shards):
    """`dask.dataframe.read_parquet(DIR).compute()` gives every record once, in order, with the
    single file's columns."""
    dd = pytest.importorskip("dask.dataframe")
    single_path, folder = single_and_shards
    df = dd.read_parquet(str(folder)).compute()
    assert len(df) == COUNT
    assert df["index"].tolist() == list(range(START, START + COUNT))
    assert list(df.columns) == pq.read_schema(single_path).names


def test_hugging_face_datasets_loads_the_shards(single_and_shards, tmp_path, monkeypatch):
    """Hugging Face `datasets.load_dataset("parquet", data_files=<the shards, sorted>)` loads one
    split with every record in order and the single file's columns (offline, cache in tmp_path)."""
    monkeypatch.setenv("HF_DATASETS_OFFLINE", "1")
    datasets = pytest.importorskip("datasets")
    single_path, folder = single_and_shards
    ds = datasets.load_dataset("parquet", data_files=[str(p) for p in _parts(folder)], split="train",
                               cache_dir=str(tmp_path / "hf"))
    assert ds.num_rows == COUNT
    assert ds["index"] == list(range(START, START + COUNT))
    assert ds.column_names == pq.read_schema(single_path).names


def test_local_cluster_writes_the_same_bytes(tmp_path):
    """`--scheduler local:2` (one Dask task per shard on two worker processes) writes shard files
    byte-identical to the in-process run."""
    pytest.importorskip("distributed")
    here, there = tmp_path / "here", tmp_path / "there"
    args = ["generate", "word:S3", "--n", "6", "--count", "50", "--seed", "7", "--shards", "3"]
    assert main([*args, "--out", str(here)]) == 0
    assert main([*args, "--out", str(there), "--scheduler", "local:2"]) == 0
    assert [p.name for p in _parts(there)] == [p.name for p in _parts(here)] == [shard_name(j) for j in range(3)]
    for a, b in zip(_parts(here), _parts(there)):
        assert a.read_bytes() == b.read_bytes(), a.name
    assert sorted(p.name for p in tmp_path.iterdir()) == ["here", "there"]  # no temporary folder left


def test_a_worker_killed_while_writing_shards_changes_nothing(tmp_path):
    """Kill one of two workers as it starts a shard: Dask writes that shard again on a live worker,
    the folder holds exactly the shards (nothing the dead worker left), byte-identical to the
    in-process run."""
    distributed = pytest.importorskip("distributed")
    from serialcomp.testing.dask import die_once, killed

    kwargs = dict(shards=4, seed=3, params={})
    here = write_shards("word:S3", 6, 40, tmp_path / "here", **kwargs)
    flag = tmp_path / "killed"
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=":0",
                                  silence_logs=50) as cluster, distributed.Client(cluster) as client:
        client.register_plugin(die_once(flag, "shard-"))
        there = write_shards("word:S3", 6, 40, tmp_path / "there", scheduler=client, **kwargs)
    assert killed(flag) is not None, "no worker was killed: the test did not test anything"
    assert sorted(p.name for p in (tmp_path / "there").iterdir()) == [shard_name(j) for j in range(4)]
    for a, b in zip(here, there):
        assert a.read_bytes() == b.read_bytes(), a.name
    assert sorted(p.name for p in tmp_path.iterdir()) == ["here", "killed", "there"]


def _fail_on_shard(monkeypatch, bad: int, exc: BaseException):
    real = shards_mod.write_shard

    def write_shard(folder, j, *args, **kwargs):
        if j == bad:
            raise exc
        return real(folder, j, *args, **kwargs)

    monkeypatch.setattr(shards_mod, "write_shard", write_shard)


@pytest.mark.parametrize("exc", [SerialcompError("disk full on shard 1"), KeyboardInterrupt()],
                         ids=["error", "interrupt"])
def test_a_failed_run_leaves_no_partial_folder(tmp_path, monkeypatch, exc):
    """A run failing (or interrupted) at shard 1, after shard 0 was written, leaves no new folder,
    a previous shard folder byte for byte as it was, and no temporary folder beside them."""
    old = tmp_path / "old"
    write_shards("parity", 6, 9, old, shards=3, seed=1)
    before = {p.name: p.read_bytes() for p in _parts(old)}
    _fail_on_shard(monkeypatch, 1, exc)
    for target in (tmp_path / "new", old):
        with pytest.raises(type(exc)):
            write_shards("parity", 6, 12, target, shards=4, seed=2)
    assert not (tmp_path / "new").exists()
    assert {p.name: p.read_bytes() for p in _parts(old)} == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["old"]


def test_a_failed_cli_run_is_one_line_and_leaves_nothing(tmp_path, monkeypatch, capsys):
    """Through the CLI, a shard that fails is one `serialcomp generate: error:` line, exit 1, no folder."""
    _fail_on_shard(monkeypatch, 1, SerialcompError("cannot write shard 1"))
    assert main(["generate", "parity", "--n", "6", "--count", "8", "--shards", "2", "--out", str(tmp_path / "d")]) == 1
    err = capsys.readouterr().err
    assert err == "serialcomp generate: error: cannot write shard 1\n"
    assert list(tmp_path.iterdir()) == []


def test_a_previous_shard_folder_is_replaced_whole(tmp_path):
    """Rewriting a shard folder with fewer shards leaves exactly the new shards (no stale part file
    of the old run), which read back as the new dataset."""
    d = tmp_path / "d"
    write_shards("parity", 4, 10, d, shards=5)
    write_shards("parity", 4, 6, d, shards=2, seed=9)
    assert [p.name for p in d.iterdir()] and sorted(p.name for p in d.iterdir()) == [shard_name(0), shard_name(1)]
    table = pads.dataset(d).to_table()
    assert table.column("index").to_pylist() == list(range(6)) and set(table.column("seed").to_pylist()) == {9}


@given(count=st.integers(1, 10_000), shards=st.integers(1, 200))
def test_shard_bounds_partition_the_records(count, shards):
    """shard_bounds(count, K), for K <= count, is K contiguous non-empty ranges covering
    0..count-1 exactly once, in order, whose sizes differ by at most one; K > count is refused."""
    if shards > count:
        with pytest.raises(SerialcompError, match=f"--shards {shards} needs --count >= {shards}"):
            shard_bounds(count, shards)
        return
    bounds = shard_bounds(count, shards)
    assert len(bounds) == shards and bounds[0][0] == 0 and bounds[-1][1] == count
    assert all(a[1] == b[0] for a, b in itertools.pairwise(bounds))
    sizes = [hi - lo for lo, hi in bounds]
    assert min(sizes) >= 1 and max(sizes) - min(sizes) <= 1
