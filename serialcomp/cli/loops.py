"""The ``serialcomp loops`` subcommand: learned looped models (train, info, eval, predict, study).

::

    serialcomp loops train (--config NAME | --problem KEY --n N [--param k=v] [--loops L] [--layers k]
                            [--width d] [--steps S] [--batch B]) [--seed S] [--device auto|cpu|cuda] --out M.pt
    serialcomp loops info M.pt [--json]
    serialcomp loops eval M.pt --n N... --loops L... [--halt fixed-point|confidence] [--count C] [--seed S] [--json]
    serialcomp loops predict M.pt --input DATA.jsonl (--loops L | --halt fixed-point|confidence) [--out OUT.jsonl]
    serialcomp loops study [--config NAME | --model M.pt] [--out DIR] [--json]
    serialcomp loops sweep --grid GRID.json [--scheduler none|local[:N]|tcp://HOST:PORT] [--out DIR] [--json]

torch is imported when a command runs, so ``serialcomp --help`` works without it (and a missing
torch is one line: the extra to install).
"""

from __future__ import annotations

import argparse
import contextlib
import json
import math
import sys
import textwrap
import time
from pathlib import Path
from typing import Any, Iterator

from .._atomic import atomic_open, check_outputs, check_target
from ..errors import ProblemParameterError
from ._common import HelpFormatter, nonnegative_int, positive_int, writing
from .generate import parse_param

__all__ = ["SWEEP_FILE", "register", "run_train", "run_info", "run_eval", "run_predict", "run_study", "run_sweep"]

_HALTS = ("fixed-point", "confidence")

SWEEP_FILE = "sweep.parquet"
"""The file ``loops sweep`` writes into its ``--out`` folder (other files there are kept)."""


def _models() -> Any:
    from ..torch.device import require_torch

    require_torch()
    from ..torch import models

    return models


def _threads(args: argparse.Namespace) -> None:
    import torch

    torch.set_num_threads(args.threads)


def _config(args: argparse.Namespace) -> Any:
    """The LoopConfig of ``loops train`` / ``loops study`` options."""
    m = _models()
    over: dict[str, Any] = {}
    for opt, fld in (("loops", "loops_train"), ("layers", "layers"), ("width", "width"), ("steps", "steps"),
                     ("batch", "batch"), ("positions", "positions"), ("attention", "attention"), ("seed", "seed")):
        v = getattr(args, opt, None)
        if v is not None:
            over[fld] = v
    if "loops_train" in over:  # one --loops sets the range's top; keep the others inside it
        over.setdefault("backprop_loops", over["loops_train"])
    params = dict(parse_param(p) for p in (getattr(args, "param", None) or []))
    if getattr(args, "problem", None) is not None:
        if args.config is not None:
            raise ProblemParameterError("give --config NAME or --problem KEY --n N, not both")
        if args.n is None:
            raise ProblemParameterError("--problem needs --n (the training size)")
        base = m.LoopConfig(problem=args.problem, n_train=args.n, params=params)
        fields = {**base.to_dict(), **over}
        fields["loops_min"] = min(fields["loops_min"], fields["loops_train"])
        fields["backprop_loops"] = min(fields["backprop_loops"], fields["loops_train"])
        return m.LoopConfig.from_dict(fields)
    if args.n is not None:
        raise ProblemParameterError("--n goes with --problem; a --config has its own training size")
    name = args.config or "quick"
    base = m.get_config(name)
    if params:
        over["params"] = {**base.params, **params}
    if "loops_train" in over:
        over["loops_min"] = min(base.loops_min, over["loops_train"])
        over["backprop_loops"] = min(base.backprop_loops, over["loops_train"])
    return m.get_config(name, **over)


