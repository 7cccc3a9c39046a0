"""The search processes and their trace conventions, against the paper's code transcribed.

``paper_dfs`` and ``paper_bfs`` transcribe ``utils.dfs`` and ``utils.bfs`` of seyedparsa/let-me-think
(Python's ``random``, networkx neighbour order); ``paper_flower`` its ``gen_graph``. The paper's
trace length is ``len(search) - 1`` (``gen.py``).
"""

import random

import networkx as nx
import numpy as np
import pytest

from serialcomp.chains.flower import lmt_flower
from serialcomp.chains.graph import ChainParameterError, SearchGraph, graphs_of
from serialcomp.chains.search import bfs_trace, dfs_trace, run_chain, shortest_trace, walk_trace
from serialcomp.problems import get_problem


def paper_flower(depth, short=3, long=5, dead=3):
    petal_size = short + long + dead
    petal_edges = [(i, i + 1) for i in range(short - 1)]
    petal_edges += [(short + i, (short + i + 1) % (short + long - 1)) for i in range(long - 1)]
    petal_edges += [(short + long + i - 1, (short + long + i) % (short + long + dead - 1)) for i in range(dead)]
    petal_edges += [(short - 1, petal_size - 1), (short, petal_size - 1)]
    g = nx.Graph()
    for i in range(depth):
        for u, v in petal_edges:
            g.add_edge(i * (petal_size - 1) + u, i * (petal_size - 1) + v)
    return g


def paper_dfs(graph, start, target, rng):
    marked = [False] * graph.number_of_nodes()
    stack = [start]
    walk = []
    while len(stack) > 0:
        u = stack[-1]
        walk.append(u)
        marked[u] = True
        if u == target:
            return walk, stack
        candidates = [v for v in list(graph.neighbors(u)) if not marked[v]]
        if len(candidates) > 0:
            stack.append(rng.choice(candidates))
        else:
            stack.pop()
    return walk, stack


def paper_bfs(graph, start, target):
    marked = [False] * graph.number_of_nodes()
    queue = [start]
    walk = []
    while len(queue) > 0:
        u = queue.pop(0)
        if marked[u]:
            continue
        walk.append(u)
        marked[u] = True
        if u == target:
            return walk
        queue.extend([v for v in list(graph.neighbors(u)) if not marked[v]])
    return walk


@pytest.mark.parametrize("d", [1, 3, 5])
def test_mean_dfs_trace_length_as_the_papers_code_counts_it(d):
    """The paper's DFS on the paper's graph: mean len(walk) - 1 is 8d - 2 and its path is shortest with
    probability 2**-d, within 4 standard errors; our DFS on the generated graph agrees likewise."""
    g = paper_flower(d)
    rng = random.Random(d)
    N = g.number_of_nodes()
    lens, short = [], []
    for _ in range(4000):
        walk, stack = paper_dfs(g, 0, N - 1, rng)
        lens.append(len(walk) - 1)
        short.append(len(stack) - 1 == 3 * d)
    lens = np.array(lens)
    assert abs(lens.mean() - (8 * d - 2)) < 4 * lens.std() / np.sqrt(len(lens))
    assert abs(np.mean(short) - 2.0**-d) < 4 * np.sqrt(2.0**-d * (1 - 2.0**-d) / len(short))
    ours = graphs_of(get_problem("reach:flower").sample(10 * d + 1, 1, seed=0, layout="lmt"))[0]
    mine = np.array([dfs_trace(ours, state=s).length for s in range(4000)])
    se = np.hypot(lens.std(), mine.std()) / np.sqrt(4000)
    assert abs(mine.mean() - lens.mean()) < 4 * se


def test_paper_bfs_trace_length_is_in_our_bfs_support():
    """The paper's BFS (fixed networkx order) is one of the orders our random-order BFS draws: its
    length is among ours, which lie in [#nodes closer than t, that + #nodes as far as t - 1]."""
    g = paper_flower(4)
    paper_len = len(paper_bfs(g, 0, 40)) - 1
    ours = lmt_flower(4).graph()
    dist = ours.distances()
    lo = int((dist < ours.distance).sum())
    hi = lo + int((dist == ours.distance).sum()) - 1
    seen = {bfs_trace(ours, state=s).length for s in range(300)}
    assert lo <= paper_len <= hi and seen == set(range(lo, hi + 1)) and paper_len in seen


def flower_graph(seed=0, **kw):
    return graphs_of(get_problem("reach:flower").sample(kw.pop("n", 51), 1, seed=seed, **kw))[0]


