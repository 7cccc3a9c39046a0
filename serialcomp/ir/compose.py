"""Series and parallel composition of circuits (``a >> b`` and ``a | b``, as in py-aiger)."""

from __future__ import annotations

from typing import Mapping

from ..errors import CircuitStructureError
from .builder import CircuitBuilder
from .circuit import Circuit

__all__ = ["series", "parallel"]


def series(first: Circuit, second: Circuit, wiring: Mapping[str, str] | None = None) -> Circuit:
    """Feed outputs of ``first`` into inputs of ``second``.

    Parameters
    ----------
    first, second : Circuit
    wiring : mapping of str to str, optional
        ``{second_input_name: first_output_name}``.  By default inputs of ``second`` are wired to
        the outputs of ``first`` with the same name; when no name matches and the counts agree,
        they are wired by position.

    Returns
    -------
    Circuit
        Inputs: those of ``first``, then the unwired inputs of ``second`` (an unwired input with
        the name of an input of ``first`` is the same input).  Outputs: those of ``second``, then
        the outputs of ``first`` that fed nothing.

    Notes
    -----
    Depth is at most ``depth(first) + depth(second)``; size is the sum of the sizes.

    Example
    -------
    >>> b = CircuitBuilder(); x, y = b.inputs(2, "x"); b.output(b.and_(x, y), "s"); f = b.build()
    >>> b = CircuitBuilder(); s, z = b.input("s"), b.input("z"); b.output(b.or_(s, z), "t"); g = b.build()
    >>> h = f >> g; h.input_names, h.output_names, h.depth()
    (('x0', 'x1', 'z'), ('t',), 2)
    """
    if wiring is None:
        wiring = {n: n for n in second.input_names if n in first.output_names}
        if not wiring:
            if first.n_outputs != second.n_inputs:
                raise CircuitStructureError(
                    f"series: no input of the second circuit is named like an output of the first, and the "
                    f"counts differ ({first.n_outputs} outputs, {second.n_inputs} inputs); pass wiring="
                )
            wiring = dict(zip(second.input_names, first.output_names))
    for dst, src in wiring.items():
        if dst not in second.input_names:
            raise CircuitStructureError(f"series: the second circuit has no input named {dst!r}")
        if src not in first.output_names:
            raise CircuitStructureError(f"series: the first circuit has no output named {src!r}")
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


def parallel(left: Circuit, right: Circuit) -> Circuit:
    """Side by side: inputs with the same name are shared, outputs are concatenated.

    Notes
    -----
    Depth is ``max(depth(left), depth(right))``; size is the sum.

    Example
    -------
    >>> b = CircuitBuilder(); x = b.input("x"); b.output(x ^ 1, "nx"); f = b.build()
    >>> b = CircuitBuilder(); x, y = b.input("x"), b.input("y"); b.output(b.xor(x, y), "p"); g = b.build()
    >>> h = f | g; h.input_names, h.output_names
    (('x', 'y'), ('nx', 'p'))
    """
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
