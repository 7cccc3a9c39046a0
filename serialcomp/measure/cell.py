"""One measured cell: a circuit family at one size n (depth, size, serial depth, claim, accuracy).

A :class:`Cell` is the one record every measurement produces: :func:`~serialcomp.measure.study`
returns a table of them, :func:`~serialcomp.measure.depth_profile` a column of them, and the zoo
writes its manifest from them. :func:`measure_cell` is the one function that measures one.

Example
-------
>>> from serialcomp.problems import get_problem
>>> tree = get_problem("parity").family("xor_tree")
>>> c = measure_cell(tree, 8, count=16, seed=1)
>>> c.depth, c.serial_depth, c.claimed_depth, c.claimed, c.agrees, c.accuracy, c.count
(3, 3, 'ceil(log2 n)', 3, True, 1.0, 16)
"""

from __future__ import annotations

import math
import time
from dataclasses import asdict, dataclass, field, fields
from typing import Any

import numpy as np

from .._seed import SeedLike
from ..errors import ProblemParameterError, SerialcompError
from ..ir.circuit import Circuit
from ..ir.family import CircuitFamily
from ..ir.looped import LoopedCircuit
from .claim import claim_holds, format_depth

__all__ = ["Cell", "measure_cell"]


@dataclass(frozen=True)
class Cell:
    """A circuit family measured at one size: what was built, what was claimed, how it did.

    Every field but ``seconds`` is deterministic: measuring the same family at the same n with the
    same instances gives an equal cell (``seconds`` takes no part in ``==``).

    Attributes
    ----------
    problem, family, kind : str
        The problem's registry key, the family's name and its kind (``"log"``, ``"bounded"``, ...).
    n : int
        Problem size.
    depth, size : int
        Depth and gate count of the circuit (of one step, for a looped circuit).
    steps : int or None
        Steps a looped circuit runs at n (None for a plain circuit).
    serial_depth : int
        Depth of the circuit, or of the looped circuit over its steps.
    claimed_depth : str
        The claimed depth expression, as :func:`~serialcomp.measure.format_depth` writes it.
    claimed : int
        The claim's value at n.
    exact : bool
        Whether the claim is an equality (else an upper bound).
    agrees : bool
        Whether ``serial_depth`` meets the claim (:func:`~serialcomp.measure.claim_holds`).
    accuracy : float or None
        Fraction of the instances answered exactly (None when none were simulated).
    mean_steps_used : float or None
        Mean steps the looped circuit's lanes ran (fewer than ``steps`` when they halt at a fixed
        point); None for a plain circuit or when nothing was simulated.
    count : int or None
        Instances simulated.
    seed : int or None
        The seed they were sampled with (``problem.sample(n, count, seed)`` gives them again).
    seconds : float
        Wall-clock time of the measurement, the one field that differs from run to run.

    Example
    -------
    >>> from serialcomp.problems import get_problem
    >>> stream = get_problem("parity").family("stream")
    >>> a, b = measure_cell(stream, 4), measure_cell(stream, 4)
    >>> a == b, a.steps, a.serial_depth, a.accuracy
    (True, 4, 4, None)
    """

    problem: str
    family: str
    kind: str
    n: int
    depth: int
    size: int
    steps: int | None
    serial_depth: int
    claimed_depth: str
    claimed: int
    exact: bool
    agrees: bool
    accuracy: float | None = None
    mean_steps_used: float | None = None
    count: int | None = None
    seed: int | None = None
    seconds: float = field(default=0.0, compare=False)

    def to_dict(self) -> dict[str, Any]:
        """The fields as a plain dict, in declaration order.

        Example
        -------
        >>> from serialcomp.problems import get_problem
        >>> list(measure_cell(get_problem("parity").family("xor_tree"), 2).to_dict())[:5]
        ['problem', 'family', 'kind', 'n', 'depth']
        """
        return asdict(self)

    @classmethod
    def field_names(cls) -> list[str]:
        """The field names, in declaration order (``seconds`` last)."""
        return [f.name for f in fields(cls)]


