"""accuracy() compares a family's outputs with the sampled targets, and checks what it is given:
instances of the right problem and size, a positive count."""

import pytest

from serialcomp.errors import ProblemParameterError
from serialcomp.measure import accuracy
from serialcomp.problems import get_problem


def test_instances_of_another_size_are_rejected():
    parity = get_problem("parity")
    with pytest.raises(ProblemParameterError, match=r"instances\.n = 4 does not match n = 8"):
        accuracy(parity.family("xor_tree"), parity, 8, instances=parity.sample(4, 5, 0))


def test_instances_of_another_problem_are_rejected():
    s5, s3 = get_problem("word:S5"), get_problem("word:S3")
    with pytest.raises(ProblemParameterError, match=r"'word:S3'.*'word:S5'"):
        accuracy(s5.family("tree"), s5, 4, instances=s3.sample(4, 5, 0))


def test_matching_instances_are_accepted():
    parity = get_problem("parity")
    inst = parity.sample(8, 16, 3)
    for fam in parity.families():
        assert accuracy(fam, "parity", 8, instances=inst).accuracy == 1.0


@pytest.mark.parametrize("count", [0, -1])
def test_count_below_one_is_rejected(count):
    parity = get_problem("parity")
    with pytest.raises(ProblemParameterError, match=r"count for accuracy \(instances to sample\) must be >= 1"):
        accuracy(parity.family("xor_tree"), parity, 8, count=count)


def test_empty_instances_are_rejected():
    parity = get_problem("parity")
    with pytest.raises(ProblemParameterError, match="empty"):
        accuracy(parity.family("xor_tree"), parity, 8, instances=parity.sample(8, 0, 0))


def test_a_bounded_family_fails_past_its_reach():
    """word:S3 fixed3 reads the first 8 letters: exact on every word of length 8, and on length 16
    it answers right only when letters 9..16 happen to multiply to the identity (about 1 in 6)."""
    s3 = get_problem("word:S3")
    fixed3 = s3.family("fixed3")
    assert accuracy(fixed3, s3, 8, count=64, seed=1).accuracy == 1.0
    res = accuracy(fixed3, s3, 16, count=256, seed=1)
    assert res.accuracy < 0.5 and res.correct.shape == (256,) and res.accuracy == res.correct.mean()
