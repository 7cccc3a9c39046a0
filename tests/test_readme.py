"""The README's Python examples run as written and print what their comments say."""

import contextlib
import io
import re
from pathlib import Path

import pytest

from serialcomp.testing.benchmarks import epfl_dir

README = Path(__file__).resolve().parents[1] / "README.md"
BLOCKS = re.findall(r"```python\n(.*?)```", README.read_text(), flags=re.S)


def _run(code):
    epfl = epfl_dir()
    if "../shared/benchmarks/epfl" in code:
        if epfl is None:
            pytest.skip("EPFL benchmarks not found")
        code = code.replace("../shared/benchmarks/epfl", str(epfl))
    out = io.StringIO()
    scope: dict = {}
    with contextlib.redirect_stdout(out):
        exec(compile(code, str(README), "exec"), scope)
    return scope, out.getvalue()


def test_readme_has_the_examples():
    assert len(BLOCKS) >= 2


def test_taste_block_values():
    """The first example: the depths its comments state."""
    scope, _ = _run(BLOCKS[0])
    c = scope["c"]
    assert (c.depth(), c.depth(fanin=2)) == (1, 3)
    assert scope["hyp"].depth() == 24801


def test_family_block_prints_its_comments():
    """The study example prints the lines written as comments below it."""
    _, printed = _run(BLOCKS[1])
    expected = [line[2:].split("     (")[0].rstrip() for line in BLOCKS[1].splitlines() if line.startswith("# ")]
    assert printed.splitlines() == expected


def test_torch_block_agrees_with_itself_and_the_simulator():
    """The torch example: both modes give the simulator's bits, and XOR's level is two layers."""
    pytest.importorskip("torch")
    scope, _ = _run(BLOCKS[2])
    bits = scope["bits"].numpy()
    want = scope["c"].compile().run_bool(bits)
    assert (scope["packed"](scope["bits"]).numpy() == want).all()
    assert (scope["dense"](scope["bits"]).numpy() == want).all()
    assert scope["dense"].n_layers == 2
