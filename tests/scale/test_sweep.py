"""`serialcomp loops sweep`: a grid of looped-model configs trained and evaluated in this process
or as Dask tasks, one table written to DIR/sweep.parquet.

Oracles: the in-process run (the Dask run must give the same rows, all but the wall-clock
``train_seconds``), the `loops train` + `loops info` + `loops eval` commands run one job at a time
(the sweep's rows are theirs), and the trained weights themselves (a Dask worker trains the same
tensors bit for bit as this process; that is why the rows agree).
"""

from __future__ import annotations

import io
import itertools
import json
import math
import sys

import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from serialcomp.cli import main
from serialcomp.scale import SWEEP_COLUMNS, SweepGrid
from serialcomp.scale.sweep import SweepGridError, parse_sweep_grid

STEPS = 120
# two jobs (seed 0 and 1); width is swept too, with one value, so a swept field that is not a
# column of its own shows up after `config`; device cpu: the oracles below run on the CPU
GRID = {"config": "tiny", "set": {"steps": STEPS}, "sweep": {"seed": [0, 1], "width": [16]},
        "eval": {"ns": [2, 4], "loops": [1, 4], "count": 64, "seed": 5}, "device": "cpu"}
COLUMNS = SWEEP_COLUMNS[:2] + ["width"] + SWEEP_COLUMNS[2:]
NOT_REPRODUCIBLE = ["train_seconds"]  # wall-clock time


@pytest.fixture(autouse=True)
def _keep_threads():
    """Training sets torch's thread count while it runs; leave it as found for other tests."""
    torch = sys.modules.get("torch")
    old = torch.get_num_threads() if torch is not None else None
    yield
    if old is not None:
        torch.set_num_threads(old)


def _write_grid(folder, data=GRID, name="g.json"):
    path = folder / name
    path.write_text(json.dumps(data) if not isinstance(data, str) else data)
    return path


@pytest.fixture(scope="module")
def dask_run(tmp_path_factory):
    """`loops sweep --grid g.json --scheduler local:2 --out D`, with D holding a file of the user's."""
    pytest.importorskip("torch")
    pytest.importorskip("distributed")
    folder = tmp_path_factory.mktemp("sweep")
    out = folder / "D"
    out.mkdir()
    (out / "notes.txt").write_text("kept")
    capture = pytest.MonkeyPatch()
    buf = io.StringIO()
    capture.setattr(sys, "stdout", buf)
    try:
        assert main(["loops", "sweep", "--grid", str(_write_grid(folder)), "--scheduler", "local:2",
                     "--out", str(out)]) == 0
    finally:
        capture.undo()
    return out, buf.getvalue()


@pytest.fixture(scope="module")
def in_process_run(tmp_path_factory):
    """The same grid in this process, with --json: (the table written, the JSON rows printed)."""
    pytest.importorskip("torch")
    folder = tmp_path_factory.mktemp("sweep_here")
    buf = io.StringIO()
    capture = pytest.MonkeyPatch()
    capture.setattr(sys, "stdout", buf)
    try:
        assert main(["loops", "sweep", "--grid", str(_write_grid(folder)), "--out", str(folder / "D"), "--json"]) == 0
    finally:
        capture.undo()
    return pd.read_parquet(folder / "D" / "sweep.parquet"), json.loads(buf.getvalue())


def test_dask_sweep_writes_one_row_per_job_n_loops_in_job_order(dask_run):
    """DIR/sweep.parquet has the SWEEP_COLUMNS with the swept `width` after `config`, one row per
    (job, n, loops) in job order (the last sweep key fastest), each job's swept values and eval
    settings; the other file in DIR is kept, and the Markdown table is printed."""
    out, stdout = dask_run
    assert sorted(p.name for p in out.iterdir()) == ["notes.txt", "sweep.parquet"]
    assert (out / "notes.txt").read_text() == "kept"
    table = pd.read_parquet(out / "sweep.parquet")
    assert list(table.columns) == COLUMNS
    expected = [(job, n, loops) for job in (0, 1) for n in (2, 4) for loops in (1, 4)]
    assert list(zip(table["job"], table["n"], table["loops"])) == expected
    assert table["seed"].tolist() == [0] * 4 + [1] * 4 and set(table["width"]) == {16}
    assert set(table["config"]) == {"tiny"} and set(table["problem"]) == {"word:Z5"}
    assert set(table["eval_count"]) == {64} and set(table["eval_seed"]) == {5} and set(table["halt"]) == {"fixed"}
    assert set(table["device"]) == {"cpu"} and (table["train_seconds"] > 0).all()
    assert table["accuracy"].between(0, 1).all() and (table["loops_mean"] == table["loops"]).all()
    lines = stdout.splitlines()
    assert "2 jobs" in lines[0] and "on Dask (local:2)" in lines[0]
    assert lines[1].split("|")[1].strip() == "job" and len(lines) == 1 + 2 + len(table) + 1
    assert lines[-1] == f"wrote {out / 'sweep.parquet'} (every column)"


