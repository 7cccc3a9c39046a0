"""The registered problem ``cvp`` (random layered circuits, width n) and its circuit families."""

from __future__ import annotations

from functools import lru_cache
from typing import Any, Mapping

import numpy as np
import sympy

from ..._validate import check_int
from ...errors import ProblemParameterError
from ...ir.family import N
from ..bits import bits_of, flat2d, int_of_bits
from ..columns import Coded
from ..facts import Bound, ComplexityFacts
from ..instances import Instances
from ..problem import Problem
from ..registry import register
from ..rng import RecordRNG

__all__ = ["CircuitValueProblem", "GATE_NAMES", "MAX_DEPTH", "MAX_GATES", "evaluate_layers"]

GATE_NAMES = ("AND", "OR", "XOR", "XNOR")
MAX_DEPTH = 2**16
"""Largest ``depth``: sampling evaluates the layers one after another (one vectorised pass each)."""
MAX_GATES = 2**22
"""Largest ``depth * n`` (gates per record, each stored as a type and two operand indices)."""


def evaluate_layers(x: np.ndarray, gate: np.ndarray, left: np.ndarray, right: np.ndarray) -> np.ndarray:
    """Values of every layer, vectorised over the batch: bool ``(count, depth, n)``.

    Gate codes: 0 AND, 1 OR, 2 XOR, 3 XNOR (:data:`GATE_NAMES`).

    Example
    -------
    >>> evaluate_layers(np.array([[1, 0]], bool), np.array([[[0, 1, 2, 3]]]), np.array([[[0, 0, 0, 0]]]),
    ...                 np.array([[[1, 1, 1, 1]]])).astype(int).tolist()
    [[[0, 1, 1, 0]]]
    """
    vals = np.asarray(x, dtype=bool)
    out = np.empty(gate.shape, dtype=bool)
    for layer in range(gate.shape[1]):
        a = np.take_along_axis(vals, left[:, layer].astype(np.int64), 1)
        b = np.take_along_axis(vals, right[:, layer].astype(np.int64), 1)
        g = gate[:, layer]
        vals = np.where(g >= 2, a ^ b ^ (g == 3), np.where(g == 1, a | b, a & b))
        out[:, layer] = vals
    return out


