"""What the claims of the catalogue (``proofs/``) check with: hypothesis strategies and check helpers.

Strategies: sizes, words over a finite group or monoid, exact probabilities (sympy Rationals),
truth tables, fan-in-2 formulas (for Barrington's reduction) and balanced layered step circuits
(for the depth of composed steps). Checks return a
:class:`~serialcomp.claims.CheckResult`:

* :func:`check_families` measures families at given sizes: the serial depth against the family's
  claimed depth (:func:`~serialcomp.measure.claim_holds`) and the answers against the problem's
  reference solver (``problem.solve``, one record at a time) on sampled instances;
* :func:`run_property` runs a hypothesis property with fixed settings (derandomized, no example
  database), so that a claim's check is the same on every run.

Example
-------
>>> from hypothesis import strategies as st
>>> r = run_property(lambda k: None if k * k >= 0 else 1 / 0, st.integers(-5, 5), max_examples=20)
>>> r.ok, r.checked
(True, '20 hypothesis examples')
"""

from __future__ import annotations

from typing import Any, Callable, Sequence

import numpy as np
import sympy
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ..claims import CheckResult

__all__ = ["sizes", "words", "probabilities", "truth_tables", "formulas", "evaluate_formula", "layered_circuits",
           "run_property", "check_families", "solver_agrees"]


def sizes(min_n: int = 1, max_n: int = 64) -> st.SearchStrategy[int]:
    """Problem sizes ``min_n .. max_n``, shrinking towards ``min_n``.

    Example
    -------
    >>> from hypothesis import given, settings
    >>> @settings(max_examples=5, database=None)
    ... @given(sizes(2, 9))
    ... def check(n):
    ...     assert 2 <= n <= 9
    >>> check()
    """
    return st.integers(min_n, max_n)


def words(size: int, min_len: int = 1, max_len: int = 16) -> st.SearchStrategy[list[int]]:
    """Words over a monoid of ``size`` elements: lists of element indices.

    Example
    -------
    >>> from hypothesis import given, settings
    >>> @settings(max_examples=5, database=None)
    ... @given(words(6, 2, 4))
    ... def check(w):
    ...     assert 2 <= len(w) <= 4 and all(0 <= e < 6 for e in w)
    >>> check()
    """
    return st.lists(st.integers(0, size - 1), min_size=min_len, max_size=max_len)


def probabilities(lo: Any = 0, hi: Any = 1, max_denominator: int = 64) -> st.SearchStrategy[sympy.Rational]:
    """Exact probabilities ``p/q`` in ``[lo, hi]`` with ``q <= max_denominator`` (sympy Rationals).

    Example
    -------
    >>> from hypothesis import given, settings
    >>> @settings(max_examples=5, database=None)
    ... @given(probabilities(sympy.Rational(1, 2), 1))
    ... def check(p):
    ...     assert sympy.Rational(1, 2) <= p <= 1 and isinstance(p, sympy.Rational)
    >>> check()
    """
    lo, hi = sympy.Rational(lo), sympy.Rational(hi)

    @st.composite
    def _p(draw: st.DrawFn) -> sympy.Rational:
        q = draw(st.integers(1, max_denominator))
        a, b = int(sympy.ceiling(lo * q)), int(sympy.floor(hi * q))
        if a > b:
            return lo
        return sympy.Rational(draw(st.integers(a, b)), q)

    return _p()


def truth_tables(n_inputs: int) -> st.SearchStrategy[np.ndarray]:
    """Truth tables of functions of ``n_inputs`` bits: bool ``(2^n,)``, entry ``k`` on the pattern of ``k``'s bits.

    Example
    -------
    >>> from hypothesis import given, settings
    >>> @settings(max_examples=5, database=None)
    ... @given(truth_tables(3))
    ... def check(tt):
    ...     assert tt.shape == (8,) and tt.dtype == bool
    >>> check()
    """
    return st.lists(st.booleans(), min_size=1 << n_inputs, max_size=1 << n_inputs).map(lambda v: np.array(v, bool))


