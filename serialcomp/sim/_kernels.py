"""Bit-parallel kernels that run a flat simulator program on uint64 words (private).

The program is made by :mod:`serialcomp.sim._program`.  One call of :func:`_exec_block` runs the
whole program on one *block* of ``nw`` words (``64 * nw`` patterns) held in ``buf``, an array of
shape (n_slots, stride) with ``stride >= nw`` (the caller pads rows so that they are not a power
of two bytes apart): row 0 is all zeros (the constant node), the other rows are slots reused along
the program.  Every word loop is contiguous, branch free and over one row, so LLVM
vectorises it.

Gate evaluation on a word of 64 patterns:

* AND, OR, XOR, BUF, MOD_2: word-wise logic (OR and MOD_2 were rewritten by the lowering).
* THR and MAJ: a bit-sliced binary counter of ``B`` slices (``B`` least with ``2**B >= T``),
  started at the constant ``C0 = 2**B - T``, to which every operand adds its weight (bit ``k`` of
  the weight adds the operand row at level ``k``); the carry out of the top slice is OR-ed into the
  result, which is therefore ``[C0 + sum w_i x_i >= 2**B] = [sum w_i x_i >= T]``.  Additions are
  carry-save: each level keeps at most one *pending* row; a second row arriving at level ``k``
  triggers one full adder (slice, pending, new row -> slice, carry) and the carry moves to level
  ``k + 1``; pending rows are flushed with half adders at the end.  Cost: about one full-adder
  pass per weight bit (about ``f`` passes for MAJ of fan-in ``f``) plus ``B`` at the flush.
  MAJ of three unit-weight operands has its own one-pass instruction.
* MOD_m (m >= 3): a one-hot counter of ``r = min(m, n + 1)`` slices (``n`` operands), rotated by
  one wherever the operand bit is 1; slice 0 at the end is ``[count == 0 mod m]`` (with
  ``r = n + 1 < m`` the count never wraps, so slice 0 means count == 0).  Cost per operand:
  ``r + 1`` word passes.

Naive reference: :func:`serialcomp.testing.reference.evaluate_reference` (per pattern, per node,
the gate table's rules); :func:`_thr_words_reference` and :func:`_mod_words_reference` below give
the counter semantics on Python integers.  With ``NUMBA_DISABLE_JIT=1`` these kernels run as plain
Python (a test does that to cover their logic).
"""

from __future__ import annotations

import numpy as np
from numba import get_thread_id

from .._jit import jit, parallel_jit, prange
from ._program import OP_AND2, OP_AND2N, OP_ANDN, OP_LOAD, OP_MAJ3, OP_MOD, OP_THR, OP_XOR2, OP_XORN

__all__: list[str] = []

#: ``_MASK[neg]``: the word to XOR for an operand with negation bit ``neg``.
_MASK = np.array([0, 0xFFFFFFFFFFFFFFFF], dtype=np.uint64)


