"""The ``serialcomp simulate`` subcommand: evaluate a circuit on patterns with the bit-parallel simulator."""

from __future__ import annotations

import argparse
import sys
import time

import numpy as np

from ..errors import SerialcompError
from ._common import FORMATS, positive_int, save_npy

__all__ = ["register", "run"]


def run(args: argparse.Namespace) -> int:
    """Run ``serialcomp simulate``; returns the exit status."""
    from ..io import read_circuit
    from ..ir.looped import LoopedCircuit

    obj = read_circuit(args.path)
    looped = isinstance(obj, LoopedCircuit)
    loop_mode = looped and obj.mode == "loop"
    stream = looped and not loop_mode
    n_in = obj.n_x if looped else obj.n_inputs
    if args.halt and not loop_mode:
        raise SerialcompError(f"--halt applies to loop-mode circuits; {args.path} is "
                              + ("a stream-mode circuit (latches)" if looped else "combinational"))
    for opt in ("save_steps", "save_state"):
        if getattr(args, opt) and not loop_mode:
            raise SerialcompError(f"--{opt.replace('_', '-')} applies to loop-mode circuits; {args.path} is not one")
    if args.inputs is not None:
        try:
            patterns = np.load(args.inputs, allow_pickle=False)
        except (OSError, ValueError) as exc:
            raise SerialcompError(f"--inputs {args.inputs}: cannot read a .npy array ({exc})") from None
        if patterns.dtype != np.bool_:
            if patterns.dtype.kind not in "iu" or not np.all((patterns == 0) | (patterns == 1)):
                raise SerialcompError(f"--inputs {args.inputs}: expected a bool array (or 0/1 integers), got {patterns.dtype}")
            patterns = patterns.astype(bool)
    else:
        rng = np.random.Generator(np.random.PCG64(args.seed))
        shape = (args.random, args.steps, n_in) if stream else (args.random, n_in)
        patterns = rng.random(shape) < 0.5
        if args.save_inputs:
            save_npy(args.save_inputs, patterns)
    want_ndim = 3 if stream else 2
    if patterns.ndim != want_ndim or patterns.shape[-1] != n_in:
        shape = "(batch, steps, %d)" % n_in if stream else "(batch, %d)" % n_in
        raise SerialcompError(f"--inputs {args.inputs}: expected shape {shape} for {args.path}, got {patterns.shape}")
    t0 = time.perf_counter()
    note = ""
    if stream:
        result = obj.run(patterns, threads=args.threads).outputs
    elif loop_mode:
        run = obj.run(patterns, steps=args.steps, halt=args.halt, threads=args.threads)
        result = run.outputs
        if args.halt:
            note = (f"; {int(run.halted.sum())} of {len(run.halted)} lanes reached a fixed point within "
                    f"{args.steps} steps, most steps used {int(run.steps.max(initial=0))}")
        if args.save_steps:
            save_npy(args.save_steps, run.steps)
        if args.save_state:
            save_npy(args.save_state, run.state)
    else:
        result = obj.compile(threads=args.threads).run_bool(patterns)
    dt = time.perf_counter() - t0
    save_npy(args.out, result)
    print(f"simulated {patterns.shape[0]} patterns in {dt:.3f} s -> {args.out} {result.shape}{note}", file=sys.stderr)
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
    q.add_argument("--seed", type=int, default=0, help="seed for --random (default 0)")
    q.add_argument("--steps", type=positive_int, default=1,
                   help="stream mode (latches): steps per pattern for --random; loop mode: steps to run (the most, "
                   "with --halt); default 1")
    q.add_argument("--halt", action="store_true", help="loop mode: stop each lane at its first fixed point")
    q.add_argument("--save-steps", metavar="PATH.npy", help="loop mode: save the steps each lane used (int64, (batch,))")
    q.add_argument("--save-state", metavar="PATH.npy", help="loop mode: save the final state (bool, (batch, n_state))")
    q.add_argument("--save-inputs", metavar="PATH.npy", help="with --random: also save the patterns")
    q.add_argument("--out", required=True, metavar="OUT.npy", help="where to write the outputs")
    q.add_argument("--threads", type=positive_int, default=1, help="threads for the simulator, looped circuits' step included (default 1)")
    q.set_defaults(func=run)
