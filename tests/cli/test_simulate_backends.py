"""`serialcomp simulate --backend torch`: the same output files as the Numba simulator, in both
torch modes, for combinational, stream-mode and loop-mode circuits."""

from __future__ import annotations

import numpy as np
import pytest

from serialcomp.cli import main

torch = pytest.importorskip("torch")

BACKENDS = [[], ["--backend", "torch", "--torch-mode", "packed", "--device", "cpu"],
            ["--backend", "torch", "--torch-mode", "dense", "--device", "cpu"]]


def _outputs(tmp_path, args, names):
    """Run simulate once per backend; returns, per backend, the bytes of each named output."""
    got = []
    for k, backend in enumerate(BACKENDS):
        paths = {n: tmp_path / f"{n}{k}.npy" for n in names}
        argv = list(args) + backend
        for n, p in paths.items():
            argv += [f"--{n}", str(p)]
        assert main(argv) == 0
        got.append({n: np.load(p) for n, p in paths.items()})
    return got


def _all_equal(got):
    for other in got[1:]:
        for name, arr in got[0].items():
            assert arr.dtype == other[name].dtype and np.array_equal(arr, other[name]), name


def test_combinational_random_and_file_inputs(tmp_path, small_circuit):
    _, path = small_circuit
    _all_equal(_outputs(tmp_path, ["simulate", str(path), "--random", "1000", "--seed", "4"], ["out", "save-inputs"]))
    np.save(tmp_path / "in.npy", np.random.default_rng(0).random((77, 5)) < 0.5)
    _all_equal(_outputs(tmp_path, ["simulate", str(path), "--inputs", str(tmp_path / "in.npy")], ["out"]))


def test_loop_mode_with_halting_writes_the_same_files(tmp_path, loop_counter_thr):
    path = loop_counter_thr
    got = _outputs(tmp_path, ["simulate", str(path), "--random", "300", "--steps", "9", "--halt"],
                   ["out", "save-steps", "save-state", "save-inputs"])
    _all_equal(got)
    assert got[0]["save-steps"].dtype == np.int64


def test_stream_mode_aiger_with_latches(tmp_path):
    src = tmp_path / "toggle.aag"  # a latch toggled by the input: outputs the running parity
    src.write_text("aag 3 1 1 1 1\n2\n4 7\n6\n6 2 5\n")
    got = _outputs(tmp_path, ["simulate", str(src), "--random", "130", "--steps", "7"], ["out", "save-inputs"])
    _all_equal(got)
    assert got[0]["out"].shape == (130, 7, 1)


def test_torch_options_with_the_numba_backend_are_refused(tmp_path, small_circuit, capsys):
    _, path = small_circuit
    assert main(["simulate", str(path), "--random", "3", "--device", "cpu", "--out", str(tmp_path / "o.npy")]) == 1
    assert "--device applies to --backend torch" in capsys.readouterr().err


@pytest.mark.skipif(torch.cuda.is_available(), reason="a GPU is present")
def test_cuda_without_a_gpu_is_one_line(tmp_path, small_circuit, capsys):
    _, path = small_circuit
    assert main(["simulate", str(path), "--random", "3", "--backend", "torch", "--device", "cuda",
                 "--out", str(tmp_path / "o.npy")]) == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "no CUDA GPU is visible" in err
    assert not (tmp_path / "o.npy").exists()
