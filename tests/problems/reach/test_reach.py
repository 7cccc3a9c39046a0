"""Reachability problems against networkx."""

import networkx as nx
import numpy as np
import pytest

from serialcomp.errors import ProblemParameterError
from serialcomp.problems import get_problem


def graph(p, x, n):
    N = p.num_nodes(n)
    G = nx.Graph() if p.undirected else nx.DiGraph()
    G.add_nodes_from(range(N))
    if "adj" in x:
        G.add_edges_from(zip(*np.nonzero(x["adj"])))
    else:
        G.add_edges_from(x["edges"].tolist())
    return G


@pytest.mark.parametrize("n,kw", [(4, {}), (12, {}), (30, {"distance": 1}), (30, {"distance": 14}),
                                  (50, {"distance": 6, "extra": 200}), (10, {"extra": 0})])
def test_path(n, kw):
    p = get_problem("reach:path")
    inst = p.sample(n, 60, seed=7, **kw)
    d = inst.params["distance"]
    assert inst.inputs["edges"].shape == (60, 2 * d + inst.params["extra"], 2)
    for i in range(60):
        x = inst.get_inputs(i)
        G = graph(p, x, n)
        assert G.number_of_edges() == len(x["edges"])  # distinct edges, no self-loops
        assert nx.number_of_selfloops(G) == 0
        s, t = int(x["source"]), int(x["targets"][0])
        reach = nx.has_path(G, s, t)
        assert reach == bool(inst.targets["target"][i]) == p.solve(x)
        assert inst.meta["distance"][i] == (nx.shortest_path_length(G, s, t) if reach else -1)
        if reach:
            assert nx.shortest_path_length(G, s, t) == d
    assert 0.3 < inst.targets["target"].mean() < 0.7


def test_path_labels_balanced():
    t = get_problem("reach:path").sample(20, 4000, seed=0).targets["target"]
    assert abs(t.mean() - 0.5) < 0.03


@pytest.mark.parametrize("n,petals", [(4, 1), (16, 5), (32, 5), (40, 2)])
def test_flower(n, petals):
    p = get_problem("reach:flower")
    inst = p.sample(n, 25, seed=11, petals=petals)
    assert inst.inputs["edges"].shape == (25, 2 * (n + petals - 1), 2)
    for i in range(25):
        x = inst.get_inputs(i)
        G = graph(p, x, n)
        assert G.number_of_edges() == len(x["edges"])
        comps = list(nx.connected_components(G))
        assert len(comps) == 2 and {len(c) for c in comps} == {n}
        assert nx.is_isomorphic(G.subgraph(comps[0]), G.subgraph(comps[1]))
        s, (t1, t2) = int(x["source"]), x["targets"].tolist()
        r1, r2 = nx.has_path(G, s, t1), nx.has_path(G, s, t2)
        assert r1 != r2
        assert inst.targets["target"][i] == (0 if r1 else 1) == p.solve(x)
        t = t1 if r1 else t2
        assert nx.shortest_path_length(G, s, t) == inst.meta["distance"][i]
        # each petal offers two edge-disjoint routes; the junctions between petals are cut vertices
        H = G.subgraph(nx.node_connected_component(G, s))
        assert nx.edge_connectivity(H, s, t) == 2
        cuts = set(nx.articulation_points(H)) - {s, t}
        assert sum(1 for v in cuts if not nx.has_path(H.subgraph(set(H) - {v}), s, t)) == petals - 1


@pytest.mark.parametrize("n", [3, 4, 9, 50])
def test_cycles(n):
    p = get_problem("reach:cycles")
    inst = p.sample(n, 40, seed=2)
    for i in range(40):
        x = inst.get_inputs(i)
        G = graph(p, x, n)
        assert all(deg == 2 for _, deg in G.degree()) and G.number_of_nodes() == 2 * n
        k = nx.number_connected_components(G)
        assert k == inst.targets["target"][i] == p.solve(x)
        assert all(len(c) == 2 * n // k for c in nx.connected_components(G))
    assert np.array_equal(p.target_bits(inst)[:, 0], inst.targets["target"] == 1)


@pytest.mark.parametrize("n,prob", [(2, None), (8, None), (20, None), (20, 0.0), (12, 1.0), (40, 0.05)])
def test_random(n, prob):
    p = get_problem("reach:random")
    kw = {} if prob is None else {"p": prob}
    inst = p.sample(n, 40, seed=5, **kw)
    for i in range(40):
        x = inst.get_inputs(i)
        G = graph(p, x, n)
        s, t = int(x["source"]), int(x["targets"][0])
        assert s != t and nx.number_of_selfloops(G) == 0
        reach = nx.has_path(G, s, t)
        assert reach == bool(inst.targets["target"][i]) == p.solve(x)
        assert inst.meta["distance"][i] == (nx.shortest_path_length(G, s, t) if reach else -1)
    rec = next(inst.records())
    assert len(rec["edges"]) == int(inst.inputs["adj"][0].sum())


def test_random_default_roughly_balanced():
    t = get_problem("reach:random").sample(200, 300, seed=0).targets["target"]
    assert 0.25 < t.mean() < 0.75


def test_decode_tokens_and_solve_reject_node_ids_out_of_range():
    p = get_problem("reach:flower")
    inst = p.sample(7, 2, seed=0, petals=2)
    tok = p.encode_tokens(inst)
    bad = tok.copy()
    bad[0, -1] = 99
    with pytest.raises(ProblemParameterError, match="token 99 in row 0"):
        p.decode_tokens(bad, 7, petals=2)
    rec = inst.get_inputs(0)
    with pytest.raises(ProblemParameterError, match="node ids"):
        p.solve({**rec, "source": np.int64(-1)})
    # a target outside the graph is simply unreachable: the promise is reported broken, no IndexError
    far = {**rec, "targets": np.array([rec["targets"][0], 99])}
    if inst.targets["target"][0] == 0:  # t1 stays the connected one
        assert p.solve(far) == 0
    else:
        with pytest.raises(ProblemParameterError, match="promise"):
            p.solve(far)