class CircuitValueProblem(Problem):
    """``cvp``: the value of a random layered fan-in-2 circuit of width n and depth ``depth``.

    Inputs ``x`` bool ``(count, n)``; ``gate`` int8 ``(count, depth, n)`` (0 AND, 1 OR, 2 XOR,
    3 XNOR, uniform); ``left``, ``right`` int ``(count, depth, n)``: distinct previous-layer
    indices (for n = 1 both are 0). Target: gate 0 of the last layer (bool). Readable records
    (:meth:`columns`) name the gates (``"AND"``, ``"OR"``, ``"XOR"``, ``"XNOR"``); the stored arrays
    and ``records(readable=False)`` keep the codes.
    Bits: ``x``, then per gate (layer-major) 2 bits of type, ``w`` bits of left, ``w`` of right,
    ``w = max(1, ceil(log2 n))``, LSB first. Tokens: ``x`` as ``"0"``/``"1"``, then per gate the
    type name and the two operands ``"@i"`` (length ``n + 3*depth*n``).

    Notes
    -----
    P-complete (Ladner 1975); AND/OR alone already are (monotone CVP, Goldschlager 1977), so the
    gate set keeps it.  O(depth * n) sampling and evaluation per instance.

    Why XOR/XNOR: with AND/OR (or AND/OR/NAND/NOR) only, a random layered circuit is a *critical*
    branching process backwards from the output: a gate is sensitive to one given operand with
    probability 1/2, so the expected number of sensitive operands is 1 and a wire reaches the
    output with probability ~ 1/depth.  The target then barely depends on early layers: measured
    (n = 64, depth = 64, 20000 instances) the last 12 layers evaluated from a *random* row match the
    target 90% of the time, and complementing ``x`` changes 0.4% of targets.  XOR/XNOR are
    sensitive to both operands, so with half of the gates XOR/XNOR the expected number is 1.5 and
    the process is supercritical: the same last-12-layers predictor matches 60%, and complementing
    ``x`` changes 40% of targets.

    Example
    -------
    >>> inst = CircuitValueProblem().sample(4, 3, seed=0, depth=5)
    >>> inst.inputs["gate"].shape, inst.targets["target"].shape
    ((3, 5, 4), (3,))
    """

    key = key_prefix = "cvp"
    variant = ""
    description = "value of a random layered AND/OR/XOR/XNOR circuit (width n, `depth` layers)"
    knob = "depth"
    n_meaning = "circuit width: input bits and gates per layer (depth defaults to n)"
    defaults = {"depth": None}
    max_n = MAX_GATES
    max_n_reason = f"depth * n gates per record, at most MAX_GATES={MAX_GATES}, with depth >= 1"
    facts = ComplexityFacts(
        "P-complete", N, sympy.Integer(1), True,
        ("Ladner. The circuit value problem is log space complete for P. SIGACT News 7(1), 1975",
         ("Goldschlager. The monotone and planar circuit value problems are log space complete for P. "
          "SIGACT News 9(2), 1977"),
         "Greenlaw, Hoover, Ruzzo. Limits to Parallel Computation: P-Completeness Theory. OUP, 1995"),
        "Bounds for the default depth = n: the circuit itself has depth n (levelwise: 2n + 1). P-complete "
        "(Ladner), so polylog-depth polynomial-size circuits would give NC = P: conjectured impossible "
        "(P != NC). Nothing stronger is conjectured in the standard sense: a linear lower bound is not "
        "implied by P != NC, and only the trivial lower bound is proven. Gates AND/OR/XOR/XNOR: AND/OR keep "
        "P-completeness (monotone CVP); XOR/XNOR keep the target sensitive to the early layers.",
        (Bound("upper", "TC0", N, "proven", "cvp.levelwise"),
         Bound("lower", "TC0", sympy.Integer(1), "proven", "fanin.trivial_lower"),
         Bound("lower", "TC0", None, "conjectured", "cvp.conjecture", "not polylog", size="poly")),
    )

    def resolve_params(self, n: int, params: Mapping[str, Any]) -> dict[str, Any]:
        p = super().resolve_params(n, params)
        if p["depth"] is None and (n > MAX_DEPTH or n * n > MAX_GATES):
            raise ProblemParameterError(
                f"n={n} is too large for cvp with the default depth = n: depth * n = n^2 gates per record must be "
                f"at most MAX_GATES={MAX_GATES} (n <= {int(MAX_GATES**0.5)}); give a smaller depth (--param depth=D)")
        p["depth"] = check_int("depth", n if p["depth"] is None else p["depth"], 1, MAX_DEPTH,
                               where="cvp (layers are evaluated one after another)", error=ProblemParameterError)
        if p["depth"] * n > MAX_GATES:
            raise ProblemParameterError(
                f"cvp: depth * n = {p['depth']} * {n} = {p['depth'] * n} gates per record exceeds the bound "
                f"{MAX_GATES} (every gate is stored: its type and two operand indices)")
        return p

    @staticmethod
    def _w(n: int) -> int:
        return max(1, (n - 1).bit_length())

    def _generate(self, n: int, rng: RecordRNG, params: dict[str, Any]):
        D = params["depth"]
        x = rng.bits("x", (n,))
        gate = rng.integers("gate", 4, (D, n)).astype(np.int8)
        left = rng.integers("left", n, (D, n))
        right = (left + 1 + rng.integers("right", max(n - 1, 1), (D, n))) % n
        idx_t = np.int16 if n < 2**15 else np.int64
        vals = evaluate_layers(x, gate, left, right)
        return ({"x": x, "gate": gate, "left": left.astype(idx_t), "right": right.astype(idx_t)},
                {"target": vals[:, -1, 0]}, {})

    def solve(self, record_inputs: Mapping[str, np.ndarray], **params: Any) -> bool:
        vals = [bool(v) for v in np.asarray(record_inputs["x"]).tolist()]
        for g_row, l_row, r_row in zip(*(np.asarray(record_inputs[k]).tolist() for k in ("gate", "left", "right"))):
            new = []
            for g, a, b in zip(g_row, l_row, r_row):
                name = GATE_NAMES[g]
                if name == "AND":
                    new.append(vals[a] and vals[b])
                elif name == "OR":
                    new.append(vals[a] or vals[b])
                elif name == "XOR":
                    new.append(vals[a] != vals[b])
                else:
                    new.append(vals[a] == vals[b])
            vals = new
        return vals[0]

    def columns(self, instances: Instances) -> dict[str, Any]:
        i = instances.inputs
        return {"x": i["x"].astype(np.uint8), "gate": Coded(i["gate"].astype(np.int64), GATE_NAMES),
                "left": i["left"], "right": i["right"], "target": instances.targets["target"]}

    def encode_bits(self, instances: Instances) -> np.ndarray:
        i, w = instances.inputs, self._w(instances.n)
        per_gate = np.concatenate([bits_of(i["gate"], 2), bits_of(i["left"], w), bits_of(i["right"], w)], axis=-1)
        return np.concatenate([i["x"], flat2d(per_gate)], axis=1)

    def decode_bits(self, bits: np.ndarray, n: int, **params: Any) -> dict[str, np.ndarray]:
        D, w = self.resolve_params(n, params)["depth"], self._w(n)
        b = np.asarray(bits, dtype=bool)
        if b.ndim != 2 or b.shape[1] != n + D * n * (2 + 2 * w):
            raise ProblemParameterError(f"cvp: expected bits of shape (count, {n + D * n * (2 + 2 * w)}), got {b.shape}")
        g = b[:, n:].reshape(len(b), D, n, 2 + 2 * w)
        left, right = int_of_bits(g[..., 2 : 2 + w]), int_of_bits(g[..., 2 + w :])
        return self._checked(b[:, :n], int_of_bits(g[..., :2]), left, right, n)

    def _checked(self, x: np.ndarray, gate: np.ndarray, left: np.ndarray, right: np.ndarray, n: int) -> dict[str, np.ndarray]:
        if (left >= n).any() or (right >= n).any() or (left < 0).any() or (right < 0).any():
            raise ProblemParameterError(f"cvp: operand index out of range [0, {n})")
        if (gate < 0).any() or (gate > 3).any():
            raise ProblemParameterError("cvp: gate code out of range [0, 4)")
        idx_t = np.int16 if n < 2**15 else np.int64
        return {"x": x.astype(bool), "gate": gate.astype(np.int8), "left": left.astype(idx_t), "right": right.astype(idx_t)}

    def target_bits(self, instances: Instances) -> np.ndarray:
        return instances.targets["target"][:, None]

    def vocab(self, n: int, **params: Any) -> list[str]:
        return ["0", "1", *GATE_NAMES, *(f"@{i}" for i in range(n))]

    def encode_tokens(self, instances: Instances) -> np.ndarray:
        i = instances.inputs
        g = np.stack([i["gate"].astype(np.int64) + 2, i["left"] + 6, i["right"] + 6], axis=-1)
        return np.concatenate([i["x"].astype(np.int64), flat2d(g)], axis=1)

    def families(self) -> list[Any]:
        """``levelwise`` (looped, one layer per step) and ``unrolled`` (its pruned unrolling).

        Both are built for ``depth`` = n (the sampling default); claims assume it.  Constructions
        in :mod:`serialcomp.problems.cvp.evaluator`.
        """
        return list(_cvp_families())

    def decode_tokens(self, tokens: np.ndarray, n: int, **params: Any) -> dict[str, np.ndarray]:
        D = self.resolve_params(n, params)["depth"]
        t = np.asarray(tokens, dtype=np.int64)
        if t.ndim != 2 or t.shape[1] != n + 3 * D * n or (t[:, :n] > 1).any():
            raise ProblemParameterError(f"cvp: expected tokens of shape (count, {n + 3 * D * n})")
        g = t[:, n:].reshape(len(t), D, n, 3)
        return self._checked(t[:, :n] == 1, g[..., 0] - 2, g[..., 1] - 6, g[..., 2] - 6, n)


@lru_cache(maxsize=None)
def _cvp_families() -> tuple[Any, ...]:
    from ...ir.family import CircuitFamily
    from . import evaluator as ce

    levelwise = CircuitFamily(
        "levelwise", "cvp", "recurrent", lambda n: ce.cvp_levelwise_looped(n, n), 2 * N + 1,
        steps=lambda n: n + 1, halt=True,
        description="loop-mode universal evaluator, every gate updated each step (AND + THR, 2 levels); "
                    "a lane uses `depth` steps, the fixed point is detected at step depth + 1")
    unrolled = CircuitFamily(
        "unrolled", "cvp", "recurrent", lambda n: ce.cvp_layered_circuit(n, n), 2 * N + 1,
        description="plain circuit: the universal layer evaluator once per layer (levelwise unrolled, pruned)")
    return levelwise, unrolled


register(CircuitValueProblem())
