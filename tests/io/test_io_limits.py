"""Limits of the files: numbers too long for Python's int(), names UTF-8 cannot encode, an empty
BENCH file, and writes that a full disk interrupts (nothing lost: the old file stays whole)."""

import os
import subprocess
import sys
import textwrap

import pytest

from serialcomp.errors import CircuitFormatError, CircuitStructureError, SerialcompError
from serialcomp.io import (
    dumps_bench, dumps_thr, dumps_verilog, loads_aiger, loads_bench, loads_thr, read_bench, read_circuit, write_aiger,
    write_circuit,
)

HUGE = "7" * 5000  # more digits than int() converts (4300 by default)


@pytest.mark.parametrize("text, words", [
    (f"serialcomp-thr 1\ninput a\ng = THR[{HUGE}](a)\noutput o = g\n", "line 3: the threshold of THR has 5000 digits"),
    (f"serialcomp-thr 1\ninput a\ng = MOD[{HUGE}](a)\noutput o = g\n", "line 3: the modulus of MOD has 5000 digits"),
    (f"serialcomp-thr 1\ninput a\ng = THR[1]({HUGE}*a)\noutput o = g\n", "line 3: a weight has 5000 digits; it must be below 2\\*\\*40"),
    (f'serialcomp-thr 1\ninput "a b"\ng = THR[1](-{HUGE}*"a b")\noutput o = g\n', "line 3: a weight has 5000 digits"),
    (f"serialcomp-thr {HUGE}\n", "line 1: format version 777777777777... \\(5000 digits\\) is not supported"),
])
def test_thr_numbers_of_thousands_of_digits_are_one_line_errors(text, words):
    with pytest.raises(CircuitFormatError, match=words) as exc:
        loads_thr(text)
    assert "\n" not in str(exc.value)


def test_aiger_symbol_index_of_thousands_of_digits():
    with pytest.raises(CircuitFormatError, match="line 3: symbol for input 777777777777... \\(5000 digits\\)"):
        loads_aiger(b"aag 1 1 0 0 0\n2\ni" + HUGE.encode() + b" x\n")


def _surrogate_circuit():
    # a name JSON can carry in a .thr file but UTF-8 cannot encode (a lone surrogate)
    return loads_thr('serialcomp-thr 1\ninput "\\udc80x"\ninput b\n"g\\ud800" = AND("\\udc80x", b)\noutput "o\\udfff" = "g\\ud800"\n')


def test_lone_surrogate_names_convert_losslessly_or_are_refused_naming_them(tmp_path):
    c = _surrogate_circuit()
    assert c.input_names[0] == "\udc80x"
    # .thr: written as JSON escapes, read back identical
    write_circuit(c, tmp_path / "c.thr")
    back = read_circuit(tmp_path / "c.thr")
    assert back == c and back.node_names == c.node_names and (tmp_path / "c.thr").read_bytes().isascii()
    # BENCH and Verilog rename what they cannot hold, and write valid text
    write_circuit(c, tmp_path / "c.bench")
    assert read_bench(tmp_path / "c.bench").input_names == ("_x", "b")
    assert dumps_bench(c).encode("utf-8") and dumps_verilog(c).isascii()
    write_circuit(c, tmp_path / "c.v")
    # AIGER keeps names exactly, so it refuses, naming the symbol
    for ext in ("aig", "aag"):
        with pytest.raises(CircuitStructureError, match="name '\\\\udc80x' holds a lone surrogate \\(U\\+DC80\\)"):
            write_circuit(c, tmp_path / f"c.{ext}")
    with pytest.raises(CircuitStructureError, match="the comment holds a lone surrogate"):
        write_aiger(c.rename(inputs={"\udc80x": "x"}, outputs={"o\udfff": "o"}), tmp_path / "d.aig", comment="\ud834")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["c.bench", "c.thr", "c.v"]


@pytest.mark.parametrize("text", ["", "\n\n", "# only a comment\n"])
def test_empty_bench_is_an_error_naming_the_file(tmp_path, text):
    path = tmp_path / "empty.bench"
    path.write_text(text)
    with pytest.raises(CircuitFormatError, match="empty.bench: the file declares no inputs and no outputs"):
        read_bench(path)
    with pytest.raises(CircuitFormatError, match="<string>: the file declares no inputs"):
        loads_bench(text)
    # a netlist with an input and no output is still a circuit
    assert loads_bench("INPUT(a)\n").n_inputs == 1


def test_writer_to_a_missing_folder_is_a_one_line_error(tmp_path):
    c = loads_thr("serialcomp-thr 1\ninput a\noutput o = ~a\n")
    with pytest.raises(SerialcompError, match="nodir does not exist"):
        write_circuit(c, tmp_path / "nodir" / "c.thr")


FULL_DISK = textwrap.dedent("""
    import errno, os, resource, signal, sys
    from serialcomp.io import write_aiger, write_bench, write_circuit, write_thr, write_verilog
    from serialcomp.io import dumps_aiger
    from serialcomp.ir import CircuitBuilder
    d = sys.argv[1]
    b = CircuitBuilder(); xs = b.input_bus("x", 64); acc = xs[0]
    for k in range(6000):
        acc = b.and_(acc, xs[k % 64] ^ (k & 1))
        b.name(acc, f"node_with_a_long_name_{k}")
    b.output(acc, "y"); c = b.build()
    dumps_aiger(c)  # compile the writer's kernel while the disk still has room for numba's cache
    writers = {
        "c.thr": lambda p: write_thr(c, p), "c.bench": lambda p: write_bench(c, p),
        "c.v": lambda p: write_verilog(c, p), "c.aig": lambda p: write_aiger(c, p),
        "c.aag": lambda p: write_aiger(c, p, binary=False), "d.thr": lambda p: write_circuit(c, p),
        "d.aig": lambda p: write_circuit(c, p), "d.v": lambda p: write_circuit(c, p),
    }
    for name in writers:
        with open(os.path.join(d, name), "w") as f:
            f.write("precious")
    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # a full disk: write() fails with EFBIG
    resource.setrlimit(resource.RLIMIT_FSIZE, (4096, 4096))
    for name, write in writers.items():
        try:
            write(os.path.join(d, name))
            print(name, "written")
        except OSError as exc:
            print(name, errno.errorcode[exc.errno])
""")


@pytest.mark.skipif(sys.platform == "win32", reason="RLIMIT_FSIZE is POSIX")
def test_full_disk_leaves_existing_files_whole_and_no_temporary_file(tmp_path):
    """Every writer that takes a path writes a temporary file and renames it: when the disk is
    full (a file-size limit) the write fails with OSError, the file it would replace is intact and
    nothing else is left in the folder."""
    out = subprocess.run([sys.executable, "-c", FULL_DISK, str(tmp_path)], capture_output=True, text=True, timeout=300)
    assert out.returncode == 0, out.stderr
    lines = out.stdout.split("\n")[:-1]
    assert len(lines) == 8 and all(line.endswith(" EFBIG") for line in lines), out.stdout
    names = sorted(p.name for p in tmp_path.iterdir())
    assert names == sorted(["c.thr", "c.bench", "c.v", "c.aig", "c.aag", "d.thr", "d.aig", "d.v"])
    for name in names:
        assert (tmp_path / name).read_text() == "precious", name
    assert not any(n.startswith(".") for n in os.listdir(tmp_path))
