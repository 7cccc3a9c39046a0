"""Series and parallel composition compute the composed functions."""

import numpy as np
import pytest

from serialcomp.errors import CircuitStructureError
from serialcomp.ir import CircuitBuilder
from serialcomp.testing.reference import evaluate_reference


def _half_adder():
    b = CircuitBuilder(); a, c = b.input("a"), b.input("b")
    b.output(b.xor(a, c), "s"); b.output(b.and_(a, c), "c")
    return b.build()


def test_series_by_name_function_and_depth():
    ha = _half_adder()
    b = CircuitBuilder(); s, z = b.input("s"), b.input("z"); b.output(b.or_(s, z), "t"); g = b.build()
    h = ha >> g
    assert h.input_names == ("a", "b", "z") and h.output_names == ("t", "c")
    pats = np.array([[a, bb, z] for a in (0, 1) for bb in (0, 1) for z in (0, 1)], bool)
    out = evaluate_reference(h, pats)
    assert np.array_equal(out[:, 0], (pats[:, 0] ^ pats[:, 1]) | pats[:, 2])
    assert np.array_equal(out[:, 1], pats[:, 0] & pats[:, 1])
    assert h.depth() <= ha.depth() + g.depth()


def test_series_positional_and_errors():
    ha = _half_adder()
    b = CircuitBuilder(); p, q = b.inputs(2); b.output(b.and_(p, q ^ 1), "r"); g = b.build()
    h = ha >> g
    pats = np.array([[0, 0], [0, 1], [1, 0], [1, 1]], bool)
    assert evaluate_reference(h, pats)[:, 0].tolist() == [False, True, True, False]
    b = CircuitBuilder(); b.output(b.input("u"), "v"); one = b.build()
    with pytest.raises(CircuitStructureError, match="counts differ"):
        ha >> one
    with pytest.raises(CircuitStructureError, match="no input named"):
        from serialcomp.ir.compose import series
        series(ha, one, wiring={"nope": "s"})


def test_parallel_shares_inputs_and_rejects_duplicate_outputs():
    ha = _half_adder()
    b = CircuitBuilder(); a = b.input("a"); b.output(a ^ 1, "na"); g = b.build()
    h = ha | g
    assert h.input_names == ("a", "b") and h.output_names == ("s", "c", "na")
    assert h.depth() == max(ha.depth(), g.depth())
    with pytest.raises(CircuitStructureError, match="both circuits"):
        ha | ha


# ---------------------------------------------------------------------------------- looped circuits
from hypothesis import assume, given, settings, strategies as st  # noqa: E402

from serialcomp.ir import LoopedCircuit  # noqa: E402
from serialcomp.ir.compose import series  # noqa: E402
from serialcomp.testing.strategies import circuits, looped_circuits  # noqa: E402


def _tagged(lc, tag):
    """``lc`` with per-step inputs/outputs named ``<tag>x<k>`` / ``<tag>y<k>`` and state ``<tag>s<k>``."""
    L = lc.n_state
    step = lc.step.rename(
        inputs={n: (f"{tag}s{k}" if k < L else f"{tag}x{k - L}") for k, n in enumerate(lc.step.input_names)},
        outputs={n: (f"{tag}n{k}" if k < L else f"{tag}y{k - L}") for k, n in enumerate(lc.step.output_names)})
    return LoopedCircuit(step, L, lc.init, lc.mode, lc.readout)


def _wire(a, b, k):
    """``b`` with its first ``k`` per-step inputs renamed to ``a``'s first ``k`` outputs."""
    ren = {b.x_names[j]: a.y_names[j] for j in range(k)}
    return LoopedCircuit(b.step.rename(inputs=ren), b.n_state, b.init, b.mode, b.readout)


def _cols(names, table):
    return np.stack([table[n] for n in names], axis=-1) if names else None


@settings(max_examples=40, deadline=None)
@given(looped_circuits(mode="stream"), looped_circuits(mode="stream"), st.integers(0, 3), st.integers(1, 4),
       st.integers(0, 2**31))
