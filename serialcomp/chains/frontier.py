"""Sequential against parallel at equal compute: the frontier over ``k x L``, and hybrids.

Compute is the total trace length written, ``k * L`` for ``k`` chains of budget ``L`` (a chain that
reaches the target early stops early, so this is the budget, the worst case, as in the paper's
token budgets). Depth is the longest dependent sequence: ``L`` for ``k`` parallel chains, ``k * L``
for one chain. At a total ``B``:

- *sequential*: one chain of budget ``B`` (``k = 1``);
- *parallel*: ``k = B // L`` chains of a short budget ``L``, aggregated by maj@k or any@k;
- the *frontier*: the best split ``k x (B // k)`` over a set of ``k``.

Hybrids between the two (:func:`hybrid_table`): ``k`` chains of budget ``L`` (the width of GRAM);
``k`` chains started at staggered *offsets* ``0, s, 2s, ...`` that share a deadline ``T`` (chain ``j``
has budget ``T - j*s``, like parallel loops with offsets); one chain that *restarts* its search
``r`` times with budget ``L`` each (the work of ``r`` parallel chains at ``r`` times their depth).
"""

from __future__ import annotations

from typing import Any, Sequence

import numpy as np

from .._validate import check_int
from .distribution import TraceDistribution
from .graph import ChainParameterError
from .search import check_rule
from .vote import any_at_k, any_mixed, maj_at_k, maj_mixed, single_success

__all__ = ["AGGREGATES", "aggregate", "frontier", "sequential_vs_parallel", "offset_chains", "restart_chain",
           "hybrid_table"]

AGGREGATES = ("maj", "any")
"""How k chains are aggregated on the frontier: majority vote, or a trace verifier (any@k)."""


def aggregate(p: float, k: int, how: str = "maj", rule: str = "guess") -> float:
    """Accuracy of ``k`` chains that each reach the target with probability ``p``: maj@k or any@k.

    Example
    -------
    >>> aggregate(0.5, 1), aggregate(0.5, 2, "any")
    (0.75, 0.875)
    """
    if how not in AGGREGATES:
        raise ChainParameterError(f"aggregate must be one of {', '.join(AGGREGATES)}, got {how!r}")
    p = min(1.0, max(0.0, float(p)))
    return maj_at_k(p, k, rule) if how == "maj" else any_at_k(p, k)


