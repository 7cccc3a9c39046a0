"""ISCAS BENCH reading and writing."""

import subprocess

import numpy as np
import pytest
from hypothesis import given, settings

from serialcomp.errors import CircuitFormatError, CircuitStructureError
from serialcomp.io import dumps_bench, loads_bench, read_aiger, read_bench, write_bench
from serialcomp.ir import CircuitBuilder, GateKind
from serialcomp.ir.looped import LoopedCircuit
from serialcomp.testing.strategies import circuits

from iohelpers import ABC, needs_abc, random_patterns, same_function, same_function_by_name

C17 = """# c17 (ISCAS-85)
INPUT(1)
INPUT(2)
INPUT(3)
INPUT(6)
INPUT(7)
OUTPUT(22)
OUTPUT(23)

10 = NAND(1, 3)
11 = NAND(3, 6)
16 = NAND(2, 11)
19 = NAND(11, 7)
22 = NAND(10, 16)
23 = NAND(16, 19)
"""

BASIC = [GateKind.AND, GateKind.OR, GateKind.XOR, GateKind.BUF]


def test_c17():
    c = loads_bench(C17)
    assert c.n_inputs == 5 and c.n_outputs == 2 and c.size() == {"AND": 6} and c.depth() == 3
    assert c.input_names == ("1", "2", "3", "6", "7") and c.output_names == ("22", "23")
    assert all(o & 1 for o in c.outputs.tolist())  # NAND: consumers take the negated literal
    assert c.node_names[6] == "10"
    x = random_patterns(5, 32)
    a, b, cc, d, e = x.T
    n10, n11 = ~(a & cc), ~(cc & d)
    n16, n19 = ~(b & n11), ~(n11 & e)
    assert np.array_equal(c.evaluate(x), np.stack([~(n10 & n16), ~(n16 & n19)], axis=1))
    assert loads_bench(dumps_bench(c)) == c


def test_gate_mapping_and_inverter_levels():
    text = """INPUT(a)
INPUT(b)
OUTPUT(y)
OUTPUT(k)
y = BUFF(m)
m = NOT(x)
x = xnor(a, b)   # lower case is fine
k = NOR(a, vdd)
"""
    c = loads_bench(text)
    assert c.size() == {"BUF": 2, "OR": 1, "XOR": 1}
    assert c.depth() == 1 and c.depth(count_inverters=True) == 3
    xor = next(v for v in range(c.n_nodes) if c.kind[v] == GateKind.XOR)
    buf_not = c.fanins(xor + 1).tolist()
    assert buf_not == [2 * xor]  # NOT of XNOR(a, b): a BUF fed by the positive XOR literal
    assert same_function(loads_bench(dumps_bench(c)), c)
    assert loads_bench(dumps_bench(c)) == c


def test_constants_gnd_vdd():
    c = loads_bench("INPUT(a)\nOUTPUT(z)\nOUTPUT(one)\nz = AND(a, gnd)\none = vdd\n")
    assert c.outputs.tolist()[1] == 1 and c.fanins(2).tolist() == [2, 0]
    text = dumps_bench(c)
    assert "= gnd" in text and "= vdd" in text
    assert loads_bench(text) == c


def test_any_order_and_cycles():
    c = loads_bench("OUTPUT(z)\nz = OR(p, q)\np = AND(a, b)\nq = NOT(p)\nINPUT(a)\nINPUT(b)\n")
    assert c.depth() == 2 and c.kind.tolist() == [0, 1, 1, 3, 2, 4]
    with pytest.raises(CircuitFormatError, match=r"<string>, line 2: combinational cycle through signal 'p'"):
        loads_bench("INPUT(a)\np = AND(a, q)\nq = NOT(p)\nOUTPUT(p)\n")


def test_dff_gives_a_looped_circuit():
    # A 2-bit counter enabled by e: s0' = s0 ^ e, s1' = s1 ^ (s0 & e); output the carry.
    text = """INPUT(e)
OUTPUT(carry)
s0 = DFF(n0)
s1 = DFF(n1)
n0 = XOR(s0, e)
c0 = AND(s0, e)
n1 = XOR(s1, c0)
carry = AND(s1, c0)
"""
    lc = loads_bench(text)
    assert isinstance(lc, LoopedCircuit) and lc.mode == "stream" and lc.init == (0, 0)
    assert lc.state_names == ("s0", "s1") and lc.step.output_names == ("s0_next", "s1_next", "carry")
    out = lc.run(np.ones((1, 8, 1), bool)).outputs[0, :, 0]
    assert out.astype(int).tolist() == [0, 0, 0, 1, 0, 0, 0, 1]
    back = loads_bench(dumps_bench(lc))
    assert back.step == lc.step and back.init == lc.init


def test_writer_refuses_what_bench_cannot_hold():
    b = CircuitBuilder(); xs = b.inputs(3); b.output(b.maj(*xs))
    c = b.build()
    with pytest.raises(CircuitStructureError, match="node 4 is a MAJ gate"):
        dumps_bench(c, lower=False)
    assert same_function(loads_bench(dumps_bench(c)), c)  # lowered to an AIG
    b = CircuitBuilder(); s, x = b.input("s"), b.input("x"); b.output(b.xor(s, x)); b.output(s)
    with pytest.raises(CircuitStructureError, match="all-zero state"):
        dumps_bench(LoopedCircuit(b.build(), 1, init=[1]))


