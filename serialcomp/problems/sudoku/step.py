"""Sudoku single propagation as a constant-depth circuit, and its loop.

A 9x9 grid is 729 bits, bit ``9 * cell + d - 1`` set when ``cell`` (row-major, 0..80) holds digit
``d`` (the layout of :meth:`serialcomp.problems.sudoku.SudokuProblem.encode_bits` and
``target_bits``).  One *round* is the round of :func:`serialcomp.problems.sudoku.rate_sudoku`:
from the current grid compute every blank cell's candidates (digits no peer holds), then place at
once every naked single (a blank cell with one candidate) and every hidden single (a digit with one
candidate cell in a row, column or box).  :func:`propagation_round` builds it in depth 3:

1. ``cand(c, v) = AND(no digit in c, no peer of c holds v)`` -- one AND of negated literals;
2. ``naked(c, v) = cand(c, v) AND NOT cand(c, u) for u != v`` and, per unit ``U`` of ``c``,
   ``hidden_U(c, v) = cand(c, v) AND NOT cand(c', v) for c' in U - {c}`` -- :func:`sole`;
3. ``next(c, v) = OR(grid(c, v), naked(c, v), hidden_row, hidden_col, hidden_box)``.

On a grid that propagation solves without contradiction every placement is forced, so a round
never places two digits in one cell; on a contradictory grid the circuit's output is unspecified
(``rate_sudoku`` reports :data:`~serialcomp.problems.sudoku.CONTRADICTION` there).
"""

from __future__ import annotations

from functools import lru_cache
from typing import Sequence

import numpy as np

from ...errors import CircuitStructureError
from ...ir.builder import FALSE, TRUE, CircuitBuilder
from ...ir.circuit import Circuit
from ...ir.looped import LoopedCircuit

__all__ = [
    "sudoku_units",
    "sole",
    "at_most_one",
    "exactly_one",
    "propagation_round",
    "propagation_step_circuit",
    "propagation_looped",
]


