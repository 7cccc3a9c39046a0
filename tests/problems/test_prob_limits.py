"""Every problem's n is checked against what its generator can hold, before anything is allocated,
with a one-line message that says n is too large and names the bound."""

import pytest

from serialcomp.errors import ProblemParameterError
from serialcomp.problems import get_problem, list_problems

KEYS = list_problems() + ["word:Z7", "word:Z65536"]
HUGE = [10**9, 10**12, 2**62, 2**63, 10**100]


@pytest.mark.parametrize("key", KEYS)
def test_every_problem_states_its_largest_n(key):
    p = get_problem(key)
    assert isinstance(p.max_n, int) and p.max_n >= p.min_n and p.max_n_reason
    assert p.describe()["max_n"] == p.max_n


@pytest.mark.parametrize("key", KEYS)
def test_huge_n_is_refused_before_any_allocation(key, bounded):
    p = get_problem(key)
    with bounded(seconds=10, megabytes=64):
        for n in HUGE + [p.max_n + 1]:
            with pytest.raises(ProblemParameterError) as err:
                p.sample(n, 1, seed=0)
            msg = str(err.value)
            assert f"is too large for {key}: at most {p.max_n} (" in msg and "\n" not in msg, msg


def test_the_bound_is_named_as_a_size_not_a_negative_number():
    """reach:path once said `extra ... must be <= -495805696`; the bound on n comes first now, and
    an explicit extra is checked against what the edge list can hold besides the chains."""
    with pytest.raises(ProblemParameterError, match="n=1000000000 is too large for reach:path: at most 2097152"):
        get_problem("reach:path").sample(10**9, 1)
    with pytest.raises(ProblemParameterError) as err:
        get_problem("reach:path").sample(2**21, 1, distance=2**20 - 1, extra=2**22)
    assert "at most 4194304 edges per record" in str(err.value) and "-" not in str(err.value).split("got")[0]


@pytest.mark.parametrize("key,n,match", [
    ("cvp", 4096, "n=4096 is too large for cvp with the default depth = n"),
    ("ca:rule110", 10**5, "n=100000 is too large for ca:rule110 with the default t = n"),
    ("ca:rule90", 2**23 - 1, "n=8388607 is too large for ca:rule90 with the default t = n"),
])
def test_a_default_that_grows_with_n_blames_n(key, n, match, bounded):
    """When the knob defaults to n, the message says n is too large (the user never gave the knob).
    Rule 90 is sampled by its closed form, so its bound is on the cells XORed: at t = n = 2^23 - 1
    (23 bits set) nearly every cell enters."""
    with bounded(seconds=30, megabytes=256), pytest.raises(ProblemParameterError, match=match):
        get_problem(key).sample(n, 1)


def test_sizes_at_the_bound_are_accepted():
    """The bound is what the generator holds, not a guess: one record at max_n samples (cheap keys)."""
    for key, params in [("iadd", {}), ("cvp", {"depth": 1}), ("ca:rule110", {"t": 1})]:
        p = get_problem(key)
        assert len(p.sample(p.max_n, 1, seed=0, **params)) == 1
