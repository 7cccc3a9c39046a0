"""SAT-certified minimum depth of small Boolean functions with fan-in-2 AND/OR gates (negations free).

Every fan-in-2 circuit of depth ``d`` unfolds into a formula of depth ``d``, and a shallower leaf
can be pushed down (``x = x AND x``), so a function has depth at most ``d`` exactly when a
*complete* binary tree of depth ``d`` computes it: ``2^d`` leaves, each an input, every edge with
a negation bit, every inner node an AND (an OR is an AND with negated edges). :func:`formula_of_depth`
asks a SAT solver (python-sat) for such a tree on every care pattern; :func:`certify_depth` raises
``d`` until one exists. The result is certified twice: the solver's UNSAT answers below ``d``
(the lower bound) and the tree found at ``d`` (or a given circuit), rebuilt and simulated on every
care pattern (the upper bound). When the solver cannot decide a depth in time, the certificate is
an interval. For several outputs the depth is the largest of theirs (an output's
depth does not depend on what the others share).

Symmetry breaking, sound for every function: at every inner node, the smallest input index among
the leaves of the left subtree is at most that of the right one (swapping the two subtrees of an
AND changes nothing, and the key of a subtree does not change under swaps inside it).

python-sat is a dev dependency: without it :func:`certify_depth` raises :class:`MinDepthUnavailable`.

Example
-------
>>> from serialcomp.testing.patterns import all_patterns
>>> p = all_patterns(3)
>>> r = certify_depth(p.sum(axis=1) % 2 == 1, name="parity3")
>>> r.min_depth, r.unsat, r.circuit.depth(fanin=2)          
(4, (0, 1, 2, 3), 4)
"""

from __future__ import annotations

import itertools
import threading
import time
from dataclasses import dataclass, field
from typing import Any, Sequence

import numpy as np

from .._validate import check_int
from ..errors import SerialcompError
from .patterns import all_patterns

__all__ = ["BASIS", "DepthCertificate", "MinDepthUnavailable", "formula_of_depth", "certify_depth"]

#: The basis of every certificate here.
BASIS = "AND/OR, fan-in 2, NOT free"
#: The SAT solver python-sat runs.
SOLVER = "cadical153"


class MinDepthUnavailable(SerialcompError):
    """python-sat is not installed, or the solver did not decide within the time limit."""


@dataclass(frozen=True)
class DepthCertificate:
    """Certified bounds on a function's fan-in-2 AND/OR depth (negations free).

    Attributes
    ----------
    name : str
    n_inputs : int
    lower : int
        No circuit of depth ``lower - 1`` exists: the solver answered UNSAT at every depth in
        :attr:`unsat` (``0 .. lower - 1``, for the output with the largest lower bound).
    upper : int
        The depth of :attr:`circuit`, which computes the function on every care pattern
        (checked by simulation).
    min_depth : int or None
        ``lower`` when it equals ``upper`` (the minimum is certified), else None.
    basis : str
        :data:`BASIS`.
    circuit : Circuit
        The upper-bound witness, one output per function.
    unsat : tuple of int
        The depths proven impossible.
    seconds : float
    """

    name: str
    n_inputs: int
    lower: int
    upper: int
    min_depth: int | None
    basis: str
    circuit: Any
    unsat: tuple[int, ...] = ()
    seconds: float = 0.0


def _solver_class() -> Any:
    try:
        from pysat.solvers import Solver
    except ImportError:  # pragma: no cover - python-sat is a dev dependency
        raise MinDepthUnavailable("SAT-certified depth needs python-sat (pip install 'serialcomp[dev]')") from None
    return Solver


