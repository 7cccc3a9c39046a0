"""The ``serialcomp simulate`` subcommand: evaluate a circuit on patterns, with the Numba simulator or
an exact torch module (``--backend torch``); every backend writes the same files."""

from __future__ import annotations

import argparse
import sys
import time
from typing import Any

import numpy as np

from ..errors import SerialcompError
from ._common import FORMATS, check_memory, load_npy, nonnegative_int, positive_int, save_npys

__all__ = ["register", "run"]


def _patterns_from_file(args: argparse.Namespace) -> np.ndarray:
    patterns = load_npy(args.inputs, "--inputs")
    if patterns.dtype != np.bool_:
        if patterns.dtype.kind not in "iu" or not np.all((patterns == 0) | (patterns == 1)):
            raise SerialcompError(f"--inputs {args.inputs}: expected a bool array (or 0/1 integers), got {patterns.dtype}")
        patterns = patterns.astype(bool)
    return patterns


class _Evaluator:
    """One backend: the Numba simulator, or a torch module compiled once for the run."""

    def __init__(self, obj: Any, args: argparse.Namespace) -> None:
        self.obj, self.args = obj, args
        self.torch_module: Any = None
        if args.backend == "torch":
            from ..torch.device import require_torch, resolve_device

            torch = require_torch()
            torch.set_num_threads(max(1, args.threads))
            from ..torch import compile_torch

            self.torch = torch
            self.torch_module = compile_torch(obj, mode=args.torch_mode or "packed", device=resolve_device(args.device))

    def words(self, words: np.ndarray) -> np.ndarray:
        """Combinational circuit on packed words (the lean --random path)."""
        if self.torch_module is None:
            return self.obj.compile(threads=self.args.threads).run(words)
        if self.torch_module.mode == "packed":
            return self.torch_module.forward_words(words).cpu().numpy().view(np.uint64)
        from ..sim import pack_bits, unpack_bits

        batch = 64 * words.shape[1]
        return pack_bits(self.bits(unpack_bits(words, batch)))

    def bits(self, patterns: np.ndarray) -> np.ndarray:
        if self.torch_module is None:
            return self.obj.compile(threads=self.args.threads).run_bool(patterns)
        return self.torch_module(self.torch.from_numpy(patterns)).cpu().numpy()

    def looped(self, x: np.ndarray, steps: int | None, halt: bool) -> Any:
        """A LoopRun-like result (outputs, state, steps, halted) as numpy arrays."""
        if self.torch_module is None:
            return self.obj.run(x, **({} if steps is None else {"steps": steps}), halt=halt, threads=self.args.threads)
        from types import SimpleNamespace

        run = self.torch_module(self.torch.from_numpy(np.ascontiguousarray(x)), steps=steps, halt=halt)
        outputs, state, used, halted = run.numpy()
        return SimpleNamespace(outputs=outputs, state=state, steps=used, halted=halted)


def _check_options(args: argparse.Namespace, looped: bool, loop_mode: bool, stream: bool, kind: str) -> None:
    if args.halt and not loop_mode:
        raise SerialcompError(f"--halt applies to loop-mode circuits; {args.path} is {kind}")
    for opt in ("save_steps", "save_state"):
        if getattr(args, opt) and not loop_mode:
            raise SerialcompError(f"--{opt.replace('_', '-')} applies to loop-mode circuits; {args.path} is {kind}")
    if args.steps is not None and not looped:
        raise SerialcompError(f"--steps applies to circuits with state (latches or a loop-mode .thr); {args.path} is "
                              "combinational")
    if args.steps is not None and stream and args.inputs is not None:
        raise SerialcompError("--steps with --inputs: a stream-mode circuit takes its steps from the array's shape "
                              "(batch, steps, n_inputs)")
    if args.save_inputs and args.inputs is not None:
        raise SerialcompError("--save-inputs applies to --random (the patterns of --inputs are already in a file)")
    if args.backend == "numba":
        for opt, value in (("--device", args.device), ("--torch-mode", args.torch_mode)):
            if value is not None:
                raise SerialcompError(f"{opt} applies to --backend torch")