def test_in_process_gives_the_same_rows(dask_run, in_process_run):
    """The in-process run and the LocalCluster give the same table, every column but
    train_seconds, value for value; --json prints the rows of the file written (NaN as null)."""
    out, _ = dask_run
    there = pd.read_parquet(out / "sweep.parquet")
    here, rows = in_process_run
    pd.testing.assert_frame_equal(here.drop(columns=NOT_REPRODUCIBLE), there.drop(columns=NOT_REPRODUCIBLE),
                                  check_exact=True)
    nan_as_none = [{k: (None if isinstance(v, float) and math.isnan(v) else v) for k, v in r.items()}
                   for r in here.to_dict("records")]
    assert rows == nan_as_none


def test_sweep_rows_are_the_train_and_eval_commands(dask_run, tmp_path, capsys):
    """Job 1 of the sweep is `loops train --config tiny --steps S --seed 1 --width 16`: its
    held-out accuracies are the checkpoint's (`loops info`), and its rows at each (n, loops) are
    `loops eval --n 2 4 --loops 1 4 --count 64 --seed 5`'s."""
    out, _ = dask_run
    table = pd.read_parquet(out / "sweep.parquet")
    job = table[table["job"] == 1]
    model = tmp_path / "m.pt"
    assert main(["loops", "train", "--config", "tiny", "--steps", str(STEPS), "--seed", "1", "--width", "16",
                 "--device", "cpu", "--quiet", "--out", str(model)]) == 0
    capsys.readouterr()
    assert main(["loops", "info", str(model), "--json"]) == 0
    held = json.loads(capsys.readouterr().out)["metadata"]["held_out"]
    assert set(job["held_out_loops_train"]) == {held["loops_train"]}
    assert set(job["held_out_loops_1"]) == {held["loops_1"]}
    assert main(["loops", "eval", str(model), "--n", "2", "4", "--loops", "1", "4", "--count", "64", "--seed", "5",
                 "--device", "cpu", "--json"]) == 0
    rows = json.loads(capsys.readouterr().out)
    keys = ["n", "loops", "accuracy", "position_accuracy", "chance", "loops_mean", "loops_max", "halted"]
    assert [tuple(r[k] for k in keys) for r in rows] == [tuple(r) for r in job[keys].itertuples(index=False)]


def test_a_dask_worker_trains_the_same_weights(tmp_path):
    """Why the rows agree: train_task on a Dask worker process returns weights equal bit for bit
    to training in this process (both one torch thread, same seed), so every accuracy is the same."""
    torch = pytest.importorskip("torch")
    pytest.importorskip("distributed")
    from serialcomp.scale import connect
    from serialcomp.scale.sweep import train_task
    from serialcomp.torch.models import get_config

    cfg = get_config("tiny", steps=60, width=16, seed=3).to_dict()
    here = train_task(cfg, "cpu").model.state_dict()
    with connect("local:1") as client:
        there = client.submit(train_task, cfg, "cpu", pure=False).result().model.state_dict()
    assert list(here) == list(there)
    for name in here:
        assert torch.equal(here[name], there[name]), name


def _error(capsys, argv, *needles):
    code = main(argv)
    err = capsys.readouterr().err
    assert code == 1, err
    assert err.count("\n") == 1 and err.startswith("serialcomp loops sweep: error: "), err
    for needle in needles:
        assert needle in err, (needle, err)


