"""Problem-layer throughput (part 1): instances per second, single process.

Run ``python benchmarks/bench_problems_part1.py [--quick]``; prints Markdown tables:

1. generation rate of every part-1 problem at two sizes (``sample`` only, vectorised numpy);
2. the two goals: ``word:S5`` with prefix products (group elements per second, goal >= 1e7) and
   ``reach:flower`` at 5 petals (graphs per second, goal >= 1e4);
3. export cost: Parquet / JSONL writing time next to generation time for the same records
   (readable records, and ``readable=False``: the stored arrays, e.g. element indices), with the
   goal "Parquet write / generate <= 2";
4. ``word:S5`` readable columns under each Parquet layout and writer setting, side by side.
"""

from __future__ import annotations

import argparse
import io
import os
import platform
import sys
import tempfile
import time
from typing import Any

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
    ap.add_argument("--export-only", action="store_true", help="only the export tables (3. and 4.)")
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


EXPORT_CASES = [("word:S5", {"prefix": True}, 256, 20_000), ("reach:flower", {"petals": 5}, 32, 20_000),
                ("cvp", {}, 16, 20_000), ("parity", {}, 64, 100_000)]
PARQUET_GOAL = 2.0  # Parquet write time / generation time


def export_table(scale: int, repeat: int) -> None:
    write_parquet(get_problem("parity").sample(4, 4, seed=0), io.BytesIO())  # import pyarrow outside the timings
    print("\n| problem | n | count | generate (s) | Parquet (s) | Parquet raw (s) | JSONL (s) | JSONL raw (s) "
          "| Parquet MB | raw MB |")
    print("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    ratios = []
    for key, params, n, count in EXPORT_CASES:
        count = max(1, count // scale)
        p = get_problem(key)
        inst = p.sample(n, count, seed=4, **params)
        t_gen = best_of(lambda: p.sample(n, count, seed=4, **params), repeat)
        with tempfile.TemporaryDirectory() as d:
            path = os.path.join(d, "x.parquet")
            t_pq = best_of(lambda: write_parquet(inst, path), repeat)
            size = os.path.getsize(path) / 1e6
            t_raw = best_of(lambda: write_parquet(inst, path, readable=False), repeat)
            size_raw = os.path.getsize(path) / 1e6
        t_js = best_of(lambda: write_jsonl(inst, io.StringIO()), 1)
        t_jsr = best_of(lambda: write_jsonl(inst, io.StringIO(), readable=False), 1)
        ratios.append((key, n, count, t_pq / t_gen, t_raw / t_gen, t_js / t_gen))
        print(f"| `{key}` | {n} | {count} | {t_gen:.3f} | {t_pq:.3f} | {t_raw:.3f} | {t_js:.3f} | {t_jsr:.3f} "
              f"| {size:.1f} | {size_raw:.1f} |")

    print("\n| goal: write / generate | Parquet | Parquet raw | JSONL | target (Parquet) |")
    print("|---|---:|---:|---:|---:|")
    for key, n, count, r_pq, r_raw, r_js in ratios:
        mark = "" if r_pq <= PARQUET_GOAL else " (missed)"
        print(f"| `{key}`, n={n}, {count} records | {r_pq:.1f}x{mark} | {r_raw:.1f}x | {r_js:.1f}x "
              f"| <= {PARQUET_GOAL:g}x |")
    s5 = dict((r[0], r) for r in ratios)["word:S5"]
    others = [r for r in ratios if r[0] != "word:S5"]
    print(f"\nWriting Parquet costs {min(r[3] for r in others):.1f}-{max(r[3] for r in others):.1f}x the generation "
          f"time for {', '.join(f'`{r[0]}`' for r in others)}; `--raw` {min(r[4] for r in ratios):.1f}-"
          f"{max(r[4] for r in ratios):.1f}x for all four. Readable `word:S5` records cost {s5[3]:.1f}x: see the "
          "next table. JSONL is text (a few kB per word record) and costs "
          f"{min(r[5] for r in ratios):.1f}-{max(r[5] for r in ratios):.1f}x; it is formatted column by column "
          "from the arrays, the same bytes as `json.dumps` of each record.")
    encoding_table(scale, repeat)


def _s5_options(inst: Any) -> list[tuple[str, Any]]:
    """(name, build) pairs: build() -> (pyarrow table of the word and prefix columns, writer options)."""
    import pyarrow as pa

    g = get_problem("word:S5").monoid
    ids = {"word": inst.inputs["word"], "prefix": inst.targets["prefix"]}
    count, n = ids["word"].shape
    offsets = pa.array(np.arange(0, count * n + 1, n, dtype=np.int32))
    leaves = [f"{c}.list.element.list.element" for c in ids]
    names = pa.array(["".join(map(str, e)) for e in g.perms(np.arange(g.size)).tolist()])

    def lists(fixed: bool) -> Any:
        cols = {}
        for c, a in ids.items():
            flat = pa.array(np.ascontiguousarray(g.perms(a)).reshape(-1))
            inner = (pa.FixedSizeListArray.from_arrays(flat, g.degree) if fixed else
                     pa.ListArray.from_arrays(pa.array(np.arange(0, len(flat) + 1, g.degree, dtype=np.int32)), flat))
            cols[c] = pa.ListArray.from_arrays(offsets, inner)
        return pa.table(cols)

    def strings() -> Any:
        return pa.table({c: pa.ListArray.from_arrays(offsets, pa.DictionaryArray.from_arrays(
            pa.array(a.reshape(-1).astype(np.int8)), names)) for c, a in ids.items()})

    def raw() -> Any:
        return pa.table({c: pa.ListArray.from_arrays(offsets, pa.array(a.reshape(-1))) for c, a in ids.items()})

    off = {"use_dictionary": False, "write_statistics": False}
    delta = {"column_encoding": {p: "DELTA_BINARY_PACKED" for p in leaves}}
    return [
        ("list<list<int8>>, delta + zstd (lists of numbers)", lambda: (lists(False), {**off, **delta})),
        ("list<list<int8>>, plain + zstd", lambda: (lists(False), off)),
        ("list<list<int8>>, plain, no compression", lambda: (lists(False), {**off, "compression": "none"})),
        ("list<list<int8>>, byte-stream-split + lz4", lambda: (lists(False), {
            **off, "compression": "lz4", "column_encoding": {p: "BYTE_STREAM_SPLIT" for p in leaves}})),
        ("list<list<int8>>, delta + zstd, data page v2, 64k batches", lambda: (lists(False), {
            **off, **delta, "data_page_version": "2.0", "write_batch_size": 1 << 16})),
        ("list<list<int8>>, dictionary pages + zstd", lambda: (lists(False), {"write_statistics": False})),
        ("list<fixed_size_list<int8, 5>>, delta + zstd", lambda: (lists(True), {**off, **delta})),
        ("list<string> one-line strings, dictionary pages + zstd (`Coded`, readable, as written)", lambda: (strings(), {
            "use_dictionary": True, "write_statistics": False})),
        ("list<int16> element indices, delta + zstd (`--raw`)", lambda: (raw(), {
            **off, "column_encoding": {f"{c}.list.element": "DELTA_BINARY_PACKED" for c in ids}})),
    ]


def encoding_table(scale: int, repeat: int) -> None:
    """word:S5 readable columns (word and prefix) under each Parquet layout and setting, side by side."""
    import pyarrow.parquet as pq

    n, count = 256, max(1, 20_000 // scale)
    p = get_problem("word:S5")
    inst = p.sample(n, count, seed=4, prefix=True)
    t_gen = best_of(lambda: p.sample(n, count, seed=4, prefix=True), repeat)
    print(f"\n`word:S5`, prefix=True, n={n}, {count} records: the `word` and `prefix` columns alone under each "
          f"layout (build the Arrow arrays from the numpy arrays + write; generation {t_gen:.3f} s).\n")
    print("| layout, Parquet settings | seconds | / generate | MB |")
    print("|---|---:|---:|---:|")
    ratio = {}
    for name, build in _s5_options(inst):
        def run() -> int:
            table, opts = build()
            buf = io.BytesIO()
            opts = {"compression": "zstd", "store_schema": False, **opts}
            with pq.ParquetWriter(buf, table.schema, **opts) as w:
                for a in range(0, count, 4096):
                    w.write_table(table.slice(a, 4096), row_group_size=4096)
            return len(buf.getvalue())

        t = best_of(run, repeat)
        ratio[name] = t / t_gen
        print(f"| {name} | {t:.3f} | {t / t_gen:.1f}x | {run() / 1e6:.1f} |")
    lists = [r for k, r in ratio.items() if "list<" in k.split(",")[0] and "string" not in k and "int16" not in k]
    coded = next(r for k, r in ratio.items() if "Coded" in k)
    raw = next(r for k, r in ratio.items() if "--raw" in k)
    print(f"\nAs lists, each permutation is k = 5 leaf values, each with its own repetition and definition "
          f"levels (2 x n x 5 = {2 * n * 5:,} leaves per record): {min(lists):.0f}-{max(lists):.0f}x the generation "
          f"time whatever the encoding, compression, page version or batch size. One string per element (one "
          f"leaf, its code written as the dictionary index) costs {coded:.1f}x, element indices (`--raw`) "
          f"{raw:.1f}x. Readable word records therefore hold each element as its one-line string "
          "(`serialcomp.problems.Coded` codes into the element table); readers see plain strings.")


if __name__ == "__main__":
    sys.exit(main())
