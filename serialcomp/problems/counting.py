"""Counting baselines: ``parity`` (the XOR of n bits) and ``majority`` (more than half of n bits).

Both are functions of the number of ones of one bit row ``x``: constant depth with threshold gates,
so they anchor the parallel end of every study (parity is not in AC0: it needs a MOD_2 or
threshold gate). The circuit families are built from :mod:`serialcomp.blocks.parity` and
:mod:`serialcomp.blocks.arith` (imported when a family is built, so importing is cheap).
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any, Mapping

import numpy as np
import sympy

from ..errors import ProblemParameterError
from ..ir.family import N
from .bits import check_bit_rows
from .facts import Bound, ComplexityFacts
from .instances import Instances
from .problem import Problem
from .registry import register
from .rng import MAX_DRAWS, RecordRNG

__all__ = ["ParityProblem", "MajorityProblem", "counting_families"]

_ONE = sympy.Integer(1)
_LOG = sympy.log(N)
_SUBLOG = sympy.log(N) / sympy.log(sympy.log(N))
_CSV = "Chandra, Stockmeyer, Vishkin. Constant depth reducibility. SIAM J. Comput. 13(2), 1984"
_VOLLMER = "Vollmer. Introduction to Circuit Complexity. Springer, 1999"

class _BitsProblem(Problem):
    """Shared encodings for problems whose input is one bit row ``x`` of length n."""

    max_n = MAX_DRAWS
    max_n_reason = "one 64-bit random word per input bit"

    def _generate(self, n: int, rng: RecordRNG, params: dict[str, Any]):
        x = rng.bits("x", (n,))
        ones = x.sum(axis=1).astype(np.int64)
        return {"x": x}, {"target": self._target(ones, n)}, {"ones": ones}

    def _target(self, ones: np.ndarray, n: int) -> np.ndarray:
        raise NotImplementedError

    def columns(self, instances: Instances) -> dict[str, Any]:
        return {"x": instances.inputs["x"].astype(np.uint8), "target": instances.targets["target"],
                "ones": instances.meta["ones"]}

    def encode_bits(self, instances: Instances) -> np.ndarray:
        """Bit ``j`` is ``x[j]``; shape ``(count, n)``."""
        return instances.inputs["x"].astype(bool)

    def decode_bits(self, bits: np.ndarray, n: int, **params: Any) -> dict[str, np.ndarray]:
        return {"x": check_bit_rows(bits, n, self.key)}

    def vocab(self, n: int, **params: Any) -> list[str]:
        return ["0", "1"]

    def encode_tokens(self, instances: Instances) -> np.ndarray:
        return instances.inputs["x"].astype(np.int64)

    def decode_tokens(self, tokens: np.ndarray, n: int, **params: Any) -> dict[str, np.ndarray]:
        t = np.asarray(tokens)
        if t.ndim != 2 or t.shape[1] != n or ((t != 0) & (t != 1)).any():
            raise ProblemParameterError(f"{self.key}: tokens must be 0/1 of shape (count, {n})")
        return {"x": t.astype(bool)}


class ParityProblem(_BitsProblem):
    """``parity``: the XOR of n uniformly random bits.

    Inputs ``x`` bool ``(count, n)``; target bool ``(count,)``; meta ``ones`` (number of 1s).

    Notes
    -----
    Depth 1 with an XOR (MOD_2) gate, 2 with threshold gates: in AC0[2] and TC0, proven not in AC0
    (Furst-Saxe-Sipser, Ajtai, Hastad). Sampling is O(n) per instance.

    Example
    -------
    >>> inst = ParityProblem().sample(6, 2, seed=3)
    >>> bool(inst.targets["target"][0]) == bool(inst.inputs["x"][0].sum() % 2)
    True
    """

    key = key_prefix = "parity"
    variant = ""
    description = "XOR of n random bits"
    n_meaning = "number of input bits"
    facts = ComplexityFacts(
        "AC0[2] (so ACC0 and TC0); not in AC0", _ONE, _ONE, True,
        ("Furst, Saxe, Sipser. Parity, circuits, and the polynomial-time hierarchy. Math. Syst. Theory 17, 1984",
         "Ajtai. Sigma^1_1-formulae on finite structures. Annals of Pure and Applied Logic 24, 1983",
         "Hastad. Almost optimal lower bounds for small depth circuits. STOC 1986",
         "Razborov. Lower bounds on the size of bounded depth circuits over a complete basis with logical "
         "addition. Math. Notes 41(4), 1987",
         "Smolensky. Algebraic methods in the theory of lower bounds for Boolean circuit complexity. STOC 1987"),
        "One MOD_2 (XOR) gate of fan-in n, so in AC0[2] and hence ACC0; depth 2 with threshold gates (TC0). "
        "Proven not in AC0: polynomial-size AND/OR/NOT circuits of constant depth cannot compute it "
        "(Furst-Saxe-Sipser, Ajtai); depth-d circuits need size exp(Omega(n^(1/(d-1)))) (Hastad), so "
        "polynomial size needs depth Omega(log n / log log n) with AND/OR gates, which blocks of log n bits "
        "written as DNFs meet. Not in AC0[p] for odd primes p (Smolensky; Razborov's theorem is about "
        "majority with parity gates). With fan-in 2 AND/OR: formula size at least n^2 (Khrapchenko), so "
        "depth at least ceil(2 log2 n), met by the XOR tree at powers of 2. Bounds in the threshold-gate "
        "model: upper 1, lower 1 (proven).",
        (Bound("upper", "TC0", _ONE, "proven", "arith.parity_threshold2"),
         Bound("lower", "TC0", _ONE, "proven", "fanin.trivial_lower"),
         Bound("upper", "ACC0", _ONE, "proven", "arith.parity_one_gate"),
         Bound("upper", "AC0", _SUBLOG, "proven", "arith.parity_ac0_blocks", size="poly"),
         Bound("lower", "AC0", _SUBLOG, "proven", "arith.parity_ac0_lower", size="poly"),
         Bound("upper", "fan-in 2", _LOG, "proven", "fanin.khrapchenko_parity", "2 log2 n"),
         Bound("lower", "fan-in 2", _LOG, "proven", "fanin.khrapchenko_parity", "2 log2 n")),
    )

    def _target(self, ones: np.ndarray, n: int) -> np.ndarray:
        return (ones & 1).astype(bool)

    def families(self) -> list[Any]:
        """``xor_tree`` (log), ``threshold2`` (constant, depth 2), ``stream`` (recurrent, n steps)."""
        return list(counting_families(self.key))

    def solve(self, record_inputs: Mapping[str, np.ndarray], **params: Any) -> bool:
        acc = False
        for b in np.asarray(record_inputs["x"]).tolist():
            acc ^= bool(b)
        return acc


class MajorityProblem(_BitsProblem):
    """``majority``: whether more than half of n random bits are 1 (ties, for even n, give 0).

    Notes
    -----
    One MAJ/THR gate: depth 1. TC0-complete under AC0 reductions.

    Example
    -------
    >>> MajorityProblem().solve({"x": np.array([1, 1, 0, 0])})
    False
    """

    key = key_prefix = "majority"
    variant = ""
    description = "whether more than half of n random bits are 1"
    n_meaning = "number of input bits"
    facts = ComplexityFacts(
        "TC0-complete", _ONE, _ONE, True,
        (_CSV, _VOLLMER,
         "Razborov. Lower bounds on the size of bounded depth circuits over a complete basis with logical "
         "addition. Math. Notes 41(4), 1987",
         "Smolensky. Algebraic methods in the theory of lower bounds for Boolean circuit complexity. STOC 1987",
         "Hastad. Almost optimal lower bounds for small depth circuits. STOC 1986"),
        "One threshold gate; TC0-complete under AC0 reductions. Not in AC0 (parity reduces to it in constant "
        "depth, so Hastad's bound applies: Omega(log n / log log n) at polynomial size); not in AC0[2] "
        "(Razborov 1987) and not in AC0[p] for any prime p (Smolensky 1987); whether it is in ACC0 (MOD_m "
        "gates for composite m) is open. With fan-in 2: Theta(log n) (every input matters; the adder tree).",
        (Bound("upper", "TC0", _ONE, "proven", "arith.majority_gate"),
         Bound("lower", "TC0", _ONE, "proven", "fanin.trivial_lower"),
         Bound("lower", "ACC0", None, "proven", "arith.majority_not_ac0", "omega(1) with MOD_p, p prime", "poly"),
         Bound("lower", "AC0", _SUBLOG, "proven", "arith.majority_not_ac0", size="poly"),
         Bound("upper", "fan-in 2", _LOG, "proven", "arith.majority_adder_tree"),
         Bound("lower", "fan-in 2", _LOG, "proven", "fanin.problem_cones")))

    def _target(self, ones: np.ndarray, n: int) -> np.ndarray:
        return 2 * ones > n

    def families(self) -> list[Any]:
        """``maj_gate`` (constant, depth 1) and ``adder_tree`` (log, fan-in 2 popcount + compare)."""
        return list(counting_families(self.key))

    def solve(self, record_inputs: Mapping[str, np.ndarray], **params: Any) -> bool:
        x = [int(b) for b in np.asarray(record_inputs["x"]).tolist()]
        return 2 * sum(x) > len(x)

# ---------------------------------------------------------------------------------------------
# circuit families (built from serialcomp.blocks; imported lazily so this module stays cheap)
# ---------------------------------------------------------------------------------------------


def _parity_xor_tree(n: int):
    from ..blocks.parity import xor_tree
    from ..ir.builder import CircuitBuilder

    b = CircuitBuilder()
    b.output(xor_tree(b, b.input_bus("x", n)), "parity")
    return b.build()


def _parity_threshold2(n: int):
    from ..blocks.parity import threshold_parity
    from ..ir.builder import CircuitBuilder

    b = CircuitBuilder()
    b.output(threshold_parity(b, b.input_bus("x", n)), "parity")
    return b.build()


def _parity_stream(n: int):
    from ..blocks.parity import stream_parity

    return stream_parity()


def _encode_stream_bits(instances: Instances) -> np.ndarray:
    """``x`` as a stream of one bit per step: bool ``(count, n, 1)``."""
    return instances.inputs["x"].astype(bool)[:, :, None]


def _decode_stream_parity(outputs: np.ndarray, instances: Instances) -> np.ndarray:
    """Per-instance correctness: the output of the last step against the target."""
    return np.asarray(outputs)[:, -1, 0] == instances.targets["target"].astype(bool)


def _majority_gate(n: int):
    from ..ir.builder import CircuitBuilder

    b = CircuitBuilder()
    b.output(b.maj(*b.input_bus("x", n)), "majority")
    return b.build()


def _majority_adder_tree(n: int):
    from ..blocks.arith import compare_const, popcount
    from ..ir.builder import CircuitBuilder

    b = CircuitBuilder()
    b.output(compare_const(b, popcount(b, b.input_bus("x", n)), n // 2 + 1), "majority")
    return b.build()


def _n_steps(n: int) -> int:
    return n


@lru_cache(maxsize=None)
def counting_families(key: str) -> tuple:
    """The circuit families of ``parity`` or ``majority`` (built once, on first use).

    ==========  ================  =========  ====================================  =====
    problem     family            kind       claimed depth                         exact
    ==========  ================  =========  ====================================  =====
    parity      xor_tree          log        ``ceil(log2 n)``                      yes
    parity      threshold2        constant   2                                     yes
    parity      stream            recurrent  ``n`` (n steps)                       yes
    majority    maj_gate          constant   1                                     yes
    majority    adder_tree        log        ``6 ceil(log2 n)``                    bound
    ==========  ================  =========  ====================================  =====

    The upper-bound claim of majority's ``adder_tree`` was checked for n <= 1100.

    Example
    -------
    >>> [(f.name, f.kind, f.serial_depth(8), f.claimed(8)) for f in counting_families("parity")]
    [('xor_tree', 'log', 3, 3), ('threshold2', 'constant', 2, 2), ('stream', 'recurrent', 8, 8)]
    """
    from ..ir.family import CircuitFamily

    log2n = sympy.ceiling(sympy.log(N, 2))
    if key == "parity":
        return (
            CircuitFamily("xor_tree", key, "log", _parity_xor_tree, log2n,
                          description="balanced tree of fan-in-2 XOR gates"),
            CircuitFamily("threshold2", key, "constant", _parity_threshold2, sympy.Integer(2),
                          description="THR [sum x >= k] for k = 1..n, then one THR with weights +1, -1, ..."),
            CircuitFamily("stream", key, "recurrent", _parity_stream, N, steps=_n_steps,
                          encode=_encode_stream_bits, decode=_decode_stream_parity,
                          description="1-bit XOR accumulator, one input bit per step"),
        )
    if key == "majority":
        return (
            CircuitFamily("maj_gate", key, "constant", _majority_gate, _ONE,
                          description="one strict-majority gate"),
            CircuitFamily("adder_tree", key, "log", _majority_adder_tree, 6 * log2n, exact=False,
                          description="fan-in-2 popcount (carry-save tree + prefix adder), compare with n//2 + 1"),
        )
    return ()


for _cls in (ParityProblem, MajorityProblem):
    register(_cls())
