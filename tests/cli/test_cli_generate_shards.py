"""`serialcomp generate --shards K --out DIR [--scheduler SPEC]`: the options, their one-line
errors, and what a refused, failed or interrupted run leaves behind (nothing new, nothing of the
user's deleted). The shards' content is checked against the single file in tests/scale/test_shards.py."""

from __future__ import annotations

import signal

import pyarrow.dataset as pads
import pytest

from serialcomp.cli import build_parser, main
from serialcomp.scale import shard_name
from serialcomp.testing.cli import assert_one_line_error, interrupt_when, leftovers, run_cli

BASE = ["generate", "parity", "--n", "6", "--count", "10"]


def _one_line(capsys, status, *needles):
    def check(code):
        err = capsys.readouterr().err
        assert code == status, err
        assert err.count("\n") == 1 and err.startswith("serialcomp generate: error: "), err
        for needle in needles:
            assert needle in err, (needle, err)
    return check


@pytest.mark.parametrize("extra,status,needles", [
    (["--shards", "0", "--out", "d"], 2, ["--shards", "positive integer"]),
    (["--shards", "11", "--out", "d"], 1, ["--shards 11 needs --count >= 11"]),
    (["--shards", "2", "--out", "d", "--format", "jsonl"], 1, ["--shards", "--format jsonl"]),
    (["--shards", "2"], 1, ["--shards needs --out DIR"]),
    (["--scheduler", "local:2", "--out", "d.parquet"], 1, ["--scheduler goes with --shards"]),
    (["--shards", "2", "--out", "d", "--scheduler", "localhost:8786"], 1, ["--scheduler", "'localhost:8786'"]),
    (["--shards", "2", "--out", "d", "--scheduler", "local:0"], 1, ["--scheduler", "'local:0'"]),
    (["--shards", "2", "--out", "d", "--seed", "-1"], 1, ["--seed must be in [0, 2**63)"]),
    (["--shards", "2", "--out", "d", "--start", str(2**63 - 5)], 1, ["--start + --count must be at most 2**63"]),
    (["--shards", "2", "--out", "d", "--param", "seed=3"], 1, ["--param seed=", "use --seed"]),
    (["--shards", "2", "--out", "no/such/d"], 1, ["--out no/such/d", "does not exist"]),
], ids=["shards-0", "shards-over-count", "jsonl", "no-out", "scheduler-alone", "bad-spec", "local-0", "seed",
        "start-count", "reserved-param", "no-parent"])
def test_bad_options_are_one_line_and_write_nothing(tmp_path, monkeypatch, capsys, extra, status, needles):
    """Each refused option combination is one line on stderr (exit 2 for an argparse type error,
    1 for the checks of generate), and nothing is created in the working folder."""
    monkeypatch.chdir(tmp_path)
    try:
        code = main([*BASE, *extra])
    except SystemExit as exc:  # argparse's usage errors exit from inside the parser
        code = exc.code
    _one_line(capsys, status, *needles)(code)
    assert list(tmp_path.iterdir()) == []


def test_a_folder_holding_a_foreign_file_is_refused_and_kept(tmp_path, capsys):
    """DIR holding a file that is not a shard is refused before any work; the folder and the file stay."""
    d = tmp_path / "d"
    d.mkdir()
    (d / "notes.txt").write_text("mine")
    (d / shard_name(0)).write_bytes(b"an old shard")
    _one_line(capsys, 1, "holds notes.txt", "not a shard")(main([*BASE, "--shards", "2", "--out", str(d)]))
    assert sorted(p.name for p in d.iterdir()) == ["notes.txt", shard_name(0)]
    assert (d / "notes.txt").read_text() == "mine" and (d / shard_name(0)).read_bytes() == b"an old shard"


def test_a_file_where_the_folder_goes_is_refused_and_kept(tmp_path, capsys):
    """--out naming an existing file (e.g. a single-file dataset) is refused; the file is kept."""
    f = tmp_path / "d.parquet"
    f.write_bytes(b"a dataset")
    _one_line(capsys, 1, "is not a folder")(main([*BASE, "--shards", "2", "--out", str(f)]))
    assert f.read_bytes() == b"a dataset"


def test_an_empty_folder_and_a_previous_shard_folder_are_accepted(tmp_path):
    """An empty DIR and a previous shard folder both become the new shard folder."""
    d = tmp_path / "d"
    d.mkdir()
    assert main([*BASE, "--shards", "3", "--out", str(d)]) == 0
    assert main([*BASE, "--shards", "2", "--out", str(d), "--seed", "4"]) == 0
    assert sorted(p.name for p in d.iterdir()) == [shard_name(0), shard_name(1)]
    assert set(pads.dataset(d).to_table().column("seed").to_pylist()) == {4}
    assert leftovers(tmp_path) == []


