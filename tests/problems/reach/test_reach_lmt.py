"""reach:flower --param layout=lmt: the graphs of "Let Me Think!" and the paper's text format.

The oracle is an independent transcription of the paper's generator (``utils.gen_graph`` of
seyedparsa/let-me-think, graph_type ``flower``): its petal edge list and the way petals are
chained, with its start 0 and target N - 1 (``st_pair=far``), and ``Mission``'s decision task
(the graph plus a copy, the copy's last node the other target).
"""

import re

import networkx as nx
import numpy as np
import pytest

from serialcomp.errors import ProblemParameterError
from serialcomp.problems import get_problem
from serialcomp.problems.reach.lmt import lmt_component, lmt_encode, lmt_num_nodes, lmt_tokenize, lmt_vocab


def paper_flower(depth, short=3, long=5, dead=3):
    """The paper's ``gen_graph`` for ``flower``, transcribed: petal edges, chained ``depth`` times."""
    petal_size = short + long + dead
    petal_edges = []
    for i in range(short - 1):
        petal_edges.append((i, i + 1))
    for i in range(long - 1):
        petal_edges.append((short + i, (short + i + 1) % (short + long - 1)))
    for i in range(dead):
        petal_edges.append((short + long + i - 1, (short + long + i) % (short + long + dead - 1)))
    if short > 0:
        petal_edges.append((short - 1, petal_size - 1))
    if long > 0:
        petal_edges.append((short, petal_size - 1))
    g = nx.Graph()
    for i in range(depth):
        for u, v in petal_edges:
            g.add_edge(i * (petal_size - 1) + u, i * (petal_size - 1) + v)
    return g


def paper_decision(depth, **kw):
    """Mission(task_type=decision, st_pair=far): graph, copy shifted by N, start 0, targets N-1 and 2N-1."""
    g = paper_flower(depth, **kw)
    N = g.number_of_nodes()
    both = nx.union(g, nx.relabel_nodes(g, {v: v + N for v in g}))
    for v in both:
        both.nodes[v]["role"] = {0: "s", N - 1: "t", 2 * N - 1: "t2"}.get(v, "")
    return both


def generated(inst, i):
    x = inst.get_inputs(i)
    g = nx.Graph()
    g.add_nodes_from(range(2 * inst.n))
    g.add_edges_from(x["edges"].tolist())
    t1, t2 = x["targets"].tolist()
    conn = (t1, t2)[int(inst.targets["target"][i])]
    other = t2 if conn == t1 else t1
    for v in g:
        g.nodes[v]["role"] = {int(x["source"]): "s", conn: "t", other: "t2"}.get(v, "")
    return g


@pytest.mark.parametrize("d", [1, 2, 3, 5, 8])
def test_lmt_graphs_are_the_papers(d):
    """`generate reach:flower --n 10d+1 --param layout=lmt` is isomorphic to the paper's decision graph,
    with the source and both targets where the paper puts them; 10d+1 nodes and 11d edges per component."""
    n = 10 * d + 1
    inst = get_problem("reach:flower").sample(n, 6, seed=d, layout="lmt")
    assert inst.params == {"petals": d, "layout": "lmt", "short": 3, "long": 5, "dead": 3}
    paper = paper_decision(d)
    assert paper.number_of_nodes() == 2 * (10 * d + 1) and paper.number_of_edges() == 2 * 11 * d
    match = nx.algorithms.isomorphism.categorical_node_match("role", "")
    for i in range(6):
        g = generated(inst, i)
        assert g.number_of_edges() == 22 * d == inst.inputs["edges"].shape[1]
        assert nx.is_isomorphic(g, paper, node_match=match)
        s, t = [v for v, r in g.nodes(data="role") if r == "s"][0], [v for v, r in g.nodes(data="role") if r == "t"][0]
        assert nx.shortest_path_length(g, s, t) == 3 * d == inst.meta["distance"][i]
        assert inst.solve(i) == inst.targets["target"][i]


@pytest.mark.parametrize("d,short,long,dead", [(2, 1, 2, 0), (3, 2, 7, 1), (2, 4, 5, 6)])
def test_other_petal_lengths_follow_the_papers_generator(d, short, long, dead):
    """--short/--long/--dead of the paper's gen.py: the same graphs for other petal lengths."""
    n = lmt_num_nodes(d, short, long, dead)
    inst = get_problem("reach:flower").sample(n, 2, seed=0, layout="lmt", short=short, long=long, dead=dead)
    match = nx.algorithms.isomorphism.categorical_node_match("role", "")
    paper = paper_decision(d, short=short, long=long, dead=dead)
    for i in range(2):
        assert nx.is_isomorphic(generated(inst, i), paper, node_match=match)


def test_component_in_positions_is_the_papers_numbering_up_to_isomorphism():
    ours = nx.Graph(lmt_component(4).tolist())
    paper = paper_flower(4)
    assert nx.is_isomorphic(ours, paper)
    assert ours.degree(0) == paper.degree(0) == 3 and ours.degree(40) == paper.degree(40) == 2


def test_random_layout_is_untouched_by_the_new_parameters():
    """layout=random given explicitly is the default: the same records, params without the new keys."""
    p = get_problem("reach:flower")
    a, b = p.sample(16, 5, seed=3, petals=3), p.sample(16, 5, seed=3, petals=3, layout="random")
    assert a.params == b.params == {"petals": 3}
    assert all((a.inputs[k] == b.inputs[k]).all() for k in a.inputs)
    assert "text" not in a.columns()


