"""Work-depth of task DAGs: critical paths against networkx and brute force, Brent's bound for p workers."""

import networkx as nx
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from serialcomp.chains.dag import (brent_bound, chains_dag, critical_path, greedy_schedule, lower_bound,
                                   planner_example, task_dag, total_work)
from serialcomp.chains.graph import ChainParameterError


@st.composite
def dags(draw):
    n = draw(st.integers(1, 12))
    costs = {i: draw(st.integers(0, 9)) for i in range(n)}
    edges = [(i, j) for i in range(n) for j in range(i + 1, n) if draw(st.booleans()) and draw(st.booleans())]
    return task_dag(costs, edges)


def brute_depth(g):
    best = 0.0
    for s in [v for v in g if g.in_degree(v) == 0]:
        for t in g:
            for path in nx.all_simple_paths(g, s, t) if s != t else [[s]]:
                best = max(best, sum(g.nodes[v]["cost"] for v in path))
    return best


@settings(max_examples=150, deadline=None)
@given(dags())
def test_critical_path_is_the_costliest_path(g):
    """D = the largest node-cost sum over all dependency paths (every path enumerated), and the path
    returned is a path of g with that cost; it equals networkx's longest path with costs moved onto edges."""
    D, path = critical_path(g)
    assert D == brute_depth(g)
    assert sum(g.nodes[v]["cost"] for v in path) == D and all(g.has_edge(u, v) for u, v in zip(path, path[1:]))
    h = nx.DiGraph()
    for v, c in g.nodes(data="cost"):
        h.add_edge(("in", v), ("out", v), w=c)
    for u, v in g.edges():
        h.add_edge(("out", u), ("in", v), w=0)
    assert nx.dag_longest_path_length(h, weight="w") == D


@settings(max_examples=150, deadline=None)
@given(dags(), st.integers(1, 5), st.sampled_from(["critical", "fifo"]))
def test_greedy_workers_meet_brents_bound(g, p, priority):
    """Theorem (Brent; Graham for list scheduling): a greedy schedule on p workers respects the
    dependencies and finishes in max(W/p, D) <= T_p <= W/p + (1 - 1/p) D <= W/p + D."""
    s = greedy_schedule(g, p, priority=priority)
    assert set(s.tasks) == set(g)
    for u, v in g.edges():
        assert s.tasks[u][2] <= s.tasks[v][1]
    events = sorted({t for _, a, b in s.tasks.values() for t in (a, b)})
    for t in events:  # never more than p tasks at once, no task on two workers
        running = [v for v, (w, a, b) in s.tasks.items() if a <= t < b]
        assert len(running) <= p and len({s.tasks[v][0] for v in running}) == len(running)
    assert s.holds() and s.makespan <= brent_bound(g, p) + 1e-9 and s.makespan >= lower_bound(g, p) - 1e-9
    assert s.work == total_work(g) and s.depth == critical_path(g)[0]


def test_greedy_never_idles_a_worker_while_a_task_is_ready():
    g = planner_example()
    s = greedy_schedule(g, 2)
    for v, (_, start, _) in s.tasks.items():
        ready = max((s.tasks[u][2] for u in g.predecessors(v)), default=0.0)
        if start > ready:  # it waited: both workers were busy the whole time
            for t in (ready, start - 1e-9):
                assert sum(1 for w, a, b in s.tasks.values() if a <= t < b) == 2


def test_planner_example():
    g = planner_example()
    assert (total_work(g), critical_path(g)[0]) == (21.0, 14.0)
    assert [greedy_schedule(g, p).makespan for p in (1, 2, 3)] == [21.0, 16.0, 14.0]
    assert brent_bound(g, 3) == 21.0 and lower_bound(g, 3) == 14.0


def test_chains_as_dags():
    g = chains_dag([5, 5, 5, 5])
    assert (total_work(g), critical_path(g)[0]) == (21.0, 6.0)
    assert greedy_schedule(g, 4).makespan == 6.0 and greedy_schedule(g, 1).makespan == 21.0


@pytest.mark.parametrize("call,msg", [
    (lambda: task_dag({"a": -1}), "cost for task 'a' must be >= 0.0"),
    (lambda: task_dag({"a": 1, "b": 1}, [("a", "b"), ("b", "a")]), "cycle"),
    (lambda: task_dag({"a": 1}, [("a", "z")]), "unknown task 'z'"),
    (lambda: greedy_schedule(planner_example(), 0), "p for greedy_schedule must be"),
    (lambda: critical_path(nx.DiGraph([(1, 2)])), "task 1 has no 'cost' attribute"),
])
def test_errors(call, msg):
    with pytest.raises(ChainParameterError, match=msg):
        call()
