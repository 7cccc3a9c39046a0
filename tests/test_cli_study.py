"""`serialcomp study` and `serialcomp zoo` as a user runs them (in-process through cli.main)."""

import json

import pandas as pd
import pytest

from serialcomp.cli import main
from serialcomp.measure import default_grid, grid_problems

KEYS = {"problem", "family", "kind", "n", "depth", "size", "serial_depth", "accuracy", "fitted_growth", "claimed_depth"}


def test_study_json_rows_and_files(tmp_path, capsys):
    rc = main(["study", "--problems", "parity", "word:S5", "--quick", "--out", str(tmp_path), "--json"])
    assert rc == 0
    rows = json.loads(capsys.readouterr().out)
    assert rows and all(KEYS <= set(r) <= KEYS | {"claimed_depth_at_n", "agrees"} for r in rows)
    assert all(r["agrees"] in (True, False, None) for r in rows)
    assert {r["problem"] for r in rows} == {"parity", "word:S5"}
    for name in ("results.parquet", "table.md", "depth.png", "accuracy.png"):
        assert (tmp_path / name).stat().st_size > 0
    table = pd.read_parquet(tmp_path / "results.parquet")
    assert len(table) == len(rows)
    # exact, unbounded families are right on every sampled instance
    unbounded = table[table["kind"] != "bounded"]
    assert (unbounded["accuracy"] == 1.0).all(), unbounded[unbounded["accuracy"] != 1.0]
    # the bounded word family fails past its reach, so accuracy is not constant 1
    bounded = table[(table["problem"] == "word:S5") & (table["kind"] == "bounded")]
    assert bounded["accuracy"].min() < 1.0 and bounded["accuracy"].max() == 1.0


def test_study_table_output(tmp_path, capsys):
    assert main(["study", "--problems", "parity", "--quick", "--out", str(tmp_path)]) == 0
    out = capsys.readouterr().out
    assert "### parity" in out and "| family | kind | claimed depth | fitted growth |" in out


def test_study_bad_problem_names_it(tmp_path, capsys):
    assert main(["study", "--problems", "nope", "--out", str(tmp_path)]) == 1
    assert "unknown problem 'nope'" in capsys.readouterr().err


def test_every_grid_problem_has_families():
    from serialcomp.problems import get_problem

    for quick in (True, False):
        for key in grid_problems(quick):
            assert get_problem(key).families(), key
    assert set(grid_problems(True)) <= set(grid_problems(False))
    assert [e.problem for e in default_grid(problems=["ca:rule90", "parity"])] == ["ca:rule90", "parity"]


def test_zoo_command_writes_manifest(tmp_path, capsys):
    assert main(["zoo", "--out", str(tmp_path), "--problems", "parity"]) == 0
    assert "parity" in (tmp_path / "manifest.csv").read_text()
    assert list((tmp_path / "parity").glob("*.aig")) and list((tmp_path / "parity").glob("*.thr"))


@pytest.mark.parametrize("sub", ["study", "zoo"])
def test_help(sub, capsys):
    with pytest.raises(SystemExit) as e:
        main([sub, "--help"])
    assert e.value.code == 0 and "usage" in capsys.readouterr().out


def test_study_repeated_problem_is_run_once(tmp_path, capsys):
    assert main(["study", "--quick", "--problems", "parity", "parity", "--out", str(tmp_path), "--json"]) == 0
    rows = json.loads(capsys.readouterr().out)
    assert {r["problem"] for r in rows} == {"parity"}
    cells = [(r["family"], r["n"]) for r in rows]
    assert len(cells) == len(set(cells))


def test_study_out_is_a_file_fails_before_the_run(tmp_path, capsys, monkeypatch):
    import sys

    study_mod = sys.modules["serialcomp.measure.study"]  # the package's `study` attribute is the function

    def no_run(*a, **k):  # the check must come before the grid runs
        raise AssertionError("study ran although --out is a file")

    monkeypatch.setattr(study_mod, "study", no_run)
    f = tmp_path / "results"
    f.write_text("not a folder")
    assert main(["study", "--quick", "--problems", "parity", "--out", str(f)]) == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "Traceback" not in err
    assert err.startswith("serialcomp study: error: --out ") and "is not a folder" in err
    assert f.read_text() == "not a folder"


def test_study_runs_are_identical_except_seconds(tmp_path):
    args = ["study", "--quick", "--problems", "parity", "word:S5", "--seed", "1"]
    assert main(args + ["--out", str(tmp_path / "a")]) == 0
    assert main(args + ["--out", str(tmp_path / "b")]) == 0
    a, b = (pd.read_parquet(tmp_path / d / "results.parquet") for d in "ab")
    keep = [c for c in a.columns if c != "seconds"]
    assert "seconds" in a.columns and len(a) > 0
    pd.testing.assert_frame_equal(a[keep], b[keep])
    assert (tmp_path / "a" / "table.md").read_text() == (tmp_path / "b" / "table.md").read_text()
