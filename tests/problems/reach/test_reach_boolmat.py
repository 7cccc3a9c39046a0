"""Boolean matrix product, reflexive closure by squaring, and the BFS step (serialcomp.problems.reach.boolmat)."""

from __future__ import annotations

import networkx as nx
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from serialcomp.errors import CircuitStructureError
from serialcomp.problems.reach.boolmat import (
    bfs_step,
    bool_matmul,
    closure_squarings,
    reach_bfs_looped,
    reach_squaring_circuit,
    reflexive_closure,
)
from serialcomp.ir import FALSE, TRUE, CircuitBuilder

SETTINGS = settings(max_examples=30, deadline=None)


def _matrix_circuit(shape_a, shape_b, symmetric=False):
    b = CircuitBuilder()
    A = np.array(b.inputs(shape_a[0] * shape_a[1], "a")).reshape(shape_a)
    B = A if shape_b is None else np.array(b.inputs(shape_b[0] * shape_b[1], "b")).reshape(shape_b)
    C = bool_matmul(b, A, A if shape_b is None else B, symmetric=symmetric)
    for l in C.ravel():
        b.output(int(l))
    return b.build()


@SETTINGS
@given(m=st.integers(1, 5), k=st.integers(1, 5), p=st.integers(1, 5), seed=st.integers(0, 2**32 - 1))
def test_bool_matmul_equals_numpy(m, k, p, seed):
    """Theorem: for all Boolean A (m x k), B (k x p), the circuit's outputs are the Boolean product (A @ B > 0)."""
    c = _matrix_circuit((m, k), (k, p))
    rng = np.random.default_rng(seed)
    A = rng.random((16, m, k)) < 0.4
    B = rng.random((16, k, p)) < 0.4
    out = c.evaluate(np.concatenate([A.reshape(16, -1), B.reshape(16, -1)], axis=1))
    want = (A.astype(int) @ B.astype(int)) > 0
    assert np.array_equal(out, want.reshape(16, -1))


@SETTINGS
@given(N=st.integers(1, 6), seed=st.integers(0, 2**32 - 1))
def test_symmetric_square_equals_numpy(N, seed):
    """Theorem: for a symmetric Boolean A, the symmetric-mode square (upper triangle built) equals A @ A > 0."""
    c = _matrix_circuit((N, N), None, symmetric=True)
    rng = np.random.default_rng(seed)
    A = rng.random((8, N, N)) < 0.4
    A = A | A.transpose(0, 2, 1)
    out = c.evaluate(A.reshape(8, -1))
    assert np.array_equal(out, ((A.astype(int) @ A.astype(int)) > 0).reshape(8, -1))


def test_bool_matmul_folds_constants():
    b = CircuitBuilder()
    x, y = b.inputs(2)
    C = bool_matmul(b, np.array([[TRUE, FALSE], [x, x]]), np.array([[y, TRUE], [TRUE, x]]))
    # row 0: TRUE*y | FALSE = y ; TRUE*TRUE = TRUE ; row 1: x*y | x ; x*TRUE | x*x = x
    assert C[0, 0] == y and C[0, 1] == TRUE and C[1, 1] == x
    assert b.n_nodes == 3 + 2  # const, 2 inputs, AND(x, y), OR(AND, x)
    with pytest.raises(CircuitStructureError, match="do not chain"):
        bool_matmul(b, np.zeros((2, 3), np.int64), np.zeros((2, 3), np.int64))
    with pytest.raises(CircuitStructureError, match="squarings for reflexive_closure must be an integer, got 1.5"):
        reflexive_closure(b, np.zeros((2, 2), np.int64), 1.5)  # never truncated to one squaring


def test_closure_squarings_is_the_least_k_with_2k_at_least_d():
    for d in range(1, 200):
        k = closure_squarings(d)
        assert 2**k >= d and (k == 0 or 2 ** (k - 1) < d)


def _random_digraphs(rng, count, N, p):
    A = rng.random((count, N, N)) < p
    A[:, np.arange(N), np.arange(N)] = False
    return A


@SETTINGS
@given(N=st.integers(2, 7), k=st.integers(0, 3), seed=st.integers(0, 2**32 - 1), undirected=st.booleans())
def test_reflexive_closure_equals_networkx(N, k, seed, undirected):
    """Theorem: entry (u, v) of the k-squaring closure is 1 iff networkx finds a u->v path of at most 2^k edges
    (u = v included); with k = closure_squarings(N - 1) that is networkx's reflexive transitive closure."""
    b = CircuitBuilder()
    A = np.array(b.inputs(N * N)).reshape(N, N)
    C = reflexive_closure(b, A, k, symmetric=undirected)
    for l in C.ravel():
        b.output(int(l))
    c = b.build()
    if N >= 3:
        assert c.depth() == 2 * k
    rng = np.random.default_rng(seed)
    adj = _random_digraphs(rng, 6, N, 1.5 / N)
    if undirected:
        adj = adj | adj.transpose(0, 2, 1)
    out = c.evaluate(adj.reshape(6, -1)).reshape(6, N, N)
    for i in range(6):
        G = nx.from_numpy_array(adj[i].astype(int), create_using=nx.DiGraph)
        dist = dict(nx.all_pairs_shortest_path_length(G))
        want = np.array([[v in dist[u] and dist[u][v] <= 2**k for v in range(N)] for u in range(N)])
        assert np.array_equal(out[i], want)
        if k >= closure_squarings(N - 1):
            tc = nx.transitive_closure(G, reflexive=True)
            assert np.array_equal(out[i], nx.to_numpy_array(tc, nodelist=range(N)) > 0)


@SETTINGS
@given(N=st.integers(1, 7), seed=st.integers(0, 2**32 - 1), with_source=st.booleans())
def test_bfs_step_equals_numpy(N, seed, with_source):
    """Theorem: bfs_step gives R' = R | S | ((R | S) @ A > 0) for every reached set R, source S and adjacency A."""
    b = CircuitBuilder()
    r = b.inputs(N, "r")
    A = np.array(b.inputs(N * N, "A")).reshape(N, N)
    s = b.inputs(N, "s") if with_source else None
    for l in bfs_step(b, r, A, s):
        b.output(l)
    c = b.build()
    if N >= 2:
        assert c.depth() == 2
    rng = np.random.default_rng(seed)
    R = rng.random((8, N)) < 0.3
    M = rng.random((8, N, N)) < 0.3
    S = np.eye(N, dtype=bool)[rng.integers(0, N, 8)] if with_source else np.zeros((8, N), bool)
    x = np.concatenate([R, M.reshape(8, -1)] + ([S] if with_source else []), axis=1)
    RS = R | S
    want = RS | (np.einsum("bu,buv->bv", RS.astype(int), M.astype(int)) > 0)
    assert np.array_equal(c.evaluate(x), want)


@pytest.mark.parametrize("targets", [0, 1, 2])
def test_reach_circuits_depth_and_layout(targets):
    N, k = 6, 2
    c = reach_squaring_circuit(N, k, targets)
    width = N * N + (N * (1 + targets) if targets else 0)
    assert c.n_inputs == width and c.n_outputs == 1
    assert c.depth() == 2 * k + (2 if targets else 1)
    lc = reach_bfs_looped(N, targets)
    assert lc.n_state == N + (1 if targets else 0) and lc.n_x == width and lc.step_depth() == (4 if targets else 3)
    for T in (1, 3, 5):
        assert lc.serial_depth(T) == 2 * T + (2 if targets else 1) == lc.unroll(T).depth()
