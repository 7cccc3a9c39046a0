"""The torch backend beside the Numba simulator, measured side by side in one run.

Usage: python benchmarks/bench_torch.py [--device cpu|cuda] [--out FILE.md] [--quick] [--patterns P]

Unit: gate-patterns per second, one gate evaluated on one input pattern (the circuit's gates as
``Circuit.n_gates`` counts them, times the patterns, over the best wall time of ``--rounds`` calls
after a warm-up call; compilation excluded).

CPU (always): Numba with 1 thread and torch with 1 thread (``torch.set_num_threads(1)``), packed
mode on the same random words and dense mode on the same patterns (dense at fewer patterns: it
evaluates one pattern per float, not 64 per word); the ratio is torch time / Numba time.

GPU (``--device cuda``): packed mode at ``--patterns`` (default 2**22), plain and replayed from a
CUDA graph (the per-level kernel launches of a deep circuit recorded once); dense mode; beside
Numba on 2 CPU threads. The bandwidth bound is the HBM traffic of a level-by-level evaluation
when every gate reads two words and writes one (24 bytes per 64 gate-patterns), at the device's
nominal bandwidth (``--hbm-tbps``, 4.8 for an H200): ``64 * bandwidth / 24`` gate-patterns/s.

Circuits: hyp (EPFL, deep: 24,801 levels), sqrt (EPFL, deep and narrow), multiplier (EPFL),
and wide shallow families: iadd's threshold family (two levels of THR gates), word:S5's
composition tree (AND/OR blocks, log depth) and parity's depth-2 threshold family.
"""

from __future__ import annotations

import argparse
import platform
import time
from pathlib import Path
from typing import Any, Callable

import numpy as np



def _best(fn: Callable[[], Any], rounds: int, sync: Callable[[], None] = lambda: None) -> float:
    fn()
    sync()
    best = float("inf")
    for _ in range(rounds):
        t0 = time.perf_counter()
        fn()
        sync()
        best = min(best, time.perf_counter() - t0)
    return best


