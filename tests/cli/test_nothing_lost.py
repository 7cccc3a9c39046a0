"""Nothing lost: no command destroys an input, leaves a partial output or empties an existing file.

Each case runs the real command in a subprocess (so signals, exit statuses and stderr are the
user's), and checks the files left behind byte for byte.
"""

from __future__ import annotations

import signal
from pathlib import Path

import numpy as np
import pytest

from serialcomp.testing.benchmarks import epfl_dir
from serialcomp.testing.cli import (assert_one_line_error, full_disk, interrupt_when, leftovers, run_cli,
                                    temporary_output_of)

EPFL = epfl_dir() or Path("/nonexistent-epfl")


# -- inputs are never overwritten ---------------------------------------------------------------


def test_simulate_refuses_to_write_over_its_circuit(tmp_path, small_circuit):
    _, path = small_circuit
    before = path.read_bytes()
    for option in ("--out", "--save-inputs"):
        args = ["simulate", str(path), "--random", "10", "--out", str(tmp_path / "o.npy"), option, str(path)]
        r = run_cli(*args, cwd=tmp_path)
        assert_one_line_error(r, "refusing to overwrite an input", "PATH")
        assert path.read_bytes() == before


def test_simulate_refuses_out_equal_to_its_patterns(tmp_path, small_circuit):
    _, path = small_circuit
    pats = tmp_path / "p.npy"
    np.save(pats, np.zeros((3, 5), bool))
    before = pats.read_bytes()
    r = run_cli("simulate", str(path), "--inputs", "p.npy", "--out", str(pats), cwd=tmp_path)
    assert_one_line_error(r, "--out", "--inputs")
    assert pats.read_bytes() == before


def test_simulate_refuses_two_outputs_in_one_file(tmp_path, small_circuit):
    _, path = small_circuit
    r = run_cli("simulate", str(path), "--random", "3", "--out", "o.npy", "--save-inputs", "./o.npy", cwd=tmp_path)
    assert_one_line_error(r, "two outputs cannot share a file")
    assert not (tmp_path / "o.npy").exists()


def test_convert_refuses_to_write_over_its_input(tmp_path, small_circuit):
    _, path = small_circuit
    before = path.read_bytes()
    assert_one_line_error(run_cli("convert", str(path), str(path), cwd=tmp_path), "refusing to overwrite an input")
    link = tmp_path / "alias.thr"
    link.symlink_to(path)  # the same file under another name
    assert_one_line_error(run_cli("convert", str(path), str(link), cwd=tmp_path), "refusing to overwrite an input")
    assert path.read_bytes() == before


# -- a failed run leaves existing files as they were --------------------------------------------


def test_generate_failing_after_the_checks_keeps_an_existing_file(tmp_path):
    keep = tmp_path / "keep.jsonl"
    keep.write_text('{"precious": true}\n')
    r = run_cli("generate", "parity", "--n", "8", "--count", "2", "--start", str(2**63 - 1), "--out", "keep.jsonl",
             cwd=tmp_path)
    assert_one_line_error(r, "--start")
    assert keep.read_text() == '{"precious": true}\n' and leftovers(tmp_path) == []


def test_out_in_a_missing_folder_is_named(tmp_path):
    r = run_cli("generate", "parity", "--n", "4", "--count", "2", "--out", "nodir/x.parquet", cwd=tmp_path)
    assert_one_line_error(r, "nodir/x.parquet", "the folder nodir does not exist")


@pytest.mark.parametrize("key", ["n", "seed", "count", "start"])
def test_param_cannot_shadow_an_option(tmp_path, key):
    r = run_cli("generate", "parity", "--n", "4", "--count", "2", "--param", f"{key}=5", cwd=tmp_path)
    assert_one_line_error(r, f"--param {key}=", f"--{key}")


def test_upper_case_parquet_suffix_writes_parquet(tmp_path):
    r = run_cli("generate", "parity", "--n", "4", "--count", "3", "--out", "d.PARQUET", cwd=tmp_path)
    assert r.returncode == 0, r.stderr
    assert (tmp_path / "d.PARQUET").read_bytes()[:4] == b"PAR1"


