"""Shared helpers of the readers and writers: sources, names, error wrapping, looped circuits.

Every reader goes through :func:`load_source` (a path, or in-memory ``bytes``) and reports problems
as :class:`~serialcomp.errors.CircuitFormatError` naming the file (``"<string>"`` for in-memory
text) and the line.  :func:`structure_as_format` turns the structural errors a constructor raises on
what a file described into format errors that name the file, so a caller catching
``CircuitFormatError`` around a reader sees every problem of the file.
"""

from __future__ import annotations

import os
from contextlib import contextmanager
from pathlib import Path
from typing import Iterable, Iterator, Sequence, Union

from .._atomic import atomic_open
from ..errors import CircuitFormatError, CircuitStructureError
from ..ir.circuit import Circuit

__all__ = [
    "MAX_INT",
    "NameAllocator",
    "PathLike",
    "check_names_writable",
    "check_utf8",
    "load_source",
    "write_bytes",
    "decode_line",
    "unique_names",
    "structure_as_format",
    "make_looped",
    "split_looped",
]

PathLike = Union[str, "os.PathLike[str]"]

#: Largest integer any reader accepts from a file (numbers above it are reported, not wrapped).
MAX_INT = (1 << 62) - 1


def load_source(source: "PathLike | bytes | bytearray | memoryview", what: str = "circuit") -> tuple[bytes, str]:
    """Read a path, or take in-memory data; returns ``(data, label)`` with ``label`` used in errors.

    Example
    -------
    >>> load_source(b"aag 0 0 0 0 0\\n")
    (b'aag 0 0 0 0 0\\n', '<string>')
    """
    if isinstance(source, (bytes, bytearray, memoryview)):
        return bytes(source), "<string>"
    path = Path(os.fspath(source))
    if path.is_dir():
        raise CircuitFormatError(f"expected a {what} file, got a directory", str(path))
    return path.read_bytes(), str(path)


def write_bytes(path: PathLike, data: bytes, what: str = "output") -> None:
    """Write ``data`` to ``path`` atomically: a temporary file beside it, fsynced, renamed onto it.

    A full disk, an error or Ctrl-C leaves an existing ``path`` as it was and no temporary file
    behind (:func:`serialcomp._atomic.atomic_open`); a missing folder is a one-line
    :class:`~serialcomp.errors.SerialcompError` naming it.

    Example
    -------
    >>> import tempfile, os
    >>> p = os.path.join(tempfile.mkdtemp(), "x.aag")
    >>> write_bytes(p, b"aag 0 0 0 0 0\\n"); open(p, "rb").read()
    b'aag 0 0 0 0 0\\n'
    """
    with atomic_open(os.fspath(path), "wb", what=what) as f:
        f.write(data)


def decode_line(raw: bytes, label: str, line: int) -> str:
    """UTF-8 decode one line of a text format; an undecodable line is a format error naming it."""
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise CircuitFormatError(
            f"line is not valid UTF-8 text (byte {exc.start} of the line is 0x{raw[exc.start]:02x})", label, line
        ) from None


class NameAllocator:
    """Hands out unique names: the wanted one when free, else ``name_1``, ``name_2``, ...

    A counter per base name keeps this O(1) amortised even when every wanted name is the same.

    Example
    -------
    >>> a = NameAllocator(["x"])
    >>> a.fresh("x"), a.fresh("x"), a.fresh("y")
    ('x_1', 'x_2', 'y')
    """

    def __init__(self, taken: Iterable[str] = ()) -> None:
        self.taken = set(taken)
        self._next: dict[str, int] = {}

    def __contains__(self, name: str) -> bool:
        return name in self.taken

    def fresh(self, name: str) -> str:
        cand = name
        if cand in self.taken:
            k = self._next.get(name, 0)
            while cand in self.taken:
                k += 1
                cand = f"{name}_{k}"
            self._next[name] = k
        self.taken.add(cand)
        return cand


def unique_names(wanted: Sequence[str | None], default: str | Sequence[str], taken: Iterable[str] = ()) -> list[str]:
    """Names for a list of items: the wanted name where given and free, else a fresh one.

    ``default`` is a prefix (item ``k`` gets ``prefix + str(k)``) or a list of defaults.  A name
    already taken (by ``taken`` or an earlier item) gets the first free ``name_1``, ``name_2``, ...

    Example
    -------
    >>> unique_names(["a", None, "a", "i1"], "i")
    ['a', 'i1', 'a_1', 'i1_1']
    """
    alloc = NameAllocator(taken)
    out: list[str] = []
    for k, name in enumerate(wanted):
        if name is None:
            name = default + str(k) if isinstance(default, str) else default[k]
        out.append(alloc.fresh(name))
    return out


@contextmanager
def structure_as_format(label: str, line: int | None = None) -> Iterator[None]:
    """Re-raise a :class:`CircuitStructureError` raised inside as a format error naming the file."""
    try:
        yield
    except CircuitStructureError as exc:
        raise CircuitFormatError(f"the file describes an invalid circuit: {exc}", label, line) from exc


def make_looped(step: Circuit, n_state: int, init: Sequence[int], mode: str = "stream") -> object:
    """The :class:`~serialcomp.ir.looped.LoopedCircuit` of a step circuit read from a file.

    The step circuit's first ``n_state`` inputs are the state (latch outputs) and its first
    ``n_state`` outputs the next state, the convention of :mod:`serialcomp.ir.looped`.
    """
    from ..ir.looped import LoopedCircuit

    return LoopedCircuit(step, n_state=n_state, init=list(init), mode=mode)


def split_looped(obj: object) -> tuple[Circuit, int, tuple[int, ...], str, object]:
    """``(step, n_state, init, mode, readout)`` of a LoopedCircuit; ``(c, 0, (), "", None)`` of a Circuit."""
    if isinstance(obj, Circuit):
        return obj, 0, (), "", None
    from ..ir.looped import LoopedCircuit

    if isinstance(obj, LoopedCircuit):
        return obj.step, obj.n_state, tuple(obj.init), obj.mode, obj.readout
    raise TypeError(f"expected a Circuit or LoopedCircuit, got {type(obj).__name__}")




def check_names_writable(names: Iterable[str], fmt: str, forbidden: str = "\n\r") -> None:
    """Refuse names a line-oriented UTF-8 format cannot hold: a line break, or a lone surrogate
    (a string such as ``"\\udc80"``, which no UTF-8 text can encode).

    Example
    -------
    >>> check_names_writable(["a", "b\\udc80"], "AIGER")
    Traceback (most recent call last):
    ...
    serialcomp.errors.CircuitStructureError: name 'b\\udc80' holds a lone surrogate (U+DC80), which UTF-8 cannot encode; AIGER cannot hold it (rename it, or write .thr, which escapes it)
    """
    for name in names:
        if any(ch in name for ch in forbidden):
            raise CircuitStructureError(f"name {name!r} contains a line break; {fmt} cannot hold it")
        check_utf8(name, f"name {name!r}", fmt)


def check_utf8(text: str, what: str, fmt: str) -> None:
    """Refuse ``text`` (named ``what`` in the message) when UTF-8 cannot encode it (a lone surrogate)."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError as exc:
        raise CircuitStructureError(
            f"{what} holds a lone surrogate (U+{ord(text[exc.start]):04X}), which UTF-8 cannot encode; {fmt} "
            "cannot hold it (rename it, or write .thr, which escapes it)") from None
