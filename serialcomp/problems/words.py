"""Word problems over finite groups and monoids: ``word:Z<m>``, ``word:S3``, ``word:A4xZ5``,
``word:A5``, ``word:S5`` and ``word:flipflop``.

An instance is a word ``x1 x2 ... xn`` of elements; the target is the product ``x1 x2 ... xn`` and,
with ``prefix=True``, every prefix product ``x1 ... xj`` (state tracking). Elements are
transformations of ``{0, ..., k-1}`` written in one-line notation (``p[i]`` is the image of ``i``),
and **the product applies x1 first**: ``(x y)[i] = y[x[i]]``. This is the convention of
``sympy.combinatorics.Permutation`` (``p * q`` applies ``p`` first).

Internally an element is an index into a sorted element table (lexicographic one-line notation;
``Z<m>`` elements are residues ``a``, the rotation ``i -> i + a mod m``) with a Cayley table; the
prefix products of a batch are computed by a work-efficient vectorised scan over positions.

``n`` is the word length for every word problem. ``word:Z<m>`` takes any modulus
``2 <= m <= 65536`` (:data:`MAX_CYCLIC_ORDER`: a readable record writes each letter as its ``m``
images, so larger moduli make records and vocabularies impractically large).
"""

from __future__ import annotations

import functools

import re
from functools import partial
from typing import Any, Mapping

import numpy as np
import sympy

from .._validate import check_bool, check_float, check_int
from ..errors import ProblemParameterError
from ..ir.family import N
from .bits import bits_of, flat2d, int_of_bits
from .columns import Coded
from .facts import ComplexityFacts
from .instances import Instances
from .problem import Problem
from .rng import MAX_DRAWS, RecordRNG
from .monoids import FiniteMonoid, alternating_group, cyclic_group, direct_product, flipflop_monoid, one_line_text, symmetric_group
from .registry import register

__all__ = [
    "FiniteMonoid",
    "fanin2_tree_depth",
    "cyclic_group",
    "symmetric_group",
    "alternating_group",
    "direct_product",
    "flipflop_monoid",
    "WordProblem",
    "word_families",
]


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
        """``tree`` (log), ``stream`` (recurrent), ``fixed3`` (bounded), and for Z_m ``count_mod``
        and ``count_thr`` (constant); see :func:`word_families`."""
        fams = self.__dict__.get("_families")
        if fams is None:
            fams = self.__dict__["_families"] = word_families(self)
        return list(fams)


# ---------------------------------------------------------------------------------------------
# circuit families (built from serialcomp.blocks.groups / .modcount, lazily: importing is cheap)
# ---------------------------------------------------------------------------------------------


def _cayley(monoid: FiniteMonoid) -> np.ndarray:
    """The multiplication table ``(size, size)`` (``[a, b]`` = a then b), also for Z_m."""
    if monoid.table is None:
        r = np.arange(monoid.size, dtype=np.int64)
        return (r[:, None] + r[None, :]) % monoid.size
    return monoid.table.astype(np.int64)


class _TreeBuilder:
    """Builds the composition tree of a monoid over its first ``k`` letters of ``n``; ``tree`` and
    ``fixed<d>`` share it, so ``fixed<d>(n)`` for ``n <= 2^d`` is ``tree(n)`` rewritten to fan-in 2."""

    def __init__(self, monoid: FiniteMonoid) -> None:
        self.monoid = monoid
        self._cache: dict[tuple[int, int], Any] = {}

    def circuit(self, k: int, n: int):
        key = (k, n)
        if key not in self._cache:
            from ..blocks.groups import product_tree
            from ..ir.builder import CircuitBuilder

            b = CircuitBuilder()
            letters = [b.input_bus(f"x{i}", self.monoid.bits_per_element) for i in range(n)]
            for j, lit in enumerate(product_tree(b, _cayley(self.monoid), letters[:k])):
                b.output(lit, f"y[{j}]")
            if len(self._cache) >= 16:  # bounded like a family's own cache (which holds the same objects)
                self._cache.pop(next(iter(self._cache)))
            self._cache[key] = b.build()
        return self._cache[key]

    def tree(self, n: int):
        return self.circuit(n, n)

    def fixed(self, n: int, d: int):
        """The tree over the first ``2^d`` letters, rewritten to fan-in 2 (an AIG: each wide AND/OR
        becomes a balanced tree), so its depth is gate depth with bounded fan-in."""
        return self.circuit(min(n, 2 ** int(d)), n).to_aig()