def run(args: argparse.Namespace) -> int:
    """Run ``serialcomp simulate``; returns the exit status."""
    from .._atomic import check_outputs, check_target
    from ..io import read_circuit
    from ..ir.looped import LoopedCircuit
    from ..sim import n_words_for, random_pattern_words, unpack_bits

    outputs = {"--out": args.out, "--save-inputs": args.save_inputs, "--save-steps": args.save_steps,
               "--save-state": args.save_state}
    check_outputs(outputs, {"PATH": args.path, "--inputs": args.inputs})
    for option, path in outputs.items():
        if path is not None:
            check_target(path, option)  # fail before the run, not after it
    obj = read_circuit(args.path)
    looped = isinstance(obj, LoopedCircuit)
    loop_mode = looped and obj.mode == "loop"
    stream = looped and not loop_mode
    kind = "a stream-mode circuit (latches)" if stream else "a loop-mode circuit" if looped else "combinational"
    _check_options(args, looped, loop_mode, stream, kind)
    n_in = obj.n_x if looped else obj.n_inputs
    n_out = (obj.n_outputs if not looped else obj.readout.n_outputs if loop_mode and obj.readout is not None
             else obj.step.n_outputs - obj.n_state)
    steps = 1 if args.steps is None else args.steps
    evaluator = _Evaluator(obj, args)
    saved: dict[str, np.ndarray] = {}
    what = {str(p): o for o, p in outputs.items() if p is not None}
    note = ""
    if not looped and args.inputs is None:
        # the lean path: random patterns drawn as packed words, simulated and unpacked, never as float64
        batch, nw = args.random, n_words_for(args.random)
        check_memory(8 * nw * (n_in + 2 * n_out) + batch * n_out + (batch * n_in if args.save_inputs else 0),
                     f"--random {batch} on {args.path} ({n_in} inputs, {n_out} outputs)")
        words = random_pattern_words(n_in, batch, args.seed)
        if args.save_inputs:
            saved[args.save_inputs] = unpack_bits(words, batch)
        t0 = time.perf_counter()
        result = unpack_bits(evaluator.words(words), batch)
    else:
        if args.inputs is not None:
            patterns = _patterns_from_file(args)
        else:
            rows = n_in * (steps if stream else 1)
            check_memory(8 * n_words_for(args.random) * rows + args.random * (2 * rows + n_out * (steps if stream else 1)),
                         f"--random {args.random}" + (f" x --steps {steps}" if stream else "") + f" on {args.path}")
            patterns = unpack_bits(random_pattern_words(rows, args.random, args.seed), args.random)
            if stream:
                patterns = patterns.reshape(args.random, steps, n_in)
            if args.save_inputs:
                saved[args.save_inputs] = patterns
        want_ndim = 3 if stream else 2
        if patterns.ndim != want_ndim or patterns.shape[-1] != n_in:
            shape = "(batch, steps, %d)" % n_in if stream else "(batch, %d)" % n_in
            raise SerialcompError(f"--inputs {args.inputs}: expected shape {shape} for {args.path}, got {patterns.shape}")
        t0 = time.perf_counter()
        if stream:
            result = evaluator.looped(patterns, None, False).outputs
        elif loop_mode:
            res = evaluator.looped(patterns, steps, args.halt)
            result = res.outputs
            if args.halt:
                note = (f"; {int(res.halted.sum())} of {len(res.halted)} lanes reached a fixed point within "
                        f"{steps} steps, most steps used {int(res.steps.max(initial=0))}")
            if args.save_steps:
                saved[args.save_steps] = np.asarray(res.steps, dtype=np.int64)
            if args.save_state:
                saved[args.save_state] = res.state
        else:
            result = evaluator.bits(patterns)
    dt = time.perf_counter() - t0
    save_npys({args.out: result, **saved}, what)
    backend = "" if args.backend == "numba" else f" ({evaluator.torch_module.mode} torch on {evaluator.torch_module.device})"
    print(f"simulated {result.shape[0]} patterns in {dt:.3f} s{backend} -> {args.out} {result.shape}{note}", file=sys.stderr)
    return 0


def register(subparsers: "argparse._SubParsersAction[argparse.ArgumentParser]") -> None:
    """Add the ``simulate`` subcommand."""
    q = subparsers.add_parser(
        "simulate",
        help="evaluate a circuit on patterns",
        description="Evaluate a circuit with the bit-parallel simulator. IN is a bool .npy array (batch, n_inputs) "
        "in the file's input order; OUT is bool (batch, n_outputs) in the file's output order. For a circuit "
        "with latches (stream mode), IN is (batch, steps, n_inputs) and OUT (batch, steps, n_outputs), from the "
        "reset state. For a loop-mode .thr circuit (the input re-injected every step), IN is (batch, n_inputs), "
        "the step circuit runs --steps times from the initial state and OUT is the readout (batch, n_outputs); "
        "--halt stops each lane at its first fixed point. --backend torch runs an exact torch module instead "
        "(the `torch` extra), packed (int64 words, like the simulator) or dense (threshold layers), on the CPU or "
        "a GPU; every backend writes the same files. Outputs are written to a temporary name and renamed when "
        "complete; an output that is an input is refused.",
    )
    q.add_argument("path", metavar="PATH", help=f"circuit file ({FORMATS})")
    src = q.add_mutually_exclusive_group(required=True)
    src.add_argument("--inputs", metavar="IN.npy", help="bool patterns to evaluate")
    src.add_argument("--random", type=positive_int, metavar="N", help="evaluate N uniformly random patterns instead")
    q.add_argument("--seed", type=nonnegative_int, default=0, help="seed for --random, an integer >= 0 (default 0)")
    q.add_argument("--steps", type=positive_int, default=None,
                   help="stream mode (latches): steps per pattern for --random; loop mode: steps to run (the most, "
                   "with --halt); default 1")
    q.add_argument("--halt", action="store_true", help="loop mode: stop each lane at its first fixed point")
    q.add_argument("--save-steps", metavar="PATH.npy", help="loop mode: save the steps each lane used (int64, (batch,))")
    q.add_argument("--save-state", metavar="PATH.npy", help="loop mode: save the final state (bool, (batch, n_state))")
    q.add_argument("--save-inputs", metavar="PATH.npy", help="with --random: also save the patterns")
    q.add_argument("--out", required=True, metavar="OUT.npy", help="where to write the outputs")
    q.add_argument("--threads", type=positive_int, default=1,
                   help="threads for the simulator, looped circuits' step included (with --backend torch: torch's "
                   "CPU threads); default 1")
    q.add_argument("--backend", choices=["numba", "torch"], default="numba",
                   help="numba: the bit-parallel simulator (default); torch: an exact torch module (needs the torch "
                   "extra)")
    q.add_argument("--device", default=None, metavar="auto|cpu|cuda",
                   help="--backend torch: where to run (default auto: a GPU when one is visible, else the CPU)")
    q.add_argument("--torch-mode", choices=["packed", "dense"], default=None,
                   help="--backend torch: packed (int64 words of 64 patterns, default) or dense (float threshold "
                   "layers, one per circuit level; exact while each gate's weights sum to at most 2**24)")
    q.set_defaults(func=run)
