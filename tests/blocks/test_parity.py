"""Parity blocks against the XOR of the inputs, and their stated depths."""

from __future__ import annotations


import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from serialcomp.blocks.parity import stream_parity, threshold_parity, xor_tree
from serialcomp.errors import CircuitStructureError
from serialcomp.ir import CircuitBuilder
from serialcomp.testing.patterns import all_patterns
from serialcomp.testing.reference import evaluate_reference


def _clog(n: int, k: int) -> int:
    d = 0
    while k**d < n:
        d += 1
    return d


def _circuit(block, n: int, **kw):
    b = CircuitBuilder()
    b.output(block(b, b.inputs(n), **kw))
    return b.build()


@pytest.mark.parametrize("fanin", [2, 3, 4])
@pytest.mark.parametrize("n", range(1, 11))
def test_xor_tree_exhaustive_depth_and_size(n, fanin):
    c = _circuit(xor_tree, n, fanin=fanin)
    pats = all_patterns(n)
    assert c.evaluate(pats)[:, 0].tolist() == (pats.sum(axis=1) % 2 == 1).tolist()
    assert c.depth() == _clog(n, fanin)
    if fanin == 2:
        assert c.n_gates == n - 1
    assert -(-(n - 1) // (fanin - 1)) <= c.n_gates <= max(n - 1, 0)
    assert c.max_fanin <= fanin


@pytest.mark.parametrize("n", [33, 100, 257])
def test_xor_tree_random(n):
    c = _circuit(xor_tree, n)
    pats = np.random.default_rng(n).integers(0, 2, (300, n)).astype(bool)
    assert c.evaluate(pats)[:, 0].tolist() == (pats.sum(axis=1) % 2 == 1).tolist()
    assert c.depth() == (n - 1).bit_length()


def test_xor_tree_edge_cases():
    b = CircuitBuilder()
    x = b.input()
    assert xor_tree(b, []) == 0
    assert xor_tree(b, [x]) == x
    with pytest.raises(CircuitStructureError, match="fanin for xor_tree must be >= 2, got 1"):
        xor_tree(b, [x, x], fanin=1)
    with pytest.raises(CircuitStructureError, match="fanin for xor_tree must be an integer"):
        xor_tree(b, [x, x], fanin=2.5)
    assert threshold_parity(b, []) == 0


@pytest.mark.parametrize("n", range(1, 11))
def test_threshold_parity_exhaustive(n):
    c = _circuit(threshold_parity, n)
    pats = all_patterns(n)
    assert evaluate_reference(c, pats)[:, 0].tolist() == (pats.sum(axis=1) % 2 == 1).tolist()
    assert c.depth() == 2
    assert c.n_gates == n + 1
    assert c.gate_set()["circuit_class"] == "TC0"


def test_threshold_parity_random_wide():
    n = 100
    c = _circuit(threshold_parity, n)
    pats = np.random.default_rng(0).random((256, n)) < np.linspace(0, 1, 256)[:, None]
    assert c.evaluate(pats)[:, 0].tolist() == (pats.sum(axis=1) % 2 == 1).tolist()
    assert c.depth() == 2


@settings(max_examples=50, deadline=None)
@given(st.lists(st.booleans(), min_size=1, max_size=40))
def test_parity_theorem(bits):
    """For every bit string x of length n >= 1, the XOR tree (depth ceil(log2 n)), the threshold
    circuit (depth 2) and the stream accumulator after n steps (serial depth n) all output
    x_0 XOR ... XOR x_{n-1}."""
    n = len(bits)
    want = sum(bits) % 2 == 1
    x = np.array([bits], dtype=bool)
    tree, thr = _circuit(xor_tree, n), _circuit(threshold_parity, n)
    assert bool(tree.evaluate(x)[0, 0]) == bool(thr.evaluate(x)[0, 0]) == want
    assert (tree.depth(), thr.depth()) == ((n - 1).bit_length(), 2)
    acc = stream_parity()
    assert bool(acc.run(x[:, :, None]).outputs[0, -1, 0]) == want
    assert acc.serial_depth(n) == n


def test_stream_parity_prefixes_and_unroll():
    acc = stream_parity()
    x = np.random.default_rng(1).integers(0, 2, (200, 12, 1)).astype(bool)
    out = acc.run(x).outputs[:, :, 0]
    assert np.array_equal(out, np.cumsum(x[:, :, 0], axis=1) % 2 == 1)
    assert acc.step_depth() == 1 and acc.n_state == 1
    u = acc.unroll(12)
    assert u.depth() == acc.serial_depth(12) == 12
    assert np.array_equal(u.evaluate(x[:, :, 0]), out)
