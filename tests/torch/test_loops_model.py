"""LoopedTransformer: the masks and position encodings do what they claim, truncated backprop
computes the gradient of the last loops only, and the tasks read the problems' own tokens."""

from __future__ import annotations

import numpy as np
import pytest

torch = pytest.importorskip("torch")

from serialcomp.errors import ProblemParameterError  # noqa: E402
from serialcomp.problems import get_problem  # noqa: E402
from serialcomp.torch.models import LoopConfig, LoopedTransformer, get_config, get_task  # noqa: E402

pytestmark = pytest.mark.usefixtures("torch_one_thread")


def _model(device, seed=0, **fields):
    base = dict(problem="word:S3", n_train=6, params={"prefix": True}, width=32, heads=2, layers=2, loops_train=4,
                backprop_loops=4, steps=1)
    cfg = LoopConfig(**{**base, **fields})
    torch.manual_seed(seed)
    m = LoopedTransformer(cfg, cfg.task.vocab(cfg.n_train)).double().to(device).eval()
    with torch.no_grad():  # larger weights than the init, so that every position matters
        for p in m.parameters():
            if p.dim() >= 2:
                p.normal_(0, 0.3)
    return m


def _tokens(device, batch=5, positions=7, vocab=6, seed=1):
    g = torch.Generator().manual_seed(seed)
    return torch.randint(0, vocab, (batch, positions, 1), generator=g).to(device)


@pytest.mark.parametrize("positions", ["none", "rope", "learned"])
def test_causal_attention_never_looks_ahead(device, positions):
    """Theorem: with causal attention, the output at position i depends on tokens 0..i only, after
    any number of loops (each loop is causal and the injection is per position)."""
    m = _model(device, positions=positions, attention="causal")
    tok = _tokens(device)
    base = m(tok, loops=4)
    for j in range(tok.shape[1]):
        changed = tok.clone()
        changed[:, j, 0] = (changed[:, j, 0] + 1) % 6
        out = m(changed, loops=4)
        assert torch.allclose(out[:, :j], base[:, :j], atol=1e-12), j  # earlier positions unchanged
        assert not torch.allclose(out[:, j:], base[:, j:], atol=1e-6)   # position j itself sees it


def test_bidirectional_attention_looks_everywhere(device):
    m = _model(device, attention="bidirectional")
    tok = _tokens(device)
    base = m(tok, loops=2)
    changed = tok.clone()
    changed[:, -1, 0] = (changed[:, -1, 0] + 1) % 6
    assert not torch.allclose(m(changed, loops=2)[:, 0], base[:, 0], atol=1e-6)


def test_no_positions_with_bidirectional_attention_is_permutation_equivariant(device):
    """Theorem: without position encodings, bidirectional attention, injection and the MLP commute
    with permuting the positions; RoPE and learned positions break that (they encode order)."""
    perm = torch.tensor([3, 0, 6, 1, 5, 2, 4])
    tok = _tokens(device)
    for positions, equivariant in (("none", True), ("rope", False), ("learned", False)):
        m = _model(device, positions=positions, attention="bidirectional")
        out, out_p = m(tok, loops=3), m(tok[:, perm], loops=3)
        assert torch.allclose(out[:, perm], out_p, atol=1e-10) == equivariant, positions


def test_rope_is_relative(device):
    """Theorem: rotary tables make an attention score depend on the offset of the two positions
    only, <R(i) q, R(j) k> = <R(i + s) q, R(j + s) k>, which is what lets RoPE reach lengths
    beyond training."""
    from serialcomp.torch.models.transformer import _rope, _rotate

    cos, sin = _rope(12, 8, device)
    q, k = torch.randn(8, device=device), torch.randn(8, device=device)
    rot = lambda x, i: _rotate(x[None], cos[i:i + 1], sin[i:i + 1])[0]  # noqa: E731
    for i, j, s in ((1, 4, 3), (0, 7, 4), (5, 2, 6)):
        assert torch.allclose(rot(q, i) @ rot(k, j), rot(q, i + s) @ rot(k, j + s), atol=1e-5)


def test_learned_positions_refuse_longer_inputs(device):
    m = _model(device, positions="learned", max_positions=5)
    with pytest.raises(ValueError, match="learned positions"):
        m(_tokens(device, positions=6), loops=1)


@pytest.mark.parametrize("injection", ["add", "concat"])
def test_forward_is_the_loop_of_steps(device, injection):
    """forward(L) applies the same block L times to (h, e) from h_0 = 0: checked against a
    hand-written loop, for both injections, and the input is injected at every loop."""
    m = _model(device, injection=injection)
    tok = _tokens(device)
    e = m.embed_tokens(tok)
    h = torch.zeros_like(e)
    for t in range(1, 6):
        x = m.adapter(torch.cat([h, e], -1)) if injection == "concat" else h + e
        for layer in m.layers:
            x = layer(x, m.rope(tok.shape[1], tok.device))
        h = m.norm_out(x)
        assert torch.allclose(m(tok, loops=t), m.head(h), atol=1e-12)
    # without re-injection the next loop would differ: e matters at loop 2
    h1 = m.step(torch.zeros_like(e), e, m.rope(tok.shape[1], tok.device))
    assert not torch.allclose(m.step(h1, e, None), m.step(h1, torch.zeros_like(e), None))


