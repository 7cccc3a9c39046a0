"""Complexity facts: what is known about a problem's circuit depth, as sympy expressions in ``n``.

The size symbol is the one of the whole package, :data:`serialcomp.ir.family.N` (claimed depths of
circuit families are written in it too, so facts and claims compare); :data:`N_SYMBOL` is the same
object under the name this module has always exported.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import sympy

from ..ir.family import N

__all__ = ["N_SYMBOL", "ComplexityFacts"]

N_SYMBOL = N
"""The size variable of every depth bound: an alias of :data:`serialcomp.ir.family.N`."""


@dataclass(frozen=True)
class ComplexityFacts:
    """What is known about a problem's circuit depth, as a function of its size ``n``.

    Attributes
    ----------
    complexity_class : str
        E.g. ``"TC0"``, ``"NC1-complete"``, ``"L-complete"``, ``"NL-complete"``, ``"P-complete"``.
    upper : sympy.Expr
        Depth upper bound in :data:`N_SYMBOL`, as an order of growth (constants dropped): the depth
        of a known construction with unbounded fan-in threshold gates (serialcomp's default depth).
    lower : sympy.Expr
        Depth lower bound in the same model, as an order of growth.
    proven : bool
        Whether ``lower`` is a theorem (``True``) or a conjecture (``False``); ``upper`` is always a
        construction.
    references : tuple of str
    notes : str

    Example
    -------
    >>> f = ComplexityFacts("NC1-complete", sympy.log(N_SYMBOL), sympy.log(N_SYMBOL), False)
    >>> f.upper.subs(N_SYMBOL, sympy.E), f.proven
    (1, False)
    """

    complexity_class: str
    upper: sympy.Expr
    lower: sympy.Expr
    proven: bool
    references: tuple[str, ...] = ()
    notes: str = ""

    def as_dict(self) -> dict[str, Any]:
        """JSON-friendly view (bounds as strings).

        Example
        -------
        >>> ComplexityFacts("TC0", sympy.Integer(1), sympy.Integer(1), True).as_dict()["upper"]
        '1'
        """
        return {
            "complexity_class": self.complexity_class,
            "upper": str(self.upper),
            "lower": str(self.lower),
            "proven": self.proven,
            "references": list(self.references),
            "notes": self.notes,
        }
