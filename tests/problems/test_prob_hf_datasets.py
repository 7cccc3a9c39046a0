"""Hugging Face ``datasets`` loads the Parquet export as is (plain columns), offline, with the values
the records hold: the library's own Parquet reader is the oracle."""

import os

import numpy as np
import pytest

from serialcomp.problems import get_problem
from serialcomp.problems.export import export_records, write_parquet

CASES = [("word:S5", 9, {"prefix": True}), ("reach:flower", 10, {"petals": 2}), ("cvp", 4, {"depth": 3}),
         ("sudoku", 3, {}), ("timelock", 8, {"t": 5}), ("ca:rule110", 9, {})]


def _load(tmp_path, monkeypatch, inst, readable=True):
    monkeypatch.setenv("HF_DATASETS_OFFLINE", "1")
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    monkeypatch.setenv("HF_HOME", str(tmp_path / "hf"))
    datasets = pytest.importorskip("datasets")
    datasets.disable_progress_bars()
    path = tmp_path / "d.parquet"
    write_parquet(inst, path, readable=readable)
    return datasets.load_dataset("parquet", data_files=os.fspath(path), split="train",
                                 cache_dir=os.fspath(tmp_path / "cache"))


@pytest.mark.parametrize("key,n,params", CASES, ids=[c[0] for c in CASES])
def test_load_dataset_parquet_gives_the_records(tmp_path, monkeypatch, key, n, params):
    inst = get_problem(key).sample(n, 6, seed=11, **params)
    ds = _load(tmp_path, monkeypatch, inst)
    assert ds.num_rows == 6
    records = list(export_records(inst))
    assert set(ds.column_names) == set(records[0])
    assert all(f"param_{k}" in ds.column_names for k in inst.params)
    for got, want in zip(ds, records):
        for k, v in want.items():
            g = got[k]
            if isinstance(v, float):
                assert np.isclose(g, v), k
            else:
                assert g == v, (k, g, v)


def test_load_dataset_coded_strings(tmp_path, monkeypatch):
    """Coded string columns (dictionary pages; e.g. group elements as one-line strings) load as plain
    strings and lists of strings."""
    import copy

    import numpy as np

    from serialcomp.problems import Coded

    p = copy.copy(get_problem("word:S3"))
    names = ["".join(map(str, e)) for e in p.monoid.perms(np.arange(p.monoid.size)).tolist()]
    p.columns = lambda inst: {"word": Coded(inst.inputs["word"], names), "target": Coded(inst.targets["target"], names)}
    inst = p.sample(5, 4, seed=2)
    ds = _load(tmp_path, monkeypatch, inst)
    assert str(ds.features["word"]) == "List(Value('string'))" and str(ds.features["target"]) == "Value('string')"
    assert [dict(r) for r in ds] == list(export_records(inst))
    assert ds[0]["word"] == [names[i] for i in inst.inputs["word"][0]]
