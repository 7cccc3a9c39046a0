"""Looped-model sweeps: train and evaluate a grid of configs, in this process or as Dask tasks,
with the results as one table.

A sweep grid is a JSON file::

    {"config": "tiny",                                   # the preset every job starts from
     "set": {"steps": 200},                              # fields set for every job
     "sweep": {"seed": [0, 1], "loops_train": [2, 4]},   # every combination is a job
     "eval": {"ns": [4, 6, 8], "loops": [1, 2, 4], "halt": "fixed", "count": 256, "seed": 0},
     "gpu": false,                                       # each job asks for a GPU (Dask resource GPU=1)
     "device": "auto"}                                   # torch device of each job

Only ``sweep`` is required. Jobs are the combinations of the ``sweep`` values, the last key
varying fastest. Each job is two Dask tasks: training (:func:`train_task`) and the evaluation
that depends on it (:func:`eval_task`). With ``"gpu": true`` both ask for the Dask resource
``GPU=1``, so Dask runs them only on workers that declare it (``dask worker ADDRESS --resources
GPU=1``; ``local:N`` declares it on one worker per visible GPU). The table has one row per
(job, n, loops), in job order: :data:`SWEEP_COLUMNS` with the swept fields after ``config``.
Training is deterministic for a given machine, torch build and thread count (one thread per job),
so the in-process run and a LocalCluster give the same rows; ``train_seconds`` is wall-clock time.
"""

from __future__ import annotations

import itertools
import json
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Sequence

from .._atomic import check_interrupted
from ..errors import SerialcompError

__all__ = ["SWEEP_COLUMNS", "SweepGrid", "SweepGridError", "eval_task", "read_sweep_grid", "run_sweep", "sweep_rows",
           "train_task"]

#: The columns of a sweep table, in order (the swept fields not among them go after ``config``).
SWEEP_COLUMNS = [
    "job", "config", "problem", "params", "n_train", "loops_train", "seed", "device", "train_seconds",
    "held_out_loops_train", "held_out_loops_1", "n", "halt", "loops", "accuracy", "position_accuracy", "chance",
    "loops_mean", "loops_max", "halted", "eval_count", "eval_seed",
]

_KEYS = {"config", "set", "sweep", "eval", "gpu", "device"}
_EVAL_KEYS = {"ns", "loops", "halt", "count", "seed"}
_HALTS = {"fixed", "fixed-point", "confidence"}


class SweepGridError(SerialcompError, ValueError):
    """A sweep grid file is not what :func:`read_sweep_grid` reads (the message names the file and key)."""


@dataclass(frozen=True)
class SweepGrid:
    """A parsed sweep grid (see the module docstring).

    Attributes
    ----------
    config : str
        The preset (:func:`~serialcomp.torch.models.get_config`) every job starts from.
    set : dict
        Fields of :class:`~serialcomp.torch.models.LoopConfig` set for every job.
    sweep : dict of str to list
        Swept fields and their values.
    ns, loops : tuple of int
        Sizes and loop counts of the evaluation (default: the config's ``study_ns`` and ``loops_train``).
    halt : str
        ``fixed``, ``fixed-point`` or ``confidence``.
    count, eval_seed : int
        Records per n and their seed.
    gpu : bool
        Whether each job asks for the Dask resource ``GPU=1``.
    device : str
        Torch device of each job.
    source : str
        Where the grid came from (named in errors).

    Example
    -------
    >>> g = SweepGrid(sweep={"seed": [0, 1], "loops_train": [2, 4]})
    >>> g.combinations()
    [{'seed': 0, 'loops_train': 2}, {'seed': 0, 'loops_train': 4}, {'seed': 1, 'loops_train': 2}, {'seed': 1, 'loops_train': 4}]
    """

    sweep: dict[str, list[Any]]
    config: str = "tiny"
    set: dict[str, Any] = field(default_factory=dict)
    ns: tuple[int, ...] | None = None
    loops: tuple[int, ...] | None = None
    halt: str = "fixed"
    count: int = 256
    eval_seed: int = 0
    gpu: bool = False
    device: str = "auto"
    source: str = "sweep grid"

    def combinations(self) -> list[dict[str, Any]]:
        """The swept values of each job, in job order (the last key varies fastest)."""
        keys = list(self.sweep)
        return [dict(zip(keys, values)) for values in itertools.product(*(self.sweep[k] for k in keys))]

    def configs(self) -> list[Any]:
        """The :class:`~serialcomp.torch.models.LoopConfig` of each job (checked: a field that is not
        a config field is one line naming the grid and where it is, a bad value one naming the job)."""
        from ..torch.device import require_torch

        require_torch()
        from dataclasses import fields as dataclass_fields

        from ..torch.models import LoopConfig, get_config

        known = {f.name for f in dataclass_fields(LoopConfig)} - {"name"}
        for where, keys in (("set", self.set), ("sweep", self.sweep)):
            unknown = sorted(set(keys) - known)
            if unknown:
                raise SweepGridError(f"{self.source}: {where}.{unknown[0]} is not a config field (the fields: "
                                     f"{', '.join(sorted(known))})")
        out = []
        for i, combo in enumerate(self.combinations()):
            try:
                out.append(get_config(self.config, **{**self.set, **combo}))
            except (TypeError, SerialcompError) as exc:
                raise SweepGridError(f"{self.source}: job {i} {json.dumps(combo, sort_keys=True)}: {exc}") from None
        return out


