"""Bad input: every broken file ends in a CircuitFormatError naming the file, the place and the
expectation; nothing else escapes, nothing hangs, nothing is allocated from an unchecked count."""

import pytest
from hypothesis import HealthCheck, given, settings, strategies as st

from serialcomp.errors import CircuitFormatError, CircuitStructureError
from serialcomp.io import (
    dumps_aiger, dumps_bench, dumps_thr, loads_aiger, loads_bench, loads_thr, read_aiger, read_bench,
)
from serialcomp.ir import CircuitBuilder
from serialcomp.ir.looped import LoopedCircuit

ALLOWED = (CircuitFormatError, CircuitStructureError)


def _seeds():
    b = CircuitBuilder(); xs = b.input_bus("x", 4)
    g = b.and_(xs[0], xs[1] ^ 1); h = b.or_(g, xs[2]); k = b.xor(h, xs[3]); m = b.buf(k ^ 1)
    b.output(k, "y"); b.output(m ^ 1, "z"); b.output(g, "g")
    c = b.build()
    b = CircuitBuilder(); s, x = b.input("s"), b.input("x")
    b.output(b.xor(s, x), "s_next"); b.output(b.and_(s, x), "y")
    step = b.build()
    lc = LoopedCircuit(step, 1, init=[1])
    b = CircuitBuilder(); ys = b.inputs(4)
    b.output(b.thr(ys, [2, -1, 3, 1], 2)); b.output(b.mod(ys, 3)); b.output(b.maj(*ys[:3]) ^ 1)
    t = b.build()
    seeds = {
        "aag": (loads_aiger, [dumps_aiger(c, binary=False), dumps_aiger(lc, binary=False)]),
        "aig": (loads_aiger, [dumps_aiger(c), dumps_aiger(lc)]),
        "bench": (loads_bench, [dumps_bench(c).encode(), dumps_bench(LoopedCircuit(step, 1)).encode()]),
        "thr": (loads_thr, [dumps_thr(t).encode(), dumps_thr(lc).encode()]),
    }
    for load, datas in seeds.values():  # load the compiled kernels before any timed test
        for data in datas:
            load(data)
    return seeds


SEEDS = _seeds()


def _load(fmt, data):
    try:
        SEEDS[fmt][0](bytes(data), name=f"fuzz.{fmt}")
    except ALLOWED as exc:
        assert "fuzz." in str(exc)


