"""A trained looped model with what it was trained on: :class:`LoopModel`, saved and loaded as one file.

A checkpoint is one ``torch.save`` file (written atomically: nothing partial on an error or
Ctrl-C) holding plain data only, so it is read back with ``torch.load(weights_only=True)`` (no
pickled code runs on load):

``format``, ``format_version``
    ``"serialcomp-loops"``, 1.
``config``
    The :class:`~serialcomp.torch.models.LoopConfig` as a dict.
``vocab``
    The token names the embedding knows.
``metadata``
    ``problem``, ``params``, ``n_train``, ``loops_train``, ``serialcomp_version``,
    ``torch_version``, ``device``, ``seed``, ``steps``, ``steps_done``, ``parameters``,
    ``train_seconds`` (wall clock), ``train_cpu_seconds`` (this process's CPU time), ``final_loss``
    and ``held_out`` (accuracy at n_train after ``loops_train`` loops and after 1, on
    ``eval_count`` records of a held-out seed, ``held_out_seed``).
``state_dict``
    The weights (float32, on the CPU).
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..._atomic import atomic_path
from ...errors import SerialcompError
from ..device import require_torch, resolve_device
from .config import LoopConfig
from .tasks import LoopTask
from .transformer import LoopedTransformer

torch = require_torch()

__all__ = ["CheckpointError", "LoopModel", "load_model", "CHECKPOINT_FORMAT", "CHECKPOINT_VERSION"]

CHECKPOINT_FORMAT = "serialcomp-loops"
CHECKPOINT_VERSION = 1


class CheckpointError(SerialcompError):
    """A file is not a readable looped-model checkpoint."""


@dataclass
class LoopModel:
    """A :class:`~serialcomp.torch.models.LoopedTransformer` with its config and metadata.

    Attributes
    ----------
    model : LoopedTransformer
    config : LoopConfig
    metadata : dict
        See the module docstring.

    Example
    -------
    >>> import tempfile, os
    >>> from serialcomp.torch.models import get_config, train
    >>> lm = train(get_config("tiny", steps=2, eval_count=8))
    >>> path = os.path.join(tempfile.mkdtemp(), "m.pt")
    >>> lm.save(path)
    >>> back = load_model(path)
    >>> back.metadata["problem"], back.metadata["n_train"], back.config == lm.config
    ('word:Z5', 4, True)
    """

    model: Any
    config: LoopConfig
    metadata: dict[str, Any] = field(default_factory=dict)

    @property
    def task(self) -> LoopTask:
        """The learning task (problem, params, target)."""
        return self.config.task

    @property
    def vocab(self) -> list[str]:
        """The token names the model reads."""
        return list(self.model.vocab)

    @property
    def device(self) -> Any:
        """The device of the weights."""
        return next(self.model.parameters()).device

    def to(self, device: Any) -> "LoopModel":
        """Move the weights to ``device`` (``auto``, ``cpu``, ``cuda``...); returns self."""
        self.model.to(resolve_device(device))
        return self

    def info(self) -> dict[str, Any]:
        """What ``serialcomp loops info`` prints: problem, n_train, loops_train, params, config, metadata."""
        md = self.metadata
        return {"problem": self.config.problem, "n_train": self.config.n_train, "loops_train": self.config.loops_train,
                "params": dict(self.config.params), "config": self.config.to_dict(), "metadata": dict(md)}

    def save(self, path: str | os.PathLike[str], what: str = "--out") -> None:
        """Write the checkpoint to ``path`` atomically (see the module docstring)."""
        state = {k: v.detach().to("cpu") for k, v in self.model.state_dict().items()}
        blob = {"format": CHECKPOINT_FORMAT, "format_version": CHECKPOINT_VERSION, "config": self.config.to_dict(),
                "vocab": self.vocab, "metadata": dict(self.metadata), "state_dict": state}
        with atomic_path(path, what=what) as tmp:
            torch.save(blob, tmp)


def load_model(path: str | os.PathLike[str], device: Any = "cpu") -> LoopModel:
    """Read a checkpoint written by :meth:`LoopModel.save`, onto ``device``, in eval mode.

    Raises
    ------
    SerialcompError
        If the file is missing or is not a serialcomp looped-model checkpoint (one line naming it).
    """
    p = Path(path)
    if not p.is_file():
        raise CheckpointError(f"model {p}: no such file")
    try:
        blob = torch.load(p, map_location="cpu", weights_only=True)
    except Exception as exc:  # noqa: BLE001 - torch raises many kinds for a file that is not a checkpoint
        raise CheckpointError(f"model {p}: not a torch checkpoint ({type(exc).__name__})") from None
    if not isinstance(blob, dict) or blob.get("format") != CHECKPOINT_FORMAT:
        raise CheckpointError(f"model {p}: not a serialcomp looped-model checkpoint")
    if blob.get("format_version") != CHECKPOINT_VERSION:
        raise CheckpointError(f"model {p}: checkpoint format version {blob.get('format_version')!r}, this serialcomp "
                              f"reads {CHECKPOINT_VERSION}")
    config = LoopConfig.from_dict(blob["config"])
    model = LoopedTransformer(config, list(blob["vocab"]))
    try:
        model.load_state_dict(blob["state_dict"])
    except RuntimeError as exc:
        raise CheckpointError(f"model {p}: weights do not fit the stored config ({str(exc).splitlines()[0]})") from None
    model.to(resolve_device(device)).eval()
    return LoopModel(model, config, dict(blob.get("metadata", {})))
