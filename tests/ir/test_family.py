"""CircuitFamily: n checked as an integer (numpy integers too), one size symbol N, claimed depth and serial depth."""

import numpy as np
import pytest
import sympy

from serialcomp.errors import ProblemParameterError
from serialcomp.ir import CircuitBuilder, LoopedCircuit
from serialcomp.ir.family import N, CircuitFamily


def _ands(n):
    b = CircuitBuilder(); b.output(b.and_(*b.inputs(n))); return b.build()


def test_family_n_accepts_numpy_integers():
    fam = CircuitFamily("and", "and", "constant", _ands, sympy.Integer(1) + 0 * N)
    assert fam(np.int64(3)).n_inputs == 3 and fam(4.0).n_inputs == 4
    assert fam(np.int64(3)) is fam(3)  # one cache entry: n is normalised before the cache
    for bad in (0, True, 2.5):
        with pytest.raises(ProblemParameterError, match="n for family 'and'"):
            fam(bad)


def test_one_size_symbol_and_recurrent_depth():
    """N is the positive-integer symbol n; claimed() substitutes it; a stream family runs n steps."""
    assert N.is_integer and N.is_positive and str(N) == "n"

    def acc(n):
        b = CircuitBuilder(); s, x = b.input("s"), b.input("x"); p = b.xor(s, x)
        b.output(p, "s'"); b.output(p, "y")
        return LoopedCircuit(b.build(), 1, mode="stream")

    fam = CircuitFamily("acc", "parity", "recurrent", acc, N)
    assert fam.claimed(7) == 7 and fam.n_steps(7) == 7 and fam.serial_depth(7) == 7
    assert CircuitFamily("log", "x", "log", _ands, sympy.log(N, 2)).claimed(5) == 3
