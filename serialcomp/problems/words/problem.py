"""The registered word problems: ``word:<G>``, the product of a random word over a finite group or
monoid G (and, with ``prefix=True``, every prefix product).
"""

from __future__ import annotations

import functools
import re
from typing import Any, Mapping

import numpy as np
import sympy

from ..._validate import check_bool, check_float
from ...errors import ProblemParameterError
from ...ir.family import N
from ..bits import bits_of, flat2d, int_of_bits
from ..columns import Coded
from ..facts import Bound, ComplexityFacts
from ..instances import Instances
from ..problem import Problem
from ..registry import register
from ..rng import MAX_DRAWS, RecordRNG
from .monoids import (FiniteMonoid, alternating_group, cyclic_group, direct_product, flipflop_monoid, one_line_text,
                      symmetric_group)

__all__ = ["WordProblem", "MAX_CYCLIC_ORDER"]

_BT = "Barrington, Therien. Finite monoids and the fine structure of NC1. J. ACM 35(4), 1988"
_BAR = ("Barrington. Bounded-width polynomial-size branching programs recognize exactly those "
        "languages in NC1. J. Comput. Syst. Sci. 38(1), 1989")
_LIU = "Liu, Ash, Goel, Krishnamurthy, Zhang. Transformers learn shortcuts to automata. ICLR 2023"
_MPS = "Merrill, Petty, Sabharwal. The illusion of state in state-space models. ICML 2024"
_ONE = sympy.Integer(1)

@functools.lru_cache(maxsize=None)
def _one_line_table(monoid: FiniteMonoid) -> list[str]:
    """The one-line text of every element, in index order (formatted once per monoid)."""
    return [one_line_text(row) for row in monoid.perms(np.arange(monoid.size)).tolist()]


