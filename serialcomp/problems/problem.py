"""The problem contract: :class:`Problem`, the base class of every registered problem.

A problem is a task with exact answers: ``sample(n, count, seed)`` draws instances as numpy arrays
whose leading axis is the record (:class:`~serialcomp.problems.instances.Instances`), a reference
solver gives the target of one instance, and encodings turn instances into bits (for circuits) and
tokens (for sequence models). Its complexity facts say what is known about its depth, and its
circuit families solve it.

Sampling checks every argument before anything is allocated: ``n`` against :attr:`Problem.min_n`
and :attr:`Problem.max_n` (the largest size the generator can hold, with the reason), ``count``
and ``start`` against the int64 record index, the seed (:func:`serialcomp._seed.seed_int`) and the
parameters (:meth:`Problem.resolve_params`).
"""

from __future__ import annotations

import abc
from typing import Any, Mapping

import numpy as np

from .._seed import SeedLike, seed_int
from .._validate import check_int
from ..errors import ProblemParameterError
from .bits import flat2d
from .facts import ComplexityFacts
from .instances import Instances, _jsonable
from .rng import RecordRNG

__all__ = ["Problem", "MAX_INDEX"]

MAX_INDEX = 2**63 - 1
"""Largest record index: indices are int64, so ``start + count`` may be at most ``2**63``."""


def _shown(v: int) -> str:
    return str(v) if v.bit_length() < 256 else f"a {v.bit_length()}-bit number"


