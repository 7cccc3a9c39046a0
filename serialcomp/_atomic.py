"""Nothing lost: every output is written to a temporary name beside its target, then renamed.

A write either completes and replaces the target in one ``os.replace``, or leaves the target as it
was: an error, a full disk, Ctrl-C (``KeyboardInterrupt``) or SIGTERM (which the command line turns
into :class:`Interrupted`, :func:`interrupts_raised`) deletes the temporary file and re-raises. An
interrupt that Python swallows on the way (raised inside a weakref callback) is raised again by
:func:`check_interrupted`, which long loops call once per step. A folder of results is
written the same way (:func:`atomic_dir`). :func:`check_outputs` refuses, before any work, an
output that is the same file as an input or as another output.

Every writer that takes a path goes through :func:`atomic_path` or :func:`atomic_open`.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import sys
import tempfile
from pathlib import Path
from typing import IO, Any, Iterable, Iterator, Mapping

from .errors import SerialcompError

__all__ = [
    "Interrupted", "interrupts_raised", "check_interrupted", "atomic_path", "atomic_open", "atomic_dir", "atomic_entries", "swap_in", "signals_held",
    "check_outputs", "check_target", "same_file",
]


class Interrupted(KeyboardInterrupt):
    """Raised in the main thread on SIGTERM, so it unwinds (and cleans up) like Ctrl-C."""


_pending: str | None = None
"""The signal received under :func:`interrupts_raised` (``"SIGINT"``, ``"SIGTERM"``), until it ends."""


def _raise_interrupt(signum: int, frame: Any) -> None:
    global _pending
    _pending = signal.Signals(signum).name
    check_interrupted()


def check_interrupted() -> None:
    """Raise again a Ctrl-C or SIGTERM that was received but swallowed on its way up.

    Python raises the exception of a signal handler wherever the main thread happens to be; when
    that is a weakref callback or a ``__del__`` (an import's module-lock callback, a garbage
    collected object), the interpreter prints "Exception ignored" and goes on, and the command
    would run to its end. Long loops (chunks of a dataset, cells of a study, training steps) call
    this once per step, so an interrupt ends the run at the latest one step later. Outside
    :func:`interrupts_raised` it does nothing.

    Example
    -------
    >>> check_interrupted()  # no signal received: nothing happens
    """
    if _pending is not None:
        raise KeyboardInterrupt() if _pending == "SIGINT" else Interrupted(_pending)


@contextlib.contextmanager
def interrupts_raised() -> Iterator[None]:
    """While the block runs, Ctrl-C raises ``KeyboardInterrupt`` and SIGTERM :class:`Interrupted`,
    and both are remembered for :func:`check_interrupted` (the command line runs every command in
    it). An interrupt swallowed on its way up (see :func:`check_interrupted`) is not reported as
    "Exception ignored": it is raised again at the next check. Outside the main thread, where
    handlers cannot be set, signals are left alone.

    Example
    -------
    >>> with interrupts_raised():
    ...     check_interrupted()  # nothing received yet
    """
    global _pending
    sigs = (signal.SIGINT, signal.SIGTERM)
    try:
        old = {sig: signal.signal(sig, _raise_interrupt) for sig in sigs}
    except ValueError:  # not the main thread (e.g. main() called from a worker)
        yield
        return
    _pending = None
    old_hook = sys.unraisablehook

    def hook(unraisable: Any) -> None:
        # the interrupt is remembered and raised again by check_interrupted: no "Exception ignored"
        if not (_pending is not None and isinstance(unraisable.exc_value, KeyboardInterrupt)):
            old_hook(unraisable)

    sys.unraisablehook = hook
    try:
        yield
    finally:
        sys.unraisablehook = old_hook
        for sig, handler in old.items():
            signal.signal(sig, handler)
        _pending = None


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def _final_mode(target: Path) -> int:
    # mkstemp makes 0600 files; the result should look like any file the user writes (or keep the
    # mode of the file it replaces)
    try:
        return os.stat(target).st_mode & 0o7777
    except OSError:
        return 0o666 & ~_umask()


def check_target(target: str | os.PathLike[str], what: str = "output") -> Path:
    """Check, creating nothing, that ``target`` can be written: its folder exists, it is not a folder.

    Returns the folder. Commands call it before their work, so a bad ``--out`` fails at once.

    Example
    -------
    >>> check_target("no/such/folder/x.npy", "--out")
    Traceback (most recent call last):
    ...
    serialcomp.errors.SerialcompError: --out no/such/folder/x.npy: the folder no/such/folder does not exist
    """
    target = Path(target)
    parent = target.parent if str(target.parent) else Path(".")
    if not parent.is_dir():
        raise SerialcompError(f"{what} {target}: the folder {parent} does not exist")
    if target.is_dir():
        raise SerialcompError(f"{what} {target}: is a folder, expected a file name")
    if not os.access(parent, os.W_OK | os.X_OK):
        raise SerialcompError(f"{what} {target}: the folder {parent} is not writable")
    return parent


@contextlib.contextmanager
def atomic_path(target: str | os.PathLike[str], *, what: str = "output") -> Iterator[Path]:
    """Yield a temporary path in ``target``'s folder; rename it onto ``target`` if the block succeeds.

    The caller writes the temporary path (any writer that takes a file name). On any exception,
    ``KeyboardInterrupt`` included, the temporary file is deleted and ``target`` is untouched.

    Parameters
    ----------
    target : path
        The final file.
    what : str
        How the path is named in errors (an option such as ``"--out"``).

    Example
    -------
    >>> import tempfile, pathlib
    >>> d = pathlib.Path(tempfile.mkdtemp()); (d / "a.txt").write_text("old")
    3
    >>> try:
    ...     with atomic_path(d / "a.txt") as tmp:
    ...         _ = tmp.write_text("half")
    ...         raise RuntimeError("disk full")
    ... except RuntimeError:
    ...     pass
    >>> (d / "a.txt").read_text(), sorted(p.name for p in d.iterdir())
    ('old', ['a.txt'])
    """
    target = Path(target)
    parent = check_target(target, what)
    fd, tmp_name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".part", dir=parent)
    os.close(fd)
    tmp = Path(tmp_name)
    try:
        yield tmp
        check_interrupted()  # an interrupted run replaces nothing, even when the drop let it finish
        os.chmod(tmp, _final_mode(target))
        os.replace(tmp, target)
    except BaseException:
        with contextlib.suppress(OSError):
            tmp.unlink()
        raise


@contextlib.contextmanager
def atomic_open(target: str | os.PathLike[str], mode: str = "wb", *, what: str = "output", **kwargs: Any) -> Iterator[IO[Any]]:
    """``open(target, mode)`` through :func:`atomic_path`: flushed and fsynced before the rename.

    Example
    -------
    >>> import tempfile, pathlib
    >>> p = pathlib.Path(tempfile.mkdtemp()) / "b.txt"
    >>> with atomic_open(p, "w") as f:
    ...     _ = f.write("done")
    >>> p.read_text()
    'done'
    """
    if not any(c in mode for c in "wx"):
        raise ValueError(f"atomic_open writes a new file; mode {mode!r} does not")
    with atomic_path(target, what=what) as tmp:
        with open(tmp, mode.replace("x", "w"), **kwargs) as f:
            yield f
            f.flush()
            os.fsync(f.fileno())


@contextlib.contextmanager
def atomic_dir(target: str | os.PathLike[str], *, what: str = "output folder") -> Iterator[Path]:
    """Yield a temporary folder beside ``target``; on success it replaces ``target`` as a whole.

    The previous contents of ``target`` stay whole until the new folder is complete: on error or
    interrupt the temporary folder is deleted and ``target`` is untouched. On success an existing
    ``target`` is moved aside, the new folder renamed into place, and the old one deleted (if the
    second rename fails the old folder is put back).

    Example
    -------
    >>> import tempfile, pathlib
    >>> d = pathlib.Path(tempfile.mkdtemp()) / "results"
    >>> with atomic_dir(d) as tmp:
    ...     _ = (tmp / "table.md").write_text("| a |")
    >>> sorted(p.name for p in d.iterdir())
    ['table.md']
    """
    given = Path(target)
    # absolute paths: moving the old folder aside must not change what a relative path names (the
    # working directory may be inside it)
    target = Path(os.path.abspath(given))
    parent = target.parent
    if not parent.is_dir():
        raise SerialcompError(f"{what} {given}: the folder {parent} does not exist")
    if target.exists() and not target.is_dir():
        raise SerialcompError(f"{what} {given}: exists and is not a folder")
    cwd = Path(os.path.abspath(os.getcwd()))
    if target == cwd or target in cwd.parents:
        raise SerialcompError(f"{what} {given}: is the working directory or holds it, and a folder that is "
                              "replaced whole cannot be; run from outside it")
    tmp = Path(tempfile.mkdtemp(prefix=f".{target.name}.", suffix=".part", dir=parent))
    try:
        yield tmp
        check_interrupted()
        os.chmod(tmp, 0o777 & ~_umask())
        with signals_held():
            if target.exists():
                old = Path(tempfile.mkdtemp(prefix=f".{target.name}.", suffix=".old", dir=parent))
                try:
                    os.replace(target, old / "x")  # the old folder, moved aside in one rename
                except BaseException:
                    os.rmdir(old)
                    raise
                try:
                    os.replace(tmp, target)
                except BaseException:
                    os.replace(old / "x", target)  # put back; if even that fails, old/x keeps it
                    os.rmdir(old)
                    raise
                shutil.rmtree(old, ignore_errors=True)
            else:
                os.replace(tmp, target)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise


@contextlib.contextmanager
def signals_held() -> Iterator[None]:
    """Hold off SIGINT and SIGTERM (delivered when the block ends), so that a few renames that
    together replace a set of files are not cut in the middle."""
    sigs = {signal.SIGINT, signal.SIGTERM}
    try:
        old = signal.pthread_sigmask(signal.SIG_BLOCK, sigs)
    except (AttributeError, ValueError, OSError):  # no pthread_sigmask (Windows): renames are still rolled back
        yield
        return
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, old)


def swap_in(out: Path, built: Path, names: Iterable[str], stale: Iterable[str] = (), last: str | None = None) -> None:
    """Move ``built/<name>`` onto ``out/<name>`` for each name (``last`` at the end, e.g. a manifest)
    and remove the ``stale`` entries, with Ctrl-C and SIGTERM held off; if a rename fails, the ones
    done are undone, so ``out`` holds either the whole new set or the whole old one."""
    names = set(names)
    order = sorted(names - {last}) + ([last] if last in names else [])
    check_interrupted()
    with signals_held():
        aside = Path(tempfile.mkdtemp(prefix=f".{out.resolve().name}.", suffix=".old", dir=out))
        done: list[tuple[str, str]] = []  # ("aside" | "in", name), in the order done
        try:
            for name in sorted(set(stale) - names):
                if os.path.lexists(out / name):
                    os.replace(out / name, aside / name)
                    done.append(("aside", name))
            for name in order:
                if os.path.lexists(out / name):
                    os.replace(out / name, aside / name)
                    done.append(("aside", name))
                os.replace(built / name, out / name)
                done.append(("in", name))
        except BaseException:
            for op, name in reversed(done):
                if op == "in":
                    os.replace(out / name, built / name)
                else:
                    os.replace(aside / name, out / name)
            raise
        finally:
            shutil.rmtree(aside, ignore_errors=True)


@contextlib.contextmanager
def atomic_entries(target: str | os.PathLike[str], *, what: str = "output folder", stale: Iterable[str] = (),
                   last: str | None = None) -> Iterator[Path]:
    """Yield a temporary folder inside ``target``; on success the entries written into it replace
    those of the same names in ``target`` as one set (:func:`swap_in`), and other files of
    ``target`` are kept. On error or interrupt nothing in ``target`` changes.

    Use it for a result set that shares its folder with other results (``results/`` holds the
    study's files beside ``loops.parquet`` and ``chains.parquet``). ``target`` is created if missing
    (and removed again if the set never arrives).

    Example
    -------
    >>> import tempfile, pathlib
    >>> d = pathlib.Path(tempfile.mkdtemp()); _ = (d / "notes.txt").write_text("kept")
    >>> with atomic_entries(d) as tmp:
    ...     _ = (tmp / "table.md").write_text("| a |")
    >>> sorted(p.name for p in d.iterdir())
    ['notes.txt', 'table.md']
    """
    out = Path(target)
    if out.is_symlink() or (out.exists() and not out.is_dir()):
        raise SerialcompError(f"{what} {out}: exists and is not a folder")
    created = not out.exists()
    try:
        out.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise SerialcompError(f"{what} {out}: cannot create the folder ({exc.strerror or exc})") from None
    built = Path(tempfile.mkdtemp(prefix=f".{out.resolve().name}.", suffix=".part", dir=out))
    try:
        yield built
        swap_in(out, built, [p.name for p in built.iterdir()], stale, last)
    finally:
        shutil.rmtree(built, ignore_errors=True)
        if created:  # a folder made for a set that never arrived is removed (rmdir: only if empty)
            with contextlib.suppress(OSError):
                out.rmdir()


def same_file(a: str | os.PathLike[str], b: str | os.PathLike[str]) -> bool:
    """Whether two paths name the same file: the same resolved path, or the same inode if both exist.

    Example
    -------
    >>> same_file("x/../y.npy", "y.npy"), same_file("a.npy", "b.npy")
    (True, False)
    """
    pa, pb = Path(a), Path(b)
    if pa.resolve() == pb.resolve():
        return True
    try:
        return os.path.samefile(pa, pb)
    except OSError:
        return False


def check_outputs(outputs: Mapping[str, Any], inputs: Mapping[str, Any] | None = None) -> None:
    """Refuse an output path that is an input path, or that two outputs share.

    Parameters
    ----------
    outputs, inputs : mapping of option name -> path (``None`` entries are skipped)

    Raises
    ------
    SerialcompError
        Naming both options and the path.

    Example
    -------
    >>> check_outputs({"--out": "ctrl.aig"}, {"PATH": "./ctrl.aig"})
    Traceback (most recent call last):
    ...
    serialcomp.errors.SerialcompError: --out ctrl.aig is the input PATH: refusing to overwrite an input
    """
    outs = [(k, v) for k, v in outputs.items() if v is not None and str(v) != "-"]
    ins = [(k, v) for k, v in (inputs or {}).items() if v is not None and str(v) != "-"]
    for i, (name, path) in enumerate(outs):
        for in_name, in_path in ins:
            if same_file(path, in_path):
                raise SerialcompError(f"{name} {path} is the input {in_name}: refusing to overwrite an input")
        for other_name, other in outs[:i]:
            if same_file(path, other):
                raise SerialcompError(f"{name} {path} is also {other_name}: two outputs cannot share a file")
