"""Lower bounds with bounded fan-in, certified: the cone of influence (on every family, and on the
problems through witness pairs of their reference solvers), Khrapchenko's bound for parity and
majority, and a SAT-certified table of minimum depths of tiny functions.

With fan-in ``k`` an output at depth ``d`` reads at most ``k^d`` inputs, so an output that depends
on ``m`` inputs has depth at least ``ceil(log_k m)``. This is the ``Omega(log n)`` that holds for the
word problem over S5 with fan-in 2 and fails with unbounded fan-in (``fanin.separation``).

The SAT table (rows ``sat.*``): the minimum depth in the basis AND/OR with fan-in 2 and free
negations, certified by an UNSAT answer of python-sat's CaDiCaL at ``d - 1`` (a complete encoding:
every depth-``d`` circuit unfolds to a complete binary tree) and a circuit of depth ``d`` verified
by simulation on every input. Where the solver does not decide ``d - 1`` within the budget of a
check (parity and MOD3 of 5 bits at depth 5), the row is an interval, and says so.
"""

from __future__ import annotations

import numpy as np
import sympy

from serialcomp.claims import FANIN2, THRESHOLD, CheckResult, Claim, DepthModel, Step
from serialcomp.ir.family import N
from serialcomp.problems import get_problem, list_problems
from serialcomp.problems.bits import bits_of
from serialcomp.testing.claims import run_property
from serialcomp.testing.lower_bounds import (cone_depth_bound, essential_inputs, khrapchenko_depth_bound,
                                             khrapchenko_measure)
from serialcomp.testing.patterns import all_patterns
from serialcomp.testing.strategies import circuits

KHRAPCHENKO = ("Khrapchenko. Complexity of the realization of a linear function in the class of pi-circuits. "
               "Math. Notes Acad. Sci. USSR 9(1), 1971")
k, m, d = sympy.symbols("k m d", integer=True, positive=True)
LOG2N = sympy.ceiling(sympy.log(N, 2))
FANIN_K = DepthModel(("AND", "OR", "XOR", "MAJ", "THR", "MOD"), 2, False, "fan-in k")


def _both(*results: CheckResult) -> CheckResult:
    bad = [r for r in results if not r.ok]
    return CheckResult(not bad, "; ".join(r.checked for r in results), bad[0].detail if bad else "")


def _trivial_check() -> CheckResult:
    """Depth 0 circuits compute literals and constants: none of the 10 functions of 2 inputs that depend on both."""
    pats = all_patterns(2)
    literals = {tuple(v) for v in (pats[:, 0], ~pats[:, 0], pats[:, 1], ~pats[:, 1],
                                   np.zeros(4, bool), np.ones(4, bool))}
    both = [tt for tt in (tuple(bool(b >> i & 1) for i in range(4)) for b in range(16))
            if tt[0] != tt[1] or tt[2] != tt[3]]  # depends on input 0 (or 1 below)
    both = [tt for tt in both if (tt[0] != tt[2] or tt[1] != tt[3]) and (tt[0] != tt[1] or tt[2] != tt[3])]
    deps = [tt for tt in both if not (tt[0] == tt[1] and tt[2] == tt[3]) and not (tt[0] == tt[2] and tt[1] == tt[3])]
    ok = len(deps) == 10 and not any(tt in literals for tt in deps)
    return CheckResult(ok, "every Boolean function of 2 inputs (exhaustive): the 10 that depend on both inputs are "
                       "neither literals nor constants", "" if ok else "a depth-0 circuit computes one")


TRIVIAL = Claim(
    "fanin.trivial_lower", "A function that depends on two or more inputs needs depth at least 1 in every model (a "
    "depth-0 circuit is a literal or a constant): the lower bound 1 of every problem here.", sympy.Integer(1),
    "every problem", THRESHOLD, "lower", _trivial_check, ["exhaustive"],
    [Step("2^(2^2) functions of 2 inputs", 2 ** (2**2), 16)])


