"""The io kernels agree with their naive references, compiled and as plain Python (``py_func``)."""

import numpy as np
from hypothesis import given, settings, strategies as st

from serialcomp.io._kernels import (
    decode_ands, decode_ands_reference, encode_ands, encode_ands_reference, parse_number_lines,
    parse_number_lines_reference, toposort, toposort_reference,
)

BOTH = [lambda k: k, lambda k: getattr(k, "py_func", k)]


@st.composite
def _ands(draw):
    n_in = draw(st.integers(0, 5))
    lhs, r0, r1 = [], [], []
    for k in range(draw(st.integers(0, 30))):
        top = 2 * (n_in + 1 + k)
        a = draw(st.integers(0, top - 1))
        b = draw(st.integers(0, a))
        lhs.append(top); r0.append(a); r1.append(b)
    return n_in, np.array(lhs, np.int64), np.array(r0, np.int64), np.array(r1, np.int64)


@settings(max_examples=100, deadline=None)
@given(_ands(), st.sampled_from(BOTH))
def test_encode_decode_round_trip(ands, mode):
    """Theorem: the varint encoder equals its naive reference, and decoding its bytes gives the fan-ins
    back and stops at the end of the section."""
    n_in, lhs, r0, r1 = ands
    enc = mode(encode_ands)(lhs, r0, r1)
    assert enc.tobytes() == encode_ands_reference(lhs, r0, r1)
    buf = np.frombuffer(enc.tobytes() + b"tail", np.uint8)
    fan, pos, err, _, _ = mode(decode_ands)(buf, 0, len(lhs), 2 * (n_in + 1))
    assert err == 0 and pos == len(enc)
    assert fan[0::2].tolist() == r0.tolist() and fan[1::2].tolist() == r1.tolist()


@settings(max_examples=200, deadline=None)
@given(st.binary(max_size=40), st.integers(0, 8), st.integers(2, 40), st.sampled_from(BOTH))
def test_decode_matches_reference_on_any_bytes(data, n, first, mode):
    """Theorem: on any bytes, the AND-section decoder returns the reference's error code, position and
    fan-ins."""
    fan, pos, err, _, _ = mode(decode_ands)(np.frombuffer(data, np.uint8), 0, n, 2 * first)
    ref, rpos, rerr = decode_ands_reference(data, 0, n, 2 * first)
    assert err == rerr and pos == rpos
    assert fan[: len(ref)].tolist() == ref


_LINE = st.lists(st.integers(0, 10**6), min_size=0, max_size=4).map(lambda xs: " ".join(map(str, xs)))


@settings(max_examples=400, deadline=None)
@given(st.lists(_LINE | st.text("0123456789 \t\rx-", max_size=25), max_size=6), st.integers(1, 2), st.integers(2, 3),
       st.booleans(), st.sampled_from(BOTH))
def test_parse_number_lines_matches_reference(lines, lo, hi, final_newline, mode):
    """Theorem: on any text of digits, blanks and junk, the number-line parser returns the reference's
    error code, and on valid text its values, counts and end position."""
    data = ("\n".join(lines) + ("\n" if final_newline else "")).encode()
    n = len(lines)
    vals, counts, pos, err, _, _ = mode(parse_number_lines)(np.frombuffer(data, np.uint8), 0, n, lo, hi)
    rvals, rcounts, rpos, rerr = parse_number_lines_reference(data, 0, n, lo, hi)
    assert err == rerr
    if not err:
        assert np.array_equal(vals, rvals) and np.array_equal(counts, rcounts) and pos == rpos


def test_parse_number_lines_overflow_and_crlf():
    buf = np.frombuffer(b"4611686018427387903 1\r\n4611686018427387904\n", np.uint8)
    vals, _, _, err, k, _ = parse_number_lines(buf, 0, 2, 1, 2)
    assert err == 5 and k == 1 and vals[0].tolist() == [(1 << 62) - 1, 1]


@settings(max_examples=200, deadline=None)
@given(st.lists(st.lists(st.integers(-1, 11), max_size=3), max_size=12), st.sampled_from(BOTH))
def test_toposort_matches_reference(deps, mode):
    """Theorem: the kernel finds a cycle exactly when the reference does; otherwise its order is a
    topological order."""
    n = len(deps)
    deps = [[d if d < n else -1 for d in ds] for ds in deps]
    ptr = np.zeros(n + 1, np.int64)
    np.cumsum([len(d) for d in deps], out=ptr[1:])
    dep = np.array([d for ds in deps for d in ds], np.int64)
    order, cyc = mode(toposort)(ptr, dep)
    rorder, rcyc = toposort_reference(ptr, dep)
    assert (cyc >= 0) == (rcyc >= 0)
    if cyc < 0:
        assert order.tolist() == rorder
        pos = {v: k for k, v in enumerate(order.tolist())}
        assert all(pos[d] < pos[v] for v, ds in enumerate(deps) for d in ds if d >= 0)
    else:
        # The reported gate is on a cycle: it reaches itself.
        seen, todo = set(), [d for d in deps[cyc] if d >= 0]
        while todo:
            u = todo.pop()
            if u not in seen:
                seen.add(u)
                todo += [d for d in deps[u] if d >= 0]
        assert cyc in seen
