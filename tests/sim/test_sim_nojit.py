"""The kernels run as plain Python under NUMBA_DISABLE_JIT=1 (covers their logic) and agree with the reference."""

import os
import subprocess
import sys
import textwrap

SCRIPT = textwrap.dedent(
    """
    import numpy as np
    from serialcomp.sim import _kernels, _program
    assert not hasattr(_kernels._exec_block, "py_func"), "jit was not disabled"
    from serialcomp.ir import CircuitBuilder
    from serialcomp.testing.reference import evaluate_reference

    b = CircuitBuilder()
    xs = b.inputs(6)
    g1 = b.and_(xs[0], xs[1] ^ 1)
    g2 = b.or_(g1, xs[2], xs[3] ^ 1)
    g3 = b.xor(g2, xs[4])
    g4 = b.xor(g1, g3, xs[5] ^ 1)
    g5 = b.maj(*xs, g4)
    g6 = b.thr([g5, xs[1], xs[2], g2, xs[0]], [3, -2, 5, 1, 4], 4)
    g7 = b.mod([g6, g3, xs[0], xs[3], 1], 3)
    g8 = b.mod(xs[:2], 5)
    g9 = b.and_(g7, g8, b.buf(g4) ^ 1)
    for lit in (g2 ^ 1, g3, g4, g5, g6, g7, g8, g9, xs[3], 1):
        b.output(lit)
    c = b.build()
    pats = np.random.default_rng(0).random((150, 6)) < 0.5
    ref = evaluate_reference(c, pats)
    for block, threads in ((1, 1), (2, 2), (None, 1)):
        assert np.array_equal(c.compile(block_words=block, threads=threads).run_bool(pats), ref)
    from serialcomp.sim import packing
    assert not hasattr(packing._pack_kernel, "py_func")
    words = packing.pack_bits(pats)  # the packing kernels as Python, against the numpy reference
    assert np.array_equal(words, packing.pack_bits_reference(pats))
    assert np.array_equal(packing.unpack_bits(words, 150), pats)
    print("ok")
    """
)


def test_kernels_as_python():
    env = dict(os.environ, NUMBA_DISABLE_JIT="1")
    res = subprocess.run([sys.executable, "-c", SCRIPT], env=env, capture_output=True, text=True, timeout=300)
    assert res.returncode == 0, res.stderr
    assert res.stdout.strip().endswith("ok")
