"""read_circuit / write_circuit: the extension picks the format."""

import pytest

from serialcomp.errors import CircuitFormatError, SerialcompError
from serialcomp.io import read_circuit, write_circuit
from serialcomp.ir import CircuitBuilder
from serialcomp.ir.looped import LoopedCircuit

from iohelpers import same_function


def _circuit():
    b = CircuitBuilder(); xs = b.input_bus("x", 4)
    b.output(b.or_(b.and_(xs[0], xs[1] ^ 1), b.xor(xs[2], xs[3])), "y")
    b.output(b.buf(xs[3] ^ 1), "n3")
    return b.build()


@pytest.mark.parametrize("ext", [".aag", ".aig", ".bench", ".thr", ".AIG", ".Bench"])
def test_each_extension_round_trips(tmp_path, ext):
    c = _circuit()
    path = tmp_path / f"c{ext}"
    write_circuit(c, path)
    back = read_circuit(path)
    assert same_function(back, c) and back.output_names == c.output_names
    if ext.lower() == ".thr":
        assert back == c
    if ext.lower() == ".bench":  # the negated AND fan-in became a NOT gate; stable from then on
        assert back.size()["BUF"] == 2 and read_circuit(path) == back
    head = path.read_bytes()[:3]
    assert head == {".aag": b"aag", ".aig": b"aig"}.get(ext.lower(), head)


def test_looped_through_every_format(tmp_path):
    b = CircuitBuilder(); s, x = b.input("s"), b.input("x")
    b.output(b.xor(s, x), "s_next"); b.output(b.and_(s, x), "y")
    lc = LoopedCircuit(b.build(), 1)
    for ext in (".aag", ".aig", ".bench", ".thr"):
        write_circuit(lc, tmp_path / f"l{ext}")
        back = read_circuit(tmp_path / f"l{ext}")
        assert isinstance(back, LoopedCircuit) and back.n_state == 1 and back.init == (0,)
        assert same_function(back.step, lc.step)


def test_verilog_is_write_only_and_module_named_after_file(tmp_path):
    write_circuit(_circuit(), tmp_path / "9 adder.v")
    assert (tmp_path / "9 adder.v").read_text().startswith("module m_9_adder(")
    write_circuit(_circuit(), tmp_path / "x.v", module_name="custom")
    assert (tmp_path / "x.v").read_text().startswith("module custom(")
    with pytest.raises(CircuitFormatError, match="cannot read .* extension '.v'"):
        read_circuit(tmp_path / "x.v")


def test_unknown_extensions_and_options(tmp_path):
    with pytest.raises(CircuitFormatError, match=r"extension '\.blif'.*\.aag, \.aig, \.bench, \.thr, \.v"):
        write_circuit(_circuit(), tmp_path / "c.blif")
    with pytest.raises(CircuitFormatError, match=r"extension '\(none\)'"):
        read_circuit(tmp_path / "noext")
    write_circuit(_circuit(), tmp_path / "c.aig", comment="hello")
    assert (tmp_path / "c.aig").read_bytes().endswith(b"c\nhello\n")
    (tmp_path / "dir.aig").mkdir()
    with pytest.raises(SerialcompError, match="got a directory"):
        read_circuit(tmp_path / "dir.aig")


def test_missing_file_is_an_os_error(tmp_path):
    with pytest.raises(FileNotFoundError):
        read_circuit(tmp_path / "nope.aig")
