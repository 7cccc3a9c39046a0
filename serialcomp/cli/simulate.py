"""The ``serialcomp simulate`` subcommand: evaluate a circuit on patterns with the bit-parallel simulator."""

from __future__ import annotations

import argparse
import sys
import time

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


def _random_words(n_rows: int, batch: int, seed: int) -> np.ndarray:
    """Uniform random patterns drawn packed: uint64 (n_rows, ceil(batch / 64)), padding bits 0."""
    from ..sim import n_words_for, random_words

    words = random_words(n_rows, n_words_for(batch), seed=seed)
    if batch % 64 and words.size:
        words[:, -1] &= np.uint64((1 << (batch % 64)) - 1)
    return words


def run(args: argparse.Namespace) -> int:
    """Run ``serialcomp simulate``; returns the exit status."""
    from .._atomic import check_outputs, check_target
    from ..io import read_circuit
    from ..ir.looped import LoopedCircuit
    from ..sim import n_words_for, unpack_bits

    outputs = {"--out": args.out, "--save-inputs": args.save_inputs, "--save-steps": args.save_steps,
               "--save-state": args.save_state}
    check_outputs(outputs, {"PATH": args.path, "--inputs": args.inputs})
    for option, path in outputs.items():
        if path is not None:
            check_target(path, option)  # fail before the run, not after it
    if args.save_inputs and args.inputs is not None:
        raise SerialcompError("--save-inputs applies to --random (the patterns of --inputs are already in a file)")
    obj = read_circuit(args.path)
    looped = isinstance(obj, LoopedCircuit)
    loop_mode = looped and obj.mode == "loop"
    stream = looped and not loop_mode
    n_in = obj.n_x if looped else obj.n_inputs
    n_out = obj.n_outputs if not looped else (obj.readout.n_outputs if loop_mode and obj.readout is not None
                                              else obj.step.n_outputs - obj.n_state)
    kind = "a stream-mode circuit (latches)" if stream else "combinational" if not looped else "a loop-mode circuit"
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
    steps = 1 if args.steps is None else args.steps
    saved: dict[str, np.ndarray] = {}
    what = {str(p): o for o, p in outputs.items() if p is not None}
    t0 = time.perf_counter()
    note = ""
    if not looped and args.inputs is None:
        # the lean path: random patterns drawn as packed words, simulated and unpacked, never as float64
        batch, nw = args.random, n_words_for(args.random)
        check_memory(8 * nw * (n_in + 2 * n_out) + batch * n_out + (batch * n_in if args.save_inputs else 0),
                     f"--random {batch} on {args.path} ({n_in} inputs, {n_out} outputs)")
        words = _random_words(n_in, batch, args.seed)
        if args.save_inputs:
            saved[args.save_inputs] = unpack_bits(words, batch)
        sim = obj.compile(threads=args.threads)
        t0 = time.perf_counter()
        result = unpack_bits(sim.run(words), batch)
    else:
        if args.inputs is not None:
            patterns = _patterns_from_file(args)
        else:
            rows = n_in * (steps if stream else 1)
            nw = n_words_for(args.random)
            check_memory(8 * nw * rows + args.random * (2 * rows + n_out * (steps if stream else 1)),
                         f"--random {args.random}" + (f" x --steps {steps}" if stream else "") + f" on {args.path}")
            words = _random_words(rows, args.random, args.seed)
            patterns = unpack_bits(words, args.random)
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
            result = obj.run(patterns, threads=args.threads).outputs
        elif loop_mode:
            run = obj.run(patterns, steps=steps, halt=args.halt, threads=args.threads)
            result = run.outputs
            if args.halt:
                note = (f"; {int(run.halted.sum())} of {len(run.halted)} lanes reached a fixed point within "
                        f"{steps} steps, most steps used {int(run.steps.max(initial=0))}")
            if args.save_steps:
                saved[args.save_steps] = run.steps
            if args.save_state:
                saved[args.save_state] = run.state
        else:
            result = obj.compile(threads=args.threads).run_bool(patterns)
    dt = time.perf_counter() - t0
    save_npys({args.out: result, **saved}, what)
    print(f"simulated {result.shape[0]} patterns in {dt:.3f} s -> {args.out} {result.shape}{note}", file=sys.stderr)
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
        "--halt stops each lane at its first fixed point.",
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
    q.add_argument("--threads", type=positive_int, default=1, help="threads for the simulator, looped circuits' step included (default 1)")
    q.set_defaults(func=run)