def _fail(source: str, message: str) -> SweepGridError:
    return SweepGridError(f"{source}: {message}")


def _ints(source: str, key: str, value: Any) -> tuple[int, ...]:
    if not isinstance(value, list) or not value or not all(isinstance(v, int) and not isinstance(v, bool) and v >= 1
                                                            for v in value):
        raise _fail(source, f"{key} must be a non-empty list of integers >= 1, got {value!r}")
    return tuple(value)


def parse_sweep_grid(data: Any, source: str = "sweep grid") -> SweepGrid:
    """A :class:`SweepGrid` from the JSON value of a grid file (see the module docstring).

    Example
    -------
    >>> parse_sweep_grid({"sweep": {"seed": [0, 1]}, "eval": {"ns": [4, 8], "count": 64}}).ns
    (4, 8)
    >>> parse_sweep_grid({"sweep": {"seed": 0}}, "g.json")
    Traceback (most recent call last):
    ...
    serialcomp.scale.sweep.SweepGridError: g.json: sweep.seed must be a non-empty list of values, got 0
    """
    if not isinstance(data, dict):
        raise _fail(source, f"expected a JSON object with a 'sweep' key, got {type(data).__name__}")
    unknown = sorted(set(data) - _KEYS)
    if unknown:
        raise _fail(source, f"unknown key {unknown[0]!r} (the keys: {', '.join(sorted(_KEYS))})")
    sweep = data.get("sweep")
    if not isinstance(sweep, dict) or not sweep:
        raise _fail(source, "needs 'sweep': an object of config fields to lists of values, e.g. {\"seed\": [0, 1]}")
    for k, v in sweep.items():
        if not isinstance(v, list) or not v:
            raise _fail(source, f"sweep.{k} must be a non-empty list of values, got {v!r}")
    settings = data.get("set", {})
    if not isinstance(settings, dict):
        raise _fail(source, f"set must be an object of config fields, got {settings!r}")
    config = data.get("config", "tiny")
    if not isinstance(config, str):
        raise _fail(source, f"config must be a preset name, got {config!r}")
    ev = data.get("eval", {})
    if not isinstance(ev, dict):
        raise _fail(source, f"eval must be an object, got {ev!r}")
    unknown = sorted(set(ev) - _EVAL_KEYS)
    if unknown:
        raise _fail(source, f"unknown key eval.{unknown[0]} (the keys: {', '.join(sorted(_EVAL_KEYS))})")
    halt = ev.get("halt", "fixed")
    if halt not in _HALTS:
        raise _fail(source, f"eval.halt must be one of {', '.join(sorted(_HALTS))}, got {halt!r}")
    count, seed = ev.get("count", 256), ev.get("seed", 0)
    for key, value, low in (("eval.count", count, 1), ("eval.seed", seed, 0)):
        if not isinstance(value, int) or isinstance(value, bool) or value < low:
            raise _fail(source, f"{key} must be an integer >= {low}, got {value!r}")
    gpu, device = data.get("gpu", False), data.get("device", "auto")
    if not isinstance(gpu, bool):
        raise _fail(source, f"gpu must be true or false, got {gpu!r}")
    if not isinstance(device, str):
        raise _fail(source, f"device must be a string (auto, cpu, cuda), got {device!r}")
    return SweepGrid(sweep={k: list(v) for k, v in sweep.items()}, config=config, set=dict(settings),
                     ns=_ints(source, "eval.ns", ev["ns"]) if "ns" in ev else None,
                     loops=_ints(source, "eval.loops", ev["loops"]) if "loops" in ev else None,
                     halt=halt, count=count, eval_seed=seed, gpu=gpu, device=device, source=source)


