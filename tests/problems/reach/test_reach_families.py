"""Circuit families of the reach problems: squaring (log), bfs (recurrent), squarings<k> (bounded)."""

from __future__ import annotations

import subprocess
import sys

import networkx as nx
import numpy as np
import pytest

from serialcomp.measure.accuracy import accuracy
from serialcomp.measure.profile import depth_profile
from serialcomp.problems import get_problem
from serialcomp.problems.reach import squarings_family

KEYS = ["reach:path", "reach:flower", "reach:cycles", "reach:random"]
NS = {"reach:path": [4, 5, 9, 12], "reach:flower": [4, 5, 9, 10], "reach:cycles": [3, 4, 5, 9], "reach:random": [2, 3, 5, 9, 12]}


def test_declared_families():
    for key in KEYS:
        fams = get_problem(key).families()
        assert [(f.name, f.kind, f.exact) for f in fams] == [
            ("squaring", "log", True), ("bfs", "recurrent", True), ("squarings2", "bounded", False)]
        assert all(f.problem == key for f in fams)
        assert fams[0] is get_problem(key).families()[0]  # declared once (circuits cached per family)
        assert fams[2].valid_up_to(**fams[2].params) == 4


def test_families_import_lazily():
    """Looking a problem up imports no circuit construction; building a family does."""
    code = ("import sys, serialcomp.problems as p; p.get_problem('reach:path'); p.get_problem('cvp'); "
            "mods = ('serialcomp.blocks.', 'serialcomp.problems.reach.boolmat', 'serialcomp.problems.cvp.evaluator'); "
            "print(sorted(m for m in sys.modules if m.startswith(mods))); "
            "p.get_problem('reach:path').family('bfs')(4); "
            "print('serialcomp.problems.reach.boolmat' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.split("\n")[:2] == ["[]", "True"]


@pytest.mark.parametrize("key", KEYS)
@pytest.mark.parametrize("name", ["squaring", "bfs"])
def test_exact_families_accuracy_and_claimed_depth(key, name):
    fam, prob = get_problem(key).family(name), get_problem(key)
    for n in NS[key]:
        res = accuracy(fam, prob, n, count=48, seed=n)
        assert res.accuracy == 1.0, (key, name, n)
        assert fam.serial_depth(n) == fam.claimed(n), (key, name, n)
    prof = depth_profile(fam, NS[key])
    assert prof.agrees


def _graph(prob, inst, i):
    N = prob.num_nodes(inst.n, **inst.params)
    if "adj" in inst.inputs:
        G = nx.from_numpy_array(inst.inputs["adj"][i].astype(int), create_using=nx.DiGraph)
    else:
        G = nx.Graph() if prob.undirected else nx.DiGraph()
        G.add_edges_from(map(tuple, inst.inputs["edges"][i].tolist()))
    G.add_nodes_from(range(N))
    return G


@pytest.mark.parametrize("key", KEYS)
def test_bfs_steps_equal_the_distance_needed(key):
    """Under fixed-point halting a lane uses exactly the BFS rounds its answer needs (networkx
    distances): max(1, d) with d the distance from s to the nearest reachable target, or, when no
    target is reachable, to the farthest node s reaches; without a source (cycles) ecc(0). The fixed
    point is detected one step later, within the family's steps(n), so every lane halts."""
    fam, prob = get_problem(key).family("bfs"), get_problem(key)
    for n in NS[key][-2:]:
        inst = prob.sample(n, 40, seed=7)
        res = accuracy(fam, prob, n, instances=inst)
        assert res.accuracy == 1.0 and res.halted.all()
        for i in range(len(inst)):
            start = int(inst.inputs["source"][i]) if prob.n_targets else 0
            dist = nx.single_source_shortest_path_length(_graph(prob, inst, i), start)
            if prob.n_targets:
                hits = [dist[int(t)] for t in inst.inputs["targets"][i] if int(t) in dist]
                needed = max(1, min(hits) if hits else max(dist.values()))
            else:
                needed = max(dist.values())
            assert res.steps[i] == needed, (key, n, i)
            assert res.steps[i] < fam.n_steps(n)
        if key == "reach:cycles":
            assert set(res.steps.tolist()) <= {n, n // 2}
        if key == "reach:flower":  # the target is found before the dead ends and long paths are explored
            ecc = [max(nx.single_source_shortest_path_length(_graph(prob, inst, i), int(inst.inputs["source"][i])).values())
                   for i in range(len(inst))]
            assert (res.steps < np.array(ecc)).any()


def test_bounded_family_exact_up_to_2k_on_path():
    """squarings2 finds paths of at most 4 edges: exact for distance <= 4; beyond, every reachable instance
    is answered "unreachable" (and every unreachable one stays right), so accuracy drops below 1."""
    fam, prob, n = get_problem("reach:path").family("squarings2"), get_problem("reach:path"), 18
    assert fam.serial_depth(n) == fam.claimed(n) == 6
    for d in range(1, 9):
        inst = prob.sample(n, 40, seed=d, distance=d)
        res = accuracy(fam, prob, n, instances=inst)
        pos = inst.targets["target"].astype(bool)
        assert pos.any() and (~pos).any()
        if d <= 4:
            assert res.accuracy == 1.0
        else:
            assert res.accuracy < 1.0 and not res.correct[pos].any() and res.correct[~pos].all()


def test_bounded_family_other_k_and_cycles():
    f3 = squarings_family("reach:path", 3)
    prob = get_problem("reach:path")
    assert f3.claimed(20) == f3.serial_depth(20) == 8 and f3.valid_up_to(k=3) == 8
    inst = prob.sample(20, 40, seed=2, distance=8)
    assert accuracy(f3, prob, 20, instances=inst).accuracy == 1.0
    inst = prob.sample(20, 40, seed=2, distance=9)
    assert accuracy(f3, prob, 20, instances=inst).accuracy < 1.0
    cyc = get_problem("reach:cycles").family("squarings2")
    assert accuracy(cyc, "reach:cycles", 4, count=32).accuracy == 1.0  # node 0 reaches all within n = 4
    inst = get_problem("reach:cycles").sample(6, 32, seed=0)
    res = accuracy(cyc, "reach:cycles", 6, instances=inst)
    one = inst.targets["target"] == 1
    assert not res.correct[one].any() and res.correct[~one].all()


def test_growth_fits():
    # n = 2^k + 1: the largest distance n - 1 is 2^k, so each step of the grid adds one squaring
    sq = depth_profile(get_problem("reach:path").family("squaring"), [3, 5, 9, 17, 33])
    assert sq.fit.growth == "log n" and sq.agrees
    assert sq.table["serial_depth"].tolist() == [4, 6, 8, 10, 12]
    bfs = depth_profile(get_problem("reach:path").family("bfs"), [4, 8, 16, 32, 64])
    assert bfs.fit.growth == "n" and bfs.agrees
    assert depth_profile(get_problem("reach:cycles").family("squarings2"), [4, 8, 16]).fit.growth == "1"


def test_bfs_unroll_agrees():
    fam, prob = get_problem("reach:flower").family("bfs"), get_problem("reach:flower")
    lc, n = fam(5), 5
    flat = lc.unroll(fam.n_steps(n))
    assert flat.depth() == fam.serial_depth(n)
    inst = prob.sample(n, 16, seed=3)
    assert np.array_equal(flat.evaluate(prob.encode_bits(inst)), prob.target_bits(inst))
