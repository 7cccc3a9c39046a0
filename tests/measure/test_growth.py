"""Growth fits name the class a series was generated from, or "undetermined" when the sizes cannot
tell; on adversarial series (offsets, short grids, integer ceilings, sqrt, plateaus, n log n
against n^2) they never name a wrong class."""

import math

import numpy as np
import pytest
from hypothesis import assume, given, strategies as st

from serialcomp.errors import SerialcompError
from serialcomp.measure.growth import GROWTH_CLASSES, UNDETERMINED, fit_growth

GROWING = [k for k in GROWTH_CLASSES if k != "1"]


def _ceil_log2(k):
    return (int(k) - 1).bit_length()


@st.composite
def geometric_grids(draw, min_sizes=3, min_span=1.0):
    """Sizes round(lo * r^i), i < k: doubling grids, odd ones (r = 1.5, 3), coarse and fine."""
    lo, r, k = draw(st.integers(1, 64)), draw(st.floats(1.2, 4.0)), draw(st.integers(3, 12))
    ns = sorted({round(lo * r**i) for i in range(k)})
    assume(len(ns) >= min_sizes and ns[-1] / ns[0] >= min_span)
    return ns


# --- exact series: the class they come from --------------------------------------------------------

@given(st.sampled_from(GROWING), st.floats(0.5, 20), st.floats(-10, 10), geometric_grids(min_sizes=5, min_span=16))
def test_exact_series_on_geometric_grids_name_their_class(name, a, b, ns):
    """Theorem: for y = a f(n) + b with a > 0, exact (resolution 0), on a geometric grid of >= 5
    sizes spanning >= 16x (lo <= 64), the fit names f. The errors are invariant under y -> c y + d
    (c > 0), so the outcome depends on the grid only, and on such grids every two classes are
    > 0.02 apart in relative error, above the 0.01 margin (swept over 40 000 grids)."""
    fn, _ = GROWTH_CLASSES[name]
    fit = fit_growth(ns, a * fn(np.asarray(ns, dtype=float)) + b, resolution=0)
    assert fit.growth == name and fit.candidates == (name,) and fit.rel_error < 1e-6


@given(st.sampled_from(GROWING), st.floats(0.5, 20), st.floats(-10, 10), st.integers(1, 8))
def test_exact_series_on_dense_grids_name_their_class(name, a, b, lo):
    """Theorem: for y = a f(n) + b (a > 0, exact) on every integer of lo..64 lo, the fit names f:
    the log-n weights make the dense grid describe the same curve as a doubling one."""
    fn, _ = GROWTH_CLASSES[name]
    ns = np.arange(lo, 64 * lo + 1, dtype=float)
    assert fit_growth(ns, a * fn(ns) + b, resolution=0).growth == name


@given(st.lists(st.integers(-50, 50), min_size=6, max_size=6), st.floats(0.01, 100), st.floats(-1e4, 1e4))
def test_the_fit_is_invariant_under_positive_affine_maps(ys, c, d):
    """Theorem: errors are weighed against the data's own spread, so y and c y + d (c > 0) get the
    same errors and the same class (as exact data: the rounding test is about integer steps, which
    c changes); an offset (n + 1000) cannot make a slow class win."""
    ns = [2, 4, 8, 16, 32, 64]
    assume(max(ys) > min(ys))
    f, g = fit_growth(ns, ys, resolution=0), fit_growth(ns, [c * y + d for y in ys], resolution=0)
    assert all(abs(f.errors[k] - g.errors[k]) < 1e-6 for k in f.errors)
    assert f.growth == g.growth


def test_offsets_do_not_change_the_class():
    """The audit's case: n + 1000 on 2..64 was fitted as "log n" when errors were relative to the
    mean; against the spread it is exactly linear."""
    assert fit_growth(range(2, 65), [k + 1000 for k in range(2, 65)]).growth == "n"
    doubling = [2, 4, 8, 16, 32, 64]
    assert fit_growth(doubling, [5 * math.log2(k) + 300 for k in doubling]).growth == "log n"
    assert fit_growth(doubling, [3 * k + 10**6 for k in doubling]).growth == "n"


