"""Wall time of the main job, ``serialcomp study`` (quick and default grids), and where it goes.

Usage: python benchmarks/bench_study.py [--rounds R] [--compare OLD_TREE] [--out FILE.md]

Each run is a fresh ``python -m serialcomp study --json`` process: first ``--quick`` with an empty
Numba cache (a new machine's first run: every kernel compiles), then both grids with the cache warm
(as after the first run on a machine), ``--rounds`` times each, keeping the median; the
per-problem split sums the ``seconds`` of each cell (timings.csv; results.parquet in older trees:
build, compile, sample and simulate each cell).

``--compare OLD_TREE`` runs a second source tree (a checkout or ``git archive`` of an older
commit, put first on PYTHONPATH) the same way, alternating old and new runs so that a shared
machine's load falls on both alike, and reports the ratio new / old for each grid. Goals
(issue 4): default grid within 2 minutes, ``--quick`` within 30 seconds on a 2-core machine.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pandas as pd


def _run(quick: bool, tree: str | None = None, cache: str | None = None) -> tuple[float, pd.DataFrame]:
    env = dict(os.environ)
    if tree is not None:
        env["PYTHONPATH"] = tree + (os.pathsep + env["PYTHONPATH"] if env.get("PYTHONPATH") else "")
    if cache is not None:
        env["NUMBA_CACHE_DIR"] = cache
    with tempfile.TemporaryDirectory() as d:
        out = Path(d) / "results"
        args = [sys.executable, "-m", "serialcomp", "study", "--out", str(out), "--json"] + (["--quick"] if quick else [])
        t0 = time.perf_counter()
        subprocess.run(args, check=True, capture_output=True, env=env, cwd=tree or None)
        wall = time.perf_counter() - t0
        table = pd.read_parquet(out / "results.parquet")
        if "seconds" not in table.columns:  # since issue 15 the seconds are in timings.csv, in the same order
            table["seconds"] = pd.read_csv(out / "timings.csv")["seconds"].to_numpy()
    return wall, table


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--rounds", type=int, default=1, help="runs of each grid; the median is reported")
    ap.add_argument("--compare", metavar="OLD_TREE", default=None, help="an older source tree to time beside this one")
    ap.add_argument("--out", type=Path, default=None)
    args = ap.parse_args()
    trees = {"new": None} if args.compare is None else {"old": str(Path(args.compare).resolve()), "new": None}
    cold = {}
    for name, tree in trees.items():
        with tempfile.TemporaryDirectory() as cache:
            cold[name] = _run(True, tree, cache)
        _run(True, tree)  # warm the Numba cache of that tree
    walls: dict[tuple[str, bool], list[float]] = {}
    tables: dict[tuple[str, bool], pd.DataFrame] = {}
    for _ in range(args.rounds):
        for quick in (True, False):
            for name, tree in trees.items():  # alternate: the machine's load falls on both trees
                wall, tables[name, quick] = _run(quick, tree)
                walls.setdefault((name, quick), []).append(wall)
    med = {k: statistics.median(v) for k, v in walls.items()}
    lines = []
    if args.compare is None:
        lines += ["| grid | cells | wall time (s) | goal (s) |", "|---|---:|---:|---:|",
                  f"| --quick, cold (empty Numba cache: every kernel compiles) | {len(cold['new'][1])} | {cold['new'][0]:.1f} | 30 |"]
        for quick, goal in ((True, 30), (False, 120)):
            lines.append(f"| {'--quick' if quick else 'default'}, warm cache | {len(tables['new', quick])} | {med['new', quick]:.1f} | {goal} |")
    else:
        lines += ["| grid | cells (old / new) | wall time, old (s) | wall time, new (s) | new / old |", "|---|---:|---:|---:|---:|",
                  f"| --quick, cold | {len(cold['old'][1])} / {len(cold['new'][1])} | {cold['old'][0]:.1f} | {cold['new'][0]:.1f} | "
                  f"{cold['new'][0] / cold['old'][0]:.2f} |"]
        for quick in (True, False):
            o, n = med["old", quick], med["new", quick]
            lines.append(f"| {'--quick' if quick else 'default'}, warm (median of {args.rounds}) | "
                         f"{len(tables['old', quick])} / {len(tables['new', quick])} | {o:.1f} | {n:.1f} | {n / o:.2f} |")
    split = tables["new", False].groupby("problem", sort=False)["seconds"].agg(["count", "sum"]).reset_index()
    lines += ["", "Default grid, time per problem (cells, seconds):", "", "| problem | cells | seconds |", "|---|---:|---:|"]
    for _, r in split.iterrows():
        lines.append(f"| `{r['problem']}` | {int(r['count'])} | {r['sum']:.2f} |")
    text = "\n".join(lines) + "\n"
    print(text)
    if args.out:
        args.out.write_text(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
