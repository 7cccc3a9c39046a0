"""Growth fits: which of 1, log n, log^2 n, sqrt n, n, n log n, n^2 explains a measured series,
or ``"undetermined"`` when the sizes measured cannot tell the best two apart."""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Callable, Sequence

import numpy as np
import sympy

from ..errors import SerialcompError
from ..ir.family import N
from .claim import evaluate_claim, format_depth  # noqa: F401  (their home was here; kept importable)

__all__ = ["GROWTH_CLASSES", "UNDETERMINED", "GrowthFit", "fit_growth"]

#: Candidate growth classes, from the slowest to the fastest, with their sympy form.
GROWTH_CLASSES: dict[str, tuple[Callable[[np.ndarray], np.ndarray], sympy.Expr]] = {
    "1": (lambda n: np.ones_like(n), sympy.Integer(1)),
    "log n": (lambda n: np.log2(n), sympy.log(N, 2)),
    "log^2 n": (lambda n: np.log2(n) ** 2, sympy.log(N, 2) ** 2),
    "sqrt n": (lambda n: np.sqrt(n), sympy.sqrt(N)),
    "n": (lambda n: n, N),
    "n log n": (lambda n: n * np.log2(n), N * sympy.log(N, 2)),
    "n^2": (lambda n: n**2, N**2),
}

#: The label of a fit whose sizes cannot separate the best class from the runner-up.
UNDETERMINED = "undetermined"

#: Default smallest factor in n that a flat tail must span to count as a plateau (bounded growth).
PLATEAU_SPAN = 4.0
#: Defaults of :func:`fit_growth`: the runner-up's error must exceed the best one's by ``MARGIN``
#: (in units of the data's spread) and be ``RATIO`` times it; at least ``MIN_SIZES`` distinct n
#: spanning a factor ``MIN_SPAN``.
MARGIN, RATIO, MIN_SIZES, MIN_SPAN = 0.01, 3.0, 4, 4.0


@dataclass(frozen=True)
class GrowthFit:
    """The growth class of a series ``y(n)``, as ``y ~ a * g(n) + b``, or ``"undetermined"``.

    Attributes
    ----------
    growth : str
        A key of :data:`GROWTH_CLASSES`, or :data:`UNDETERMINED`.
    a, b : float
        Weighted least-squares coefficients of the best class (for a plateau: ``a = 0`` and ``b``
        the plateau value); for an undetermined fit, those of the first candidate.
    rel_error : float
        The best class's weighted root-mean-square residual relative to the data's own weighted
        spread (its standard deviation): 0 is an exact fit, 1 no better than a constant.
    errors : dict
        That relative error for every class tried.
    plateau_from : float or None
        The smallest n of the flat tail when the series was classed ``"1"`` by its plateau (a
        bounded family past the size it was built for), else None.
    candidates : tuple of str
        The class named, or, for an undetermined fit, the two classes the sizes could not tell
        apart (the better-fitting first).
    reason : str or None
        Why the fit is undetermined (None when it is not).

    Example
    -------
    >>> fit = fit_growth([2, 4, 8, 16, 32, 64], [17, 25, 33, 33, 33, 33])
    >>> fit.growth, fit.a, fit.b, fit.plateau_from
    ('1', 0.0, 33.0, 8.0)
    >>> fit = fit_growth([2, 4, 8, 16, 32, 64], [3, 5, 7, 9, 11, 13])
    >>> fit.growth, round(fit.a, 6), round(fit.b, 6), fit.rel_error < 1e-9, fit.candidates
    ('log n', 2.0, 1.0, True, ('log n',))
    >>> fit = fit_growth([3, 4, 6], [2, 2, 3])
    >>> fit.growth, fit.candidates, fit.reason
    ('undetermined', ('n^2', 'n log n'), '3 distinct n spanning a factor 2; a growth class needs at least 4 spanning a factor 4')
    """

    growth: str
    a: float
    b: float
    rel_error: float
    errors: dict[str, float]
    plateau_from: float | None = field(default=None)
    candidates: tuple[str, ...] = ()
    reason: str | None = None

    @property
    def determined(self) -> bool:
        """Whether a growth class was named."""
        return self.growth != UNDETERMINED


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


def _minimax(g: np.ndarray, y: np.ndarray) -> float:
    """``min over a >= 0, b`` of ``max |y - (a g + b)|``: how closely the best curve of a class
    follows the data everywhere.

    For a fixed ``a`` the best ``b`` centres the residuals, leaving half their range; that range is
    a convex function of ``a``, minimised here by golden-section search on ``[0, 2 R / G]`` (R, G:
    the ranges of y and g), beyond which it exceeds its value at ``a = 0``.
    """
    span_g = float(g.max() - g.min())
    if span_g <= 0:
        return float(y.max() - y.min()) / 2

    def half_range(a: float) -> float:
        r = y - a * g
        return float(r.max() - r.min()) / 2

    lo, hi = 0.0, 2 * float(y.max() - y.min()) / span_g
    phi = (math.sqrt(5) - 1) / 2
    for _ in range(80):  # the bracket shrinks by 0.618 per step: 80 steps reach 1e-17 of it
        m1, m2 = hi - phi * (hi - lo), lo + phi * (hi - lo)
        if half_range(m1) <= half_range(m2):
            hi = m2
        else:
            lo = m1
    return min(half_range(lo), half_range(hi), half_range(0.0))


