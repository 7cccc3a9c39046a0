"""Session checks: with SERIALCOMP_REQUIRE_TOOLS=1 (set by scripts/test.sh, so in CI) the outside
oracles must be there; otherwise their tests would skip and a run could pass without them."""

import contextlib
import os
import shutil
import signal
import tracemalloc

import pytest
from hypothesis import settings

from serialcomp.ir import CircuitBuilder

REQUIRED_TOOLS = ("berkeley-abc", "yosys")

# No hypothesis deadlines anywhere: on a shared, noisy machine a per-example time limit is a timing
# assertion. Examples are derived from each test's name (derandomize), so a red run reproduces.
settings.register_profile("serialcomp", deadline=None, derandomize=True)
settings.load_profile("serialcomp")


def pytest_addoption(parser):
    parser.addoption("--device", default="cpu",
                     help="where the torch tests run: cpu (default), cuda or auto (benchmarks/gpu_check.sh uses cuda)")


@pytest.fixture(scope="session")
def device(request):
    """The torch device of the torch tests (``--device``)."""
    return request.config.getoption("--device")


@pytest.fixture
def torch_one_thread():
    """torch on one thread for the test (the looped models' matrices are small: more threads only spin
    on a shared machine), and its thread count put back after."""
    import torch

    old = torch.get_num_threads()
    torch.set_num_threads(1)
    yield
    torch.set_num_threads(old)


def pytest_sessionstart(session):
    if os.environ.get("SERIALCOMP_REQUIRE_TOOLS") != "1":
        return
    missing = [t for t in REQUIRED_TOOLS if shutil.which(t) is None]
    if missing:
        raise pytest.UsageError(
            f"SERIALCOMP_REQUIRE_TOOLS=1 but {', '.join(missing)} not on PATH: "
            "install Debian's berkeley-abc and yosys (scripts/test.sh does)")


@contextlib.contextmanager
def _bounded(seconds: float = 30.0, megabytes: float = 256.0):
    """Guard a call that must neither hang nor allocate from an unchecked count.

    A hang guard, not a performance assertion: the limits are orders of magnitude above the
    expected cost (milliseconds, kilobytes), so only a loop or an allocation sized by a corrupt
    header can reach them.  Python-level allocations (numpy's included) are traced.
    """
    def _hung(signum, frame):
        raise AssertionError(f"still running after {seconds} s: a hang")

    old = signal.signal(signal.SIGALRM, _hung)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    tracemalloc.start()
    try:
        yield
    finally:
        _, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, old)
    assert peak < megabytes * 2**20, f"allocated {peak / 2**20:.0f} MiB: sized by an unchecked count?"


@pytest.fixture
def bounded():
    """The :func:`_bounded` hang-and-allocation guard, as a fixture."""
    return _bounded


# -- circuits shared by the command-line tests (tests/cli) --------------------------------------


@pytest.fixture
def small_circuit(tmp_path):
    """A 5-input circuit (MAJ, 3-input XOR, AND with a negated input) written as small.thr."""
    from serialcomp.io import write_circuit

    b = CircuitBuilder(); xs = b.input_bus("x", 5)
    b.output(b.maj(*xs), "maj"); b.output(b.xor(*xs[:3]), "p"); b.output(b.and_(xs[0], xs[4] ^ 1), "a")
    c = b.build()
    path = tmp_path / "small.thr"
    write_circuit(c, path)
    return c, path


@pytest.fixture
def loop_counter_thr(tmp_path):
    """A loop-mode counter: the 3-bit state counts up (saturating) to the input x, so lane x reaches
    its fixed point after exactly x steps."""
    from serialcomp.io import write_circuit
    from serialcomp.ir.looped import LoopedCircuit

    b = CircuitBuilder()
    s = b.input_bus("s", 3)
    x = b.input_bus("x", 3)
    less = 0
    for k in range(3):  # ripple comparator s < x from the LSB
        less = b.or_(b.and_(s[k] ^ 1, x[k]), b.and_(b.xor(s[k], x[k]) ^ 1, less))
    carry = less
    nxt = []
    for k in range(3):
        nxt.append(b.xor(s[k], carry))
        b.output(nxt[-1], f"s'[{k}]")
        carry = b.and_(s[k], carry)
    b.output(nxt[2], "top")  # y: the top bit of the next state
    path = tmp_path / "counter.thr"
    write_circuit(LoopedCircuit(b.build(), n_state=3, mode="loop"), path)
    return path
