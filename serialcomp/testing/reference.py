"""Naive pure-Python circuit evaluation: the reference every simulator kernel is checked against.

Nothing here is fast and nothing here is clever: one pattern at a time, one node at a time, each
gate through :func:`serialcomp.ir.gates.evaluate_gate` (the gate table's own rule).  That is the
point: the compiled, bit-parallel simulator in :mod:`serialcomp.sim` must agree with it.

Example
-------
>>> import numpy as np
>>> from serialcomp.ir import CircuitBuilder
>>> b = CircuitBuilder(); x, y, z = b.inputs(3)
>>> b.output(b.maj(x, y, z)); b.output(b.xor(x, y ^ 1))
>>> evaluate_reference(b.build(), np.array([[1, 1, 0], [0, 0, 1]], bool)).astype(int).tolist()
[[1, 1], [0, 1]]
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np

from ..errors import SimulationInputError
from ..ir.gates import GateKind, evaluate_gate

if TYPE_CHECKING:  # pragma: no cover
    from ..ir.circuit import Circuit
    from ..ir.looped import LoopedCircuit

__all__ = ["evaluate_reference", "evaluate_reference_nodes", "as_pattern_array", "run_looped_reference"]


def as_pattern_array(patterns: Any, n_inputs: int) -> np.ndarray:
    """Check and convert 0/1 patterns to a bool array of shape (batch, n_inputs).

    Accepts bool arrays and integer arrays holding only 0 and 1 (anything array-like).

    Raises
    ------
    SimulationInputError
        If the array is not 2-D with ``n_inputs`` columns, or holds values other than 0/1.

    Example
    -------
    >>> as_pattern_array([[0, 1], [1, 1]], 2).tolist()
    [[False, True], [True, True]]
    """
    arr = np.asarray(patterns)
    if arr.ndim != 2 or arr.shape[1] != n_inputs:
        raise SimulationInputError(
            f"expected patterns of shape (batch, n_inputs={n_inputs}), got shape {arr.shape}"
        )
    if arr.dtype == np.bool_:
        return arr
    if arr.dtype.kind not in "iu":
        raise SimulationInputError(f"expected bool (or 0/1 integer) patterns, got dtype {arr.dtype}")
    if arr.size and (arr.min() < 0 or arr.max() > 1):
        raise SimulationInputError("integer patterns must hold only 0 and 1")
    return arr.astype(bool)


def evaluate_reference_nodes(circuit: "Circuit", patterns: Any) -> np.ndarray:
    """Value of every node on every pattern, by the definition.

    Parameters
    ----------
    circuit : Circuit
    patterns : array-like of bool, shape (batch, n_inputs)
        Input ``k`` (node ``k + 1``) of pattern ``p`` is ``patterns[p, k]``.

    Returns
    -------
    numpy.ndarray of bool, shape (batch, n_nodes)
        Column ``v`` is the value of node ``v`` (column 0, the constant node, is False).

    Notes
    -----
    O(batch * (nodes + edges)) Python operations: for small circuits and tests only.

    Example
    -------
    >>> import numpy as np
    >>> from serialcomp.ir import CircuitBuilder
    >>> b = CircuitBuilder(); x, y = b.inputs(2); b.output(b.or_(x, y))
    >>> evaluate_reference_nodes(b.build(), np.array([[0, 1]], bool)).astype(int).tolist()
    [[0, 0, 1, 1]]
    """
    pats = as_pattern_array(patterns, circuit.n_inputs)
    kinds = [GateKind(int(k)) for k in circuit.kind]
    ptr = circuit.fanin_ptr.tolist()
    fan = circuit.fanin.tolist()
    wts = circuit.weight.tolist()
    prm = circuit.param.tolist()
    n_in = circuit.n_inputs
    result = np.zeros((len(pats), circuit.n_nodes), bool)
    for p, row in enumerate(pats.tolist()):
        val = [0] * circuit.n_nodes
        for v in range(1, circuit.n_nodes):
            if v <= n_in:
                val[v] = int(row[v - 1])
                continue
            lits = fan[ptr[v] : ptr[v + 1]]
            xs = [val[l >> 1] ^ (l & 1) for l in lits]
            val[v] = int(evaluate_gate(kinds[v], xs, wts[ptr[v] : ptr[v + 1]], prm[v]))
        result[p] = val
    return result


def evaluate_reference(circuit: "Circuit", patterns: Any) -> np.ndarray:
    """Output values of ``circuit`` on bool patterns, by the definition of every gate.

    Parameters
    ----------
    circuit : Circuit
    patterns : array-like of bool, shape (batch, n_inputs)

    Returns
    -------
    numpy.ndarray of bool, shape (batch, n_outputs)

    Notes
    -----
    O(batch * (nodes + edges)) Python operations.  The compiled simulator
    (:class:`serialcomp.sim.CompiledCircuit`) is tested against this function.

    Example
    -------
    >>> import numpy as np
    >>> from serialcomp.ir import CircuitBuilder
    >>> b = CircuitBuilder(); xs = b.inputs(3)
    >>> b.output(b.thr(xs, [2, -1, 1], 2)); b.output(b.mod(xs, 3))
    >>> evaluate_reference(b.build(), np.array([[1, 1, 0], [0, 0, 0]], bool)).astype(int).tolist()
    [[0, 0], [0, 1]]
    """
    nodes = evaluate_reference_nodes(circuit, patterns)
    out = circuit.outputs
    return nodes[:, out >> 1] ^ (out & 1).astype(bool)


def run_looped_reference(looped: "LoopedCircuit", x: Any, steps: int | None = None, halt: bool = False) -> dict[str, np.ndarray]:
    """A looped circuit run by the definition: one step at a time, every step through :func:`evaluate_reference`.

    The reference of :class:`serialcomp.sim.LoopedSimulator` (same arguments as its ``run``).

    Returns
    -------
    dict
        ``outputs``, ``state``, ``steps``, ``halted``, as the fields of
        :class:`serialcomp.sim.LoopRun`: a lane halts (``halt=True``, loop mode) at the first step
        ``t`` whose next state equals its state, and reports ``t`` steps used; a lane that never
        halts reports ``steps``.

    Notes
    -----
    O(T * batch * (nodes + edges)) Python operations: for small circuits and tests only.

    Example
    -------
    >>> import numpy as np
    >>> from serialcomp.ir import CircuitBuilder, LoopedCircuit
    >>> b = CircuitBuilder(); s, x = b.input("s"), b.input("x"); b.output(b.or_(s, x), "s'")
    >>> r = run_looped_reference(LoopedCircuit(b.build(), 1, mode="loop"), [[0], [1]], steps=4, halt=True)
    >>> r["steps"].tolist(), r["halted"].tolist()
    ([0, 1], [True, True])
    """
    x = np.asarray(x).astype(bool)
    L, batch = looped.n_state, x.shape[0]
    stream = looped.mode == "stream"
    T = x.shape[1] if stream else int(steps)  # type: ignore[arg-type]
    state = np.tile(np.array(looped.init, bool), (batch, 1))
    used = np.full(batch, T, np.int64)
    done = np.zeros(batch, bool)
    ys = []
    y = np.zeros((batch, looped.n_y), bool)
    for t in range(T):
        xt = x[:, t, :] if stream else x
        out = evaluate_reference(looped.step, np.concatenate([state, xt], axis=1))
        nxt, y = out[:, :L], out[:, L:]
        if stream:
            ys.append(y)
        elif halt:
            newly = ~done & np.all(nxt == state, axis=1)
            used[newly] = t
            done |= newly
        state = nxt
    if stream:
        outputs = np.stack(ys, axis=1) if ys else np.zeros((batch, 0, looped.n_y), bool)
    elif looped.readout is not None:
        outputs = evaluate_reference(looped.readout, state)
    else:
        outputs = y
    return {"outputs": outputs, "state": state, "steps": used, "halted": done if (halt and not stream) else np.ones(batch, bool)}