def fit_growth(
    ns: Sequence[float],
    ys: Sequence[float],
    *,
    margin: float = MARGIN,
    ratio: float = RATIO,
    min_sizes: int = MIN_SIZES,
    min_span: float = MIN_SPAN,
    resolution: float | None = None,
    plateau_span: float = PLATEAU_SPAN,
) -> GrowthFit:
    """The growth class of ``ys`` over ``ns``, or ``"undetermined"`` when the sizes cannot tell.

    Each class ``g`` is fitted as ``y ~ a g(n) + b`` (weighted least squares, ``a >= 0``); its
    error is the residual's weighted root mean square divided by the weighted standard deviation
    of ``y``. Dividing by the spread, not by the mean, makes the errors the same for ``y`` and for
    ``c y + d`` (``c > 0``): ``n + 1000`` is as linear as ``n``.

    Parameters
    ----------
    ns, ys : sequences of float
        Sizes (>= 1, at least 3 distinct) and the measured values, e.g. serial depths.
    margin, ratio : float
        The best class is named only when the runner-up's error exceeds its own by at least
        ``margin`` and is at least ``ratio`` times it.
    min_sizes, min_span : int, float
        A class is named only from at least ``min_sizes`` distinct n spanning a factor
        ``min_span`` (a bounded series, flat or ending in a plateau, is ``"1"`` regardless).
    resolution : float, optional
        The data's rounding step: depths are integers, known only up to rounding. When another
        class has a curve that rounds to the data (every residual within ``resolution / 2``), the
        fit is undetermined. Default: 1 when every value is an integer, else 0 (exact data).
    plateau_span : float
        The smallest factor in n that a flat tail must span to make the series bounded (below).

    Returns
    -------
    GrowthFit

    Raises
    ------
    SerialcompError
        Fewer than 3 distinct n, an n below 1, ``ns`` and ``ys`` of different lengths, or a
        parameter out of range.

    Notes
    -----
    *Bounded growth.* A series that does not grow (``max - min <= 1e-9``) is ``"1"``. So is one
    that ends in a *plateau*, as a fixed-depth (bounded) family shows past the size it was built
    for: equal values at its largest sizes, at >= 3 distinct n, spanning a factor of at least
    ``plateau_span`` (default 4) in n and at least twice as long in log n as every earlier run of
    equal values; the fit's ``b`` is then the plateau value and ``plateau_from`` its first n.
    ``ceil(log2 n)`` is constant exactly on ``2^(k-1) < n <= 2^k``, a factor below 2, so on no grid
    does it show such a plateau. A nondecreasing series that is neither flat nor ends in a plateau
    grows, so ``"1"`` is not among its candidates; a series no growing class follows (each fits
    with ``a = 0``, as a decreasing one does) is ``"1"``.

    *Undetermined.* The fit names the best class only when (1) the grid has ``min_sizes`` distinct
    n spanning ``min_span``, (2) the runner-up fits worse by the margin and the ratio above, and
    (3) for integer data, no other class has a curve that rounds to the same integers: then the
    measurements themselves cannot tell the two apart (``ceil(log2 n)`` on 3, 4, 6 is 2, 2, 3,
    which ``n^2`` follows as closely as ``log n``). Two classes that differ by less than the margin
    on the grid (``log^2 n`` and ``sqrt n`` are within 0.03 of each other on 2..32) need a wider
    grid, as does noisy data (``2 ceil(log2 n) + 1`` on dense sizes), whose best class fits with an
    error that the ratio must clear.

    *Weights.* Each point weighs the width of its cell in ``log2 n``, so a dense grid
    (``range(2, 65)``) and a doubling one (``2, 4, ..., 64``) describe the same curve. A geometric
    grid gets equal weights.

    O(classes * len(ns)) for the least-squares fits, and 80 passes over the data per class for the
    rounding test of integer data.

    Example
    -------
    >>> fit_growth([2, 4, 8, 16, 32, 64, 128, 256], [1, 2, 3, 4, 5, 6, 7, 8]).growth
    'log n'
    >>> fit_growth(range(2, 65), [k + 1000 for k in range(2, 65)]).growth
    'n'
    >>> fit_growth([4, 8, 16, 32], [3, 3, 3, 3]).growth
    '1'
    >>> fit_growth([2, 4, 8, 16, 32, 64], [3, 5, 7, 7, 7, 7]).growth
    '1'
    >>> fit = fit_growth([2, 4, 8, 16], [1, 2, 3, 4])   # a curve of sqrt n rounds to 1, 2, 3, 4 too
    >>> fit.growth, fit.candidates
    ('undetermined', ('log n', 'sqrt n'))
    """
    n = np.asarray(ns, dtype=float)
    y = np.asarray(ys, dtype=float)
    if n.shape != y.shape or n.ndim != 1:
        raise SerialcompError(f"ns and ys must be 1-D of the same length, got {n.shape} and {y.shape}")
    if not (np.all(np.isfinite(n)) and np.all(np.isfinite(y))):
        raise SerialcompError("ns and ys must be finite numbers for a growth fit")
    if len(np.unique(n)) < 3:
        raise SerialcompError(f"a growth fit needs at least 3 distinct n, got {sorted(set(n.tolist()))}")
    if np.any(n < 1):
        raise SerialcompError("n must be >= 1 for a growth fit")
    if not plateau_span >= 1:
        raise SerialcompError(f"plateau_span must be >= 1, got {plateau_span!r}")
    if not (margin >= 0 and ratio >= 1 and min_span >= 1 and min_sizes >= 3):
        raise SerialcompError(
            f"fit_growth needs margin >= 0, ratio >= 1, min_span >= 1 and min_sizes >= 3, got "
            f"margin={margin!r}, ratio={ratio!r}, min_span={min_span!r}, min_sizes={min_sizes!r}"
        )
    if float(y.max() - y.min()) <= 1e-9:
        return GrowthFit("1", 0.0, float(y.mean()), 0.0, {"1": 0.0}, candidates=("1",))
    w = _log_weights(n)
    mean = float(np.sum(w * y))
    spread = math.sqrt(float(np.sum(w * (y - mean) ** 2)))
    errors: dict[str, float] = {}
    coef: dict[str, tuple[float, float]] = {}
    for name, (fn, _) in GROWTH_CLASSES.items():
        g = fn(n)
        a = 0.0
        if name != "1":
            g_mean = float(np.sum(w * g))
            var = float(np.sum(w * (g - g_mean) ** 2))
            a = max(float(np.sum(w * (g - g_mean) * (y - mean))) / var, 0.0) if var > 0 else 0.0
        b = mean - a * float(np.sum(w * g))
        errors[name] = min(math.sqrt(float(np.sum(w * (y - (a * g + b)) ** 2))) / spread, 1.0)
        coef[name] = (a, b)
    start = _plateau(n, y, plateau_span)
    if start is not None:
        plateau = float(y[np.argmax(n)])
        errors["1"] = math.sqrt(float(np.sum(w * (y - plateau) ** 2))) / spread
        return GrowthFit("1", 0.0, plateau, errors["1"], errors, plateau_from=start, candidates=("1",))
    growing = [k for k in GROWTH_CLASSES if k != "1" and coef[k][0] > 0]
    if not growing:  # no class follows it upwards (a decreasing series): it does not grow
        return GrowthFit("1", 0.0, mean, 1.0, errors, candidates=("1",))
    order = np.lexsort((y, n))
    names = list(GROWTH_CLASSES)
    if bool(np.all(np.diff(y[order]) >= -1e-9)):
        # nondecreasing, not constant, no plateau: it grows, so it is not "1" however small its
        # variation (ceil(log2 n) + 10 over 16..64 varies by 2 around 15)
        names = names[1:]
    ranked = sorted(names, key=lambda k: (errors[k], names.index(k)))
    best, second = ranked[0], ranked[1]

    def undetermined(other: str, reason: str) -> GrowthFit:
        a, b = coef[best]
        return GrowthFit(UNDETERMINED, a, b, errors[best], errors, candidates=(best, other), reason=reason)

    sizes, span = len(np.unique(n)), float(n.max() / n.min())
    if sizes < min_sizes or span < min_span:
        return undetermined(
            second,
            f"{sizes} distinct n spanning a factor {span:.3g}; a growth class needs at least {min_sizes} "
            f"spanning a factor {min_span:g}",
        )
    e1, e2 = errors[best], errors[second]
    if e2 - e1 < margin or e2 < ratio * e1:
        return undetermined(second, f"{best} and {second} fit almost equally well (errors {e1:.3f} and {e2:.3f})")
    if resolution is None:
        resolution = 1.0 if bool(np.all(y == np.round(y))) else 0.0
    if resolution > 0:
        for other in ranked[1:]:
            if other != "1" and _minimax(GROWTH_CLASSES[other][0](n), y) < resolution / 2 - 1e-9:
                return undetermined(other, f"a curve of {other} rounds to the same values as {best}")
    a, b = coef[best]
    return GrowthFit(best, a, b, e1, errors, candidates=(best,))
