"""Word problems over finite groups and monoids: the depth of every family, the shortcuts of solvable
groups, block products, Barrington's reduction, and what is proven or conjectured in each model.

The model matters. With unbounded fan-in AND/OR gates the word problem over S5 has depth
``O(log n / log log n)`` at polynomial size (``words.blocks_asymptotic``) and needs
``Omega(log n / log log n)`` (``words.not_ac0``); with threshold gates nothing better than the
trivial lower bound is proven, and constant depth is excluded only by the conjecture TC0 != NC1
(``words.nc1_conjecture``); with fan-in 2, ``Omega(log n)`` is proven (``fanin.problem_cones``).
Solvable groups (S3, A4 x Z5) have constant-depth circuits with MOD gates (``words.shortcut``):
the separation of Liu et al.'s "shortcuts to automata", measured.
"""

from __future__ import annotations

import numpy as np
import sympy
from hypothesis import strategies as st
from sympy.combinatorics import Permutation, PermutationGroup

from serialcomp.claims import AND_OR, AND_OR_MOD, FANIN2, THRESHOLD, CheckResult, Claim, Step
from serialcomp.ir.family import N
from serialcomp.problems import get_problem
from serialcomp.problems.words import fanin2_tree_depth
from serialcomp.problems.words.block_products import block_size
from serialcomp.problems.words.shortcuts import split_metabelian
from serialcomp.testing.claims import check_families, evaluate_formula, formulas, run_property, words

LIU = ("Liu, Ash, Goel, Krishnamurthy, Zhang. Transformers learn shortcuts to automata. ICLR 2023 "
       "(O(log T) depth for every automaton, O(1) for those whose groups are solvable)")
BARRINGTON = ("Barrington. Bounded-width polynomial-size branching programs recognize exactly those languages "
              "in NC1. J. Comput. Syst. Sci. 38(1), 1989")
BT = "Barrington, Therien. Finite monoids and the fine structure of NC1. J. ACM 35(4), 1988"
HASTAD = "Hastad. Almost optimal lower bounds for small depth circuits. STOC 1986"
SMOLENSKY = "Smolensky. Algebraic methods in the theory of lower bounds for Boolean circuit complexity. STOC 1987"

GROUPS = ["word:Z5", "word:S3", "word:A4xZ5", "word:A5", "word:S5"]
ALL = ["word:Z2", *GROUPS, "word:flipflop"]
LOG2N = sympy.ceiling(sympy.log(N, 2))
k = sympy.Symbol("k", integer=True, positive=True)
c = sympy.Symbol("c", integer=True, nonnegative=True)


def _sizes(key: str) -> list[int]:
    """Sizes to measure: groups of 60 or 120 elements have large trees, so stop at 16 letters."""
    return [1, 2, 3, 5, 8, 16] if get_problem(key).monoid.size >= 60 else [1, 2, 3, 5, 8, 16, 33]


def _perm(problem, e: int) -> Permutation:
    """The element ``e`` of a word problem's monoid as a sympy Permutation (``p * q``: p first)."""
    return Permutation(problem.monoid.perms(np.array([e]))[0].tolist())


def _index(problem, perm: Permutation) -> int:
    g = problem.monoid
    row = perm.array_form + list(range(len(perm.array_form), g.degree))
    return int(g.index(np.array(row))[()])


def _sympy_product(problem, word) -> int:
    """The product of ``word`` by sympy's permutation multiplication (x1 first)."""
    p = Permutation(list(range(problem.monoid.degree)))
    for e in word:
        p = p * _perm(problem, e)
    return _index(problem, p)


def _circuit_product(circuit, problem, word) -> int:
    w = problem.monoid.bits_per_element
    bits = np.array([[(e >> j) & 1 for e in word for j in range(w)]], dtype=bool)
    out = circuit.evaluate(bits)[0]
    return int(sum(int(v) << j for j, v in enumerate(out)))


def _agrees_with_sympy(key: str, family: str, max_len: int, examples: int) -> CheckResult:
    """Property: the family's circuit on a random word outputs the product sympy computes."""
    prob = get_problem(key)
    fam = prob.family(family)

    def prop(word):
        got = _circuit_product(fam(len(word)), prob, word)
        assert got == _sympy_product(prob, word) == prob.solve({"word": np.array(word)}), word

    return run_property(prop, words(prob.monoid.size, 1, max_len), max_examples=examples,
                        what=f"random words over {key} (sympy permutation products)")


