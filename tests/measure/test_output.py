"""A study's result set: Markdown and JSON views of its table, and a result folder that is replaced
whole or not at all."""

import json
import os

import pandas as pd
import pytest
from pathlib import Path

from serialcomp.errors import SerialcompError
from serialcomp.measure import GridEntry, check_out_dir, json_rows, markdown_tables, study, write_study
from serialcomp.measure import output as output_mod
from serialcomp.measure.output import JSON_KEYS, RESULT_FILES

#: The keys of ``serialcomp study --json`` as released, in order.
RELEASED_JSON_KEYS = [
    "problem", "family", "kind", "n", "depth", "size", "serial_depth", "accuracy", "fitted_growth", "claimed_depth",
    "claimed_depth_at_n", "agrees",
]


@pytest.fixture(scope="module")
def table():
    return study([GridEntry("parity", (2, 4, 8, 16), count=4, accuracy_up_to=8)], progress=False)


def _table(rows):
    return pd.DataFrame(rows, columns=["problem", "family", "kind", "n", "serial_depth", "accuracy", "claimed_depth", "fitted_growth"])


def _snapshot(folder):
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir())}


def _leftovers(parent):
    return sorted(p.name for p in parent.iterdir() if p.name.startswith("."))


# --- views --------------------------------------------------------------------------------------

def test_json_rows_have_the_released_keys_and_the_claim_at_n(table):
    rows = json_rows(table)
    assert JSON_KEYS == RELEASED_JSON_KEYS and rows and all(list(r) == RELEASED_JSON_KEYS for r in rows)
    for r, (_, row) in zip(rows, table.iterrows()):
        assert r["claimed_depth_at_n"] == int(row["claimed"]) and type(r["claimed_depth_at_n"]) is int
        assert r["agrees"] is True and type(r["n"]) is int and type(r["serial_depth"]) is int
    assert [r["accuracy"] for r in rows if r["n"] == 16] == [None, None, None]  # not simulated
    assert json.loads(json.dumps(rows)) == rows  # plain JSON types only


def test_markdown_names_the_n_of_a_family_not_measured_at_the_largest_n():
    t = _table([
        ("p", "a", "log", 2, 1, 1.0, "ceil(log2 n)", "log n"), ("p", "a", "log", 4, 2, 1.0, "ceil(log2 n)", "log n"),
        ("p", "b", "constant", 2, 2, 1.0, "2", None),
    ])
    md = markdown_tables(t)
    assert "| a | log | ceil(log2 n) | log n | 2 | 1.00 | 1.00 |" in md
    assert "| b | constant | 2 | - | 2 (n=2) | 1.00 | - |" in md


def test_markdown_prints_undetermined_plainly(table):
    md = markdown_tables(table)
    assert "| xor_tree | log | ceil(log2 n) | undetermined | 4 | 1.00 | 1.00 | 1.00 | - |" in md


# --- the output folder ----------------------------------------------------------------------------

def test_out_dir_checks(tmp_path):
    f = tmp_path / "file.txt"
    f.write_text("x")
    with pytest.raises(SerialcompError, match="exists and is not a folder"):
        check_out_dir(f, "--out")
    with pytest.raises(SerialcompError, match="is a file, not a folder"):
        check_out_dir(f / "sub", "--out")
    assert check_out_dir(tmp_path / "new" / "dir") == tmp_path / "new" / "dir"
    assert check_out_dir(tmp_path, "--out") == tmp_path  # other files may share the folder
    (tmp_path / "table.md").mkdir()
    with pytest.raises(SerialcompError, match="table.md there is a folder"):
        check_out_dir(tmp_path, "--out")
    (tmp_path / "table.md").rmdir()
    (tmp_path / "link").symlink_to(tmp_path / "new")
    with pytest.raises(SerialcompError, match="is a symbolic link"):
        check_out_dir(tmp_path / "link", "--out")


def test_out_dir_may_hold_a_previous_result_set(tmp_path):
    out = tmp_path / "results"
    out.mkdir()
    for name in RESULT_FILES.values():
        (out / name).write_bytes(b"old")
    assert check_out_dir(out, "--out") == out


