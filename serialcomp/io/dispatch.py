"""Choosing a format from the file extension: :func:`read_circuit`, :func:`write_circuit`.

==========  ======================  ============================================
extension   format                  reader / writer
==========  ======================  ============================================
``.aag``    ASCII AIGER             :func:`read_aiger` / :func:`write_aiger`
``.aig``    binary AIGER            :func:`read_aiger` / :func:`write_aiger`
``.bench``  ISCAS BENCH             :func:`read_bench` / :func:`write_bench`
``.thr``    threshold text format   :func:`read_thr` / :func:`write_thr`
``.v``      structural Verilog      write only: :func:`write_verilog`
==========  ======================  ============================================

The extension is matched case-insensitively.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any, Callable

from ..errors import CircuitFormatError
from ._common import PathLike
from .aiger_read import read_aiger
from .aiger_write import write_aiger
from .bench_read import read_bench
from .bench_write import write_bench
from .thr import read_thr, write_thr
from .verilog import write_verilog

__all__ = ["read_circuit", "write_circuit", "READERS", "WRITERS"]

#: Extension -> reader.
READERS: dict[str, Callable[..., Any]] = {".aag": read_aiger, ".aig": read_aiger, ".bench": read_bench, ".thr": read_thr}


def _write_aag(obj: Any, path: PathLike, **kw: Any) -> None:
    write_aiger(obj, path, binary=False, **kw)


def _write_aig(obj: Any, path: PathLike, **kw: Any) -> None:
    write_aiger(obj, path, binary=True, **kw)


def _write_v(obj: Any, path: PathLike, **kw: Any) -> None:
    kw.setdefault("module_name", _module_name(path))
    write_verilog(obj, path, **kw)


#: Extension -> writer.
WRITERS: dict[str, Callable[..., None]] = {
    ".aag": _write_aag, ".aig": _write_aig, ".bench": write_bench, ".thr": write_thr, ".v": _write_v,
}


def _module_name(path: PathLike) -> str:
    stem = "".join(ch if ch.isalnum() or ch == "_" else "_" for ch in Path(os.fspath(path)).stem)
    return stem if stem and not stem[0].isdigit() else "m_" + stem


def _ext(path: PathLike, table: dict[str, Any], what: str) -> Callable[..., Any]:
    ext = Path(os.fspath(path)).suffix.lower()
    if ext not in table:
        known = ", ".join(table)
        raise CircuitFormatError(
            f"cannot {what} a circuit file with extension {ext or '(none)'!r}; known extensions: {known}", str(path))
    return table[ext]


def read_circuit(path: PathLike, **options: Any) -> Any:
    """Read a circuit file, choosing the format by extension (see the module table).

    Returns
    -------
    Circuit or LoopedCircuit
        A LoopedCircuit for files with latches / flip-flops / state bits.

    Raises
    ------
    CircuitFormatError
        Unknown extension, or a file the format's reader refuses.

    Example
    -------
    >>> import tempfile, os
    >>> from serialcomp.ir import CircuitBuilder
    >>> b = CircuitBuilder(); xs = b.inputs(4); b.output(b.mod(xs, 3), "m3")
    >>> d = tempfile.mkdtemp()
    >>> write_circuit(b.build(), os.path.join(d, "m.thr"))
    >>> read_circuit(os.path.join(d, "m.thr")).size()
    {'MOD': 1}
    >>> read_circuit(os.path.join(d, "m.v"))
    Traceback (most recent call last):
    ...
    serialcomp.errors.CircuitFormatError: ...m.v: cannot read a circuit file with extension '.v'; known extensions: .aag, .aig, .bench, .thr
    """
    return _ext(path, READERS, "read")(path, **options)


def write_circuit(circuit: Any, path: PathLike, **options: Any) -> None:
    """Write a Circuit or LoopedCircuit, choosing the format by extension (see the module table).

    ``options`` go to the format's writer (e.g. ``comment=`` for AIGER, ``lower=`` for BENCH,
    ``module_name=`` for Verilog, which defaults to the file's stem).

    Example
    -------
    >>> import tempfile, os
    >>> from serialcomp.ir import CircuitBuilder
    >>> b = CircuitBuilder(); x, y = b.inputs(2); b.output(b.or_(x, y))
    >>> path = os.path.join(tempfile.mkdtemp(), "or.aig")
    >>> write_circuit(b.build(), path); read_circuit(path).n_gates
    1
    """
    _ext(path, WRITERS, "write")(circuit, path, **options)
