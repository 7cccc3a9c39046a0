"""Predictions for dataset records: :func:`read_records`, :func:`predict_records`.

A record is one row of ``serialcomp generate`` (JSON Lines or Parquet): ``problem``, ``n``,
``params`` (JSON) and the problem's input fields, readable (word letters in one-line notation)
or raw (``--raw``: element indices). The model reads the record's *inputs* (it never resamples the
record from its seed), and each prediction is written in exactly the form of the record's
``target``: a one-line string for a readable word record, an index for a raw one, a bool for
parity, an int for reach:flower or a cell, so ``prediction == target`` scores it.
"""

from __future__ import annotations

import json
import os
from typing import Any, Iterable, Iterator

import numpy as np

from ...errors import ProblemParameterError, SerialcompError
from ...problems import Coded, Instances, format_for_path
from .checkpoint import LoopModel
from .evaluate import predict
from .halting import HaltRule

__all__ = ["read_records", "predict_records"]


def read_records(path: str | os.PathLike[str]) -> Iterator[dict[str, Any]]:
    """The records of a JSON Lines file (one object per line) or a Parquet file (by its suffix).

    Raises
    ------
    SerialcompError
        For a line that is not a JSON object (naming the file and line).
    """
    if format_for_path(path) == "parquet":
        import pyarrow.parquet as pq

        yield from pq.read_table(path).to_pylist()
        return
    with open(path, encoding="utf-8") as f:
        for i, line in enumerate(f, 1):
            if not line.strip():
                continue
            try:
                rec = json.loads(line)
            except json.JSONDecodeError as exc:
                raise SerialcompError(f"{path}, line {i}: not JSON ({exc.msg})") from None
            if not isinstance(rec, dict):
                raise SerialcompError(f"{path}, line {i}: expected a JSON object (one record), got {type(rec).__name__}")
            yield rec


class _Form:
    """How records of one (n, params) look: the input fields, their readable codes, the target form."""

    def __init__(self, lm: LoopModel, n: int, params: dict[str, Any]) -> None:
        task = lm.task
        self.problem = task.problem
        self.probe = self.problem.sample(n, 1, 0, **params)
        readable = self.problem.columns(self.probe)
        self.fields = list(self.probe.inputs)
        self.codes: dict[str, dict[str, int]] = {}
        for name in self.fields:
            col = readable.get(name)
            if isinstance(col, Coded) and col.strings:
                cats = [str(c) for c in col.categories.tolist()]
                self.codes[name] = {c: i for i, c in enumerate(cats)}

    def inputs(self, recs: list[dict[str, Any]], where: list[str]) -> tuple[dict[str, np.ndarray], list[bool]]:
        out: dict[str, list[Any]] = {k: [] for k in self.fields}
        readable: list[bool] = []
        for rec, w in zip(recs, where):
            is_readable = False
            for name in self.fields:
                if name not in rec:
                    raise ProblemParameterError(f"{w}: no input field {name!r} (a {self.problem.key} record has "
                                                f"{', '.join(self.fields)})")
                v = rec[name]
                if name in self.codes and _has_strings(v):
                    is_readable = True
                    try:
                        v = _map_strings(v, self.codes[name])
                    except KeyError as exc:
                        raise ProblemParameterError(f"{w}: {name} holds {exc.args[0]!r}, not an element of "
                                                    f"{self.problem.key}") from None
                out[name].append(v)
            readable.append(is_readable or not self.codes)
        arrays = {}
        for name in self.fields:
            want = self.probe.inputs[name]
            try:
                a = np.asarray(out[name])
            except ValueError:
                raise ProblemParameterError(f"{where[0]}: field {name!r} has rows of different shapes") from None
            if a.shape[1:] != want.shape[1:]:
                raise ProblemParameterError(f"{where[0]}: field {name!r} has shape {a.shape[1:]} per record, expected "
                                            f"{want.shape[1:]} for n={self.probe.n}")
            if a.dtype.kind not in "biu" or (a.dtype.kind != "b" and want.dtype.kind == "b" and ((a < 0) | (a > 1)).any()):
                raise ProblemParameterError(f"{where[0]}: field {name!r} must hold integers (or bits), got {a.dtype}")
            if want.dtype.kind in "iu" and a.size:
                info = np.iinfo(want.dtype)
                low, high = int(a.min()), int(a.max())
                if low < info.min or high > info.max:
                    bad = high if high > info.max else low
                    raise ProblemParameterError(f"{where[0]}: field {name!r} holds {bad}, outside the problem's range")
            arrays[name] = a.astype(want.dtype)
        return arrays, readable

    def targets(self, classes: np.ndarray, readable: bool) -> list[Any]:
        """The record ``target`` of each predicted class, in the readable or the raw form."""
        dtype = self.probe.targets["target"].dtype
        inst = Instances(self.probe.problem, self.probe.n, self.probe.seed, self.probe.params,
                         {k: np.repeat(v, len(classes), axis=0) for k, v in self.probe.inputs.items()},
                         {"target": classes.astype(dtype)}, {k: np.repeat(v, len(classes), axis=0)
                                                             for k, v in self.probe.meta.items()},
                         np.arange(len(classes), dtype=np.int64), self.problem)
        return [r["target"] for r in inst.records(readable)]


