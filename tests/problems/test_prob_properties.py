"""Hypothesis: every problem, random valid parameters -> the promise holds, the reference solver
agrees, and the bit and token encodings round-trip (ca, sudoku and timelock included: sudoku
completions checked valid by row/column/box, timelock against plain ``pow`` and sympy primality)."""

import networkx as nx
import numpy as np
import sympy
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from serialcomp.errors import ProblemParameterError
from serialcomp.problems import get_problem

SETTINGS = settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@st.composite
def cases(draw):
    key = draw(st.sampled_from(["parity", "majority", "add", "iadd", "word:S3", "word:A4xZ5", "word:A5",
                                "word:S5", "word:flipflop", "word:Z", "reach:path", "reach:flower",
                                "reach:cycles", "reach:random", "cvp", "ca:rule110", "ca:rule30", "ca:rule90",
                                "sudoku", "timelock"]))
    params = {}
    if key == "word:Z":
        key = f"word:Z{draw(st.integers(2, 40))}"
    if key.startswith("word:"):
        n = draw(st.integers(1, 60))
        params["prefix"] = draw(st.booleans())
        if key == "word:flipflop":
            params["p_read"] = draw(st.floats(0, 1))
    elif key in ("parity", "majority", "add"):
        n = draw(st.integers(1, 70))
    elif key == "iadd":
        n = draw(st.integers(1, 20))
    elif key == "reach:path":
        n = draw(st.integers(4, 40))
        d = draw(st.integers(1, (n - 2) // 2))
        avail = (n - 2 * d - 2) * (n - 1) + d * (d + 1)
        params = {"distance": d, "extra": draw(st.integers(0, min(avail, 3 * n)))}
    elif key == "reach:flower":
        n = draw(st.integers(4, 40))
        params["petals"] = draw(st.integers(1, (n - 1) // 3))
    elif key == "reach:cycles":
        n = draw(st.integers(3, 30))
    elif key == "reach:random":
        n = draw(st.integers(2, 16))
        params["p"] = draw(st.floats(0, 1))
    elif key.startswith("ca:"):
        n = draw(st.integers(6, 40))
        params["t"] = draw(st.integers(0, 2 * n))
    elif key == "sudoku":
        n = draw(st.integers(1, 6))
        params["rating_min"] = draw(st.integers(1, n))
        params["rating_max"] = draw(st.integers(n, 7))
        return key, n, params, draw(st.integers(0, 2**40)), draw(st.integers(0, 2))
    elif key == "timelock":
        n = draw(st.integers(3, 24))
        params["t"] = draw(st.integers(0, 40))
    else:
        n = draw(st.integers(1, 10))
        params["depth"] = draw(st.integers(1, 12))
    return key, n, params, draw(st.integers(0, 2**40)), draw(st.integers(0, 5))


def _int(bits) -> int:
    return sum(int(b) << k for k, b in enumerate(np.asarray(bits).tolist()))


def _promise(p, inst, i):
    x = inst.get_inputs(i)
    if p.key == "reach:flower":
        G = nx.Graph(x["edges"].tolist())
        comps = list(nx.connected_components(G))
        assert len(comps) == 2 and nx.is_isomorphic(G.subgraph(comps[0]), G.subgraph(comps[1]))
        s, (t1, t2) = int(x["source"]), x["targets"].tolist()
        assert nx.has_path(G, s, t1) != nx.has_path(G, s, t2)
    elif p.key == "reach:cycles":
        G = nx.Graph(x["edges"].tolist())
        assert nx.number_connected_components(G) == inst.targets["target"][i]
        assert all(d == 2 for _, d in G.degree()) and len(G) == 2 * inst.n
    elif p.key == "reach:path":
        G = nx.DiGraph()
        G.add_nodes_from(range(inst.n))
        G.add_edges_from(x["edges"].tolist())
        s, t = int(x["source"]), int(x["targets"][0])
        if inst.targets["target"][i]:
            assert nx.shortest_path_length(G, s, t) == inst.params["distance"]
        else:
            assert not nx.has_path(G, s, t)
    elif p.key == "timelock":  # plain pow, and N is the product of the two recorded n-bit primes
        N, P, Q = _int(x["modulus"]), _int(inst.meta["p"][i]), _int(inst.meta["q"][i])
        assert N == P * Q and P != Q and sympy.isprime(P) and sympy.isprime(Q)
        assert P.bit_length() == Q.bit_length() == inst.n
        assert _int(inst.targets["target"][i]) == pow(_int(x["x"]), 2 ** inst.params["t"], N)
    elif p.key == "sudoku":  # a valid completion of the puzzle, rated inside the band
        grid, sol = np.asarray(x["puzzle"]).reshape(9, 9), inst.targets["target"][i].reshape(9, 9)
        assert ((grid == 0) | (grid == sol)).all()
        boxes = sol.reshape(3, 3, 3, 3).swapaxes(1, 2).reshape(9, 9)
        assert all(sorted(u) == list(range(1, 10)) for u in (*sol, *sol.T, *boxes))
        assert inst.params["rating_min"] <= inst.meta["rating"][i] <= inst.params["rating_max"]


@SETTINGS
@given(cases())
def test_promise_solver_and_round_trips(case):
    key, n, params, seed, count = case
    p = get_problem(key)
    try:
        inst = p.sample(n, count, seed, **params)
    except ProblemParameterError as e:  # a ring whose centre cell is constant: refused on purpose
        assume("every target is the same" not in str(e))
        raise
    assert len(inst) == count and all(len(v) == count for v in inst.inputs.values())
    for i in range(count):
        assert np.array_equal(np.asarray(inst.solve(i)), inst.targets["target"][i])
        _promise(p, inst, i)
    bits = p.encode_bits(inst)
    assert bits.dtype == bool and bits.ndim == 2 and bits.shape[0] == count
    dec = p.decode_bits(bits, n, **params)
    tok = p.encode_tokens(inst)
    assert tok.dtype == np.int64 and tok.ndim == 2 and tok.shape[0] == count
    if count:
        assert 0 <= tok.min() and tok.max() < len(p.vocab(n, **params))
    dect = p.decode_tokens(tok, n, **params)
    for k, v in inst.inputs.items():
        assert np.array_equal(dec[k], v), k
        assert np.array_equal(dect[k], v), k
    tb = p.target_bits(inst)
    assert tb.dtype == bool and tb.shape[0] == count
    recs = list(inst.records())
    assert [r["index"] for r in recs] == list(range(count))
