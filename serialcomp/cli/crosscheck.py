"""The ``serialcomp crosscheck`` subcommand: the Numba simulator and both torch modes on the same
patterns, compared bit for bit, with the throughput of each."""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path
from typing import Any, Iterator

import numpy as np

from ..errors import SerialcompError
from ._common import FORMATS, nonnegative_int, positive_int, progress

__all__ = ["crosscheck_circuit", "register", "run"]


def _timed(fn: Any, repeats: int = 3) -> tuple[Any, float]:
    """Result and best wall time of ``fn()`` over ``repeats`` calls after one warm-up call."""
    result = fn()
    best = float("inf")
    for _ in range(repeats):
        t0 = time.perf_counter()
        result = fn()
        best = min(best, time.perf_counter() - t0)
    return result, best


def _synced(result: Any, dev: Any, torch: Any) -> Any:
    """``result``, after the GPU has finished computing it (so that timings are honest)."""
    if dev.type == "cuda":
        torch.cuda.synchronize()
    return result


def _first_mismatch(want: np.ndarray, got: np.ndarray, names: tuple[str, ...]) -> dict[str, Any] | None:
    if want.shape != got.shape:
        return {"reason": f"shape {got.shape} instead of {want.shape}"}
    diff = np.argwhere(want != got)
    if not len(diff):
        return None
    where = diff[0].tolist()
    out: dict[str, Any] = {"pattern": int(where[0])}
    if len(where) == 3:
        out["step"] = int(where[1])
    if want.ndim >= 2 and names:
        out["output"] = names[int(where[-1])]
    return out


def crosscheck_circuit(obj: Any, *, patterns: int = 4096, seed: int = 0, device: Any = "cpu", steps: int = 8,
                       modes: tuple[str, ...] = ("packed", "dense")) -> dict[str, Any]:
    """Run ``obj`` (a Circuit or LoopedCircuit) on the Numba simulator and in each torch mode.

    Returns a dict: ``gates``, ``patterns``, per backend ``{"identical", "mismatch", "seconds",
    "gate_patterns_per_s"}`` under ``numba`` and each mode; ``identical`` is whether every output
    bit (and, for looped circuits, the final state, steps used and halting flags) equals Numba's.
    A mode that cannot hold the circuit exactly (dense beyond ``2**24``) reports ``skipped``.

    Example
    -------
    >>> from serialcomp.ir import CircuitBuilder
    >>> b = CircuitBuilder(); x = b.inputs(5); b.output(b.maj(*x)); b.output(b.xor(*x))
    >>> r = crosscheck_circuit(b.build(), patterns=256)
    >>> r["packed"]["identical"], r["dense"]["identical"]
    (True, True)
    """
    from ..ir.looped import LoopedCircuit
    from ..sim import random_pattern_words, unpack_bits
    from ..torch import compile_torch
    from ..torch.device import require_torch, resolve_device

    torch = require_torch()
    dev = resolve_device(device)
    looped = isinstance(obj, LoopedCircuit)
    report: dict[str, Any] = {"patterns": int(patterns)}
    if not looped:
        circuit = obj
        report.update(gates=int(circuit.n_gates), depth=int(circuit.depth()), kind="combinational")
        words = random_pattern_words(circuit.n_inputs, patterns, seed)
        bits = unpack_bits(words, patterns)
        sim = circuit.compile()
        want_words, secs = _timed(lambda: sim.run(words))
        want = unpack_bits(want_words, patterns)
        work = circuit.n_gates * patterns
        report["numba"] = {"identical": True, "mismatch": None, "seconds": secs, "gate_patterns_per_s": work / secs}
        for mode in modes:
            try:
                m = compile_torch(circuit, mode=mode, device=dev)
            except SerialcompError as exc:
                report[mode] = {"skipped": str(exc)}
                continue
            if mode == "packed":  # the simulator's words in, words out
                arg, call = torch.from_numpy(words.view(np.int64)).to(dev), m.forward_words
            else:
                arg, call = torch.from_numpy(bits).to(dev), m
            got, secs = _timed(lambda: _synced(call(arg), dev, torch))
            got = got.cpu().numpy()
            if mode == "packed":
                got = unpack_bits(got.view(np.uint64), patterns)
            miss = _first_mismatch(want, got, tuple(circuit.output_names))
            report[mode] = {"identical": miss is None, "mismatch": miss, "seconds": secs,
                            "gate_patterns_per_s": work / secs}
        return report
    # looped: stream-mode sequences of `steps` symbols, or loop mode with halting
    stream = obj.mode == "stream"
    report.update(gates=int(obj.step.n_gates), depth=int(obj.step.depth()), kind=f"{obj.mode}-mode looped",
                  steps=int(steps))
    rows = obj.n_x * (steps if stream else 1)
    x = unpack_bits(random_pattern_words(rows, patterns, seed), patterns)
    x = x.reshape(patterns, steps, obj.n_x) if stream else x
    kw: dict[str, Any] = {} if stream else {"steps": steps, "halt": True}
    want, secs = _timed(lambda: obj.run(x, **kw), repeats=1)
    work = obj.step.n_gates * patterns * steps
    report["numba"] = {"identical": True, "mismatch": None, "seconds": secs, "gate_patterns_per_s": work / secs}
    names = tuple(obj.readout.output_names if obj.readout is not None and not stream else obj.y_names)
    for mode in modes:
        try:
            m = compile_torch(obj, mode=mode, device=dev)
        except SerialcompError as exc:
            report[mode] = {"skipped": str(exc)}
            continue
        tx = torch.from_numpy(np.ascontiguousarray(x)).to(dev)
        got, secs = _timed(lambda: _synced(m(tx, **kw), dev, torch), repeats=1)
        outputs, state, used, halted = got.numpy()
        miss = _first_mismatch(want.outputs, outputs, names)
        for label, a, b in (("state", want.state, state), ("steps used", want.steps, used), ("halted", want.halted, halted)):
            if miss is None and not np.array_equal(a, b):
                idx = int(np.argwhere(np.asarray(a != b).reshape(len(a), -1).any(axis=1))[0][0]) if a.shape == b.shape else 0
                miss = {"pattern": idx, "output": label}
        report[mode] = {"identical": miss is None, "mismatch": miss, "seconds": secs, "gate_patterns_per_s": work / secs}
    return report


