"""Bad input: unknown keys and parameters, n <= 0, impossible knobs -> ProblemParameterError."""

import numpy as np
import pytest

from serialcomp.errors import ProblemParameterError, SerialcompError
from serialcomp.problems import get_problem

MINE = ["parity", "majority", "add", "iadd", "word:S3", "word:S5", "word:flipflop", "word:Z4",
        "reach:path", "reach:flower", "reach:cycles", "reach:random", "cvp"]


@pytest.mark.parametrize("key", MINE)
def test_bad_sizes_and_unknown_params(key):
    p = get_problem(key)
    for n in (0, -3, 2.5, "8", True):
        with pytest.raises(ProblemParameterError, match="n"):
            p.sample(n, 3, seed=0)
    with pytest.raises(ProblemParameterError, match="count"):
        p.sample(8, -1, seed=0)
    with pytest.raises(ProblemParameterError, match="start"):
        p.sample(8, 1, seed=0, start=-2)
    with pytest.raises(ProblemParameterError, match="seed"):
        p.sample(8, 1, seed=-1)
    with pytest.raises(ProblemParameterError, match="'bogus'.*accepted"):
        p.sample(8, 1, seed=0, bogus=1)
    assert len(p.sample(8, 0, seed=0)) == 0


@pytest.mark.parametrize("key,n,params,match", [
    ("reach:flower", 10, {"petals": 0}, "petals"),
    ("reach:flower", 10, {"petals": 4}, "petals"),
    ("reach:flower", 3, {}, "n"),
    ("reach:path", 10, {"distance": 0}, "distance"),
    ("reach:path", 10, {"distance": 5}, "distance"),
    ("reach:path", 6, {"distance": 2, "extra": 7}, "extra"),
    ("reach:path", 3, {}, "n"),
    ("reach:cycles", 2, {}, "n"),
    ("reach:random", 1, {}, "n"),
    ("reach:random", 5, {"p": 1.5}, "p"),
    ("reach:random", 5, {"p": float("nan")}, "p"),
    ("cvp", 4, {"depth": 0}, "depth"),
    ("cvp", 4, {"depth": "deep"}, "depth"),
    ("word:S5", 4, {"prefix": "maybe"}, "prefix"),
    ("word:flipflop", 4, {"p_read": -0.1}, "p_read"),
])
def test_impossible_knobs(key, n, params, match):
    with pytest.raises(ProblemParameterError, match=match):
        get_problem(key).sample(n, 2, seed=0, **params)


def test_extreme_but_valid_knobs_terminate():
    assert len(get_problem("reach:path").sample(6, 3, seed=0, distance=2, extra=6)) == 3  # every allowed edge
    assert len(get_problem("reach:flower").sample(10, 3, seed=0, petals=3)) == 3  # minimal petals
    assert get_problem("reach:random").sample(5, 2, seed=0, p=0.0).targets["target"].sum() == 0


def test_bad_encodings_rejected():
    p = get_problem("word:S3")
    with pytest.raises(ProblemParameterError):
        p.decode_tokens(np.array([[0, 6]]), 2)
    with pytest.raises(ProblemParameterError):
        p.decode_bits(np.ones((1, 5), bool), 2)
    with pytest.raises(ProblemParameterError):
        get_problem("add").decode_tokens(np.zeros((1, 7), int), 3)
    with pytest.raises(ProblemParameterError):
        get_problem("reach:flower").decode_bits(np.zeros((1, 3), bool), 4)
    with pytest.raises(ProblemParameterError):
        get_problem("cvp").decode_tokens(np.full((1, 2 + 3 * 2), 9), 2, depth=1)
    assert issubclass(ProblemParameterError, SerialcompError)


@pytest.mark.parametrize("key,n,params,match", [
    ("cvp", 4, {"depth": 2**16 + 1}, "depth for cvp"),
    ("cvp", 2**12, {"depth": 2**11}, "exceeds the bound 4194304"),
    ("reach:random", 2049, {}, "n=2049 is too large for reach:random: at most 2048"),
    ("reach:path", 3000, {"distance": 2, "extra": 2**22}, "at most 4194304 edges"),
    ("timelock", 2049, {}, "n=2049 is too large for timelock: at most 2048"),
    ("ca:rule110", 15, {"t": 10**8}, "MAX_STEPS"),
    ("ca:rule30", 2**14, {}, "MAX_CELL_STEPS"),
])
def test_sizes_that_would_run_for_hours_are_refused(key, n, params, match, bounded):
    """Parameters whose generation would take unboundedly long (or allocate without bound) are
    refused up front with the bound in the message, never after a long run."""
    with bounded(seconds=10), pytest.raises(ProblemParameterError, match=match):
        get_problem(key).sample(n, 2, seed=0, **params)
