"""The ``serialcomp generate`` subcommand: sample problem instances with exact answers."""

from __future__ import annotations

import argparse
import json
import sys
import textwrap
from typing import Any

from ..errors import ProblemParameterError
from ._common import HelpFormatter, positive_int
from .problems import n_meaning, param_text

__all__ = ["output_format", "parse_param", "register", "run"]

_WIDTH = 100


def parse_param(text: str) -> tuple[str, Any]:
    """``"k=v"`` -> ``(k, v)`` with ``v`` read as JSON when it parses (ints, floats, true/false), else a string.

    Example
    -------
    >>> parse_param("distance=5"), parse_param("prefix=true"), parse_param("p=0.25")
    (('distance', 5), ('prefix', True), ('p', 0.25))
    """
    key, sep, value = text.partition("=")
    if not sep or not key:
        raise ProblemParameterError(f"--param expects KEY=VALUE, got {text!r}")
    try:
        parsed = json.loads(value)
    except ValueError:
        parsed = value
    if isinstance(parsed, (list, dict)):
        parsed = value
    return key.strip(), parsed


_RESERVED = ("n", "count", "seed", "start")


def output_format(fmt: str | None, out: str | None) -> str:
    """The format to write: ``--format`` if given, else the one ``--out``'s suffix asks for
    (:func:`~serialcomp.problems.export.format_for_path`: Parquet for ``.parquet``/``.pq`` in any
    case), else JSON Lines.

    Example
    -------
    >>> output_format(None, "d.PARQUET"), output_format(None, "d.jsonl"), output_format(None, None)
    ('parquet', 'jsonl', 'jsonl')
    """
    if fmt:
        return fmt
    if not out:
        return "jsonl"
    from ..problems.export import format_for_path

    return format_for_path(out)


def _record_bytes(problem: Any, n: int, seed: int, start: int, params: dict[str, Any]) -> int:
    """Bytes one sampled record holds in memory (its arrays), from one sample."""
    inst = problem.sample(n, 1, seed, start=start, **params)
    arrays = [*inst.inputs.values(), *inst.targets.values(), *inst.meta.values()]
    return max(1, sum(int(getattr(a, "nbytes", 0)) for a in arrays))


def run(args: argparse.Namespace) -> int:
    """Run ``serialcomp generate``; returns the exit status."""
    from .._atomic import atomic_path, check_target
    from ..problems.export import generate_chunks, write_jsonl, write_parquet
    from ..problems.registry import get_problem
    from ._common import check_memory, writing

    params = dict(parse_param(p) for p in args.param or [])
    for key in _RESERVED:
        if key in params:
            raise ProblemParameterError(f"--param {key}=...: {key} is not a problem parameter; use --{key}")
    shards = getattr(args, "shards", None)
    scheduler = getattr(args, "scheduler", None)
    if shards is None and scheduler is not None and scheduler.strip().lower() not in ("", "none"):
        raise ProblemParameterError("--scheduler goes with --shards K (the shards are the Dask tasks); without "
                                    "--shards the dataset is written in this process")
    if shards is not None:
        if args.format == "jsonl":
            raise ProblemParameterError("--shards writes Parquet files (part-NNNNN.parquet); it cannot go with "
                                        "--format jsonl")
        if not args.out:
            raise ProblemParameterError("--shards needs --out DIR (the folder of part-NNNNN.parquet files)")
        fmt = "parquet"
    else:
        fmt = output_format(args.format, args.out)
    if fmt == "parquet" and not args.out:
        raise ProblemParameterError("--format parquet needs --out PATH (Parquet is not written to stdout)")
    if not 0 <= args.seed < 2**63:  # the option's name in the message; the library says "seed"
        raise ProblemParameterError(f"--seed must be in [0, 2**63) (the seed column is int64), got {args.seed}")
    if args.chunk_size < 1:
        raise ProblemParameterError(f"--chunk-size must be >= 1, got {args.chunk_size}")
    if args.count < 0 or args.start < 0:
        which = "--count" if args.count < 0 else "--start"
        raise ProblemParameterError(f"{which} must be >= 0, got {args.count if which == '--count' else args.start}")
    if args.start + args.count > 2**63:
        raise ProblemParameterError(f"--start + --count must be at most 2**63 (record indices are int64), got "
                                    f"{args.start} + {args.count}")
    spec = None
    if shards is not None:
        from ..scale.scheduler import scheduler_option
        from ..scale.shards import check_shard_dir, shard_bounds

        spec = scheduler_option(scheduler)  # a bad spec or a missing extra fails before the run
        shard_bounds(args.count, shards)
        check_shard_dir(args.out, "--out")
    elif args.out is not None:
        check_target(args.out, "--out")  # fail before the run, not after it
    problem = get_problem(args.key)
    problem.sample(args.n, 0, args.seed, start=args.start, **params)  # validate before opening the output
    if args.count:
        per_record = _record_bytes(problem, args.n, args.seed, args.start, params)
        # a chunk is held as arrays and once more as columns while it is written; a LocalCluster of
        # N workers writes N shards at once on this machine
        here = spec.workers if spec is not None and spec.kind == "local" else 1
        check_memory(3 * per_record * min(args.chunk_size, args.count) * min(here, shards or 1),
                     f"--chunk-size {args.chunk_size} of {args.key} records at n = {args.n} ({per_record} bytes each)"
                     + (f" on {here} workers at once" if here > 1 else ""))
    if shards is not None:
        return _run_shards(args, params, shards, spec)
    chunks = generate_chunks(args.key, args.n, args.count, args.seed, start=args.start,
                             chunk_size=args.chunk_size, **params)
    bar = None
    if args.count >= 10 * args.chunk_size or (args.progress and args.count):
        from tqdm import tqdm

        bar = tqdm(total=args.count, desc=f"generate {args.key}", unit="rec", file=sys.stderr,
                   disable=None if not args.progress else False)

    def tick(it: Any) -> Any:
        for chunk in it:
            yield chunk
            if bar is not None:
                bar.update(len(chunk))

    try:
        if args.out is None:
            write_jsonl(tick(chunks), sys.stdout, readable=not args.raw)
            sys.stdout.flush()
        else:
            # the dataset appears under its name only when complete: a failed or interrupted run
            # leaves no partial file and an existing file as it was
            with writing(args.out, "--out"), atomic_path(args.out, what="--out") as tmp:
                if fmt == "parquet":
                    write_parquet(tick(chunks), tmp, readable=not args.raw, compression=args.compression)
                else:
                    write_jsonl(tick(chunks), tmp, readable=not args.raw)
    finally:
        if bar is not None:
            bar.close()
    return 0


