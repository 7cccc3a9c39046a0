"""Boolean matrix products, reflexive closure by repeated squaring, and the BFS step.

Matrices are numpy ``int64`` arrays of literals (``2*node + neg``; ``0`` is false, ``1`` true) of
a :class:`~serialcomp.ir.CircuitBuilder`.  Constants are folded: a product term with a false
factor is dropped, a true factor is left out, so ``A OR I`` costs nothing (its diagonal is the
literal ``TRUE``).

The two reachability circuits at the end take the bits of
:meth:`serialcomp.problems.reach.GraphProblem.encode_bits`: the adjacency matrix row-major
(``A[u,v]`` is bit ``u*N + v``), then the source one-hot ``s`` and ``targets`` target one-hots
``t0, t1, ...`` (``N`` bits each).  Their single output is

* ``targets >= 1``: whether ``s`` reaches the *last* target (``reach:path`` / ``reach:random``:
  the target; ``reach:flower``: ``[s reaches t2]``, which under the promise is the index of the
  connected target);
* ``targets == 0``: whether every node is reachable from node 0 (``reach:cycles``: one cycle).
"""

from __future__ import annotations

from typing import Sequence

import numpy as np

from ..._validate import check_int
from ...errors import CircuitStructureError
from ...ir.builder import FALSE, TRUE, CircuitBuilder
from ...ir.circuit import Circuit
from ...ir.looped import LoopedCircuit

__all__ = [
    "bool_matmul",
    "closure_squarings",
    "reflexive_closure",
    "bfs_step",
    "reach_squaring_circuit",
    "reach_bfs_looped",
]


def _or_of_ands(b: CircuitBuilder, pairs: Sequence[tuple[int, int]]) -> int:
    """``OR_k (x_k AND y_k)`` with constants folded; a lone surviving literal gets no OR gate."""
    terms: dict[int, None] = {}
    for x, y in pairs:
        if x == FALSE or y == FALSE or x == y ^ 1:
            continue
        if x == TRUE or x == y:
            t = y
        elif y == TRUE:
            t = x
        else:
            t = b.and_(x, y)
        if t == TRUE:
            return TRUE
        terms[t] = None
    if not terms:
        return FALSE
    if len(terms) == 1:
        return next(iter(terms))
    return b.or_(*terms)


def bool_matmul(b: CircuitBuilder, A: np.ndarray, B: np.ndarray, symmetric: bool = False) -> np.ndarray:
    """Boolean matrix product ``C[i, j] = OR_k (A[i, k] AND B[k, j])`` of literal matrices.

    Parameters
    ----------
    b : CircuitBuilder
    A, B : int array, shapes (m, k) and (k, p)
        Literals of ``b``.
    symmetric : bool
        Promise that the product is symmetric (e.g. ``A = B`` symmetric): only ``i <= j`` is built
        and mirrored.

    Returns
    -------
    int64 array, shape (m, p)
        Literals of the product.

    Notes
    -----
    Depth: 2 above the deepest factor (an AND layer, then one unbounded fan-in OR per entry);
    an entry whose terms fold to a single literal gets no gate.  Size: at most ``m*p*k`` ANDs
    plus ``m*p`` ORs (half with ``symmetric``).

    Example
    -------
    >>> b = CircuitBuilder()
    >>> A = np.array(b.inputs(4)).reshape(2, 2)
    >>> C = bool_matmul(b, A, A)
    >>> for i in range(2):
    ...     for j in range(2):
    ...         b.output(int(C[i, j]))
    >>> b.build().evaluate(np.array([[0, 1, 1, 0]], bool)).astype(int).tolist()
    [[1, 0, 0, 1]]
    """
    A = np.asarray(A, dtype=np.int64)
    B = np.asarray(B, dtype=np.int64)
    if A.ndim != 2 or B.ndim != 2 or A.shape[1] != B.shape[0]:
        raise CircuitStructureError(f"bool_matmul: shapes {A.shape} and {B.shape} do not chain")
    m, k = A.shape
    p = B.shape[1]
    a_rows = A.tolist()
    b_cols = B.T.tolist()
    C = np.zeros((m, p), dtype=np.int64)
    for i in range(m):
        for j in range(i if symmetric else 0, p):
            C[i, j] = _or_of_ands(b, list(zip(a_rows[i], b_cols[j])))
            if symmetric and j < m and i < p:
                C[j, i] = C[i, j]
    return C


def closure_squarings(max_distance: int) -> int:
    """Squarings of ``A OR I`` that reach every distance up to ``max_distance``: ``ceil(log2 d)``.

    Example
    -------
    >>> [closure_squarings(d) for d in (1, 2, 3, 4, 5, 8, 9)]
    [0, 1, 2, 2, 3, 3, 4]
    """
    d = check_int("max_distance", max_distance, 0, where="closure_squarings", error=CircuitStructureError)
    return max(d - 1, 0).bit_length()


