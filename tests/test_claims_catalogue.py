"""The claims catalogue (``proofs/``, read by :func:`serialcomp.claims.load_catalogue`) as a whole:
every circuit family's claimed depth is a claim of the catalogue, conjectures are never proven, and
no lower bound stands without an argument.

What "covers" means here (:attr:`serialcomp.claims.Claim.covers`, :meth:`Catalogue.for_family`): a
claim covers a family when the claim's formula *is* the family's claimed depth, the depth its
construction has (an exact family) or stays within (an upper-bound family, ``exact=False``). Some
claims state one formula for a group of families, with parameters their statements define (``c``
decoding levels, ``d`` the largest distance, ``r`` readout levels, ``k`` squarings, ``a_G, b_G`` the
slope and intercept of an affine function of the tree's levels); :data:`PARAMETERS` instantiates
them from those statements, and :func:`test_covering_formula_is_the_claimed_depth` asserts, for
every family:

* the claim's kind is ``exact`` when the family's claim is exact and ``upper`` when it is an upper
  bound (a family's claimed depth is a construction's: never a lower bound or a conjecture);
* the formula, its parameters instantiated, equals the family's ``claimed_depth`` either as a sympy
  expression or in value at every n = 2..64 (n = 1 is left out: several families define depth 0 for
  a single letter, a case the claims' statements exclude with "for n >= 2").

The claims' checks (``serialcomp claims --check``, ``pytest proofs``) measure the circuits; these
tests check what the catalogue says, cheaply, without building a circuit.
"""

from __future__ import annotations

import re

import pytest
import sympy

from serialcomp.claims import KINDS, METHODS, Catalogue, Claim, DepthModel, load_catalogue
from serialcomp.ir.family import N
from serialcomp.problems import get_problem, list_problems

SIZES = range(2, 65)


@pytest.fixture(scope="module")
def catalogue() -> Catalogue:
    return load_catalogue()


def _registered() -> list[tuple[str, str]]:
    return [(key, fam.name) for key in list_problems() for fam in get_problem(key).families()]


def _sym(name: str) -> sympy.Symbol:
    """The claim formula's symbol of this name (what the parameter table substitutes)."""
    return sympy.Symbol(name)


def _by_name(expr: sympy.Expr, values: dict[str, sympy.Expr]) -> sympy.Expr:
    """Substitute symbols by name (claims declare their parameters with their own assumptions)."""
    return expr.subs({s: values[s.name] for s in expr.free_symbols if s.name in values})


def _cycles(key: str) -> bool:
    return key == "reach:cycles"


def _affine_in_levels(claim: Claim, key: str, family: str) -> dict[str, sympy.Expr]:
    """words.fixed: ``a_G min(L, 3) + b_G`` with L = ceil(log2 n); the statement says only that it is affine
    in L, so a_G and b_G are solved from the family's claimed depth at n = 2 and 4 (L = 1, 2) and the
    comparison at n = 2..64 tests the form."""
    fam = get_problem(key).family(family)
    a, b = sympy.symbols("a_G b_G")
    eqs = [sympy.Eq(_by_name(claim.formula, {"a_G": a, "b_G": b}).subs(N, n), fam.claimed(n)) for n in (2, 4)]
    sol = sympy.solve(eqs, [a, b], dict=True)
    assert len(sol) == 1, (key, family, sol)
    return {"a_G": sol[0][a], "b_G": sol[0][b]}


#: claim id -> (problem key, family name, claim) -> values of the formula's parameters (by symbol name), as the
#: claim's statement defines them.
PARAMETERS = {
    # "c = 1 decoding level (0 for a 1-bit alphabet)"
    "words.tree": lambda key, fam, claim: {"c": 0 if get_problem(key).monoid.bits_per_element == 1 else 1},
    "words.fixed": lambda key, fam, claim: _affine_in_levels(claim, key, fam),
    # "word:Z_m in one layer of MOD_m gates"
    "words.count_mod": lambda key, fam, claim: {"m": int(key.removeprefix("word:Z"))},
    # "d the largest distance needed (n - 1, or n on cycles)", "a readout of r = 2 levels (1 for reach:cycles)"
    "reach.squaring": lambda key, fam, claim: {"d": N if _cycles(key) else N - 1, "r": 1 if _cycles(key) else 2},
    "reach.bfs": lambda key, fam, claim: {"d": N if _cycles(key) else N - 1, "r": 1 if _cycles(key) else 2},
    # "Exactly k squarings then the readout: depth at most 2k + r (k = 2: 6, or 5 on cycles)"
    "reach.squarings": lambda key, fam, claim: {"k": 2, "r": 1 if _cycles(key) else 2},
}


