"""Running the ``serialcomp`` command as a user does, for tests: a fresh process, a full disk, a
signal at a chosen moment, and the checks that an error is one line.

These are the helpers of the "nothing lost" tests (tests/cli): what only a real process shows
(signals, exit statuses, resource limits) is tested through a subprocess running
``serialcomp.cli.main``.

Example
-------
>>> import tempfile
>>> r = run_cli("generate", "parity", "--n", "4", "--count", "2", "--param", "n=3", cwd=tempfile.mkdtemp())
>>> assert_one_line_error(r, "--param n=")
"""

from __future__ import annotations

import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Callable

__all__ = [
    "CLI_CODE", "full_disk", "slow_savefig", "run_cli", "interrupt_when", "handles_sigterm", "temporary_output_of",
    "assert_one_line_error", "leftovers",
]

CLI_CODE = "import sys\nfrom serialcomp.cli import main\nsys.exit(main(sys.argv[1:]))\n"
"""Python that runs ``serialcomp`` with the process's arguments."""


def full_disk(limit_bytes: int) -> str:
    """Python to run first so that a write past ``limit_bytes`` fails with EFBIG, like a full disk
    (``RLIMIT_FSIZE``, with SIGXFSZ ignored so the write raises instead of killing the process)."""
    return ("import resource, signal\nsignal.signal(signal.SIGXFSZ, signal.SIG_IGN)\n"
            f"resource.setrlimit(resource.RLIMIT_FSIZE, ({int(limit_bytes)}, {int(limit_bytes)}))\n")


def slow_savefig(seconds: float) -> str:
    """Python to run first so that every matplotlib ``savefig`` waits ``seconds`` before writing:
    a command that writes plots then stays inside its writing phase long enough to be interrupted
    there, whatever the machine's load."""
    return ("import time, matplotlib.figure as _f\n_save = _f.Figure.savefig\n"
            f"_f.Figure.savefig = lambda self, *a, **k: (time.sleep({float(seconds)}), _save(self, *a, **k))[1]\n")


def run_cli(*args: str, cwd: str | Path, preexec: str = "", timeout: float = 300) -> subprocess.CompletedProcess:
    """``serialcomp ARGS`` in a fresh interpreter in ``cwd``; ``preexec`` is Python run before it."""
    return subprocess.run([sys.executable, "-c", preexec + CLI_CODE, *args], cwd=cwd, capture_output=True,
                          text=True, timeout=timeout)


def handles_sigterm(pid: int) -> bool:
    """Whether process ``pid`` has a SIGTERM handler (``cli.main`` installs one when it starts; Linux)."""
    with open(f"/proc/{pid}/status") as f:
        caught = next(int(line.split()[1], 16) for line in f if line.startswith("SigCgt:"))
    return bool(caught >> (signal.SIGTERM - 1) & 1)


def temporary_output_of(folder: str | Path, name: str) -> Callable[[subprocess.Popen], bool]:
    """A readiness test: the atomic writer's temporary ``.NAME.*`` exists in ``folder``."""
    folder = Path(folder)
    return lambda proc: any(p.name.startswith(f".{name}.") for p in folder.iterdir())


def interrupt_when(args: list[str], cwd: str | Path, sig: int, ready: Callable[[subprocess.Popen], bool],
                   settle: float = 0.0, timeout: float = 120, preexec: str = "") -> subprocess.CompletedProcess:
    """Start ``serialcomp ARGS``, wait until ``ready(proc)``, then ``settle`` seconds, send ``sig``
    and wait for the end. Fails the test if the command ends before it is ready. ``preexec`` is
    Python run before the command (e.g. :func:`slow_savefig`, to hold a writing window open)."""
    proc = subprocess.Popen([sys.executable, "-c", preexec + CLI_CODE, *args], cwd=cwd, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True)
    deadline = time.monotonic() + timeout
    while not ready(proc):
        assert proc.poll() is None, f"ended before the signal: {proc.communicate()}"
        assert time.monotonic() < deadline, "never got ready for the signal"
        time.sleep(0.005)
    time.sleep(settle)
    proc.send_signal(sig)
    out, err = proc.communicate(timeout=timeout)
    return subprocess.CompletedProcess(proc.args, proc.returncode, out, err)


def assert_one_line_error(r: subprocess.CompletedProcess, *needles: str, status: int = 1) -> None:
    """The run failed with ``status``, printed exactly one line on stderr (no traceback), naming each needle."""
    assert r.returncode == status, (r.returncode, r.stderr)
    assert "Traceback" not in r.stderr and r.stderr.count("\n") == 1, r.stderr
    for needle in needles:
        assert needle in r.stderr, (needle, r.stderr)


def leftovers(folder: str | Path) -> list[str]:
    """Names in ``folder`` that an atomic write would have left behind (hidden temporaries)."""
    return sorted(p.name for p in Path(folder).iterdir() if p.name.startswith("."))