def reflexive_closure(b: CircuitBuilder, A: np.ndarray, squarings: int, symmetric: bool = False) -> np.ndarray:
    """``(A OR I)^(2^squarings)``: entry ``(u, v)`` is whether a path of at most ``2^squarings`` edges leads u -> v.

    Parameters
    ----------
    b : CircuitBuilder
    A : int array, shape (N, N)
        Adjacency literals (the diagonal is ignored: it becomes ``TRUE``).
    squarings : int
        Number of squarings; ``closure_squarings(N - 1)`` gives the full reflexive-transitive closure.
    symmetric : bool
        Promise that ``A`` is symmetric (undirected graph): only the upper triangle is read and built.

    Notes
    -----
    Depth ``2 * squarings`` when ``N >= 3`` (each squaring: an AND layer and an OR layer; the
    diagonal stays the constant ``TRUE``).  Size per squaring: ``N (N-1) (N-2)`` ANDs and
    ``N (N-1)`` ORs (halved with ``symmetric``).

    Example
    -------
    >>> b = CircuitBuilder()
    >>> A = np.array(b.inputs(9)).reshape(3, 3)
    >>> C = reflexive_closure(b, A, 1)
    >>> b.output(int(C[0, 2]))
    >>> c = b.build()
    >>> c.depth(), c.evaluate(np.eye(3, k=1, dtype=bool).reshape(1, 9)).tolist()
    (2, [[True]])
    """
    A = np.asarray(A, dtype=np.int64)
    if A.ndim != 2 or A.shape[0] != A.shape[1]:
        raise CircuitStructureError(f"reflexive_closure: A must be square, got shape {A.shape}")
    N = len(A)
    M = np.triu(A, 1) + np.triu(A, 1).T if symmetric else A.copy()
    np.fill_diagonal(M, TRUE)
    for _ in range(check_int("squarings", squarings, 0, where="reflexive_closure", error=CircuitStructureError)):
        M = bool_matmul(b, M, M, symmetric=symmetric)
        np.fill_diagonal(M, TRUE)
    return M.reshape(N, N)


def bfs_step(
    b: CircuitBuilder, reached: Sequence[int], A: np.ndarray, source: Sequence[int] | None = None
) -> list[int]:
    """One BFS round: ``reached'[v] = reached[v] OR source[v] OR exists u: (reached[u] OR source[u]) AND A[u, v]``.

    Parameters
    ----------
    b : CircuitBuilder
    reached : sequence of N literals
    A : int array, shape (N, N)
        Adjacency literals.
    source : sequence of N literals, optional
        A one-hot source folded into the round (so from ``reached = 0`` one round gives the
        source and its out-neighbours).

    Notes
    -----
    Depth 2 above ``reached`` (one AND layer, one OR per node; ``source AND A`` is also 1 above
    the inputs).  Size: ``N (N-1)`` ANDs per operand (``reached``, ``source``) plus ``N`` ORs.

    Example
    -------
    >>> b = CircuitBuilder()
    >>> r = b.inputs(3, "r"); A = np.array(b.inputs(9, "A")).reshape(3, 3)
    >>> for l in bfs_step(b, r, A):
    ...     b.output(l)
    >>> x = np.array([[1, 0, 0] + np.eye(3, k=1, dtype=int).ravel().tolist()], bool)
    >>> b.build().evaluate(x).astype(int).tolist()
    [[1, 1, 0]]
    """
    A = np.asarray(A, dtype=np.int64)
    N = len(A)
    srcs = [list(reached)] + ([list(source)] if source is not None else [])
    out = []
    for v in range(N):
        pairs = [(vec[v], TRUE) for vec in srcs]
        pairs += [(vec[u], int(A[u, v])) for vec in srcs for u in range(N) if u != v]
        out.append(_or_of_ands(b, pairs))
    return out


def _reach_inputs(b: CircuitBuilder, N: int, targets: int) -> tuple[np.ndarray, list[int], list[list[int]]]:
    A = np.array([b.input(f"A[{u},{v}]") for u in range(N) for v in range(N)], dtype=np.int64).reshape(N, N)
    s = b.input_bus("s", N) if targets else []
    ts = [b.input_bus(f"t{k}", N) for k in range(targets)]
    return A, s, ts


