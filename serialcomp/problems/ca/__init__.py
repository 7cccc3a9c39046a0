"""Elementary cellular automata: ``ca:rule110``, ``ca:rule30``, ``ca:rule90``.

A row of ``w`` cells on a ring (periodic boundary) is updated ``t`` times by Wolfram's rule: cell
``i`` becomes ``table[4 * x[i-1] + 2 * x[i] + x[i+1]]``, where bit ``k`` of the rule number is
``table[k]``.  The task is the value of the centre cell ``w // 2`` after ``t`` steps (target
``final`` holds the whole row).  The size ``n`` is the width, the knob ``t`` defaults to ``n``.

Batches are evolved bit-sliced: cell ``i`` of 64 records lives in one uint64 word, so one step is a
handful of word operations per cell.  Rule 90 is linear over GF(2) and has a closed form
(:func:`rule90_shortcut`): the cell after ``t`` steps is the XOR of the cells Pascal's triangle mod 2
selects, a single parity gate; the sampler uses it, so rule 90 takes any ``t`` (up to
:data:`MAX_T`) in ``O(w log t + w k)`` per batch word, ``k <= w`` the number of cells XORed.

Rules without a shortcut are stepped, ``O(t * w)`` word operations per 64 records, so their ``t``
is bounded: ``t <= MAX_STEPS`` and ``t * w <= MAX_CELL_STEPS`` (a batch of 64 records at the bound
takes seconds to tens of seconds); larger values are refused with a
:class:`~serialcomp.errors.ProblemParameterError` naming the bound instead of running for hours.

Modules: :mod:`.rules` (rule tables, stepping, rule 90's closed form), :mod:`.problem` (the
registered problems and their families), :mod:`.automata` (one step, unrolled steps, the loop
and rule 90's light cone as circuits) and :mod:`.cones` (k steps at once as light-cone DNFs).

Example
-------
>>> ca_run([0, 0, 0, 1, 0, 0, 0], 90, 2).tolist()
[0, 1, 0, 0, 0, 1, 0]
"""

from __future__ import annotations

from .cones import ca_blocks, cone_cover, cone_function
from .problem import (MAX_CELL_STEPS, MAX_STEPS, MAX_T, CellularAutomatonProblem, blocks_family, ca_families,
                      fixed_family)
from .rules import ca_history, ca_run, ca_step, rule90_coefficients, rule90_shortcut, rule_table

__all__ = [
    "MAX_STEPS",
    "MAX_CELL_STEPS",
    "MAX_T",
    "CellularAutomatonProblem",
    "rule_table",
    "ca_step",
    "ca_run",
    "ca_history",
    "rule90_coefficients",
    "rule90_shortcut",
    "ca_families",
    "fixed_family",
    "blocks_family",
    "ca_blocks",
    "cone_cover",
    "cone_function",
]
