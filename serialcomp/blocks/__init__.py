"""Reusable circuit constructions that several problems build on: parity (:mod:`.parity`) and
adders, counters and comparators (:mod:`.arith`). Each function builds into a
:class:`~serialcomp.ir.CircuitBuilder` and states the depth and size of what it builds.

A construction that serves one problem only lives beside that problem. These modules used to be
here and moved (a documented rename; the old paths are gone):

==========================  ============================================
was                         is
==========================  ============================================
``blocks.groups``           :mod:`serialcomp.problems.words.groups`
``blocks.modcount``         :mod:`serialcomp.problems.words.modcount`
``blocks.boolmat``          :mod:`serialcomp.problems.reach.boolmat`
``blocks.cvp_eval``         :mod:`serialcomp.problems.cvp.evaluator`
``blocks.automata``         :mod:`serialcomp.problems.ca.automata`
``blocks.modarith``         :mod:`serialcomp.problems.timelock.modarith`
``blocks.sudoku_step``      :mod:`serialcomp.problems.sudoku.step`
==========================  ============================================
"""
