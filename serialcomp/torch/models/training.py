"""Training a looped model: :func:`train` and its learning-rate schedule :func:`learning_rate`.

Every step draws a fresh batch of the problem at ``n_train`` (records ``step * batch ..`` of a
training seed derived from the config's seed, so no evaluation seed a user passes meets them) and
a loop count L uniformly from ``loops_min .. loops_train`` (one per batch, so the model cannot tie
the input length to the loop count, as in Huginn's randomised recurrence). The first
``L - backprop_loops`` loops run without a graph and gradients flow through the last
``backprop_loops`` (truncated backprop). The loss is the cross-entropy of the readout after loop L
(per position where the task has per-position targets). AdamW with a linear warm-up and a cosine
decay to ``lr * lr_min_ratio``; gradient norm clipped.

Determinism: the weights are initialised from ``torch.manual_seed(seed)`` in a forked RNG state,
batches and loop counts come from counter-based numpy streams, and nothing else draws randomness
(no dropout), so the same config on the same machine, torch build and thread count gives the same
weights bit for bit. torch does not promise the same bits across machines, CPU instruction sets,
thread counts or versions (reductions may be ordered differently); on CUDA, kernels chosen at run
time (attention backward, cuBLAS workspaces) may differ in the last bits between runs unless
``deterministic=True`` (which sets ``torch.use_deterministic_algorithms``).
"""

from __future__ import annotations

import math
import sys
import time
from typing import Any, Callable

import numpy as np

from ... import __version__
from ..._atomic import check_interrupted
from ..._seed import derive_seed
from ..device import require_torch, resolve_device
from ._threads import cpu_threads
from .checkpoint import LoopModel
from .config import LoopConfig
from .evaluate import evaluate
from .transformer import LoopedTransformer

torch = require_torch()

__all__ = ["train", "learning_rate", "training_seed"]


def learning_rate(step: int, config: LoopConfig) -> float:
    """The learning rate at ``step`` (0-based): linear warm-up, then cosine decay to ``lr * lr_min_ratio``.

    Example
    -------
    >>> from serialcomp.torch.models import get_config
    >>> c = get_config("quick", steps=1000, warmup=100, lr=1e-3, lr_min_ratio=0.1)
    >>> [round(learning_rate(s, c), 6) for s in (0, 99, 100, 999)]
    [1e-05, 0.001, 0.001, 0.0001]
    """
    lr, warm = config.lr, config.warmup
    if step < warm:
        return lr * (step + 1) / warm
    span = max(1, config.steps - 1 - warm)
    frac = min(1.0, (step - warm) / span)
    low = lr * config.lr_min_ratio
    return low + (lr - low) * 0.5 * (1.0 + math.cos(math.pi * frac))


def training_seed(config: LoopConfig) -> int:
    """The seed of the training records (derived from ``config.seed``; below 2**63 like dataset seeds).

    Example
    -------
    >>> from serialcomp.torch.models import get_config
    >>> training_seed(get_config("tiny")) == training_seed(get_config("tiny")) != training_seed(get_config("tiny", seed=1))
    True
    """
    return derive_seed(config.seed, "serialcomp.loops/train") >> 1


def _bar(total: int, enabled: bool | None) -> Any:
    show = sys.stderr.isatty() if enabled is None else enabled
    if not show:
        return None
    from tqdm import tqdm

    return tqdm(total=total, desc="train", unit="step", file=sys.stderr, dynamic_ncols=True)


def train(config: LoopConfig, device: Any = "cpu", progress: bool | None = False, deterministic: bool = False,
          threads: int | None = 1, time_limit: float | None = None,
          callback: Callable[[int, float], None] | None = None) -> LoopModel:
    """Train the looped model of ``config``; returns it with its metadata (see :mod:`.checkpoint`).

    Parameters
    ----------
    config : LoopConfig
    device : str or torch.device
        ``"auto"``, ``"cpu"``, ``"cuda"``... (:func:`~serialcomp.torch.resolve_device`).
    progress : bool or None
        A tqdm bar on stderr (None: when stderr is a terminal), showing the loss.
    deterministic : bool
        Ask torch for deterministic kernels (``torch.use_deterministic_algorithms``, restored
        afterwards; matters on CUDA). On CUDA, float32 matrix products use TF32 while training
        (``torch.set_float32_matmul_precision("high")``, restored afterwards).
    threads : int or None
        CPU threads of torch while training (``torch.set_num_threads``, restored afterwards); the
        default 1 is the fastest for these small models on a shared machine (several threads
        spin on each other's small matrices) and part of what makes runs reproducible (results
        can differ in the last bits with another thread count). None leaves torch's setting.
    time_limit : float, optional
        Stop after this many seconds of training even if steps remain (for a run that must fit a
        slot, e.g. a lent GPU); ``metadata["steps_done"]`` says how many ran, and such a run is not
        reproducible step for step (where it stops depends on the machine's speed).
    callback : callable, optional
        Called as ``callback(step, loss)`` after every step.

    Example
    -------
    >>> from serialcomp.torch.models import get_config
    >>> a = train(get_config("tiny", steps=3, eval_count=8))
    >>> b = train(get_config("tiny", steps=3, eval_count=8))
    >>> all(torch.equal(x, y) for x, y in zip(a.model.state_dict().values(), b.model.state_dict().values()))
    True
    >>> sorted(a.metadata["held_out"])
    ['loops_1', 'loops_train']

    Notes
    -----
    Cost: ``steps`` optimizer steps of ``batch`` instances, each up to ``loops_train`` block
    applications forward and ``backprop_loops`` backward; then a held-out check of
    ``eval_count`` instances at ``loops_train`` loops and at 1.
    """
    dev = resolve_device(device)
    old_det, old_prec = torch.are_deterministic_algorithms_enabled(), torch.get_float32_matmul_precision()
    with cpu_threads(threads, "train"):
        if deterministic:
            torch.use_deterministic_algorithms(True, warn_only=True)
        if dev.type == "cuda":
            torch.set_float32_matmul_precision("high")  # TF32 tensor cores: a learned model needs no exact sums
        try:
            return _train(config, dev, progress, callback, time_limit)
        finally:
            torch.set_float32_matmul_precision(old_prec)
            if deterministic and not old_det:
                torch.use_deterministic_algorithms(False)


