"""The compiled simulator: :class:`CompiledCircuit` (compile once, run many, as in Stim)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numba
import numpy as np

from .._jit import get_num_threads, set_num_threads
from .._validate import check_int
from ..errors import SimulationInputError
from ._kernels import _run_parallel, _run_serial
from ._program import build_program
from .packing import n_words_for, pack_bits, unpack_bits

if TYPE_CHECKING:  # pragma: no cover
    from ..ir.circuit import Circuit

__all__ = ["CompiledCircuit", "default_block_words"]

#: Working-set budget of the automatic block size, in bytes.  Measured on EPFL circuits (AMD EPYC,
#: 512 KiB L2, 32 MiB L3): throughput still grows up to 256 words a block with a working set of
#: several MiB, because the per-instruction cost is then spread over more words and rows stream
#: well from L3.
_BLOCK_BUDGET = 4 * 1024 * 1024

#: Padding words per buffer row: rows a power-of-two apart would alias in the 4 KiB store-to-load
#: disambiguation of x86 cores (a load after a store to the same address mod 4096 stalls).
_PAD = 8


def default_block_words(n_rows: int) -> int:
    """The automatic block size for a buffer of ``n_rows`` rows: the largest power of two in
    [16, 256] with ``n_rows * block_words * 8 <= 4 MiB``.

    Example
    -------
    >>> default_block_words(10), default_block_words(4000), default_block_words(10**6)
    (256, 128, 16)
    """
    w = 256
    while w > 16 and n_rows * w * 8 > _BLOCK_BUDGET:
        w //= 2
    return w


class CompiledCircuit:
    """A circuit flattened once for fast bit-parallel simulation.

    Parameters
    ----------
    circuit : Circuit
    block_words : int, optional
        Words (64 patterns each) simulated together.  Default: chosen from the circuit's live width
        (:func:`default_block_words`).  Memory used by a run is about
        ``threads * (n_slots + n_scratch) * (block_words + 8) * 8`` bytes, independent of the batch
        (plus the input and output arrays).
    threads : int
        Threads running blocks in parallel (numba ``prange``; at most numba's thread count is
        used at once).  Default 1.

    Notes
    -----
    Compiling is O(nodes + edges) (jitted): buffer nodes become aliases, constants are folded,
    nodes no output depends on are dropped, and buffer slots are reused once a value is dead, so
    the buffer has ``n_slots`` = max live width + 1 rows (live width in the circuit's own
    topological order).  Running costs, per word of 64 patterns: one vectorised pass per 2-input
    AND/OR/XOR and per 3-input MAJ, ``f`` passes for an ``f``-input AND/OR/XOR, about one
    full-adder pass per weight bit for THR/MAJ (carry-save bit-sliced counter) and ``min(m, f+1)``
    passes per operand for MOD_m (one-hot counter); see :mod:`serialcomp.sim._kernels`.

    With ``threads > 1`` the words are split into chunks of blocks that threads take as they become
    free (numba's dynamic scheduling), each thread with its own buffers.  Do
    not call a multi-threaded simulator from several Python threads at once when numba's
    threading layer is ``workqueue`` (the default without TBB or OpenMP): it is not re-entrant.

    Example
    -------
    >>> import numpy as np
    >>> from serialcomp.ir import CircuitBuilder
    >>> b = CircuitBuilder(); x, y, z = b.inputs(3)
    >>> b.output(b.maj(x, y, z), "maj"); b.output(b.xor(x, y), "xy")
    >>> sim = b.build().compile()
    >>> sim.run_bool(np.array([[1, 1, 0], [0, 1, 1], [0, 0, 1]], bool)).astype(int).tolist()
    [[1, 0], [1, 1], [0, 0]]
    >>> words = np.array([[0b0011], [0b0101], [0b1111]], np.uint64)  # 64 patterns per word
    >>> [bin(int(v)) for v in sim.run(words)[:, 0]]
    ['0b111', '0b110']
    """

    def __init__(self, circuit: "Circuit", *, block_words: int | None = None, threads: int = 1) -> None:
        self._circuit = circuit
        self._threads = check_int("threads", threads, 1, error=SimulationInputError)
        self._code, self._n_slots, self._n_scratch, self._n_instructions = build_program(circuit)
        if block_words is None:
            self._block_words = default_block_words(self._n_slots + self._n_scratch)
        else:
            self._block_words = check_int("block_words", block_words, 1, error=SimulationInputError)

    # ------------------------------------------------------------------ properties
    @property
    def circuit(self) -> "Circuit":
        """The circuit this simulator was compiled from."""
        return self._circuit

    @property
    def n_inputs(self) -> int:
        """Number of inputs (rows of the words given to :meth:`run`)."""
        return self._circuit.n_inputs

    @property
    def n_outputs(self) -> int:
        """Number of outputs (rows of the words returned by :meth:`run`)."""
        return self._circuit.n_outputs

    @property
    def input_names(self) -> tuple[str, ...]:
        """Input names, in row order."""
        return self._circuit.input_names

    @property
    def output_names(self) -> tuple[str, ...]:
        """Output names, in row order."""
        return self._circuit.output_names

    @property
    def block_words(self) -> int:
        """Words per block (64 patterns per word)."""
        return self._block_words

    @property
    def threads(self) -> int:
        """Threads used by :meth:`run`."""
        return self._threads

    @property
    def n_slots(self) -> int:
        """Rows of the block buffer: the maximal live width plus the constant row."""
        return self._n_slots

    @property
    def n_instructions(self) -> int:
        """Gate instructions in the program (after aliasing buffers, folding constants, dropping dead nodes)."""
        return self._n_instructions

    # ------------------------------------------------------------------ running
    def run(self, words: np.ndarray, out: np.ndarray | None = None) -> np.ndarray:
        """Simulate bit-packed patterns.

        Parameters
        ----------
        words : numpy.ndarray of uint64, shape (n_inputs, n_words)
            Row ``i`` is input ``i``; bit ``j`` of word ``w`` is pattern ``64*w + j``.
        out : numpy.ndarray of uint64, shape (n_outputs, n_words), optional
            C-contiguous array to write the result into.

        Returns
        -------
        numpy.ndarray of uint64, shape (n_outputs, n_words)
            Row ``k`` is output ``k``, in the same layout.

        Raises
        ------
        SimulationInputError
            If ``words`` (or ``out``) has the wrong type, dtype or shape.

        Example
        -------
        >>> import numpy as np
        >>> from serialcomp.ir import CircuitBuilder
        >>> b = CircuitBuilder(); x, y = b.inputs(2); b.output(b.and_(x, y ^ 1))
        >>> sim = b.build().compile()
        >>> hex(int(sim.run(np.array([[0xFF], [0x0F]], np.uint64))[0, 0]))
        '0xf0'
        """
        if not isinstance(words, np.ndarray):
            raise SimulationInputError(
                f"expected a numpy uint64 array of shape (n_inputs={self.n_inputs}, n_words), "
                f"got {type(words).__name__}"
            )
        if words.dtype != np.uint64:
            raise SimulationInputError(
                f"expected dtype uint64 words of shape (n_inputs={self.n_inputs}, n_words), got dtype {words.dtype}"
                " (use serialcomp.sim.pack_bits or run_bool for bool patterns)"
            )
        if words.ndim != 2 or words.shape[0] != self.n_inputs:
            raise SimulationInputError(
                f"expected words of shape (n_inputs={self.n_inputs}, n_words), got shape {words.shape}"
            )
        n_words = words.shape[1]
        words = np.ascontiguousarray(words)
        shape = (self.n_outputs, n_words)
        if out is None:
            out = np.empty(shape, np.uint64)
        elif (
            not isinstance(out, np.ndarray) or out.dtype != np.uint64 or out.shape != shape
            or not out.flags.c_contiguous or not out.flags.writeable
        ):
            raise SimulationInputError(f"out must be a writeable C-contiguous uint64 array of shape {shape}")
        if n_words == 0 or self.n_outputs == 0:
            return out
        threads = min(self._threads, numba.config.NUMBA_NUM_THREADS)
        block = self._block_words
        if threads > 1 and n_words < threads * block:
            block = max(1, -(-n_words // threads))  # give every thread a share of small runs
        block = min(block, n_words)
        n_blocks = -(-n_words // block)
        threads = min(threads, n_blocks)
        stride = block + _PAD if block >= 8 else block
        bufs = np.empty((threads, self._n_slots, stride), np.uint64)
        bufs[:, 0, :] = 0
        scratch = np.empty((threads, self._n_scratch, stride), np.uint64)
        if threads == 1:
            _run_serial(self._code, words, out, bufs[0], scratch[0], block, n_words)
            return out
        # Chunks: whole cache lines of output words (no false sharing between threads), and about
        # eight per thread so that a thread delayed by other work is helped by the others.
        chunk_blocks = max(-(-8 // block), n_blocks // (8 * threads), 1)
        saved_threads = get_num_threads()
        set_num_threads(threads)
        saved_chunk = numba.set_parallel_chunksize(1)
        try:
            _run_parallel(self._code, words, out, bufs, scratch, block, n_words, chunk_blocks)
        finally:
            numba.set_parallel_chunksize(saved_chunk)
            set_num_threads(saved_threads)
        return out

    def run_bool(self, patterns: Any) -> np.ndarray:
        """Simulate bool patterns.

        Parameters
        ----------
        patterns : array-like of bool (or 0/1 integers), shape (batch, n_inputs) or (n_inputs,)

        Returns
        -------
        numpy.ndarray of bool, shape (batch, n_outputs) (or (n_outputs,) for one 1-D pattern)

        Notes
        -----
        Packs with :func:`~serialcomp.sim.pack_bits`, runs :meth:`run`, unpacks with
        :func:`~serialcomp.sim.unpack_bits` (Numba kernels, O(batch * (n_inputs + n_outputs)),
        a small fraction of a simulation).  For random patterns skip the bool array:
        ``unpack_bits(sim.run(random_pattern_words(sim.n_inputs, batch, seed)), batch)``.

        Example
        -------
        >>> from serialcomp.ir import CircuitBuilder
        >>> b = CircuitBuilder(); x, y = b.inputs(2); b.output(b.or_(x, y))
        >>> b.build().compile().run_bool([0, 1]).tolist()
        [True]
        """
        arr = np.asarray(patterns)
        single = arr.ndim == 1
        if single:
            arr = arr.reshape(1, -1)
        if arr.ndim != 2 or arr.shape[1] != self.n_inputs:
            raise SimulationInputError(
                f"expected patterns of shape (batch, n_inputs={self.n_inputs}), got shape {np.shape(patterns)}"
            )
        if arr.dtype != np.bool_ and (arr.dtype.kind not in "iu" or (arr.size and (arr.min() < 0 or arr.max() > 1))):
            raise SimulationInputError(f"expected bool (or 0/1 integer) patterns, got dtype {arr.dtype}")
        batch = arr.shape[0]
        words = pack_bits(arr) if self.n_inputs else np.zeros((0, n_words_for(batch)), np.uint64)
        res = unpack_bits(self.run(words), batch)
        return res[0] if single else res

    def __repr__(self) -> str:
        return (
            f"CompiledCircuit(inputs={self.n_inputs}, outputs={self.n_outputs}, "
            f"instructions={self._n_instructions}, slots={self._n_slots}, "
            f"block_words={self._block_words}, threads={self._threads})"
        )
