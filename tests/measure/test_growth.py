"""Growth fits recover the class a series was generated from; claims evaluate exactly."""

import numpy as np
import pytest
import sympy
from hypothesis import given, settings, strategies as st

from serialcomp.errors import SerialcompError
from serialcomp.measure.growth import GROWTH_CLASSES, evaluate_claim, fit_growth, format_depth

NS = np.array([4, 8, 16, 32, 64, 128, 256, 512])


@settings(max_examples=60, deadline=None)
@given(st.sampled_from(list(GROWTH_CLASSES)[1:]), st.floats(0.5, 20), st.floats(-10, 10))
def test_fit_recovers_generating_class(name, a, b):
    """Theorem: for y = a g(n) + b with a > 0 on 8 doubling sizes, the fit picks g."""
    fn, _ = GROWTH_CLASSES[name]
    assert fit_growth(NS, a * fn(NS.astype(float)) + b).growth == name


def test_ceil_log_series_is_log():
    ys = [2 * int(np.ceil(np.log2(n))) for n in NS]
    assert fit_growth(NS, ys).growth == "log n"


def test_sympy_forms_match_numeric_forms():
    n = sympy.Symbol("n")
    for name, (fn, expr) in GROWTH_CLASSES.items():
        got = evaluate_claim(expr.subs({s: n for s in expr.free_symbols}), NS)
        assert np.allclose(got, fn(NS.astype(float))), name


def test_fit_errors():
    with pytest.raises(SerialcompError, match="at least 3 distinct"):
        fit_growth([2, 2, 4], [1, 2, 3])
    with pytest.raises(SerialcompError, match="same length"):
        fit_growth([2, 4, 8], [1, 2])


@given(st.integers(1, 6), st.integers(1, 20), st.integers(2, 5))
def test_a_plateau_is_bounded_growth(k, top, extra):
    """A series that grows (as log n) up to n = 2^k and then stays flat at >= 4 doubling sizes (a
    factor >= 8 in n, >= 4 needed; its earlier values each hold at one size only) ends in a
    plateau: it is classed "1" with the plateau as its constant."""
    ns = [2**i for i in range(1, k + 1 + max(3, k) + extra)]
    ys = [min(i, k) + top for i in range(1, len(ns) + 1)]
    fit = fit_growth(ns, ys)
    assert fit.growth == "1" and fit.b == k + top


def test_a_short_flat_tail_is_not_a_plateau():
    """Two equal values at the end of an otherwise logarithmic series are not enough to call it bounded."""
    assert fit_growth([2, 4, 8, 16, 32, 64], [1, 2, 3, 4, 5, 5]).growth == "log n"


def test_format_depth_reads_like_the_papers():
    import sympy

    n = sympy.Symbol("n", positive=True, integer=True)
    assert format_depth(sympy.ceiling(sympy.log(n, 2))) == "ceil(log2 n)"
    assert format_depth(sympy.Piecewise((1, n < 2), (3, n < 3), (4, True))) == "4 (n >= 3)"
    assert format_depth(2 * sympy.Min(8, n)) == "2*min(8, n)"
    assert format_depth(n**2) == "n**2"


# --- dense and sparse grids, plateaus ------------------------------------------------------------

def _ceil_log2(k):
    return (int(k) - 1).bit_length()


def _xor_tree():
    from serialcomp.problems import get_problem

    return next(f for f in get_problem("parity").families() if f.name == "xor_tree")


def test_dense_ceil_log2_is_log_n():
    """Theorem: ceil(log2 n) is constant exactly on 2^(k-1) < n <= 2^k, so on the dense range
    2..32 its flat tail (17..32) spans a factor below 2 < 4: not a plateau. The series is
    nondecreasing and not constant, so it is not "1", and log2 n fits it best."""
    ns = list(range(2, 33))
    fit = fit_growth(ns, [_ceil_log2(k) for k in ns])
    assert fit.growth == "log n" and fit.plateau_from is None


