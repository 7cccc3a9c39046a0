"""The threshold-circuit text format: lossless on every gate kind, strict on errors."""

import numpy as np
import pytest
from hypothesis import given, settings, strategies as st

from serialcomp.errors import CircuitFormatError
from serialcomp.io import dumps_thr, loads_thr, read_thr, write_thr
from serialcomp.ir import Circuit, CircuitBuilder, GateKind
from serialcomp.ir.looped import LoopedCircuit
from serialcomp.testing.strategies import circuits

from iohelpers import same_function

EXAMPLE = """serialcomp-thr 1
# anything after '#' is a comment
input a
input "b c"
n1 = AND(a, ~"b c")
$5 = THR[2](2*a, -1*~n1, 1*1)
m = MOD[3](a, n1, $5)   # trailing comment
$7 = MAJ(a, ~m, 0)
$8 "n1" = BUF(~$7)
output y = ~$7
output z = $8
"""


def _lossless(c):
    back = loads_thr(dumps_thr(c))
    assert back == c and back.node_names == c.node_names
    return back


def test_docstring_example():
    c = loads_thr(EXAMPLE)
    assert c.input_names == ("a", "b c") and c.output_names == ("y", "z")
    assert [GateKind(k).name for k in c.kind[3:]] == ["AND", "THR", "MOD", "MAJ", "BUF"]
    assert c.param.tolist()[3:] == [0, 2, 3, 0, 0] and c.weight.tolist()[2:5] == [2, -1, 1]
    assert c.node_names == {3: "n1", 5: "m", 7: "n1"}
    assert c.fanins(4).tolist() == [2, 7, 1] and c.outputs.tolist() == [13, 14]
    _lossless(c)


@settings(max_examples=150, deadline=None)
@given(circuits(max_inputs=6, max_gates=16, max_weight=1000, max_modulus=9))
def test_every_gate_kind_round_trips_losslessly(c):
    """Theorem: for every circuit of every gate kind, read_thr(write_thr(c)) == c, node names included."""
    _lossless(c)


@settings(max_examples=40, deadline=None)
@given(circuits(max_inputs=5, max_gates=10), st.lists(st.text(min_size=1, max_size=6), min_size=12, max_size=12))
def test_arbitrary_names(c, names):
    """Node, input and output names of any text (spaces, quotes, keywords, duplicates) survive."""
    node_names = {v: names[k % len(names)] for k, v in enumerate(range(c.n_inputs + 1, c.n_nodes))}
    ins = [f"{names[k % 12]}#{k}" for k in range(c.n_inputs)]
    outs = [f'"{names[(k + 5) % 12]}"\n{k}' for k in range(c.n_outputs)]
    _lossless(c._replace(node_names=node_names, input_names=ins, output_names=outs))


def test_keywords_and_input_names_as_node_names():
    b = CircuitBuilder()
    x = b.input("input")
    g = b.gate("AND", [x, x ^ 1], name="input")
    h = b.gate("OR", [g, x], name="output")
    b.output(h, "input")
    c = b.build()
    text = dumps_thr(c)
    assert 'input "input"' in text and '$2 "input" = AND(' in text
    _lossless(c)


@settings(max_examples=30, deadline=None)
@given(circuits(min_inputs=2, max_inputs=5, max_gates=8, max_outputs=4), st.data())
def test_looped_round_trip(step, data):
    """Theorem: a looped circuit of either mode reads back from .thr with the same step, initial state,
    mode and state width."""
    n = data.draw(st.integers(0, min(step.n_inputs, step.n_outputs)))
    init = data.draw(st.lists(st.integers(0, 1), min_size=n, max_size=n))
    mode = data.draw(st.sampled_from(["stream", "loop"]))
    lc = LoopedCircuit(step, n, init=init, mode=mode)
    back = loads_thr(dumps_thr(lc))
    assert isinstance(back, LoopedCircuit)
    assert back.step == lc.step and back.init == lc.init and back.mode == mode and back.n_state == n