@jit
def _exec_block(code, buf, scratch, inp, out, base, nw):  # pragma: no cover - compiled
    """Run ``code`` on words ``base .. base + nw`` of ``inp`` (n_inputs, n_words) into ``out``."""
    pc = np.int64(0)  # typed, not a literal: one specialisation of each callee
    end = code.shape[0]
    iw = np.empty((4, 64), np.int64)  # THR workspace: pending rows and free pool per level
    while pc < end:
        op = code[pc]
        if op == OP_AND2:
            z = buf[code[pc + 1]]
            a = code[pc + 2]
            b = code[pc + 3]
            x = buf[a >> 1]
            y = buf[b >> 1]
            ma = _MASK[a & 1]
            mb = _MASK[b & 1]
            for w in range(nw):
                z[w] = (x[w] ^ ma) & (y[w] ^ mb)
            pc += 4
        elif op == OP_AND2N:
            z = buf[code[pc + 1]]
            a = code[pc + 2]
            b = code[pc + 3]
            x = buf[a >> 1]
            y = buf[b >> 1]
            ma = _MASK[a & 1]
            mb = _MASK[b & 1]
            for w in range(nw):
                z[w] = ~((x[w] ^ ma) & (y[w] ^ mb))
            pc += 4
        elif op == OP_XOR2:
            z = buf[code[pc + 1]]
            a = code[pc + 2]
            b = code[pc + 3]
            x = buf[a >> 1]
            y = buf[b >> 1]
            m = _MASK[(a ^ b) & 1]
            for w in range(nw):
                z[w] = x[w] ^ y[w] ^ m
            pc += 4
        elif op == OP_ANDN or op == OP_XORN:
            z = buf[code[pc + 1]]
            mo = _MASK[code[pc + 2]]
            n = code[pc + 3]
            a = code[pc + 4]
            x = buf[a >> 1]
            m = _MASK[a & 1]
            for w in range(nw):
                z[w] = x[w] ^ m
            if op == OP_ANDN:
                for j in range(1, n):
                    a = code[pc + 4 + j]
                    x = buf[a >> 1]
                    m = _MASK[a & 1]
                    for w in range(nw):
                        z[w] &= x[w] ^ m
            else:
                for j in range(1, n):
                    a = code[pc + 4 + j]
                    x = buf[a >> 1]
                    m = _MASK[a & 1]
                    for w in range(nw):
                        z[w] ^= x[w] ^ m
            if code[pc + 2]:
                for w in range(nw):
                    z[w] ^= mo
            pc += 4 + n
        elif op == OP_MAJ3:
            z = buf[code[pc + 1]]
            a = code[pc + 2]
            b = code[pc + 3]
            c = code[pc + 4]
            x = buf[a >> 1]
            y = buf[b >> 1]
            u = buf[c >> 1]
            ma = _MASK[a & 1]
            mb = _MASK[b & 1]
            mc = _MASK[c & 1]
            for w in range(nw):
                xv = x[w] ^ ma
                yv = y[w] ^ mb
                uv = u[w] ^ mc
                z[w] = (xv & yv) | (uv & (xv | yv))
            pc += 5
        elif op == OP_THR:
            _thr_words(code, pc, buf, scratch, iw, nw)
            pc += 5 + 2 * code[pc + 2]
        elif op == OP_MOD:
            _mod_words(code, pc, buf, scratch, nw)
            pc += 4 + code[pc + 3]
        elif op == OP_LOAD:
            z = buf[code[pc + 1]]
            src = inp[code[pc + 2]]
            for w in range(nw):
                z[w] = src[base + w]
            pc += 3
        else:  # OP_EMIT
            dst = out[code[pc + 1]]
            a = code[pc + 2]
            x = buf[a >> 1]
            m = _MASK[a & 1]
            for w in range(nw):
                dst[base + w] = x[w] ^ m
            pc += 3


@jit
def _exec_single(code, buf, scratch, inp, out, base):  # pragma: no cover - compiled
    """:func:`_exec_block` for a block of one word (``buf`` of shape (n_slots, 1)), in scalar code.

    Batches of at most 64 patterns run here; without row views and vector loops the cost per
    2-input gate is about half.  THR and MOD go through the same counter kernels with ``nw = 1``.
    """
    pc = np.int64(0)
    end = code.shape[0]
    iw = np.empty((4, 64), np.int64)
    one = np.int64(1)
    while pc < end:
        op = code[pc]
        if op == OP_AND2:
            a = code[pc + 2]
            b = code[pc + 3]
            buf[code[pc + 1], 0] = (buf[a >> 1, 0] ^ _MASK[a & 1]) & (buf[b >> 1, 0] ^ _MASK[b & 1])
            pc += 4
        elif op == OP_AND2N:
            a = code[pc + 2]
            b = code[pc + 3]
            buf[code[pc + 1], 0] = ~((buf[a >> 1, 0] ^ _MASK[a & 1]) & (buf[b >> 1, 0] ^ _MASK[b & 1]))
            pc += 4
        elif op == OP_XOR2:
            a = code[pc + 2]
            b = code[pc + 3]
            buf[code[pc + 1], 0] = buf[a >> 1, 0] ^ buf[b >> 1, 0] ^ _MASK[(a ^ b) & 1]
            pc += 4
        elif op == OP_ANDN or op == OP_XORN:
            n = code[pc + 3]
            a = code[pc + 4]
            acc = buf[a >> 1, 0] ^ _MASK[a & 1]
            for j in range(1, n):
                a = code[pc + 4 + j]
                if op == OP_ANDN:
                    acc &= buf[a >> 1, 0] ^ _MASK[a & 1]
                else:
                    acc ^= buf[a >> 1, 0] ^ _MASK[a & 1]
            buf[code[pc + 1], 0] = acc ^ _MASK[code[pc + 2]]
            pc += 4 + n
        elif op == OP_MAJ3:
            a = code[pc + 2]
            b = code[pc + 3]
            c = code[pc + 4]
            xv = buf[a >> 1, 0] ^ _MASK[a & 1]
            yv = buf[b >> 1, 0] ^ _MASK[b & 1]
            uv = buf[c >> 1, 0] ^ _MASK[c & 1]
            buf[code[pc + 1], 0] = (xv & yv) | (uv & (xv | yv))
            pc += 5
        elif op == OP_THR:
            _thr_words(code, pc, buf, scratch, iw, one)
            pc += 5 + 2 * code[pc + 2]
        elif op == OP_MOD:
            _mod_words(code, pc, buf, scratch, one)
            pc += 4 + code[pc + 3]
        elif op == OP_LOAD:
            buf[code[pc + 1], 0] = inp[code[pc + 2], base]
            pc += 3
        else:  # OP_EMIT
            a = code[pc + 2]
            out[code[pc + 1], base] = buf[a >> 1, 0] ^ _MASK[a & 1]
            pc += 3


