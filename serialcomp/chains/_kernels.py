"""Numba kernels: many chains of one strategy on one graph (private; see :mod:`.montecarlo`).

Each kernel runs chain ``c`` with draw state ``states[c]`` and writes ``lengths[c]`` (the trace
length when it reaches the target, -1 if it does not within ``cap`` moves; ``cap < 0``: no cap),
``paths[c]`` (the length of its s-t path, -1 if not reached) and, if ``traces`` has columns, the
first ``traces.shape[1]`` nodes of its trace (the caller fills -1). The draws are those of the
pure-Python references in :mod:`.search` (``_below`` is :func:`._rng.below`), so kernel and
reference emit the same traces; the tests compare them, also with ``NUMBA_DISABLE_JIT=1``.
Visited marks are stamps (the chain's index), so nothing is cleared between chains.
"""

from __future__ import annotations

import numpy as np

from .._jit import jit
from ._rng import _below

__all__: list[str] = []


@jit
def _dfs_kernel(indptr, indices, s, t, states, cap, lengths, paths, traces):  # pragma: no cover - compiled
    n = indptr.shape[0] - 1
    stamp = np.full(n, -1, np.int64)
    stack = np.empty(n + 1, np.int64)
    buf = np.empty(n + 1, np.int64)
    width = traces.shape[1]
    for c in range(states.shape[0]):
        state = states[c]
        j = 0
        top = 0
        stack[0] = s
        w = 0
        lengths[c] = -1
        paths[c] = -1
        while top >= 0:
            u = stack[top]
            if w < width:
                traces[c, w] = u
            stamp[u] = c
            if u == t:
                lengths[c] = w
                paths[c] = top
                break
            if w == cap:
                break
            cnt = 0
            for e in range(indptr[u], indptr[u + 1]):
                v = indices[e]
                if stamp[v] != c:
                    buf[cnt] = v
                    cnt += 1
            if cnt > 0:
                k, j = _below(state, j, cnt)
                top += 1
                stack[top] = buf[k]
            else:
                top -= 1
            w += 1


@jit
def _bfs_kernel(indptr, indices, s, t, states, cap, lengths, paths, traces):  # pragma: no cover - compiled
    n = indptr.shape[0] - 1
    marked = np.full(n, -1, np.int64)
    enq = np.full(n, -1, np.int64)
    depth = np.zeros(n, np.int64)
    queue = np.empty(n, np.int64)
    buf = np.empty(n, np.int64)
    width = traces.shape[1]
    for c in range(states.shape[0]):
        state = states[c]
        j = 0
        head = 0
        tail = 1
        queue[0] = s
        enq[s] = c
        depth[s] = 0
        w = 0
        lengths[c] = -1
        paths[c] = -1
        while head < tail:
            u = queue[head]
            head += 1
            if w < width:
                traces[c, w] = u
            marked[u] = c
            if u == t:
                lengths[c] = w
                paths[c] = depth[u]
                break
            if w == cap:
                break
            cnt = 0
            for e in range(indptr[u], indptr[u + 1]):
                v = indices[e]
                if marked[v] != c:
                    buf[cnt] = v
                    cnt += 1
            for i in range(cnt - 1, 0, -1):
                k, j = _below(state, j, i + 1)
                tmp = buf[i]
                buf[i] = buf[k]
                buf[k] = tmp
            for i in range(cnt):
                v = buf[i]
                if enq[v] != c:
                    enq[v] = c
                    depth[v] = depth[u] + 1
                    queue[tail] = v
                    tail += 1
            w += 1


@jit
def _walk_kernel(indptr, indices, s, t, states, cap, lengths, paths, traces):  # pragma: no cover - compiled
    width = traces.shape[1]
    for c in range(states.shape[0]):
        state = states[c]
        j = 0
        u = s
        w = 0
        if width > 0:
            traces[c, 0] = s
        lengths[c] = -1
        paths[c] = -1
        while u != t:
            if w == cap:
                break
            deg = indptr[u + 1] - indptr[u]
            if deg == 0:
                break
            k, j = _below(state, j, deg)
            u = indices[indptr[u] + k]
            w += 1
            if w < width:
                traces[c, w] = u
        if u == t:
            lengths[c] = w
            paths[c] = w


KERNELS = {"dfs": _dfs_kernel, "bfs": _bfs_kernel, "walk": _walk_kernel}