def read_sweep_grid(path: str | os.PathLike[str]) -> SweepGrid:
    """Read a sweep grid file (JSON, see the module docstring).

    Raises
    ------
    SweepGridError
        A missing file, bad JSON or a bad key: one line naming the file.

    Example
    -------
    >>> import tempfile, pathlib
    >>> p = pathlib.Path(tempfile.mkdtemp()) / "grid.json"
    >>> _ = p.write_text('{"config": "tiny", "sweep": {"seed": [0, 1]}}')
    >>> len(read_sweep_grid(p).combinations())
    2
    """
    p = Path(path)
    try:
        text = p.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise SweepGridError(f"--grid {p}: no such file") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise SweepGridError(f"--grid {p}: cannot read ({exc})") from None
    try:
        data = json.loads(text)
    except ValueError as exc:
        raise SweepGridError(f"--grid {p}: not JSON ({exc})") from None
    return parse_sweep_grid(data, f"--grid {p}")


def train_task(config: dict[str, Any], device: str) -> Any:
    """Train one job's config (one CPU thread, no progress bar); the model comes back on the CPU."""
    from ..torch.models import LoopConfig, train

    lm = train(LoopConfig.from_dict(config), device=device, progress=False, threads=1)
    return lm.to("cpu")


def eval_task(lm: Any, ns: Sequence[int], loops: Sequence[int], halt: str, count: int, seed: int,
              device: str) -> dict[str, Any]:
    """Evaluate one trained job at every (n, loops): ``{"config", "metadata", "rows"}`` (the
    config as a dict, the checkpoint metadata, the rows of :func:`~serialcomp.torch.models.evaluate`),
    so that only these small values, not the weights, come back to the client."""
    from ..torch.models import evaluate

    lm.to(device)
    table = evaluate(lm, list(ns), list(loops), halt, count, seed, threads=1)
    return {"config": lm.config.to_dict(), "metadata": dict(lm.metadata), "rows": table.to_dict("records")}


def _plain(v: Any) -> Any:
    return json.dumps(v, sort_keys=True) if isinstance(v, (dict, list, tuple)) else v


def sweep_rows(job: int, combo: dict[str, Any], result: dict[str, Any]) -> list[dict[str, Any]]:
    """The table rows of one job (:data:`SWEEP_COLUMNS`): its swept values, config, training
    facts and the evaluation rows of ``result`` (what :func:`eval_task` returns)."""
    cfg, md, rows = result["config"], result["metadata"], result["rows"]
    held = md.get("held_out", {})
    head: dict[str, Any] = {"job": job, "config": cfg["name"]}
    for k, v in combo.items():
        if k not in SWEEP_COLUMNS:
            head[k] = _plain(v)
    head.update({"problem": cfg["problem"], "params": json.dumps(cfg["params"], sort_keys=True),
                 "n_train": cfg["n_train"], "loops_train": cfg["loops_train"], "seed": cfg["seed"],
                 "device": str(md.get("device")),
                 "train_seconds": float(md.get("train_seconds", float("nan"))),
                 "held_out_loops_train": float(held.get("loops_train", float("nan"))),
                 "held_out_loops_1": float(held.get("loops_1", float("nan")))})
    out = []
    for r in rows:
        row = dict(head)
        for k in ("n", "halt", "loops", "accuracy", "position_accuracy", "chance", "loops_mean", "loops_max", "halted"):
            row[k] = r[k]
        row["eval_count"], row["eval_seed"] = r["count"], r["seed"]
        out.append(row)
    return out


