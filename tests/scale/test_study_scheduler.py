"""The study on Dask: ``serialcomp study --scheduler local:2`` writes the same bytes as the in-process
run, a worker killed in the middle of a study changes nothing, and a scheduler that cannot be used
is one line naming what is wrong, before any work."""

import os
import signal
import sys
import time
from dataclasses import replace
from pathlib import Path

import pandas as pd
import pytest

distributed = pytest.importorskip("distributed")

from serialcomp.cli import main  # noqa: E402
from serialcomp.measure import GridEntry, study_cells  # noqa: E402
from serialcomp.measure.output import RESULT_FILES, TIMING_COLUMNS  # noqa: E402
from serialcomp.testing.cli import assert_one_line_error, interrupt_when, leftovers, run_cli  # noqa: E402
from serialcomp.testing.dask import die_once, killed  # noqa: E402

PROBLEMS = ["parity", "word:S3", "reach:random"]


@pytest.fixture(scope="module")
def two_runs(tmp_path_factory):
    """The same quick study of three problems, in this process and on a LocalCluster of 2 workers."""
    root = tmp_path_factory.mktemp("study")
    args = ["study", "--quick", "--problems", *PROBLEMS, "--seed", "3", "--json"]
    assert main(args + ["--out", str(root / "inproc")]) == 0
    assert main(args + ["--out", str(root / "dask"), "--scheduler", "local:2"]) == 0
    return root / "inproc", root / "dask"


def test_results_and_table_are_the_same_bytes(two_runs):
    """results.parquet (every column but the seconds) and table.md are byte-identical with and
    without --scheduler local:2; so are the plots, drawn from the same rows."""
    a, b = two_runs
    for name in (RESULT_FILES["parquet"], RESULT_FILES["markdown"], RESULT_FILES["depth"], RESULT_FILES["accuracy"]):
        assert (a / name).read_bytes() == (b / name).read_bytes(), name
    table = pd.read_parquet(a / RESULT_FILES["parquet"])
    assert set(table["problem"]) == set(PROBLEMS) and "seconds" not in table.columns
    assert (table["agrees"]).all()


def test_timings_name_the_same_cells_in_the_same_order(two_runs):
    """timings.csv has one row per cell of results.parquet, in its order, in both runs; only the
    seconds differ."""
    a, b = two_runs
    ta, tb = (pd.read_csv(d / RESULT_FILES["timings"]) for d in (a, b))
    assert list(ta.columns) == TIMING_COLUMNS
    keys = ["problem", "family", "n"]
    pd.testing.assert_frame_equal(ta[keys], tb[keys])
    results = pd.read_parquet(a / RESULT_FILES["parquet"])
    pd.testing.assert_frame_equal(ta[keys], results[keys].astype(ta[keys].dtypes.to_dict()))
    assert (ta["seconds"] >= 0).all() and (tb["seconds"] >= 0).all()


def test_a_worker_killed_mid_study_changes_nothing(tmp_path):
    """Kill one of two worker processes as it starts a cell: Dask reruns its tasks (and the samples
    that died with it) on the other worker or the restarted one, and the cells are the in-process
    ones, field for field, in grid order."""
    grid = [GridEntry("parity", (2, 4, 8, 16), count=32), GridEntry("word:S3", (2, 4, 8, 16), count=32)]
    want = study_cells(grid, seed=5, progress=False)
    flag = tmp_path / "killed"
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=":0",
                                  silence_logs=50) as cluster, distributed.Client(cluster) as client:
        client.register_plugin(die_once(flag, "cell-"))
        got = study_cells(grid, seed=5, progress=False, scheduler=client)
    kill = killed(flag)
    assert kill is not None, "no worker was killed: the test did not test anything"
    assert kill[1].startswith("cell-") and kill[0] != os.getpid()
    assert [replace(c, seconds=0.0) for c in got] == [replace(c, seconds=0.0) for c in want]


def test_an_unreachable_scheduler_is_one_line_and_writes_nothing(tmp_path):
    r = run_cli("study", "--quick", "--problems", "parity", "--out", "r", "--scheduler", "tcp://127.0.0.1:1",
                cwd=tmp_path, timeout=120)
    assert_one_line_error(r, "tcp://127.0.0.1:1", "no Dask scheduler answered")
    assert not (tmp_path / "r").exists()