def _cone_theorem_check() -> CheckResult:
    def prop(c):
        ess = essential_inputs(c)
        for kk in (2, 3):
            depths = list(c.output_depths(fanin=kk).values())
            for j, inputs in enumerate(ess):
                assert depths[j] >= cone_depth_bound(len(inputs), kk), (kk, j, depths[j], len(inputs))

    return run_property(prop, circuits(min_inputs=1, max_inputs=7, max_gates=20, max_fanin=6), max_examples=60,
                        what="random circuits (every gate kind), every input pattern, fan-in views k = 2, 3")


CONE = Claim(
    "fanin.cone_theorem", "In the fan-in-k view (a gate of fan-in f costs ceil(log_k f) levels) an output that depends "
    "on m inputs has depth at least ceil(log_k m).", sympy.Ge(d, sympy.ceiling(sympy.log(m) / sympy.log(k))),
    "every circuit", FANIN_K, "lower", _cone_theorem_check, ["hypothesis", "exhaustive"],
    [Step("induction: a depth-d output reads at most k^d inputs, and k^d >= m iff d >= log_k m; "
          "k^ceil(log_k m) >= m for k = 2, m = 1..300", 2 ** sympy.ceiling(sympy.log(m, 2)), m, ">=", over=(1, 300),
          symbol=m)],
    proof="A level of the fan-in-k view multiplies the inputs an output can read by at most k (a gate of fan-in f "
          "costs ceil(log_k f) levels, and k^ceil(log_k f) >= f).")


def _zoo_keys() -> list[str]:
    return list(list_problems()) + ["word:Z5"]


def _family_cones_check() -> CheckResult:
    from serialcomp.zoo import zoo_circuit, zoo_sizes

    fails, count = [], 0
    for key in _zoo_keys():
        prob = get_problem(key)
        for fam in prob.families():
            for n in zoo_sizes(key)[:2]:
                try:
                    circ, _ = zoo_circuit(fam, n)
                except Exception:
                    continue  # a family that does not build at this size (checked by its own claim)
                if circ.n_gates > 60000:
                    continue
                ess = essential_inputs(circ, samples=128, seed=n)
                depths = list(circ.output_depths(fanin=2).values())
                count += 1
                for j, inputs in enumerate(ess):
                    if depths[j] < cone_depth_bound(len(inputs), 2):
                        fails.append(f"{key} {fam.name} n={n} output {j}")
    return CheckResult(not fails, f"{count} circuits: every family of every problem at its two smallest zoo sizes, "
                       "essential inputs by simulation (exhaustive up to 12 inputs, else 128 random patterns)",
                       fails[0] if fails else "")


FAMILY_CONES = Claim(
    "fanin.cone_families", "Every family's circuit (looped ones unrolled) satisfies the cone bound: each output's "
    "fan-in-2 depth is at least ceil(log2 m), m the inputs it is found to depend on by simulation.",
    sympy.Ge(d, sympy.ceiling(sympy.log(m, 2))), "every family", FANIN_K, "lower", _family_cones_check,
    ["simulation", "exhaustive"],
    proof="fanin.cone_theorem for each circuit: an input counted was seen to change the output (two patterns that "
          "differ in it alone), so the m found are among the inputs the output depends on, and ceil(log2 m) is at "
          "most the theorem's bound.")


def _target_bits(prob, value) -> np.ndarray:
    if hasattr(prob, "monoid"):
        return bits_of(np.array([int(value)]), prob.monoid.bits_per_element).reshape(-1).astype(bool)
    return np.atleast_1d(np.asarray(value)).astype(bool).reshape(-1)


PROBLEM_SIZES = {"parity": (8, 64), "majority": (9, 33), "add": (8, 32), "iadd": (4, 6), "word:Z5": (8, 16),
                 "word:S3": (8, 16), "word:A4xZ5": (8, 16), "word:A5": (8, 16), "word:S5": (8, 16),
                 "word:flipflop": (8, 16), "ca:rule110": (9, 15), "ca:rule30": (9, 15)}


