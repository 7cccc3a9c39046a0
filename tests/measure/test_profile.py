"""Depth profiles are cells measured over n (the same cells measure_cell gives), a table that views
them, and a growth fit that may say "undetermined"."""

import numpy as np
import pytest
import sympy

from serialcomp.errors import ProblemParameterError
from serialcomp.ir import CircuitBuilder
from serialcomp.ir.family import CircuitFamily, N
from serialcomp.ir.looped import LoopedCircuit
from serialcomp.measure import measure_cell
from serialcomp.measure.profile import PROFILE_COLUMNS, depth_profile


def _xor_tree(n):
    b = CircuitBuilder(); xs = b.inputs(n)
    while len(xs) > 1:
        xs = [b.xor(*xs[i : i + 2]) for i in range(0, len(xs), 2)]
    b.output(xs[0]); return b.build()


def _stream_parity(n):
    b = CircuitBuilder(); s, x = b.input("s"), b.input("x")
    p = b.xor(s, x); b.output(p, "s'"); b.output(p, "y")
    return LoopedCircuit(b.build(), 1, mode="stream")


def _tree_family():
    return CircuitFamily("xor_tree", "parity", "log", _xor_tree, sympy.ceiling(sympy.log(N, 2)))


def test_tree_profile_is_log_and_exact():
    p = depth_profile(_tree_family(), [2**k for k in range(1, 9)])
    assert p.table["serial_depth"].tolist() == list(range(1, 9))
    assert p.agrees and p.fit.growth == "log n"


def test_uneven_sizes_are_measured_as_given():
    """ceil(log2 n) at 2, 3, 8, 33, 64 is 1, 2, 3, 6, 6: exact, but too few and too uneven sizes to
    separate log n from its neighbours at integer resolution."""
    p = depth_profile(_tree_family(), [64, 2, 33, 3, 8, 8])
    assert p.table["n"].tolist() == [2, 3, 8, 33, 64] and p.table["serial_depth"].tolist() == [1, 2, 3, 6, 6]
    assert p.agrees and p.fit.growth in ("log n", "undetermined") and p.fit.candidates[0] == "log n"


def test_the_cells_are_measure_cell_and_the_table_views_them():
    fam = _tree_family()
    p = depth_profile(fam, [2, 4, 8])
    assert list(p.cells) == [measure_cell(fam, n) for n in (2, 4, 8)]
    assert list(p.table.columns) == PROFILE_COLUMNS
    assert p.table.to_dict(orient="records") == [{k: getattr(c, k) for k in PROFILE_COLUMNS} for c in p.cells]
    assert p.fit.growth == "undetermined" and len(p.fit.candidates) == 2  # three sizes cannot tell


def test_fewer_than_three_sizes_have_no_fit():
    assert depth_profile(_tree_family(), [2, 4]).fit is None


def test_looped_profile_uses_steps_and_serial_depth():
    fam = CircuitFamily("stream", "parity", "recurrent", _stream_parity, N, steps=lambda n: n)
    p = depth_profile(fam, [4, 8, 16, 32, 64])
    assert p.table["depth"].tolist() == [1] * 5 and p.table["steps"].tolist() == [4, 8, 16, 32, 64]
    assert p.table["serial_depth"].tolist() == [4, 8, 16, 32, 64]
    assert p.fit.growth == "n" and p.agrees


def test_wrong_claim_is_reported():
    fam = CircuitFamily("xor_tree", "parity", "constant", _xor_tree, sympy.Integer(1))
    p = depth_profile(fam, [2, 4, 8])
    assert not p.agrees and [c.agrees for c in p.cells] == [True, False, False]


@pytest.mark.parametrize("ns", [[2.5, 4, 8], [0, 2, 4], [-2, 4], ["4"], [True, 4], []])
def test_bad_sizes_are_rejected(ns):
    fam = _tree_family()
    with pytest.raises(ProblemParameterError, match="ns"):
        depth_profile(fam, ns)


def test_integral_floats_and_numpy_sizes_are_accepted():
    fam = _tree_family()
    assert depth_profile(fam, np.array([2, 4, 8])).table["n"].tolist() == [2, 4, 8]
    assert depth_profile(fam, [2.0, 4.0]).table["n"].tolist() == [2, 4]


def test_to_markdown_is_a_heading_and_the_table():
    """The Markdown a notebook shows (``_repr_markdown_``): the bold heading, a blank line, and one
    table row per n with the measured values."""
    p = depth_profile(_tree_family(), [2, 4, 8])
    lines = p._repr_markdown_().splitlines()
    assert lines[0] == "**parity / xor_tree** (log, claimed ceil(log2 n), fitted undetermined)" and lines[1] == ""
    assert [c.strip() for c in lines[2].strip("|").split("|")] == ["n", "depth", "size", "serial_depth", "steps", "claimed", "agrees"]
    assert [[c.strip() for c in row.strip("|").split("|")] for row in lines[4:]] == [
        ["2", "1", "1", "1", "", "1", "True"], ["4", "2", "3", "2", "", "2", "True"], ["8", "3", "7", "3", "", "3", "True"]]


def test_to_markdown_writes_the_claim_with_format_depth():
    """The heading shows the claim as format_depth writes it (ceil(log2 n), min, (n >= 2)), never
    sympy's raw Piecewise / ceiling / Min."""
    from serialcomp.measure import format_depth
    from serialcomp.problems import get_problem

    fixed3 = get_problem("word:Z5").family("fixed3")
    md = depth_profile(fixed3, [2, 4, 8, 16, 32]).to_markdown()
    head = md.splitlines()[0]
    assert head == "**word:Z5 / fixed3** (bounded, claimed 4*min(3, ceil(log2 n)) + 3 (n >= 2), fitted 1)"
    assert format_depth(fixed3.claimed_depth) in head
    assert not any(s in md for s in ("Piecewise", "ceiling", "Min(", "log(2)"))
