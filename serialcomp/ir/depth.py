"""Depth of a circuit: levels per node, depth per output, critical paths.

The default convention counts gate nodes (AND, OR, XOR, MAJ, THR, MOD) along the longest
input-to-output path; negations (edge literals), buffers and constants cost nothing.  On an AIG
this is ABC's ``lev`` from ``&ps``/``print_stats``.  Two variants are options:

* ``fanin=k`` charges a gate of fan-in ``f`` with ``ceil(log_k f)`` levels: the depth of the
  circuit once every gate is replaced by a balanced tree of fan-in-``k`` gates (the bounded fan-in,
  NC view).  A gate of fan-in 0 or 1 costs 0.
* ``count_inverters=True`` charges explicit NOT/BUF nodes (``BUF`` kind, as read from BENCH) one
  level each, as in the ISCAS "levels" column.  Complemented edges (AIGER inverters, the output
  inversion of NAND/NOR/XNOR) stay free.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from .._jit import jit
from .._validate import check_int
from ..errors import ProblemParameterError, SerialcompError
from .gates import GateKind

if TYPE_CHECKING:  # pragma: no cover
    from .circuit import Circuit

__all__ = ["node_costs", "levels", "depth", "critical_path"]


def node_costs(circuit: "Circuit", fanin: int | None = None, count_inverters: bool = False) -> np.ndarray:
    """Levels charged to each node under the chosen convention, shape (n_nodes,), int64.

    Example
    -------
    >>> from serialcomp.ir import CircuitBuilder
    >>> b = CircuitBuilder(); xs = b.inputs(5)
    >>> b.output(b.and_(*xs)); node_costs(b.build(), fanin=2).tolist()
    [0, 0, 0, 0, 0, 0, 3]
    """
    kind = circuit.kind
    is_gate = kind >= GateKind.AND
    if fanin is None:
        cost = is_gate.astype(np.int64)
    else:
        fanin = check_int("fanin", fanin, 2, where="depth", error=ProblemParameterError)
        f = circuit.fanin_counts
        cost = np.zeros(len(kind), np.int64)
        power = np.ones(len(kind), dtype=object) if fanin > 2**20 else np.ones(len(kind), np.int64)
        active = is_gate & (f > 1)
        while np.any(active & (power < f)):
            step = active & (power < f)
            cost += step
            power = np.where(step, power * int(fanin), power)
    if count_inverters:
        cost = cost + (kind == GateKind.BUF)
    return cost


@jit
def _levels_kernel(fanin_ptr, fanin, cost, start):  # pragma: no cover - compiled
    n = cost.shape[0]
    lv = np.zeros(n, np.int64)
    for v in range(n):
        m = 0
        for e in range(fanin_ptr[v], fanin_ptr[v + 1]):
            u = fanin[e] >> 1
            if lv[u] > m:
                m = lv[u]
        lv[v] = max(m + cost[v], start[v])
    return lv


def _levels_reference(circuit: "Circuit", cost: np.ndarray) -> list[int]:
    """Naive reference for :func:`_levels_kernel`: the recursive definition, memoised."""
    memo: dict[int, int] = {}
    for v in range(circuit.n_nodes):  # increasing order makes the recursion one level deep
        fan = [memo[int(l) >> 1] for l in circuit.fanins(v)]
        memo[v] = int(cost[v]) + (max(fan) if fan else 0)
    return [memo[v] for v in range(circuit.n_nodes)]


def levels(
    circuit: "Circuit",
    fanin: int | None = None,
    count_inverters: bool = False,
    input_levels: "np.ndarray | None" = None,
) -> np.ndarray:
    """Level of every node: the cost of the costliest path from an input or constant to it.

    Parameters
    ----------
    circuit : Circuit
    fanin : int, optional
        Charge ``ceil(log_fanin f)`` per gate of fan-in ``f`` instead of 1.
    count_inverters : bool
        Charge explicit NOT/BUF nodes one level.
    input_levels : array of int, shape (n_inputs,), optional
        Levels at which the inputs arrive (default 0): used to chain the steps of a looped circuit.

    Returns
    -------
    numpy.ndarray of int64, shape (n_nodes,)

    Notes
    -----
    One pass over the edges in topological order: O(nodes + edges).

    Example
    -------
    >>> from serialcomp.ir import CircuitBuilder
    >>> b = CircuitBuilder(); x, y, z = b.inputs(3)
    >>> g = b.or_(b.and_(x, y), z); b.output(g)
    >>> levels(b.build()).tolist()
    [0, 0, 0, 0, 1, 2]
    """
    cost = node_costs(circuit, fanin=fanin, count_inverters=count_inverters)
    start = np.zeros(circuit.n_nodes, np.int64)
    if input_levels is not None:
        given = np.asarray(input_levels, np.int64).reshape(-1)
        if len(given) != circuit.n_inputs:
            raise SerialcompError(f"input_levels has {len(given)} entries for {circuit.n_inputs} inputs")
        start[1 : circuit.n_inputs + 1] = given
    return _levels_kernel(circuit.fanin_ptr, circuit.fanin, cost, start)


def depth(circuit: "Circuit", fanin: int | None = None, count_inverters: bool = False) -> int:
    """Longest input-to-output path, in levels (0 for a circuit whose outputs are inputs or constants).

    Example
    -------
    >>> from serialcomp.ir import CircuitBuilder
    >>> b = CircuitBuilder(); xs = b.inputs(8)
    >>> b.output(b.xor(*xs)); c = b.build()
    >>> depth(c), depth(c, fanin=2), depth(c, fanin=3)
    (1, 3, 2)
    """
    if circuit.n_outputs == 0:
        return 0
    lv = levels(circuit, fanin=fanin, count_inverters=count_inverters)
    return int(lv[circuit.outputs >> 1].max())


def critical_path(circuit: "Circuit", fanin: int | None = None, count_inverters: bool = False) -> list[int]:
    """Nodes of one longest path, from its source (an input or the constant) to a deepest output.

    Among equally deep outputs and fan-ins the first is taken, so the result is deterministic.

    Example
    -------
    >>> from serialcomp.ir import CircuitBuilder
    >>> b = CircuitBuilder(); x, y, z = b.inputs(3)
    >>> b.output(b.or_(b.and_(x, y), z)); critical_path(b.build())
    [1, 4, 5]
    """
    if circuit.n_outputs == 0:
        return []
    cost = node_costs(circuit, fanin=fanin, count_inverters=count_inverters)
    lv = _levels_kernel(circuit.fanin_ptr, circuit.fanin, cost, np.zeros(circuit.n_nodes, np.int64))
    out_nodes = circuit.outputs >> 1
    v = int(out_nodes[int(np.argmax(lv[out_nodes]))])
    path = [v]
    while circuit.fanin_ptr[v + 1] > circuit.fanin_ptr[v]:
        fan = circuit.fanins(v) >> 1
        want = lv[v] - cost[v]
        v = int(fan[int(np.argmax(lv[fan] == want))])
        path.append(v)
    return path[::-1]