class _StreamBuilder:
    """``n -> `` the one stream LoopedCircuit of a monoid (same step for every n, compiled once)."""

    def __init__(self, monoid: FiniteMonoid) -> None:
        self.monoid = monoid
        self.looped: Any = None

    def __call__(self, n: int):
        if self.looped is None:
            from ..blocks.groups import stream_product

            self.looped = stream_product(_cayley(self.monoid), self.monoid.identity)
        return self.looped


def _build_count(monoid: FiniteMonoid, n: int, gates: str):
    from ..blocks.modcount import binary_terms, sum_mod_mod, sum_mod_thr
    from ..ir.builder import CircuitBuilder

    b = CircuitBuilder()
    letters = [b.input_bus(f"x{k}", monoid.bits_per_element) for k in range(n)]
    lits, weights = binary_terms(letters)
    block = sum_mod_mod if gates == "mod" else sum_mod_thr
    for j, lit in enumerate(block(b, lits, weights, monoid.size)):
        b.output(lit, f"y[{j}]")
    return b.build()


def _encode_stream(monoid: FiniteMonoid, instances: Instances) -> np.ndarray:
    """One letter per step as its index bits: bool ``(count, n, w)``."""
    return bits_of(instances.inputs["word"], monoid.bits_per_element)


def _decode_stream(monoid: FiniteMonoid, outputs: np.ndarray, instances: Instances) -> np.ndarray:
    """Per-instance correctness: the last step's output is the product (every step's output is its
    prefix product, compared with ``prefix`` targets when they were sampled)."""
    out = np.asarray(outputs, dtype=bool)
    if "prefix" in instances.targets:
        return (out == bits_of(instances.targets["prefix"], monoid.bits_per_element)).all(axis=(1, 2))
    return (out[:, -1, :] == bits_of(instances.targets["target"], monoid.bits_per_element)).all(axis=1)


def _valid_up_to_2d(d: int) -> int:
    return 2 ** int(d)


def _ceil_log2(k: int) -> int:
    return max(0, (int(k) - 1).bit_length())


def fanin2_tree_depth(monoid: FiniteMonoid, levels: sympy.Expr) -> sympy.Expr:
    """Depth, with fan-in 2, of ``levels`` levels of the composition tree (``fixed<d>``'s claim).

    Derived from the Cayley table alone: decoding a letter is an AND of ``w`` literals
    (``ceil(log2 w)``); an inner block is a level of 2-input ANDs and ORs of fan-in ``p``, the
    largest number of pairs ``(a, b)`` with ``ab = c`` (``|G|`` for a group); the root's ORs,
    which also encode the result, have fan-in ``r``, the largest number of pairs whose product
    has output bit ``j`` set.  Each wide gate costs ``ceil(log2 fan-in)`` levels.

    Example
    -------
    >>> from serialcomp.problems.monoids import symmetric_group
    >>> fanin2_tree_depth(symmetric_group(5), sympy.Integer(2))   # 3 + 8 + 1 + 13
    25
    """
    table = _cayley(monoid)
    s, w = monoid.size, monoid.bits_per_element
    pre = np.bincount(table.ravel(), minlength=s)
    codes = np.arange(s)
    root = max(int(pre[(codes >> j) & 1 == 1].sum()) for j in range(w))
    inner = 1 + _ceil_log2(int(pre.max()))
    return sympy.Piecewise((0, levels < 1), (_ceil_log2(w) + (levels - 1) * inner + 1 + _ceil_log2(root), True))


