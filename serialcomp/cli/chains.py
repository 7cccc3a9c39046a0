"""The ``serialcomp chains`` subcommand: search chains on reach:flower, voted k at a time, and the sweep."""

from __future__ import annotations

import argparse
import json
import math
import textwrap
from typing import Any

from ..errors import ProblemParameterError
from ._common import HelpFormatter, nonnegative_int, positive_int

__all__ = ["register", "run"]


def _rows(table: Any) -> list[dict[str, Any]]:
    out = []
    for rec in table.to_dict(orient="records"):
        row = {}
        for k, v in rec.items():
            if hasattr(v, "item"):
                v = v.item()
            if v is None or (isinstance(v, float) and math.isnan(v)) or str(v) == "<NA>":
                v = None
            row[k] = v
        out.append(row)
    return out


def _show(table: Any) -> str:
    t = table.copy()
    t["budget"] = [("none" if b is None or str(b) == "<NA>" else str(int(b))) for b in t["budget"]]
    return t.to_string(index=False, float_format=lambda x: f"{x:.6g}")


def _sweep(args: argparse.Namespace) -> int:
    from pathlib import Path

    from ..chains.study import sweep, write_sweep

    out = Path(args.out)
    if not out.is_dir():
        if out.exists() or not (out.parent if str(out.parent) else Path(".")).is_dir():
            raise ProblemParameterError(f"--out {out}: no such folder (its parent must exist)")
        out.mkdir()
    petals = args.petals or list(range(1, 9))
    if args.depth not in petals:
        raise ProblemParameterError(f"--depth {args.depth} must be one of --petals {petals}")
    table = sweep(petals)
    paths = write_sweep(out, table, depth=args.depth)
    dfs = table[(table.strategy == "dfs")]
    summary = []
    for d in petals:
        at_d = dfs[(dfs.petals == d) & (dfs.budget == 3 * d)]
        top = at_d[at_d.k == at_d.k.max()].iloc[0]
        free = dfs[(dfs.petals == d) & dfs.budget.isna() & (dfs.k == 1)].iloc[0]
        summary.append({"petals": d, "budget": 3 * d, "k": int(top.k), "single_success": float(top.single_success),
                        "any_at_k": float(top.any_at_k), "maj_at_k": float(top.maj_at_k),
                        "dfs_shortest": float(free.path_is_shortest), "dfs_mean_trace_len": float(free.mean_trace_len)})
    if args.json:
        print(json.dumps({"rows": len(table), "files": {k: str(v) for k, v in paths.items()}, "summary": summary},
                         indent=1))
    else:
        import pandas as pd

        print(pd.DataFrame(summary).to_string(index=False, float_format=lambda x: f"{x:.6g}"))
        print(f"{len(table)} exact rows (d = {petals[0]}..{petals[-1]}; dfs, bfs, walk, shortest; budgets 3d x 1, 2, "
              f"4, 8, 16 and none; k = 1..4096); wrote {paths['parquet']}, {paths['png']}")
    return 0


def run(args: argparse.Namespace) -> int:
    """Run ``serialcomp chains``; returns the exit status."""
    if args.sweep:
        return _sweep(args)
    from ..chains.study import chain_table
    from .generate import parse_param

    if args.n is None:
        raise ProblemParameterError("--n N is required (nodes per component; 10*petals + 1 with --param layout=lmt), "
                                    "or give --sweep")
    params = dict(parse_param(p) for p in args.param or [])
    for key in ("n", "count", "seed"):
        if key in params:
            raise ProblemParameterError(f"--param {key}=...: {key} is not a problem parameter; use --{key}")
    table = chain_table(args.n, args.strategy, args.budget, args.k, count=args.count, seed=args.seed,
                        exact=args.exact, rule=args.rule, errors=args.errors, key=args.problem, **params)
    if args.json:
        print(json.dumps(_rows(table), indent=1))
    else:
        print(_show(table))
    return 0


def register(subparsers: "argparse._SubParsersAction[argparse.ArgumentParser]") -> None:
    """Add the ``chains`` subcommand."""
    q = subparsers.add_parser(
        "chains",
        help="test-time compute: search chains (dfs, bfs, walk, shortest) on reach:flower, voted k at a time",
        description=textwrap.fill(
            "Run search chains on COUNT sampled reach:flower instances (--param layout=lmt: the graphs of 'Let Me "
            "Think!') and print one row per k: the accuracy of one chain, of a trace verifier over k chains "
            "(any@k: the target a trace reaches, else a coin), of their majority vote (maj@k, ties at random), the "
            "fraction of chains whose s-t path is a shortest path, and the mean trace length written (the paper's "
            "len(trace) - 1, at most the budget). A chain that runs out of budget answers by --rule. Monte Carlo "
            "runs max(K) chains per instance (Numba kernels; any@k and maj@k averaged over all k-subsets); --exact "
            "uses the exact laws (DP over the flower's petals for dfs, over BFS layers for bfs, the walk's "
            "hitting-time law). --sweep writes the exact table of d = 1..8 to OUT/chains.parquet and "
            "OUT/chains.png (each written whole, then renamed).", 96),
        formatter_class=HelpFormatter,
    )
    q.add_argument("--problem", default="reach:flower", metavar="KEY", help="the problem (reach:flower)")
    q.add_argument("--n", type=positive_int, default=None, help="nodes per component (10*petals + 1 for layout=lmt)")
    q.add_argument("--param", action="append", metavar="K=V",
                   help="problem parameter, repeatable (layout=lmt, petals=D, short/long/dead for lmt)")
    q.add_argument("--strategy", default="dfs", choices=["dfs", "bfs", "walk", "shortest"],
                   help="the search: random-order DFS, random-order BFS, random walk, or a shortest path (oracle)")
    q.add_argument("--budget", type=nonnegative_int, default=None, metavar="L",
                   help="moves per chain (default: none, every chain runs until it reaches the target)")
    q.add_argument("--k", type=positive_int, nargs="+", default=[1], metavar="K", help="chains per vote, one row each")
    q.add_argument("--count", type=positive_int, default=100, metavar="C", help="instances sampled (default 100)")
    q.add_argument("--seed", type=nonnegative_int, default=0, help="seed of the instances and the chains")
    q.add_argument("--exact", action="store_true", help="exact laws instead of Monte Carlo")
    q.add_argument("--rule", default="guess", choices=["guess", "abstain"],
                   help="a chain out of budget answers a random target (guess) or nothing (abstain)")
    q.add_argument("--errors", action="store_true", help="add the standard errors of the Monte Carlo columns")
    q.add_argument("--json", action="store_true", help="print the rows as JSON")
    q.add_argument("--sweep", action="store_true",
                   help="write the exact sweep: OUT/chains.parquet and OUT/chains.png (success against k for each d; "
                   "sequential against parallel at equal compute)")
    q.add_argument("--out", default="results", metavar="DIR",
                   help="folder of --sweep's files, made if missing (default ./results); other files in it are kept")
    q.add_argument("--petals", type=positive_int, nargs="+", default=None, metavar="D",
                   help="depths of --sweep (default 1..8)")
    q.add_argument("--depth", type=positive_int, default=5, help="the depth of --sweep's equal-compute panel (default 5)")
    q.set_defaults(func=run)