def _has_strings(v: Any) -> bool:
    if isinstance(v, str):
        return True
    return isinstance(v, (list, tuple)) and any(_has_strings(x) for x in v)


def _map_strings(v: Any, codes: dict[str, int]) -> Any:
    if isinstance(v, str):
        return codes[v]
    return [_map_strings(x, codes) for x in v]


def _record_key(rec: dict[str, Any], where: str, key: str) -> tuple[int, str]:
    if rec.get("problem") != key:
        raise ProblemParameterError(f"{where}: a record of {rec.get('problem')!r}, but the model reads {key}")
    if "n" not in rec:
        raise ProblemParameterError(f"{where}: the record has no 'n'")
    params = rec.get("params", "{}")
    if isinstance(params, dict):
        params = json.dumps(params, sort_keys=True)
    if not isinstance(params, str):
        raise ProblemParameterError(f"{where}: 'params' must be a JSON string, got {params!r}")
    return rec["n"], params


def predict_records(lm: LoopModel, records: Iterable[dict[str, Any]], rule: HaltRule, batch_size: int = 512,
                    source: str = "record") -> Iterator[dict[str, Any]]:
    """One output per record, in order: ``index`` (when the record has one), ``n``, ``prediction`` (the
    form of the record's ``target``), ``loops`` (loops used) and ``halted``.

    Records are batched by (n, params) in chunks of ``batch_size``.

    Raises
    ------
    ProblemParameterError
        For a record of another problem, one without the input fields, one whose answer-changing
        parameters differ from the model's (``t`` of ``ca:*``), or one using a token the model
        does not know; the message names the record (``source``, line number).

    Example
    -------
    >>> from serialcomp.problems.export import export_records
    >>> from serialcomp.torch.models import HaltRule, get_config, train
    >>> lm = train(get_config("tiny", steps=2, eval_count=8))
    >>> recs = list(export_records(lm.task.sample(6, 3, seed=5)))
    >>> out = list(predict_records(lm, recs, HaltRule("fixed", 4)))
    >>> [type(o["prediction"]) == type(r["target"]) for o, r in zip(out, recs)], out[0]["loops"]
    ([True, True, True], 4)
    """
    task = lm.task
    forms: dict[tuple[int, str], _Form] = {}
    pending: list[tuple[int, dict[str, Any]]] = []
    pending_key: tuple[int, str] | None = None

    def flush() -> Iterator[dict[str, Any]]:
        if not pending:
            return
        n, ptext = pending_key  # type: ignore[misc]
        form = forms[pending_key]  # type: ignore[index]
        recs = [r for _, r in pending]
        where = [f"{source} {i}" for i, _ in pending]
        arrays, readable = form.inputs(recs, where)
        inst = Instances(task.key, form.probe.n, 0, form.probe.params, arrays, {"target": np.zeros(len(recs))}, {},
                         np.arange(len(recs), dtype=np.int64), task.problem)
        p = predict(lm, inst, rule, batch_size)
        for_read = {flag: form.targets(p.record, flag) for flag in set(readable)}
        for j, rec in enumerate(recs):
            pred = for_read[readable[j]][j]
            row = {"index": rec["index"]} if "index" in rec else {}
            row.update({"n": n, "prediction": pred, "loops": int(p.loops_used[j]), "halted": bool(p.halted[j])})
            yield row
        pending.clear()

    for i, rec in enumerate(records, 1):
        where = f"{source} {i}"
        if not isinstance(rec, dict):
            raise ProblemParameterError(f"{where}: expected a record (a dict), got {type(rec).__name__}")
        key = _record_key(rec, where, task.key)
        if key not in forms:
            n, ptext = key
            try:
                params = json.loads(ptext)
            except json.JSONDecodeError:
                raise ProblemParameterError(f"{where}: 'params' is not JSON: {ptext!r}") from None
            task.check_record_params(int(n), params, where)
            forms[key] = _Form(lm, int(n), params)
        if key != pending_key or len(pending) >= batch_size:
            yield from flush()
            pending_key = key
        pending.append((i, rec))
    yield from flush()