def run_train(args: argparse.Namespace) -> int:
    """``serialcomp loops train``: train, then write the checkpoint (atomically)."""
    m = _models()
    check_target(args.out, "--out")
    cfg = _config(args)
    device = args.device
    t0 = time.perf_counter()
    lm = m.train(cfg, device=device, progress=None if not args.quiet else False, threads=args.threads,
                 time_limit=args.time_limit)
    with writing(args.out, "--out"):
        lm.save(args.out)
    md = lm.metadata
    held = md["held_out"]
    print(f"{cfg.problem} {json.dumps(cfg.params)}: trained at n={cfg.n_train} with {cfg.loops_min}-{cfg.loops_train} "
          f"loops, {md['steps_done']} steps in {md['train_seconds']:.1f} s on {md['device']} ({md['parameters']} "
          f"parameters); held-out accuracy at n={cfg.n_train}: {held['loops_train']:.3f} after {cfg.loops_train} loops, "
          f"{held['loops_1']:.3f} after 1; wrote {args.out} ({time.perf_counter() - t0:.1f} s)")
    return 0


def run_info(args: argparse.Namespace) -> int:
    """``serialcomp loops info``: what a checkpoint holds."""
    m = _models()
    info = m.load_model(args.model).info()
    if args.json:
        print(json.dumps(info, indent=1, sort_keys=True))
        return 0
    md, cfg = info["metadata"], info["config"]
    print(f"{args.model}: {info['problem']} {json.dumps(info['params'])}, trained at n={info['n_train']} with "
          f"{cfg['loops_min']}-{info['loops_train']} loops (serialcomp {md.get('serialcomp_version')}, torch "
          f"{md.get('torch_version')}, {md.get('device')})")
    held = md.get("held_out", {})
    if held:
        print(f"  held-out accuracy at n={info['n_train']}: {held['loops_train']:.3f} after {info['loops_train']} loops, "
              f"{held['loops_1']:.3f} after 1")
    print("  config: " + ", ".join(f"{k}={v}" for k, v in cfg.items() if k not in ("problem", "params", "n_train")))
    return 0


def _halt_kind(args: argparse.Namespace) -> str:
    return args.halt or "fixed"


def run_eval(args: argparse.Namespace) -> int:
    """``serialcomp loops eval``: accuracy at every (n, loops)."""
    m = _models()
    _threads(args)
    lm = m.load_model(args.model, device=args.device)
    loops = args.loops or [lm.config.loops_train]
    table = m.evaluate(lm, args.n, loops, _halt_kind(args), args.count, args.seed, eps=args.eps,
                       damping=args.damping, threads=args.threads)
    if args.json:
        rows = table.to_dict("records")
        for r in rows:
            r["position_accuracy"] = None if r["position_accuracy"] != r["position_accuracy"] else r["position_accuracy"]
        print(json.dumps(rows, indent=1))
        return 0
    shown = table[["n", "halt", "loops", "accuracy", "position_accuracy", "chance", "loops_mean", "loops_max", "halted"]]
    params = "".join(f" --param {k}={json.dumps(v)}" for k, v in lm.config.params.items())
    print(f"{lm.config.problem} {json.dumps(lm.config.params)}: {args.count} records per n, seed {args.seed} (the "
          f"records of `serialcomp generate {lm.config.problem} --n N --count {args.count} --seed {args.seed}{params}`)")
    print(shown.to_markdown(index=False, floatfmt=".4g"))
    return 0


@contextlib.contextmanager
def _output(path: str | None) -> Iterator[Any]:
    if path is None or path == "-":
        yield sys.stdout
        return
    with writing(path, "--out"), atomic_open(path, "w", what="--out", encoding="utf-8") as f:
        yield f


def run_predict(args: argparse.Namespace) -> int:
    """``serialcomp loops predict``: one JSON line per input record."""
    m = _models()
    check_outputs({"--out": args.out}, {"--input": args.input, "MODEL": args.model})
    if args.out not in (None, "-"):
        check_target(args.out, "--out")
    _threads(args)
    lm = m.load_model(args.model, device=args.device)
    kind = _halt_kind(args)
    loops = args.loops if args.loops is not None else (lm.config.loops_train if kind == "fixed" else lm.config.study_loops)
    rule = m.HaltRule(kind, loops, eps=args.eps, damping=args.damping)
    records = m.read_records(args.input)
    with _output(args.out) as f:
        for row in m.predict_records(lm, records, rule, source=f"{args.input}, record"):
            f.write(json.dumps(row, sort_keys=True) + "\n")
    return 0


