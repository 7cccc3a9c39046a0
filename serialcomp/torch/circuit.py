"""A :class:`~serialcomp.ir.Circuit` compiled into an exact ``torch.nn.Module``: :func:`compile_torch`.

Two views of the same circuit, both bit-exact against the Numba simulator:

* ``mode="packed"``: int64 words of 64 patterns in the simulator's layout, evaluated level by
  level (gather the operand rows, combine them bitwise, write the results); MAJ, THR and MOD use
  bit-sliced carry-save counters, since torch has no popcount. Exact for every circuit.
* ``mode="dense"``: float32 {0, 1} tensors, one layer of threshold units per circuit level (two for
  a level with XOR or MOD gates): every gate is a weighted sum plus a Heaviside step, so a
  constant-depth threshold circuit is literally a fixed-depth network. Exact while each gate's
  weights sum to at most ``2**24`` (refused otherwise). TF32 is turned off while it runs: TF32
  rounds matmul inputs to 10 bits of mantissa, so a weight above 2**11 would no longer be exact.

Both reuse the simulator's lowering (aliasing, constant folding, dead-node removal), see
:mod:`serialcomp.sim._program`.
"""

from __future__ import annotations

import contextlib
from typing import Any, Iterator

import numpy as np

from ..errors import SimulationInputError
from .._validate import check_int
from . import _dense, _packed
from ._levels import level_circuit
from ._tensors import make_views
from .device import require_torch, resolve_device

torch = require_torch()

__all__ = ["TorchCircuit", "compile_torch", "pack_bits_torch", "unpack_bits_torch", "MODES"]

MODES = ("packed", "dense")
_BUDGET = 1 << 28  # bytes of working tensors per block


