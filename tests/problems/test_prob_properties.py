"""Hypothesis, one test per problem: random valid parameters -> the instances keep the problem's
promise (checked by an oracle written here or by networkx / sympy / python-sat), the sampled
targets equal the reference solver, and the bit and token encodings round-trip.

Each test's docstring states the promise it checks.  Example counts are sized so that every
problem gets tens of examples in a few seconds at most.
"""

import networkx as nx
import numpy as np
import pytest
import sympy
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st
from pysat.solvers import Minisat22
from sympy.combinatorics import Permutation

from serialcomp.errors import ProblemParameterError
from serialcomp.problems import get_problem
from serialcomp.testing.problems import naive_ca_run, row_value
from serialcomp.testing.sudoku import naive_sudoku_rating, sudoku_cnf, sudoku_var


def _settings(examples):
    return settings(max_examples=examples, deadline=None, suppress_health_check=[HealthCheck.too_slow])


seeds = st.integers(0, 2**40)


def _sample(key, n, count, seed, **params):
    return get_problem(key).sample(n, count, seed, **params)


def _contract(inst, n, params):
    """Solver == targets on every record; bits and tokens round-trip; records are self-describing."""
    p, count = inst.problem_obj, len(inst)
    assert all(len(v) == count for d in (inst.inputs, inst.targets, inst.meta) for v in d.values())
    for i in range(count):
        assert np.array_equal(np.asarray(inst.solve(i)), inst.targets["target"][i]), i
    bits = p.encode_bits(inst)
    assert bits.dtype == bool and bits.ndim == 2 and bits.shape[0] == count
    tok = p.encode_tokens(inst)
    assert tok.dtype == np.int64 and tok.ndim == 2 and tok.shape[0] == count
    if count:
        assert 0 <= tok.min() and tok.max() < len(p.vocab(n, **params))
    for dec in (p.decode_bits(bits, n, **params), p.decode_tokens(tok, n, **params)):
        assert sorted(dec) == sorted(inst.inputs)
        for k, v in inst.inputs.items():
            assert np.array_equal(dec[k], v), k
    tb = p.target_bits(inst)
    assert tb.dtype == bool and tb.shape[0] == count
    recs = list(inst.records())
    assert [r["index"] for r in recs] == list(range(count)) and all(r["n"] == n for r in recs)


# ---------------------------------------------------------------------------------------------
# TC0 baselines
# ---------------------------------------------------------------------------------------------

@pytest.mark.parametrize("key", ["parity", "majority"])
@_settings(100)
@given(n=st.integers(1, 200), count=st.integers(0, 6), seed=seeds)
def test_bit_counting(key, n, count, seed):
    """parity: the target is the XOR of the n bits; majority: whether more than half are 1
    (ties give 0); ``ones`` counts the 1s."""
    inst = _sample(key, n, count, seed)
    x = inst.inputs["x"]
    assert x.shape == (count, n)
    ones = x.sum(axis=1)
    assert (inst.meta["ones"] == ones).all()
    want = ones % 2 == 1 if key == "parity" else 2 * ones > n
    assert (inst.targets["target"] == want).all()
    _contract(inst, n, {})


@_settings(100)
@given(n=st.integers(1, 80), count=st.integers(0, 6), seed=seeds)
def test_add(n, count, seed):
    """add: the target is the integer sum a + b of two n-bit numbers, in n + 1 bits, LSB first."""
    inst = _sample("add", n, count, seed)
    for i in range(count):
        a, b, s = (row_value(inst.inputs["a"][i]), row_value(inst.inputs["b"][i]), row_value(inst.targets["target"][i]))
        assert a + b == s and a < 2**n and b < 2**n
    _contract(inst, n, {})


@_settings(80)
@given(n=st.integers(1, 20), count=st.integers(0, 5), seed=seeds)
def test_iadd(n, count, seed):
    """iadd: the target is the integer sum of the n rows (n-bit numbers), LSB first."""
    inst = _sample("iadd", n, count, seed)
    for i in range(count):
        assert sum(row_value(r) for r in inst.inputs["x"][i]) == row_value(inst.targets["target"][i])
    _contract(inst, n, {})