def _both(*results: CheckResult) -> CheckResult:
    bad = [r for r in results if not r.ok]
    return CheckResult(not bad, "; ".join(r.checked for r in results), bad[0].detail if bad else "")


# ---------------------------------------------------------------------------------------------
# the families
# ---------------------------------------------------------------------------------------------

def _tree_steps() -> list[Step]:
    T = sympy.Function("T")
    closed = sympy.rsolve(T(k) - T(k - 1) - 2, T(k), {T(1): 2 + c})
    formula = 2 * LOG2N + c
    return [
        Step("T(k) = T(k-1) + 2, T(1) = 2 + c (one level of composition blocks per doubling) solves to 2k + c",
             closed, 2 * k + c),
        Step("the claim at n = 2^k is 2k + c", formula.subs(N, 2**k), 2 * k + c),
        Step("induction: D(n) = D(ceil(n/2)) + 2 for n = 3..256", formula, formula.subs(N, sympy.ceiling(N / 2)) + 2,
             over=(3, 256)),
    ]


TREE = Claim(
    "words.tree", "The balanced product tree of word:G has depth exactly 2 ceil(log2 n) + c for n >= 2 (0 for n = 1), "
    "c = 1 decoding level (0 for a 1-bit alphabet), with unbounded fan-in AND/OR gates.",
    2 * LOG2N + c, "word:G tree (every group and monoid)", AND_OR, "exact",
    lambda: check_families([(key, "tree") for key in ALL], _sizes, count=64, solver_count=8),
    ["simulation"], _tree_steps,
    proof="Leaves are decoded by one AND level (none for w = 1); each level of the tree composes adjacent pairs "
          "with the depth-2 block OR_{ab=c}(x_a AND y_b); the root's index encoding merges into its ORs.",
    references=[BT], covers=[(key, "tree") for key in ALL])

STREAM = Claim(
    "words.stream", "The stream loop of word:G (one letter per step, one-hot state) has serial depth exactly 2n.",
    2 * N, "word:G stream", AND_OR, "exact",
    lambda: check_families([(key, "stream") for key in ALL], [1, 2, 7, 16], count=64), ["simulation"],
    [Step("n steps of a depth-2 step: sum_{i=1}^n 2", sympy.summation(2, (k, 1, N)), 2 * N)],
    proof="The step ANDs a state bit with the decoded letter and ORs per product element: depth 2 from state to state "
          "and to the output; serial depths add along the n steps.",
    covers=[(key, "stream") for key in ALL])


def _fixed_check() -> CheckResult:
    fams = check_families([(key, "fixed3") for key in ALL], [1, 2, 4, 8, 9, 16], count=64)
    fails = []
    for key in ALL:
        prob = get_problem(key)
        g = prob.monoid
        for n in (2, 3, 4, 6, 8) if g.size >= 60 else (2, 3, 4, 6, 8, 12, 16):
            want = int(fanin2_tree_depth(g, LOG2N).subs(N, n))
            if prob.family("tree")(n).to_aig().depth() != want:
                fails.append(f"{key}: the tree at n={n} rewritten with fan-in 2 is not of depth {want}")
        from serialcomp.measure.accuracy import accuracy

        if accuracy(prob.family("fixed3"), prob, 16, count=128, seed=16).accuracy == 1.0:
            fails.append(f"{key}: fixed3 is exact at n = 16, past its reach of 8 letters")
    extra = CheckResult(not fails, "the tree in fan-in 2 at n <= 16; fixed3 wrong at n = 16", fails[0] if fails else "")
    return _both(fams, extra)


