"""Monoid composition blocks against sympy's permutation products and a left-to-right fold."""

from __future__ import annotations

import itertools
from functools import reduce

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sympy.combinatorics import Permutation

from serialcomp.problems.words.groups import (
    check_table,
    compose,
    decode_index,
    encode_index,
    fixed_depth_product,
    index_width,
    product_tree,
    stream_product,
)
from serialcomp.errors import CircuitStructureError
from serialcomp.ir import CircuitBuilder
from serialcomp.problems.bits import bits_of


def _perm_group(k: int) -> tuple[list[tuple[int, ...]], np.ndarray]:
    """S_k in lexicographic one-line notation, its table built with sympy (``p * q`` applies p first)."""
    els = list(itertools.permutations(range(k)))
    pos = {e: i for i, e in enumerate(els)}
    table = np.array([[pos[tuple((Permutation(list(a)) * Permutation(list(c))).array_form)] for c in els] for a in els])
    return els, table


S3_ELS, S3 = _perm_group(3)
S4_ELS, S4 = _perm_group(4)
# the full transformation monoid T_3 (27 maps of {0,1,2}): no inverses; table[a, b] = a then b
T3_ELS = list(itertools.product(range(3), repeat=3))
T3 = np.array([[T3_ELS.index(tuple(b[a[i]] for i in range(3))) for b in T3_ELS] for a in T3_ELS])
FLIPFLOP = np.array([[0, 0, 2], [0, 1, 2], [0, 2, 2]])  # set0, read, set1 ("a then b": b wins unless read)


def _fold(table: np.ndarray, word) -> int:
    return int(reduce(lambda a, b: table[a, b], word))


def _tree_circuit(table: np.ndarray, n: int, d: int | None = None):
    b = CircuitBuilder()
    w = index_width(len(table))
    xs = [b.input_bus(f"x{k}", w) for k in range(n)]
    out = product_tree(b, table, xs) if d is None else fixed_depth_product(b, table, xs, d)
    for lit in out:
        b.output(lit)
    return b.build()


def _run_words(circuit, table: np.ndarray, words: np.ndarray) -> np.ndarray:
    w = index_width(len(table))
    out = circuit.evaluate(bits_of(words, w).reshape(len(words), -1))
    return (out.astype(np.int64) << np.arange(w)).sum(axis=1)


def test_sympy_convention_table_applies_left_factor_first():
    # (x y)[i] = y[x[i]] in one-line notation: the words.py convention
    for a, c in itertools.product(range(6), repeat=2):
        x, y, z = S3_ELS[a], S3_ELS[c], S3_ELS[S3[a, c]]
        assert z == tuple(y[x[i]] for i in range(3))


@pytest.mark.parametrize("els,table", [(S3_ELS, S3), (S4_ELS, S4)], ids=["S3", "S4"])
def test_compose_block_exhaustive_against_sympy(els, table):
    s = len(els)
    b = CircuitBuilder()
    x, y = b.input_bus("x", s), b.input_bus("y", s)
    for lit in compose(b, table, x, y):
        b.output(lit)
    c = b.build()
    assert c.depth() == 2
    assert c.n_gates == s * s + s
    pairs = list(itertools.product(range(s), repeat=2))
    eye = np.eye(s, dtype=bool)
    out = c.evaluate(np.concatenate([eye[[a for a, _ in pairs]], eye[[q for _, q in pairs]]], axis=1))
    assert (out.sum(axis=1) == 1).all()  # one-hot in, one-hot out
    for (a, q), row in zip(pairs, out):
        got = els[int(np.flatnonzero(row)[0])]
        assert got == tuple((Permutation(list(els[a])) * Permutation(list(els[q]))).array_form)


def test_compose_block_works_for_monoids():
    s = len(T3)
    b = CircuitBuilder()
    x, y = b.input_bus("x", s), b.input_bus("y", s)
    for lit in compose(b, T3, x, y):
        b.output(lit)
    c = b.build()
    eye = np.eye(s, dtype=bool)
    pairs = list(itertools.product(range(s), repeat=2))
    out = c.evaluate(np.concatenate([eye[[a for a, _ in pairs]], eye[[q for _, q in pairs]]], axis=1))
    assert np.flatnonzero(out.ravel()).tolist() == [i * s + int(T3[a, q]) for i, (a, q) in enumerate(pairs)]
    assert c.depth() == 2


@pytest.mark.parametrize("size", [1, 2, 3, 5, 8, 27])
def test_decode_encode_roundtrip_exhaustive(size):
    w = index_width(size)
    b = CircuitBuilder()
    bits = b.input_bus("x", w)
    onehot = decode_index(b, bits, size)
    back = encode_index(b, onehot, w)
    for lit in onehot + back:
        b.output(lit)
    c = b.build()
    out = c.evaluate(bits_of(np.arange(size), w))
    assert (out[:, :size] == np.eye(size, dtype=bool)).all()
    assert (out[:, size:] == bits_of(np.arange(size), w)).all()
    assert c.depth() == (0 if w == 1 else 1) + (1 if size > 3 else 0)


