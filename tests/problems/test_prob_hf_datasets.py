"""Hugging Face ``datasets`` loads the Parquet export as is (plain columns), offline, with the values
the records hold: the library's own Parquet reader is the oracle."""

import os

import numpy as np
import pytest

from serialcomp.problems import get_problem
from serialcomp.problems.export import write_parquet

CASES = [("word:S5", 9, {"prefix": True}), ("reach:flower", 10, {"petals": 2}), ("cvp", 4, {"depth": 3}),
         ("sudoku", 3, {}), ("timelock", 8, {"t": 5}), ("ca:rule110", 9, {})]


@pytest.mark.parametrize("key,n,params", CASES, ids=[c[0] for c in CASES])
def test_load_dataset_parquet_gives_the_records(tmp_path, monkeypatch, key, n, params):
    monkeypatch.setenv("HF_DATASETS_OFFLINE", "1")
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    monkeypatch.setenv("HF_HOME", str(tmp_path / "hf"))
    datasets = pytest.importorskip("datasets")
    datasets.disable_progress_bars()
    inst = get_problem(key).sample(n, 6, seed=11, **params)
    path = tmp_path / "d.parquet"
    write_parquet(inst, path)
    ds = datasets.load_dataset("parquet", data_files=os.fspath(path), split="train",
                               cache_dir=os.fspath(tmp_path / "cache"))
    assert ds.num_rows == 6
    records = list(inst.records())
    assert set(ds.column_names) == set(records[0])
    for got, want in zip(ds, records):
        for k, v in want.items():
            g = got[k]
            if isinstance(v, float):
                assert np.isclose(g, v), k
            else:
                assert g == v, (k, g, v)
