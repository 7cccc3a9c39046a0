"""When a looped model stops at evaluation: :class:`HaltRule` and :func:`run_loops`.

Three rules, each reporting the loops used per instance:

``fixed``
    Exactly L loops; the output is read after loop L.
``fixed-point``
    Loop until the latent stops moving, per instance: after loop t the residual is
    ``r_t = max over positions of ||f(h) - h|| / (||f(h)|| + 1e-8)`` (f one application of the
    block, norms over the width), and an instance halts at the first t with ``r_t < eps``; its output
    is read there and it uses t loops. The iterate is damped as in FPRM (Movahedi et al., Fixed-Point
    Reasoners, 2026): ``h <- a f(h) + (1 - a) h`` with step size a (``damping``, 1 = plain
    iteration), multiplied by ``decay`` whenever the residual has not improved for ``patience``
    loops, which tames oscillation around the fixed point. An instance with no fixed point within
    the budget of L loops uses L and reports ``halted = False``.
``confidence``
    Run L loops and, per instance, read the output at the loop whose prediction is the most
    confident, as in Fan et al. (Looped transformers for length generalization, ICLR 2025): the
    loop maximising the mean over positions of ``log max softmax`` (the earliest on ties). Loops
    used is that loop.

A halted instance's output no longer changes, so the batch runs until every instance has halted
(or the budget is spent); the loops an instance used are its own, not the batch's.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from ..._validate import check_float, check_int
from ...errors import ProblemParameterError
from ..device import require_torch

torch = require_torch()

__all__ = ["HALTS", "HaltRule", "LoopRun", "run_loops"]

HALTS = ("fixed", "fixed-point", "confidence")
"""The halting rules (see the module docstring)."""


@dataclass(frozen=True)
class HaltRule:
    """A halting rule: ``kind`` (one of :data:`HALTS`) and its parameters.

    Attributes
    ----------
    kind : str
    loops : int
        L: the loops of ``fixed``, the budget (most loops) of the others.
    eps : float
        Residual below which ``fixed-point`` halts. The default 0.1 is FPRM's threshold; on the
        quick model it halts where fixed-L accuracy has levelled off (the residual then keeps
        shrinking about 2x per loop, so eps = 0.01 costs about 4 more loops for the same answers).
    damping, decay : float
        Initial step size of the damped iteration, in (0, 1], and its factor when stuck, in (0, 1].
    patience : int
        Loops without improvement of the residual before the step size decays.

    Example
    -------
    >>> HaltRule("fixed-point", loops=32).eps
    0.1
    >>> HaltRule("early", 4)
    Traceback (most recent call last):
    ...
    serialcomp.errors.ProblemParameterError: halt must be one of fixed, fixed-point, confidence, got 'early'
    """

    kind: str = "fixed"
    loops: int = 8
    eps: float = 0.1
    damping: float = 1.0
    decay: float = 0.95
    patience: int = 5

    def __post_init__(self) -> None:
        err = ProblemParameterError
        if self.kind not in HALTS:
            raise err(f"halt must be one of {', '.join(HALTS)}, got {self.kind!r}")
        object.__setattr__(self, "loops", check_int("loops", self.loops, 1, where=f"halt {self.kind}", error=err))
        object.__setattr__(self, "eps", check_float("eps", self.eps, 0.0, where="fixed-point halting", error=err))
        for name in ("damping", "decay"):
            v = check_float(name, getattr(self, name), 0.0, 1.0, where="fixed-point halting", error=err)
            if v == 0.0:
                raise err(f"{name} for fixed-point halting must be in (0, 1], got 0")
            object.__setattr__(self, name, v)
        object.__setattr__(self, "patience", check_int("patience", self.patience, 1, where="fixed-point halting",
                                                       error=err))


@dataclass(frozen=True)
class LoopRun:
    """The result of :func:`run_loops`.

    Attributes
    ----------
    logits : float tensor
        The output read at each instance's halting loop: ``(batch, positions, classes)`` or
        ``(batch, classes)``.
    loops_used : int64 tensor (batch,)
    halted : bool tensor (batch,)
        False for ``fixed-point`` instances without a fixed point within the budget (always True
        for the other rules).
    per_loop : int64 tensor or None
        With ``keep_per_loop=True``: the predicted classes after every loop,
        ``(loops, batch[, positions])`` (row t-1 is loop t).
    """

    logits: Any
    loops_used: Any
    halted: Any
    per_loop: Any = None

    @property
    def predictions(self) -> Any:
        """The predicted classes (argmax of :attr:`logits`)."""
        return self.logits.argmax(dim=-1)


def _lanes(x: Any, mask: Any) -> Any:
    return mask.view(-1, *([1] * (x.dim() - 1)))


@torch.no_grad()
def run_loops(model: Any, tokens: Any, rule: HaltRule, keep_per_loop: bool = False) -> LoopRun:
    """Run ``model`` (a :class:`~serialcomp.torch.models.LoopedTransformer`) on ``tokens`` under ``rule``.

    Parameters
    ----------
    model : LoopedTransformer
    tokens : int64 tensor (batch, positions, group)
        Model token ids, on the model's device.
    rule : HaltRule
    keep_per_loop : bool
        Also return the predictions after every loop (:attr:`LoopRun.per_loop`), e.g. to measure
        accuracy against loops in one pass.

    Example
    -------
    >>> from serialcomp.torch.models import LoopedTransformer, get_config
    >>> cfg = get_config("tiny"); _ = torch.manual_seed(0)
    >>> m = LoopedTransformer(cfg, cfg.task.vocab(6)).eval()
    >>> tok = torch.randint(0, 5, (4, 6, 1))
    >>> run_loops(m, tok, HaltRule("fixed", 3)).loops_used.tolist()
    [3, 3, 3, 3]
    >>> r = run_loops(m, tok, HaltRule("fixed-point", 50))
    >>> bool((r.loops_used <= 50).all()), r.halted.dtype
    (True, torch.bool)

    Notes
    -----
    Cost: at most ``rule.loops`` applications of the block to the batch (fixed-point stops once
    every instance has halted), plus one readout per loop for ``confidence`` or ``keep_per_loop``.
    """
    B = tokens.shape[0]
    dev = tokens.device
    e = model.embed_tokens(tokens)
    rope = model.rope(tokens.shape[1], dev)
    h = torch.zeros_like(e)
    per_loop: list[Any] = []
    if rule.kind == "fixed":
        for _ in range(rule.loops):
            h = model.step(h, e, rope)
            if keep_per_loop:
                per_loop.append(model.readout(h).argmax(dim=-1))
        logits = model.readout(h)
        used = torch.full((B,), rule.loops, dtype=torch.long, device=dev)
        return LoopRun(logits, used, torch.ones(B, dtype=torch.bool, device=dev),
                       torch.stack(per_loop) if keep_per_loop else None)
    if rule.kind == "confidence":
        best_conf = torch.full((B,), -float("inf"), device=dev)
        best_logits, used = None, torch.zeros(B, dtype=torch.long, device=dev)
        for t in range(1, rule.loops + 1):
            h = model.step(h, e, rope)
            logits = model.readout(h)
            if keep_per_loop:
                per_loop.append(logits.argmax(dim=-1))
            conf = torch.log_softmax(logits.float(), dim=-1).max(dim=-1).values
            conf = conf.mean(dim=1) if conf.dim() > 1 else conf
            better = conf > best_conf
            best_conf = torch.where(better, conf, best_conf)
            used = torch.where(better, torch.full_like(used, t), used)
            best_logits = logits if best_logits is None else torch.where(_lanes(logits, better), logits, best_logits)
        return LoopRun(best_logits, used, torch.ones(B, dtype=torch.bool, device=dev),
                       torch.stack(per_loop) if keep_per_loop else None)
    # fixed point, damped (FPRM)
    done = torch.zeros(B, dtype=torch.bool, device=dev)
    used = torch.full((B,), rule.loops, dtype=torch.long, device=dev)
    step = torch.full((B,), rule.damping, device=dev)
    best = torch.full((B,), float("inf"), device=dev)
    wait = torch.zeros(B, dtype=torch.long, device=dev)
    for t in range(1, rule.loops + 1):
        f = model.step(h, e, rope)
        res = ((f - h).norm(dim=-1) / (f.norm(dim=-1) + 1e-8)).amax(dim=1)
        a = step.view(-1, 1, 1).to(f.dtype)
        h = torch.where(_lanes(h, done), h, a * f + (1 - a) * h)
        if keep_per_loop:
            per_loop.append(model.readout(h).argmax(dim=-1))
        newly = ~done & (res < rule.eps)
        used = torch.where(newly, torch.full_like(used, t), used)
        done = done | newly
        improved = res < best
        best = torch.where(improved, res, best)
        wait = torch.where(improved, torch.zeros_like(wait), wait + 1)
        stuck = ~done & (wait >= rule.patience)
        step = torch.where(stuck, step * rule.decay, step)
        wait = torch.where(stuck, torch.zeros_like(wait), wait)
        if bool(done.all()):
            if keep_per_loop:  # later loops read the frozen latents
                last = per_loop[-1]
                per_loop.extend([last] * (rule.loops - t))
            break
    return LoopRun(model.readout(h), used, done, torch.stack(per_loop) if keep_per_loop else None)