def problem_cone(key: str, n: int, count: int = 48, seed: int = 0) -> tuple[int, int]:
    """``(m, bound)``: the most input bits one output bit of ``key`` at size ``n`` is certified to depend on,
    each by a witness pair of valid instances solved by the reference solver, and ``ceil(log2 m)``."""
    from serialcomp.errors import ProblemParameterError

    prob = get_problem(key)
    inst = prob.sample(n, count, seed)
    bits = prob.encode_bits(inst)
    params = inst.params
    base = [_target_bits(prob, inst.solve(i)) for i in range(count)]
    essential = np.zeros((len(base[0]), bits.shape[1]), dtype=bool)
    for i in range(bits.shape[1]):
        flipped = bits.copy()
        flipped[:, i] ^= True
        for r in range(count):
            if essential[:, i].all():
                break
            try:
                rec = prob.decode_bits(flipped[r:r + 1], n, **params)
            except ProblemParameterError:
                continue  # not a valid instance: no witness here
            rec = {name: v[0] for name, v in rec.items()}
            essential[:, i] |= _target_bits(prob, prob.solve(rec, **params)) != base[r]
    best = int(essential.sum(axis=1).max())
    return best, cone_depth_bound(best, 2)


def _problem_cones_check() -> CheckResult:
    rows, fails = [], []
    for key, ns in PROBLEM_SIZES.items():
        for n in ns:
            m_, bound = problem_cone(key, n)
            rows.append(f"{key} n={n}: m={m_}, depth >= {bound}")
            if bound < cone_depth_bound(n, 2):
                fails.append(f"{key} n={n}: only {m_} inputs certified")
    return CheckResult(not fails, "; ".join(rows), fails[0] if fails else "")


PROBLEM_CONES = Claim(
    "fanin.problem_cones", "With fan-in 2 (any gates of fan-in 2), parity, majority, add, iadd, every word problem and "
    "rules 110 and 30 need depth at least ceil(log2 m) >= ceil(log2 n): one output bit depends on m input bits, each "
    "certified by two valid instances that differ in that bit only and that the reference solver answers "
    "differently (m is what the sampled witnesses certify; the proof gives m >= n). So Omega(log n) with fan-in 2.", LOG2N, "parity, majority, add, iadd, word:*, ca:rule110/30",
    FANIN2, "lower", _problem_cones_check, ["simulation"],
    [Step("m >= n implies ceil(log2 m) >= ceil(log2 n): monotone (n = 1..300)", sympy.ceiling(sympy.log(N + 1, 2)),
          LOG2N, ">=", over=(1, 300))],
    proof="For a group, changing one letter changes the product (x a y = x b y iff a = b), so every letter matters to "
          "the product; the checked certificates find the bits. Parity and majority depend on every bit; the top bit "
          "of a sum on every bit; the centre cell of rules 110 and 30 on every cell of the ring for t = n.")


def _khr_parity_check() -> CheckResult:
    fails = []
    for n in range(1, 11):
        tt = all_patterns(n).sum(axis=1) % 2 == 1
        if khrapchenko_measure(tt) != n * n:
            fails.append(f"measure at n={n}")
    fam = get_problem("parity").family("xor_tree")
    for n in range(2, 65):
        lower = int(sympy.ceiling(2 * sympy.log(n, 2)))
        aig = fam(n).to_aig().depth()
        if aig < lower or aig != 2 * int(LOG2N.subs(N, n)) or (n & (n - 1) == 0 and aig != lower):
            fails.append(f"n={n}: AIG depth {aig}, lower bound {lower}")
    return CheckResult(not fails, "the measure of parity is n^2 for n = 1..10 (every input); the XOR tree as an AIG "
                       "has depth 2 ceil(log2 n) >= ceil(2 log2 n) for n = 2..64, equal at powers of 2",
                       fails[0] if fails else "")


