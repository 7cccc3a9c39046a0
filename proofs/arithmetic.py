"""Counting and arithmetic: parity, majority, addition, iterated addition and the time-lock squarings.

Parity and majority are one gate with XOR or threshold gates, and not in AC0 (Hastad); what is
proven with MOD_p gates is Smolensky's theorem (MOD_q is not in AC0[p] for primes p != q, so parity
is not in AC0[p] for odd p) and Razborov's (majority is not in AC0[2]). The time-lock puzzle's
family is what is built: t squarings with AND/OR gates, depth 16 n (2n - 1); O(t) with threshold
gates is a cited theorem (Hesse, Allender, Barrington), not a construction of this project.
"""

from __future__ import annotations

import numpy as np
import sympy

from serialcomp.claims import AND_OR, AND_OR_MOD, FANIN2_XOR, THRESHOLD, CheckResult, Claim, Step
from serialcomp.ir.builder import CircuitBuilder
from serialcomp.ir.family import N
from serialcomp.problems import get_problem
from serialcomp.testing.claims import check_families
from serialcomp.testing.patterns import all_patterns, random_patterns

HASTAD = "Hastad. Almost optimal lower bounds for small depth circuits. STOC 1986"
FSS = "Furst, Saxe, Sipser. Parity, circuits, and the polynomial-time hierarchy. Math. Syst. Theory 17, 1984"
RAZBOROV = ("Razborov. Lower bounds on the size of bounded depth circuits over a complete basis with logical "
            "addition. Math. Notes 41(4), 1987 (majority is not in AC0[2])")
SMOLENSKY = ("Smolensky. Algebraic methods in the theory of lower bounds for Boolean circuit complexity. STOC 1987 "
             "(MOD_q is not in AC0[p] for distinct primes p, q)")
HAB = ("Hesse, Allender, Barrington. Uniform constant-depth threshold circuits for division and iterated "
       "multiplication. JCSS 65(4), 2002")
RSW = "Rivest, Shamir, Wagner. Time-lock puzzles and timed-release crypto. MIT/LCS/TR-684, 1996"
LOG2N = sympy.ceiling(sympy.log(N, 2))
k = sympy.Symbol("k", integer=True, positive=True)


def _halving_steps(formula: sympy.Expr, per_level: int) -> list[Step]:
    T = sympy.Function("T")
    return [
        Step(f"T(k) = T(k-1) + {per_level}, T(0) = 0 solves to {per_level} k",
             sympy.rsolve(T(k) - T(k - 1) - per_level, T(k), {T(0): 0}), per_level * k),
        Step("the claim at n = 2^k", formula.subs(N, 2**k), per_level * k),
        Step("induction: D(n) = D(ceil(n/2)) + per level, n = 2..256", formula,
             formula.subs(N, sympy.ceiling(N / 2)) + per_level, over=(2, 256)),
    ]


def _both(*results: CheckResult) -> CheckResult:
    bad = [r for r in results if not r.ok]
    return CheckResult(not bad, "; ".join(r.checked for r in results), bad[0].detail if bad else "")


PARITY_TREE = Claim(
    "arith.parity_xor_tree", "A balanced tree of 2-input XOR gates computes parity of n bits in depth exactly "
    "ceil(log2 n).", LOG2N, "parity xor_tree", FANIN2_XOR, "exact",
    lambda: check_families([("parity", "xor_tree")], [1, 2, 3, 5, 8, 64, 1000], count=128, solver_count=16),
    ["simulation"], lambda: _halving_steps(LOG2N, 1), covers=[("parity", "xor_tree")])
PARITY_THR = Claim(
    "arith.parity_threshold2", "Parity of n bits in depth exactly 2 with threshold gates: [sum x >= j] for j = 1..n, "
    "then one gate with weights +1, -1, +1, ...", sympy.Integer(2), "parity threshold2", THRESHOLD, "exact",
    lambda: check_families([("parity", "threshold2")], [2, 3, 8, 64, 257], count=128, solver_count=16),
    ["simulation"], [Step("sum_{j=1}^S (-1)^(j+1) = S mod 2 (S = 7)", sympy.Sum((-1) ** (k + 1), (k, 1, 7)).doit(), 1)],
    covers=[("parity", "threshold2")])
