"""Stream stability and counter-based seeding, for every registered problem.

Golden hashes: ``get_problem(key).sample(n, count=4, seed=123)`` hashed over its arrays in a
canonical byte order (:func:`serialcomp.testing.problems.instance_digest`) must equal the constants
below, recorded once. Every
generator draws only SplitMix64 words computed by serialcomp itself (``RecordRNG``,
``BitStream``), never a ``numpy.random.Generator`` method, so the same seed must give the same
instances on every machine and NumPy version; a change here means datasets generated before and
after differ. This file only checks: after an intended change of the generators, regenerate the
constants with ``python scripts/regen_golden.py`` (it prints the diff), and say so in the commit.

Counter-based seeding: record ``i`` depends neither on ``count`` nor on ``start``.
"""

import numpy as np
import pytest

from serialcomp.problems import get_problem, list_problems
from serialcomp.testing.problems import instance_digest, same_instances

KEYS = sorted(list_problems()) + ["word:Z2", "word:Z7", "word:Z1000"]
#: small sizes (default 6); sudoku's n is a rating, timelock's the bits per prime
SIZE = {"sudoku": 3, "timelock": 16, "iadd": 5, "reach:random": 7, "reach:path": 9, "reach:flower": 10,
        "ca:rule90": 9, "ca:rule110": 11, "ca:rule30": 11}

# GOLDEN-BEGIN (written by scripts/regen_golden.py)
GOLDEN = {
    "add": "9e59d50e2a173dea20591fdd87f7405ca1aba830ec0a74498d8364a15949b49c",
    "ca:rule110": "1ca8c19520c2831b4b029ff05afdece9a171658a8048f6bd9e86ebe7020a0243",
    "ca:rule30": "17d3147672069ae3481766af22e52a250dd2ae1510f06cf35bad1d5ba80fc0ea",
    "ca:rule90": "ed94814d0becfa8b19855b57d74cfacb514af1878928dae7a935e0b5b0a5aeac",
    "cvp": "728c7fd6c625952f204543885cba8ed7b18f1add66d666aeb39e014e2011b856",
    "iadd": "3cb0bfdc3797d5cb8a6278ceca9bbf7629a61660db22f8a7a3e028c48fc10153",
    "majority": "547cb807e7581b31bd0cf4a3054e6926be5cce91af0ed1208ea4d9a7d285a4ab",
    "parity": "1d36014ee92c6a87909e8e0f16ee6a15566d4620ce56c5dd7e8bf0d68722221f",
    "reach:cycles": "9011ce082d9ec07bba1ddefa29793677a7e592fdab97b5dde0c4564cf5a06fba",
    "reach:flower": "907488162300641deb4cfe6ed6a6a625f0a3ae5885b48a628d06b228ea7f9053",
    "reach:path": "5bac311d1cf5cad7780fd37b46e60db24a93fdc9bcdf4c6659bb6f9677766fbe",
    "reach:random": "484b7fd0dc3d2dbae2699518d1adf02b08d061c5bd1f5adac5a8d7cac905b5cb",
    "sudoku": "7e6787caef6c461c6d608eb01553851ede838646bd7f28db7ca9ddb129e88f42",
    "timelock": "99d2eb92229024db8fc39dcc836264abdf57ddbee936ae17db534024373288bc",
    "word:A4xZ5": "9a60995e760e8110509b5a2e0857ec2b228dedfb45ecff1bdd91f14971d7921f",
    "word:A5": "312d56a3c4890ff80392b8422707cc6d00134a81d81b737e13c5c8615b3d7e66",
    "word:S3": "1c99a0cc855e17d797dd5bb5a1b2623579aa30f68c010256590f01e772074a8e",
    "word:S5": "1bddf2b29770510192794af4191cad99284d09df9604182f2c202583ccf6405a",
    "word:flipflop": "4fc08ea68596e8122326d14134f21c9346eb2942bea73d6eeafb7b54f7a5bbb6",
    "word:Z2": "28eb663091aa258c418ddeb1114d490cdc96061aaba1af0115f3463a223dde6e",
    "word:Z7": "2cf25b192e82c3dfa4f610491a3b8953f2a0d5e7f76848dd6ceb8b3eaa923a38",
    "word:Z1000": "281d3c2172d79da5472af7d052d8cf47b7c3ebc7908424c0f89fa3386ad2f9ab",
}
# GOLDEN-END


def test_every_key_has_a_golden_hash():
    assert sorted(GOLDEN) == sorted(KEYS)


def sample(key):
    """The instances whose digest is recorded for ``key``."""
    return get_problem(key).sample(SIZE.get(key, 6), count=4, seed=123)


@pytest.mark.parametrize("key", KEYS)
def test_golden_hash(key):
    assert instance_digest(sample(key)) == GOLDEN[key], (
        f"the instances of {key} changed; if intended, run `python scripts/regen_golden.py`")


@pytest.mark.parametrize("key", KEYS)
def test_record_i_does_not_depend_on_count_or_start(key):
    p = get_problem(key)
    n = SIZE.get(key, 6)
    seven = p.sample(n, 7, seed=99)
    assert same_instances(p.sample(n, 3, seed=99), seven[:3])
    assert same_instances(p.sample(n, 4, seed=99, start=3), seven[3:])
    assert same_instances(p.sample(n, 1, seed=99, start=6), seven[6])
    assert list(p.sample(n, 4, seed=99, start=3).records()) == list(seven[3:].records())
    assert not same_instances(p.sample(n, 7, seed=100), seven)


def test_digest_is_canonical():
    """The same values in other dtypes or byte orders hash alike; another value does not."""
    from types import SimpleNamespace

    a = SimpleNamespace(inputs={"x": np.array([1, 2], ">i4")}, targets={"t": np.array([True])}, meta={})
    b = SimpleNamespace(inputs={"x": np.array([1, 2], "<u2")}, targets={"t": np.array([1], "u1") == 1}, meta={})
    c = SimpleNamespace(inputs={"x": np.array([1, 3])}, targets={"t": np.array([True])}, meta={})
    assert instance_digest(a) == instance_digest(b) != instance_digest(c)