@pytest.mark.parametrize("content,needles", [
    (None, ["no such file"]),
    ('{"sweep": {"seed": [0, 1]', ["not JSON"]),
    ('{"sweep": {"seed": [0]}, "sweeps": {}}', ["unknown key 'sweeps'"]),
    ('{"sweep": {"seed": [0]}, "eval": {"n": [4]}}', ["unknown key eval.n"]),
    ('{"sweep": {"seed": 0}}', ["sweep.seed must be a non-empty list"]),
    ('{"sweep": {}}', ["needs 'sweep'"]),
    ('[1, 2]', ["expected a JSON object"]),
    ('{"sweep": {"seed": [0]}, "eval": {"halt": "never"}}', ["eval.halt must be one of"]),
], ids=["missing", "bad-json", "unknown-key", "unknown-eval-key", "not-a-list", "empty-sweep", "not-an-object",
        "bad-halt"])
def test_grid_file_errors_are_one_line(tmp_path, capsys, content, needles):
    """A grid file that cannot be read is one line naming --grid and the file, and no --out folder appears."""
    grid = tmp_path / "g.json" if content is None else _write_grid(tmp_path, content)
    _error(capsys, ["loops", "sweep", "--grid", str(grid), "--out", str(tmp_path / "D")], "--grid", str(grid), *needles)
    assert not (tmp_path / "D").exists()


@pytest.mark.parametrize("data,needles", [
    ({"sweep": {"sed": [0]}}, ["sweep.sed is not a config field"]),
    ({"set": {"stepz": 3}, "sweep": {"seed": [0]}}, ["set.stepz is not a config field"]),
    ({"sweep": {"steps": [10, -1]}}, ["job 1", '{"steps": -1}', "steps"]),
    ({"config": "huge", "sweep": {"seed": [0]}}, ["unknown loops config 'huge'"]),
], ids=["unknown-field", "unknown-set-field", "bad-value", "unknown-config"])
def test_bad_job_configs_are_one_line_before_training(tmp_path, capsys, data, needles):
    """A job whose config is bad is refused before any job trains: one line naming the grid (and the job)."""
    pytest.importorskip("torch")
    _error(capsys, ["loops", "sweep", "--grid", str(_write_grid(tmp_path, data)), "--out", str(tmp_path / "D")],
           *needles)
    assert not (tmp_path / "D").exists()


def test_a_bad_out_is_refused_before_training(tmp_path, capsys):
    """--out naming a file is refused before training: the grid asks for a million steps, so the
    one-line answer can only come from the check before the run; the file is kept."""
    pytest.importorskip("torch")
    grid = _write_grid(tmp_path, {"set": {"steps": 10**6}, "sweep": {"seed": [0]}})
    target = tmp_path / "D"
    target.write_text("a file of the user's")
    _error(capsys, ["loops", "sweep", "--grid", str(grid), "--out", str(target)], "--out", "is not a folder")
    assert target.read_text() == "a file of the user's"
    (tmp_path / "E").mkdir()
    (tmp_path / "E" / "sweep.parquet").mkdir()
    _error(capsys, ["loops", "sweep", "--grid", str(grid), "--out", str(tmp_path / "E")],
           "sweep.parquet there is a folder")


def test_bad_scheduler_and_missing_dask_are_one_line(tmp_path, capsys, monkeypatch):
    """--scheduler with a bad spec, or a good one without the dask extra, is one line (the second
    naming serialcomp[dask]) before any training."""
    grid = _write_grid(tmp_path, {"set": {"steps": 10**6}, "sweep": {"seed": [0]}})
    argv = ["loops", "sweep", "--grid", str(grid), "--out", str(tmp_path / "D")]
    _error(capsys, [*argv, "--scheduler", "local:x"], "--scheduler", "'local:x'")
    monkeypatch.setitem(sys.modules, "distributed", None)
    _error(capsys, [*argv, "--scheduler", "local:2"], "--scheduler", "serialcomp[dask]")
    assert not (tmp_path / "D").exists()


def test_gpu_jobs_without_gpu_workers_are_refused(tmp_path, capsys):
    """A grid asking for GPU jobs on a LocalCluster where no worker declares the GPU resource (no
    GPU visible) is one line saying how to start GPU workers, and no sweep.parquet is written."""
    torch = pytest.importorskip("torch")
    pytest.importorskip("distributed")
    if torch.cuda.is_available():
        pytest.skip("a GPU is visible: local:N declares the GPU resource")
    grid = _write_grid(tmp_path, {"set": {"steps": 2}, "sweep": {"seed": [0]}, "gpu": True})
    _error(capsys, ["loops", "sweep", "--grid", str(grid), "--scheduler", "local:1", "--out", str(tmp_path / "D")],
           '"gpu": true', "--resources GPU=1")
    assert not (tmp_path / "D").exists()


