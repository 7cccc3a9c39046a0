"""Wall time of the main job, ``serialcomp study`` (quick and default grids), and where it goes.

Usage: python benchmarks/bench_study.py [--out FILE.md]

Each run is a fresh ``serialcomp study --json`` process: first ``--quick`` with an empty Numba
cache (a new machine's first run: every kernel compiles), then both grids with the cache warm (as
after the first run on a machine); the per-problem split sums the ``seconds`` column of the results table (build,
compile, sample and simulate each cell). Goals (issue 4): default grid within 2 minutes, ``--quick``
within 30 seconds on a 2-core machine.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pandas as pd


def _run(quick: bool, env: dict | None = None) -> tuple[float, pd.DataFrame]:
    exe = shutil.which("serialcomp")
    cmd = [exe] if exe else [sys.executable, "-m", "serialcomp"]
    with tempfile.TemporaryDirectory() as d:
        args = cmd + ["study", "--out", d, "--json"] + (["--quick"] if quick else [])
        t0 = time.perf_counter()
        subprocess.run(args, check=True, capture_output=True, env=env)
        wall = time.perf_counter() - t0
        table = pd.read_parquet(Path(d) / "results.parquet")
    return wall, table


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--out", type=Path, default=None)
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as cache:
        cold, table = _run(True, env=dict(os.environ, NUMBA_CACHE_DIR=cache))
    _run(True)  # warm the Numba cache
    lines = ["| grid | cells | wall time (s) | goal (s) |", "|---|---:|---:|---:|",
             f"| --quick, cold (empty Numba cache: every kernel compiles) | {len(table)} | {cold:.1f} | 30 |"]
    split = []
    for quick, goal in ((True, 30), (False, 120)):
        wall, table = _run(quick)
        name = "--quick, warm cache" if quick else "default, warm cache"
        lines.append(f"| {name} | {len(table)} | {wall:.1f} | {goal} |")
        if not quick:
            split = table.groupby("problem", sort=False)["seconds"].agg(["count", "sum"]).reset_index()
    lines += ["", "Default grid, time per problem (cells, seconds):", "",
              "| problem | cells | seconds |", "|---|---:|---:|"]
    for _, r in split.iterrows():
        lines.append(f"| `{r['problem']}` | {int(r['count'])} | {r['sum']:.2f} |")
    text = "\n".join(lines) + "\n"
    print(text)
    if args.out:
        args.out.write_text(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
