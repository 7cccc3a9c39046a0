"""AIGER against outside tools: ABC's ``&r; &ps`` on the 20 EPFL circuits and on files we write.

Debian's ABC reads binary AIGER only (its ``&r`` aborts on ASCII files), so ASCII files we write
are converted to binary by Yosys's independent ``read_aiger`` and then checked by ABC.
"""

import subprocess

import pytest
from hypothesis import given, settings, strategies as st

from serialcomp.io import dumps_aiger, read_aiger, write_aiger
from serialcomp.ir.looped import LoopedCircuit
from serialcomp.testing.strategies import circuits

from iohelpers import (
    EPFL, YOSYS, abc_stats, needs_abc, needs_epfl, needs_yosys, our_stats, same_function_by_name, strash_and_prune,
)

pytestmark = pytest.mark.tools

NAMES = sorted(p.stem for p in EPFL.glob("*.aig"))
SMALL = ["adder", "bar", "cavlc", "ctrl", "dec", "i2c", "int2float", "max", "priority", "router", "sin"]


@needs_epfl
@needs_abc
def test_all_epfl_circuits_match_abc():
    """Inputs, outputs, AND count and depth of every EPFL circuit equal ABC's ``&ps``."""
    assert len(NAMES) == 20
    paths = [EPFL / f"{n}.aig" for n in NAMES]
    for name, path, abc in zip(NAMES, paths, abc_stats(paths)):
        assert our_stats(read_aiger(path)) == abc, name


@needs_epfl
@needs_abc
def test_binary_files_we_write_read_the_same_in_abc(tmp_path):
    paths = []
    for n in NAMES:
        c = read_aiger(EPFL / f"{n}.aig")
        write_aiger(c, tmp_path / f"{n}.aig")
        paths.append(tmp_path / f"{n}.aig")
    for name, path, abc in zip(NAMES, paths, abc_stats(paths)):
        assert our_stats(read_aiger(EPFL / f"{name}.aig")) == abc, name
        # Identical AND section and header: only the comment differs.
        ours, theirs = path.read_bytes(), (EPFL / f"{name}.aig").read_bytes()
        assert ours[: ours.rindex(b"\nc\n")] == theirs[: theirs.rindex(b"\nc\n")], name


@needs_epfl
@needs_abc
@needs_yosys
def test_ascii_files_we_write_via_yosys_then_abc(tmp_path):
    """Yosys parses our ASCII AIGER and writes binary; ABC's numbers and our reading agree."""
    script = []
    for n in SMALL:
        write_aiger(read_aiger(EPFL / f"{n}.aig"), tmp_path / f"{n}.aag")
        script.append(f"read_aiger {tmp_path / n}.aag; write_aiger -symbols {tmp_path / n}_y.aig; design -reset")
    subprocess.run([YOSYS, "-q", "-p", "; ".join(script)], check=True, capture_output=True, timeout=120)
    stats = abc_stats([tmp_path / f"{n}_y.aig" for n in SMALL])
    for n, abc in zip(SMALL, stats):
        ours = read_aiger(tmp_path / f"{n}.aag")
        assert our_stats(ours) == abc, n
        assert same_function_by_name(read_aiger(tmp_path / f"{n}_y.aig"), ours), n


@needs_abc
@settings(max_examples=25, deadline=None)
@given(circuits(max_inputs=7, max_gates=12), st.booleans())
def test_random_circuits_written_as_aig_match_abc(tmp_path_factory, c, looped):
    """Random circuits lowered to AIGs, written, read by ABC: ABC's numbers are ours.

    ABC's ``&r`` hashes structurally and drops dangling nodes, so the AIG is given to it in that
    form.  With ``looped``, the first input/output pair becomes a latch (ABC's ``ff``).
    """
    a = strash_and_prune(c.to_aig())
    obj = LoopedCircuit(a, 1, init=[1]) if looped else a
    path = tmp_path_factory.mktemp("abc") / "c.aig"
    write_aiger(obj, path)
    back = read_aiger(path)
    assert our_stats(back) == abc_stats([path])[0]
    assert our_stats(back)["latches"] == int(looped)


@needs_abc
@needs_yosys
def test_circuit_without_inputs_matches_yosys_and_abc(tmp_path):
    """Constant outputs only (no inputs, latches or ANDs), in both AIGER forms: the tools agree."""
    from serialcomp.ir import CircuitBuilder

    b = CircuitBuilder(); b.output(1, "one"); b.output(0, "zero"); b.output(1, "one_again")
    c = b.build()
    write_aiger(c, tmp_path / "k.aig")
    write_aiger(c, tmp_path / "k.aag")
    subprocess.run([YOSYS, "-q", "-p", f"read_aiger {tmp_path / 'k.aag'}; write_aiger -symbols {tmp_path / 'k_y.aig'}"],
                   check=True, capture_output=True, timeout=60)
    ours = {"inputs": 0, "outputs": 3, "latches": 0, "ands": 0, "lev": 0}
    assert abc_stats([tmp_path / "k.aig", tmp_path / "k_y.aig"]) == [ours, ours]
    for name in ("k.aig", "k.aag"):
        assert read_aiger(tmp_path / name) == c
    assert same_function_by_name(read_aiger(tmp_path / "k_y.aig"), c)


@needs_epfl
def test_hyp_read_depth_and_write_are_exact():
    """hyp.aig (214k ANDs) reads with ABC's depth and writes back byte for byte up to the comment.
    How fast that is is measured in benchmarks/bench_io_depth.py, not asserted here."""
    c = read_aiger(EPFL / "hyp.aig")
    assert c.depth() == 24801
    data = dumps_aiger(c)
    theirs = (EPFL / "hyp.aig").read_bytes()
    assert data[: data.rindex(b"\nc\n")] == theirs[: theirs.rindex(b"\nc\n")]
