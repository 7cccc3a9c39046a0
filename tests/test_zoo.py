"""The committed circuit zoo (circuits/) is what the code builds today, and ABC agrees with its manifest."""

import csv
import shutil
import subprocess
from pathlib import Path

import pytest

from serialcomp.io import read_aiger, read_thr
from serialcomp.zoo import MANIFEST_COLUMNS, write_zoo

ZOO = Path(__file__).resolve().parents[1] / "circuits"
ABC = shutil.which("berkeley-abc") or shutil.which("abc")


def _manifest():
    with open(ZOO / "manifest.csv", newline="") as f:
        return list(csv.DictReader(f))


def test_zoo_regenerates_byte_for_byte(tmp_path):
    """The zoo is golden: regenerating it gives the same files, byte for byte, and no others."""
    write_zoo(tmp_path)
    new = {p.relative_to(tmp_path).as_posix(): p.read_bytes() for p in tmp_path.rglob("*") if p.is_file()}
    old = {p.relative_to(ZOO).as_posix(): p.read_bytes() for p in ZOO.rglob("*") if p.is_file() and p.name != "README.md"}
    assert sorted(new) == sorted(old), "run `serialcomp zoo --out circuits` and commit the result"
    changed = [k for k in new if new[k] != old[k]]
    assert not changed, f"zoo files differ from a fresh build: {changed[:5]}"


def test_manifest_covers_every_family_and_matches_files():
    """Every registered family appears in it, no circuit is degenerate (folds to a constant), each file
    has the numbers its manifest row lists, and its depth is the family's claim (at most the claim,
    for an upper bound)."""
    from serialcomp.zoo import _zoo_problems
    from serialcomp.problems import get_problem

    rows = _manifest()
    assert rows and list(rows[0]) == MANIFEST_COLUMNS
    listed = {(r["problem"], r["family"]) for r in rows}
    expected = {(k, f.name) for k in _zoo_problems(None) for f in get_problem(k).families()}
    assert expected == listed  # every family, the big ones at their first size (ZOO_MAX_FIRST_AIG_ANDS)
    for r in rows:
        c = read_thr(ZOO / r["thr_file"])
        assert (c.n_inputs, c.n_outputs, c.n_gates, c.depth()) == tuple(int(r[k]) for k in ("inputs", "outputs", "gates", "depth"))
        a = read_aiger(ZOO / r["aig_file"])
        assert (a.n_gates, a.depth()) == (int(r["aig_ands"]), int(r["aig_depth"]))
        assert int(r["aig_ands"]) > 0 and int(r["max_fanin"]) > 0, f"{r['thr_file']} is degenerate (a constant)"
        depth, claimed = int(r["depth"]), int(r["claimed"])
        assert depth == claimed if r["exact"] == "1" else depth <= claimed, r["thr_file"]


@pytest.mark.skipif(ABC is None, reason="berkeley-abc not installed")
def test_abc_reads_every_zoo_aig_with_the_manifest_numbers():
    """ABC (`&r; &ps`) reports the inputs, outputs, AND count and levels the manifest lists."""
    import re

    rows = _manifest()
    script = "; ".join(f"&r {ZOO / r['aig_file']}; &ps" for r in rows)
    out = subprocess.run([ABC, "-c", script], capture_output=True, text=True, timeout=600).stdout
    out = re.sub(r"\x1b\[[0-9;]*m", "", out)  # ABC colours its &ps output on some terminals
    stats = re.findall(r"i/o\s*=\s*(\d+)/\s*(\d+).*?and\s*=\s*(\d+).*?lev\s*=\s*(\d+)", out)
    assert len(stats) == len(rows), out[-2000:]
    for r, (i, o, a, lev) in zip(rows, stats):
        assert (int(i), int(o), int(a), int(lev)) == (int(r["inputs"]), int(r["outputs"]), int(r["aig_ands"]), int(r["aig_depth"])), r["aig_file"]