FIXED = Claim(
    "words.fixed", "With fan-in 2 the product tree over L levels has depth fanin2_tree_depth(G, L), an affine function "
    "of L (so Theta(log n) for L = ceil(log2 n)); fixed3 is its first 3 levels (reads 8 letters): exact for n <= 8, "
    "wrong beyond.",
    sympy.Symbol("a_G") * sympy.Min(LOG2N, 3) + sympy.Symbol("b_G"), "word:G fixed3, and the tree at fan-in 2",
    FANIN2, "exact", _fixed_check, ["simulation"],
    lambda: [Step("S5: fanin2_tree_depth is affine in the levels L (slope 8)",
                  sympy.diff(fanin2_tree_depth(get_problem("word:S5").monoid, sympy.Symbol("L", positive=True)).args[1][0],
                             sympy.Symbol("L", positive=True)), 8)],
    proof="Each wide gate of the tree becomes a balanced tree of 2-input gates: decoding costs ceil(log2 w), an inner "
          "level 1 + ceil(log2 |G|) (ANDs of 2, ORs of |G| products), the root 1 + ceil(log2 r).",
    covers=[(key, "fixed3") for key in ALL])

_M = sympy.Symbol("m", integer=True, positive=True)
COUNT_MOD = Claim(
    "words.count_mod", "word:Z_m in one layer of MOD_m gates: depth exactly 1 for m <= 3 (each index bit is one "
    "residue or the negation of one), 2 for m >= 4 (an OR of residues per bit), for every n >= 1.",
    sympy.Piecewise((1, _M <= 3), (2, True)), "word:Z_m count_mod", AND_OR_MOD, "exact",
    lambda: check_families([(f"word:Z{m}", "count_mod") for m in (2, 3, 5, 6)], [1, 2, 8, 33], count=64,
                           solver_count=8),
    ["simulation"], [Step("m = 5 needs 3 index bits, two of them set in two residues", sympy.ceiling(sympy.log(5, 2)), 3)],
    proof="[S = r mod m] is one MOD_m gate over the letters' bits repeated 2^j mod m times and m - r constant ones.",
    covers=[(f"word:Z{m}", "count_mod") for m in (2, 3, 5, 6)])
COUNT_THR = Claim(
    "words.count_thr", "word:Z_m with threshold gates: depth exactly 2 (the prefix of ones [S >= v], then one "
    "telescoping threshold gate per output bit).",
    sympy.Integer(2), "word:Z_m count_thr", THRESHOLD, "exact",
    lambda: check_families([(f"word:Z{m}", "count_thr") for m in (2, 3, 5, 6)], [1, 2, 8, 33], count=64,
                           solver_count=8),
    ["simulation"], [Step("f(S) - f(0) = sum_v (f(v) - f(v-1)) [S >= v] (telescoping), at S = 7",
                          sympy.Sum(sympy.Function("f")(k) - sympy.Function("f")(k - 1), (k, 1, 7)).doit(),
                          sympy.Function("f")(7) - sympy.Function("f")(0))],
    covers=[(f"word:Z{m}", "count_thr") for m in (2, 3, 5, 6)])


def _shortcut_steps() -> list[Step]:
    steps = []
    for key in ("word:S3", "word:A4xZ5"):
        prob = get_problem(key)
        g = prob.monoid
        G = PermutationGroup([_perm(prob, e) for e in range(g.size)])
        D = G.derived_subgroup()
        dec = split_metabelian(g)
        steps += [
            Step(f"{key}: sympy's derived subgroup has |G|/|G'| = {dec.quotient_order} (the cyclic complement's order)",
                 G.order() / D.order(), dec.quotient_order),
            Step(f"{key}: the derived subgroup is abelian (sympy)", int(D.is_abelian), 1),
            Step(f"{key}: the derived subgroup is the one the construction uses", D.order(), dec.normal_order),
        ]
    return steps


def _shortcut_check() -> CheckResult:
    fams = check_families([("word:S3", "shortcut"), ("word:A4xZ5", "shortcut")], [1, 2, 3, 5, 8, 16, 33, 64],
                          count=64, solver_count=16)
    return _both(fams, _agrees_with_sympy("word:S3", "shortcut", 24, 40),
                 _agrees_with_sympy("word:A4xZ5", "shortcut", 24, 40))


