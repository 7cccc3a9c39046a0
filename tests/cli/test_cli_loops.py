"""`serialcomp loops`: train the tiny config from the command line, read it back, evaluate it, and
score its predictions on a dataset written by `serialcomp generate` (they must agree with eval)."""

from __future__ import annotations

import json

import pytest

torch = pytest.importorskip("torch")

from serialcomp.cli import main  # noqa: E402


@pytest.fixture(autouse=True)
def _keep_threads():
    old = torch.get_num_threads()
    yield
    torch.set_num_threads(old)


@pytest.fixture(scope="module")
def model_path(tmp_path_factory):
    """`serialcomp loops train --config tiny` (a real training run, about 15 s)."""
    old = torch.get_num_threads()
    path = tmp_path_factory.mktemp("loops") / "tiny.pt"
    assert main(["loops", "train", "--config", "tiny", "--device", "cpu", "--quiet", "--out", str(path)]) == 0
    torch.set_num_threads(old)
    return path


def _json(capsys, argv):
    assert main(argv) == 0
    return json.loads(capsys.readouterr().out)


def test_info_reports_what_the_issue_asks(model_path, capsys):
    info = _json(capsys, ["loops", "info", str(model_path), "--json"])
    assert (info["problem"], info["n_train"], info["loops_train"], info["params"]) == ("word:Z5", 4, 4, {"prefix": True})
    assert info["config"]["name"] == "tiny" and info["metadata"]["serialcomp_version"]
    assert main(["loops", "info", str(model_path)]) == 0
    assert "word:Z5" in capsys.readouterr().out


def test_learning_happened_and_predict_agrees_with_eval(model_path, tmp_path, capsys):
    rows = _json(capsys, ["loops", "eval", str(model_path), "--n", "4", "--loops", "1", "4", "--count", "300",
                          "--seed", "3", "--json", "--device", "cpu"])
    acc = {r["loops"]: r for r in rows}
    assert acc[4]["accuracy"] >= acc[4]["chance"] + 0.3 and acc[4]["accuracy"] >= acc[1]["accuracy"] + 0.1
    data = tmp_path / "data.jsonl"
    assert main(["generate", "word:Z5", "--n", "4", "--count", "300", "--seed", "3", "--param", "prefix=true",
                 "--out", str(data)]) == 0
    capsys.readouterr()
    for loops, row in acc.items():
        out = tmp_path / f"pred{loops}.jsonl"
        assert main(["loops", "predict", str(model_path), "--input", str(data), "--loops", str(loops),
                     "--out", str(out)]) == 0
        records = [json.loads(line) for line in data.read_text().splitlines()]
        preds = [json.loads(line) for line in out.read_text().splitlines()]
        assert [p["index"] for p in preds] == [r["index"] for r in records]
        score = sum(p["prediction"] == r["target"] for p, r in zip(preds, records)) / len(records)
        assert score == pytest.approx(row["accuracy"])
    # halting: fixed-point on the same records, scored the same way
    rows = _json(capsys, ["loops", "eval", str(model_path), "--n", "4", "--loops", "12", "--halt", "fixed-point",
                          "--count", "300", "--seed", "3", "--json"])
    assert main(["loops", "predict", str(model_path), "--input", str(data), "--halt", "fixed-point", "--loops", "12"]) == 0
    preds = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    records = [json.loads(line) for line in data.read_text().splitlines()]
    assert sum(p["prediction"] == r["target"] for p, r in zip(preds, records)) / 300 == pytest.approx(rows[0]["accuracy"])
    assert sum(p["loops"] for p in preds) / 300 == pytest.approx(rows[0]["loops_mean"])


def test_predict_reads_parquet_and_raw_records(model_path, tmp_path, capsys):
    raw = tmp_path / "raw.parquet"
    assert main(["generate", "word:Z5", "--n", "4", "--count", "20", "--seed", "1", "--raw", "--out", str(raw)]) == 0
    capsys.readouterr()
    assert main(["loops", "predict", str(model_path), "--input", str(raw), "--loops", "4"]) == 0
    preds = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert len(preds) == 20 and all(type(p["prediction"]) is int for p in preds)


