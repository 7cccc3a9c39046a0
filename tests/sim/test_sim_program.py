"""The lowering to a simulator program: aliasing, folding, dead code, slot reuse, counters."""

import numpy as np
import pytest

from serialcomp.ir import CircuitBuilder
from serialcomp.sim import random_words
from serialcomp.sim._kernels import _mod_words_reference, _thr_words_reference
from serialcomp.testing.patterns import all_patterns
from serialcomp.testing.reference import evaluate_reference


def test_slot_reuse_keeps_the_buffer_at_live_width():
    """A chain of 2000 gates needs O(1) rows; a tree built depth first over n inputs O(log n).

    (Slots follow the circuit's own topological order: the same tree built breadth first has n/2
    values live after its first layer.)
    """
    b = CircuitBuilder()
    xs = b.inputs(4)
    acc = xs[0]
    for k in range(2000):
        acc = b.and_(acc, xs[1 + k % 3] ^ (k & 1)) if k % 2 else b.xor(acc, xs[1 + k % 3])
    b.output(acc)
    sim = b.build().compile()
    assert sim.n_instructions == 2000 and sim.n_slots <= 6
    b = CircuitBuilder()
    xs = b.inputs(256)

    def tree(lo, hi):
        return xs[lo] if hi - lo == 1 else b.and_(tree(lo, (lo + hi) // 2), tree((lo + hi) // 2, hi))

    b.output(tree(0, 256))
    assert b.build().compile().n_slots <= 2 * 8 + 3


def test_buffers_constants_and_dead_nodes_cost_nothing():
    b = CircuitBuilder()
    x, y = b.inputs(2)
    g = b.buf(b.buf(x) ^ 1)
    b.and_(x, y)  # dead
    b.output(b.and_(g, 1, 1), "g")  # AND with constant-true fan-ins: an alias of ~x
    b.output(b.or_(y, 1), "one")
    b.output(b.thr([x, y], [1, 1], 3), "never")  # T > sum: constant 0
    b.output(b.thr([x, y], [-1, -1], -2), "always")  # T <= min: constant 1
    b.output(b.maj(x), "x")
    c = b.build()
    sim = c.compile()
    assert sim.n_instructions == 0
    pats = all_patterns(2)
    assert np.array_equal(sim.run_bool(pats), evaluate_reference(c, pats))


def test_threshold_special_cases_lower_to_and_or():
    b = CircuitBuilder()
    xs = b.inputs(4)
    b.output(b.thr(xs, [3, 3, 5, 9], 3))  # every weight reaches T: OR
    b.output(b.thr(xs, [1, 2, -3, 4], 7))  # needs every edge: AND
    b.output(b.mod(xs, 2))  # MOD_2: NOT parity
    c = b.build()
    pats = all_patterns(4)
    assert np.array_equal(c.compile().run_bool(pats), evaluate_reference(c, pats))


@pytest.mark.parametrize("weights, t", [([1] * 9, 5), ([2, 3, 7, 1], 6), ([5, 8, 8, 1, 16], 16), ([6, 6, 6], 12)])
def test_counter_kernel_against_word_reference(weights, t):
    b = CircuitBuilder()
    xs = b.inputs(len(weights))
    b.output(b.thr(xs, weights, t))
    b.output(b.mod(xs, 3))
    words = random_words(len(weights), 3, seed=t)
    got = b.build().compile(block_words=2).run(words)
    for w in range(3):
        col = [int(v) for v in words[:, w]]
        assert int(got[0, w]) == _thr_words_reference(col, weights, t)
        assert int(got[1, w]) == _mod_words_reference(col, 3)