@pytest.mark.parametrize("ns", [range(2, 9), range(9, 33), range(2, 33)])
def test_parity_xor_tree_profile_on_dense_sizes_is_log_n(ns):
    """The audit's cases: depth_profile(parity xor_tree) over dense sizes measures ceil(log2 n)
    (agrees with the claim), and the fit must say "log n", not "1": no flat run of ceil(log2 n)
    spans the factor 4 a plateau needs."""
    from serialcomp.measure import depth_profile

    p = depth_profile(_xor_tree(), ns)
    assert p.table["serial_depth"].tolist() == [_ceil_log2(k) for k in ns]
    assert p.agrees and p.fit.growth == "log n"


@given(st.integers(1, 64), st.sampled_from([3, 4, 5, 8, 16, 64]), st.integers(0, 30))
@settings(max_examples=80, deadline=None)
def test_ceil_log2_on_any_dense_range_is_log_n(lo, factor, c):
    """Theorem: for y = ceil(log2 n) + c on range(lo, factor*lo + 1) (factor >= 3, so y takes at
    least two values), the fit is "log n" whatever lo and c: the flat tail spans less than a
    factor 2 (no plateau), and a nondecreasing growing series is never "1"."""
    ns = list(range(lo, factor * lo + 1))
    if len(ns) < 4:  # 1, 2, 3: ceil(log2 n) = n - 1 exactly; nothing tells log from linear
        return
    assert fit_growth(ns, [_ceil_log2(k) + c for k in ns]).growth == "log n"


@pytest.mark.parametrize("ns", [list(range(2, 65)), [2, 4, 8, 16, 32, 64], [2, 3, 4, 6, 8, 12, 16, 24, 32, 48, 64]])
def test_bounded_family_flat_from_8_to_64_is_1(ns):
    """Criterion: a flat tail at >= 3 sizes spanning a factor >= 4 in n (here 8..64, a factor 8),
    and at least twice as long in log n as every earlier flat run, is a plateau: bounded growth
    "1", with the plateau as b, on dense and sparse grids alike."""
    ys = [3 * min(k, 8) + 1 for k in ns]
    fit = fit_growth(ns, ys)
    assert fit.growth == "1" and fit.b == 25 and fit.plateau_from == 8


@pytest.mark.parametrize("ns", [list(range(2, 65)), [2, 4, 8, 16, 32, 64], list(range(40, 400, 7))])
def test_linear_series_is_n_on_dense_and_sparse_grids(ns):
    """Theorem: y = 2n + 3 is fitted exactly by the class n (zero error); every slower class has a
    positive error, so the fit is "n"."""
    fit = fit_growth(ns, [2 * k + 3 for k in ns])
    assert fit.growth == "n" and fit.rel_error < 1e-9 and abs(fit.a - 2) < 1e-9


def test_flat_tail_over_a_factor_2_is_not_a_plateau():
    """Criterion: word:S5 fixed3 on 2, 4, 8, 12, 16 (17, 25, 33, 33, 33) is flat over 8..16 only, a
    factor 2, which one step of ceil(log2 n) could explain: not a plateau. Up to 32 it is."""
    assert fit_growth([2, 4, 8, 12, 16], [17, 25, 33, 33, 33]).growth == "log n"
    assert fit_growth([2, 4, 8, 16], [17, 25, 33, 33]).growth == "log n"
    assert fit_growth([2, 4, 8, 16, 32], [17, 25, 33, 33, 33]).growth == "1"


def test_a_slow_staircase_is_not_a_plateau():
    """Criterion (4): ceil(log_8 n) on 2..512 is flat on 65..512 (a factor 7.9 >= 4), but its
    previous step, 9..64, was as long: the tail is one more step, not a plateau."""
    ns = list(range(2, 513))
    ys = [next(j for j in range(10) if 8**j >= k) for k in ns]
    assert fit_growth(ns, ys).growth == "log n"


