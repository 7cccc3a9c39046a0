"""The recurrent model of computation: :class:`LoopedCircuit`.

A step circuit maps ``(state, x)`` to ``(next_state, y)``: its first ``n_state`` inputs are the
state and its first ``n_state`` outputs the next state; the rest are the per-step input ``x`` and
output ``y``.  With ``state_0 = init`` step ``t`` computes ``(state_{t+1}, y_t) = step(state_t, x_t)``.

* **stream** mode feeds one symbol ``x_t`` per step (an RNN, an AIGER circuit with latches); the
  outputs are ``y_0 .. y_{T-1}``.
* **loop** mode re-injects the whole input ``x`` every step (a looped / universal transformer);
  the output is ``readout(state_T)`` when a readout circuit is given, else ``y_{T-1}``.  Lanes may
  stop at a fixed point (the state stops changing), and report how many steps they used.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Sequence

import numpy as np

from ..errors import CircuitStructureError, SimulationInputError
from .builder import CircuitBuilder
from .circuit import Circuit
from .depth import levels

__all__ = ["LoopedCircuit", "LoopRun"]


@dataclass(frozen=True)
class LoopRun:
    """Result of :meth:`LoopedCircuit.run`.

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


class LoopedCircuit:
    """A step circuit with state, an initial state, a mode and an optional readout.

    Parameters
    ----------
    step : Circuit
        Inputs ``(state..., x...)``, outputs ``(next_state..., y...)``.
    n_state : int
        Number of state bits (latches).
    init : sequence of 0/1, optional
        Initial state (default all zeros).
    mode : {"stream", "loop"}
    readout : Circuit, optional
        Loop mode: maps the final state (``n_state`` inputs) to the outputs.

    Notes
    -----
    The serial depth of ``T`` steps is the depth of :meth:`unroll`, computed without building it
    by chaining the levels of the state through ``T`` copies of the step circuit; it is at most
    ``T * step.depth() + readout.depth()``.

    Example
    -------
    >>> b = CircuitBuilder(); s, x = b.input("s"), b.input("x")
    >>> p = b.xor(s, x); b.output(p, "s_next"); b.output(p, "parity")
    >>> acc = LoopedCircuit(b.build(), n_state=1, mode="stream")
    >>> acc.serial_depth(5), acc.unroll(5).depth()
    (5, 5)
    >>> acc.run(np.array([[[1], [0], [1], [1]]], bool)).outputs[0, :, 0].tolist()
    [True, True, False, True]
    """

    def __init__(
        self,
        step: Circuit,
        n_state: int,
        init: Sequence[int] | None = None,
        mode: str = "stream",
        readout: Circuit | None = None,
        x_names: Sequence[str] | None = None,
        state_names: Sequence[str] | None = None,
    ) -> None:
        if mode not in ("stream", "loop"):
            raise CircuitStructureError(f"mode must be 'stream' or 'loop', got {mode!r}")
        n_state = int(n_state)
        if n_state < 0 or n_state > step.n_inputs or n_state > step.n_outputs:
            raise CircuitStructureError(
                f"n_state={n_state} must be at most the step circuit's inputs ({step.n_inputs}) and outputs "
                f"({step.n_outputs})"
            )
        init_arr = np.zeros(n_state, bool) if init is None else np.asarray(init).reshape(-1)
        if len(init_arr) != n_state or not np.all((init_arr == 0) | (init_arr == 1)):
            raise CircuitStructureError(f"init must be {n_state} values of 0 or 1, got {list(init_arr)}")
        if readout is not None and readout.n_inputs != n_state:
            raise CircuitStructureError(f"readout takes the state: {n_state} inputs needed, it has {readout.n_inputs}")
        if x_names is not None or state_names is not None:
            new = list(step.input_names)
            if state_names is not None:
                new[:n_state] = list(state_names)
            if x_names is not None:
                new[n_state:] = list(x_names)
            step = step.rename(inputs=dict(zip(step.input_names, new)))
        self.step = step
        self.n_state = n_state
        self.init = tuple(int(v) for v in init_arr)
        self.mode = mode
        self.readout = readout
        self._compiled: Any = None
        self._compiled_readout: Any = None

    # ------------------------------------------------------------------ shape
    @property
    def n_x(self) -> int:
        return self.step.n_inputs - self.n_state

    @property
    def n_y(self) -> int:
        return self.step.n_outputs - self.n_state

    @property
    def x_names(self) -> tuple[str, ...]:
        return self.step.input_names[self.n_state :]

    @property
    def y_names(self) -> tuple[str, ...]:
        return self.step.output_names[self.n_state :]

    @property
    def state_names(self) -> tuple[str, ...]:
        return self.step.input_names[: self.n_state]

    def __repr__(self) -> str:
        return (
            f"LoopedCircuit(mode={self.mode!r}, state={self.n_state}, x={self.n_x}, y={self.n_y}, "
            f"step_gates={self.step.n_gates}, step_depth={self.step.depth()})"
        )

    # ------------------------------------------------------------------ depth
    def serial_depth(self, steps: int, fanin: int | None = None, count_inverters: bool = False) -> int:
        """Depth of :meth:`unroll` ``(steps)`` without building it (levels chained through the steps)."""
        steps = self._check_steps(steps)
        st = self.step
        state_lv = np.zeros(self.n_state, np.int64)
        deepest = 0
        for t in range(steps):
            start = np.concatenate([state_lv, np.zeros(self.n_x, np.int64)])
            lv = levels(st, fanin=fanin, count_inverters=count_inverters, input_levels=start)
            out_lv = lv[st.outputs >> 1]
            state_lv = out_lv[: self.n_state]
            if self.mode == "stream" or (t == steps - 1 and self.readout is None):
                if self.n_y:
                    deepest = max(deepest, int(out_lv[self.n_state :].max()))
        if self.mode == "loop" and self.readout is not None:
            lv = levels(self.readout, fanin=fanin, count_inverters=count_inverters, input_levels=state_lv)
            if self.readout.n_outputs:
                deepest = max(deepest, int(lv[self.readout.outputs >> 1].max()))
        return deepest

    def step_depth(self) -> int:
        """Depth of one step (any input to any output)."""
        return self.step.depth()

    @staticmethod
    def _check_steps(steps: int) -> int:
        if isinstance(steps, bool) or not isinstance(steps, (int, np.integer)) or steps < 1:
            raise CircuitStructureError(f"steps must be a positive integer, got {steps!r}")
        return int(steps)

    def unroll(self, steps: int) -> Circuit:
        """A plain Circuit computing ``steps`` steps from the initial state.

        Stream mode: inputs ``x@0 .. x@{T-1}`` (each ``x`` name suffixed with ``@t``), outputs
        ``y@t`` for every step.  Loop mode: inputs ``x`` once, outputs the readout of the final
        state (or ``y`` of the last step).

        Notes
        -----
        Size is ``steps * step.n_gates`` (+ the readout); depth equals :meth:`serial_depth`.
        """
        steps = self._check_steps(steps)
        b = CircuitBuilder()
        if self.mode == "loop":
            xs = [b.input(n) for n in self.x_names]
        state = [int(v) for v in self.init]  # literals 0/1 are the constants
        for t in range(steps):
            if self.mode == "stream":
                xs = [b.input(f"{n}@{t}") for n in self.x_names]
            outs = b.copy_from(self.step, state + xs)
            state, ys = outs[: self.n_state], outs[self.n_state :]
            if self.mode == "stream":
                for n, l in zip(self.y_names, ys):
                    b.output(l, f"{n}@{t}")
        if self.mode == "loop":
            if self.readout is not None:
                for n, l in zip(self.readout.output_names, b.copy_from(self.readout, state)):
                    b.output(l, n)
            else:
                for n, l in zip(self.y_names, ys):
                    b.output(l, n)
        return b.build()

    # ------------------------------------------------------------------ simulation
    def _step_sim(self, threads: int = 1) -> Any:
        if threads != 1:
            cache = self.__dict__.setdefault("_compiled_threads", {})
            if threads not in cache:
                cache[threads] = self.step.compile(threads=threads)
            return cache[threads]
        if self._compiled is None:
            self._compiled = self.step.compile()
        return self._compiled

    def run(self, x: Any, steps: int | None = None, halt: bool = False, threads: int = 1) -> LoopRun:
        """Simulate every lane bit-parallel.

        Parameters
        ----------
        x : bool array
            Stream mode: (batch, T, n_x); the number of steps is T.  Loop mode: (batch, n_x).
        steps : int, optional
            Loop mode: the number of steps (with ``halt``, the most steps).
        halt : bool
            Loop mode: stop each lane at its first fixed point and report its step count.
        threads : int
            Threads for the step circuit's simulator (see :class:`serialcomp.sim.CompiledCircuit`).
        """
        from ..sim import pack_bits, unpack_bits

        x = np.asarray(x)
        if x.dtype != np.bool_:
            if not np.all((x == 0) | (x == 1)):
                raise SimulationInputError("x must be bool or hold only 0 and 1")
            x = x.astype(bool)
        sim = self._step_sim(threads)
        if self.mode == "stream":
            if x.ndim != 3 or x.shape[2] != self.n_x:
                raise SimulationInputError(f"stream mode needs x of shape (batch, T, {self.n_x}), got {x.shape}")
            batch, T = x.shape[0], x.shape[1]
            if halt:
                raise SimulationInputError("halt applies to loop mode only")
        else:
            if x.ndim != 2 or x.shape[1] != self.n_x:
                raise SimulationInputError(f"loop mode needs x of shape (batch, {self.n_x}), got {x.shape}")
            if steps is None:
                raise SimulationInputError("loop mode needs steps=")
            batch, T = x.shape[0], self._check_steps(steps)
        n_words = max(1, (batch + 63) // 64)
        words = np.zeros((self.step.n_inputs, n_words), np.uint64)
        ones = np.uint64(0xFFFFFFFFFFFFFFFF)
        for k, v in enumerate(self.init):
            words[k] = ones if v else 0
        if self.mode == "loop" and self.n_x:
            words[self.n_state :] = pack_bits(x)
        steps_used = np.full(n_words * 64, T, np.int64)
        done = np.zeros(n_words, np.uint64)
        if batch % 64:
            # Padding lanes of the last word count as done, or a partial word could never finish early.
            done[-1] = ~np.uint64((1 << (batch % 64)) - 1)
        ys = []
        out = None
        for t in range(T):
            if self.mode == "stream" and self.n_x:
                words[self.n_state :] = pack_bits(x[:, t, :])
            out = sim.run(words)
            nxt = out[: self.n_state]
            if self.mode == "stream":
                ys.append(unpack_bits(out[self.n_state :], batch))
            elif halt:
                same = ~np.bitwise_or.reduce(nxt ^ words[: self.n_state], axis=0) if self.n_state else ~done
                newly = same & ~done
                if np.any(newly):
                    bits = np.unpackbits(newly.view(np.uint8), bitorder="little").astype(bool)
                    steps_used[bits] = t
                    done |= newly
                if np.all(done == ones):
                    words[: self.n_state] = nxt
                    break
            words[: self.n_state] = nxt
        state = unpack_bits(words[: self.n_state], batch) if self.n_state else np.zeros((batch, 0), bool)
        if self.mode == "stream":
            outputs = np.stack(ys, axis=1) if ys else np.zeros((batch, 0, self.n_y), bool)
            halted = np.ones(batch, bool)
        else:
            if self.readout is not None:
                if self._compiled_readout is None:
                    self._compiled_readout = self.readout.compile()
                outputs = unpack_bits(self._compiled_readout.run(words[: self.n_state].copy()), batch)
            else:
                outputs = unpack_bits(out[self.n_state :], batch)
            if halt:
                halted = np.unpackbits(done.view(np.uint8), bitorder="little").astype(bool)[:batch]
            else:
                halted = np.ones(batch, bool)
        return LoopRun(outputs=outputs, state=state, steps=steps_used[:batch].copy(), halted=halted)
