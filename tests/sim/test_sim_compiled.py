"""The compiled simulator equals the naive reference on random circuits of every gate kind."""

import numpy as np
import pytest
from hypothesis import given, settings, strategies as st

from serialcomp.ir import CircuitBuilder, GateKind
from serialcomp.sim import CompiledCircuit, pack_bits, random_words, unpack_bits
from serialcomp.testing.reference import evaluate_reference
from serialcomp.testing.strategies import aigs, circuits, patterns

BLOCKS = st.sampled_from([None, 1, 2, 3, 8])
THREADS = st.sampled_from([1, 2])


@settings(max_examples=150, deadline=None)
@given(c=circuits(max_inputs=8, max_gates=24, max_fanin=7, max_weight=9, max_modulus=6), data=st.data())
def test_run_bool_equals_reference(c, data):
    """Property: for every circuit, block size and thread count, run_bool == evaluate_reference."""
    pats = data.draw(patterns(c.n_inputs, 1, 300))
    sim = c.compile(block_words=data.draw(BLOCKS), threads=data.draw(THREADS))
    assert np.array_equal(sim.run_bool(pats), evaluate_reference(c, pats))


@settings(max_examples=100, deadline=None)
@given(c=circuits(max_inputs=6, max_gates=16, max_fanin=5), data=st.data())
def test_run_packed_equals_reference(c, data):
    """Property: run() on packed words equals the reference, bit for bit (all 64 lanes of each word)."""
    n_words = data.draw(st.integers(1, 9))
    words = random_words(c.n_inputs, n_words, seed=data.draw(st.integers(0, 2**32 - 1)))
    sim = c.compile(block_words=data.draw(BLOCKS), threads=data.draw(THREADS))
    expected = pack_bits(evaluate_reference(c, unpack_bits(words)))
    got = sim.run(words)
    assert got.shape == (c.n_outputs, n_words) and got.dtype == np.uint64
    assert np.array_equal(got, expected)


@settings(max_examples=60, deadline=None)
@given(c=aigs(max_inputs=10, max_gates=60), data=st.data())
def test_aigs_equal_reference(c, data):
    """Theorem: for every AIG and block size, run_bool equals the naive reference evaluation."""
    pats = data.draw(patterns(c.n_inputs, 1, 200))
    assert np.array_equal(c.compile(block_words=data.draw(BLOCKS)).run_bool(pats), evaluate_reference(c, pats))


def _wide_gate(kind, f, rng, big):
    b = CircuitBuilder()
    xs = b.inputs(f)
    fan = [x ^ int(rng.integers(0, 2)) for x in xs]
    if kind == GateKind.MAJ:
        b.output(b.maj(*fan))
        return b.build()
    hi = 2**40 - 1 if big else 9
    w = rng.integers(-hi, hi, size=f, endpoint=True)
    # Thresholds at the boundary of a random pattern's weighted sum, and around it.
    p0 = rng.integers(0, 2, size=f)
    s0 = int(np.dot(w.astype(object), p0))
    for t in (s0, s0 + 1, s0 - 1, int(w[w > 0].sum()) + 1, int(w[w < 0].sum()), 0):
        b.output(b.thr(fan, w.tolist(), t))
    return b.build()


@pytest.mark.parametrize("f", [1, 2, 3, 15, 33, 63, 64, 70])
@pytest.mark.parametrize("kind, big", [(GateKind.MAJ, False), (GateKind.THR, False), (GateKind.THR, True)])
def test_wide_threshold_gates(kind, f, big):
    """THR/MAJ up to fan-in 70 and weights up to 2**40 through the bit-sliced counter."""
    rng = np.random.default_rng(1000 * f + big)
    c = _wide_gate(kind, f, rng, big)
    # Mix densities so that sums near every threshold occur.
    pats = np.concatenate([rng.random((150, f)) < p for p in (0.1, 0.5, 0.9)])
    for block in (None, 1, 3):
        assert np.array_equal(c.compile(block_words=block).run_bool(pats), evaluate_reference(c, pats))


