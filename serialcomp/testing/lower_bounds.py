"""Certified depth lower bounds with bounded fan-in: the cone of influence and Khrapchenko's bound.

*Cone of influence.* A gate of fan-in at most ``k`` reads at most ``k`` wires, so by induction an
output at depth ``d`` reads at most ``k^d`` inputs: an output that depends on ``m`` inputs has
depth at least ``ceil(log_k m)`` in the fan-in-``k`` model (:func:`cone_depth_bound`). That an
input matters is certified by a *witness*: two patterns that differ in that input only and give
different outputs (:func:`essential_inputs` finds them by simulation, so every input it reports
is essential; it may miss some, which only weakens the bound).

*Khrapchenko.* For ``f`` with ``A = f^-1(1)`` and ``B = f^-1(0)``, every De Morgan formula
(fan-in-2 AND/OR, negations at the leaves, free) for ``f`` has at least
``|E(A, B)|^2 / (|A| |B|)`` leaves, ``E(A, B)`` the pairs of ``A x B`` at Hamming distance 1
(Khrapchenko 1971). A depth-``d`` fan-in-2 circuit unfolds into a formula with at most ``2^d``
leaves, so its depth is at least ``ceil(log2 measure)`` (:func:`khrapchenko_depth_bound`); for
parity of n bits the measure is ``n^2``.

Example
-------
>>> import numpy as np
>>> from serialcomp.testing.patterns import all_patterns
>>> tt = all_patterns(4).sum(axis=1) % 2 == 1
>>> khrapchenko_measure(tt), khrapchenko_depth_bound(tt), cone_depth_bound(4, 2)
(16, 4, 2)
"""

from __future__ import annotations

from typing import Any

import numpy as np
import sympy

from .._seed import SeedLike
from .._validate import check_int
from ..errors import SimulationInputError
from .patterns import MAX_EXHAUSTIVE, all_patterns, random_patterns

__all__ = ["cone_depth_bound", "essential_inputs", "khrapchenko_measure", "khrapchenko_depth_bound"]


def cone_depth_bound(m: int, k: int = 2) -> int:
    """``ceil(log_k m)``, exactly (the least ``d`` with ``k^d >= m``; 0 for ``m <= 1``).

    Example
    -------
    >>> [cone_depth_bound(m) for m in (1, 2, 3, 4, 5, 1024, 1025)], cone_depth_bound(10, 3)
    ([0, 1, 2, 2, 3, 10, 11], 3)
    """
    m = check_int("m", m, 0, where="cone_depth_bound", error=SimulationInputError)
    k = check_int("k (fan-in bound)", k, 2, where="cone_depth_bound", error=SimulationInputError)
    d, reach = 0, 1
    while reach < m:
        d, reach = d + 1, reach * k
    return d