class WordProblem(Problem):
    """``word:<G>``: the product (and optionally every prefix product) of a random word over G.

    Inputs ``word`` int ``(count, n)``: element indices (uniform, or for the flip-flop monoid
    ``read`` with probability ``p_read``). Targets ``target`` int ``(count,)`` (the product) and,
    with ``prefix=True``, ``prefix`` int ``(count, n)``. Records show elements in one-line notation.
    Bits: each element's index in ``w = ceil(log2 |G|)`` bits, LSB first, position-major
    (``(count, n*w)``); target bits are the product's ``w`` bits, or all ``n*w`` prefix bits.
    Tokens: one token per element, id = element index, ``vocab`` = element names.

    Notes
    -----
    Sampling is O(n) per instance; the scan is O(n) work in ceil(log2 n) vectorised rounds.

    Example
    -------
    >>> p = WordProblem("word:S3", symmetric_group(3), ComplexityFacts("ACC0", _ONE, _ONE, True))
    >>> inst = p.sample(5, 2, seed=0, prefix=True)
    >>> bool((inst.targets["prefix"][:, -1] == inst.targets["target"]).all())
    True
    """

    key_prefix = "word"
    n_meaning = "word length: the number of elements multiplied"
    max_n = MAX_DRAWS
    max_n_reason = "one 64-bit random word per letter"

    def __init__(self, key: str, monoid: FiniteMonoid, facts: ComplexityFacts, description: str = "",
                 knob: str | None = None) -> None:
        self.key = key
        self.variant = key.split(":", 1)[1]
        self.monoid = monoid
        self.facts = facts
        self.knob = knob
        self.description = description or f"product of a word over {monoid.name}"
        self.defaults = {"prefix": False, **({"p_read": 1.0 / 3.0} if knob == "p_read" else {})}

    def resolve_params(self, n: int, params: Mapping[str, Any]) -> dict[str, Any]:
        p = super().resolve_params(n, params)
        p["prefix"] = check_bool("prefix", p["prefix"], where=self.key, error=ProblemParameterError)
        if "p_read" in p:
            p["p_read"] = check_float("p_read", p["p_read"], 0.0, 1.0, where=self.key,
                                      error=ProblemParameterError)
        return p

    def _dtype(self) -> type:
        return np.int16 if self.monoid.size < 2**15 else np.int64

    def _generate(self, n: int, rng: RecordRNG, params: dict[str, Any]):
        g = self.monoid
        if "p_read" in params:  # flip-flop: read w.p. p_read, else set0 / set1 with equal odds
            u = rng.random("word", (n,), records_last=True)
            read = u < params["p_read"]
            bit = rng.bits("set", (n,), records_last=True)
            ids = np.where(read, g.identity, np.where(bit, g.size - 1, 0)).astype(np.int64)
        else:
            ids = rng.integers("word", g.size, (n,), records_last=True)
        targets: dict[str, np.ndarray] = {}
        if params["prefix"]:
            pre = g.scan(ids)
            targets["target"] = pre[-1].astype(self._dtype())
            targets["prefix"] = np.ascontiguousarray(pre.T).astype(self._dtype())
        else:
            targets["target"] = self._product(ids).astype(self._dtype())
        return {"word": np.ascontiguousarray(ids.T).astype(self._dtype())}, targets, {}

    def _product(self, ids: np.ndarray) -> np.ndarray:
        g = self.monoid
        if g.table is None:
            return ids.sum(axis=0) % g.degree
        flat = g.table.ravel().astype(np.int64)
        x = ids
        while x.shape[0] > 1:  # pairwise tree: O(n) work, log2(n) rounds
            half = x.shape[0] // 2
            y = flat[x[0 : 2 * half : 2] * g.size + x[1 : 2 * half : 2]]
            x = np.concatenate([y, x[2 * half :]]) if x.shape[0] % 2 else y
        return x[0]

    def solve(self, record_inputs: Mapping[str, np.ndarray], **params: Any) -> int:
        """The product's index, by composing one-line lists left to right in plain Python."""
        g = self.monoid
        state = list(range(g.degree))  # the transformation x1 ... xj applied so far
        for p in g.perms(np.asarray(record_inputs["word"])).tolist():
            state = [p[s] for s in state]
        return int(g.index(np.array(state))[()])

    def columns(self, instances: Instances) -> dict[str, Any]:
        """Readable columns: every element as its one-line notation, a string (the images of
        0..k-1, digits run together for k <= 10, comma-separated above), e.g. ``"10243"`` in S5.

        One string per element rather than a list of k numbers: Parquet writes a nested list leaf
        by leaf (10 leaves per letter with prefix products, about 10x the generation time), a string
        column as dictionary codes (about 1.5x); the file metadata carries the element table.
        """
        g = self.monoid
        ids = {"word": instances.inputs["word"], **instances.targets}  # target, and prefix when asked for
        ids = {k: np.asarray(v, dtype=np.int64) for k, v in ids.items()}
        if g.size * g.degree <= 1 << 16:  # the whole table, formatted once per process
            table, remap = _one_line_table(g), None
        else:  # a large cyclic group: format only the elements these records use
            used, inverse = np.unique(np.concatenate([v.reshape(-1) for v in ids.values()]), return_inverse=True)
            table, remap = [one_line_text(row) for row in g.perms(used).tolist()], inverse
        out: dict[str, Any] = {}
        offset = 0
        for key, v in ids.items():
            codes = v if remap is None else remap[offset : offset + v.size].reshape(v.shape)
            offset += v.size
            out[key] = Coded(codes, table)
        return out

    def encode_bits(self, instances: Instances) -> np.ndarray:
        w = instances.inputs["word"]
        return flat2d(bits_of(w, self.monoid.bits_per_element))

    def decode_bits(self, bits: np.ndarray, n: int, **params: Any) -> dict[str, np.ndarray]:
        w = self.monoid.bits_per_element
        b = np.asarray(bits)
        if b.ndim != 2 or b.shape[1] != n * w:
            raise ProblemParameterError(f"{self.key}: expected bits of shape (count, {n * w}), got {b.shape}")
        return {"word": self._check_ids(int_of_bits(b.reshape(len(b), n, w)))}

    def _check_ids(self, ids: np.ndarray) -> np.ndarray:
        if ids.size and (ids.min() < 0 or ids.max() >= self.monoid.size):
            raise ProblemParameterError(f"{self.key}: element index out of range [0, {self.monoid.size})")
        return ids.astype(self._dtype())

    def target_bits(self, instances: Instances) -> np.ndarray:
        t = instances.targets.get("prefix", instances.targets["target"][:, None])
        return flat2d(bits_of(t, self.monoid.bits_per_element))

    def vocab(self, n: int = 0, **params: Any) -> list[str]:
        return list(self.monoid.names)

    def encode_tokens(self, instances: Instances) -> np.ndarray:
        return instances.inputs["word"].astype(np.int64)

    def decode_tokens(self, tokens: np.ndarray, n: int, **params: Any) -> dict[str, np.ndarray]:
        t = np.asarray(tokens)
        if t.ndim != 2 or t.shape[1] != n:
            raise ProblemParameterError(f"{self.key}: expected tokens of shape (count, {n}), got {t.shape}")
        return {"word": self._check_ids(t.astype(np.int64))}

    def families(self) -> list[Any]:
        """``tree`` (log), ``stream`` (recurrent), ``fixed3`` (bounded), then ``shortcut`` (S3, A4xZ5),
        ``last_write`` (flipflop) or ``blocks`` (S5, A5), and for Z_m ``count_mod`` and ``count_thr``
        (constant); see :func:`word_families`."""
        fams = self.__dict__.get("_families")
        if fams is None:
            from .families import word_families

            fams = self.__dict__["_families"] = word_families(self)
        return list(fams)


