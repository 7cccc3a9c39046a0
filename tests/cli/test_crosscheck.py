"""`serialcomp crosscheck`: Numba vs. both torch modes, the report, and a mismatch when there is one."""

from __future__ import annotations

import json

import pytest

from serialcomp.cli import main

torch = pytest.importorskip("torch")


def test_files_are_identical_and_reported_as_json(tmp_path, small_circuit, loop_counter_thr, capsys):
    _, path = small_circuit
    assert main(["crosscheck", str(path), str(loop_counter_thr), "--random", "500", "--device", "cpu", "--json"]) == 0
    rep = json.loads(capsys.readouterr().out)
    assert rep["identical"] is True and len(rep["circuits"]) == 2
    for r in rep["circuits"]:
        for backend in ("numba", "packed", "dense"):
            assert r[backend]["identical"] is True and r[backend]["gate_patterns_per_s"] > 0
    assert rep["circuits"][1]["kind"] == "loop-mode looped"


def test_zoo_folder(tmp_path, capsys):
    from serialcomp.zoo import write_zoo

    write_zoo(tmp_path / "z", problems=["parity"])
    assert main(["crosscheck", "--zoo", str(tmp_path / "z"), "--random", "100", "--device", "cpu"]) == 0
    out = capsys.readouterr().out
    assert "parity/xor_tree_n8.thr" in out and "NO" not in out


def test_a_wrong_module_is_caught_with_its_first_mismatch(tmp_path, small_circuit, monkeypatch, capsys):
    """A torch module that flips output 'p' of pattern 37 must be reported, with that pattern and name."""
    import serialcomp.torch as st

    real = st.compile_torch

    def flip(bits):
        out = bits.clone()
        out[37, 1] = ~out[37, 1]
        return out

    def broken(circuit, **kw):
        m = real(circuit, **kw)
        if m.mode == "packed":
            words_of = m.forward_words
            m.forward_words = lambda w: st.pack_bits_torch(flip(st.unpack_bits_torch(words_of(w), 64 * w.shape[1])))
        else:
            forward = m.forward
            m.forward = lambda bits: flip(forward(bits))
        return m

    monkeypatch.setattr(st, "compile_torch", broken)
    _, path = small_circuit
    assert main(["crosscheck", str(path), "--random", "100", "--device", "cpu", "--json"]) == 1
    rep = json.loads(capsys.readouterr().out)
    c = rep["circuits"][0]
    assert rep["identical"] is False
    for mode in ("packed", "dense"):
        assert c[mode]["mismatch"] == {"pattern": 37, "output": "p"}


def test_nothing_to_check_is_an_error(capsys):
    assert main(["crosscheck"]) == 1
    assert "--zoo" in capsys.readouterr().err