def _train(config: LoopConfig, dev: Any, progress: bool | None, callback: Callable[[int, float], None] | None,
           time_limit: float | None) -> LoopModel:
    task = config.task
    vocab = task.vocab(config.n_train)
    devices = [dev.index or 0] if dev.type == "cuda" else []
    with torch.random.fork_rng(devices=devices):
        torch.manual_seed(config.seed)
        model = LoopedTransformer(config, vocab).to(dev)
    decay, no_decay = [], []
    for name, p in model.named_parameters():
        (decay if p.dim() >= 2 and "embed" not in name and not name.startswith("pos") else no_decay).append(p)
    opt = torch.optim.AdamW([{"params": decay, "weight_decay": config.weight_decay},
                             {"params": no_decay, "weight_decay": 0.0}], lr=config.lr, betas=(0.9, 0.98))
    counts = np.random.Generator(np.random.PCG64(derive_seed(config.seed, "serialcomp.loops/loops")))
    loop_counts = counts.integers(config.loops_min, config.loops_train + 1, size=config.steps)
    data_seed = training_seed(config)
    bar = _bar(config.steps, progress)
    t0, c0 = time.perf_counter(), time.process_time()
    loss_value = float("nan")
    done = 0
    model.train()
    try:
        for step in range(config.steps):
            if time_limit is not None and time.perf_counter() - t0 > time_limit:
                break
            inst = task.sample(config.n_train, config.batch, data_seed, start=step * config.batch)
            tok, lab = task.encode(inst, vocab)
            tokens = torch.from_numpy(tok).to(dev)
            labels = torch.from_numpy(lab).to(dev)
            for group in opt.param_groups:
                group["lr"] = learning_rate(step, config)
            every = config.supervise == "all"
            logits = model(tokens, int(loop_counts[step]), config.backprop_loops, every_loop=every)
            target = labels.expand(logits.shape[:-1]) if every else labels
            loss = torch.nn.functional.cross_entropy(logits.reshape(-1, logits.shape[-1]).float(), target.reshape(-1))
            opt.zero_grad(set_to_none=True)
            loss.backward()
            if config.grad_clip > 0:
                torch.nn.utils.clip_grad_norm_(model.parameters(), config.grad_clip)
            opt.step()
            loss_value = float(loss.detach())
            check_interrupted()
            if bar is not None:
                bar.update(1)
                if step % 10 == 0 or step == config.steps - 1:
                    bar.set_postfix(loss=f"{loss_value:.3f}", loops=int(loop_counts[step]))
            done = step + 1
            if callback is not None:
                callback(step, loss_value)
    finally:
        if bar is not None:
            bar.close()
    seconds, cpu = time.perf_counter() - t0, time.process_time() - c0
    model.eval()
    metadata = {"problem": config.problem, "params": dict(config.params), "n_train": config.n_train,
                "loops_train": config.loops_train, "serialcomp_version": __version__,
                "torch_version": str(torch.__version__), "device": str(dev), "seed": config.seed,
                "steps": config.steps, "steps_done": done, "parameters": model.n_parameters(),
                "train_seconds": round(seconds, 2), "train_cpu_seconds": round(cpu, 2), "final_loss": loss_value}
    lm = LoopModel(model, config, metadata)
    held_seed = derive_seed(config.seed, "serialcomp.loops/held-out") >> 1
    table = evaluate(lm, [config.n_train], sorted({1, config.loops_train}), count=config.eval_count, seed=held_seed)
    acc = dict(zip(table["loops"], table["accuracy"]))
    metadata["held_out"] = {"loops_train": float(acc[config.loops_train]), "loops_1": float(acc[1])}
    metadata["held_out_seed"] = held_seed
    return lm
