"""Compiled bit-parallel simulation: :class:`CompiledCircuit`, the looped-circuit runner
(:class:`LoopedSimulator`) and the bit-packing helpers.

Patterns are bit-packed as in Stim's ``ptb64`` layout: a signal is a row of uint64 words, bit ``j``
of word ``w`` is pattern ``64*w + j``.

Example
-------
>>> import numpy as np
>>> from serialcomp.ir import CircuitBuilder
>>> b = CircuitBuilder(); xs = b.inputs(3); b.output(b.xor(*xs), "parity")
>>> sim = b.build().compile(block_words=4)
>>> pats = np.array([[1, 0, 0], [1, 1, 0]], bool)
>>> sim.run_bool(pats).ravel().tolist()
[True, False]
>>> unpack_bits(sim.run(pack_bits(pats)), 2).ravel().tolist()
[True, False]
"""

from .compiled import CompiledCircuit, default_block_words
from .looped import LoopedSimulator, LoopRun, simulator_for
from .packing import n_words_for, pack_bits, random_pattern_words, random_words, unpack_bits

__all__ = [
    "CompiledCircuit",
    "LoopRun",
    "LoopedSimulator",
    "default_block_words",
    "n_words_for",
    "pack_bits",
    "random_pattern_words",
    "random_words",
    "simulator_for",
    "unpack_bits",
]
