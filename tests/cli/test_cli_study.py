"""`serialcomp study` as a user runs it: in-process through cli.main, and in a subprocess for what
only a real process shows (Ctrl-C, SIGTERM, a full disk): a previous result folder survives an
interrupted or failing study whole, with nothing new beside it."""

import json
import signal
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

from serialcomp.cli import main
from serialcomp.testing.cli import (assert_one_line_error, full_disk, handles_sigterm, interrupt_when, leftovers,
                                    run_cli, slow_savefig, temporary_output_of)

KEYS = {"problem", "family", "kind", "n", "depth", "size", "serial_depth", "accuracy", "fitted_growth", "claimed_depth"}
RESULTS = ("results.parquet", "timings.csv", "table.md", "depth.png", "accuracy.png")


def test_study_json_rows_and_files(tmp_path, capsys):
    rc = main(["study", "--problems", "parity", "word:A5", "--quick", "--out", str(tmp_path / "r"), "--json"])
    assert rc == 0
    rows = json.loads(capsys.readouterr().out)
    assert rows and all(KEYS <= set(r) <= KEYS | {"claimed_depth_at_n", "agrees"} for r in rows)
    assert all(r["agrees"] is True for r in rows)
    assert {r["problem"] for r in rows} == {"parity", "word:A5"}
    assert sorted(p.name for p in (tmp_path / "r").iterdir()) == sorted(RESULTS)
    table = pd.read_parquet(tmp_path / "r" / "results.parquet")
    assert len(table) == len(rows)
    # exact, unbounded families are right on every sampled instance
    unbounded = table[table["kind"] != "bounded"]
    assert (unbounded["accuracy"] == 1.0).all(), unbounded[unbounded["accuracy"] != 1.0]
    # the bounded word family fails past its reach, so accuracy is not constant 1
    bounded = table[(table["problem"] == "word:A5") & (table["kind"] == "bounded")]
    assert bounded["accuracy"].min() < 1.0 and bounded["accuracy"].max() == 1.0
    # every growth of the quick grid is determined, but for the A5 block products' log n / log log n
    # (between the fit's classes; see tests/measure/test_grid.py)
    undetermined = table[table["fitted_growth"] == "undetermined"]
    assert set(zip(undetermined["problem"], undetermined["family"])) == {("word:A5", "blocks")}


def test_study_table_output_is_the_markdown_written(tmp_path, capsys):
    assert main(["study", "--problems", "parity", "--quick", "--out", str(tmp_path / "r")]) == 0
    out = capsys.readouterr().out
    assert "### parity" in out and "| family | kind | claimed depth | fitted growth |" in out
    assert out.startswith((tmp_path / "r" / "table.md").read_text())


def test_study_bad_problem_names_it(tmp_path, capsys):
    assert main(["study", "--problems", "nope", "--out", str(tmp_path / "r")]) == 1
    assert "unknown problem 'nope'" in capsys.readouterr().err


def test_help(capsys):
    with pytest.raises(SystemExit) as e:
        main(["study", "--help"])
    assert e.value.code == 0 and "usage" in capsys.readouterr().out


def test_study_repeated_problem_is_run_once(tmp_path, capsys):
    assert main(["study", "--quick", "--problems", "parity", "parity", "--out", str(tmp_path / "r"), "--json"]) == 0
    rows = json.loads(capsys.readouterr().out)
    assert {r["problem"] for r in rows} == {"parity"}
    cells = [(r["family"], r["n"]) for r in rows]
    assert len(cells) == len(set(cells))


@pytest.mark.parametrize("case", ["a file", "a results name taken by a folder"])
def test_a_bad_out_fails_before_the_run(tmp_path, capsys, monkeypatch, case):
    study_mod = sys.modules["serialcomp.measure.study"]  # the package's `study` attribute is the function

    def no_run(*a, **k):  # the check must come before the grid runs
        raise AssertionError("study ran although --out is unusable")

    monkeypatch.setattr(study_mod, "study_cells", no_run)
    if case == "a file":
        kept = out = tmp_path / "results"
        kept.write_text("mine")
    else:
        out = tmp_path
        (tmp_path / "depth.png").mkdir()
        kept = tmp_path / "depth.png" / "mine.txt"
        kept.write_text("mine")
    assert main(["study", "--quick", "--problems", "parity", "--out", str(out)]) == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "Traceback" not in err and err.startswith("serialcomp study: error: --out ")
    assert ("is not a folder" if case == "a file" else "depth.png there is a folder") in err
    assert kept.read_text() == "mine"


