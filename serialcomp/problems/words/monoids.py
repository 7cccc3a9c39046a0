"""Finite monoids of transformations of ``{0..k-1}`` with Cayley tables: Z_m, S_k, A_k, direct
products and the flip-flop monoid, the algebra behind the ``word:*`` problems.

Elements are written in one-line notation (``p[i]`` is the image of ``i``) and **the product
applies the left factor first**: ``(x y)[i] = y[x[i]]``, as ``sympy.combinatorics.Permutation``
does (``p * q`` applies ``p`` first). Internally an element is an index into the sorted element
table (lexicographic one-line notation; ``Z<m>`` elements are residues ``a``, the rotation
``i -> i + a mod m``).
"""

from __future__ import annotations

import itertools
from typing import Any

import numpy as np

from ...errors import ProblemParameterError

__all__ = ["FiniteMonoid", "one_line_text", "cyclic_group", "symmetric_group", "alternating_group", "direct_product", "flipflop_monoid"]


def one_line_text(row: Any) -> str:
    """One-line notation as text: ``[1, 0, 2]`` -> ``"102"`` (comma-separated above 10 points).

    Example
    -------
    >>> one_line_text([1, 0, 2]), one_line_text(range(11))[:7]
    ('102', '0,1,2,3')
    """
    row = [int(v) for v in row]
    return "".join(map(str, row)) if len(row) <= 10 else ",".join(map(str, row))


