"""Circuit IR: frozen circuits, the gate table, the builder, depth, composition, looped circuits."""

from .builder import FALSE, TRUE, CircuitBuilder
from .circuit import Circuit, lit, lit_neg, lit_node
from .gates import GATES, GateKind, GateSpec, evaluate_gate, gate_spec
from .looped import LoopedCircuit

__all__ = [
    "Circuit",
    "CircuitBuilder",
    "FALSE",
    "GATES",
    "GateKind",
    "GateSpec",
    "LoopedCircuit",
    "TRUE",
    "evaluate_gate",
    "gate_spec",
    "lit",
    "lit_neg",
    "lit_node",
]
