"""Automata and circuit value: cellular automata (rules 110, 30, 90), the circuit value problem, and
sudoku propagation rounds.

Rule 110's prediction is P-complete, yet its step-by-step simulation is not the shallowest circuit
with unbounded fan-in: k steps are one DNF over the light cone of 2k + 1 cells, so depth
2 ceil(t/k) (``ca.blocks4``) and O(n / log n) at polynomial size (``ca.blocks_asymptotic``). What
P-completeness supports is "no polylog depth unless NC = P" (``ca.rule110_conjecture``), not a
linear lower bound.
"""

from __future__ import annotations

import math

import numpy as np
import sympy

from serialcomp.claims import AND_OR, AND_OR_MOD, THRESHOLD, CheckResult, Claim, Step
from serialcomp.ir.family import N
from serialcomp.problems import get_problem
from serialcomp.problems.ca import ca_blocks, ca_run, cone_function
from serialcomp.testing.claims import check_families
from serialcomp.testing.patterns import random_patterns

NEARY = "Neary, Woods. P-completeness of cellular automaton Rule 110. ICALP 2006, LNCS 4051"
WOLFRAM = "Wolfram. Statistical mechanics of cellular automata. Rev. Mod. Phys. 55(3), 1983"
LADNER = "Ladner. The circuit value problem is log space complete for P. SIGACT News 7(1), 1975"
k = sympy.Symbol("k", integer=True, positive=True)
CA = ["ca:rule110", "ca:rule30", "ca:rule90"]


def _both(*results: CheckResult) -> CheckResult:
    bad = [r for r in results if not r.ok]
    return CheckResult(not bad, "; ".join(r.checked for r in results), bad[0].detail if bad else "")


LOOPED = Claim(
    "ca.looped", "The loop-mode automaton (a 2-level sum-of-products step; the first step loads the row) has serial "
    "depth exactly 2t = 2n.", 2 * N, "ca:rule110, ca:rule30, ca:rule90 looped", AND_OR, "exact",
    lambda: check_families([(key, "looped") for key in CA], [7, 9, 12, 31], count=64), ["simulation"],
    [Step("t = n steps of depth 2", sympy.summation(2, (k, 1, N)), 2 * N)], covers=[(key, "looped") for key in CA])


def _fixed_check() -> CheckResult:
    from serialcomp.measure.accuracy import accuracy

    fails = [key for key in ("ca:rule110", "ca:rule30")
             if accuracy(get_problem(key).family("fixed8"), key, 16, count=256, seed=1).accuracy >= 0.9]
    return _both(check_families([(key, "fixed8") for key in ("ca:rule110", "ca:rule30")], [7, 8, 12, 16], count=64),
                 CheckResult(not fails, "fixed8 wrong on >= 10% of width-16 rings", f"{fails[0]} exact" if fails else ""))


FIXED8 = Claim(
    "ca.fixed8", "fixed8 unrolls min(t, 8) steps (depth exactly 2 min(n, 8)): exact for t <= 8, wrong beyond.",
    2 * sympy.Min(N, 8), "ca:rule110, ca:rule30 fixed8", AND_OR, "exact", _fixed_check, ["simulation"],
    [Step("past 8 steps the depth stops growing", (2 * sympy.Min(N, 8)).subs(N, 100), 16)],
    covers=[(key, "fixed8") for key in ("ca:rule110", "ca:rule30")])
RULE90_XOR = Claim(
    "ca.rule90_xor", "Rule 90 after t steps is one XOR gate over the cells Pascal's triangle mod 2 selects: depth "
    "exactly 1 with MOD_2 gates, for every t.", sympy.Integer(1), "ca:rule90 light_cone", AND_OR_MOD, "exact",
    lambda: check_families([("ca:rule90", "light_cone")], [3, 7, 9, 31, 63], count=128, solver_count=16),
    ["simulation"], [Step("Lucas: binom(6, 2) is odd iff 2 is a submask of 6", sympy.binomial(6, 2) % 2, 1)],
    covers=[("ca:rule90", "light_cone")])
RULE90_THR = Claim(
    "ca.rule90_thr", "The same parity with threshold gates: depth exactly 2 (TC0).", sympy.Integer(2),
    "ca:rule90 light_cone_thr", THRESHOLD, "exact",
    lambda: check_families([("ca:rule90", "light_cone_thr")], [3, 7, 9, 31, 63], count=128, solver_count=16),
    ["simulation"], [Step("two threshold layers", sympy.Integer(2), 2)], covers=[("ca:rule90", "light_cone_thr")])


