"""k steps of an elementary cellular automaton at once: light-cone DNFs and the block circuit.

After ``k`` steps a cell is a function of the ``2k + 1`` cells around it (its light cone), the
same function for every cell. Written as a sum of products (a DNF) it is one AND layer and one OR
layer, so ``t`` steps cost depth ``2 ceil(t / k)`` with unbounded fan-in instead of ``2t``: the
step-by-step simulation of rule 110 or 30 is *not* the shallowest circuit in this model. The DNF
has at most ``2^(2k)`` terms of ``2k + 1`` literals, so ``k = Theta(log n)`` gives depth
``O(n / log n)`` at polynomial size for ``t = n``.

:func:`cone_cover` finds a small DNF of the k-step function (prime implicants by Quine-McCluskey,
then a greedy cover, of the on-set or of the off-set, the output negated, whichever has fewer
terms); :func:`ca_blocks` builds the circuit, keeping only the light cone of the output cell.

Example
-------
>>> len(cone_cover(110, 4)[1])                               # 4 steps of rule 110: 25 terms
25
>>> c = ca_blocks(33, 110, 33, 4, cell=16); c.depth()       # 9 blocks of 4 steps: depth 18, not 66
18
"""

from __future__ import annotations

from functools import lru_cache

from ..._validate import check_int
from ...errors import CircuitStructureError
from ...ir.builder import FALSE, TRUE, CircuitBuilder
from ...ir.circuit import Circuit

__all__ = ["MAX_BLOCK_STEPS", "cone_function", "cone_cover", "ca_blocks"]

MAX_BLOCK_STEPS = 6
"""Largest ``k`` of a block: the k-step function has ``2^(2k+1)`` rows (8192 at k = 6)."""

Cube = tuple[int, int]  # (mask, value) over the 2k + 1 cone cells (bit j: cell i - k + j)


def _check_k(k: int) -> int:
    return check_int("k (steps per block)", k, 1, MAX_BLOCK_STEPS, where="a light-cone block", error=CircuitStructureError)


@lru_cache(maxsize=64)
def cone_function(rule: int, k: int) -> tuple[int, ...]:
    """Truth table of the centre cell after ``k`` steps, as a function of its ``2k + 1`` cone cells.

    Entry ``m`` is the value when cell ``i - k + j`` holds bit ``j`` of ``m``.

    Example
    -------
    >>> cone_function(90, 1)   # rule 90: left (bit 0) XOR right (bit 2)
    (0, 1, 0, 1, 1, 0, 1, 0)
    """
    rule = check_int("rule", rule, 0, 255, where="cone_function", error=CircuitStructureError)
    k = _check_k(k)
    w = 2 * k + 1
    out = []
    for m in range(1 << w):
        row = [(m >> j) & 1 for j in range(w)]
        for _ in range(k):
            row = [(rule >> (4 * row[i - 1] + 2 * row[i] + row[i + 1])) & 1 for i in range(1, len(row) - 1)]
        out.append(row[0])
    return tuple(out)


def _primes(on: list[int], nv: int) -> list[Cube]:
    full = (1 << nv) - 1
    cur = {(full, m) for m in on}
    primes: set[Cube] = set()
    while cur:
        by_mask: dict[int, set[int]] = {}
        for mask, v in cur:
            by_mask.setdefault(mask, set()).add(v)
        nxt, used = set(), set()
        for mask, vals in by_mask.items():
            for v in vals:
                for j in range(nv):
                    bit = 1 << j
                    if mask & bit and not v & bit and v | bit in vals:
                        nxt.add((mask & ~bit, v))
                        used.add((mask, v))
                        used.add((mask, v | bit))
        primes |= cur - used
        cur = nxt
    return sorted(primes, key=lambda c: (bin(c[0]).count("1"), c))


def _greedy_cover(on: list[int], nv: int) -> list[Cube]:
    primes = _primes(on, nv)
    covers = {p: {m for m in on if m & p[0] == p[1]} for p in primes}
    left, chosen = set(on), []
    while left:
        best = max(primes, key=lambda p: (len(covers[p] & left), -bin(p[0]).count("1")))
        chosen.append(best)
        left -= covers[best]
    return sorted(chosen)


