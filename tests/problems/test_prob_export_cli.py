"""JSONL / Parquet export and the `generate` / `problems` subcommands."""

import io
import json

import pandas as pd
import pyarrow.parquet as pq
import pytest

from serialcomp.errors import ProblemParameterError
from serialcomp.problems import get_problem
from serialcomp.cli import build_parser
from serialcomp.cli.generate import parse_param
from serialcomp.problems.export import export_records, generate_chunks, records_table, write_jsonl, write_parquet


def run(argv):
    args = build_parser().parse_args(argv)
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
    assert from_json == list(export_records(inst))
    assert [{k: v for k, v in r.items() if not k.startswith("param_")} for r in from_json] == list(inst.records())
    df = pd.read_parquet(path)
    assert len(df) == 9 and list(df.columns[:5]) == ["problem", "n", "seed", "index", "params"]
    rows = pq.read_table(path).to_pylist()
    for a, b in zip(rows, from_json):
        assert {k: (bool(v) if isinstance(v, bool) else v) for k, v in a.items()} == b


def test_parquet_from_dicts_and_chunks(tmp_path):
    recs = list(export_records(get_problem("parity").sample(4, 5, seed=0)))
    p = tmp_path / "d.parquet"
    assert write_parquet(iter(recs), p) == 5
    assert pq.read_table(p).to_pylist() == recs
    chunks = generate_chunks("word:S3", 5, 10, seed=1, chunk_size=3)
    p2 = tmp_path / "c.parquet"
    assert write_parquet(chunks, p2) == 10
    assert pq.ParquetFile(p2).num_row_groups == 1  # row groups do not follow the input chunks
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
    assert by_key["reach:flower"]["knob"] == "petals" and by_key["word:S5"]["upper"] == "log(n)/log(log(n))"
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
    raw = list(export_records(inst, readable=False))
    assert raw[0]["word"] == inst.inputs["word"][0].tolist() and raw[0]["target"] == int(inst.targets["target"][0])
    names = p.vocab(7)
    readable = list(inst.records())
    assert ["".join(map(str, e)) for e in readable[0]["word"]] == [names[i] for i in raw[0]["word"]]
    path = tmp_path / "raw.parquet"
    assert write_parquet(inst, path, readable=False) == 4
    assert pq.read_table(path).to_pylist() == raw
    assert run(["generate", "word:S5", "--n", "7", "--count", "4", "--seed", "1", "--param", "prefix=true", "--raw"]) == 0
    assert [json.loads(x) for x in capsys.readouterr().out.splitlines()] == raw


@pytest.mark.parametrize("key,kw", [("word:S5", {"prefix": True}), ("parity", {}), ("reach:flower", {}), ("cvp", {"depth": 3})])
def test_parquet_bytes_do_not_depend_on_chunking(tmp_path, key, kw):
    """Row groups hold row_group_size records whatever the chunks, so the bytes are the same."""
    blobs = []
    for chunk_size in (1, 5, 23, 4096):
        path = tmp_path / f"c{chunk_size}.parquet"
        assert write_parquet(generate_chunks(key, 6, 23, seed=3, chunk_size=chunk_size, **kw), path,
                             row_group_size=7) == 23
        blobs.append(path.read_bytes())
    assert all(b == blobs[0] for b in blobs)
    f = pq.ParquetFile(tmp_path / "c1.parquet")
    assert [f.metadata.row_group(i).num_rows for i in range(f.num_row_groups)] == [7, 7, 7, 2]
    assert f.read().to_pylist() == list(export_records(get_problem(key).sample(6, 23, seed=3, **kw)))


def test_parquet_plain_nested_columns(tmp_path):
    """Permutations are one-line strings in plain list<string> columns (dictionary pages: one code
    per element); integer lists (cvp operands) are delta packed; flat columns are not."""
    import pyarrow as pa

    inst = get_problem("word:S5").sample(16, 50, seed=1, prefix=True)
    path = tmp_path / "w.parquet"
    write_parquet(inst, path)
    table = pq.read_table(path)
    assert table.schema.field("word").type == pa.list_(pa.string())
    assert table.schema.field("target").type == pa.string()
    assert table.schema.field("seed").type == pa.int64()
    md = pq.ParquetFile(path).metadata.row_group(0)
    enc = {md.column(i).path_in_schema: md.column(i).encodings for i in range(md.num_columns)}
    assert "RLE_DICTIONARY" in enc["word.list.element"]
    assert "RLE_DICTIONARY" in enc["problem"]
    cvp = tmp_path / "c.parquet"
    write_parquet(get_problem("cvp").sample(6, 20, seed=1), cvp)
    md = pq.ParquetFile(cvp).metadata.row_group(0)
    enc = {md.column(i).path_in_schema: md.column(i).encodings for i in range(md.num_columns)}
    assert "DELTA_BINARY_PACKED" in enc["left.list.element.list.element"]
    df = pd.read_parquet(path)
    assert list(df["prefix"][3]) == inst.columns()["prefix"][3].tolist()
    assert len(df["prefix"][3]) == 16 and all(sorted(e) == list("01234") for e in df["prefix"][3])


