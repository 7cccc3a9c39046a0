"""Simulating looped circuits: :class:`LoopedSimulator` (the step loop, halting) and :class:`LoopRun`.

A :class:`~serialcomp.ir.looped.LoopedCircuit` is compiled once into a :class:`LoopedSimulator`:
the step circuit (and readout) become :class:`~serialcomp.sim.CompiledCircuit` programs, and
:meth:`LoopedSimulator.run` steps every lane bit-parallel, 64 lanes per uint64 word, reusing its
buffers across steps.  ``LoopedCircuit.run`` goes through :func:`simulator_for`, which keeps one
simulator per (looped circuit, threads) in a cache keyed weakly by the circuit, so the frozen
circuit holds no cache itself.

Halting (loop mode): a lane halts at the first step ``t`` whose next state equals its state
(``state_{t+1} == state_t``), a fixed point, and reports ``t`` steps used; lanes of a word keep
stepping (their state no longer changes, so their results are those of the fixed point) until
every lane of the batch has halted or the step budget is spent.

Example
-------
>>> import numpy as np
>>> from serialcomp.ir import CircuitBuilder, LoopedCircuit
>>> b = CircuitBuilder(); s, x = b.input("s"), b.input("x"); b.output(b.or_(s, x), "s'")
>>> sim = LoopedCircuit(b.build(), 1, mode="loop").compile()
>>> r = sim.run(np.array([[0], [1]], bool), steps=5, halt=True)
>>> r.state[:, 0].tolist(), r.steps.tolist(), r.halted.tolist()
([False, True], [0, 1], [True, True])
"""

from __future__ import annotations

import weakref
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np

from .._validate import check_bool, check_int
from ..errors import SimulationInputError
from .compiled import CompiledCircuit
from .packing import n_words_for, pack_bits, unpack_bits

if TYPE_CHECKING:  # pragma: no cover
    from ..ir.looped import LoopedCircuit

__all__ = ["LoopRun", "LoopedSimulator", "simulator_for"]

_ONES = np.uint64(0xFFFFFFFFFFFFFFFF)


@dataclass(frozen=True)
class LoopRun:
    """Result of :meth:`LoopedCircuit.run <serialcomp.ir.looped.LoopedCircuit.run>`.

    Attributes
    ----------
    outputs : bool array
        Stream mode: (batch, T, n_y).  Loop mode: (batch, n_out) (readout or last ``y``).
    state : bool array, shape (batch, n_state)
        The final state of every lane.
    steps : int64 array, shape (batch,)
        Steps each lane used: in loop mode with halting, the first ``t`` with
        ``state_t == state_{t+1}`` (the steps that changed the state); else the steps run.
    halted : bool array, shape (batch,)
        Whether the lane reached a fixed point (always True without halting).
    """

    outputs: np.ndarray
    state: np.ndarray
    steps: np.ndarray
    halted: np.ndarray


def _as_bits(x: Any) -> np.ndarray:
    x = np.asarray(x)
    if x.dtype != np.bool_:
        if x.dtype.kind not in "iuf" or (x.size and not np.all((x == 0) | (x == 1))):
            raise SimulationInputError("x must be bool or hold only 0 and 1")
        x = x != 0
    return x


