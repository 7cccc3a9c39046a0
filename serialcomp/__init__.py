"""serialcomp: measure serial depth with exact circuit simulation."""

from .errors import (
    CircuitFormatError,
    CircuitStructureError,
    ProblemParameterError,
    SerialcompError,
    SimulationInputError,
)

__version__ = "0.1.0"

__all__ = [
    "CircuitFormatError",
    "CircuitStructureError",
    "ProblemParameterError",
    "SerialcompError",
    "SimulationInputError",
    "__version__",
]
