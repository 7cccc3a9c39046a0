"""Reading + depth of EPFL circuits beside ABC's `&r; &ps`, cold JIT compile, warm `serialcomp info`.

Usage: python benchmarks/bench_io_depth.py [--epfl DIR] [--out FILE.md]

Every figure is measured in the same run as ABC's; ratios are what to compare (shared machines are
noisy).  ABC's time is the wall time of one `berkeley-abc -c "&r FILE; &ps"` process minus the wall
time of an empty `berkeley-abc -c ""` process (its start-up).
"""

from __future__ import annotations

import argparse
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
DEFAULT_EPFL = HERE.parent.parent / "shared" / "benchmarks" / "epfl"


def _best(fn, repeat=5):
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return min(times), statistics.median(times)


def _abc_time(path: Path, repeat=5) -> float:
    def run(cmd):
        subprocess.run(["berkeley-abc", "-c", cmd], check=True, capture_output=True)

    base, _ = _best(lambda: run(""), repeat)
    full, _ = _best(lambda: run(f"&r {path}; &ps"), repeat)
    return max(full - base, 1e-6)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--epfl", type=Path, default=DEFAULT_EPFL)
    ap.add_argument("--out", type=Path, default=None)
    ap.add_argument("--circuits", nargs="*", default=["hyp", "multiplier", "voter", "sin", "div"])
    args = ap.parse_args()

    from serialcomp.io import read_circuit

    lines = ["| circuit | ANDs | serialcomp read+depth (s) | ABC &r;&ps (s) | ratio serialcomp/ABC |", "|---|---:|---:|---:|---:|"]
    read_circuit(args.epfl / "ctrl.aig").depth()  # warm the cache
    for name in args.circuits:
        path = args.epfl / f"{name}.aig"
        best, _ = _best(lambda: read_circuit(path).depth())
        c = read_circuit(path)
        abc = _abc_time(path) if shutil.which("berkeley-abc") else float("nan")
        lines.append(f"| {name} | {c.n_gates} | {best:.3f} | {abc:.3f} | {best / abc:.2f} |")

    # Cold compile: an empty numba cache dir, a fresh process; warm: a second process with that cache.
    with tempfile.TemporaryDirectory() as cache:
        env = dict(os.environ, NUMBA_CACHE_DIR=cache)
        cmd = [sys.executable, "-m", "serialcomp", "info", str(args.epfl / "hyp.aig"), "--json"]
        t0 = time.perf_counter(); subprocess.run(cmd, env=env, check=True, capture_output=True); cold = time.perf_counter() - t0
        t0 = time.perf_counter(); subprocess.run(cmd, env=env, check=True, capture_output=True); warm = time.perf_counter() - t0
        t0 = time.perf_counter(); subprocess.run([sys.executable, "-c", "import numpy, numba"], check=True); imp = time.perf_counter() - t0
    lines += [
        "",
        "| `serialcomp info hyp.aig --json` (whole process) | seconds |",
        "|---|---:|",
        f"| cold (empty Numba cache: JIT compile included) | {cold:.2f} |",
        f"| warm (second process, cached kernels) | {warm:.2f} |",
        f"| for scale: `python -c 'import numpy, numba'` | {imp:.2f} |",
    ]
    head = f"Machine: {platform.node()} ({platform.machine()}, {os.cpu_count()} cores), Python {platform.python_version()}, {time.strftime('%Y-%m-%d')}"
    text = head + "\n\n" + "\n".join(lines) + "\n"
    print(text)
    if args.out:
        args.out.write_text(text)


if __name__ == "__main__":
    main()