def test_plateau_span_is_a_parameter():
    """A caller who knows the steps are narrower can accept a shorter plateau (still >= 3 sizes)."""
    ns, ys = [2, 4, 8, 12, 16], [17, 25, 33, 33, 33]
    assert fit_growth(ns, ys).growth == "log n"
    assert fit_growth(ns, ys, plateau_span=2).growth == "1"
    with pytest.raises(SerialcompError, match="plateau_span"):
        fit_growth(ns, ys, plateau_span=0.5)


@settings(max_examples=40, deadline=None)
@given(st.sampled_from(list(GROWTH_CLASSES)[1:]), st.floats(0.5, 20), st.floats(-10, 10), st.integers(1, 8))
def test_fit_recovers_generating_class_on_dense_grids(name, a, b, lo):
    """Theorem: for y = a g(n) + b with a > 0 on every integer of lo..256*lo, the fit picks g (the
    log-n weights make the dense grid describe the same curve as a doubling one)."""
    fn, _ = GROWTH_CLASSES[name]
    ns = np.arange(lo, 256 * lo + 1, dtype=float)
    assert fit_growth(ns, a * fn(ns) + b).growth == name


def test_decreasing_series_is_not_a_growth_class():
    assert fit_growth([2, 4, 8, 16], [5, 4, 3, 2]).growth == "1"


# --- format_depth -----------------------------------------------------------------------------

def test_format_depth_of_fixed_word_families_starts_at_2():
    """The fixed<d> claim is Piecewise((0, min(d, ceil(log2 n)) < 1), (formula, True)): the
    condition is n < 2 on the integers n >= 1 (min(d, ceil(log2 n)) is nondecreasing, 0 at n = 1,
    1 at n = 2), so the formula holds from n = 2 and the table says (n >= 2); it is checked here
    against the claim at n = 1..70."""
    from serialcomp.problems import get_problem

    s5 = {f.name: f for f in get_problem("word:S5").families()}
    assert format_depth(s5["fixed3"].claimed_depth) == "8*min(3, ceil(log2 n)) + 9 (n >= 2)"
    for key in ("word:S5", "word:Z5", "word:flipflop", "word:S3"):
        fam = next(f for f in get_problem(key).families() if f.name == "fixed3")
        text = format_depth(fam.claimed_depth)
        assert text.endswith(" (n >= 2)") and "Piecewise" not in text, text
        last = fam.claimed_depth.args[-1].expr
        assert fam.claimed(1) == 0 and fam.claimed(1) != int(evaluate_claim(last, [1])[0])
        assert [fam.claimed(k) for k in range(2, 71)] == [int(v) for v in evaluate_claim(last, range(2, 71))]


def test_format_depth_only_says_n_ge_k_when_the_condition_is_n_lt_k():
    n = sympy.Symbol("n", positive=True, integer=True)
    pw = sympy.Piecewise
    assert format_depth(pw((0, n <= 2), (n, True))) == "n (n >= 3)"
    assert format_depth(pw((5, 4 > n), (n, True))) == "n (n >= 4)"
    assert format_depth(pw((5, sympy.sqrt(n) < 3), (n, True))) == "n (n >= 9)"
    assert format_depth(pw((5, n < 5), (0, n < 3), (n, True))) == "n (n >= 5)"
    # a suffix, a non-monotone and a periodic condition: written out in full
    assert format_depth(pw((1, n > 3), (n, True))) == "1 if n > 3, else n"
    assert format_depth(pw((0, (n - 4) ** 2 < 2), (1, True))) == "0 if (n - 4)**2 < 2, else 1"
    assert format_depth(pw((0, sympy.Eq(n % 2, 0)), (n, True))) == "0 if Mod(n, 2) == 0, else n"
    # undefined at n = 1 (log 0): not rewritten
    assert format_depth(pw((5, sympy.log(n - 1, 2) < 3), (n, True))) == "5 if log2(n - 1) < 3, else n"