def test_other_results_in_the_folder_are_kept(tmp_path):
    """results/ is shared with the loops study and the chains sweep: a study replaces its own four
    files and keeps theirs."""
    out = tmp_path / "results"
    out.mkdir()
    (out / "loops.parquet").write_bytes(b"a loops study")
    (out / "chains.png").write_bytes(b"a chains sweep")
    assert main(["study", "--quick", "--problems", "parity", "--out", str(out)]) == 0
    assert (out / "loops.parquet").read_bytes() == b"a loops study"
    assert (out / "chains.png").read_bytes() == b"a chains sweep"
    assert set(RESULTS) <= {p.name for p in out.iterdir()}


def test_study_runs_are_the_same_bytes(tmp_path):
    args = ["study", "--quick", "--problems", "parity", "word:A5", "--seed", "1"]
    assert main(args + ["--out", str(tmp_path / "a")]) == 0
    assert main(args + ["--out", str(tmp_path / "b")]) == 0
    # the seconds go to timings.csv, so results.parquet is the same bytes on every run
    for name in ("results.parquet", "table.md"):
        assert (tmp_path / "a" / name).read_bytes() == (tmp_path / "b" / name).read_bytes(), name
    a = pd.read_parquet(tmp_path / "a" / "results.parquet")
    t = pd.read_csv(tmp_path / "a" / "timings.csv")
    assert len(a) > 0 and "seconds" not in a.columns and len(t) == len(a) and (t["seconds"] >= 0).all()


def test_a_second_study_replaces_the_first_whole(tmp_path):
    out = tmp_path / "r"
    assert main(["study", "--quick", "--problems", "parity", "--out", str(out), "--json"]) == 0
    assert main(["study", "--quick", "--problems", "majority", "--out", str(out), "--json"]) == 0
    assert set(pd.read_parquet(out / "results.parquet")["problem"]) == {"majority"}
    assert "### parity" not in (out / "table.md").read_text()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["r"]


# --- a real process: signals and a full disk -------------------------------------------------------


def _previous_results(parent: Path) -> tuple[Path, dict[str, bytes]]:
    out = parent / "results"
    out.mkdir()
    for name in RESULTS:
        (out / name).write_bytes(f"the previous {name}".encode())
    return out, {p.name: p.read_bytes() for p in out.iterdir()}


def _running_a_while(proc: subprocess.Popen) -> bool:
    """Ready once cli.main has started (its SIGTERM handler is in place)."""
    return handles_sigterm(proc.pid)


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc to know the command is running")
@pytest.mark.parametrize("sig", [signal.SIGINT, signal.SIGTERM])
def test_a_study_interrupted_while_running_keeps_the_previous_results(tmp_path, sig):
    out, before = _previous_results(tmp_path)
    args = ["study", "--problems", "word:S5", "reach:cycles", "--out", "results", "--json"]  # ~15 s of cells
    r = interrupt_when(args, tmp_path, sig, _running_a_while, settle=0.5)
    assert r.returncode == 130, r.stderr
    assert r.stderr == "serialcomp: interrupted\n" and r.stdout == ""
    assert {p.name: p.read_bytes() for p in out.iterdir()} == before
    assert leftovers(tmp_path) == []


@pytest.mark.parametrize("sig", [signal.SIGINT, signal.SIGTERM])
def test_a_study_interrupted_while_writing_keeps_the_previous_results(tmp_path, sig):
    """The signal arrives while the new result set is being written into its temporary folder: the
    previous folder stays whole and the temporary one is removed."""
    out, before = _previous_results(tmp_path)
    args = ["study", "--quick", "--problems", "parity", "--out", "results", "--json"]
    r = interrupt_when(args, tmp_path, sig, temporary_output_of(out, "results"), settle=0.5,
                       preexec=slow_savefig(3.0))  # the plots take 3 s each: the signal lands while writing
    assert r.returncode == 130, r.stderr
    assert r.stderr == "serialcomp: interrupted\n"
    assert {p.name: p.read_bytes() for p in out.iterdir()} == before
    assert leftovers(tmp_path) == []


def test_a_study_on_a_full_disk_keeps_the_previous_results(tmp_path):
    out, before = _previous_results(tmp_path)
    # results.parquet fits, the first plot does not
    r = run_cli("study", "--quick", "--problems", "parity", "--out", "results", cwd=tmp_path, preexec=full_disk(20_000))
    assert_one_line_error(r, "serialcomp study: error: ")
    assert r.stdout == ""
    assert {p.name: p.read_bytes() for p in out.iterdir()} == before
    assert leftovers(tmp_path) == []