def test_the_current_folder_may_hold_the_results(tmp_path, monkeypatch, table):
    """The study writes only its own four files, so the folder a user works in can take them
    (nothing else there is touched)."""
    (tmp_path / "notes.txt").write_text("mine")
    monkeypatch.chdir(tmp_path)
    assert check_out_dir(".", "--out") == Path(".")
    write_study(table, ".")
    assert (tmp_path / "notes.txt").read_text() == "mine"
    assert set(RESULT_FILES.values()) <= {p.name for p in tmp_path.iterdir()}


@pytest.mark.skipif(os.geteuid() == 0, reason="root writes anywhere")
def test_an_unwritable_parent_is_refused(tmp_path):
    locked = tmp_path / "locked"
    locked.mkdir()
    locked.chmod(0o500)
    try:
        with pytest.raises(SerialcompError, match="is not writable"):
            check_out_dir(locked / "results", "--out")
    finally:
        locked.chmod(0o700)


def test_write_study_writes_the_five_files_and_creates_parents(tmp_path, table):
    """results.parquet is the table without its seconds, which timings.csv holds with each cell's key."""
    paths = write_study(table, tmp_path / "a" / "b")
    assert sorted(p.name for p in (tmp_path / "a" / "b").iterdir()) == sorted(RESULT_FILES.values())
    assert all(paths[k] == tmp_path / "a" / "b" / name for k, name in RESULT_FILES.items())
    pd.testing.assert_frame_equal(pd.read_parquet(paths["parquet"]), table.drop(columns="seconds"), check_dtype=False)
    timings = pd.read_csv(paths["timings"])
    pd.testing.assert_frame_equal(timings, table[["problem", "family", "n", "seconds"]], check_dtype=False)
    assert paths["markdown"].read_text() == markdown_tables(table)
    assert _leftovers(tmp_path / "a") == []


def test_write_study_replaces_a_previous_result_set_whole(tmp_path, table):
    out = tmp_path / "results"
    write_study(table.iloc[:3], out, markdown="old table\n")
    write_study(table, out)
    assert (out / "table.md").read_text() == markdown_tables(table) and len(pd.read_parquet(out / "results.parquet")) == len(table)
    assert sorted(p.name for p in out.iterdir()) == sorted(RESULT_FILES.values()) and _leftovers(tmp_path) == []


@pytest.mark.parametrize("error", [RuntimeError("a plot failed"), KeyboardInterrupt()])
def test_a_failing_write_leaves_the_previous_results_whole(tmp_path, table, monkeypatch, error):
    """The last file fails (or Ctrl-C arrives) after three new files are complete: the previous
    folder keeps every byte and nothing new is left beside it."""
    out = tmp_path / "results"
    write_study(table.iloc[:3], out)
    before = _snapshot(out)

    def fail(*args, **kwargs):
        raise error

    monkeypatch.setattr(output_mod, "plot_accuracy", fail)
    with pytest.raises(type(error)):
        write_study(table, out)
    assert _snapshot(out) == before and _leftovers(tmp_path) == []


def test_files_that_arrive_during_the_run_are_kept(tmp_path, table, monkeypatch):
    """A file a user saves in the folder while the study writes is kept beside the new results."""
    out = tmp_path / "results"
    write_study(table.iloc[:3], out)
    real_plot = output_mod.plot_accuracy

    def plot_and_meddle(t, path):
        real_plot(t, path)
        (out / "notes.txt").write_text("mine")

    monkeypatch.setattr(output_mod, "plot_accuracy", plot_and_meddle)
    write_study(table, out)
    assert (out / "notes.txt").read_text() == "mine" and _leftovers(tmp_path) == []
    assert len(pd.read_parquet(out / RESULT_FILES["parquet"])) == len(table)


def test_write_study_refuses_a_file_and_keeps_other_files(tmp_path, table):
    """results/ is shared (the loops study and the chains sweep write there too): the study's four
    files go in as a set, and every other file stays as it was."""
    f = tmp_path / "file.txt"
    f.write_text("x")
    with pytest.raises(SerialcompError, match="out_dir .*file.txt: exists and is not a folder"):
        write_study(table, f)
    with pytest.raises(SerialcompError, match="out_dir .*: cannot create its folder"):
        write_study(table, f / "sub")
    (tmp_path / "loops.parquet").write_bytes(b"another result")
    write_study(table, tmp_path)
    assert f.read_text() == "x" and (tmp_path / "loops.parquet").read_bytes() == b"another result"
    assert set(RESULT_FILES.values()) <= {p.name for p in tmp_path.iterdir()}