def formulas(n_vars: int, max_depth: int) -> st.SearchStrategy[Any]:
    """Fan-in-2 De Morgan formulas: ``("var", i)``, ``("not", f)``, ``("and", f, g)``, ``("or", f, g)``.

    The depth counts AND/OR nodes only (negations are free), at most ``max_depth``.

    Example
    -------
    >>> from hypothesis import given, settings
    >>> @settings(max_examples=5, database=None)
    ... @given(formulas(3, 2))
    ... def check(f):
    ...     assert evaluate_formula(f, [0, 1, 1]) in (0, 1)
    >>> check()
    """
    leaf = st.tuples(st.just("var"), st.integers(0, n_vars - 1))

    def at_most(d: int) -> st.SearchStrategy[Any]:
        if d == 0:
            return st.one_of(leaf, st.tuples(st.just("not"), leaf))
        sub = at_most(d - 1)
        gate = st.tuples(st.sampled_from(["and", "or"]), sub, sub)
        return st.one_of(sub, gate, st.tuples(st.just("not"), gate))

    return at_most(max_depth)


def evaluate_formula(f: Any, x: Sequence[int]) -> int:
    """The value of a formula of :func:`formulas` on the assignment ``x``.

    Example
    -------
    >>> evaluate_formula(("or", ("var", 0), ("not", ("var", 1))), [0, 0])
    1
    """
    op = f[0]
    if op == "var":
        return int(x[f[1]])
    if op == "not":
        return 1 - evaluate_formula(f[1], x)
    a, b = evaluate_formula(f[1], x), evaluate_formula(f[2], x)
    return a & b if op == "and" else a | b


@st.composite
def layered_circuits(draw: st.DrawFn, width: int = 4, depth: int = 3, max_fanin: int = 3) -> Any:
    """Random *balanced* step circuits: ``width`` inputs and outputs, ``depth`` layers of ``width`` gates;
    gate ``i`` of a layer reads node ``i`` of the layer below and up to ``max_fanin - 1`` others of it,
    so every output is at depth ``depth`` and every input starts a path of that length.

    Gate kinds AND, OR, XOR, MAJ and THR (random small weights); edges may be negated.

    Example
    -------
    >>> from hypothesis import given, settings
    >>> @settings(max_examples=5, database=None, deadline=None)
    ... @given(layered_circuits(3, 2))
    ... def check(c):
    ...     assert c.n_inputs == c.n_outputs == 3 and c.depth() == 2
    >>> check()
    """
    from ..ir import CircuitBuilder

    b = CircuitBuilder()
    layer = b.input_bus("s", width)
    for _ in range(depth):
        nxt = []
        for i in range(width):
            others = draw(st.lists(st.integers(0, width - 1), max_size=max_fanin - 1, unique=True))
            fan = [layer[i]] + [layer[j] for j in others if j != i]
            fan = [lit ^ draw(st.integers(0, 1)) for lit in fan]
            kind = draw(st.sampled_from(["AND", "OR", "XOR", "MAJ", "THR"]))
            if kind == "THR":
                w = [draw(st.integers(-3, 3)) for _ in fan]
                nxt.append(b.thr(fan, w, draw(st.integers(-2, 3))))
            else:
                nxt.append(b.gate(kind, fan))
        layer = nxt
    for i, lit in enumerate(layer):
        b.output(lit, f"s'[{i}]")
    return b.build()


def run_property(test: Callable[..., Any], *strategies: st.SearchStrategy[Any], max_examples: int = 50,
                 what: str = "hypothesis examples") -> CheckResult:
    """Run ``test(*values)`` on ``max_examples`` examples drawn from ``strategies``, deterministically.

    An ``AssertionError`` (or any other exception) fails the check; its detail names the
    falsifying example hypothesis found (after shrinking).

    Example
    -------
    >>> r = run_property(lambda n: None if n < 5 else 1 / 0, sizes(1, 9), max_examples=30)
    >>> r.ok, r.detail.startswith("falsified")
    (False, True)
    """
    seen: list[Any] = []

    @settings(max_examples=max_examples, deadline=None, derandomize=True, database=None,
              suppress_health_check=list(HealthCheck), print_blob=False)
    @given(st.tuples(*strategies))
    def _prop(values: tuple) -> None:
        seen.append(values)
        test(*values)

    try:
        _prop()
    except Exception as exc:  # the property is false: report the (shrunk) example
        last = seen[-1] if seen else ()
        return CheckResult(False, f"{len(seen)} {what}", f"falsified on {last!r}: {type(exc).__name__}: {exc}")
    return CheckResult(True, f"{max_examples} {what}")


