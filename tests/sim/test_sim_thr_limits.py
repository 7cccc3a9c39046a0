"""THR at the limits the gate table proves safe (serialcomp.ir.gates.MAX_THR_FANIN): the largest
accepted gate simulates exactly, one fan-in more is refused everywhere a circuit is made."""

import numpy as np
import pytest

from serialcomp.errors import CircuitFormatError, CircuitStructureError
from serialcomp.io import loads_thr
from serialcomp.ir import Circuit, CircuitBuilder
from serialcomp.ir.gates import MAX_THR_FANIN, MAX_THRESHOLD, MAX_WEIGHT, GateKind, evaluate_gate
from serialcomp.testing.patterns import all_patterns

W = MAX_WEIGHT - 1
T = MAX_THRESHOLD - 1


def _edge_gate(multiplicity, weight, threshold):
    """One THR gate of exactly MAX_THR_FANIN fan-ins: input k appears multiplicity[k] times."""
    b = CircuitBuilder()
    xs = b.inputs(len(multiplicity))
    lits = [x for x, m in zip(xs, multiplicity) for _ in range(m)]
    assert len(lits) == MAX_THR_FANIN
    b.output(b.thr(lits, [weight(j) for j in range(len(lits))], threshold), "t")
    return b.build()


def _aggregated_reference(c, pats):
    """[sum_i w_i x_i >= t] in exact Python integers, the weights of each input summed first."""
    total = {}
    for l, w in zip(c.fanin.tolist(), c.weight.tolist()):
        total[l] = total.get(l, 0) + w
    t = int(c.param[-1])
    return np.array([[sum(w * (int(p[(l >> 1) - 1]) ^ (l & 1)) for l, w in total.items()) >= t] for p in pats])


MULT = [1024, 1, 1023, 2, 512, 512]
MULT.append(MAX_THR_FANIN - sum(MULT))


@pytest.mark.slow
@pytest.mark.parametrize("weight, threshold", [
    # every weight negative: the lowering adds 2**20 * (2**40 - 1) to the threshold (t' ~ 2**60, B = 60)
    (lambda j: -W, -T),
    # mixed signs; the sum crosses -(2**50 - 1) as inputs switch on
    (lambda j: -W if j % 3 else W, -T),
])
def test_largest_accepted_thr_gate_simulates_exactly(weight, threshold):
    """Theorem (gates.MAX_THR_FANIN): with f <= 2**20, |w| < 2**40 and |t| < 2**50 every sum of the
    simulator stays below 2**61, so the compiled simulator agrees with exact integer arithmetic;
    the inputs' multiplicities put the sum on both sides of the threshold, at and next to it."""
    c = _edge_gate(MULT, weight, threshold)
    pats = all_patterns(len(MULT))
    want = _aggregated_reference(c, pats)
    assert 0 < want.sum() < len(pats)  # the threshold is crossed inside the pattern set
    got = c.compile().run_bool(pats)
    assert np.array_equal(got, want)
    if c.weight.max() < 0:  # every weight -(2**40 - 1), threshold -(2**50 - 1): [true edges <= 1024]
        true_edges = pats.astype(np.int64) @ np.array(MULT)
        assert (2**50 - 1) // (2**40 - 1) == 1024 and np.array_equal(got[:, 0], true_edges <= 1024)
    # the aggregation is itself checked against the gate table's rule on a few patterns
    lits = c.fanin.tolist()
    for p in pats[[0, 5, 77, 127]]:
        xs = [int(p[(l >> 1) - 1]) ^ (l & 1) for l in lits]
        assert evaluate_gate(GateKind.THR, xs, c.weight.tolist(), int(c.param[-1])) == int(_aggregated_reference(c, [p])[0, 0])


def test_one_fanin_past_the_edge_is_refused_naming_the_node():
    f = MAX_THR_FANIN + 1
    b = CircuitBuilder()
    x = b.input("x")
    with pytest.raises(CircuitStructureError, match=r"gate 2 \('big'\) THR: THR takes at most 1048576 fan-in\(s\)"):
        b.gate("THR", [x] * f, [1] * f, 1, name="big")
    with pytest.raises(CircuitStructureError, match=r"node 2: THR takes at most 1048576 fan-in"):
        Circuit(kind=[0, 1, 7], fanin_ptr=[0, 0, 0, f], fanin=np.full(f, 2), outputs=[4], param=[0, 0, 1])
    text = "serialcomp-thr 1\ninput x\ng = THR[1](" + ", ".join(["x"] * f) + ")\noutput o = g\n"
    with pytest.raises(CircuitFormatError, match=r"<string>, line 3: THR takes at most 1048576"):
        loads_thr(text)
    # MAJ and the other unweighted gates have no such bound: their sums are fan-in counts
    b.output(b.maj(*([x] * f)), "m")
    assert b.build().max_fanin == f