@jit
def _thr_words(code, pc, buf, scratch, iw, nw):  # pragma: no cover - compiled
    """``THR d n B C0 (op w)[n]``: carry-save bit-sliced counter (see the module docstring).

    ``scratch[0:B]`` are the counter slices, ``scratch[B:2B+1]`` a pool for carry rows; ``iw``
    (4, 64) int64 holds, per level, the pending row (source, index, negation) and the free pool.
    Reference: :func:`_thr_words_reference`.
    """
    z = buf[code[pc + 1]]
    n = code[pc + 2]
    nb = code[pc + 3]
    c0 = code[pc + 4]
    psrc = iw[0]
    zero = _MASK[0]
    for w in range(nw):
        z[w] = zero
    for k in range(nb):
        fill = _MASK[(c0 >> k) & 1]
        row = scratch[k]
        for w in range(nw):
            row[w] = fill
        psrc[k] = -1
    free = iw[3]
    nfree = np.int64(0)
    from_buf = np.int64(0)
    from_scratch = np.int64(1)
    positive = np.int64(0)
    for r in range(nb, 2 * nb + 1):
        free[nfree] = r
        nfree += 1
    for j in range(n):
        a = code[pc + 5 + 2 * j]
        wt = code[pc + 6 + 2 * j]
        if (wt >> nb) & 1:  # weight == 2**B == T: this operand alone reaches the threshold
            x = buf[a >> 1]
            m = _MASK[a & 1]
            for w in range(nw):
                z[w] |= x[w] ^ m
            continue
        for k in range(nb):
            if (wt >> k) & 1:
                nfree = _csa_add(buf, scratch, z, iw, nfree, nb, k, from_buf, a >> 1, a & 1, nw)
    # Flush: a pending row at level k is added to slice k with a half adder, its carry moves up.
    pidx = iw[1]
    pneg = iw[2]
    for k in range(nb):
        if psrc[k] >= 0:
            s = scratch[k]
            p = buf[pidx[k]] if psrc[k] == 0 else scratch[pidx[k]]
            mp = _MASK[pneg[k]]
            nfree -= 1
            c = free[nfree]
            cr = scratch[c]
            for w in range(nw):
                sv = s[w]
                pv = p[w] ^ mp
                s[w] = sv ^ pv
                cr[w] = sv & pv
            if psrc[k] == 1:
                free[nfree] = pidx[k]
                nfree += 1
            psrc[k] = -1
            nfree = _csa_add(buf, scratch, z, iw, nfree, nb, k + 1, from_scratch, c, positive, nw)


@jit
def _csa_add(buf, scratch, z, iw, nfree, nb, k, src, idx, neg, nw):  # pragma: no cover - compiled
    """Add row ``(src, idx, neg)`` (src 0: ``buf``, 1: ``scratch``) at level ``k`` of the counter.

    If level ``k`` has no pending row the row becomes pending (no work).  Otherwise a full adder
    folds slice ``k``, the pending row and the new row into slice ``k`` and a carry row, which is
    added at level ``k + 1``.  A row reaching level ``B`` is OR-ed into the result ``z``.
    Returns the new size of the free pool.
    """
    psrc = iw[0]
    pidx = iw[1]
    pneg = iw[2]
    free = iw[3]
    while True:
        if k >= nb:
            x = buf[idx] if src == 0 else scratch[idx]
            m = _MASK[neg]
            for w in range(nw):
                z[w] |= x[w] ^ m
            if src == 1:
                free[nfree] = idx
                nfree += 1
            return nfree
        if psrc[k] < 0:
            psrc[k] = src
            pidx[k] = idx
            pneg[k] = neg
            return nfree
        s = scratch[k]
        p = buf[pidx[k]] if psrc[k] == 0 else scratch[pidx[k]]
        mp = _MASK[pneg[k]]
        x = buf[idx] if src == 0 else scratch[idx]
        mx = _MASK[neg]
        nfree -= 1
        c = free[nfree]
        cr = scratch[c]
        for w in range(nw):
            sv = s[w]
            pv = p[w] ^ mp
            xv = x[w] ^ mx
            t = sv ^ pv
            s[w] = t ^ xv
            cr[w] = (sv & pv) | (t & xv)
        if psrc[k] == 1:
            free[nfree] = pidx[k]
            nfree += 1
        if src == 1:
            free[nfree] = idx
            nfree += 1
        psrc[k] = -1
        src = 1
        idx = c
        neg = 0
        k += 1


