"""study() measures cells with measure_cell on instances shared per (problem, n), and its table is a
view of those cells: deterministic apart from wall-clock seconds, with the columns it always had."""

import math

import pandas as pd
import pytest

from serialcomp._seed import derive_seed
from serialcomp.errors import ProblemParameterError, SerialcompError
from serialcomp.measure import GridEntry, measure_cell, study, study_cells, study_table
from serialcomp.measure.study import COLUMNS
from serialcomp.problems import get_problem

#: The study table's columns as released (results.parquet): the table must keep them, in order.
RELEASED_COLUMNS = [
    "problem", "family", "kind", "n", "depth", "size", "serial_depth", "steps", "accuracy",
    "mean_steps_used", "claimed_depth", "claimed", "agrees", "fitted_growth", "seconds",
]


def _grid():
    return [GridEntry("parity", (2, 4, 8), count=16), GridEntry("reach:path", (4, 8, 16), count=8)]


def test_study_is_deterministic_except_timing():
    a = study(_grid(), seed=3, progress=False)
    b = study(_grid(), seed=3, progress=False)
    assert list(a.columns) == COLUMNS == RELEASED_COLUMNS and len(a) == 18
    keep = [c for c in COLUMNS if c != "seconds"]
    pd.testing.assert_frame_equal(a[keep], b[keep])


def test_the_table_is_a_view_of_the_cells():
    cells = study_cells(_grid(), seed=1, progress=False)
    table = study_table(cells)
    assert len(table) == len(cells)
    for cell, row in zip(cells, table.to_dict(orient="records")):
        for k in COLUMNS:
            if k == "fitted_growth":
                continue
            want = getattr(cell, k)
            if want is None and k in ("accuracy", "mean_steps_used"):
                assert math.isnan(row[k]), k
            elif want is None:
                assert row[k] is None or math.isnan(row[k]), k
            else:
                assert row[k] == want, (k, row[k], want)


def test_a_study_cell_is_measure_cell_on_the_shared_instances():
    """Each cell equals measure_cell on problem.sample(n, count, derive_seed(seed, key, n)), the
    instances every family of that (problem, n) is simulated on."""
    cells = study_cells(_grid(), seed=7, progress=False)
    for c in cells:
        prob = get_problem(c.problem)
        assert c.seed == derive_seed(7, c.problem, c.n) and c.count == {"parity": 16, "reach:path": 8}[c.problem]
        assert measure_cell(prob.family(c.family), c.n, prob, instances=prob.sample(c.n, c.count, c.seed)) == c


def test_accuracy_up_to_and_max_n():
    grid = [GridEntry("parity", (2, 4, 8, 16), count=4, accuracy_up_to=4, max_n={"threshold2": 8})]
    cells = study_cells(grid, progress=False)
    assert [(c.family, c.n) for c in cells if c.family == "threshold2"] == [("threshold2", n) for n in (2, 4, 8)]
    assert all((c.accuracy is None) == (c.n > 4) and (c.count is None) == (c.n > 4) for c in cells)
    table = study_table(cells)
    assert table[table["n"] > 4]["accuracy"].isna().all() and (table[table["n"] <= 4]["accuracy"] == 1.0).all()


def test_growth_is_fitted_per_family_and_undetermined_reads_plainly():
    t = study([GridEntry("parity", (2, 4), count=4), GridEntry("word:Z5", (2, 4, 8, 16, 32), count=4)], progress=False)
    fits = t.groupby(["problem", "family"], sort=False)["fitted_growth"].first().to_dict()
    assert fits[("parity", "xor_tree")] is None  # two sizes: no fit
    assert fits[("word:Z5", "tree")] == "log n" and fits[("word:Z5", "stream")] == "n"
    assert fits[("word:Z5", "fixed3")] == "1"  # flat at 8, 16, 32: a plateau
    short = study([GridEntry("parity", (2, 4, 8), count=4)], progress=False)
    assert set(short[short["family"] == "xor_tree"]["fitted_growth"]) == {"undetermined"}


def test_repeated_problem_in_grid_is_an_error():
    grid = [GridEntry("parity", (2, 4), count=4), GridEntry("parity", (8,), count=4)]
    with pytest.raises(SerialcompError, match="'parity' appears in more than one GridEntry"):
        study(grid, progress=False)


def test_grid_entry_families_may_be_a_callable():
    calls = []

    def only_tree(problem):
        calls.append(problem.key)
        return [problem.family("xor_tree")]

    t = study([GridEntry("parity", (2, 4, 8), families=only_tree, count=4)], progress=False)
    assert calls == ["parity"] and set(t["family"]) == {"xor_tree"}


@pytest.mark.parametrize("count", [0, -1, 2.5, True])
def test_grid_entry_count_must_be_a_positive_integer(count):
    with pytest.raises(ProblemParameterError, match=r"GridEntry\('parity'\)\.count"):
        GridEntry("parity", (2, 4), count=count)
