"""Arithmetic baselines: ``add`` (two n-bit numbers) and ``iadd`` (the sum of n numbers of n bits).

Numbers are bit vectors, least significant bit first. Addition is in AC0 (carry look-ahead) and
iterated addition is TC0-complete: constant depth with threshold gates, the parallel end of every
study. The circuit families are built from :mod:`serialcomp.blocks.arith` (imported when a family
is built, so importing is cheap).
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any, Mapping

import numpy as np
import sympy

from ..errors import ProblemParameterError
from ..ir.family import N
from .bits import bits_to_int, check_bit_rows, flat2d, int_to_bits
from .facts import Bound, ComplexityFacts
from .instances import Instances
from .problem import Problem
from .registry import register
from .rng import MAX_DRAWS, RecordRNG

__all__ = ["AddProblem", "IteratedAddProblem", "add_column_sums", "arithmetic_families"]

_ONE = sympy.Integer(1)
_CSV = "Chandra, Stockmeyer, Vishkin. Constant depth reducibility. SIAM J. Comput. 13(2), 1984"
_VOLLMER = "Vollmer. Introduction to Circuit Complexity. Springer, 1999"

def add_column_sums(colsum: np.ndarray, width: int) -> np.ndarray:
    """Bits of ``sum_j colsum[:, j] * 2**j`` (its low ``width`` bits), bool ``(count, width)``, LSB first.

    ``colsum`` holds non-negative column sums, int ``(count, k)``.

    Notes
    -----
    Bit plane ``b`` of the column sums is itself a number (``(colsum >> b) & 1`` read as bits), so
    the total is ``sum_b plane_b << b``: ``ceil(log2(max + 1))`` planes, each read in one pass and
    added as a Python int. The cost is O(count * (k + width) * log(max)) byte operations, with no
    Python loop over the width (the carries propagate inside the integer additions).

    Example
    -------
    >>> add_column_sums(np.array([[1, 2]]), 3).astype(int).tolist()   # 1 + 2*2 = 5
    [[1, 0, 1]]
    """
    colsum = np.asarray(colsum, dtype=np.int64)
    if colsum.size and int(colsum.min()) < 0:
        raise ProblemParameterError(f"add_column_sums: column sums must be >= 0, got {int(colsum.min())}")
    totals = [0] * len(colsum)
    top = int(colsum.max()) if colsum.size else 0
    for b in range(top.bit_length()):
        for i, v in enumerate(bits_to_int((colsum >> b) & 1)):
            totals[i] += v << b
    mask = (1 << width) - 1
    return int_to_bits([t & mask for t in totals], width)


class AddProblem(Problem):
    """``add``: the sum of two uniformly random n-bit numbers.

    Inputs ``a``, ``b`` bool ``(count, n)`` LSB first; target bool ``(count, n + 1)`` LSB first.
    Bits: ``a`` then ``b`` (2n). Tokens: the bits of ``a``, ``"+"``, the bits of ``b`` (2n + 1).

    Notes
    -----
    In AC0 (carry look-ahead: constant depth, unbounded fan-in). Sampling O(n) per instance.

    Example
    -------
    >>> p = AddProblem()
    >>> inst = p.sample(4, 1, seed=0)
    >>> a, b, s = (sum(int(v) << j for j, v in enumerate(r)) for r in
    ...            (inst.inputs["a"][0], inst.inputs["b"][0], inst.targets["target"][0]))
    >>> a + b == s
    True
    """

    key = key_prefix = "add"
    variant = ""
    description = "sum of two n-bit numbers (n + 1 bit result)"
    n_meaning = "bits per operand (two n-bit numbers; the sum has n + 1 bits)"
    facts = ComplexityFacts(
        "AC0", _ONE, _ONE, True, (_CSV, _VOLLMER),
        "Carry look-ahead: each carry is an OR of ANDs (depth 4 with AND/OR gates, carry_lookahead). With "
        "fan-in 2, Omega(log n): the top bit depends on all 2n input bits (cone of influence).",
        (Bound("upper", "TC0", _ONE, "proven", "arith.add_cla"),
         Bound("lower", "TC0", _ONE, "proven", "fanin.trivial_lower"),
         Bound("upper", "AC0", _ONE, "proven", "arith.add_cla"),
         Bound("lower", "fan-in 2", sympy.log(N), "proven", "fanin.problem_cones")))
    max_n = MAX_DRAWS // 2
    max_n_reason = "two operands of n bits, one 64-bit random word per bit"

    def _generate(self, n: int, rng: RecordRNG, params: dict[str, Any]):
        ab = rng.bits("ab", (2, n))
        a, b = ab[:, 0], ab[:, 1]
        s = add_column_sums(a.astype(np.int64) + b, n + 1)
        return {"a": a, "b": b}, {"target": s}, {}

    def families(self) -> list[Any]:
        """``carry_lookahead`` (constant, depth 4 for n >= 3) and ``ripple`` (recurrent, n + 1 steps)."""
        return list(arithmetic_families(self.key))

    def solve(self, record_inputs: Mapping[str, np.ndarray], **params: Any) -> np.ndarray:
        a, b = bits_to_int(np.stack([record_inputs["a"], record_inputs["b"]]))
        return int_to_bits([a + b], len(record_inputs["a"]) + 1)[0]

    def columns(self, instances: Instances) -> dict[str, Any]:
        i, t = instances.inputs, instances.targets
        return {"a": i["a"].astype(np.uint8), "b": i["b"].astype(np.uint8), "target": t["target"].astype(np.uint8)}

    def encode_bits(self, instances: Instances) -> np.ndarray:
        return np.concatenate([instances.inputs["a"], instances.inputs["b"]], axis=1).astype(bool)

    def decode_bits(self, bits: np.ndarray, n: int, **params: Any) -> dict[str, np.ndarray]:
        b = check_bit_rows(bits, 2 * n, self.key)
        return {"a": b[:, :n], "b": b[:, n:]}

    def target_bits(self, instances: Instances) -> np.ndarray:
        return instances.targets["target"].astype(bool)

    def vocab(self, n: int, **params: Any) -> list[str]:
        return ["0", "1", "+"]

    def encode_tokens(self, instances: Instances) -> np.ndarray:
        a, b = instances.inputs["a"], instances.inputs["b"]
        plus = np.full((len(a), 1), 2, dtype=np.int64)
        return np.concatenate([a.astype(np.int64), plus, b.astype(np.int64)], axis=1)

    def decode_tokens(self, tokens: np.ndarray, n: int, **params: Any) -> dict[str, np.ndarray]:
        t = np.asarray(tokens)
        if t.ndim != 2 or t.shape[1] != 2 * n + 1 or (t[:, n] != 2).any():
            raise ProblemParameterError(f"add: tokens must have shape (count, {2 * n + 1}) with '+' at {n}")
        return {"a": t[:, :n] == 1, "b": t[:, n + 1:] == 1}


class IteratedAddProblem(Problem):
    """``iadd``: the sum of n uniformly random n-bit numbers.

    Inputs ``x`` bool ``(count, n, n)``: row ``r`` is number ``r``, LSB first. Target bool
    ``(count, n + ceil(log2 n))`` LSB first. Bits: ``x`` row-major (n*n). Tokens: the numbers'
    bits separated by ``"+"`` (n*(n+1) - 1).

    Notes
    -----
    TC0-complete (iterated addition); constant depth with threshold gates. Sampling O(n^2).

    Example
    -------
    >>> inst = IteratedAddProblem().sample(3, 1, seed=0)
    >>> inst.targets["target"].shape
    (1, 5)
    """

    key = key_prefix = "iadd"
    variant = ""
    description = "sum of n numbers of n bits"
    n_meaning = "number of summands, each of n bits (n^2 input bits)"
    facts = ComplexityFacts(
        "TC0-complete", _ONE, _ONE, True, (_CSV, _VOLLMER),
        "Threshold gates on the column sums: depth 2 (threshold). Not in AC0: majority is one output bit of an "
        "iterated sum (padded with constants), so Hastad's bound applies (arith.iadd_not_ac0). With fan-in 2, "
        "Theta(log n): a carry-save tree and a prefix adder (adder_tree) meet the cone-of-influence bound.",
        (Bound("upper", "TC0", _ONE, "proven", "arith.iadd_threshold"),
         Bound("lower", "TC0", _ONE, "proven", "fanin.trivial_lower"),
         Bound("lower", "AC0", None, "proven", "arith.iadd_not_ac0", "omega(1)", "poly"),
         Bound("upper", "fan-in 2", sympy.log(N), "proven", "arith.iadd_adder_tree"),
         Bound("lower", "fan-in 2", sympy.log(N), "proven", "fanin.problem_cones")))
    max_n = 4096
    max_n_reason = "n^2 input bits, one 64-bit random word per bit (at most 2**24)"

    @staticmethod
    def out_width(n: int) -> int:
        return n + (n - 1).bit_length()

    def _generate(self, n: int, rng: RecordRNG, params: dict[str, Any]):
        x = rng.bits("x", (n, n))
        s = add_column_sums(x.sum(axis=1, dtype=np.int64), self.out_width(n))
        return {"x": x}, {"target": s}, {}

    def families(self) -> list[Any]:
        """``threshold`` (constant, depth 2) and ``adder_tree`` (log, carry-save + prefix adder)."""
        return list(arithmetic_families(self.key))

    def solve(self, record_inputs: Mapping[str, np.ndarray], **params: Any) -> np.ndarray:
        x = np.asarray(record_inputs["x"])
        return int_to_bits([sum(bits_to_int(x))], self.out_width(len(x)))[0]

    def columns(self, instances: Instances) -> dict[str, Any]:
        return {"x": instances.inputs["x"].astype(np.uint8), "target": instances.targets["target"].astype(np.uint8)}

    def encode_bits(self, instances: Instances) -> np.ndarray:
        x = instances.inputs["x"]
        return flat2d(x).astype(bool)

    def decode_bits(self, bits: np.ndarray, n: int, **params: Any) -> dict[str, np.ndarray]:
        return {"x": check_bit_rows(bits, n * n, self.key).reshape(-1, n, n)}

    def target_bits(self, instances: Instances) -> np.ndarray:
        return instances.targets["target"].astype(bool)

    def vocab(self, n: int, **params: Any) -> list[str]:
        return ["0", "1", "+"]

    def encode_tokens(self, instances: Instances) -> np.ndarray:
        x = instances.inputs["x"].astype(np.int64)
        c, n = x.shape[0], x.shape[1]
        t = np.concatenate([x, np.full((c, n, 1), 2, dtype=np.int64)], axis=2).reshape(c, n * (n + 1))
        return t[:, :-1]

    def decode_tokens(self, tokens: np.ndarray, n: int, **params: Any) -> dict[str, np.ndarray]:
        t = np.asarray(tokens)
        if t.ndim != 2 or t.shape[1] != n * (n + 1) - 1:
            raise ProblemParameterError(f"iadd: tokens must have shape (count, {n * (n + 1) - 1})")
        full = np.concatenate([t, np.full((len(t), 1), 2, dtype=t.dtype)], axis=1).reshape(-1, n, n + 1)
        if (full[:, :, n] != 2).any():
            raise ProblemParameterError("iadd: '+' tokens out of place")
        return {"x": full[:, :, :n] == 1}

# ---------------------------------------------------------------------------------------------
# circuit families (built from serialcomp.blocks; imported lazily so this module stays cheap)
# ---------------------------------------------------------------------------------------------


def _add_carry_lookahead(n: int):
    from ..blocks.arith import carry_lookahead_adder
    from ..ir.builder import CircuitBuilder

    b = CircuitBuilder()
    xs, ys = b.input_bus("a", n), b.input_bus("b", n)
    for j, lit in enumerate(carry_lookahead_adder(b, xs, ys)):
        b.output(lit, f"s[{j}]")
    return b.build()


def _add_ripple(n: int):
    from ..blocks.arith import serial_adder

    return serial_adder()


def _encode_add_stream(instances: Instances) -> np.ndarray:
    """``(a_t, b_t)`` per step, then one ``(0, 0)`` step for the final carry: bool ``(count, n + 1, 2)``."""
    ab = np.stack([instances.inputs["a"], instances.inputs["b"]], axis=2).astype(bool)
    return np.concatenate([ab, np.zeros((len(ab), 1, 2), dtype=bool)], axis=1)


def _iadd_build(n: int, threshold: bool):
    from ..blocks.arith import iterated_sum, threshold_iterated_sum
    from ..ir.builder import CircuitBuilder

    b = CircuitBuilder()
    nums = [b.input_bus(f"x{r}", n) for r in range(n)]
    width = IteratedAddProblem.out_width(n)
    bits = threshold_iterated_sum(b, nums, width) if threshold else iterated_sum(b, nums, width)
    for j, lit in enumerate(bits):
        b.output(lit, f"s[{j}]")
    return b.build()


def _iadd_threshold(n: int):
    return _iadd_build(n, True)


def _iadd_adder_tree(n: int):
    return _iadd_build(n, False)


def _n_plus_1_steps(n: int) -> int:
    return n + 1


@lru_cache(maxsize=None)
def arithmetic_families(key: str) -> tuple:
    """The circuit families of ``add`` or ``iadd`` (built once, on first use).

    ==========  ================  =========  ====================================  =====
    problem     family            kind       claimed depth                         exact
    ==========  ================  =========  ====================================  =====
    add         carry_lookahead   constant   2, 3, 4 (n = 1, 2, >= 3)              yes
    add         ripple            recurrent  ``n + 1`` (n + 1 steps)               yes
    iadd        threshold         constant   2                                     yes
    iadd        adder_tree        log        ``8 ceil(log2 n)``                    bound
    ==========  ================  =========  ====================================  =====

    The upper-bound claim of iadd's ``adder_tree`` was checked for n <= 40.

    Example
    -------
    >>> [(f.name, f.kind, f.serial_depth(8), f.claimed(8)) for f in arithmetic_families("add")]
    [('carry_lookahead', 'constant', 4, 4), ('ripple', 'recurrent', 9, 9)]
    """
    from ..ir.family import CircuitFamily

    log2n = sympy.ceiling(sympy.log(N, 2))
    if key == "add":
        return (
            CircuitFamily("carry_lookahead", key, "constant", _add_carry_lookahead,
                          sympy.Piecewise((2, N < 2), (3, N < 3), (4, True)),
                          description="unbounded fan-in carry look-ahead with AND/OR only (AC0): OR, AND, AND, OR"),
            CircuitFamily("ripple", key, "recurrent", _add_ripple, N + 1, steps=_n_plus_1_steps,
                          encode=_encode_add_stream,
                          description="1-bit carry state, (a_t, b_t) per step, one padding step for the carry"),
        )
    if key == "iadd":
        return (
            CircuitFamily("threshold", key, "constant", _iadd_threshold, sympy.Integer(2),
                          description="per output bit: THR [T_j >= k 2^j] layer, alternating THR"),
            CircuitFamily("adder_tree", key, "log", _iadd_adder_tree, 8 * log2n, exact=False,
                          description="fan-in-2 carry-save (Wallace) tree, then a Kogge-Stone adder"),
        )
    return ()


for _cls in (AddProblem, IteratedAddProblem):
    register(_cls())
