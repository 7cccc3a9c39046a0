"""pack_bits / unpack_bits: the ptb64 layout (bit j of word w is pattern 64*w + j)."""

import numpy as np
from hypothesis import given, settings, strategies as st

from serialcomp.sim import n_words_for, pack_bits, random_words, unpack_bits


def _pack_reference(bits):
    """Naive reference: one Python int per row, bit by bit."""
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
def test_pack_matches_reference_and_roundtrips(batch, n, seed):
    bits = np.random.default_rng(seed).random((batch, n)) < 0.5
    words = pack_bits(bits)
    assert words.dtype == np.uint64 and words.shape == (n, n_words_for(batch)) and words.flags.c_contiguous
    assert np.array_equal(words, _pack_reference(bits))
    back = unpack_bits(words, batch)
    assert back.dtype == np.bool_ and np.array_equal(back, bits)


def test_layout_explicit():
    bits = np.zeros((130, 1), bool)
    bits[[0, 63, 64, 129], 0] = True
    assert pack_bits(bits)[0].tolist() == [1 | (1 << 63), 1, 2]
    assert unpack_bits(np.array([[1 << 63]], np.uint64)).ravel().nonzero()[0].tolist() == [63]


def test_unpack_default_batch_and_random_words():
    w = random_words(3, 2, seed=7)
    assert np.array_equal(w, random_words(3, 2, seed=7)) and w.dtype == np.uint64
    assert unpack_bits(w).shape == (128, 3)
    assert np.array_equal(pack_bits(unpack_bits(w)), w)