SHORTCUT = Claim(
    "words.shortcut", "The word problems over S3 and A4 x Z5 (solvable) have circuits of depth exactly 6 for every "
    "n >= 2 with AND/OR and MOD gates (ACC0), of O(n^2) size: G = [G,G] x| <h> with [G,G] abelian, so the product is "
    "a sum in [G,G] of terms that depend on one letter and a prefix sum mod p, times h^(K_n).",
    sympy.Piecewise((0, N < 2), (6, True)), "word:S3 and word:A4xZ5 shortcut", AND_OR_MOD, "exact",
    _shortcut_check, ["simulation", "hypothesis"], _shortcut_steps,
    proof="g_1 ... g_n = (prod_i h^(K_(i-1)) a_i h^(-K_(i-1))) h^(K_n) with g_i = a_i h^(k_i) and K_i the prefix "
          "sums; each factor lies in the abelian [G,G], whose cyclic coordinates are sums mod m: MOD_m gates. This "
          "is the O(1)-depth shortcut of solvable groups of Liu et al. (via Krohn-Rhodes), and Barrington-Therien's "
          "ACC0 upper bound, for groups with one abelian step.",
    references=[LIU, BT], covers=[("word:S3", "shortcut"), ("word:A4xZ5", "shortcut")])


def _last_write_check() -> CheckResult:
    prob = get_problem("word:flipflop")
    fam = prob.family("last_write")
    import itertools

    bad = []
    for n in range(1, 7):
        circ = fam(n)
        for word in itertools.product(range(3), repeat=n):
            if _circuit_product(circ, prob, word) != prob.solve({"word": np.array(word)}):
                bad.append(word)
    ex = CheckResult(not bad, "every flip-flop word of length 1..6 against the reference solver",
                     f"wrong on {bad[0]}" if bad else "")
    return _both(check_families([("word:flipflop", "last_write")], [1, 2, 3, 8, 33, 64], count=64), ex)


LAST_WRITE = Claim(
    "words.last_write", "word:flipflop has circuits of depth exactly 2 for n >= 2 with AND/OR gates (AC0): the "
    "product is the last set (read if there is none).",
    sympy.Piecewise((0, N < 2), (2, True)), "word:flipflop last_write", AND_OR, "exact", _last_write_check,
    ["exhaustive", "simulation"],
    [Step("bit 1: OR over n positions of an AND of 2(n - i + 1) literals; total literals sum_i 2(n-i+1)",
          sympy.summation(2 * (N - k + 1), (k, 1, N)), N * (N + 1))],
    proof="The flip-flop monoid is aperiodic: x_1 ... x_n = x_j for the last j with x_j != read, and read if none.",
    references=[BT, LIU], covers=[("word:flipflop", "last_write")])


def _blocks_formula() -> sympy.Expr:
    return sympy.Piecewise((0, N < 2), (2 * sympy.ceiling(sympy.log(N) / sympy.log(sympy.Max(2, LOG2N))) + 4, True))


def _blocks_check() -> CheckResult:
    fams = check_families([("word:A5", "blocks"), ("word:S5", "blocks")], [1, 2, 3, 4, 8, 9, 16, 17], count=64,
                          solver_count=8)
    return _both(fams, _agrees_with_sympy("word:A5", "blocks", 12, 25), _agrees_with_sympy("word:S5", "blocks", 12, 25))


BLOCKS = Claim(
    "words.blocks", "Block products compute word:S5 and word:A5 in depth exactly 2 ceil(log_b n) + 4 for n >= 2, "
    "b = max(2, ceil(log2 n)), with unbounded fan-in AND/OR gates: letters to 5x5 permutation matrices (2 levels), "
    "products of b matrices as DNFs over the 5^(b-1) paths (2 levels each), the matrix back to an index (2).",
    _blocks_formula(), "word:S5 and word:A5 blocks", AND_OR, "exact", _blocks_check, ["simulation", "hypothesis"],
    lambda: [Step("ceil(log_b n) with b = max(2, ceil(log2 n)) is the least L with b^L >= n (n = 2..200)",
                  sympy.Max(2, LOG2N) ** sympy.ceiling(sympy.log(N) / sympy.log(sympy.Max(2, LOG2N))), N, ">=",
                  over=(2, 200))],
    proof="(M_1 ... M_b)[i][j] = OR over paths i -> p_1 -> ... -> j of AND_t M_t[p_(t-1)][p_t]: one AND and one OR "
          "level for any b.", covers=[("word:A5", "blocks"), ("word:S5", "blocks")])