KHR_PARITY = Claim(
    "fanin.khrapchenko_parity", "Every fan-in-2 AND/OR circuit (negations free) for parity of n bits has depth at least "
    "ceil(2 log2 n): formulas need n^2 leaves (Khrapchenko). The XOR tree meets it at powers of 2: depth exactly "
    "2 log2 n there.", sympy.ceiling(2 * sympy.log(N, 2)), "parity", FANIN2, "lower", _khr_parity_check,
    ["exhaustive", "simulation"],
    [Step("|E(A,B)| = n 2^(n-1), |A| = |B| = 2^(n-1): measure = n^2",
          (N * 2 ** (N - 1)) ** 2 / (2 ** (N - 1) * 2 ** (N - 1)), N**2),
     Step("2^d leaves >= n^2 iff d >= 2 log2 n", sympy.log(N**2, 2), 2 * sympy.log(N, 2))],
    proof="Khrapchenko's bound L(f) >= |E(A,B)|^2 / (|A||B|); a depth-d circuit unfolds to a formula of <= 2^d "
          "leaves.", references=[KHRAPCHENKO])


def _khr_majority_check() -> CheckResult:
    fails = []
    for n in range(3, 14, 2):
        p = all_patterns(n)
        w = p.sum(axis=1)
        mm = (n - 1) // 2
        meas = khrapchenko_measure(2 * w > n, ones=w == mm + 1, zeros=w == mm)
        if meas != (mm + 1) ** 2 or khrapchenko_depth_bound(2 * w > n, w == mm + 1, w == mm) != int(
                sympy.ceiling(2 * sympy.log(mm + 1, 2))):
            fails.append(f"n={n}: measure {meas}")
    return CheckResult(not fails, "the middle-layer measure of majority is ((n+1)/2)^2 for odd n = 3..13 (every input)",
                       fails[0] if fails else "")


KHR_MAJORITY = Claim(
    "fanin.khrapchenko_majority", "Majority of n = 2m + 1 bits needs formulas of (m+1)^2 leaves, so fan-in-2 AND/OR "
    "depth at least ceil(2 log2 ((n+1)/2)) (Khrapchenko on the two middle layers).",
    sympy.ceiling(2 * sympy.log((N + 1) / 2, 2)), "majority", FANIN2, "lower", _khr_majority_check, ["exhaustive"],
    [Step("|E| = C(n, m+1)(m+1), |A| = C(n, m+1), |B| = C(n, m): measure = (m+1)^2 at n = 2m+1",
          sympy.simplify(sympy.combsimp((sympy.binomial(2 * m + 1, m + 1) * (m + 1)) ** 2
                                        / (sympy.binomial(2 * m + 1, m + 1) * sympy.binomial(2 * m + 1, m)))),
          (m + 1) ** 2, symbol=m)],
    references=[KHRAPCHENKO])


def _separation_check() -> CheckResult:
    blocks = get_problem("word:S5").family("blocks").claimed_depth
    rows, fails = [], []
    for e in (20, 40, 80):
        n = 2**e
        b = int(blocks.subs(N, n))
        rows.append(f"n = 2^{e}: blocks {b}, fan-in-2 lower bound {e}")
        if b >= e:
            fails.append(rows[-1])
    return CheckResult(not fails, "; ".join(rows), fails[0] if fails else "")


SEPARATION = Claim(
    "fanin.separation", "word:S5 separates the models: with fan-in 2 its depth is Theta(log n) (fanin.problem_cones, "
    "words.fixed), with unbounded fan-in AND/OR it is O(log n / log log n) (words.blocks_asymptotic): the ratio grows "
    "without bound, so 'Omega(log n)' is true in one model and false in the other.",
    sympy.oo, "word:S5", FANIN2, "separation", _separation_check, ["simulation"],
    lambda: [Step("log2 n / (2 log n / log log2 n + 6) -> oo",
                  sympy.limit(sympy.log(sympy.Symbol("n", positive=True), 2)
                              / (2 * sympy.log(sympy.Symbol("n", positive=True))
                                 / sympy.log(sympy.log(sympy.Symbol("n", positive=True), 2)) + 6),
                              sympy.Symbol("n", positive=True), sympy.oo), sympy.oo)])