class LoopedSimulator:
    """A :class:`~serialcomp.ir.looped.LoopedCircuit` compiled for bit-parallel simulation.

    Parameters
    ----------
    looped : LoopedCircuit
    threads : int
        Threads of the step circuit's simulator (see :class:`~serialcomp.sim.CompiledCircuit`).

    Notes
    -----
    Compiling costs O(size of the step and readout circuits).  A run of ``T`` steps on ``batch``
    lanes costs ``T`` runs of the step program on ``ceil(batch / 64)`` words, plus packing the
    inputs once (one Numba pass, :func:`~serialcomp.sim.pack_bits`) and unpacking the outputs once;
    the buffers (state words, outputs) are allocated once per run.  Memory: the packed inputs
    (``T * n_x`` rows in stream mode) and outputs, 1/8 of the bool arrays, plus the bool result.

    The simulator holds the compiled programs and the shape of the looped circuit, not the circuit
    itself, so a cache of simulators keyed weakly by circuits (:func:`simulator_for`) frees both.

    Example
    -------
    >>> import numpy as np
    >>> from serialcomp.ir import CircuitBuilder, LoopedCircuit
    >>> b = CircuitBuilder(); s, x = b.input("s"), b.input("x")
    >>> p = b.xor(s, x); b.output(p, "s'"); b.output(p, "parity")
    >>> sim = LoopedCircuit(b.build(), 1, mode="stream").compile()
    >>> sim.run(np.array([[[1], [1], [0]]], bool)).outputs[0, :, 0].tolist()
    [True, False, False]
    """

    def __init__(self, looped: "LoopedCircuit", *, threads: int = 1) -> None:
        threads = check_int("threads", threads, 1, error=SimulationInputError)
        self.mode: str = looped.mode
        self.n_state: int = looped.n_state
        self.n_x: int = looped.n_x
        self.n_y: int = looped.n_y
        self.init: tuple[int, ...] = looped.init
        self.threads = threads
        self.step_sim = CompiledCircuit(looped.step, threads=threads)
        self.readout_sim = None if looped.readout is None else CompiledCircuit(looped.readout, threads=threads)

    def __repr__(self) -> str:
        return (f"LoopedSimulator(mode={self.mode!r}, state={self.n_state}, x={self.n_x}, y={self.n_y}, "
                f"step_instructions={self.step_sim.n_instructions}, threads={self.threads})")

    def _check(self, x: Any, steps: Any, halt: Any) -> tuple[np.ndarray, int, bool]:
        x = _as_bits(x)
        halt = check_bool("halt", halt, error=SimulationInputError)
        if self.mode == "stream":
            if x.ndim != 3 or x.shape[2] != self.n_x:
                raise SimulationInputError(f"stream mode needs x of shape (batch, T, {self.n_x}), got {x.shape}")
            if halt:
                raise SimulationInputError("halt applies to loop mode only")
            if steps is not None and check_int("steps", steps, 1, error=SimulationInputError) != x.shape[1]:
                raise SimulationInputError(
                    f"stream mode runs one step per input symbol: x has T = {x.shape[1]}, steps={steps!r}")
            return x, x.shape[1], False
        if x.ndim != 2 or x.shape[1] != self.n_x:
            raise SimulationInputError(f"loop mode needs x of shape (batch, {self.n_x}), got {x.shape}")
        if steps is None:
            raise SimulationInputError("loop mode needs steps=")
        return x, check_int("steps", steps, 1, error=SimulationInputError), halt

    def run(self, x: Any, steps: int | None = None, halt: bool = False) -> LoopRun:
        """Simulate every lane bit-parallel.

        Parameters
        ----------
        x : bool array (or 0/1 integers)
            Stream mode: (batch, T, n_x); the number of steps is T.  Loop mode: (batch, n_x).
        steps : int, optional
            Loop mode: the number of steps (with ``halt``, the most).  Stream mode: T (optional).
        halt : bool
            Loop mode: stop each lane at its first fixed point and report its step count.

        Returns
        -------
        LoopRun

        Raises
        ------
        SimulationInputError
            A wrong shape or dtype of ``x``, ``steps`` missing in loop mode or not an integer >= 1,
            ``halt`` in stream mode.
        """
        x, T, halt = self._check(x, steps, halt)
        batch = x.shape[0]
        n_state, n_x, n_y = self.n_state, self.n_x, self.n_y
        nw = max(1, n_words_for(batch))
        words = np.empty((n_state + n_x, nw), np.uint64)
        for k, v in enumerate(self.init):
            words[k] = _ONES if v else 0
        if self.mode == "loop":
            xw = None
            words[n_state:] = _pack(x, nw)
        else:
            # All steps packed in one pass: (batch, T, n_x) is (batch, T * n_x) without a copy.
            xw = _pack(np.ascontiguousarray(x).reshape(batch, T * n_x), nw).reshape(T, n_x, nw)
        out = np.empty((n_state + n_y, nw), np.uint64)
        ys = np.empty((T, n_y, nw), np.uint64) if self.mode == "stream" else None
        steps_used = np.full(nw * 64, T, np.int64)
        done = np.zeros(nw, np.uint64)
        if batch % 64:
            # Padding lanes of the last word count as done, or a partial word could never finish early.
            done[-1] = ~np.uint64((1 << (batch % 64)) - 1)
        sim = self.step_sim
        for t in range(T):
            if xw is not None:
                words[n_state:] = xw[t]
            sim.run(words, out=out)
            nxt = out[:n_state]
            if ys is not None:
                ys[t] = out[n_state:]
            elif halt:
                if n_state:
                    same = ~np.bitwise_or.reduce(nxt ^ words[:n_state], axis=0)
                else:
                    same = np.full(nw, _ONES)
                newly = same & ~done
                if np.any(newly):
                    bits = np.unpackbits(newly.view(np.uint8), bitorder="little").astype(bool)
                    steps_used[bits] = t
                    done |= newly
                if np.all(done == _ONES):
                    words[:n_state] = nxt
                    break
            words[:n_state] = nxt
        state = unpack_bits(words[:n_state], batch) if n_state else np.zeros((batch, 0), bool)
        if ys is not None:
            outputs = unpack_bits(ys.reshape(T * n_y, nw), batch).reshape(batch, T, n_y)
            halted = np.ones(batch, bool)
        else:
            if self.readout_sim is not None:
                outputs = unpack_bits(self.readout_sim.run(np.ascontiguousarray(words[:n_state])), batch)
            else:
                outputs = unpack_bits(np.ascontiguousarray(out[n_state:]), batch)
            if halt:
                halted = np.unpackbits(done.view(np.uint8), bitorder="little").astype(bool)[:batch]
            else:
                halted = np.ones(batch, bool)
        return LoopRun(outputs=outputs, state=state, steps=steps_used[:batch].copy(), halted=halted)


