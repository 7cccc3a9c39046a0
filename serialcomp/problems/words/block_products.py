"""Word products in blocks of ``b`` letters, each block a DNF over paths: depth ``O(log n / log log n)``.

An element of a transformation monoid on ``k`` points is a 0/1 matrix ``M[p][q] = [x(p) = q]``
(one 1 per row). The product of ``b`` elements is the Boolean matrix product of their matrices,
and each entry of it is a DNF over paths:

    ``(M_1 ... M_b)[i][j] = OR over p_1 .. p_(b-1) of AND(M_1[i][p_1], M_2[p_1][p_2], ..., M_b[p_(b-1)][j])``,

``k^(b-1)`` terms of ``b`` literals: one AND layer and one OR layer, whatever ``b``. Composing
blocks of ``b`` in a tree of height ``ceil(log_b n)`` gives depth ``2 ceil(log_b n) + 4`` (two
levels to turn each letter's index into its matrix, two to turn the product's matrix back into
an index) with ``k^(b+1)`` ANDs per block. With ``b = ceil(log2 n)`` that is depth
``O(log n / log log n)`` at size ``n^O(log k)``: polynomial for a fixed group, so the word problem
over S5 or A5 (NC1-complete) is *not* ``Omega(log n)`` with unbounded fan-in AND/OR gates; the
``Omega(log n)`` lower bound holds with bounded fan-in only.

Example
-------
>>> from serialcomp.problems.words import alternating_group
>>> block_size(16), block_levels(16, block_size(16))
(4, 2)
>>> from serialcomp.ir.builder import CircuitBuilder
>>> g = alternating_group(5)
>>> b = CircuitBuilder(); xs = [b.input_bus(f"x{i}", 6) for i in range(9)]
>>> for lit in block_product(b, g, xs, 3): b.output(lit)
>>> b.build().depth()     # 2 ceil(log_3 9) + 4
8
"""

from __future__ import annotations

import itertools
from typing import Sequence

from ..._validate import check_int
from ...errors import CircuitStructureError
from ...ir.builder import FALSE, CircuitBuilder
from .groups import decode_index, index_width
from .monoids import FiniteMonoid

__all__ = ["block_size", "block_levels", "transition_matrix", "compose_matrices", "block_product"]

Matrix = list[list[int]]  # M[p][q]: a literal


def block_size(n: int) -> int:
    """The block size of the ``blocks`` families: ``max(2, ceil(log2 n))``.

    Example
    -------
    >>> [block_size(n) for n in (1, 2, 4, 8, 9, 32, 33)]
    [2, 2, 2, 3, 4, 5, 6]
    """
    n = check_int("n", n, 1, where="block_size", error=CircuitStructureError)
    return max(2, (n - 1).bit_length())


def block_levels(n: int, b: int) -> int:
    """``ceil(log_b n)``, exactly: the least ``L`` with ``b^L >= n``.

    Example
    -------
    >>> block_levels(9, 3), block_levels(10, 3), block_levels(1, 2)
    (2, 3, 0)
    """
    n = check_int("n", n, 1, where="block_levels", error=CircuitStructureError)
    b = check_int("b", b, 2, where="block_levels", error=CircuitStructureError)
    levels, reach = 0, 1
    while reach < n:
        levels, reach = levels + 1, reach * b
    return levels


def transition_matrix(b: CircuitBuilder, monoid: FiniteMonoid, bits: Sequence[int]) -> Matrix:
    """``M[p][q] = [x(p) = q]`` for a letter ``x`` given as its binary index.

    Notes
    -----
    Depth 2: the letter decoded to one-hot (ANDs of its index bits), then per entry the OR of the
    elements that send ``p`` to ``q`` (a single element is its AND, no OR; none is ``FALSE``).

    Example
    -------
    >>> from serialcomp.problems.words import symmetric_group
    >>> b = CircuitBuilder(); x = b.input_bus("x", 3)
    >>> m = transition_matrix(b, symmetric_group(3), x)
    >>> for row in m:
    ...     for lit in row: b.output(lit)
    >>> c = b.build(); c.depth(), c.evaluate([[1, 0, 0]]).astype(int).reshape(3, 3).tolist()   # element 1 = 021
    (2, [[1, 0, 0], [0, 0, 1], [0, 1, 0]])
    """
    k = monoid.degree
    perms = monoid.perms(range(monoid.size)).tolist()
    onehot = decode_index(b, list(bits), monoid.size)
    out = []
    for p in range(k):
        row = []
        for q in range(k):
            lits = [onehot[g] for g in range(monoid.size) if perms[g][p] == q]
            row.append(FALSE if not lits else lits[0] if len(lits) == 1 else b.or_(*lits))
        out.append(row)
    return out


