"""The `serialcomp` entry point: help texts, exit statuses, one-line errors."""

import shutil
import subprocess
import sys
from pathlib import Path


from serialcomp.cli import main
from serialcomp.testing.benchmarks import epfl_dir

EPFL = epfl_dir() or Path("/nonexistent-epfl")


def test_help_texts_run():
    exe = shutil.which("serialcomp")
    cmd = [exe] if exe else [sys.executable, "-m", "serialcomp"]
    for sub in (["--help"], ["info", "--help"], ["simulate", "--help"], ["convert", "--help"]):
        r = subprocess.run(cmd + sub, capture_output=True, text=True)
        assert r.returncode == 0 and "usage" in r.stdout


def test_os_errors_are_one_line_messages(tmp_path, capsys, small_circuit):
    c, path = small_circuit
    (tmp_path / "adir.aig").mkdir()
    assert main(["convert", str(path), str(tmp_path / "adir.aig")]) == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "adir.aig" in err and "Traceback" not in err