@pytest.mark.parametrize("name,table", [("S3", S3), ("S4", S4), ("T3", T3), ("flipflop", FLIPFLOP)])
@pytest.mark.parametrize("n", [1, 2, 3, 4, 5, 7, 8, 9])
def test_product_tree_values_and_exact_depth(name, table, n):
    rng = np.random.default_rng(n)
    words = rng.integers(0, len(table), (200, n))
    c = _tree_circuit(table, n)
    assert _run_words(c, table, words).tolist() == [_fold(table, wd) for wd in words]
    levels = (n - 1).bit_length()
    assert c.depth() == (0 if n == 1 else 2 * levels + 1)


def test_product_tree_against_sympy_products():
    rng = np.random.default_rng(7)
    words = rng.integers(0, 24, (100, 6))
    got = _run_words(_tree_circuit(S4, 6), S4, words)
    for wd, g in zip(words, got):
        p = reduce(lambda a, b: a * b, [Permutation(list(S4_ELS[i])) for i in wd])
        assert S4_ELS[g] == tuple(p.array_form)


@pytest.mark.parametrize("n", [2, 3, 5, 8, 13])
def test_product_tree_one_bit_alphabet_costs_no_decoding(n):
    z2 = np.array([[0, 1], [1, 0]])
    c = _tree_circuit(z2, n)
    assert c.depth() == 2 * (n - 1).bit_length()
    words = np.random.default_rng(n).integers(0, 2, (100, n))
    assert _run_words(c, z2, words).tolist() == (words.sum(axis=1) % 2).tolist()


@pytest.mark.parametrize("d", [0, 1, 2, 3])
def test_fixed_depth_product_reads_only_the_first_letters(d):
    n = 11
    c = _tree_circuit(S3, n, d=d)
    words = np.random.default_rng(d).integers(0, 6, (200, n))
    k = min(n, 2**d)
    assert _run_words(c, S3, words).tolist() == [_fold(S3, wd[:k]) for wd in words]
    assert c.depth() == (0 if k == 1 else 2 * d + 1)


@pytest.mark.parametrize("name,table,identity", [("S3", S3, 0), ("T3", T3, T3_ELS.index((0, 1, 2))),
                                                 ("flipflop", FLIPFLOP, 1)])
def test_stream_product_prefixes_and_serial_depth(name, table, identity):
    acc = stream_product(table, identity)
    T = 9
    words = np.random.default_rng(3).integers(0, len(table), (150, T))
    w = index_width(len(table))
    run = acc.run(bits_of(words, w))
    got = (run.outputs.astype(np.int64) << np.arange(w)).sum(axis=2)
    want = [[_fold(table, wd[: t + 1]) for t in range(T)] for wd in words]
    assert got.tolist() == want
    for steps in (1, 2, 5, T):
        assert acc.serial_depth(steps) == 2 * steps == acc.unroll(steps).depth()


@settings(max_examples=40, deadline=None)
@given(st.lists(st.integers(0, 23), min_size=1, max_size=10))
def test_tree_equals_fold_property(word):
    """Theorem: for every word x_1..x_n over S4 (n >= 1), the product tree outputs the index of
    x_1 x_2 ... x_n (x_1 applied first) in depth exactly 2 ceil(log2 n) + 1 (0 for n = 1)."""
    n = len(word)
    c = _TREES.setdefault(n, _tree_circuit(S4, n))
    assert _run_words(c, S4, np.array([word])).tolist() == [_fold(S4, word)]
    assert c.depth() == (0 if n == 1 else 2 * (n - 1).bit_length() + 1)


_TREES: dict[int, object] = {}


def test_errors_name_the_problem():
    b = CircuitBuilder()
    x = b.input_bus("x", 3)
    with pytest.raises(CircuitStructureError, match="square"):
        check_table(np.zeros((2, 3), int))
    with pytest.raises(CircuitStructureError, match=r"\[0, 2\)"):
        check_table([[0, 2], [1, 0]])
    with pytest.raises(CircuitStructureError, match="need 6 literals"):
        compose(b, S3, x, x)
    with pytest.raises(CircuitStructureError, match="letter 1 has 2 bits"):
        product_tree(b, S3, [x, x[:2]])
    with pytest.raises(CircuitStructureError, match="at least one letter"):
        product_tree(b, S3, [])
    with pytest.raises(CircuitStructureError, match="cannot index"):
        decode_index(b, x[:2], 5)
    with pytest.raises(CircuitStructureError, match="identity"):
        stream_product(S3, 6)
    with pytest.raises(CircuitStructureError, match="d for fixed_depth_product must be >= 0, got -1"):
        fixed_depth_product(b, S3, [x], -1)