def test_n_log_n_against_n_squared():
    doubling = [2**k for k in range(1, 9)]
    assert fit_growth(doubling, [k * math.log2(k) for k in doubling]).growth == "n log n"
    assert fit_growth(doubling, [k * k for k in doubling]).growth == "n^2"
    # timelock: 16 n (2n - 1) = 32 n^2 - 16 n, an n^2 series with a linear term
    assert fit_growth([3, 4, 6, 8, 12], [16 * k * (2 * k - 1) for k in [3, 4, 6, 8, 12]]).growth == "n^2"


def test_sqrt_against_log_squared():
    """On 2..32 sqrt n and log^2 n are within 0.03 of each other; exact data still separates them,
    integer data does not (a curve of the other class rounds to the same values)."""
    ns = [2, 4, 8, 16, 32]
    assert fit_growth(ns, [math.sqrt(k) for k in ns]).growth == "sqrt n"
    assert fit_growth(ns, [math.log2(k) ** 2 + 0.5 for k in ns]).growth == "log^2 n"
    fit = fit_growth(ns, [int(math.log2(k)) ** 2 for k in ns])  # 1, 4, 9, 16, 25
    assert fit.growth == UNDETERMINED and set(fit.candidates) == {"log^2 n", "sqrt n"}
    wide = [4**k for k in range(1, 7)]
    assert fit_growth(wide, [math.isqrt(k) for k in wide]).growth == "sqrt n"  # 2, 4, ..., 64: exact


# --- short grids and integer data: undetermined, with both candidates ------------------------------

def test_short_grids_are_undetermined():
    """The audit's case: ceil(log2 n) on 3, 4, 6 is 2, 2, 3, which n^2 follows best; three sizes
    spanning a factor 2 cannot name a class. Neither can 3 exact points."""
    fit = fit_growth([3, 4, 6], [2, 2, 3])
    assert fit.growth == UNDETERMINED and not fit.determined
    assert len(set(fit.candidates)) == 2 and "3 distinct n spanning a factor 2" in fit.reason
    fit = fit_growth([2, 4, 8], [1, 2, 3])
    assert fit.growth == UNDETERMINED and fit.candidates[0] == "log n"
    assert fit_growth([3, 4, 6], [16 * k * (2 * k - 1) for k in [3, 4, 6]]).candidates == ("n^2", "n log n")


def test_a_class_that_rounds_to_the_same_integers_is_not_ruled_out():
    """1, 2, 3, 4 at n = 2, 4, 8, 16 is exactly log2 n, but ceil(a sqrt n + b) gives the same
    integers for some a, b: the depths cannot tell. Over eight doublings they can."""
    fit = fit_growth([2, 4, 8, 16], [1, 2, 3, 4])
    assert fit.growth == UNDETERMINED and fit.candidates == ("log n", "sqrt n") and "rounds" in fit.reason
    assert fit_growth([2, 4, 8, 16], [1, 2, 3, 4], resolution=0).growth == "log n"  # as exact data
    assert fit_growth([2**k for k in range(1, 9)], list(range(1, 9))).growth == "log n"


@given(st.integers(1, 6), st.integers(0, 20), geometric_grids())
def test_ceilings_of_a_logarithm_are_never_another_class(c, d, ns):
    """Property: y = c ceil(log2 n) + d (integer depths of a log-depth family: ceil(log2 n),
    2 ceil(log2 n) + 1, ...) on any geometric grid is fitted "log n" or "undetermined", never a
    wrong class."""
    ys = [c * _ceil_log2(k) + d for k in ns]
    assume(max(ys) > min(ys))
    assert fit_growth(ns, ys).growth in ("log n", UNDETERMINED)


