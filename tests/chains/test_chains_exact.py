"""The exact laws: DPs against brute-force enumeration, the paper's statements, Monte Carlo within error."""

from fractions import Fraction

import numpy as np
import pytest

from serialcomp.chains.distribution import TraceDistribution
from serialcomp.chains.exact_bfs import bfs_distribution
from serialcomp.chains.exact_dfs import dead_first_law, dfs_distribution, dfs_mean_length
from serialcomp.chains.exact_walk import walk_distribution, walk_mean_length
from serialcomp.chains.exhaustive import enumerate_bfs, enumerate_dfs, enumerate_walk
from serialcomp.chains.flower import Flower, Petal, Route, flower_of, lmt_flower
from serialcomp.chains.graph import ChainParameterError, SearchGraph, graphs_of
from serialcomp.chains.montecarlo import simulate_chains
from serialcomp.chains.study import exact_law
from serialcomp.chains.vote import any_at_k
from serialcomp.problems import get_problem


def as_arrays(enum, size):
    pmf, short = np.zeros(size), np.zeros(size)
    for (T, sh), p in enum.items():
        pmf[T] += float(p)
        short[T] += float(p) * sh
    return pmf, short


def same_law(law, enum):
    size = max(len(law.pmf), 1 + max(T for T, _ in enum))
    pmf, short = as_arrays(enum, size)
    a, b = np.zeros(size), np.zeros(size)
    a[: len(law.pmf)], b[: len(law.pmf)] = law.pmf, law.pmf_shortest
    return np.abs(a - pmf).max() < 1e-12 and np.abs(b - short).max() < 1e-12


def random_flowers(count, n=13, petals=3, seed=1):
    return graphs_of(get_problem("reach:flower").sample(n, count, seed=seed, petals=petals))


@pytest.mark.parametrize("d", [1, 2, 3])
def test_dfs_dp_equals_enumeration_on_the_papers_flower(d):
    g = graphs_of(get_problem("reach:flower").sample(10 * d + 1, 1, seed=d, layout="lmt"))[0]
    assert same_law(dfs_distribution(flower_of(g)), enumerate_dfs(g))


def test_dfs_dp_equals_enumeration_on_random_layouts():
    """Dead ends on routes and junctions, routes of length 1: the DP over petals is the brute force."""
    for g in random_flowers(25):
        assert same_law(dfs_distribution(flower_of(g)), enumerate_dfs(g))


@pytest.mark.parametrize("graph", [lmt_flower(1).graph(), lmt_flower(2).graph()] + random_flowers(6, n=10, petals=2),
                         ids=lambda g: f"N{g.num_nodes}")
def test_bfs_dp_equals_enumeration(graph):
    assert same_law(bfs_distribution(graph), enumerate_bfs(graph))


@pytest.mark.parametrize("graph", [lmt_flower(1).graph(), random_flowers(1, n=7, petals=2)[0]], ids=["lmt", "random"])
def test_walk_law_equals_enumeration(graph):
    law = walk_distribution(graph, 14)
    enum = enumerate_walk(graph, 14)
    assert max(abs(float(enum.get(T, 0)) - law.pmf[T]) for T in range(15)) < 1e-12
    assert abs(law.tail - (1 - float(sum(enum.values())))) < 1e-12
    assert law.pmf_shortest.sum() == law.pmf[graph.distance]


def test_walk_mean_is_the_hitting_time_of_the_long_law():
    """E[T] from the linear solve against the mean of the law run far enough that the tail is negligible."""
    g = lmt_flower(2).graph()
    law = walk_distribution(g, 6000)
    assert law.tail < 1e-12
    assert abs(float(np.arange(6001) @ law.pmf) - walk_mean_length(g)) < 1e-6


def test_dead_first_law_is_a_uniform_random_order():
    """Against all orders of the items: each dead part before the first way on costs 2 x its size."""
    from itertools import permutations

    sizes, ways = (3, 1, 2), 2
    items = [("d", b) for b in sizes] + [("w", 0)] * ways
    law: dict = {}
    perms = list(permutations(range(len(items))))
    for perm in perms:
        cost = 0
        for i in perm:
            if items[i][0] == "w":
                break
            cost += 2 * items[i][1]
        law[cost] = law.get(cost, Fraction(0)) + Fraction(1, len(perms))
    assert dead_first_law(sizes, ways) == dict(sorted(law.items()))


@pytest.mark.parametrize("d", [1, 2, 5, 10, 20])
def test_papers_statements_exactly(d):
    """The paper's DFS facts on its flower: the DFS path is a shortest path with probability 2**-d; the
    first d*3 moves go straight to the target with probability 1/(3 * 4**(d-1)) (the paper's "predicted
    shortest-path" any@k curve 1 - (1 - that)**k, plotted as E + (1 - E)/2, which is our any@k); the
    mean trace length is 8d - 2; the longest trace is 6d + 11(d - 1) + 5, and with that budget a
    single sequential DFS always succeeds."""
    law = dfs_distribution(lmt_flower(d))
    assert abs(law.pmf.sum() - 1) < 1e-12
    assert abs(law.shortest() - 2.0**-d) < 1e-15
    p0 = 1 / (3 * 4 ** (d - 1))
    assert abs(law.reach(3 * d) - p0) < 1e-15 and law.reach(3 * d - 1) == 0
    for k in (1, 4, 64, 4096):
        paper = 1 - (1 - p0) ** k
        assert abs(any_at_k(law.reach(3 * d), k) - (paper + (1 - paper) / 2)) < 1e-12
    assert abs(law.mean_used() - (8 * d - 2)) < 1e-9 and dfs_mean_length(lmt_flower(d)) == 8 * d - 2
    top = 6 * d + 11 * (d - 1) + 5
    assert law.max_length == top and law.reach(top) == 1.0 and law.reach(top - 1) < 1


