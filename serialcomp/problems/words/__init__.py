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

Modules: :mod:`.monoids` (the algebra: elements, Cayley tables, scans), :mod:`.problem` (the
registered problems), :mod:`.families` (their circuit families), :mod:`.groups` (composition of
elements as circuits: decoding, composition blocks, product trees, the stream loop) and
:mod:`.modcount` (sums modulo m with MOD or threshold gates, for ``word:Z<m>``).

Example
-------
>>> from serialcomp.problems import get_problem
>>> inst = get_problem("word:S3").sample(4, 2, seed=0, prefix=True)
>>> bool((inst.targets["prefix"][:, -1] == inst.targets["target"]).all())
True
"""

from __future__ import annotations

from .families import fanin2_tree_depth, word_families
from .monoids import (FiniteMonoid, alternating_group, cyclic_group, direct_product, flipflop_monoid, one_line_text,
                      symmetric_group)
from .problem import MAX_CYCLIC_ORDER, WordProblem

__all__ = [
    "FiniteMonoid",
    "MAX_CYCLIC_ORDER",
    "fanin2_tree_depth",
    "cyclic_group",
    "symmetric_group",
    "alternating_group",
    "direct_product",
    "flipflop_monoid",
    "one_line_text",
    "WordProblem",
    "word_families",
]
