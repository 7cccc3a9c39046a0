"""Composition of finite monoid elements from a multiplication table (Cayley table).

An element of a monoid with ``s`` elements is either **one-hot** (``s`` literals, exactly one true)
or a **binary index** (``w = max(1, ceil(log2 s))`` literals, least significant bit first, as the
word problems encode their letters).  ``table[a, b]`` is the product ``a b`` (``a`` applied first,
as in :mod:`serialcomp.problems.words`); nothing here needs inverses, so monoids work too.

The composition block is the two-level formula ``out_c = OR_{(a, b): ab = c} (x_a AND y_b)``:
depth 2 with unbounded fan-in AND/OR gates, ``s^2`` ANDs and ``s`` ORs.  Converting between the
encodings costs one level each way (:func:`decode_index`: an AND of ``w`` literals per element;
:func:`encode_index`: an OR per bit), but the builders here merge a conversion into a neighbouring
layer where that is cheap, since an OR of ORs is one OR and an AND of ANDs one AND:

* the product tree decodes its leaves (depth 1, or 0 when ``w = 1``) and merges the root encoding
  into the ORs of the last composition: depth exactly ``2 ceil(log2 n) + [w > 1]`` for ``n >= 2``
  (merging the leaf decoding into the first ANDs too would save that level but triple the edges);
* the stream step merges the decoding of its letter into the ANDs (fan-in ``w + 1``; the letter is
  not on the state path) and the encoding of its output into the ORs: step depth 2, so ``T``
  steps have serial depth exactly ``2T``.
"""

from __future__ import annotations

from typing import Sequence

import numpy as np

from ..._validate import check_int
from ...errors import CircuitStructureError
from ...ir.builder import FALSE, TRUE, CircuitBuilder
from ...ir.looped import LoopedCircuit

__all__ = [
    "check_table",
    "index_width",
    "decode_index",
    "encode_index",
    "compose",
    "product_tree",
    "fixed_depth_product",
    "stream_product",
]


def check_table(table: np.ndarray) -> np.ndarray:
    """``table`` as an int64 ``(s, s)`` array with entries in ``[0, s)``; CircuitStructureError otherwise.

    Example
    -------
    >>> check_table([[0, 1], [1, 0]]).shape
    (2, 2)
    """
    t = np.asarray(table)
    if t.ndim != 2 or t.shape[0] != t.shape[1] or t.shape[0] < 1:
        raise CircuitStructureError(f"a multiplication table must be square and non-empty, got shape {t.shape}")
    if not np.issubdtype(t.dtype, np.integer):
        raise CircuitStructureError(f"a multiplication table must hold integers, got dtype {t.dtype}")
    s = t.shape[0]
    if t.size and (t.min() < 0 or t.max() >= s):
        raise CircuitStructureError(f"multiplication table entries must lie in [0, {s}), got [{t.min()}, {t.max()}]")
    return t.astype(np.int64)


def index_width(size: int) -> int:
    """Bits of a binary element index: ``max(1, ceil(log2 size))``.

    Example
    -------
    >>> index_width(120), index_width(2), index_width(1)
    (7, 1, 1)
    """
    return max(1, (int(size) - 1).bit_length())


# ------------------------------------------------------------------------------------------------
# lazy element vectors: entry c is a tuple of literals combined by AND ("and") or by OR ("or")
# ------------------------------------------------------------------------------------------------


class _Vec:
    __slots__ = ("kind", "items")

    def __init__(self, kind: str, items: list[tuple[int, ...]]) -> None:
        self.kind = kind
        self.items = items


def _leaf(bits: Sequence[int], size: int) -> _Vec:
    """[element == c] as an AND of the index bits (negated where c has a 0): no gate yet."""
    w = len(bits)
    return _Vec("and", [tuple(bits[j] if (c >> j) & 1 else bits[j] ^ 1 for j in range(w)) for c in range(size)])