def reach_squaring_circuit(num_nodes: int, squarings: int, targets: int = 1, undirected: bool = False) -> Circuit:
    """Reachability by ``squarings`` squarings of ``A OR I``, then a readout (see the module docstring).

    Parameters
    ----------
    num_nodes : int
        ``N``; inputs ``N*N + (N*(1 + targets) if targets else 0)`` bits.
    squarings : int
        ``k``: paths of at most ``2^k`` edges are found; ``closure_squarings(N - 1)`` is exact.
    targets : int
        Number of target one-hots (0, 1 or 2).
    undirected : bool
        Read only the upper triangle of ``A`` (symmetric inputs) and build half the closure.

    Notes
    -----
    Depth ``2k + 2`` with targets (readout ``OR_{u,v} (s_u AND t_v AND C_uv)``), ``2k + 1``
    without (``AND_v C_0v``), for ``N >= 3``.  Size about ``k N^3`` (``k N^3 / 2`` undirected)
    plus ``N^2`` readout gates.

    Example
    -------
    >>> c = reach_squaring_circuit(4, 2)
    >>> c.n_inputs, c.depth()
    (24, 6)
    """
    b = CircuitBuilder()
    N = check_int("num_nodes", num_nodes, 1, where="reach_squaring_circuit", error=CircuitStructureError)
    A, s, ts = _reach_inputs(b, N, targets)
    C = reflexive_closure(b, A, squarings, symmetric=undirected)
    if targets:
        t = ts[-1]
        terms = [b.and_(s[u], t[v], int(C[u, v])) for u in range(N) for v in range(N) if C[u, v] != FALSE]
        b.output(b.or_(*terms), "reach")
    else:
        b.output(b.and_(*(int(C[0, v]) for v in range(1, N))), "connected")
    return b.build()


def reach_bfs_looped(num_nodes: int, targets: int = 1) -> LoopedCircuit:
    """Loop-mode BFS: the state is the reached set (and, with targets, a "target hit" bit).

    With targets the state starts empty and the source is folded into each step, so after ``t >= 1``
    steps the reached set is the set of nodes at distance ``<= t`` from ``s``, until a target is
    reached: the ``hit`` bit then freezes the state, so fixed-point halting stops a lane as soon as
    the answer is known. Without targets the state starts as ``{0}`` and after ``t`` steps is the
    ball of radius ``t`` around node 0.  The output ``y`` reads the *next* reached set (the module
    docstring says what it is).

    Notes
    -----
    Step depth 2 on the state path: ``reached'[v] = reached[v] OR (NOT hit AND (s[v] OR exists u:
    (reached[u] OR s[u]) AND A[u, v]))`` is one layer of 3-input ANDs and one OR, and ``hit'`` (any
    target in that set, or ``hit``) is the same shape.  ``y`` adds 2 (``OR_v (reached'_v AND t_v)``)
    with targets, 1 (``AND_v reached'_v``) without, so ``T`` steps have serial depth ``2T + 2``
    (``2T + 1``).  Under fixed-point halting a lane uses ``max(1, d)`` steps with targets, where
    ``d`` is the distance from ``s`` to the nearest reachable target, or, when no target is
    reachable, the largest distance from ``s`` to a node it reaches; without targets ``ecc(0)``.
    The fixed point is detected in the step after that, so ``T`` must exceed it.  Step size about
    ``2 N^2 (1 + targets)`` ANDs and ``N + 1`` ORs (``N (N-1)`` ANDs and ``N`` ORs without targets).

    Example
    -------
    >>> lc = reach_bfs_looped(4)
    >>> lc.n_state, lc.n_x, lc.serial_depth(4)
    (5, 24, 10)
    """
    b = CircuitBuilder()
    N = check_int("num_nodes", num_nodes, 1, where="reach_bfs_looped", error=CircuitStructureError)
    reached = b.input_bus("reached", N)
    if not targets:
        A, _, _ = _reach_inputs(b, N, targets)
        nxt = bfs_step(b, reached, A)
        for v, l in enumerate(nxt):
            b.output(l, f"reached'[{v}]")
        b.output(b.and_(*nxt), "connected")
        return LoopedCircuit(b.build(), n_state=N, init=[1] + [0] * (N - 1), mode="loop")
    hit = b.input("hit")
    A, s, ts = _reach_inputs(b, N, targets)
    go = b.not_(hit)
    # grow[v]: the literals whose AND (with `go`) puts v into the next set; folded constants dropped.
    grow = [[(s[v],)] + [(vec[u], int(A[u, v])) for vec in (reached, s) for u in range(N) if u != v]
            for v in range(N)]

    def term(lits: tuple[int, ...], *extra: int) -> int:
        lits = tuple(l for l in lits + extra if l != TRUE)
        return FALSE if FALSE in lits else (lits[0] if len(lits) == 1 else b.and_(*lits))

    nxt = []
    for v in range(N):
        terms = [reached[v]] + [term(g, go) for g in grow[v]]
        nxt.append(b.or_(*[t for t in terms if t != FALSE]))
    hit_terms = [hit]
    for t in ts:
        for v in range(N):
            hit_terms.append(term((reached[v],), t[v]))
            hit_terms += [term(g, t[v]) for g in grow[v]]
    for v, l in enumerate(nxt):
        b.output(l, f"reached'[{v}]")
    b.output(b.or_(*[t for t in hit_terms if t != FALSE]), "hit'")
    t = ts[-1]
    b.output(b.or_(*(b.and_(nxt[v], t[v]) for v in range(N))), "reach")
    return LoopedCircuit(b.build(), n_state=N + 1, mode="loop")