class FiniteMonoid:
    """A finite monoid of transformations of ``{0..k-1}`` with a Cayley table.

    Parameters
    ----------
    name : str
    elements : int array ``(size, k)`` or None
        One-line notation of every element (sorted and deduplicated here); ``None`` with
        ``modulus=m`` for the cyclic group Z_m (no table: products are sums mod m).
    names : list of str, optional
        Token names of the elements (default: the one-line digits, or the residue for Z_m).

    Attributes
    ----------
    size, degree (k), identity (index), table (``(size, size)``, ``table[a, b]`` = a then b, or None)

    Example
    -------
    >>> g = symmetric_group(3)
    >>> g.size, g.perms(np.array([g.mul(1, 2)])).tolist()
    (6, [[1, 2, 0]])
    """

    def __init__(self, name: str, elements: np.ndarray | None = None, names: list[str] | None = None,
                 modulus: int | None = None) -> None:
        self.name = name
        self.modulus = modulus
        if modulus is not None:
            self.size = self.degree = int(modulus)
            self.elements = None
            self.table = None
            self.identity = 0
            self.names = names or [str(a) for a in range(self.size)]
            return
        e = np.unique(np.asarray(elements, dtype=np.int64), axis=0)
        self.size, self.degree = e.shape
        self.elements = e.astype(np.int8 if self.degree <= 127 else np.int64)
        self._weights = self.degree ** np.arange(self.degree - 1, -1, -1, dtype=np.int64)  # lexicographic
        self._codes = e @ self._weights
        comp = e[np.arange(self.size)[None, :, None], e[:, None, :]]  # comp[a, b, i] = e[b, e[a, i]]
        table = self._lookup(comp)
        if (table < 0).any():
            raise ProblemParameterError(f"{name}: element set not closed under composition")
        self.table = table.astype(np.int32)
        ident = self._lookup(np.arange(self.degree)[None, :])
        if ident[0] < 0:
            raise ProblemParameterError(f"{name}: no identity")
        self.identity = int(ident[0])
        self.names = names or [one_line_text(row) for row in e.tolist()]

    def _lookup(self, perms: np.ndarray) -> np.ndarray:
        perms = np.asarray(perms, dtype=np.int64)
        codes = perms @ self._weights
        pos = np.clip(np.searchsorted(self._codes, codes), 0, self.size - 1)
        ok = (self._codes[pos] == codes) & ((perms >= 0) & (perms < self.degree)).all(axis=-1)
        return np.where(ok, pos, -1)

    @property
    def bits_per_element(self) -> int:
        return max(1, (self.size - 1).bit_length())

    def perms(self, ids: np.ndarray) -> np.ndarray:
        """One-line notation of element indices: shape ``ids.shape + (k,)``."""
        ids = np.asarray(ids, dtype=np.int64)
        if self.elements is None:
            return (np.arange(self.degree, dtype=np.int64) + ids[..., None]) % self.degree
        return self.elements[ids]

    def index(self, perms: np.ndarray) -> np.ndarray:
        """Element indices of one-line arrays (last axis k); ProblemParameterError if not elements."""
        perms = np.asarray(perms, dtype=np.int64)
        if perms.shape[-1:] != (self.degree,):
            raise ProblemParameterError(f"{self.name}: elements have {self.degree} points, got shape {perms.shape}")
        if self.elements is None:
            ids = perms[..., 0] % self.degree
            ok = (self.perms(ids) == perms).all(axis=-1)
        else:
            ids = self._lookup(perms)
            ok = ids >= 0
        if not ok.all():
            raise ProblemParameterError(f"{self.name}: not an element: {perms[~ok][0].tolist()}")
        return ids

    def mul(self, a: Any, b: Any) -> Any:
        """Product ``a b`` (``a`` applied first) of element indices, vectorised."""
        if self.table is None:
            return (np.asarray(a, dtype=np.int64) + b) % self.degree
        return self.table[a, b]

    def scan(self, ids: np.ndarray) -> np.ndarray:
        """Prefix products along axis 0 (work O(len), log2(len) vectorised rounds).

        ``out[j] = ids[0] ids[1] ... ids[j]``; ``ids`` is ``(n, ...)`` int.
        """
        x = np.asarray(ids, dtype=np.int64)
        if self.table is None:
            return np.cumsum(x, axis=0) % self.degree
        flat = self.table.ravel().astype(np.int64)
        return self._scan(x, flat, self.size)

    @staticmethod
    def _scan(x: np.ndarray, flat: np.ndarray, s: int) -> np.ndarray:
        n = x.shape[0]
        if n == 1:
            return x.copy()
        half = n // 2
        pairs = flat[x[0 : 2 * half : 2] * s + x[1 : 2 * half : 2]]  # x[2i] x[2i+1]
        sub = FiniteMonoid._scan(pairs, flat, s)  # sub[i] = x[0] ... x[2i+1]
        out = np.empty_like(x)
        out[1 : 2 * half : 2] = sub
        out[0] = x[0]
        if n > 2:
            out[2::2] = flat[sub[: (n - 1) // 2] * s + x[2::2]]
        return out


def cyclic_group(m: int) -> FiniteMonoid:
    """Z_m as rotations of ``{0..m-1}``: element ``a`` maps ``i -> (i + a) mod m``.

    Example
    -------
    >>> cyclic_group(5).perms(np.array([2])).tolist()
    [[2, 3, 4, 0, 1]]
    """
    return FiniteMonoid(f"Z{m}", modulus=m)


def symmetric_group(k: int) -> FiniteMonoid:
    """S_k: all permutations of ``{0..k-1}``.

    Example
    -------
    >>> symmetric_group(5).size
    120
    """
    return FiniteMonoid(f"S{k}", np.array(list(itertools.permutations(range(k)))))


def _even(p: tuple[int, ...]) -> bool:
    inv = sum(1 for i in range(len(p)) for j in range(i + 1, len(p)) if p[i] > p[j])
    return inv % 2 == 0


def alternating_group(k: int) -> FiniteMonoid:
    """A_k: the even permutations of ``{0..k-1}``.

    Example
    -------
    >>> alternating_group(5).size
    60
    """
    return FiniteMonoid(f"A{k}", np.array([p for p in itertools.permutations(range(k)) if _even(p)]))


def direct_product(g: FiniteMonoid, h: FiniteMonoid) -> FiniteMonoid:
    """G x H acting on the disjoint union of their points (H's points shifted by G's degree).

    Example
    -------
    >>> g = direct_product(alternating_group(4), cyclic_group(5))
    >>> g.size, g.degree
    (60, 9)
    """
    eg, eh = g.perms(np.arange(g.size)), h.perms(np.arange(h.size)) + g.degree
    el = np.array([np.concatenate([a, b]) for a in eg for b in eh])
    return FiniteMonoid(f"{g.name}x{h.name}", el)


def flipflop_monoid() -> FiniteMonoid:
    """The flip-flop monoid on ``{0, 1}``: ``set0 = [0, 0]``, ``read = [0, 1]`` (identity), ``set1 = [1, 1]``.

    Example
    -------
    >>> m = flipflop_monoid()
    >>> m.names[m.mul(2, 1)], m.names[m.mul(2, 0)]   # set1 then read; set1 then set0
    ('set1', 'set0')
    """
    return FiniteMonoid("flipflop", np.array([[0, 0], [0, 1], [1, 1]]), names=["set0", "read", "set1"])
