"""Elementary cellular automata as circuits: one step, ``t`` steps unrolled, looped, and rule 90's light cone.

A row of ``w`` cells lives on a ring (periodic boundary); cell ``i`` becomes
``table[4 * x[i-1] + 2 * x[i] + x[i+1]]`` where bit ``k`` of the Wolfram rule number is
``table[k]`` (the convention of :mod:`serialcomp.problems.ca`).  Each cell's update is written as a
small sum of products: the prime implicants of the rule's 3-input truth table, with a fewest-cubes
cover (:func:`rule_cover`), so one step has depth at most 2 (an AND layer, then an OR).

Rule 90 is linear over GF(2): after ``t`` steps cell ``i`` is the XOR of the initial cells
``x[i + 2k - t]`` with ``binom(t, k)`` odd (Lucas: ``k & t == k``), offsets taken mod ``w`` so that
two contributions landing on one cell cancel (:func:`pascal_offsets`).
"""

from __future__ import annotations

from functools import lru_cache
from itertools import combinations
from typing import Sequence

import numpy as np

from ..._validate import check_int
from ...blocks.parity import threshold_parity
from ...errors import CircuitStructureError
from ...ir.builder import FALSE, TRUE, CircuitBuilder
from ...ir.circuit import Circuit
from ...ir.looped import LoopedCircuit

__all__ = [
    "rule_cover",
    "rule_step_depth",
    "ca_step",
    "ca_step_loaded",
    "ca_step_circuit",
    "ca_unrolled",
    "ca_looped",
    "pascal_offsets",
    "rule90_light_cone",
]

Cube = tuple[int, int]  # (mask, value) over the bits l=4, c=2, r=1: covers k with k & mask == value


def _check_rule(rule: int) -> int:
    return check_int("rule", rule, 0, 255, where="an elementary cellular automaton", error=CircuitStructureError)


def _check_width(w: int) -> int:
    return check_int("width", w, 1, where="a cellular automaton", error=CircuitStructureError)


def _check_cell(cell: int | None, w: int) -> list[int]:
    if cell is None:
        return list(range(w))
    return [check_int("cell", cell, 0, w - 1, where=f"a ring of width {w} (or None for the whole row)",
                      error=CircuitStructureError)]


@lru_cache(maxsize=256)
def rule_cover(rule: int) -> tuple[Cube, ...]:
    """A fewest-cubes sum of products of the rule's truth table, from its prime implicants.

    Parameters
    ----------
    rule : int
        Wolfram rule number, 0..255.

    Returns
    -------
    tuple of (mask, value)
        Cube ``(mask, value)`` is the AND of the neighbours named by ``mask`` (bit 2: left, 1:
        centre, 0: right), each positive where ``value`` has a 1; it covers the table index ``k``
        when ``k & mask == value``.  The rule is the OR of its cubes: ``()`` for rule 0, and the
        single empty cube ``((0, 0),)`` for rule 255.

    Notes
    -----
    Exhaustive over the 27 cubes of 3 variables and over subsets of the primes (at most 6 for 3
    variables): the smallest cover, ties broken by fewest literals, then by order.  Cached.

    Example
    -------
    >>> rule_cover(90)        # l & ~r  |  ~l & r
    ((5, 4), (5, 1))
    >>> len(rule_cover(110)), len(rule_cover(30)), rule_cover(0), rule_cover(255)
    (3, 3, (), ((0, 0),))
    """
    rule = _check_rule(rule)
    on = {k for k in range(8) if (rule >> k) & 1}
    cubes = [(m, v) for m in range(8) for v in range(8) if v & ~m == 0]
    implicants = [c for c in cubes if all(k in on for k in range(8) if k & c[0] == c[1])]
    # prime: no implicant with fewer constrained variables contains it
    primes = [c for c in implicants
              if not any(d != c and d[0] & c[0] == d[0] and c[1] & d[0] == d[1] for d in implicants)]
    primes.sort(key=lambda c: (bin(c[0]).count("1"), -c[0], -c[1]))
    for size in range(1, len(primes) + 1):
        best = None
        for combo in combinations(primes, size):
            covered = {k for (m, v) in combo for k in range(8) if k & m == v}
            if covered == on:
                lits = sum(bin(m).count("1") for m, _ in combo)
                if best is None or lits < best[0]:
                    best = (lits, combo)
        if best is not None:
            return tuple(best[1])
    return ()  # rule 0: the empty OR