def _blocks_steps() -> list[Step]:
    return [Step("ceil(t/4) blocks of 2 levels: 2 ceil(n/4) <= 2n/4 + 2 (n = 1..300)", 2 * sympy.ceiling(N / 4),
                 N / 2 + 2, "<=", over=(1, 300)),
            Step("the issue's case: rule 110 at w = t = 33", (2 * sympy.ceiling(N / 4)).subs(N, 33), 18)]


BLOCKS4 = Claim(
    "ca.blocks4", "t steps of rule 110 or 30 in depth at most 2 ceil(t/4) with unbounded fan-in AND/OR gates (equal "
    "for rings of n >= 5 cells, t = n): blocks of 4 steps, each the DNF of the 9-cell light cone.",
    2 * sympy.ceiling(N / 4), "ca:rule110, ca:rule30 blocks4", AND_OR, "upper",
    lambda: check_families([(key, "blocks4") for key in ("ca:rule110", "ca:rule30")], [7, 9, 12, 33, 63], count=128,
                           exact_from=5, solver_count=16),
    ["simulation"], _blocks_steps,
    proof="After k steps a cell is a function of the 2k + 1 cells around it; any function is a DNF (an AND and an OR "
          "level); composing ceil(t/k) such blocks costs 2 ceil(t/k).", covers=[(key, "blocks4") for key in
                                                                               ("ca:rule110", "ca:rule30")])


