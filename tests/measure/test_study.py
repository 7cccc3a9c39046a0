"""study() is deterministic (apart from wall-clock seconds) and rejects ambiguous grids; the grids make
every family's growth visible; JSON rows, Markdown and plots."""

import pandas as pd
import pytest

from serialcomp.errors import SerialcompError
from serialcomp.measure import (
    GridEntry,
    accuracy,
    check_out_dir,
    default_grid,
    fit_growth,
    json_rows,
    markdown_tables,
    plot_depth,
    study,
    write_study,
)
from serialcomp.measure.study import COLUMNS, JSON_KEYS, _families_of
from serialcomp.problems import get_problem

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


# --- grids: the growth of every family is visible, bounded families start exact -----------------

#: The growth classes each kind of family may be fitted with: a recurrent family runs a number of
#: steps that grows with n, each of constant depth (linear) or of depth growing with n (timelock:
#: n squarings of O(n) depth each, n^2).
KIND_GROWTH = {"constant": {"1"}, "bounded": {"1"}, "log": {"log n"}, "polylog": {"log^2 n"},
               "recurrent": {"n", "n log n", "n^2"}}


def _grid_families(quick):
    for e in default_grid(quick=quick):
        for fam in _families_of(get_problem(e.problem), e):
            yield e, fam


@pytest.mark.parametrize("quick", [True, False], ids=["quick", "default"])
def test_claims_on_grid_sizes_fit_their_kind(quick):
    """Every family's claimed depth, at the sizes its grid measures, is fitted with the growth class
    of its kind: bounded families are flat over a factor >= 4 in n at >= 3 sizes past their reach
    (a plateau), log families do not look bounded, recurrent ones grow at least linearly. (For an exact family
    the measured serial depth equals the claim at each n; the study checks that in ``agrees``.)"""
    for e, fam in _grid_families(quick):
        ns = [n for n in e.ns if n <= e.max_n.get(fam.name, n)]
        fit = fit_growth(ns, [fam.claimed(n) for n in ns])
        assert fit.growth in KIND_GROWTH[fam.kind], (e.problem, fam.name, ns, fit.growth)


@pytest.mark.parametrize("quick", [True, False], ids=["quick", "default"])
def test_bounded_families_are_exact_at_the_smallest_grid_size(quick):
    """Theorem: at the smallest n of its grid, every bounded family is within its reach (a fixed<d>
    word circuit reads all n <= 2^d letters; two squarings cover distance 4 >= n - 1 for
    reach:random at n = 4 and >= n for reach:cycles at n = 3; fixed8 runs 8 >= 7 automaton
    steps), so it is exact there and the accuracy plot shows "exact, then failing"."""
    for e, fam in _grid_families(quick):
        if fam.kind == "bounded":
            n = min(e.ns)
            res = accuracy(fam, e.problem, n, count=32, seed=0, **e.sample_params)
            assert res.accuracy == 1.0, (e.problem, fam.name, n)


def test_quick_s5_grid_shows_the_plateau_and_the_failure():
    """The quick grid's word:S5 (fixed2, flat from n = 4: 25 at 4, 8, 16) is fitted "1", is exact
    at n <= 4 and fails beyond; tree is "log n" and stream "n"."""
    t = study(default_grid(quick=True, problems=["word:S5"]), progress=False)
    fits = t.groupby("family", sort=False)["fitted_growth"].first().to_dict()
    assert fits == {"tree": "log n", "stream": "n", "fixed2": "1"}
    fixed = t[t["family"] == "fixed2"].set_index("n")
    assert fixed["serial_depth"].tolist() == [17, 25, 25, 25]
    assert (fixed.loc[[2, 4], "accuracy"] == 1.0).all() and (fixed.loc[[8, 16], "accuracy"] < 1.0).all()
    assert t["agrees"].all()


def test_grid_entry_families_may_be_a_callable():
    calls = []

    def only_tree(problem):
        calls.append(problem.key)
        return [f for f in problem.families() if f.name == "xor_tree"]

    t = study([GridEntry("parity", (2, 4, 8), families=only_tree, count=4)], progress=False)
    assert calls == ["parity"] and set(t["family"]) == {"xor_tree"}


# --- JSON rows, Markdown, plots ------------------------------------------------------------------

def test_json_rows_have_the_required_keys_and_the_claim_at_n():
    t = study([GridEntry("parity", (2, 4, 8, 16), count=4, accuracy_up_to=8)], progress=False)
    rows = json_rows(t)
    required = {"problem", "family", "kind", "n", "depth", "size", "serial_depth", "accuracy", "fitted_growth", "claimed_depth"}
    assert rows and all(list(r) == JSON_KEYS for r in rows) and required <= set(JSON_KEYS)
    for r, (_, row) in zip(rows, t.iterrows()):
        assert r["claimed_depth_at_n"] == int(row["claimed"]) and type(r["claimed_depth_at_n"]) is int
        assert r["agrees"] is True
        assert type(r["n"]) is int and type(r["serial_depth"]) is int
    assert [r["accuracy"] for r in rows if r["n"] == 16] == [None, None, None]  # not simulated
    import json

    assert json.loads(json.dumps(rows)) == rows  # plain JSON types only


def _table(rows):
    return pd.DataFrame(rows, columns=["problem", "family", "kind", "n", "serial_depth", "accuracy", "claimed_depth", "fitted_growth"])


def test_markdown_names_the_n_of_a_family_not_measured_at_the_largest_n():
    t = _table([
        ("p", "a", "log", 2, 1, 1.0, "ceil(log2 n)", "log n"), ("p", "a", "log", 4, 2, 1.0, "ceil(log2 n)", "log n"),
        ("p", "b", "constant", 2, 2, 1.0, "2", "1"),
    ])
    md = markdown_tables(t)
    assert "| a | log | ceil(log2 n) | log n | 2 | 1.00 | 1.00 |" in md
    assert "| b | constant | 2 | 1 | 2 (n=2) | 1.00 | - |" in md


def test_coinciding_depth_lines_stay_visible_and_are_named_in_the_legend(tmp_path):
    """word:Z5's count_mod and count_thr both have depth 2 at every n: the later one is drawn with
    dashes that fill the gaps of the first (offset by one dash), a different marker and shade, and
    its legend entry names the family it coincides with. A family with other values is untouched."""
    rows = []
    for n in (2, 4, 8):
        rows += [("word:Z5", "count_mod", "constant", n, 2, 1.0, "2", "1"),
                 ("word:Z5", "count_thr", "constant", n, 2, 1.0, "2", "1"),
                 ("word:Z5", "tree", "log", n, 2 * n, 1.0, "-", "log n")]
    fig = plot_depth(_table(rows))
    ax = fig.axes[0]
    lines = {line.get_label(): line for line in ax.get_lines()}
    assert set(lines) == {"count_mod (constant)", "count_thr (constant) = count_mod", "tree (log)"}
    a, b = lines["count_mod (constant)"], lines["count_thr (constant) = count_mod"]
    assert a.get_color() != b.get_color() and a.get_marker() != b.get_marker()
    (off_a, dash_a), (off_b, dash_b) = a._unscaled_dash_pattern, b._unscaled_dash_pattern
    assert dash_a == dash_b and off_a != off_b  # same period, interleaved
    assert a.get_markersize() > b.get_markersize() and a.get_markerfacecolor() == "none"
    assert [t.get_text() for t in ax.get_legend().get_texts()] == [line.get_label() for line in ax.get_lines()]
    assert lines["tree (log)"].get_linestyle() == "--"
    assert plot_depth(_table(rows), tmp_path / "d.png") is None and (tmp_path / "d.png").stat().st_size > 0
