"""Builder and Circuit validation: every structural error names the node and what was wrong."""

import numpy as np
import pytest

from serialcomp.errors import CircuitStructureError, SerialcompError
from serialcomp.ir import Circuit, CircuitBuilder, GateKind


def test_build_renumbers_inputs_first_and_keeps_names():
    b = CircuitBuilder()
    x = b.input("x")
    g = b.and_(x, x ^ 1)
    y = b.input("y")
    b.output(b.or_(g, y), "out")
    c = b.build()
    assert c.input_names == ("x", "y")
    assert c.kind.tolist() == [GateKind.CONST, GateKind.INPUT, GateKind.INPUT, GateKind.AND, GateKind.OR]
    # the OR reads the AND (node 3) and y (node 2)
    assert sorted(c.fanins(4).tolist()) == [4, 6]


def test_arrays_are_frozen():
    b = CircuitBuilder(); x = b.input(); b.output(x)
    c = b.build()
    with pytest.raises(ValueError):
        c.kind[0] = 3


@pytest.mark.parametrize(
    "make, words",
    [
        (lambda b: b.and_(99), "undefined literal 99"),
        (lambda b: b.gate("BUF", []), "BUF needs at least 1"),
        (lambda b: b.gate("BUF", [2, 2]), "at most 1"),
        (lambda b: b.mod([2], 1), "modulus must be >= 2"),
        (lambda b: b.thr([2, 2], [1], 1), "1 weights for 2 fan-ins"),
        (lambda b: b.gate("AND", [2], weights=[3]), "only THR gates take weights"),
        (lambda b: b.maj(), "MAJ needs at least 1"),
        (lambda b: b.input("x"), "duplicate input name 'x'"),
        (lambda b: b.and_(True), "literal must be an int"),
        (lambda b: b.input(""), "input 1 has an empty name"),
        (lambda b: b.output(2, ""), "output 0 has an empty name"),
        (lambda b: b.thr([2, 2], [-(2**63), 1], 1), "weight -9223372036854775808 is not below 2\\*\\*40"),
        (lambda b: b.thr([2, 2], [2**63, 1], 1), "weight 9223372036854775808 is not below"),
        (lambda b: b.thr([2, 2], [2**40, 1], 1), "weight 1099511627776 is not below"),
        (lambda b: b.thr([2, 2], [1, 1], 2**70), "threshold 1180591620717411303424 is not below 2\\*\\*50"),
        (lambda b: b.gate("NAND", [2, 2]), "unknown gate kind 'NAND'"),
    ],
)
def test_builder_errors_name_the_problem(make, words):
    b = CircuitBuilder()
    b.input("x")
    with pytest.raises(CircuitStructureError, match=words):
        make(b)


def _arrays():
    # const, two inputs, AND(x, y)
    return dict(kind=[0, 1, 1, 3], fanin_ptr=[0, 0, 0, 0, 2], fanin=[2, 4], outputs=[6])


def test_constructor_accepts_valid_arrays():
    c = Circuit(**_arrays())
    assert c.n_gates == 1 and c.depth() == 1


@pytest.mark.parametrize(
    "change, words",
    [
        (dict(fanin=[2, 6]), "not earlier in topological order"),
        (dict(fanin=[2, 40]), "undefined literal 40"),
        (dict(outputs=[9]), "undefined literal 9"),
        (dict(kind=[1, 1, 1, 3]), "node 0 must be the constant"),
        (dict(kind=[0, 1, 1, 2]), "BUF takes at most 1"),
        (dict(kind=[0, 1, 1, 9]), "unknown gate kind 9"),
        (dict(fanin_ptr=[0, 0, 0, 2, 2]), "not earlier"),
        (dict(fanin_ptr=[0, 0, 0, 0, 3]), "fanin_ptr"),
    ],
)
def test_constructor_rejects_bad_arrays(change, words):
    arrays = _arrays()
    arrays.update(change)
    with pytest.raises(CircuitStructureError, match=words):
        Circuit(**arrays)


@pytest.mark.parametrize("weight", [-(2**63), 2**40, -(2**40)])
def test_constructor_rejects_weights_at_the_int64_edges(weight):
    """|w| >= 2**40 is refused, -2**63 included (np.abs wraps it round to a negative number)."""
    arrays = dict(kind=[0, 1, 1, 7], fanin_ptr=[0, 0, 0, 0, 2], fanin=[2, 4], outputs=[6])
    with pytest.raises(CircuitStructureError, match=f"weight {weight} is not below 2\\*\\*40"):
        Circuit(**arrays, weight=[weight, 1], param=[0, 0, 0, 1])