def _k(n: int) -> int:
    return max(1, int(math.log2(n)) // 2 + 1)


def _asymptotic_check() -> CheckResult:
    fails = []
    for rule in (110, 30):
        for n in (15, 31, 63):
            kk = _k(n)
            c = ca_blocks(n, rule, n, kk, cell=n // 2)
            rows = random_patterns(n, 128, n)
            want = np.array([ca_run(r.astype(int), rule, n)[n // 2] for r in rows], bool)
            if c.depth() != 2 * -(-n // kk) or not (c.compile().run_bool(rows)[:, 0] == want).all():
                fails.append(f"rule {rule} n={n} k={kk}: depth {c.depth()}")
            if c.n_gates > n * (-(-n // kk)) * (2 ** (2 * kk) + 1):
                fails.append(f"rule {rule} n={n}: {c.n_gates} gates above n ceil(n/k) (2^(2k) + 1)")
    return CheckResult(not fails, "rules 110 and 30 at n = t = 15, 31, 63 with k = floor(log2 n)/2 + 1: depth "
                       "2 ceil(n/k), 128 random rings against the step loop, gates <= n ceil(n/k) (4^k + 1)",
                       fails[0] if fails else "")


def _asymptotic_steps() -> list[Step]:
    n = sympy.Symbol("n", positive=True)
    depth = 2 * n / (sympy.log(n, 2) / 2)
    size = n * (n / (sympy.log(n, 2) / 2)) * 2 ** sympy.log(n, 2)
    return [Step("k = log2(n)/2: depth / (n / log n) -> 4 log 2", sympy.limit(depth / (n / sympy.log(n)), n, sympy.oo),
                 4 * sympy.log(2)),
            Step("size n (n/k) 4^k with 4^k = n: log(size)/log(n) -> 3", sympy.limit(sympy.log(size) / sympy.log(n), n,
                                                                                     sympy.oo), 3)]


BLOCKS_ASYMPTOTIC = Claim(
    "ca.blocks_asymptotic", "Every elementary cellular automaton (rules 110 and 30 included) after t = n steps has "
    "AND/OR circuits (unbounded fan-in) of depth O(n / log n) and polynomial size: light-cone blocks of "
    "k = Theta(log n) steps. So a linear lower bound is false in this model.", N / sympy.log(N),
    "ca:rule110, ca:rule30", AND_OR, "upper", _asymptotic_check, ["simulation"], _asymptotic_steps)


def _not_affine_check() -> CheckResult:
    """Evidence: rule 90's k-step functions are affine over GF(2) (XORs), rules 110's and 30's are not."""
    def affine(f: tuple[int, ...], nv: int) -> bool:
        c0 = f[0]
        lin = [f[1 << j] ^ c0 for j in range(nv)]
        return all(f[m] == c0 ^ (sum(lin[j] for j in range(nv) if m >> j & 1) % 2) for m in range(1 << nv))

    res = {rule: [affine(cone_function(rule, kk), 2 * kk + 1) for kk in range(1, 6)] for rule in (90, 110, 30)}
    ok = all(res[90]) and not any(res[110]) and not any(res[30])
    return CheckResult(ok, "evidence only: the k-step functions, k = 1..5, are affine over GF(2) for rule 90 and for "
                       "no k for rules 110 and 30", "" if ok else f"unexpected: {res}")


RULE110_CONJ = Claim(
    "ca.rule110_conjecture", "Conjecture: rule 110 after t = n steps has no polynomial-size circuits of polylog depth "
    "(P != NC; predicting rule 110 is P-complete, Neary-Woods, so such circuits would give NC = P). Only the trivial "
    "lower bound is proven with unbounded fan-in.", sympy.Symbol("not polylog"), "ca:rule110", THRESHOLD,
    "conjecture", _not_affine_check, ["exhaustive"], references=[NEARY])
RULE30_CONJ = Claim(
    "ca.rule30_conjecture", "Conjecture: rule 30 after t = n steps has no polynomial-size circuits of polylog depth. No "
    "reduction supports it (rule 30 is not known to be P-complete): it is the belief that no shortcut beats "
    "simulation, nothing more.", sympy.Symbol("not polylog"), "ca:rule30", THRESHOLD, "conjecture",
    _not_affine_check, ["exhaustive"], references=[WOLFRAM])

CVP = Claim(
    "cvp.levelwise", "The universal layer evaluator (AND + THR, 2 levels per layer), looped depth + 1 steps or "
    "unrolled, has serial depth exactly 2n + 1 for depth = n.", 2 * N + 1, "cvp levelwise, unrolled", THRESHOLD,
    "exact", lambda: check_families([("cvp", "levelwise"), ("cvp", "unrolled")], [2, 4, 8, 12], count=32),
    ["simulation"], [Step("each of the n layers costs 2 levels (operand select AND, gate THR) on the state path, "
                          "the output one more (XOR): 2n + 1, also for the depth + 1 steps halting needs",
                          sympy.summation(2, (k, 1, N)) + 1, 2 * N + 1)],
    covers=[("cvp", "levelwise"), ("cvp", "unrolled")])


def _cvp_evidence() -> CheckResult:
    from serialcomp.problems.cvp import evaluate_layers

    prob = get_problem("cvp")
    inst = prob.sample(24, 2000, seed=9)
    i = inst.inputs
    flipped = evaluate_layers(~i["x"], i["gate"], i["left"], i["right"])[:, -1, 0]
    frac = float(np.mean(flipped != inst.targets["target"]))
    return CheckResult(frac > 0.2, f"evidence only: at n = depth = 24, complementing the inputs changes {frac:.0%} of "
                       "2000 targets (the first layer matters after 24 layers)", "" if frac > 0.2 else "too few change")


CVP_CONJ = Claim(
    "cvp.conjecture", "Conjecture: the circuit value problem (depth = n) has no polynomial-size circuits of polylog "
    "depth (P != NC; it is P-complete, Ladner). A linear lower bound is not implied by it; only the trivial bound is "
    "proven.", sympy.Symbol("not polylog"), "cvp", THRESHOLD, "conjecture", _cvp_evidence, ["simulation"],
    references=[LADNER])

SUDOKU = Claim(
    "sudoku.propagate", "The sudoku propagation round (naked and hidden singles, depth 3 with threshold gates) looped "
    "to its fixed point, rounds + 1 steps for rating-n puzzles: serial depth exactly 3 (n + 1).", 3 * (N + 1),
    "sudoku propagate", THRESHOLD, "exact",
    lambda: check_families([("sudoku", "propagate")], [1, 2, 3], count=8), ["simulation"],
    [Step("n + 1 rounds of depth 3", sympy.summation(3, (k, 1, N + 1)), 3 * (N + 1))],
    covers=[("sudoku", "propagate")])

CLAIMS = [LOOPED, FIXED8, RULE90_XOR, RULE90_THR, BLOCKS4, BLOCKS_ASYMPTOTIC, RULE110_CONJ, RULE30_CONJ, CVP, CVP_CONJ,
          SUDOKU]


def test_claim(claim):
    """Every claim of this group verifies (derivation and check)."""
    result = claim.run()
    assert result.status == "verified", f"{claim.id}: {result.detail}"