def test_truncated_backprop_is_the_gradient_of_the_last_loops(device):
    """With backprop_loops = m, the gradient equals that of the last m loops applied to the
    detached latent after L - m loops (computed here by hand); the forward value is unchanged."""
    m = _model(device)
    tok = _tokens(device)
    L, k = 5, 2
    full = m(tok, loops=L, backprop_loops=L)
    trunc = m(tok, loops=L, backprop_loops=k)
    assert torch.allclose(full, trunc, atol=1e-12)
    m.zero_grad()
    trunc.square().sum().backward()
    got = [p.grad.clone() for p in m.parameters()]
    m.zero_grad()
    e = m.embed_tokens(tok)
    rope = m.rope(tok.shape[1], tok.device)
    with torch.no_grad():
        h = torch.zeros_like(e)
        for _ in range(L - k):
            h = m.step(h, e, rope)
    for _ in range(k):
        h = m.step(h, e, rope)
    m.head(h).square().sum().backward()
    want = [p.grad.clone() if p.grad is not None else torch.zeros_like(p) for p in m.parameters()]
    for a, b in zip(got, want):
        assert torch.allclose(a, b, atol=1e-10)
    m.zero_grad()
    full.square().sum().backward()  # and the full gradient is a different one
    assert any(not torch.allclose(p.grad, g, atol=1e-8) for p, g in zip(m.parameters(), got))


def test_deep_supervision_returns_every_backprop_loop(device):
    m = _model(device)
    tok = _tokens(device)
    every = m(tok, loops=5, backprop_loops=3, every_loop=True)
    assert every.shape[0] == 3
    for i, t in enumerate((3, 4, 5)):
        assert torch.allclose(every[i], m(tok, loops=t), atol=1e-12)


@pytest.mark.parametrize("key, params, n", [("word:S3", {"prefix": True}, 6), ("word:S5", {}, 5), ("parity", {}, 9),
                                            ("ca:rule110", {"t": 3}, 8)])
def test_tokens_are_the_problems_own_and_the_datasets(key, params, n):
    """The model reads the tokens of the problem's encode_tokens, which are those the torch Dataset
    wrapper yields; labels are the stored targets."""
    from serialcomp.problems.dataset import make_dataset

    task = get_task(key, params)
    inst = task.sample(n, 4, seed=3)
    tok, lab = task.encode(inst, task.vocab(n))
    ds = make_dataset(key, n, 4, seed=3, target=task.target, **params)
    for i in range(4):
        assert tok[i, :, 0].tolist() == ds[i]["tokens"].tolist()
        assert np.asarray(lab[i]).tolist() == ds[i]["target"].tolist()


def test_graph_tokens_are_one_position_per_edge():
    task = get_task("reach:flower")
    inst = task.sample(9, 3, seed=0)
    tok = task.tokens(inst, task.vocab(9))
    vocab = task.vocab(9)
    edges = inst.inputs["edges"]
    assert tok.shape == (3, edges.shape[1] + 2, 2)
    assert [[vocab[i] for i in pair] for pair in tok[0, : edges.shape[1]].tolist()] == edges[0].astype(str).tolist()
    assert [vocab[i] for i in tok[0, -2]] == ["|", str(inst.inputs["source"][0])]
    assert [vocab[i] for i in tok[0, -1]] == inst.inputs["targets"][0].astype(str).tolist()
    path = get_task("reach:path")  # an odd token count: the last position is padded
    p_inst = path.sample(10, 2, seed=0)
    p_tok = path.tokens(p_inst, path.vocab(10))
    assert path.vocab(10)[p_tok[0, -1, 1]] == "<pad>"


def test_tokens_are_mapped_by_name_across_sizes():
    """Graph separators move with n ('|' is id 2n); by name they stay one model token. A node label
    the model never had is refused, not silently aliased."""
    task = get_task("reach:flower")
    small, big = task.vocab(9), task.vocab(12)
    inst = task.sample(9, 2, seed=1)
    assert [small[i] for i in task.tokens(inst, small).ravel()] == [big[i] for i in task.tokens(inst, big).ravel()]
    with pytest.raises(ProblemParameterError, match="not in the model's vocabulary"):
        task.tokens(task.sample(12, 2, seed=1), small)


def test_unsupported_problems_and_bad_configs_are_refused():
    with pytest.raises(ProblemParameterError, match="looped models read"):
        get_task("cvp")
    with pytest.raises(ProblemParameterError, match="unknown parameter"):
        get_task("word:S3", {"prefx": True})
    with pytest.raises(ProblemParameterError, match="multiple of 2 \\* heads"):
        get_config("tiny", width=30, heads=4)
    with pytest.raises(ProblemParameterError, match="loops_min"):
        get_config("tiny", loops_min=9)
    with pytest.raises(ProblemParameterError, match="positions"):
        get_config("tiny", positions="alibi")
    with pytest.raises(ProblemParameterError, match="too large|must be"):
        get_config("tiny", n_train=0)
    with pytest.raises(ProblemParameterError, match="unknown loops config field"):
        LoopConfig.from_dict({"colour": "red"})
    assert LoopConfig.from_dict(get_config("quick").to_dict()) == get_config("quick")


def test_every_preset_is_a_valid_config_for_its_problem():
    from serialcomp.torch.models import CONFIGS

    for name in CONFIGS:
        cfg = get_config(name)
        problem = get_problem(cfg.problem)
        assert cfg.n_train >= problem.min_n
        assert cfg.loops_min <= cfg.loops_train and cfg.study_loops >= cfg.loops_train
