"""accuracy() checks what it is given: instances of the right problem and size, a positive count."""

import pytest

from serialcomp.errors import ProblemParameterError
from serialcomp.measure import GridEntry, accuracy
from serialcomp.problems import get_problem


def _first(problem):
    return problem.families()[0]


def test_instances_of_another_size_are_rejected():
    parity = get_problem("parity")
    with pytest.raises(ProblemParameterError, match=r"instances\.n = 4 does not match n = 8"):
        accuracy(_first(parity), parity, 8, instances=parity.sample(4, 5, 0))


def test_instances_of_another_problem_are_rejected():
    s5, s3 = get_problem("word:S5"), get_problem("word:S3")
    with pytest.raises(ProblemParameterError, match=r"'word:S3'.*'word:S5'"):
        accuracy(_first(s5), s5, 4, instances=s3.sample(4, 5, 0))


def test_matching_instances_are_accepted():
    parity = get_problem("parity")
    inst = parity.sample(8, 16, 3)
    for fam in parity.families():
        assert accuracy(fam, "parity", 8, instances=inst).accuracy == 1.0


@pytest.mark.parametrize("count", [0, -1])
def test_count_below_one_is_rejected(count):
    parity = get_problem("parity")
    with pytest.raises(ProblemParameterError, match="count must be an integer >= 1"):
        accuracy(_first(parity), parity, 8, count=count)


def test_empty_instances_are_rejected():
    parity = get_problem("parity")
    with pytest.raises(ProblemParameterError, match="empty"):
        accuracy(_first(parity), parity, 8, instances=parity.sample(8, 0, 0))


def test_grid_entry_count_below_one_is_rejected():
    with pytest.raises(ProblemParameterError, match=r"GridEntry\('parity'\)\.count"):
        GridEntry("parity", (2, 4), count=0)
