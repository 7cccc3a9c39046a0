"""Accuracy of a circuit family on a problem: sample, encode, simulate, decode, compare."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from .._seed import SeedLike
from .._validate import check_int
from ..errors import ProblemParameterError, SerialcompError
from ..ir.family import CircuitFamily
from ..ir.looped import LoopedCircuit

__all__ = ["AccuracyResult", "accuracy", "run_family"]


@dataclass(frozen=True)
class AccuracyResult:
    """Agreement of a family with the sampled (reference) targets of a problem's instances.

    Attributes
    ----------
    accuracy : float
        Fraction of instances whose every output bit equals the sampled target.
    correct : bool array, shape (count,)
        Per instance, whether it was answered correctly.
    steps : int array or None
        Steps each lane used (looped families), e.g. under fixed-point halting.
    halted : bool array or None
        Whether each lane reached a fixed point (looped families with halting).

    Example
    -------
    >>> from serialcomp.problems import get_problem
    >>> reach = get_problem("reach:path")
    >>> bfs = reach.families()[1]
    >>> res = accuracy(bfs, reach, 8, count=4, seed=0)
    >>> res.accuracy, res.correct.tolist(), res.steps.shape, bool(res.halted.all())
    (1.0, [True, True, True, True], (4,), True)
    """

    accuracy: float
    correct: np.ndarray
    steps: np.ndarray | None = None
    halted: np.ndarray | None = None


def run_family(family: CircuitFamily, problem: Any, instances: Any, **params: Any) -> tuple[np.ndarray, Any]:
    """Encode ``instances``, run the family's circuit at ``instances.n``, return (output bits, loop run or None).

    Parameters
    ----------
    family : CircuitFamily
    problem : Problem
        Its ``encode_bits`` encodes the instances unless the family has its own ``encode``.
    instances : Instances
    **params :
        Family build parameters (override ``family.params``).

    Returns
    -------
    outputs : bool array
        A plain circuit: ``(count, n_outputs)``. A looped circuit: its run's outputs (stream mode:
        one row of outputs per step, ``(count, steps, n_outputs)``).
    run : LoopRun or None
        The looped circuit's run (steps used per lane, halting), None for a plain circuit.

    Raises
    ------
    SerialcompError
        When the encoded instances do not have as many bits as the circuit has inputs.

    Notes
    -----
    One build (cached by the family) and one compile; the simulation is bit-parallel, 64 instances
    per machine word.

    Example
    -------
    >>> from serialcomp.problems import get_problem
    >>> parity = get_problem("parity")
    >>> inst = parity.sample(4, 3, seed=0)
    >>> out, run = run_family(parity.families()[0], parity, inst)
    >>> out.tolist(), inst.targets["target"].tolist(), run
    ([[False], [False], [True]], [False, False, True], None)
    """
    n = int(instances.n)
    circuit = family(n, **params)
    x = family.encode(instances) if family.encode is not None else problem.encode_bits(instances)
    x = np.asarray(x, dtype=bool)
    if isinstance(circuit, LoopedCircuit):
        if circuit.mode == "stream":
            run = circuit.run(x)
            out = run.outputs
        else:
            run = circuit.run(x, steps=family.n_steps(n, **params), halt=family.halt)
            out = run.outputs
        return out, run
    if x.ndim != 2 or x.shape[1] != circuit.n_inputs:
        raise SerialcompError(
            f"family {family.name!r}: encoded instances have shape {x.shape}, the circuit takes {circuit.n_inputs} inputs"
        )
    return circuit.compile().run_bool(x), None


def _check_instances(instances: Any, problem: Any, n: int) -> None:
    key = getattr(problem, "key", None)
    got = getattr(instances, "problem", None)
    if key is not None and got is not None and got != key:
        raise ProblemParameterError(f"accuracy: instances are of problem {got!r}, not of problem {key!r}")
    if int(instances.n) != int(n):
        raise ProblemParameterError(f"accuracy: instances.n = {int(instances.n)} does not match n = {int(n)}")
    if len(instances) == 0:
        raise ProblemParameterError("accuracy: instances is empty; pass at least one instance")


def accuracy(
    family: CircuitFamily,
    problem: Any,
    n: int,
    count: int = 256,
    seed: SeedLike = 0,
    instances: Any = None,
    **params: Any,
) -> AccuracyResult:
    """Fraction of sampled instances on which ``family`` gives the instances' exact targets.

    The comparison is with the targets stored in the instances when they were sampled
    (``problem.target_bits(instances)``, or the family's own ``decode``, which reads the same
    targets), not with a fresh call of the reference solver ``problem.solve``: sampling computes
    the targets once, vectorised. That those sampled targets equal the reference solver is checked
    by the problem layer's tests (``tests/problems/test_prob_properties.py``: every problem, random
    valid parameters, ``Instances.solve(i)`` against the stored target).

    Parameters
    ----------
    family : CircuitFamily
    problem : Problem or str
        The problem (or its registry key).
    n : int
        Problem size.
    count, seed :
        Instances to sample (ignored when ``instances`` is given); ``count`` must be at least 1.
    instances : Instances, optional
        Already sampled instances (a study samples once per (problem, n) and reuses them). They
        must be instances of ``problem`` at size ``n``.
    **params :
        Family build parameters (override ``family.params``).

    Raises
    ------
    ProblemParameterError
        ``count`` below 1, or ``instances`` sampled at another size than ``n`` or from another
        problem than ``problem``.

    Returns
    -------
    AccuracyResult

    Notes
    -----
    One build and one compile per call (families cache their circuits); simulation is bit-parallel.

    Example
    -------
    >>> from serialcomp.problems import get_problem
    >>> s3 = get_problem("word:S3")
    >>> fixed3 = s3.families()[2]          # exact on words of length <= 2^3
    >>> accuracy(fixed3, s3, 8, count=32).accuracy
    1.0
    >>> accuracy(fixed3, "word:S3", 16, count=32).accuracy < 0.5   # it does not read letters 9..16
    True
    """
    if isinstance(problem, str):
        from ..problems import get_problem

        problem = get_problem(problem)
    if instances is None:
        count = check_int("count", count, 1, where="accuracy (instances to sample)", error=ProblemParameterError)
        instances = problem.sample(n, count, seed)
    else:
        _check_instances(instances, problem, n)
    out, run = run_family(family, problem, instances, **params)
    if family.decode is not None:
        correct = np.asarray(family.decode(out, instances), dtype=bool)
    else:
        target = np.asarray(problem.target_bits(instances), dtype=bool)
        out2 = out.reshape(len(target), -1)
        if out2.shape != target.reshape(len(target), -1).shape:
            raise SerialcompError(
                f"family {family.name!r}: {out2.shape[1]} output bits, the problem's target has "
                f"{target.reshape(len(target), -1).shape[1]}"
            )
        correct = np.all(out2 == target.reshape(len(target), -1), axis=1)
    steps = getattr(run, "steps", None)
    halted = getattr(run, "halted", None)
    acc = float(correct.mean()) if len(correct) else float("nan")
    return AccuracyResult(accuracy=acc, correct=correct, steps=steps, halted=halted)
