"""measure_cell measures what the family builds, checks the claim with the one rule, and records the
instances' seed and count, so that a cell can be measured again from its own fields."""

from dataclasses import replace

import numpy as np
import pytest
import sympy

from serialcomp.errors import ProblemParameterError, SerialcompError
from serialcomp.ir import CircuitBuilder
from serialcomp.ir.family import CircuitFamily, N
from serialcomp.measure import Cell, accuracy, format_depth, measure_cell
from serialcomp.problems import get_problem


def _and_chain(n):
    b = CircuitBuilder(); xs = b.inputs(n); acc = xs[0]
    for x in xs[1:]:
        acc = b.and_(acc, x)
    b.output(acc)
    return b.build()


def test_a_plain_family_is_measured_from_its_circuit():
    fam = get_problem("parity").family("xor_tree")
    c = measure_cell(fam, 12)
    built = fam(12)
    assert (c.problem, c.family, c.kind, c.n) == ("parity", "xor_tree", "log", 12)
    assert (c.depth, c.size, c.serial_depth, c.steps) == (built.depth(), built.n_gates, built.depth(), None)
    assert c.claimed == 4 and c.claimed_depth == format_depth(fam.claimed_depth) == "ceil(log2 n)"
    assert c.exact and c.agrees
    assert (c.accuracy, c.mean_steps_used, c.count, c.seed) == (None, None, None, None)


def test_a_looped_family_is_measured_by_its_step_and_its_unrolled_depth():
    fam = get_problem("word:S3").family("stream")
    c = measure_cell(fam, 10)
    step = fam(10).step
    assert (c.depth, c.size) == (step.depth(), step.n_gates)
    assert c.steps == 10 and c.serial_depth == fam(10).unroll(10).depth() == c.claimed


def test_the_agrees_rule_is_equality_for_exact_claims_and_at_most_for_bounds():
    exact_low = CircuitFamily("chain", "and", "recurrent", _and_chain, N - 2)
    bound_high = CircuitFamily("chain", "and", "recurrent", _and_chain, N, exact=False)
    exact_high = CircuitFamily("chain", "and", "recurrent", _and_chain, N)
    assert [measure_cell(f, 6).serial_depth for f in (exact_low, bound_high, exact_high)] == [5, 5, 5]
    assert [measure_cell(f, 6).agrees for f in (exact_low, bound_high, exact_high)] == [False, True, False]


def test_accuracy_is_the_accuracy_of_the_sampled_instances():
    fam, prob = get_problem("word:S3").family("fixed3"), get_problem("word:S3")
    c = measure_cell(fam, 16, count=64, seed=5)
    ref = accuracy(fam, prob, 16, instances=prob.sample(16, 64, 5))
    assert (c.accuracy, c.count, c.seed) == (ref.accuracy, 64, 5) and c.accuracy < 1.0


def test_a_cell_is_measured_again_from_its_own_seed_and_count():
    fam, prob = get_problem("reach:path").family("bfs"), get_problem("reach:path")
    c = measure_cell(fam, 8, count=40, seed=123)
    again = measure_cell(fam, 8, instances=prob.sample(8, c.count, c.seed))
    assert again == c and c.mean_steps_used is not None


def test_mean_steps_used_is_the_mean_over_the_lanes():
    fam, prob = get_problem("reach:path").family("bfs"), get_problem("reach:path")
    inst = prob.sample(16, 50, 2)
    c = measure_cell(fam, 16, prob, instances=inst)
    steps = accuracy(fam, prob, 16, instances=inst).steps
    assert c.mean_steps_used == pytest.approx(float(np.mean(steps))) and c.mean_steps_used <= c.steps


def test_seconds_take_no_part_in_equality():
    c = measure_cell(get_problem("parity").family("stream"), 4)
    assert replace(c, seconds=c.seconds + 99) == c
    assert replace(c, serial_depth=c.serial_depth + 1) != c
    assert Cell.field_names()[-1] == "seconds" and list(c.to_dict()) == Cell.field_names()


@pytest.mark.parametrize("n", [0, -3, 2.5, "4", True])
def test_bad_sizes_are_refused(n):
    with pytest.raises(ProblemParameterError, match="n for family 'xor_tree'"):
        measure_cell(get_problem("parity").family("xor_tree"), n)


def test_bad_counts_and_instances_are_refused():
    fam, prob = get_problem("parity").family("xor_tree"), get_problem("parity")
    with pytest.raises(ProblemParameterError, match="count for family 'xor_tree' must be >= 1"):
        measure_cell(fam, 4, count=0)
    with pytest.raises(ProblemParameterError, match=r"instances\.n = 8 does not match n = 4"):
        measure_cell(fam, 4, instances=prob.sample(8, 3, 0))


def test_a_family_that_builds_no_circuit_is_refused():
    fam = CircuitFamily("bad", "parity", "constant", lambda n: object(), sympy.Integer(1))
    with pytest.raises(SerialcompError, match="family 'bad' must build a Circuit or LoopedCircuit"):
        measure_cell(fam, 3)