def _and_form(b: CircuitBuilder, v: _Vec) -> list[tuple[int, ...]]:
    """Per element, literals whose AND is [element == c] (an OR entry becomes one OR gate)."""
    if v.kind == "and":
        return v.items
    out = []
    for lits in v.items:
        if not lits:
            out.append((FALSE,))
        elif len(lits) == 1:
            out.append(lits)
        else:
            out.append((b.or_(*lits),))
    return out


def _or_form(b: CircuitBuilder, v: _Vec) -> list[tuple[int, ...]]:
    """Per element, literals whose OR is [element == c] (an AND entry becomes one AND gate)."""
    if v.kind == "or":
        return v.items
    return [lits if len(lits) == 1 else (b.and_(*lits),) for lits in v.items]


def _compose(b: CircuitBuilder, table: np.ndarray, x: _Vec, y: _Vec) -> _Vec:
    xa, yb = _and_form(b, x), _and_form(b, y)
    s = table.shape[0]
    terms: list[list[int]] = [[] for _ in range(s)]
    rows = table.tolist()
    for a in range(s):
        la, row = xa[a], rows[a]
        if FALSE in la:
            continue
        for c2 in range(s):
            lits = la + yb[c2]
            if FALSE in lits:
                continue
            terms[row[c2]].append(b.and_(*lits))
    return _Vec("or", [tuple(t) for t in terms])


def _encode(b: CircuitBuilder, v: _Vec, width: int) -> list[int]:
    form = _or_form(b, v)
    out = []
    for j in range(width):
        lits = [l for c, ls in enumerate(form) if (c >> j) & 1 for l in ls if l != FALSE]
        if TRUE in lits:
            out.append(TRUE)
        elif not lits:
            out.append(FALSE)
        elif len(lits) == 1:
            out.append(lits[0])
        else:
            out.append(b.or_(*lits))
    return out


def _check_letters(letters: Sequence[Sequence[int]], width: int, where: str) -> None:
    for k, bits in enumerate(letters):
        if len(bits) != width:
            raise CircuitStructureError(f"{where}: letter {k} has {len(bits)} bits, the table needs {width}")


# ------------------------------------------------------------------------------------------------
# public blocks
# ------------------------------------------------------------------------------------------------


def decode_index(b: CircuitBuilder, bits: Sequence[int], size: int) -> list[int]:
    """One-hot ``[index == c]`` for ``c < size`` from a binary index (LSB first).

    Notes
    -----
    Depth 1 (one AND of ``len(bits)`` literals per element); depth 0 and no gate for a 1-bit
    index, whose two entries are the literal and its negation.

    Example
    -------
    >>> b = CircuitBuilder(); x = b.input_bus("x", 2)
    >>> for lit in decode_index(b, x, 3): b.output(lit)
    >>> c = b.build(); c.depth(), c.evaluate([[0, 1]]).astype(int).tolist()   # index 2
    (1, [[0, 0, 1]])
    """
    if size > 1 << len(bits):
        raise CircuitStructureError(f"decode_index: {len(bits)} bits cannot index {size} elements")
    return [lits[0] if len(lits) == 1 else b.and_(*lits) for lits in _leaf(list(bits), size).items]


def encode_index(b: CircuitBuilder, onehot: Sequence[int], width: int | None = None) -> list[int]:
    """Binary index (LSB first) of a one-hot vector: bit ``j`` is the OR of the entries with bit ``j``.

    Notes
    -----
    Depth 1 (one OR per bit; a bit with a single entry is that literal, no gate); ``width`` ORs.

    Example
    -------
    >>> b = CircuitBuilder(); x = b.input_bus("x", 3)
    >>> for lit in encode_index(b, x): b.output(lit)
    >>> b.build().evaluate([[0, 0, 1], [0, 1, 0]]).astype(int).tolist()
    [[0, 1], [1, 0]]
    """
    width = index_width(len(onehot)) if width is None else int(width)
    return _encode(b, _Vec("or", [(l,) for l in onehot]), width)


