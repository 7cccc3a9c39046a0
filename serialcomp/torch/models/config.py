"""What a looped model is and how it is trained: :class:`LoopConfig`, and the named presets.

A config holds plain values only (numbers, strings, a dict of problem parameters, a tuple of
sizes), so it is stored in a checkpoint as it is and printed by ``serialcomp loops info``.

Presets (:data:`CONFIGS`, :func:`get_config`):

``tiny``
    What the test suite and the notebook train: word:Z5 with prefix products at n = 4, width 32,
    2 layers, 2-4 loops, 800 steps (about 15 s on one core).
``quick``
    What ``serialcomp loops train --config quick`` trains on a laptop CPU: word:S3 with prefix
    products at n = 8, width 64, 2 layers, 4-8 loops, 2000 steps (about 2 minutes on one core; the
    README has what it reaches, measured).
``gpu-s5`` and friends
    Larger models for a GPU (``benchmarks/gpu_loops.sh``): S5 trained at n = 16 with the goal of
    0.95 at n = 64 under fixed-point halting, and the other problems of the study.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from typing import Any, Mapping

from ..._validate import check_float, check_int
from ...errors import ProblemParameterError
from .tasks import get_task

__all__ = ["LoopConfig", "CONFIGS", "get_config", "list_configs", "POSITIONS", "ATTENTIONS", "INJECTIONS", "READOUTS", "SUPERVISE"]

POSITIONS = ("none", "rope", "learned")
"""Position encodings: none (NoPE), rotary (RoPE, on queries and keys) or learned absolute."""
ATTENTIONS = ("auto", "causal", "bidirectional")
"""Attention masks; ``auto`` takes the task's (causal for prefix products)."""
INJECTIONS = ("add", "concat")
"""Input injection at every loop: ``add`` (h + e, Fan et al.) or ``concat`` (a linear adapter of
[h, e], Huginn)."""
SUPERVISE = ("last", "all")
"""Where the loss is taken: after the last loop, or after every loop of the backprop window (deep
supervision, as in FPRM; the mean of those losses)."""
READOUTS = ("last", "mean")
"""Where a sequence target is read: the last position, or the mean over positions."""