def _zoo_circuits(folder: str | None) -> Iterator[tuple[str, Any]]:
    """(name, circuit) for every zoo circuit: from ``folder``'s manifest, ./circuits, or built in memory."""
    import csv

    from ..io import loads_thr, read_circuit

    candidates = [Path(folder)] if folder else [Path("circuits")]
    for d in candidates:
        manifest = d / "manifest.csv"
        if manifest.is_file():
            with open(manifest, newline="") as f:
                rows = list(csv.DictReader(f))
            for row in rows:
                yield row["thr_file"], read_circuit(d / row["thr_file"])
            return
        if folder:
            raise SerialcompError(f"--zoo {folder}: no manifest.csv there (write one with `serialcomp zoo --out {folder}`)")
    from ..zoo import zoo_rows

    files: dict[str, bytes] = {}
    zoo_rows(files=files)
    for rel in sorted(f for f in files if f.endswith(".thr")):
        yield rel, loads_thr(files[rel].decode())


def _fmt_rate(r: dict[str, Any]) -> str:
    if "skipped" in r:
        return "skipped"
    return f"{r['gate_patterns_per_s']:.2e}"


def run(args: argparse.Namespace) -> int:
    """Run ``serialcomp crosscheck``; returns 0 when every circuit is identical in every mode, else 1."""
    from ..io import read_circuit
    from ..torch.device import require_torch, resolve_device

    if not args.paths and args.zoo is None:
        raise SerialcompError("give circuit files, or --zoo")
    torch = require_torch()
    torch.set_num_threads(args.threads)
    device = resolve_device(args.device)
    items: list[tuple[str, Any]] = []
    if args.zoo is not None:
        items.extend(_zoo_circuits(args.zoo or None))
    items.extend((p, None) for p in args.paths)
    reports = []
    for name, obj in progress(items, "crosscheck"):
        if obj is None:
            obj = read_circuit(name)
        rep = crosscheck_circuit(obj, patterns=args.random, seed=args.seed, device=device, steps=args.steps)
        rep["circuit"] = str(name)
        reports.append(rep)
    ok = all(r[m].get("identical", True) for r in reports for m in ("packed", "dense"))
    if args.json:
        print(json.dumps({"device": str(device), "identical": ok, "circuits": reports}, indent=1))
    else:
        head = f"{'circuit':<40} {'gates':>8} {'depth':>6} {'numba g*p/s':>12} {'packed':>10} {'dense':>10}  identical"
        print(head)
        print("-" * len(head))
        for r in reports:
            same = "yes" if all(r[m].get("identical", True) for m in ("packed", "dense")) else "NO"
            print(f"{r['circuit'][-40:]:<40} {r['gates']:>8} {r['depth']:>6} {_fmt_rate(r['numba']):>12} "
                  f"{_fmt_rate(r['packed']):>10} {_fmt_rate(r['dense']):>10}  {same}")
            for m in ("packed", "dense"):
                if r[m].get("mismatch"):
                    print(f"    {m}: first mismatch {r[m]['mismatch']}")
        print(f"{len(reports)} circuits on {device}, {args.random} patterns each: "
              + ("identical in both torch modes" if ok else "MISMATCHES (see above)"), file=sys.stderr)
    return 0 if ok else 1


def register(subparsers: "argparse._SubParsersAction[argparse.ArgumentParser]") -> None:
    """Add the ``crosscheck`` subcommand."""
    q = subparsers.add_parser(
        "crosscheck",
        help="Numba simulator vs. both torch modes on the same patterns: identical? how fast?",
        description="Run each circuit on the Numba simulator and as exact torch modules (packed words and dense "
        "threshold layers) on the same random patterns; report whether all agree bit for bit, the first "
        "mismatch (pattern index, output name) if not, and each backend's throughput in gate-patterns per "
        "second (gates x patterns / best of 3 runs, compilation excluded). Looped circuits run --steps steps "
        "(loop mode with fixed-point halting; state, steps used and halting flags compared too). Exit status 1 "
        f"on any mismatch. Needs the torch extra. Formats: {FORMATS}.",
    )
    q.add_argument("paths", nargs="*", metavar="PATH", help="circuit files")
    q.add_argument("--zoo", nargs="?", const="", default=None, metavar="DIR",
                   help="also every circuit of the zoo: DIR/manifest.csv (default ./circuits, else built in memory)")
    q.add_argument("--random", type=positive_int, default=4096, metavar="N", help="random patterns per circuit (default 4096)")
    q.add_argument("--seed", type=nonnegative_int, default=0, help="seed of the patterns (default 0)")
    q.add_argument("--steps", type=positive_int, default=8, help="steps for looped circuits (default 8)")
    q.add_argument("--device", default="auto", metavar="auto|cpu|cuda", help="where torch runs (default auto)")
    q.add_argument("--threads", type=positive_int, default=1, help="torch CPU threads (default 1, as Numba's 1)")
    q.add_argument("--json", action="store_true", help="print the reports as JSON")
    q.set_defaults(func=run)
