"""Circuit family of timelock: the iterated-squaring loop against the sampled targets (computed by the
generator through the factors, so independently of the circuit) and its serial depth bound."""

import numpy as np
import pytest

from serialcomp.ir.looped import LoopedCircuit
from serialcomp.measure.accuracy import accuracy
from serialcomp.measure.profile import depth_profile
from serialcomp.problems import get_problem
from serialcomp.problems.bits import bits_to_int

TL = get_problem("timelock")
(LOOPED,) = TL.families()


def test_declared_family():
    assert (LOOPED.name, LOOPED.kind, LOOPED.exact) == ("looped", "recurrent", False)
    assert isinstance(LOOPED(3), LoopedCircuit) and LOOPED(3).mode == "loop"
    assert LOOPED.n_steps(5) == 5 and LOOPED.n_steps(5, t=9) == 9


@pytest.mark.parametrize("n", [3, 4, 5, 6, 8])
def test_exact_at_the_default_knob(n):
    """t = n squarings of the loop equal x^(2^t) mod N, the target the generator computed with
    phi(N) = (p - 1)(q - 1): accuracy exactly 1."""
    assert accuracy(LOOPED, TL, n, count=96, seed=n).accuracy == 1.0


@pytest.mark.parametrize("t", [1, 2, 11])
def test_exact_for_other_t(t):
    """The loop run t steps (t != n) equals the generator's targets, and pow() agrees with both."""
    n = 4
    inst = TL.sample(n, 64, seed=t, t=t)
    out = LOOPED(n, t=t).run(TL.encode_bits(inst), steps=LOOPED.n_steps(n, t=t)).outputs
    x, m = bits_to_int(inst.inputs["x"]), bits_to_int(inst.inputs["modulus"])
    want = [pow(xi, 2**t, mi) for xi, mi in zip(x, m)]
    assert bits_to_int(inst.targets["target"]) == want
    assert bits_to_int(out) == want


def test_serial_depth_bound_is_tight_within_n():
    """serial depth <= 16 n (2n - 1) (the claim, an upper bound) and >= claim - n; growth n^2."""
    for n in (3, 4, 5, 6, 7, 8):
        d = LOOPED.serial_depth(n)
        assert LOOPED.claimed(n) - n <= d <= LOOPED.claimed(n), n
        assert LOOPED(n).unroll(n).depth() == d
    prof = depth_profile(LOOPED, [3, 4, 6, 8, 12])
    assert prof.fit.growth == "n^2" and prof.agrees


def test_fewer_steps_are_wrong():
    """With one step fewer than t the loop computes x^(2^(t-1)): wrong on almost every instance,
    so the exact answer needs all t sequential steps of this construction."""
    n = 5
    inst = TL.sample(n, 128, seed=3)
    out = LOOPED(n).run(TL.encode_bits(inst), steps=n - 1).outputs
    wrong = np.any(out != inst.targets["target"].astype(bool), axis=1)
    assert wrong.mean() > 0.9
