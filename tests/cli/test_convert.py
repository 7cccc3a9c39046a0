"""`serialcomp convert`: round trips through the outside tools' formats."""

import re
import shutil
import subprocess
from pathlib import Path

import numpy as np

from serialcomp.cli import main
from serialcomp.testing.benchmarks import epfl_dir
from serialcomp.testing.reference import evaluate_reference

EPFL = epfl_dir() or Path("/nonexistent-epfl")


def test_convert_round_trip_and_missing_file(tmp_path, capsys, small_circuit):
    c, path = small_circuit
    assert main(["convert", str(path), str(tmp_path / "small.aag")]) == 0
    from serialcomp.io import read_circuit

    a = read_circuit(tmp_path / "small.aag")
    pats = np.random.default_rng(2).random((64, 5)) < 0.5
    assert np.array_equal(evaluate_reference(a, pats), evaluate_reference(c, pats))
    assert main(["info", str(tmp_path / "nope.aig")]) == 1
    assert "nope.aig" in capsys.readouterr().err


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