AIGER_BAD = [
    (b"", "line 1: the file is empty"),
    (b"aag\n", "line 1: expected the header"),
    (b"aig 1 2 3\n", "5 to 9 unsigned numbers"),
    (b"xyz 0 0 0 0 0\n", "expected the header"),
    (b"aag -1 0 0 0 0\n", "5 to 9 unsigned numbers"),
    (b"aag 1 1 0 0 0 " + b"9" * 30 + b"\n", "too large"),
    (b"aag 3 1 0 1 1 1\n2\n", "not supported"),
    (b"aag 1 1 1 0 0\n2\n", "M=1 is less than I \\+ L \\+ A = 2"),
    (b"aig 5 1 0 1 1\n2\n\x01\x01", "M = I \\+ L \\+ A"),
    (b"aag 9999999999 0 0 0 0\n", None),  # a huge M with an empty body is fine in ASCII
    (b"aag 9 0 0 0 1000000000\n6 2 4\n", "M=9 is less than I \\+ L \\+ A = 1000000000"),
    (b"aag 9999999999 0 0 0 1000000000\n6 2 4\n", "line 1: the header declares .* 1000000000 ANDs, which need at least"),
    (b"aig 100 0 0 0 100\n", "line 1: the header declares .* need at least 200 bytes"),
    (b"aig 4611686018427387903 4611686018427387903 0 0 0\n", "inputs in a file of .* taken as corrupt"),
    (b"aag 3 2 0 1 1\n2\n4\n6\n6 2\nc\nfill\n", "line 5: expected AND line 'lhs rhs0 rhs1': found too few numbers"),
    (b"aag 3 2 0 1 1\n2\n4\n6\n6 2 4 8\n", "line 5: .* too many numbers"),
    (b"aag 3 2 0 1 1\n2\n4\n6\n6 2 x\n", "line 5: .* an unexpected character"),
    (b"aag 99999 2 0 1 1\n100000\n4\n60", "line 5: .* the file ends here"),
    (b"aag 3 2 0 1 1\n3\n4\n6\n6 2 4\n", "line 2: input literal 3 must be even"),
    (b"aag 3 2 0 1 1\n2\n4\n9\n6 2 4\n", "line 4: output literal 9 is larger than 2\\*M\\+1 = 7"),
    (b"aag 3 2 0 1 1\n2\n2\n6\n6 2 4\n", "variable 1 is defined twice \\(lines 2 and 3\\)"),
    (b"aag 4 2 0 1 1\n2\n4\n6\n6 2 8\n", "line 5: AND fan-in literal 8 refers to variable 4, which is not defined"),
    (b"aag 4 2 0 1 1\n2\n4\n8\n6 2 4\n", "line 4: output literal 8 refers to variable 4"),
    (b"aag 4 1 0 1 2\n2\n8\n6 8 2\n8 6 2\n", "line 4: AND 6 is on a combinational cycle"),
    (b"aag 2 1 0 1 1\n2\n4\n4 4 2\n", "line 4: AND 4 is on a combinational cycle"),
    (b"aag 3 1 1 1 1\n2\n4 6 5\n6\n6 4 2\n", "line 3: latch 0 has reset value 5"),
    (b"aig 3 2 0 1 1\n6\n\x00\x02", "AND 0 \\(literal 6\\) at byte offset 16: a first delta of 0"),
    (b"aig 3 2 0 1 1\n6\n\x07\x02", "a first delta of 0 or larger than the AND's own literal"),
    (b"aig 3 2 0 1 1\n6\n\x02\x09", "a second delta larger than the first fan-in literal"),
    (b"aig 3 2 0 1 1\n6\n\x82", "need at least 2 bytes of binary AND section, but only 1 bytes follow"),
    (b"aig 3 2 0 1 1\n6\n\x82\x82", "AND 0 .*: the file ends inside the binary AND section"),
    (b"aig 3 2 0 1 1\n6\n\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\x01", "a varint longer than 9 bytes"),
    (b"aig 3 2 0 1 1\n6\n\x02\x02i2 x\n", "symbol table at byte offset 18: symbol for input 2, but the file has 2"),
    (b"aig 3 2 0 1 1\n6\n\x02\x02i0 x\ni0 y\n", "input 0 is named twice"),
    (b"aig 3 2 0 1 1\n6\n\x02\x02garbage\n", "expected a symbol 'i<k> name'"),
    (b"aag 1 1 0 0 0\n2\ni0 \xff\xfe\n", "line 3: the name of input 0 is not valid UTF-8"),
    (b"aag 1 1 0 0 0\n2\ni0 \n", "line 3: input 0 has an empty name"),
    (b"aag 1 1 0 0 0\n2\nb0 x\n", "symbol for bad-state property 0, but the file has 0"),
    (b"aag 2 2 0 0 0\n2\n4\ni0 x\ni1 x\n", None),  # duplicate names: the second becomes x_1
]


@pytest.mark.parametrize("data,message", AIGER_BAD)
def test_bad_aiger(data, message, bounded):
    """Every malformed file ends in a CircuitFormatError naming the file and the place, without a
    hang and without an allocation sized by the header's counts."""
    if message is None:
        with bounded():
            c = loads_aiger(data)
        assert len(set(c.input_names)) == c.n_inputs
        return
    with bounded(), pytest.raises(CircuitFormatError, match=message) as info:
        loads_aiger(data, name="bad.aig")
    assert str(info.value).startswith("bad.aig")


BENCH_BAD = [
    ("INPUT(a)\nOUTPUT(b)\n", 2, "signal 'b' is used but never defined"),
    ("INPUT(a)\nOUTPUT(z)\nz = FOO(a)\n", 3, "unknown gate type 'FOO'"),
    ("INPUT(a)\nOUTPUT(z)\nz = NOT(a, a)\n", 3, "NOT takes exactly 1 input"),
    ("INPUT(a)\nOUTPUT(z)\nz = AND()\n", 3, "at least 1"),
    ("INPUT(a)\nOUTPUT(z)\nz = DFF(a, a)\n", 3, "DFF takes exactly 1"),
    ("INPUT(a)\nINPUT(a)\n", 2, "defined twice \\(first on line 1\\)"),
    ("INPUT(a)\nOUTPUT(a)\nOUTPUT(a)\n", 3, "declared twice"),
    ("INPUT(a)\nz = AND(a, b c)\n", 2, "expected signal names"),
    ("INPUT(a)\nz = AND(a,, a)\n", 2, "expected signal names"),
    ("INPUT(a\n", 1, "expected INPUT\\(name\\)"),
    ("INPUT(a)\nz == AND(a)\n", 2, "expected INPUT"),
    ("INPUT(a)\nz = foo\n", 2, "expected 'GATE\\(args\\)', 'vdd' or 'gnd'"),
    ("INPUT(a)\nOUTPUT(z)\nz = AND(a, y)\ny = OR(z)\n", 3, "combinational cycle through signal 'z'"),
    (b"INPUT(a)\n# \xff comment\n", 2, "not valid UTF-8"),
]


