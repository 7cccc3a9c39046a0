"""Depth profiles: a family measured over a range of n, with a growth fit and the claim beside it."""

from __future__ import annotations

from dataclasses import dataclass
from numbers import Integral, Real
from typing import Any, Sequence

import pandas as pd

from ..errors import ProblemParameterError, SerialcompError
from ..ir.circuit import Circuit
from ..ir.family import CircuitFamily
from ..ir.looped import LoopedCircuit
from .growth import GrowthFit, fit_growth, format_depth

__all__ = ["DepthProfile", "depth_profile"]


@dataclass(frozen=True)
class DepthProfile:
    """The result of :func:`depth_profile`.

    Attributes
    ----------
    table : pandas.DataFrame
        One row per n: ``n``, ``depth`` (of the circuit, or of one step of a looped one), ``size``
        (gates; for a looped circuit the step's), ``serial_depth``, ``steps`` (looped only),
        ``claimed`` (the claimed expression at n) and ``agrees`` (serial depth equals the claim, or
        is at most it for an upper-bound claim).
    fit : GrowthFit or None
        Growth class of ``serial_depth`` over n (None with fewer than 3 sizes).
    family : CircuitFamily

    Example
    -------
    >>> from serialcomp.problems import get_problem
    >>> tree = get_problem("parity").families()[0]
    >>> p = depth_profile(tree, [2, 4, 8])
    >>> p.table[["n", "serial_depth", "claimed", "agrees"]].values.tolist(), p.fit.growth, p.agrees
    ([[2, 1, 1, True], [4, 2, 2, True], [8, 3, 3, True]], 'log n', True)
    >>> print(p.to_markdown())  # doctest: +NORMALIZE_WHITESPACE
    **parity / xor_tree** (log, claimed ceil(log2 n), fitted log n)
    <BLANKLINE>
    |   n |   depth |   size |   serial_depth | steps   |   claimed | agrees   |
    |----:|--------:|-------:|---------------:|:--------|----------:|:---------|
    |   2 |       1 |      1 |              1 |         |         1 | True     |
    |   4 |       2 |      3 |              2 |         |         2 | True     |
    |   8 |       3 |      7 |              3 |         |         3 | True     |
    """

    table: pd.DataFrame
    fit: GrowthFit | None
    family: CircuitFamily

    @property
    def agrees(self) -> bool:
        """Whether the claim held at every measured n."""
        return bool(self.table["agrees"].all())

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


def _measure(obj: Any) -> tuple[int, int]:
    c = obj.step if isinstance(obj, LoopedCircuit) else obj
    if not isinstance(c, Circuit):
        raise SerialcompError(f"a family must build a Circuit or LoopedCircuit, got {type(obj).__name__}")
    return c.depth(), c.n_gates


def _check_ns(ns: Sequence[int]) -> list[int]:
    """The sorted distinct sizes of ``ns``; each must be an integer >= 1 (2.0 is accepted, 2.5 is not)."""
    ns = list(ns)
    if not ns:
        raise ProblemParameterError("depth_profile: ns needs at least one n")
    out = set()
    for k in ns:
        if isinstance(k, bool):
            ok = False
        elif isinstance(k, Integral):
            ok = True
        else:
            ok = isinstance(k, Real) and float(k).is_integer()
        if not ok or int(k) < 1:
            raise ProblemParameterError(f"depth_profile: ns must hold integers >= 1, got {k!r} in ns = {ns!r}")
        out.add(int(k))
    return sorted(out)


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
    sizes = _check_ns(ns)
    rows = []
    for n in sizes:
        obj = family(n, **params)
        depth, size = _measure(obj)
        steps = family.n_steps(n, **params)
        serial = family.serial_depth(n, **params)
        claimed = family.claimed(n)
        rows.append(
            {
                "n": n,
                "depth": depth,
                "size": size,
                "serial_depth": serial,
                "steps": steps,
                "claimed": claimed,
                "agrees": serial == claimed if family.exact else serial <= claimed,
            }
        )
    table = pd.DataFrame(rows)
    fit = fit_growth(table["n"], table["serial_depth"]) if len(table) >= 3 else None
    return DepthProfile(table=table, fit=fit, family=family)
