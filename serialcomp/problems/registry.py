"""The problem registry: keys ``family:variant`` -> :class:`~serialcomp.problems.problem.Problem`.

Problem modules register their problems when imported; the registry imports the built-in modules
lazily on the first lookup, so ``import serialcomp.problems`` stays cheap. Parametric keys (e.g.
``word:Z7`` for any modulus) are served by prefix factories.
"""

from __future__ import annotations

import difflib
import importlib
from typing import Any, Callable

from ..errors import ProblemParameterError
from .problem import Problem

__all__ = ["register", "get_problem", "list_problems", "list_patterns"]

# modules under serialcomp.problems that register problems on import; absent ones are skipped
_BUILTIN_MODULES = ("counting", "arithmetic", "words", "reach", "cvp", "ca", "sudoku", "timelock")

_EXACT: dict[str, Any] = {}  # key -> Problem instance or zero-argument factory
_CACHE: dict[str, Problem] = {}
_PREFIX: dict[str, tuple[Callable[[str], Problem], str]] = {}  # prefix -> (factory(key), pattern)
_loaded = False


def register(
    obj: Any,
    key: str | None = None,
    *,
    prefix: str | None = None,
    pattern: str | None = None,
    replace: bool = False,
) -> Any:
    """Register a problem.

    Parameters
    ----------
    obj : Problem, Problem subclass, or callable
        A problem instance (its ``key`` is used); a Problem subclass or zero-argument factory
        (instantiated on first use; ``key`` required for a factory); or, with ``prefix``, a factory
        ``f(key) -> Problem`` serving every key that starts with ``prefix``.
    key : str, optional
    prefix : str, optional
        Register a parametric family, e.g. ``prefix="word:Z"`` serves ``word:Z7``.
    pattern : str, optional
        How the parametric keys are shown, e.g. ``"word:Z<m>"`` (default ``prefix + "<...>"``).
    replace : bool
        Allow replacing a key registered by a different object.

    Returns
    -------
    obj, so ``register`` can be used as a class decorator.

    Example
    -------
    >>> "parity" in list_problems()
    True
    """
    if prefix is not None:
        if not callable(obj):
            raise ProblemParameterError(f"prefix factory for {prefix!r} must be callable, got {obj!r}")
        _PREFIX[prefix] = (obj, pattern or f"{prefix}<...>")
        return obj
    if isinstance(obj, Problem):
        k = key or obj.key
    elif isinstance(obj, type) and issubclass(obj, Problem):
        k = key or obj.key
    elif callable(obj):
        if key is None:
            raise ProblemParameterError("register(factory) needs key=")
        k = key
    else:
        raise ProblemParameterError(f"cannot register {obj!r}: not a Problem, Problem subclass or factory")
    if not k or (":" in k and (k.startswith(":") or k.endswith(":"))):
        raise ProblemParameterError(f"invalid problem key {k!r} (expected 'family' or 'family:variant')")
    old = _EXACT.get(k)
    if old is not None and not replace and _ident(old) != _ident(obj):
        raise ProblemParameterError(f"problem key {k!r} is already registered by {_ident(old)}")
    _EXACT[k] = obj
    _CACHE.pop(k, None)
    return obj


def _ident(obj: Any) -> str:
    t = obj if isinstance(obj, type) else (type(obj) if isinstance(obj, Problem) else obj)
    return f"{getattr(t, '__module__', '?')}.{getattr(t, '__qualname__', repr(t))}"


def _load_builtins() -> None:
    global _loaded
    if _loaded:
        return
    _loaded = True
    for mod in _BUILTIN_MODULES:
        name = f"{__package__}.{mod}"
        try:
            importlib.import_module(name)
        except ModuleNotFoundError as exc:  # only a missing module itself is skipped
            if exc.name != name:
                raise


def get_problem(key: str) -> Problem:
    """The problem registered under ``key`` (exact, or served by a prefix factory).

    Raises
    ------
    ProblemParameterError
        For an unknown key; the message lists close matches.

    Example
    -------
    >>> get_problem("word:Z7").key
    'word:Z7'
    """
    if isinstance(key, Problem):
        return key
    if not isinstance(key, str):
        raise ProblemParameterError(f"problem key must be a string, got {key!r}")
    _load_builtins()
    if key in _CACHE:
        return _CACHE[key]
    obj = _EXACT.get(key)
    if obj is not None:
        prob = obj if isinstance(obj, Problem) else obj()
        if not isinstance(prob, Problem):
            raise ProblemParameterError(f"factory for {key!r} returned {prob!r}, not a Problem")
        _CACHE[key] = prob
        return prob
    for prefix in sorted(_PREFIX, key=len, reverse=True):
        if key.startswith(prefix) and len(key) > len(prefix):
            prob = _PREFIX[prefix][0](key)
            _CACHE[key] = prob
            return prob
    names = list_problems() + list_patterns()
    close = difflib.get_close_matches(key, names, n=5, cutoff=0.5)
    hint = f"; did you mean {', '.join(close)}?" if close else ""
    raise ProblemParameterError(
        f"unknown problem {key!r}{hint} (known: {', '.join(names)}; see `serialcomp problems`)"
    )


def list_problems() -> list[str]:
    """Sorted keys of the registered (non-parametric) problems.

    Example
    -------
    >>> "word:S5" in list_problems()
    True
    """
    _load_builtins()
    return sorted(_EXACT)


def list_patterns() -> list[str]:
    """How the parametric keys are written, e.g. ``["word:Z<m>"]``."""
    _load_builtins()
    return sorted(p for _, p in _PREFIX.values())
