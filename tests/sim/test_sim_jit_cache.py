"""Compile once: a second process reuses the kernels Numba cached on disk instead of compiling."""

import os
import subprocess
import sys

SCRIPT = """
from serialcomp.ir import CircuitBuilder
b = CircuitBuilder(); x = b.inputs(3); b.output(b.maj(*x)); b.output(b.xor(*x))
print(b.build().compile().run_bool([[1, 1, 0]]).astype(int).tolist())
"""


def _run(cache_dir):
    env = {**os.environ, "NUMBA_CACHE_DIR": str(cache_dir), "NUMBA_DEBUG_CACHE": "1"}
    env.pop("NUMBA_DISABLE_JIT", None)
    out = subprocess.run([sys.executable, "-c", SCRIPT], capture_output=True, text=True, env=env, timeout=300)
    assert out.returncode == 0, out.stderr
    return out.stdout


def test_second_process_loads_cached_kernels(tmp_path):
    first = _run(tmp_path)
    assert "[[1, 0]]" in first and "data saved" in first  # compiled and written to the cache
    second = _run(tmp_path)
    assert "[[1, 0]]" in second
    assert "data loaded" in second and "data saved" not in second  # nothing recompiled
