"""`serialcomp simulate`: shapes, loop and stream modes, and the lean --random path."""

from pathlib import Path

import numpy as np
import pytest

from serialcomp.cli import main
from serialcomp.testing.benchmarks import epfl_dir
from serialcomp.testing.reference import evaluate_reference

EPFL = epfl_dir() or Path("/nonexistent-epfl")


def test_simulate_inputs_and_random(tmp_path, small_circuit):
    c, path = small_circuit
    pats = np.random.default_rng(1).random((100, 5)) < 0.5
    np.save(tmp_path / "in.npy", pats)
    assert main(["simulate", str(path), "--inputs", str(tmp_path / "in.npy"), "--out", str(tmp_path / "out.npy")]) == 0
    out = np.load(tmp_path / "out.npy")
    assert out.dtype == bool and out.shape == (100, 3)
    assert np.array_equal(out, evaluate_reference(c, pats))
    assert main(["simulate", str(path), "--random", "77", "--seed", "3", "--save-inputs", str(tmp_path / "r.npy"),
                 "--out", str(tmp_path / "o2.npy")]) == 0
    assert np.array_equal(np.load(tmp_path / "o2.npy"), evaluate_reference(c, np.load(tmp_path / "r.npy")))


def test_simulate_bad_shape_is_a_clear_error(tmp_path, capsys, small_circuit):
    _, path = small_circuit
    np.save(tmp_path / "bad.npy", np.zeros((4, 7), bool))
    assert main(["simulate", str(path), "--inputs", str(tmp_path / "bad.npy"), "--out", str(tmp_path / "o.npy")]) == 1
    err = capsys.readouterr().err
    assert "expected shape (batch, 5)" in err and "bad.npy" in err


@pytest.mark.parametrize("option", [["--random", "-5"], ["--random", "0"], ["--random", "3", "--steps", "-1"],
                                    ["--random", "3", "--threads", "0"]])
def test_simulate_rejects_non_positive_counts_naming_the_option(tmp_path, capsys, option, small_circuit):
    c, path = small_circuit
    with pytest.raises(SystemExit) as exc:
        main(["simulate", str(path), *option, "--out", str(tmp_path / "o.npy")])
    assert exc.value.code == 2
    err = capsys.readouterr().err
    assert option[-2] in err and "positive integer" in err


def test_simulate_writes_exactly_the_out_path(tmp_path, small_circuit):
    c, path = small_circuit
    out = tmp_path / "result"  # no .npy suffix: np.save would have added one
    ins = tmp_path / "patterns"
    assert main(["simulate", str(path), "--random", "4", "--save-inputs", str(ins), "--out", str(out)]) == 0
    assert out.exists() and not (tmp_path / "result.npy").exists() and not (tmp_path / "patterns.npy").exists()
    assert np.array_equal(np.load(out), evaluate_reference(c, np.load(ins)))


def test_simulate_loop_mode_with_halting(tmp_path, capsys, loop_counter_thr):
    path = loop_counter_thr
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


def test_simulate_halt_on_a_combinational_circuit_is_refused(tmp_path, capsys, small_circuit):
    _, path = small_circuit
    assert main(["simulate", str(path), "--random", "4", "--halt", "--out", str(tmp_path / "o.npy")]) == 1
    assert "--halt applies to loop-mode circuits" in capsys.readouterr().err
