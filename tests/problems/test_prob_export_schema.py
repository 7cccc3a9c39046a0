"""The exported record schema: param_<name> columns, the Parquet key-value metadata, Coded columns, and
the column-wise JSONL writer (the same bytes as json.dumps of every record)."""

import io
import json

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import pytest
import sympy

import serialcomp
from serialcomp.errors import ProblemParameterError
from serialcomp.problems import get_problem, list_problems
from serialcomp.problems import ComplexityFacts, Problem
from serialcomp.problems import Coded
from serialcomp.problems.export import (METADATA_KEY, export_records, generate_chunks, records_table,
                                        write_jsonl, write_parquet)

SMALL = {"sudoku": 3, "timelock": 8, "iadd": 5, "reach:random": 8, "cvp": 5, "ca:rule90": 9}
KEYS = list_problems() + ["word:Z7", "word:Z12"]


def _size(key):
    return max(get_problem(key).min_n, SMALL.get(key, 7))


def _kw(key):
    return {"prefix": True} if key.startswith("word:") else {}


def _reference_jsonl(inst, readable=True):
    return "".join(json.dumps(r, sort_keys=True, separators=(",", ":"), ensure_ascii=True) + "\n"
                   for r in export_records(inst, readable))


def _meta(path_or_buf):
    return json.loads(pq.read_schema(path_or_buf).metadata[METADATA_KEY.encode()])


@pytest.mark.parametrize("key", KEYS)
def test_jsonl_is_json_dumps_of_every_record(key):
    """The column-wise formatter writes exactly json.dumps(record, sort_keys=True, compact) per line."""
    inst = get_problem(key).sample(_size(key), 4, seed=5, **_kw(key))
    for readable in (True, False):
        buf = io.StringIO()
        assert write_jsonl(inst, buf, readable) == 4
        assert buf.getvalue() == _reference_jsonl(inst, readable), readable
    raw = io.BytesIO()
    write_jsonl(inst, raw)  # a binary stream gets the same bytes
    assert raw.getvalue() == _reference_jsonl(inst).encode("ascii")


def test_jsonl_formatter_on_awkward_arrays():
    """Nested, empty, signed, wide-range, bool and float arrays, as json.dumps writes them."""
    from serialcomp.problems.export.jsonl import _column_texts

    rng = np.random.default_rng(0)
    dumps = lambda v: json.dumps(v, separators=(",", ":"))  # noqa: E731
    arrays = [rng.integers(-3, 3, (4, 5, 3)).astype(np.int8), rng.integers(0, 2, (3, 70)).astype(bool),
              rng.integers(-2**40, 2**40, (3, 4)), rng.integers(0, 300, (2, 3, 2, 2)).astype(np.uint16),
              np.zeros((3, 0), np.int64), np.zeros((2, 3, 0), np.int8), np.array([[np.nan, np.inf, -0.5]]),
              rng.integers(0, 120, (3, 9)).astype(np.int16), np.array([[2**62 + 1, 0]], dtype=np.uint64)]
    for a in arrays:
        assert _column_texts(a, len(a)) == [dumps(r.tolist()) for r in a], (a.dtype, a.shape)


def test_param_columns_are_typed_and_filterable(tmp_path):
    cases = [("reach:flower", 16, {"petals": 3}, {"param_petals": pa.int64()}),
             ("reach:random", 8, {"p": 0.3}, {"param_p": pa.float64(), "param_max_edges": pa.int64()}),
             ("word:S5", 6, {"prefix": True}, {"param_prefix": pa.bool_()}),
             ("cvp", 5, {"depth": 2}, {"param_depth": pa.int64()}),
             ("ca:rule110", 9, {"t": 4}, {"param_t": pa.int64()}),
             ("reach:path", 12, {"distance": 3}, {"param_distance": pa.int64(), "param_extra": pa.int64()})]
    for key, n, params, types in cases:
        inst = get_problem(key).sample(n, 5, seed=1, **params)
        path = tmp_path / f"{key.replace(':', '_')}.parquet"
        write_parquet(inst, path)
        schema = pq.read_schema(path)
        for name, typ in types.items():
            assert schema.field(name).type == typ, (key, name)
        df = pd.read_parquet(path)
        for name, value in params.items():
            assert (df[f"param_{name}"] == value).all()
            assert len(df[df[f"param_{name}"] == value]) == 5
        assert json.loads(df["params"][0]) == {k: v for k, v in inst.params.items()}  # params kept too
        line = json.loads(_reference_jsonl(inst).splitlines()[0])
        assert {k: line[f"param_{k}"] for k in inst.params} == inst.params
    # per-record metadata were columns already: distance (reach), rating and clues (sudoku)
    assert {"distance", "param_distance"} <= set(records_table(get_problem("reach:path").sample(12, 2)).column_names)