def _pack(bits: np.ndarray, nw: int) -> np.ndarray:
    """``pack_bits`` with at least ``nw`` words (an empty batch still has one word of padding)."""
    words = pack_bits(bits)
    if words.shape[1] == nw:
        return words
    full = np.zeros((words.shape[0], nw), np.uint64)
    full[:, : words.shape[1]] = words
    return full


_CACHE: "weakref.WeakKeyDictionary[LoopedCircuit, dict[int, LoopedSimulator]]" = weakref.WeakKeyDictionary()


def simulator_for(looped: "LoopedCircuit", threads: int = 1) -> LoopedSimulator:
    """The :class:`LoopedSimulator` of ``looped`` for ``threads``, compiled on first use and cached.

    The cache is keyed weakly by the (frozen, hashable) looped circuit: an entry lives as long as
    the circuit, and equal circuits share one simulator.

    Example
    -------
    >>> from serialcomp.ir import CircuitBuilder, LoopedCircuit
    >>> b = CircuitBuilder(); s = b.input("s"); b.output(s ^ 1, "s'")
    >>> lc = LoopedCircuit(b.build(), 1, mode="loop")
    >>> simulator_for(lc) is simulator_for(lc)
    True
    """
    threads = check_int("threads", threads, 1, error=SimulationInputError)
    per = _CACHE.get(looped)
    if per is None:
        per = _CACHE[looped] = {}
    sim = per.get(threads)
    if sim is None:
        sim = per[threads] = LoopedSimulator(looped, threads=threads)
    return sim
