"""Circuit families of cvp: levelwise (looped, one layer per step) and unrolled (plain)."""

from __future__ import annotations

import networkx as nx
import numpy as np
import pytest

from serialcomp.ir.looped import LoopedCircuit
from serialcomp.measure.accuracy import accuracy
from serialcomp.measure.profile import depth_profile
from serialcomp.problems import get_problem

CVP = get_problem("cvp")
NS = [1, 2, 3, 5, 8, 12]


def _instance_depth(inst, i):
    """Longest input-to-output path (in gates) of instance i's circuit, restricted to the output's cone (networkx)."""
    G = nx.DiGraph()
    D, n = inst.inputs["gate"].shape[1:]
    G.add_nodes_from(("x", j) for j in range(n))
    for layer in range(D):
        for g in range(n):
            for k in ("left", "right"):
                j = int(inst.inputs[k][i, layer, g])
                G.add_edge(("x", j) if layer == 0 else (layer - 1, j), (layer, g))
    cone = G.subgraph(nx.ancestors(G, (D - 1, 0)) | {(D - 1, 0)})
    return nx.dag_longest_path_length(cone)


def test_declared_families():
    fams = CVP.families()
    assert [(f.name, f.kind, f.exact) for f in fams] == [("levelwise", "recurrent", True), ("unrolled", "recurrent", True)]
    assert isinstance(fams[0](3), LoopedCircuit) and fams[0].halt and fams[0].n_steps(7) == 8
    assert fams[0] is CVP.families()[0]


@pytest.mark.parametrize("name", ["levelwise", "unrolled"])
def test_accuracy_and_claimed_depth(name):
    fam = CVP.family(name)
    for n in NS:
        assert accuracy(fam, CVP, n, count=64, seed=n).accuracy == 1.0, n
        assert fam.serial_depth(n) == fam.claimed(n) == 2 * n + 1
    prof = depth_profile(fam, [2, 4, 8, 16])
    assert prof.agrees and prof.fit.growth == "n"


def test_steps_used_equal_instance_depth():
    """Every lane of levelwise uses exactly the instance circuit's depth D (= n) in steps: the ready register
    changes the state at each of the first D steps, and the state after D steps is the unique fixed point,
    detected during step D + 1 = steps(n). D is computed independently as networkx's longest path into the
    output gate."""
    fam = CVP.family("levelwise")
    for n in (3, 6, 9):
        inst = CVP.sample(n, 30, seed=11)
        res = accuracy(fam, CVP, n, instances=inst)
        assert res.accuracy == 1.0 and res.halted.all()
        depths = np.array([_instance_depth(inst, i) for i in range(len(inst))])
        assert np.array_equal(res.steps, depths) and (depths == n).all()
        assert (res.steps < fam.n_steps(n)).all()


def test_fewer_steps_than_the_depth_do_not_halt_and_are_wrong():
    """The steps counted above are needed, not an artefact of the budget: in a layered circuit every
    input-to-output path has length D, and with a budget of D - 1 steps no lane reaches a fixed point
    and the output is wrong on a large share of instances (the answer depends on the first layer);
    with D steps every answer is right, and the fixed point is confirmed at step D + 1."""
    fam = CVP.family("levelwise")
    for n in (3, 6, 9):
        inst = CVP.sample(n, 200, seed=11)
        bits, want = CVP.encode_bits(inst), CVP.target_bits(inst)[:, 0]
        short = fam(n).run(bits, steps=n - 1, halt=True)
        assert not short.halted.any()
        assert (short.outputs[:, 0] == want).mean() < 0.8
        enough = fam(n).run(bits, steps=n, halt=True)
        assert (enough.outputs[:, 0] == want).all() and not enough.halted.any()
        confirmed = fam(n).run(bits, steps=n + 1, halt=True)
        assert confirmed.halted.all() and (confirmed.steps == n).all()


def test_unrolled_is_the_pruned_unrolled_loop():
    lw, ur = CVP.family("levelwise"), CVP.family("unrolled")
    for n in (2, 4, 5):
        pruned = lw(n).unroll(n).prune()
        assert (pruned.n_gates, pruned.depth()) == (ur(n).n_gates, ur(n).depth())
