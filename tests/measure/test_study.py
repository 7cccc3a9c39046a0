"""study() is deterministic (apart from wall-clock seconds) and rejects ambiguous grids."""

import pandas as pd
import pytest

from serialcomp.errors import SerialcompError
from serialcomp.measure import (
    GridEntry,
    check_out_dir,
    default_grid,
    study,
    write_study,
)
from serialcomp.measure.study import COLUMNS

TIMING = ["seconds"]


def _grid():
    return [GridEntry("parity", (2, 4, 8), count=16), GridEntry("word:S5", (2, 4, 8, 16), count=8)]


def test_study_is_deterministic_except_timing():
    a = study(_grid(), seed=3, progress=False)
    b = study(_grid(), seed=3, progress=False)
    assert list(a.columns) == COLUMNS and len(a) > 0
    assert set(TIMING) <= set(COLUMNS)
    keep = [c for c in COLUMNS if c not in TIMING]
    pd.testing.assert_frame_equal(a[keep], b[keep])


def test_repeated_problem_in_grid_is_an_error():
    grid = [GridEntry("parity", (2, 4), count=4), GridEntry("parity", (8,), count=4)]
    with pytest.raises(SerialcompError, match="'parity' appears in more than one GridEntry"):
        study(grid, progress=False)


def test_default_grid_drops_repeated_keys_keeping_order():
    keys = [e.problem for e in default_grid(quick=True, problems=["word:S5", "parity", "word:S5", "parity"])]
    assert keys == ["word:S5", "parity"]


def test_out_dir_that_is_a_file_is_rejected(tmp_path):
    f = tmp_path / "file.txt"
    f.write_text("x")
    with pytest.raises(SerialcompError, match="exists and is not a folder"):
        check_out_dir(f, "--out")
    with pytest.raises(SerialcompError, match="is a file, not a folder"):
        check_out_dir(f / "sub", "--out")
    assert check_out_dir(tmp_path / "new" / "dir") == tmp_path / "new" / "dir"
    table = study([GridEntry("parity", (2,), count=2)], progress=False)
    with pytest.raises(SerialcompError, match="out_dir"):
        write_study(table, f)