_LOG = sympy.log(N)
_SUBLOG = sympy.log(N) / sympy.log(sympy.log(N))
_HASTAD = "Hastad. Almost optimal lower bounds for small depth circuits. STOC 1986"
_SMOLENSKY = ("Smolensky. Algebraic methods in the theory of lower bounds for Boolean circuit complexity. "
              "STOC 1987")


def _common(tc0_upper: str, acc0_upper: str | None, tc0_order: sympy.Expr = _ONE) -> tuple[Bound, ...]:
    """Bounds every group word problem has: the trivial lower bound, not AC0 (a homomorphism onto a
    cyclic group counts mod q), the AC0 block products, and Theta(log n) with fan-in 2."""
    out = [Bound("lower", "TC0", _ONE, "proven", "fanin.trivial_lower")]
    if tc0_upper:
        out.insert(0, Bound("upper", "TC0", tc0_order, "proven", tc0_upper))
    if acc0_upper:
        out.append(Bound("upper", "ACC0", _ONE, "proven", acc0_upper))
    out += [
        Bound("upper", "AC0", _SUBLOG, "proven", "words.blocks_asymptotic", size="poly"),
        Bound("lower", "AC0", _SUBLOG, "proven", "words.not_ac0", size="poly"),
        Bound("upper", "fan-in 2", _LOG, "proven", "words.fixed"),
        Bound("lower", "fan-in 2", _LOG, "proven", "fanin.problem_cones"),
    ]
    return tuple(out)


def _solvable(name: str, note: str) -> ComplexityFacts:
    return ComplexityFacts(
        "ACC0", _ONE, _ONE, True, (_BT, _LIU, _HASTAD, _SMOLENSKY),
        f"{note} Solvable, so in ACC0 (Barrington-Therien): the `shortcut` family is depth 6 with MOD gates "
        "(words.shortcut). Not in AC0: its abelianization is non-trivial, so the product counts modulo a prime "
        "(Hastad; Smolensky), and polynomial-size AND/OR circuits need depth Omega(log n / log log n). With "
        "fan-in 2, Theta(log n): every letter matters (cone of influence).",
        _common("words.shortcut", "words.shortcut"))