def run_study(args: argparse.Namespace) -> int:
    """``serialcomp loops study``: train (or load) a model, measure accuracy against loops, L*(n), plots."""
    m = _models()
    _threads(args)
    if args.model is not None:
        given = [f"--{k}" for k in ("config", "problem", "n", "param", "loops", "layers", "width", "steps", "batch",
                                    "positions", "attention", "seed", "save_model") if getattr(args, k, None) is not None]
        if given:
            raise ProblemParameterError(f"{given[0].replace('_', '-')} trains a model; --model studies a trained "
                                        "checkpoint as it is")
        lm = m.load_model(args.model, device=args.device)
    else:
        cfg = _config(args)
        if args.save_model:
            check_target(args.save_model, "--save-model")
        lm = m.train(cfg, device=args.device, progress=None if not args.json else False,
                     threads=args.threads)
        if args.save_model:
            with writing(args.save_model, "--save-model"):
                lm.save(args.save_model, what="--save-model")
    study = m.loops_study(lm, ns=args.ns, max_loops=args.max_loops, count=args.count, seed=args.eval_seed, eps=args.eps,
                          threads=args.threads)
    paths = m.write_loops_study(study, args.out)
    if args.json:
        rows = study.lstar.to_dict("records")
        print(json.dumps({"problem": lm.config.problem, "params": lm.config.params, "config": lm.config.name,
                          "l_star": [{k: (None if v != v else v) for k, v in r.items()} for r in rows],
                          "l_star_growth": study.fit.growth if study.fit is not None else None,
                          "l_star_fit": study.fit_note, "files": {k: str(p) for k, p in paths.items()}}, indent=1))
        return 0
    print(study.to_markdown())
    print("wrote " + ", ".join(str(p) for p in paths.values()))
    return 0


def _check_sweep_out(out: str, what: str = "--out") -> Path:
    """Check, creating nothing, that ``out/sweep.parquet`` can be written: ``out`` can be a result
    folder (:func:`~serialcomp.measure.output.check_out_dir`: an existing folder or a new path under
    a writable one, not a symbolic link) and ``sweep.parquet`` there is not a folder."""
    from ..errors import SerialcompError
    from ..measure.output import check_out_dir

    path = check_out_dir(out, what)
    if (path / SWEEP_FILE).is_dir():
        raise SerialcompError(f"{what} {path}: {SWEEP_FILE} there is a folder, where the sweep writes a file")
    return path


def _sweep_table_shown(table: Any, swept: list[str]) -> Any:
    """The columns of the printed sweep table (all of them are in sweep.parquet and in --json)."""
    cols = ["job", *swept]
    cols += [c for c in ("n_train", "loops_train", "seed") if c not in cols]
    cols += ["held_out_loops_train", "n", "halt", "loops", "accuracy", "position_accuracy", "chance", "loops_mean",
             "train_seconds"]
    return table[[c for c in cols if c in table.columns]]


def _none_for_nan(v: Any) -> Any:
    return None if isinstance(v, float) and math.isnan(v) else v


