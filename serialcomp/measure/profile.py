"""Depth profiles: a family measured over a range of n, with a growth fit and the claim beside it."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Sequence

import pandas as pd

from ..errors import SerialcompError
from ..ir.circuit import Circuit
from ..ir.family import CircuitFamily
from ..ir.looped import LoopedCircuit
from .growth import GrowthFit, fit_growth

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
    """

    table: pd.DataFrame
    fit: GrowthFit | None
    family: CircuitFamily

    @property
    def agrees(self) -> bool:
        """Whether the claim held at every measured n."""
        return bool(self.table["agrees"].all())

    def _repr_markdown_(self) -> str:
        fit = self.fit.growth if self.fit else "-"
        return f"**{self.family.problem} / {self.family.name}** ({self.family.kind}, claimed {self.family.claimed_depth}, fitted {fit})\n\n" + self.table.to_markdown(index=False)


def _measure(obj: Any) -> tuple[int, int]:
    c = obj.step if isinstance(obj, LoopedCircuit) else obj
    if not isinstance(c, Circuit):
        raise SerialcompError(f"a family must build a Circuit or LoopedCircuit, got {type(obj).__name__}")
    return c.depth(), c.n_gates


def depth_profile(family: CircuitFamily, ns: Sequence[int], **params: Any) -> DepthProfile:
    """Build ``family`` at every n, measure depth, size and serial depth, and fit the growth.

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
    if not ns:
        raise SerialcompError("depth_profile needs at least one n")
    rows = []
    for n in sorted(set(int(k) for k in ns)):
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