PARITY_STREAM = Claim(
    "arith.parity_stream", "The 1-bit XOR accumulator, one input bit per step, has serial depth exactly n.", N,
    "parity stream", AND_OR_MOD, "exact",
    lambda: check_families([("parity", "stream")], [1, 2, 9, 64], count=64), ["simulation"],
    [Step("n steps of depth 1", sympy.summation(1, (k, 1, N)), N)], covers=[("parity", "stream")])


def _one_gate_check() -> CheckResult:
    bad = []
    for n in range(1, 13):
        b = CircuitBuilder()
        b.output(b.xor(*b.inputs(n)))
        c = b.build()
        x = all_patterns(n)
        if c.depth() != 1 or not (c.compile().run_bool(x)[:, 0] == (x.sum(axis=1) % 2 == 1)).all():
            bad.append(n)
    return CheckResult(not bad, "every input of n = 1..12 bits", f"wrong at n = {bad[0]}" if bad else "")


PARITY_GATE = Claim(
    "arith.parity_one_gate", "Parity of n bits is one XOR (MOD_2) gate: depth 1 with MOD gates (AC0[2] and ACC0).",
    sympy.Integer(1), "parity", AND_OR_MOD, "exact", _one_gate_check, ["exhaustive"])


def parity_blocks(n: int):
    """Parity of n bits in blocks of b = max(2, ceil(log2 n)): each block's parity a DNF of 2^(b-1) minterms
    (its complement, the other 2^(b-1), negated when that is the literal needed), levels of blocks."""
    b = CircuitBuilder()
    layer = b.input_bus("x", n)
    size = max(2, (n - 1).bit_length())
    while len(layer) > 1:
        nxt = []
        for i in range(0, len(layer), size):
            part = layer[i:i + size]
            if len(part) == 1:
                nxt.append(part[0])
                continue
            terms = [b.and_(*(l if (m >> j) & 1 else l ^ 1 for j, l in enumerate(part)))
                     for m in range(1 << len(part)) if bin(m).count("1") % 2]
            nxt.append(b.or_(*terms))
        layer = nxt
    b.output(layer[0], "parity")
    return b.build()


def _blocks_check() -> CheckResult:
    fails = []
    for n in (2, 3, 4, 8, 9, 16, 17, 32, 64):
        c = parity_blocks(n)
        size = max(2, (n - 1).bit_length())
        levels = int(sympy.ceiling(sympy.log(n) / sympy.log(size)))
        x = all_patterns(n) if n <= 12 else random_patterns(n, 512, n)
        if c.depth() != 2 * levels or not (c.compile().run_bool(x)[:, 0] == (x.sum(axis=1) % 2 == 1)).all():
            fails.append(f"n={n}: depth {c.depth()}, want {2 * levels}")
        if c.n_gates > n * 2 ** size + n:
            fails.append(f"n={n}: {c.n_gates} gates > n 2^b + n")
    return CheckResult(not fails, "n = 2..64: depth 2 ceil(log_b n), exhaustive up to 12 bits, 512 random patterns "
                       "above, size <= n 2^b + n", fails[0] if fails else "")


PARITY_BLOCKS = Claim(
    "arith.parity_ac0_blocks", "Parity has polynomial-size AND/OR circuits (unbounded fan-in) of depth "
    "2 ceil(log_b n) with b = max(2, ceil(log2 n)), O(log n / log log n): blocks of b bits as DNFs of 2^(b-1) "
    "minterms.", sympy.log(N) / sympy.log(sympy.log(N)), "parity", AND_OR, "upper", _blocks_check,
    ["exhaustive", "simulation"],
    [Step("size: n blocks of 2^b terms with b = log2 n is n^2", sympy.Symbol("n", positive=True)
          * 2 ** sympy.log(sympy.Symbol("n", positive=True), 2), sympy.Symbol("n", positive=True) ** 2)],
    proof="The parity of a block is the parity of its bits' parities; a DNF of the 2^(b-1) odd minterms has depth 2.",
    references=[HASTAD])


