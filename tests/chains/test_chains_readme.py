"""The README's test-time compute example runs and gives the values its comments state."""

import re
from pathlib import Path

README = Path(__file__).resolve().parents[2] / "README.md"


def test_readme_chains_block():
    blocks = [b for b in re.findall(r"```python\n(.*?)```", README.read_text(), flags=re.S) if "serialcomp.chains" in b]
    assert len(blocks) == 1
    scope: dict = {}
    exec(compile(blocks[0], str(README), "exec"), scope)
    law, p = scope["law"], scope["p"]
    assert (law.shortest(), law.mean_used()) == (0.03125, 38.0)
    assert abs(p - 1 / 768) < 1e-15
    assert (round(scope["maj_at_k"](p, 4096), 3), round(scope["any_at_k"](p, 4096), 3)) == (0.533, 0.998)
