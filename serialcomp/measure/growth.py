"""Growth fits: which of 1, log n, log^2 n, sqrt n, n, n log n, n^2 explains a measured series."""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from typing import Callable, Sequence

import numpy as np
import sympy

from ..errors import SerialcompError

__all__ = ["GROWTH_CLASSES", "GrowthFit", "fit_growth", "evaluate_claim", "format_depth"]

#: Candidate growth classes, from the slowest to the fastest, with their sympy form.
GROWTH_CLASSES: dict[str, tuple[Callable[[np.ndarray], np.ndarray], sympy.Expr]] = {}
_n = sympy.Symbol("n", positive=True, integer=True)
for _name, _fn, _expr in [
    ("1", lambda n: np.ones_like(n), sympy.Integer(1)),
    ("log n", lambda n: np.log2(n), sympy.log(_n, 2)),
    ("log^2 n", lambda n: np.log2(n) ** 2, sympy.log(_n, 2) ** 2),
    ("sqrt n", lambda n: np.sqrt(n), sympy.sqrt(_n)),
    ("n", lambda n: n, _n),
    ("n log n", lambda n: n * np.log2(n), _n * sympy.log(_n, 2)),
    ("n^2", lambda n: n**2, _n**2),
]:
    GROWTH_CLASSES[_name] = (_fn, _expr)

#: Default smallest factor in n that a flat tail must span to count as a plateau (bounded growth).
PLATEAU_SPAN = 4.0


@dataclass(frozen=True)
class GrowthFit:
    """The best growth class for a series ``y(n)``, as ``y ~ a * g(n) + b``.

    Attributes
    ----------
    growth : str
        Name of the best class (a key of :data:`GROWTH_CLASSES`).
    a, b : float
        Weighted least-squares coefficients for that class (for a plateau: ``a = 0`` and ``b`` the
        plateau value).
    rel_error : float
        Weighted root-mean-square residual relative to the weighted mean of ``|y|``.
    errors : dict
        The relative error of every class tried.
    plateau_from : float or None
        The smallest n of the flat tail when the series was classed ``"1"`` by its plateau (a
        bounded family past the size it was built for), else None.

    Example
    -------
    >>> fit = fit_growth([2, 4, 8, 16, 32, 64], [17, 25, 33, 33, 33, 33])
    >>> fit.growth, fit.a, fit.b, fit.plateau_from
    ('1', 0.0, 33.0, 8.0)
    >>> fit = fit_growth([2, 4, 8, 16], [3, 5, 7, 9])
    >>> fit.growth, round(fit.a, 6), round(fit.b, 6), fit.rel_error < 1e-9, fit.plateau_from
    ('log n', 2.0, 1.0, True, None)
    """

    growth: str
    a: float
    b: float
    rel_error: float
    errors: dict[str, float]
    plateau_from: float | None = field(default=None)


def _log_weights(n: np.ndarray) -> np.ndarray:
    """Weight of each point: the width in log2 n of its cell (half the gap to each neighbour, the
    end points one whole gap), shared by the points at the same n; normalised to sum 1.

    A geometric grid gets equal weights; on a dense grid the many large n do not outweigh the few
    small ones, so the fit sees the same curve on ``range(2, 65)`` as on ``2, 4, ..., 64``.
    """
    x = np.log2(n)
    ux, inv, counts = np.unique(x, return_inverse=True, return_counts=True)
    gaps = np.diff(ux)
    left = np.concatenate([gaps[:1], gaps])
    right = np.concatenate([gaps, gaps[-1:]])
    cell = (left + right) / 2
    w = cell[inv] / counts[inv]
    return w / w.sum()


def _plateau(n: np.ndarray, y: np.ndarray, span: float) -> float | None:
    """The smallest n of the flat tail of ``y`` (sorted by n) when it is a plateau, else None.

    A plateau is the maximal run of equal values at the largest sizes that (1) holds at >= 3
    distinct n, (2) is not the whole series, (3) spans a factor >= ``span`` in n, and (4) is at
    least twice as long in log n as every earlier run of equal values (the steps of the series).
    (3) rules out a step of ``ceil(log2 n)``, which is flat on ``2^(k-1) < n <= 2^k``, at most a
    factor 2; (4) rules out a slower staircase (``ceil(log_8 n)``: flat over a factor 8) whose
    tail is only one more of its steps.
    """
    order = np.argsort(n, kind="stable")
    ns, ys = n[order], y[order]
    last = ys[-1]
    flat = np.abs(ys - last) <= 1e-9
    start = len(ys)
    while start > 0 and flat[start - 1]:
        start -= 1
    tail_n = np.unique(ns[start:])
    if start == 0 or len(tail_n) < 3:
        return None
    tail_span = math.log2(tail_n[-1] / tail_n[0])
    if tail_span < math.log2(span) - 1e-12:
        return None
    longest = 0.0  # the longest earlier run of equal values, in log2 n
    i = 0
    while i < start:
        j = i
        while j + 1 < start and abs(ys[j + 1] - ys[i]) <= 1e-9:
            j += 1
        longest = max(longest, math.log2(ns[j] / ns[i]))
        i = j + 1
    if tail_span < 2 * longest - 1e-12:
        return None
    return float(tail_n[0])