def _dnf_check() -> CheckResult:
    """Depth 2: every implicant of parity is a full minterm, so a DNF needs 2^(n-1) terms."""
    bad = []
    for n in range(1, 8):
        for mask in range((1 << n) - 1):  # a cube leaving some variable free
            for val in range(1 << n):
                if val & ~mask:
                    continue
                covered = [m for m in range(1 << n) if m & mask == val]
                if all(bin(m).count("1") % 2 for m in covered):
                    bad.append((n, mask, val))
    return CheckResult(not bad, "every cube on n = 1..7 variables: no implicant of parity leaves a variable free "
                       "(the depth-2 case of Hastad's bound, exhaustively)", f"implicant {bad[0]}" if bad else "")


PARITY_AC0 = Claim(
    "arith.parity_ac0_lower", "Polynomial-size AND/OR circuits (unbounded fan-in, negations free) for parity of n bits "
    "have depth Omega(log n / log log n): depth d needs size exp(Omega(n^(1/(d-1)))). Cited (Hastad); the check "
    "verifies the depth-2 case (a DNF needs 2^(n-1) terms) exhaustively.",
    sympy.log(N) / sympy.log(sympy.log(N)), "parity", AND_OR, "lower", _dnf_check, ["exhaustive"],
    [Step("size exp(n^(1/(d-1))) <= n^c forces d - 1 >= log n / log(c log n)",
          sympy.limit((sympy.log(sympy.Symbol("n", positive=True)) /
                       sympy.log(3 * sympy.log(sympy.Symbol("n", positive=True))))
                      / (sympy.log(sympy.Symbol("n", positive=True)) /
                         sympy.log(sympy.log(sympy.Symbol("n", positive=True)))),
                      sympy.Symbol("n", positive=True), sympy.oo), 1)],
    proof="Hastad's switching lemma; earlier Furst-Saxe-Sipser and Ajtai (superpolynomial).", references=[HASTAD, FSS])

MAJ_GATE = Claim(
    "arith.majority_gate", "Majority of n bits is one MAJ gate: depth exactly 1 with threshold gates.",
    sympy.Integer(1), "majority maj_gate", THRESHOLD, "exact",
    lambda: check_families([("majority", "maj_gate")], [1, 2, 3, 8, 65, 1025], count=128, solver_count=16),
    ["simulation"], [Step("one gate", sympy.Integer(1), 1)], covers=[("majority", "maj_gate")])


def _adder_tree_check() -> CheckResult:
    fam = get_problem("majority").family("adder_tree")
    fails = [n for n in (2, 3, 4, 8, 16, 33, 64, 100) if fam(n).to_aig().depth() > 2 * fam.claimed(n)]
    extra = CheckResult(not fails, "its AIG (an XOR is two AND levels) at n = 2..100 within twice the bound",
                        f"n = {fails[0]}" if fails else "")
    return _both(check_families([("majority", "adder_tree")], [2, 3, 5, 8, 16, 33, 64, 200], count=128, solver_count=8),
                 extra)


MAJ_TREE = Claim(
    "arith.majority_adder_tree", "Majority by a fan-in-2 popcount (carry-save tree and prefix adder) and a comparison: "
    "depth at most 6 ceil(log2 n) with fan-in-2 AND/OR/XOR gates, at most 12 ceil(log2 n) as an AIG (fan-in 2 "
    "AND/OR): Theta(log n) with fan-in 2.", 6 * LOG2N, "majority adder_tree", FANIN2_XOR, "upper", _adder_tree_check, ["simulation"],
    [Step("a Wallace tree has ceil(log_{3/2}(n/2)) levels <= 2 ceil(log2 n) (n = 2..200)",
          sympy.ceiling(sympy.log(N / 2) / sympy.log(sympy.Rational(3, 2))), 2 * LOG2N, "<=", over=(2, 200))],
    covers=[("majority", "adder_tree")])


_S, _NN, _J = sympy.symbols("s n j", integer=True)


