"""The ``serialcomp study`` subcommand: the main job, every problem x circuit family x n."""

from __future__ import annotations

import argparse
import json
import sys
import time

__all__ = ["register", "run"]


def run(args: argparse.Namespace) -> int:
    """Run ``serialcomp study``; returns the exit status."""
    from ..measure.grid import default_grid
    from ..measure.study import check_out_dir, markdown_tables, study, write_study

    check_out_dir(args.out, "--out")  # fail before the run, not after it
    grid = default_grid(quick=args.quick, problems=args.problems)
    t0 = time.perf_counter()
    table = study(grid, seed=args.seed, progress=not args.json and sys.stderr.isatty())
    paths = write_study(table, args.out)
    if args.json:
        from ..measure.study import json_rows

        print(json.dumps(json_rows(table), indent=1))
    else:
        print(markdown_tables(table))
        print(f"{len(table)} rows in {time.perf_counter() - t0:.1f} s; wrote " + ", ".join(str(p) for p in paths.values()))
    return 0


def register(subparsers: "argparse._SubParsersAction[argparse.ArgumentParser]") -> None:
    """Add the ``study`` subcommand."""
    q = subparsers.add_parser(
        "study",
        help="the main job: depth and accuracy of parallel vs. recurrent circuit families on every problem",
        description="Run the default grid problems x circuit families x n: build each circuit once, measure depth, "
        "size and serial depth, fit the growth among 1, log n, log^2 n, sqrt n, n, n log n, n^2, simulate sampled "
        "instances against the reference solver, and write results.parquet, table.md, depth.png and accuracy.png.",
    )
    q.add_argument("--quick", action="store_true", help="small sizes (about 10 s on 2 cores; the default grid takes about 35 s; a first run on a new machine adds up to 20 s of Numba compilation)")
    q.add_argument("--problems", nargs="+", metavar="KEY", help="only these problem keys (default: all in the grid)")
    q.add_argument("--out", default="results", metavar="DIR", help="output folder (default: ./results)")
    q.add_argument("--seed", type=int, default=0, help="seed for the sampled instances (default 0)")
    q.add_argument("--json", action="store_true", help="print the rows as JSON instead of tables")
    q.set_defaults(func=run)
