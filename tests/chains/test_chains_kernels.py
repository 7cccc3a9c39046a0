"""The Numba kernels against their pure-Python references, and the counter-based draws."""

import os
import subprocess
import sys

import numpy as np
import pytest

from serialcomp.chains._rng import _below, below, chain_states, coin, mix64, run_base, word
from serialcomp.chains.flower import lmt_flower
from serialcomp.chains.graph import graphs_of
from serialcomp.chains.montecarlo import simulate_chains, simulate_chains_reference
from serialcomp.problems import get_problem
from serialcomp.problems.rng import BitStream

GRAPHS = {
    "lmt1": lmt_flower(1).graph(),
    "lmt3": graphs_of(get_problem("reach:flower").sample(31, 1, seed=4, layout="lmt"))[0],
    "random": graphs_of(get_problem("reach:flower").sample(30, 1, seed=2, petals=4))[0],
    "lengths": graphs_of(get_problem("reach:flower").sample(26, 1, seed=0, layout="lmt", short=1, long=4, dead=1))[0],
}


@pytest.mark.parametrize("name", sorted(GRAPHS))
@pytest.mark.parametrize("strategy", ["dfs", "bfs", "walk", "shortest"])
@pytest.mark.parametrize("budget", [None, 0, 7, 25])
def test_kernel_equals_reference(name, strategy, budget):
    """The same chains (seed, stream, start) give the same lengths, paths, coins and traces."""
    g = GRAPHS[name]
    a = simulate_chains(g, strategy, 120, budget, seed=11, stream=3, start=5, trace_width=40)
    b = simulate_chains_reference(g, strategy, 120, budget, seed=11, stream=3, start=5, trace_width=40)
    for f in ("lengths", "path_lengths", "coins", "traces"):
        assert np.array_equal(getattr(a, f), getattr(b, f)), f


def test_chains_are_counter_based():
    """Chain c depends on (seed, strategy, stream, c) only: a slice of a long run is a short run."""
    g = GRAPHS["lmt3"]
    long = simulate_chains(g, "dfs", 500, seed=1, stream=7)
    part = simulate_chains(g, "dfs", 100, seed=1, stream=7, start=250)
    assert np.array_equal(long.lengths[250:350], part.lengths)
    other = simulate_chains(g, "dfs", 500, seed=1, stream=8)
    assert not np.array_equal(long.lengths, other.lengths)


def test_words_are_bitstream_words_and_below_is_uniform_and_matches_numba():
    st = int(chain_states(run_base(3, "x"), 0, 1)[0])
    assert [word(st, j) for j in range(1, 6)] == BitStream(st).uint64(5).tolist()
    assert coin(st) == bool(mix64(st) >> 63)
    for m in (1, 2, 3, 5, 7, 2**31 + 11):
        j = 0
        jn = 0
        for _ in range(50):
            v, j = below(st, j, m)
            vn, jn = _below(np.uint64(st), jn, m)
            assert 0 <= v < m and (v, j) == (int(vn), int(jn))
    # a draw uniform over 6 values: chi-square with 5 degrees of freedom below its 0.999 quantile (20.5)
    j, vals = 0, []
    for _ in range(60000):
        v, j = below(st, j, 6)
        vals.append(v)
    counts = np.bincount(vals, minlength=6)
    assert ((counts - 10000) ** 2 / 10000).sum() < 20.5


def test_kernels_without_jit_equal_the_references():
    """NUMBA_DISABLE_JIT=1 runs the kernels as Python: the same results (covers their logic)."""
    code = (
        "import numpy as np\n"
        "from serialcomp.chains.flower import lmt_flower\n"
        "from serialcomp.chains.montecarlo import simulate_chains, simulate_chains_reference\n"
        "g = lmt_flower(2).graph()\n"
        "for s in ('dfs', 'bfs', 'walk'):\n"
        "    for b in (None, 9):\n"
        "        x = simulate_chains(g, s, 40, b, seed=2, trace_width=30)\n"
        "        y = simulate_chains_reference(g, s, 40, b, seed=2, trace_width=30)\n"
        "        assert (x.lengths == y.lengths).all() and (x.traces == y.traces).all(), s\n"
        "print('ok')\n")
    env = dict(os.environ, NUMBA_DISABLE_JIT="1")
    res = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=120)
    assert res.returncode == 0 and res.stdout.strip() == "ok", res.stderr[-2000:]


def test_chain_runs_views():
    g = GRAPHS["lmt3"]
    r = simulate_chains(g, "dfs", 300, budget=20, seed=0)
    assert np.array_equal(r.reached(), (r.lengths >= 0) & (r.lengths <= 20))
    assert np.array_equal(r.reached(9), r.lengths == 9)  # d = 3: 9 moves only by the straight path
    assert (r.used(12) == np.where(r.reached(12), r.lengths, 12)).all()
    v = r.votes(12)
    assert ((v == 1) == (r.reached(12) | (~r.reached(12) & r.coins))).all()
    assert set(r.votes(12, "abstain").tolist()) <= {-1, 1}
    with pytest.raises(Exception, match="exceeds the budget 20"):
        r.reached(21)
