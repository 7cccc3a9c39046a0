"""The compute frontier and the hybrids, against direct computation and simulation."""

import numpy as np
import pytest

from serialcomp.chains.dag import chains_dag, critical_path, total_work
from serialcomp.chains.exact_dfs import dfs_distribution
from serialcomp.chains.flower import lmt_flower
from serialcomp.chains.frontier import (aggregate, frontier, hybrid_table, offset_chains, restart_chain,
                                        sequential_vs_parallel)
from serialcomp.chains.graph import ChainParameterError
from serialcomp.chains.montecarlo import simulate_chains
from serialcomp.chains.vote import any_at_k, maj_at_k, maj_mixed, single_success

LAW = dfs_distribution(lmt_flower(4))


def test_frontier_is_the_best_split_of_each_total():
    f = frontier(LAW, [12, 40, 100, 333], ks=[1, 2, 3, 4, 8, 9, 33])
    for B, rows in f.groupby("total"):
        assert (rows.k * rows.budget <= B).all() and (rows.budget == B // rows.k).all()
        accs = [maj_at_k(LAW.reach(B // k), k) for k in rows.k]
        assert np.allclose(rows.accuracy, accs)
        best = rows[rows.best]
        assert len(best) == 1 and best.accuracy.iloc[0] == max(accs)
        assert best.k.iloc[0] == min(k for k, a in zip(rows.k, accs) if a >= max(accs) - 1e-12)


def test_sequential_dfs_beats_parallel_votes_at_equal_compute():
    """The paper's claim on its flower, exactly: at every total B = k x 3d, one DFS chain of budget B is at
    least as accurate as k chains of the shortest budget, by majority or with a trace verifier."""
    for d in (2, 3, 5, 8):
        law = dfs_distribution(lmt_flower(d))
        D = 3 * d
        t = sequential_vs_parallel(law, [D * 2**j for j in range(12)], D)
        assert (t.sequential >= t.parallel_any - 1e-12).all() and (t.parallel_any >= t.parallel_maj - 1e-12).all()
        assert t.sequential.iloc[-1] == 1.0 and (d < 5 or t.parallel_maj.iloc[-1] < 0.99)  # 2048 votes: near chance


def test_offsets_and_restarts():
    o = offset_chains(LAW, 5, 30, 6)
    assert o["budgets"] == [30, 24, 18, 12, 6] and o["work"] == 90 and o["depth"] == 30
    assert abs(o["maj"] - maj_mixed([LAW.reach(L) for L in o["budgets"]])) < 1e-15
    r = restart_chain(LAW, 4, 20)
    assert r["work"] == r["depth"] == 80 and abs(r["reach"] - (1 - (1 - LAW.reach(20)) ** 4)) < 1e-15
    with pytest.raises(ChainParameterError, match="restarts"):
        restart_chain(LAW, 0, 3)


def test_restarts_match_simulated_restarting_chains():
    """A chain that restarts r times is r fresh chains run one after another: its reach probability
    is that of any of r independent chains (simulated: within 4.5 standard errors)."""
    g = lmt_flower(4).graph()
    runs = simulate_chains(g, "dfs", 4 * 20000, budget=16, seed=3)
    hit = runs.reached().reshape(20000, 4).any(axis=1)
    want = restart_chain(LAW, 4, 16)["reach"]
    assert abs(hit.mean() - want) < 4.5 * np.sqrt(want * (1 - want) / 20000)


def test_hybrid_table_work_and_depth_are_those_of_their_dags():
    h = hybrid_table(LAW, 96, [1, 2, 8])
    assert h[h.scheme == "sequential"].accuracy.iloc[0] == single_success(LAW.reach(96))
    par = h[(h.scheme == "parallel any") & (h.k == 8)].iloc[0]
    assert par.accuracy == any_at_k(LAW.reach(12), 8)
    g = chains_dag([12] * 8, vote_cost=0)
    assert (total_work(g), critical_path(g)[0]) == (par.work, par.depth) == (96, 12)
    off = h[(h.scheme == "offsets maj") & (h.k == 8)].iloc[0]
    budgets = [(2 * 96 * (8 - j)) // 72 for j in range(8)]
    assert off.work <= 96 and abs(off.accuracy - maj_mixed([LAW.reach(b) for b in budgets])) < 1e-15
    g = chains_dag(budgets, vote_cost=0)
    assert (total_work(g), critical_path(g)[0]) == (off.work, off.depth)


def test_aggregate_names():
    assert aggregate(0.2, 5, "any") == any_at_k(0.2, 5)
    with pytest.raises(ChainParameterError, match="aggregate must be one of maj, any"):
        aggregate(0.2, 5, "best")
