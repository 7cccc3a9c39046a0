"""pack_bits / unpack_bits (Numba kernels) against the numpy and the naive references, the ptb64
layout (bit j of word w is pattern 64*w + j), and packed random patterns."""

import hashlib

import numpy as np
import pytest
from hypothesis import given, settings, strategies as st

from serialcomp.errors import SimulationInputError
from serialcomp.sim import n_words_for, pack_bits, random_pattern_words, random_words, unpack_bits
from serialcomp.sim.packing import pack_bits_reference, unpack_bits_reference


def _pack_naive(bits):
    """Naive reference: one bit at a time."""
    batch, n = bits.shape
    nw = (batch + 63) // 64
    out = np.zeros((n, nw), np.uint64)
    for i in range(n):
        for p in range(batch):
            if bits[p, i]:
                out[i, p // 64] |= np.uint64(1) << np.uint64(p % 64)
    return out


@settings(max_examples=60, deadline=None)
@given(batch=st.integers(0, 300), n=st.integers(0, 5), seed=st.integers(0, 2**32 - 1))
def test_pack_matches_references_and_roundtrips(batch, n, seed):
    """Theorem: the kernels equal the naive bit-by-bit packing and the numpy reference, and
    unpack(pack(b)) == b for every shape, partial last words included."""
    bits = np.random.default_rng(seed).random((batch, n)) < 0.5
    words = pack_bits(bits)
    assert words.dtype == np.uint64 and words.shape == (n, n_words_for(batch)) and words.flags.c_contiguous
    assert np.array_equal(words, _pack_naive(bits))
    assert np.array_equal(words, pack_bits_reference(bits))
    back = unpack_bits(words, batch)
    assert back.dtype == np.bool_ and back.flags.c_contiguous and np.array_equal(back, bits)
    assert np.array_equal(back, unpack_bits_reference(words, batch))


@settings(max_examples=30, deadline=None)
@given(n=st.integers(0, 70), nw=st.integers(0, 4), batch_cut=st.integers(0, 63), seed=st.integers(0, 2**32 - 1))
def test_unpack_matches_reference_on_any_words(n, nw, batch_cut, seed):
    """Theorem: unpack_bits equals the numpy reference on arbitrary words (padding bits set too),
    for every batch that fits, and ignores the bits past the batch."""
    words = random_words(n, nw, seed=seed)
    batch = max(0, 64 * nw - batch_cut)
    assert np.array_equal(unpack_bits(words, batch), unpack_bits_reference(words, batch))
    assert np.array_equal(unpack_bits(words), unpack_bits_reference(words))


def test_layout_explicit_and_inputs():
    bits = np.zeros((130, 1), bool)
    bits[[0, 63, 64, 129], 0] = True
    assert pack_bits(bits)[0].tolist() == [1 | (1 << 63), 1, 2]
    assert pack_bits(bits.astype(np.int64))[0].tolist() == [1 | (1 << 63), 1, 2]
    assert np.array_equal(pack_bits(np.asfortranarray(np.tile(bits, (1, 3)))), np.tile(pack_bits(bits), (3, 1)))
    assert unpack_bits(np.array([[1 << 63]], np.uint64)).ravel().nonzero()[0].tolist() == [63]
    with pytest.raises(SimulationInputError, match="0/1 integer bits"):
        pack_bits(np.array([[2]]))
    with pytest.raises(SimulationInputError, match="2-D"):
        pack_bits(np.zeros(3, bool))
    with pytest.raises(SimulationInputError, match="uint64 words"):
        unpack_bits(np.zeros((1, 1), np.int64))
    with pytest.raises(SimulationInputError, match="batch for 1 words .* must be in \\[0, 64\\], got 65"):
        unpack_bits(np.zeros((1, 1), np.uint64), 65)
    with pytest.raises(SimulationInputError, match="batch .*must be an integer, got 2.5"):
        unpack_bits(np.zeros((1, 1), np.uint64), 2.5)


def test_random_words_stream():
    w = random_words(3, 2, seed=7)
    assert np.array_equal(w, random_words(3, 2, seed=7)) and w.dtype == np.uint64
    assert unpack_bits(w).shape == (128, 3)
    assert np.array_equal(pack_bits(unpack_bits(w)), w)


def test_random_pattern_words_are_pinned_masked_and_prefix_stable():
    """The same seed gives the same bytes on every machine (a golden hash of PCG64's raw stream);
    the bits past the batch are 0; a longer draw extends a shorter one; chunks with start= are
    columns of one long draw."""
    w = random_pattern_words(5, 300, seed=12345)
    assert w.shape == (5, 5) and w.dtype == np.uint64 and w.flags.c_contiguous
    assert hashlib.sha256(w.astype("<u8").tobytes()).hexdigest() == (
        "c409cc291f7a75aef93033e2c369774947eba06b9315934cb9b5b558b7cc280d")
    assert int(w[0, 0]) == 0x3A32B18DB2FFC19D
    assert not (w[:, -1] >> np.uint64(300 % 64)).any()
    long = random_pattern_words(5, 640, seed=12345)
    assert np.array_equal(long[:, :4], w[:, :4])
    assert np.array_equal(long[:, 4] & w[:, 4], w[:, 4])
    chunks = [random_pattern_words(5, 192, seed=12345, start=s) for s in (0, 192, 384, 576)]
    assert np.array_equal(np.concatenate(chunks, axis=1)[:, :10], long)
    assert random_pattern_words(0, 100, seed=1).shape == (0, 2)
    assert random_pattern_words(3, 0, seed=1).shape == (3, 0)
    with pytest.raises(SimulationInputError, match="multiple of 64"):
        random_pattern_words(3, 10, seed=1, start=10)
    with pytest.raises(SimulationInputError, match="int seed"):
        random_pattern_words(3, 10, seed=np.random.default_rng(1), start=64)


def test_random_pattern_words_are_uniform():
    """Each bit is a fair coin: over 2**16 patterns of 64 inputs every input's frequency of ones,
    and every bit position's, is within 0.02 of 1/2 (a 5-sigma band is 0.01 for the inputs)."""
    bits = unpack_bits(random_pattern_words(64, 1 << 16, seed=3))
    assert np.abs(bits.mean(axis=0) - 0.5).max() < 0.02
    per_bit = bits.reshape(-1, 64, 64).mean(axis=(0, 2))
    assert np.abs(per_bit - 0.5).max() < 0.02
