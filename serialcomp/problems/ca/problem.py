"""The registered problems ``ca:rule110``, ``ca:rule30`` and ``ca:rule90`` (the centre cell of a ring of
width n after t steps) and their circuit families.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any, Mapping

import numpy as np
import sympy

from ..._validate import check_int
from ...errors import ProblemParameterError
from ...ir.family import N
from ..bits import check_bit_rows
from ..facts import Bound, ComplexityFacts
from ..instances import Instances
from ..problem import Problem
from ..registry import register
from ..rng import MAX_DRAWS, RecordRNG
from .rules import _centre_after, _evolve, check_rule, rule90_coefficients, rule90_shortcut

__all__ = ["MAX_STEPS", "MAX_CELL_STEPS", "MAX_T", "CellularAutomatonProblem", "ca_families", "fixed_family",
           "blocks_family"]

MAX_STEPS = 2**20
"""Largest ``t`` for rules that are stepped (all but rule 90): ~13 us per step for a batch of up to
64 narrow rows, so ~15 s at the bound."""
MAX_CELL_STEPS = 2**26
"""Largest ``t * w`` (cell updates per record) for stepped rules: at the bound a chunk of 4096
records takes seconds (measured: w = 1024, t = 65536, 4096 records in ~6 s; one step costs
O(w * count / 64) word operations)."""
MAX_T = 2**63 - 1
"""Largest ``t`` of any rule (rule 90 included): ``t`` is recorded as an int64 parameter."""


_NEARY = "Neary, Woods. P-completeness of cellular automaton Rule 110. ICALP 2006, LNCS 4051"
_COOK = "Cook. Universality in elementary cellular automata. Complex Systems 15(1), 2004"
_WOLFRAM = "Wolfram. Statistical mechanics of cellular automata. Rev. Mod. Phys. 55(3), 1983"
_MOORE = ("Moore. Predicting nonlinear cellular automata quickly by decomposing them into linear ones. "
          "Physica D 111, 1998")

_LIN = N / sympy.log(N)
_POLYLOG = "not polylog"


def _sequential(rule: int) -> tuple[Bound, ...]:
    return (
        Bound("upper", "TC0", _LIN, "proven", "ca.blocks_asymptotic"),
        Bound("lower", "TC0", sympy.Integer(1), "proven", "fanin.trivial_lower"),
        Bound("lower", "TC0", None, "conjectured", f"ca.rule{rule}_conjecture", _POLYLOG, size="poly"),
        Bound("upper", "AC0", _LIN, "proven", "ca.blocks_asymptotic", size="poly"),
        Bound("lower", "fan-in 2", sympy.log(N), "proven", "fanin.problem_cones"),
    )


_FACTS = {
    110: ComplexityFacts(
        "P-complete", _LIN, sympy.Integer(1), True, (_NEARY, _COOK),
        "Predicting rule 110 is P-complete (Neary-Woods 2006), so it has no polylog-depth polynomial-size "
        "circuits unless NC = P (conjectured: P != NC). Bounds for the default t = n, unbounded fan-in: "
        "t steps cost depth 2t step by step (looped), but k steps are one DNF over the 2k + 1 cells of the "
        "light cone, so depth 2 ceil(t/k) (blocks4: k = 4), and O(n / log n) at polynomial size with "
        "k = Theta(log n). A linear lower bound is false in this model; only the trivial lower bound is "
        "proven, and with fan-in 2 Omega(log n) (the centre depends on every cell).",
        _sequential(110),
    ),
    30: ComplexityFacts(
        "P (conjectured inherently sequential)", _LIN, sympy.Integer(1), True, (_WOLFRAM, _MOORE),
        "Rule 30 (new = l XOR (c OR r)) is chaotic and used as a pseudo-random generator; no parallel "
        "shortcut is known and no hardness proof exists (not even P-completeness). Bounds for the default "
        "t = n, unbounded fan-in: depth 2 ceil(t/k) with k-step light-cone DNFs (blocks4), O(n / log n) at "
        "polynomial size; conjectured: no polylog depth (no reduction supports it). With fan-in 2, "
        "Omega(log n) is proven (cone of influence).",
        _sequential(30),
    ),
    90: ComplexityFacts(
        "AC0[2] (linear over GF(2))", sympy.Integer(1), sympy.Integer(1), True, (_WOLFRAM, _MOORE),
        "Rule 90 (new = l XOR r) is linear over GF(2): after t steps a cell is the XOR of the cells at "
        "offsets 2k - t (mod w) for the k with binom(t, k) odd (Pascal's triangle mod 2; Lucas: k a "
        "submask of t). One parity gate: depth 1 with XOR gates (AC0[2]), constant depth with threshold "
        "gates (TC0), for every t; the sampler computes it in O(w log t).",
        (Bound("upper", "TC0", sympy.Integer(1), "proven", "ca.rule90_thr"),
         Bound("lower", "TC0", sympy.Integer(1), "proven", "fanin.trivial_lower"),
         Bound("upper", "ACC0", sympy.Integer(1), "proven", "ca.rule90_xor")),
    ),
}


_EXHAUSTIVE_WIDTH = 10  # rings up to this width are all tried for a constant answer (1024 rows, any t)


class CellularAutomatonProblem(Problem):
    """``ca:rule<R>``: the centre cell of a random width-``n`` ring after ``t`` steps of rule R.

    Inputs ``row`` bool ``(count, n)``; target uint8 ``(count,)`` (cell ``n // 2`` after ``t``
    steps); target ``final`` uint8 ``(count, n)`` (the whole row); meta ``ones`` (1s in the input).
    Parameter ``t`` (the knob, default ``n``).  Bits: ``row`` (n).  Tokens: the cells, ``"0"``/``"1"``.

    Parameters
    ----------
    rule : int
        Wolfram rule number, 0..255 (30, 90 and 110 are registered).

    Notes
    -----
    Sampling is O(t * n * count / 64) word operations (bit-sliced over the batch) for stepped
    rules, which therefore need ``t <= MAX_STEPS`` and ``t * n <= MAX_CELL_STEPS``; rule 90 uses
    its closed form, O(n log t + k * n * count / 64) with ``k <= n``, for any ``t <= MAX_T``.

    Example
    -------
    >>> p = CellularAutomatonProblem(110)
    >>> inst = p.sample(8, 3, seed=0, t=5)
    >>> [p.solve(inst.get_inputs(i), t=5) for i in range(3)] == inst.targets["target"].tolist()
    True
    """

    key_prefix = "ca"
    knob = "t"
    min_n = 1
    max_n = MAX_DRAWS
    max_n_reason = "one 64-bit random word per cell"
    n_meaning = "ring width w (cells in the row); the number of steps t defaults to n"
    defaults = {"t": None}

    def __init__(self, rule: int) -> None:
        self.rule = check_rule(rule)
        self.variant = f"rule{self.rule}"
        self.key = f"ca:{self.variant}"
        self.description = (f"centre cell of a width-n periodic row after t steps (default n) of "
                            f"elementary cellular automaton rule {self.rule}")
        self.facts = _FACTS.get(self.rule) or ComplexityFacts(
            "P", N, sympy.Integer(1), True, (_WOLFRAM,), "t = n steps of constant depth; no facts recorded.")

    def resolve_params(self, n: int, params: Mapping[str, Any]) -> dict[str, Any]:
        p = super().resolve_params(n, params)
        given = p["t"] is not None
        p["t"] = check_int("t", p["t"], 0, MAX_T, where=self.key, error=ProblemParameterError) if given else n
        self._check_cost(n, p["t"], given)
        self._check_not_constant(n, p["t"])
        return p

    def _check_cost(self, n: int, t: int, given: bool = True) -> None:
        """Refuse ``t`` (and ``t * n``) beyond the documented bounds for rules that are stepped.

        When ``t`` was not given it is ``n``, so the message says that ``n`` is too large.
        """
        head = f"{self.key}: n={n}, t={t}: " if given else f"n={n} is too large for {self.key} with the default t = n: "
        if self.rule == 90:
            k = int(rule90_coefficients(n, t).sum())
            if n * min(t, k) > MAX_CELL_STEPS:
                raise ProblemParameterError(
                    f"{head}n * min(t, {k} cells XORed by the closed form) = {n * min(t, k)} exceeds "
                    f"MAX_CELL_STEPS={MAX_CELL_STEPS}; use a narrower ring" + ("" if given else " or a smaller t"))
            return
        if t > MAX_STEPS:
            raise ProblemParameterError(
                f"{head}t exceeds MAX_STEPS={MAX_STEPS}: rule {self.rule} has no known shortcut, so sampling steps "
                f"the ring t times (~13 us per step per 64 records); use t <= {MAX_STEPS}")
        if t * n > MAX_CELL_STEPS:
            raise ProblemParameterError(
                f"{head}t * n = {t * n} cell updates per record exceeds MAX_CELL_STEPS={MAX_CELL_STEPS} "
                f"(rule {self.rule} is stepped: O(t * n) per record); use t <= {MAX_CELL_STEPS // n} at this width")

    def _check_not_constant(self, n: int, t: int) -> None:
        """Refuse sizes where every instance has the same answer: a dataset of one label.

        Rule 90 is linear, so the centre is constant exactly when no cell enters it (the
        coefficients of :func:`rule90_coefficients` vanish: on a ring whose width is a power of two,
        from ``t >= n / 2`` on); for other rules, rings up to ``_EXHAUSTIVE_WIDTH`` cells are
        checked exhaustively, for any ``t`` (:func:`_centre_after`).
        """
        why = None
        if self.rule == 90:
            if not rule90_coefficients(n, t).any():
                why = (f"rule 90 on a ring whose width n={n} is a power of two is all 0 after n/2 steps; "
                       f"use t < {max(1, n // 2)} or a width that is not a power of two")
        elif n <= _EXHAUSTIVE_WIDTH:
            centre = _centre_after(self.rule, n, t)
            if centre.min() == centre.max():
                why = f"the centre cell is {int(centre[0])} after t={t} steps from every one of the 2^{n} rows"
        if why:
            raise ProblemParameterError(f"{self.key}: n={n}, t={t}: every target is the same ({why})")

    def _generate(self, n: int, rng: RecordRNG, params: dict[str, Any]):
        row = rng.bits("row", (n,))
        final = _evolve(row, self.rule, params["t"])
        ones = row.sum(axis=1).astype(np.int64)
        return {"row": row}, {"target": final[:, n // 2].copy(), "final": final}, {"ones": ones}

    def solve(self, record_inputs: Mapping[str, np.ndarray], **params: Any) -> int:
        """The plain step loop, one cell at a time (rule 90 beyond ``MAX_STEPS``: its closed form)."""
        x = [int(b) for b in np.asarray(record_inputs["row"]).tolist()]
        w = len(x)
        t = params.get("t")
        t = w if t is None else check_int("t", t, 0, MAX_T, where=self.key, error=ProblemParameterError)
        if t > MAX_STEPS:
            if self.rule != 90:
                raise ProblemParameterError(f"{self.key}: t={t} exceeds MAX_STEPS={MAX_STEPS} (stepped rules)")
            return int(rule90_shortcut(np.array(x, dtype=np.uint8), t)[w // 2])
        for _ in range(t):
            x = [(self.rule >> (4 * x[i - 1] + 2 * x[i] + x[(i + 1) % w])) & 1 for i in range(w)]
        return x[w // 2]

    def columns(self, instances: Instances) -> dict[str, Any]:
        return {"row": instances.inputs["row"].astype(np.uint8), **instances.targets, **instances.meta}

    def encode_bits(self, instances: Instances) -> np.ndarray:
        return instances.inputs["row"].astype(bool)

    def decode_bits(self, bits: np.ndarray, n: int, **params: Any) -> dict[str, np.ndarray]:
        return {"row": check_bit_rows(bits, n, self.key, "bits")}

    def vocab(self, n: int, **params: Any) -> list[str]:
        return ["0", "1"]

    def encode_tokens(self, instances: Instances) -> np.ndarray:
        return instances.inputs["row"].astype(np.int64)

    def decode_tokens(self, tokens: np.ndarray, n: int, **params: Any) -> dict[str, np.ndarray]:
        return {"row": check_bit_rows(tokens, n, self.key, "tokens")}

    def families(self) -> list[Any]:
        """``looped`` (recurrent, serial depth 2t), and ``light_cone``/``light_cone_thr`` (rule 90: depth 1/2) or
        ``fixed8`` (bounded: 8 steps) and ``blocks4`` (depth 2 ceil(t/4)); see :func:`ca_families`."""
        return list(ca_families(self.rule))


# ---------------------------------------------------------------------------------------------
# circuit families (constructions in .automata; input encode_bits, output the centre cell).
# Build parameter ``t`` (default n), as the problem's knob; claims assume t = n.
# ---------------------------------------------------------------------------------------------


def fixed_family(rule: int, d: int) -> Any:
    """The bounded family ``fixed<d>``: ``min(t, d)`` unrolled steps, exact for ``t <= d`` only.

    Example
    -------
    >>> f = fixed_family(110, 3)
    >>> f.name, f.kind, f.claimed(2), f.claimed(9), f(9).depth(), f.valid_up_to(**f.params)
    ('fixed3', 'bounded', 4, 6, 6, 3)
    """
    from ...ir.family import CircuitFamily
    from . import automata as am

    rule, d = check_rule(rule), check_int("d", d, 0, where="fixed_family", error=ProblemParameterError)
    return CircuitFamily(
        f"fixed{d}", f"ca:rule{rule}", "bounded",
        lambda n, d, t=None: am.ca_unrolled(n, rule, min(n if t is None else t, d), cell=n // 2),
        am.rule_step_depth(rule) * sympy.Min(N, d), params={"d": d}, valid_up_to=lambda d, t=None: d,
        description=f"min(t, {d}) one-step layers unrolled (light cone of the centre cell)")


def blocks_family(rule: int, k: int) -> Any:
    """The family ``blocks<k>``: ``t`` steps as ``ceil(t / k)`` blocks of ``k`` steps, each block one
    light-cone DNF per cell (:func:`serialcomp.problems.ca.cones.ca_blocks`).

    Notes
    -----
    Claimed depth ``2 ceil(n / k)`` (``t = n``), an upper bound (``exact=False``): equal on rings
    of ``n >= 5`` cells for rules 30 and 110 at ``k = 4``, below it on smaller rings, where a block's
    cone wraps around and its DNF folds.

    Example
    -------
    >>> f = blocks_family(110, 4)
    >>> f.name, f.kind, f.claimed(33), f(33).depth()
    ('blocks4', 'recurrent', 18, 18)
    """
    from ...ir.family import CircuitFamily
    from .cones import ca_blocks

    rule, k = check_rule(rule), check_int("k", k, 1, 6, where="blocks_family", error=ProblemParameterError)
    return CircuitFamily(
        f"blocks{k}", f"ca:rule{rule}", "recurrent",
        lambda n, k, t=None: ca_blocks(n, rule, n if t is None else t, k, cell=n // 2),
        2 * sympy.ceiling(N / k), exact=False, params={"k": k},
        description=f"blocks of {k} steps, each one AND/OR layer pair: the {2 * k + 1}-cell light cone of a "
                    "cell as a DNF (prime implicants); depth 2 ceil(t/k), not 2t")


@lru_cache(maxsize=None)
def ca_families(rule: int) -> tuple[Any, ...]:
    """The families of ``ca:rule<R>``: ``looped``, then ``light_cone`` (R = 90) or ``fixed8`` and ``blocks4``.

    Notes
    -----
    ``looped``: serial depth exactly ``2t`` (step depth 2, readout 0). ``light_cone``: depth exactly
    1 (an XOR gate even over one or no cell); ``light_cone_thr``: the same parity with threshold
    gates, depth exactly 2 (on the gate basis of parity's ``threshold2``, so TC0 claims compare). On a ring of width ``2^k`` rule 90 reaches all zeros
    within ``2^(k-1)`` steps (``(z + 1/z)^(2^(k-1)) = 0`` mod ``z^(2^k) - 1``), so with ``t = n``
    its targets are constant there: measure rule 90 at odd widths.

    Example
    -------
    >>> [(f.name, f.kind, f.claimed(7)) for f in ca_families(90)]
    [('looped', 'recurrent', 14), ('light_cone', 'constant', 1), ('light_cone_thr', 'constant', 2)]
    """
    from ...ir.family import CircuitFamily
    from . import automata as am

    key = f"ca:rule{rule}"
    looped = CircuitFamily(
        "looped", key, "recurrent", lambda n, t=None: am.ca_looped(n, rule, cell=n // 2),
        sympy.Integer(0) if rule in (0, 255) else 2 * N, steps=lambda n, t=None: n if t is None else t,
        description="loop-mode step (2-level sum of products, the first step loads the row), t steps")
    if rule != 90:
        return looped, fixed_family(rule, 8), blocks_family(rule, 4)
    cone = CircuitFamily(
        "light_cone", key, "constant", lambda n, t=None: am.rule90_light_cone(n, n if t is None else t, cell=n // 2),
        sympy.Integer(1), description="one XOR gate over the cells Pascal's triangle mod 2 selects")
    cone_thr = CircuitFamily(
        "light_cone_thr", key, "constant",
        lambda n, t=None: am.rule90_light_cone(n, n if t is None else t, cell=n // 2, gates="thr"),
        sympy.Integer(2), description="depth-2 threshold parity (TC0, as parity's threshold2) of the light cone")
    return looped, cone, cone_thr


for _rule in (110, 30, 90):
    register(CellularAutomatonProblem(_rule))
