"""The study's plots: one panel per problem, families styled by kind, coinciding lines kept visible,
and the fitted growth (undetermined included) in the depth legend."""

import pandas as pd

from serialcomp.measure import plot_accuracy, plot_depth


def _table(rows):
    return pd.DataFrame(rows, columns=["problem", "family", "kind", "n", "serial_depth", "accuracy", "claimed_depth", "fitted_growth"])


def _z5_rows():
    rows = []
    for n in (2, 4, 8):
        rows += [("word:Z5", "count_mod", "constant", n, 2, 1.0, "2", "1"),
                 ("word:Z5", "count_thr", "constant", n, 2, 1.0, "2", "1"),
                 ("word:Z5", "tree", "log", n, 2 * n, 1.0, "-", "undetermined")]
    return rows


def test_coinciding_depth_lines_stay_visible_and_are_named_in_the_legend(tmp_path):
    """word:Z5's count_mod and count_thr both have depth 2 at every n: the later one is drawn with
    dashes that fill the gaps of the first (offset by one dash), a different marker and shade, and
    its legend entry names the family it coincides with. A family with other values is untouched."""
    fig = plot_depth(_table(_z5_rows()))
    ax = fig.axes[0]
    lines = {line.get_label(): line for line in ax.get_lines()}
    assert set(lines) == {"count_mod (constant; growth 1)", "count_thr (constant; growth 1) = count_mod",
                          "tree (log; growth undetermined)"}
    a, b = lines["count_mod (constant; growth 1)"], lines["count_thr (constant; growth 1) = count_mod"]
    assert a.get_color() != b.get_color() and a.get_marker() != b.get_marker()
    (off_a, dash_a), (off_b, dash_b) = a._unscaled_dash_pattern, b._unscaled_dash_pattern
    assert dash_a == dash_b and off_a != off_b  # same period, interleaved
    assert a.get_markersize() > b.get_markersize() and a.get_markerfacecolor() == "none"
    assert [t.get_text() for t in ax.get_legend().get_texts()] == [line.get_label() for line in ax.get_lines()]
    assert lines["tree (log; growth undetermined)"].get_linestyle() == "--"
    assert plot_depth(_table(_z5_rows()), tmp_path / "d.png") is None and (tmp_path / "d.png").stat().st_size > 0


def test_a_family_without_a_fit_is_labelled_by_its_kind_only():
    rows = [("p", "a", "log", 2, 1, 1.0, "-", None), ("p", "a", "log", 4, 2, 1.0, "-", None)]
    assert [line.get_label() for line in plot_depth(_table(rows)).axes[0].get_lines()] == ["a (log)"]


def test_accuracy_panels_leave_out_what_was_not_simulated():
    rows = _z5_rows() + [("parity", "xor_tree", "log", 2, 1, float("nan"), "-", None)]
    fig = plot_accuracy(_table(rows))
    titles = [ax.get_title() for ax in fig.axes]
    assert titles == ["word:Z5", "parity"]
    assert [line.get_label() for line in fig.axes[0].get_lines()][:2] == ["count_mod (constant)", "count_thr (constant)"]
    assert fig.axes[1].get_lines() == [] and fig.axes[0].get_ylim() == (-0.05, 1.05)