@given(st.dictionaries(st.sampled_from(["seed", "width", "layers", "lr", "steps"]),
                       st.lists(st.integers(0, 9), min_size=1, max_size=3), min_size=1, max_size=4))
def test_jobs_are_every_combination_last_key_fastest(sweep):
    """The jobs of a grid are exactly itertools.product of the sweep values, in that order (the
    last key varies fastest), one per combination."""
    grid = parse_sweep_grid({"sweep": sweep})
    keys = list(sweep)
    assert grid.combinations() == [dict(zip(keys, v)) for v in itertools.product(*sweep.values())]


@given(st.text(min_size=1, max_size=12).filter(lambda k: k not in {"config", "set", "sweep", "eval", "gpu", "device"}))
def test_unknown_top_level_keys_are_refused(key):
    """Any top-level key other than config, set, sweep, eval, gpu, device is refused, named in the message."""
    with pytest.raises(SweepGridError, match="unknown key"):
        parse_sweep_grid({"sweep": {"seed": [0]}, key: 1}, "g.json")


def test_grid_defaults():
    """A grid of only `sweep` starts from tiny, evaluates at the config's sizes with fixed halting,
    256 records, seed 0, on the CPU or GPU torch picks (auto), without the GPU resource."""
    g = parse_sweep_grid({"sweep": {"seed": [0]}})
    assert g == SweepGrid(sweep={"seed": [0]}, source="sweep grid")
    assert (g.config, g.ns, g.loops, g.halt, g.count, g.eval_seed, g.gpu, g.device) == \
        ("tiny", None, None, "fixed", 256, 0, False, "auto")


def test_gpu_jobs_land_only_on_workers_declaring_the_gpu_resource():
    """Resource routing: on a cluster of two workers of which one declares ``GPU=1`` (as
    ``local:N`` sets them up when GPUs are visible; the jobs run on the CPU here, since the test
    checks where Dask sends them, not CUDA), every train and eval task of a ``"gpu": true`` sweep
    runs on the GPU worker, never on the other, and the rows are the in-process ones."""
    pytest.importorskip("torch")
    distributed = pytest.importorskip("distributed")
    from serialcomp.scale.scheduler import _local_cluster
    from serialcomp.scale.sweep import run_sweep

    grid = SweepGrid(sweep={"seed": [0, 1]}, set={"steps": 20}, ns=(2,), loops=(1, 2), count=16, gpu=True,
                     device="cpu")
    want = run_sweep(SweepGrid(**{**grid.__dict__, "gpu": False}))
    with _local_cluster(2, 1, distributed) as cluster, distributed.Client(cluster, set_as_default=False) as client:
        client.wait_for_workers(2)
        gpu = {a for a, w in client.scheduler_info()["workers"].items() if (w.get("resources") or {}).get("GPU")}
        assert len(gpu) == 1
        with distributed.get_task_stream(client) as stream:
            got = run_sweep(grid, scheduler=client)
    ran = [(t["key"], t["worker"]) for t in stream.data]
    jobs = [(k, w) for k, w in ran if str(k).startswith(("train-", "eval-"))]
    assert len(jobs) == 4, ran  # two jobs, a train and an eval task each
    assert {w for _, w in jobs} == gpu, jobs
    keep = [c for c in want.columns if c not in NOT_REPRODUCIBLE]
    pd.testing.assert_frame_equal(got[keep], want[keep])


def test_the_grid_file_is_never_the_output(tmp_path, capsys):
    """A grid file that sits where the table goes (DIR/sweep.parquet) is refused before training,
    and left as it was."""
    out = tmp_path / "D"
    out.mkdir()
    grid = _write_grid(out, name="sweep.parquet")
    before = grid.read_bytes()
    assert main(["loops", "sweep", "--grid", str(grid), "--out", str(out)]) != 0
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "refusing to overwrite an input" in err[0], err
    assert grid.read_bytes() == before