def test_largest_weights_simulate_exactly():
    """The extreme admitted weight and threshold give the function the arithmetic says."""
    b = CircuitBuilder()
    x = b.input_bus("x", 2)
    top = 2**40 - 1
    b.output(b.thr(x, [top, -top], 1), "gt")  # x0 > x1
    b.output(b.thr(x, [top, top], 2**50 - 1), "never")
    c = b.build()
    pats = np.array([[0, 0], [1, 0], [0, 1], [1, 1]], bool)
    np.testing.assert_array_equal(c.compile().run_bool(pats), [[0, 0], [1, 0], [0, 0], [0, 0]])


def test_self_loop_is_a_cycle():
    arrays = _arrays()
    arrays["fanin"] = [2, 6]  # node 3 reads itself
    with pytest.raises(CircuitStructureError, match="node 3"):
        Circuit(**arrays)


def test_only_thr_carries_weights_and_mod_needs_modulus():
    with pytest.raises(CircuitStructureError, match="only THR"):
        Circuit(**_arrays(), weight=[1, 2])
    with pytest.raises(CircuitStructureError, match="modulus"):
        Circuit(kind=[0, 1, 8], fanin_ptr=[0, 0, 0, 1], fanin=[2], outputs=[4], param=[0, 0, 1])


@pytest.mark.parametrize(
    "names, words",
    [
        (dict(input_names=["x", ""]), "input 1 has an empty name"),
        (dict(output_names=[""]), "output 0 has an empty name"),
    ],
)
def test_empty_names_rejected(names, words):
    with pytest.raises(CircuitStructureError, match=words):
        Circuit(**_arrays(), **names)


def test_circuit_is_frozen():
    c = Circuit(**_arrays(), input_names=["x", "y"], node_names={3: "g"})
    assert c.n_inputs == 2 and c.n_gates == 1 and c.max_fanin == 2  # cached properties still work
    for name, value in [("outputs", np.array([0])), ("kind", c.kind), ("input_names", ("a", "b")),
                        ("n_inputs", 5), ("anything_new", 1)]:
        with pytest.raises(AttributeError, match="Circuit is frozen"):
            setattr(c, name, value)
    for name in ("outputs", "n_inputs", "node_names"):
        with pytest.raises(AttributeError, match="Circuit is frozen"):
            delattr(c, name)
    with pytest.raises(TypeError):
        c.node_names[3] = "h"
    with pytest.raises(ValueError):
        c.fanin_counts[3] = 0
    assert c.outputs.tolist() == [6] and c.n_inputs == 2 and c.node_names == {3: "g"}
    # Deriving new circuits still works, and leaves the original alone.
    d = c.rename(inputs={"x": "a"}).with_outputs([6, 7], ["p", "q"])
    assert d.input_names == ("a", "y") and d.n_outputs == 2 and c.n_outputs == 1


def test_frozen_circuit_copies_and_pickles():
    import copy
    import pickle

    b = CircuitBuilder(); xs = b.inputs(3); g = b.thr(xs, [2, -1, 1], 2); b.name(g, "t"); b.output(g ^ 1, "nt")
    c = b.build()
    assert c.depth() == 1  # fill a cache before copying
    for d in (pickle.loads(pickle.dumps(c)), copy.copy(c), copy.deepcopy(c)):
        assert d == c and d.node_names == c.node_names and d.depth() == 1
        assert not d.kind.flags.writeable and not d.weight.flags.writeable
        with pytest.raises(AttributeError, match="frozen"):
            d.outputs = np.array([0])


def test_duplicate_output_names_rejected():
    with pytest.raises(CircuitStructureError, match="duplicate output"):
        Circuit(**_arrays(), output_names=["a"]).with_outputs([6, 6], ["a", "a"])


def test_errors_share_the_root():
    assert issubclass(CircuitStructureError, SerialcompError)


def test_gate_set_classes():
    def single(kind, **kw):
        b = CircuitBuilder(); xs = b.inputs(3)
        b.output(b.gate(kind, xs, **kw)); return b.build()

    assert single("AND").gate_set()["circuit_class"] == "AC0"
    assert single("XOR").gate_set()["circuit_class"] == "ACC0"
    assert single("MOD", param=3).gate_set()["circuit_class"] == "ACC0"
    assert single("MAJ").gate_set()["circuit_class"] == "TC0"
    assert single("THR", weights=[1, 2, 3], param=3).gate_set()["circuit_class"] == "TC0"
    assert single("AND").gate_set()["bounded_fanin"] is False