def run_sweep(args: argparse.Namespace) -> int:
    """``serialcomp loops sweep``: train and evaluate every job of a grid file, in this process or
    as Dask tasks; write ``sweep.parquet`` into ``--out`` and print the table."""
    from .._atomic import atomic_entries
    from ..scale.scheduler import scheduler_option
    from ..scale.sweep import read_sweep_grid
    from ..scale.sweep import run_sweep as sweep

    grid = read_sweep_grid(args.grid)  # a bad grid file is one line, before anything else
    spec = scheduler_option(args.scheduler)
    out = _check_sweep_out(args.out, "--out")
    check_outputs({"--out": out / SWEEP_FILE}, {"--grid": args.grid})  # never write over the grid file
    _models()  # torch missing: one line naming the extra
    grid.configs()  # every job's config checked before any training
    t0 = time.perf_counter()
    table = sweep(grid, scheduler=None if spec.in_process else spec,
                  progress=not args.json and sys.stderr.isatty())
    seconds = time.perf_counter() - t0
    out = Path(args.out)
    with writing(out / SWEEP_FILE, "--out"), atomic_entries(out, what="--out") as tmp:
        table.to_parquet(tmp / SWEEP_FILE, index=False)
    if args.json:
        rows = [{k: _none_for_nan(v) for k, v in r.items()} for r in table.to_dict("records")]
        print(json.dumps(rows, indent=1))
        return 0
    swept = [k for k in grid.sweep]
    jobs = len(grid.combinations())
    print(f"{args.grid}: {jobs} job{'s' if jobs != 1 else ''} of config {grid.config} ({len(table)} rows) in "
          f"{seconds:.1f} s, {'in this process' if spec.in_process else f'on Dask ({spec})'}")
    print(_sweep_table_shown(table, swept).to_markdown(index=False, floatfmt=".4g"))
    print(f"wrote {out / SWEEP_FILE} (every column)")
    return 0


def _device_opts(q: argparse.ArgumentParser) -> None:
    q.add_argument("--device", default="auto", help="auto (CUDA when a GPU is visible), cpu, cuda or cuda:K")
    q.add_argument("--threads", type=positive_int, default=1,
                   help="CPU threads of torch (1 is fastest for these small models on a shared machine)")


def _halt_opts(q: argparse.ArgumentParser) -> None:
    q.add_argument("--halt", choices=_HALTS, help="halting rule (default: fixed, exactly --loops loops); with a rule, "
                   "--loops is the budget")
    q.add_argument("--eps", type=float, default=0.1, help="fixed point: halt when the latent's relative change is below this")
    q.add_argument("--damping", type=float, default=1.0, help="fixed point: initial step size of the damped iteration "
                   "(FPRM), in (0, 1]")


def _train_opts(q: argparse.ArgumentParser, config_required: bool) -> None:
    g = q.add_argument_group("model (a --config preset, or --problem KEY --n N; the other options override either)")
    g.add_argument("--config", metavar="NAME", help="a preset: tiny, quick, gpu-s5, gpu-a4xz5, gpu-z5, gpu-parity, "
                   "gpu-flower, gpu-rule110" + (" (default: quick)" if not config_required else ""))
    g.add_argument("--problem", metavar="KEY", help="problem key (word:*, parity, majority, reach:path, reach:flower, ca:*)")
    g.add_argument("--n", type=positive_int, help="training size (with --problem)")
    g.add_argument("--param", action="append", metavar="K=V", help="problem parameter, repeatable, value read as JSON "
                   "(e.g. --param prefix=true)")
    g.add_argument("--loops", type=positive_int, help="loops per training batch at most (each batch draws its count)")
    g.add_argument("--layers", type=positive_int, help="layers k of the weight-tied block")
    g.add_argument("--width", type=positive_int, help="model width d")
    g.add_argument("--steps", type=nonnegative_int, help="optimizer steps")
    g.add_argument("--batch", type=positive_int, help="instances per step")
    g.add_argument("--positions", choices=("none", "rope", "learned"), help="position encoding")
    g.add_argument("--attention", choices=("causal", "bidirectional"), help="attention mask (default: the task's)")
    g.add_argument("--seed", dest="seed", type=nonnegative_int, help="seed of the weights, batches and loop counts "
                   "(default: the config's, 0)")


