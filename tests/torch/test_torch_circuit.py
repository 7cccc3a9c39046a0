"""compile_torch: both torch modes bit-identical to the Numba simulator and the naive evaluator.

Every result is held against the Numba simulator (serialcomp.sim) and, on small circuits, the
per-pattern reference evaluator; never against a torch module itself.
"""

from __future__ import annotations

import csv
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

torch = pytest.importorskip("torch")

from serialcomp.errors import CircuitStructureError, SimulationInputError  # noqa: E402
from serialcomp.io import read_circuit  # noqa: E402
from serialcomp.ir import CircuitBuilder, GateKind  # noqa: E402
from serialcomp.sim import pack_bits, random_words, unpack_bits  # noqa: E402
from serialcomp.testing.benchmarks import epfl_dir  # noqa: E402
from serialcomp.testing.reference import evaluate_reference  # noqa: E402
from serialcomp.testing.strategies import circuits  # noqa: E402
from serialcomp.torch import MODES, compile_torch, pack_bits_torch, unpack_bits_torch  # noqa: E402
from serialcomp.torch.device import TorchUnavailableError  # noqa: E402

ZOO = Path(__file__).resolve().parents[2] / "circuits"
EPFL = epfl_dir()


def _numba(circuit, words):
    return circuit.compile().run(words)


def _check_words(circuit, device, n_words=3, seed=0):
    """Packed mode on random words, and dense mode on their bits, against Numba."""
    words = random_words(circuit.n_inputs, n_words, seed=seed)
    want = _numba(circuit, words)
    got = compile_torch(circuit, mode="packed", device=device).forward_words(words).cpu().numpy().view(np.uint64)
    assert np.array_equal(got, want)
    bits = unpack_bits(words)
    dense = compile_torch(circuit, mode="dense", device=device)(torch.from_numpy(bits)).cpu().numpy()
    assert np.array_equal(dense, unpack_bits(want))


def _zoo_files():
    with open(ZOO / "manifest.csv") as f:
        return [row["thr_file"] for row in csv.DictReader(f)]


@pytest.mark.parametrize("rel", _zoo_files())
def test_every_zoo_circuit_matches_numba_in_both_modes(rel, device):
    _check_words(read_circuit(ZOO / rel), device)


def _epfl_small():
    if EPFL is None:
        return []
    out = []
    for p in sorted(Path(EPFL).glob("*.aig")):
        with open(p, "rb") as f:
            header = f.readline().split()
        if int(header[5]) < 30_000:  # aig M I L O A: A is the AND count
            out.append(p.name)
    return out


@pytest.mark.skipif(EPFL is None, reason="EPFL benchmarks not found")
@pytest.mark.parametrize("name", _epfl_small())
def test_epfl_circuits_under_30k_ands_match_numba_in_both_modes(name, device):
    _check_words(read_circuit(Path(EPFL) / name), device, n_words=2)


@settings(max_examples=150)
@given(circuits(max_inputs=7, max_gates=30, max_fanin=9, max_weight=40, max_modulus=7), st.integers(0, 2**32))
def test_random_circuits_of_every_gate_kind(device, circuit, seed):
    """For every circuit over AND, OR, XOR, MAJ, THR, MOD and BUF, both torch modes compute the
    function the naive per-pattern evaluator computes, on every input pattern."""
    n = circuit.n_inputs
    patterns = ((np.arange(2**n)[:, None] >> np.arange(n)) & 1).astype(bool)
    want = evaluate_reference(circuit, patterns)
    for mode in MODES:
        got = compile_torch(circuit, mode=mode, device=device)(torch.from_numpy(patterns)).cpu().numpy()
        assert np.array_equal(got, want), mode


@pytest.mark.parametrize("fanin", [2, 4, 6, 8, 64])
def test_majority_ties_of_even_fan_in_are_false(fanin, device):
    """MAJ is strict majority: with an even fan-in, half the inputs true is a 0."""
    b = CircuitBuilder()
    xs = b.inputs(fanin)
    b.output(b.maj(*xs))
    c = b.build()
    rng = np.random.default_rng(fanin)
    pats = rng.random((300, fanin)) < 0.5
    pats[0] = np.arange(fanin) < fanin // 2  # an exact tie
    want = evaluate_reference(c, pats)
    assert not want[0, 0]
    for mode in MODES:
        assert np.array_equal(compile_torch(c, mode=mode, device=device)(torch.from_numpy(pats)).cpu().numpy(), want)


@pytest.mark.parametrize("m", [3, 4, 5, 6, 7])
def test_mod_gates_up_to_seven(m, device):
    b = CircuitBuilder()
    xs = b.inputs(13)
    b.output(b.mod(xs, m))
    b.output(b.mod([x ^ 1 for x in xs[:9]], m) ^ 1)
    c = b.build()
    pats = np.random.default_rng(m).random((500, 13)) < 0.5
    want = evaluate_reference(c, pats)
    for mode in MODES:
        assert np.array_equal(compile_torch(c, mode=mode, device=device)(torch.from_numpy(pats)).cpu().numpy(), want)


def _weighted(weights, threshold):
    b = CircuitBuilder()
    xs = b.inputs(len(weights))
    b.output(b.thr(xs, weights, threshold))
    return b.build()


