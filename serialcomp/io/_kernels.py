"""Numba kernels of the readers and writers, each beside the naive Python reference it is tested against.

* :func:`parse_number_lines` - lines of unsigned decimals (the ASCII sections of AIGER).
* :func:`decode_ands` / :func:`encode_ands` - the binary AIGER AND section (7-bit varint deltas).
* :func:`toposort` - a depth-first topological order of gates in a CSR dependency list, or a gate
  on a cycle.

Kernels never index out of bounds on bad data: every read is checked against the buffer and every
failure is returned as an error code with its position, which the caller turns into a
:class:`~serialcomp.errors.CircuitFormatError`.
"""

from __future__ import annotations

import numpy as np

from .._jit import jit

__all__ = [
    "parse_number_lines",
    "parse_number_lines_reference",
    "decode_ands",
    "decode_ands_reference",
    "encode_ands",
    "encode_ands_reference",
    "toposort",
    "toposort_reference",
    "PARSE_ERRORS",
    "DECODE_ERRORS",
]

#: Error codes of :func:`parse_number_lines`.
PARSE_ERRORS = {
    1: "the file ends here",
    2: "an unexpected character",
    3: "too few numbers",
    4: "too many numbers",
    5: "a number too large (at most 2**62 - 1)",
}

#: Error codes of :func:`decode_ands`.
DECODE_ERRORS = {
    1: "the file ends inside the binary AND section",
    2: "a varint longer than 9 bytes",
    3: "a first delta of 0 or larger than the AND's own literal (needs lhs > rhs0)",
    4: "a second delta larger than the first fan-in literal (needs rhs0 >= rhs1)",
}

_LIMIT = (1 << 62) - 1


@jit
def parse_number_lines(buf, pos, n_lines, min_per, max_per):  # pragma: no cover - compiled
    """Parse ``n_lines`` lines of ``min_per..max_per`` unsigned decimals starting at byte ``pos``.

    Numbers are separated by spaces or tabs; a line ends with ``\\n`` (a ``\\r`` before it is
    allowed) or, for the last line only, the end of the buffer.

    Returns ``(values, counts, pos_after, err, err_line, err_pos)``: ``values`` int64
    (n_lines, max_per) with -1 where a line has fewer numbers, ``counts`` per line, the byte after
    the last line, and an error code of :data:`PARSE_ERRORS` (0: none) with the 0-based line and
    byte offset where it happened.
    """
    n = buf.shape[0]
    values = np.full((n_lines, max_per), -1, np.int64)
    counts = np.zeros(n_lines, np.int64)
    for k in range(n_lines):
        if pos >= n:
            return values, counts, pos, 1, k, pos
        cnt = 0
        while True:
            while pos < n and (buf[pos] == 32 or buf[pos] == 9):
                pos += 1
            if pos >= n or buf[pos] == 10 or (buf[pos] == 13 and pos + 1 < n and buf[pos + 1] == 10):
                break
            c = buf[pos]
            if c < 48 or c > 57:
                return values, counts, pos, 2, k, pos
            x = np.int64(0)
            while pos < n and buf[pos] >= 48 and buf[pos] <= 57:
                d = np.int64(buf[pos] - 48)
                if x > (_LIMIT - d) // 10:
                    return values, counts, pos, 5, k, pos
                x = x * 10 + d
                pos += 1
            if pos < n:
                c = buf[pos]
                if not (c == 32 or c == 9 or c == 10 or (c == 13 and pos + 1 < n and buf[pos + 1] == 10)):
                    return values, counts, pos, 2, k, pos
            if cnt >= max_per:
                return values, counts, pos, 4, k, pos
            values[k, cnt] = x
            cnt += 1
        if cnt < min_per:
            return values, counts, pos, 3, k, pos
        counts[k] = cnt
        if pos < n and buf[pos] == 13:
            pos += 1
        if pos < n:
            pos += 1  # the newline
    return values, counts, pos, 0, -1, pos


def parse_number_lines_reference(data: bytes, pos: int, n_lines: int, min_per: int, max_per: int):
    """Naive reference of :func:`parse_number_lines` (same results on valid input; error code only)."""
    values = np.full((n_lines, max_per), -1, np.int64)
    counts = np.zeros(n_lines, np.int64)
    for k in range(n_lines):
        if pos >= len(data):
            return values, counts, pos, 1
        end = data.find(b"\n", pos)
        end = len(data) if end < 0 else end
        line = data[pos:end]
        if end < len(data) and line.endswith(b"\r"):  # "\r" only counts before "\n"
            line = line[:-1]
        toks = line.replace(b"\t", b" ").split(b" ")
        toks = [t for t in toks if t]
        for j, t in enumerate(toks):  # errors in the order the kernel meets them
            digits = len(t) - len(t.lstrip(b"0123456789"))
            if digits == 0:
                return values, counts, pos, 2
            if int(t[:digits]) > _LIMIT:
                return values, counts, pos, 5
            if digits < len(t):
                return values, counts, pos, 2
            if j >= max_per:
                return values, counts, pos, 4
        if len(toks) < min_per:
            return values, counts, pos, 3
        values[k, : len(toks)] = [int(t) for t in toks]
        counts[k] = len(toks)
        pos = min(end + 1, len(data))
    return values, counts, pos, 0