def _circuits(quick: bool) -> list[tuple[str, Any]]:
    from serialcomp.io import read_circuit
    from serialcomp.problems import get_problem
    from serialcomp.testing.benchmarks import epfl_dir

    out = []
    epfl = epfl_dir()
    for name in (["sqrt", "multiplier"] if quick else ["hyp", "sqrt", "multiplier"]):
        if epfl is not None and (epfl / f"{name}.aig").exists():
            out.append((f"EPFL {name}", read_circuit(epfl / f"{name}.aig")))
    for key, fam, n in [("iadd", "threshold", 16 if quick else 32), ("word:S5", "tree", 16 if quick else 64),
                        ("parity", "threshold2", 256)]:
        out.append((f"{key} {fam} n={n}", get_problem(key).family(fam)(n)))
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--device", default="cpu")
    ap.add_argument("--out", default=None)
    ap.add_argument("--quick", action="store_true")
    ap.add_argument("--patterns", type=int, default=None, help="patterns per call (default 2**16 CPU, 2**22 GPU)")
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--hbm-tbps", type=float, default=4.8)
    args = ap.parse_args()

    import torch

    from serialcomp.errors import SerialcompError
    from serialcomp.sim import random_words, unpack_bits
    from serialcomp.torch import compile_torch

    dev = torch.device(args.device)
    gpu = dev.type == "cuda"
    torch.set_num_threads(1)
    P = args.patterns or (2**22 if gpu else 2**16)
    W = P // 64
    sync = torch.cuda.synchronize if gpu else (lambda: None)
    lines = []
    if gpu:
        name = torch.cuda.get_device_name(dev)
        bound = 64 * args.hbm_tbps * 1e12 / 24
        lines.append(f"Device: {name}; torch {torch.__version__}; {P} patterns per call; bandwidth bound "
                     f"{bound:.2e} gate-patterns/s ({args.hbm_tbps} TB/s, 24 bytes per 64 gate-patterns).")
        lines.append("")
        lines.append("| circuit | gates | levels | Numba 2 threads | torch packed | packed, CUDA graph | dense | "
                     "best / Numba | best / bound |")
        lines.append("|---|---:|---:|---:|---:|---:|---:|---:|---:|")
    else:
        lines.append(f"CPU: {platform.processor() or platform.machine()}, torch {torch.__version__}, 1 thread each; "
                     f"{P} patterns per call (dense: {min(P, 4096)}).")
        lines.append("")
        lines.append("| circuit | gates | levels | Numba | torch packed | packed / Numba time | torch dense | "
                     "dense / Numba time |")
        lines.append("|---|---:|---:|---:|---:|---:|---:|---:|")
    for label, c in _circuits(args.quick):
        words = random_words(c.n_inputs, W, seed=1)
        sim = c.compile(threads=2 if gpu else 1)
        want = sim.run(words)
        t_numba = _best(lambda: sim.run(words), args.rounds)
        rate = lambda t, p=P: c.n_gates * p / t  # noqa: E731
        budget = (16 << 30) if gpu else (1 << 28)  # working memory per block of words
        packed = compile_torch(c, mode="packed", device=dev, max_block_bytes=budget)
        tw = torch.from_numpy(words.view(np.int64)).to(dev)
        got = packed.forward_words(tw)
        assert np.array_equal(got.cpu().numpy().view(np.uint64), want), f"{label}: packed torch differs from Numba"
        t_packed = _best(lambda: packed.forward_words(tw), args.rounds, sync)
        Pd = min(P, 2**20 if gpu else 4096)
        dense_rate = "-"
        t_dense = None
        try:
            dense = compile_torch(c, mode="dense", device=dev, max_block_bytes=budget)
            bits = torch.from_numpy(unpack_bits(words[:, : Pd // 64], Pd)).to(dev)
            assert np.array_equal(dense(bits).cpu().numpy(), unpack_bits(want[:, : Pd // 64], Pd)), f"{label}: dense differs"
            t_dense = _best(lambda: dense(bits), 1 if c.n_gates > 10**6 else args.rounds, sync)
            dense_rate = f"{rate(t_dense, Pd):.2e}"
        except SerialcompError as exc:  # dense refuses weights summing beyond 2**24
            dense_rate = "refused: weights > 2**24" if "2**24" in str(exc) else f"refused: {exc}"
        if gpu:
            t_graph = float("nan")
            try:
                static = tw.clone()
                stream = torch.cuda.Stream()
                stream.wait_stream(torch.cuda.current_stream())
                with torch.cuda.stream(stream):
                    packed.forward_words(static)
                torch.cuda.current_stream().wait_stream(stream)
                graph = torch.cuda.CUDAGraph()
                with torch.cuda.graph(graph):
                    static_out = packed.forward_words(static)
                graph.replay()
                sync()
                assert np.array_equal(static_out.cpu().numpy().view(np.uint64), want), "graph replay differs"
                t_graph = _best(graph.replay, args.rounds, sync)
            except Exception as exc:
                print(f"{label}: CUDA graph failed: {exc}")
            best = min(t_packed, t_graph) if t_graph == t_graph else t_packed
            lines.append(f"| {label} | {c.n_gates} | {packed.n_levels} | {rate(t_numba):.2e} | {rate(t_packed):.2e} | "
                         f"{rate(t_graph):.2e} | {dense_rate} | {t_numba / best:.1f}x | {rate(best) / bound:.3f} |")
        else:
            dense_ratio = "-" if t_dense is None else f"{t_dense / (t_numba * Pd / P):.1f}x"
            lines.append(f"| {label} | {c.n_gates} | {packed.n_levels} | {rate(t_numba):.2e} | {rate(t_packed):.2e} | "
                         f"{t_packed / t_numba:.1f}x | {dense_rate} | {dense_ratio} |")
        print(lines[-1], flush=True)
    text = "\n".join(lines) + "\n"
    if args.out:
        Path(args.out).write_text(text)
    else:
        print(text)


if __name__ == "__main__":
    main()