def test_seed_range_api():
    p = get_problem("parity")
    for bad in (-1, 2**64, 2**64 + 5):
        with pytest.raises(ProblemParameterError, match=r"seed.*2\*\*64"):
            p.sample(3, 2, seed=bad)
    assert len(p.sample(3, 2, seed=2**64 - 1)) == 2  # the whole 64-bit stream range, no aliasing
    for bad in (2**63, 2**64 - 1):
        with pytest.raises(ProblemParameterError, match=r"seed must be in \[0, 2\*\*63\)"):
            generate_chunks("parity", 3, 2, seed=bad)  # raised at the call, not at the first next()
        with pytest.raises(ProblemParameterError, match=r"seed.*2\*\*63"):
            write_parquet(p.sample(3, 2, seed=bad), io.BytesIO())
    buf = io.BytesIO()
    assert write_parquet(generate_chunks("parity", 3, 2, seed=2**63 - 1), buf) == 2
    assert pq.read_table(io.BytesIO(buf.getvalue())).column("seed").to_pylist() == [2**63 - 1] * 2


def test_derive_seed_rejects_aliases():
    from serialcomp._seed import derive_seed
    from serialcomp.errors import SerialcompError

    assert derive_seed(2**64 - 1, 0) != derive_seed(0, 0)
    for bad in (-1, 2**64):
        with pytest.raises(SerialcompError, match="seed"):
            derive_seed(bad, 0)


def test_seed_range_cli(tmp_path, capsys):
    from serialcomp.cli import main

    out = tmp_path / "s.parquet"
    for bad in ("9223372036854775808", "18446744073709551616", "-1"):
        with pytest.raises(ProblemParameterError, match=r"--seed must be in \[0, 2\*\*63\)"):
            run(["generate", "parity", "--n", "3", "--count", "2", "--seed", bad, "--out", str(out)])
        assert not out.exists()
    assert main(["generate", "parity", "--n", "3", "--count", "2", "--seed", "9223372036854775808",
                 "--out", str(out)]) == 1
    assert "--seed must be in [0, 2**63)" in capsys.readouterr().err
    assert run(["generate", "parity", "--n", "3", "--count", "2", "--seed", "9223372036854775807", "--out", str(out)]) == 0
    assert pd.read_parquet(out)["seed"].tolist() == [2**63 - 1] * 2


def test_chunk_size_must_be_positive(tmp_path, capsys):
    from serialcomp.cli import main

    for bad in ("0", "-1"):
        with pytest.raises(ProblemParameterError, match="--chunk-size must be >= 1"):
            run(["generate", "parity", "--n", "3", "--count", "2", "--chunk-size", bad])
        assert main(["generate", "parity", "--n", "3", "--count", "2", "--chunk-size", bad]) == 1
        assert "--chunk-size" in capsys.readouterr().err
    for bad in (0, -1, 1.5):
        with pytest.raises(ProblemParameterError, match="chunk_size for generate_chunks must be (>= 1|an integer)"):
            generate_chunks("parity", 3, 2, seed=0, chunk_size=bad)
    with pytest.raises(ProblemParameterError, match="row_group_size"):
        write_parquet(get_problem("parity").sample(3, 2, seed=0), io.BytesIO(), row_group_size=0)
    path = tmp_path / "one.parquet"
    assert run(["generate", "parity", "--n", "3", "--count", "5", "--chunk-size", "1", "--out", str(path)]) == 0
    assert pd.read_parquet(path)["index"].tolist() == [0, 1, 2, 3, 4]


def test_generate_help_says_what_n_and_params_are(capsys):
    """`generate --help` lists every key with what n counts and its --param keys (built when shown)."""
    with pytest.raises(SystemExit):
        run(["generate", "--help"])
    out = " ".join(capsys.readouterr().out.split())  # the list is wrapped: compare without line breaks
    assert "bits per prime (timelock)" in out and "smallest propagation rating (sudoku" in out
    from serialcomp.problems import list_problems

    for key in list_problems():
        d = get_problem(key).describe()
        assert f"{key} n: {' '.join(d['n_meaning'].split())}" in out, key
    assert "params: petals=auto" in out and "params: prefix=false" in out and "max_attempts=1000" in out
    assert "(default: None)" not in out


def test_top_level_help_does_not_load_the_registry():
    import subprocess
    import sys

    code = ("import sys\nfrom serialcomp.cli import main\ntry:\n    main(['--help'])\nexcept SystemExit:\n    pass\n"
            "print('serialcomp.problems.registry' in sys.modules, 'sympy' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.splitlines()[-1] == "False False"


def test_problems_listing_shows_params_and_n(capsys):
    assert run(["problems"]) == 0
    out = capsys.readouterr().out
    assert "params (auto: from n)" in out and "what n counts" in out
    flower = next(line for line in out.splitlines() if line.startswith("reach:flower") and "petals=auto" in line)
    assert "conjectured" in flower or "yes" in flower
    assert " ".join(get_problem("timelock").describe()["n_meaning"].split()) in " ".join(out.split())


@pytest.mark.parametrize("codec", ["lz4", "snappy", "none"])
def test_generate_compression_option(tmp_path, codec):
    """--compression changes the page codec, not the records: the table reads back equal to the
    default zstd file's, and the file metadata records the codec on every column chunk."""
    base = ["generate", "parity", "--n", "16", "--count", "50", "--seed", "4"]
    assert run([*base, "--out", str(tmp_path / "z.parquet")]) == 0
    assert run([*base, "--out", str(tmp_path / "c.parquet"), "--compression", codec]) == 0
    assert pq.read_table(tmp_path / "c.parquet").equals(pq.read_table(tmp_path / "z.parquet"))
    md = pq.ParquetFile(tmp_path / "c.parquet").metadata.row_group(0)
    assert {md.column(i).compression for i in range(md.num_columns)} == {"UNCOMPRESSED" if codec == "none" else codec.upper()}