@jit
def decode_ands(buf, pos, n_ands, first_lhs):  # pragma: no cover - compiled
    """Decode the binary AND section: ``n_ands`` pairs of varint deltas starting at byte ``pos``.

    AND ``k`` has literal ``lhs = first_lhs + 2k``; its fan-ins are ``rhs0 = lhs - delta0`` and
    ``rhs1 = rhs0 - delta1``.  Returns ``(fanin, pos_after, err, err_and, err_pos)`` with ``fanin``
    int64 of shape (2 * n_ands,) (``rhs0, rhs1`` per AND) and an error code of
    :data:`DECODE_ERRORS` (0: none).
    """
    n = buf.shape[0]
    out = np.empty(2 * n_ands, np.int64)
    for k in range(n_ands):
        lhs = first_lhs + 2 * k
        prev = lhs
        for j in range(2):
            start = pos
            x = np.int64(0)
            shift = 0
            while True:
                if pos >= n:
                    return out, pos, 1, k, start
                ch = buf[pos]
                pos += 1
                if shift > 56:
                    return out, pos, 2, k, start
                x |= np.int64(ch & 127) << shift
                if ch < 128:
                    break
                shift += 7
            if j == 0:
                if x == 0 or x > prev:
                    return out, pos, 3, k, start
            elif x > prev:
                return out, pos, 4, k, start
            prev = prev - x
            out[2 * k + j] = prev
    return out, pos, 0, -1, pos


def decode_ands_reference(data: bytes, pos: int, n_ands: int, first_lhs: int):
    """Naive reference of :func:`decode_ands`: ``(fanin list, pos_after, err)``."""
    out: list[int] = []
    for k in range(n_ands):
        prev = first_lhs + 2 * k
        for j in range(2):
            x = shift = 0
            while True:
                if pos >= len(data):
                    return out, pos, 1
                ch = data[pos]
                pos += 1
                if shift > 56:
                    return out, pos, 2
                x |= (ch & 127) << shift
                if ch < 128:
                    break
                shift += 7
            if (j == 0 and (x == 0 or x > prev)) or (j == 1 and x > prev):
                return out, pos, 3 + j
            prev -= x
            out.append(prev)
    return out, pos, 0


@jit
def encode_ands(lhs, rhs0, rhs1):  # pragma: no cover - compiled
    """Encode AND gates (``lhs > rhs0 >= rhs1``, all int64 arrays) as the binary AIGER section (uint8)."""
    m = lhs.shape[0]
    out = np.empty(20 * m, np.uint8)
    p = 0
    for k in range(m):
        for j in range(2):
            x = lhs[k] - rhs0[k] if j == 0 else rhs0[k] - rhs1[k]
            while x >= 128:
                out[p] = np.uint8((x & 127) | 128)
                p += 1
                x >>= 7
            out[p] = np.uint8(x)
            p += 1
    return out[:p]


def encode_ands_reference(lhs, rhs0, rhs1) -> bytes:
    """Naive reference of :func:`encode_ands`."""
    out = bytearray()
    for a, b, c in zip(lhs, rhs0, rhs1):
        for x in (int(a) - int(b), int(b) - int(c)):
            while x >= 128:
                out.append((x & 127) | 128)
                x >>= 7
            out.append(x)
    return bytes(out)


@jit
def toposort(ptr, dep):  # pragma: no cover - compiled
    """Depth-first topological order of gates ``0..n-1`` with dependencies ``dep[ptr[g]:ptr[g+1]]``.

    ``dep`` holds gate indices, or -1 for a dependency that is not a gate (an input, a constant).
    Gates are visited in index order and dependencies in list order, so an already sorted list
    comes back unchanged.  Returns ``(order, cycle_gate)``: ``cycle_gate`` is -1, or a gate on a
    cycle (then ``order`` is incomplete).
    """
    n = ptr.shape[0] - 1
    state = np.zeros(n, np.int8)
    order = np.empty(n, np.int64)
    stack_v = np.empty(n, np.int64)
    stack_e = np.empty(n, np.int64)
    k = 0
    for root in range(n):
        if state[root] != 0:
            continue
        sp = 0
        stack_v[0] = root
        stack_e[0] = ptr[root]
        state[root] = 1
        while sp >= 0:
            v = stack_v[sp]
            e = stack_e[sp]
            if e < ptr[v + 1]:
                stack_e[sp] = e + 1
                u = dep[e]
                if u < 0 or u >= n:
                    continue
                if state[u] == 1:
                    return order, u
                if state[u] == 0:
                    state[u] = 1
                    sp += 1
                    stack_v[sp] = u
                    stack_e[sp] = ptr[u]
            else:
                state[v] = 2
                order[k] = v
                k += 1
                sp -= 1
    return order, -1


def toposort_reference(ptr, dep) -> tuple[list[int], int]:
    """Naive recursive reference of :func:`toposort` (same order; some gate on a cycle)."""
    import sys

    n = len(ptr) - 1
    state = [0] * n
    order: list[int] = []

    def visit(v: int) -> int:
        state[v] = 1
        for e in range(int(ptr[v]), int(ptr[v + 1])):
            u = int(dep[e])
            if u < 0 or u >= n:
                continue
            if state[u] == 1:
                return u
            if state[u] == 0:
                c = visit(u)
                if c >= 0:
                    return c
        state[v] = 2
        order.append(v)
        return -1

    old = sys.getrecursionlimit()
    sys.setrecursionlimit(max(old, 4 * n + 100))
    try:
        for v in range(n):
            if state[v] == 0:
                c = visit(v)
                if c >= 0:
                    return order, c
    finally:
        sys.setrecursionlimit(old)
    return order, -1
