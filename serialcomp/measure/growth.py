"""Growth fits: which of 1, log n, log^2 n, sqrt n, n, n log n, n^2 explains a measured series."""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
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


@dataclass(frozen=True)
class GrowthFit:
    """The best growth class for a series ``y(n)``, as ``y ~ a * g(n) + b``.

    Attributes
    ----------
    growth : str
        Name of the best class (a key of :data:`GROWTH_CLASSES`).
    a, b : float
        Least-squares coefficients for that class.
    rel_error : float
        Root-mean-square residual relative to the mean of ``|y|``.
    errors : dict
        The relative error of every class tried.
    """

    growth: str
    a: float
    b: float
    rel_error: float
    errors: dict[str, float]


def fit_growth(ns: Sequence[float], ys: Sequence[float], tolerance: float = 0.02) -> GrowthFit:
    """Fit ``y ~ a g(n) + b`` for each growth class with ``a >= 0`` and keep the best.

    A class is preferred over a faster-growing one unless the faster one lowers the relative error
    by more than ``tolerance`` (so an exactly logarithmic series is not called ``sqrt n``).  A
    series that does not grow (``max - min <= 1e-9``) is ``"1"``, and so is one that ends in a
    plateau: equal values at its largest ``max(3, ceil(len/2))`` sizes, as a fixed-depth (bounded)
    family shows past the size it was built for. Its ``b`` is then the plateau value.

    Notes
    -----
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
    """
    n = np.asarray(ns, dtype=float)
    y = np.asarray(ys, dtype=float)
    if n.shape != y.shape or n.ndim != 1:
        raise SerialcompError(f"ns and ys must be 1-D of the same length, got {n.shape} and {y.shape}")
    if len(np.unique(n)) < 3:
        raise SerialcompError(f"a growth fit needs at least 3 distinct n, got {sorted(set(n.tolist()))}")
    if np.any(n < 1):
        raise SerialcompError("n must be >= 1 for a growth fit")
    scale = max(float(np.mean(np.abs(y))), 1e-12)
    if float(y.max() - y.min()) <= 1e-9:
        return GrowthFit("1", 0.0, float(y.mean()), 0.0, {"1": 0.0})
    errors: dict[str, float] = {}
    coef: dict[str, tuple[float, float]] = {}
    for name, (fn, _) in GROWTH_CLASSES.items():
        g = fn(n)
        if name == "1":
            a, b = 0.0, float(y.mean())
        else:
            A = np.stack([g, np.ones_like(g)], axis=1)
            (a, b), *_ = np.linalg.lstsq(A, y, rcond=None)
            if a < 0:  # a decreasing fit is no growth class
                a, b = 0.0, float(y.mean())
        resid = y - (a * g + b)
        errors[name] = float(math.sqrt(float(np.mean(resid**2))) / scale)
        coef[name] = (float(a), float(b))
    best = "1"
    for name in GROWTH_CLASSES:
        if errors[name] < errors[best] - tolerance:
            best = name
    order = np.argsort(n, kind="stable")
    tail = y[order][-max(3, math.ceil(len(y) / 2)):]
    if len(tail) < len(y) and float(tail.max() - tail.min()) <= 1e-9:
        plateau = float(tail[0])
        errors["1"] = float(math.sqrt(float(np.mean((y - plateau) ** 2))) / scale)
        return GrowthFit("1", 0.0, plateau, errors["1"], errors)
    a, b = coef[best]
    return GrowthFit(best, a, b, errors[best], errors)


def _format_expr(expr: sympy.Expr) -> str:
    text = sympy.sstr(expr)
    text = re.sub(r"ceiling\(log\(([^()]*(?:\([^()]*\))?[^()]*)\)/log\(2\)\)", r"ceil(log2(\1))", text)
    text = re.sub(r"(?<![\w.])log\(([^()]*)\)/log\(2\)", r"log2(\1)", text)
    return text.replace("log2(n)", "log2 n").replace("Min(", "min(").replace("Max(", "max(")


def format_depth(expr: sympy.Expr) -> str:
    """A claimed depth written for a table: ``ceil(log2 n)`` for sympy's ``ceiling(log(n)/log(2))``,
    and a ``Piecewise`` whose last piece holds from some ``n = k`` on as ``<last piece> (n >= k)``.

    Example
    -------
    >>> n = sympy.Symbol("n", positive=True, integer=True)
    >>> format_depth(2 * sympy.ceiling(sympy.log(n, 2)) + 1)
    '2*ceil(log2 n) + 1'
    >>> format_depth(sympy.Piecewise((0, n < 2), (2 * sympy.ceiling(sympy.log(n - 1, 2)) + 2, True)))
    '2*ceil(log2(n - 1)) + 2 (n >= 2)'
    """
    expr = sympy.sympify(expr)
    if isinstance(expr, sympy.Piecewise) and len(expr.args) >= 2 and expr.args[-1].cond is sympy.true:
        before = expr.args[-2].cond
        if isinstance(before, sympy.StrictLessThan) and before.rhs.is_Integer:
            return f"{_format_expr(expr.args[-1].expr)} (n >= {int(before.rhs)})"
    return _format_expr(expr)


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