def _step_of(built: Any, family: CircuitFamily) -> Circuit:
    step = built.step if isinstance(built, LoopedCircuit) else built
    if not isinstance(step, Circuit):
        raise SerialcompError(
            f"family {family.name!r} must build a Circuit or LoopedCircuit, got {type(built).__name__}"
        )
    return step


def measure_cell(
    family: CircuitFamily,
    n: int,
    problem: Any = None,
    *,
    count: int | None = None,
    seed: SeedLike = 0,
    instances: Any = None,
    sample_params: dict[str, Any] | None = None,
    **params: Any,
) -> Cell:
    """Build ``family`` at ``n`` once and measure it: depth, size, serial depth, the claim, and
    (when instances are given or ``count`` is) the accuracy on sampled instances.

    Parameters
    ----------
    family : CircuitFamily
    n : int
        Problem size, an integer >= 1.
    problem : Problem or str, optional
        The problem the instances come from (default: the family's own, ``family.problem``).
    count, seed : optional
        Sample ``count`` instances with ``seed`` and simulate them (no simulation when ``count``
        is None and no ``instances`` are given).
    instances : Instances, optional
        Already sampled instances of ``problem`` at ``n`` (a study samples once per (problem, n)
        for all its families); the cell records their count and seed.
    sample_params : dict, optional
        Parameters for ``problem.sample`` when sampling here.
    **params :
        Family build parameters (override ``family.params``).

    Returns
    -------
    Cell

    Raises
    ------
    ProblemParameterError
        ``n`` not an integer >= 1, ``count`` below 1, or instances of another problem or size.
    SerialcompError
        The family builds something that is not a circuit.

    Notes
    -----
    One build (families cache by n) and, with instances, one compile and one bit-parallel run;
    a looped family's serial depth costs O(steps * step size) level propagation.

    Example
    -------
    >>> from serialcomp.problems import get_problem
    >>> s3 = get_problem("word:S3")
    >>> c = measure_cell(s3.family("fixed3"), 16, count=32)   # reads 8 of 16 letters: fails
    >>> c.kind, c.serial_depth, c.agrees, c.accuracy < 0.5
    ('bounded', 16, True, True)
    """
    from .._validate import check_int
    from .accuracy import accuracy

    n = check_int("n", n, 1, where=f"family {family.name!r}", error=ProblemParameterError)
    t0 = time.perf_counter()
    step = _step_of(family(n, **params), family)
    serial = family.serial_depth(n, **params)
    claimed = family.claimed(n)
    key = problem if isinstance(problem, str) else getattr(problem, "key", None) or family.problem
    acc = mean_steps = None
    used_count = used_seed = None
    if instances is not None or count is not None:
        if problem is None or isinstance(problem, str):
            from ..problems import get_problem

            problem = get_problem(key)
        if instances is None:
            count = check_int("count", count, 1, where=f"family {family.name!r}", error=ProblemParameterError)
            instances = problem.sample(n, count, seed, **(sample_params or {}))
        res = accuracy(family, problem, n, instances=instances, **params)
        acc = res.accuracy
        if res.steps is not None and len(res.steps):
            mean_steps = float(np.mean(res.steps))
        used_count, used_seed = len(instances), getattr(instances, "seed", None)
    return Cell(
        problem=key, family=family.name, kind=family.kind, n=n,
        depth=step.depth(), size=step.n_gates, steps=family.n_steps(n, **params), serial_depth=serial,
        claimed_depth=format_depth(family.claimed_depth), claimed=claimed, exact=bool(family.exact),
        agrees=claim_holds(serial, claimed, family.exact),
        accuracy=None if acc is None or math.isnan(acc) else acc, mean_steps_used=mean_steps,
        count=used_count, seed=None if used_seed is None else int(used_seed),
        seconds=round(time.perf_counter() - t0, 4),
    )
