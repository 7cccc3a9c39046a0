"""serialcomp._atomic: interrupts that Python swallows are raised again (the writers themselves are
tested through the command line, in tests/cli/test_nothing_lost.py)."""

from __future__ import annotations

import os
import signal
import sys

import pytest

from serialcomp._atomic import Interrupted, check_interrupted, interrupts_raised


class _SignalsInDel:
    """An object whose ``__del__`` sends a signal to this process and runs on while it is handled:
    the handler's exception is raised inside ``__del__``, where Python prints "Exception ignored"
    and drops it (as it does inside an import's module-lock weakref callback)."""

    def __init__(self, sig: int) -> None:
        self.sig = sig

    def __del__(self) -> None:
        os.kill(os.getpid(), self.sig)
        for _ in range(1000):  # bytecodes, at which the pending handler runs
            pass


def _swallow(sig: int) -> None:
    obj = _SignalsInDel(sig)
    del obj  # the interrupt is raised in __del__ and swallowed there


@pytest.mark.parametrize("sig, exc", [(signal.SIGINT, KeyboardInterrupt), (signal.SIGTERM, Interrupted)])
def test_a_swallowed_interrupt_is_raised_at_the_next_check(sig, exc, capsys):
    """An interrupt raised where Python drops exceptions (``__del__``) is not lost: the block goes
    on past it, and the next ``check_interrupted`` raises it; nothing is printed about it."""
    with pytest.raises(exc):
        with interrupts_raised():
            _swallow(sig)
            reached = True  # the swallowed interrupt did not stop the block here ...
            check_interrupted()  # ... the check does
    assert reached
    assert "Exception ignored" not in capsys.readouterr().err


def test_without_the_handlers_the_interrupt_is_lost():
    """The oracle for the test above: with Python's own SIGINT handler the same interrupt vanishes
    (so the test above checks something that would otherwise fail)."""
    assert signal.getsignal(signal.SIGINT) is signal.default_int_handler
    seen = []
    old = sys.unraisablehook
    sys.unraisablehook = lambda u: seen.append(type(u.exc_value))
    try:
        _swallow(signal.SIGINT)
        check_interrupted()  # outside interrupts_raised: nothing remembered, nothing raised
    finally:
        sys.unraisablehook = old
    assert seen == [KeyboardInterrupt]


def test_the_handlers_are_put_back_and_the_memory_cleared():
    before = signal.getsignal(signal.SIGINT), signal.getsignal(signal.SIGTERM), sys.unraisablehook
    with pytest.raises(KeyboardInterrupt):
        with interrupts_raised():
            _swallow(signal.SIGINT)
            check_interrupted()
    assert (signal.getsignal(signal.SIGINT), signal.getsignal(signal.SIGTERM), sys.unraisablehook) == before
    check_interrupted()  # the interrupt of the ended block is forgotten


def test_other_unraisable_errors_still_reach_the_previous_hook():
    seen = []
    old = sys.unraisablehook
    sys.unraisablehook = lambda u: seen.append(type(u.exc_value))
    try:
        class Fails:
            def __del__(self):
                raise ValueError("a real bug in a __del__")

        with interrupts_raised():
            obj = Fails()
            del obj
    finally:
        sys.unraisablehook = old
    assert seen == [ValueError]


def test_a_swallowed_interrupt_replaces_nothing(tmp_path):
    """An interrupt dropped during the write (so the writer ran to its end) still leaves the target
    as it was and no temporary file: the atomic writers check before they rename."""
    from serialcomp._atomic import atomic_dir, atomic_path

    f, d = tmp_path / "f.txt", tmp_path / "d"
    f.write_text("old")
    d.mkdir()
    (d / "a").write_text("old")
    for writer, target in ((atomic_path, f), (atomic_dir, d)):
        with pytest.raises(KeyboardInterrupt):
            with interrupts_raised():
                with writer(target) as tmp:
                    (tmp / "a" if tmp.is_dir() else tmp).write_text("new")
                    _swallow(signal.SIGINT)
    assert f.read_text() == "old" and (d / "a").read_text() == "old"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["d", "f.txt"]