@pytest.mark.parametrize("lengths", [(3, 5, 3), (1, 2, 0), (2, 7, 1), (4, 5, 6)])
def test_mean_closed_form_equals_the_dp(lengths):
    s, l_, b = lengths
    for d in (1, 2, 4):
        f = lmt_flower(d, s, l_, b)
        law = dfs_distribution(f)
        closed = d * (s + l_) / 2 + 2 * d * b / 3 + (d - 1) * (s + l_ - 2) / 3
        assert abs(float(np.arange(len(law.pmf)) @ law.pmf) - closed) < 1e-9
        assert abs(dfs_mean_length(f) - closed) < 1e-9


def test_closed_form_mean_equals_the_dp_on_random_layouts():
    for g in random_flowers(40, n=40, petals=5, seed=3):
        f = flower_of(g)
        law = dfs_distribution(f)
        assert abs(float(np.arange(len(law.pmf)) @ law.pmf) - dfs_mean_length(f)) < 1e-9


@pytest.mark.parametrize("strategy", ["dfs", "bfs", "walk", "shortest"])
def test_budget_below_the_shortest_distance_leaves_any_at_k_at_chance(strategy):
    """No chain reaches the target in fewer moves than the distance: any@k = maj@k = 1/2 for every k, exactly
    (the law) and in simulation (no chain reaches it)."""
    from serialcomp.chains.vote import maj_at_k

    g = lmt_flower(4).graph()
    law = exact_law(g, strategy, 40)
    for L in range(g.distance):
        assert law.reach(L) == 0.0
        assert all(any_at_k(0.0, k) == maj_at_k(0.0, k) == 0.5 for k in (1, 2, 2**10, 2**20))
    assert (law.reach(g.distance) > 0) == (strategy != "bfs")  # BFS first writes every closer node
    assert not simulate_chains(g, strategy, 5000, budget=g.distance - 1, seed=0).reached().any()


def chi2_ok(law, lengths, bins_min=5.0):
    """Pearson's chi-square of simulated lengths against the law, bins of expected count >= 5 pooled;
    below the 0.9999 quantile (Wilson-Hilferty), so a correct kernel fails 1 time in 10^4."""
    n = len(lengths)
    M = len(law.pmf)
    obs = np.bincount(np.clip(lengths, 0, M), minlength=M + 1).astype(float)
    exp = np.concatenate([law.pmf, [law.tail]]) * n
    o, e, acc_o, acc_e = [], [], 0.0, 0.0
    for x, y in zip(obs, exp):
        acc_o, acc_e = acc_o + x, acc_e + y
        if acc_e >= bins_min:
            o.append(acc_o)
            e.append(acc_e)
            acc_o = acc_e = 0.0
    if acc_e > 0:
        o[-1] += acc_o
        e[-1] += acc_e
    o, e = np.array(o), np.array(e)
    stat = ((o - e) ** 2 / e).sum()
    k = len(o) - 1
    z = 3.719  # the 0.9999 quantile of the standard normal
    q = k * (1 - 2 / (9 * k) + z * np.sqrt(2 / (9 * k))) ** 3
    return stat < q, stat, q


@pytest.mark.parametrize("strategy,budget", [("dfs", None), ("bfs", None), ("walk", 300), ("dfs", 20)])
def test_monte_carlo_matches_the_exact_law(strategy, budget):
    g = graphs_of(get_problem("reach:flower").sample(41, 1, seed=7, layout="lmt"))[0]
    law = exact_law(g, strategy, budget)
    runs = simulate_chains(g, strategy, 200_000, budget, seed=4)
    T = np.where(runs.lengths >= 0, runs.lengths, len(law.pmf) if budget is None else budget + 1)
    if budget is not None:  # the law up to the budget, the rest pooled
        law = TraceDistribution(law.strategy, law.distance, law.pmf[: budget + 1], law.pmf_shortest[: budget + 1],
                                1 - law.reach(budget))
    ok, stat, q = chi2_ok(law, T)
    assert ok, (stat, q)
    p = law.shortest(budget)
    assert abs(runs.shortest(budget).mean() - p) < 4.5 * np.sqrt(p * (1 - p) / len(runs)) + 1e-12


def test_flower_of_reads_back_the_structure():
    import networkx as nx

    for g in random_flowers(30, n=40, petals=5, seed=5):
        f = flower_of(g)
        comp = [v for v in range(g.num_nodes) if g.distances()[v] >= 0]
        assert nx.is_isomorphic(g.to_networkx().subgraph(comp), f.graph().to_networkx())
        assert f.distance == g.distance and f.num_nodes == len(comp) and f.depth == 5
    with pytest.raises(ChainParameterError, match="not a flower"):
        flower_of(SearchGraph.from_edges([(0, 1), (1, 2), (2, 0), (2, 3), (3, 4), (4, 2), (0, 5), (5, 6), (6, 0)],
                                         7, 0, 3))


def test_flower_descriptions():
    f = Flower((Petal((Route(1), Route(3, ((1, 2),))), (1,)),), end=(2,))
    assert (f.num_nodes, f.num_edges, f.distance) == (9, 9, 1)  # 2 junctions, 2 + 2 on the route, 1, 2
    assert flower_of(f.graph()) == f.canonical()
