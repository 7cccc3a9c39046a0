"""Counting mod m (threshold and MOD_m constructions) against Python's ``sum % m``."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from serialcomp.problems.words.modcount import (
    binary_terms,
    function_of_sum_thr,
    residues_mod,
    residues_thr,
    sum_mod_mod,
    sum_mod_thr,
)
from serialcomp.errors import CircuitStructureError
from serialcomp.ir import CircuitBuilder
from serialcomp.ir.gates import GateKind
from serialcomp.problems.bits import bits_of
from serialcomp.testing.patterns import all_patterns
from serialcomp.testing.reference import evaluate_reference

BLOCKS = {"thr": (sum_mod_thr, residues_thr), "mod": (sum_mod_mod, residues_mod)}


def _width(m: int) -> int:
    return max(1, (m - 1).bit_length())


def _circuit(block, weights, m):
    b = CircuitBuilder()
    xs = b.inputs(len(weights))
    for lit in block(b, xs, weights, m):
        b.output(lit)
    return b.build()


@pytest.mark.parametrize("gates", ["thr", "mod"])
@pytest.mark.parametrize("m", [2, 3, 4, 5, 6, 7, 8])
@pytest.mark.parametrize("weights", [[1], [1, 1, 1, 1, 1], [1, 2, 1, 2, 1, 2], [3, 0, 5, 1], [1, 2, 4, 8, 1, 2, 4, 8]])
def test_sum_mod_exhaustive(gates, m, weights):
    bits_block, onehot_block = BLOCKS[gates]
    pats = all_patterns(len(weights))
    s = pats.astype(np.int64) @ np.array(weights)
    c = _circuit(bits_block, weights, m)
    assert (c.evaluate(pats) == bits_of(s % m, _width(m))).all()
    oh = _circuit(onehot_block, weights, m)
    assert (oh.evaluate(pats) == (s[:, None] % m == np.arange(m))).all()
    if gates == "mod":
        assert oh.depth() == 1 and oh.n_gates == m
        assert c.depth() == (1 if m <= 3 else 2)
        assert set(c.gate_set()["kinds"]) <= {"MOD", "OR"}
    elif sum(weights) >= 2 ** (_width(m) - 1):  # every output bit varies
        assert c.depth() == 2
        assert set(c.gate_set()["kinds"]) == {"THR"}


@pytest.mark.parametrize("gates", ["thr", "mod"])
def test_mod_gates_agree_with_the_naive_reference(gates):
    """The repeated literals and constant-true fan-ins of MOD gates mean the same in the compiled
    simulator and in the plain-Python reference evaluator."""
    weights = [1, 2, 4, 1, 2, 4]
    c = _circuit(BLOCKS[gates][0], weights, 5)
    pats = all_patterns(6)
    assert (c.evaluate(pats) == evaluate_reference(c, pats)).all()


@settings(max_examples=50, deadline=None)
@given(
    m=st.integers(2, 9),
    letters=st.lists(st.integers(0, 8), min_size=1, max_size=12),
    gates=st.sampled_from(["thr", "mod"]),
)
def test_letters_sum_mod_property(m, letters, gates):
    """Theorem: for letters a_1..a_n in Z_m given as binary indices, both constructions output the
    binary index of (a_1 + ... + a_n) mod m; the MOD one in depth 1 (m <= 3) or 2, the threshold
    one in depth exactly 2."""
    letters = [a % m for a in letters]
    w = _width(m)
    b = CircuitBuilder()
    xs = [b.input_bus(f"x{k}", w) for k in range(len(letters))]
    lits, weights = binary_terms(xs)
    for lit in BLOCKS[gates][0](b, lits, weights, m):
        b.output(lit)
    c = b.build()
    out = c.evaluate(bits_of(np.array(letters), w).reshape(1, -1))[0]
    assert out.tolist() == bits_of(np.array(sum(letters) % m), w).tolist()
    assert c.depth() == (2 if gates == "thr" or m > 3 else 1)


def test_function_of_sum_constant_and_general():
    b = CircuitBuilder()
    xs = b.inputs(3)
    lits = function_of_sum_thr(b, xs, [1, 1, 1], [lambda s: 0, lambda s: 1, lambda s: s in (0, 3), lambda s: s >= 2])
    assert lits[:2] == [0, 1]  # constants, no gate
    for lit in lits:
        b.output(lit)
    c = b.build()
    pats = all_patterns(3)
    s = pats.sum(axis=1)
    out = c.evaluate(pats)
    assert out[:, 2].tolist() == np.isin(s, (0, 3)).tolist()
    assert out[:, 3].tolist() == (s >= 2).tolist()
    # layer 1 only holds the [S >= v] gates some function needs: v = 1, 3 (for s in {0,3}) and 2
    assert int((c.kind == GateKind.THR).sum()) == 3 + 2


def test_binary_terms_and_errors():
    assert binary_terms([[2, 4, 6]]) == ([2, 4, 6], [1, 2, 4])
    b = CircuitBuilder()
    xs = b.inputs(2)
    with pytest.raises(CircuitStructureError, match="modulus"):
        sum_mod_thr(b, xs, [1, 1], 1)
    with pytest.raises(CircuitStructureError, match="weights for residues_mod must be >= 0, got -1 at position 1"):
        residues_mod(b, xs, [1, -1], 3)
    with pytest.raises(CircuitStructureError, match="weights for residues_mod must hold integers, got 1.5"):
        residues_mod(b, xs, [1, 1.5], 3)  # never truncated to 1
    with pytest.raises(CircuitStructureError, match="1 weights for 2"):
        sum_mod_mod(b, xs, [1], 3)