def _asymptotic_steps() -> list[Step]:
    n = sympy.Symbol("n", positive=True)
    depth = 2 * sympy.log(n) / sympy.log(sympy.log(n, 2)) + 6  # ceil(log_b n) <= log n / log b + 1, b >= log2 n
    kk = 5  # S5 and A5 act on 5 points
    size_exponent = sympy.log(n * kk ** (sympy.log(n, 2) + 1)) / sympy.log(n)
    return [
        Step("depth / (log n / log log n) -> 2 as n -> oo", sympy.limit(depth / (sympy.log(n) / sympy.log(sympy.log(n))), n,
                                                                        sympy.oo), 2),
        Step("k = 5 points: log(size)/log(n) -> 1 + log2 5, a polynomial size",
             sympy.limit(size_exponent, n, sympy.oo), 1 + sympy.log(kk) / sympy.log(2)),
    ]


def _size_check() -> CheckResult:
    fails, checked = [], []
    for key in ("word:A5", "word:S5", "word:S3"):
        prob = get_problem(key)
        g = prob.monoid
        for n in (2, 4, 8, 16, 32) if key != "word:S3" else (2, 8, 32, 64):
            b = block_size(n)
            bound = n * (g.degree ** (b + 1) + g.degree**2 + g.size) + g.size + g.bits_per_element
            circ = prob.family("blocks")(n) if key != "word:S3" else _s3_blocks(n)
            if circ.n_gates > bound:
                fails.append(f"{key} n={n}: {circ.n_gates} gates > {bound}")
        checked.append(key)
    return CheckResult(not fails, f"gate counts of the block products of {', '.join(checked)} at n <= 64 against "
                       "n (k^(b+1) + k^2 + |G|) + |G| + w", fails[0] if fails else "")


def _s3_blocks(n: int):
    from serialcomp.ir.builder import CircuitBuilder
    from serialcomp.problems.words.block_products import block_product

    g = get_problem("word:S3").monoid
    b = CircuitBuilder()
    xs = [b.input_bus(f"x{i}", g.bits_per_element) for i in range(n)]
    for lit in block_product(b, g, xs, block_size(n)):
        b.output(lit)
    return b.build()


BLOCKS_ASYMPTOTIC = Claim(
    "words.blocks_asymptotic", "For every finite group G on k points, word:G has AND/OR circuits (unbounded fan-in) of "
    "depth O(log n / log log n) and size O(n^(1 + log2 k)): so Omega(log n) is false in this model for S5 and A5.",
    sympy.log(N) / sympy.log(sympy.log(N)), "word:G, every finite group", AND_OR, "upper", _size_check,
    ["simulation"], _asymptotic_steps,
    proof="Block products with b = max(2, ceil(log2 n)): depth 2 ceil(log_b n) + 4 (words.blocks), at most n blocks "
          "of k^(b+1) ANDs each, k^(b+1) <= k^2 n^(log2 k).", references=[BARRINGTON])


# ---------------------------------------------------------------------------------------------
# hardness and conjectures
# ---------------------------------------------------------------------------------------------

S5 = get_problem("word:S5")
SIGMA = Permutation([1, 2, 3, 4, 0])      # a 5-cycle (0 1 2 3 4)
TAU = Permutation([2, 4, 1, 0, 3])        # a 5-cycle with [SIGMA, TAU] a 5-cycle


def _conjugator(a: Permutation, b: Permutation) -> Permutation:
    """A permutation t with t^-1 a t = b (both 5-cycles), by search."""
    import itertools

    for arr in itertools.permutations(range(5)):
        t = Permutation(list(arr))
        if (~t) * a * t == b:
            return t
    raise ValueError("not conjugate")  # pragma: no cover - 5-cycles are conjugate


def barrington(f, cycle: Permutation = SIGMA) -> list[tuple[int, Permutation, Permutation]]:
    """Barrington's program for formula ``f``: instructions ``(var, if_1, if_0)`` whose product is
    ``cycle`` when ``f`` is true and the identity when it is false; length at most ``4^depth``."""
    e = Permutation(list(range(5)))
    op = f[0]
    if op == "var":
        return [(f[1], cycle, e)]
    if op == "not":  # P computes f with cycle^-1; append cycle: product cycle^-1 * cycle = e iff f
        prog = barrington(f[1], ~cycle)
        i, a, b = prog[-1]
        return prog[:-1] + [(i, a * cycle, b * cycle)]
    if op == "or":  # f or g = not(not f and not g)
        return barrington(("not", ("and", ("not", f[1]), ("not", f[2]))), cycle)
    p1, p2 = barrington(f[1], SIGMA), barrington(f[2], TAU)
    inv = lambda prog: [(i, ~a, ~b) for (i, a, b) in reversed(prog)]  # noqa: E731
    prog = p1 + p2 + inv(p1) + inv(p2)  # product: [SIGMA, TAU] iff both, else e
    comm = SIGMA * TAU * (~SIGMA) * (~TAU)
    t = _conjugator(comm, cycle)
    return [(i, (~t) * a * t, (~t) * b * t) for (i, a, b) in prog]


