"""The work and depth of a reasoning DAG, and p workers scheduling it (Brent's bound).

A plan-then-execute agent (ReWOO: a planner writes tool calls with their dependencies, workers run
them, a solver answers) or thread-style inference (spawned sub-threads joined by their parent) is a
DAG of tasks with costs (tokens, seconds). Its *work* ``W`` is the sum of the costs, its *depth*
``D`` the costliest path (the critical path). With ``p`` workers no schedule beats
``max(W/p, D)``, and a greedy schedule (no worker idles while a task is ready) finishes within
Brent's bound ``T_p <= W/p + D``; Graham's analysis of list scheduling gives the sharper
``T_p <= W/p + (1 - 1/p) D``, which :func:`greedy_schedule` is tested against.

Chains fit the same accounting (:func:`chains_dag`): ``k`` chains of budget ``L`` and a vote have
``W = kL + 1`` and ``D = L + 1``; one chain of budget ``kL`` has ``W = D = kL + 1``.
"""

from __future__ import annotations

import heapq
import math
from dataclasses import dataclass
from typing import Any, Iterable, Mapping, Sequence

from .._validate import check_float, check_int
from .graph import ChainParameterError

__all__ = ["task_dag", "total_work", "critical_path", "brent_bound", "lower_bound", "Schedule", "greedy_schedule",
           "planner_example", "chains_dag"]


def task_dag(costs: Mapping[Any, float], deps: Iterable[tuple[Any, Any]] = ()) -> Any:
    """A task DAG: ``costs`` per task, ``deps`` as ``(before, after)`` pairs; node attribute ``cost``.

    Raises
    ------
    ChainParameterError
        A cost that is negative or not finite, a dependency on an unknown task, or a cycle.

    Example
    -------
    >>> g = task_dag({"a": 1, "b": 2}, [("a", "b")])
    >>> sorted(g.nodes(data="cost"))
    [('a', 1.0), ('b', 2.0)]
    """
    import networkx as nx

    g = nx.DiGraph()
    for v, c in costs.items():
        g.add_node(v, cost=check_float("cost", c, 0.0, where=f"task {v!r}", error=ChainParameterError))
    for a, b in deps:
        for v in (a, b):
            if v not in g:
                raise ChainParameterError(f"task_dag: dependency ({a!r}, {b!r}) names the unknown task {v!r}")
        g.add_edge(a, b)
    _check(g)
    return g


def _check(g: Any, cost: str = "cost") -> dict[Any, float]:
    import networkx as nx

    if not isinstance(g, nx.DiGraph):
        raise ChainParameterError(f"a task DAG is a networkx.DiGraph, got {type(g).__name__}")
    if not nx.is_directed_acyclic_graph(g):
        cyc = nx.find_cycle(g)
        raise ChainParameterError(f"the task graph has a cycle through {cyc[0][0]!r}")
    out = {}
    for v, c in g.nodes(data=cost):
        if c is None:
            raise ChainParameterError(f"task {v!r} has no {cost!r} attribute")
        out[v] = check_float(cost, c, 0.0, where=f"task {v!r}", error=ChainParameterError)
    return out


def total_work(g: Any, cost: str = "cost") -> float:
    """``W``: the sum of the task costs.

    Example
    -------
    >>> total_work(planner_example())
    21.0
    """
    return float(sum(_check(g, cost).values()))


def critical_path(g: Any, cost: str = "cost") -> tuple[float, list[Any]]:
    """``(D, path)``: the costliest dependency path (node costs summed) and its tasks.

    Notes
    -----
    O(V + E) (one pass in topological order; ties between predecessors go to the first in
    networkx's topological order).

    Example
    -------
    >>> critical_path(planner_example())
    (14.0, ['plan', 'E1 search capital of France', 'E3 population of E1', 'E6 calculator', 'solve'])
    """
    import networkx as nx

    c = _check(g, cost)
    finish: dict[Any, float] = {}
    via: dict[Any, Any] = {}
    for v in nx.topological_sort(g):
        best, arg = 0.0, None
        for u in g.predecessors(v):
            if finish[u] > best or arg is None and finish[u] == best:
                best, arg = finish[u], u
        finish[v] = best + c[v]
        via[v] = arg
    if not finish:
        return 0.0, []
    end = max(finish, key=lambda v: finish[v])
    path = [end]
    while via[path[-1]] is not None:
        path.append(via[path[-1]])
    return float(finish[end]), path[::-1]


def brent_bound(g: Any, p: int, cost: str = "cost") -> float:
    """Brent's bound ``W/p + D``: a greedy schedule on ``p`` workers finishes by then.

    Example
    -------
    >>> brent_bound(planner_example(), 2)
    24.5
    """
    p = check_int("p", p, 1, where="brent_bound", error=ChainParameterError)
    return total_work(g, cost) / p + critical_path(g, cost)[0]


def lower_bound(g: Any, p: int, cost: str = "cost") -> float:
    """``max(W/p, D)``: no schedule on ``p`` workers finishes sooner.

    Example
    -------
    >>> lower_bound(planner_example(), 2)
    14.0
    """
    p = check_int("p", p, 1, where="lower_bound", error=ChainParameterError)
    return max(total_work(g, cost) / p, critical_path(g, cost)[0])