def fit_growth(
    ns: Sequence[float], ys: Sequence[float], tolerance: float = 0.02, plateau_span: float = PLATEAU_SPAN
) -> GrowthFit:
    """Fit ``y ~ a g(n) + b`` for each growth class with ``a >= 0`` and keep the best.

    Parameters
    ----------
    ns, ys : sequences of float
        Sizes (>= 1, at least 3 distinct) and the measured values, e.g. serial depths.
    tolerance : float
        A class is preferred over a faster-growing one unless the faster one lowers the relative
        error by more than ``tolerance`` (so an exactly logarithmic series is not called ``sqrt n``).
    plateau_span : float
        The smallest factor in n that a flat tail must span to make the series bounded (below).

    Returns
    -------
    GrowthFit

    Notes
    -----
    *Bounded growth.* A series that does not grow (``max - min <= 1e-9``) is ``"1"``. So is one
    that ends in a *plateau*, as a fixed-depth (bounded) family shows past the size it was built
    for: equal values at its largest sizes, at >= 3 distinct n, spanning a factor of at least
    ``plateau_span`` (default 4) in n and at least twice as long in log n as every earlier run of
    equal values; the fit's ``b`` is then the plateau value and ``plateau_from`` its first n.
    Integer depths of a logarithmic family are flat too, but only within one step:
    ``ceil(log2 n)`` is constant exactly on ``2^(k-1) < n <= 2^k``, a factor below 2, so on any
    grid, however dense, it never shows such a plateau.
    Conversely a nondecreasing series that is neither flat nor ends in a plateau grows, and gets
    the best *growing* class, never ``"1"`` (``ceil(log2 n) + 10`` over ``16..64`` varies little
    around its mean, but it is not bounded). A series that is not monotone (noise) may be ``"1"``
    when no growth class lowers the error by more than ``tolerance``.

    *Weights.* Each point weighs the width of its cell in ``log2 n``, so a dense grid
    (``range(2, 65)``) and a doubling one (``2, 4, ..., 64``) describe the same curve: without
    weights the many large n of a dense grid would decide alone. A geometric grid gets equal
    weights.

    Needs at least three distinct ``n`` to tell classes apart; O(classes * len(ns)).

    Example
    -------
    >>> fit_growth([4, 8, 16, 32, 64], [2, 3, 4, 5, 6]).growth
    'log n'
    >>> fit_growth([4, 8, 16, 32, 64], [8, 16, 32, 64, 128]).growth
    'n'
    >>> fit_growth([4, 8, 16, 32], [3, 3, 3, 3]).growth
    '1'
    >>> fit_growth([2, 4, 8, 16, 32, 64], [3, 5, 7, 7, 7, 7]).growth
    '1'
    >>> import math
    >>> fit_growth(range(2, 33), [math.ceil(math.log2(k)) for k in range(2, 33)]).growth
    'log n'
    """
    n = np.asarray(ns, dtype=float)
    y = np.asarray(ys, dtype=float)
    if n.shape != y.shape or n.ndim != 1:
        raise SerialcompError(f"ns and ys must be 1-D of the same length, got {n.shape} and {y.shape}")
    if len(np.unique(n)) < 3:
        raise SerialcompError(f"a growth fit needs at least 3 distinct n, got {sorted(set(n.tolist()))}")
    if np.any(n < 1):
        raise SerialcompError("n must be >= 1 for a growth fit")
    if not plateau_span >= 1:
        raise SerialcompError(f"plateau_span must be >= 1, got {plateau_span!r}")
    w = _log_weights(n)
    scale = max(float(np.sum(w * np.abs(y))), 1e-12)
    if float(y.max() - y.min()) <= 1e-9:
        return GrowthFit("1", 0.0, float(y.mean()), 0.0, {"1": 0.0})
    sw = np.sqrt(w)
    errors: dict[str, float] = {}
    coef: dict[str, tuple[float, float]] = {}
    for name, (fn, _) in GROWTH_CLASSES.items():
        g = fn(n)
        if name == "1":
            a, b = 0.0, float(np.sum(w * y))
        else:
            A = np.stack([g, np.ones_like(g)], axis=1)
            (a, b), *_ = np.linalg.lstsq(A * sw[:, None], y * sw, rcond=None)
            if a < 0:  # a decreasing fit is no growth class
                a, b = 0.0, float(np.sum(w * y))
        resid = y - (a * g + b)
        errors[name] = float(math.sqrt(float(np.sum(w * resid**2))) / scale)
        coef[name] = (float(a), float(b))
    start = _plateau(n, y, plateau_span)
    if start is not None:
        plateau = float(y[np.argmax(n)])
        errors["1"] = float(math.sqrt(float(np.sum(w * (y - plateau) ** 2))) / scale)
        return GrowthFit("1", 0.0, plateau, errors["1"], errors, plateau_from=start)
    names = list(GROWTH_CLASSES)
    order = np.lexsort((y, n))
    if bool(np.all(np.diff(y[order]) >= -1e-9)):
        # Nondecreasing, not constant, no plateau: it grows, so it is not "1" however small its
        # variation (ceil(log2 n) + 10 over 16..64 varies by 2 around 15).
        names = names[1:]
    best = names[0]
    for name in names:
        if errors[name] < errors[best] - tolerance:
            best = name
    a, b = coef[best]
    return GrowthFit(best, a, b, errors[best], errors)


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
    >>> n = sympy.Symbol("n", positive=True, integer=True)
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
    expr = sympy.sympify(expr)
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
    >>> import sympy
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