def test_param_columns_of_one_dataset_are_stable(tmp_path):
    """Two files of one problem with different knobs concatenate: the param columns keep their types."""
    a, b = tmp_path / "a.parquet", tmp_path / "b.parquet"
    write_parquet(get_problem("reach:random").sample(8, 3, seed=0, p=1), a)  # an int p is resolved to float
    write_parquet(get_problem("reach:random").sample(8, 3, seed=0, p=0.5), b)
    df = pd.concat([pd.read_parquet(a), pd.read_parquet(b)])
    assert df["param_p"].dtype == np.float64 and sorted(set(df["param_p"])) == [0.5, 1.0]


def test_raw_parquet_is_self_describing(tmp_path):
    """A --raw file carries the element table: element index i is elements[i] in one-line notation."""
    p = get_problem("word:S5")
    inst = p.sample(9, 7, seed=2, prefix=True)
    path = tmp_path / "raw.parquet"
    write_parquet(inst, path, readable=False)
    meta = _meta(path)
    assert meta["format"] == "serialcomp.problems" and meta["format_version"] == 1
    assert meta["serialcomp_version"] == serialcomp.__version__
    assert (meta["problem"], meta["n"], meta["seed"], meta["params"], meta["readable"]) == (
        "word:S5", 9, 2, {"prefix": True}, False)
    assert meta["vocab"] == p.vocab(9) and meta["knob"] == p.knob
    assert meta["n_meaning"] == p.describe()["n_meaning"]
    elements = meta["elements"]
    assert len(elements) == 120 and elements == sorted(elements)
    raw = pq.read_table(path).to_pylist()
    readable = list(export_records(inst))
    for r, want in zip(raw, readable):
        for col in ("word", "prefix"):
            assert ["".join(map(str, elements[i])) for i in r[col]] == want[col]
        assert "".join(map(str, elements[r["target"]])) == want["target"]
    write_parquet(inst, path)
    assert _meta(path)["readable"] is True and "elements" in _meta(path)


@pytest.mark.parametrize("key", KEYS)
def test_every_file_has_metadata(key, tmp_path):
    inst = get_problem(key).sample(_size(key), 2, seed=3, **_kw(key))
    path = tmp_path / "f.parquet"
    write_parquet(inst, path)
    meta = _meta(path)
    assert (meta["problem"], meta["n"], meta["seed"]) == (key, inst.n, 3)
    assert meta["params"] == json.loads(json.dumps(inst.params)) and meta["vocab"] == [
        str(v) for v in get_problem(key).vocab(inst.n, **inst.params)]
    assert b"ARROW:schema" not in pq.read_schema(path).metadata  # plain Parquet types for every reader


def test_metadata_of_mixed_and_dict_input(tmp_path):
    mixed = tmp_path / "m.parquet"
    chunks = [get_problem("parity").sample(4, 3, seed=s) for s in (1, 2)]
    write_parquet(chunks, mixed)
    meta = _meta(mixed)
    assert meta["seed"] is None and meta["problem"] == "parity" and meta["n"] == 4  # what varies is None
    dicts = tmp_path / "d.parquet"
    write_parquet(iter(list(export_records(chunks[0]))), dicts)
    meta = _meta(dicts)
    assert (meta["problem"], meta["n"], meta["seed"], meta["params"], meta["readable"]) == ("parity", 4, 1, {}, None)
    empty = tmp_path / "e.parquet"
    assert write_parquet([], empty) == 0
    assert _meta(empty)["problem"] is None


def _plain(t):
    """The type a reader sees: dictionary-encoded strings (Coded columns) read back as strings."""
    if pa.types.is_dictionary(t):
        return t.value_type
    if pa.types.is_list(t):
        return pa.list_(_plain(t.value_type))
    return t


def test_readers_see_the_written_types(tmp_path):
    """Without the Arrow schema in the file, pyarrow still reads int8 / uint8 / bool lists back as
    written, and Coded string columns (cvp's gate names) as plain strings."""
    for key, n, kw in [("word:S5", 6, {"prefix": True}), ("parity", 5, {}), ("cvp", 4, {"depth": 2})]:
        table = records_table(get_problem(key).sample(n, 3, seed=0, **kw))
        path = tmp_path / "t.parquet"
        write_parquet(get_problem(key).sample(n, 3, seed=0, **kw), path)
        want = pa.schema([pa.field(f.name, _plain(f.type)) for f in table.schema])
        assert pq.read_schema(path).remove_metadata() == want, key


