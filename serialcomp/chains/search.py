"""Search processes that emit traces, in the trace conventions of "Let Me Think!" (its ``mission.py``).

A *chain* searches the graph from the source for a target, writing a trace: the list of nodes it
writes, whose *length* is ``len(trace) - 1`` (the paper's count, ``len(search) - 1`` in its
``gen.py``). The strategies:

``dfs``
    Depth-first search with random neighbour order, the paper's ``dfs``: at every step the top of
    the stack is written (so backtracking writes the parent again); an unvisited neighbour is
    drawn uniformly at random and pushed, else the top is popped. Its s-t path is the stack when
    it arrives (the paper's ``path``); :meth:`Trace.first_visits` gives the paper's ``dfs-pruned``.
``bfs``
    Breadth-first search, the paper's ``bfs``: the nodes in the order they are dequeued; each node's
    unvisited neighbours are enqueued in random order (the paper enqueues them in networkx's
    insertion order, a fixed order of its unlabelled construction). Its s-t path follows the
    parents (the node that first enqueued each node): always a shortest path.
``walk``
    A random walk, the paper's ``random``: a uniformly random neighbour at every step, until it
    hits the target. Its s-t path is the walk itself.
``shortest``
    The oracle, the paper's ``optimal``: a shortest path (BFS parents, neighbours ascending).

A *budget* ``L`` caps the trace at ``L`` moves (``L + 1`` nodes); the chain reached the target if
the target is among them. The answer of a chain that reached it is the target; one that ran out of
budget answers by its *rule*: ``guess`` (default) answers one of the two targets at random (a fair
coin, the chain's word 0), ``abstain`` gives no answer (``-1``). Only the target connected to the
source can be reached, so a chain is never wrong unless it guesses.

These functions are the plain Python references of the Numba kernels
(:mod:`serialcomp.chains._kernels`): the same draws in the same order, so the same traces.
"""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass
from typing import Any, Sequence

from .._validate import check_int
from ._rng import below, coin
from .graph import ChainParameterError, SearchGraph

__all__ = ["Trace", "STRATEGIES", "RULES", "dfs_trace", "bfs_trace", "walk_trace", "shortest_trace", "run_chain",
           "check_strategy", "check_budget", "check_rule"]

STRATEGIES = ("dfs", "bfs", "walk", "shortest")
"""The search processes, by name."""

RULES = ("guess", "abstain")
"""What a chain that runs out of budget answers: a fair coin between the targets, or nothing."""


@dataclass(frozen=True)
class Trace:
    """One chain's output.

    Attributes
    ----------
    strategy : str
    nodes : tuple of int
        The trace as written; its :attr:`length` is ``len(nodes) - 1``.
    reached : bool
        Whether the target is in the trace (within the budget).
    path : tuple of int
        The chain's s-t path (empty if it did not reach the target).
    shortest : bool
        Whether :attr:`path` is a shortest s-t path.
    answer : int
        The target answered: the target if reached, else by the rule (``-1``: abstained).

    Example
    -------
    >>> g = SearchGraph.from_edges([(0, 1), (1, 2)], 3, 0, 2)
    >>> tr = run_chain(g, "shortest")
    >>> tr.nodes, tr.length, tr.reached, tr.shortest, tr.answer
    ((0, 1, 2), 2, True, True, 2)
    """

    strategy: str
    nodes: tuple[int, ...]
    reached: bool
    path: tuple[int, ...]
    shortest: bool
    answer: int

    @property
    def length(self) -> int:
        """Trace length as the paper counts it: ``len(nodes) - 1``."""
        return len(self.nodes) - 1

    def first_visits(self) -> tuple[int, ...]:
        """The trace without revisits (the paper's ``dfs-pruned`` for a DFS trace).

        Example
        -------
        >>> Trace("dfs", (0, 1, 0, 2), True, (0, 2), True, 2).first_visits()
        (0, 1, 2)
        """
        seen: set[int] = set()
        out = []
        for v in self.nodes:
            if v not in seen:
                seen.add(v)
                out.append(v)
        return tuple(out)


