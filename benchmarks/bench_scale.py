"""The large study grid on a Dask LocalCluster of 1 worker against 2 workers, in one run.

Usage: python benchmarks/bench_scale.py [--grid large|default|quick] [--inproc] [--out FILE.md]

Each run is a fresh ``python -m serialcomp study --grid GRID --scheduler local:W --json`` process
(W = 1, then 2; a LocalCluster of W worker processes with one thread each, started and closed by
the command, so the times include starting the cluster). ``--inproc`` adds the in-process run
(no Dask) first. The Numba cache is warmed by a quick study before the timed runs. Every run's
results.parquet must be the same bytes as the first one's (the study is a function of its grid
and seed, wherever its cells run); the script fails otherwise.

The table gives each run's wall time, the ratio to one worker, the 1-minute load average (mean of
its start and end: the machine is shared), and the sum of the cells' own seconds (timings.csv: the work, whichever worker did it). With 2 workers the wall time cannot drop
below the longest single cell, which the table also gives.
"""

from __future__ import annotations

import argparse
import hashlib
import os
import platform
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pandas as pd


def _study(out: Path, grid: str, scheduler: str | None) -> float:
    args = [sys.executable, "-m", "serialcomp", "study", "--grid", grid, "--json", "--out", str(out)]
    if scheduler is not None:
        args += ["--scheduler", scheduler]
    t0 = time.perf_counter()
    subprocess.run(args, check=True, stdout=subprocess.DEVNULL, env=dict(os.environ))
    return time.perf_counter() - t0


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--grid", default="large", choices=["quick", "default", "large"])
    ap.add_argument("--inproc", action="store_true", help="also time the in-process run (no Dask)")
    ap.add_argument("--out", type=Path, default=None, help="write the Markdown here too")
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as d:
        _study(Path(d) / "warm", "quick", None)  # compile every Numba kernel into the cache first
        runs = ([("in process (no Dask)", None)] if args.inproc else []) + [("local:1", "local:1"), ("local:2", "local:2")]
        rows, digest = [], None
        for label, scheduler in runs:
            out = Path(d) / label.replace(" ", "_").replace(":", "")
            load = os.getloadavg()[0]
            wall = _study(out, args.grid, scheduler)
            load = (load + os.getloadavg()[0]) / 2  # other work on a shared machine slows 2 workers most
            h = hashlib.sha256((out / "results.parquet").read_bytes()).hexdigest()
            if digest is None:
                digest = h
            elif h != digest:
                print(f"{label}: results.parquet differs from the first run's", file=sys.stderr)
                return 1
            t = pd.read_csv(out / "timings.csv")
            longest = t.loc[t["seconds"].idxmax()]
            rows.append((label, wall, load, len(t), float(t["seconds"].sum()),
                         f"{longest['problem']} {longest['family']} n={longest['n']}: {longest['seconds']:.0f}"))
            print(f"{label}: {wall:.0f} s", file=sys.stderr, flush=True)
    base = next(w for label, w, *_ in rows if label == "local:1")
    lines = [f"`serialcomp study --grid {args.grid}`, measured {time.strftime('%Y-%m-%d')} on {os.cpu_count()} cores "
             f"(Python {platform.python_version()}); every run's results.parquet is the same bytes "
             f"(sha256 {digest[:16]}...).", "",
             "| scheduler | wall time (s) | / local:1 | load average | cells | sum of cell seconds | longest cell (s) |",
             "|---|---:|---:|---:|---:|---:|---|"]
    for label, wall, load, cells, work, longest in rows:
        lines.append(f"| {label} | {wall:.0f} | {wall / base:.2f} | {load:.1f} | {cells} | {work:.0f} | {longest} |")
    text = "\n".join(lines) + "\n"
    print(text)
    if args.out is not None:
        args.out.write_text(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