def test_any_order_and_file_io(tmp_path):
    text = "serialcomp-thr 1\noutput o = g\ng = OR(h, a)\nh = XOR(a, b)\ninput a\ninput b\n"
    c = loads_thr(text)
    assert c.kind.tolist() == [0, 1, 1, 5, 4] and c.outputs.tolist() == [8]
    write_thr(c, tmp_path / "c.thr")
    assert read_thr(tmp_path / "c.thr") == c


BAD = [
    ("", 1, "empty"),
    ("input a\n", 1, "expected the header"),
    ("serialcomp-thr 2\n", 1, "version 2 is not supported"),
    ("serialcomp-thr 1\ninput a\ninput a\n", 3, "defined twice"),
    ("serialcomp-thr 1\ninput a\ng = NAND(a)\n", 3, "unknown gate kind 'NAND'"),
    ("serialcomp-thr 1\ninput a\ng = THR(a)\n", 3, "needs a parameter"),
    ("serialcomp-thr 1\ninput a\ng = AND[2](a)\n", 3, "takes no parameter"),
    ("serialcomp-thr 1\ninput a\ng = MOD[1](a)\n", 3, "modulus >= 2"),
    ("serialcomp-thr 1\ninput a\ng = AND(2*a)\n", 3, "only THR arguments take weights"),
    ("serialcomp-thr 1\ninput a\ng = THR[1](99999999999999*a)\n", 3, "below 2\\*\\*40"),
    ("serialcomp-thr 1\ninput a\ng = BUF(a, a)\n", 3, "at most 1"),
    ("serialcomp-thr 1\ninput a\ng = MAJ()\n", 3, "at least 1"),
    ("serialcomp-thr 1\ninput a\ng = AND(a, b)\n", 3, "'b' is used but never defined"),
    ("serialcomp-thr 1\ninput a\ng = AND(a, $3)\n", 3, r"label \$3 is used but never defined"),
    ("serialcomp-thr 1\ninput a\ng = AND(a, h)\nh = OR(g)\n", 3, "cycle"),
    ("serialcomp-thr 1\ninput a\ng = AND(a,\n", 3, "expected"),
    ("serialcomp-thr 1\ninput a\ng = AND(a) junk\n", 3, "expected '\\)' at the end"),
    ("serialcomp-thr 1\ninput a\ng = AND(a)\noutput o = 2\n", 4, "expected a literal"),
    ("serialcomp-thr 1\ninput a\n$1 x = AND(a)\n$2 x = AND(a)\noutput o = x\n", 5, "names several nodes"),
    ("serialcomp-thr 1\ninput a\n$1 = AND(a)\n$1 = OR(a)\n", 4, r"label \$1 is defined twice"),
    ("serialcomp-thr 1\ninput a\ng = AND(a) & b\n", 3, "unexpected character '&'"),
    ('serialcomp-thr 1\ninput "a\n', 2, "unexpected character"),
    ("serialcomp-thr 1\nstate s = 0\n", 2, "need a 'looped"),
    ("serialcomp-thr 1\nlooped stream\nstate s = 0\n", 3, "1 state bit\\(s\\) but 0 'next'"),
    ("serialcomp-thr 1\nlooped sideways\n", 2, "expected 'looped stream'"),
    ("serialcomp-thr 1\nlooped loop\nstate s = 2\n", 3, "state NAME = 0"),
    (b"serialcomp-thr 1\ninput \xff\n", 2, "not valid UTF-8"),
]


@pytest.mark.parametrize("text,line,message", BAD)
def test_errors_name_file_line_and_expectation(text, line, message):
    with pytest.raises(CircuitFormatError, match=message) as info:
        loads_thr(text, name="bad.thr")
    assert info.value.path == "bad.thr" and info.value.line == line


def test_lossless_on_a_hand_built_circuit_with_constants_and_node_order():
    kind = [0, 1, 1, 7, 8, 6, 2]
    ptr = [0, 0, 0, 0, 3, 5, 8, 9]
    fan = [2, 5, 1, 6, 0, 8, 9, 3, 11]
    w = [5, -7, 3, 1, 1, 1, 1, 1, 1]
    c = Circuit(kind, ptr, fan, [13, 0, 1], weight=w, param=[0, 0, 0, -4, 4, 0, 0])
    back = _lossless(c)
    assert same_function(back, c)
    assert np.array_equal(back.weight, c.weight)
