"""The ``serialcomp study`` subcommand: the main job, every problem x circuit family x n."""

from __future__ import annotations

import argparse
import json
import sys
import time

from ..errors import ProblemParameterError

__all__ = ["register", "run"]


def run(args: argparse.Namespace) -> int:
    """Run ``serialcomp study``; returns the exit status.

    The output folder is checked before the run (a bad ``--out`` fails at once) and written whole
    after it: an error or Ctrl-C leaves a previous result folder as it was.
    """
    from ..measure.grid import default_grid
    from ..measure.output import check_out_dir, json_rows, markdown_tables, write_study
    from ..measure.study import study_cells, study_table

    if args.quick and args.grid not in (None, "quick"):
        raise ProblemParameterError(f"--quick is --grid quick; it cannot go with --grid {args.grid}")
    name = "quick" if args.quick else (args.grid or "default")
    scheduler = None
    if args.scheduler is not None:
        from ..scale.scheduler import scheduler_option

        scheduler = scheduler_option(args.scheduler)  # a bad spec or a missing extra fails before the run
    check_out_dir(args.out, "--out")
    grid = default_grid(problems=args.problems, name=name)
    t0 = time.perf_counter()
    progress = not args.json and sys.stderr.isatty()
    table = study_table(study_cells(grid, seed=args.seed, progress=progress, scheduler=scheduler))
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
        "write results.parquet (a function of the grid and the seed: the same bytes on every run, with or "
        "without --scheduler), timings.csv (seconds per cell), table.md, depth.png and accuracy.png. They replace "
        "a previous study's files as one set when the run is complete; other files in the folder are kept.",
    )
    q.add_argument("--grid", choices=["quick", "default", "large"], default=None,
                   help="which grid: quick (small sizes, about 14 s on 2 cores), default (about 50 s), large (sizes "
                   "for a cluster: about 8.5 minutes on one core; see docs/BENCHMARKS.md). A first run on a new "
                   "machine adds up to 20 s of Numba compilation")
    q.add_argument("--quick", action="store_true", help="the same as --grid quick")
    q.add_argument("--scheduler", metavar="SPEC", default=None,
                   help="where the cells run: none (this process, the default), local or local:N (a Dask "
                   "LocalCluster of N worker processes on this machine), or tcp://HOST:PORT (a running Dask "
                   "scheduler; serialcomp with the same version on every worker). Needs the dask extra: pip "
                   "install 'serialcomp[dask]'. The results are the same bytes as without it")
    q.add_argument("--problems", nargs="+", metavar="KEY", help="only these problem keys (default: all in the grid)")
    q.add_argument("--out", default="results", metavar="DIR", help="output folder: the study's five files there are replaced as one set when the run completes, other files are kept (default: ./results)")
    q.add_argument("--seed", type=int, default=0, help="seed for the sampled instances (default 0)")
    q.add_argument("--json", action="store_true", help="print the rows as JSON instead of tables")
    q.set_defaults(func=run)
