"""JSONL / Parquet export and the `generate` / `problems` subcommands."""

import argparse
import io
import json

import pandas as pd
import pyarrow.parquet as pq
import pytest

from serialcomp.errors import ProblemParameterError
from serialcomp.problems import get_problem
from serialcomp.problems._cli import parse_param, register_subcommands
from serialcomp.problems.export import generate_chunks, records_table, write_jsonl, write_parquet


def run(argv):
    parser = argparse.ArgumentParser(prog="serialcomp")
    register_subcommands(parser.add_subparsers(dest="command"))
    args = parser.parse_args(argv)
    return args.func(args)


@pytest.mark.parametrize("key,kw", [("word:S5", {"prefix": True}), ("reach:flower", {}), ("reach:random", {}),
                                    ("cvp", {"depth": 3}), ("add", {}), ("iadd", {}), ("reach:cycles", {})])
def test_parquet_equals_jsonl_records(tmp_path, key, kw):
    inst = get_problem(key).sample(6, 9, seed=2, **kw)
    path = tmp_path / "x.parquet"
    assert write_parquet(inst, path) == 9
    buf = io.StringIO()
    write_jsonl(inst, buf)
    from_json = [json.loads(line) for line in buf.getvalue().splitlines()]
    assert from_json == list(inst.records())
    df = pd.read_parquet(path)
    assert len(df) == 9 and list(df.columns[:5]) == ["problem", "n", "seed", "index", "params"]
    rows = pq.read_table(path).to_pylist()
    for a, b in zip(rows, from_json):
        assert {k: (bool(v) if isinstance(v, bool) else v) for k, v in a.items()} == b


def test_parquet_from_dicts_and_chunks(tmp_path):
    recs = list(get_problem("parity").sample(4, 5, seed=0).records())
    p = tmp_path / "d.parquet"
    assert write_parquet(iter(recs), p) == 5
    assert pq.read_table(p).to_pylist() == recs
    chunks = generate_chunks("word:S3", 5, 10, seed=1, chunk_size=3)
    p2 = tmp_path / "c.parquet"
    assert write_parquet(chunks, p2) == 10
    assert pq.ParquetFile(p2).num_row_groups == 4
    assert pq.read_table(p2).column("index").to_pylist() == list(range(10))
    assert records_table(get_problem("word:S3").sample(5, 0, seed=0)).num_rows == 0


def test_generate_stdout_and_files(tmp_path, capsys):
    assert run(["generate", "word:S3", "--n", "4", "--count", "3", "--seed", "5", "--param", "prefix=true"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert len(lines) == 3
    rec = json.loads(lines[0])
    assert rec["problem"] == "word:S3" and len(rec["prefix"]) == 4 and rec["seed"] == 5
    assert list(rec) == sorted(rec)
    out = tmp_path / "a.jsonl"
    assert run(["generate", "word:S3", "--n", "4", "--count", "3", "--seed", "5", "--param", "prefix=true",
                "--out", str(out)]) == 0
    assert out.read_text().splitlines() == lines
    # sharding: start=1 count=2 is records 1..2
    assert run(["generate", "word:S3", "--n", "4", "--count", "2", "--seed", "5", "--param", "prefix=true",
                "--start", "1"]) == 0
    assert capsys.readouterr().out.splitlines() == lines[1:]
    pq_a, pq_b = tmp_path / "a.parquet", tmp_path / "b.parquet"
    for path in (pq_a, pq_b):
        assert run(["generate", "reach:flower", "--n", "10", "--count", "50", "--out", str(path),
                    "--chunk-size", "16"]) == 0
    assert pq_a.read_bytes() == pq_b.read_bytes()
    assert pd.read_parquet(pq_a)["target"].isin([0, 1]).all()


def test_generate_errors():
    with pytest.raises(ProblemParameterError, match="--out"):
        run(["generate", "parity", "--n", "4", "--count", "1", "--format", "parquet"])
    with pytest.raises(ProblemParameterError, match="petals"):
        run(["generate", "reach:flower", "--n", "5", "--count", "1", "--param", "petals=0"])
    with pytest.raises(ProblemParameterError, match="KEY=VALUE"):
        run(["generate", "parity", "--n", "4", "--count", "1", "--param", "oops"])
    with pytest.raises(ProblemParameterError, match="unknown problem"):
        run(["generate", "nope", "--n", "4", "--count", "1"])


def test_main_cli_exit_codes(capsys):
    from serialcomp.cli import main

    assert main(["generate", "parity", "--n", "3", "--count", "2"]) == 0
    assert len(capsys.readouterr().out.splitlines()) == 2
    assert main(["generate", "parity", "--n", "0", "--count", "2"]) == 1
    assert "n for parity must be >= 1" in capsys.readouterr().err


def test_problems_listing(capsys):
    assert run(["problems"]) == 0
    out = capsys.readouterr().out
    assert "word:S5" in out and "NC1-complete" in out and "word:Z<m>" in out and "petals" in out
    assert run(["problems", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    by_key = {r["key"]: r for r in data["problems"]}
    assert by_key["reach:flower"]["knob"] == "petals" and by_key["word:S5"]["upper"] == "log(n)"
    fams = {f["name"]: f for f in by_key["parity"]["circuit_families"]}
    assert fams["xor_tree"]["kind"] == "log" and fams["xor_tree"]["claimed_depth"] == "ceil(log2 n)"
    assert {k: [f["name"] for f in r["circuit_families"]] for k, r in by_key.items()} == {
        k: [f.name for f in get_problem(k).families()] for k in by_key}


def test_problems_families_listing(capsys):
    """`problems --families` prints one line per family, with its kind and claim; bounds are marked."""
    assert run(["problems", "--families"]) == 0
    lines = capsys.readouterr().out.splitlines()
    rows = [line.split() for line in lines[2:]]
    assert ["parity", "threshold2", "constant", "2"] == rows[[r[:2] for r in rows].index(["parity", "threshold2"])][:4]
    adder = next(line for line in lines if line.startswith("majority") and "adder_tree" in line)
    assert "6*ceil(log2 n) (bound)" in adder
    keys = dict.fromkeys(r[0] for r in rows)
    assert len(rows) == sum(len(get_problem(k).families()) for k in keys) and "word:S5" in keys


def test_parse_param():
    assert parse_param("name=abc") == ("name", "abc")
    assert parse_param("x=[1,2]") == ("x", "[1,2]")


def test_raw_records(tmp_path, capsys):
    p = get_problem("word:S5")
    inst = p.sample(7, 4, seed=1, prefix=True)
    raw = list(inst.records(readable=False))
    assert raw[0]["word"] == inst.inputs["word"][0].tolist() and raw[0]["target"] == int(inst.targets["target"][0])
    names = p.vocab(7)
    readable = list(inst.records())
    assert ["".join(map(str, e)) for e in readable[0]["word"]] == [names[i] for i in raw[0]["word"]]
    path = tmp_path / "raw.parquet"
    assert write_parquet(inst, path, readable=False) == 4
    assert pq.read_table(path).to_pylist() == raw
    assert run(["generate", "word:S5", "--n", "7", "--count", "4", "--seed", "1", "--param", "prefix=true", "--raw"]) == 0
    assert [json.loads(x) for x in capsys.readouterr().out.splitlines()] == raw