# ---------------------------------------------------------------------------------------------
# the SAT table
# ---------------------------------------------------------------------------------------------

MOD3_5_DEPTH6 = ("aag 63 5 0 1 58\n2\n4\n6\n8\n10\n126\n12 3 9\n14 5 6\n16 13 14\n18 2 7\n20 19 10\n22 17 20\n24 2 6\n"
                 "26 25 5\n28 2 6\n30 8 11\n32 29 30\n34 27 33\n36 23 35\n38 2 9\n40 2 11\n42 39 41\n44 4 6\n46 9 11\n"
                 "48 45 47\n50 43 48\n52 3 11\n54 53 5\n56 3 10\n58 2 10\n60 57 58\n62 55 61\n64 51 63\n66 37 64\n"
                 "68 3 10\n70 6 8\n72 69 70\n74 5 9\n76 7 10\n78 75 77\n80 73 78\n82 2 11\n84 5 6\n86 83 85\n88 2 4\n"
                 "90 9 10\n92 89 90\n94 86 93\n96 81 94\n98 2 5\n100 7 11\n102 99 101\n104 2 4\n106 7 9\n"
                 "108 104 107\n110 103 108\n112 3 10\n114 3 113\n116 4 8\n118 117 6\n120 115 118\n122 111 121\n"
                 "124 97 122\n126 67 125\n")
"""A depth-6 AIG for [x1 + ... + x5 = 0 mod 3], found once by the solver at depth 6 (12 s); the check
re-verifies it by simulation on all 32 inputs."""


def _table(name: str):
    """(truth tables, care mask, upper-bound circuit or None, prove_up_to) of a SAT row."""
    if name.startswith(("parity", "majority", "mod3_")):
        n = int(name[-1])
        p = all_patterns(n)
        w = p.sum(axis=1)
        tt = {"parity": w % 2 == 1, "majority": 2 * w > n, "mod3_": w % 3 == 0}[name[:-1]]
        upper, up_to = None, None
        if name == "parity5":
            upper, up_to = get_problem("parity").family("xor_tree")(5).to_aig(), 4
        if name == "mod3_5":
            from serialcomp.io.aiger_read import loads_aiger

            upper, up_to = loads_aiger(MOD3_5_DEPTH6), 4
        return tt, None, upper, up_to
    if name == "s3_product2":
        prob = get_problem("word:S3")
        table = prob.monoid.table
        p = all_patterns(6)
        a, b = p[:, :3] @ np.array([1, 2, 4]), p[:, 3:] @ np.array([1, 2, 4])
        care = (a < 6) & (b < 6)
        prod = np.where(care, table[np.minimum(a, 5), np.minimum(b, 5)], 0)
        return np.stack([(prod >> j) & 1 == 1 for j in range(3)]), care, None, None
    if name == "rule110_step":
        p = all_patterns(3)  # inputs: left, centre, right
        return (110 >> (4 * p[:, 0] + 2 * p[:, 1] + p[:, 2])) & 1 == 1, None, None, None
    raise KeyError(name)  # pragma: no cover


