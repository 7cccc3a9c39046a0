"""Accuracy of a circuit family on a problem: sample, encode, simulate, decode, compare."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from .._seed import SeedLike
from ..errors import ProblemParameterError, SerialcompError
from ..ir.family import CircuitFamily
from ..ir.looped import LoopedCircuit

__all__ = ["AccuracyResult", "accuracy", "run_family"]


@dataclass(frozen=True)
class AccuracyResult:
    """Agreement of a family with the reference solver on sampled instances.

    Attributes
    ----------
    accuracy : float
        Fraction of instances whose every output bit equals the reference target.
    correct : bool array, shape (count,)
    steps : int array or None
        Steps each lane used (looped families), e.g. under fixed-point halting.
    halted : bool array or None
        Whether each lane reached a fixed point (looped families with halting).
    """

    accuracy: float
    correct: np.ndarray
    steps: np.ndarray | None = None
    halted: np.ndarray | None = None


def run_family(family: CircuitFamily, problem: Any, instances: Any, **params: Any) -> tuple[np.ndarray, Any]:
    """Encode ``instances``, run the family's circuit at ``instances.n``, return (output bits, loop run or None)."""
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


def _check_count(count: Any, what: str = "count") -> int:
    """``count`` as an int, or a :class:`ProblemParameterError` naming ``what`` when it is not an integer >= 1."""
    if isinstance(count, bool) or not isinstance(count, (int, np.integer)) or count < 1:
        raise ProblemParameterError(f"{what} must be an integer >= 1 (instances to sample), got {count!r}")
    return int(count)


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
    """Fraction of sampled instances on which ``family`` agrees with ``problem``'s reference solver.

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

    Notes
    -----
    One build and one compile per call (families cache their circuits); simulation is bit-parallel.
    """
    if isinstance(problem, str):
        from ..problems import get_problem

        problem = get_problem(problem)
    if instances is None:
        _check_count(count)
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