def test_dense_is_exact_at_the_float32_limit_and_refuses_beyond_it(device):
    """Weights summing to exactly 2**24 are exact in float32 (a sum one below the threshold is
    told apart from the threshold); one more is refused with a message naming packed mode."""
    weights = [2**23, 2**22, 2**22 - 1, 1]  # sum 2**24
    c = _weighted(weights, 2**24 - 1)  # true iff the sum of the chosen weights >= 2**24 - 1
    n = len(weights)
    pats = ((np.arange(2**n)[:, None] >> np.arange(n)) & 1).astype(bool)
    want = evaluate_reference(c, pats)
    assert want.sum() == 2  # all four, or all but the weight-1 input
    got = compile_torch(c, mode="dense", device=device)(torch.from_numpy(pats)).cpu().numpy()
    assert np.array_equal(got, want)
    over = _weighted([2**23, 2**23, 1], 2**24)
    with pytest.raises(CircuitStructureError, match=r"more than 2\*\*24.*mode='packed'"):
        compile_torch(over, mode="dense", device=device)
    got = compile_torch(over, mode="packed", device=device)(torch.from_numpy(pats[:8, :3].copy())).cpu().numpy()
    assert np.array_equal(got, evaluate_reference(over, pats[:8, :3]))


def test_packed_handles_large_weights_exactly(device):
    """THR with weights near serialcomp's limits: the bit-sliced counter is exact where float32 is not."""
    w = [2**40 - 1, 2**40 - 2, 3, -(2**39), 5]
    c = _weighted(w, 2**40 + 2)
    pats = ((np.arange(32)[:, None] >> np.arange(5)) & 1).astype(bool)
    want = evaluate_reference(c, pats)
    got = compile_torch(c, mode="packed", device=device)(torch.from_numpy(pats)).cpu().numpy()
    assert np.array_equal(got, want)


@pytest.mark.parametrize("batch", [0, 1, 63, 64, 65, 200])
def test_torch_packing_matches_the_simulators_layout(batch):
    bits = np.random.default_rng(batch).random((batch, 5)) < 0.5
    words = pack_bits_torch(torch.from_numpy(bits)).cpu().numpy().view(np.uint64)
    assert np.array_equal(words, pack_bits(bits))
    assert np.array_equal(unpack_bits_torch(torch.from_numpy(words.view(np.int64)), batch).cpu().numpy(), bits)


def test_blocks_of_patterns_give_the_same_words(device):
    """A small working-memory budget splits the words into many blocks; the result is the same."""
    b = CircuitBuilder()
    xs = b.inputs(6)
    b.output(b.xor(b.maj(*xs[:5]), b.and_(xs[0], xs[5])))
    c = b.build()
    words = random_words(6, 50, seed=3)
    want = _numba(c, words)
    small = compile_torch(c, device=device, max_block_bytes=1 << 16)
    assert np.array_equal(small.forward_words(words).cpu().numpy().view(np.uint64), want)


def test_module_reports_its_shape_and_refuses_bad_input(device):
    b = CircuitBuilder()
    x = b.input_bus("x", 3)
    b.output(b.xor(*x), "p")
    m = compile_torch(b.build(), mode="dense", device=device)
    assert (m.n_inputs, m.n_outputs, m.output_names, m.n_levels, m.n_layers) == (3, 1, ("p",), 1, 2)
    assert "layers=2" in repr(m)
    with pytest.raises(SimulationInputError, match=r"shape \(batch, 3\)"):
        m(torch.zeros((4, 2), dtype=torch.bool))
    with pytest.raises(SimulationInputError, match="bool patterns"):
        m(torch.full((4, 3), 0.5))
    with pytest.raises(SimulationInputError, match="packed"):
        m.forward_words(torch.zeros((3, 1), dtype=torch.int64))
    with pytest.raises(SimulationInputError, match="mode must be one of"):
        compile_torch(b.build(), mode="sparse")


@pytest.mark.skipif(torch.cuda.is_available(), reason="a GPU is present")
def test_cuda_without_a_gpu_is_a_one_line_error():
    b = CircuitBuilder()
    b.output(b.and_(*b.inputs(2)))
    with pytest.raises(TorchUnavailableError, match="no CUDA GPU is visible"):
        compile_torch(b.build(), device="cuda")


def test_constant_and_pass_through_outputs(device):
    b = CircuitBuilder()
    x, y = b.inputs(2)
    b.output(0)
    b.output(1)
    b.output(x ^ 1)
    b.output(b.and_(x, x ^ 1))  # a contradiction: the lowering keeps it as a gate, which must give 0
    c = b.build()
    pats = np.array([[0, 0], [1, 0], [0, 1], [1, 1]], bool)
    for mode in MODES:
        m = compile_torch(c, mode=mode, device=device)
        assert np.array_equal(m(torch.from_numpy(pats)).cpu().numpy(), evaluate_reference(c, pats))
        assert m.n_gates == 1


@pytest.mark.parametrize("key,family,n", [("parity", "threshold2", 64), ("iadd", "threshold", 12),
                                          ("majority", "maj_gate", 101)])
def test_threshold_families_that_share_one_sum_match_numba(key, family, n, device):
    """Threshold gates over the same weighted operands (``[sum x >= k]`` for every k) are counted
    once and compared with each threshold; the result is still Numba's, bit for bit."""
    from serialcomp.problems import get_problem

    circuit = get_problem(key).family(family)(n)
    m = compile_torch(circuit, mode="packed", device=device)
    if key != "majority":
        assert any(kind == "thrs" for steps in m._schedule for kind, _, _ in steps)  # the shared path ran
    words = random_words(circuit.n_inputs, 4, seed=n)
    assert np.array_equal(m.forward_words(words).cpu().numpy().view(np.uint64), _numba(circuit, words))