def pack_bits_torch(bits: Any) -> Any:
    """Bool patterns (batch, n) -> int64 words (n, ceil(batch / 64)), the simulator's layout.

    Example
    -------
    >>> pack_bits_torch(torch.tensor([[True], [False], [True]])).tolist()
    [[5]]
    """
    batch, n = bits.shape
    nw = -(-batch // 64)
    b = torch.zeros((nw * 64, n), dtype=torch.int64, device=bits.device)
    b[:batch] = bits.to(torch.int64)
    b = b.view(nw, 64, n).permute(2, 0, 1)  # (n, nw, 64)
    shifts = torch.arange(64, device=bits.device, dtype=torch.int64)
    return (b << shifts).sum(dim=2)  # disjoint bits: the sum is the OR (bit 63 wraps to the sign)


def unpack_bits_torch(words: Any, batch: int) -> Any:
    """Int64 words (n, n_words) -> bool patterns (batch, n).

    Example
    -------
    >>> unpack_bits_torch(torch.tensor([[5]]), 3).ravel().tolist()
    [True, False, True]
    """
    n, nw = words.shape
    shifts = torch.arange(64, device=words.device, dtype=torch.int64)
    bits = ((words[:, :, None] >> shifts) & 1).view(n, nw * 64)[:, :batch]
    return bits.t().contiguous().to(torch.bool)


@contextlib.contextmanager
def _exact_float32() -> Iterator[None]:
    """No TF32 inside the block: dense mode's sums must be exact float32 (see the module docstring)."""
    saved = (torch.backends.cuda.matmul.allow_tf32, torch.backends.cudnn.allow_tf32, torch.get_float32_matmul_precision())
    torch.backends.cuda.matmul.allow_tf32 = False
    torch.backends.cudnn.allow_tf32 = False
    torch.set_float32_matmul_precision("highest")
    try:
        yield
    finally:
        torch.backends.cuda.matmul.allow_tf32, torch.backends.cudnn.allow_tf32 = saved[0], saved[1]
        torch.set_float32_matmul_precision(saved[2])


class TorchCircuit(torch.nn.Module):
    """A circuit as an exact torch module; build it with :func:`compile_torch`.

    Parameters
    ----------
    circuit : Circuit
    mode : {"packed", "dense"}
    max_block_bytes : int
        Working memory per block of patterns; larger batches run in blocks.

    Attributes
    ----------
    mode : str
    n_inputs, n_outputs : int
    input_names, output_names : tuple of str
    n_levels : int
        Levels evaluated (the depth of the lowered circuit, at most the circuit's depth).
    n_layers : int
        Dense mode: threshold layers of the network (``n_levels`` plus one per level with XOR or
        MOD gates). Packed mode: ``n_levels``.
    n_gates : int
        Gates evaluated after constant folding and dead-node removal.

    Notes
    -----
    Compiling is O(nodes + edges) (the simulator's lowering, then numpy); a forward pass costs
    a few tensor operations per gate group and level, so deep narrow circuits are bound by the
    per-operation overhead, wide ones by memory bandwidth.

    Example
    -------
    >>> from serialcomp.ir import CircuitBuilder
    >>> b = CircuitBuilder(); x = b.input_bus("x", 4)
    >>> b.output(b.xor(*x), "parity"); b.output(b.maj(*x), "maj")
    >>> m = compile_torch(b.build(), mode="dense")
    >>> m(torch.tensor([[1, 1, 0, 1], [1, 0, 0, 0]], dtype=torch.bool)).tolist()
    [[True, True], [True, False]]
    >>> m.n_levels, m.n_layers
    (1, 2)
    """

    def __init__(self, circuit: Any, mode: str = "packed", *, max_block_bytes: int = _BUDGET) -> None:
        super().__init__()
        if mode not in MODES:
            raise SimulationInputError(f"mode must be one of {', '.join(MODES)}, got {mode!r}")
        self.mode = mode
        self.max_block_bytes = check_int("max_block_bytes", max_block_bytes, 1 << 16, error=SimulationInputError)
        leveled = level_circuit(circuit)
        self.n_inputs, self.n_outputs = leveled.n_inputs, leveled.n_outputs
        self.input_names = tuple(circuit.input_names)
        self.output_names = tuple(circuit.output_names)
        self.n_levels, self.n_gates, self.n_slots = leveled.depth, leveled.n_gates, leveled.n_slots
        if mode == "packed":
            flat, self._schedule = _packed.build(leveled)
            self.n_layers = leveled.depth
        else:
            flat, self._schedule, self.n_layers = _dense.build(leveled)
        self._layout = flat.layout
        self._flat_names = []
        for key, arr in flat.buffers().items():
            self.register_buffer(f"_flat_{key}", torch.from_numpy(np.ascontiguousarray(arr)), persistent=False)
            self._flat_names.append(key)
        # the largest gathered tensor of one group, in rows: it bounds the words per block
        self._widest = max([1] + [int(np.prod([d for d in shape if isinstance(d, int)]))
                                  for steps in self._schedule for _, _, shape in steps])
        self._views: list[dict[str, Any]] | None = None

    # views into the flat buffers are rebuilt whenever the buffers move (to(), cuda(), ...)
    def _apply(self, fn: Any, recurse: bool = True) -> "TorchCircuit":
        super()._apply(fn, recurse)
        self._views = None
        return self

    def _group_views(self) -> list[dict[str, Any]]:
        if self._views is None:
            flat = {k: getattr(self, f"_flat_{k}") for k in self._flat_names}
            self._views = make_views(flat, self._layout)
        return self._views

    @property
    def device(self) -> Any:
        """The device the module's tensors are on."""
        return getattr(self, f"_flat_{self._flat_names[0]}").device if self._flat_names else torch.device("cpu")

    def extra_repr(self) -> str:
        return (f"mode={self.mode}, inputs={self.n_inputs}, outputs={self.n_outputs}, gates={self.n_gates}, "
                f"levels={self.n_levels}, layers={self.n_layers}, device={self.device}")

    # ------------------------------------------------------------------ running
    def _as_bits(self, bits: Any) -> Any:
        if isinstance(bits, np.ndarray):
            bits = torch.from_numpy(np.ascontiguousarray(bits))
        if not isinstance(bits, torch.Tensor):
            raise SimulationInputError(f"expected a bool tensor of shape (batch, {self.n_inputs}), got {type(bits).__name__}")
        if bits.ndim != 2 or bits.shape[1] != self.n_inputs:
            raise SimulationInputError(f"expected patterns of shape (batch, {self.n_inputs}), got {tuple(bits.shape)}")
        if bits.dtype != torch.bool:
            if bits.dtype.is_floating_point or bits.dtype.is_complex or (bits.numel() and not bool(((bits == 0) | (bits == 1)).all())):
                raise SimulationInputError(f"expected bool patterns (or 0/1 integers), got {bits.dtype}")
            bits = bits.to(torch.bool)
        return bits.to(self.device)

    def forward(self, bits: Any) -> Any:
        """Evaluate patterns: bool (batch, n_inputs) -> bool (batch, n_outputs), on the module's device."""
        bits = self._as_bits(bits)
        batch = bits.shape[0]
        if self.mode == "packed":
            words = self.forward_words(pack_bits_torch(bits))
            return unpack_bits_torch(words, batch)
        return self._forward_dense(bits)

    def forward_words(self, words: Any) -> Any:
        """Packed mode: int64 words (n_inputs, n_words) -> int64 words (n_outputs, n_words).

        Bit ``j`` of word ``w`` of row ``i`` is input ``i`` of pattern ``64*w + j`` (a numpy uint64
        array in the simulator's layout is accepted and viewed as int64).
        """
        if self.mode != "packed":
            raise SimulationInputError("forward_words needs mode='packed' (dense mode works on bool patterns)")
        if isinstance(words, np.ndarray):
            if words.dtype not in (np.uint64, np.int64):
                raise SimulationInputError(f"expected uint64 or int64 words, got {words.dtype}")
            words = torch.from_numpy(np.ascontiguousarray(words).view(np.int64))
        if not isinstance(words, torch.Tensor) or words.dtype != torch.int64 or words.ndim != 2 or words.shape[0] != self.n_inputs:
            raise SimulationInputError(f"expected int64 words of shape (n_inputs={self.n_inputs}, n_words), got "
                                       f"{getattr(words, 'dtype', type(words).__name__)} {tuple(getattr(words, 'shape', ()))}")
        return self.forward_rows(words.to(self.device))

    def forward_rows(self, rows: Any) -> Any:
        """One row per input in the mode's own representation -> one row per output.

        Packed mode: int64 words (n_inputs, n_words) -> (n_outputs, n_words). Dense mode: float32
        {0, 1} values (n_inputs, batch) -> (n_outputs, batch). No checks: the loop of
        :class:`~serialcomp.torch.looped.TorchLoopedCircuit` calls it once per step.
        """
        width = rows.shape[1]
        views = self._group_views()
        io = views[-1]
        packed = self.mode == "packed"
        dtype = torch.int64 if packed else torch.float32
        out = torch.empty((self.n_outputs, width), dtype=dtype, device=self.device)
        per_column = (8 if packed else 4) * max(self.n_slots, self._widest)
        block = max(1, min(max(width, 1), self.max_block_bytes // per_column))
        budget_rows = max(1, self.max_block_bytes // (8 * block))
        with contextlib.nullcontext() if packed else _exact_float32():
            for a in range(0, width, block):
                b = min(width, a + block)
                # every slot is written before it is read, except the two constant rows
                S = torch.empty((self.n_slots, b - a), dtype=dtype, device=self.device)
                S[0] = 0
                S[1] = -1 if packed else 1.0  # slot 1: the all-ones row
                S.index_copy_(0, io["input_dst"], rows[:, a:b].index_select(0, io["input_slot"]))
                if packed:
                    _packed.run_block(S, views, self._schedule, budget_rows)
                    out[:, a:b] = S.index_select(0, io["out_slot"]) ^ io["out_negm"]
                else:
                    _dense.run_block(S, views, self._schedule)
                    y = S.index_select(0, io["out_slot"])
                    out[:, a:b] = torch.where(io["out_neg"] > 0, 1 - y, y)
        return out

    def _forward_dense(self, bits: Any) -> Any:
        return self.forward_rows(bits.t().to(torch.float32)).t() > 0.5


def compile_torch(circuit: Any, *, mode: str = "packed", device: Any = None, max_block_bytes: int = _BUDGET) -> Any:
    """Compile ``circuit`` into an exact :class:`TorchCircuit` on ``device`` (compile once, run many).

    A :class:`~serialcomp.ir.LoopedCircuit` gives a
    :class:`~serialcomp.torch.looped.TorchLoopedCircuit` (its step and readout compiled alike).

    Parameters
    ----------
    circuit : Circuit or LoopedCircuit
    mode : {"packed", "dense"}
        See the module docstring.
    device : str or torch.device, optional
        ``None``/``"auto"`` (CUDA if a GPU is visible, else the CPU), ``"cpu"``, ``"cuda"``.
    max_block_bytes : int
        Working memory per block of patterns.

    Raises
    ------
    CircuitStructureError
        Dense mode, for a gate whose weights sum to more than ``2**24``.
    TorchUnavailableError
        For ``device="cuda"`` without a GPU.

    Example
    -------
    >>> from serialcomp.ir import CircuitBuilder
    >>> b = CircuitBuilder(); x, y, z = b.inputs(3); b.output(b.thr([x, y, z], [2, 1, 1], 3))
    >>> m = compile_torch(b.build(), device="cpu")
    >>> m(torch.tensor([[1, 1, 0], [0, 1, 1], [1, 0, 1]], dtype=torch.bool)).ravel().tolist()
    [True, False, True]
    """
    from ..ir import LoopedCircuit

    dev = resolve_device(device)
    if isinstance(circuit, LoopedCircuit):
        from .looped import TorchLoopedCircuit

        return TorchLoopedCircuit(circuit, mode, max_block_bytes=max_block_bytes).to(dev)
    return TorchCircuit(circuit, mode, max_block_bytes=max_block_bytes).to(dev)
