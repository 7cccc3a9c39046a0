"""The ``serialcomp study`` subcommand: the main job, every problem x circuit family x n."""

from __future__ import annotations

import argparse
import json
import sys
import time

__all__ = ["register", "run"]


def run(args: argparse.Namespace) -> int:
    """Run ``serialcomp study``; returns the exit status.

    The output folder is checked before the run (a bad ``--out`` fails at once) and written whole
    after it: an error or Ctrl-C leaves a previous result folder as it was.
    """
    from ..measure.grid import default_grid
    from ..measure.output import check_out_dir, json_rows, markdown_tables, write_study
    from ..measure.study import study_cells, study_table

    check_out_dir(args.out, "--out")
    grid = default_grid(quick=args.quick, problems=args.problems)
    t0 = time.perf_counter()
    table = study_table(study_cells(grid, seed=args.seed, progress=not args.json and sys.stderr.isatty()))
    markdown = markdown_tables(table)
    paths = write_study(table, args.out, markdown=markdown, what="--out")
    if args.json:
        print(json.dumps(json_rows(table), indent=1))
    else:
        print(markdown)
        print(f"{len(table)} rows in {time.perf_counter() - t0:.1f} s; wrote " + ", ".join(str(p) for p in paths.values()))
    return 0


def register(subparsers: "argparse._SubParsersAction[argparse.ArgumentParser]") -> None:
    """Add the ``study`` subcommand."""
    q = subparsers.add_parser(
        "study",
        help="the main job: depth and accuracy of parallel vs. recurrent circuit families on every problem",
        description="Run the default grid problems x circuit families x n: build each circuit once, measure depth, "
        "size and serial depth, fit the growth among 1, log n, log^2 n, sqrt n, n, n log n, n^2 ('undetermined' when "
        "the sizes cannot tell the best two apart), simulate sampled instances against the reference solver, and "
        "write results.parquet, table.md, depth.png and accuracy.png. The output folder is replaced as a whole "
        "when the run is complete, so it must be new, empty, or a previous study's.",
    )
    q.add_argument("--quick", action="store_true", help="small sizes (about 10 s on 2 cores; the default grid takes about 35 s; a first run on a new machine adds up to 20 s of Numba compilation)")
    q.add_argument("--problems", nargs="+", metavar="KEY", help="only these problem keys (default: all in the grid)")
    q.add_argument("--out", default="results", metavar="DIR", help="output folder, replaced whole when the run completes (default: ./results)")
    q.add_argument("--seed", type=int, default=0, help="seed for the sampled instances (default 0)")
    q.add_argument("--json", action="store_true", help="print the rows as JSON instead of tables")
    q.set_defaults(func=run)
