"""Constant-depth shortcuts for word problems: solvable groups with MOD gates, the flip-flop in AC0.

*Split metabelian groups* (S3 = Z3 x| Z2, A4 = V4 x| Z3, A4 x Z5, and every Z_m): the derived
subgroup ``N = [G, G]`` is abelian and has a cyclic complement ``H = <h>``, so every element is
uniquely ``g = a_g h^(k_g)`` with ``a_g`` in N. Moving the ``h``'s to the right,

    ``g_1 g_2 ... g_n = (prod_i h^(K_(i-1)) a_i h^(-K_(i-1))) h^(K_n)``,   ``K_i = k_1 + ... + k_i``,

a product in the abelian group N of terms that depend on one letter and on a prefix sum mod p
(``p`` the period of h's action on N), times a power of h. That is the Krohn-Rhodes cascade of
Liu et al.'s "shortcuts to automata" flattened: prefix sums mod p with MOD_p gates (for S3, prefix
parities with MOD_2), then the twisted sum in each cyclic coordinate of N with MOD_m gates, then
the output's index from the coordinates. :func:`split_metabelian` finds the decomposition from
the Cayley table; :func:`solvable_product` builds the circuit.

*The flip-flop monoid* is aperiodic: the product is the last ``set`` before the end (``read``
when there is none), an OR over positions of "set here and read at every later position":
:func:`last_write`, depth 2 with AND/OR only (AC0).

Example
-------
>>> from serialcomp.problems.words import symmetric_group
>>> s = split_metabelian(symmetric_group(3))
>>> s.normal_order, s.quotient_order, s.period, s.moduli
(3, 2, 2, (3,))
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from functools import lru_cache
from typing import Sequence

import numpy as np

from ...errors import CircuitStructureError, ProblemParameterError
from ...ir.builder import FALSE, TRUE, CircuitBuilder
from .groups import decode_index, index_width
from .monoids import FiniteMonoid

__all__ = ["SplitMetabelian", "split_metabelian", "solvable_product", "last_write"]


@dataclass(frozen=True)
class SplitMetabelian:
    """``G = N x| <h>``: N the abelian derived subgroup, ``<h>`` a cyclic complement.

    Attributes
    ----------
    table : int array ``(s, s)``
        The Cayley table (``table[a, b]`` = a then b).
    normal : tuple of int
        The elements of N.
    h : int
        The generator of the complement; ``quotient_order`` its order, ``|G| / |N|``.
    period : int
        The least ``p`` dividing ``quotient_order`` such that conjugation by ``h^p`` fixes N.
    moduli : tuple of int
        N as ``Z_m1 x ... x Z_mr`` (coordinates of an element: :attr:`coords`).
    coords : dict
        Element of N -> its coordinate tuple.
    split : tuple of (int, int)
        For each element g: ``(a_g, k_g)`` with ``g = a_g h^(k_g)``.
    conj : tuple of tuple of int
        ``conj[r][a] = h^r a h^(-r)`` for a in N (as an element index), ``r < period``.
    """

    table: np.ndarray
    normal: tuple[int, ...]
    h: int
    quotient_order: int
    period: int
    moduli: tuple[int, ...]
    coords: dict
    split: tuple[tuple[int, int], ...]
    conj: tuple[dict, ...]

    @property
    def normal_order(self) -> int:
        """``|N|``."""
        return len(self.normal)


def _closure(table: np.ndarray, gens: Sequence[int], identity: int) -> list[int]:
    seen = {identity}
    frontier = [identity]
    while frontier:
        nxt = []
        for x in frontier:
            for g in gens:
                y = int(table[x, g])
                if y not in seen:
                    seen.add(y)
                    nxt.append(y)
        frontier = nxt
    return sorted(seen)


def _abelian_basis(table: np.ndarray, normal: list[int], identity: int) -> tuple[tuple[int, ...], tuple[int, ...]]:
    """Generators (and their orders) of N as a direct product of cyclic groups, by search."""
    def order(x: int) -> int:
        k, y = 1, x
        while y != identity:
            y, k = int(table[y, x]), k + 1
        return k

    if len(normal) == 1:
        return (), ()
    cands = sorted((x for x in normal if x != identity), key=lambda x: -order(x))
    for r in range(1, 6):
        for gens in itertools.combinations(cands, r):
            orders = [order(g) for g in gens]
            if int(np.prod(orders)) != len(normal):
                continue
            images = set()
            for exps in itertools.product(*(range(o) for o in orders)):
                y = identity
                for g, e in zip(gens, exps):
                    for _ in range(e):
                        y = int(table[y, g])
                images.add(y)
            if len(images) == len(normal):
                return tuple(gens), tuple(orders)
    raise ProblemParameterError("split_metabelian: no cyclic decomposition of the derived subgroup found")  # pragma: no cover


@lru_cache(maxsize=32)
def _split(key: tuple) -> SplitMetabelian:
    table = np.array(key, dtype=np.int64)
    s = table.shape[0]
    identity = next(e for e in range(s) if (table[e] == np.arange(s)).all() and (table[:, e] == np.arange(s)).all())
    inv = [int(np.flatnonzero(table[a] == identity)[0]) for a in range(s)]
    comms = {int(table[table[table[a, b], inv[a]], inv[b]]) for a in range(s) for b in range(s)}
    normal = _closure(table, sorted(comms), identity)
    nset = set(normal)
    if any(table[x, y] != table[y, x] for x in normal for y in normal):
        raise ProblemParameterError("split_metabelian: the derived subgroup is not abelian (the group is not "
                                    "metabelian; for a non-solvable group such as A5 or S5 no constant-depth "
                                    "circuits are known: TC0 != NC1 is conjectured)")
    q = s // len(normal)
    h = None
    for g in range(s):
        y, ok = identity, True
        for k in range(1, q + 1):
            y = int(table[y, g])
            if (k < q and y in nset) or (k == q and y != identity):
                ok = False
                break
        if ok:
            h = g
            break
    if h is None:
        raise ProblemParameterError("split_metabelian: G / [G, G] has no cyclic complement in G")
    powers = [identity]
    for _ in range(q - 1):
        powers.append(int(table[powers[-1], h]))
    inv_pow = [inv[x] for x in powers]
    split = []
    for g in range(s):
        k = next(k for k in range(q) if int(table[g, inv_pow[k]]) in nset)
        split.append((int(table[g, inv_pow[k]]), k))
    def conj_by(r: int) -> dict:
        return {a: int(table[table[powers[r], a], inv_pow[r]]) for a in normal}
    period = next(p for p in range(1, q + 1) if q % p == 0 and all(conj_by(p % q)[a] == a for a in normal))
    gens, moduli = _abelian_basis(table, normal, identity)
    coords = {}
    for exps in itertools.product(*(range(o) for o in moduli)):
        y = identity
        for g, e in zip(gens, exps):
            for _ in range(e):
                y = int(table[y, g])
        coords[y] = tuple(exps)
    table.setflags(write=False)
    return SplitMetabelian(table, tuple(normal), h, q, period, moduli, coords, tuple(split),
                           tuple(conj_by(r) for r in range(period)))


def split_metabelian(monoid: FiniteMonoid) -> SplitMetabelian:
    """The decomposition ``G = [G, G] x| <h>`` of a group whose derived subgroup is abelian and has a
    cyclic complement (S3, A4, A4 x Z5, Z_m, dihedral groups ...), from its Cayley table.

    Raises
    ------
    ProblemParameterError
        For a monoid that is not a group, a group whose derived subgroup is not abelian (A5, S5),
        or one without a cyclic complement.

    Example
    -------
    >>> from serialcomp.problems.words import alternating_group, cyclic_group, direct_product
    >>> s = split_metabelian(direct_product(alternating_group(4), cyclic_group(5)))
    >>> s.normal_order, s.quotient_order, s.period, s.moduli
    (4, 15, 3, (2, 2))
    """
    if monoid.table is None:
        r = np.arange(monoid.size)
        table = (r[:, None] + r[None, :]) % monoid.size
    else:
        table = monoid.table.astype(np.int64)
        if any(len(set(row.tolist())) != monoid.size for row in table):
            raise ProblemParameterError(f"split_metabelian: {monoid.name} is not a group")
    return _split(tuple(map(tuple, table.tolist())))


def _prime_powers(q: int) -> list[int]:
    """The prime powers whose product is ``q`` (``[]`` for 1): ``12 -> [4, 3]``."""
    out, p = [], 2
    while q > 1:
        if q % p == 0:
            f = 1
            while q % p == 0:
                q, f = q // p, f * p
            out.append(f)
        p += 1
    return out


def _mod_equal(b: CircuitBuilder, terms: list[tuple[int, int]], m: int, r: int) -> int:
    """``[sum_i c_i x_i = r mod m]`` for ``terms = [(x_i, c_i)]``, one MOD_m gate (literals repeated)."""
    lits = [x for x, c in terms for _ in range(c % m)]
    return b.mod(lits + [TRUE] * ((m - r) % m), m)


def solvable_product(b: CircuitBuilder, monoid: FiniteMonoid, letters: Sequence[Sequence[int]]) -> list[int]:
    """Binary index (LSB first) of the product of ``letters`` over a split metabelian group, in constant depth.

    Layers: (1) each letter one-hot (an AND of its index bits); (2) the prefix sums
    ``[K_i = r mod p]`` and the total ``[K_n = k mod q]``, MOD gates over the one-hot literals;
    (3) the terms ``[letter i = e and K_(i-1) = r]``, ANDs; (4) for each cyclic coordinate of N and
    each residue, a MOD gate over the terms (each repeated as often as its coordinate); (5) per
    element ``g = a h^k``, the AND of its coordinates and of the residues of ``k``; (6) per output bit the
    OR of its elements (or the negated OR of the others).

    Notes
    -----
    Depth exactly 6 for ``n >= 2`` when N and the quotient are non-trivial (S3, A4 x Z5); the
    output is the letter itself (depth 0) for ``n = 1``. Size for ``n`` letters over a group of
    order ``s``: ``n s`` decoding ANDs, ``(n - 1) p`` prefix MOD gates (and at most ``q`` for the total) of fan-in up to
    ``n s (p - 1)``, at most ``n s p`` term ANDs, ``sum m_c`` coordinate MOD gates and ``s``
    output ANDs: ``O(n^2 s p)`` edges.

    Example
    -------
    >>> from serialcomp.problems.words import symmetric_group
    >>> g = symmetric_group(3)
    >>> b = CircuitBuilder(); xs = [b.input_bus(f"x{i}", 3) for i in range(4)]
    >>> for lit in solvable_product(b, g, xs): b.output(lit)
    >>> c = b.build(); word = [1, 3, 5, 2]
    >>> bits = [[(e >> j) & 1 for e in word for j in range(3)]]
    >>> got = sum(int(v) << j for j, v in enumerate(c.evaluate(bits)[0]))
    >>> c.depth(), got == int(g.mul(g.mul(g.mul(1, 3), 5), 2))
    (6, True)
    """
    dec = split_metabelian(monoid)
    s = dec.table.shape[0]
    w = index_width(s)
    if any(len(x) != w for x in letters):
        raise CircuitStructureError(f"solvable_product: every letter needs {w} index bits")
    n = len(letters)
    if n == 0:
        raise CircuitStructureError("solvable_product: needs at least one letter")
    if n == 1:
        return list(letters[0])
    p, q = dec.period, dec.quotient_order
    onehot = [decode_index(b, list(x), s) for x in letters]
    k_of = [k for _, k in dec.split]
    prefix: list[list[int]] = [[TRUE] + [FALSE] * (p - 1)]  # K_0 = 0
    for i in range(1, n):
        terms = [(onehot[j][e], k_of[e]) for j in range(i) for e in range(s) if k_of[e] % p]
        prefix.append([_mod_equal(b, terms, p, r) if p > 1 else TRUE for r in range(p)])
    # [K_n = k mod q] as the AND of its residues modulo the prime powers of q (CRT): fewer, narrower gates
    factors = _prime_powers(q)
    total = []
    for f in factors:
        terms = [(onehot[j][e], k_of[e]) for j in range(n) for e in range(s) if k_of[e] % f]
        total.append([_mod_equal(b, terms, f, r) for r in range(f)])
    coord_terms: list[list[tuple[int, int]]] = [[] for _ in dec.moduli]
    for i in range(n):
        for e in range(s):
            a = dec.split[e][0]
            for r in range(p):
                gate = prefix[i][r]
                if gate == FALSE:
                    continue
                cs = dec.coords[dec.conj[r][a]]
                if not any(cs):
                    continue
                lit = onehot[i][e] if gate == TRUE else b.and_(onehot[i][e], gate)
                for c, v in enumerate(cs):
                    if v:
                        coord_terms[c].append((lit, v))
    coord = [[_mod_equal(b, coord_terms[c], m, v) for v in range(m)] for c, m in enumerate(dec.moduli)]
    is_elem = []
    for g in range(s):
        a, k = dec.split[g]
        lits = [coord[c][v] for c, v in enumerate(dec.coords[a])] + [res[k % f] for f, res in zip(factors, total)]
        lits = [l for l in lits if l != TRUE]
        is_elem.append(TRUE if not lits else lits[0] if len(lits) == 1 else b.and_(*lits))
    out = []
    for j in range(w):
        ones = [is_elem[g] for g in range(s) if (g >> j) & 1]
        zeros = [is_elem[g] for g in range(s) if not (g >> j) & 1]
        use, neg = (ones, 0) if len(ones) <= len(zeros) else (zeros, 1)
        out.append((FALSE if not use else use[0] if len(use) == 1 else b.or_(*use)) ^ neg)
    return out


def last_write(b: CircuitBuilder, monoid: FiniteMonoid, letters: Sequence[Sequence[int]]) -> list[int]:
    """Binary index of a flip-flop product: the last ``set0``/``set1``, or ``read`` if there is none.

    ``monoid`` must be :func:`~serialcomp.problems.words.flipflop_monoid` (elements ``set0``,
    ``read``, ``set1`` at indices 0, 1, 2).

    Notes
    -----
    AND/OR only (AC0). Bit 0 (``read``) is the AND of "letter i is read" over all i, one AND of
    ``2n`` literals; bit 1 (``set1``) is the OR over i of "letter i is set1 and every later letter
    is read", ANDs of ``2(n - i + 1)`` literals. Depth exactly 2 for ``n >= 2``; the letter itself
    (depth 0) for ``n = 1``. ``n + 1`` ANDs, one OR, ``O(n^2)`` edges.

    Example
    -------
    >>> from serialcomp.problems.words import flipflop_monoid
    >>> b = CircuitBuilder(); xs = [b.input_bus(f"x{i}", 2) for i in range(3)]
    >>> for lit in last_write(b, flipflop_monoid(), xs): b.output(lit)
    >>> c = b.build()   # set1, set0, read: the last write is set0 (index 0)
    >>> c.depth(), c.evaluate([[0, 1, 0, 0, 1, 0]]).astype(int).tolist()
    (2, [[0, 0]])
    """
    names = list(monoid.names)
    if names != ["set0", "read", "set1"]:
        raise CircuitStructureError(f"last_write: needs the flip-flop monoid (set0, read, set1), got {monoid.name}")
    if any(len(x) != 2 for x in letters) or not letters:
        raise CircuitStructureError("last_write: needs at least one letter of 2 index bits")
    n = len(letters)
    if n == 1:
        return list(letters[0])
    read = [(x[0], x[1] ^ 1) for x in letters]   # index 1: bit 0 set, bit 1 clear
    set1 = [(x[0] ^ 1, x[1]) for x in letters]   # index 2
    all_read = b.and_(*(l for r in read for l in r))
    ends = [b.and_(*set1[i], *(l for r in read[i + 1:] for l in r)) if i < n - 1 else b.and_(*set1[i])
            for i in range(n)]
    return [all_read, b.or_(*ends)]