@lru_cache(maxsize=1)
def sudoku_units() -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The 27 units, the 3 units of each cell and the 20 peers of each cell.

    Returns
    -------
    units : int64 (27, 9)
        Rows 0..8, columns 9..17, boxes 18..26 (row-major cells).
    cell_units : int64 (81, 3)
        Row, column and box unit of each cell.
    peers : int64 (81, 20)
        The other cells sharing a unit with each cell, sorted.

    Example
    -------
    >>> units, cell_units, peers = sudoku_units()
    >>> units[18].tolist(), cell_units[80].tolist(), peers[0][:10].tolist()
    ([0, 1, 2, 9, 10, 11, 18, 19, 20], [8, 17, 26], [1, 2, 3, 4, 5, 6, 7, 8, 9, 10])
    """
    units = np.empty((27, 9), np.int64)
    for i in range(9):
        units[i] = np.arange(9) + 9 * i
        units[9 + i] = np.arange(9) * 9 + i
        br, bc = divmod(i, 3)
        units[18 + i] = [(3 * br + r) * 9 + 3 * bc + c for r in range(3) for c in range(3)]
    cell_units = np.array([[c // 9, 9 + c % 9, 18 + 3 * (c // 27) + (c % 9) // 3] for c in range(81)], np.int64)
    peers = np.array([sorted(set(units[cell_units[c]].ravel().tolist()) - {c}) for c in range(81)], np.int64)
    for a in (units, cell_units, peers):
        a.setflags(write=False)
    return units, cell_units, peers


def sole(b: CircuitBuilder, lits: Sequence[int], i: int) -> int:
    """``lits[i]`` is 1 and every other literal is 0.

    Notes
    -----
    One AND gate of fan-in ``len(lits)`` (depth 1); no gate for a single literal.

    Example
    -------
    >>> b = CircuitBuilder(); xs = b.inputs(3); b.output(sole(b, xs, 1))
    >>> b.build().evaluate([[0, 1, 0], [1, 1, 0], [0, 0, 0]]).ravel().tolist()
    [True, False, False]
    """
    if not 0 <= i < len(lits):
        raise CircuitStructureError(f"sole: index {i} out of range for {len(lits)} literals")
    if len(lits) == 1:
        return int(lits[0])
    return b.and_(lits[i], *[l ^ 1 for j, l in enumerate(lits) if j != i])


def at_most_one(b: CircuitBuilder, lits: Sequence[int], threshold: bool = True) -> int:
    """At most one of ``lits`` is 1.

    Parameters
    ----------
    threshold : bool
        One threshold gate ``[-x_1 - ... - x_k >= -1]`` (TC0, depth 1); else the AC0 form
        ``NOR`` over the pairwise ANDs (depth 2).

    Notes
    -----
    Threshold form: 1 gate, depth 1.  Pairwise form: ``k(k-1)/2`` ANDs and one OR, depth 2.
    Fewer than two literals: the constant ``TRUE``, no gate.

    Example
    -------
    >>> b = CircuitBuilder(); xs = b.inputs(3)
    >>> b.output(at_most_one(b, xs)); b.output(at_most_one(b, xs, threshold=False))
    >>> c = b.build(); c.depth()
    2
    >>> c.evaluate([[0, 0, 0], [0, 1, 0], [1, 0, 1]]).astype(int).tolist()
    [[1, 1], [1, 1], [0, 0]]
    """
    if len(lits) < 2:
        return TRUE
    if threshold:
        return b.thr(lits, [-1] * len(lits), -1)
    return b.or_(*[b.and_(x, y) for k, x in enumerate(lits) for y in lits[k + 1 :]]) ^ 1


def exactly_one(b: CircuitBuilder, lits: Sequence[int]) -> int:
    """Exactly one of ``lits`` is 1: the OR of :func:`sole` over the positions.

    Notes
    -----
    Depth 2 (``k`` ANDs of fan-in ``k`` and one OR); no literal: ``FALSE``; one: itself.

    Example
    -------
    >>> b = CircuitBuilder(); xs = b.inputs(3); b.output(exactly_one(b, xs))
    >>> b.build().evaluate([[0, 0, 0], [0, 0, 1], [1, 1, 0]]).ravel().tolist()
    [False, True, False]
    """
    if not lits:
        return FALSE
    if len(lits) == 1:
        return int(lits[0])
    return b.or_(*[sole(b, lits, i) for i in range(len(lits))])


def propagation_round(b: CircuitBuilder, grid: Sequence[int], clues: Sequence[int] | None = None) -> list[int]:
    """One round of simultaneous naked- and hidden-single propagation.

    Parameters
    ----------
    b : CircuitBuilder
    grid : sequence of 729 int
        Literals of the current grid, bit ``9 * cell + d - 1``.
    clues : sequence of 729 int, optional
        Literals ORed into ``grid`` for free (the puzzle re-injected by the loop): the round acts
        on ``grid OR clues``, the OR folded into the candidates' NOR and the last OR.

    Returns
    -------
    list of 729 int
        The grid after the round (the placed digits kept, the singles added).

    Notes
    -----
    Depth exactly 3 (candidates, singles, OR; see the module docstring).  Size ``6 * 729 = 4374``
    gates: 729 candidate ANDs (fan-in 29, or 58 with ``clues``), 729 naked and ``3 * 729`` hidden
    single ANDs (fan-in 9), 729 ORs (fan-in 5, or 6 with ``clues``).

    Example
    -------
    >>> b = CircuitBuilder(); g = b.input_bus("g", 729); nxt = propagation_round(b, g)
    >>> for k, l in enumerate(nxt): b.output(l, f"n[{k}]")
    >>> c = b.build(); c.depth(), c.n_gates
    (3, 4374)
    >>> x = np.zeros(729, bool); x[[9 * c + c for c in range(8)]] = True  # first row 1..8, then a blank
    >>> int(np.flatnonzero(c.evaluate(x[None])[0, 72:81])[0]) + 1
    9
    """
    if len(grid) != 729 or (clues is not None and len(clues) != 729):
        raise CircuitStructureError("propagation_round: grid (and clues) need 729 literals, bit 9 * cell + d - 1")
    units, cell_units, peers = sudoku_units()
    known = [[int(grid[k])] + ([int(clues[k])] if clues is not None else []) for k in range(729)]
    cand = [[b.and_(*[l ^ 1 for u in range(9) for l in known[9 * c + u]],
                    *[l ^ 1 for p in peers[c] for l in known[9 * int(p) + v]]) for v in range(9)]
            for c in range(81)]
    out = []
    for c in range(81):
        for v in range(9):
            singles = [sole(b, cand[c], v)]
            for u in cell_units[c]:
                cells = [int(q) for q in units[u]]
                singles.append(sole(b, [cand[q][v] for q in cells], cells.index(c)))
            out.append(b.or_(*known[9 * c + v], *singles))
    return out


def propagation_step_circuit() -> Circuit:
    """The step of :func:`propagation_looped`: inputs ``grid[0..728]`` then ``puzzle[0..728]``,
    outputs ``grid'[0..728]``, the round applied to ``grid OR puzzle``.

    Notes
    -----
    Depth 3, 4374 gates (see :func:`propagation_round`).

    Example
    -------
    >>> c = propagation_step_circuit(); c.n_inputs, c.n_outputs, c.depth()
    (1458, 729, 3)
    """
    b = CircuitBuilder()
    grid = b.input_bus("grid", 729)
    puzzle = b.input_bus("puzzle", 729)
    for k, lit in enumerate(propagation_round(b, grid, puzzle)):
        b.output(lit, f"grid'[{k}]")
    return b.build()


@lru_cache(maxsize=1)
def propagation_looped() -> LoopedCircuit:
    """Propagation to a fixed point: a loop-mode :class:`LoopedCircuit` over the 729-bit grid.

    The state (the grid, initially empty) and the re-injected input (the puzzle's one-hot bits)
    are ORed by the step, so after step ``t`` the state is the grid after ``t`` rounds of
    :func:`~serialcomp.problems.sudoku.rate_sudoku` (step 1 places the clues and the first
    singles).  A puzzle of rating ``r`` is solved after ``r`` steps; step ``r + 1`` changes
    nothing, so under fixed-point halting (``run(x, steps >= r + 1, halt=True)``) the lane reports
    ``steps == r`` and ``halted``.  The readout is the state itself (729 bits, the solved grid).

    Notes
    -----
    Step depth 3, readout depth 0: serial depth exactly ``3T`` for ``T`` steps.  Step size 4374
    gates; built once and cached (the same object is returned, with its compiled simulator).

    Example
    -------
    >>> lc = propagation_looped(); lc.n_state, lc.n_x, lc.serial_depth(4)
    (729, 729, 12)
    """
    step = propagation_step_circuit()
    rb = CircuitBuilder()
    for k, lit in enumerate(rb.input_bus("grid", 729)):
        rb.output(lit, f"solution[{k}]")
    return LoopedCircuit(step, n_state=729, mode="loop", readout=rb.build())