def _gpu_workers(client: Any) -> list[str]:
    workers = client.scheduler_info().get("workers", {})
    return [addr for addr, w in workers.items() if (w.get("resources") or {}).get("GPU", 0) >= 1]


def _visible_gpus() -> int:
    try:
        import torch

        return int(torch.cuda.device_count())
    except Exception:  # noqa: BLE001 - no torch, no driver: no GPU
        return 0


def run_sweep(grid: SweepGrid, scheduler: Any = None, progress: bool = False) -> Any:
    """Train and evaluate every job of ``grid``; one table (:data:`SWEEP_COLUMNS`), in job order.

    Parameters
    ----------
    grid : SweepGrid
    scheduler : str or distributed.Client, optional
        None or ``"none"``: this process, one job after the other. ``"local:N"``,
        ``"tcp://HOST:PORT"`` or a client: each job's training and evaluation are Dask tasks
        (with ``grid.gpu``, asking for the resource ``GPU=1``).
    progress : bool
        A progress bar on stderr, advanced as jobs complete.

    Raises
    ------
    SerialcompError
        A bad job config (before any training), a missing extra, an unreachable scheduler, or
        GPU jobs on a cluster where no worker declares the ``GPU`` resource.

    Example
    -------
    >>> g = SweepGrid(sweep={"seed": [0, 1]}, set={"steps": 2, "eval_count": 8}, ns=(4,), loops=(1, 4), count=16)
    >>> t = run_sweep(g)
    >>> t[["job", "seed", "n", "loops"]].values.tolist()
    [[0, 0, 4, 1], [0, 0, 4, 4], [1, 1, 4, 1], [1, 1, 4, 4]]
    """
    import pandas as pd

    configs = grid.configs()
    combos = grid.combinations()
    evals = [(grid.ns or cfg.study_ns, grid.loops or (cfg.loops_train,)) for cfg in configs]
    from .scheduler import in_process

    here = in_process(scheduler)
    results: list[dict[str, Any]] = []
    if here:
        from .tasks import _bar

        bar = _bar(len(configs), "sweep", "job", progress)
        try:
            for cfg, (ns, loops) in zip(configs, evals):
                lm = train_task(cfg.to_dict(), grid.device)
                results.append(eval_task(lm, ns, loops, grid.halt, grid.count, grid.eval_seed, grid.device))
                check_interrupted()
                if bar is not None:
                    bar.update(1)
        finally:
            if bar is not None:
                bar.close()
    else:
        from .scheduler import connect
        from .tasks import collect, task_key

        gpus = _visible_gpus() if grid.gpu else 0
        with connect(scheduler, gpu_workers=gpus) as client:
            resources = {"GPU": 1} if grid.gpu else None
            if grid.gpu and not _gpu_workers(client):
                raise SerialcompError(f"{grid.source} asks for GPU jobs (\"gpu\": true) but no Dask worker declares "
                                      "the GPU resource: start GPU workers with `dask worker ADDRESS --resources "
                                      "GPU=1`, or run local:N on a machine with GPUs")
            trained, futures, labels = [], [], []
            for i, (cfg, (ns, loops)) in enumerate(zip(configs, evals)):
                t = client.submit(train_task, cfg.to_dict(), grid.device, key=task_key("train", i), pure=False,
                                  resources=resources)
                trained.append(t)  # held until the evaluations are done (a lost model is trained again)
                futures.append(client.submit(eval_task, t, list(ns), list(loops), grid.halt, grid.count,
                                             grid.eval_seed, grid.device, key=task_key("eval", i), pure=False,
                                             resources=resources))
                labels.append(f"job {i} {json.dumps(combos[i], sort_keys=True)}")
            try:
                results = collect(futures, desc="sweep", unit="job", progress=progress, labels=labels)
            except BaseException:
                for fut in trained:  # collect cancels the evaluations; the trainings are ours to cancel
                    fut.cancel()
                raise
            del trained
    table_rows = []
    for i, result in enumerate(results):
        table_rows.extend(sweep_rows(i, combos[i], result))
    swept = [k for k in grid.sweep if k not in SWEEP_COLUMNS]
    columns = SWEEP_COLUMNS[:2] + swept + SWEEP_COLUMNS[2:]
    return pd.DataFrame(table_rows, columns=columns)
