"""Reusable circuit constructions: parity, counting, adders, group composition, Boolean matrix
products, automaton and propagation steps. Each module builds into a :class:`~serialcomp.ir.CircuitBuilder`
and states the depth and size of what it builds; the problem modules declare their circuit families
from these blocks."""
