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


@pytest.mark.parametrize("kw,match", [
    ({"count": -3}, "count for make_dataset must be >= 0, got -3"),
    ({"count": 2.5}, "count for make_dataset must be an integer"),
    ({"start": -1}, "start for make_dataset must be >= 0"),
    ({"chunk_size": 0}, "chunk_size for make_dataset must be >= 1"),
    ({"chunk_size": "8"}, "chunk_size for make_dataset must be an integer"),
    ({"n": 0}, "n for word:S5 must be >= 1"),
    ({"seed": -1}, r"seed must be in \[0, 2\*\*64\), got -1"),
    ({"seed": 1.5}, "seed must be an int"),
    ({"problem": "word:S55"}, "unknown problem 'word:S55'"),
    ({"problem": 7}, "problem key must be a string"),
    ({"prefix": "maybe"}, "prefix for word:S5 must be a bool"),
    ({"colour": 1}, "unknown parameter 'colour'"),
    ({"target": "prefix"}, "target for make_dataset must be one of 'bits', 'target'"),
    ({"target": 3}, "target for make_dataset must be one of"),
])
def test_bad_arguments_name_the_parameter(kw, match):
    """Every argument is checked before torch is imported (so with or without torch)."""
    from serialcomp.errors import ProblemParameterError
    from serialcomp.problems.dataset import make_dataset

    args = {"problem": "word:S5", "n": 8, "count": 10, **kw}
    with pytest.raises(ProblemParameterError, match=match):
        make_dataset(args.pop("problem"), args.pop("n"), args.pop("count"), **args)


def test_prefix_targets_are_element_ids():
    """target="prefix": one element id per position (state tracking), the token ids of vocab."""
    torch = pytest.importorskip("torch")
    from serialcomp.problems.dataset import make_dataset

    p = get_problem("word:A5")
    ds = make_dataset("word:A5", 10, 9, seed=2, chunk_size=4, prefix=True, target="prefix")
    inst = p.sample(10, 9, seed=2, prefix=True)
    for i in (0, 5, 8):
        item = ds[i]
        assert item["target"].dtype == torch.int64 and item["target"].shape == (10,)
        assert item["target"].tolist() == inst.targets["prefix"][i].tolist()
        assert [ds.vocab[j] for j in item["target"].tolist()] == [p.vocab(10)[j] for j in inst.targets["prefix"][i]]
    assert ds[np.int64(3)]["index"] == 3
    with pytest.raises(TypeError):
        ds[1.0]
    prod = make_dataset("word:A5", 10, 9, seed=2, target="target")
    assert prod[4]["target"].shape == () and int(prod[4]["target"]) == int(inst.targets["target"][4])