# ---------------------------------------------------------------------------------------------
# Coded columns (a toy problem: the production problems choose their own columns)
# ---------------------------------------------------------------------------------------------

NAMES = ["alpha", "beta", "gamma", "d\u00e9lta"]
ROWS = np.array([[0, 1], [1, 0], [1, 1], [0, 0]], dtype=np.int8)


class _Toy(Problem):
    key, family, variant, description = "toy:coded", "toy", "coded", "letters"
    facts = ComplexityFacts("TC0", sympy.Integer(1), sympy.Integer(1), True)
    defaults = {"k": 4}

    def _generate(self, n, rng, params):
        ids = rng.integers("w", params["k"], (n,)).astype(np.int16)
        return {"word": ids}, {"target": ids[:, 0]}, {}

    def solve(self, record_inputs, **params):
        return int(record_inputs["word"][0])

    def columns(self, inst):
        w = inst.inputs["word"]
        return {"word": Coded(w, NAMES), "target": Coded(inst.targets["target"], NAMES),
                "rows": Coded(w, ROWS), "pairs": Coded(w.reshape(len(w), -1, 2), NAMES)}

    def encode_bits(self, instances):
        raise NotImplementedError

    def decode_bits(self, bits, n, **params):
        raise NotImplementedError

    def vocab(self, n, **params):
        return NAMES

    def encode_tokens(self, instances):
        return instances.inputs["word"].astype(np.int64)

    def decode_tokens(self, tokens, n, **params):
        raise NotImplementedError


def test_coded_columns_round_trip(tmp_path):
    toy = _Toy()
    inst = toy.sample(6, 11, seed=4)
    recs = list(export_records(inst))
    ids = inst.inputs["word"]
    assert recs[3]["word"] == [NAMES[i] for i in ids[3]] and recs[3]["target"] == NAMES[ids[3, 0]]
    assert recs[3]["rows"] == ROWS[ids[3]].tolist()
    assert recs[3]["pairs"] == [[NAMES[a], NAMES[b]] for a, b in ids[3].reshape(-1, 2)]
    buf = io.StringIO()
    write_jsonl(inst, buf)
    assert buf.getvalue() == _reference_jsonl(inst)  # non-ASCII names are escaped as json.dumps does
    path = tmp_path / "c.parquet"
    write_parquet(inst, path)
    schema = pq.read_schema(path)
    assert schema.field("word").type == pa.list_(pa.string()) and schema.field("target").type == pa.string()
    assert schema.field("rows").type == pa.list_(pa.list_(pa.int8()))
    assert schema.field("pairs").type == pa.list_(pa.list_(pa.string()))
    assert pq.read_table(path).to_pylist() == recs
    md = pq.ParquetFile(path).metadata.row_group(0)
    enc = {md.column(i).path_in_schema: md.column(i).encodings for i in range(md.num_columns)}
    assert "RLE_DICTIONARY" in enc["word.list.element"]  # the codes went straight into the pages
    assert pd.read_parquet(path)["word"][3].tolist() == recs[3]["word"]
    chunked = tmp_path / "k.parquet"
    write_parquet([toy.sample(6, 4, seed=4), toy.sample(6, 7, seed=4, start=4)], chunked, row_group_size=5)
    again = tmp_path / "k2.parquet"
    write_parquet([toy.sample(6, 11, seed=4)], again, row_group_size=5)
    assert chunked.read_bytes() == again.read_bytes()


def test_coded_checks_its_arguments():
    with pytest.raises(ProblemParameterError, match=r"codes must be in \[0, 2\)"):
        Coded(np.array([0, 2]), ["a", "b"])
    with pytest.raises(ProblemParameterError, match="int array"):
        Coded(np.array([0.5]), ["a"])
    with pytest.raises(ProblemParameterError, match="int array"):
        Coded(np.array(0), ["a"])
    with pytest.raises(ProblemParameterError, match="categories"):
        Coded(np.array([0]), [{"a": 1}])
    assert Coded(np.array([[1, 0]]), [[0, 1], [1, 0]])[0].tolist() == [[1, 0], [0, 1]]


def test_generate_chunks_and_one_batch_give_the_same_jsonl():
    one = io.StringIO()
    write_jsonl(get_problem("word:A5").sample(8, 30, seed=6, prefix=True), one)
    many = io.StringIO()
    write_jsonl(generate_chunks("word:A5", 8, 30, seed=6, chunk_size=7, prefix=True), many)
    assert one.getvalue() == many.getvalue()