def solver_agrees(family: Any, problem: Any, n: int, count: int = 32, seed: int = 0) -> tuple[int, int]:
    """``(right, count)``: on ``count`` sampled instances, how often ``family``'s circuit outputs the
    encoding of ``problem.solve`` (the reference solver, one record at a time).

    Only for families of plain circuits whose outputs are the problem's target bits.

    Example
    -------
    >>> from serialcomp.problems import get_problem
    >>> p = get_problem("word:S3")
    >>> solver_agrees(p.family("shortcut"), p, 5, count=16)
    (16, 16)
    """
    from ..problems.bits import bits_of, flat2d

    inst = problem.sample(n, count, seed)
    circ = family(n)
    got = circ.compile().run_bool(problem.encode_bits(inst))
    right = 0
    for i in range(count):
        want = inst.solve(i)
        want_bits = np.asarray(problem.target_bits(inst)[i])
        if hasattr(problem, "monoid"):  # word problems: the solver returns the element index
            want_bits = flat2d(bits_of(np.array([[want]]), problem.monoid.bits_per_element))[0]
        elif np.ndim(want) == 0:
            want_bits = np.array([bool(want)])
        else:
            want_bits = np.asarray(want, dtype=bool).reshape(-1)
        right += bool((got[i] == want_bits).all())
    return right, count


def check_families(covers: Sequence[tuple[str, str]], ns: Sequence[int] | Callable[[str], Sequence[int]], *,
                   count: int = 64, seed: int = 0, exact_from: int | None = None, solver_count: int = 0
                   ) -> CheckResult:
    """Measure every ``(problem key, family name)`` at sizes ``ns``: the claim and the answers.

    At each n: the serial depth must meet the family's claimed depth (equality for an exact claim,
    at most for a bound; with ``exact_from``, equality from that n on also for a bound), and the
    family must answer every one of ``count`` sampled instances right (a bounded family only up to
    ``valid_up_to``). With ``solver_count``, that many instances are also compared with the
    reference solver record by record (:func:`solver_agrees`, plain circuits only).

    Example
    -------
    >>> r = check_families([("parity", "xor_tree")], [2, 3, 8], count=16)
    >>> r.ok, r.checked
    (True, 'parity xor_tree at n = 2, 3, 8; 16 instances each')
    """
    from ..ir.looped import LoopedCircuit
    from ..measure.cell import measure_cell
    from ..problems import get_problem

    fails, parts = [], []
    for key, name in covers:
        prob = get_problem(key)
        fam = prob.family(name)
        sizes_ = list(ns(key) if callable(ns) else ns)
        for n in sizes_:
            bounded_out = fam.valid_up_to is not None and n > fam.valid_up_to(**fam.params)
            cell = measure_cell(fam, n, prob, count=count, seed=seed + n)
            if not cell.agrees or (exact_from is not None and n >= exact_from and cell.serial_depth != cell.claimed):
                fails.append(f"{key} {name} n={n}: serial depth {cell.serial_depth}, claimed {cell.claimed}")
            if not bounded_out and cell.accuracy != 1.0:
                fails.append(f"{key} {name} n={n}: accuracy {cell.accuracy}")
            if solver_count and not bounded_out and not isinstance(fam(n), LoopedCircuit):
                right, total = solver_agrees(fam, prob, n, solver_count, seed + n)
                if right != total:
                    fails.append(f"{key} {name} n={n}: {total - right} of {total} differ from the reference solver")
        parts.append(f"{key} {name} at n = {', '.join(map(str, sizes_))}")
    checked = "; ".join(parts) + f"; {count} instances each" + (
        f", {solver_count} against the reference solver" if solver_count else "")
    return CheckResult(not fails, checked, fails[0] if fails else "")
