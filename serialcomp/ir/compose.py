"""Series and parallel composition (``a >> b`` and ``a | b``, as in py-aiger), of circuits and looped circuits.

A plain :class:`Circuit` is treated as a *stateless* machine: one step maps ``x`` to ``y``.  A
:class:`LoopedCircuit` is a machine with state (see :mod:`serialcomp.ir.looped`).  Composition is
synchronous: the composed machine takes one step when both parts take one step.

``a >> b`` (:func:`series`): the outputs of ``a`` feed the inputs of ``b``, wired by name (or by
position when no name matches and the counts agree), step by step:

=======================  =====================================================  =========================
a, b                     result                                                 serial depth over T steps
=======================  =====================================================  =========================
Circuit, Circuit         ``x -> b(a(x))``                                       <= depth(a) + depth(b)
Circuit, looped          same mode as ``b``, each step reads ``x_b = a(z)``     <= depth(a) + sd(b, T)
looped, Circuit          same mode as ``a``; ``y -> b(y)`` each step (loop mode <= sd(a, T) + depth(b)
                         with a readout: the readout becomes ``readout >> b``)
stream, stream           stream; state ``(s_a, s_b)``; ``y_a,t`` feeds          <= sd(a, T) + T depth(b.step)
                         ``x_b,t`` in the same step (a Mealy cascade)
loop, loop               refused: one loop cannot run ``a`` to its end before   use ``a.unroll(T) >> b``
                         ``b`` starts; compose the readout of ``T`` steps of    (a Circuit >> looped)
                         ``a`` as ``a.unroll(T) >> b``
=======================  =====================================================  =========================

``a | b`` (:func:`parallel`): side by side; inputs with the same name are shared, outputs are
concatenated, states are concatenated (``a``'s first).  Looped circuits must have the same mode, and
in loop mode both a readout or neither (a Circuit beside a looped circuit is a stateless machine of
its mode, and has no readout).  The serial depth is ``max(sd(a, T), sd(b, T))``; a halting run of
``a | b`` stops a lane when both states are fixed.

Where two states share a name, the state (and next-state output) of ``b`` is renamed ``name_1``,
``name_2``, ...; a clash of two outputs is an error, as for circuits.  ``sd`` is
:meth:`LoopedCircuit.serial_depth`, which gives the exact value of every composite.
"""

from __future__ import annotations

from typing import Mapping, Sequence, Union

from ..errors import CircuitStructureError
from .builder import CircuitBuilder
from .circuit import Circuit
from .looped import LoopedCircuit

__all__ = ["series", "parallel"]

Machine = Union[Circuit, LoopedCircuit]


def _wiring(out_names: Sequence[str], in_names: Sequence[str], wiring: Mapping[str, str] | None) -> dict[str, str]:
    """``{input of the second: output of the first}``: given, else by name, else by position."""
    if wiring is None:
        wiring = {n: n for n in in_names if n in out_names}
        if not wiring:
            if len(out_names) != len(in_names):
                raise CircuitStructureError(
                    f"series: no input of the second circuit is named like an output of the first, and the "
                    f"counts differ ({len(out_names)} outputs, {len(in_names)} inputs); pass wiring="
                )
            wiring = dict(zip(in_names, out_names))
    for dst, src in wiring.items():
        if dst not in in_names:
            raise CircuitStructureError(f"series: the second circuit has no input named {dst!r}")
        if src not in out_names:
            raise CircuitStructureError(f"series: the first circuit has no output named {src!r}")
    return dict(wiring)