@pytest.mark.parametrize("graph", [lmt_flower(4).graph(), flower_graph(layout="lmt"), flower_graph(3, n=40, petals=4)],
                         ids=["flower", "lmt", "random"])
def test_dfs_trace_conventions(graph):
    """A DFS trace is a walk that writes the parent again on backtracking: its length is
    2 (distinct nodes - 1) - (path length); the path is the stack, a simple s-t path."""
    G = graph.to_networkx()
    for s in range(200):
        tr = dfs_trace(graph, state=s)
        nodes = tr.nodes
        assert nodes[0] == graph.source and nodes[-1] == graph.target and tr.reached
        assert all(G.has_edge(u, v) for u, v in zip(nodes, nodes[1:]))
        assert nx.is_simple_path(G, list(tr.path)) and tr.path[0] == graph.source and tr.path[-1] == graph.target
        assert tr.length == 2 * (len(set(nodes)) - 1) - (len(tr.path) - 1)
        assert tr.first_visits() == tuple(dict.fromkeys(nodes))
        assert tr.shortest == (len(tr.path) - 1 == nx.shortest_path_length(G, graph.source, graph.target))


def test_bfs_walk_and_shortest_trace_conventions():
    graph = flower_graph(layout="lmt")
    G = graph.to_networkx()
    dist = graph.distances()
    for s in range(100):
        b = bfs_trace(graph, state=s)
        assert len(set(b.nodes)) == len(b.nodes) and list(dist[list(b.nodes)]) == sorted(dist[list(b.nodes)])
        assert set(np.flatnonzero((dist >= 0) & (dist < graph.distance))) <= set(b.nodes)
        assert b.shortest and nx.is_simple_path(G, list(b.path))
        w = walk_trace(graph, state=s)
        assert w.nodes[-1] == graph.target and graph.target not in w.nodes[:-1] and w.path == w.nodes
        assert all(G.has_edge(u, v) for u, v in zip(w.nodes, w.nodes[1:]))
    o = shortest_trace(graph)
    assert o.length == graph.distance and o.shortest and o.nodes == o.path


@pytest.mark.parametrize("strategy", ["dfs", "bfs", "walk", "shortest"])
def test_a_budget_cuts_the_trace_of_the_same_draws(strategy):
    """With budget L the chain writes the first L + 1 nodes of its unbudgeted trace, and reached the
    target iff the unbudgeted trace is at most L long."""
    graph = flower_graph(layout="lmt")
    for s in range(60):
        full = run_chain(graph, strategy, None, s)
        for L in (0, 5, 15, 30, 200):
            cut = run_chain(graph, strategy, L, s)
            assert cut.nodes == full.nodes[: L + 1]
            assert cut.reached == (full.length <= L)
            assert cut.path == (full.path if cut.reached else ())


def test_answer_rules():
    graph = flower_graph(layout="lmt")
    guesses = {run_chain(graph, "dfs", 3, s).answer for s in range(64)}
    assert guesses == {graph.target, graph.other}
    assert {run_chain(graph, "dfs", 3, s, rule="abstain").answer for s in range(16)} == {-1}
    assert run_chain(graph, "dfs", None, 0, rule="abstain").answer == graph.target


@pytest.mark.parametrize("call,msg", [
    (lambda g: run_chain(g, "beam"), "strategy must be one of dfs, bfs, walk, shortest, got 'beam'"),
    (lambda g: run_chain(g, "dfs", rule="vote"), "rule must be one of guess, abstain"),
    (lambda g: run_chain(g, "dfs", budget=-1), "budget for a chain must be"),
    (lambda g: run_chain(g, "dfs", budget=2.5), "budget"),
])
def test_errors_are_one_line_naming_the_argument(call, msg):
    with pytest.raises(ChainParameterError, match=msg):
        call(lmt_flower(1).graph())


def test_search_graph_refuses_a_disconnected_target_and_bad_ids():
    with pytest.raises(ChainParameterError, match="not connected"):
        SearchGraph.from_edges([(0, 1), (2, 3)], 4, 0, 3)
    with pytest.raises(ChainParameterError, match=r"node ids must lie in \[0, 3\)"):
        SearchGraph.from_edges([(0, 3)], 3, 0, 1)
    with pytest.raises(ChainParameterError, match="reach:flower"):
        graphs_of(get_problem("reach:cycles").sample(4, 1, seed=0))