def compose(b: CircuitBuilder, table: np.ndarray, x: Sequence[int], y: Sequence[int]) -> list[int]:
    """One-hot product ``x y`` of two one-hot elements: ``out_c = OR_{ab=c} (x_a AND y_b)``.

    Parameters
    ----------
    b : CircuitBuilder
    table : int array ``(s, s)``
        ``table[a, b]`` is the product ``a b`` (``a`` first).
    x, y : sequences of ``s`` literals
        One-hot elements.

    Returns
    -------
    list of int
        ``s`` literals, one-hot (given one-hot inputs).

    Notes
    -----
    Depth exactly 2 (AND layer, OR layer); ``s^2`` ANDs of fan-in 2 and ``s`` ORs of total fan-in
    ``s^2`` (an element that is no product is the constant ``FALSE``; one that is a single product
    is that AND, without an OR).

    Example
    -------
    >>> z3 = np.array([[(a + c) % 3 for c in range(3)] for a in range(3)])
    >>> b = CircuitBuilder(); x, y = b.input_bus("x", 3), b.input_bus("y", 3)
    >>> for lit in compose(b, z3, x, y): b.output(lit)
    >>> c = b.build(); c.depth(), c.n_gates
    (2, 12)
    >>> c.evaluate([[0, 1, 0, 0, 0, 1]]).astype(int).tolist()   # 1 + 2 = 0 mod 3
    [[1, 0, 0]]
    """
    t = check_table(table)
    s = t.shape[0]
    if len(x) != s or len(y) != s:
        raise CircuitStructureError(f"compose: one-hot elements need {s} literals, got {len(x)} and {len(y)}")
    v = _compose(b, t, _Vec("and", [(l,) for l in x]), _Vec("and", [(l,) for l in y]))
    return [l for (l,) in _and_form(b, v)]


def product_tree(b: CircuitBuilder, table: np.ndarray, letters: Sequence[Sequence[int]]) -> list[int]:
    """Binary index of the product ``x_1 x_2 ... x_n`` by a balanced tree of composition blocks.

    Parameters
    ----------
    b : CircuitBuilder
    table : int array ``(s, s)``
    letters : sequence of ``n >= 1`` binary indices
        Each a list of ``w = index_width(s)`` literals, LSB first (only indices ``< s`` may occur).

    Returns
    -------
    list of int
        ``w`` literals, the product's index, LSB first.

    Notes
    -----
    Leaves are decoded to one-hot (:func:`decode_index`), adjacent pairs are composed layer by
    layer (an odd one out moves up unchanged), so the tree has height ``ceil(log2 n)``, and the
    root's encoding is merged into its ORs.  Depth exactly ``2 ceil(log2 n) + 1`` for ``n >= 2``
    (``2 ceil(log2 n)`` when ``w = 1``: decoding is free), 0 for ``n = 1`` (the output is the
    letter).  Size: ``n s`` decoding ANDs (none when ``w = 1``), ``n - 1`` blocks of at most
    ``s^2`` ANDs of fan-in 2, with ``s`` ORs each except the root, which has ``w`` ORs of fan-in up
    to ``s^2``.

    Example
    -------
    >>> s3 = np.array([[0, 1, 2], [1, 1, 2], [2, 1, 2]])   # a 3-element monoid (b = "set to b" for b > 0)
    >>> b = CircuitBuilder(); xs = [b.input_bus(f"x{k}", 2) for k in range(3)]
    >>> for lit in product_tree(b, s3, xs): b.output(lit)
    >>> c = b.build(); c.depth()
    5
    >>> c.evaluate([[0, 1, 0, 0, 0, 0]]).astype(int).tolist()   # 2 0 0 = 2: index 2 is bits 0, 1
    [[0, 1]]
    """
    t = check_table(table)
    s = t.shape[0]
    w = index_width(s)
    if len(letters) < 1:
        raise CircuitStructureError("product_tree: needs at least one letter")
    _check_letters(letters, w, "product_tree")
    if len(letters) == 1:
        return list(letters[0])
    layer = [_Vec("and", [(l,) for l in decode_index(b, list(bits), s)]) for bits in letters]
    while len(layer) > 1:
        nxt = [_compose(b, t, layer[i], layer[i + 1]) for i in range(0, len(layer) - 1, 2)]
        if len(layer) % 2:
            nxt.append(layer[-1])
        layer = nxt
    return _encode(b, layer[0], w)


