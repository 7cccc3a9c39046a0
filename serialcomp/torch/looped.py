"""A :class:`~serialcomp.ir.LoopedCircuit` as an exact torch module: :class:`TorchLoopedCircuit`.

The step circuit (and the readout) are compiled once with :func:`~serialcomp.torch.compile_torch`
in packed or dense mode; :meth:`TorchLoopedCircuit.forward` runs the recurrence with the
semantics of :meth:`LoopedCircuit.run <serialcomp.ir.LoopedCircuit.run>`:

* **stream** mode feeds ``x[:, t]`` at step ``t`` and returns every step's ``y``, (batch, T, n_y);
* **loop** mode re-injects ``x`` every step and returns the readout of the final state (or the
  last step's ``y``); with ``halt=True`` each lane stops at its first fixed point
  ``state_{t+1} == state_t`` and reports ``t`` as its steps used (the steps that changed the
  state); lanes that never reach one report ``steps`` and ``halted = False``; the run ends early
  once every lane has halted. A halted lane's state no longer changes, so running it on costs
  time, not correctness.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from ..errors import SimulationInputError
from .._validate import check_int
from .circuit import MODES, TorchCircuit, pack_bits_torch, unpack_bits_torch
from .device import require_torch

torch = require_torch()

__all__ = ["TorchLoopedCircuit", "TorchLoopRun"]


@dataclass(frozen=True)
class TorchLoopRun:
    """Result of :meth:`TorchLoopedCircuit.forward`, the torch twin of ``LoopRun``.

    Attributes
    ----------
    outputs : bool tensor
        Stream mode (batch, T, n_y); loop mode (batch, n_out).
    state : bool tensor (batch, n_state)
    steps : int64 tensor (batch,)
    halted : bool tensor (batch,)
    """

    outputs: Any
    state: Any
    steps: Any
    halted: Any

    def numpy(self) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
        """``(outputs, state, steps, halted)`` as numpy arrays on the CPU."""
        return tuple(t.detach().cpu().numpy() for t in (self.outputs, self.state, self.steps, self.halted))  # type: ignore[return-value]


class TorchLoopedCircuit(torch.nn.Module):
    """A looped circuit as an exact torch module (see the module docstring).

    Parameters
    ----------
    looped : LoopedCircuit
    mode : {"packed", "dense"}
        How the step circuit (and the readout) run; see :func:`~serialcomp.torch.compile_torch`.

    Example
    -------
    >>> from serialcomp.ir import CircuitBuilder, LoopedCircuit
    >>> b = CircuitBuilder(); s, x = b.input("s"), b.input("x")
    >>> p = b.xor(s, x); b.output(p, "s'"); b.output(p, "parity")
    >>> from serialcomp.torch import compile_torch
    >>> m = compile_torch(LoopedCircuit(b.build(), n_state=1, mode="stream"), device="cpu")
    >>> m(torch.tensor([[[1], [0], [1], [1]]], dtype=torch.bool)).outputs[0, :, 0].tolist()
    [True, True, False, True]
    """

    def __init__(self, looped: Any, mode: str = "packed", **options: Any) -> None:
        super().__init__()
        if mode not in MODES:
            raise SimulationInputError(f"mode must be one of {', '.join(MODES)}, got {mode!r}")
        self.mode = mode
        self.loop_mode = looped.mode
        self.n_state, self.n_x = int(looped.n_state), int(looped.n_x)
        self.n_y = int(looped.step.n_outputs) - self.n_state
        self.step = TorchCircuit(looped.step, mode, **options)
        self.readout = TorchCircuit(looped.readout, mode, **options) if looped.readout is not None else None
        init = torch.tensor([bool(v) for v in looped.init], dtype=torch.bool)
        self.register_buffer("init", init, persistent=False)

    @property
    def device(self) -> Any:
        return self.init.device

    def extra_repr(self) -> str:
        return f"mode={self.mode}, {self.loop_mode}, state={self.n_state}, x={self.n_x}, y={self.n_y}"

    # rows in the step module's representation: int64 words (packed) or float {0, 1} (dense)
    def _rows(self, bits: Any) -> Any:
        return pack_bits_torch(bits) if self.mode == "packed" else bits.t().to(torch.float32)

    def _bits(self, rows: Any, batch: int) -> Any:
        return unpack_bits_torch(rows, batch) if self.mode == "packed" else (rows > 0.5).t().contiguous()

    def _lanes_equal(self, a: Any, b: Any, batch: int) -> Any:
        """Bool (batch,): whether every row of ``a`` equals ``b`` in that lane."""
        if self.mode == "dense":
            return (a == b).all(dim=0) if a.shape[0] else torch.ones(batch, dtype=torch.bool, device=a.device)
        diff = (a ^ b)
        if diff.shape[0] == 0:
            return torch.ones(batch, dtype=torch.bool, device=a.device)
        any_diff = diff[0].clone()
        for k in range(1, diff.shape[0]):
            any_diff |= diff[k]
        return ~unpack_bits_torch(any_diff[None, :], batch)[:, 0]

    def _as_bits(self, x: Any, ndim: int) -> Any:
        if isinstance(x, np.ndarray):
            x = torch.from_numpy(np.ascontiguousarray(x))
        if not isinstance(x, torch.Tensor):
            raise SimulationInputError(f"expected a bool tensor, got {type(x).__name__}")
        want = f"(batch, T, {self.n_x})" if ndim == 3 else f"(batch, {self.n_x})"
        if x.ndim != ndim or x.shape[-1] != self.n_x:
            raise SimulationInputError(f"{self.loop_mode} mode needs x of shape {want}, got {tuple(x.shape)}")
        if x.dtype != torch.bool:
            if x.dtype.is_floating_point or (x.numel() and not bool(((x == 0) | (x == 1)).all())):
                raise SimulationInputError("x must be bool or hold only 0 and 1")
            x = x.to(torch.bool)
        return x.to(self.device)

    def forward(self, x: Any, steps: int | None = None, halt: bool = False) -> TorchLoopRun:
        """Run every lane; the arguments and results are those of ``LoopedCircuit.run``.

        Parameters
        ----------
        x : bool tensor
            Stream mode (batch, T, n_x), the steps being T; loop mode (batch, n_x).
        steps : int, optional
            Loop mode: the number of steps (the most, with ``halt``).
        halt : bool
            Loop mode: stop each lane at its first fixed point.
        """
        if self.loop_mode == "stream":
            if halt:
                raise SimulationInputError("halt applies to loop mode only")
            x = self._as_bits(x, 3)
            batch, T = x.shape[0], x.shape[1]
        else:
            x = self._as_bits(x, 2)
            if steps is None:
                raise SimulationInputError("loop mode needs steps=")
            batch = x.shape[0]
            T = check_int("steps", steps, 1, error=SimulationInputError)
        dev = self.device
        state = self._rows(self.init[None, :].expand(batch, -1))
        steps_used = torch.full((batch,), T, dtype=torch.int64, device=dev)
        done = torch.zeros(batch, dtype=torch.bool, device=dev)
        xs = None if self.loop_mode == "stream" else self._rows(x)
        ys = []
        out = None
        for t in range(T):
            if self.loop_mode == "stream":
                xs = self._rows(x[:, t, :])
            out = self.step.forward_rows(torch.cat([state, xs], dim=0))
            nxt = out[: self.n_state]
            if self.loop_mode == "stream":
                ys.append(self._bits(out[self.n_state :], batch))
            elif halt:
                newly = self._lanes_equal(nxt, state, batch) & ~done
                steps_used = torch.where(newly, torch.full_like(steps_used, t), steps_used)
                done |= newly
                if bool(done.all()):
                    state = nxt
                    break
            state = nxt
        state_bits = self._bits(state, batch)
        if self.loop_mode == "stream":
            outputs = (torch.stack(ys, dim=1) if ys
                       else torch.zeros((batch, 0, self.n_y), dtype=torch.bool, device=dev))
            halted = torch.ones(batch, dtype=torch.bool, device=dev)
        else:
            if self.readout is not None:
                outputs = self._bits(self.readout.forward_rows(state), batch)
            else:
                outputs = self._bits(out[self.n_state :], batch)
            halted = done if halt else torch.ones(batch, dtype=torch.bool, device=dev)
        return TorchLoopRun(outputs=outputs, state=state_bits, steps=steps_used, halted=halted)


