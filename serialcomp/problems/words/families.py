"""Circuit families of the word problems: the composition tree, its fixed-depth truncation, the stream
loop, the constant-depth shortcuts (solvable groups with MOD gates, the flip-flop in AC0), block
products for the other groups and, for Z_m, constant-depth counting (constructions in
:mod:`.groups`, :mod:`.shortcuts`, :mod:`.block_products` and :mod:`.modcount`, imported when a
family is built, so importing is cheap).
"""

from __future__ import annotations

from functools import partial
from typing import TYPE_CHECKING, Any

import numpy as np
import sympy

from ..._validate import check_int
from ...errors import ProblemParameterError
from ...ir.family import N
from ..bits import bits_of
from ..instances import Instances
from .monoids import FiniteMonoid

if TYPE_CHECKING:
    from .problem import WordProblem

__all__ = ["fanin2_tree_depth", "word_families"]


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
            from .groups import product_tree
            from ...ir.builder import CircuitBuilder

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
            from .groups import stream_product

            self.looped = stream_product(_cayley(self.monoid), self.monoid.identity)
        return self.looped


def _build_count(monoid: FiniteMonoid, n: int, gates: str):
    from .modcount import binary_terms, sum_mod_mod, sum_mod_thr
    from ...ir.builder import CircuitBuilder

    b = CircuitBuilder()
    letters = [b.input_bus(f"x{k}", monoid.bits_per_element) for k in range(n)]
    lits, weights = binary_terms(letters)
    block = sum_mod_mod if gates == "mod" else sum_mod_thr
    for j, lit in enumerate(block(b, lits, weights, monoid.size)):
        b.output(lit, f"y[{j}]")
    return b.build()


def _build_shortcut(monoid: FiniteMonoid, n: int, construction: str):
    from ...ir.builder import CircuitBuilder
    from .block_products import block_product, block_size
    from .shortcuts import last_write, solvable_product

    b = CircuitBuilder()
    letters = [b.input_bus(f"x{k}", monoid.bits_per_element) for k in range(n)]
    if construction == "shortcut":
        out = solvable_product(b, monoid, letters)
    elif construction == "last_write":
        out = last_write(b, monoid, letters)
    else:
        out = block_product(b, monoid, letters, block_size(n))
    for j, lit in enumerate(out):
        b.output(lit, f"y[{j}]")
    return b.build()


def _shortcut_kind(monoid: FiniteMonoid) -> str | None:
    """``"shortcut"`` (a split metabelian group, not cyclic), ``"last_write"`` (the flip-flop monoid),
    ``"blocks"`` (any other group: no constant-depth circuits are known), or None (a cyclic group,
    whose shortcut is ``count_mod``)."""
    if monoid.modulus is not None:
        return None
    if list(monoid.names) == ["set0", "read", "set1"]:
        return "last_write"
    if any(len(set(row.tolist())) != monoid.size for row in monoid.table):
        return None  # a monoid that is not a group: no construction here
    from .shortcuts import split_metabelian

    try:
        split_metabelian(monoid)
    except ProblemParameterError:
        return "blocks"
    return "shortcut"


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
    >>> from serialcomp.problems.words import symmetric_group
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
    shortcut    constant    6 (MOD gates, ACC0)                          yes    S3, A4xZ5 (split
                                                                                metabelian groups)
    last_write  constant    2 (AND/OR, AC0)                              yes    flipflop
    blocks      log         ``2 ceil(log_b n) + 4``, ``b = max(2,        yes    S5, A5 (other
                            ceil(log2 n))``: O(log n / log log n)               groups)
    count_mod   constant    1 for m <= 3, else 2 (MOD_m gates, ACC0)     yes    ``word:Z<m>``
    count_thr   constant    2 (threshold gates, TC0)                     yes    ``word:Z<m>``
    ==========  ==========  ===========================================  =====  ================

    ``c`` is the level that decodes the leaves to one-hot: 1, or 0 for a 1-bit alphabet (Z2); both
    claims are 0 at ``n = 1`` (the output is the letter).  ``tree`` composes adjacent pairs with the
    depth-2 AND/OR block of :mod:`serialcomp.problems.words.groups` (``|G|^2`` ANDs per block);
    ``fixed<d>`` is that tree over the first ``2^d`` letters only, rewritten with fan-in 2 (every
    wide AND/OR a balanced tree, :meth:`Circuit.to_aig`), so a depth-``D`` output reads at most
    ``2^D`` input bits; past ``2^d`` letters it does not read the rest and fails;
    ``stream`` keeps the running product one-hot. ``word_families(p, d=4)`` gives ``fixed4``.
    ``shortcut``, ``last_write`` and ``blocks`` are built in :mod:`.shortcuts` and
    :mod:`.block_products`; all three output the letter itself for ``n = 1`` (depth 0).

    Example
    -------
    >>> from serialcomp.problems import get_problem
    >>> fams = word_families(get_problem("word:Z5"))
    >>> [(f.name, f.kind, f.serial_depth(8), f.claimed(8)) for f in fams]
    [('tree', 'log', 7, 7), ('stream', 'recurrent', 16, 16), ('fixed3', 'bounded', 15, 15), ('count_mod', 'constant', 2, 2), ('count_thr', 'constant', 2, 2)]
    """
    from ...ir.family import CircuitFamily

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
    extra = _shortcut_kind(g)
    if extra == "shortcut":
        fams.append(CircuitFamily(
            "shortcut", key, "constant", partial(_build_shortcut, g, construction="shortcut"),
            sympy.Piecewise((0, N < 2), (6, True)),
            description="G = [G,G] x| <h>: prefix sums mod p (MOD_p gates), twisted sums in [G,G]'s cyclic "
                        "coordinates (MOD_m gates), coordinates to the product's index (AND, OR); ACC0"))
    elif extra == "last_write":
        fams.append(CircuitFamily(
            "last_write", key, "constant", partial(_build_shortcut, g, construction="last_write"),
            sympy.Piecewise((0, N < 2), (2, True)),
            description="the last set before the end (read if none): OR over positions of AND(set here, "
                        "read after); AND/OR only, AC0"))
    elif extra == "blocks":
        bsize = sympy.Max(2, log2n)
        fams.append(CircuitFamily(
            "blocks", key, "log", partial(_build_shortcut, g, construction="blocks"),
            sympy.Piecewise((0, N < 2), (2 * sympy.ceiling(sympy.log(N) / sympy.log(bsize)) + 4, True)),
            description="blocks of b = max(2, ceil(log2 n)) letters: products of permutation matrices as path "
                        "DNFs (2 levels a block), ceil(log_b n) levels: O(log n / log log n), AND/OR"))
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
