"""Sampling throughput of the serial problems ``ca:rule110/30/90``, ``sudoku`` and ``timelock``.

Usage: python benchmarks/bench_problems_part2.py [--quick] [--out FILE.md]

Unit: instances per second of ``Problem.sample`` (targets included: the CA evolved step by step,
sudoku puzzles generated, rated and solved, time-lock answers through the phi(N) shortcut), single
process, after one warm-up call (Numba compilation excluded), best of ``--repeat`` timed calls.
Each problem is measured at two sizes; the sudoku rows also show the band 4-6 asked in issue 3
(goal: >= 20 rated puzzles per second) and puzzles that need search.
"""

from __future__ import annotations

import argparse
import os
import platform
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))

from serialcomp.problems import get_problem  # noqa: E402

# (key, n, params, count, quick count)
CASES = [
    ("ca:rule110", 64, {}, 4096, 512),
    ("ca:rule110", 256, {}, 4096, 512),
    ("ca:rule30", 64, {}, 4096, 512),
    ("ca:rule30", 256, {}, 4096, 512),
    ("ca:rule90", 63, {}, 4096, 512),  # odd widths: on a 2^k ring rule 90 dies out (refused)
    ("ca:rule90", 255, {}, 4096, 512),
    # sudoku: n is the smallest propagation rating; rating_max (default n) the largest
    ("sudoku", 4, {"rating_max": 6}, 400, 50),  # the goal band 4-6
    ("sudoku", 5, {}, 400, 50),
    ("sudoku", 15, {}, 100, 10),
    ("sudoku", 1, {"rating_max": -1}, 100, 10),  # puzzles propagation cannot finish (need search)
    ("timelock", 64, {}, 400, 50),
    ("timelock", 512, {}, 20, 3),
]


def measure(key: str, n: int, params: dict, count: int, repeat: int) -> float:
    """Seconds of the best of ``repeat`` calls of ``sample(n, count)`` (fresh seed per call)."""
    prob = get_problem(key)
    prob.sample(n, 2, seed=12345, **params)  # warm-up: imports, Numba compilation
    best = float("inf")
    for r in range(repeat):
        t0 = time.perf_counter()
        prob.sample(n, count, seed=r, **params)
        best = min(best, time.perf_counter() - t0)
    return best


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--quick", action="store_true", help="small counts (a smoke run)")
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--out", type=Path, help="also write the table to this Markdown file")
    args = ap.parse_args(argv)

    lines = [
        f"Machine: {platform.processor() or platform.machine()}, {os.cpu_count()} CPUs, "
        f"Python {platform.python_version()}; single process, best of {args.repeat}.",
        "",
        "| problem | n | params | count | seconds | instances/s |",
        "|---|---:|---|---:|---:|---:|",
    ]
    notes = ["", "n is the ring width for ca:*, the smallest propagation rating for sudoku (rating_max "
             "defaults to n; -1 asks for puzzles that need search) and the bits per prime for timelock."]
    print("\n".join(lines), flush=True)
    for key, n, params, count, quick in CASES:
        c = quick if args.quick else count
        shown = dict(params)
        if key.startswith(("ca:", "timelock")):
            shown.setdefault("t", n)
        secs = measure(key, n, params, c, args.repeat)
        ptxt = ", ".join(f"{k}={v}" for k, v in shown.items()) or "-"
        line = f"| {key} | {n} | {ptxt} | {c} | {secs:.3f} | {c / secs:,.0f} |"
        print(line, flush=True)
        lines.append(line)
    print("\n".join(notes))
    lines += notes
    if args.out:
        args.out.write_text("\n".join(lines) + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
