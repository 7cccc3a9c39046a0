"""Majority amplification: the majority of k independent copies, each right with probability p > 1/2,
errs with probability at most exp(-2k (p - 1/2)^2) (Hoeffding), and costs one threshold level.

Checked against the exact binomial tails (sympy Rationals), a Monte Carlo estimate, and the
MAJ-of-k circuit itself, simulated on every input pattern with its exact probability.
"""

from __future__ import annotations

import numpy as np
import sympy
from hypothesis import strategies as st

from serialcomp.claims import THRESHOLD, CheckResult, Claim, Step
from serialcomp.ir.builder import CircuitBuilder
from serialcomp.testing.claims import probabilities, run_property
from serialcomp.testing.patterns import all_patterns

HOEFFDING = "Hoeffding. Probability inequalities for sums of bounded random variables. JASA 58(301), 1963"
p_, kk, dl = sympy.symbols("p k delta", positive=True)
j = sympy.Symbol("j", integer=True, nonnegative=True)


def error_tail(p, k: int) -> sympy.Rational:
    """P[at most k/2 of k independent Bernoulli(p) are 1]: the strict majority is wrong (ties count as errors)."""
    p = sympy.Rational(p)
    return sum((sympy.binomial(k, i) * p**i * (1 - p) ** (k - i) for i in range(k // 2 + 1)), sympy.Integer(0))


def hoeffding(p, k: int) -> sympy.Expr:
    """``exp(-2 k (p - 1/2)^2)``."""
    return sympy.exp(-2 * k * (sympy.Rational(p) - sympy.Rational(1, 2)) ** 2)


def _tail_check() -> CheckResult:
    def prop(p, k):
        tail, bound = error_tail(p, k), hoeffding(p, k)
        assert sympy.Le(tail, bound) == sympy.true, (p, k, float(tail), float(bound))

    exact = run_property(prop, probabilities(sympy.Rational(1, 2), 1, 40), st.integers(1, 80), max_examples=120,
                         what="(p, k) with p in [1/2, 1] rational, k = 1..80: exact tail <= the bound")
    rng = np.random.default_rng(0)
    fails = []
    for p, k in ((0.6, 11), (0.55, 41), (0.7, 25), (0.9, 7)):
        trials = 200_000
        right = rng.binomial(k, p, trials)
        est = float(np.mean(2 * right <= k))
        exact_v = float(error_tail(sympy.Rational(str(p)), k))
        sigma = max(np.sqrt(exact_v * (1 - exact_v) / trials), 1e-9)
        if abs(est - exact_v) > 5 * sigma or est > float(hoeffding(sympy.Rational(str(p)), k)) + 5 * sigma:
            fails.append(f"p={p}, k={k}: Monte Carlo {est:.5f}, exact {exact_v:.5f}")
    mc = CheckResult(not fails, "Monte Carlo (200000 trials) at 4 (p, k) within 5 sigma of the exact tail",
                     fails[0] if fails else "")
    bad = [r for r in (exact, mc) if not r.ok]
    return CheckResult(not bad, f"{exact.checked}; {mc.checked}", bad[0].detail if bad else "")


TAIL = Claim(
    "amp.hoeffding", "If k independent copies are each right with probability p > 1/2, their strict majority is wrong "
    "with probability at most exp(-2k (p - 1/2)^2).",
    sympy.Le(sympy.Symbol("P_err"), sympy.exp(-2 * kk * (p_ - sympy.Rational(1, 2)) ** 2)), "MAJ of k copies",
    THRESHOLD, "upper", _tail_check, ["sympy", "hypothesis", "simulation"],
    [Step("the majority errs iff S - kp <= -k (p - 1/2) for S right copies: Hoeffding with t = k (p - 1/2) gives "
          "exp(-2 t^2 / k)", sympy.simplify(2 * (kk * (p_ - sympy.Rational(1, 2))) ** 2 / kk),
          2 * kk * (p_ - sympy.Rational(1, 2)) ** 2)],
    references=[HOEFFDING])


def maj_circuit(k: int, d: int = 0):
    """k copies of a depth-d computation (each copy's answer bit through a chain of d gates AND(x, x)),
    then one MAJ gate over the copies."""
    b = CircuitBuilder()
    ans = b.input_bus("copy", k)
    copies = []
    for lit in ans:
        for _ in range(d):
            lit = b.and_(lit, lit)  # a depth-d "solver" that passes its answer on
        copies.append(lit)
    b.output(b.maj(*copies), "majority")
    return b.build()


def _circuit_check() -> CheckResult:
    fails = []
    for k in (1, 3, 4, 7, 11, 13):
        c = maj_circuit(k)
        pats = all_patterns(k)
        out = c.compile().run_bool(pats)[:, 0]
        ones = pats.sum(axis=1)
        for p in (sympy.Rational(3, 5), sympy.Rational(2, 3), sympy.Rational(9, 10)):
            weights = [p ** int(w) * (1 - p) ** (k - int(w)) for w in ones]
            err = sum((wt for wt, o in zip(weights, out) if not o), sympy.Integer(0))
            if err != error_tail(p, k):
                fails.append(f"k={k}, p={p}: simulated {err} != {error_tail(p, k)}")
        for d in (0, 2, 5):
            if maj_circuit(k, d).depth() != d + 1:
                fails.append(f"k={k}, d={d}: depth {maj_circuit(k, d).depth()}")
    return CheckResult(not fails, "the MAJ-of-k circuit, k = 1..13, simulated on all 2^k inputs, each weighted by its "
                       "exact probability: the error equals the binomial tail (p = 3/5, 2/3, 9/10); depth d + 1 over "
                       "depth-d copies", fails[0] if fails else "")


CIRCUIT = Claim(
    "amp.maj_circuit", "The majority of k copies of a depth-d circuit is a circuit of depth exactly d + 1 with threshold "
    "gates (one MAJ gate), whose error is exactly the binomial tail P[Bin(k, p) <= k/2].", sympy.Symbol("d") + 1,
    "MAJ of k copies", THRESHOLD, "exact", _circuit_check, ["exhaustive", "simulation"],
    [Step("error = sum_{j <= k/2} C(k, j) p^j (1-p)^(k-j); at k = 3: (1-p)^3 + 3 p (1-p)^2",
          sympy.expand(sum(sympy.binomial(3, i) * p_**i * (1 - p_) ** (3 - i) for i in range(2))),
          sympy.expand((1 - p_) ** 3 + 3 * p_ * (1 - p_) ** 2))])


def _copies_check() -> CheckResult:
    fails = []
    sol = sympy.solve(sympy.Eq(sympy.exp(-2 * kk * sympy.Symbol("e", positive=True) ** 2), dl), kk)[0]
    for p in (sympy.Rational(11, 20), sympy.Rational(3, 5), sympy.Rational(3, 4)):
        for delta in (sympy.Rational(1, 10), sympy.Rational(1, 100), sympy.Rational(1, 1000)):
            need = int(sympy.ceiling(sol.subs({sympy.Symbol("e", positive=True): p - sympy.Rational(1, 2), dl: delta})))
            if error_tail(p, need) > delta:
                fails.append(f"p={p}, delta={delta}: k={need} gives {float(error_tail(p, need))}")
    return CheckResult(not fails, "k = ceil(ln(1/delta) / (2 eps^2)) at p = 11/20, 3/5, 3/4 and delta = 1/10, 1/100, "
                       "1/1000: the exact tail is at most delta", fails[0] if fails else "")


COPIES = Claim(
    "amp.copies", "k >= ln(1/delta) / (2 (p - 1/2)^2) copies bring the majority's error below delta.",
    sympy.Ge(kk, sympy.log(1 / dl) / (2 * (p_ - sympy.Rational(1, 2)) ** 2)), "MAJ of k copies", THRESHOLD, "upper",
    _copies_check, ["sympy", "exhaustive"],
    [Step("solve exp(-2 k e^2) = delta for k", sympy.solve(sympy.Eq(sympy.exp(-2 * kk * sympy.Symbol("e", positive=True)
                                                                        ** 2), dl), kk)[0],
          sympy.log(1 / dl) / (2 * sympy.Symbol("e", positive=True) ** 2))],
    references=[HOEFFDING])

CLAIMS = [TAIL, CIRCUIT, COPIES]


def test_claim(claim):
    """Every claim of this group verifies (derivation and check)."""
    result = claim.run()
    assert result.status == "verified", f"{claim.id}: {result.detail}"
