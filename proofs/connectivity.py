"""Connectivity: s-t reachability by repeated squaring (log depth), by BFS (linear serial depth), and
a bounded number of squarings; what the standard conjectures say about lower bounds.

NL (directed) and L (undirected) are not known to differ from TC0: the only proven lower bound
with threshold gates is the trivial one, and the standard conjectures (NL, L not in TC0) say that
the depth is not constant, omega(1), not that it is Omega(log n).
"""

from __future__ import annotations

import sympy

from serialcomp.claims import AND_OR, THRESHOLD, CheckResult, Claim, Step
from serialcomp.ir.family import N
from serialcomp.measure.accuracy import accuracy
from serialcomp.problems import get_problem
from serialcomp.testing.claims import check_families

IMMERMAN = ("Immerman. Nondeterministic space is closed under complementation. SIAM J. Comput. 17(5), 1988; "
            "Savitch 1970 / repeated Boolean matrix squaring: NL in AC1")
REINGOLD = "Reingold. Undirected connectivity in log-space. J. ACM 55(4), 2008"
KEYS = ["reach:path", "reach:random", "reach:flower", "reach:cycles"]
d, r = sympy.symbols("d r", integer=True, positive=True)


def _sizes(key: str) -> list[int]:
    return {"reach:path": [4, 5, 8, 9], "reach:flower": [4, 5, 8], "reach:random": [3, 5, 9, 17],
            "reach:cycles": [3, 5, 9]}[key]


SQUARING = Claim(
    "reach.squaring", "ceil(log2 d) squarings of A OR I (2 levels each: an AND per path of length 2, an OR per entry), "
    "then a readout of r = 2 levels (1 for reach:cycles): depth exactly 2 ceil(log2 d) + r with unbounded fan-in "
    "AND/OR gates, d the largest distance needed (n - 1, or n on cycles).", 2 * sympy.ceiling(sympy.log(d, 2)) + r,
    "reach:* squaring", AND_OR, "exact",
    lambda: check_families([(key, "squaring") for key in KEYS], _sizes, count=64), ["simulation"],
    [Step("2^ceil(log2 d) >= d: ceil(log2 d) squarings reach every distance (d = 1..300)",
          2 ** sympy.ceiling(sympy.log(d, 2)), d, ">=", over=(1, 300), symbol=d)],
    proof="(A OR I)^(2^j) holds the pairs at distance <= 2^j; squaring a Boolean matrix is an OR of ANDs.",
    references=[IMMERMAN], covers=[(key, "squaring") for key in KEYS])
BFS = Claim(
    "reach.bfs", "Loop-mode BFS (2 levels a step, halting at the fixed point) run d + 1 steps has serial depth exactly "
    "2 (d + 1) + r.", 2 * (d + 1) + r, "reach:* bfs", AND_OR, "exact",
    lambda: check_families([(key, "bfs") for key in KEYS], _sizes, count=64), ["simulation"],
    [Step("d + 1 steps of 2 levels", sympy.summation(2, (sympy.Symbol("i"), 1, d + 1)), 2 * (d + 1), symbol=d)],
    covers=[(key, "bfs") for key in KEYS])


def _squarings_check() -> CheckResult:
    return check_families([(key, "squarings2") for key in KEYS], _sizes, count=64)


SQUARINGS = Claim(
    "reach.squarings", "Exactly k squarings then the readout: depth at most 2k + r (k = 2: 6, or 5 on cycles); exact for "
    "distances up to 2^k, wrong beyond (a bounded family).", 2 * sympy.Symbol("k") + r, "reach:* squarings2", AND_OR,
    "upper", _squarings_check, ["simulation"],
    [Step("k = 2, r = 2", (2 * sympy.Symbol("k") + r).subs({sympy.Symbol("k"): 2, r: 2}), 6)],
    covers=[(key, "squarings2") for key in KEYS])


def _evidence() -> CheckResult:
    prob = get_problem("reach:path")
    acc = accuracy(prob.family("squarings2"), prob, 40, count=128, seed=4).accuracy
    return CheckResult(acc < 1.0, f"evidence only: the constant-depth squarings2 answers {acc:.0%} of reach:path at "
                       "n = 40 (distance 10 > 4) right", "" if acc < 1.0 else "exact past its reach")


CONJECTURE = Claim(
    "reach.conjecture", "Conjecture: s-t reachability (directed: NL-complete; undirected: L-complete) has no "
    "polynomial-size constant-depth threshold circuits (NL, L not in TC0): depth omega(1). Not Omega(log n), which no "
    "standard conjecture states; only the trivial lower bound is proven.", sympy.Symbol("omega(1)"), "reach:*",
    THRESHOLD, "conjecture", _evidence, ["simulation"], references=[IMMERMAN, REINGOLD])

CLAIMS = [SQUARING, BFS, SQUARINGS, CONJECTURE]


def test_claim(claim):
    """Every claim of this group verifies (derivation and check)."""
    result = claim.run()
    assert result.status == "verified", f"{claim.id}: {result.detail}"
