"""An optional ``torch.utils.data.Dataset`` over a problem's token encoding.

torch is imported when a dataset is created, not when this module is imported, so the core works
without it. The arguments are checked before torch is imported: a bad value raises
:class:`~serialcomp.errors.ProblemParameterError` naming the parameter, with or without torch.
"""

from __future__ import annotations

import operator
from typing import Any

import numpy as np

from .._seed import SeedLike
from .._validate import check_int
from ..errors import ProblemParameterError
from .problem import Problem
from .registry import get_problem

__all__ = ["make_dataset"]  # ProblemDataset is resolved lazily (needs torch)

_CLASS: Any = None


def _resolve(problem: Problem | str, n: Any, count: Any, seed: SeedLike, start: Any, chunk_size: Any,
             target: Any, params: dict[str, Any]) -> dict[str, Any]:
    """Checked arguments of a dataset; raises ProblemParameterError naming the bad one."""
    prob = get_problem(problem)  # a Problem, or a known key (else the error lists close matches)
    count = check_int("count", count, 0, where="make_dataset", error=ProblemParameterError)
    start = check_int("start", start, 0, where="make_dataset", error=ProblemParameterError)
    chunk_size = check_int("chunk_size", chunk_size, 1, where="make_dataset", error=ProblemParameterError)
    empty = prob.sample(n, 0, seed, start=start, **params)  # checks n, seed and params; fixes an int seed
    names = ["bits", *empty.targets]
    if not isinstance(target, str) or target not in names:
        raise ProblemParameterError(f"target for make_dataset must be one of {', '.join(map(repr, names))} "
                                    f"for {prob.key} with these params, got {target!r}")
    return {"problem": prob, "n": int(empty.n), "count": count, "seed": empty.seed, "start": start,
            "chunk_size": chunk_size, "target": target, "params": dict(params)}


def _dataset_class() -> Any:
    global _CLASS
    if _CLASS is not None:
        return _CLASS
    import torch
    from torch.utils.data import Dataset

    class _ProblemDataset(Dataset):  # type: ignore[misc]
        """Records ``start .. start + count - 1`` of a problem as token and target tensors.

        Item ``i`` is a dict: ``tokens`` (int64, ``(L,)``), ``target`` and ``index`` (the record
        index). ``target`` is the target bits as int64 (``(n_target_bits,)``, the default
        ``target="bits"``) or, with ``target=<name>``, that stored target array as int64, e.g.
        ``target="prefix"`` for a word problem sampled with ``prefix=True``: one element id per
        position (the state-tracking labels; ids are token ids, names in :attr:`vocab`), or
        ``target="target"``: the product's id. Records are sampled in chunks of ``chunk_size``
        when first touched and kept (record ``i`` does not depend on the chunking).
        """

        def __init__(self, problem: Problem | str, n: int, count: int, seed: SeedLike = 0, start: int = 0,
                     chunk_size: int = 1024, target: str = "bits", **params: Any) -> None:
            a = _resolve(problem, n, count, seed, start, chunk_size, target, params)
            self.problem, self.n, self.count, self.seed = a["problem"], a["n"], a["count"], a["seed"]
            self.start, self.chunk_size = a["start"], a["chunk_size"]
            self.target, self.params = a["target"], a["params"]
            self.vocab = self.problem.vocab(self.n, **params)
            self._chunks: dict[int, tuple[Any, Any]] = {}

        def __len__(self) -> int:
            return self.count

        def _chunk(self, c: int) -> tuple[Any, Any]:
            if c not in self._chunks:
                a = c * self.chunk_size
                inst = self.problem.sample(self.n, min(self.chunk_size, self.count - a), self.seed,
                                           start=self.start + a, **self.params)
                tok = torch.from_numpy(np.ascontiguousarray(self.problem.encode_tokens(inst), dtype=np.int64))
                t = self.problem.target_bits(inst) if self.target == "bits" else inst.targets[self.target]
                tgt = torch.from_numpy(np.ascontiguousarray(t, dtype=np.int64))
                self._chunks[c] = (tok, tgt)
            return self._chunks[c]

        def __getitem__(self, i: Any) -> dict[str, Any]:
            if isinstance(i, (bool, np.bool_)):
                raise TypeError(f"record index must be an int, got {i!r}")
            i = operator.index(i)  # ints, numpy ints, 0-d integer tensors
            if not -self.count <= i < self.count:
                raise IndexError(f"record {i} out of range for {self.count} records")
            i %= self.count
            tok, tgt = self._chunk(i // self.chunk_size)
            j = i % self.chunk_size
            return {"tokens": tok[j], "target": tgt[j], "index": self.start + i}

    _CLASS = _ProblemDataset
    return _CLASS


def make_dataset(problem: Problem | str, n: int, count: int, seed: SeedLike = 0, start: int = 0,
                 chunk_size: int = 1024, target: str = "bits", **params: Any) -> Any:
    """A torch ``Dataset`` of ``count`` records of ``problem`` at size ``n`` (needs torch).

    Parameters
    ----------
    problem : Problem or str
    n, count, seed, start, **params :
        As in :meth:`Problem.sample` (``count`` >= 0, ``start`` >= 0).
    chunk_size : int
        Records sampled at a time, >= 1 (does not change any record).
    target : str
        ``"bits"`` (default): the target bits; or the name of a stored target array, e.g.
        ``"prefix"`` (word problems with ``prefix=True``: the element id of every prefix product,
        one per position) or ``"target"``.

    Raises
    ------
    ProblemParameterError
        For a bad value of any argument (checked before torch is imported), naming it.

    Example
    -------
    >>> make_dataset("word:S5", 16, -3)
    Traceback (most recent call last):
    ...
    serialcomp.errors.ProblemParameterError: count for make_dataset must be >= 0, got -3
    >>> ds = make_dataset("word:S5", 16, 100, seed=0, prefix=True)  # doctest: +SKIP
    >>> ds[0]["tokens"].shape, ds[0]["target"].shape                 # doctest: +SKIP
    (torch.Size([16]), torch.Size([112]))
    >>> make_dataset("word:S5", 16, 100, prefix=True, target="prefix")[0]["target"].shape  # doctest: +SKIP
    torch.Size([16])
    """
    a = _resolve(problem, n, count, seed, start, chunk_size, target, params)  # before importing torch
    return _dataset_class()(a["problem"], a["n"], a["count"], a["seed"], a["start"], a["chunk_size"], a["target"],
                            **a["params"])


def __getattr__(name: str) -> Any:
    if name == "ProblemDataset":
        return _dataset_class()
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