def fixed_depth_product(b: CircuitBuilder, table: np.ndarray, letters: Sequence[Sequence[int]], d: int) -> list[int]:
    """The product of the first ``min(n, 2^d)`` letters only: ``d`` levels of fan-in-2 composition.

    A fixed-depth circuit: exact for words of length ``n <= 2^d``; letters past ``2^d`` are not
    read at all, so beyond that length it is wrong whenever a later letter changes the product.

    Notes
    -----
    Depth and size those of :func:`product_tree` over ``min(n, 2^d)`` letters: exactly
    ``2 min(ceil(log2 n), d) + [w > 1]`` for ``n >= 2`` and ``d >= 1``.

    Example
    -------
    >>> z2 = np.array([[0, 1], [1, 0]])
    >>> b = CircuitBuilder(); xs = [b.input_bus(f"x{k}", 1) for k in range(5)]
    >>> for lit in fixed_depth_product(b, z2, xs, d=2): b.output(lit)
    >>> c = b.build(); c.depth(), c.evaluate([[1, 0, 0, 0, 1]]).astype(int).tolist()   # last letter unread
    (4, [[1]])
    """
    d = check_int("d", d, 0, where="fixed_depth_product", error=CircuitStructureError)
    return product_tree(b, table, list(letters)[: 2**d])


def stream_product(table: np.ndarray, identity: int) -> LoopedCircuit:
    """The running product as a stream :class:`~serialcomp.ir.looped.LoopedCircuit`.

    State: the product so far, one-hot (``s`` bits; initially ``identity``).  Each step reads one
    letter as a binary index (``w`` bits, LSB first) and outputs the new product's binary index:
    after step ``t`` the output is ``x_1 ... x_{t+1}``.

    Notes
    -----
    ``s^2`` ANDs (the state bit and the ``w`` letter literals), ``s`` state ORs and ``w`` output
    ORs per step; step depth 2 from state to state and from state to output, so the serial depth
    of ``T`` steps is exactly ``2T``.

    Example
    -------
    >>> z3 = np.array([[(a + c) % 3 for c in range(3)] for a in range(3)])
    >>> acc = stream_product(z3, 0)
    >>> acc.n_state, acc.n_x, acc.serial_depth(4)
    (3, 2, 8)
    >>> run = acc.run(np.array([[[1, 0], [1, 0], [0, 1]]], bool))   # 1, 1, 2: prefixes 1, 2, 1
    >>> run.outputs[0].astype(int).tolist()
    [[1, 0], [0, 1], [1, 0]]
    """
    t = check_table(table)
    s = t.shape[0]
    if not 0 <= int(identity) < s:
        raise CircuitStructureError(f"stream_product: identity {identity} is not an element index of [0, {s})")
    w = index_width(s)
    b = CircuitBuilder()
    state = b.input_bus("s", s)
    x = b.input_bus("x", w)
    v = _compose(b, t, _Vec("and", [(l,) for l in state]), _leaf(x, s))
    for c, (lit,) in enumerate(_and_form(b, v)):
        b.output(lit, f"s'[{c}]")
    for j, lit in enumerate(_encode(b, v, w)):
        b.output(lit, f"y[{j}]")
    init = [1 if c == int(identity) else 0 for c in range(s)]
    return LoopedCircuit(b.build(), n_state=s, init=init, mode="stream")