def essential_inputs(circuit: Any, patterns: Any = None, *, samples: int = 256, seed: SeedLike = 0,
                     exhaustive_up_to: int = 12) -> list[list[int]]:
    """Per output, the inputs it depends on, each certified by a witness pair found by simulation.

    Parameters
    ----------
    circuit : Circuit
    patterns : bool array ``(batch, n_inputs)``, optional
        Base patterns; each input is flipped in each of them. Default: every pattern when the
        circuit has at most ``exhaustive_up_to`` inputs (then the answer is exact), else
        ``samples`` random ones.
    samples, seed : int
        The random base patterns (when ``patterns`` is not given).
    exhaustive_up_to : int

    Returns
    -------
    list of list of int
        For output ``j``, the sorted input indices ``i`` with some base pattern ``p`` such that
        output ``j`` differs on ``p`` and on ``p`` with input ``i`` flipped.

    Notes
    -----
    One simulation of ``(n_inputs + 1) * batch`` patterns (in chunks of at most 2^16).

    Example
    -------
    >>> from serialcomp.ir import CircuitBuilder
    >>> b = CircuitBuilder(); x = b.inputs(4)
    >>> b.output(b.and_(x[0], b.or_(x[1], x[1] ^ 1))); b.output(b.xor(x[2], x[3]))
    >>> essential_inputs(b.build())
    [[0], [2, 3]]
    """
    n_in = circuit.n_inputs
    if patterns is None:
        if n_in <= min(exhaustive_up_to, MAX_EXHAUSTIVE):
            base = all_patterns(n_in)
        else:
            base = random_patterns(n_in, samples, seed)
    else:
        base = np.asarray(patterns, dtype=bool)
        if base.ndim != 2 or base.shape[1] != n_in:
            raise SimulationInputError(f"essential_inputs: patterns must have shape (batch, {n_in}), got {base.shape}")
    sim = circuit.compile()
    ref = sim.run_bool(base)
    found = np.zeros((circuit.n_outputs, n_in), dtype=bool)
    per_chunk = max(1, (1 << 16) // max(1, len(base)))
    for start in range(0, n_in, per_chunk):
        cols = list(range(start, min(n_in, start + per_chunk)))
        batch = np.repeat(base[None], len(cols), axis=0)
        for j, i in enumerate(cols):
            batch[j, :, i] ^= True
        out = sim.run_bool(batch.reshape(-1, n_in)).reshape(len(cols), len(base), -1)
        found[:, cols] = (out != ref[None]).any(axis=1).T
    return [np.flatnonzero(row).tolist() for row in found]


def _truth_table(tt: Any) -> np.ndarray:
    a = np.asarray(tt, dtype=bool).reshape(-1)
    n = a.size.bit_length() - 1
    if a.size < 2 or 1 << n != a.size:
        raise SimulationInputError(f"a truth table needs 2^n entries (n >= 1), got {a.size}")
    return a


def khrapchenko_measure(tt: Any, ones: Any = None, zeros: Any = None) -> sympy.Rational:
    """``|E(A, B)|^2 / (|A| |B|)`` for the truth table ``tt`` (entry ``k``: the value on the pattern
    whose bit ``j`` is bit ``j`` of ``k``, as :func:`~serialcomp.testing.patterns.all_patterns`).

    ``A`` is ``f^-1(1)`` and ``B`` is ``f^-1(0)``, or the subsets of them the bool masks ``ones`` and
    ``zeros`` select (Khrapchenko's bound holds for any ``A`` in ``f^-1(1)`` and ``B`` in ``f^-1(0)``;
    majority's best choice is the two middle layers). Returns 0 when ``A`` or ``B`` is empty.
    Exact (a sympy Rational).

    Notes
    -----
    O(n 2^n) work for ``2^n`` entries.

    Example
    -------
    >>> from serialcomp.testing.patterns import all_patterns
    >>> p = all_patterns(3)
    >>> khrapchenko_measure(p.sum(axis=1) >= 2)     # majority of 3: |E| = 6, |A| = |B| = 4
    9/4
    >>> w = p.sum(axis=1)
    >>> khrapchenko_measure(w >= 2, ones=w == 2, zeros=w == 1)   # the middle layers: 6^2 / (3 * 3)
    4
    """
    f = _truth_table(tt)
    n = f.size.bit_length() - 1
    a = f.copy() if ones is None else f & np.asarray(ones, dtype=bool).reshape(-1)
    b = ~f if zeros is None else ~f & np.asarray(zeros, dtype=bool).reshape(-1)
    if not a.any() or not b.any():
        return sympy.Integer(0)
    idx = np.arange(f.size)
    edges = sum(int(np.sum(a & b[idx ^ (1 << j)])) for j in range(n))
    return sympy.Rational(edges * edges, int(a.sum()) * int(b.sum()))


def khrapchenko_depth_bound(tt: Any, ones: Any = None, zeros: Any = None) -> int:
    """``ceil(log2 khrapchenko_measure(tt, ones, zeros))``: a lower bound on the fan-in-2 AND/OR depth
    (negations free).

    Example
    -------
    >>> from serialcomp.testing.patterns import all_patterns
    >>> [khrapchenko_depth_bound(all_patterns(n).sum(axis=1) % 2 == 1) for n in (2, 3, 5, 8)]
    [2, 4, 5, 6]
    """
    m = khrapchenko_measure(tt, ones, zeros)
    if m <= 1:
        return 0
    d = 0
    while sympy.Integer(2) ** d < m:
        d += 1
    return d

