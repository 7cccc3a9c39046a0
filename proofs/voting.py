"""Test-time voting: the exact laws of any@k, maj@k and pass@k (serialcomp.chains.vote) against sympy,
the unbiased pass@k estimator, and what voting does to depth (one level, never less).

A chain reaches the target with probability p and then votes right; otherwise it guesses (a fair
coin), so a vote is right with probability q = (1 + p) / 2. More votes amplify q > 1/2 towards 1
(amp.hoeffding); they cannot create the serial depth a chain lacks: with p = 0 (no chain long
enough), maj@k is 1/2 for every k.
"""

from __future__ import annotations

import sympy
from hypothesis import strategies as st

from serialcomp.claims import THRESHOLD, CheckResult, Claim, Step
from serialcomp.ir.builder import CircuitBuilder
from serialcomp.ir.compose import parallel
from serialcomp.testing.claims import probabilities, run_property

CHEN = "Chen et al. Evaluating large language models trained on code. arXiv:2107.03374, 2021 (unbiased pass@k)"
p_, k_, n_, c_ = sympy.symbols("p k n c", positive=True)


def maj_exact(p, k: int) -> sympy.Rational:
    """maj@k with the guess rule, exactly: votes right w.p. q = (1 + p)/2, ties broken by a fair coin."""
    q = (1 + sympy.sympify(p)) / 2
    win = sum((sympy.binomial(k, j) * q**j * (1 - q) ** (k - j) for j in range(k + 1) if 2 * j > k), sympy.Integer(0))
    tie = sympy.binomial(k, k // 2) * q ** (k // 2) * (1 - q) ** (k // 2) if k % 2 == 0 else 0
    return win + sympy.Rational(1, 2) * tie


def _maj_check() -> CheckResult:
    from serialcomp.chains.vote import maj_at_k

    def prop(p, k):
        assert abs(maj_at_k(float(p), k) - float(maj_exact(p, k))) < 1e-12, (p, k)

    return run_property(prop, probabilities(0, 1, 50), st.integers(1, 40), max_examples=100,
                        what="(p, k), p rational, k = 1..40: chains.vote.maj_at_k against the exact sympy law")


MAJ = Claim(
    "vote.maj_at_k", "maj@k of k chains (guess rule) is sum_{2j > k} C(k, j) q^j (1-q)^(k-j) + 1/2 C(k, k/2) (q(1-q))^(k/2) "
    "with q = (1 + p)/2: serialcomp.chains.vote.maj_at_k computes it.", sympy.Symbol("maj_k"), "chains.vote.maj_at_k",
    THRESHOLD, "exact", _maj_check, ["hypothesis"],
    [Step("k = 2: a tie is broken by a coin, so maj@2 = q^2 + q (1 - q) = q = maj@1",
          sympy.simplify(maj_exact(p_, 2)), (1 + p_) / 2)])


def _any_pass_check() -> CheckResult:
    from serialcomp.chains.vote import any_at_k, pass_at_k

    def prop(p, k):
        pf = float(p)
        assert abs(any_at_k(pf, k) - float(1 - (1 - p) ** k / 2)) < 1e-12
        assert abs(pass_at_k(pf, k) - float(1 - ((1 - p) / 2) ** k)) < 1e-12
        assert abs(pass_at_k(pf, k, "abstain") - float(1 - (1 - p) ** k)) < 1e-12

    law = run_property(prop, probabilities(0, 1, 50), st.integers(1, 60), max_examples=100,
                       what="(p, k): any@k and pass@k (guess and abstain) against their closed forms")
    fails = []
    for n in range(1, 11):
        for kk in range(1, n + 1):
            q = sympy.Symbol("q")
            expect = sum(sympy.binomial(n, c) * q**c * (1 - q) ** (n - c) * (1 - sympy.binomial(n - c, kk)
                                                                              / sympy.binomial(n, kk))
                         for c in range(n + 1))
            if sympy.expand(expect - (1 - (1 - q) ** kk)) != 0:
                fails.append(f"n={n}, k={kk}")
    est = CheckResult(not fails, "the pass@k estimator 1 - C(n-c, k)/C(n, k) is unbiased for n = 1..10, k <= n "
                      "(exact polynomial identity in q)", fails[0] if fails else "")
    bad = [r for r in (law, est) if not r.ok]
    return CheckResult(not bad, f"{law.checked}; {est.checked}", bad[0].detail if bad else "")


ANY_PASS = Claim(
    "vote.any_pass", "any@k = 1 - (1-p)^k / 2 (a trace verifier, a coin when no trace reaches), pass@k = 1 - ((1-p)/2)^k "
    "(guesses pass too) or 1 - (1-p)^k (abstaining chains); and with c right answers among n samples, "
    "1 - C(n-c, k)/C(n, k) estimates 1 - (1-q)^k without bias.", sympy.Symbol("pass_k"), "chains.vote", THRESHOLD,
    "exact", _any_pass_check, ["hypothesis", "exhaustive"],
    [Step("E[C(n-c, k)/C(n, k)] = (1 - q)^k at n = 3, k = 2",
          sympy.expand(sum(sympy.binomial(3, c) * sympy.Symbol("q") ** c * (1 - sympy.Symbol("q")) ** (3 - c)
                           * sympy.binomial(3 - c, 2) / sympy.binomial(3, 2) for c in range(4))),
          sympy.expand((1 - sympy.Symbol("q")) ** 2))],
    references=[CHEN])


def _limit_check() -> CheckResult:
    fails = [kk for kk in range(1, 31) if maj_exact(0, kk) != sympy.Rational(1, 2)]
    for p in (sympy.Rational(1, 10), sympy.Rational(1, 2)):
        for kk in (5, 50, 200):
            err = 1 - maj_exact(p, kk)
            if err > sympy.exp(-2 * kk * (p / 2) ** 2):
                fails.append((p, kk))
    return CheckResult(not fails, "maj@k = 1/2 exactly at p = 0 for k = 1..30; 1 - maj@k <= exp(-k p^2 / 2) at "
                       "p = 1/10, 1/2 and k = 5, 50, 200", f"fails at {fails[0]}" if fails else "")


LIMIT = Claim(
    "vote.limit", "More votes help only chains that reach: maj@k = 1/2 for every k when p = 0, and "
    "1 - maj@k <= exp(-k p^2 / 2) -> 0 when p > 0 (Hoeffding with q - 1/2 = p/2).",
    sympy.Le(1 - sympy.Symbol("maj_k"), sympy.exp(-k_ * p_**2 / 2)), "chains.vote.maj_at_k", THRESHOLD, "upper",
    _limit_check, ["exhaustive"],
    [Step("2 k (q - 1/2)^2 with q = (1 + p)/2 is k p^2 / 2", sympy.simplify(2 * k_ * ((1 + p_) / 2 - sympy.Rational(1, 2))
                                                                          ** 2), k_ * p_**2 / 2)])


def _depth_check() -> CheckResult:
    from serialcomp.problems import get_problem

    fails = []
    chain = get_problem("word:S3").family("stream")(1).unroll(8)  # a chain of serial depth 16
    for k in (1, 2, 3, 5, 9):
        side = chain
        for i in range(1, k):
            side = parallel(side, chain.rename(outputs={n: f"{n}#{i}" for n in chain.output_names}))
        b = CircuitBuilder()
        xs = b.inputs(side.n_inputs)
        outs = b.copy_from(side, xs)
        b.output(b.maj(*outs[chain.n_outputs - 1 :: chain.n_outputs]), "vote")  # each chain's last bit
        c = b.build()
        if side.depth() != chain.depth() or c.depth() != chain.depth() + 1:
            fails.append(f"k={k}: {side.depth()}, {c.depth()}")
    return CheckResult(not fails, "k = 1..9 copies of an 8-step S3 chain (depth 16) side by side keep depth 16; the "
                       "vote makes 17", fails[0] if fails else "")


DEPTH = Claim(
    "vote.depth", "Voting over k chains of serial depth D is a circuit of depth exactly D + 1 (one MAJ gate over chains "
    "side by side): k never lowers the depth a chain needs.", sympy.Symbol("D") + 1, "voting over k chains",
    THRESHOLD, "exact", _depth_check, ["simulation"],
    [Step("max over k parallel copies of D, plus one", sympy.Max(*([sympy.Symbol("D")] * 3)) + 1, sympy.Symbol("D") + 1)])

CLAIMS = [MAJ, ANY_PASS, LIMIT, DEPTH]


def test_claim(claim):
    """Every claim of this group verifies (derivation and check)."""
    result = claim.run()
    assert result.status == "verified", f"{claim.id}: {result.detail}"
