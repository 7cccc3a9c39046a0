"""The serial scaling hypothesis's diffusion argument, made executable: composing steps adds depth.

A diffusion sampler runs T* denoising steps, each a network of constant depth d (a TC0 circuit).
Unrolled, the sampler is one circuit of depth T* d: constant when T* does not grow with n, so a
fixed number of denoising steps stays in TC0 and cannot solve a problem outside TC0 (Liu et al.
argue that a well-trained sampler converges in a number of steps that does not grow with the
problem). Only steps that grow with n add serial depth.
"""

from __future__ import annotations

import numpy as np
import sympy
from hypothesis import strategies as st

from serialcomp.claims import THRESHOLD, CheckResult, Claim, Step
from serialcomp.ir.builder import CircuitBuilder
from serialcomp.ir.compose import series
from serialcomp.ir.family import N
from serialcomp.problems import get_problem
from serialcomp.testing.claims import layered_circuits, run_property
from serialcomp.testing.strategies import circuits

SSH = ("Liu, Preechakul, Kuwaranancharoen, Bai. The serial scaling hypothesis. arXiv:2507.12549, 2025 (diffusion "
       "models with a fixed number of TC0 denoising steps stay in TC0)")
PERFECT = "Liu. Perfect diffusion is TC0 - Bad diffusion is Turing-complete. arXiv:2507.12469, 2025"
T, dd = sympy.symbols("T d", integer=True, positive=True)


def unroll(step, steps: int):
    """``steps`` copies of a square step circuit, each one's outputs feeding the next one's inputs."""
    out = step
    for _ in range(steps - 1):
        out = series(out, step)
    return out


def denoiser(n: int):
    """One denoising step on a ring of n bits: every bit becomes the majority of itself and its two neighbours
    (one MAJ gate per bit: depth 1, TC0)."""
    b = CircuitBuilder()
    x = b.input_bus("s", n)
    for i in range(n):
        b.output(b.maj(x[i - 1], x[i], x[(i + 1) % n]), f"s'[{i}]")
    return b.build()


def _unroll_check() -> CheckResult:
    def balanced(step, t):
        d = step.depth()
        composed = unroll(step, t)
        assert composed.depth() == t * d, (t, d)
        assert max(composed.output_depths().values()) == min(composed.output_depths().values())  # balanced again

    def any_step(step, t):
        if step.n_inputs != step.n_outputs:
            return
        assert unroll(step, t).depth() <= t * step.depth()

    a = run_property(balanced, layered_circuits(4, 3), st.integers(1, 6), max_examples=40,
                     what="balanced random threshold steps composed 1..6 times")
    b = run_property(any_step, circuits(min_inputs=1, max_inputs=5, max_gates=12, max_outputs=5),
                     st.integers(1, 5), max_examples=60, what="random square steps composed 1..5 times")
    bad = [r for r in (a, b) if not r.ok]
    return CheckResult(not bad, f"{a.checked}; {b.checked}", bad[0].detail if bad else "")


UNROLL = Claim(
    "diffusion.unroll", "T steps of a step circuit of depth d, composed output to input, have depth at most T d (depths "
    "add along every path), exactly T d when the step is balanced (every output at depth d, every input at the start "
    "of a path of length d): measured on the composed circuits.", sympy.Le(sympy.Symbol("D"), T * dd),
    "composition of steps", THRESHOLD, "upper", _unroll_check, ["hypothesis", "simulation"],
    [Step("T steps of depth d", sympy.summation(dd, (sympy.Symbol("i"), 1, T)), T * dd, symbol=T)],
    proof="A path through the composite is a path through each copy in turn; its length is the sum of the parts'.")


def _fixed_steps_check() -> CheckResult:
    fails = []
    rng = np.random.default_rng(3)
    for n in (8, 64, 512):
        step = denoiser(n)
        for t in (1, 2, 4):
            c = unroll(step, t)
            if c.depth() != t:
                fails.append(f"n={n}, T*={t}: depth {c.depth()}")
            x = rng.random((64, n)) < 0.5
            want = x.copy()
            for _ in range(t):
                want = (np.roll(want, 1, 1).astype(int) + want + np.roll(want, -1, 1)) >= 2
            if not (c.compile().run_bool(x) == want).all():
                fails.append(f"n={n}, T*={t}: wrong")
    return CheckResult(not fails, "a majority-smoothing denoiser (one MAJ per bit) at n = 8, 64, 512 unrolled T* = 1, "
                       "2, 4 times: depth T* at every n; outputs against numpy on 64 random states",
                       fails[0] if fails else "")


FIXED_STEPS = Claim(
    "diffusion.fixed_steps", "A sampler of T* denoising steps, each of constant depth d with threshold gates, is one "
    "circuit of depth T* d for every n: with T* independent of n it has constant depth (it stays in TC0).", T * dd,
    "diffusion sampler with T* steps", THRESHOLD, "upper", _fixed_steps_check, ["simulation"],
    [Step("T* d does not depend on n", sympy.diff(T * dd, N), 0)], references=[SSH, PERFECT])


def _serial_evidence() -> CheckResult:
    from serialcomp.measure.accuracy import accuracy

    s5 = get_problem("word:S5")
    acc = accuracy(s5.family("fixed3"), s5, 16, count=128, seed=2).accuracy
    stream = s5.family("stream")
    ok = acc < 1.0 and stream.serial_depth(16) == 2 * 16
    return CheckResult(ok, f"evidence only: word:S5 at n = 16: 3 fixed levels of composition steps answer {acc:.0%} "
                       "right; the loop that is right runs n steps (serial depth 2n = 32)", "" if ok else "unexpected")


CONJECTURE = Claim(
    "diffusion.fixed_steps_conjecture", "Conjecture (follows from TC0 != NC1): no sampler of T* TC0 denoising steps with "
    "T* independent of n solves word:S5 for every n; the steps (the serial depth) must grow with n.",
    sympy.Symbol("omega(1)"), "diffusion sampler, word:S5", THRESHOLD, "conjecture", _serial_evidence,
    ["simulation"], references=[SSH, PERFECT])

CLAIMS = [UNROLL, FIXED_STEPS, CONJECTURE]


def test_claim(claim):
    """Every claim of this group verifies (derivation and check)."""
    result = claim.run()
    assert result.status == "verified", f"{claim.id}: {result.detail}"
