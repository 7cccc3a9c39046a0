"""The recurrent model of computation: the frozen :class:`LoopedCircuit`.

A step circuit maps ``(state, x)`` to ``(next_state, y)``: its first ``n_state`` inputs are the
state and its first ``n_state`` outputs the next state; the rest are the per-step input ``x`` and
output ``y``.  With ``state_0 = init`` step ``t`` computes ``(state_{t+1}, y_t) = step(state_t, x_t)``.

* **stream** mode feeds one symbol ``x_t`` per step (an RNN, an AIGER circuit with latches); the
  outputs are ``y_0 .. y_{T-1}``.
* **loop** mode re-injects the whole input ``x`` every step (a looped / universal transformer);
  the output is ``readout(state_T)`` when a readout circuit is given, else ``y_{T-1}``.  Lanes may
  stop at a fixed point (the state stops changing), and report how many steps they used.

This module holds the object only: its shape, its serial depth, its unrolling and its composition
(``>>`` and ``|``, see :mod:`serialcomp.ir.compose`).  Simulation is in :mod:`serialcomp.sim.looped`;
:meth:`LoopedCircuit.run` and :meth:`LoopedCircuit.compile` import it when called, so importing
:mod:`serialcomp.ir` never imports :mod:`serialcomp.sim`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Sequence

import numpy as np

from .._validate import check_int
from ..errors import CircuitStructureError
from .builder import CircuitBuilder
from .circuit import Circuit
from .depth import levels

if TYPE_CHECKING:  # pragma: no cover
    from ..sim.looped import LoopedSimulator, LoopRun

__all__ = ["LoopedCircuit", "LoopRun", "MODES"]

#: The two modes of a looped circuit.
MODES = ("stream", "loop")


def __getattr__(name: str) -> Any:
    # LoopRun moved to serialcomp.sim.looped (it is a simulation result); the old path still works
    # without this module importing the simulator when it is itself imported.
    if name == "LoopRun":
        from ..sim.looped import LoopRun

        return LoopRun
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


class LoopedCircuit:
    """A step circuit with state, an initial state, a mode and an optional readout (frozen).

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
        Loop mode only: maps the final state (``n_state`` inputs, by position) to the outputs.
    x_names, state_names : sequence of str, optional
        Rename the step circuit's x or state inputs.

    Attributes
    ----------
    step, n_state, init, mode, readout
        As given (``init`` a tuple of ints).  A LoopedCircuit is frozen: assigning an attribute
        raises :class:`AttributeError`; it is hashable, compares by value and pickles.

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

    __slots__ = ("step", "n_state", "init", "mode", "readout", "_hash", "__weakref__")

    step: Circuit
    n_state: int
    init: tuple[int, ...]
    mode: str
    readout: Circuit | None

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
        if not isinstance(step, Circuit):
            raise CircuitStructureError(f"the step of a LoopedCircuit must be a Circuit, got {type(step).__name__}")
        if mode not in MODES:
            raise CircuitStructureError(f"mode must be 'stream' or 'loop', got {mode!r}")
        n_state = check_int("n_state", n_state, 0, min(step.n_inputs, step.n_outputs),
                            where=f"a step circuit of {step.n_inputs} inputs and {step.n_outputs} outputs",
                            error=CircuitStructureError)
        init_arr = np.zeros(n_state, np.int64) if init is None else np.asarray(init).reshape(-1)
        if (len(init_arr) != n_state or init_arr.dtype.kind not in "biuf"
                or not np.all((init_arr == 0) | (init_arr == 1))):
            raise CircuitStructureError(f"init must be {n_state} values of 0 or 1, got {list(init_arr)}")
        if readout is not None:
            if not isinstance(readout, Circuit):
                raise CircuitStructureError(f"readout must be a Circuit, got {type(readout).__name__}")
            if mode != "loop":
                raise CircuitStructureError("a readout applies to loop mode only (stream mode outputs y every step)")
            if readout.n_inputs != n_state:
                raise CircuitStructureError(
                    f"readout takes the state: {n_state} inputs needed, it has {readout.n_inputs}")
        if x_names is not None or state_names is not None:
            new = list(step.input_names)
            if state_names is not None:
                new[:n_state] = list(state_names)
            if x_names is not None:
                new[n_state:] = list(x_names)
            if len(new) != step.n_inputs:
                raise CircuitStructureError(
                    f"x_names/state_names: {len(new)} names for the step circuit's {step.n_inputs} inputs")
            step = step._replace(input_names=new)
        setf = object.__setattr__  # the one place fields are set: frozen afterwards
        setf(self, "step", step)
        setf(self, "n_state", n_state)
        setf(self, "init", tuple(int(v) for v in init_arr))
        setf(self, "mode", mode)
        setf(self, "readout", readout)
        setf(self, "_hash", hash((step, n_state, self.init, mode, readout)))

    # ------------------------------------------------------------------ shape
    @property
    def n_x(self) -> int:
        """Inputs per step (the step circuit's inputs after the state)."""
        return self.step.n_inputs - self.n_state

    @property
    def n_y(self) -> int:
        """Outputs per step (the step circuit's outputs after the next state)."""
        return self.step.n_outputs - self.n_state

    @property
    def x_names(self) -> tuple[str, ...]:
        """Names of the per-step inputs."""
        return self.step.input_names[self.n_state :]

    @property
    def y_names(self) -> tuple[str, ...]:
        """Names of the per-step outputs."""
        return self.step.output_names[self.n_state :]

    @property
    def state_names(self) -> tuple[str, ...]:
        """Names of the state inputs."""
        return self.step.input_names[: self.n_state]

    @property
    def next_names(self) -> tuple[str, ...]:
        """Names of the next-state outputs."""
        return self.step.output_names[: self.n_state]

    @property
    def output_names(self) -> tuple[str, ...]:
        """Names of what a run outputs: the readout's outputs (loop mode with a readout), else ``y``."""
        return self.readout.output_names if self.readout is not None else self.y_names

    @property
    def n_outputs(self) -> int:
        """Number of outputs of a run (per step in stream mode)."""
        return len(self.output_names)

    def __repr__(self) -> str:
        return (
            f"LoopedCircuit(mode={self.mode!r}, state={self.n_state}, x={self.n_x}, y={self.n_y}, "
            f"step_gates={self.step.n_gates}, step_depth={self.step.depth()}"
            + (f", readout_gates={self.readout.n_gates}" if self.readout is not None else "") + ")"
        )

    # ------------------------------------------------------------------ value semantics
    def __setattr__(self, name: str, value: Any) -> None:
        raise AttributeError(f"LoopedCircuit is frozen; cannot set {name!r}. Build a new LoopedCircuit instead")

    def __delattr__(self, name: str) -> None:
        raise AttributeError(f"LoopedCircuit is frozen; cannot delete {name!r}")

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, LoopedCircuit):
            return NotImplemented
        return (self._hash == other._hash and self.n_state == other.n_state and self.init == other.init
                and self.mode == other.mode and self.step == other.step and self.readout == other.readout)

    def __hash__(self) -> int:
        return self._hash

    def __reduce__(self) -> tuple[Any, ...]:
        return LoopedCircuit, (self.step, self.n_state, self.init, self.mode, self.readout)

    # ------------------------------------------------------------------ depth
    def serial_depth(self, steps: int, fanin: int | None = None, count_inverters: bool = False) -> int:
        """Depth of :meth:`unroll` ``(steps)`` without building it (levels chained through the steps).

        Example
        -------
        >>> b = CircuitBuilder(); s, x = b.input("s"), b.input("x"); b.output(b.and_(s, x), "s'")
        >>> LoopedCircuit(b.build(), 1, init=[1], mode="loop").serial_depth(4)
        0
        """
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
    def _check_steps(steps: Any) -> int:
        return check_int("steps", steps, 1, error=CircuitStructureError)

    def unroll(self, steps: int) -> Circuit:
        """A plain Circuit computing ``steps`` steps from the initial state.

        Stream mode: inputs ``x@0 .. x@{T-1}`` (each ``x`` name suffixed with ``@t``), outputs
        ``y@t`` for every step.  Loop mode: inputs ``x`` once, outputs the readout of the final
        state (or ``y`` of the last step).

        Notes
        -----
        Size is ``steps * step.n_gates`` (+ the readout); depth equals :meth:`serial_depth`.

        Example
        -------
        >>> b = CircuitBuilder(); s, x = b.input("s"), b.input("x"); b.output(b.xor(s, x), "s'")
        >>> b.output(s, "y"); u = LoopedCircuit(b.build(), 1, mode="stream").unroll(3)
        >>> u.input_names, u.output_names
        (('x@0', 'x@1', 'x@2'), ('y@0', 'y@1', 'y@2'))
        """
        steps = self._check_steps(steps)
        b = CircuitBuilder()
        xs: list[int] = []
        ys: list[int] = []
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

    # ------------------------------------------------------------------ composition
    def __rshift__(self, other: "Circuit | LoopedCircuit") -> "LoopedCircuit":
        from .compose import series

        return series(self, other)

    def __rrshift__(self, other: Circuit) -> "LoopedCircuit":
        from .compose import series

        return series(other, self)

    def __or__(self, other: "Circuit | LoopedCircuit") -> "LoopedCircuit":
        from .compose import parallel

        return parallel(self, other)

    def __ror__(self, other: Circuit) -> "LoopedCircuit":
        from .compose import parallel

        return parallel(other, self)

    # ------------------------------------------------------------------ simulation (in serialcomp.sim)
    def compile(self, threads: int = 1) -> "LoopedSimulator":
        """The simulator of this looped circuit; see :class:`serialcomp.sim.LoopedSimulator`."""
        from ..sim.looped import LoopedSimulator

        return LoopedSimulator(self, threads=threads)

    def run(self, x: Any, steps: int | None = None, halt: bool = False, threads: int = 1) -> "LoopRun":
        """Simulate every lane bit-parallel; see :meth:`serialcomp.sim.LoopedSimulator.run`.

        Parameters
        ----------
        x : bool array
            Stream mode: (batch, T, n_x); the number of steps is T.  Loop mode: (batch, n_x).
        steps : int, optional
            Loop mode: the number of steps (with ``halt``, the most).
        halt : bool
            Loop mode: stop each lane at its first fixed point and report its step count.
        threads : int
            Threads for the step circuit's simulator (see :class:`serialcomp.sim.CompiledCircuit`).

        Notes
        -----
        The compiled step circuit is kept in a cache beside the simulator (keyed weakly by this
        object), so repeated runs compile once.
        """
        from ..sim.looped import simulator_for

        return simulator_for(self, threads).run(x, steps=steps, halt=halt)
