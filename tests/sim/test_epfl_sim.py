"""EPFL benchmark AIGs: the compiled simulator equals an independent numpy evaluation.

The independent evaluator below works level by level on the circuit's arrays with numpy fancy
indexing (no numba, no slot reuse, no program): a different code path from the kernels.  The small
circuits are also checked against the pure-Python reference on a few patterns.
"""


import numpy as np
import pytest
from hypothesis import given, settings, strategies as st

from serialcomp.ir import GateKind
from serialcomp.sim import random_words, unpack_bits
from serialcomp.testing.benchmarks import epfl_dir
from serialcomp.testing.reference import evaluate_reference
from serialcomp.testing.strategies import aigs

EPFL = epfl_dir()
FILES = sorted(EPFL.glob("*.aig")) if EPFL else []

try:
    from serialcomp.io import read_aiger
except ImportError:  # the AIGER reader is not there yet
    read_aiger = None


def numpy_aig_eval(circuit, words):
    """Evaluate a circuit of AND/BUF nodes on packed words, one topological level at a time."""
    gates = np.flatnonzero(circuit.kind > GateKind.INPUT)
    assert np.all(np.isin(circuit.kind[gates], [GateKind.AND, GateKind.BUF])), "not an AIG"
    n_words = words.shape[1]
    val = np.zeros((circuit.n_nodes, n_words), np.uint64)
    val[1 : circuit.n_inputs + 1] = words
    ones = np.uint64(0xFFFFFFFFFFFFFFFF)
    ptr, fan = circuit.fanin_ptr, circuit.fanin
    level = circuit.levels(count_inverters=True)  # a BUF sits one level above its fan-in
    order = gates[np.argsort(level[gates], kind="stable")]
    bounds = np.flatnonzero(np.diff(level[order])) + 1
    for group in np.split(order, bounds):
        acc = np.full((len(group), n_words), ones)
        count = ptr[group + 1] - ptr[group]
        for j in range(int(count.max(initial=0))):
            has = j < count
            lits = fan[np.where(has, ptr[group] + j, 0)]
            x = val[lits >> 1] ^ np.where((lits & 1)[:, None] == 1, ones, np.uint64(0))
            acc &= np.where(has[:, None], x, ones)
        acc[count == 0] = ones
        val[group] = acc
    out = circuit.outputs
    return val[out >> 1] ^ np.where((out & 1)[:, None] == 1, ones, np.uint64(0))


@pytest.mark.skipif(read_aiger is None, reason="serialcomp.io.read_aiger not available")
@pytest.mark.skipif(not FILES, reason=f"EPFL benchmarks not found in {EPFL}")
@pytest.mark.parametrize("path", FILES, ids=[p.stem for p in FILES])
def test_epfl_circuit(path):
    c = read_aiger(path)
    k = FILES.index(path)
    words = random_words(c.n_inputs, 5, seed=k)
    sim = c.compile(block_words=(None, 2, 3)[k % 3], threads=1 + k % 2)
    got = sim.run(words)
    assert np.array_equal(got, numpy_aig_eval(c, words))
    if c.n_nodes < 30_000:
        pats = unpack_bits(words, 3)
        assert np.array_equal(unpack_bits(got, 3), evaluate_reference(c, pats))


@settings(max_examples=40, deadline=None)
@given(c=aigs(max_inputs=8, max_gates=40), seed=st.integers(0, 2**32 - 1))
def test_numpy_evaluator_matches_reference(c, seed):
    """The independent evaluator itself agrees with the pure-Python reference."""
    words = random_words(c.n_inputs, 2, seed=seed)
    assert np.array_equal(unpack_bits(numpy_aig_eval(c, words)), evaluate_reference(c, unpack_bits(words)))
