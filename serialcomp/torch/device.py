"""Where torch runs: importing torch with a clear error, and choosing the device.

Both functions are importable without torch installed, so the command line can say what is
missing (the ``torch`` extra, or a GPU) in one line.
"""

from __future__ import annotations

from typing import Any

from ..errors import SerialcompError

__all__ = ["TorchUnavailableError", "require_torch", "resolve_device"]


class TorchUnavailableError(SerialcompError):
    """PyTorch is not installed, or the device asked for is not there."""


def require_torch() -> Any:
    """Import and return the ``torch`` module, or raise :class:`TorchUnavailableError` naming the extra.

    Example
    -------
    >>> require_torch().__name__
    'torch'
    """
    try:
        import torch
    except ImportError as exc:
        raise TorchUnavailableError(
            f"this needs PyTorch, which is not installed ({exc}); install the extra: "
            "pip install 'serialcomp[torch]' (or: bash scripts/install.sh torch)") from None
    return torch


def resolve_device(device: Any = None) -> Any:
    """A ``torch.device`` for ``device``: ``None`` or ``"auto"`` (CUDA when a GPU is visible, else
    the CPU), ``"cpu"``, ``"cuda"``, ``"cuda:K"``, or a ``torch.device``.

    Raises
    ------
    TorchUnavailableError
        For ``"cuda"`` when no GPU is visible (the message says so), or without torch.

    Example
    -------
    >>> str(resolve_device("cpu"))
    'cpu'
    """
    torch = require_torch()
    if device is None or (isinstance(device, str) and device == "auto"):
        return torch.device("cuda" if torch.cuda.is_available() else "cpu")
    try:
        dev = torch.device(device)
    except (RuntimeError, TypeError) as exc:
        raise TorchUnavailableError(f"unknown device {device!r} (expected auto, cpu, cuda or cuda:K): {exc}") from None
    if dev.type == "cuda":
        if not torch.cuda.is_available():
            built = "" if torch.version.cuda else " (this torch is a CPU-only build)"
            raise TorchUnavailableError(f"device {device!r}: no CUDA GPU is visible to torch{built}; use --device cpu "
                                        "or auto")
        if dev.index is not None and dev.index >= torch.cuda.device_count():
            raise TorchUnavailableError(f"device {device!r}: only {torch.cuda.device_count()} CUDA device(s) visible")
    elif dev.type != "cpu":
        raise TorchUnavailableError(f"device {device!r}: serialcomp runs on cpu or cuda, got {dev.type}")
    return dev
