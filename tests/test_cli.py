"""The `serialcomp` command: the contract other tools rely on (info JSON keys, simulate shapes)."""

import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from serialcomp.cli import main
from serialcomp.ir import CircuitBuilder
from serialcomp.testing.benchmarks import epfl_dir
from serialcomp.testing.reference import evaluate_reference

EPFL = epfl_dir() or Path("/nonexistent-epfl")


def _small_circuit(tmp_path):
    from serialcomp.io import write_circuit

    b = CircuitBuilder(); xs = b.input_bus("x", 5)
    b.output(b.maj(*xs), "maj"); b.output(b.xor(*xs[:3]), "p"); b.output(b.and_(xs[0], xs[4] ^ 1), "a")
    c = b.build()
    path = tmp_path / "small.thr"
    write_circuit(c, path)
    return c, path


def test_info_json_keys_and_values(tmp_path, capsys):
    c, path = _small_circuit(tmp_path)
    assert main(["info", str(path), "--json"]) == 0
    info = json.loads(capsys.readouterr().out)
    assert {"inputs", "outputs", "latches", "gates", "gates_by_kind", "depth", "max_fanin"} <= set(info)
    assert info["inputs"] == 5 and info["outputs"] == 3 and info["latches"] == 0
    assert info["gates"] == 3 and info["gates_by_kind"] == {"AND": 1, "XOR": 1, "MAJ": 1}
    assert info["depth"] == 1 and info["max_fanin"] == 5
    assert main(["info", str(path), "--json", "--fanin", "2"]) == 0
    assert json.loads(capsys.readouterr().out)["depth"] == 3


@pytest.mark.skipif(not (EPFL / "ctrl.aig").exists(), reason="EPFL benchmarks not found")
def test_info_table_on_epfl(capsys):
    assert main(["info", str(EPFL / "ctrl.aig"), str(EPFL / "dec.aig")]) == 0
    out = capsys.readouterr().out
    assert "ctrl.aig" in out and "dec.aig" in out


def test_simulate_inputs_and_random(tmp_path):
    c, path = _small_circuit(tmp_path)
    pats = np.random.default_rng(1).random((100, 5)) < 0.5
    np.save(tmp_path / "in.npy", pats)
    assert main(["simulate", str(path), "--inputs", str(tmp_path / "in.npy"), "--out", str(tmp_path / "out.npy")]) == 0
    out = np.load(tmp_path / "out.npy")
    assert out.dtype == bool and out.shape == (100, 3)
    assert np.array_equal(out, evaluate_reference(c, pats))
    assert main(["simulate", str(path), "--random", "77", "--seed", "3", "--save-inputs", str(tmp_path / "r.npy"),
                 "--out", str(tmp_path / "o2.npy")]) == 0
    assert np.array_equal(np.load(tmp_path / "o2.npy"), evaluate_reference(c, np.load(tmp_path / "r.npy")))


def test_simulate_bad_shape_is_a_clear_error(tmp_path, capsys):
    _, path = _small_circuit(tmp_path)
    np.save(tmp_path / "bad.npy", np.zeros((4, 7), bool))
    assert main(["simulate", str(path), "--inputs", str(tmp_path / "bad.npy"), "--out", str(tmp_path / "o.npy")]) == 1
    err = capsys.readouterr().err
    assert "expected shape (batch, 5)" in err and "bad.npy" in err


def test_convert_round_trip_and_missing_file(tmp_path, capsys):
    c, path = _small_circuit(tmp_path)
    assert main(["convert", str(path), str(tmp_path / "small.aag")]) == 0
    from serialcomp.io import read_circuit

    a = read_circuit(tmp_path / "small.aag")
    pats = np.random.default_rng(2).random((64, 5)) < 0.5
    assert np.array_equal(evaluate_reference(a, pats), evaluate_reference(c, pats))
    assert main(["info", str(tmp_path / "nope.aig")]) == 1
    assert "nope.aig" in capsys.readouterr().err


def test_help_texts_run():
    exe = shutil.which("serialcomp")
    cmd = [exe] if exe else [sys.executable, "-m", "serialcomp"]
    for sub in (["--help"], ["info", "--help"], ["simulate", "--help"], ["convert", "--help"]):
        r = subprocess.run(cmd + sub, capture_output=True, text=True)
        assert r.returncode == 0 and "usage" in r.stdout


@pytest.mark.parametrize("option", [["--random", "-5"], ["--random", "0"], ["--random", "3", "--steps", "-1"],
                                    ["--random", "3", "--threads", "0"]])
def test_simulate_rejects_non_positive_counts_naming_the_option(tmp_path, capsys, option):
    c, path = _small_circuit(tmp_path)
    with pytest.raises(SystemExit) as exc:
        main(["simulate", str(path), *option, "--out", str(tmp_path / "o.npy")])
    assert exc.value.code == 2
    err = capsys.readouterr().err
    assert option[-2] in err and "positive integer" in err


