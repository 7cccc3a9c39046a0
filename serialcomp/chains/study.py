"""The chain statistics as tables: one row per k for sampled instances, and the sweep over the depth.

:func:`chain_table` is what ``serialcomp chains`` prints: for ``count`` instances of
``reach:flower`` (either layout) and one strategy and budget, one row per ``k`` with the columns of
:data:`COLUMNS`, from simulated chains (Monte Carlo, ``max(ks)`` chains per instance) or from the
exact laws (``exact=True``: the DP of each instance's structure, averaged over the instances;
every instance of the ``lmt`` layout has the same structure, so there it is the exact value).
:func:`sweep` computes the exact table of the paper's flowers for d = 1 .. 8, every strategy, a
ladder of budgets and k = 1 .. 4096, :func:`plot_sweep` its figure, :func:`write_sweep` both files.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any, Sequence

import numpy as np

from .._validate import check_int
from .distribution import TraceDistribution
from .exact_bfs import bfs_distribution
from .exact_dfs import dfs_distribution
from .exact_walk import shortest_distribution, walk_distribution
from .flower import Flower, flower_of, lmt_flower
from .frontier import frontier, sequential_vs_parallel
from .graph import ChainParameterError, SearchGraph, graphs_of
from .montecarlo import simulate_chains
from .search import STRATEGIES, check_budget, check_rule, check_strategy
from .vote import any_at_k, estimate_votes, maj_at_k, pass_at_k, single_success

__all__ = ["COLUMNS", "exact_law", "chain_table", "sweep", "plot_sweep", "write_sweep", "SWEEP_KS"]

COLUMNS = ["petals", "strategy", "budget", "k", "single_success", "any_at_k", "maj_at_k", "path_is_shortest",
           "mean_trace_len"]
"""The columns of one row of ``serialcomp chains`` (``budget``: None for no budget)."""

ERROR_COLUMNS = ["se_single", "se_any", "se_maj", "se_shortest", "se_trace_len"]
"""Standard errors of the Monte Carlo columns (across instances), with ``errors=True``."""

SWEEP_KS = tuple(2**i for i in range(13))
"""k of the sweep: 2**0 .. 2**12."""


def exact_law(graph: SearchGraph | Flower, strategy: str, horizon: int | None = None) -> TraceDistribution:
    """The exact law of one chain of ``strategy`` on a graph (DFS: on its flower structure).

    ``horizon``: the largest budget asked for; a walk's law is computed up to it (at least the
    distance), the others are complete.

    Example
    -------
    >>> exact_law(lmt_flower(2), "dfs").mean_used(), exact_law(lmt_flower(2), "shortest").reach(5)
    (14.0, 0.0)
    """
    strategy = check_strategy(strategy)
    if isinstance(graph, Flower):
        flower, g = graph, graph.graph()
    else:
        flower, g = None, graph
    if strategy == "dfs":
        return dfs_distribution(flower if flower is not None else flower_of(g))
    if strategy == "bfs":
        return bfs_distribution(g)
    if strategy == "walk":
        return walk_distribution(g, max(g.distance, 0 if horizon is None else int(horizon)))
    return shortest_distribution(g)


def _structure(g: SearchGraph) -> Flower:
    """A key equal for isomorphic flowers (the exact laws depend only on the structure)."""
    return flower_of(g)


def chain_table(n: int, strategy: str = "dfs", budget: int | None = None, ks: Sequence[int] = (1,),
                count: int = 100, seed: int = 0, exact: bool = False, rule: str = "guess", errors: bool = False,
                key: str = "reach:flower", **params: Any) -> Any:
    """One row per k of chains on ``count`` sampled instances (the table of ``serialcomp chains``).

    Parameters
    ----------
    n : int
        Nodes per component (``10d + 1`` for ``layout="lmt"``).
    strategy : {"dfs", "bfs", "walk", "shortest"}
    budget : int, optional
        Moves per chain (``None``: until the target).
    ks : sequence of int
        Numbers of chains voting.
    count : int
        Instances sampled (seed ``seed``); Monte Carlo runs ``max(ks)`` chains on each.
    exact : bool
        Exact laws instead of Monte Carlo (averaged over the instances' structures).
    rule : {"guess", "abstain"}
        What a chain out of budget answers.
    errors : bool
        Add the standard errors of the Monte Carlo columns (:data:`ERROR_COLUMNS`; 0 when exact).
    key : str
        The problem: ``reach:flower``.
    **params
        Its parameters (``layout``, ``petals``, ...).

    Returns
    -------
    pandas.DataFrame
        Columns :data:`COLUMNS` (and :data:`ERROR_COLUMNS`).

    Notes
    -----
    Monte Carlo: O(count x max(ks) x trace length) in the kernels; exact: one DP per distinct
    structure (one for ``lmt``), O(count) structure reads.

    Example
    -------
    >>> t = chain_table(31, "dfs", budget=9, ks=[1, 64], exact=True, count=2, layout="lmt")
    >>> t[["k", "any_at_k", "maj_at_k"]].round(4).values.tolist()   # p = 1/48: 1 - (47/48)**64 / 2
    [[1.0, 0.5104, 0.5104], [64.0, 0.87, 0.5659]]
    """
    from ..problems import get_problem

    strategy = check_strategy(strategy)
    budget = check_budget(budget)
    rule = check_rule(rule)
    ks = [check_int("k", k, 1, 2**20, where="chain_table", error=ChainParameterError) for k in ks]
    if not ks:
        raise ChainParameterError("chain_table: give at least one k")
    count = check_int("count", count, 1, 2**24, where="chain_table", error=ChainParameterError)
    if key != "reach:flower":
        raise ChainParameterError(f"chains search the (s, t1, t2) task of reach:flower, got --problem {key}")
    inst = get_problem(key).sample(n, count, seed, **params)
    graphs = graphs_of(inst)
    d = int(inst.params["petals"])
    K = max(ks)
    cols: dict[str, list] = {c: [] for c in COLUMNS + ERROR_COLUMNS}
    if exact:
        laws: dict[Any, TraceDistribution] = {}
        per = []
        for g in graphs:
            s = _structure(g)
            if s not in laws:
                laws[s] = exact_law(s if strategy == "dfs" else g, strategy, budget)
            per.append(laws[s])
        p = np.array([law.reach(budget) for law in per])
        sh = float(np.mean([law.shortest(budget) for law in per]))
        used = float(np.mean([law.mean_used(budget) for law in per]))
        for k in ks:
            vals = (np.mean([single_success(x) for x in p]), np.mean([any_at_k(x, k) for x in p]),
                    np.mean([maj_at_k(x, k, rule) for x in p]))
            _row(cols, d, strategy, budget, k, *vals, sh, used, (0.0,) * 5)
    else:
        R, V, S, U = [], [], [], []
        for i, g in enumerate(graphs):
            runs = simulate_chains(g, strategy, K, budget, seed=seed, stream=i)
            R.append(runs.reached(budget))
            V.append(runs.votes(budget, rule))
            S.append(runs.shortest(budget).mean())
            U.append(runs.used(budget).mean())
        est = estimate_votes(np.array(R), np.array(V), ks)
        se = (lambda x: float(np.std(x, ddof=1) / np.sqrt(count)) if count > 1 else 0.0)
        for e in est:
            _row(cols, d, strategy, budget, e.k, e.single_success, e.any_at_k, e.maj_at_k, float(np.mean(S)),
                 float(np.mean(U)), (e.se_single, e.se_any, e.se_maj, se(S), se(U)))
    import pandas as pd

    df = pd.DataFrame(cols, columns=COLUMNS + ERROR_COLUMNS)
    df["budget"] = df["budget"].astype(object)
    return df if errors else df[COLUMNS]


def _row(cols: dict, d: int, strategy: str, budget: int | None, k: int, single: float, anyk: float, majk: float,
         shortest: float, used: float, se: tuple) -> None:
    for c, v in zip(COLUMNS + ERROR_COLUMNS, (d, strategy, budget, k, float(single), float(anyk), float(majk),
                                              float(shortest), float(used), *se)):
        cols[c].append(v)


def _budgets(D: int) -> list[int | None]:
    return [D, 2 * D, 4 * D, 8 * D, 16 * D, None]


def sweep(petals: Sequence[int] = range(1, 9), strategies: Sequence[str] = STRATEGIES,
          ks: Sequence[int] = SWEEP_KS, rule: str = "guess", budgets: Sequence[int | None] | None = None,
          short: int = 3, long: int = 5, dead: int = 3) -> Any:
    """The exact table of the paper's flowers (layout ``lmt``): every depth, strategy, budget and k.

    Budgets: ``budgets`` (the same for every depth; ``None`` in it: no budget), by default
    ``D, 2D, 4D, 8D, 16D`` for the shortest distance ``D = 3d`` of each depth, and no budget; so
    ``sweep([d], ["dfs"], ks, budgets=[L])`` is single_success, any@k, maj@k and pass@k as functions
    of (d, L, k). Columns :data:`COLUMNS` plus ``pass_at_k`` and ``compute`` (``k x budget``, None
    without a budget). ``short``, ``long``, ``dead``: the petal (the paper's 3, 5, 3).

    Notes
    -----
    One exact law per (d, strategy); d = 1 .. 8 with the default ladders takes well under a second
    (the BFS layer DP and the walk's 16D steps dominate).

    Example
    -------
    >>> t = sweep([2], ["dfs"], [1, 4])
    >>> len(t), t.columns.tolist()[-2:]
    (12, ['pass_at_k', 'compute'])
    >>> sweep([5], ["dfs"], [64], budgets=[15])[["any_at_k", "maj_at_k"]].round(4).values.tolist()
    [[0.54, 0.5041]]
    """
    import pandas as pd

    rule = check_rule(rule)
    rows = []
    for d in petals:
        f = lmt_flower(d, short, long, dead)
        ladder = _budgets(f.distance) if budgets is None else [check_budget(b) for b in budgets]
        horizon = max([b for b in ladder if b is not None] or [f.distance])
        for strategy in strategies:
            law = exact_law(f, strategy, horizon)
            for L in ladder:
                p = law.reach(L)
                sh, used = law.shortest(L), law.mean_used(L)
                for k in ks:
                    rows.append({"petals": d, "strategy": strategy, "budget": L, "k": k,
                                 "single_success": single_success(p), "any_at_k": any_at_k(p, k),
                                 "maj_at_k": maj_at_k(p, k, rule), "path_is_shortest": sh, "mean_trace_len": used,
                                 "pass_at_k": pass_at_k(p, k, rule), "compute": None if L is None else k * L})
    df = pd.DataFrame(rows, columns=COLUMNS + ["pass_at_k", "compute"])
    df["budget"] = df["budget"].astype("Int64")
    df["compute"] = df["compute"].astype("Int64")
    return df


def plot_sweep(table: Any, depth: int = 5, path: str | os.PathLike[str] | None = None) -> Any:
    """The sweep's figure: DFS maj@k and any@k against k at budget ``D`` for each d; and, at depth
    ``depth``, one sequential DFS chain against ``B/D`` parallel chains at equal total compute ``B``,
    with the frontier (the best split ``k x B/k``).

    Returns the matplotlib Figure (written to ``path`` as PNG if given).

    Example
    -------
    >>> fig = plot_sweep(sweep([1, 2], ["dfs"], [1, 2, 4]), depth=2)
    >>> len(fig.axes)
    2
    """
    import matplotlib

    matplotlib.use("Agg", force=False)
    import matplotlib.pyplot as plt

    fig, (a, b) = plt.subplots(1, 2, figsize=(12, 4.5))
    dfs = table[table.strategy == "dfs"]
    ds = sorted(set(dfs.petals))
    for i, d in enumerate(ds):
        rows = dfs[(dfs.petals == d) & (dfs.budget == 3 * d)].sort_values("k")
        color = f"C{i % 10}"
        a.plot(rows.k, rows.maj_at_k, "-o", ms=3, color=color, label=f"d={d} maj@k")
        a.plot(rows.k, rows.any_at_k, "--", color=color, label=f"d={d} any@k")
    a.set_xscale("log", base=2)
    a.axhline(0.5, color="grey", lw=0.8, ls=":")
    a.set_xlabel("k chains (budget L = 3d, the shortest distance)")
    a.set_ylabel("accuracy")
    a.set_title("parallel DFS chains: success against k")
    a.legend(fontsize=7, ncol=2)
    d = depth if depth in ds else ds[-1]
    f = lmt_flower(d)
    D = f.distance
    law = dfs_distribution(f)
    totals = sorted({int(x) for x in np.unique(np.round(np.geomspace(D, 2**12 * D, 40)))})
    sp = sequential_vs_parallel(law, totals, D)
    fr = frontier(law, totals, how="maj")
    best = fr[fr.best]
    b.plot(sp.total, sp.sequential, "-", lw=2, label="sequential: 1 chain of budget B")
    b.plot(sp.total, sp.parallel_maj, "-", label=f"parallel: B/{D} chains of {D}, maj@k")
    b.plot(sp.total, sp.parallel_any, "--", label=f"parallel: B/{D} chains of {D}, any@k")
    b.plot(best.total, best.accuracy, ":", color="k", label="frontier: best k x B/k, maj@k")
    b.set_xscale("log", base=2)
    b.axhline(0.5, color="grey", lw=0.8, ls=":")
    b.set_xlabel("total trace length B = k x L")
    b.set_title(f"equal compute, d = {d} (DFS)")
    b.legend(fontsize=8)
    fig.tight_layout()
    if path is not None:
        fig.savefig(path, format="png", dpi=110)
    return fig


def write_sweep(out: str | os.PathLike[str] = "results", table: Any = None, depth: int = 5) -> dict[str, Path]:
    """Write ``chains.parquet`` and ``chains.png`` into the folder ``out``, each to a temporary name
    renamed when complete (an error or interrupt leaves the previous files as they were).

    Example
    -------
    >>> import tempfile
    >>> d = tempfile.mkdtemp()
    >>> sorted(p.name for p in write_sweep(d, sweep([1, 2], ["dfs"], [1, 2]), depth=2).values())
    ['chains.parquet', 'chains.png']
    """
    import contextlib

    import matplotlib.pyplot as plt

    from .._atomic import atomic_path, check_outputs

    out = Path(out)
    paths = {"parquet": out / "chains.parquet", "png": out / "chains.png"}
    check_outputs({"parquet": paths["parquet"], "png": paths["png"]})
    if not out.is_dir():
        raise ChainParameterError(f"--out {out}: no such folder")
    table = sweep() if table is None else table
    with contextlib.ExitStack() as stack:
        tp = stack.enter_context(atomic_path(paths["parquet"], what="--out"))
        tg = stack.enter_context(atomic_path(paths["png"], what="--out"))
        table.to_parquet(tp, index=False)
        fig = plot_sweep(table, depth, tg)
        plt.close(fig)
    return paths