@pytest.mark.parametrize("f", [1, 2, 5, 30, 70])
@pytest.mark.parametrize("m", [2, 3, 4, 7, 64])
def test_wide_mod_gates(f, m):
    rng = np.random.default_rng(f * 100 + m)
    b = CircuitBuilder()
    xs = b.inputs(f)
    b.output(b.mod([x ^ int(rng.integers(0, 2)) for x in xs], m))
    b.output(b.mod(xs + [1, 0, 1], m))  # constant fan-ins
    c = b.build()
    pats = np.concatenate([rng.random((100, f)) < p for p in (0.05, 0.5, 0.95)])
    assert np.array_equal(c.compile(block_words=2).run_bool(pats), evaluate_reference(c, pats))


def test_many_blocks_two_threads_and_odd_batches():
    rng = np.random.default_rng(5)
    b = CircuitBuilder()
    xs = b.inputs(12)
    acc = xs[0]
    for k in range(1, 12):
        acc = b.gate(["AND", "OR", "XOR", "MAJ"][k % 4], [acc, xs[k], xs[(3 * k) % 12] ^ 1])
        b.output(acc)
    b.output(b.thr(xs, list(range(-6, 6)), 3))
    c = b.build()
    for batch in (1, 63, 64, 65, 1000, 64 * 37 + 5):
        pats = rng.random((batch, 12)) < 0.5
        ref = evaluate_reference(c, pats)
        for block, threads in ((None, 1), (1, 2), (4, 2), (7, 2), (3, 1)):
            assert np.array_equal(c.compile(block_words=block, threads=threads).run_bool(pats), ref)


def test_degenerate_circuits():
    b = CircuitBuilder()
    b.output(0, "f")
    b.output(1, "t")
    c = b.build()  # no inputs
    assert c.compile().run_bool(np.zeros((70, 0), bool)).tolist() == [[False, True]] * 70
    out = c.compile().run(np.zeros((0, 3), np.uint64))
    assert out.tolist() == [[0] * 3, [2**64 - 1] * 3]
    b = CircuitBuilder()
    x = b.input("x")
    b.output(x ^ 1)
    b.output(b.and_())  # AND of nothing = 1
    b.output(b.or_())  # OR of nothing = 0
    b.output(b.xor())
    b.output(b.mod([], 3))  # MOD of nothing = 1
    b.output(b.thr([], [], 0))  # [0 >= 0]
    b.output(b.thr([], [], 1))
    c = b.build()
    pats = np.array([[0], [1]], bool)
    assert np.array_equal(c.compile().run_bool(pats), evaluate_reference(c, pats))
    assert c.compile().run_bool(np.zeros((0, 1), bool)).shape == (0, 7)
    assert c.compile().run(np.zeros((1, 0), np.uint64)).shape == (7, 0)


def test_properties_and_repr():
    b = CircuitBuilder()
    a = b.input_bus("a", 3)
    b.output(b.maj(*a), "m")
    sim = CompiledCircuit(b.build(), block_words=32, threads=2)
    assert (sim.n_inputs, sim.n_outputs, sim.block_words, sim.threads) == (3, 1, 32, 2)
    assert sim.input_names == ("a[0]", "a[1]", "a[2]") and sim.output_names == ("m",)
    assert sim.n_instructions == 1 and "CompiledCircuit" in repr(sim)
    assert b.build().evaluate(np.ones((2, 3), bool)).tolist() == [[True], [True]]


def test_run_into_out_and_non_contiguous_input():
    b = CircuitBuilder()
    x, y = b.inputs(2)
    b.output(b.xor(x, y))
    sim = b.build().compile()
    words = random_words(2, 10, seed=3)
    out = np.empty((1, 5), np.uint64)
    res = sim.run(words[:, ::2], out=out)
    assert res is out and np.array_equal(out[0], words[0, ::2] ^ words[1, ::2])
