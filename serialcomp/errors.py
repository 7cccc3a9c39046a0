"""One exception hierarchy for serialcomp.

Every error a user can provoke with bad input derives from :class:`SerialcompError`, so
``except SerialcompError`` catches all of them and nothing else.
"""

from __future__ import annotations

__all__ = [
    "SerialcompError",
    "CircuitStructureError",
    "CircuitFormatError",
    "SimulationInputError",
    "ProblemParameterError",
]


class SerialcompError(Exception):
    """Root of every error serialcomp raises on purpose."""


class CircuitStructureError(SerialcompError, ValueError):
    """A circuit is malformed: a cycle, an undefined literal, a wrong arity or bad weights.

    The message names the node (and, when known, its name) where the problem was found.
    """


class CircuitFormatError(SerialcompError, ValueError):
    """A circuit file cannot be read.

    Parameters
    ----------
    message
        What was wrong and what was expected.
    path
        The file (or ``"<string>"`` for in-memory text).
    line
        1-based line number where the problem was found, if the format is line oriented.
    """

    def __init__(self, message: str, path: str | None = None, line: int | None = None) -> None:
        self.path = path
        self.line = line
        self.reason = message
        where = path if path is not None else "<input>"
        if line is not None:
            where = f"{where}, line {line}"
        super().__init__(f"{where}: {message}")


class SimulationInputError(SerialcompError, ValueError):
    """Patterns given to a simulator have the wrong shape, dtype or layout."""


class ProblemParameterError(SerialcompError, ValueError):
    """A problem key, size or knob is invalid or cannot be met by the generator."""