@jit
def _mod_words(code, pc, buf, scratch, nw):  # pragma: no cover - compiled
    """``MOD d r n ops[n]``: one-hot counter of ``r`` slices (see the module docstring).

    Reference: :func:`_mod_words_reference`.
    """
    z = buf[code[pc + 1]]
    r = code[pc + 2]
    n = code[pc + 3]
    ones = _MASK[1]
    zero = _MASK[0]
    for k in range(r):
        row = scratch[k]
        fill = ones if k == 0 else zero
        for w in range(nw):
            row[w] = fill
    last = scratch[r]
    for j in range(n):
        a = code[pc + 4 + j]
        x = buf[a >> 1]
        m = _MASK[a & 1]
        top = scratch[r - 1]
        for w in range(nw):
            last[w] = top[w]
        for k in range(r - 1, 0, -1):
            row = scratch[k]
            below = scratch[k - 1]
            for w in range(nw):
                xv = x[w] ^ m
                row[w] = (row[w] & ~xv) | (below[w] & xv)
        row = scratch[0]
        for w in range(nw):
            xv = x[w] ^ m
            row[w] = (row[w] & ~xv) | (last[w] & xv)
    row = scratch[0]
    for w in range(nw):
        z[w] = row[w]


@jit
def _run_serial(code, inp, out, buf, scratch, block, n_words):  # pragma: no cover - compiled
    """Run every block of ``block`` words in turn (one thread)."""
    if block == 1:
        for base in range(n_words):
            _exec_single(code, buf, scratch, inp, out, base)
    else:
        for base in range(0, n_words, block):
            _exec_block(code, buf, scratch, inp, out, base, min(block, n_words - base))


@parallel_jit
def _run_parallel(code, inp, out, bufs, scratches, block, n_words, chunk_blocks):  # pragma: no cover
    """Chunks of ``chunk_blocks`` consecutive blocks dealt to threads as they become free.

    Run with numba's parallel chunk size set to 1 (dynamic scheduling) so that a thread slowed
    down by other work on its core takes fewer chunks; each thread uses the buffers of its
    ``get_thread_id()``.  Chunks span whole cache lines of the output (see ``CompiledCircuit.run``).
    """
    n_blocks = (n_words + block - 1) // block
    n_chunks = (n_blocks + chunk_blocks - 1) // chunk_blocks
    for ch in prange(n_chunks):
        t = get_thread_id()
        for blk in range(ch * chunk_blocks, min((ch + 1) * chunk_blocks, n_blocks)):
            base = blk * block
            if block == 1:
                _exec_single(code, bufs[t], scratches[t], inp, out, base)
            else:
                _exec_block(code, bufs[t], scratches[t], inp, out, base, min(block, n_words - base))


def _thr_words_reference(words: list[int], weights: list[int], threshold: int) -> int:
    """Naive reference of the THR kernel on Python ints: bit ``j`` of the result is
    ``[sum_i weights[i] * bit_j(words[i]) >= threshold]`` (64 patterns per word).

    Example
    -------
    >>> bin(_thr_words_reference([0b011, 0b110], [2, 1], 2))
    '0b11'
    """
    res = 0
    for j in range(64):
        if sum(w * ((x >> j) & 1) for x, w in zip(words, weights)) >= threshold:
            res |= 1 << j
    return res


def _mod_words_reference(words: list[int], modulus: int) -> int:
    """Naive reference of the MOD kernel on Python ints: bit ``j`` is ``[count_j % modulus == 0]``.

    Example
    -------
    >>> bin(_mod_words_reference([0b01, 0b11, 0b01], 3) & 0b11)
    '0b1'
    """
    res = 0
    for j in range(64):
        if sum((x >> j) & 1 for x in words) % modulus == 0:
            res |= 1 << j
    return res