def _barrington_check() -> CheckResult:
    comm = SIGMA * TAU * (~SIGMA) * (~TAU)
    if comm.cycle_structure != {5: 1}:  # pragma: no cover - a fixed fact about the chosen cycles
        return CheckResult(False, "the commutator", "[SIGMA, TAU] is not a 5-cycle")

    def prop(f, bits):
        x = [int(v) for v in bits]
        prog = barrington(f)
        letters = [_index(S5, a if x[i] else b) for (i, a, b) in prog]
        want = _index(S5, SIGMA) if evaluate_formula(f, x) else S5.monoid.identity
        assert S5.solve({"word": np.array(letters)}) == want
        assert len(prog) <= 4 ** _depth(f)

    return run_property(prop, formulas(4, 3), st.lists(st.integers(0, 1), min_size=4, max_size=4), max_examples=60,
                        what="random formulas of depth <= 3 on 4 variables and assignments (word:S5's solver)")


def _depth(f) -> int:
    return 0 if f[0] == "var" else _depth(f[1]) if f[0] == "not" else 1 + max(_depth(f[1]), _depth(f[2]))


BARRINGTON_CLAIM = Claim(
    "words.barrington", "NC1-hardness of word:S5 (and word:A5: the program uses even permutations only): every fan-in-2 "
    "formula of depth d is a projection onto an S5 word of length at most 4^d whose product is a fixed 5-cycle when "
    "the formula is true and the identity otherwise; so depth D(L) for words of length L gives depth D(4^d) for "
    "depth-d formulas, in any gate model.",
    sympy.Le(sympy.Symbol("L"), 4 ** sympy.Symbol("d")), "word:S5, word:A5", THRESHOLD, "lower",
    _barrington_check, ["hypothesis"],
    [Step("length: L(d) = 4 L(d - 1), L(0) = 1 solves to 4^d",
          sympy.rsolve(sympy.Function("L")(k) - 4 * sympy.Function("L")(k - 1), sympy.Function("L")(k),
                       {sympy.Function("L")(0): 1}), 4**k)],
    proof="Barrington 1989: an AND is the commutator of programs for two 5-cycles whose commutator is a 5-cycle; a NOT "
          "multiplies by the inverse cycle; all 5-cycles are conjugate. 5-cycles and their commutators are even, so "
          "the words lie in A5.", references=[BARRINGTON])


def _not_ac0_check() -> CheckResult:
    """The reductions: counting mod q is a projection of word:G when G has a cyclic quotient of order q;
    parity is one of word:A5 (A5 is perfect) through Barrington."""
    fails = []
    for key in ("word:Z5", "word:S3", "word:A4xZ5", "word:S5"):
        prob = get_problem(key)
        dec = split_metabelian(prob.monoid) if key != "word:S5" else None
        if dec is None:  # S5 -> Z2: the sign; letters: a transposition or the identity
            h = _index(prob, Permutation([1, 0, 2, 3, 4]))
            q = 2
        else:
            h, q = dec.h, dec.quotient_order
        rng = np.random.default_rng(7)
        for _ in range(40):
            x = rng.integers(0, 2, rng.integers(1, 20))
            letters = np.where(x == 1, h, prob.monoid.identity)
            is_e = prob.solve({"word": letters}) == prob.monoid.identity
            if bool(is_e) != (int(x.sum()) % q == 0):
                fails.append(f"{key}: the product of h^x_i is not [sum x = 0 mod {q}] on {x.tolist()}")
                break
    A5 = get_problem("word:A5")

    def xor_formula(lo: int, hi: int):
        if hi - lo == 1:
            return ("var", lo)
        mid = (lo + hi) // 2
        a, b = xor_formula(lo, mid), xor_formula(mid, hi)
        return ("or", ("and", a, ("not", b)), ("and", ("not", a), b))

    for n in (2, 3, 4):
        f = xor_formula(0, n)
        prog = barrington(f)
        for bits in range(1 << n):
            x = [(bits >> j) & 1 for j in range(n)]
            letters = [_index(A5, a if x[i] else b) for (i, a, b) in prog]
            target = _index(A5, SIGMA) if sum(x) % 2 else A5.monoid.identity
            if A5.solve({"word": np.array(letters)}) != target:
                fails.append(f"word:A5: Barrington's parity word is wrong on {x}")
    return CheckResult(not fails, "counting mod q as a projection of word:Z5, S3, A4xZ5, S5 (40 random bit strings "
                       "each); parity of 2..4 bits as Barrington words over A5 (every assignment)",
                       fails[0] if fails else "")


