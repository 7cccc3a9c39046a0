"""Sampled instances: :class:`Instances`, a batch of records of one problem as numpy arrays.

The arrays' leading axis is the record; the batch knows its problem, size, seed, resolved
parameters and record indices, so it can solve, slice and describe itself (``records()``: one
self-describing dict per record, the rows the export writers write).
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Iterator

import numpy as np

from .columns import Ragged

if TYPE_CHECKING:
    from .problem import Problem

__all__ = ["Instances"]


def _jsonable(v: Any) -> Any:
    if isinstance(v, np.generic):
        return v.item()
    return v


@dataclass(eq=False)
class Instances:
    """A batch of sampled instances of one problem.

    Attributes
    ----------
    problem : str
        Registry key, e.g. ``"word:S5"``.
    n : int
    seed : int
    params : dict
        The resolved sampling parameters (defaults filled in).
    inputs, targets, meta : dict of str -> ndarray
        Arrays whose leading axis is the record; ``targets`` has at least ``"target"``.
    index : int64 array, shape (count,)
        Record indices (``start``, ``start + 1``, ...).

    Example
    -------
    >>> from serialcomp.problems import get_problem
    >>> inst = get_problem("majority").sample(3, 4, seed=0, start=10)
    >>> len(inst), inst.index.tolist(), sorted(next(inst.records()))
    (4, [10, 11, 12, 13], ['index', 'n', 'ones', 'params', 'problem', 'seed', 'target', 'x'])
    """

    problem: str
    n: int
    seed: int
    params: dict[str, Any]
    inputs: dict[str, np.ndarray]
    targets: dict[str, np.ndarray]
    meta: dict[str, np.ndarray] = field(default_factory=dict)
    index: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=np.int64))
    solver: "Problem | None" = field(default=None, repr=False, compare=False)

    def __len__(self) -> int:
        return len(self.index)

    @property
    def problem_obj(self) -> "Problem":
        """The :class:`Problem` that sampled these instances."""
        if self.solver is None:
            from .registry import get_problem

            self.solver = get_problem(self.problem)
        return self.solver

    def get_inputs(self, i: int) -> dict[str, np.ndarray]:
        """The inputs of record ``i`` (position in this batch), for :meth:`Problem.solve`."""
        return {k: v[i] for k, v in self.inputs.items()}

    def solve(self, i: int) -> Any:
        """The reference solver on record ``i``, with the parameters it was sampled with.

        Some answers depend on a parameter that is not among the inputs (``t`` of ``ca:*`` and
        ``timelock``); this passes :attr:`params` along, so it never answers a different question.
        """
        return self.problem_obj.solve(self.get_inputs(i), **self.params)

    def take(self, sel: Any) -> "Instances":
        """A sub-batch (slice, index array or bool mask over positions)."""
        def pick(d: dict[str, np.ndarray]) -> dict[str, np.ndarray]:
            return {k: v[sel] for k, v in d.items()}

        return Instances(self.problem, self.n, self.seed, dict(self.params), pick(self.inputs),
                         pick(self.targets), pick(self.meta), self.index[sel], self.solver)

    def __getitem__(self, sel: Any) -> "Instances":
        if isinstance(sel, (int, np.integer)):
            sel = slice(int(sel), int(sel) + 1 if int(sel) != -1 else None)
        return self.take(sel)

    def columns(self, readable: bool = True) -> dict[str, Any]:
        """Column view of :meth:`records` (arrays, :class:`Ragged` or lists), without header keys.

        ``readable=False`` gives the stored arrays instead (:meth:`Problem.raw_columns`), e.g.
        element indices rather than one-line permutations for word problems.
        """
        p = self.problem_obj
        return p.columns(self) if readable else p.raw_columns(self)

    def records(self, readable: bool = True) -> Iterator[dict[str, Any]]:
        """Self-describing dicts, one per record.

        Keys: ``problem``, ``n``, ``seed``, ``index``, ``params`` (JSON string, sorted keys), the
        inputs in a readable structure, ``target`` (and further targets), and per-record metadata.
        With ``readable=False`` the inputs and targets are the stored arrays as lists.
        """
        cols = self.columns(readable)
        params = json.dumps({k: _jsonable(v) for k, v in self.params.items()}, sort_keys=True)
        for i in range(len(self)):
            rec: dict[str, Any] = {
                "problem": self.problem,
                "n": int(self.n),
                "seed": int(self.seed),
                "index": int(self.index[i]),
                "params": params,
            }
            for k, col in cols.items():
                v = col.row(i) if isinstance(col, Ragged) else col[i]
                rec[k] = v.tolist() if isinstance(v, (np.ndarray, np.generic)) else v
            yield rec
