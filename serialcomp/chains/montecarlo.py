"""Monte Carlo: many chains of one strategy on one graph, by the Numba kernels.

:func:`simulate_chains` runs chains ``start .. start + count - 1`` of a run ``(seed, strategy,
stream)``; chain ``c``'s draws depend only on those and ``c`` (counter based, SplitMix64), so
results do not depend on how many chains are run at once, and are the same on every machine.
The result, :class:`ChainRuns`, answers for every budget up to the one simulated: whether each
chain reached the target, whether its path is a shortest one, the trace length it used, and its
vote under an answer rule.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .._validate import check_int
from ._kernels import KERNELS
from ._rng import chain_states, coin, run_base
from .graph import ChainParameterError, SearchGraph
from .search import check_budget, check_rule, check_strategy, run_chain

__all__ = ["ChainRuns", "simulate_chains", "simulate_chains_reference", "MAX_CHAINS"]

MAX_CHAINS = 2**28
"""Most chains one call may run (four int64 arrays of this length: 8 GiB)."""


@dataclass(frozen=True, eq=False)
class ChainRuns:
    """The outcome of ``len(self)`` chains of one strategy on one graph, simulated with budget ``cap``.

    Attributes
    ----------
    strategy : str
    cap : int or None
        The budget simulated (``None``: every chain ran until it reached the target).
    distance : int
        The s-t distance of the graph.
    lengths : int64 ``(C,)``
        Trace length of each chain that reached the target, -1 for one that did not within ``cap``.
    path_lengths : int64 ``(C,)``
        Length of each chain's s-t path (-1 if not reached).
    coins : bool ``(C,)``
        Each chain's answer coin (``True``: a guess names the connected target).
    traces : int64 ``(C, W)`` or None
        The first ``W`` nodes of each trace (-1 beyond its end), when asked for.

    Example
    -------
    >>> from serialcomp.chains.flower import lmt_flower
    >>> r = simulate_chains(lmt_flower(1).graph(), "dfs", 1000, budget=5, seed=0)
    >>> bool(r.reached().mean() == r.reached(5).mean()), bool(0.25 < r.reached(3).mean() < 0.42)   # P(T = 3) = 1/3
    (True, True)
    """

    strategy: str
    cap: int | None
    distance: int
    lengths: np.ndarray
    path_lengths: np.ndarray
    coins: np.ndarray
    traces: np.ndarray | None = None

    def __len__(self) -> int:
        return len(self.lengths)

    def _budget(self, budget: int | None) -> int | None:
        budget = check_budget(budget)
        if self.cap is not None and (budget is None or budget > self.cap):
            raise ChainParameterError(f"budget {budget} exceeds the budget {self.cap} these chains were simulated with")
        return budget

    def reached(self, budget: int | None = None) -> np.ndarray:
        """Bool ``(C,)``: reached the target within ``budget`` moves (default: the simulated cap)."""
        budget = self._budget(self.cap if budget is None else budget)
        ok = self.lengths >= 0
        return ok if budget is None else ok & (self.lengths <= budget)

    def shortest(self, budget: int | None = None) -> np.ndarray:
        """Bool ``(C,)``: reached within ``budget`` and its s-t path is a shortest path."""
        return self.reached(budget) & (self.path_lengths == self.distance)

    def used(self, budget: int | None = None) -> np.ndarray:
        """Int64 ``(C,)``: the trace length each chain writes under ``budget``, ``min(T, budget)``."""
        budget = self._budget(self.cap if budget is None else budget)
        if budget is None:
            return self.lengths.copy()
        return np.where((self.lengths >= 0) & (self.lengths <= budget), self.lengths, budget)

    def votes(self, budget: int | None = None, rule: str = "guess") -> np.ndarray:
        """Int8 ``(C,)``: 1 the chain answers the connected target, 0 the other, -1 no answer.

        A chain that reached the target votes 1; one that did not votes by ``rule``: its coin
        (``guess``) or -1 (``abstain``).
        """
        rule = check_rule(rule)
        r = self.reached(budget)
        miss = self.coins.astype(np.int8) if rule == "guess" else np.full(len(self), -1, np.int8)
        return np.where(r, np.int8(1), miss).astype(np.int8)


def _check_count(count: int, start: int) -> tuple[int, int]:
    count = check_int("count", count, 0, MAX_CHAINS, where="simulate_chains", error=ChainParameterError)
    start = check_int("start", start, 0, 2**62, where="simulate_chains", error=ChainParameterError)
    return count, start


def simulate_chains(graph: SearchGraph, strategy: str, count: int, budget: int | None = None, seed: int = 0,
                    stream: int = 0, start: int = 0, trace_width: int = 0) -> ChainRuns:
    """Run chains ``start .. start + count - 1`` of ``strategy`` on ``graph`` with ``budget`` moves each.

    Parameters
    ----------
    graph : SearchGraph
    strategy : {"dfs", "bfs", "walk", "shortest"}
    count : int
        Number of chains.
    budget : int, optional
        Moves per chain; ``None``: until the target (a walk then runs until it hits it).
    seed, stream : int
        The run: chain ``c`` draws from ``chain_states(run_base(seed, strategy, stream), c, 1)``.
        Use one ``stream`` per graph (e.g. the record index) for independent chains per graph.
    start : int
        Index of the first chain.
    trace_width : int
        Keep the first ``trace_width`` nodes of every trace (0: none).

    Returns
    -------
    ChainRuns

    Notes
    -----
    O(count x trace length x degree) time in one Numba loop (one core), O(N) scratch memory plus
    the ``count`` results; ``shortest`` needs no draws (one BFS).

    Example
    -------
    >>> from serialcomp.chains.graph import graphs_of
    >>> from serialcomp.problems import get_problem
    >>> g = graphs_of(get_problem("reach:flower").sample(51, 1, seed=0, layout="lmt"))[0]
    >>> runs = simulate_chains(g, "dfs", 4000, seed=0)
    >>> bool(0.02 < runs.shortest().mean() < 0.045), bool(36 < runs.used().mean() < 40)   # 2**-5, 8d - 2 = 38
    (True, True)
    """
    strategy = check_strategy(strategy)
    budget = check_budget(budget)
    count, start = _check_count(count, start)
    width = check_int("trace_width", trace_width, 0, 2**20, where="simulate_chains", error=ChainParameterError)
    states = chain_states(run_base(seed, strategy, stream), start, count)
    coins = (_coin_words(states) >> np.uint64(63)).astype(bool)
    traces = np.full((count, width), -1, dtype=np.int64)
    if strategy == "shortest":
        tr = run_chain(graph, "shortest", budget)
        lengths = np.full(count, tr.length if tr.reached else -1, dtype=np.int64)
        paths = np.full(count, graph.distance if tr.reached else -1, dtype=np.int64)
        w = min(width, len(tr.nodes))
        traces[:, :w] = tr.nodes[:w]
    else:
        lengths = np.empty(count, dtype=np.int64)
        paths = np.empty(count, dtype=np.int64)
        KERNELS[strategy](graph.indptr, graph.indices, graph.source, graph.target, states,
                          -1 if budget is None else budget, lengths, paths, traces)
    return ChainRuns(strategy, budget, graph.distance, lengths, paths, coins, traces if width else None)


def _coin_words(states: np.ndarray) -> np.ndarray:
    """Word 0 of each state: ``mix(state)`` (vectorised :func:`._rng.mix64`)."""
    from ._rng import _U_M1, _U_M2

    with np.errstate(over="ignore"):
        z = states.copy()
        z = (z ^ (z >> np.uint64(30))) * _U_M1
        z = (z ^ (z >> np.uint64(27))) * _U_M2
        return z ^ (z >> np.uint64(31))


def simulate_chains_reference(graph: SearchGraph, strategy: str, count: int, budget: int | None = None,
                              seed: int = 0, stream: int = 0, start: int = 0, trace_width: int = 0) -> ChainRuns:
    """:func:`simulate_chains` by the pure-Python searches of :mod:`.search`, one chain at a time.

    The naive reference the kernels are tested against: the same draws, so the same results.

    Example
    -------
    >>> from serialcomp.chains.graph import SearchGraph
    >>> g = SearchGraph.from_edges([(0, 1), (0, 2), (2, 3)], 4, 0, 3)
    >>> a, b = simulate_chains(g, "dfs", 50, seed=1), simulate_chains_reference(g, "dfs", 50, seed=1)
    >>> bool((a.lengths == b.lengths).all())
    True
    """
    strategy = check_strategy(strategy)
    budget = check_budget(budget)
    count, start = _check_count(count, start)
    states = chain_states(run_base(seed, strategy, stream), start, count).tolist()
    lengths, paths, coins = [], [], []
    traces = np.full((count, trace_width), -1, dtype=np.int64)
    for c, st in enumerate(states):
        tr = run_chain(graph, strategy, budget, st)
        lengths.append(tr.length if tr.reached else -1)
        paths.append(len(tr.path) - 1 if tr.reached else -1)
        coins.append(coin(st))
        w = min(trace_width, len(tr.nodes))
        traces[c, :w] = tr.nodes[:w]
    return ChainRuns(strategy, budget, graph.distance, np.array(lengths, dtype=np.int64),
                     np.array(paths, dtype=np.int64), np.array(coins, dtype=bool), traces if trace_width else None)