def test_stream_series_is_the_step_by_step_cascade(a, b, k, steps, seed):
    """Theorem: running a >> b on x equals running a on its inputs, then b on a's outputs (wired by
    name) and the shared inputs, step by step; and its serial depth is at most
    sd(a, T) + T * depth(b.step)."""
    a, b = _tagged(a, "a"), _tagged(b, "b")
    k = min(k, a.n_y, b.n_x)
    b = _wire(a, b, k)
    h = series(a, b, wiring={n: n for n in a.y_names[:k]})  # explicit: no positional fallback
    assert h.mode == "stream" and h.n_state == a.n_state + b.n_state and h.init == a.init + b.init
    rng = np.random.default_rng(seed)
    x = rng.random((70, steps, h.n_x)) < 0.5
    got = h.run(x).outputs
    cols = {n: x[:, :, j] for j, n in enumerate(h.x_names)}
    ya = a.run(_cols(a.x_names, cols) if a.n_x else np.zeros((70, steps, 0), bool)).outputs
    cols.update({n: ya[:, :, j] for j, n in enumerate(a.y_names)})
    yb = b.run(_cols(b.x_names, cols) if b.n_x else np.zeros((70, steps, 0), bool)).outputs
    cols.update({n: yb[:, :, j] for j, n in enumerate(b.y_names)})
    assert h.y_names[: b.n_y] == b.y_names
    for j, n in enumerate(h.y_names):
        assert np.array_equal(got[:, :, j], cols[n]), n
    assert h.unroll(steps).depth() == h.serial_depth(steps)
    assert h.serial_depth(steps) <= a.serial_depth(steps) + steps * b.step.depth()


@settings(max_examples=40, deadline=None)
@given(circuits(max_inputs=4, max_gates=8, max_outputs=4), looped_circuits(), st.integers(1, 4), st.integers(0, 2**31))
def test_circuit_before_a_looped_circuit_maps_every_input(c, b, steps, seed):
    """Theorem: (c >> b) runs b on c(z) (every step in stream mode; the re-injected input in loop
    mode), with serial depth at most depth(c) + sd(b, T)."""
    b = _tagged(b, "b")
    c = c.rename(inputs={n: f"z{k}" for k, n in enumerate(c.input_names)},
                 outputs={n: (b.x_names[k] if k < b.n_x else f"c{k}") for k, n in enumerate(c.output_names)})
    h = series(c, b, wiring={n: n for n in b.x_names if n in c.output_names})
    assert isinstance(h, LoopedCircuit) and h.mode == b.mode
    rng = np.random.default_rng(seed)
    shape = (65, steps, h.n_x) if h.mode == "stream" else (65, h.n_x)
    z = rng.random(shape) < 0.5
    flat = z.reshape(-1, h.n_x)
    cols = {n: flat[:, j] for j, n in enumerate(h.x_names)}
    cz = evaluate_reference(c, _cols(c.input_names, cols) if c.n_inputs else np.zeros((len(flat), 0), bool))
    cols.update({n: cz[:, j] for j, n in enumerate(c.output_names)})
    xb = (_cols(b.x_names, cols) if b.n_x else np.zeros((len(flat), 0), bool)).reshape(z.shape[:-1] + (b.n_x,))
    run = h.run(z) if h.mode == "stream" else h.run(z, steps=steps)
    ref = b.run(xb) if b.mode == "stream" else b.run(xb, steps=steps)
    assert np.array_equal(run.outputs[..., : ref.outputs.shape[-1]], ref.outputs)
    assert np.array_equal(run.state, ref.state)
    assert h.serial_depth(steps) <= c.depth() + b.serial_depth(steps)


@settings(max_examples=40, deadline=None)
@given(looped_circuits(mode="loop"), circuits(max_inputs=3, max_gates=6, max_outputs=3), st.integers(1, 4),
       st.integers(0, 2**31))
