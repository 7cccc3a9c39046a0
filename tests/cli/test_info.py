"""`serialcomp info`: the JSON keys and the table other tools rely on."""

import json
from pathlib import Path

import pytest

from serialcomp.cli import main
from serialcomp.testing.benchmarks import epfl_dir

EPFL = epfl_dir() or Path("/nonexistent-epfl")


def test_info_json_keys_and_values(tmp_path, capsys, small_circuit):
    c, path = small_circuit
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


def test_info_json_counts_buffers_apart_from_gates(tmp_path, capsys):
    bench = tmp_path / "n.bench"
    bench.write_text("INPUT(a)\nINPUT(b)\nOUTPUT(z)\nna = NOT(a)\nz = AND(na, b)\n")
    assert main(["info", str(bench), "--json"]) == 0
    info = json.loads(capsys.readouterr().out)
    assert info["gates"] == sum(info["gates_by_kind"].values())
    assert "BUF" not in info["gates_by_kind"]
