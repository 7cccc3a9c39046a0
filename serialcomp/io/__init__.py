"""Circuit file formats: AIGER (``aag``/``aig``), ISCAS BENCH, the threshold text format ``.thr``,
structural Verilog export, and networkx export.

Readers return a :class:`~serialcomp.ir.circuit.Circuit`, or a
:class:`~serialcomp.ir.looped.LoopedCircuit` (stream mode) for files with latches, flip-flops or
state bits.  Every problem with a file is a :class:`~serialcomp.errors.CircuitFormatError` naming
the file, the line (or byte offset) and what was expected.  The ``loads_*`` / ``dumps_*`` forms
work on in-memory text or bytes.  The formats are described in ``docs/FORMATS.md``.

Example
-------
>>> from serialcomp.ir import CircuitBuilder
>>> b = CircuitBuilder(); x, y, z = b.inputs(3); b.output(b.maj(x, y, z), "m")
>>> c = b.build()
>>> loads_thr(dumps_thr(c)) == c
True
>>> a = loads_aiger(dumps_aiger(c)); a.gate_set()["kinds"], a.depth() >= c.depth()
(['AND'], True)
"""

from .aiger_read import loads_aiger, read_aiger
from .aiger_write import dumps_aiger, write_aiger
from .bench_read import loads_bench, read_bench
from .bench_write import dumps_bench, write_bench
from .dispatch import read_circuit, write_circuit
from .graph import to_networkx
from .thr import dumps_thr, loads_thr, read_thr, write_thr
from .verilog import dumps_verilog, write_verilog

__all__ = [
    "dumps_aiger",
    "dumps_bench",
    "dumps_thr",
    "dumps_verilog",
    "loads_aiger",
    "loads_bench",
    "loads_thr",
    "read_aiger",
    "read_bench",
    "read_circuit",
    "read_thr",
    "to_networkx",
    "write_aiger",
    "write_bench",
    "write_circuit",
    "write_thr",
    "write_verilog",
]
