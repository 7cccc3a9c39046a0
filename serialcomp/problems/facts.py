"""Complexity facts: what is known about a problem's circuit depth, as sympy expressions in ``n``.

The size symbol is the one of the whole package, :data:`serialcomp.ir.family.N` (claimed depths of
circuit families are written in it too, so facts and claims compare); :data:`N_SYMBOL` is the same
object under the name this module has always exported.

A depth bound holds in a model (gate set, fan-in bound): the word problem over S5 needs depth
``Omega(log n)`` with fan-in 2 but not with unbounded fan-in. So besides the headline ``upper`` and
``lower`` (in serialcomp's default model, unbounded fan-in threshold circuits) a problem lists its
:class:`Bound` s, each naming its model, whether it is proven or conjectured, and the claim of the
catalogue (``proofs/``, ``serialcomp claims``) that states and checks it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import sympy

from ..errors import SerialcompError
from ..ir.family import N

__all__ = ["N_SYMBOL", "MODELS", "Bound", "ComplexityFacts"]

N_SYMBOL = N
"""The size variable of every depth bound: an alias of :data:`serialcomp.ir.family.N`."""


#: Names of the depth models a :class:`Bound` may name (those of :mod:`serialcomp.claims`): unbounded
#: fan-in threshold circuits (serialcomp's default depth), AND/OR with MOD gates, AND/OR alone, and
#: AND/OR with fan-in 2 (negations free in all four). Constant depth in them is TC0, ACC0, AC0, and
#: depth O(log n) in the last is NC1.
MODELS = ("TC0", "ACC0", "AC0", "fan-in 2")

_SIDES = ("upper", "lower")
_STATUS = ("proven", "conjectured")


@dataclass(frozen=True)
class Bound:
    """One depth bound of a problem, in one model.

    Attributes
    ----------
    side : str
        ``"upper"`` or ``"lower"``.
    model : str
        One of :data:`MODELS`.
    order : sympy.Expr or None
        The order of growth in :data:`N_SYMBOL` (constants dropped), or None when ``text`` says
        what cannot be written so (``"omega(1)"``: not constant depth; ``"not polylog"``).
    status : str
        ``"proven"`` (a construction or a theorem, built or cited) or ``"conjectured"``.
    claim : str
        The id of the catalogue claim that states it (``serialcomp claims --id ID``).
    text : str
        How the bound is written in tables (default: the order).
    size : str
        The size the bound is about (``"poly"``: polynomial size; empty: any size).

    Example
    -------
    >>> b = Bound("lower", "fan-in 2", sympy.log(N_SYMBOL), "proven", "fanin.problem_cones")
    >>> b.shown, b.as_dict()["order"]
    ('log(n)', 'log(n)')
    """

    side: str
    model: str
    order: sympy.Expr | None
    status: str
    claim: str
    text: str = ""
    size: str = ""

    def __post_init__(self) -> None:
        if self.side not in _SIDES or self.model not in MODELS or self.status not in _STATUS or not self.claim:
            raise SerialcompError(
                f"Bound({self.side!r}, {self.model!r}, ..., {self.status!r}, {self.claim!r}): side must be one of "
                f"{_SIDES}, model one of {MODELS}, status one of {_STATUS}, and a claim id is needed")
        if self.order is None and not self.text:
            raise SerialcompError("a Bound without an order needs a text")
        if self.order is not None:
            object.__setattr__(self, "order", sympy.sympify(self.order))

    @property
    def shown(self) -> str:
        """The bound as a table writes it: ``text``, else the order."""
        return self.text or str(self.order)

    def as_dict(self) -> dict[str, Any]:
        """JSON view (the order as a string, or None)."""
        return {"side": self.side, "model": self.model, "order": None if self.order is None else str(self.order),
                "text": self.shown, "status": self.status, "claim": self.claim, "size": self.size}


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
    bounds : tuple of Bound
        The bounds per depth model, each with its status and catalogue claim (see :class:`Bound`).

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
    bounds: tuple[Bound, ...] = ()

    def bounds_in(self, model: str) -> list[Bound]:
        """The bounds stated in ``model`` (one of :data:`MODELS`), upper ones first.

        Example
        -------
        >>> f = ComplexityFacts("TC0", sympy.Integer(1), sympy.Integer(1), True,
        ...                     bounds=(Bound("upper", "TC0", 1, "proven", "x.y"),))
        >>> [b.shown for b in f.bounds_in("TC0")], f.bounds_in("AC0")
        (['1'], [])
        """
        return sorted((b for b in self.bounds if b.model == model), key=lambda b: _SIDES.index(b.side))

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
            "bounds": [b.as_dict() for b in self.bounds],
        }
