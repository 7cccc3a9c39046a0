"""End to end: the ``serialcomp simulate`` command beside ABC's ``&sim2``, as a user runs them.

Usage: python benchmarks/bench_simulate_cli.py [--circuit hyp] [--patterns 1048576] [--rounds 3] [--out FILE.md]

Both tools run as fresh processes on the same circuit and pattern count, best wall time of
``--rounds``, measured in one run and interleaved, with the peak resident memory of each process
(``os.wait4``):

* serialcomp: ``serialcomp simulate C.aig --random P --seed 0 --out OUT.npy`` (reads the circuit,
  draws the patterns as packed words, simulates, unpacks and writes the (P, outputs) bool array);
  its start-up is the same command on ``ctrl.aig`` with 64 patterns (the interpreter, the imports
  and the cached Numba kernels), subtracted.
* ABC: ``berkeley-abc -c "&sim2 -W 256 -R P/16384 C.aig C.aig"`` (reads both copies, simulates
  P patterns on each, 256 words per round, and compares them; one round of P/64 words crashes ABC
  on hyp); its start-up is ``berkeley-abc -c "&r ctrl.aig"``,
  subtracted. ``&sim2`` simulates two copies of the circuit, so two ratios are given: against
  ABC's whole command, and against half the simulation time ABC prints itself (its own timer,
  file reading excluded), the conservative one.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path


def _run(cmd: list[str]) -> tuple[float, int, str]:
    """Wall seconds, peak RSS (bytes) and stdout of one fresh process."""
    t0 = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    out = proc.stdout.read() if proc.stdout else ""
    _, status, usage = os.wait4(proc.pid, 0)
    dt = time.perf_counter() - t0
    proc.returncode = os.waitstatus_to_exitcode(status)
    if proc.returncode != 0:
        raise RuntimeError(f"{' '.join(cmd)} failed ({proc.returncode}):\n{out}")
    return dt, usage.ru_maxrss * 1024, out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--circuit", default="hyp")
    ap.add_argument("--patterns", type=int, default=1 << 20)
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--out", type=Path, default=None)
    args = ap.parse_args()
    from serialcomp.testing.benchmarks import epfl_dir

    epfl = epfl_dir(required=True)
    circ, small = epfl / f"{args.circuit}.aig", epfl / "ctrl.aig"
    exe = shutil.which("serialcomp")
    ours = [exe] if exe else [sys.executable, "-m", "serialcomp"]
    tmp = Path(tempfile.mkdtemp())
    P = args.patterns
    R = max(1, -(-P // (64 * 256)))  # &sim2 rounds of 256 words (a single round of P/64 words crashes ABC on hyp)
    cmds = {
        "ours": ours + ["simulate", str(circ), "--random", str(P), "--seed", "0", "--out", str(tmp / "o.npy")],
        "ours start-up": ours + ["simulate", str(small), "--random", "64", "--out", str(tmp / "s.npy")],
        "abc": ["berkeley-abc", "-c", f"&sim2 -W 256 -R {R} {circ} {circ}"],
        "abc start-up": ["berkeley-abc", "-c", f"&r {small}"],
    }
    best = {k: float("inf") for k in cmds}
    peak = {k: 0 for k in cmds}
    abc_sim = float("inf")
    _run(cmds["ours start-up"])  # the Numba cache is warm from here on
    for _ in range(args.rounds):
        for key, cmd in cmds.items():
            dt, rss, out = _run(cmd)
            best[key] = min(best[key], dt)
            peak[key] = max(peak[key], rss)
            if key == "abc":
                m = re.search(r"Time\s*=\s*([0-9.]+)\s*sec", out)
                if m:
                    abc_sim = min(abc_sim, float(m.group(1)))
    shutil.rmtree(tmp, ignore_errors=True)
    ours_net = best["ours"] - best["ours start-up"]
    abc_net = best["abc"] - best["abc start-up"]
    lines = [
        f"`{args.circuit}.aig`, {P} random patterns, best of {args.rounds} fresh processes each, interleaved in one run.",
        "",
        "| command | wall time | start-up | net of start-up | peak memory |",
        "|---|---:|---:|---:|---:|",
        f"| `serialcomp simulate {args.circuit}.aig --random {P} --out o.npy` | {best['ours']:.3f} s | "
        f"{best['ours start-up']:.3f} s | {ours_net:.3f} s | {peak['ours'] / 2**20:.0f} MiB |",
        f"| `berkeley-abc -c \"&sim2 -W 256 -R {R} {args.circuit}.aig {args.circuit}.aig\"` | {best['abc']:.3f} s | "
        f"{best['abc start-up']:.3f} s | {abc_net:.3f} s | {peak['abc'] / 2**20:.0f} MiB |",
        "",
        f"- ABC's whole command (two copies) / serialcomp, both net of start-up: **{abc_net / ours_net:.1f}x**.",
        f"- Half of ABC's own simulation timer ({abc_sim:.3f} s / 2: one copy, no file reading) / serialcomp net: "
        f"**{abc_sim / 2 / ours_net:.1f}x** (the conservative ratio).",
    ]
    text = "\n".join(lines) + "\n"
    if args.out:
        args.out.write_text(text)
    print(text)


if __name__ == "__main__":
    main()