def _sat_check(name: str):
    def check() -> CheckResult:
        from serialcomp.testing.mindepth import MinDepthUnavailable, certify_depth

        tt, care, upper, up_to = _table(name)
        try:
            cert = certify_depth(tt, care, name=name, upper=upper, prove_up_to=up_to, time_limit=90)
        except MinDepthUnavailable as exc:
            return CheckResult(False, name, str(exc), skipped="python-sat" in str(exc))
        data = {"min_depth": cert.min_depth, "lower": cert.lower, "upper": cert.upper, "basis": cert.basis,
                "unsat": list(cert.unsat)}
        want = SAT_ROWS[name]
        ok = (cert.lower, cert.upper) == want and cert.circuit.depth(fanin=2) == cert.upper
        cares = " (the don't-cares left free)" if care is not None else ""
        how = (f"UNSAT at depths {', '.join(map(str, cert.unsat)) or 'none'}; a depth-{cert.upper} circuit verified "
               f"on every input{cares}")
        detail = "" if ok else f"bounds {(cert.lower, cert.upper)}, expected {want}"
        return CheckResult(ok, how, detail, data)

    return check


#: name -> (lower, upper) certified; equal means the minimum is certified.
SAT_ROWS = {
    "parity3": (4, 4), "parity4": (4, 4), "parity5": (5, 6),
    "majority3": (3, 3), "majority4": (3, 3), "majority5": (5, 5),
    "mod3_3": (3, 3), "mod3_4": (4, 4), "mod3_5": (5, 6),
    "s3_product2": (5, 5), "rule110_step": (3, 3),
}
_SUBJECTS = {
    "parity": "parity of {n} bits", "majority": "strict majority of {n} bits", "mod3_": "[sum of {n} bits = 0 mod 3]",
}


def _sat_claim(name: str) -> Claim:
    lo, hi = SAT_ROWS[name]
    if name == "s3_product2":
        subject, n = "S3 product of 2 letters (3 output bits, 36 valid inputs of 64)", 2
    elif name == "rule110_step":
        subject, n = "one rule-110 cell update (left, centre, right)", 3
    else:
        n = int(name[-1])
        subject = _SUBJECTS[name[:-1]].format(n=n)
    if lo == hi:
        statement = (f"The minimum depth of {subject} with fan-in-2 AND/OR gates (negations free) is {lo}: no circuit of "
                     f"depth {lo - 1} exists (UNSAT), one of depth {lo} does (simulated).")
        formula, kind = sympy.Integer(lo), "exact"
    else:
        statement = (f"The depth of {subject} with fan-in-2 AND/OR gates (negations free) is at least {lo} (UNSAT at "
                     f"depth {lo - 1}) and at most {hi} (a circuit, simulated); whether {lo} is reached is not decided "
                     "within the check's budget (the solver ran longer than ten minutes at that depth).")
        formula, kind = sympy.Interval(lo, hi), "lower"
    return Claim(f"sat.{name}", statement, formula, subject, FANIN2, kind, _sat_check(name), ["sat", "exhaustive"],
                 n=n, extra={"basis": "AND/OR, fan-in 2, NOT free"},
                 proof="Complete tree encoding with pass nodes and subtree-key symmetry breaking "
                       "(serialcomp.testing.mindepth).")


SAT_CLAIMS = [_sat_claim(name) for name in SAT_ROWS]

CLAIMS = [TRIVIAL, CONE, FAMILY_CONES, PROBLEM_CONES, KHR_PARITY, KHR_MAJORITY, SEPARATION, *SAT_CLAIMS]


def test_claim(claim):
    """Every claim of this group verifies (derivation and check)."""
    result = claim.run()
    assert result.status == "verified", f"{claim.id}: {result.detail}"


def test_sat_table_is_consistent_with_khrapchenko_and_cones():
    """Theorem: the SAT lower bounds dominate Khrapchenko's and the cone bounds (all three are lower bounds of
    the same quantity, and the SAT one is exact when certified); checked on every row's truth table."""
    for name, (lo, _) in SAT_ROWS.items():
        tt, care, _, _ = _table(name)
        tts = np.atleast_2d(tt)
        for row in tts:
            if care is None:
                assert khrapchenko_depth_bound(row) <= lo, name
        inputs = int(np.log2(tts.shape[1]))
        assert cone_depth_bound(inputs, 2) <= lo, name