def frontier(law: TraceDistribution, totals: Sequence[int], ks: Sequence[int] | None = None, how: str = "maj",
             rule: str = "guess") -> Any:
    """Every split ``k x (B // k)`` of each total ``B`` and the best one: the compute-optimal frontier.

    Parameters
    ----------
    law : TraceDistribution
        One chain's law.
    totals : sequence of int
        Total trace lengths ``B``.
    ks : sequence of int, optional
        The numbers of chains tried (default: the powers of two up to ``B``).
    how : {"maj", "any"}
    rule : {"guess", "abstain"}

    Returns
    -------
    pandas.DataFrame
        Columns ``total, k, budget, accuracy, best`` (``best``: the most accurate split of its
        total, the fewest chains among equals).

    Notes
    -----
    O(len(totals) x len(ks) x k) (maj@k's binomial law).

    Example
    -------
    >>> from serialcomp.chains.exact_dfs import dfs_distribution
    >>> from serialcomp.chains.flower import lmt_flower
    >>> f = frontier(dfs_distribution(lmt_flower(3)), [9, 64])
    >>> f[f.best][["total", "k", "budget"]].values.tolist()
    [[9, 1, 9], [64, 1, 64]]
    """
    import pandas as pd

    check_rule(rule)
    rows = []
    for B in totals:
        B = check_int("total", B, 1, 2**40, where="frontier", error=ChainParameterError)
        cand = sorted({int(k) for k in (ks if ks is not None else [2**i for i in range(B.bit_length())]) if 1 <= k <= B})
        if law.horizon is not None:
            cand = [k for k in cand if B // k <= law.horizon]
        accs = [aggregate(law.reach(B // k), k, how, rule) for k in cand]
        top = max(accs) if accs else None
        first = next((k for k, a in zip(cand, accs) if a >= top - 1e-12), None) if accs else None
        rows += [{"total": B, "k": k, "budget": B // k, "accuracy": a, "best": k == first} for k, a in zip(cand, accs)]
    return pd.DataFrame(rows, columns=["total", "k", "budget", "accuracy", "best"])


def sequential_vs_parallel(law: TraceDistribution, totals: Sequence[int], budget: int, rule: str = "guess") -> Any:
    """At each total ``B``: one chain of budget ``B`` against ``B // budget`` chains of ``budget``.

    Returns
    -------
    pandas.DataFrame
        Columns ``total, sequential, parallel_maj, parallel_any, k`` (``k = B // budget``;
        rows with ``k = 0`` are left out).

    Example
    -------
    >>> from serialcomp.chains.exact_dfs import dfs_distribution
    >>> from serialcomp.chains.flower import lmt_flower
    >>> t = sequential_vs_parallel(dfs_distribution(lmt_flower(4)), [12, 120], 12)
    >>> t.round(3).values.tolist()
    [[12.0, 0.503, 0.503, 0.503, 1.0], [120.0, 1.0, 0.506, 0.525, 10.0]]
    """
    import pandas as pd

    L = check_int("budget", budget, 0, where="sequential_vs_parallel", error=ChainParameterError)
    p = law.reach(L)
    rows = []
    for B in totals:
        B = check_int("total", B, 1, where="sequential_vs_parallel", error=ChainParameterError)
        k = B // L if L else 0
        if k < 1:
            continue
        rows.append({"total": B, "sequential": single_success(law.reach(B)), "parallel_maj": maj_at_k(p, k, rule),
                     "parallel_any": any_at_k(p, k), "k": k})
    return pd.DataFrame(rows, columns=["total", "sequential", "parallel_maj", "parallel_any", "k"])


def offset_chains(law: TraceDistribution, k: int, deadline: int, stride: int, rule: str = "guess") -> dict[str, Any]:
    """``k`` chains started at times ``0, stride, 2*stride, ...`` with one ``deadline``.

    Chain ``j`` has budget ``deadline - j*stride`` (chains that would start at or after the
    deadline are left out). Returns ``{"budgets", "work", "depth", "maj", "any"}``.

    Example
    -------
    >>> from serialcomp.chains.exact_dfs import dfs_distribution
    >>> from serialcomp.chains.flower import lmt_flower
    >>> o = offset_chains(dfs_distribution(lmt_flower(2)), 4, 20, 4)
    >>> o["budgets"], o["work"], o["depth"]
    ([20, 16, 12, 8], 56, 20)
    """
    k = check_int("k", k, 1, 2**20, where="offset_chains", error=ChainParameterError)
    T = check_int("deadline", deadline, 0, where="offset_chains", error=ChainParameterError)
    s = check_int("stride", stride, 0, where="offset_chains", error=ChainParameterError)
    budgets = [T - j * s for j in range(k) if T - j * s > 0] or [T]
    ps = [law.reach(L) for L in budgets]
    return {"budgets": budgets, "work": int(sum(budgets)), "depth": T, "maj": maj_mixed(ps, rule), "any": any_mixed(ps)}


def restart_chain(law: TraceDistribution, restarts: int, budget: int) -> dict[str, Any]:
    """One chain that starts its search afresh ``restarts`` times, ``budget`` moves each.

    It reaches the target with probability ``1 - (1 - p)**restarts`` and gives one answer.
    Returns ``{"work", "depth", "reach", "accuracy"}`` (work = depth = ``restarts * budget``).

    Example
    -------
    >>> from serialcomp.chains.exact_dfs import dfs_distribution
    >>> from serialcomp.chains.flower import lmt_flower
    >>> round(restart_chain(dfs_distribution(lmt_flower(1)), 2, 3)["reach"], 12)   # 1 - (2/3)**2
    0.555555555556
    """
    r = check_int("restarts", restarts, 1, 2**30, where="restart_chain", error=ChainParameterError)
    L = check_int("budget", budget, 0, where="restart_chain", error=ChainParameterError)
    reach = 1.0 - (1.0 - law.reach(L)) ** r
    return {"work": r * L, "depth": r * L, "reach": reach, "accuracy": (1.0 + reach) / 2.0}


def hybrid_table(law: TraceDistribution, total: int, ks: Sequence[int], rule: str = "guess") -> Any:
    """At one total ``B``, for each ``k``: k parallel chains of ``B // k``, k restarts of ``B // k``,
    and k offset chains sharing a deadline, started at equal intervals (chain ``j`` of budget
    ``floor(2B (k - j) / (k (k + 1)))``: their budgets sum to at most B).

    Returns
    -------
    pandas.DataFrame
        Columns ``scheme, k, work, depth, accuracy`` (schemes ``sequential`` (k = 1),
        ``parallel maj``, ``parallel any``, ``restarts``, ``offsets maj``, ``offsets any``).

    Example
    -------
    >>> from serialcomp.chains.exact_dfs import dfs_distribution
    >>> from serialcomp.chains.flower import lmt_flower
    >>> h = hybrid_table(dfs_distribution(lmt_flower(3)), 64, [1, 4])
    >>> sorted(set(h.scheme))[:3]
    ['offsets any', 'offsets maj', 'parallel any']
    """
    import pandas as pd

    B = check_int("total", total, 1, where="hybrid_table", error=ChainParameterError)
    rows = [{"scheme": "sequential", "k": 1, "work": B, "depth": B, "accuracy": single_success(law.reach(B))}]
    for k in ks:
        k = check_int("k", k, 1, B, where=f"hybrid_table with total {B}", error=ChainParameterError)
        L = B // k
        p = law.reach(L)
        rows.append({"scheme": "parallel maj", "k": k, "work": k * L, "depth": L, "accuracy": maj_at_k(p, k, rule)})
        rows.append({"scheme": "parallel any", "k": k, "work": k * L, "depth": L, "accuracy": any_at_k(p, k)})
        rs = restart_chain(law, k, L)
        rows.append({"scheme": "restarts", "k": k, "work": rs["work"], "depth": rs["depth"],
                     "accuracy": rs["accuracy"]})
        budgets = [b for b in ((2 * B * (k - j)) // (k * (k + 1)) for j in range(k)) if b > 0] or [B]
        ps = [law.reach(b) for b in budgets]
        for how, acc in (("maj", maj_mixed(ps, rule)), ("any", any_mixed(ps))):
            rows.append({"scheme": f"offsets {how}", "k": k, "work": sum(budgets), "depth": budgets[0], "accuracy": acc})
    return pd.DataFrame(rows, columns=["scheme", "k", "work", "depth", "accuracy"])