def _covered(catalogue: Catalogue) -> list[tuple[str, str]]:
    """Every registered family, and every family a claim covers (word:Z2, Z5, Z6 are parametric
    problems outside ``list_problems``)."""
    out = dict.fromkeys(_registered())
    for c in catalogue:
        out.update(dict.fromkeys(c.covers))
    return list(out)


def _value(expr: sympy.Expr, n: int) -> sympy.Expr:
    return sympy.sympify(expr).subs(N, n)


def test_every_registered_family_is_covered(catalogue):
    missing = [f"{key} {name}" for key, name in _registered() if catalogue.for_family(key, name) is None]
    assert not missing, f"families without a claim in proofs/: {missing}"


def test_every_covered_family_exists(catalogue):
    """A claim's covers name real families (a misspelt one would cover nothing and go unnoticed)."""
    for c in catalogue:
        for key, name in c.covers:
            get_problem(key).family(name)  # raises for an unknown problem or family


def test_parameter_table_matches_the_catalogue(catalogue):
    """Exactly the covering claims with parameters besides n are instantiated above."""
    parametric = {c.id for c in catalogue if c.covers and {s.name for s in c.formula.free_symbols} - {"n"}}
    assert parametric == set(PARAMETERS)


def test_covering_formula_is_the_claimed_depth(catalogue):
    problems = []
    for key, name in _covered(catalogue):
        fam = get_problem(key).family(name)
        claim = catalogue.for_family(key, name)
        where = f"{key} {name} ({claim.id})"
        want_kind = "exact" if fam.exact else "upper"
        if claim.kind != want_kind:
            problems.append(f"{where}: the family's claim is {'exact' if fam.exact else 'an upper bound'}, "
                            f"the claim's kind {claim.kind!r}")
        for s in claim.formula.free_symbols:
            if s.name == "n" and s != N:
                problems.append(f"{where}: its n is not serialcomp.ir.family.N (assumptions differ)")
        formula = claim.formula
        if claim.id in PARAMETERS:
            formula = _by_name(formula, PARAMETERS[claim.id](key, name, claim))
        left = {s.name for s in formula.free_symbols} - {"n"}
        if left:
            problems.append(f"{where}: parameters {sorted(left)} left uninstantiated")
            continue
        if formula == fam.claimed_depth:  # the same sympy expression
            continue
        bad = [n for n in SIZES if _value(formula, n) != fam.claimed(n)]
        if bad:
            n = bad[0]
            problems.append(f"{where}: the claim gives {_value(formula, n)} at n = {n}, the family claims "
                            f"{fam.claimed(n)} (and differs at {len(bad)} of n = 2..64)")
    assert not problems, "\n".join(problems)


def test_covered_family_counts(catalogue):
    """The count is a smoke test of the loop above: every registered family and the Z_m word problems."""
    assert len(_covered(catalogue)) >= len(_registered()) >= 50


# ---------------------------------------------------------------------------------------------
# conjectures and lower bounds
# ---------------------------------------------------------------------------------------------

def test_conjectures_are_never_proven(catalogue):
    conj = [c for c in catalogue if c.kind == "conjecture"]
    assert len(conj) >= 5  # NC1, rule 110, rule 30, CVP, reachability, diffusion steps, time-lock
    for c in catalogue:
        row = c.as_dict()
        assert c.proven is (c.kind != "conjecture") and row["proven"] is c.proven, c.id
        # in words too: a conjecture says so first, and nothing else calls itself one
        assert c.statement.startswith("Conjecture") is (c.kind == "conjecture"), c.id