# -- a full disk ---------------------------------------------------------------------------------

@pytest.mark.skipif(not (EPFL / "hyp.aig").exists(), reason="EPFL benchmarks not found")
def test_convert_on_a_full_disk_keeps_the_old_file(tmp_path):
    target = tmp_path / "hyp.aag"
    target.write_bytes(b"aag 0 0 0 0 0\n")  # an existing file that must survive
    r = run_cli("convert", str(EPFL / "hyp.aig"), "hyp.aag", cwd=tmp_path, preexec=full_disk(1 << 20))
    assert_one_line_error(r, "hyp.aag")
    assert target.read_bytes() == b"aag 0 0 0 0 0\n" and leftovers(tmp_path) == []


@pytest.mark.parametrize("fmt", ["jsonl", "parquet"])
def test_generate_on_a_full_disk_keeps_the_old_file(tmp_path, fmt):
    target = tmp_path / f"d.{fmt}"
    target.write_bytes(b"old contents")
    r = run_cli("generate", "word:S5", "--n", "64", "--count", "20000", "--out", target.name, "--compression", "none",
             cwd=tmp_path, preexec=full_disk(1 << 18))
    assert_one_line_error(r, target.name)
    assert target.read_bytes() == b"old contents" and leftovers(tmp_path) == []


def test_simulate_on_a_full_disk_writes_none_of_its_outputs(tmp_path, small_circuit):
    _, path = small_circuit
    r = run_cli("simulate", str(path), "--random", "200000", "--out", "o.npy", "--save-inputs", "i.npy", cwd=tmp_path,
             preexec=full_disk(700_000))  # o.npy (600 kB) fits, i.npy (1 MB) does not
    assert_one_line_error(r)
    assert not (tmp_path / "o.npy").exists() and not (tmp_path / "i.npy").exists()
    assert leftovers(tmp_path) == []


# -- Ctrl-C and SIGTERM ------------------------------------------------------------------------


@pytest.mark.parametrize("sig", [signal.SIGINT, signal.SIGTERM])
@pytest.mark.parametrize("fmt", ["parquet", "jsonl"])
def test_interrupted_generate_leaves_no_partial_dataset(tmp_path, sig, fmt):
    target = tmp_path / f"d.{fmt}"
    target.write_bytes(b"the previous dataset")
    args = ["generate", "parity", "--n", "64", "--count", str(10**8), "--out", target.name]
    r = interrupt_when(args, tmp_path, sig, temporary_output_of(tmp_path, target.name), settle=0.3)
    assert r.returncode == 130, r.stderr
    assert r.stderr.splitlines()[-1] == "serialcomp: interrupted" and "Traceback" not in r.stderr
    assert target.read_bytes() == b"the previous dataset"
    assert leftovers(tmp_path) == []


def test_interrupted_generate_to_a_new_file_leaves_nothing(tmp_path):
    r = interrupt_when(["generate", "parity", "--n", "64", "--count", str(10**8), "--out", "new.parquet"],
                       tmp_path, signal.SIGINT, temporary_output_of(tmp_path, "new.parquet"), settle=0.3)
    assert r.returncode == 130
    assert sorted(p.name for p in tmp_path.iterdir()) == []


# Python to run first: the third chunk's sampling raises SIGINT inside a __del__, where Python drops
# the KeyboardInterrupt ("Exception ignored"), as it does when Ctrl-C lands in an import's lock callback
SWALLOWED_CTRL_C = """
import os, signal
from serialcomp.problems.counting import ParityProblem
class _SignalsInDel:
    def __del__(self):
        os.kill(os.getpid(), signal.SIGINT)
        for _ in range(1000):
            pass
_sample, _calls = ParityProblem.sample, []
def _sample_swallowing(self, *a, **k):
    _calls.append(1)
    if len(_calls) == 3:
        obj = _SignalsInDel()
        del obj
    return _sample(self, *a, **k)
ParityProblem.sample = _sample_swallowing
"""