def rule_step_depth(rule: int) -> int:
    """Depth of one :func:`ca_step` cell for ``rule`` (0, 1 or 2).

    Notes
    -----
    0 for a constant rule or a rule that copies (or negates) one neighbour; 1 when the cover is a
    single AND or an OR of single literals; 2 otherwise (every rule with a two-level cover, e.g.
    30, 90, 110).

    Example
    -------
    >>> [rule_step_depth(r) for r in (0, 204, 51, 128, 254, 30, 90, 110)]
    [0, 0, 0, 1, 1, 2, 2, 2]
    """
    cover = rule_cover(rule)
    if not cover or cover == ((0, 0),):
        return 0
    wide = any(bin(m).count("1") > 1 for m, _ in cover)
    return int(len(cover) > 1) + int(wide)  # the OR layer, the AND layer


def _cube_lits(cube: Cube, left: int, centre: int, right: int) -> list[int]:
    m, v = cube
    out = []
    for bit, lit in ((4, left), (2, centre), (1, right)):
        if m & bit:
            out.append(lit if v & bit else lit ^ 1)
    return out


def _and(b: CircuitBuilder, lits: list[int]) -> int:
    return TRUE if not lits else lits[0] if len(lits) == 1 else b.and_(*lits)


def _or(b: CircuitBuilder, lits: list[int]) -> int:
    return FALSE if not lits else lits[0] if len(lits) == 1 else b.or_(*lits)


def _cell(b: CircuitBuilder, cover: tuple[Cube, ...], left: int, centre: int, right: int) -> int:
    return _or(b, [_and(b, _cube_lits(c, left, centre, right)) for c in cover])


def ca_step(b: CircuitBuilder, row: Sequence[int], rule: int) -> list[int]:
    """One synchronous update of a periodic row of literals.

    Parameters
    ----------
    b : CircuitBuilder
    row : sequence of int
        The literals of the ``w`` cells (``w >= 1``; for ``w <= 2`` neighbours coincide).
    rule : int

    Returns
    -------
    list of int
        The ``w`` literals of the next row.

    Notes
    -----
    Depth :func:`rule_step_depth` (at most 2); per cell one AND per multi-literal cube of
    :func:`rule_cover` plus one OR when there are several cubes (rule 110 and 30: 3 ANDs + 1 OR;
    rule 90: 2 + 1).

    Example
    -------
    >>> b = CircuitBuilder(); row = b.input_bus("row", 5)
    >>> for i, l in enumerate(ca_step(b, row, 90)): b.output(l, f"next[{i}]")
    >>> c = b.build(); c.depth(), c.n_gates
    (2, 15)
    >>> c.evaluate([[0, 0, 1, 0, 0]]).astype(int).tolist()
    [[0, 1, 0, 1, 0]]
    """
    rule = _check_rule(rule)
    w = len(row)
    if w < 1:
        raise CircuitStructureError("ca_step: the row needs at least one cell")
    cover = rule_cover(rule)
    return [_cell(b, cover, row[i - 1], row[i], row[(i + 1) % w]) for i in range(w)]


def ca_step_loaded(b: CircuitBuilder, flag: int, row: Sequence[int], x: Sequence[int], rule: int) -> list[int]:
    """One update of ``row`` if ``flag`` is 1, else of ``x``: the step that loads the input first.

    The multiplexer is folded into the sum of products: each cube of :func:`rule_cover` becomes
    ``AND(flag, cube(row))`` and ``AND(~flag, cube(x))`` under one OR, so a looped circuit whose
    state starts at zeros (``flag = 0``) applies its first step to ``x`` at no extra depth.

    Notes
    -----
    Depth exactly 2 for every non-constant rule (0 for rules 0 and 255); per cell
    ``2 * len(rule_cover(rule))`` ANDs and one OR.

    Example
    -------
    >>> b = CircuitBuilder(); f = b.input("flag"); row = b.input_bus("row", 4); x = b.input_bus("x", 4)
    >>> for l in ca_step_loaded(b, f, row, x, 110): b.output(l)
    >>> c = b.build(); c.depth()
    2
    >>> c.evaluate([[0, 0, 0, 0, 0, 0, 1, 0, 0], [1, 0, 0, 1, 0, 0, 0, 0, 0]]).astype(int).tolist()
    [[1, 1, 0, 0], [0, 1, 1, 0]]
    """
    rule = _check_rule(rule)
    w = len(row)
    if w < 1 or len(x) != w:
        raise CircuitStructureError(f"ca_step_loaded: row and x need the same positive width, got {w} and {len(x)}")
    if rule in (0, 255):
        return [TRUE if rule else FALSE] * w
    cover = rule_cover(rule)
    out = []
    for i in range(w):
        terms = []
        for c in cover:
            terms.append(b.and_(flag, *_cube_lits(c, row[i - 1], row[i], row[(i + 1) % w])))
            terms.append(b.and_(flag ^ 1, *_cube_lits(c, x[i - 1], x[i], x[(i + 1) % w])))
        out.append(b.or_(*terms))
    return out


