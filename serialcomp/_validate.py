"""The one place for argument checks: integers, floats, bools and integer arrays.

Every public function that takes a count, a size, a weight or a flag checks it here, so the rule
is the same everywhere:

* an *integer* is a Python ``int``, a numpy integer, or a float with an integral value (``2.0``
  is 2; ``1.9`` is refused, never truncated); ``bool`` and ``numpy.bool_`` are refused, because
  ``True`` passing as 1 hides a swapped argument;
* a *float* is any finite real number (bools refused);
* a *bool* is ``True``/``False`` (also ``0``/``1`` and the strings ``true``/``false``/``yes``/``no``,
  for values read from a command line or JSON);
* an *integer array* has an integer dtype, or a float dtype whose values are all integral.

The caller names the exception type, one per kind of mistake (the hierarchy in
:mod:`serialcomp.errors`): :class:`~serialcomp.errors.CircuitStructureError` for circuit
construction, :class:`~serialcomp.errors.SimulationInputError` for simulator arguments,
:class:`~serialcomp.errors.ProblemParameterError` for problem and measurement parameters.
The message names the argument, where it was given, the expected range and the value received.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from .errors import SerialcompError

__all__ = ["check_int", "check_float", "check_bool", "check_int_array"]


def _where(where: str) -> str:
    return f" for {where}" if where else ""


def _range_text(low: float | None, high: float | None) -> str:
    if low is not None and high is not None:
        return f"in [{low}, {high}]"
    if low is not None:
        return f">= {low}"
    if high is not None:
        return f"<= {high}"
    return ""


def check_int(
    name: str,
    value: Any,
    low: int | None = None,
    high: int | None = None,
    *,
    where: str = "",
    error: type[SerialcompError],
) -> int:
    """``value`` as a Python int in ``[low, high]``, else ``error`` naming ``name``.

    Parameters
    ----------
    name : str
        The argument's name as the user wrote it (``"n"``, ``"--count"``, ``"threshold"``).
    value
        An int, a numpy integer, or an integral float.
    low, high : int, optional
        Inclusive bounds.
    where : str
        What the argument belongs to (``"word:S5"``, ``"node 12"``), added as ``" for <where>"``.
    error : type
        The :class:`~serialcomp.errors.SerialcompError` subclass to raise.

    Returns
    -------
    int

    Example
    -------
    >>> from serialcomp.errors import ProblemParameterError
    >>> check_int("n", np.int64(5), 1, error=ProblemParameterError), check_int("n", 4.0, error=ProblemParameterError)
    (5, 4)
    >>> check_int("depth", 0, 1, where="cvp", error=ProblemParameterError)
    Traceback (most recent call last):
    ...
    serialcomp.errors.ProblemParameterError: depth for cvp must be >= 1, got 0
    >>> check_int("threshold", 1.9, error=ProblemParameterError)
    Traceback (most recent call last):
    ...
    serialcomp.errors.ProblemParameterError: threshold must be an integer, got 1.9
    """
    ctx = _where(where)
    if isinstance(value, (bool, np.bool_)):
        raise error(f"{name}{ctx} must be an integer, got the bool {value!r}")
    if isinstance(value, (int, np.integer)):
        v = int(value)
    elif isinstance(value, (float, np.floating)) and math.isfinite(value) and float(value).is_integer():
        v = int(value)
    else:
        raise error(f"{name}{ctx} must be an integer, got {value!r}")
    if (low is not None and v < low) or (high is not None and v > high):
        # a huge value is written by its size: its digits may be more than int -> str allows
        shown = str(v) if v.bit_length() < 256 else f"a {v.bit_length()}-bit number"
        raise error(f"{name}{ctx} must be {_range_text(low, high)}, got {shown}")
    return v


def check_float(
    name: str,
    value: Any,
    low: float | None = None,
    high: float | None = None,
    *,
    where: str = "",
    error: type[SerialcompError],
) -> float:
    """``value`` as a finite float in ``[low, high]``, else ``error``.

    Example
    -------
    >>> from serialcomp.errors import ProblemParameterError
    >>> check_float("p", 1, 0.0, 1.0, error=ProblemParameterError)
    1.0
    >>> check_float("p", float("nan"), error=ProblemParameterError)
    Traceback (most recent call last):
    ...
    serialcomp.errors.ProblemParameterError: p must be a finite number, got nan
    """
    ctx = _where(where)
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, (int, float, np.integer, np.floating)):
        raise error(f"{name}{ctx} must be a number, got {value!r}")
    try:
        v = float(value)
    except OverflowError:  # an int beyond the float range
        raise error(f"{name}{ctx} must be a finite number, got an integer of {int(value).bit_length()} bits") from None
    if not math.isfinite(v):
        raise error(f"{name}{ctx} must be a finite number, got {value!r}")
    if (low is not None and v < low) or (high is not None and v > high):
        raise error(f"{name}{ctx} must be {_range_text(low, high)}, got {value!r}")
    return v


_TRUE = ("true", "1", "yes")
_FALSE = ("false", "0", "no")


def check_bool(name: str, value: Any, *, where: str = "", error: type[SerialcompError]) -> bool:
    """``value`` as a bool: a bool, 0/1, or the strings true/false/yes/no/1/0 (any case).

    Example
    -------
    >>> from serialcomp.errors import ProblemParameterError
    >>> check_bool("prefix", "true", error=ProblemParameterError), check_bool("prefix", 0, error=ProblemParameterError)
    (True, False)
    """
    if isinstance(value, (bool, np.bool_)):
        return bool(value)
    if isinstance(value, (int, np.integer)) and value in (0, 1):
        return bool(value)
    if isinstance(value, str) and value.lower() in _TRUE + _FALSE:
        return value.lower() in _TRUE
    raise error(f"{name}{_where(where)} must be a bool, got {value!r}")


def check_int_array(
    name: str,
    values: Any,
    low: int | None = None,
    high: int | None = None,
    *,
    where: str = "",
    error: type[SerialcompError],
) -> np.ndarray:
    """``values`` as an int64 array with every entry in ``[low, high]``, else ``error``.

    Integer dtypes are accepted as they are (unsigned values above ``2**63 - 1`` are refused,
    not wrapped); float dtypes only when every value is finite and integral; bool and object
    dtypes are refused.

    Example
    -------
    >>> from serialcomp.errors import CircuitStructureError
    >>> check_int_array("fanin", [0, 2.0, 4], 0, error=CircuitStructureError).tolist()
    [0, 2, 4]
    >>> check_int_array("fanin", [0.5], error=CircuitStructureError)
    Traceback (most recent call last):
    ...
    serialcomp.errors.CircuitStructureError: fanin must hold integers, got 0.5 at position 0
    """
    ctx = _where(where)
    a = np.asarray(values)
    if a.dtype.kind == "b" or a.dtype.kind not in "iuf":
        if a.size == 0 and a.dtype.kind in "fO":  # np.asarray([]) is float64; an empty list is fine
            return np.zeros(a.shape, dtype=np.int64)
        raise error(f"{name}{ctx} must be an integer array, got dtype {a.dtype}")
    if a.dtype.kind == "f":
        bad = ~(np.isfinite(a) & (a == np.floor(a)))
        if bad.any():
            pos = int(np.flatnonzero(bad.ravel())[0])
            raise error(f"{name}{ctx} must hold integers, got {a.ravel()[pos].item()!r} at position {pos}")
        if a.size and (a.max() >= 2.0**63 or a.min() < -(2.0**63)):
            raise error(f"{name}{ctx} holds a value outside the int64 range")
    elif a.dtype.kind == "u" and a.size and int(a.max()) > np.iinfo(np.int64).max:
        raise error(f"{name}{ctx} holds a value above 2**63 - 1: {int(a.max())}")
    out = a.astype(np.int64)
    if out.size and ((low is not None and int(out.min()) < low) or (high is not None and int(out.max()) > high)):
        pos = int(np.flatnonzero(((out < low) if low is not None else False) | ((out > high) if high is not None else False))[0])
        raise error(f"{name}{ctx} must be {_range_text(low, high)}, got {int(out.ravel()[pos])} at position {pos}")
    return out