def _run_shards(args: argparse.Namespace, params: dict[str, Any], shards: int, spec: Any) -> int:
    """``generate --shards K``: the folder of K Parquet shards (:func:`~serialcomp.scale.write_shards`),
    written in this process or as one Dask task per shard, swapped in whole when complete."""
    from ..scale.shards import write_shards
    from ._common import writing

    # as for one file: a bar for a long run when stderr is a terminal, always with --progress
    show = bool(args.progress) or (args.count >= 10 * args.chunk_size and sys.stderr.isatty())
    with writing(args.out, "--out"):
        write_shards(args.key, args.n, args.count, args.out, shards=shards, seed=args.seed, start=args.start,
                     params=params, readable=not args.raw, compression=args.compression,
                     chunk_size=args.chunk_size, scheduler=None if spec.in_process else spec, progress=show,
                     what="--out")
    return 0


def _problems_epilog() -> str:
    """Per problem: what n means and the --param keys (imports the registry, so only for --help)."""
    from ..problems.registry import get_problem, list_patterns, list_problems

    lines = ["problems (n: what --n counts; params: the --param keys with their defaults, auto = derived "
             "from n):"]
    keys = list_problems()
    pad = " " * (max(map(len, keys)) + 4)
    for key in keys:
        d = get_problem(key).describe()
        lines.append(textwrap.fill(f"n: {n_meaning(d)}", _WIDTH, initial_indent=f"  {key}".ljust(len(pad)),
                                   subsequent_indent=pad + "   "))
        lines.append(textwrap.fill(f"params: {param_text(d.get('params', {}))}", _WIDTH, initial_indent=pad,
                                   subsequent_indent=pad + "   "))
    if list_patterns():
        lines.append(f"  parametric keys: {', '.join(list_patterns())} (e.g. word:Z7; n and params as for word:S5)")
    lines.append("Knobs, depth bounds and references: `serialcomp problems`, `serialcomp problems --json`.")
    return "\n".join(lines)


def _with_lazy_epilog(parser: argparse.ArgumentParser) -> None:
    """Build the epilog when help is printed, not when the CLI is set up (the registry imports sympy)."""
    plain = parser.format_help

    def format_help() -> str:
        if parser.epilog is None:
            parser.epilog = _problems_epilog()
        return plain()

    parser.format_help = format_help  # type: ignore[method-assign]