def series(first: Machine, second: Machine, wiring: Mapping[str, str] | None = None) -> Machine:
    """Feed outputs of ``first`` into inputs of ``second`` (see the module table for looped circuits).

    Parameters
    ----------
    first, second : Circuit or LoopedCircuit
    wiring : mapping of str to str, optional
        ``{second_input_name: first_output_name}`` (for a looped circuit: its per-step inputs
        ``x`` and outputs ``y``).  By default inputs of ``second`` are wired to the outputs of
        ``first`` with the same name; when no name matches and the counts agree, they are wired
        by position.

    Returns
    -------
    Circuit or LoopedCircuit
        Inputs: those of ``first``, then the unwired inputs of ``second`` (an unwired input with
        the name of an input of ``first`` is the same input).  Outputs: those of ``second``, then
        the outputs of ``first`` that fed nothing.  A LoopedCircuit when either part is one.

    Notes
    -----
    Depth is at most ``depth(first) + depth(second)``; size is the sum of the sizes.  For looped
    circuits see the module table (the serial-depth bounds are checked by the tests).

    Example
    -------
    >>> b = CircuitBuilder(); x, y = b.inputs(2, "x"); b.output(b.and_(x, y), "s"); f = b.build()
    >>> b = CircuitBuilder(); s, z = b.input("s"), b.input("z"); b.output(b.or_(s, z), "t"); g = b.build()
    >>> h = f >> g; h.input_names, h.output_names, h.depth()
    (('x0', 'x1', 'z'), ('t',), 2)
    """
    if isinstance(first, Circuit) and isinstance(second, Circuit):
        return _series_circuits(first, second, wiring)
    for obj in (first, second):
        if not isinstance(obj, (Circuit, LoopedCircuit)):
            raise CircuitStructureError(f"series: expected a Circuit or LoopedCircuit, got {type(obj).__name__}")
    if isinstance(first, Circuit):
        return _cascade(first, second, wiring)
    if isinstance(second, Circuit):
        if first.readout is not None:
            readout = _series_circuits(first.readout, second, wiring)
            if readout.n_inputs != first.n_state:
                extra = readout.input_names[first.n_state :]
                raise CircuitStructureError(
                    f"series: the readout takes the state only, but {list(extra)} of the second circuit are not "
                    "wired to readout outputs")
            return LoopedCircuit(first.step, first.n_state, first.init, first.mode, readout)
        return _cascade(first, second, wiring)
    if first.mode != second.mode:
        raise CircuitStructureError(
            f"series: a {first.mode}-mode and a {second.mode}-mode looped circuit do not step together")
    if first.mode == "loop":
        raise CircuitStructureError(
            "series of two loop-mode circuits: one loop cannot run the first to its end before the second "
            "starts; compose first.unroll(T) >> second (the first's output after T steps feeding the loop)")
    return _cascade(first, second, wiring)


def _series_circuits(first: Circuit, second: Circuit, wiring: Mapping[str, str] | None) -> Circuit:
    wiring = _wiring(first.output_names, second.input_names, wiring)
    b = CircuitBuilder()
    names: dict[str, int] = {}
    first_in = []
    for n in first.input_names:
        names[n] = b.input(n)
        first_in.append(names[n])
    first_out = dict(zip(first.output_names, b.copy_from(first, first_in)))
    second_in = []
    for n in second.input_names:
        if n in wiring:
            second_in.append(first_out[wiring[n]])
        else:
            if n not in names:
                names[n] = b.input(n)
            second_in.append(names[n])
    used = set(wiring.values())
    for n, l in zip(second.output_names, b.copy_from(second, second_in)):
        b.output(l, n)
    for n in first.output_names:
        if n not in used:
            if n in second.output_names:
                raise CircuitStructureError(f"series: output name {n!r} appears in both circuits")
            b.output(first_out[n], n)
    return b.build()


def _parts(m: Machine) -> tuple[Circuit, int, tuple[int, ...], Circuit | None]:
    """``(step, n_state, init, readout)``; a Circuit is a stateless step."""
    if isinstance(m, Circuit):
        return m, 0, (), None
    return m.step, m.n_state, m.init, m.readout


def _fresh(name: str, taken: set[str]) -> str:
    cand, k = name, 0
    while cand in taken:
        k += 1
        cand = f"{name}_{k}"
    taken.add(cand)
    return cand


def _state_names(a: Circuit, na: int, b: Circuit, nb: int, x_names: Sequence[str]) -> tuple[list[str], list[str]]:
    """Names for ``b``'s state inputs and next-state outputs, renamed where they clash with ``a``'s
    or with a per-step input name."""
    taken_in = set(a.input_names[:na]) | set(x_names)
    taken_out = set(a.output_names[:na])
    return ([_fresh(n, taken_in) for n in b.input_names[:nb]], [_fresh(n, taken_out) for n in b.output_names[:nb]])


def _cascade(first: Machine, second: Machine, wiring: Mapping[str, str] | None) -> LoopedCircuit:
    """The synchronous series of two machines (at least one looped; both stream, or one stateless)."""
    sa, na, ia, _ = _parts(first)
    sb, nb, ib, rb = _parts(second)
    mode = (second if isinstance(second, LoopedCircuit) else first).mode  # type: ignore[union-attr]
    ya, xb = sa.output_names[na:], sb.input_names[nb:]
    wiring = _wiring(ya, xb, wiring)
    xa = list(sa.input_names[na:])
    b_state_in, b_state_out = _state_names(sa, na, sb, nb, xa + [n for n in xb if n not in wiring])
    bld = CircuitBuilder()
    st_a = [bld.input(n) for n in sa.input_names[:na]]
    st_b = [bld.input(n) for n in b_state_in]
    names: dict[str, int] = {}
    for n in xa:
        names[n] = bld.input(n)
    out_a = bld.copy_from(sa, st_a + [names[n] for n in xa])
    y_a = dict(zip(ya, out_a[na:]))
    x_b = []
    for n in xb:
        if n in wiring:
            x_b.append(y_a[wiring[n]])
        else:
            if n not in names:
                names[n] = bld.input(n)
            x_b.append(names[n])
    out_b = bld.copy_from(sb, st_b + x_b)
    for n, l in zip(sa.output_names[:na], out_a[:na]):
        bld.output(l, n)
    for n, l in zip(b_state_out, out_b[:nb]):
        bld.output(l, n)
    for n, l in zip(sb.output_names[nb:], out_b[nb:]):
        bld.output(l, n)
    used = set(wiring.values())
    for n in ya:
        if n not in used:
            if n in sb.output_names[nb:]:
                raise CircuitStructureError(f"series: output name {n!r} appears in both circuits")
            bld.output(y_a[n], n)
    return LoopedCircuit(bld.build(), na + nb, ia + ib, mode, rb)


