"""How a registered problem becomes a learning task: :class:`LoopTask`, :func:`get_task`.

A task reads a problem's own token encoding (:meth:`Problem.encode_tokens
<serialcomp.problems.Problem.encode_tokens>`, the tokens the torch Dataset wrapper
:func:`serialcomp.problems.dataset.make_dataset` yields) and its exact targets, and says what the
model predicts:

* ``word:*``: one position per letter; trained on ``prefix`` (every prefix product, with
  ``prefix=True``, causal attention) or on ``target`` (the product); the record's ``target`` is the
  product (the last prefix).
* ``parity``, ``majority``: one position per bit; trained on ``target``.
* ``reach:path``, ``reach:flower``: one position per edge (its two node tokens), then ``| s`` and
  the target node(s); trained on ``target``.
* ``ca:rule*``: one position per cell; trained on ``final`` (every cell after ``t`` steps); the
  record's ``target`` is the centre cell of ``final``.

Tokens are mapped to the model's vocabulary *by name* (``Problem.vocab``), so a model trained at
one size reads another size's tokens consistently (graph tokens are node labels ``0 .. N-1`` and
the separators ``|`` and ``<pad>``, whose ids move with N); a token the model never had (a node
label beyond its training graphs) is refused with a one-line error.

Accuracy is always measured on the record's ``target``, the field ``serialcomp generate`` writes,
so a model's predictions can be scored against any dataset of the problem.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Mapping

import numpy as np

from ...errors import ProblemParameterError
from ...problems import Instances, get_problem

__all__ = ["LoopTask", "get_task", "TASK_PROBLEMS"]

#: Registry keys (or ``prefix:*``) a looped model can be trained on.
TASK_PROBLEMS = ("word:*", "parity", "majority", "reach:path", "reach:flower", "ca:*")


@dataclass(frozen=True)
class LoopTask:
    """A problem as a learning task (see the module docstring); build one with :func:`get_task`.

    Attributes
    ----------
    key : str
        The problem's registry key.
    params : dict
        The sampling parameters given by the user (defaults not filled in, so that parameters that
        depend on n, e.g. ``t = n`` for ``ca:*``, follow n).
    target : str
        The stored target array the model is trained on (``"prefix"``, ``"final"`` or ``"target"``).
    per_position : bool
        Whether that target has one label per position.
    classes : int
        Number of output classes.
    group : int
        Problem tokens per model position (2 for graphs: one position per edge).
    causal : bool
        The default attention (causal for prefix products, bidirectional otherwise).
    record_at : str
        For per-position targets, the position whose label is the record's ``target``:
        ``"last"`` or ``"centre"`` (``n // 2``); ``""`` for sequence targets.
    semantic : tuple of str
        Sampling parameters that change the answer to the same input (``t`` for ``ca:*``); a record
        must have the model's values of these to be predicted.

    Example
    -------
    >>> task = get_task("word:S3", {"prefix": True})
    >>> task.target, task.per_position, task.classes, task.causal
    ('prefix', True, 6, True)
    >>> inst = task.sample(5, 2, seed=0)
    >>> tokens, labels = task.encode(inst, task.vocab(5))
    >>> tokens.shape, labels.shape, bool((task.record_labels(inst) == labels[:, -1]).all())
    ((2, 5, 1), (2, 5), True)
    """

    key: str
    params: dict[str, Any] = field(default_factory=dict)
    target: str = "target"
    per_position: bool = False
    classes: int = 2
    group: int = 1
    causal: bool = False
    record_at: str = ""
    semantic: tuple[str, ...] = ()

    @property
    def problem(self) -> Any:
        """The registered :class:`~serialcomp.problems.Problem`."""
        return get_problem(self.key)

    def sample(self, n: int, count: int, seed: Any = 0, start: int = 0) -> Instances:
        """``count`` instances at size ``n`` with the task's parameters (records ``start ..``)."""
        return self.problem.sample(n, count, seed, start=start, **self.params)

    def vocab(self, n: int) -> list[str]:
        """The problem's token names at size ``n``."""
        return list(self.problem.vocab(n, **self.params))

    def positions(self, n: int) -> int:
        """Model positions of an instance of size ``n``."""
        return -(-self.problem.encode_tokens(self.sample(n, 1, 0)).shape[1] // self.group)

    def resolved(self, n: int) -> dict[str, Any]:
        """The task's parameters resolved at size ``n`` (defaults filled in)."""
        return self.problem.resolve_params(n, dict(self.params))

    # -- encoding ----------------------------------------------------------------------------
    def tokens(self, instances: Instances, model_vocab: list[str]) -> np.ndarray:
        """The instances' tokens as model ids, int64 ``(count, positions, group)``.

        Raises
        ------
        ProblemParameterError
            If a token is not in ``model_vocab`` (e.g. a node label beyond the training graphs).
        """
        prob = self.problem
        raw = np.asarray(prob.encode_tokens(instances), dtype=np.int64)
        names = prob.vocab(instances.n, **instances.params)
        index = {name: i for i, name in enumerate(model_vocab)}
        lookup = np.array([index.get(name, -1) for name in names], dtype=np.int64)
        if raw.size and (raw.min() < 0 or raw.max() >= len(names)):
            bad = int(raw[(raw < 0) | (raw >= len(names))][0])
            raise ProblemParameterError(f"{self.key} at n={instances.n}: token id {bad} is outside the problem's "
                                        f"vocabulary of {len(names)} tokens (an input value out of range)")
        ids = lookup[raw] if raw.size else raw
        if ids.size and (ids < 0).any():
            bad = names[int(raw[ids < 0][0])]
            raise ProblemParameterError(
                f"{self.key} at n={instances.n}: token {bad!r} is not in the model's vocabulary of {len(model_vocab)} "
                f"tokens (from its training size); the model cannot read instances that use it")
        if self.group > 1:
            pad = (-ids.shape[1]) % self.group
            if pad:
                if "<pad>" not in index:
                    raise ProblemParameterError(f"{self.key}: the model's vocabulary has no '<pad>' token")
                ids = np.concatenate([ids, np.full((len(ids), pad), index["<pad>"], dtype=np.int64)], axis=1)
        return np.ascontiguousarray(ids.reshape(len(ids), -1, self.group))

    def labels(self, instances: Instances) -> np.ndarray:
        """The training labels: int64 ``(count, positions)`` per position, else ``(count,)``."""
        return np.asarray(instances.targets[self.target]).astype(np.int64)

    def record_labels(self, instances: Instances) -> np.ndarray:
        """The class of each record's ``target``, int64 ``(count,)``: what accuracy is measured on."""
        return np.asarray(instances.targets["target"]).astype(np.int64).reshape(len(instances))

    def encode(self, instances: Instances, model_vocab: list[str]) -> tuple[np.ndarray, np.ndarray]:
        """``(tokens, labels)`` of :meth:`tokens` and :meth:`labels`."""
        return self.tokens(instances, model_vocab), self.labels(instances)

    def record_prediction(self, predicted: np.ndarray, n: int) -> np.ndarray:
        """The predicted class of the record ``target`` from the model's predicted labels.

        ``predicted`` is ``(count, positions)`` for per-position tasks, ``(count,)`` otherwise.
        """
        p = np.asarray(predicted)
        if not self.per_position:
            return p
        return p[:, -1] if self.record_at == "last" else p[:, n // 2]

    def check_record_params(self, n: int, record_params: Mapping[str, Any], where: str) -> None:
        """Refuse a record whose answer-changing parameters (:attr:`semantic`) differ from the model's."""
        if not self.semantic:
            return
        mine = self.resolved(n)
        for k in self.semantic:
            if k in record_params and record_params[k] != mine.get(k):
                raise ProblemParameterError(
                    f"{where}: {k}={record_params[k]!r} but the model was trained for {k}={mine.get(k)!r} at n={n}; "
                    "its predictions would answer a different question")

    def describe(self) -> dict[str, Any]:
        """A JSON-friendly summary (stored in checkpoints)."""
        return {"key": self.key, "params": dict(self.params), "target": self.target, "per_position": self.per_position,
                "classes": self.classes, "group": self.group, "causal": self.causal, "record_at": self.record_at,
                "semantic": list(self.semantic)}


def get_task(key: str, params: Mapping[str, Any] | None = None) -> LoopTask:
    """The :class:`LoopTask` of problem ``key`` with sampling ``params``.

    Raises
    ------
    ProblemParameterError
        For an unknown key, a problem no looped model here reads (the message lists
        :data:`TASK_PROBLEMS`) or bad parameters (checked by the problem at its smallest size).

    Example
    -------
    >>> get_task("reach:flower").group, get_task("ca:rule110").target
    (2, 'final')
    >>> get_task("sudoku")
    Traceback (most recent call last):
    ...
    serialcomp.errors.ProblemParameterError: looped models read word:*, parity, majority, reach:path, reach:flower, ca:*; not sudoku
    """
    prob = get_problem(key)
    key = prob.key
    params = dict(params or {})
    unknown = sorted(set(params) - set(prob.defaults))
    if unknown:
        allowed = ", ".join(sorted(prob.defaults)) or "none"
        raise ProblemParameterError(f"unknown parameter {unknown[0]!r} for problem {key!r}; accepted parameters: {allowed}")
    if key.startswith("word:"):
        resolved = prob.resolve_params(max(prob.min_n, 2), params)
        size = len(prob.vocab(2))
        if resolved["prefix"]:
            return LoopTask(key, params, "prefix", True, size, 1, True, "last")
        return LoopTask(key, params, "target", False, size, 1, False)
    if key in ("parity", "majority"):
        return LoopTask(key, params, "target", False, 2, 1, False)
    if key in ("reach:path", "reach:flower"):
        return LoopTask(key, params, "target", False, 2, 2, False)
    if key.startswith("ca:"):
        return LoopTask(key, params, "final", True, 2, 1, False, "centre", ("t",))
    raise ProblemParameterError(f"looped models read {', '.join(TASK_PROBLEMS)}; not {key}")
