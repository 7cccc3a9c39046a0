"""TC0 baselines: ``parity``, ``majority``, ``add`` (two n-bit numbers) and ``iadd`` (n numbers).

These need constant depth with threshold gates; they anchor the parallel end of every study.
Numbers are bit vectors, least significant bit first.
"""

from __future__ import annotations

from typing import Any, Mapping

import numpy as np
import sympy

from ..errors import ProblemParameterError
from .base import ComplexityFacts, Instances, Problem, RecordRNG, flat2d
from .registry import register

__all__ = ["ParityProblem", "MajorityProblem", "AddProblem", "IteratedAddProblem", "add_column_sums"]

_ONE = sympy.Integer(1)
_CSV = "Chandra, Stockmeyer, Vishkin. Constant depth reducibility. SIAM J. Comput. 13(2), 1984"
_VOLLMER = "Vollmer. Introduction to Circuit Complexity. Springer, 1999"


def add_column_sums(colsum: np.ndarray, width: int) -> np.ndarray:
    """Bits of ``sum_j colsum[:, j] * 2**j`` (carry propagation), bool ``(count, width)``, LSB first.

    Example
    -------
    >>> add_column_sums(np.array([[1, 2]]), 3).astype(int).tolist()   # 1 + 2*2 = 5
    [[1, 0, 1]]
    """
    colsum = np.asarray(colsum, dtype=np.int64)
    count, k = colsum.shape
    out = np.zeros((count, width), dtype=bool)
    carry = np.zeros(count, dtype=np.int64)
    for j in range(width):
        v = carry + colsum[:, j] if j < k else carry
        out[:, j] = (v & 1).astype(bool)
        carry = v >> 1
    return out


def _int_of(bits: np.ndarray) -> int:
    return sum(1 << j for j, b in enumerate(np.asarray(bits).tolist()) if b)


def _bits_list(value: int, width: int) -> np.ndarray:
    return np.array([(value >> j) & 1 for j in range(width)], dtype=bool)


def _check_bits(bits: np.ndarray, width: int, what: str) -> np.ndarray:
    b = np.asarray(bits)
    if b.ndim != 2 or b.shape[1] != width:
        raise ProblemParameterError(f"{what}: expected shape (count, {width}), got {b.shape}")
    return b.astype(bool)


class _BitsProblem(Problem):
    """Shared encodings for problems whose input is one bit row ``x`` of length n."""

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
        return {"x": _check_bits(bits, n, self.key)}

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
    Depth 1 with an XOR gate, 2 with threshold gates; not in AC0. Sampling is O(n) per instance.

    Example
    -------
    >>> inst = ParityProblem().sample(6, 2, seed=3)
    >>> bool(inst.targets["target"][0]) == bool(inst.inputs["x"][0].sum() % 2)
    True
    """

    key = family = "parity"
    variant = ""
    description = "XOR of n random bits"
    facts = ComplexityFacts(
        "TC0", _ONE, _ONE, True,
        ("Furst, Saxe, Sipser. Parity, circuits, and the polynomial-time hierarchy. Math. Syst. Theory 17, 1984",
         "Hastad. Almost optimal lower bounds for small depth circuits. STOC 1986"),
        "One XOR gate (depth 2 with threshold gates). Not in AC0: depth-d AND/OR circuits need size exp(n^(1/(d-1))).",
    )

    def _target(self, ones: np.ndarray, n: int) -> np.ndarray:
        return (ones & 1).astype(bool)

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

    key = family = "majority"
    variant = ""
    description = "whether more than half of n random bits are 1"
    facts = ComplexityFacts("TC0-complete", _ONE, _ONE, True, (_CSV, _VOLLMER),
                            "One threshold gate. Not in AC0 (nor ACC0 with MOD_p gates, Razborov-Smolensky).")

    def _target(self, ones: np.ndarray, n: int) -> np.ndarray:
        return 2 * ones > n

    def solve(self, record_inputs: Mapping[str, np.ndarray], **params: Any) -> bool:
        x = [int(b) for b in np.asarray(record_inputs["x"]).tolist()]
        return 2 * sum(x) > len(x)


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

    key = family = "add"
    variant = ""
    description = "sum of two n-bit numbers (n + 1 bit result)"
    facts = ComplexityFacts("AC0", _ONE, _ONE, True, (_CSV, _VOLLMER),
                            "Carry look-ahead: each carry is an OR of ANDs (depth 2 + XOR).")

    def _generate(self, n: int, rng: RecordRNG, params: dict[str, Any]):
        ab = rng.bits("ab", (2, n))
        a, b = ab[:, 0], ab[:, 1]
        s = add_column_sums(a.astype(np.int64) + b, n + 1)
        return {"a": a, "b": b}, {"target": s}, {}

    def solve(self, record_inputs: Mapping[str, np.ndarray], **params: Any) -> np.ndarray:
        a, b = record_inputs["a"], record_inputs["b"]
        return _bits_list(_int_of(a) + _int_of(b), len(a) + 1)

    def columns(self, instances: Instances) -> dict[str, Any]:
        i, t = instances.inputs, instances.targets
        return {"a": i["a"].astype(np.uint8), "b": i["b"].astype(np.uint8), "target": t["target"].astype(np.uint8)}

    def encode_bits(self, instances: Instances) -> np.ndarray:
        return np.concatenate([instances.inputs["a"], instances.inputs["b"]], axis=1).astype(bool)

    def decode_bits(self, bits: np.ndarray, n: int, **params: Any) -> dict[str, np.ndarray]:
        b = _check_bits(bits, 2 * n, self.key)
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

    key = family = "iadd"
    variant = ""
    description = "sum of n numbers of n bits"
    facts = ComplexityFacts("TC0-complete", _ONE, _ONE, True, (_CSV, _VOLLMER),
                            "Column counts with threshold gates, then a constant number of 2-operand additions.")

    @staticmethod
    def out_width(n: int) -> int:
        return n + (n - 1).bit_length()

    def _generate(self, n: int, rng: RecordRNG, params: dict[str, Any]):
        x = rng.bits("x", (n, n))
        s = add_column_sums(x.sum(axis=1, dtype=np.int64), self.out_width(n))
        return {"x": x}, {"target": s}, {}

    def solve(self, record_inputs: Mapping[str, np.ndarray], **params: Any) -> np.ndarray:
        x = np.asarray(record_inputs["x"])
        return _bits_list(sum(_int_of(row) for row in x), self.out_width(len(x)))

    def columns(self, instances: Instances) -> dict[str, Any]:
        return {"x": instances.inputs["x"].astype(np.uint8), "target": instances.targets["target"].astype(np.uint8)}

    def encode_bits(self, instances: Instances) -> np.ndarray:
        x = instances.inputs["x"]
        return flat2d(x).astype(bool)

    def decode_bits(self, bits: np.ndarray, n: int, **params: Any) -> dict[str, np.ndarray]:
        return {"x": _check_bits(bits, n * n, self.key).reshape(-1, n, n)}

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


for _cls in (ParityProblem, MajorityProblem, AddProblem, IteratedAddProblem):
    register(_cls())