def word_families(problem: "WordProblem", d: int = 3) -> tuple:
    """The circuit families of a word problem (declared here, built on first use).

    Circuits read the problem's bit encoding (each letter's index in ``w`` bits, LSB first) and
    output the product's index in ``w`` bits; the stream family reads one letter per step.

    ==========  ==========  ===========================================  =====  ================
    family      kind        claimed depth                                exact  problems
    ==========  ==========  ===========================================  =====  ================
    tree        log         ``2 ceil(log2 n) + c``                       yes    all
    stream      recurrent   ``2 n`` (n steps of depth 2)                 yes    all
    fixed<d>    bounded     fan-in 2: :func:`fanin2_tree_depth`          yes    all
                            (``min(ceil(log2 n), d)`` levels), n <= 2^d
    count_mod   constant    1 for m <= 3, else 2 (MOD_m gates, ACC0)     yes    ``word:Z<m>``
    count_thr   constant    2 (threshold gates, TC0)                     yes    ``word:Z<m>``
    ==========  ==========  ===========================================  =====  ================

    ``c`` is the level that decodes the leaves to one-hot: 1, or 0 for a 1-bit alphabet (Z2); both
    claims are 0 at ``n = 1`` (the output is the letter).  ``tree`` composes adjacent pairs with the
    depth-2 AND/OR block of :mod:`serialcomp.blocks.groups` (``|G|^2`` ANDs per block);
    ``fixed<d>`` is that tree over the first ``2^d`` letters only, rewritten with fan-in 2 (every
    wide AND/OR a balanced tree, :meth:`Circuit.to_aig`), so a depth-``D`` output reads at most
    ``2^D`` input bits; past ``2^d`` letters it does not read the rest and fails;
    ``stream`` keeps the running product one-hot. ``word_families(p, d=4)`` gives ``fixed4``.

    Example
    -------
    >>> from serialcomp.problems import get_problem
    >>> fams = word_families(get_problem("word:Z5"))
    >>> [(f.name, f.kind, f.serial_depth(8), f.claimed(8)) for f in fams]
    [('tree', 'log', 7, 7), ('stream', 'recurrent', 16, 16), ('fixed3', 'bounded', 15, 15), ('count_mod', 'constant', 2, 2), ('count_thr', 'constant', 2, 2)]
    """
    from ..ir.family import CircuitFamily

    g = problem.monoid
    key = problem.key
    d = check_int("d (levels of the fixed-depth family)", d, 0, where="word_families", error=ProblemParameterError)
    trees = _TreeBuilder(g)
    log2n = sympy.ceiling(sympy.log(N, 2))
    dec = 1 if g.bits_per_element > 1 else 0  # decoding the leaves to one-hot: one AND level

    def tree_depth(levels: sympy.Expr) -> sympy.Expr:
        return sympy.Piecewise((0, N < 2), (2 * levels + dec, True))

    fams = [
        CircuitFamily("tree", key, "log", trees.tree, tree_depth(log2n),
                      description="leaves decoded to one-hot, balanced tree of depth-2 AND/OR composition "
                                  "blocks (|G|^2 ANDs each), root encoding merged into the last ORs"),
        CircuitFamily("stream", key, "recurrent", _StreamBuilder(g), 2 * N,
                      encode=partial(_encode_stream, g), decode=partial(_decode_stream, g),
                      description="one-hot running product, one letter per step (step depth 2)"),
        CircuitFamily(f"fixed{d}", key, "bounded", trees.fixed, fanin2_tree_depth(g, sympy.Min(log2n, d)),
                      params={"d": d}, valid_up_to=_valid_up_to_2d,
                      description=f"the tree over the first 2^{d} letters only, with fan-in 2 (d={d} levels of "
                                  "composition blocks; later letters unread)"),
    ]
    if g.modulus is not None:
        m = g.modulus
        fams += [
            CircuitFamily("count_mod", key, "constant", partial(_build_count, g, gates="mod"),
                          sympy.Integer(1 if m <= 3 else 2),
                          description=f"sum of letters mod {m}: one MOD_{m} gate per residue, OR per output bit"),
            CircuitFamily("count_thr", key, "constant", partial(_build_count, g, gates="thr"), sympy.Integer(2),
                          description="[S >= v] threshold gates, then one telescoping threshold gate per output bit"),
        ]
    return tuple(fams)


def _solvable(name: str, note: str) -> ComplexityFacts:
    return ComplexityFacts("ACC0", _ONE, _ONE, True, (_BT, _LIU), f"{note} Solvable, so in ACC0 (Barrington-Therien): constant depth.")


_NC1 = ComplexityFacts(
    "NC1-complete", sympy.log(N), sympy.log(N), False, (_BAR, _BT, _LIU, _MPS),
    "Non-solvable group: NC1-complete under AC0 reductions (Barrington). Upper: balanced product tree. "
    "Lower: depth growing with n is the conjecture TC0 != NC1; with AND/OR gates only, "
    "Omega(log n / log log n) is proven (parity reduces to it; Hastad).",
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
    facts = ComplexityFacts("ACC0", _ONE, _ONE, True, (_BT,),
                            f"Abelian: the product is the sum mod {m}; one layer of MOD/threshold counting.")
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
                    "Aperiodic monoid, so in AC0: the state is the last set before position j."),
    "flip-flop monoid: set0, set1, read (identity); last write wins", knob="p_read"), key="word:flipflop")
