"""Depth profiles: a family measured over a range of n, with a growth fit and the claim beside it."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Sequence

import pandas as pd

from .._validate import check_int
from ..errors import ProblemParameterError
from ..ir.family import CircuitFamily
from .cell import Cell, measure_cell
from .claim import format_depth
from .growth import GrowthFit, fit_growth

__all__ = ["DepthProfile", "depth_profile", "PROFILE_COLUMNS"]

#: Columns of :attr:`DepthProfile.table`, a view of its cells.
PROFILE_COLUMNS = ["n", "depth", "size", "serial_depth", "steps", "claimed", "agrees"]


@dataclass(frozen=True)
class DepthProfile:
    """The result of :func:`depth_profile`.

    Attributes
    ----------
    cells : tuple of Cell
        One measured cell per n, in increasing n (no accuracy: a profile measures depth only).
    fit : GrowthFit or None
        Growth class of ``serial_depth`` over n (None with fewer than 3 sizes); it may be
        ``"undetermined"`` when the sizes cannot separate two classes.
    family : CircuitFamily

    Example
    -------
    >>> from serialcomp.problems import get_problem
    >>> tree = get_problem("parity").family("xor_tree")
    >>> p = depth_profile(tree, [2**k for k in range(1, 9)])
    >>> p.table["serial_depth"].tolist(), p.fit.growth, p.agrees
    ([1, 2, 3, 4, 5, 6, 7, 8], 'log n', True)
    >>> print(depth_profile(tree, [2, 4, 8]).to_markdown())  # doctest: +NORMALIZE_WHITESPACE
    **parity / xor_tree** (log, claimed ceil(log2 n), fitted undetermined)
    <BLANKLINE>
    |   n |   depth |   size |   serial_depth | steps   |   claimed | agrees   |
    |----:|--------:|-------:|---------------:|:--------|----------:|:---------|
    |   2 |       1 |      1 |              1 |         |         1 | True     |
    |   4 |       2 |      3 |              2 |         |         2 | True     |
    |   8 |       3 |      7 |              3 |         |         3 | True     |

    Three sizes cannot tell ``log n`` from its neighbours (:func:`~serialcomp.measure.fit_growth`).
    """

    cells: tuple[Cell, ...]
    fit: GrowthFit | None
    family: CircuitFamily

    @property
    def table(self) -> pd.DataFrame:
        """The cells as a table, one row per n: :data:`PROFILE_COLUMNS`, i.e. ``n``, ``depth`` (of
        the circuit, or of one step of a looped one), ``size`` (gates; the step's, for a looped
        circuit), ``serial_depth``, ``steps`` (looped only), ``claimed`` (the claim at n) and
        ``agrees`` (:func:`~serialcomp.measure.claim_holds`). A new DataFrame on each access."""
        return pd.DataFrame([{k: getattr(c, k) for k in PROFILE_COLUMNS} for c in self.cells], columns=PROFILE_COLUMNS)

    @property
    def agrees(self) -> bool:
        """Whether the claim held at every measured n."""
        return all(c.agrees for c in self.cells)

    def to_markdown(self) -> str:
        """A bold heading (problem / family, kind, claimed depth as :func:`format_depth` writes it,
        fitted growth) and the table in Markdown.

        In a notebook, ``display(Markdown(profile.to_markdown()))`` renders it; so does leaving the
        profile as a cell's last value.
        """
        fit = self.fit.growth if self.fit else "-"
        head = (
            f"**{self.family.problem} / {self.family.name}** "
            f"({self.family.kind}, claimed {format_depth(self.family.claimed_depth)}, fitted {fit})"
        )
        return head + "\n\n" + self.table.to_markdown(index=False)

    def _repr_markdown_(self) -> str:
        return self.to_markdown()


def _check_ns(ns: Sequence[int]) -> list[int]:
    """The sorted distinct sizes of ``ns``; each must be an integer >= 1 (2.0 is accepted, 2.5 is not)."""
    ns = list(ns)
    if not ns:
        raise ProblemParameterError("depth_profile: ns needs at least one n")
    return sorted({check_int("ns", k, 1, where=f"depth_profile (ns = {ns!r})", error=ProblemParameterError) for k in ns})


def depth_profile(family: CircuitFamily, ns: Sequence[int], **params: Any) -> DepthProfile:
    """Build ``family`` at every n, measure depth, size and serial depth, and fit the growth.

    ``ns`` are the sizes, integers >= 1 (repeats are measured once, in increasing order); a
    non-integer or smaller size raises :class:`~serialcomp.errors.ProblemParameterError` naming ``ns``.

    Notes
    -----
    Each circuit is built once (families cache by n); cost is dominated by building and by the
    serial-depth level propagation, O(steps * step size) for looped families.

    Example
    -------
    >>> import sympy
    >>> from serialcomp.ir import CircuitBuilder
    >>> from serialcomp.ir.family import CircuitFamily, N
    >>> def chain(n):
    ...     b = CircuitBuilder(); xs = b.inputs(n); acc = xs[0]
    ...     for x in xs[1:]:
    ...         acc = b.and_(acc, x)
    ...     b.output(acc); return b.build()
    >>> p = depth_profile(CircuitFamily("chain", "and", "recurrent", chain, N - 1), [2, 4, 8, 16])
    >>> p.table["serial_depth"].tolist(), p.fit.growth, p.agrees
    ([1, 3, 7, 15], 'n', True)
    """
    cells = tuple(measure_cell(family, n, **params) for n in _check_ns(ns))
    fit = fit_growth([c.n for c in cells], [c.serial_depth for c in cells]) if len(cells) >= 3 else None
    return DepthProfile(cells=cells, fit=fit, family=family)