def test_simulate_writes_exactly_the_out_path(tmp_path):
    c, path = _small_circuit(tmp_path)
    out = tmp_path / "result"  # no .npy suffix: np.save would have added one
    assert main(["simulate", str(path), "--random", "4", "--out", str(out)]) == 0
    assert out.exists() and not (tmp_path / "result.npy").exists()
    got = np.load(out)
    ins = np.random.Generator(np.random.PCG64(0)).random((4, 5)) < 0.5
    assert np.array_equal(got, evaluate_reference(c, ins))


def test_os_errors_are_one_line_messages(tmp_path, capsys):
    c, path = _small_circuit(tmp_path)
    (tmp_path / "adir.aig").mkdir()
    assert main(["convert", str(path), str(tmp_path / "adir.aig")]) == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "adir.aig" in err and "Traceback" not in err


def test_info_json_counts_buffers_apart_from_gates(tmp_path, capsys):
    bench = tmp_path / "n.bench"
    bench.write_text("INPUT(a)\nINPUT(b)\nOUTPUT(z)\nna = NOT(a)\nz = AND(na, b)\n")
    assert main(["info", str(bench), "--json"]) == 0
    info = json.loads(capsys.readouterr().out)
    assert info["gates"] == sum(info["gates_by_kind"].values())
    assert "BUF" not in info["gates_by_kind"]


def test_convert_aiger_to_aiger_keeps_the_comment_section(tmp_path):
    src = tmp_path / "and.aag"
    src.write_text("aag 3 2 0 1 1\n2\n4\n6\n6 2 4\ni0 x\ni1 y\no0 z\nc\nfrom a hand-written file\nsecond line\n")
    for dst in ("and.aig", "again.aag"):
        assert main(["convert", str(src), str(tmp_path / dst)]) == 0
        data = (tmp_path / dst).read_bytes()
        assert data.endswith(b"\nc\nfrom a hand-written file\nsecond line\n"), data[-60:]
        src = tmp_path / dst
    # ABC agrees the converted file is the same AND
    if shutil.which("berkeley-abc"):
        out = subprocess.run(["berkeley-abc", "-c", f"&r {tmp_path / 'and.aig'}; &ps"], capture_output=True, text=True)
        assert re.search(r"and =\s+1\b", re.sub(r"\x1b\[[0-9;]*m", "", out.stdout)), out.stdout


def _loop_counter_thr(tmp_path):
    """A loop-mode counter: the 3-bit state counts up (saturating) to the input x, so lane x reaches
    its fixed point after exactly x steps."""
    from serialcomp.io import write_circuit
    from serialcomp.ir.looped import LoopedCircuit

    b = CircuitBuilder()
    s = b.input_bus("s", 3)
    x = b.input_bus("x", 3)
    less = 0
    for k in range(3):  # ripple comparator s < x from the LSB
        less = b.or_(b.and_(s[k] ^ 1, x[k]), b.and_(b.xor(s[k], x[k]) ^ 1, less))
    carry = less
    nxt = []
    for k in range(3):
        nxt.append(b.xor(s[k], carry))
        b.output(nxt[-1], f"s'[{k}]")
        carry = b.and_(s[k], carry)
    b.output(nxt[2], "top")  # y: the top bit of the next state
    path = tmp_path / "counter.thr"
    write_circuit(LoopedCircuit(b.build(), n_state=3, mode="loop"), path)
    return path


def test_simulate_loop_mode_with_halting(tmp_path, capsys):
    path = _loop_counter_thr(tmp_path)
    values = np.arange(8)
    x = ((values[:, None] >> np.arange(3)) & 1).astype(bool)
    np.save(tmp_path / "x.npy", x)
    out, steps = tmp_path / "o.npy", tmp_path / "steps.npy"
    state = tmp_path / "state.npy"
    assert main(["simulate", str(path), "--inputs", str(tmp_path / "x.npy"), "--steps", "20", "--halt",
                 "--save-steps", str(steps), "--save-state", str(state), "--out", str(out), "--threads", "2"]) == 0
    assert np.array_equal(np.load(state), x)  # the state has counted up to x
    assert np.array_equal(np.load(out), x[:, [2]])  # y of the last step: the top state bit
    assert np.load(steps).tolist() == values.tolist()
    assert "8 of 8 lanes reached a fixed point within 20 steps, most steps used 7" in capsys.readouterr().err
    # Without --halt, 3 steps: lanes saturate at min(x, 3).
    assert main(["simulate", str(path), "--inputs", str(tmp_path / "x.npy"), "--steps", "3", "--out", str(out),
                 "--save-state", str(state)]) == 0
    got = np.load(state) @ (1 << np.arange(3))
    assert got.tolist() == np.minimum(values, 3).tolist()


def test_simulate_halt_on_a_combinational_circuit_is_refused(tmp_path, capsys):
    _, path = _small_circuit(tmp_path)
    assert main(["simulate", str(path), "--random", "4", "--halt", "--out", str(tmp_path / "o.npy")]) == 1
    assert "--halt applies to loop-mode circuits" in capsys.readouterr().err