def _majority_parity_check() -> CheckResult:
    """parity(x) = OR over odd j of ([sum >= j] AND NOT [sum >= j + 1]), each [sum >= j] a MAJ gate of x padded with constants."""
    bad = []
    for n in range(1, 11):
        b = CircuitBuilder()
        x = b.inputs(n)

        def at_least(j: int) -> int:  # MAJ over 2n - 1 inputs: x, n - j ones, j - 1 zeros -> strict majority iff sum >= j
            pad = [1] * (n - j) + [0] * (j - 1)
            return b.maj(*x, *pad)

        terms = [b.and_(at_least(j), at_least(j + 1) ^ 1) if j < n else at_least(j) for j in range(1, n + 1, 2)]
        b.output(terms[0] if len(terms) == 1 else b.or_(*terms))
        c = b.build()
        pats = all_patterns(n)
        if c.depth() > 3 or not (c.compile().run_bool(pats)[:, 0] == (pats.sum(axis=1) % 2 == 1)).all():
            bad.append(n)
    return CheckResult(not bad, "parity of n = 1..10 bits from MAJ gates of padded inputs, depth 3, every input",
                       f"wrong at n = {bad[0]}" if bad else "")


MAJ_AC0 = Claim(
    "arith.majority_not_ac0", "Majority is not in AC0: parity is an OR of ANDs of majorities of padded inputs (depth 3), "
    "so polynomial-size AND/OR circuits for majority need depth Omega(log n / log log n) (Hastad). Not in AC0[2] "
    "(Razborov) nor AC0[p] for any prime p (Smolensky): depth omega(1) with MOD_p gates at polynomial size.",
    sympy.log(N) / sympy.log(sympy.log(N)), "majority", AND_OR, "lower", _majority_parity_check, ["exhaustive"],
    [Step("[sum x >= j] is a strict majority of 2n - 1 inputs padded with n - j ones: 2 (s + n - j) - (2n - 1) "
          "= 2 (s - j) + 1 > 0 iff s >= j (integers)",
          sympy.expand(2 * (_S + _NN - _J) - (2 * _NN - 1)), 2 * (_S - _J) + 1)],
    proof="The reduction is checked; the AC0 bound for parity is Hastad's, the AC0[p] bounds Razborov's (p = 2) and "
          "Smolensky's (every prime p).", references=[HASTAD, RAZBOROV, SMOLENSKY])

ADD_CLA = Claim(
    "arith.add_cla", "Carry look-ahead adds two n-bit numbers in depth exactly 2, 3, 4 for n = 1, 2, >= 3 with "
    "unbounded fan-in AND/OR gates (AC0): c_i = OR_j (g_j AND p_(j+1) ... AND p_(i-1)).",
    sympy.Piecewise((2, N < 2), (3, N < 3), (4, True)), "add carry_lookahead", AND_OR, "exact",
    lambda: check_families([("add", "carry_lookahead")], [1, 2, 3, 8, 64, 128], count=128, solver_count=16),
    ["simulation"], [Step("the carry formula has an OR of n ANDs: 2 levels, plus the generate/propagate and sum levels",
                          sympy.Integer(2) + 2, 4)], covers=[("add", "carry_lookahead")])
ADD_RIPPLE = Claim(
    "arith.add_ripple", "The serial adder (1-bit carry state, a bit pair per step, one padding step) has serial depth "
    "exactly n + 1.", N + 1, "add ripple", AND_OR_MOD, "exact",
    lambda: check_families([("add", "ripple")], [1, 2, 9, 64], count=64), ["simulation"],
    [Step("n + 1 steps of depth 1", sympy.summation(1, (k, 1, N + 1)), N + 1)], covers=[("add", "ripple")])
IADD_THR = Claim(
    "arith.iadd_threshold", "The sum of n n-bit numbers in depth exactly 2 with threshold gates (per output bit: "
    "[T_j >= k 2^j] then one alternating threshold gate).", sympy.Integer(2), "iadd threshold", THRESHOLD, "exact",
    lambda: check_families([("iadd", "threshold")], [2, 3, 4, 8, 16], count=64, solver_count=8), ["simulation"],
    [Step("bit j of T is sum_k (-1)^(k+1) [T >= k 2^j] over k <= T / 2^j (T = 13, j = 2)",
          sum((-1) ** (kk + 1) * int(13 >= kk * 4) for kk in range(1, 5)), (13 >> 2) & 1)],
    covers=[("iadd", "threshold")])


