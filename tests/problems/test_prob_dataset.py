"""The optional torch Dataset wrapper."""

import numpy as np
import pytest

from serialcomp.problems import get_problem


def test_module_imports_without_torch():
    import serialcomp.problems.dataset as ds

    assert callable(ds.make_dataset)


def test_dataset_items_match_encodings():
    torch = pytest.importorskip("torch")
    from serialcomp.problems.dataset import make_dataset

    ds = make_dataset("word:S5", 12, 25, seed=3, chunk_size=7, prefix=True)
    assert len(ds) == 25
    p = get_problem("word:S5")
    inst = p.sample(12, 25, seed=3, prefix=True)
    for i in (0, 6, 7, 24, -1):
        item = ds[i]
        assert item["tokens"].dtype == torch.int64
        assert np.array_equal(item["tokens"].numpy(), p.encode_tokens(inst)[i])
        assert np.array_equal(item["target"].numpy(), p.target_bits(inst)[i].astype(np.int64))
    with pytest.raises(IndexError):
        ds[25]
    loader = torch.utils.data.DataLoader(ds, batch_size=8)
    batch = next(iter(loader))
    assert batch["tokens"].shape == (8, 12)


def test_dataset_logic_with_stub_torch(monkeypatch):
    """Chunking and indexing, with a stand-in for torch (numpy arrays as tensors)."""
    import sys
    import types

    import serialcomp.problems.dataset as dsmod

    if "torch" in sys.modules:
        pytest.skip("real torch present; covered above")
    torch = types.ModuleType("torch")
    torch.from_numpy = lambda a: a
    utils = types.ModuleType("torch.utils")
    data = types.ModuleType("torch.utils.data")
    data.Dataset = type("Dataset", (), {})
    torch.utils, utils.data = utils, data
    for name, mod in [("torch", torch), ("torch.utils", utils), ("torch.utils.data", data)]:
        monkeypatch.setitem(sys.modules, name, mod)
    monkeypatch.setattr(dsmod, "_CLASS", None)
    ds = dsmod.make_dataset("reach:flower", 10, 23, seed=4, start=3, chunk_size=5)
    assert isinstance(ds, data.Dataset) and len(ds) == 23
    p = get_problem("reach:flower")
    inst = p.sample(10, 23, seed=4, start=3)
    tok, tgt = p.encode_tokens(inst), p.target_bits(inst)
    for i in list(range(23)) + [-1]:
        item = ds[i]
        assert np.array_equal(item["tokens"], tok[i]) and np.array_equal(item["target"], tgt[i].astype(np.int64))
        assert item["index"] == 3 + (i % 23)
    with pytest.raises(IndexError):
        ds[23]
    assert ds.vocab == p.vocab(10)
    monkeypatch.setattr(dsmod, "_CLASS", None)
