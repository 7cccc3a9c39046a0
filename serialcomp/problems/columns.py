"""Column types of a problem's records beyond plain arrays: :class:`Coded` (codes into a small
table of values) and :class:`Ragged` (rows of different lengths).

A problem's :meth:`~serialcomp.problems.problem.Problem.columns` returns, per record field, a numpy
array whose leading axis is the record, one of these two, or a list. The writers in
:mod:`serialcomp.problems.export` turn each kind into JSON text and Arrow columns without one
Python object per value.
"""

from __future__ import annotations

from typing import Any, NamedTuple

import numpy as np

from ..errors import ProblemParameterError

__all__ = ["Coded", "Ragged"]


class Coded:
    """A column of codes into a small table, like ``pandas.Categorical``: row ``i`` is ``categories[codes[i]]``.

    A problem's :meth:`~serialcomp.problems.problem.Problem.columns` may return one where a readable
    value is one of few (e.g. a group element, a gate type): ``codes`` is an int array ``(count,)``
    or ``(count, d1, ...)``; ``categories`` a sequence of strings, or a numeric array whose rows are the
    values (e.g. one-line permutations, ``(size, k)``). Records see the values
    (``coded[i]``); the writers never build one Python object per value: JSON is joined from one
    text per category, and string categories become a dictionary-encoded Parquet column (the
    codes go straight into the data pages; readers see a plain string column).

    Example
    -------
    >>> c = Coded(np.array([[0, 1], [1, 1]]), ["01", "10"])
    >>> len(c), c[0].tolist(), c[1][0]
    (2, ['01', '10'], '10')
    """

    __slots__ = ("codes", "categories")

    def __init__(self, codes: Any, categories: Any) -> None:
        codes = np.asarray(codes)
        cats = np.asarray(categories if isinstance(categories, np.ndarray) else list(categories))
        if cats.dtype.kind in "UO" and cats.ndim == 1 and all(isinstance(c, str) for c in cats.tolist()):
            cats = np.array(cats.tolist(), dtype=object)
        elif cats.dtype.kind not in "biuf" or cats.ndim == 0:
            raise ProblemParameterError("Coded categories must be a sequence of strings or a numeric array, "
                                        f"got {cats.dtype} {cats.shape}")
        if codes.dtype.kind not in "iu" or codes.ndim == 0:
            raise ProblemParameterError(f"Coded codes must be an int array of shape (count, ...), "
                                        f"got {codes.dtype} {codes.shape}")
        if codes.size and (int(codes.min()) < 0 or int(codes.max()) >= len(cats)):
            raise ProblemParameterError(f"Coded codes must be in [0, {len(cats)})")
        self.codes, self.categories = codes, cats

    def __len__(self) -> int:
        return len(self.codes)

    def __getitem__(self, i: Any) -> Any:
        return self.categories[self.codes[i]]

    @property
    def strings(self) -> bool:
        """Whether the categories are strings (else numeric rows)."""
        return self.categories.dtype == object


class Ragged(NamedTuple):
    """A column whose rows have different lengths: row ``i`` is ``values[offsets[i]:offsets[i+1]]``.

    Example
    -------
    >>> r = Ragged(np.array([[0, 1], [1, 2], [0, 2]]), np.array([0, 2, 3]))
    >>> r.row(0).tolist(), r.row(1).tolist()
    ([[0, 1], [1, 2]], [[0, 2]])
    """

    values: np.ndarray
    offsets: np.ndarray

    def row(self, i: int) -> np.ndarray:
        """The values of row ``i``."""
        return self.values[self.offsets[i] : self.offsets[i + 1]]