def test_size_and_max_fanin():
    b = CircuitBuilder(); xs = b.inputs(4)
    b.output(b.buf(b.and_(b.xor(*xs), xs[0])))
    c = b.build()
    assert c.size() == {"BUF": 1, "AND": 1, "XOR": 1}
    assert c.n_gates == 2 and c.max_fanin == 4
    assert np.array_equal(c.fanin_counts, [0, 0, 0, 0, 0, 4, 2, 1])


@pytest.mark.parametrize(
    "make, words",
    [
        (lambda b, x, y: b.thr([x, y], [1, 1], 1.9), "threshold .*must be an integer, got 1.9"),
        (lambda b, x, y: b.thr([x, y], [1.5, 1], 2), "weight .*fan-in 0 must be an integer, got 1.5"),
        (lambda b, x, y: b.thr([x, y], [1, True], 2), "weight .*fan-in 1 must be an integer, got the bool"),
        (lambda b, x, y: b.thr([x, y], [1, 1], True), "threshold .*got the bool True"),
        (lambda b, x, y: b.mod([x, y], 2.5), "modulus .*must be an integer, got 2.5"),
        (lambda b, x, y: b.mod([x, y], np.float64(3.5)), "modulus .*must be an integer"),
        (lambda b, x, y: b.gate("AND", [x], weights=[1.5]), "weight .*must be an integer"),
        (lambda b, x, y: b.inputs(1.5), "count for inputs\\(\\) must be an integer"),
        (lambda b, x, y: b.input_bus("a", True), "width .*got the bool"),
        (lambda b, x, y: b.and_(x, np.bool_(True)), "literal must be an int"),
    ],
)
def test_builder_refuses_non_integral_numbers(make, words):
    """A threshold of 1.9 is refused, never truncated to 1 (which would turn AND into OR); bools too."""
    b = CircuitBuilder()
    x, y = b.inputs(2)
    with pytest.raises(CircuitStructureError, match=words):
        make(b, x, y)


def test_builder_accepts_numpy_and_integral_floats():
    b = CircuitBuilder()
    x, y = b.inputs(np.int64(2))
    g = b.thr([x, np.int64(y)], [np.int64(1), 1.0], np.int32(2))
    b.output(g, "and"); b.output(b.mod([x, y], 2.0), "even")
    c = b.build()
    pats = np.array([[0, 0], [1, 0], [0, 1], [1, 1]], bool)
    assert c.param.tolist()[-2:] == [2, 2] and c.evaluate(pats).astype(int).tolist() == [[0, 1], [0, 0], [0, 0], [1, 1]]


def test_constructor_refuses_truncation_and_bools():
    arrays = _arrays()
    c = Circuit(**{**arrays, "fanin": [2.0, 4.0], "outputs": np.array([6], np.uint32)})
    assert c == Circuit(**arrays) and c.fanin.dtype == np.int64
    with pytest.raises(CircuitStructureError, match="fanin must hold integers, got 2.5 at position 0"):
        Circuit(**{**arrays, "fanin": [2.5, 4]})
    with pytest.raises(CircuitStructureError, match="outputs must be an integer array, got dtype bool"):
        Circuit(**{**arrays, "outputs": [True]})
    with pytest.raises(CircuitStructureError, match="param must hold integers"):
        Circuit(kind=[0, 1, 8], fanin_ptr=[0, 0, 0, 1], fanin=[2], outputs=[4], param=[0, 0, 3.5])
    with pytest.raises(CircuitStructureError, match="kind holds a value outside"):
        Circuit(**{**arrays, "kind": [0, 1, 1, 259]})


def test_duplicate_names_name_both_positions_in_linear_time():
    """100k outputs with one repeated name: the error names the name and both positions (the check
    is one pass with a dict; it used to be quadratic)."""
    n = 100_000
    names = [f"o{k}" for k in range(n)]
    names[77_777] = "o12"
    with pytest.raises(CircuitStructureError, match="duplicate output name 'o12' \\(outputs 12 and 77777\\)"):
        Circuit(kind=[0, 1], fanin_ptr=[0, 0, 0], fanin=[], outputs=np.full(n, 2), output_names=names)
    b = CircuitBuilder(); b.input("x"); b.input("y")
    with pytest.raises(CircuitStructureError, match="duplicate input name 'x' \\(inputs 0 and 2\\)"):
        b.input("x")
    b.output(2, "p")
    with pytest.raises(CircuitStructureError, match="duplicate output name 'p' \\(outputs 0 and 1\\)"):
        b.output(4, "p")