_NC1 = ComplexityFacts(
    "NC1-complete", _SUBLOG, _ONE, True, (_BAR, _BT, _LIU, _MPS, _HASTAD),
    "Non-solvable group: NC1-complete under AC0 reductions (Barrington; words.barrington checks the reduction). "
    "Upper: block products, O(log n / log log n) depth at polynomial size with AND/OR gates (words.blocks), and "
    "the balanced tree, 2 ceil(log2 n) + 1. Lower: 1 proven; no constant-depth circuits unless TC0 = NC1 "
    "(conjectured; with MOD gates: unless ACC0 = NC1). A lower bound of log n is false in this model; it holds "
    "with bounded fan-in, where Omega(log n) is proven (cone of influence). With AND/OR gates only, "
    "Omega(log n / log log n) is proven at polynomial size (parity reduces to it: Hastad).",
    _common("words.blocks_asymptotic", None, _SUBLOG) + (
        Bound("lower", "TC0", None, "conjectured", "words.nc1_conjecture", "omega(1)"),
        Bound("lower", "ACC0", None, "conjectured", "words.nc1_conjecture", "omega(1)"),
    ),
)


MAX_CYCLIC_ORDER = 2**16
"""Largest modulus of ``word:Z<m>``. Elements are written in one-line notation, so a readable record
holds ``m`` images per letter (``n * m`` numbers per word), the token vocabulary has ``m`` entries and
the ``count_mod`` circuits ``O(m)`` MOD gates per output bit; past ``2**16`` these stop being usable
(a 100-letter word over Z_65536 is already 6.5 million numbers per record)."""


def _cyclic_factory(key: str) -> WordProblem:
    m_text = key[len("word:Z"):]
    if not re.fullmatch(r"[1-9][0-9]*", m_text) or not 2 <= int(m_text) <= MAX_CYCLIC_ORDER:
        raise ProblemParameterError(
            f"word:Z<m> needs an integer modulus 2 <= m <= {MAX_CYCLIC_ORDER} written without leading zeros, "
            f"got {key!r} (the cap: records write each letter in one-line notation, m numbers, and the "
            f"vocabulary has m tokens)")
    m = int(m_text)
    facts = ComplexityFacts(
        "ACC0", _ONE, _ONE, True, (_BT, _HASTAD, _SMOLENSKY),
        f"Abelian: the product is the sum mod {m}; one layer of MOD gates (count_mod, depth 1 or 2) or two of "
        "threshold gates (count_thr). Not in AC0 (counting mod m: Hastad; Smolensky). With fan-in 2, "
        "Theta(log n).",
        _common("words.count_thr", "words.count_mod"))
    return WordProblem(key, cyclic_group(m), facts, f"sum mod {m} (cyclic group Z{m})")


register(_cyclic_factory, prefix="word:Z", pattern="word:Z<m>")
register(lambda: WordProblem("word:S3", symmetric_group(3), _solvable("S3", "Order 6."), "product in S3"), key="word:S3")
register(lambda: WordProblem("word:A4xZ5", direct_product(alternating_group(4), cyclic_group(5)),
                             _solvable("A4xZ5", "Order 60, as A5: a solvable control."),
                             "product in A4 x Z5 (solvable, order 60, on 4 + 5 points)"), key="word:A4xZ5")
register(lambda: WordProblem("word:A5", alternating_group(5), _NC1, "product in A5 (smallest non-solvable group)"),
         key="word:A5")
register(lambda: WordProblem("word:S5", symmetric_group(5), _NC1, "product in S5 (non-solvable)"), key="word:S5")
register(lambda: WordProblem(
    "word:flipflop", flipflop_monoid(),
    ComplexityFacts("AC0", _ONE, _ONE, True, (_BT, "Liu, Ash, Goel, Krishnamurthy, Zhang. Exposing attention "
                                              "glitches with flip-flop language modeling. NeurIPS 2023"),
                    "Aperiodic monoid, so in AC0: the product is the last set (last_write: depth 2 with AND/OR). "
                    "With fan-in 2, Theta(log n).",
                    (Bound("upper", "TC0", _ONE, "proven", "words.last_write"),
                     Bound("lower", "TC0", _ONE, "proven", "fanin.trivial_lower"),
                     Bound("upper", "AC0", _ONE, "proven", "words.last_write"),
                     Bound("upper", "fan-in 2", _LOG, "proven", "words.fixed"),
                     Bound("lower", "fan-in 2", _LOG, "proven", "fanin.problem_cones"))),
    "flip-flop monoid: set0, set1, read (identity); last write wins", knob="p_read"), key="word:flipflop")