@given(st.integers(1, 64), st.sampled_from([2, 3, 4, 6, 8, 16, 32]), st.integers(1, 6), st.integers(0, 20))
def test_ceilings_of_a_logarithm_on_dense_grids_are_never_another_class(lo, factor, c, d):
    """Property: c ceil(log2 n) + d on every integer of lo..factor*lo is "log n" or
    "undetermined": never "1" (its flat runs span less than a factor 2, so no plateau) and never a
    faster class."""
    ns = list(range(lo, factor * lo + 1))
    ys = [c * _ceil_log2(k) + d for k in ns]
    assume(len(ns) >= 3 and max(ys) > min(ys))
    assert fit_growth(ns, ys).growth in ("log n", UNDETERMINED)


@given(geometric_grids())
def test_timelock_depth_is_never_another_class(ns):
    """Property: 16 n (2n - 1), the time-lock family's serial depth bound, is "n^2" or
    "undetermined" on any geometric grid (its linear term never makes it "n log n")."""
    assert fit_growth(ns, [16 * k * (2 * k - 1) for k in ns]).growth in ("n^2", UNDETERMINED)


def test_dense_ceil_log2_is_not_bounded():
    """ceil(log2 n) is constant exactly on 2^(k-1) < n <= 2^k, so on the dense range 2..32 its flat
    tail (17..32) spans a factor below 2 < 4: not a plateau; the series is not "1"."""
    ns = list(range(2, 33))
    fit = fit_growth(ns, [_ceil_log2(k) for k in ns])
    assert fit.plateau_from is None and fit.growth in ("log n", UNDETERMINED) and fit.candidates[0] == "log n"


@pytest.mark.parametrize("ns", [range(2, 9), range(9, 33), range(2, 33), range(2, 257)])
def test_parity_xor_tree_profile_on_dense_sizes_is_not_bounded(ns):
    """depth_profile(parity xor_tree) over dense sizes measures ceil(log2 n) (agrees with the claim)
    and is never fitted "1": no flat run of ceil(log2 n) spans the factor 4 a plateau needs."""
    from serialcomp.measure import depth_profile
    from serialcomp.problems import get_problem

    p = depth_profile(get_problem("parity").family("xor_tree"), ns)
    assert p.table["serial_depth"].tolist() == [_ceil_log2(k) for k in ns]
    assert p.agrees and p.fit.growth in ("log n", UNDETERMINED) and p.fit.candidates[0] == "log n"


# --- bounded growth: constants and plateaus --------------------------------------------------------

@given(st.integers(1, 6), st.integers(1, 20), st.integers(2, 5))
def test_a_plateau_is_bounded_growth(k, top, extra):
    """Theorem: a series that grows (as log n) up to n = 2^k and then stays flat at >= 4 doubling
    sizes (a factor >= 8 in n, >= 4 needed; its earlier values each hold at one size only) ends in
    a plateau: it is classed "1" with the plateau as its constant."""
    ns = [2**i for i in range(1, k + 1 + max(3, k) + extra)]
    ys = [min(i, k) + top for i in range(1, len(ns) + 1)]
    fit = fit_growth(ns, ys)
    assert fit.growth == "1" and fit.b == k + top


@pytest.mark.parametrize("ns", [list(range(2, 65)), [2, 4, 8, 16, 32, 64], [2, 3, 4, 6, 8, 12, 16, 24, 32, 48, 64]])
def test_bounded_family_flat_from_8_to_64_is_1(ns):
    """Criterion: a flat tail at >= 3 sizes spanning a factor >= 4 in n (here 8..64, a factor 8),
    and at least twice as long in log n as every earlier flat run, is a plateau: bounded growth
    "1", with the plateau as b, on dense and sparse grids alike."""
    fit = fit_growth(ns, [3 * min(k, 8) + 1 for k in ns])
    assert fit.growth == "1" and fit.b == 25 and fit.plateau_from == 8


def test_a_short_flat_tail_is_not_a_plateau():
    """Two equal values at the end of an otherwise logarithmic series do not make it bounded."""
    fit = fit_growth([2, 4, 8, 16, 32, 64], [1, 2, 3, 4, 5, 5])
    assert fit.plateau_from is None and fit.growth in ("log n", UNDETERMINED)