def _encode(n: int, d: int, rows: np.ndarray, values: np.ndarray) -> tuple[list[list[int]], dict]:
    """CNF of "a complete depth-d tree of AND and pass nodes, with edge negations, maps rows to values".

    A pass node copies its left child (a subtree shallower than d); its right subtree is then
    fixed (every leaf input 0, no negation, every node a pass), its own negation is 0, and no AND
    node has two pass children (``AND(pass X, pass Y)`` is ``pass AND(X, Y)``), so each formula
    has few encodings.
    """
    ids: dict[Any, int] = {}

    def var(key: Any) -> int:
        if key not in ids:
            ids[key] = len(ids) + 1
        return ids[key]

    cls: list[list[int]] = []
    first_leaf = 1 << d
    leaves = range(first_leaf, 2 << d)
    inner = range(1, first_leaf)
    for l in leaves:  # each leaf selects exactly one input
        sel = [var(("s", l, i)) for i in range(n)]
        cls.append(sel)
        cls.extend([-a, -b] for a, b in itertools.combinations(sel, 2))
    for v in inner:  # a pass node: no negation of its own, its right subtree fixed
        p = var(("pass", v))
        cls.append([-p, -var(("neg", v))])
        stack = [2 * v + 1]
        while stack:
            u = stack.pop()
            cls.append([-p, -var(("neg", u))])
            if u >= first_leaf:
                cls.append([-p, var(("s", u, 0))])
            else:
                cls.append([-p, var(("pass", u))])
                stack += [2 * u, 2 * u + 1]
        if 2 * v < first_leaf:  # passes sit above the ANDs: no AND of two passes (it is a pass of an AND)
            cls.append([p, -var(("pass", 2 * v)), -var(("pass", 2 * v + 1))])
    for v in range((2 << d) - 1, 0, -1):  # m[v, i]: a real leaf below v selects an input <= i
        for i in range(n):
            m = var(("m", v, i))
            if v >= first_leaf:
                below = [var(("s", v, j)) for j in range(i + 1)]
                cls.append([-m] + below)
                cls.extend([m, -x] for x in below)
            else:
                ml, mr, p = var(("m", 2 * v, i)), var(("m", 2 * v + 1, i)), var(("pass", v))
                cls += [[-m, ml, mr], [-m, ml, -p], [m, -ml], [m, -mr, p]]
                cls.append([p, -mr, ml])  # an AND node: key(left) <= key(right)
    for r, (row, want) in enumerate(zip(rows, values)):
        for l in leaves:
            for i in range(n):
                cls.append([-var(("s", l, i)), var(("x", r, l)) if row[i] else -var(("x", r, l))])
        for v in range(1, 2 << d):  # o = x XOR neg: the node's value as its parent reads it
            o, x, g = var(("o", r, v)), var(("x", r, v)), var(("neg", v))
            cls += [[-o, x, g], [-o, -x, -g], [o, -x, g], [o, x, -g]]
        for v in inner:
            a, b, x, p = var(("o", r, 2 * v)), var(("o", r, 2 * v + 1)), var(("x", r, v)), var(("pass", v))
            cls += [[-x, a], [-x, b, p], [x, -a, -b], [x, -a, -p]]
        cls.append([var(("o", r, 1)) if want else -var(("o", r, 1))])
    return cls, ids


def _tree_circuit(b: Any, xs: Sequence[int], n: int, d: int, model: set[int], ids: dict) -> int:
    def lit(v: int) -> int:
        if v >= 1 << d:
            base = next(xs[i] for i in range(n) if ids[("s", v, i)] in model)
        elif ids[("pass", v)] in model:
            base = lit(2 * v)
        else:
            left, right = lit(2 * v), lit(2 * v + 1)
            base = left if left == right else b.and_(left, right)
        return base ^ int(ids[("neg", v)] in model)

    return lit(1)


def _constant_or_literal(n: int, rows: np.ndarray, values: np.ndarray) -> int | None:
    """The literal (input*2 + negated, or 0/1 for a constant) equal to the function on ``rows``."""
    if values.all() or not values.any():
        return int(values.all()) if len(values) else 0
    for i in range(n):
        if (rows[:, i] == values).all():
            return 2 * i
        if (rows[:, i] != values).all():
            return 2 * i + 1
    return None


