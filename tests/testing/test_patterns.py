"""serialcomp.testing.patterns and strategies: the helpers other tests rely on are right."""

import itertools

import numpy as np
import pytest
from hypothesis import given, settings, strategies as st

from serialcomp.errors import SimulationInputError
from serialcomp.ir import LoopedCircuit
from serialcomp.testing.patterns import MAX_EXHAUSTIVE, all_patterns, int_patterns, pattern_values, random_patterns
from serialcomp.testing.strategies import looped_circuits


@pytest.mark.parametrize("n", [0, 1, 3, 7])
def test_all_patterns_is_every_pattern_once_in_counting_order(n):
    pats = all_patterns(n)
    naive = [list(reversed(p)) for p in itertools.product([False, True], repeat=n)]  # LSB first
    assert pats.dtype == np.bool_ and pats.tolist() == naive
    assert pattern_values(pats).tolist() == list(range(2**n))


@settings(max_examples=60, deadline=None)
@given(st.integers(0, 130).flatmap(lambda w: st.tuples(st.just(w), st.lists(st.integers(0, 2**w - 1), max_size=6))))
def test_int_patterns_and_pattern_values_are_inverse(case):
    """Theorem: pattern_values(int_patterns(v, w)) == v for every width, wider than 63 bits too,
    and column j is bit j."""
    w, values = case
    bits = int_patterns(values, w)
    assert bits.shape == (len(values), w)
    assert [int(v) for v in pattern_values(bits)] == values
    assert all(bool(bits[k, j]) == bool((v >> j) & 1) for k, v in enumerate(values) for j in range(w))


def test_limits_and_random_patterns():
    with pytest.raises(SimulationInputError, match="all_patterns"):
        all_patterns(MAX_EXHAUSTIVE + 1)
    with pytest.raises(SimulationInputError, match="values must lie in"):
        int_patterns([8], 3)
    p = random_patterns(5, 1000, seed=4)
    assert p.shape == (1000, 5) and np.array_equal(p, random_patterns(5, 1000, seed=4))
    assert abs(p.mean() - 0.5) < 0.05


@settings(max_examples=30, deadline=None)
@given(looped_circuits(mode="loop", readout=True), looped_circuits(readout=False))
def test_looped_strategy_obeys_its_flags(with_readout, without):
    assert isinstance(with_readout, LoopedCircuit) and with_readout.readout is not None
    assert with_readout.readout.n_inputs == with_readout.n_state >= 1
    assert without.readout is None and without.mode in ("stream", "loop")