@pytest.mark.parametrize("kw,msg", [
    ({"layout": "lmt", "petals": 4}, "n = petals*(short + long + dead - 1) + 1"),
    ({"layout": "tree"}, "layout must be one of random, lmt"),
    ({"short": 3}, "short sets a petal of layout=lmt"),
    ({"layout": "lmt", "short": 5}, "long"),
    ({"text": "beam"}, "text must be one of"),
    ({"petal": 3}, "accepted parameters: dead, layout, long, petals, short, text"),
])
def test_bad_parameters_name_what_is_wrong(kw, msg):
    with pytest.raises(ProblemParameterError, match=re.escape(msg)):
        get_problem("reach:flower").sample(51, 1, seed=0, **kw)


def parse_text(text):
    m = re.fullmatch(r"graph: \[([\d ]*)\]\ntask: (\d+) to (\d+) or (\d+) / (?:\nwork: \[([\d ]*)\])?\ndecision: \[(\d+)\]",
                     text)
    assert m, text
    nums = list(map(int, m.group(1).split()))
    work = None if m.group(5) is None else list(map(int, m.group(5).split()))
    return list(zip(nums[::2], nums[1::2])), int(m.group(2)), (int(m.group(3)), int(m.group(4))), work, int(m.group(6))


@pytest.mark.parametrize("work", ["none", "optimal", "dfs", "path", "dfs-pruned", "bfs", "random"])
def test_text_format_is_the_papers_and_describes_the_record(work):
    """The text is gen_mission_str's layout; its graph, task and decision are the record's; the work trace
    follows the paper's convention for its search type."""
    p = get_problem("reach:flower")
    inst = p.sample(31, 8, seed=5, layout="lmt", text=work)
    texts = inst.columns()["text"]
    for i, text in enumerate(texts):
        edges, s, targets, trace, decision = parse_text(text)
        x = inst.get_inputs(i)
        assert sorted(tuple(sorted(e)) for e in edges) == [tuple(e) for e in x["edges"].tolist()]
        assert s == int(x["source"]) and list(targets) == x["targets"].tolist()
        assert decision == targets[int(inst.targets["target"][i])]
        g = nx.Graph(edges)
        if work == "none":
            assert trace is None
            continue
        assert trace[0] == s and trace[-1] == decision
        if work in ("optimal", "path"):
            assert nx.is_simple_path(g, trace)
            if work == "optimal":
                assert len(trace) - 1 == nx.shortest_path_length(g, s, decision)
        elif work in ("dfs", "random"):
            assert all(g.has_edge(u, v) for u, v in zip(trace, trace[1:]))  # a walk (DFS writes backtracking)
        elif work == "dfs-pruned":
            assert len(set(trace)) == len(trace)
        else:  # bfs: dequeued in order of distance
            dist = nx.single_source_shortest_path_length(g, s)
            assert [dist[v] for v in trace] == sorted(dist[v] for v in trace) and len(set(trace)) == len(trace)
    # the edge order is shuffled and edges are written in both directions
    edges = parse_text(texts[0])[0]
    assert edges != sorted(edges) and any(u > v for u, v in edges)


def test_text_record_i_does_not_depend_on_count_or_start():
    p = get_problem("reach:flower")
    all5 = p.sample(21, 5, seed=9, layout="lmt", text="dfs").columns()["text"]
    assert p.sample(21, 2, seed=9, start=3, layout="lmt", text="dfs").columns()["text"] == all5[3:]


def test_text_tokens_in_the_papers_vocabulary():
    """102 node tokens, as the paper's d = 5 runs: every token of a d = 5 record is in the vocabulary, and
    '/' splits the prompt (graph, task) from the answer (work, decision)."""
    inst = get_problem("reach:flower").sample(51, 1, seed=0, layout="lmt", text="path")
    text = inst.columns()["text"][0]
    ids = lmt_encode(text, 102)
    vocab = lmt_vocab(102)
    toks = lmt_tokenize(text)
    assert ids.tolist() == [vocab[t] for t in toks] and toks[0] == "BOS" and toks[-1] == "EOS"
    sep = toks.index("/")
    assert "work" not in toks[:sep] and "decision" in toks[sep:] and toks[1] == "graph"
    with pytest.raises(ProblemParameterError, match="not in the vocabulary"):
        lmt_encode(text, 50)


def test_generate_writes_the_lmt_graphs_and_text(tmp_path):
    from serialcomp.cli import main

    out = tmp_path / "d.jsonl"
    assert main(["generate", "reach:flower", "--n", "51", "--count", "3", "--param", "layout=lmt",
                 "--param", "text=dfs", "--out", str(out)]) == 0
    import json

    recs = [json.loads(line) for line in out.read_text().splitlines()]
    assert len(recs) == 3 and recs[0]["param_layout"] == "lmt" and recs[0]["param_petals"] == 5
    assert recs[0]["text"].startswith("graph: [") and len(recs[0]["edges"]) == 110
    pq = tmp_path / "d.parquet"
    assert main(["generate", "reach:flower", "--n", "51", "--count", "3", "--param", "layout=lmt",
                 "--param", "text=dfs", "--out", str(pq)]) == 0
    import pandas as pd

    assert pd.read_parquet(pq)["text"].tolist() == [r["text"] for r in recs]