def test_study_writes_its_files_beside_others(model_path, tmp_path, capsys):
    out = tmp_path / "results"
    out.mkdir()
    (out / "table.md").write_text("a study's table")
    res = _json(capsys, ["loops", "study", "--model", str(model_path), "--ns", "2", "4", "6", "--max-loops", "5",
                         "--count", "64", "--out", str(out), "--json"])
    assert sorted(p.name for p in out.iterdir()) == ["loops.parquet", "loops.png", "table.md"]
    assert [r["n"] for r in res["l_star"]] == [2, 4, 6] and "l_star_fit" in res
    assert (out / "table.md").read_text() == "a study's table"


def test_train_from_a_problem_and_overrides(tmp_path, capsys):
    path = tmp_path / "p.pt"
    assert main(["loops", "train", "--problem", "parity", "--n", "6", "--loops", "2", "--layers", "1", "--width", "16",
                 "--steps", "3", "--batch", "8", "--positions", "learned", "--seed", "4", "--quiet", "--out", str(path)]) == 0
    assert "trained at n=6" in capsys.readouterr().out
    info = _json(capsys, ["loops", "info", str(path), "--json"])
    cfg = info["config"]
    assert (cfg["problem"], cfg["n_train"], cfg["loops_train"], cfg["layers"], cfg["width"], cfg["steps"], cfg["batch"],
            cfg["positions"], cfg["seed"]) == ("parity", 6, 2, 1, 16, 3, 8, "learned", 4)


@pytest.mark.parametrize("argv, message", [
    (["loops", "train", "--problem", "parity", "--out", "m.pt"], "--problem needs --n"),
    (["loops", "train", "--config", "tiny", "--problem", "parity", "--n", "4", "--out", "m.pt"], "not both"),
    (["loops", "train", "--config", "huge", "--out", "m.pt"], "unknown loops config 'huge'"),
    (["loops", "train", "--problem", "sudoku", "--n", "4", "--out", "m.pt"], "looped models read"),
    (["loops", "train", "--config", "tiny", "--out", "no/such/dir/m.pt"], "does not exist"),
    (["loops", "train", "--config", "tiny", "--device", "cuda:7", "--out", "m.pt"], "cuda"),
    (["loops", "info", "missing.pt"], "no such file"),
])
def test_errors_are_one_line(tmp_path, monkeypatch, capsys, argv, message):
    monkeypatch.chdir(tmp_path)
    assert main(argv) == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and message in err and "Traceback" not in err
    assert not (tmp_path / "m.pt").exists()


def test_predict_refuses_to_overwrite_its_input(model_path, tmp_path, capsys):
    data = tmp_path / "d.jsonl"
    assert main(["generate", "word:Z5", "--n", "4", "--count", "3", "--out", str(data)]) == 0
    before = data.read_bytes()
    assert main(["loops", "predict", str(model_path), "--input", str(data), "--loops", "2", "--out", str(data)]) == 1
    assert "refusing to overwrite an input" in capsys.readouterr().err and data.read_bytes() == before
    assert main(["loops", "eval", str(model_path), "--n", "4", "--halt", "fixed-point", "--damping", "0"]) == 1
    assert "damping" in capsys.readouterr().err


@pytest.mark.slow
def test_gpu_script_runs_on_the_cpu_with_a_tiny_setting(tmp_path):
    """benchmarks/gpu_loops.sh end to end (train, info, eval, fixed-point eval, study) on the CPU."""
    import os
    import shutil
    import subprocess
    import sys
    from pathlib import Path

    if shutil.which("bash") is None or shutil.which("timeout") is None:
        pytest.skip("needs bash and timeout")
    script = Path(__file__).resolve().parents[2] / "benchmarks" / "gpu_loops.sh"
    env = dict(os.environ, OUT=str(tmp_path / "out"), CONFIG="tiny", DEVICE="cpu", STEPS="5", TRAIN_SECONDS="60",
               NS="2 4", MAX_LOOPS="2", COUNT="16", PYTHON=sys.executable)
    r = subprocess.run(["bash", str(script)], env=env, capture_output=True, text=True, timeout=300)
    assert r.returncode == 0, r.stdout[-2000:] + r.stderr[-2000:]
    out = tmp_path / "out"
    for name in ("env.txt", "train.txt", "info.json", "study.md", "goal.md", "results/loops.parquet", "results/loops.png"):
        assert (out / name).stat().st_size > 0, name
    goal = (out / "goal.md").read_text()
    assert "| 4 |" in goal and "goal (>= 0.95 at n = 4 with fixed-point halting)" in goal