NOT_AC0 = Claim(
    "words.not_ac0", "For every group G but the trivial one, word:G needs depth Omega(log n / log log n) in "
    "polynomial-size AND/OR circuits (unbounded fan-in): it is not in AC0.",
    sympy.log(N) / sympy.log(sympy.log(N)), "word:G, every non-trivial group", AND_OR, "lower", _not_ac0_check,
    ["exhaustive", "simulation"],
    [Step("a Barrington word of parity of m bits (formula depth 2 ceil(log2 m)) has length 4^(2 log2 m) = m^4",
          sympy.simplify(4 ** (2 * sympy.log(sympy.Symbol("m", positive=True), 2))), sympy.Symbol("m", positive=True)**4)],
    proof="A group with a non-trivial abelian quotient maps onto some Z_q, and letters h or e compute MOD_q of the "
          "bits: Hastad's bound for MOD_q (MOD_q is not in AC0; depth d needs size exp(n^Omega(1/d))). A group "
          "without one is non-solvable (perfect, as A5) and computes every NC1 function by Barrington's words, parity "
          "included, at polynomial length m^4. The check verifies the two reductions; the AC0 lower bound itself is "
          "cited (Hastad 1986; for prime q also Smolensky 1987).",
    references=[HASTAD, SMOLENSKY, BARRINGTON])


def _nc1_evidence() -> CheckResult:
    from serialcomp.measure.accuracy import accuracy

    fails = []
    for key in ("word:S5", "word:A5"):
        prob = get_problem(key)
        for name in ("tree", "blocks"):
            d = [prob.family(name).serial_depth(n) for n in (2, 16)]
            if not d[1] > d[0]:
                fails.append(f"{key} {name}: depth does not grow from n = 2 to 16")
        if accuracy(prob.family("fixed3"), prob, 16, count=128, seed=3).accuracy >= 1.0:
            fails.append(f"{key}: the constant-depth fixed3 is exact at n = 16")
    return CheckResult(not fails, "evidence, not proof: every exact family of word:S5 and word:A5 grows (n = 2 -> 16), "
                       "the constant-depth fixed3 fails at n = 16", fails[0] if fails else "")


NC1_CONJECTURE = Claim(
    "words.nc1_conjecture", "Conjecture: word:S5 and word:A5 have no polynomial-size circuits of constant depth with "
    "threshold gates (TC0 != NC1), nor with MOD gates (ACC0 != NC1). By Barrington (words.barrington) either would "
    "put all of NC1 in that class. Not proven; the lower bound proven with threshold gates is 1.",
    sympy.Symbol("omega(1)"), "word:S5, word:A5", THRESHOLD, "conjecture", _nc1_evidence, ["simulation"],
    proof="A conjecture. What is checked is consistent evidence only.", references=[BARRINGTON, BT, LIU])


CLAIMS = [TREE, STREAM, FIXED, COUNT_MOD, COUNT_THR, SHORTCUT, LAST_WRITE, BLOCKS, BLOCKS_ASYMPTOTIC,
          BARRINGTON_CLAIM, NOT_AC0, NC1_CONJECTURE]


def test_claim(claim):
    """Every claim of this group verifies (derivation and check)."""
    result = claim.run()
    assert result.status == "verified", f"{claim.id}: {result.detail}"
