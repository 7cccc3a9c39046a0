"""Circuit families of the word problems: exact accuracy, exact depth claims, growth, and the
fan-in-2 reach bound that makes every fixed-depth circuit fail on long enough words."""

from __future__ import annotations

import networkx as nx
import numpy as np
import pytest

from serialcomp.errors import ProblemParameterError
from serialcomp.ir.looped import LoopedCircuit
from serialcomp.ir.gates import GateKind
from serialcomp.measure.accuracy import accuracy
from serialcomp.measure.profile import depth_profile
from serialcomp.problems import get_problem
from serialcomp.problems.words import word_families

KEYS = ["word:Z2", "word:Z5", "word:S3", "word:A4xZ5", "word:A5", "word:S5", "word:flipflop"]
NS = [1, 2, 3, 5, 8, 16]


def test_family_sets():
    for key in KEYS:
        names = {f.name for f in get_problem(key).families()}
        extra = {"word:S3": {"shortcut"}, "word:A4xZ5": {"shortcut"}, "word:A5": {"blocks"}, "word:S5": {"blocks"},
                 "word:flipflop": {"last_write"}}.get(key, {"count_mod", "count_thr"})
        assert names == {"tree", "stream", "fixed3"} | extra, key
        kinds = {f.name: f.kind for f in get_problem(key).families()}
        assert kinds["tree"] == "log" and kinds["stream"] == "recurrent" and kinds["fixed3"] == "bounded"
    f = get_problem("word:S5").family("fixed3")
    assert f.params == {"d": 3} and f.valid_up_to(**f.params) == 8
    assert get_problem("word:S5").families()[0] is get_problem("word:S5").families()[0]  # declared once


@pytest.mark.parametrize("key", KEYS)
def test_exact_families_are_right_and_match_their_claims(key):
    prob = get_problem(key)
    for fam in prob.families():
        assert fam.exact
        for n in NS:
            if fam.kind == "bounded" and n > fam.valid_up_to(**fam.params):
                continue
            res = accuracy(fam, prob, n, count=96, seed=n)
            assert res.accuracy == 1.0, (key, fam.name, n)
            assert fam.serial_depth(n) == fam.claimed(n), (key, fam.name, n)


@pytest.mark.parametrize("key", ["word:S3", "word:A5", "word:S5", "word:flipflop", "word:Z5"])
def test_fixed_family_fails_past_its_reach(key):
    prob = get_problem(key)
    fam = get_problem(key).family("fixed3")
    for n in (9, 12):
        assert fam.serial_depth(n) == fam.claimed(n) == fam.claimed(8)  # depth no longer grows
        assert accuracy(fam, prob, n, count=128, seed=n).accuracy < 1.0, (key, n)


def test_fixed_family_shares_the_tree_circuits_and_takes_other_d():
    p = get_problem("word:S3")
    fixed, tree = p.family("fixed3")(5), p.family("tree")(5)
    x = np.random.default_rng(5).integers(0, 2, (256, tree.n_inputs)).astype(bool)
    assert fixed.input_names == tree.input_names and (fixed.evaluate(x) == tree.evaluate(x)).all()
    assert fixed.depth() == tree.depth(fanin=2)  # the same tree, its wide gates split into fan-in 2
    f4 = {f.name: f for f in word_families(get_problem("word:S3"), d=4)}["fixed4"]
    # S3: decode AND of 3 literals (2) + 3 inner levels of (AND, OR of 6 pairs: 1 + 3) + root (1 + OR of 18: 5)
    assert f4.params == {"d": 4} and f4.claimed(100) == 2 + 3 * 4 + 1 + 5 == f4.serial_depth(100)
    assert accuracy(f4, "word:S3", 16, count=64).accuracy == 1.0


def test_claimed_depths_in_closed_form():
    s5, z2, z5 = (get_problem(k) for k in ("word:S5", "word:Z2", "word:Z5"))
    assert [s5.family("tree").claimed(n) for n in (1, 2, 3, 4, 5, 1000)] == [0, 3, 5, 5, 7, 21]
    assert [z2.family("tree").claimed(n) for n in (1, 2, 3, 1000)] == [0, 2, 4, 20]  # 1-bit letters: no decoding
    assert [s5.family("stream").claimed(n) for n in (1, 7)] == [2, 14]
    # fan-in 2: decode 3 + root (1 + ceil(log2 7200) = 13), each further level 1 + ceil(log2 120) = 8
    assert [s5.family("fixed3").claimed(n) for n in (1, 2, 8, 9, 1000)] == [0, 17, 33, 33, 33]
    assert [z5.family("count_mod").claimed(n) for n in (1, 1000)] == [2, 2]
    assert get_problem("word:Z3").family("count_mod").claimed(10) == 1
    assert z5.family("count_thr").claimed(1000) == 2


def test_constant_families_at_larger_n():
    prob = get_problem("word:Z5")
    for name in ("count_mod", "count_thr"):
        fam = get_problem("word:Z5").family(name)
        for n in (40, 100):
            assert accuracy(fam, prob, n, count=64).accuracy == 1.0
            assert fam.serial_depth(n) == 2
    assert {f.name for f in get_problem("word:Z5").families()} >= {"count_mod", "count_thr"}


def test_stream_family_checks_prefix_targets_too():
    prob = get_problem("word:A5")
    fam = get_problem("word:A5").family("stream")
    inst = prob.sample(7, 50, seed=3, prefix=True)
    assert accuracy(fam, prob, 7, instances=inst).accuracy == 1.0
    assert isinstance(fam(7), LoopedCircuit) and fam(7) is fam(3)  # one step circuit for every n
    assert fam(7).unroll(7).depth() == fam.serial_depth(7) == 14


