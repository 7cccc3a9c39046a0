"""Scheduler specs and what goes wrong with them: a bad spec, an address where no Dask scheduler
answers, and dask missing. Each is one line naming what to fix, and nothing is written."""

from __future__ import annotations

import sys
import time

import pytest

from serialcomp.cli import main
from serialcomp.scale import (DaskUnavailableError, SchedulerSpec, SchedulerUnreachableError, connect, parse_scheduler,
                              require_dask)
from serialcomp.scale.scheduler import SchedulerError, _cores
from serialcomp.testing.cli import assert_one_line_error, run_cli

UNREACHABLE = "tcp://127.0.0.1:1"  # port 1 (tcpmux): nothing listens there on a test machine


@pytest.mark.parametrize("text,spec", [
    (None, SchedulerSpec("none")),
    ("", SchedulerSpec("none")),
    ("none", SchedulerSpec("none")),
    (" NONE ", SchedulerSpec("none")),
    ("local:1", SchedulerSpec("local", workers=1)),
    ("LOCAL:12", SchedulerSpec("local", workers=12)),
    ("tcp://127.0.0.1:8786", SchedulerSpec("address", address="tcp://127.0.0.1:8786")),
    ("tcp://scheduler.example.org:8786/", SchedulerSpec("address", address="tcp://scheduler.example.org:8786")),
    ("tls://10.0.0.5:65535", SchedulerSpec("address", address="tls://10.0.0.5:65535")),
    ("tcp://[::1]:8786", SchedulerSpec("address", address="tcp://[::1]:8786")),
])
def test_good_specs(text, spec):
    """The accepted forms parse to the spec they name; str() gives back a spec that parses the same."""
    assert parse_scheduler(text) == spec
    assert parse_scheduler(str(spec)) == spec
    assert spec.in_process == (spec.kind == "none")


def test_local_alone_is_one_worker_per_available_core():
    """`local` without a count starts one worker per core this process may use."""
    assert parse_scheduler("local") == SchedulerSpec("local", workers=_cores())


@pytest.mark.parametrize("text", ["local:0", "local:-1", "local:two", "localhost:8786", "8786", "tcp://host",
                                  "tcp://host:0", "tcp://host:65536", "http://host:8786", "tcp://:8786",
                                  "tcp://a b:1", "local:2\nx"])
def test_bad_specs_are_one_line(text):
    """A spec that is none of the forms is a SchedulerError (a ValueError too): one line naming the
    option, the accepted forms and the text given."""
    with pytest.raises(SchedulerError) as info:
        parse_scheduler(text, "--scheduler")
    message = str(info.value)
    assert isinstance(info.value, ValueError)
    assert "\n" not in message  # a newline in the text is shown escaped, by repr
    assert message.startswith("--scheduler: expected none, local, local:N") and repr(text) in message


def test_connect_refuses_none():
    """There is no Dask client for the in-process run: connect('none') says so in one line."""
    with pytest.raises(SchedulerError, match="in-process"), connect("none"):
        pass


def test_unreachable_address_is_one_line_naming_it():
    """connect() to an address where nothing listens raises SchedulerUnreachableError within
    about its timeout (a hang guard, not a timing assertion), one line with the address."""
    pytest.importorskip("distributed")
    t0 = time.monotonic()
    with pytest.raises(SchedulerUnreachableError) as info, connect(UNREACHABLE, timeout=1.0):
        pass
    assert time.monotonic() - t0 < 60, "connect hung"
    message = str(info.value)
    assert "\n" not in message and UNREACHABLE in message and message.startswith("--scheduler ")


def test_unreachable_address_from_the_cli(tmp_path):
    """`generate --shards 2 --scheduler tcp://127.0.0.1:1` in a real process: one line naming the
    address, exit 1, and no output folder (nor a temporary one)."""
    pytest.importorskip("distributed")
    r = run_cli("generate", "parity", "--n", "4", "--count", "4", "--shards", "2", "--out", "d",
                "--scheduler", UNREACHABLE, cwd=tmp_path, timeout=120)
    assert_one_line_error(r, UNREACHABLE, "no Dask scheduler answered")
    assert list(tmp_path.iterdir()) == []


@pytest.fixture
def no_dask(monkeypatch):
    """`import distributed` fails, as without the dask extra."""
    monkeypatch.setitem(sys.modules, "distributed", None)


def test_without_dask_the_message_names_the_extra(no_dask):
    """require_dask() and connect('local:2') without distributed: DaskUnavailableError, one line
    naming the extra serialcomp[dask]."""
    for call in (lambda: require_dask("--scheduler"), lambda: connect("local:2").__enter__()):
        with pytest.raises(DaskUnavailableError) as info:
            call()
        assert "serialcomp[dask]" in str(info.value) and "\n" not in str(info.value)


def test_without_dask_the_cli_names_the_extra(no_dask, tmp_path, capsys):
    """`generate --shards --scheduler local:2` without distributed: one line naming the extra,
    exit 1, no folder; `--scheduler none` still works without it."""
    argv = ["generate", "parity", "--n", "4", "--count", "4", "--shards", "2", "--out", str(tmp_path / "d")]
    assert main([*argv, "--scheduler", "local:2"]) == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and err.startswith("serialcomp generate: error: --scheduler")
    assert "serialcomp[dask]" in err
    assert list(tmp_path.iterdir()) == []
    assert main([*argv, "--scheduler", "none"]) == 0
    assert len(list((tmp_path / "d").iterdir())) == 2


def test_in_process_knows_every_spelling_of_none():
    """None, "none" in any case and spacing, "" and a parsed ``none`` spec are the in-process run;
    any other spec is not."""
    from serialcomp.scale.scheduler import in_process

    assert all(in_process(s) for s in (None, "none", " NONE ", "", parse_scheduler("none"), parse_scheduler(None)))
    assert not any(in_process(s) for s in ("local", "local:2", parse_scheduler("local:1"),
                                           parse_scheduler("tcp://10.0.0.1:8786")))


def test_local_gpu_workers_keep_the_callers_gpu_mask(monkeypatch):
    """With CUDA_VISIBLE_DEVICES=2,3 set by the caller, the two GPU workers of a local cluster see
    GPUs 2 and 3 (not 0 and 1, which the caller did not give), each declares GPU=1, and the third
    worker sees no GPU and declares nothing."""
    distributed = pytest.importorskip("distributed")
    import os

    from serialcomp.scale.scheduler import _local_cluster

    monkeypatch.setenv("CUDA_VISIBLE_DEVICES", "2,3")
    with _local_cluster(3, 2, distributed) as cluster, distributed.Client(cluster, set_as_default=False) as client:
        client.wait_for_workers(3)
        masks = client.run(lambda: os.environ.get("CUDA_VISIBLE_DEVICES"))
        resources = {a: (w.get("resources") or {}) for a, w in client.scheduler_info()["workers"].items()}
    assert sorted(masks.values()) == ["", "2", "3"]
    assert {masks[a]: r.get("GPU", 0) for a, r in resources.items()} == {"2": 1, "3": 1, "": 0}
