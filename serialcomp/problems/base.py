"""Compatibility module: the problem contract used to live here, in one file.

It is now split by concept, and this module only re-exports the public names from their homes
(new code should import them from :mod:`serialcomp.problems` or from the module named here):

==================  ==============================================================
name                module
==================  ==============================================================
ComplexityFacts     :mod:`serialcomp.problems.facts` (``N_SYMBOL`` is ``serialcomp.ir.family.N``)
Coded, Ragged       :mod:`serialcomp.problems.columns`
RecordRNG,          :mod:`serialcomp.problems.rng`
BitStream,
as_stream
bits_of,            :mod:`serialcomp.problems.bits`
int_of_bits,
flat2d
Instances           :mod:`serialcomp.problems.instances`
Problem             :mod:`serialcomp.problems.problem`
==================  ==============================================================

``check_int``, ``check_float`` and ``check_bool`` are gone: argument checks are
:mod:`serialcomp._validate`'s, with the exception type named by the caller
(``error=ProblemParameterError``).
"""

from __future__ import annotations

from .bits import bits_of, flat2d, int_of_bits
from .columns import Coded, Ragged
from .facts import N_SYMBOL, ComplexityFacts
from .instances import Instances
from .problem import Problem
from .rng import BitStream, RecordRNG, as_stream

__all__ = [
    "N_SYMBOL",
    "ComplexityFacts",
    "Instances",
    "Problem",
    "Ragged",
    "Coded",
    "RecordRNG",
    "BitStream",
    "as_stream",
    "bits_of",
    "int_of_bits",
    "flat2d",
]