def test_conjectures_cover_no_family(catalogue):
    """A family's claimed depth is a construction's; a conjecture (a lower bound nobody can prove) is not."""
    assert all(not c.covers for c in catalogue if c.kind in ("conjecture", "lower", "separation"))


_ID = re.compile(r"(?<![\w.])([a-z0-9]+\.[a-z0-9_]+)(?![\w(])")


def _cited_ids(catalogue: Catalogue, text: str) -> list[str]:
    groups = {c.id.split(".")[0] for c in catalogue}
    return [m for m in _ID.findall(text) if m.split(".")[0] in groups]


def test_cross_references_resolve(catalogue):
    """Every claim id a statement or proof cites (``fanin.problem_cones``) is in the catalogue."""
    dangling = [(c.id, ref) for c in catalogue for ref in _cited_ids(catalogue, c.statement + " " + c.proof)
                if ref not in catalogue]
    assert not dangling, dangling


def _trivial(c: Claim) -> bool:
    """A lower bound of depth at most 1 (a depth-0 circuit is a literal or a constant)."""
    return c.formula.is_number and bool(c.formula <= 1)


def test_no_lower_bound_without_an_argument(catalogue):
    """A lower bound or separation, the claims hardest to check by running circuits, is proven only with its
    argument at hand: a proof in words, a reference, or claims of the catalogue it cites by id that are
    themselves proven and argued. A check by simulation is evidence, not an argument; only the trivial bound
    (depth >= 1) needs none. The SAT rows carry their argument in the proof field (the encoding is complete)."""
    def argued(c: Claim, seen: frozenset = frozenset()) -> bool:
        if c.proof.strip() or c.references or _trivial(c):
            return True
        cited = [catalogue[i] for i in _cited_ids(catalogue, c.statement) if i in catalogue and i not in seen]
        return bool(cited) and all(r.proven and argued(r, seen | {c.id}) for r in cited)

    lower = [c for c in catalogue if c.kind in ("lower", "separation")]
    assert len(lower) >= 10
    bare = [c.id for c in lower if not argued(c)]
    assert not bare, f"lower bounds claimed as proven with no proof, reference or cited claim: {bare}"


def test_interval_rows_are_lower_bounds(catalogue):
    """A SAT row whose minimum is not decided states an interval [lower, upper] and is filed as a lower bound
    (its upper end is only a circuit found); a decided row is exact, a single integer."""
    sat = [c for c in catalogue if "sat" in c.methods]
    assert len(sat) >= 11
    for c in sat:
        assert c.n is not None and c.extra.get("basis") == c.model.label, c.id
        if isinstance(c.formula, sympy.Interval):
            assert c.kind == "lower" and c.formula.start < c.formula.end and "at least" in c.statement, c.id
        else:
            assert c.kind == "exact" and c.formula.is_Integer, c.id


# ---------------------------------------------------------------------------------------------
# shape
# ---------------------------------------------------------------------------------------------

def test_size_ids_models_methods(catalogue):
    claims = list(catalogue)
    assert len(claims) >= 30
    ids = [c.id for c in claims]
    assert len(ids) == len(set(ids))
    for c in claims:
        assert isinstance(c.model, DepthModel) and c.model.name and c.model.label, c.id
        assert c.all_methods and set(c.all_methods) <= set(METHODS), c.id
        assert c.kind in KINDS and c.group, c.id
        assert c.statement.strip() and c.subject.strip(), c.id


def test_every_kind_and_group_present(catalogue):
    assert {c.kind for c in catalogue} == set(KINDS)
    assert {c.group for c in catalogue} >= {"words", "arithmetic", "automata", "connectivity", "diffusion",
                                           "amplification", "voting", "fanin"}


def test_the_sat_table_has_the_issue_rows(catalogue):
    """parity, majority and MOD3 on 3..5 inputs, the S3 product of two letters, a rule-110 step."""
    want = {f"sat.{f}{n}" for f in ("parity", "majority", "mod3_") for n in (3, 4, 5)} | {
        "sat.s3_product2", "sat.rule110_step"}
    assert want <= {c.id for c in catalogue}