_SWEEP_DESCRIPTION = "\n\n".join([
    textwrap.fill("Train every job of a sweep grid (a JSON file) and evaluate each at every (n, loops): one table "
                  "with a row per (job, n, loops), in job order, written to DIR/" + SWEEP_FILE + " when every job is "
                  "done (other files in DIR are kept) and printed. A grid file:", 96),
    ('  {"config": "tiny", "set": {"steps": 200}, "sweep": {"seed": [0, 1], "loops_train": [2, 4]},\n'
     '   "eval": {"ns": [4, 6, 8], "loops": [1, 2, 4], "halt": "fixed", "count": 256, "seed": 0},\n'
     '   "gpu": false, "device": "auto"}'),
    textwrap.fill('Only "sweep" is required: every combination of its values is a job (the last key varies '
                  'fastest), starting from the preset "config" (default tiny) with the "set" fields; "eval" '
                  "defaults to the config's study_ns and loops_train, fixed halting, 256 records, seed 0. The "
                  "columns: job, config, the swept fields, problem, params, n_train, loops_train, seed, device, "
                  "train_seconds, held-out accuracy after loops_train and 1 loops, then per (n, loops): halt, "
                  "accuracy, position_accuracy, chance, loops_mean, loops_max, halted, eval_count, eval_seed.", 96),
    textwrap.fill('With --scheduler each job is two Dask tasks (train, then evaluate); with "gpu": true they run '
                  "only on workers declaring the Dask resource GPU=1 (`dask worker ADDRESS --resources GPU=1`; "
                  "local:N declares it on one worker per visible GPU). Training is deterministic for a given "
                  "machine and torch build (one thread per job), so the rows are the same in this process and on "
                  "Dask, all but train_seconds (wall-clock).", 96),
])


