"""An optional ``torch.utils.data.Dataset`` over a problem's token encoding.

torch is imported when a dataset is created, not when this module is imported, so the core works
without it.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from .._seed import SeedLike
from .base import Problem
from .registry import get_problem

__all__ = ["make_dataset"]  # ProblemDataset is resolved lazily (needs torch)

_CLASS: Any = None


def _dataset_class() -> Any:
    global _CLASS
    if _CLASS is not None:
        return _CLASS
    import torch
    from torch.utils.data import Dataset

    class _ProblemDataset(Dataset):  # type: ignore[misc]
        """Records ``start .. start + count - 1`` of a problem as token and target tensors.

        Item ``i`` is a dict: ``tokens`` (int64, ``(L,)``), ``target`` (the target bits as int64,
        ``(n_target_bits,)``) and ``index`` (the record index). Records are sampled in chunks of
        ``chunk_size`` when first touched and kept (record ``i`` does not depend on the chunking).
        """

        def __init__(self, problem: Problem | str, n: int, count: int, seed: SeedLike = 0, start: int = 0,
                     chunk_size: int = 1024, **params: Any) -> None:
            self.problem = get_problem(problem) if isinstance(problem, str) else problem
            self.n, self.count, self.start, self.chunk_size = int(n), int(count), int(start), max(1, int(chunk_size))
            self.params = params
            self.seed = self.problem.sample(n, 0, seed, **params).seed  # validates, fixes an int seed
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
                tgt = torch.from_numpy(np.ascontiguousarray(self.problem.target_bits(inst), dtype=np.int64))
                self._chunks[c] = (tok, tgt)
            return self._chunks[c]

        def __getitem__(self, i: int) -> dict[str, Any]:
            if not -self.count <= i < self.count:
                raise IndexError(f"record {i} out of range for {self.count} records")
            i %= self.count
            tok, tgt = self._chunk(i // self.chunk_size)
            j = i % self.chunk_size
            return {"tokens": tok[j], "target": tgt[j], "index": self.start + i}

    _CLASS = _ProblemDataset
    return _CLASS


def make_dataset(problem: Problem | str, n: int, count: int, seed: SeedLike = 0, start: int = 0,
                 chunk_size: int = 1024, **params: Any) -> Any:
    """A torch ``Dataset`` of ``count`` records of ``problem`` at size ``n`` (needs torch).

    Parameters
    ----------
    problem : Problem or str
    n, count, seed, start, **params :
        As in :meth:`Problem.sample`.
    chunk_size : int
        Records sampled at a time (does not change any record).

    Example
    -------
    >>> ds = make_dataset("word:S5", 16, 100, seed=0, prefix=True)  # doctest: +SKIP
    >>> ds[0]["tokens"].shape, ds[0]["target"].shape                 # doctest: +SKIP
    (torch.Size([16]), torch.Size([112]))
    """
    return _dataset_class()(problem, n, count, seed, start, chunk_size, **params)


def __getattr__(name: str) -> Any:
    if name == "ProblemDataset":
        return _dataset_class()
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