class Problem(abc.ABC):
    """Base class of every problem.

    Subclasses set the class attributes and implement :meth:`_generate`, :meth:`solve`, the
    encodings and :meth:`vocab`. ``defaults`` lists every accepted sampling parameter with its
    default (``None`` meaning "derived from n" in :meth:`resolve_params`).

    Attributes
    ----------
    key, key_prefix, variant, description : str
        ``key`` is ``"<key_prefix>:<variant>"`` (``"word:S5"``), or the prefix alone (``"parity"``).
    knob : str or None
        The name of the hardness parameter, if the problem has one.
    facts : ComplexityFacts
    min_n : int
        Smallest size the problem admits.
    max_n : int or None
        Largest size the generator can hold (``None``: no bound), checked before anything is
        allocated; :attr:`max_n_reason` says why (shown in the error).
    n_meaning : str
        What the size ``n`` of :meth:`sample` (and the ``n`` of every record) means for this
        problem, e.g. ``"number of input bits"``; shown by :meth:`describe`.

    Example
    -------
    >>> from serialcomp.problems import get_problem
    >>> p = get_problem("reach:flower")
    >>> inst = p.sample(16, 3, seed=0, petals=4)
    >>> [inst.solve(i) for i in range(3)] == inst.targets["target"].tolist()
    True
    >>> bool(p.solve(inst.get_inputs(0), **inst.params) == inst.targets["target"][0])
    True
    >>> p.decode_bits(p.encode_bits(inst), 16, petals=4)["edges"].shape
    (3, 38, 2)
    """

    key: str = ""
    key_prefix: str = ""
    variant: str = ""
    description: str = ""
    knob: str | None = None
    facts: ComplexityFacts
    min_n: int = 1
    max_n: int | None = None
    max_n_reason: str = ""
    n_meaning: str = ""
    defaults: Mapping[str, Any] = {}

    def __repr__(self) -> str:
        return f"<Problem {self.key}>"

    # -- parameters --------------------------------------------------------------------------
    def check_n(self, n: Any) -> int:
        """``n`` as an int in ``[min_n, max_n]``; ProblemParameterError otherwise (one line, naming the bound).

        Example
        -------
        >>> from serialcomp.problems import get_problem
        >>> get_problem("reach:random").check_n(10**12)
        Traceback (most recent call last):
        ...
        serialcomp.errors.ProblemParameterError: n=1000000000000 is too large for reach:random: at most 2048 (records ...)
        """
        n = check_int("n", n, self.min_n, where=self.key, error=ProblemParameterError)
        if self.max_n is not None and n > self.max_n:
            why = f" ({self.max_n_reason})" if self.max_n_reason else ""
            raise ProblemParameterError(f"n={_shown(n)} is too large for {self.key}: at most {self.max_n}{why}")
        return n

    def resolve_params(self, n: int, params: Mapping[str, Any]) -> dict[str, Any]:
        """Check ``params`` against :attr:`defaults` and fill defaults; subclasses validate values.

        Raises
        ------
        ProblemParameterError
            For ``n`` outside ``[min_n, max_n]`` (:meth:`check_n`), or an unknown parameter (the
            message lists the accepted ones).
        """
        self.check_n(n)
        unknown = sorted(set(params) - set(self.defaults))
        if unknown:
            allowed = ", ".join(sorted(self.defaults)) or "none"
            raise ProblemParameterError(
                f"unknown parameter {unknown[0]!r} for problem {self.key!r}; accepted parameters: {allowed}"
            )
        out = dict(self.defaults)
        out.update(params)
        return out

    # -- sampling ----------------------------------------------------------------------------
    def sample(self, n: int, count: int, seed: SeedLike = 0, start: int = 0, **params: Any) -> Instances:
        """Sample ``count`` instances of size ``n``: records ``start .. start + count - 1``.

        Record ``i`` depends only on ``(seed, key, n, params, i)``, not on ``count`` or ``start``.

        Raises
        ------
        ProblemParameterError
            For ``n`` outside ``[min_n, max_n]``, ``count < 0``, ``start < 0``, a last record index
            ``start + count - 1`` beyond ``2**63 - 1`` (indices are int64), a bad seed, an unknown
            parameter or an impossible knob; all checked before anything is allocated.
        """
        n = self.check_n(n)
        count = check_int("count", count, 0, where=self.key, error=ProblemParameterError)
        start = check_int("start", start, 0, MAX_INDEX, where=self.key, error=ProblemParameterError)
        if count > MAX_INDEX + 1 - start:
            raise ProblemParameterError(
                f"start + count = {start} + {_shown(count)} exceeds 2**63 for {self.key}: record indices are int64 "
                f"(the last record, start + count - 1, must be at most 2**63 - 1)")
        seed_i = seed_int(seed)
        p = self.resolve_params(n, params)
        index = np.arange(start, start + count, dtype=np.int64)
        rng = RecordRNG(seed_i, f"{self.key}/n={n}", index)
        inputs, targets, meta = self._generate(n, rng, p)
        return Instances(self.key, n, seed_i, p, inputs, targets, meta, index, self)

    @abc.abstractmethod
    def _generate(
        self, n: int, rng: RecordRNG, params: dict[str, Any]
    ) -> tuple[dict[str, np.ndarray], dict[str, np.ndarray], dict[str, np.ndarray]]:
        """Vectorised sampler: (inputs, targets, meta), leading axis ``len(rng)``."""

    @abc.abstractmethod
    def solve(self, record_inputs: Mapping[str, np.ndarray], **params: Any) -> Any:
        """Reference solver: the ``"target"`` of one instance from its inputs.

        Pass the sampling parameters (``**instances.params``) or use :meth:`Instances.solve`: for
        ``ca:*`` and ``timelock`` the number of steps ``t`` is a parameter, not an input, and
        defaults to ``n``.
        """

    # -- views and encodings -----------------------------------------------------------------
    def columns(self, instances: Instances) -> dict[str, Any]:
        """Readable per-record columns (inputs, targets, meta); override for nicer structures."""
        return self.raw_columns(instances)

    def raw_columns(self, instances: Instances) -> dict[str, Any]:
        """The stored arrays as columns: inputs, targets, meta (see ``Instances.columns(readable=False)``)."""
        return {**instances.inputs, **instances.targets, **instances.meta}

    @abc.abstractmethod
    def encode_bits(self, instances: Instances) -> np.ndarray:
        """Inputs as bits, bool ``(count, n_bits)`` (layout in the subclass docstring)."""

    @abc.abstractmethod
    def decode_bits(self, bits: np.ndarray, n: int, **params: Any) -> dict[str, np.ndarray]:
        """Inverse of :meth:`encode_bits`: the inputs dict."""

    def target_bits(self, instances: Instances) -> np.ndarray:
        """Targets as bits, bool ``(count, n_target_bits)`` (default: ``target`` as 0/1)."""
        t = np.asarray(instances.targets["target"])
        return flat2d(t).astype(bool)

    @abc.abstractmethod
    def vocab(self, n: int, **params: Any) -> list[str]:
        """Token names; token id ``i`` is ``vocab(n)[i]``."""

    @abc.abstractmethod
    def encode_tokens(self, instances: Instances) -> np.ndarray:
        """Inputs as token ids, int64 ``(count, L)``."""

    @abc.abstractmethod
    def decode_tokens(self, tokens: np.ndarray, n: int, **params: Any) -> dict[str, np.ndarray]:
        """Inverse of :meth:`encode_tokens`: the inputs dict."""

    def families(self) -> list[Any]:
        """Circuit families that solve the problem (none by default)."""
        return []

    def family(self, name: str) -> Any:
        """The circuit family called ``name`` (see :meth:`families`).

        Raises
        ------
        ProblemParameterError
            For an unknown name; the message lists the problem's families.

        Example
        -------
        >>> from serialcomp.problems import get_problem
        >>> get_problem("word:S5").family("tree").kind
        'log'
        """
        fams = self.families()
        for fam in fams:
            if fam.name == name:
                return fam
        known = ", ".join(f.name for f in fams) or "none"
        raise ProblemParameterError(f"problem {self.key!r} has no circuit family {name!r}; its families: {known}")

    def describe(self) -> dict[str, Any]:
        """A JSON-friendly summary: key, description, meaning of n, knob, parameters and complexity facts.

        Example
        -------
        >>> from serialcomp.problems import get_problem
        >>> get_problem("parity").describe()["n_meaning"]
        'number of input bits'
        """
        return {
            "key": self.key,
            "key_prefix": self.key_prefix,
            "variant": self.variant,
            "description": self.description,
            "n_meaning": self.n_meaning,
            "knob": self.knob,
            "params": {k: _jsonable(v) for k, v in self.defaults.items()},
            "min_n": self.min_n,
            "max_n": self.max_n,
            **self.facts.as_dict(),
        }