@dataclass(frozen=True)
class Schedule:
    """A schedule of a task DAG on ``p`` workers: ``tasks[v] = (worker, start, end)``.

    Attributes
    ----------
    p : int
    makespan : float
        ``T_p``: when the last task ends.
    work, depth : float
        ``W`` and ``D`` of the DAG.
    tasks : dict

    Example
    -------
    >>> s = greedy_schedule(planner_example(), 3)
    >>> s.tasks["solve"], s.makespan, round(s.graham, 3)
    ((0, 10.0, 14.0), 14.0, 16.333)
    """

    p: int
    makespan: float
    work: float
    depth: float
    tasks: dict

    @property
    def brent(self) -> float:
        """``W/p + D``."""
        return self.work / self.p + self.depth

    @property
    def graham(self) -> float:
        """``W/p + (1 - 1/p) D``, Graham's bound for greedy (list) schedules."""
        return self.work / self.p + (1.0 - 1.0 / self.p) * self.depth

    def holds(self, tol: float = 1e-9) -> bool:
        """Whether ``max(W/p, D) <= T_p <= W/p + (1 - 1/p) D <= W/p + D`` (within ``tol``)."""
        low = max(self.work / self.p, self.depth)
        return low - tol <= self.makespan <= self.graham + tol * max(1.0, self.graham)


def greedy_schedule(g: Any, p: int, cost: str = "cost", priority: str = "critical") -> Schedule:
    """Simulate ``p`` workers that never idle while a task is ready (list scheduling).

    Parameters
    ----------
    g : networkx.DiGraph
        Tasks with a ``cost`` attribute.
    p : int
        Workers.
    priority : {"critical", "fifo"}
        Which ready task a free worker takes: the one with the costliest path to an end (the
        critical-path rule), or the one ready first; ties by topological order.

    Returns
    -------
    Schedule

    Notes
    -----
    O((V + E) log V), an event simulation; every greedy order satisfies Brent's bound.

    Example
    -------
    >>> s = greedy_schedule(planner_example(), 2)
    >>> s.makespan, s.graham, s.brent, s.holds()   # max(W/p, D) = 14 <= 16 <= 17.5 <= 24.5
    (16.0, 17.5, 24.5, True)
    """
    import networkx as nx

    p = check_int("p", p, 1, 2**20, where="greedy_schedule", error=ChainParameterError)
    if priority not in ("critical", "fifo"):
        raise ChainParameterError(f"priority must be 'critical' or 'fifo', got {priority!r}")
    c = _check(g, cost)
    order = {v: i for i, v in enumerate(nx.topological_sort(g))}
    level: dict[Any, float] = {}
    for v in sorted(order, key=order.get, reverse=True):
        level[v] = c[v] + max((level[w] for w in g.successors(v)), default=0.0)
    waiting = {v: g.in_degree(v) for v in g}
    ready: list[tuple[Any, ...]] = []
    tick = 0

    def push(v: Any) -> None:
        nonlocal tick
        key = -level[v] if priority == "critical" else tick
        heapq.heappush(ready, (key, order[v], tick, v))
        tick += 1

    for v in sorted(g, key=order.get):
        if waiting[v] == 0:
            push(v)
    free = list(range(p))
    heapq.heapify(free)
    running: list[tuple[float, int, int, Any]] = []
    tasks: dict = {}
    now = 0.0
    while ready or running:
        while ready and free:
            *_, v = heapq.heappop(ready)
            w = heapq.heappop(free)
            tasks[v] = (w, now, now + c[v])
            heapq.heappush(running, (now + c[v], order[v], w, v))
        end, _, w, v = heapq.heappop(running)
        now = end
        done = [(w, v)]
        while running and running[0][0] <= now:
            _, _, w2, v2 = heapq.heappop(running)
            done.append((w2, v2))
        for w2, v2 in done:
            heapq.heappush(free, w2)
            for s in g.successors(v2):
                waiting[s] -= 1
                if waiting[s] == 0:
                    push(s)
    W = float(sum(c.values()))
    D = critical_path(g, cost)[0]
    return Schedule(p, max((e for _, _, e in tasks.values()), default=0.0), W, D, tasks)


def planner_example() -> Any:
    """A ReWOO-style plan: a planner, six tool calls (some waiting for others), a solver.

    The question: how many times more people live in the capital of Japan than in the capital of
    France, as a share of the world's population? Costs are in seconds of an agent's run.

    Example
    -------
    >>> g = planner_example()
    >>> g.number_of_nodes(), total_work(g), critical_path(g)[0]
    (8, 21.0, 14.0)
    """
    costs = {"plan": 4, "E1 search capital of France": 2, "E2 search capital of Japan": 2,
             "E3 population of E1": 3, "E4 population of E2": 3, "E5 search world population": 2,
             "E6 calculator": 1, "solve": 4}
    deps = [("plan", "E1 search capital of France"), ("plan", "E2 search capital of Japan"),
            ("plan", "E5 search world population"), ("E1 search capital of France", "E3 population of E1"),
            ("E2 search capital of Japan", "E4 population of E2"), ("E3 population of E1", "E6 calculator"),
            ("E4 population of E2", "E6 calculator"), ("E5 search world population", "E6 calculator"),
            ("E6 calculator", "solve")]
    return task_dag(costs, deps)


def chains_dag(budgets: Sequence[int], vote_cost: float = 1.0, step_cost: float = 1.0) -> Any:
    """``len(budgets)`` chains as task chains (one task per trace step) joined by a vote.

    Example
    -------
    >>> g = chains_dag([3, 3])
    >>> total_work(g), critical_path(g)[0]
    (7.0, 4.0)
    """
    costs: dict[Any, float] = {"vote": vote_cost}
    deps = []
    for j, L in enumerate(budgets):
        L = check_int("budget", L, 0, 2**20, where="chains_dag", error=ChainParameterError)
        prev = None
        for i in range(L):
            costs[(j, i)] = step_cost
            if prev is not None:
                deps.append((prev, (j, i)))
            prev = (j, i)
        if prev is not None:
            deps.append((prev, "vote"))
    if not math.isfinite(vote_cost):
        raise ChainParameterError("chains_dag: vote_cost must be finite")
    return task_dag(costs, deps)
