"""The ``serialcomp`` command.

Subcommands: ``info`` (size and depth of circuit files), ``simulate`` (run a circuit on patterns),
``convert`` (between formats), and the problem-layer commands ``generate`` and ``problems``.
Run ``serialcomp COMMAND --help`` for each one's options.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path
from typing import Any, Sequence

import numpy as np

from . import __version__
from .errors import SerialcompError

__all__ = ["main", "circuit_info"]

_FORMATS = ".aag (ASCII AIGER), .aig (binary AIGER), .bench (ISCAS BENCH), .thr (threshold text format)"


def circuit_info(obj: Any, fanin: int | None = None, count_inverters: bool = False) -> dict[str, Any]:
    """The numbers ``serialcomp info`` prints for a Circuit or LoopedCircuit.

    For a looped circuit (AIGER latches) the step circuit is measured with latch outputs as inputs,
    as ABC's ``&ps`` does: ``inputs`` and ``outputs`` exclude the latches, ``latches`` counts them.

    Example
    -------
    >>> from serialcomp.ir import CircuitBuilder
    >>> b = CircuitBuilder(); x, y = b.inputs(2); b.output(b.and_(x, y))
    >>> circuit_info(b.build())["gates_by_kind"]
    {'AND': 1}
    """
    from .ir.looped import LoopedCircuit

    if isinstance(obj, LoopedCircuit):
        c, latches = obj.step, obj.n_state
    else:
        c, latches = obj, 0
    sizes = c.size()
    buffers = sizes.pop("BUF", 0)  # NOT/BUF nodes: free under the default convention, not in "gates"
    return {
        "inputs": c.n_inputs - latches,
        "outputs": c.n_outputs - latches,
        "latches": latches,
        "gates": c.n_gates,
        "gates_by_kind": sizes,
        "buffers": buffers,
        "depth": c.depth(fanin=fanin, count_inverters=count_inverters),
        "max_fanin": c.max_fanin,
        "circuit_class": c.gate_set()["circuit_class"],
    }


def _progress(items: Sequence[Any], desc: str) -> Any:
    if len(items) < 3 or not sys.stderr.isatty():
        return items
    from tqdm import tqdm

    return tqdm(items, desc=desc, unit="file", file=sys.stderr)


def _cmd_info(args: argparse.Namespace) -> int:
    from .io import read_circuit

    rows = []
    for path in _progress(args.paths, "reading"):
        t0 = time.perf_counter()
        obj = read_circuit(path)
        row = circuit_info(obj, fanin=args.fanin, count_inverters=args.count_inverters)
        row["seconds"] = round(time.perf_counter() - t0, 4)
        rows.append((path, row))
    if args.json:
        if len(rows) == 1:
            out: Any = {k: v for k, v in rows[0][1].items() if k != "seconds"}
        else:
            out = [{"path": str(p), **{k: v for k, v in r.items() if k != "seconds"}} for p, r in rows]
        print(json.dumps(out, indent=2))
        return 0
    header = f"{'circuit':<24} {'inputs':>7} {'outputs':>7} {'latches':>7} {'gates':>9} {'depth':>7} {'max fanin':>9}  class  kinds"
    print(header)
    print("-" * len(header))
    for path, r in rows:
        kinds = ", ".join(f"{k}={v}" for k, v in r["gates_by_kind"].items())
        print(
            f"{Path(path).name:<24} {r['inputs']:>7} {r['outputs']:>7} {r['latches']:>7} {r['gates']:>9} "
            f"{r['depth']:>7} {r['max_fanin']:>9}  {r['circuit_class']:<5}  {kinds}"
        )
    return 0


def _save_npy(path: str, array: np.ndarray) -> None:
    # np.save(str) appends ".npy" to other names; the user's path is used as given
    with open(path, "wb") as f:
        np.save(f, array)


def _positive_int(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a positive integer, got {text!r}") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"expected a positive integer, got {value}")
    return value


def _cmd_simulate(args: argparse.Namespace) -> int:
    from .io import read_circuit
    from .ir.looped import LoopedCircuit

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
            _save_npy(args.save_inputs, patterns)
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
            _save_npy(args.save_steps, run.steps)
        if args.save_state:
            _save_npy(args.save_state, run.state)
    else:
        result = obj.compile(threads=args.threads).run_bool(patterns)
    dt = time.perf_counter() - t0
    _save_npy(args.out, result)
    print(f"simulated {patterns.shape[0]} patterns in {dt:.3f} s -> {args.out} {result.shape}{note}", file=sys.stderr)
    return 0


def _cmd_convert(args: argparse.Namespace) -> int:
    from .io import read_aiger, read_circuit, write_circuit

    aiger = (".aag", ".aig")
    if Path(args.src).suffix.lower() in aiger and Path(args.dst).suffix.lower() in aiger:
        obj, comment = read_aiger(args.src, with_comment=True)  # AIGER to AIGER keeps the comments
        write_circuit(obj, args.dst, **({} if comment is None else {"comment": comment}))
    else:
        write_circuit(read_circuit(args.src), args.dst)
    return 0


def _cmd_study(args: argparse.Namespace) -> int:
    from .measure.grid import default_grid
    from .measure.study import check_out_dir, markdown_tables, study, write_study

    check_out_dir(args.out, "--out")  # fail before the run, not after it
    grid = default_grid(quick=args.quick, problems=args.problems)
    t0 = time.perf_counter()
    table = study(grid, seed=args.seed, progress=not args.json and sys.stderr.isatty())
    paths = write_study(table, args.out)
    if args.json:
        from .measure.study import json_rows

        print(json.dumps(json_rows(table), indent=1))
    else:
        print(markdown_tables(table))
        print(f"{len(table)} rows in {time.perf_counter() - t0:.1f} s; wrote " + ", ".join(str(p) for p in paths.values()))
    return 0


def _cmd_zoo(args: argparse.Namespace) -> int:
    from .zoo import write_zoo

    rows = write_zoo(args.out, problems=args.problems)
    fams = {(r["problem"], r["family"]) for r in rows}
    print(f"wrote {len(rows)} circuits of {len(fams)} families to {args.out} (manifest.csv, .thr, .aig)")
    return 0


def build_parser() -> argparse.ArgumentParser:
    """The argument parser of the ``serialcomp`` command."""
    p = argparse.ArgumentParser(
        prog="serialcomp",
        description="Measure serial depth: circuit size/depth, exact bit-parallel simulation, serial-hard datasets.",
    )
    p.add_argument("--version", action="version", version=f"serialcomp {__version__}")
    sub = p.add_subparsers(dest="command", metavar="COMMAND")

    q = sub.add_parser(
        "info",
        help="inputs, outputs, gates and depth of circuit files",
        description=f"Print size and depth of each circuit file. Formats by extension: {_FORMATS}. "
        "Depth counts gate levels on the longest input-to-output path (negations free), as ABC's &ps 'lev'.",
    )
    q.add_argument("paths", nargs="+", metavar="PATH", help="circuit file(s)")
    q.add_argument("--json", action="store_true", help="JSON: an object for one file, a list for several")
    q.add_argument("--fanin", type=int, default=None, metavar="K", help="charge ceil(log_K f) levels per gate of fan-in f")
    q.add_argument("--count-inverters", action="store_true", help="count explicit NOT/BUF gates as levels")
    q.set_defaults(func=_cmd_info)

    q = sub.add_parser(
        "simulate",
        help="evaluate a circuit on patterns",
        description="Evaluate a circuit with the bit-parallel simulator. IN is a bool .npy array (batch, n_inputs) "
        "in the file's input order; OUT is bool (batch, n_outputs) in the file's output order. For a circuit "
        "with latches (stream mode), IN is (batch, steps, n_inputs) and OUT (batch, steps, n_outputs), from the "
        "reset state. For a loop-mode .thr circuit (the input re-injected every step), IN is (batch, n_inputs), "
        "the step circuit runs --steps times from the initial state and OUT is the readout (batch, n_outputs); "
        "--halt stops each lane at its first fixed point.",
    )
    q.add_argument("path", metavar="PATH", help=f"circuit file ({_FORMATS})")
    src = q.add_mutually_exclusive_group(required=True)
    src.add_argument("--inputs", metavar="IN.npy", help="bool patterns to evaluate")
    src.add_argument("--random", type=_positive_int, metavar="N", help="evaluate N uniformly random patterns instead")
    q.add_argument("--seed", type=int, default=0, help="seed for --random (default 0)")
    q.add_argument("--steps", type=_positive_int, default=1,
                   help="stream mode (latches): steps per pattern for --random; loop mode: steps to run (the most, "
                   "with --halt); default 1")
    q.add_argument("--halt", action="store_true", help="loop mode: stop each lane at its first fixed point")
    q.add_argument("--save-steps", metavar="PATH.npy", help="loop mode: save the steps each lane used (int64, (batch,))")
    q.add_argument("--save-state", metavar="PATH.npy", help="loop mode: save the final state (bool, (batch, n_state))")
    q.add_argument("--save-inputs", metavar="PATH.npy", help="with --random: also save the patterns")
    q.add_argument("--out", required=True, metavar="OUT.npy", help="where to write the outputs")
    q.add_argument("--threads", type=_positive_int, default=1, help="threads for the simulator, looped circuits' step included (default 1)")
    q.set_defaults(func=_cmd_simulate)

    q = sub.add_parser(
        "convert",
        help="convert between circuit formats",
        description=f"Convert a circuit; formats by extension. Read: {_FORMATS}. Write: those and .v (structural "
        "Verilog). Writing AIGER or BENCH lowers threshold and counting gates to AND/inverter logic.",
    )
    q.add_argument("src", metavar="IN")
    q.add_argument("dst", metavar="OUT")
    q.set_defaults(func=_cmd_convert)

    q = sub.add_parser(
        "study",
        help="the main job: depth and accuracy of parallel vs. recurrent circuit families on every problem",
        description="Run the default grid problems x circuit families x n: build each circuit once, measure depth, "
        "size and serial depth, fit the growth among 1, log n, log^2 n, sqrt n, n, n log n, n^2, simulate sampled "
        "instances against the reference solver, and write results.parquet, table.md, depth.png and accuracy.png.",
    )
    q.add_argument("--quick", action="store_true", help="small sizes (about 10 s on 2 cores; the default grid takes about 35 s; a first run on a new machine adds up to 20 s of Numba compilation)")
    q.add_argument("--problems", nargs="+", metavar="KEY", help="only these problem keys (default: all in the grid)")
    q.add_argument("--out", default="results", metavar="DIR", help="output folder (default: ./results)")
    q.add_argument("--seed", type=int, default=0, help="seed for the sampled instances (default 0)")
    q.add_argument("--json", action="store_true", help="print the rows as JSON instead of tables")
    q.set_defaults(func=_cmd_study)

    q = sub.add_parser(
        "zoo",
        help="write every circuit family at small n as .thr and .aig files with a manifest",
        description="Write the circuit zoo: for each problem's circuit families at n = 2, 4, 8 (cellular automata at the odd "
        "widths 3, 5, 7; timelock at 3, 4), the circuit in the "
        "threshold text format (.thr, lossless) and as a binary AIGER file (.aig, through to_aig), plus manifest.csv "
        "(family, n, inputs, outputs, gates, depth, gate set, AIG size and depth). Looped families are unrolled.",
    )
    q.add_argument("--out", default="circuits", metavar="DIR", help="output folder (default: ./circuits)")
    q.add_argument("--problems", nargs="+", metavar="KEY", help="only these problem keys (default: all with families)")
    q.set_defaults(func=_cmd_zoo)

    try:
        from .problems._cli import register_subcommands
    except ImportError:  # pragma: no cover - problem layer absent
        pass
    else:
        register_subcommands(sub)
    return p


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point; returns the exit status (0 ok, 1 bad input, 2 usage)."""
    parser = build_parser()
    args = parser.parse_args(argv)
    if not getattr(args, "func", None):
        parser.print_help()
        return 2
    if getattr(args, "fanin", None) is not None and args.fanin < 2:
        parser.error("--fanin must be >= 2")
    try:
        return int(args.func(args) or 0)
    except SerialcompError as exc:
        print(f"serialcomp {args.command}: error: {exc}", file=sys.stderr)
        return 1
    except FileNotFoundError as exc:
        print(f"serialcomp {args.command}: error: no such file: {exc.filename}", file=sys.stderr)
        return 1
    except BrokenPipeError:  # pragma: no cover - e.g. piped into head
        return 0
    except OSError as exc:  # a folder where a file is expected, no permission, disk full, ...
        where = f": {exc.filename}" if exc.filename else ""
        print(f"serialcomp {args.command}: error: {exc.strerror or exc}{where}", file=sys.stderr)
        return 1


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