def test_a_bad_scheduler_spec_is_one_line(tmp_path):
    r = run_cli("study", "--quick", "--problems", "parity", "--out", "r", "--scheduler", "localhost:8786",
                cwd=tmp_path, timeout=120)
    assert_one_line_error(r, "--scheduler", "localhost:8786", status=r.returncode)
    assert r.returncode != 0 and not (tmp_path / "r").exists()


def test_without_the_dask_extra_the_error_names_it(tmp_path):
    """With dask and distributed unimportable, --scheduler local:2 fails before the run with one
    line naming the extra to install."""
    hide = "import sys\nsys.modules['dask'] = None\nsys.modules['distributed'] = None\n"
    r = run_cli("study", "--quick", "--problems", "parity", "--out", "r", "--scheduler", "local:2", cwd=tmp_path,
                preexec=hide, timeout=120)
    assert_one_line_error(r, "serialcomp[dask]", status=r.returncode)
    assert r.returncode != 0 and not (tmp_path / "r").exists()


def test_quick_and_another_grid_conflict(capsys):
    assert main(["study", "--quick", "--grid", "large", "--problems", "parity"]) != 0
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "--grid large" in err[0]


def _worker_processes(pid: int) -> set[int]:
    """Children of ``pid`` that are spawned worker processes (multiprocessing's ``spawn_main``; not
    its resource tracker or other helpers)."""
    kids: set[int] = set()
    for task in Path(f"/proc/{pid}/task").iterdir():
        for k in (task / "children").read_text().split():
            try:
                cmdline = Path(f"/proc/{k}/cmdline").read_bytes()
            except OSError:
                continue
            if b"spawn_main" in cmdline:
                kids.add(int(k))
    return kids


@pytest.mark.parametrize("sig", [signal.SIGINT, signal.SIGTERM])
def test_an_interrupted_dask_study_keeps_the_previous_results_and_leaves_no_workers(tmp_path, sig):
    """Ctrl-C or SIGTERM while the cells run on a LocalCluster: exit 130 with one line, the previous
    result folder as it was, no temporary files, and the worker processes gone with the command."""
    out = tmp_path / "r"
    assert main(["study", "--quick", "--problems", "parity", "--out", str(out)]) == 0
    before = {p.name: p.read_bytes() for p in out.iterdir()}
    workers: set[int] = set()

    def cells_running(proc) -> bool:
        workers.update(_worker_processes(proc.pid))
        return len(workers) >= 2  # both worker processes started: the cluster is up

    args = ["study", "--problems", "word:S5", "reach:flower", "--out", str(out), "--scheduler", "local:2"]
    r = interrupt_when(args, tmp_path, sig, cells_running, settle=2.0)
    assert r.returncode == 130, r.stderr
    assert r.stderr == "serialcomp: interrupted\n" and r.stdout == ""
    assert {p.name: p.read_bytes() for p in out.iterdir()} == before
    assert leftovers(tmp_path) == [] and leftovers(out) == []
    deadline = time.monotonic() + 30
    while any(Path(f"/proc/{w}").exists() and "zombie" not in Path(f"/proc/{w}/status").read_text()
              for w in workers) and time.monotonic() < deadline:
        time.sleep(0.1)
    alive = [w for w in workers if Path(f"/proc/{w}").exists() and "zombie" not in Path(f"/proc/{w}/status").read_text()]
    assert alive == [], f"worker processes outlived the command: {alive}"


def test_scheduler_none_is_the_in_process_run(tmp_path):
    """--scheduler none, the stated default, runs the study in this process: the same bytes as no
    --scheduler at all."""
    args = ["study", "--quick", "--problems", "parity", "--json"]
    assert main(args + ["--out", str(tmp_path / "a")]) == 0
    assert main(args + ["--out", str(tmp_path / "b"), "--scheduler", "none"]) == 0
    name = RESULT_FILES["parquet"]
    assert (tmp_path / "a" / name).read_bytes() == (tmp_path / "b" / name).read_bytes()