def test_outputs_sharing_a_node_inputs_and_constants(tmp_path):
    b = CircuitBuilder()
    x, y = b.input("x"), b.input("y")
    g = b.and_(x, y ^ 1)
    for name, l in [("g", g), ("g2", g), ("ng", g ^ 1), ("x", x), ("nx", x ^ 1), ("t", 1), ("e", b.or_())]:
        b.output(l, name)
    c = b.build()
    write_bench(c, tmp_path / "c.bench")
    back = read_bench(tmp_path / "c.bench")
    assert back.output_names == c.output_names and same_function(back, c)


@settings(max_examples=80, deadline=None)
@given(circuits(max_inputs=6, max_gates=16, kinds=BASIC))
def test_round_trip(c):
    """Same function after one trip; a circuit read from BENCH comes back with the same structure."""
    once = loads_bench(dumps_bench(c))
    assert once.input_names == c.input_names and same_function(once, c)
    if np.all(c.fanin_counts[c.n_inputs + 1 :] > 0):  # AND() and OR() become constants
        if np.all(c.fanin_counts[c.kind == GateKind.XOR] <= 2):
            assert once.depth() == c.depth()
        else:  # XOR with k > 2 inputs becomes a tree of ceil(log2 k) 2-input XORs (never shallower)
            assert once.depth() >= c.depth()
    twice = loads_bench(dumps_bench(once))
    assert twice == once and twice.node_names == once.node_names


@pytest.mark.tools
@needs_abc
@settings(max_examples=10, deadline=None)
@given(circuits(max_inputs=6, max_gates=12, kinds=BASIC))
def test_abc_reads_our_bench(tmp_path_factory, c):
    """ABC's ``read_bench; strash`` of our BENCH computes the same function (via AIGER back to us).

    ABC's BENCH reader takes XOR/XNOR with exactly two inputs only (it aborts on others): the
    writer makes every XOR/XNOR 2-input, so XOR gates of any fan-in are written here.
    """
    d = tmp_path_factory.mktemp("bench")
    _abc_round_trip(c, d)


def _abc_round_trip(c, d):
    write_bench(c, d / "c.bench")
    r = subprocess.run([ABC, "-c", f"read_bench {d / 'c.bench'}; strash; write_aiger -s {d / 'c.aig'}"],
                       capture_output=True, text=True, timeout=60)
    assert r.returncode == 0 and (d / "c.aig").exists(), r.stdout + r.stderr
    assert same_function_by_name(read_aiger(d / "c.aig"), c)


def _wide_xors():
    """XOR/XNOR of 1 to 6 inputs, some negated; output and node names that look like writer names."""
    b = CircuitBuilder()
    xs = [b.input(f"x{k}") for k in range(6)]
    p = b.xor(*xs[:5])
    b.name(p, "p")
    b.output(p, "p")
    b.output(b.xor(xs[0], xs[1] ^ 1, xs[2]), "p_x")  # the name a tree under 'p' would take first
    b.output(b.xor(xs[3] ^ 1), "q")
    b.output(b.xor(*xs) ^ 1, "r")
    b.output(b.xor(xs[4], xs[5], xs[0] ^ 1, xs[1]), "p_x_1")
    b.output(b.and_(b.xor(*xs[1:4]), xs[5]), "const0")
    return b.build()


def test_multi_input_xor_written_as_two_input_trees():
    c = _wide_xors()
    text = dumps_bench(c)
    for line in text.splitlines():
        if "XOR(" in line or "XNOR(" in line:
            assert line.count(",") == 1, line  # exactly two fan-ins
    back = loads_bench(text)
    assert back.output_names == c.output_names and back.input_names == c.input_names
    assert same_function(back, c)
    # A balanced tree: the k-input XOR 'p' (k = 5) costs ceil(log2 5) = 3 levels, as with fanin=2.
    assert back.output_depths()["p"] == 3 == c.depth(fanin=2) and back.output_depths()["q"] == 1
    assert loads_bench(dumps_bench(back)) == back  # stable after one trip


def test_writer_names_avoid_output_names_unless_they_are_that_signal():
    """Names the writer invents (constants, '_n' inverters, XOR-tree gates) never take an output's name."""
    b = CircuitBuilder(); xs = [b.input(f"x{k}") for k in range(4)]
    g = b.and_(xs[0], xs[1]); b.name(g, "g")
    p = b.xor(*xs); b.name(p, "p")
    b.output(g, "g"); b.output(g ^ 1, "g_n")  # 'g_n' is the writer's own name for NOT(g): no BUFF
    b.output(b.and_(xs[2], 1), "k")  # needs the signal 'const1'...
    b.output(p, "p"); b.output(xs[3] ^ 1, "const1")  # ...which is the name of another output
    b.output(xs[1] ^ 1, "p_x")  # the first name of the tree under 'p'
    b.output(b.or_(g ^ 1, 0), "h")
    c = b.build()
    text = dumps_bench(c)
    assert "g_n = NOT(g)" in text and "BUFF(g_n)" not in text
    back = loads_bench(text)
    assert back.output_names == c.output_names and same_function(back, c)


@pytest.mark.tools
@needs_abc
def test_abc_reads_multi_input_xor(tmp_path):
    _abc_round_trip(_wide_xors(), tmp_path)
