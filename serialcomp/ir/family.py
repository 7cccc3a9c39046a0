"""Circuit families: ``n -> Circuit`` (or :class:`LoopedCircuit`) with a kind and a claimed depth."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any, Callable, Union

import sympy

from .._validate import check_int
from ..errors import ProblemParameterError, SerialcompError
from .circuit import Circuit
from .looped import LoopedCircuit

__all__ = ["CircuitFamily", "FAMILY_KINDS", "N"]

#: The size symbol ``n``: the one definition.  Claimed depths, complexity facts and growth fits are
#: sympy expressions in this symbol (``serialcomp.problems`` and ``serialcomp.measure`` import it
#: from here), so expressions from different modules substitute and compare as one variable.
#: (sympy symbols with the same name and assumptions are equal, but a single definition keeps the
#: assumptions, positive integer, from drifting.)
N = sympy.Symbol("n", positive=True, integer=True)

#: Kinds of family: constant depth (TC0/AC0/ACC0), logarithmic, polylogarithmic, recurrent
#: (a looped circuit whose steps grow with n), and bounded (fixed depth, exact only up to a size).
FAMILY_KINDS = ("constant", "log", "polylog", "recurrent", "bounded")

Built = Union[Circuit, LoopedCircuit]


@dataclass(frozen=True)
class CircuitFamily:
    """A family of circuits indexed by the problem size ``n``.

    Parameters
    ----------
    name : str
        Short name, unique within its problem (``"xor_tree"``).
    problem : str
        Registry key of the problem it solves (``"parity"``).
    kind : str
        One of :data:`FAMILY_KINDS`.
    build : callable
        ``build(n, **params) -> Circuit | LoopedCircuit``.
    claimed_depth : sympy expression in :data:`N`
        The depth (serial depth, for recurrent families) the construction claims.
    exact : bool
        Whether the claim is an equality at every n (else an upper bound).
    steps : callable, optional
        For a looped family in loop mode, ``steps(n, **params)``: the steps to run (with halting, the most).
    halt : bool
        Whether a looped family stops each lane at its fixed point.
    encode, decode : callables, optional
        ``encode(instances) -> bool (count, n_inputs)`` and ``decode(outputs, instances) -> bool (count,)``,
        whether each instance was answered correctly; the defaults are the problem's ``encode_bits``
        and a comparison of the outputs with ``target_bits``.
    params : dict
        Extra build parameters (e.g. ``{"d": 3}`` for a fixed-depth family).
    valid_up_to : callable, optional
        For a bounded family, ``valid_up_to(**params)``: the largest hardness it is exact for.
    description : str

    Example
    -------
    >>> from serialcomp.ir import CircuitBuilder
    >>> def one_and(n):
    ...     b = CircuitBuilder(); b.output(b.and_(*b.inputs(n))); return b.build()
    >>> fam = CircuitFamily("and", "and", "constant", one_and, sympy.Integer(1))
    >>> fam(5).depth(), fam.claimed(5)
    (1, 1)
    """

    name: str
    problem: str
    kind: str
    build: Callable[..., Built]
    claimed_depth: sympy.Expr
    exact: bool = True
    steps: Callable[..., int] | None = None
    halt: bool = False
    encode: Callable[..., Any] | None = None
    decode: Callable[..., Any] | None = None
    params: dict[str, Any] = field(default_factory=dict)
    valid_up_to: Callable[..., int] | None = None
    description: str = ""

    def __post_init__(self) -> None:
        if self.kind not in FAMILY_KINDS:
            raise SerialcompError(f"family {self.name!r}: kind must be one of {FAMILY_KINDS}, got {self.kind!r}")
        object.__setattr__(self, "claimed_depth", sympy.sympify(self.claimed_depth))
        object.__setattr__(self, "_cache", lru_cache(maxsize=16)(self._build_uncached))

    def _build_uncached(self, n: int, frozen_params: tuple) -> Built:
        return self.build(n, **dict(frozen_params))

    def __call__(self, n: int, **params: Any) -> Built:
        """The circuit for size ``n`` (built once per ``(n, params)`` and cached)."""
        n = check_int("n", n, 1, where=f"family {self.name!r}", error=ProblemParameterError)
        merged = {**self.params, **params}
        return self._cache(n, tuple(sorted(merged.items())))  # type: ignore[attr-defined]

    def claimed(self, n: int) -> int:
        """The claimed depth at ``n`` as an integer (rounded up)."""
        syms = {s: n for s in self.claimed_depth.free_symbols if getattr(s, "name", "") == "n"}
        return int(sympy.ceiling(self.claimed_depth.subs(syms)))

    def n_steps(self, n: int, **params: Any) -> int | None:
        """Steps a looped family runs at size ``n``: ``steps(n)`` when given, else ``n`` for a
        stream-mode family (one input symbol per step); None for a plain circuit."""
        if self.steps is not None:
            return int(self.steps(n, **{**self.params, **params}))
        built = self(n, **params)
        if isinstance(built, LoopedCircuit) and built.mode == "stream":
            return n
        return None

    def serial_depth(self, n: int, **params: Any) -> int:
        """Depth of the circuit, or serial depth of the looped circuit over :meth:`n_steps` steps."""
        c = self(n, **params)
        if isinstance(c, LoopedCircuit):
            steps = self.n_steps(n, **params)
            if steps is None:
                raise SerialcompError(f"family {self.name!r} builds a looped circuit but has no steps()")
            return c.serial_depth(steps)
        return c.depth()