@pytest.mark.parametrize("shards", [None, 2])
def test_a_ctrl_c_python_swallows_still_interrupts(tmp_path, shards):
    """A Ctrl-C whose KeyboardInterrupt Python drops on its way up (the CI failure of stop 16: it
    landed in importlib's module-lock callback, and a 10^8-record run went on) still ends the run
    within one chunk: exit 130, one line, no "Exception ignored", the previous output as it was."""
    target = tmp_path / ("d" if shards else "d.parquet")
    extra = ["--shards", str(shards)] if shards else []
    args = ["generate", "parity", "--n", "64", "--count", str(10**8), *extra, "--out", target.name]
    r = run_cli(*args, cwd=tmp_path, preexec=SWALLOWED_CTRL_C, timeout=120)
    assert r.returncode == 130, r.stderr
    assert r.stderr == "serialcomp: interrupted\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == []


# -- bad input: one line, never a traceback ------------------------------------------------------


def test_negative_seed_is_a_usage_error(tmp_path, small_circuit):
    _, path = small_circuit
    r = run_cli("simulate", str(path), "--random", "3", "--seed", "-1", "--out", "o.npy", cwd=tmp_path)
    assert r.returncode == 2 and "non-negative integer" in r.stderr and "Traceback" not in r.stderr


def _npy_cases(folder: Path) -> dict[str, tuple[Path, str]]:
    empty = folder / "empty.npy"
    empty.write_bytes(b"")
    npz = folder / "arrays.npy"
    np.savez(folder / "arrays.npz", x=np.zeros((2, 5), bool))
    (folder / "arrays.npz").rename(npz)
    huge = folder / "huge.npy"
    with open(huge, "wb") as f:  # a header declaring 10^12 x 5 bools over 10 bytes of data
        np.lib.format.write_array_header_1_0(f, {"descr": "|b1", "fortran_order": False, "shape": (10**12, 5)})
        f.write(b"\0" * 10)
    short = folder / "short.npy"
    np.save(short, np.zeros((100, 5), bool))
    short.write_bytes(short.read_bytes()[:-7])
    text = folder / "text.npy"
    text.write_text("0 1 0 1 1\n")
    objs = folder / "objs.npy"
    np.save(objs, np.array([[None] * 5], dtype=object), allow_pickle=True)
    return {"empty": (empty, "empty"), "npz": (npz, ".npz"), "huge": (huge, "declares shape"),
            "short": (short, "declares shape"), "text": (text, "not a .npy"), "objects": (objs, "objects")}


@pytest.mark.parametrize("case", ["empty", "npz", "huge", "short", "text", "objects"])
def test_bad_npy_inputs_are_one_line_errors(tmp_path, small_circuit, case):
    _, path = small_circuit
    bad, needle = _npy_cases(tmp_path)[case]
    r = run_cli("simulate", str(path), "--inputs", bad.name, "--out", "o.npy", cwd=tmp_path)
    assert_one_line_error(r, bad.name, needle, "--inputs")
    assert not (tmp_path / "o.npy").exists()


def test_steps_on_a_combinational_circuit_is_refused(tmp_path, small_circuit):
    _, path = small_circuit
    r = run_cli("simulate", str(path), "--random", "3", "--steps", "4", "--out", "o.npy", cwd=tmp_path)
    assert_one_line_error(r, "--steps", "combinational")


def test_random_beyond_memory_is_refused_before_allocating(tmp_path, small_circuit):
    _, path = small_circuit
    r = run_cli("simulate", str(path), "--random", str(10**15), "--out", "o.npy", cwd=tmp_path)
    assert_one_line_error(r, "--random", "of memory")


def test_chunk_size_beyond_memory_is_refused(tmp_path):
    r = run_cli("generate", "word:S5", "--n", "4096", "--count", str(10**9), "--chunk-size", str(10**9),
             "--out", "d.parquet", cwd=tmp_path)
    assert_one_line_error(r, "--chunk-size", "of memory")
    assert not (tmp_path / "d.parquet").exists()
