"""A family's claimed depth: written for a table, evaluated at n, and checked against a measurement.

The claim is a sympy expression in the size symbol ``n``; whether a measured serial depth meets it
is :func:`claim_holds`, the one place that rule is written (equality for an exact claim, at most
the claim for an upper bound).

Example
-------
>>> from serialcomp.ir.family import N
>>> import sympy
>>> format_depth(2 * sympy.ceiling(sympy.log(N, 2)) + 1), claim_holds(5, 7, exact=False)
('2*ceil(log2 n) + 1', True)
"""

from __future__ import annotations

import functools
import re
from typing import Sequence

import sympy

__all__ = ["claim_holds", "evaluate_claim", "format_depth"]


def claim_holds(measured: int, claimed: int, exact: bool) -> bool:
    """Whether a measured (serial) depth meets a claimed one: ``measured == claimed`` when the claim
    is exact, ``measured <= claimed`` when it is an upper bound.

    Example
    -------
    >>> claim_holds(3, 3, exact=True), claim_holds(2, 3, exact=True), claim_holds(2, 3, exact=False)
    (True, False, True)
    """
    return bool(measured == claimed) if exact else bool(measured <= claimed)


def _format_expr(expr: sympy.Basic) -> str:
    if isinstance(expr, (sympy.Eq, sympy.Ne)):
        op = "==" if isinstance(expr, sympy.Eq) else "!="
        return f"{_format_expr(expr.lhs)} {op} {_format_expr(expr.rhs)}"
    text = sympy.sstr(expr)
    text = re.sub(r"ceiling\(log\(([^()]*(?:\([^()]*\))?[^()]*)\)/log\(2\)\)", r"ceil(log2(\1))", text)
    text = re.sub(r"(?<![\w.])log\(([^()]*)\)/log\(2\)", r"log2(\1)", text)
    return text.replace("log2(n)", "log2 n").replace("Min(", "min(").replace("Max(", "max(")


def _nondecreasing(expr: sympy.Basic, n: sympy.Symbol) -> bool:
    """Whether ``expr`` is, by its structure, a nondecreasing function of ``n`` (a sufficient test:
    sums, positive multiples, min/max, ceiling/floor, log and positive powers of such)."""
    if n not in expr.free_symbols:
        return True
    if expr == n:
        return True
    if isinstance(expr, (sympy.Add, sympy.Min, sympy.Max)):
        return all(_nondecreasing(a, n) for a in expr.args)
    if isinstance(expr, sympy.Mul):
        varying = [a for a in expr.args if n in a.free_symbols]
        const = [a for a in expr.args if n not in a.free_symbols]
        return len(varying) == 1 and all(c.is_positive for c in const) and _nondecreasing(varying[0], n)
    if isinstance(expr, (sympy.ceiling, sympy.floor, sympy.log)):
        return _nondecreasing(expr.args[0], n)
    if isinstance(expr, sympy.Pow):
        base, exp = expr.args
        if n in exp.free_symbols or not exp.is_positive or not _nondecreasing(base, n):
            return False
        try:
            return bool(base.subs(n, 1) >= 0)
        except TypeError:
            return False
    return False


def _holds(cond: sympy.Basic, n: sympy.Symbol, k: int) -> bool | None:
    try:
        v = cond.subs(n, k)
        return bool(v) if v in (sympy.true, sympy.false) else None
    except (TypeError, ValueError):
        return None


def _prefix_end(cond: sympy.Basic, n: sympy.Symbol, limit: int = 2**20) -> int | None:
    """The ``k`` with ``cond`` equivalent to ``n < k`` on the integers ``n >= 1``, else None.

    ``cond`` qualifies when it reads ``f(n) < c`` or ``f(n) <= c`` (either way round) with ``f``
    nondecreasing by :func:`_nondecreasing` and ``c`` constant: it then holds exactly on a prefix
    ``1..k-1``, and ``k`` is found by evaluating ``cond`` (doubling, then bisection).
    """
    if cond is sympy.false:
        return 1
    if not isinstance(cond, sympy.core.relational.Relational):
        return None
    if isinstance(cond, (sympy.StrictLessThan, sympy.LessThan)):
        f, c = cond.lhs, cond.rhs
    elif isinstance(cond, (sympy.StrictGreaterThan, sympy.GreaterThan)):
        f, c = cond.rhs, cond.lhs
    else:
        return None
    if n in c.free_symbols or not _nondecreasing(f, n):
        return None
    first = _holds(cond, n, 1)
    if first is None:
        return None
    if not first:
        return 1
    lo, hi = 1, 2  # cond holds at lo; find hi where it fails
    while True:
        h = _holds(cond, n, hi)
        if h is None:
            return None
        if not h:
            break
        lo, hi = hi, hi * 2
        if hi > limit:
            return None
    while hi - lo > 1:
        mid = (lo + hi) // 2
        h = _holds(cond, n, mid)
        if h is None:
            return None
        lo, hi = (mid, hi) if h else (lo, mid)
    return hi


