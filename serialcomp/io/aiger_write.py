"""Writing AIGER files, ASCII (``aag``) and binary (``aig``): :func:`write_aiger`, :func:`dumps_aiger`.

Any :class:`~serialcomp.ir.circuit.Circuit` can be written: a circuit that is not already an
and-inverter graph (gates other than 2-input ANDs, or BUF nodes) is lowered with
:meth:`Circuit.to_aig <serialcomp.ir.circuit.Circuit.to_aig>` first, which changes its depth (see
:func:`serialcomp.ir.aig.to_aig`).  A stream-mode :class:`~serialcomp.ir.looped.LoopedCircuit` is
written with latches: its state inputs become latches (reset value = initial state), the next-state
outputs their next-state functions.

Numbering: input ``k`` is variable ``k + 1``, latch ``s`` is variable ``I + s + 1``, and AND node
``v`` of the circuit is variable ``v`` (so ABC and other tools see the same gates in the same order).
The symbol table holds the input, latch and output names (except the defaults ``i<k>``, ``l<k>``,
``o<k>`` the reader gives anyway); a comment section says who wrote it.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from ..errors import CircuitStructureError
from ..ir.aig import is_aig
from ._common import PathLike, check_names_writable, check_utf8, split_looped, write_bytes
from ._kernels import encode_ands

__all__ = ["write_aiger", "dumps_aiger"]

_COMMENT = "written by serialcomp"


def write_aiger(obj: Any, path: PathLike, *, binary: bool | None = None, comment: str | None = _COMMENT) -> None:
    """Write a Circuit (or stream-mode LoopedCircuit) as AIGER.

    Parameters
    ----------
    obj : Circuit or LoopedCircuit
    path : str or os.PathLike
    binary : bool, optional
        Binary ``aig`` or ASCII ``aag``; by default chosen by the extension (``.aag`` is ASCII,
        anything else binary).
    comment : str or None
        Text of the comment section (None: no comment section).

    Notes
    -----
    O(size) with a Numba kernel for the binary AND section.  A circuit that is not an AIG is
    lowered first (:func:`serialcomp.ir.aig.to_aig`): the file then has a different depth.

    Example
    -------
    >>> import tempfile, os
    >>> from serialcomp.ir import CircuitBuilder
    >>> from serialcomp.io import read_aiger
    >>> b = CircuitBuilder(); x, y = b.input("x"), b.input("y"); b.output(b.and_(x, y ^ 1), "z")
    >>> path = os.path.join(tempfile.mkdtemp(), "c.aig")
    >>> write_aiger(b.build(), path)
    >>> read_aiger(path).output_names
    ('z',)
    """
    if binary is None:
        binary = not str(path).lower().endswith(".aag")
    write_bytes(path, dumps_aiger(obj, binary=binary, comment=comment))


def dumps_aiger(obj: Any, *, binary: bool = True, comment: str | None = _COMMENT) -> bytes:
    """The AIGER bytes of a Circuit or stream-mode LoopedCircuit; see :func:`write_aiger`.

    Example
    -------
    >>> from serialcomp.ir import CircuitBuilder
    >>> b = CircuitBuilder(); x, y = b.inputs(2); b.output(b.and_(x, y ^ 1))
    >>> print(dumps_aiger(b.build(), binary=False, comment=None).decode())
    aag 3 2 0 1 1
    2
    4
    6
    6 2 5
    <BLANKLINE>
    """
    step, L, init, mode, readout = split_looped(obj)
    if L and (mode != "stream" or readout is not None):
        raise CircuitStructureError(
            "AIGER latches hold stream-mode looped circuits only (one input per step, no readout); "
            f"got mode={mode!r}" + (" with a readout" if readout is not None else ""))
    if mode and mode != "stream":
        raise CircuitStructureError(f"AIGER holds stream-mode looped circuits only; got mode={mode!r}")
    if not is_aig(step):
        step = step.to_aig()
    check_names_writable(list(step.input_names) + list(step.output_names), "AIGER")
    n = step.n_nodes
    n_in = step.n_inputs
    I, A = n_in - L, n - 1 - n_in
    M = I + L + A
    var = np.arange(n, dtype=np.int64)  # node -> AIGER variable
    var[1 : L + 1] = I + 1 + np.arange(L)
    var[L + 1 : L + I + 1] = 1 + np.arange(I)

    def amap(lits: np.ndarray) -> np.ndarray:
        lits = np.asarray(lits, np.int64)
        return 2 * var[lits >> 1] + (lits & 1)

    outs = amap(step.outputs)
    nxt, ys = outs[:L], outs[L:]
    fan = amap(step.fanin[step.fanin_ptr[n_in + 1] :]).reshape(A, 2) if A else np.zeros((0, 2), np.int64)
    lhs = 2 * np.arange(I + L + 1, M + 1, dtype=np.int64)
    parts: list[bytes] = [f"{'aig' if binary else 'aag'} {M} {I} {L} {len(ys)} {A}\n".encode()]
    lines: list[str] = []
    if not binary:
        lines += [str(2 * k) for k in range(1, I + 1)]
    for s in range(L):
        head = "" if binary else f"{2 * (I + 1 + s)} "
        lines.append(f"{head}{int(nxt[s])}" + (" 1" if init[s] else ""))
    lines += [str(int(y)) for y in ys]
    if lines:
        parts.append(("\n".join(lines) + "\n").encode())
    if binary:
        hi, lo = np.maximum(fan[:, 0], fan[:, 1]), np.minimum(fan[:, 0], fan[:, 1])
        parts.append(encode_ands(lhs, hi, lo).tobytes())
    elif A:
        parts.append(("\n".join(map("{} {} {}".format, lhs.tolist(), fan[:, 0].tolist(), fan[:, 1].tolist())) + "\n").encode())
    # Names the reader would give anyway (i<k>, l<k>, o<k>) are left out.
    sym = [f"i{k} {name}" for k, name in enumerate(step.input_names[L:]) if name != f"i{k}"]
    sym += [f"l{k} {name}" for k, name in enumerate(step.input_names[:L]) if name != f"l{k}"]
    sym += [f"o{k} {name}" for k, name in enumerate(step.output_names[L:]) if name != f"o{k}"]
    if sym:
        parts.append(("\n".join(sym) + "\n").encode("utf-8"))
    if comment is not None:
        check_utf8(comment, "the comment", "AIGER")
        parts.append(f"c\n{comment.rstrip(chr(10))}\n".encode("utf-8"))
    return b"".join(parts)
