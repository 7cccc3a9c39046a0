"""Test-time compute: search chains on flower graphs, voting, the compute frontier, task DAGs.

Reproduces and extends the search experiments of "Let Me Think!" (arXiv 2505.21825, code
seyedparsa/let-me-think) with exact, controllable search processes as the chains, on the paper's
graphs (``reach:flower --param layout=lmt``):

- :mod:`.search`: the chains (random-order DFS, BFS, random walk, the shortest path) with the
  paper's trace conventions, a budget and an answer rule; :mod:`.montecarlo` runs many of them
  in Numba kernels (:mod:`._kernels`, each beside its pure-Python reference in :mod:`.search`);
- :mod:`.distribution`, :mod:`.exact_dfs`, :mod:`.exact_bfs`, :mod:`.exact_walk`: exact laws of
  one chain (a DP over the flower's petals for DFS; :mod:`.flower` reads the structure off a
  graph), :mod:`.exhaustive` the brute-force oracles;
- :mod:`.vote`: any@k, maj@k (ties at random), pass@k, exactly and estimated from chains;
- :mod:`.frontier`: sequential against parallel at equal total trace length, hybrids;
- :mod:`.dag`: work, depth, Brent's bound and p greedy workers on reasoning DAGs;
- :mod:`.study`: the tables of ``serialcomp chains`` and its ``--sweep``.

Example
-------
>>> from serialcomp.chains import dfs_distribution, lmt_flower, maj_at_k, any_at_k
>>> law = dfs_distribution(lmt_flower(5))
>>> law.shortest(), law.mean_used(), round(any_at_k(law.reach(15), 64), 4), round(maj_at_k(law.reach(15), 64), 4)
(0.03125, 38.0, 0.54, 0.5041)
"""

from __future__ import annotations

from .dag import (Schedule, brent_bound, chains_dag, critical_path, greedy_schedule, lower_bound, planner_example,
                  task_dag, total_work)
from .distribution import TraceDistribution
from .exact_bfs import bfs_distribution
from .exact_dfs import dfs_distribution, dfs_mean_length
from .exact_walk import shortest_distribution, walk_distribution, walk_mean_length
from .exhaustive import enumerate_bfs, enumerate_dfs, enumerate_walk
from .flower import Flower, Petal, Route, flower_of, lmt_flower
from .frontier import aggregate, frontier, hybrid_table, offset_chains, restart_chain, sequential_vs_parallel
from .graph import ChainParameterError, SearchGraph, graphs_of
from .montecarlo import ChainRuns, simulate_chains, simulate_chains_reference
from .search import RULES, STRATEGIES, Trace, bfs_trace, dfs_trace, run_chain, shortest_trace, walk_trace
from .study import COLUMNS, chain_table, exact_law, plot_sweep, sweep, write_sweep
from .vote import VoteEstimate, any_at_k, any_mixed, estimate_votes, maj_at_k, maj_mixed, pass_at_k, single_success

__all__ = [
    "ChainParameterError", "SearchGraph", "graphs_of",
    "STRATEGIES", "RULES", "Trace", "dfs_trace", "bfs_trace", "walk_trace", "shortest_trace", "run_chain",
    "ChainRuns", "simulate_chains", "simulate_chains_reference",
    "Flower", "Petal", "Route", "lmt_flower", "flower_of",
    "TraceDistribution", "dfs_distribution", "dfs_mean_length", "bfs_distribution", "walk_distribution",
    "walk_mean_length", "shortest_distribution", "enumerate_dfs", "enumerate_bfs", "enumerate_walk",
    "single_success", "any_at_k", "maj_at_k", "pass_at_k", "any_mixed", "maj_mixed", "VoteEstimate",
    "estimate_votes",
    "aggregate", "frontier", "sequential_vs_parallel", "offset_chains", "restart_chain", "hybrid_table",
    "task_dag", "total_work", "critical_path", "brent_bound", "lower_bound", "Schedule", "greedy_schedule",
    "planner_example", "chains_dag",
    "COLUMNS", "chain_table", "exact_law", "sweep", "plot_sweep", "write_sweep",
]