def test_flat_tail_over_a_factor_2_is_not_a_plateau():
    """Criterion: word:S5 fixed3 on 2, 4, 8, 12, 16 (17, 25, 33, 33, 33) is flat over 8..16 only, a
    factor 2, which one step of ceil(log2 n) could explain: not a plateau. Up to 32 it is."""
    assert fit_growth([2, 4, 8, 12, 16], [17, 25, 33, 33, 33]).growth != "1"
    assert fit_growth([2, 4, 8, 16], [17, 25, 33, 33]).growth != "1"
    assert fit_growth([2, 4, 8, 16, 32], [17, 25, 33, 33, 33]).growth == "1"


def test_a_slow_staircase_is_not_a_plateau():
    """Criterion (4): ceil(log_8 n) on 2..512 is flat on 65..512 (a factor 7.9 >= 4), but its
    previous step, 9..64, was as long: the tail is one more step, not a plateau."""
    ns = list(range(2, 513))
    fit = fit_growth(ns, [next(j for j in range(10) if 8**j >= k) for k in ns])
    assert fit.plateau_from is None and fit.growth in ("log n", UNDETERMINED)


def test_plateau_span_is_a_parameter():
    """A caller who knows the steps are narrower can accept a shorter plateau (still >= 3 sizes)."""
    ns, ys = [2, 4, 8, 12, 16], [17, 25, 33, 33, 33]
    assert fit_growth(ns, ys).growth != "1"
    assert fit_growth(ns, ys, plateau_span=2).growth == "1"


def test_series_that_do_not_grow_are_1():
    assert fit_growth([4, 8, 16, 32], [3, 3, 3, 3]).growth == "1"
    assert fit_growth([2, 4, 8, 16], [5, 4, 3, 2]).growth == "1"  # decreasing: no class follows it up


def test_noise_is_undetermined():
    """A series that goes up and down: every class explains little of it and none by a margin."""
    fit = fit_growth([1, 2, 3, 4, 5, 6], [3, 5, 3, 5, 3, 5])
    assert fit.growth == UNDETERMINED and fit.rel_error > 0.5


def test_errors_are_relative_to_the_spread():
    """0 for an exact class, 1 for the constant class (the spread itself), at most 1 otherwise."""
    fit = fit_growth([2, 4, 8, 16, 32, 64], [3, 5, 3, 5, 3, 8])
    assert fit.errors["1"] == pytest.approx(1.0) and all(0 <= e <= 1 for e in fit.errors.values())
    exact = fit_growth([2, 4, 8, 16, 32, 64], [2 * k + 3 for k in [2, 4, 8, 16, 32, 64]])
    assert exact.errors["n"] < 1e-12 and exact.a == pytest.approx(2) and exact.b == pytest.approx(3)


def test_fit_errors():
    with pytest.raises(SerialcompError, match="at least 3 distinct"):
        fit_growth([2, 2, 4], [1, 2, 3])
    with pytest.raises(SerialcompError, match="same length"):
        fit_growth([2, 4, 8], [1, 2])
    with pytest.raises(SerialcompError, match=">= 1"):
        fit_growth([0, 2, 4], [1, 2, 3])
    with pytest.raises(SerialcompError, match="finite"):
        fit_growth([2, 4, 8], [1, float("nan"), 3])
    with pytest.raises(SerialcompError, match="plateau_span"):
        fit_growth([2, 4, 8], [1, 2, 3], plateau_span=0.5)
    with pytest.raises(SerialcompError, match="ratio >= 1"):
        fit_growth([2, 4, 8], [1, 2, 3], ratio=0.5)


def test_sympy_forms_match_numeric_forms():
    from serialcomp.measure import evaluate_claim

    ns = np.array([4, 8, 16, 32, 64, 128, 256, 512])
    for name, (fn, expr) in GROWTH_CLASSES.items():
        assert np.allclose(evaluate_claim(expr, ns), fn(ns.astype(float))), name
