"""Problem-layer throughput (part 1): instances per second, single process.

Run ``python benchmarks/bench_problems_part1.py [--quick]``; prints Markdown tables:

1. generation rate of every part-1 problem at two sizes (``sample`` only, vectorised numpy);
2. the two goals: ``word:S5`` with prefix products (group elements per second, goal >= 1e7) and
   ``reach:flower`` at 5 petals (graphs per second, goal >= 1e4);
3. export cost: Parquet / JSONL writing time next to generation time for the same records
   (readable records, and ``readable=False``: the stored arrays, e.g. element indices).
"""

from __future__ import annotations

import argparse
import io
import os
import platform
import sys
import tempfile
import time

import numpy as np

from serialcomp.problems import get_problem
from serialcomp.problems.export import write_jsonl, write_parquet

# (key, params, [(n, count), (n, count)])
CASES = [
    ("parity", {}, [(64, 100_000), (1024, 10_000)]),
    ("majority", {}, [(64, 100_000), (1024, 10_000)]),
    ("add", {}, [(64, 100_000), (1024, 10_000)]),
    ("iadd", {}, [(16, 20_000), (64, 2_000)]),
    ("word:Z7", {"prefix": True}, [(64, 100_000), (1024, 10_000)]),
    ("word:S3", {"prefix": True}, [(64, 100_000), (1024, 10_000)]),
    ("word:A4xZ5", {"prefix": True}, [(64, 100_000), (1024, 10_000)]),
    ("word:A5", {"prefix": True}, [(64, 100_000), (1024, 10_000)]),
    ("word:S5", {"prefix": True}, [(64, 100_000), (1024, 10_000)]),
    ("word:flipflop", {"prefix": True}, [(64, 100_000), (1024, 10_000)]),
    ("reach:path", {}, [(32, 20_000), (256, 2_000)]),
    ("reach:flower", {}, [(32, 20_000), (256, 2_000)]),
    ("reach:cycles", {}, [(16, 20_000), (256, 2_000)]),
    ("reach:random", {}, [(16, 20_000), (64, 2_000)]),
    ("cvp", {}, [(16, 20_000), (64, 2_000)]),
]


def best_of(fn, repeat: int) -> float:
    best = float("inf")
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - t0)
    return best


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--quick", action="store_true", help="10x fewer instances, one repeat")
    ap.add_argument("--export-only", action="store_true", help="only the export table (3.)")
    args = ap.parse_args()
    scale, repeat = (10, 1) if args.quick else (1, 3)

    print(f"Machine: {platform.processor() or platform.machine()}, {os.cpu_count()} CPUs, "
          f"Python {platform.python_version()}, numpy {np.__version__}; single process, best of {repeat}.\n")
    if not args.export_only:
        generation_tables(scale, repeat)
    export_table(scale, repeat)
    return 0


def generation_tables(scale: int, repeat: int) -> None:
    print("| problem | params | n | count | instances/s | n x instances/s |")
    print("|---|---|---:|---:|---:|---:|")
    for key, params, sizes in CASES:
        p = get_problem(key)
        p.sample(8, 4, seed=0, **params)  # warm up
        for n, count in sizes:
            count = max(1, count // scale)
            t = best_of(lambda: p.sample(n, count, seed=1, **params), repeat)
            ps = ", ".join(f"{k}={v}" for k, v in params.items()) or "-"
            print(f"| `{key}` | {ps} | {n} | {count} | {count / t:,.0f} | {n * count / t:,.3g} |")

    print("\n| goal | measured | target |")
    print("|---|---:|---:|")
    s5 = get_problem("word:S5")
    n, count = 1000, 10_000 // scale
    t = best_of(lambda: s5.sample(n, count, seed=2, prefix=True), repeat)
    print(f"| `word:S5`, prefix=True, n={n}, {count} words: group elements/s | {n * count / t:,.3g} | 1e7 |")
    fl = get_problem("reach:flower")
    count = 20_000 // scale
    for n in (16, 32):
        t = best_of(lambda: fl.sample(n, count, seed=3, petals=5), repeat)
        print(f"| `reach:flower`, petals=5, n={n} per component: graphs/s | {count / t:,.0f} | 1e4 |")


def export_table(scale: int, repeat: int) -> None:
    write_parquet(get_problem("parity").sample(4, 4, seed=0), io.BytesIO())  # import pyarrow outside the timings
    print("\n| problem | n | count | generate (s) | write Parquet (s) | Parquet, raw arrays (s) | write JSONL (s) | Parquet MB |")
    print("|---|---:|---:|---:|---:|---:|---:|---:|")
    for key, params, n, count in [("word:S5", {"prefix": True}, 256, 20_000), ("reach:flower", {"petals": 5}, 32, 20_000),
                                  ("cvp", {}, 16, 20_000), ("parity", {}, 64, 100_000)]:
        count = max(1, count // scale)
        p = get_problem(key)
        inst = p.sample(n, count, seed=4, **params)
        t_gen = best_of(lambda: p.sample(n, count, seed=4, **params), repeat)
        with tempfile.TemporaryDirectory() as d:
            path = os.path.join(d, "x.parquet")
            t_pq = best_of(lambda: write_parquet(inst, path), repeat)
            size = os.path.getsize(path) / 1e6
            t_raw = best_of(lambda: write_parquet(inst, path, readable=False), repeat)
        t_js = best_of(lambda: write_jsonl(inst, io.StringIO()), 1)
        print(f"| `{key}` | {n} | {count} | {t_gen:.3f} | {t_pq:.3f} | {t_raw:.3f} | {t_js:.3f} | {size:.1f} |")
    print("\nReadable records store a word with prefix products as two list<list<int8>> columns: 2 x n x 5")
    print("leaf values per record. Their values are delta packed (a few bits each), but Arrow still builds")
    print("and encodes repetition/definition levels for every leaf, a few 10^7 leaves/s, whatever the")
    print("compression: several times slower than the generator makes them. `--raw` (`readable=False`)")
    print("stores element indices instead (rows of `get_problem(key).monoid.elements`, the one-line arrays")
    print("in lexicographic order), at about twice the cost of generating them.")


if __name__ == "__main__":
    sys.exit(main())