@pytest.mark.parametrize(
    "key,name,ns,growth",
    [
        ("word:S3", "tree", [2, 4, 8, 16, 32, 64], "log n"),
        ("word:S5", "tree", [2, 4, 8, 16, 32], "log n"),  # a span of 16x: 8x cannot tell log n from others
        ("word:S3", "stream", [2, 4, 8, 16, 32, 64], "n"),
        ("word:S5", "stream", [2, 4, 8, 16], "n"),
        ("word:S3", "fixed3", [8, 16, 32, 64], "1"),
        ("word:S5", "fixed3", [8, 9, 12, 16], "1"),
        ("word:Z5", "count_mod", [2, 8, 32, 64], "1"),
        ("word:Z5", "count_thr", [2, 8, 32, 64], "1"),
    ],
)
def test_depth_profile_growth(key, name, ns, growth):
    prof = depth_profile(get_problem(key).family(name), ns)
    assert prof.agrees
    assert prof.fit.growth == growth


# ---------------------------------------------------------------------------------------------
# the reach bound: with fan-in 2, an output at depth D sees at most 2^D input bits
# ---------------------------------------------------------------------------------------------


def _cones(circuit) -> list[set[int]]:
    """Input nodes each output depends on structurally (networkx ancestors in the fan-in DAG)."""
    g = nx.DiGraph()
    g.add_nodes_from(range(circuit.n_nodes))
    for v in range(circuit.n_nodes):
        for lit in circuit.fanins(v):
            g.add_edge(int(lit) >> 1, v)
    inputs = set(np.flatnonzero(circuit.kind == GateKind.INPUT).tolist())
    return [(nx.ancestors(g, int(o) >> 1) | {int(o) >> 1}) & inputs for o in circuit.outputs]


@pytest.mark.parametrize("key,d,n", [("word:S5", 1, 3), ("word:Z2", 2, 6), ("word:S3", 2, 7)])
def test_fanin2_reach_bound_and_failure_past_it(key, d, n):
    """Theorem: in a circuit of fan-in at most 2, an output of depth D depends on at most 2^D input
    bits, so a depth-D circuit reads at most w 2^D bits: on words with more letters some letter is
    unread and, in a group, changing it changes the product, so every such circuit fails; the
    bounded family is one (its gates have fan-in <= 2), and fails as soon as n > 2^d."""
    prob = get_problem(key)
    fam = {f.name: f for f in word_families(prob, d=d)}[f"fixed{d}"]
    c = fam(n)
    w = prob.monoid.bits_per_element
    assert c.max_fanin <= 2  # bounded fan-in: the depth is real gate depth, not a rewrite estimate
    D = c.depth()
    assert D == c.depth(fanin=2) == fam.claimed(n)
    cones = _cones(c)
    assert all(len(cone) <= 2**D for cone in cones)
    read = set().union(*cones)
    letters_read = {(v - 1) // w for v in read}  # input node v is bit (v - 1) % w of letter (v - 1) // w
    assert len(read) <= w * 2**D
    assert letters_read == set(range(2**d))  # exactly the first 2^d letters
    # an unread letter changes the product but not the output: one of the two answers is wrong
    inst = prob.sample(n, 64, seed=1)
    x = prob.encode_bits(inst)
    out = c.evaluate(x)
    ids = inst.inputs["word"].astype(np.int64).copy()
    ids[:, n - 1] = (ids[:, n - 1] + 1) % prob.monoid.size
    x2 = x.copy()
    x2[:, (n - 1) * w : n * w] = ((ids[:, n - 1 : n] >> np.arange(w)) & 1).astype(bool)
    assert (c.evaluate(x2) == out).all()
    changed = np.array([prob.solve({"word": row}) for row in ids])
    assert (changed != inst.targets["target"]).all()  # groups are cancellative
    assert accuracy(fam, prob, n, count=128).accuracy < 1.0


@pytest.mark.parametrize("n", [2, 8, 32])
def test_fanin2_reach_bound_is_attained(n):
    """Theorem (tightness): the bound 2^D is the best possible: a balanced tree of 2-input XOR gates
    of depth D = log2 n reads all n = 2^D input bits, and flipping any one flips the output."""
    fam = {f.name: f for f in get_problem("parity").families()}["xor_tree"]
    c = fam(n)
    assert c.max_fanin <= 2
    (cone,) = _cones(c)
    assert len(cone) == 2 ** c.depth() == n
    x = np.random.default_rng(n).integers(0, 2, (16, n)).astype(bool)
    flipped = x.copy()
    flipped[:, n // 2] ^= True
    assert (c.evaluate(x) != c.evaluate(flipped)).all()


@pytest.mark.parametrize("key", ["word:S5", "word:A4xZ5", "word:flipflop", "word:Z2", "word:Z7"])
def test_fixed_family_is_fanin2_and_meets_claim(key):
    """The fixed-depth family has fan-in <= 2 at every n and its depth equals the claim derived
    from the Cayley table alone (fanin2_tree_depth), for several d."""
    prob = get_problem(key)
    for d in (1, 2, 3):
        fam = {f.name: f for f in word_families(prob, d=d)}[f"fixed{d}"]
        for n in (1, 2, 3, 5, 8, 9):
            c = fam(n)
            assert c.max_fanin <= 2 and c.depth() == fam.claimed(n), (key, d, n)


def test_fixed_family_rejects_negative_levels():
    with pytest.raises(ProblemParameterError, match="d "):
        word_families(get_problem("word:S3"), d=-1)