def format_depth(expr: sympy.Expr) -> str:
    """A claimed depth written for a table.

    ``ceil(log2 n)`` stands for sympy's ``ceiling(log(n)/log(2))``, ``min``/``max`` for
    ``Min``/``Max``. A ``Piecewise`` whose last piece holds exactly for ``n >= k`` (on the integers
    ``n >= 1``) is written ``<last piece> (n >= k)``; any other ``Piecewise`` is written out in
    full, ``e1 if c1, e2 if c2, else e3``.

    Notes
    -----
    The last piece holds where every earlier condition fails. An earlier condition counts as
    ``n < k`` when it reads ``f(n) < c`` or ``f(n) <= c`` with ``f`` built from ``n`` by sums,
    positive multiples, ``min``/``max``, ``ceil``/``floor``, ``log`` and positive powers (so it is
    nondecreasing and holds on a prefix ``1..k-1`` of the integers); ``k`` is then found by
    evaluating it. ``min(3, ceil(log2 n)) < 1``, the first condition of a ``fixed<d>`` word family,
    is ``n < 2``. A condition that is not of that form (``n > 3``, ``n % 2 == 0``) is never
    rewritten.

    Example
    -------
    >>> from serialcomp.ir.family import N as n
    >>> format_depth(2 * sympy.ceiling(sympy.log(n, 2)) + 1)
    '2*ceil(log2 n) + 1'
    >>> format_depth(sympy.Piecewise((0, n < 2), (2 * sympy.ceiling(sympy.log(n - 1, 2)) + 2, True)))
    '2*ceil(log2(n - 1)) + 2 (n >= 2)'
    >>> m = sympy.Min(3, sympy.ceiling(sympy.log(n, 2)))
    >>> format_depth(sympy.Piecewise((0, m < 1), (8 * m + 9, True)))
    '8*min(3, ceil(log2 n)) + 9 (n >= 2)'
    >>> format_depth(sympy.Piecewise((1, n > 3), (n, True)))
    '1 if n > 3, else n'
    """
    return _format_depth(sympy.sympify(expr))


@functools.lru_cache(maxsize=512)
def _format_depth(expr: sympy.Basic) -> str:
    # cached: a study writes each family's claim once per cell, and sympy's printing is slow
    if not isinstance(expr, sympy.Piecewise):
        return _format_expr(expr)
    pieces = list(expr.args)
    if pieces[-1].cond is sympy.true:
        syms = [s for s in expr.free_symbols if s.name == "n"]
        ends = [_prefix_end(p.cond, syms[0]) for p in pieces[:-1]] if len(syms) == 1 else [None]
        if all(k is not None for k in ends):
            k = max(ends)
            last = _format_expr(pieces[-1].expr)
            return last if k <= 1 else f"{last} (n >= {k})"
    parts = [f"{_format_expr(p.expr)} if {_format_expr(p.cond)}" for p in pieces if p.cond is not sympy.true]
    if pieces[-1].cond is sympy.true:
        parts.append(f"else {_format_expr(pieces[-1].expr)}")
    return ", ".join(parts)


def evaluate_claim(expr: sympy.Expr, ns: Sequence[int]) -> list[float]:
    """Values of a claimed depth expression in the symbol ``n`` (any sympy symbol named n).

    Example
    -------
    >>> n = sympy.Symbol("n")
    >>> evaluate_claim(2 * sympy.ceiling(sympy.log(n, 2)), [4, 5, 8])
    [4.0, 6.0, 6.0]
    """
    expr = sympy.sympify(expr)
    syms = [s for s in expr.free_symbols if s.name == "n"]
    out = []
    for k in ns:
        v = expr.subs({s: int(k) for s in syms}) if syms else expr
        out.append(float(sympy.N(v)))
    return out