def check_strategy(strategy: Any) -> str:
    """``strategy`` if it is one of :data:`STRATEGIES`, else ChainParameterError naming them.

    Example
    -------
    >>> check_strategy("dfs")
    'dfs'
    """
    return _one_of("strategy", strategy, STRATEGIES)


def check_rule(rule: Any) -> str:
    """``rule`` if it is one of :data:`RULES`, else ChainParameterError naming them.

    Example
    -------
    >>> check_rule("guess")
    'guess'
    """
    return _one_of("rule", rule, RULES)


def _one_of(name: str, value: Any, choices: Sequence[str]) -> str:
    if value not in choices:
        raise ChainParameterError(f"{name} must be one of {', '.join(choices)}, got {value!r}")
    return str(value)


def check_budget(budget: Any, name: str = "budget") -> int | None:
    """``None`` (no budget) or an int >= 0.

    Example
    -------
    >>> check_budget(None), check_budget(3.0)
    (None, 3)
    """
    if budget is None:
        return None
    return check_int(name, budget, 0, 2**40, where="a chain", error=ChainParameterError)


def _finish(strategy: str, g: SearchGraph, nodes: list[int], reached: bool, path: list[int], state: int,
            rule: str) -> Trace:
    if reached:
        answer = g.target
    elif rule == "guess":
        answer = g.target if coin(state) or g.other < 0 else g.other
    else:
        answer = -1
    p = tuple(path) if reached else ()
    return Trace(strategy, tuple(nodes), reached, p, reached and len(p) - 1 == g.distance, answer)


def dfs_trace(g: SearchGraph, budget: int | None = None, state: int = 0, rule: str = "guess") -> Trace:
    """A DFS chain with random neighbour order (the paper's ``dfs``).

    Notes
    -----
    O(trace length x degree) time, O(N) memory.

    Example
    -------
    >>> g = SearchGraph.from_edges([(0, 1), (0, 2), (2, 3)], 4, 0, 3)
    >>> tr = dfs_trace(g, state=1)
    >>> tr.nodes[0], tr.nodes[-1], tr.path, tr.length in (2, 4)
    (0, 3, (0, 2, 3), True)
    """
    budget = check_budget(budget)
    ip, ix = g.indptr.tolist(), g.indices.tolist()
    marked = [False] * g.num_nodes
    stack = [g.source]
    nodes: list[int] = []
    j = 0
    reached = False
    while stack:
        u = stack[-1]
        nodes.append(u)
        marked[u] = True
        if u == g.target:
            reached = True
            break
        if budget is not None and len(nodes) - 1 == budget:
            break
        cand = [v for v in ix[ip[u]:ip[u + 1]] if not marked[v]]
        if cand:
            k, j = below(state, j, len(cand))
            stack.append(cand[k])
        else:
            stack.pop()
    return _finish("dfs", g, nodes, reached, stack, state, rule)


def bfs_trace(g: SearchGraph, budget: int | None = None, state: int = 0, rule: str = "guess") -> Trace:
    """A BFS chain: nodes as dequeued, each node's unvisited neighbours enqueued in random order.

    Notes
    -----
    O(N + E) time and memory.

    Example
    -------
    >>> g = SearchGraph.from_edges([(0, 1), (0, 2), (2, 3)], 4, 0, 3)
    >>> tr = bfs_trace(g, state=1)
    >>> sorted(tr.nodes[1:3]), tr.nodes[-1], tr.path, tr.shortest
    ([1, 2], 3, (0, 2, 3), True)
    """
    budget = check_budget(budget)
    ip, ix = g.indptr.tolist(), g.indices.tolist()
    marked = [False] * g.num_nodes
    parent = {g.source: -1}
    queue = deque([g.source])
    nodes: list[int] = []
    j = 0
    reached = False
    while queue:
        u = queue.popleft()
        if marked[u]:
            continue
        nodes.append(u)
        marked[u] = True
        if u == g.target:
            reached = True
            break
        if budget is not None and len(nodes) - 1 == budget:
            break
        cand = [v for v in ix[ip[u]:ip[u + 1]] if not marked[v]]
        for i in range(len(cand) - 1, 0, -1):  # Fisher-Yates with the chain's draws
            k, j = below(state, j, i + 1)
            cand[i], cand[k] = cand[k], cand[i]
        for v in cand:
            if v not in parent:
                parent[v] = u
                queue.append(v)
    path = []
    if reached:
        v = g.target
        while v >= 0:
            path.append(v)
            v = parent[v]
    return _finish("bfs", g, nodes, reached, path[::-1], state, rule)


