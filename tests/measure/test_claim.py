"""Claimed depths: written as the papers write them, evaluated at n, and met or not by a measurement."""

import sympy
from hypothesis import given, strategies as st

from serialcomp.ir.family import N as n
from serialcomp.measure.claim import claim_holds, evaluate_claim, format_depth
from serialcomp.problems import get_problem


@given(st.integers(0, 100), st.integers(0, 100))
def test_claim_holds_is_equality_for_exact_claims_and_at_most_for_bounds(measured, claimed):
    """Definition: an exact claim holds iff measured == claimed; an upper bound iff measured <= claimed."""
    assert claim_holds(measured, claimed, exact=True) is (measured == claimed)
    assert claim_holds(measured, claimed, exact=False) is (measured <= claimed)


def test_format_depth_reads_like_the_papers():
    assert format_depth(sympy.ceiling(sympy.log(n, 2))) == "ceil(log2 n)"
    assert format_depth(sympy.Piecewise((1, n < 2), (3, n < 3), (4, True))) == "4 (n >= 3)"
    assert format_depth(2 * sympy.Min(8, n)) == "2*min(8, n)"
    assert format_depth(n**2) == "n**2"


def test_format_depth_of_fixed_word_families_starts_at_2():
    """The fixed<d> claim is Piecewise((0, min(d, ceil(log2 n)) < 1), (formula, True)): the
    condition is n < 2 on the integers n >= 1 (min(d, ceil(log2 n)) is nondecreasing, 0 at n = 1,
    1 at n = 2), so the formula holds from n = 2 and the table says (n >= 2); it is checked here
    against the claim at n = 1..70."""
    assert format_depth(get_problem("word:S5").family("fixed3").claimed_depth) == "8*min(3, ceil(log2 n)) + 9 (n >= 2)"
    for key in ("word:S5", "word:Z5", "word:flipflop", "word:S3"):
        fam = get_problem(key).family("fixed3")
        text = format_depth(fam.claimed_depth)
        assert text.endswith(" (n >= 2)") and "Piecewise" not in text, text
        last = fam.claimed_depth.args[-1].expr
        assert fam.claimed(1) == 0 and fam.claimed(1) != int(evaluate_claim(last, [1])[0])
        assert [fam.claimed(k) for k in range(2, 71)] == [int(v) for v in evaluate_claim(last, range(2, 71))]


def test_format_depth_only_says_n_ge_k_when_the_condition_is_n_lt_k():
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


def test_evaluate_claim_takes_any_symbol_named_n():
    plain = sympy.Symbol("n")
    assert evaluate_claim(2 * sympy.ceiling(sympy.log(plain, 2)), [4, 5, 8]) == [4.0, 6.0, 6.0]
    assert evaluate_claim(n**2 + 1, [3]) == [10.0] and evaluate_claim(sympy.Integer(7), [1, 2]) == [7.0, 7.0]