def ca_step_circuit(w: int, rule: int) -> Circuit:
    """The one-step circuit: inputs ``row[0..w-1]``, outputs ``next[0..w-1]``.

    Notes
    -----
    Depth :func:`rule_step_depth` ``(rule)``; size ``w`` times one cell's gates (:func:`ca_step`).

    Example
    -------
    >>> c = ca_step_circuit(6, 110)
    >>> c.depth(), c.n_gates, c.n_inputs, c.n_outputs
    (2, 24, 6, 6)
    """
    w = _check_width(w)
    b = CircuitBuilder()
    row = b.input_bus("row", w)
    for i, lit in enumerate(ca_step(b, row, rule)):
        b.output(lit, f"next[{i}]")
    return b.build()


def ca_unrolled(w: int, rule: int, t: int, cell: int | None = None) -> Circuit:
    """``t`` steps of the automaton as one plain circuit, keeping only the light cone of the outputs.

    Parameters
    ----------
    w : int
        Width of the ring.
    rule : int
    t : int
        Steps, ``t >= 0`` (``t = 0``: the outputs are the inputs).
    cell : int, optional
        Output only this cell (named ``target``); default the whole row (``final[i]``).

    Notes
    -----
    Depth exactly ``t * rule_step_depth(rule)`` (a layer's depth adds up along every path of the
    cone).  Size: after step ``s`` only the cells within distance ``t - s`` of an output are built,
    so for one cell at most ``sum_s min(w, 2(t - s) + 1)`` cells of :func:`ca_step` gates.

    Example
    -------
    >>> c = ca_unrolled(9, 30, 3, cell=4); c.depth(), c.n_outputs
    (6, 1)
    """
    w = _check_width(w)
    rule = _check_rule(rule)
    t = check_int("t", t, 0, where="ca_unrolled", error=CircuitStructureError)
    targets = _check_cell(cell, w)
    b = CircuitBuilder()
    cur: dict[int, int] = dict(enumerate(b.input_bus("row", w)))
    cover = rule_cover(rule)
    for s in range(1, t + 1):
        reach = t - s
        if cell is None or 2 * reach + 1 >= w:
            need = set(range(w))
        else:
            need = {(targets[0] + d) % w for d in range(-reach, reach + 1)}
        cur = {i: _cell(b, cover, cur[(i - 1) % w], cur[i], cur[(i + 1) % w]) for i in sorted(need)}
    if cell is None:
        for i in range(w):
            b.output(cur[i], f"final[{i}]")
    else:
        b.output(cur[targets[0]], "target")
    return b.build()


def ca_looped(w: int, rule: int, cell: int | None = None) -> LoopedCircuit:
    """The automaton as a loop-mode :class:`LoopedCircuit`: ``t`` steps of the loop are ``t`` CA steps.

    State: a ``loaded`` flag then ``row[0..w-1]``, initially all 0; input ``x[0..w-1]`` (the initial
    row, re-injected every step).  The step is :func:`ca_step_loaded`: the first step (flag 0)
    updates ``x``, the later ones the state, and every step sets the flag.  The readout copies the
    state's ``cell`` (output ``target``), or the whole row (``final[i]``).

    Notes
    -----
    Step depth 2 (non-constant rules), readout depth 0, so the serial depth of ``t`` steps is
    exactly ``2t``.  Step size ``w * (2 * len(rule_cover(rule)) + 1)`` gates.

    Example
    -------
    >>> lc = ca_looped(7, 90)
    >>> lc.serial_depth(5), lc.unroll(5).depth()
    (10, 10)
    >>> lc.run(np.array([[0, 0, 0, 1, 0, 0, 0]], bool), steps=2).outputs.astype(int).tolist()
    [[0, 1, 0, 0, 0, 1, 0]]
    """
    w = _check_width(w)
    rule = _check_rule(rule)
    targets = _check_cell(cell, w)
    b = CircuitBuilder()
    flag = b.input("loaded")
    row = b.input_bus("row", w)
    x = b.input_bus("x", w)
    nxt = ca_step_loaded(b, flag, row, x, rule)
    b.output(TRUE, "loaded'")
    for i, lit in enumerate(nxt):
        b.output(lit, f"row'[{i}]")
    rb = CircuitBuilder()
    state = rb.inputs(w + 1)
    if cell is None:
        for i in range(w):
            rb.output(state[1 + i], f"final[{i}]")
    else:
        rb.output(state[1 + targets[0]], "target")
    return LoopedCircuit(b.build(), n_state=w + 1, mode="loop", readout=rb.build())