@pytest.mark.parametrize("text,line,message", BENCH_BAD)
def test_bad_bench(text, line, message):
    with pytest.raises(CircuitFormatError, match=message) as info:
        loads_bench(text, name="bad.bench")
    assert info.value.path == "bad.bench" and info.value.line == line


def test_files_on_disk_are_named_in_errors(tmp_path):
    (tmp_path / "t.aag").write_bytes(b"aag 1 1 0 1 0\n2\n5\n")
    with pytest.raises(CircuitFormatError, match=r"t\.aag, line 3: output literal 5"):
        read_aiger(tmp_path / "t.aag")
    (tmp_path / "t.bench").write_text("INPUT(a)\nOUTPUT(q)\n")
    with pytest.raises(CircuitFormatError, match=r"t\.bench, line 2"):
        read_bench(tmp_path / "t.bench")


@pytest.mark.parametrize("fmt", sorted(SEEDS))
def test_every_truncation(fmt):
    """Every prefix of a valid file either parses or raises a format error."""
    for data in SEEDS[fmt][1]:
        for n in range(len(data)):
            _load(fmt, data[:n])


def test_deep_chains_and_reverse_order_do_not_recurse():
    n = 50_000
    lines = [f"g{k} = NOT(g{k + 1})" for k in range(n)] + [f"g{n} = BUFF(a)", "INPUT(a)", "OUTPUT(g0)"]
    c = loads_bench("\n".join(lines))
    assert c.depth(count_inverters=True) == n + 1
    lits = [f"{2 * (k + 2)} {2 * (k + 3)} 2" for k in range(n)]  # AND k depends on AND k + 1
    text = f"aag {n + 2} 1 0 1 {n}\n2\n4\n" + "\n".join(lits[:-1]) + f"\n{2 * (n + 1)} 2 3\n"
    assert loads_aiger(text).depth() == n
    cyc = text.replace(f"\n{2 * (n + 1)} 2 3\n", f"\n{2 * (n + 1)} 4 3\n")
    with pytest.raises(CircuitFormatError, match="combinational cycle"):
        loads_aiger(cyc)


_MUTATION = st.lists(
    st.tuples(st.integers(0, 4), st.integers(0, 10_000), st.sampled_from(list(b"0123456789 \n-~$=()\x80\xffaicAND"))),
    min_size=1, max_size=6,
)


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.sampled_from(sorted(SEEDS)), st.integers(0, 1), _MUTATION)
def test_mutated_files_only_raise_format_errors(fmt, which, edits):
    """Theorem: any mutation of a valid file reads as a circuit or raises a format/structure error naming
    the file; nothing else escapes."""
    data = bytearray(SEEDS[fmt][1][which])
    for op, pos, byte in edits:
        p = pos % (len(data) + 1)
        if op == 0 and data:
            data[min(p, len(data) - 1)] = byte
        elif op == 1:
            data.insert(p, byte)
        elif op == 2 and data:
            del data[min(p, len(data) - 1)]
        elif op == 3:
            data = data[:p]
        elif data:
            data[min(p, len(data) - 1)] ^= 1 << (pos % 8)
    _load(fmt, data)


@settings(max_examples=150, deadline=None)
@given(st.sampled_from(sorted(SEEDS)), st.binary(max_size=300))
def test_random_bytes_behind_a_valid_header(fmt, tail):
    """Theorem: random bytes, with or without a valid header, read as a circuit or raise a format/structure
    error naming the file."""
    head = {"aag": b"aag 5 2 1 1 2\n", "aig": b"aig 5 2 1 1 2\n", "bench": b"INPUT(a)\n", "thr": b"serialcomp-thr 1\n"}
    _load(fmt, head[fmt] + tail)
    _load(fmt, tail)
