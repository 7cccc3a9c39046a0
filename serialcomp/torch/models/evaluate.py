"""Accuracy of a looped model against the problem's exact targets: :func:`predict`, :func:`evaluate`.

``evaluate(model, ns, loops, halt=..., count=C, seed=S)`` samples records ``0 .. C-1`` of the
problem at each n with seed S and the model's parameters: exactly the records of ``serialcomp
generate KEY --n N --count C --seed S --param ...``. Accuracy is the fraction of records whose
``target`` (the field of that dataset) the model predicts; the oracle is the problem's generator
and reference solver, never the model.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Sequence

import numpy as np
import pandas as pd

from ..._validate import check_int
from ...errors import ProblemParameterError
from ...problems import Instances
from ..device import require_torch
from ._threads import cpu_threads
from .checkpoint import LoopModel
from .halting import HaltRule, run_loops

torch = require_torch()

__all__ = ["Prediction", "predict", "evaluate", "EVAL_COLUMNS"]

#: Columns of :func:`evaluate`'s table.
EVAL_COLUMNS = ["problem", "n", "halt", "loops", "accuracy", "position_accuracy", "chance", "loops_mean", "loops_max",
                "halted", "count", "seed"]


@dataclass(frozen=True)
class Prediction:
    """What :func:`predict` returns (numpy arrays, one row per instance).

    Attributes
    ----------
    record : int64 (count,)
        The predicted class of each record's ``target``.
    labels : int64 (count, positions) or (count,)
        The predicted training labels (every prefix product, every cell, or the target).
    loops_used : int64 (count,)
    halted : bool (count,)
    per_loop : int64 (loops, count[, positions]) or None
        The predicted labels after every loop (``keep_per_loop=True``).
    """

    record: np.ndarray
    labels: np.ndarray
    loops_used: np.ndarray
    halted: np.ndarray
    per_loop: np.ndarray | None = None


def predict(lm: LoopModel, instances: Instances, rule: HaltRule, batch_size: int = 512,
            keep_per_loop: bool = False) -> Prediction:
    """Run ``lm`` on ``instances`` (of its problem) under ``rule``.

    Example
    -------
    >>> from serialcomp.torch.models import HaltRule, get_config, train
    >>> lm = train(get_config("tiny", steps=2, eval_count=8))
    >>> p = predict(lm, lm.task.sample(6, 5, seed=1), HaltRule("fixed", 4))
    >>> p.record.shape, p.labels.shape, p.loops_used.tolist()
    ((5,), (5, 6), [4, 4, 4, 4, 4])

    Notes
    -----
    Cost: ``rule.loops`` block applications per batch of ``batch_size`` instances at most.
    """
    if instances.problem != lm.config.problem:
        raise ProblemParameterError(f"the model reads {lm.config.problem}, got instances of {instances.problem}")
    batch_size = check_int("batch_size", batch_size, 1, where="predict", error=ProblemParameterError)
    task = lm.task
    tokens = task.tokens(instances, lm.vocab)
    lm.model.eval()
    dev = lm.device
    outs: dict[str, list[np.ndarray]] = {"labels": [], "used": [], "halted": [], "per_loop": []}
    for a in range(0, len(tokens), batch_size):
        tok = torch.from_numpy(tokens[a:a + batch_size]).to(dev)
        run = run_loops(lm.model, tok, rule, keep_per_loop=keep_per_loop)
        outs["labels"].append(run.predictions.cpu().numpy())
        outs["used"].append(run.loops_used.cpu().numpy())
        outs["halted"].append(run.halted.cpu().numpy())
        if keep_per_loop:
            outs["per_loop"].append(run.per_loop.cpu().numpy())
    shape = (0, tokens.shape[1]) if task.per_position else (0,)
    labels = np.concatenate(outs["labels"]) if outs["labels"] else np.zeros(shape, dtype=np.int64)
    per_loop = None
    if keep_per_loop:
        per_loop = (np.concatenate(outs["per_loop"], axis=1) if outs["per_loop"]
                    else np.zeros((rule.loops, *shape), dtype=np.int64))
    cat = (lambda k, dt: np.concatenate(outs[k]) if outs[k] else np.zeros(0, dtype=dt))
    return Prediction(task.record_prediction(labels, instances.n).astype(np.int64), labels.astype(np.int64),
                      cat("used", np.int64).astype(np.int64), cat("halted", bool).astype(bool),
                      None if per_loop is None else per_loop.astype(np.int64))


def _chance(y: np.ndarray) -> float:
    """The accuracy of always answering the most common class of ``y``."""
    if not len(y):
        return float("nan")
    return float(np.bincount(y).max() / len(y))


def evaluate(lm: LoopModel, ns: Sequence[int], loops: Sequence[int], halt: str = "fixed", count: int = 1024,
             seed: int = 0, eps: float = 0.1, damping: float = 1.0, batch_size: int = 512,
             threads: int | None = 1) -> pd.DataFrame:
    """Accuracy at every (n, loops): one row each (:data:`EVAL_COLUMNS`).

    Parameters
    ----------
    lm : LoopModel
    ns : sequence of int
        Sizes; each is sampled once (``count`` records with ``seed``, as ``serialcomp generate``).
    loops : sequence of int
        Loop counts: the L of ``halt="fixed"``, the budget of the other rules.
    halt : {"fixed", "fixed-point", "confidence"}
    count, seed : int
    eps, damping : float
        Of fixed-point halting (:class:`~serialcomp.torch.models.HaltRule`).
    batch_size : int
        Instances per forward pass.
    threads : int or None
        CPU threads of torch meanwhile (restored afterwards; None: as they are).

    Returns
    -------
    pandas.DataFrame
        ``accuracy`` (records whose ``target`` is right), ``position_accuracy`` (per-position
        tasks: the fraction of right labels; NaN otherwise), ``chance`` (always answering the most
        common target of these records), ``loops_mean`` / ``loops_max`` (loops used),
        ``halted`` (fraction of records that halted).

    Example
    -------
    >>> from serialcomp.torch.models import get_config, train
    >>> lm = train(get_config("tiny", steps=2, eval_count=8))
    >>> t = evaluate(lm, [4, 6], [1, 4], count=16)
    >>> t["n"].tolist(), t["loops"].tolist(), t["loops_mean"].tolist()
    ([4, 4, 6, 6], [1, 4, 1, 4], [1.0, 4.0, 1.0, 4.0])

    Notes
    -----
    With ``halt="fixed"`` one pass of ``max(loops)`` loops per n serves every L (the prediction
    after each loop is kept); the other rules run once per budget.
    """
    err = ProblemParameterError
    ns = [check_int("n", k, 1, where="evaluate", error=err) for k in ns]
    loops = sorted({check_int("loops", k, 1, where="evaluate", error=err) for k in loops})
    count = check_int("count", count, 1, where="evaluate", error=err)
    if not ns or not loops:
        raise err("evaluate needs at least one n and one loop count")
    HaltRule(halt, max(loops), eps=eps, damping=damping)  # the rule's arguments, checked before any work
    with cpu_threads(threads, "evaluate"):
        return _evaluate(lm, ns, loops, halt, count, seed, eps, damping, batch_size)


def _evaluate(lm: LoopModel, ns: list[int], loops: list[int], halt: str, count: int, seed: int, eps: float,
              damping: float, batch_size: int) -> pd.DataFrame:
    task = lm.task
    rows = []
    for n in ns:
        inst = task.sample(n, count, seed)
        truth, labels = task.record_labels(inst), task.labels(inst)
        chance = _chance(truth)
        if halt == "fixed":
            p = predict(lm, inst, HaltRule("fixed", max(loops)), batch_size, keep_per_loop=True)
            runs = [(L, task.record_prediction(p.per_loop[L - 1], n), p.per_loop[L - 1],
                     np.full(count, L), np.ones(count, bool)) for L in loops]
        else:
            runs = []
            for L in loops:
                p = predict(lm, inst, HaltRule(halt, L, eps=eps, damping=damping), batch_size)
                runs.append((L, p.record, p.labels, p.loops_used, p.halted))
        for L, rec, lab, used, halted in runs:
            rows.append({"problem": task.key, "n": n, "halt": halt, "loops": L, "accuracy": float((rec == truth).mean()),
                         "position_accuracy": float((lab == labels).mean()) if task.per_position else float("nan"),
                         "chance": chance, "loops_mean": float(np.mean(used)), "loops_max": int(np.max(used)),
                         "halted": float(np.mean(halted)), "count": count, "seed": int(inst.seed)})
    return pd.DataFrame(rows, columns=EVAL_COLUMNS)