# ---------------------------------------------------------------------------------------------
# word problems
# ---------------------------------------------------------------------------------------------

WORDS = ["word:S3", "word:A4xZ5", "word:A5", "word:S5", "word:Z"]


def _one_line(text: str) -> list[int]:
    """A readable element, one-line notation as text ("10243", or "3,4,0,1,2" above 10 points)."""
    return [int(v) for v in (text.split(",") if "," in text else text)]


@pytest.mark.parametrize("key", WORDS)
@_settings(80)
@given(data=st.data(), n=st.integers(1, 60), count=st.integers(0, 4), prefix=st.booleans(), seed=seeds)
def test_group_words(key, data, n, count, prefix, seed):
    """Groups: the target is the product x1 x2 ... xn with x1 applied first, recomputed from the
    readable one-line permutations with sympy.combinatorics (``p * q`` applies p first); with
    ``prefix`` every prefix product, the last one equal to the target."""
    if key == "word:Z":
        key = f"word:Z{data.draw(st.integers(2, 40))}"
    inst = _sample(key, n, count, seed, prefix=prefix)
    cols = inst.columns()
    for i in range(count):
        acc = Permutation(list(range(len(_one_line(cols["target"][i])))))
        for j, letter in enumerate(cols["word"][i].tolist()):
            acc = acc * Permutation(_one_line(letter))
            if prefix:
                assert acc.array_form == _one_line(cols["prefix"][i][j])
        assert acc.array_form == _one_line(cols["target"][i])
    _contract(inst, n, {"prefix": prefix})


@_settings(100)
@given(n=st.integers(1, 80), count=st.integers(0, 5), prefix=st.booleans(), p_read=st.floats(0, 1), seed=seeds)
def test_flipflop(n, count, prefix, p_read, seed):
    """flip-flop: the state after a word is the last write (set0 -> 0, set1 -> 1); with no write
    it is ``read`` (the identity); every prefix likewise."""
    inst = _sample("word:flipflop", n, count, seed, prefix=prefix, p_read=p_read)
    names = get_problem("word:flipflop").vocab()
    for i in range(count):
        state = "read"
        for j, w in enumerate(inst.inputs["word"][i].tolist()):
            state = state if names[w] == "read" else names[w]
            if prefix:
                assert names[inst.targets["prefix"][i][j]] == state
        assert names[inst.targets["target"][i]] == state
    _contract(inst, n, {"prefix": prefix, "p_read": p_read})


# ---------------------------------------------------------------------------------------------
# reachability
# ---------------------------------------------------------------------------------------------

