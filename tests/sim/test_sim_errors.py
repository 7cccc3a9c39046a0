"""Bad input to the simulator raises SimulationInputError naming what was expected, never IndexError."""

import numpy as np
import pytest

from serialcomp.errors import SerialcompError, SimulationInputError
from serialcomp.ir import CircuitBuilder
from serialcomp.sim import pack_bits, unpack_bits


@pytest.fixture(scope="module")
def sim():
    b = CircuitBuilder()
    xs = b.inputs(3)
    b.output(b.maj(*xs))
    return b.build().compile()


@pytest.mark.parametrize(
    "words, match",
    [
        ([[1], [2], [3]], "numpy uint64 array"),
        (np.zeros((3, 2), np.int64), "dtype uint64"),
        (np.zeros((3, 2), np.uint32), "dtype uint64"),
        (np.zeros((2, 2), np.uint64), r"n_inputs=3"),
        (np.zeros((4, 2), np.uint64), r"n_inputs=3"),
        (np.zeros(3, np.uint64), r"shape \(3,\)"),
        (np.zeros((3, 2, 1), np.uint64), r"n_inputs=3"),
    ],
)
def test_run_rejects_bad_words(sim, words, match):
    with pytest.raises(SimulationInputError, match=match):
        sim.run(words)


@pytest.mark.parametrize(
    "out",
    [np.zeros((1, 3), np.uint64), np.zeros((1, 2), np.int64), np.zeros((2, 2), np.uint64), np.zeros((1, 4), np.uint64)[:, ::2]],
)
def test_run_rejects_bad_out(sim, out):
    with pytest.raises(SimulationInputError, match="out must be"):
        sim.run(np.zeros((3, 2), np.uint64), out=out)


@pytest.mark.parametrize(
    "pats, match",
    [
        (np.zeros((5, 2), bool), r"n_inputs=3"),
        (np.zeros((5, 3), np.float64), "dtype float64"),
        (np.full((5, 3), 2), "0/1"),
        (np.zeros((2, 2, 3), bool), "shape"),
        ([[0, 1]], r"n_inputs=3"),
    ],
)
def test_run_bool_rejects_bad_patterns(sim, pats, match):
    with pytest.raises(SimulationInputError, match=match):
        sim.run_bool(pats)


def test_run_bool_accepts_ints_and_single_pattern(sim):
    assert sim.run_bool(np.array([[1, 1, 0]], np.int8)).tolist() == [[True]]
    assert sim.run_bool([0, 1, 0]).tolist() == [False]


@pytest.mark.parametrize("opts", [{"threads": 0}, {"threads": 1.5}, {"block_words": 0}, {"block_words": True}])
def test_bad_options(opts):
    b = CircuitBuilder()
    b.output(b.input())
    with pytest.raises(SimulationInputError):
        b.build().compile(**opts)


def test_packing_errors():
    with pytest.raises(SimulationInputError):
        pack_bits(np.zeros(5, bool))
    with pytest.raises(SimulationInputError):
        pack_bits(np.full((2, 2), 3))
    with pytest.raises(SimulationInputError):
        unpack_bits(np.zeros((2, 1), np.int64))
    with pytest.raises(SimulationInputError, match="must be in \\[0, 64\\]"):
        unpack_bits(np.zeros((2, 1), np.uint64), 65)
    assert issubclass(SimulationInputError, SerialcompError) and issubclass(SimulationInputError, ValueError)