def test_progress_bar_on_request(tmp_path, capsys):
    """--progress shows a bar on stderr counting the records (cleared when done, as Dask runs'
    bars are); without it a short run prints nothing."""
    assert main([*BASE, "--shards", "2", "--out", str(tmp_path / "a"), "--progress"]) == 0
    err = capsys.readouterr().err
    assert "generate parity" in err and "/10 " in err
    assert main([*BASE, "--shards", "2", "--out", str(tmp_path / "b")]) == 0
    assert capsys.readouterr() == ("", "")


def test_help_says_how_to_use_it():
    """`generate --help` names the shard options and what a user must know: the folder is replaced
    whole, shared storage for a remote cluster, and the shards equal the single file."""
    text = " ".join(build_parser()._subparsers._group_actions[0].choices["generate"].format_help().split())
    for needle in ("--shards K", "--scheduler SPEC", "part-00000.parquet", "replaced whole",
                   "filesystem every worker shares", "record for record", "tcp://HOST:PORT", "local:N",
                   "serialcomp[dask]"):
        assert needle in text, needle


@pytest.mark.parametrize("sig", [signal.SIGINT, signal.SIGTERM])
def test_interrupted_sharded_run_leaves_the_previous_folder(tmp_path, sig):
    """Ctrl-C or SIGTERM while shards are written (a real process): exit 130 with one line, the
    previous shard folder byte for byte as it was, and no temporary folder left."""
    d = tmp_path / "d"
    assert main([*BASE, "--shards", "2", "--out", str(d)]) == 0
    before = {p.name: p.read_bytes() for p in d.iterdir()}
    args = ["generate", "parity", "--n", "64", "--count", str(10**8), "--shards", "4", "--out", "d"]
    ready = lambda proc: any(p.name.startswith(".d.") for p in tmp_path.iterdir())
    r = interrupt_when(args, tmp_path, sig, ready, settle=0.3)
    assert r.returncode == 130, r.stderr
    assert r.stderr.splitlines()[-1] == "serialcomp: interrupted" and "Traceback" not in r.stderr
    assert {p.name: p.read_bytes() for p in d.iterdir()} == before
    assert leftovers(tmp_path) == []


def test_refused_in_a_real_process_is_one_line(tmp_path):
    """In a fresh process (the user's stderr and exit status): --shards with --format jsonl."""
    r = run_cli(*BASE, "--shards", "2", "--out", "d", "--format", "jsonl", cwd=tmp_path)
    assert_one_line_error(r, "--shards", "jsonl")
    assert list(tmp_path.iterdir()) == []


def test_a_relative_out_from_inside_the_folder_is_refused_and_kept(tmp_path, monkeypatch, capsys):
    """Replacing a folder that holds the working directory cannot work (moving it aside changes
    what every relative path names): `--out ../d` from inside d, and `--out .`, are one line, and
    the previous shards stay, with no temporary folder beside them."""
    d = tmp_path / "d"
    assert main(BASE + ["--shards", "2", "--out", str(d)]) == 0
    before = {p.name: p.read_bytes() for p in d.iterdir()}
    monkeypatch.chdir(d)
    for out in ("../d", "."):
        _one_line(capsys, 1, "working directory", out)(main(BASE + ["--shards", "3", "--out", out]))
        assert {p.name: p.read_bytes() for p in d.iterdir()} == before
        assert leftovers(tmp_path) == [] and leftovers(d) == []


def test_a_relative_out_from_beside_the_folder_replaces_it(tmp_path, monkeypatch):
    """`--out d` (relative) replaces a previous shard folder d whole: 3 shards where there were 2."""
    monkeypatch.chdir(tmp_path)
    assert main(BASE + ["--shards", "2", "--out", "d"]) == 0
    assert main(BASE + ["--shards", "3", "--out", "d"]) == 0
    assert sorted(p.name for p in (tmp_path / "d").iterdir()) == [shard_name(j) for j in range(3)]
    assert leftovers(tmp_path) == []


def test_scheduler_none_is_the_in_process_run(tmp_path):
    """--scheduler none, the stated default, works with and without --shards, and gives the bytes
    of the run without the option."""
    assert main(BASE + ["--shards", "2", "--out", str(tmp_path / "a")]) == 0
    assert main(BASE + ["--shards", "2", "--out", str(tmp_path / "b"), "--scheduler", "none"]) == 0
    for j in range(2):
        assert (tmp_path / "a" / shard_name(j)).read_bytes() == (tmp_path / "b" / shard_name(j)).read_bytes()
    assert main(BASE + ["--out", str(tmp_path / "c.parquet"), "--scheduler", "none"]) == 0