def test_looped_circuit_before_a_circuit_maps_its_output(a, c, steps, seed):
    """Theorem: (a >> c) outputs c(output of a) (the readout's, or the last y), with serial depth at
    most sd(a, T) + depth(c)."""
    a = _tagged(a, "a")
    outs = a.output_names
    assume(c.n_inputs <= len(outs))  # else c needs inputs a does not give (an error for readouts, below)
    c = c.rename(inputs=dict(zip(c.input_names, outs)), outputs={n: f"c{k}" for k, n in enumerate(c.output_names)})
    assume(a.readout is None or c.n_inputs > 0)
    h = a >> c
    x = np.random.default_rng(seed).random((65, h.n_x)) < 0.5
    got = h.run(x, steps=steps).outputs
    ya = a.run(x, steps=steps).outputs
    want = evaluate_reference(c, ya[:, [outs.index(n) for n in c.input_names]])
    assert np.array_equal(got[:, : c.n_outputs], want)
    assert h.serial_depth(steps) <= a.serial_depth(steps) + c.depth()


@settings(max_examples=40, deadline=None)
@given(st.sampled_from(["stream", "loop"]).flatmap(lambda m: st.tuples(looped_circuits(mode=m, readout=False),
                                                                         looped_circuits(mode=m, readout=False))),
       st.integers(1, 4), st.integers(0, 2**31))
def test_parallel_looped_runs_both(pair, steps, seed):
    """Theorem: a | b outputs a's outputs then b's and holds both states; its serial depth is the larger."""
    a, b = _tagged(pair[0], "a"), _tagged(pair[1], "b")
    h = a | b
    rng = np.random.default_rng(seed)
    shape = (64, steps, h.n_x) if h.mode == "stream" else (64, h.n_x)
    x = rng.random(shape) < 0.5

    def run(m):
        cols = [h.x_names.index(n) for n in m.x_names]
        xs = x[..., cols]
        return m.run(xs) if m.mode == "stream" else m.run(xs, steps=steps)

    r, ra, rb = run(h), run(a), run(b)
    assert np.array_equal(r.outputs, np.concatenate([ra.outputs, rb.outputs], axis=-1))
    assert np.array_equal(r.state, np.concatenate([ra.state, rb.state], axis=-1))
    assert h.serial_depth(steps) == max(a.serial_depth(steps), b.serial_depth(steps))


def _loop_counter():
    b = CircuitBuilder(); s = b.input("s"); x = b.input("x"); b.output(b.or_(s, x), "s'"); b.output(s, "y")
    step = b.build()
    b = CircuitBuilder(); b.output(b.input("s") ^ 1, "not_s")
    return LoopedCircuit(step, 1, mode="loop", readout=b.build())


def test_looped_composition_rules_and_errors():
    lc = _loop_counter()
    with pytest.raises(CircuitStructureError, match="unroll"):
        lc >> lc
    stream = LoopedCircuit(lc.step, 1, mode="stream")
    with pytest.raises(CircuitStructureError, match="do not step together"):
        stream >> lc
    with pytest.raises(CircuitStructureError, match="do not step together"):
        stream | lc
    with pytest.raises(CircuitStructureError, match="readout each"):
        lc | LoopedCircuit(lc.step.rename(outputs={"y": "y2"}), 1, mode="loop")
    # the readout takes the state only: a second circuit with an unwired input cannot follow it
    b = CircuitBuilder(); u, w = b.input("not_s"), b.input("w"); b.output(b.and_(u, w), "t"); g = b.build()
    with pytest.raises(CircuitStructureError, match="state only"):
        lc >> g
    # chaining readouts: T steps of the first, unrolled, feed the second loop
    b = CircuitBuilder(); s, x = b.input("s"), b.input("not_s"); b.output(b.xor(s, x), "s'"); second = b.build()
    chained = lc.unroll(3) >> LoopedCircuit(second, 1, mode="loop")
    assert isinstance(chained, LoopedCircuit) and chained.x_names == ("x",)
    assert chained.serial_depth(2) <= lc.serial_depth(3) + LoopedCircuit(second, 1, mode="loop").serial_depth(2)
    # states with the same name: the second's is renamed
    both = stream | LoopedCircuit(lc.step.rename(outputs={"y": "y3"}), 1, mode="stream")
    assert both.state_names == ("s", "s_1") and both.next_names == ("s'", "s'_1") and both.x_names == ("x",)
    cascade = stream >> LoopedCircuit(lc.step.rename(inputs={"x": "y"}, outputs={"y": "z"}), 1, mode="stream")
    assert cascade.state_names == ("s", "s_1") and cascade.y_names == ("z",)