def formula_of_depth(truth: Any, d: int, care: Any = None, *, time_limit: float | None = None) -> tuple[bool, Any]:
    """Whether some fan-in-2 AND/OR circuit of depth ``d`` computes ``truth`` on the care patterns.

    Parameters
    ----------
    truth : bool array ``(2^n,)``
        Entry ``k`` is the value on the pattern whose bit ``j`` is bit ``j`` of ``k``.
    d : int
    care : bool array ``(2^n,)``, optional
        Patterns that matter (default: all).
    time_limit : float, optional
        Seconds before the solver is interrupted (then :class:`MinDepthUnavailable` is raised).

    Returns
    -------
    (exists, circuit)
        ``circuit``: a one-output AIG of depth at most ``d`` when it exists, else None.

    Example
    -------
    >>> from serialcomp.testing.patterns import all_patterns
    >>> formula_of_depth(all_patterns(2).all(axis=1), 1)[0]
    True
    """
    from ..ir.builder import CircuitBuilder

    t = np.asarray(truth, dtype=bool).reshape(-1)
    n = t.size.bit_length() - 1
    if t.size < 2 or 1 << n != t.size:
        raise SerialcompError(f"formula_of_depth: a truth table needs 2^n entries (n >= 1), got {t.size}")
    c = np.ones_like(t) if care is None else np.asarray(care, dtype=bool).reshape(-1)
    d = check_int("d", d, 0, 12, where="formula_of_depth", error=SerialcompError)
    rows, values = all_patterns(n)[c], t[c]
    b = CircuitBuilder()
    xs = b.inputs(n)
    direct = _constant_or_literal(n, rows, values)
    if direct is not None:
        b.output(direct if direct < 2 else xs[direct // 2] ^ (direct & 1))
        return True, b.build()
    if d == 0:
        return False, None
    cls, ids = _encode(n, d, rows, values)
    with _solver_class()(name=SOLVER, bootstrap_with=cls) as s:
        timer = None
        if time_limit is not None:
            timer = threading.Timer(time_limit, s.interrupt)
            timer.start()
        try:
            found = s.solve_limited(expect_interrupt=True) if timer else s.solve()
        finally:
            if timer is not None:
                timer.cancel()
        if found is None:
            raise MinDepthUnavailable(f"the SAT solver did not decide depth {d} within {time_limit} s")
        if not found:
            return False, None
        model = {v for v in s.get_model() if v > 0}
    b.output(_tree_circuit(b, xs, n, d, model, ids))
    return True, b.build()


def certify_depth(truths: Any, care: Any = None, *, name: str = "", upper: Any = None, prove_up_to: int | None = None,
                  max_depth: int = 8, time_limit: float | None = 120.0) -> DepthCertificate:
    """Certified bounds on the fan-in-2 AND/OR depth (negations free) of one function or of several outputs.

    For each output, depths ``0, 1, 2, ...`` are tried in turn: an UNSAT answer raises the lower
    bound, a tree found by the solver (or the output's depth in ``upper``, when that is reached
    first) is the upper bound. The minimum is certified when the two meet.

    Parameters
    ----------
    truths : bool array ``(2^n,)`` or ``(outputs, 2^n)``
    care : bool array ``(2^n,)``, optional
        Patterns that matter (default: all); the others are don't-cares.
    name : str
    upper : Circuit, optional
        A known circuit with ``n`` inputs and one output per truth table (any gates the fan-in-2
        depth view counts), simulated on every care pattern before it is used.
    prove_up_to : int, optional
        Ask the solver about depths up to this one only; above it the bound comes from ``upper``
        (so the result may be an interval).
    max_depth : int
        Give up above this depth (MinDepthUnavailable).
    time_limit : float, optional
        Seconds per SAT call (MinDepthUnavailable when the solver does not decide in time).

    Returns
    -------
    DepthCertificate

    Raises
    ------
    MinDepthUnavailable
        No python-sat, no decision in time, or no upper bound found up to ``max_depth``.

    Notes
    -----
    The CNF for depth ``d`` has ``O(2^d n)`` selection variables and ``O(2^d)`` clauses per care
    pattern; up to depth 4 on 5 inputs the solver answers within seconds, depth 5 on 5 or 6
    inputs takes from seconds (a tree exists) to more than ten minutes (parity of 5 bits).

    Example
    -------
    >>> from serialcomp.testing.patterns import all_patterns
    >>> r = certify_depth(all_patterns(3).sum(axis=1) >= 2, name="maj3")
    >>> r.min_depth, r.unsat, r.basis                                   
    (3, (0, 1, 2), 'AND/OR, fan-in 2, NOT free')
    """
    from ..ir.builder import CircuitBuilder
    from .reference import evaluate_reference

    t0 = time.perf_counter()
    tt = np.atleast_2d(np.asarray(truths, dtype=bool))
    n = tt.shape[1].bit_length() - 1
    c = np.ones(tt.shape[1], dtype=bool) if care is None else np.asarray(care, dtype=bool).reshape(-1)
    rows = all_patterns(n)[c]
    given: list[int | None] = [None] * len(tt)
    if upper is not None:
        if upper.n_inputs != n or upper.n_outputs != len(tt):
            raise SerialcompError(f"{name}: the upper-bound circuit needs {n} inputs and {len(tt)} outputs")
        if not (evaluate_reference(upper, rows) == tt[:, c].T).all():
            raise SerialcompError(f"{name}: the upper-bound circuit does not compute the function")
        given = list(upper.output_depths(fanin=2).values())
    lowers, uppers, trees = [], [], []
    for j, truth in enumerate(tt):
        d, tree = 0, None
        while True:
            if given[j] is not None and d >= given[j]:
                break
            if (prove_up_to is not None and d > prove_up_to) or d > max_depth:
                if given[j] is None:
                    raise MinDepthUnavailable(f"{name or 'function'}: output {j}: no circuit of depth <= {d - 1}, "
                                              "and no upper bound given")
                break
            ok, circ = formula_of_depth(truth, d, c, time_limit=time_limit)
            if ok:
                tree = circ
                break
            d += 1
        lowers.append(d)
        uppers.append(d if tree is not None else int(given[j]))  # type: ignore[arg-type]
        trees.append(tree)
    b = CircuitBuilder()
    xs = b.inputs(n)
    for j, tree in enumerate(trees):
        if tree is not None:
            b.output(b.copy_from(tree, xs)[0])
        else:
            b.output(b.copy_from(upper.with_outputs([upper.outputs[j]]), xs)[0])
    circuit = b.build()
    if not (evaluate_reference(circuit, rows) == tt[:, c].T).all():  # pragma: no cover - would be a bug
        raise SerialcompError(f"{name or 'function'}: the certificate circuit does not verify by simulation")
    lo, hi = max(lowers), max(uppers)
    deepest = int(np.argmax(lowers))
    return DepthCertificate(name, n, lo, hi, lo if lo == hi else None, BASIS, circuit,
                            tuple(range(lowers[deepest])), round(time.perf_counter() - t0, 3))