def walk_trace(g: SearchGraph, budget: int | None = None, state: int = 0, rule: str = "guess") -> Trace:
    """A random walk until it hits the target (the paper's ``random``); its path is the walk.

    Without a budget the walk runs until it hits the target (almost surely finite; its mean is
    :func:`serialcomp.chains.exact_walk.walk_mean_length`).

    Notes
    -----
    O(trace length) time.

    Example
    -------
    >>> g = SearchGraph.from_edges([(0, 1), (1, 2)], 3, 0, 2)
    >>> tr = walk_trace(g, state=4)
    >>> tr.nodes[0], tr.nodes[-1], tr.length % 2
    (0, 2, 0)
    """
    budget = check_budget(budget)
    ip, ix = g.indptr.tolist(), g.indices.tolist()
    u = g.source
    nodes = [u]
    j = 0
    while u != g.target:
        if budget is not None and len(nodes) - 1 == budget:
            break
        deg = ip[u + 1] - ip[u]
        if deg == 0:
            break
        k, j = below(state, j, deg)
        u = ix[ip[u] + k]
        nodes.append(u)
    return _finish("walk", g, nodes, u == g.target, nodes, state, rule)


def shortest_trace(g: SearchGraph, budget: int | None = None, state: int = 0, rule: str = "guess") -> Trace:
    """The oracle (the paper's ``optimal``): a shortest path, cut at the budget.

    Example
    -------
    >>> g = SearchGraph.from_edges([(0, 1), (1, 2), (0, 3), (3, 4), (4, 2)], 5, 0, 2)
    >>> shortest_trace(g).nodes, shortest_trace(g, budget=1).reached
    ((0, 1, 2), False)
    """
    budget = check_budget(budget)
    ip, ix = g.indptr.tolist(), g.indices.tolist()
    parent = {g.source: -1}
    q = deque([g.source])
    while q:
        u = q.popleft()
        for v in ix[ip[u]:ip[u + 1]]:
            if v not in parent:
                parent[v] = u
                q.append(v)
    path = []
    v = g.target
    while v >= 0:
        path.append(v)
        v = parent[v]
    path.reverse()
    nodes = path if budget is None else path[:budget + 1]
    return _finish("shortest", g, nodes, nodes[-1] == g.target, path, state, rule)


_RUN = {"dfs": dfs_trace, "bfs": bfs_trace, "walk": walk_trace, "shortest": shortest_trace}


def run_chain(g: SearchGraph, strategy: str, budget: int | None = None, state: int = 0,
              rule: str = "guess") -> Trace:
    """Run one chain of ``strategy`` (:data:`STRATEGIES`) with ``budget`` moves and draw ``state``.

    Example
    -------
    >>> g = SearchGraph.from_edges([(0, 1), (1, 2), (3, 4)], 5, 0, 2, other=4)
    >>> run_chain(g, "dfs", budget=1, rule="abstain").answer, run_chain(g, "dfs").answer
    (-1, 2)
    """
    return _RUN[check_strategy(strategy)](g, budget, int(state), check_rule(rule))