@dataclass(frozen=True)
class LoopConfig:
    """A looped model and its training (all fields plain values; see the module docstring).

    Attributes
    ----------
    name : str
        The preset's name, or ``"custom"``.
    problem : str
        Registry key of the problem.
    n_train : int
        Training size.
    params : dict
        Sampling parameters of the problem (e.g. ``{"prefix": True}``).
    width, heads, layers, mlp_ratio : int
        Model width d, attention heads, layers k in the weight-tied block, MLP hidden = ratio * d.
    positions, attention, injection, readout : str
        One of :data:`POSITIONS`, :data:`ATTENTIONS`, :data:`INJECTIONS`, :data:`READOUTS`.
    max_positions : int
        Table size of learned positions (longest input in positions).
    loops_train : int
        Loops of a training batch at most; each batch draws its loop count uniformly from
        ``loops_min .. loops_train``.
    loops_min : int
    backprop_loops : int
        Gradients flow through the last m loops of a batch only (truncated backprop); the earlier
        ones run without a graph.
    steps, batch : int
        Optimizer steps and instances per step (fresh samples every step).
    lr, lr_min_ratio, warmup, weight_decay, grad_clip : float / int
        AdamW with a linear warm-up over ``warmup`` steps, then cosine decay to
        ``lr * lr_min_ratio``; gradients clipped to norm ``grad_clip`` (0: none).
    eval_count : int
        Instances of the held-out check at the end of training.
    study_ns : tuple of int
        Sizes of ``serialcomp loops study``.
    study_loops : int
        Largest loop count of the study (and the default budget of halting rules).
    threshold : float
        Accuracy that defines L*(n), the fewest loops reaching it at size n.
    seed : int

    Example
    -------
    >>> c = get_config("tiny")
    >>> c.problem, c.params, c.replace(steps=10).steps
    ('word:Z5', {'prefix': True}, 10)
    """

    name: str = "custom"
    problem: str = "word:S3"
    n_train: int = 8
    params: dict[str, Any] = field(default_factory=dict)
    width: int = 64
    heads: int = 4
    layers: int = 1
    mlp_ratio: int = 4
    positions: str = "rope"
    attention: str = "auto"
    injection: str = "add"
    readout: str = "last"
    max_positions: int = 512
    loops_train: int = 8
    loops_min: int = 1
    backprop_loops: int = 8
    supervise: str = "last"
    steps: int = 1000
    batch: int = 64
    lr: float = 1e-3
    lr_min_ratio: float = 0.1
    warmup: int = 100
    weight_decay: float = 0.1
    grad_clip: float = 1.0
    eval_count: int = 1024
    study_ns: tuple[int, ...] = (2, 4, 8, 16)
    study_loops: int = 16
    threshold: float = 0.95
    seed: int = 0

    def __post_init__(self) -> None:
        where = f"loops config {self.name!r}"
        err = ProblemParameterError
        for name, low in (("n_train", 1), ("width", 1), ("heads", 1), ("layers", 1), ("mlp_ratio", 1),
                          ("max_positions", 1), ("loops_train", 1), ("loops_min", 1), ("backprop_loops", 1),
                          ("steps", 0), ("batch", 1), ("warmup", 0), ("eval_count", 1), ("study_loops", 1),
                          ("seed", 0)):
            object.__setattr__(self, name, check_int(name, getattr(self, name), low, where=where, error=err))
        for name, low, high in (("lr", 0.0, None), ("lr_min_ratio", 0.0, 1.0), ("weight_decay", 0.0, None),
                                ("grad_clip", 0.0, None), ("threshold", 0.0, 1.0)):
            object.__setattr__(self, name, check_float(name, getattr(self, name), low, high, where=where, error=err))
        if self.width % self.heads or (self.width // self.heads) % 2:
            raise err(f"width for {where} must be a multiple of 2 * heads (even head size), got width={self.width}, "
                      f"heads={self.heads}")
        if self.loops_min > self.loops_train:
            raise err(f"loops_min for {where} must be <= loops_train={self.loops_train}, got {self.loops_min}")
        for name, allowed in (("positions", POSITIONS), ("attention", ATTENTIONS), ("injection", INJECTIONS),
                              ("readout", READOUTS), ("supervise", SUPERVISE)):
            if getattr(self, name) not in allowed:
                raise err(f"{name} for {where} must be one of {', '.join(allowed)}, got {getattr(self, name)!r}")
        if not isinstance(self.params, Mapping):
            raise err(f"params for {where} must be a dict, got {self.params!r}")
        object.__setattr__(self, "params", dict(self.params))
        ns = tuple(check_int("study_ns", k, 1, where=where, error=err) for k in self.study_ns)
        if not ns:
            raise err(f"study_ns for {where} needs at least one size")
        object.__setattr__(self, "study_ns", tuple(sorted(set(ns))))
        task = get_task(self.problem, self.params)  # the problem is one a looped model reads
        object.__setattr__(self, "problem", task.key)
        task.problem.sample(self.n_train, 0, 0, **self.params)  # n_train and the params are valid

    @property
    def task(self) -> Any:
        """The :class:`~serialcomp.torch.models.tasks.LoopTask` of the problem and params."""
        return get_task(self.problem, self.params)

    @property
    def causal(self) -> bool:
        """Whether attention is causal (``attention="auto"`` takes the task's default)."""
        return self.task.causal if self.attention == "auto" else self.attention == "causal"

    def replace(self, **changes: Any) -> "LoopConfig":
        """A copy with ``changes`` (checked like a new config)."""
        return dataclasses.replace(self, **changes)

    def to_dict(self) -> dict[str, Any]:
        """Plain values: what a checkpoint stores (tuples as lists)."""
        d = dataclasses.asdict(self)
        d["study_ns"] = list(self.study_ns)
        return d

    @classmethod
    def from_dict(cls, d: Mapping[str, Any]) -> "LoopConfig":
        """The config of :meth:`to_dict` (unknown keys refused)."""
        known = {f.name for f in dataclasses.fields(cls)}
        extra = sorted(set(d) - known)
        if extra:
            raise ProblemParameterError(f"unknown loops config field {extra[0]!r}")
        d = dict(d)
        if "study_ns" in d:
            d["study_ns"] = tuple(d["study_ns"])
        return cls(**d)


_S5_NS = (4, 8, 16, 32, 64)
CONFIGS: dict[str, dict[str, Any]] = {
    "tiny": dict(problem="word:Z5", n_train=4, params={"prefix": True}, width=32, heads=2, layers=2, loops_train=4,
                 loops_min=2, backprop_loops=4, steps=800, batch=32, lr=5e-3, warmup=50, eval_count=512,
                 study_ns=(2, 4, 6, 8), study_loops=8),
    "quick": dict(problem="word:S3", n_train=8, params={"prefix": True}, width=64, heads=4, layers=2, loops_train=8,
                  loops_min=4, backprop_loops=8, steps=2000, batch=64, lr=3e-3, warmup=100, eval_count=1024,
                  study_ns=(2, 4, 6, 8, 10, 12, 16), study_loops=16),
    "gpu-s5": dict(problem="word:S5", n_train=16, params={"prefix": True}, width=512, heads=8, layers=2,
                   loops_train=32, loops_min=4, backprop_loops=8, steps=4000, batch=256, lr=5e-4,
                   warmup=200, eval_count=2048, study_ns=_S5_NS, study_loops=128),
    "gpu-a4xz5": dict(problem="word:A4xZ5", n_train=16, params={"prefix": True}, width=256, heads=8, layers=2,
                      loops_train=24, loops_min=2, backprop_loops=8, steps=3000, batch=256,
                      lr=5e-4, warmup=200, eval_count=2048, study_ns=_S5_NS, study_loops=96),
    "gpu-z5": dict(problem="word:Z5", n_train=16, params={"prefix": True}, width=256, heads=8, layers=2,
                   loops_train=24, loops_min=2, backprop_loops=8, steps=3000, batch=256, lr=5e-4,
                   warmup=200, eval_count=2048, study_ns=_S5_NS, study_loops=96),
    "gpu-parity": dict(problem="parity", n_train=16, width=256, heads=8, layers=2, loops_train=16, loops_min=2,
                       backprop_loops=8, steps=3000, batch=256, lr=5e-4, warmup=200, eval_count=2048,
                       study_ns=(4, 8, 16, 32), study_loops=64),
    "gpu-flower": dict(problem="reach:flower", n_train=16, width=256, heads=8, layers=2, loops_train=16, loops_min=2,
                       backprop_loops=8, steps=3000, batch=256, lr=5e-4, warmup=200, eval_count=2048,
                       study_ns=(4, 8, 12, 16), study_loops=64),
    "gpu-rule110": dict(problem="ca:rule110", n_train=16, params={"t": 8}, width=256, heads=8, layers=2,
                        loops_train=16, loops_min=2, backprop_loops=8, steps=3000, batch=256, lr=5e-4, warmup=200,
                        eval_count=2048, study_ns=(8, 16, 32, 64), study_loops=64),
}
"""The presets, by name, as keyword arguments of :class:`LoopConfig`."""


def list_configs() -> list[str]:
    """Names of the presets.

    Example
    -------
    >>> list_configs()[:2]
    ['tiny', 'quick']
    """
    return list(CONFIGS)


def get_config(name: str, **overrides: Any) -> LoopConfig:
    """The preset ``name`` (see :data:`CONFIGS`), with ``overrides`` of its fields.

    Raises
    ------
    ProblemParameterError
        For an unknown name (the message lists the presets) or a bad override.

    Example
    -------
    >>> get_config("quick", steps=5).steps
    5
    >>> get_config("huge")
    Traceback (most recent call last):
    ...
    serialcomp.errors.ProblemParameterError: unknown loops config 'huge'; the presets: tiny, quick, gpu-s5, gpu-a4xz5, gpu-z5, gpu-parity, gpu-flower, gpu-rule110
    """
    if name not in CONFIGS:
        raise ProblemParameterError(f"unknown loops config {name!r}; the presets: {', '.join(CONFIGS)}")
    return LoopConfig(name=name, **{**CONFIGS[name], **overrides})