def _iadd_tree_check() -> CheckResult:
    fam = get_problem("iadd").family("adder_tree")
    fails = [n for n in (2, 3, 4, 8, 16, 24) if fam(n).to_aig().depth() > 2 * fam.claimed(n)]
    extra = CheckResult(not fails, "its AIG at n = 2..24 within twice the bound (an XOR is two AND levels)",
                        f"n = {fails[0]}" if fails else "")
    return _both(check_families([("iadd", "adder_tree")], [2, 3, 4, 6, 8, 16, 24], count=64, solver_count=8), extra)


IADD_TREE = Claim(
    "arith.iadd_adder_tree", "Iterated addition by a fan-in-2 carry-save tree and a Kogge-Stone adder: depth at most "
    "8 ceil(log2 n) with fan-in-2 AND/OR/XOR gates, at most 16 ceil(log2 n) as an AIG: Theta(log n) with fan-in 2.",
    8 * LOG2N, "iadd adder_tree", FANIN2_XOR, "upper", _iadd_tree_check, ["simulation"],
    [Step("n numbers of n bits: the sum has n + ceil(log2 n) bits, so the prefix adder has O(log n) levels",
          sympy.ceiling(sympy.log(2 * N, 2)), LOG2N + 1, "<=", over=(1, 300))], covers=[("iadd", "adder_tree")])


def _iadd_majority_check() -> CheckResult:
    """majority(x_1..x_m) is the top bit of an iadd instance: the m bits as numbers, plus 2^L - t."""
    prob = get_problem("iadd")
    rng = np.random.default_rng(11)
    bad = []
    for m in (3, 4, 5, 7):
        n = m + 1
        t = m // 2 + 1
        L = n + (n - 1).bit_length() - 1   # the top bit of the sum's n + ceil(log2 n) bits
        c = (1 << L) - t
        if c >= 1 << n:
            continue
        for _ in range(20):
            x = rng.integers(0, 2, m)
            nums = np.zeros((n, n), bool)
            nums[:m, 0] = x
            nums[m] = [(c >> j) & 1 for j in range(n)]
            top = bool(prob.solve({"x": nums})[L])
            if top != (2 * int(x.sum()) > m):
                bad.append((m, x.tolist()))
    return CheckResult(not bad, "majority of m = 3..7 bits as the top bit of an iadd instance (the reference solver, "
                       "20 random inputs each)", f"wrong on {bad[0]}" if bad else "")


IADD_AC0 = Claim(
    "arith.iadd_not_ac0", "Iterated addition is not in AC0: majority of m bits is the top bit of the sum of the bits "
    "and the constant 2^L - ceil((m+1)/2), so polynomial-size AND/OR circuits need depth omega(1) (arith.majority_not_ac0).",
    sympy.Symbol("omega(1)"), "iadd", AND_OR, "lower", _iadd_majority_check, ["simulation"],
    [Step("x + 2^L - t >= 2^L iff x >= t", sympy.simplify(sympy.Symbol("x") + 2 ** sympy.Symbol("L") - sympy.Symbol("t")
                                                          - 2 ** sympy.Symbol("L")), sympy.Symbol("x") - sympy.Symbol("t"))],
    references=[HASTAD])


def _timelock_check() -> CheckResult:
    fam = get_problem("timelock").family("looped")
    fails = []
    for n in (3, 4, 5, 6):
        lc = fam(n)
        if lc.step_depth() > 16 * (2 * n - 1) or fam.serial_depth(n) != n * lc.step_depth():
            fails.append(f"n={n}: step depth {lc.step_depth()}, serial {fam.serial_depth(n)}")
    return _both(check_families([("timelock", "looped")], [3, 4, 6], count=16), CheckResult(
        not fails, "step depth <= 16 (2n - 1) and serial depth = t x step depth at n = 3..6", fails[0] if fails else ""))