def parallel(left: Machine, right: Machine) -> Machine:
    """Side by side: inputs with the same name are shared, outputs (and states) are concatenated.

    Notes
    -----
    Depth is ``max(depth(left), depth(right))``; size is the sum.  For looped circuits (same mode;
    in loop mode both with a readout or neither) the serial depth over ``T`` steps is the larger of
    the two, and the readout is the two readouts side by side on the two states.

    Example
    -------
    >>> b = CircuitBuilder(); x = b.input("x"); b.output(x ^ 1, "nx"); f = b.build()
    >>> b = CircuitBuilder(); x, y = b.input("x"), b.input("y"); b.output(b.xor(x, y), "p"); g = b.build()
    >>> h = f | g; h.input_names, h.output_names
    (('x', 'y'), ('nx', 'p'))
    """
    if isinstance(left, Circuit) and isinstance(right, Circuit):
        return _parallel_circuits(left, right)
    for obj in (left, right):
        if not isinstance(obj, (Circuit, LoopedCircuit)):
            raise CircuitStructureError(f"parallel: expected a Circuit or LoopedCircuit, got {type(obj).__name__}")
    modes = {m.mode for m in (left, right) if isinstance(m, LoopedCircuit)}
    if len(modes) != 1:
        raise CircuitStructureError("parallel: a stream-mode and a loop-mode looped circuit do not step together")
    mode = modes.pop()
    sa, na, ia, ra = _parts(left)
    sb, nb, ib, rb = _parts(right)
    if (ra is None) != (rb is None):
        raise CircuitStructureError("parallel: loop-mode circuits side by side need a readout each, or neither")
    dup = set(sa.output_names[na:]) & set(sb.output_names[nb:])
    if dup:
        raise CircuitStructureError(f"parallel: output name(s) {sorted(dup)} appear in both circuits")
    x_names = list(dict.fromkeys(list(sa.input_names[na:]) + list(sb.input_names[nb:])))
    b_state_in, b_state_out = _state_names(sa, na, sb, nb, x_names)
    bld = CircuitBuilder()
    st_a = [bld.input(n) for n in sa.input_names[:na]]
    st_b = [bld.input(n) for n in b_state_in]
    names = {n: bld.input(n) for n in x_names}
    out_a = bld.copy_from(sa, st_a + [names[n] for n in sa.input_names[na:]])
    out_b = bld.copy_from(sb, st_b + [names[n] for n in sb.input_names[nb:]])
    for n, l in zip(list(sa.output_names[:na]) + b_state_out, out_a[:na] + out_b[:nb]):
        bld.output(l, n)
    for n, l in zip(sa.output_names[na:] + sb.output_names[nb:], out_a[na:] + out_b[nb:]):
        bld.output(l, n)
    readout = None
    if ra is not None and rb is not None:
        dup = set(ra.output_names) & set(rb.output_names)
        if dup:
            raise CircuitStructureError(f"parallel: readout output name(s) {sorted(dup)} appear in both circuits")
        rbld = CircuitBuilder()
        s = rbld.inputs(na + nb, "s")
        for n, l in zip(ra.output_names + rb.output_names, rbld.copy_from(ra, s[:na]) + rbld.copy_from(rb, s[na:])):
            rbld.output(l, n)
        readout = rbld.build()
    return LoopedCircuit(bld.build(), na + nb, ia + ib, mode, readout)


def _parallel_circuits(left: Circuit, right: Circuit) -> Circuit:
    dup = set(left.output_names) & set(right.output_names)
    if dup:
        raise CircuitStructureError(f"parallel: output name(s) {sorted(dup)} appear in both circuits")
    b = CircuitBuilder()
    names: dict[str, int] = {}
    for n in left.input_names + right.input_names:
        if n not in names:
            names[n] = b.input(n)
    outs = b.copy_from(left, [names[n] for n in left.input_names])
    outs += b.copy_from(right, [names[n] for n in right.input_names])
    for n, l in zip(left.output_names + right.output_names, outs):
        b.output(l, n)
    return b.build()
