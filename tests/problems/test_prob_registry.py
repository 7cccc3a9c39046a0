"""The registry: keys, parametric keys, close-match errors, the contract of every problem."""

import numpy as np
import pytest
import sympy

from serialcomp.errors import ProblemParameterError
from serialcomp.problems import N_SYMBOL, ComplexityFacts, Problem, get_problem, list_patterns, list_problems, register

MINE = ["parity", "majority", "add", "iadd", "word:S3", "word:A4xZ5", "word:A5", "word:S5", "word:flipflop",
        "reach:path", "reach:flower", "reach:cycles", "reach:random", "cvp"]


def test_all_keys_registered():
    keys = list_problems()
    assert set(MINE) <= set(keys)
    assert keys == sorted(keys)
    assert "word:Z<m>" in list_patterns()


@pytest.mark.parametrize("key", MINE + ["word:Z2", "word:Z7", "word:Z1000"])
def test_contract(key):
    p = get_problem(key)
    assert isinstance(p, Problem) and p.key == key
    assert p.key_prefix == key.split(":")[0]
    assert isinstance(p.facts, ComplexityFacts)
    for bound in (p.facts.upper, p.facts.lower):
        assert isinstance(bound, sympy.Expr) and bound.free_symbols <= {N_SYMBOL}
    assert p.facts.references and p.description
    assert p.knob is None or p.knob in p.defaults
    d = p.describe()
    assert d["key"] == key and isinstance(d["upper"], str)
    assert isinstance(p.n_meaning, str) and p.n_meaning and d["n_meaning"] == p.n_meaning
    assert get_problem(key) is p  # cached


def test_parametric_cyclic():
    p = get_problem("word:Z13")
    assert p.monoid.size == 13
    for bad in ["word:Z1", "word:Z0", "word:Zx", "word:Z-3", "word:Z7.5", "word:Z07", "word:Z65537"]:
        with pytest.raises(ProblemParameterError, match="2 <= m <= 65536"):
            get_problem(bad)


def test_unknown_key_lists_close_matches():
    with pytest.raises(ProblemParameterError, match="did you mean.*parity"):
        get_problem("partiy")
    with pytest.raises(ProblemParameterError, match="word:S5"):
        get_problem("word:S6")
    with pytest.raises(ProblemParameterError):
        get_problem(5)


def test_register_rules():
    with pytest.raises(ProblemParameterError, match="already registered"):
        register(lambda: None, key="parity")
    with pytest.raises(ProblemParameterError, match="needs key"):
        register(lambda: None)
    with pytest.raises(ProblemParameterError):
        register(42, key="x:y")


def test_facts_classes():
    assert get_problem("word:S5").facts.complexity_class == "NC1-complete"
    a5 = get_problem("word:A5").facts  # proven: the trivial lower bound; the conjecture is a Bound of its own
    assert a5.proven is True and a5.lower == 1
    assert [(b.model, b.status) for b in a5.bounds if b.side == "lower" and b.status == "conjectured"] == [
        ("TC0", "conjectured"), ("ACC0", "conjectured")]
    assert get_problem("reach:flower").facts.complexity_class.startswith("L (promise")
    assert get_problem("reach:cycles").facts.complexity_class.startswith("L (1-vs-2 cycles")
    assert get_problem("parity").facts.complexity_class == "AC0[2] (so ACC0 and TC0); not in AC0"
    assert get_problem("reach:path").facts.complexity_class == "NL-complete"
    assert get_problem("cvp").facts.complexity_class == "P-complete"
    assert get_problem("word:S5").facts.upper == sympy.log(N_SYMBOL) / sympy.log(sympy.log(N_SYMBOL))
    assert get_problem("majority").facts.upper == 1


def test_records_self_describing():
    inst = get_problem("reach:flower").sample(10, 3, seed=4)
    recs = list(inst.records())
    assert len(recs) == 3
    for i, r in enumerate(recs):
        assert {"problem", "n", "seed", "index", "params", "edges", "source", "targets", "target"} <= set(r)
        assert r["index"] == i and r["problem"] == "reach:flower" and len(r["targets"]) == 2
        assert all(len(e) == 2 for e in r["edges"])
    assert inst.index.dtype == np.int64 and inst.index.tolist() == [0, 1, 2]
    shard = get_problem("reach:flower").sample(10, 2, seed=4, start=5)
    assert shard.index.tolist() == [r["index"] for r in shard.records()] == [5, 6]


def test_every_problem_says_what_n_means():
    """Every registered problem (and the parametric ones) documents its n, and describe() shows it."""
    keys = list_problems() + ["word:Z2", "word:Z65536"]
    for key in keys:
        p = get_problem(key)
        assert p.n_meaning and p.describe()["n_meaning"] == p.n_meaning, key
    assert get_problem("parity").n_meaning == "number of input bits"
    assert get_problem("sudoku").n_meaning.startswith("smallest propagation rating")
    assert "propagation rating" in get_problem("sudoku").facts.complexity_class
    assert "bits per prime" in get_problem("timelock").n_meaning


def test_cyclic_cap_explains_itself():
    with pytest.raises(ProblemParameterError, match="one-line notation"):
        get_problem("word:Z65537")
