"""The exact law of one chain: :class:`TraceDistribution`, the distribution of its trace length.

Everything a budget does to one chain follows from the law of ``T``, the trace length at which it
reaches the target (the paper's ``len(trace) - 1`` of the unbudgeted search), joint with whether
its s-t path is a shortest path: with budget ``L`` the chain reaches the target iff ``T <= L``,
writes ``min(T, L)`` nodes after the source, and answers by its rule otherwise.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .graph import ChainParameterError
from .search import check_budget

__all__ = ["TraceDistribution"]


@dataclass(frozen=True, eq=False)
class TraceDistribution:
    """``P(T = x)`` for ``x = 0 .. M``, and ``P(T = x, path shortest)``; ``tail = P(T > M)``.

    A complete law (``tail = 0``) reaches the target surely with any budget from its longest trace
    on: :meth:`reach` is then exactly 1 (not a float sum of the probabilities).

    Attributes
    ----------
    strategy : str
    distance : int
        The s-t distance (no chain reaches the target with fewer moves).
    pmf, pmf_shortest : float64 ``(M + 1,)``
    tail : float
        Probability mass beyond ``M`` (0 unless the law was truncated: random walks).
    mean_length : float or None
        ``E[T]`` when known exactly (it is ``mean_used(None)`` for untruncated laws).

    Example
    -------
    >>> d = TraceDistribution("x", 1, np.array([0, 0.5, 0.5]), np.array([0, 0.5, 0]))
    >>> d.reach(1), d.shortest(), d.mean_used(1), d.mean_used()
    (0.5, 0.5, 1.0, 1.5)
    """

    strategy: str
    distance: int
    pmf: np.ndarray
    pmf_shortest: np.ndarray
    tail: float = 0.0
    mean_length: float | None = None

    def __post_init__(self) -> None:
        if self.mean_length is None and self.tail == 0.0:
            object.__setattr__(self, "mean_length", float(np.arange(len(self.pmf)) @ self.pmf))

    @property
    def horizon(self) -> int | None:
        """The largest budget this law answers for (``None``: any budget; the law is complete)."""
        return None if self.tail == 0.0 else len(self.pmf) - 1

    @property
    def max_length(self) -> int | None:
        """The longest trace: ``max {x : P(T = x) > 0}`` (``None`` if truncated)."""
        if self.tail > 0.0:
            return None
        nz = np.flatnonzero(self.pmf > 0)
        return int(nz[-1]) if nz.size else 0

    def _cut(self, budget: int | None) -> int | None:
        budget = check_budget(budget)
        h = self.horizon
        if h is not None and budget is not None and budget > h:
            raise ChainParameterError(f"budget {budget} beyond the horizon {h} of this {self.strategy} law "
                                      "(computed up to that length)")
        return budget

    def reach(self, budget: int | None = None) -> float:
        """``P(T <= budget)``: a chain with this budget reaches the target (``None``: no budget, ``P(T < inf)``)."""
        b = self._cut(budget)
        if b is None or (self.tail == 0.0 and b >= self.max_length):
            return 1.0 if self.tail == 0.0 else min(1.0, float(self.pmf.sum()) + self.tail)
        return min(1.0, float(self.pmf[: b + 1].sum()))

    def reach_curve(self, budgets: np.ndarray) -> np.ndarray:
        """``P(T <= L)`` for an array of budgets (vectorised :meth:`reach`)."""
        b = np.asarray(budgets, dtype=np.int64)
        if b.size:
            self._cut(int(b.max()))
        cdf = np.minimum(np.cumsum(self.pmf), 1.0)
        if self.tail == 0.0:
            cdf[self.max_length:] = 1.0
        return cdf[np.clip(b, 0, len(cdf) - 1)] * (b >= 0)

    def shortest(self, budget: int | None = None) -> float:
        """``P(T <= budget and the chain's s-t path is a shortest path)``.

        A truncated law holds all its shortest-path mass (a shortest path has length ``distance``,
        within the horizon), so ``budget=None`` is exact for it too.
        """
        b = self._cut(budget)
        if b is None or (self.tail == 0.0 and b >= self.max_length):
            return min(1.0, float(self.pmf_shortest.sum()))
        return min(1.0, float(self.pmf_shortest[: b + 1].sum()))

    def mean_used(self, budget: int | None = None) -> float:
        """``E[min(T, budget)]``: the mean trace length a chain writes (``None``: ``E[T]``)."""
        b = self._cut(budget)
        if b is None:
            if self.mean_length is None:
                raise ChainParameterError(f"the mean of this truncated {self.strategy} law is not known")
            return float(self.mean_length)
        x = np.arange(min(b, len(self.pmf) - 1) + 1)
        below = float(x @ self.pmf[: len(x)])
        return below + b * (1.0 - float(self.pmf[: len(x)].sum()))