def compose_matrices(b: CircuitBuilder, mats: Sequence[Matrix]) -> Matrix:
    """The Boolean product ``M_1 M_2 ... M_b`` of 0/1 matrices with one 1 per row, as path DNFs.

    Notes
    -----
    Depth 2 (an AND per path, an OR per entry) for ``b >= 2``; one matrix is returned as it is.
    ``k^(b+1)`` ANDs of ``b`` literals for ``k x k`` matrices (paths through a ``FALSE`` entry
    are left out).

    Example
    -------
    >>> b = CircuitBuilder(); x = b.inputs(4)
    >>> m = compose_matrices(b, [[[x[0], x[0] ^ 1], [x[1], x[1] ^ 1]], [[x[2], x[2] ^ 1], [x[3], x[3] ^ 1]]])
    >>> b.output(m[0][0]); c = b.build(); c.depth(), c.evaluate([[1, 0, 1, 0], [0, 0, 1, 0]]).ravel().tolist()
    (2, [True, False])
    """
    if len(mats) == 1:
        return [list(r) for r in mats[0]]
    k = len(mats[0])
    out = []
    for i in range(k):
        row = []
        for j in range(k):
            terms = []
            for mid in itertools.product(range(k), repeat=len(mats) - 1):
                path = (i, *mid, j)
                lits = [mats[t][path[t]][path[t + 1]] for t in range(len(mats))]
                if FALSE not in lits:
                    terms.append(b.and_(*lits))
            row.append(FALSE if not terms else terms[0] if len(terms) == 1 else b.or_(*terms))
        out.append(row)
    return out


def block_product(b: CircuitBuilder, monoid: FiniteMonoid, letters: Sequence[Sequence[int]], block: int) -> list[int]:
    """Binary index (LSB first) of the product of ``letters``, composed in blocks of ``block``.

    Notes
    -----
    Depth exactly ``2 ceil(log_block n) + 4`` for ``n >= 2`` letters (the letter itself, depth 0,
    for ``n = 1``): letters to matrices (2), ``ceil(log_block n)`` levels of
    :func:`compose_matrices` (2 each), matrix to one-hot element (an AND of the ``k`` entries
    ``[P(p) = g(p)]``) and one-hot to index (an OR per bit). Size: about ``n / (block - 1)``
    blocks of ``k^(block + 1)`` ANDs.

    Example
    -------
    >>> from serialcomp.problems.words import symmetric_group
    >>> g = symmetric_group(5)
    >>> b = CircuitBuilder(); xs = [b.input_bus(f"x{i}", 7) for i in range(4)]
    >>> for lit in block_product(b, g, xs, 2): b.output(lit)
    >>> b.build().depth()
    8
    """
    block = check_int("block", block, 2, 16, where="block_product", error=CircuitStructureError)
    w = index_width(monoid.size)
    if not letters or any(len(x) != w for x in letters):
        raise CircuitStructureError(f"block_product: needs at least one letter of {w} index bits")
    if len(letters) == 1:
        return list(letters[0])
    layer = [transition_matrix(b, monoid, x) for x in letters]
    while len(layer) > 1:
        layer = [compose_matrices(b, layer[i:i + block]) for i in range(0, len(layer), block)]
    prod = layer[0]
    perms = monoid.perms(range(monoid.size)).tolist()
    is_elem = []
    for g in range(monoid.size):
        lits = [prod[p][perms[g][p]] for p in range(monoid.degree)]
        is_elem.append(FALSE if FALSE in lits else b.and_(*lits))
    out = []
    for j in range(w):
        ones = [is_elem[g] for g in range(monoid.size) if (g >> j) & 1 and is_elem[g] != FALSE]
        zeros = [is_elem[g] for g in range(monoid.size) if not (g >> j) & 1 and is_elem[g] != FALSE]
        use, neg = (ones, 0) if len(ones) <= len(zeros) else (zeros, 1)
        out.append((FALSE if not use else use[0] if len(use) == 1 else b.or_(*use)) ^ neg)
    return out
