"""Hypothesis strategies for circuits, shipped for users' tests as well as ours (as in py-aiger).

Example
-------
>>> from hypothesis import given, settings
>>> @settings(max_examples=5, deadline=None)
... @given(circuits(max_inputs=4, max_gates=6))
... def check(c):
...     assert c.n_inputs <= 4 and c.n_gates <= 6
>>> check()
"""

from __future__ import annotations

from typing import Sequence

import numpy as np
from hypothesis import strategies as st

from ..ir import Circuit, CircuitBuilder, GateKind, LoopedCircuit

__all__ = ["circuits", "aigs", "looped_circuits", "gate_kinds", "patterns", "ALL_GATE_KINDS"]

ALL_GATE_KINDS: tuple[GateKind, ...] = (
    GateKind.AND, GateKind.OR, GateKind.XOR, GateKind.MAJ, GateKind.THR, GateKind.MOD, GateKind.BUF,
)


def gate_kinds() -> st.SearchStrategy[GateKind]:
    """Any gate kind a builder accepts."""
    return st.sampled_from(ALL_GATE_KINDS)


@st.composite
def circuits(
    draw: st.DrawFn,
    min_inputs: int = 1,
    max_inputs: int = 8,
    max_gates: int = 24,
    max_outputs: int = 4,
    kinds: Sequence[GateKind] = ALL_GATE_KINDS,
    max_fanin: int = 6,
    max_weight: int = 5,
    max_modulus: int = 5,
) -> Circuit:
    """Random valid circuits over the given gate kinds.

    Fan-ins are drawn among all earlier literals (constants included, negated or not), THR weights
    in ``[-max_weight, max_weight]`` with thresholds around the reachable range, MOD moduli in
    ``[2, max_modulus]``.  Outputs may be any literal, the constants included.
    """
    b = CircuitBuilder()
    n_in = draw(st.integers(min_inputs, max_inputs))
    lits = [0] + b.inputs(n_in)
    n_gates = draw(st.integers(0, max_gates))
    for _ in range(n_gates):
        kind = draw(st.sampled_from(list(kinds)))
        lo = 1 if kind in (GateKind.BUF, GateKind.MAJ) else 0
        hi = 1 if kind == GateKind.BUF else max_fanin
        f = draw(st.integers(lo, hi))
        fan = [draw(st.sampled_from(lits)) ^ draw(st.integers(0, 1)) for _ in range(f)]
        if kind == GateKind.THR:
            w = [draw(st.integers(-max_weight, max_weight)) for _ in range(f)]
            t = draw(st.integers(sum(x for x in w if x < 0) - 1, sum(x for x in w if x > 0) + 1))
            lits.append(b.thr(fan, w, t))
        elif kind == GateKind.MOD:
            lits.append(b.mod(fan, draw(st.integers(2, max_modulus))))
        else:
            lits.append(b.gate(kind, fan))
    n_out = draw(st.integers(1, max_outputs))
    for k in range(n_out):
        # Bias towards late nodes so most outputs depend on gates.
        idx = draw(st.integers(0, len(lits) - 1) | st.just(len(lits) - 1 - min(k, len(lits) - 1)))
        b.output(lits[idx] ^ draw(st.integers(0, 1)))
    return b.build()


def aigs(min_inputs: int = 1, max_inputs: int = 8, max_gates: int = 32, max_outputs: int = 4) -> st.SearchStrategy[Circuit]:
    """Random and-inverter graphs (2-input ANDs only)."""

    @st.composite
    def _aig(draw: st.DrawFn) -> Circuit:
        b = CircuitBuilder()
        lits = [0] + b.inputs(draw(st.integers(min_inputs, max_inputs)))
        for _ in range(draw(st.integers(0, max_gates))):
            x = draw(st.sampled_from(lits)) ^ draw(st.integers(0, 1))
            y = draw(st.sampled_from(lits)) ^ draw(st.integers(0, 1))
            lits.append(b.and_(x, y))
        for _ in range(draw(st.integers(1, max_outputs))):
            b.output(draw(st.sampled_from(lits)) ^ draw(st.integers(0, 1)))
        return b.build()

    return _aig()


@st.composite
def looped_circuits(
    draw: st.DrawFn,
    mode: str | None = None,
    max_inputs: int = 6,
    max_gates: int = 14,
    max_outputs: int = 5,
    readout: bool | None = None,
) -> LoopedCircuit:
    """Random looped circuits: a random step circuit (see :func:`circuits`), a state of up to
    ``min(inputs, outputs)`` bits, a random initial state, the mode (random unless given) and, in
    loop mode, a random readout circuit on the state (sometimes; always with ``readout=True``,
    never with ``readout=False``).

    Example
    -------
    >>> from hypothesis import given, settings
    >>> @settings(max_examples=5, deadline=None)
    ... @given(looped_circuits(mode="loop", readout=True))
    ... def check(lc):
    ...     assert lc.mode == "loop" and lc.readout.n_inputs == lc.n_state
    >>> check()
    """
    step = draw(circuits(min_inputs=1, max_inputs=max_inputs, max_gates=max_gates, max_outputs=max_outputs))
    n_state = draw(st.integers(1 if readout else 0, min(step.n_inputs, step.n_outputs)))
    init = draw(st.lists(st.integers(0, 1), min_size=n_state, max_size=n_state))
    mode = mode or draw(st.sampled_from(["stream", "loop"]))
    out = None
    with_readout = readout if readout is not None else draw(st.booleans())
    if mode == "loop" and with_readout and n_state:
        r = draw(circuits(min_inputs=n_state, max_inputs=n_state, max_gates=6, max_outputs=3))
        out = r.rename(outputs={n: f"r{n}" for n in r.output_names})
    return LoopedCircuit(step, n_state, init, mode=mode, readout=out)


def patterns(n_inputs: int, min_batch: int = 1, max_batch: int = 200) -> st.SearchStrategy[np.ndarray]:
    """Bool pattern arrays of shape (batch, n_inputs)."""

    @st.composite
    def _p(draw: st.DrawFn) -> np.ndarray:
        batch = draw(st.integers(min_batch, max_batch))
        seed = draw(st.integers(0, 2**32 - 1))
        return np.random.default_rng(seed).random((batch, n_inputs)) < 0.5

    return _p()
