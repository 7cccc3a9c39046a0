"""serialcomp on PyTorch (the optional ``torch`` extra): circuits as exact torch modules.

* :func:`compile_torch` -> :class:`TorchCircuit`: a :class:`~serialcomp.ir.Circuit` as an
  ``nn.Module``, packed (int64 words, the simulator's layout) or dense (a network of threshold
  layers), bit-identical to the Numba simulator on CPU and CUDA.
* :func:`resolve_device`, :func:`require_torch`: device choice and a clear error without torch.
* :mod:`serialcomp.torch.models`: learned looped transformers (:class:`LoopedTransformer`), their
  configs (:func:`get_config`), training (:func:`train`), halting (:class:`HaltRule`), evaluation
  against the problems' exact targets (:func:`evaluate`) and the loops study (:func:`loops_study`).

Importing this package imports torch; without it, the import raises
:class:`~serialcomp.torch.device.TorchUnavailableError` naming the extra to install. Nothing else
in serialcomp imports it.
"""

from __future__ import annotations

from .device import TorchUnavailableError, require_torch, resolve_device

require_torch()

from .circuit import MODES, TorchCircuit, compile_torch, pack_bits_torch, unpack_bits_torch  # noqa: E402
from .looped import TorchLoopedCircuit, TorchLoopRun  # noqa: E402

_MODEL_NAMES = ("HaltRule", "LoopConfig", "LoopModel", "LoopedTransformer", "evaluate", "get_config", "load_model",
                "loops_study", "train")

__all__ = [
    "MODES", "TorchCircuit", "TorchLoopedCircuit", "TorchLoopRun", "TorchUnavailableError", "compile_torch", "pack_bits_torch", "require_torch",
    "resolve_device", "unpack_bits_torch",
    *_MODEL_NAMES,
]


def __getattr__(name: str) -> object:
    """The learned-model names, imported from :mod:`serialcomp.torch.models` on first use (it brings
    pandas and the problem registry, which the circuit backend does not need)."""
    if name in _MODEL_NAMES:
        from . import models

        return getattr(models, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