def register(subparsers: "argparse._SubParsersAction[argparse.ArgumentParser]") -> None:
    """Add the ``loops`` subcommand and its sub-subcommands."""
    p = subparsers.add_parser(
        "loops", help="learned looped transformers: train, inspect, evaluate, predict, the loops study, sweeps",
        formatter_class=HelpFormatter,
        description="Weight-tied looped transformers (one block of k pre-norm layers applied L times with the input "
        "injected every loop) trained on the serial problems, measured the way circuit families are: accuracy "
        "against loops at each n against the problem's exact targets, and L*(n), the fewest loops reaching 0.95, "
        "beside the circuit families' depth. Needs the torch extra.")
    sub = p.add_subparsers(dest="loops_command", metavar="ACTION")
    p.set_defaults(func=lambda a: (p.print_help(), 2)[1])

    t = sub.add_parser("train", help="train a looped model and write its checkpoint", formatter_class=HelpFormatter,
                       description="Train a looped model: fresh instances every step, a random loop count per batch, "
                       "truncated backprop through the last loops, AdamW with warm-up and cosine decay. The same seed "
                       "gives the same weights on the same machine. The checkpoint holds the config and metadata "
                       "(problem, params, n_train, loops_train, serialcomp version).")
    _train_opts(t, config_required=True)
    t.add_argument("--out", required=True, metavar="M.pt", help="checkpoint file to write")
    t.add_argument("--time-limit", type=float, metavar="SECONDS", help="stop training after this many seconds")
    t.add_argument("--quiet", action="store_true", help="no progress bar")
    _device_opts(t)
    t.set_defaults(func=run_train, command="loops train")

    i = sub.add_parser("info", help="what a checkpoint holds", formatter_class=HelpFormatter,
                       description="Print a checkpoint's problem, params, n_train, loops_train, config and metadata.")
    i.add_argument("model", metavar="M.pt")
    i.add_argument("--json", action="store_true", help="print JSON")
    i.set_defaults(func=run_info, command="loops info")

    e = sub.add_parser("eval", help="accuracy at every (n, loops)", formatter_class=HelpFormatter,
                       description="Sample COUNT records of the model's problem at each n with SEED (the records of "
                       "`serialcomp generate KEY --n N --count COUNT --seed SEED` with the model's params) and print "
                       "one row per (n, loops): accuracy on the record target, per-position accuracy, the most "
                       "common answer's rate, and the mean and max loops used.")
    e.add_argument("model", metavar="M.pt")
    e.add_argument("--n", type=positive_int, nargs="+", required=True, help="sizes")
    e.add_argument("--loops", type=positive_int, nargs="+", help="loop counts (or budgets with --halt; default: the "
                   "model's loops_train)")
    _halt_opts(e)
    e.add_argument("--count", type=positive_int, default=1024, help="records per n")
    e.add_argument("--seed", type=nonnegative_int, default=0, help="seed of the records")
    e.add_argument("--json", action="store_true", help="print the rows as JSON")
    _device_opts(e)
    e.set_defaults(func=run_eval, command="loops eval")

    r = sub.add_parser("predict", help="predictions for a dataset's records", formatter_class=HelpFormatter,
                       description="Read records (JSON Lines, or Parquet by the suffix, e.g. from `serialcomp "
                       "generate`) and write one JSON line per record: index, n, prediction (in exactly the form of "
                       "the record's target, so prediction == target scores it), loops used, halted.")
    r.add_argument("model", metavar="M.pt")
    r.add_argument("--input", required=True, metavar="DATA.jsonl", help="records to predict")
    r.add_argument("--loops", type=positive_int, help="loops (or the budget with --halt; default: the model's "
                   "loops_train, or study_loops with --halt)")
    _halt_opts(r)
    r.add_argument("--out", metavar="OUT.jsonl", help="output file (default: stdout)")
    _device_opts(r)
    r.set_defaults(func=run_predict, command="loops predict")

    s = sub.add_parser("study", help="accuracy against loops per n, L*(n) and its growth beside the circuit depth",
                       formatter_class=HelpFormatter,
                       description="Train a config (default quick) or load --model, measure accuracy against loops "
                       "1..MAX at every n, L*(n) (the fewest loops reaching the config's threshold, 0.95) with its "
                       "fitted growth (measure's growth fit), fixed-point and confidence halting, and the depth "
                       "profiles of the problem's circuit families; write loops.parquet and loops.png into --out "
                       "(other files there are left alone).")
    _train_opts(s, config_required=False)
    s.add_argument("--model", metavar="M.pt", help="a trained checkpoint instead of training")
    s.add_argument("--save-model", metavar="M.pt", help="also write the trained checkpoint")
    s.add_argument("--ns", type=positive_int, nargs="+", help="sizes (default: the config's study_ns)")
    s.add_argument("--max-loops", type=positive_int, help="largest loop count (default: the config's study_loops)")
    s.add_argument("--count", type=positive_int, help="records per n (default: the config's eval_count)")
    s.add_argument("--eval-seed", dest="eval_seed", type=nonnegative_int, default=0, help="seed of the records")
    s.add_argument("--eps", type=float, default=0.1, help="fixed-point halting threshold")
    s.add_argument("--out", default="results", metavar="DIR", help="folder of loops.parquet and loops.png")
    s.add_argument("--json", action="store_true", help="print L*(n) as JSON")
    _device_opts(s)
    s.set_defaults(func=run_study, command="loops study")

    w = sub.add_parser("sweep", help="train and evaluate a grid of configs, in this process or on Dask",
                       formatter_class=HelpFormatter,
                       description=_SWEEP_DESCRIPTION)
    w.add_argument("--grid", required=True, metavar="GRID.json", help="the sweep grid file")
    w.add_argument("--scheduler", metavar="SPEC", default=None,
                   help="where the jobs run: none (this process, one job after the other; the default), local or "
                   "local:N (a Dask LocalCluster of N worker processes here), or tcp://HOST:PORT (a running Dask "
                   "scheduler; serialcomp with the torch extra on every worker). Needs the dask extra: pip install "
                   "'serialcomp[dask]'")
    w.add_argument("--out", default="results", metavar="DIR",
                   help=f"folder of {SWEEP_FILE} (created if missing; other files there are left alone)")
    w.add_argument("--json", action="store_true", help="print every row as JSON (all columns)")
    w.set_defaults(func=run_sweep, command="loops sweep")