@_settings(100)
@given(data=st.data(), n=st.integers(4, 40), count=st.integers(0, 5), seed=seeds)
def test_reach_path(data, n, count, seed):
    """reach:path: edges are distinct; t is reachable from s iff the target says so, and then the
    shortest s-t path (networkx) has exactly ``distance`` edges, as the meta records."""
    d = data.draw(st.integers(1, (n - 2) // 2))
    avail = (n - 2 * d - 2) * (n - 1) + d * (d + 1)
    params = {"distance": d, "extra": data.draw(st.integers(0, min(avail, 3 * n)))}
    inst = _sample("reach:path", n, count, seed, **params)
    for i in range(count):
        x = inst.get_inputs(i)
        e = [tuple(uv) for uv in x["edges"].tolist()]
        assert len(set(e)) == len(e) and all(u != v for u, v in e)
        G = nx.DiGraph()
        G.add_nodes_from(range(n))
        G.add_edges_from(e)
        s, t = int(x["source"]), int(x["targets"][0])
        if inst.targets["target"][i]:
            assert nx.shortest_path_length(G, s, t) == d == inst.meta["distance"][i]
        else:
            assert not nx.has_path(G, s, t) and inst.meta["distance"][i] == -1
    _contract(inst, n, params)


@_settings(80)
@given(data=st.data(), n=st.integers(4, 40), count=st.integers(0, 4), seed=seeds)
def test_reach_flower(data, n, count, seed):
    """reach:flower: 2n nodes in two components of n nodes that are isomorphic (networkx);
    exactly one of t1, t2 is connected to s, the target is its position, and the meta distance is
    the s-t distance."""
    params = {"petals": data.draw(st.integers(1, (n - 1) // 3))}
    inst = _sample("reach:flower", n, count, seed, **params)
    for i in range(count):
        x = inst.get_inputs(i)
        G = nx.Graph(x["edges"].tolist())
        comps = list(nx.connected_components(G))
        assert len(G) == 2 * n and len(comps) == 2 and all(len(c) == n for c in comps)
        assert nx.is_isomorphic(G.subgraph(comps[0]), G.subgraph(comps[1]))
        s, (t1, t2) = int(x["source"]), x["targets"].tolist()
        conn = [nx.has_path(G, s, t1), nx.has_path(G, s, t2)]
        assert conn.count(True) == 1 and conn.index(True) == inst.targets["target"][i]
        assert nx.shortest_path_length(G, s, (t1, t2)[conn.index(True)]) == inst.meta["distance"][i]
    _contract(inst, n, params)


@_settings(100)
@given(n=st.integers(3, 60), count=st.integers(0, 6), seed=seeds)
def test_reach_cycles(n, count, seed):
    """reach:cycles: a 2-regular graph on 2n nodes whose number of cycles (networkx components) is
    the target, 1 (one 2n-cycle) or 2 (two n-cycles)."""
    inst = _sample("reach:cycles", n, count, seed)
    for i in range(count):
        G = nx.Graph(inst.inputs["edges"][i].tolist())
        comps = list(nx.connected_components(G))
        assert len(G) == 2 * n and all(deg == 2 for _, deg in G.degree())
        assert len(comps) == inst.targets["target"][i] and {len(c) for c in comps} == {2 * n // len(comps)}
    _contract(inst, n, {})


@_settings(100)
@given(n=st.integers(2, 20), count=st.integers(0, 5), p=st.floats(0, 1), seed=seeds)
def test_reach_random(n, count, p, seed):
    """reach:random: no self-loops, t != s; the target is networkx's has_path and the meta distance
    its shortest path length (-1 when unreachable)."""
    inst = _sample("reach:random", n, count, seed, p=p)
    for i in range(count):
        x = inst.get_inputs(i)
        adj = x["adj"]
        assert not adj.diagonal().any()
        G = nx.from_numpy_array(adj.astype(int), create_using=nx.DiGraph)
        s, t = int(x["source"]), int(x["targets"][0])
        assert s != t
        reach = nx.has_path(G, s, t)
        assert inst.targets["target"][i] == reach
        assert inst.meta["distance"][i] == (nx.shortest_path_length(G, s, t) if reach else -1)
    _contract(inst, n, {"p": p})


# ---------------------------------------------------------------------------------------------
# circuit value, cellular automata
# ---------------------------------------------------------------------------------------------

TRUTH = {"AND": lambda a, b: a and b, "OR": lambda a, b: a or b, "XOR": lambda a, b: a != b,
         "XNOR": lambda a, b: a == b}


@_settings(120)
@given(n=st.integers(1, 12), depth=st.integers(1, 14), count=st.integers(0, 5), seed=seeds)
def test_cvp(n, depth, count, seed):
    """cvp: every gate reads two distinct gates of the previous layer (both 0 when n = 1), and the
    target is gate 0 of the last layer, evaluated here from the readable gate names."""
    inst = _sample("cvp", n, count, seed, depth=depth)
    cols = inst.columns()
    for i in range(count):
        left, right = inst.inputs["left"][i], inst.inputs["right"][i]
        assert (0 <= left).all() and (left < n).all() and (0 <= right).all() and (right < n).all()
        assert (left != right).all() if n > 1 else (left == right).all()
        vals = [bool(v) for v in inst.inputs["x"][i].tolist()]
        for names, ls, rs in zip(cols["gate"][i].tolist(), left.tolist(), right.tolist()):
            vals = [TRUTH[g](vals[a], vals[b]) for g, a, b in zip(names, ls, rs)]
        assert vals[0] == bool(inst.targets["target"][i])
    _contract(inst, n, {"depth": depth})


@pytest.mark.parametrize("key", ["ca:rule110", "ca:rule30", "ca:rule90"])
@_settings(100)
@given(n=st.integers(1, 40), data=st.data(), count=st.integers(0, 5), seed=seeds)
def test_ca(key, n, data, count, seed):
    """ca: ``final`` is the row after t steps of the rule on a ring (a plain loop written here),
    the target its centre cell ``n // 2``; sizes whose targets would all be equal are refused."""
    t = data.draw(st.integers(0, 4 * n))
    try:
        inst = _sample(key, n, count, seed, t=t)
    except ProblemParameterError as e:
        assume("every target is the same" not in str(e))
        raise
    rule = inst.problem_obj.rule
    for i in range(count):
        final = naive_ca_run(inst.inputs["row"][i], rule, t)
        assert inst.targets["final"][i].tolist() == final and inst.targets["target"][i] == final[n // 2]
    _contract(inst, n, {"t": t})


# ---------------------------------------------------------------------------------------------
# sudoku
# ---------------------------------------------------------------------------------------------

CNF = sudoku_cnf()


def _unique(puzzle, solution):
    """python-sat: the solution satisfies the puzzle and no other grid does."""
    with Minisat22(bootstrap_with=CNF) as s:
        for c, d in enumerate(puzzle.tolist()):
            if d:
                s.add_clause([sudoku_var(c, d)])
        lits = [sudoku_var(c, int(d)) for c, d in enumerate(solution.tolist())]
        if not s.solve(assumptions=lits):
            return False
        s.add_clause([-x for x in lits])
        return not s.solve()


@_settings(40)
@given(data=st.data(), n=st.integers(1, 7), count=st.integers(0, 2), seed=seeds)
def test_sudoku(data, n, count, seed):
    """sudoku: the target is the puzzle's unique solution (python-sat), a valid grid that keeps the
    clues; the rating, recomputed by a naive propagation loop, lies in [n, rating_max] (n is the
    smallest rating), or is -1 for the search band (n = 1, rating_max = -1)."""
    search = n == 1 and data.draw(st.booleans())
    params = {"rating_max": -1} if search else {"rating_max": data.draw(st.integers(n, 8))}
    inst = _sample("sudoku", n, count, seed, **params)
    for i in range(count):
        puz, sol = inst.inputs["puzzle"][i], inst.targets["target"][i]
        grid = sol.reshape(9, 9)
        boxes = grid.reshape(3, 3, 3, 3).swapaxes(1, 2).reshape(9, 9)
        assert all(sorted(u) == list(range(1, 10)) for u in (*grid, *grid.T, *boxes))
        assert ((puz == 0) | (puz == sol)).all() and _unique(puz, sol)
        r = naive_sudoku_rating(puz)
        assert r == inst.meta["rating"][i]
        assert r == -1 if search else n <= r <= params["rating_max"]
    _contract(inst, n, params)


# ---------------------------------------------------------------------------------------------
# timelock
# ---------------------------------------------------------------------------------------------

@_settings(100)
@given(n=st.integers(3, 40), t=st.integers(0, 64), count=st.integers(0, 4), factors=st.booleans(), seed=seeds)
def test_timelock(n, t, count, factors, seed):
    """timelock: the target is pow(x, 2**t, N) (plain pow), x in [2, N - 2] coprime to N, N of 2n - 1
    or 2n bits; with include_factors N = p q for distinct n-bit primes (sympy), without it no record
    carries a factor."""
    inst = _sample("timelock", n, count, seed, t=t, include_factors=factors)
    assert sorted(inst.meta) == (["p", "q"] if factors else [])
    for i in range(count):
        x, N = row_value(inst.inputs["x"][i]), row_value(inst.inputs["modulus"][i])
        assert row_value(inst.targets["target"][i]) == pow(x, 2**t, N)
        assert 2 <= x <= N - 2 and sympy.gcd(x, N) == 1 and N.bit_length() in (2 * n - 1, 2 * n)
        if factors:
            P, Q = row_value(inst.meta["p"][i]), row_value(inst.meta["q"][i])
            assert N == P * Q and P != Q and sympy.isprime(P) and sympy.isprime(Q)
            assert P.bit_length() == Q.bit_length() == n
    if not factors:
        assert all(not {"p", "q"} & set(r) for r in inst.records())
    _contract(inst, n, {"t": t, "include_factors": factors})