@lru_cache(maxsize=64)
def cone_cover(rule: int, k: int) -> tuple[bool, tuple[Cube, ...]]:
    """A small DNF of the k-step centre function: ``(negated, cubes)``.

    ``negated`` is True when the cubes cover the off-set (the function is the negated OR).
    Cube ``(mask, value)`` is the AND of the cone cells ``j`` in ``mask``, positive where
    ``value`` has a 1.

    Notes
    -----
    Exact prime implicants (Quine-McCluskey on ``2^(2k+1)`` rows), greedy cover: small, not
    always minimum. Rule 110: 2, 6, 14, 25, 64 terms for k = 1..5 (rule 30: 3, 7, 20, 45, 110). Cached.

    Example
    -------
    >>> neg, cubes = cone_cover(110, 2); neg, len(cubes)
    (False, 6)
    """
    f = cone_function(rule, k)
    nv = 2 * k + 1
    on = [m for m, v in enumerate(f) if v]
    off = [m for m, v in enumerate(f) if not v]
    if not on or not off:
        return (not on), ((0, 0),)  # constant: the empty cube (TRUE), negated for 0
    c1, c0 = _greedy_cover(on, nv), _greedy_cover(off, nv)
    return (False, tuple(c1)) if len(c1) <= len(c0) else (True, tuple(c0))


def _block_cell(b: CircuitBuilder, cover: tuple[bool, tuple[Cube, ...]], cells: list[int]) -> int:
    negated, cubes = cover
    terms = []
    for mask, value in cubes:
        lits: dict[int, int] = {}
        dead = False
        for j in range(len(cells)):
            if mask >> j & 1:
                lit = cells[j] ^ (0 if value >> j & 1 else 1)
                if lits.get(lit ^ 1) is not None:  # x AND NOT x: a cell seen twice on a small ring
                    dead = True
                    break
                lits[lit] = lit
        if dead:
            continue
        ls = list(lits)
        terms.append(TRUE if not ls else ls[0] if len(ls) == 1 else b.and_(*ls))
    if TRUE in terms:
        out = TRUE
    else:
        out = FALSE if not terms else terms[0] if len(terms) == 1 else b.or_(*terms)
    return out ^ int(negated)


def ca_blocks(w: int, rule: int, t: int, k: int, cell: int | None = None) -> Circuit:
    """``t`` steps of ``rule`` on a ring of width ``w`` as blocks of ``k`` steps, each a light-cone DNF.

    Parameters
    ----------
    w, rule, t : int
        Width, Wolfram rule, steps (``t >= 0``).
    k : int
        Steps per block, ``1 <= k <= MAX_BLOCK_STEPS``; the first block takes ``t mod k`` steps
        when ``k`` does not divide ``t``.
    cell : int, optional
        Output only this cell (named ``target``); default the whole row (``final[i]``).

    Notes
    -----
    Depth exactly ``2 ceil(t / k)`` whenever every block's DNF keeps two terms of two literals
    after folding the cone onto the ring (so for rules 110 and 30 on rings of at least
    ``2k + 1`` cells; on smaller rings a block can fold to fewer levels). Size: per block and
    light-cone cell one DNF of :func:`cone_cover` (rule 110, k = 4: 25 ANDs of at most 9
    literals and one OR); block ``s`` from the end keeps the cells within ``k s`` of the output.

    Example
    -------
    >>> from serialcomp.problems.ca import ca_run
    >>> c = ca_blocks(9, 30, 7, 3, cell=4)
    >>> row = [0, 1, 1, 0, 1, 0, 0, 1, 1]
    >>> c.depth(), int(c.evaluate([row])[0, 0]) == int(ca_run(row, 30, 7)[4])
    (6, True)
    """
    w = check_int("width", w, 1, where="ca_blocks", error=CircuitStructureError)
    rule = check_int("rule", rule, 0, 255, where="ca_blocks", error=CircuitStructureError)
    t = check_int("t", t, 0, where="ca_blocks", error=CircuitStructureError)
    k = _check_k(k)
    targets = list(range(w)) if cell is None else [check_int("cell", cell, 0, w - 1, where=f"a ring of width {w}",
                                                             error=CircuitStructureError)]
    sizes = ([t % k] if t % k else []) + [k] * (t // k)
    b = CircuitBuilder()
    cur: dict[int, int] = dict(enumerate(b.input_bus("row", w)))
    done = 0
    for size in sizes:
        done += size
        reach = t - done  # steps still to come: keep the cells within that distance of an output
        if cell is None or 2 * reach + 1 >= w:
            need = range(w)
        else:
            need = sorted({(targets[0] + d) % w for d in range(-reach, reach + 1)})
        cover = cone_cover(rule, size)
        cur = {i: _block_cell(b, cover, [cur[(i - size + j) % w] for j in range(2 * size + 1)]) for i in need}
    for i in targets:
        b.output(cur[i], "target" if cell is not None else f"final[{i}]")
    return b.build()