def pascal_offsets(w: int, t: int) -> np.ndarray:
    """Offsets ``j`` (sorted, in ``0..w-1``): rule 90 after ``t`` steps XORs ``x[i + j mod w]`` into cell ``i``.

    Notes
    -----
    The offsets ``2k - t`` for the ``k`` in ``0..t`` with ``binom(t, k)`` odd, i.e. ``k & t == k``
    (Lucas' theorem), reduced mod ``w``; an offset reached an even number of times cancels.
    O(2^popcount(t)) work.

    Example
    -------
    >>> pascal_offsets(7, 2).tolist(), pascal_offsets(8, 8).tolist(), pascal_offsets(5, 5).tolist()
    ([2, 5], [], [2, 3])
    """
    w = _check_width(w)
    t = check_int("t", t, 0, where="pascal_offsets", error=CircuitStructureError)
    odd = np.zeros(w, bool)
    k = t
    while True:  # every submask k of t, from t down to 0
        odd[(2 * k - t) % w] ^= True
        if k == 0:
            break
        k = (k - 1) & t
    return np.flatnonzero(odd)


def rule90_light_cone(w: int, t: int, cell: int | None = None, gates: str = "xor") -> Circuit:
    """Rule 90 after ``t`` steps in constant depth: each output cell is the parity of its light cone.

    Parameters
    ----------
    w, t : int
        Width and steps (``t >= 0``).
    cell : int, optional
        Output only this cell (named ``target``); default the whole row (``final[i]``).
    gates : {"xor", "thr"}
        One XOR gate per cell (depth 1), or the depth-2 threshold parity of
        :func:`serialcomp.blocks.parity.threshold_parity` (TC0, the basis of parity's constant family).

    Notes
    -----
    ``"xor"``: every output is an XOR gate, also when :func:`pascal_offsets` selects one cell or
    none (then the gate has fan-in 1 or 0 and outputs that cell or 0), so the depth is exactly 1
    for every ``w`` and ``t``; one gate per output cell of fan-in ``k = len(pascal_offsets(w, t))
    <= min(w, t + 1)``.  ``"thr"``: depth exactly 2 (an empty cone is the constant 0 written as
    two threshold gates that never fire), ``k + 1`` gates per output cell.

    Example
    -------
    >>> c = rule90_light_cone(7, 7, cell=3)
    >>> c.depth(), c.n_gates, int(c.fanin_counts.max())
    (1, 1, 6)
    >>> rule90_light_cone(8, 8).evaluate([[1] * 8]).astype(int).tolist()  # 2^k steps on a 2^k ring: all 0
    [[0, 0, 0, 0, 0, 0, 0, 0]]
    """
    w = _check_width(w)
    if gates not in ("xor", "thr"):
        raise CircuitStructureError(f"rule90_light_cone: gates must be 'xor' or 'thr', got {gates!r}")
    offsets = pascal_offsets(w, t)
    b = CircuitBuilder()
    row = b.input_bus("row", w)
    cells = _check_cell(cell, w)
    for i in cells:
        lits = [row[(i + int(j)) % w] for j in offsets]
        if gates == "xor":
            g = b.xor(*lits)
        elif lits:
            g = threshold_parity(b, lits)
        else:  # keep the depth at 2 for an empty cone: [row_i >= 2] never fires
            g = b.thr([b.thr([row[i]], [1], 2)], [1], 1)
        b.output(g, "target" if cell is not None else f"final[{i}]")
    return b.build()