TIMELOCK_LOOPED = Claim(
    "arith.timelock_looped", "The built time-lock family: t = n modular squarings of 2n-bit numbers, each a shift-and-add "
    "squaring with carry look-ahead adders of depth at most 16 (2n - 1) with AND/OR gates: serial depth at most "
    "16 n (2n - 1), O(n^2).", 16 * N * (2 * N - 1), "timelock looped", AND_OR, "upper", _timelock_check,
    ["simulation"], [Step("t = n steps of at most 16 (2n - 1)", sympy.summation(16 * (2 * N - 1), (k, 1, N)),
                          16 * N * (2 * N - 1))], covers=[("timelock", "looped")])


def _composition_check() -> CheckResult:
    from serialcomp.problems.timelock.modarith import iterated_squaring_looped

    n = 4
    lc = iterated_squaring_looped(2 * n)
    fails = []
    for t in (1, 2, 3):
        if lc.unroll(t).depth() != t * lc.step_depth():
            fails.append(f"t={t}: unrolled depth {lc.unroll(t).depth()}")
    return CheckResult(not fails, "the squaring loop at n = 4 unrolled t = 1..3 times has depth t x step depth "
                       "(composition adds depth; what threshold squarings would make O(t))", fails[0] if fails else "")


TIMELOCK_TC0 = Claim(
    "arith.timelock_tc0_step", "Cited, not built: with threshold gates one modular squaring x^2 mod N (N an input) has "
    "constant depth (multiplication and division are in uniform TC0), so t squarings have depth O(t): O(n) for t = n. "
    "This project builds only the AND/OR loop of arith.timelock_looped, O(n^2).", N, "timelock", THRESHOLD, "upper",
    _composition_check, ["simulation"],
    [Step("t steps of constant depth c", sympy.summation(sympy.Symbol("c"), (k, 1, N)), sympy.Symbol("c") * N)],
    proof="Hesse, Allender and Barrington 2002 (division in uniform TC0); depths of composed steps add.",
    references=[HAB])


def _rsw_evidence() -> CheckResult:
    from serialcomp.problems.timelock.numbers import timelock_naive, timelock_shortcut

    prob = get_problem("timelock")
    inst = prob.sample(16, 8, seed=2, t=40, include_factors=True)
    from serialcomp.problems.bits import bits_to_int

    xs, ns = bits_to_int(inst.inputs["x"]), bits_to_int(inst.inputs["modulus"])
    ps, qs = bits_to_int(inst.meta["p"]), bits_to_int(inst.meta["q"])
    ok = all(timelock_naive(x, 40, m) == timelock_shortcut(x, 40, p, q) for x, m, p, q in zip(xs, ns, ps, qs))
    return CheckResult(ok, "evidence only: the trapdoor (phi(N) from the factors) gives the t-squaring answer, on 8 "
                       "instances with 16-bit primes, t = 40", "" if ok else "the shortcut disagrees")


TIMELOCK_RSW = Claim(
    "arith.timelock_rsw", "Conjecture (the RSW time-lock assumption, a cryptographic assumption not implied by P != NC): "
    "without the factors of N no polynomial-size circuit computes x^(2^t) mod N in depth much below t, so depth about "
    "t = n. Only the trivial lower bound is proven.", N, "timelock", THRESHOLD, "conjecture", _rsw_evidence,
    ["simulation"], references=[RSW])


CLAIMS = [PARITY_TREE, PARITY_THR, PARITY_STREAM, PARITY_GATE, PARITY_BLOCKS, PARITY_AC0, MAJ_GATE, MAJ_TREE,
          MAJ_AC0, ADD_CLA, ADD_RIPPLE, IADD_THR, IADD_TREE, IADD_AC0, TIMELOCK_LOOPED, TIMELOCK_TC0, TIMELOCK_RSW]


def test_claim(claim):
    """Every claim of this group verifies (derivation and check)."""
    result = claim.run()
    assert result.status == "verified", f"{claim.id}: {result.detail}"


def test_parity_blocks_against_naive_evaluator():
    """Theorem (arith.parity_ac0_blocks): the block circuit computes parity; the naive evaluator agrees."""
    from serialcomp.testing.reference import evaluate_reference

    c = parity_blocks(9)
    x = all_patterns(9)
    assert (evaluate_reference(c, x)[:, 0] == (x.sum(axis=1) % 2 == 1)).all()
