"""The circuit value problem (``cvp``) on random layered circuits.

An instance is an input row of n bits and ``depth`` layers of n gates; gate ``g`` of layer ``l``
reads two distinct gates of layer ``l - 1`` (layer 0 is the input bits) and computes AND, OR,
XOR or XNOR (codes 0..3). The target is gate 0 of the last layer.

The XOR/XNOR gates make the ``depth`` knob mean serial depth: with AND/OR/NAND/NOR only, random
layered circuits are critical and the target barely depends on early layers (see
:class:`CircuitValueProblem`, Notes).

Modules: :mod:`.problem` (the registered problem, its reference evaluation and families) and
:mod:`.evaluator` (the universal layer evaluator as a circuit: one layer per loop step, or unrolled).

Example
-------
>>> from serialcomp.problems import get_problem
>>> inst = get_problem("cvp").sample(4, 2, seed=0, depth=3)
>>> inst.inputs["gate"].shape, inst.targets["target"].shape
((2, 3, 4), (2,))
"""

from __future__ import annotations

from .problem import GATE_NAMES, MAX_DEPTH, MAX_GATES, CircuitValueProblem, evaluate_layers

__all__ = ["CircuitValueProblem", "GATE_NAMES", "MAX_DEPTH", "MAX_GATES", "evaluate_layers"]
