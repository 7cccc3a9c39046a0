"""Halting rules against one-instance-at-a-time references: fixed L, the damped fixed point (per
lane, with the FPRM step-size decay) and the most confident loop."""

from __future__ import annotations

import pytest

torch = pytest.importorskip("torch")

from serialcomp.errors import ProblemParameterError  # noqa: E402
from serialcomp.torch.models import HaltRule, LoopedTransformer, get_config, run_loops  # noqa: E402

pytestmark = pytest.mark.usefixtures("torch_one_thread")


@pytest.fixture(scope="module")
def model():
    """An untrained tiny model with large weights (double precision): its latents take between a few
    and a few hundred loops to settle, and some never do within the budget."""
    cfg = get_config("tiny")
    torch.manual_seed(0)
    m = LoopedTransformer(cfg, cfg.task.vocab(cfg.n_train)).double().eval()
    with torch.no_grad():
        for p in m.parameters():
            if p.dim() >= 2:
                p.normal_(0, 0.5)
    return m


def _tokens(batch=12, positions=6, seed=0):
    return torch.randint(0, 5, (batch, positions, 1), generator=torch.Generator().manual_seed(seed))


def _reference_fixed_point(m, tok, rule):
    """One instance, plain Python control flow: the rule of the halting module docstring."""
    e = m.embed_tokens(tok[None])
    rope = m.rope(tok.shape[0], tok.device)
    h = torch.zeros_like(e)
    a, best, wait = rule.damping, float("inf"), 0
    for t in range(1, rule.loops + 1):
        f = m.step(h, e, rope)
        res = float(((f - h).norm(dim=-1) / (f.norm(dim=-1) + 1e-8)).max())
        h = a * f + (1 - a) * h
        if res < rule.eps:
            return t, True, m.readout(h)[0]
        if res < best:
            best, wait = res, 0
        else:
            wait += 1
            if wait >= rule.patience:
                a, wait = a * rule.decay, 0
    return rule.loops, False, m.readout(h)[0]


@pytest.mark.parametrize("damping, decay, patience", [(1.0, 1.0, 5), (0.5, 0.9, 3), (1.0, 0.7, 2)])
@torch.no_grad()
def test_fixed_point_halts_each_lane_like_the_one_instance_reference(model, damping, decay, patience):
    rule = HaltRule("fixed-point", 80, eps=1e-3, damping=damping, decay=decay, patience=patience)
    tok = _tokens(10)
    run = run_loops(model, tok, rule)
    used = run.loops_used.tolist()
    assert len(set(used)) > 3 and run.halted.any(), "the lanes should halt at different loops"
    for i in range(len(tok)):
        t, halted, logits = _reference_fixed_point(model, tok[i], rule)
        assert used[i] == t and bool(run.halted[i]) == halted, i
        if halted:  # a lane that never settles is chaotic: rounding differences of the batch grow
            assert torch.allclose(run.logits[i], logits, atol=1e-9), i


@torch.no_grad()
def test_fixed_point_reports_lanes_that_never_settle(model):
    run = run_loops(model, _tokens(), HaltRule("fixed-point", 3, eps=1e-12))
    assert run.loops_used.tolist() == [3] * 12 and not run.halted.any()


@torch.no_grad()
def test_fixed_rule_and_per_loop_predictions(model):
    tok = _tokens()
    run = run_loops(model, tok, HaltRule("fixed", 7), keep_per_loop=True)
    assert run.loops_used.tolist() == [7] * 12 and run.halted.all()
    for t in range(1, 8):
        assert torch.equal(run.per_loop[t - 1], model(tok, loops=t).argmax(-1)), t
    assert torch.allclose(run.logits, model(tok, loops=7))


@torch.no_grad()
def test_confidence_picks_the_most_confident_loop(model):
    """Fan et al.'s rule: per instance the loop maximising the mean log max-softmax, earliest on ties."""
    tok = _tokens()
    L = 9
    run = run_loops(model, tok, HaltRule("confidence", L))
    logits = [model(tok, loops=t) for t in range(1, L + 1)]
    for i in range(len(tok)):
        conf = [float(torch.log_softmax(lg[i], -1).max(-1).values.mean()) for lg in logits]
        t = max(range(L), key=lambda k: (conf[k], -k)) + 1
        assert int(run.loops_used[i]) == t
        assert torch.allclose(run.logits[i], logits[t - 1][i])
    assert len(set(run.loops_used.tolist())) > 1


def test_bad_rules_are_refused():
    for kwargs, match in ((dict(kind="early"), "halt must be one of"), (dict(loops=0), "loops"),
                          (dict(kind="fixed-point", damping=0), "damping"), (dict(decay=1.5), "decay"),
                          (dict(eps=-1), "eps"), (dict(patience=0), "patience")):
        with pytest.raises(ProblemParameterError, match=match):
            HaltRule(**kwargs)