def register(subparsers: "argparse._SubParsersAction[argparse.ArgumentParser]") -> None:
    """Add the ``generate`` subcommand."""
    q = subparsers.add_parser(
        "generate",
        help="sample problem instances with exact answers (JSON Lines or Parquet)",
        description=textwrap.fill(
            "Sample COUNT instances of problem KEY at size N. Record i depends only on (KEY, N, params, "
            "SEED, i): --start shards a dataset, and the same arguments give byte-identical files. JSON "
            "Lines goes to stdout unless --out is given; Parquet needs --out. Each record holds problem, n, "
            "seed, index, params (JSON) and one param_<name> column per resolved parameter, then the input, "
            "target and per-record metadata; Parquet files also describe the dataset in their key-value "
            "metadata (docs/FORMATS.md).", 96) + "\n\n" + textwrap.fill(
            "Shards: --shards K --out DIR writes the folder DIR of K Parquet files part-00000.parquet ... "
            "(contiguous runs of records, as even as possible; every shard holds at least one record). Read "
            "in name order, the shards are the single-file output (--out x.parquet, same arguments) record "
            "for record, with the same columns and key-value metadata; pyarrow.dataset, "
            "dask.dataframe.read_parquet(DIR) and Hugging Face datasets read DIR as one dataset. DIR must be "
            "new, empty or a previous shard folder (a folder holding any other file is refused, so nothing "
            "of yours is deleted); it is replaced whole when every shard is written, and a failed or "
            "interrupted run leaves it as it was. --scheduler local:N writes the shards as Dask tasks on N "
            "worker processes here, --scheduler tcp://HOST:PORT on a running cluster (the dask extra: pip "
            "install 'serialcomp[dask]'); the files are the same bytes either way. Workers write their "
            "shards themselves, so with a remote cluster DIR must be on a filesystem every worker shares "
            "(and serialcomp of the same version on every worker).", 96),
        formatter_class=HelpFormatter,
    )
    q.add_argument("key", metavar="KEY", help="problem key, e.g. parity, word:S5, word:Z7, reach:flower, cvp "
                   "(all keys below)")
    q.add_argument("--n", type=int, required=True,
                   help="problem size; what it counts depends on the problem (list below): input bits (parity, "
                   "majority), bits per operand (add), summands of n bits (iadd), word length (word:*), nodes "
                   "(reach:path, reach:random), nodes per component (reach:flower, 2n nodes), cycle length "
                   "(reach:cycles, 2n nodes), circuit width (cvp), ring width (ca:*), bits per prime (timelock), "
                   "smallest propagation rating (sudoku; the grid is always 9x9)")
    q.add_argument("--count", type=int, required=True, help="number of records")
    q.add_argument("--seed", type=int, default=0, help="integer seed in [0, 2**63)")
    q.add_argument("--param", action="append", metavar="K=V",
                   help="problem parameter, repeatable, value read as JSON (e.g. --param prefix=true --param "
                   "petals=5); the keys of each problem are listed below")
    q.add_argument("--start", type=int, default=0, help="index of the first record (for sharding)")
    q.add_argument("--format", choices=["jsonl", "parquet"], default=None,
                   help="output format (default: parquet for --out *.parquet or *.pq, any case; else jsonl)")
    q.add_argument("--out", metavar="PATH", default=None,
                   help="output file (default: stdout, jsonl only); with --shards, the output folder DIR")
    q.add_argument("--shards", type=positive_int, metavar="K", default=None,
                   help="write a folder of K Parquet files part-00000.parquet ... into --out DIR instead of one "
                   "file (1 <= K <= --count; see Shards above)")
    q.add_argument("--scheduler", metavar="SPEC", default=None,
                   help="with --shards, where the shards are written: none (this process, the default), local or "
                   "local:N (a Dask LocalCluster of N worker processes here), or tcp://HOST:PORT (a running Dask "
                   "scheduler; DIR on a filesystem every worker shares). Needs the dask extra")
    q.add_argument("--chunk-size", type=int, default=4096,
                   help="records sampled per batch, >= 1 (memory and speed only: the records and the file bytes "
                   "do not depend on it; Parquet row groups always hold 4096 records)")
    q.add_argument("--raw", action="store_true",
                   help="write the stored arrays instead of readable structures (word problems: element "
                   "indices, decoded by the `elements` table in the Parquet metadata, instead of one-line "
                   "permutations)")
    q.add_argument("--compression", choices=["zstd", "lz4", "snappy", "none"], default="zstd",
                   help="Parquet page compression (default zstd: smallest files; lz4 or none write faster, "
                   "e.g. 2-3x for rows of bits, at 3-10x the size)")
    q.add_argument("--progress", action="store_true", help="always show a progress bar on stderr")
    q.set_defaults(func=run)
    _with_lazy_epilog(q)
