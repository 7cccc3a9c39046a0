"""A weight-tied looped transformer: :class:`LoopedTransformer`.

Embedding, then one block of k pre-norm transformer layers applied L times with the input
injected at every loop, then a readout head:

.. code-block:: text

    e   = Norm(sum_j Embed_j(token_j) [+ P_pos])           one position per element, edge or cell
    h_0 = 0
    h_t = Norm(Block(inject(h_{t-1}, e)))                  t = 1 .. L, the same weights every loop
    inject(h, e) = h + e            (injection="add", Fan et al.)
                 = W [h; e]         (injection="concat", the adapter of Huginn)
    Block = k x [x + Attn(LN(x)); x + MLP(LN(x))]          pre-norm; causal or bidirectional
    logits = Head(h_L)                                     per position, or at the last position / mean

Positions are none (NoPE), rotary (RoPE on queries and keys of every layer, every loop) or learned
absolute embeddings added to e. The latent is normalised after every loop, so it stays bounded
however many loops run, and its relative change is a meaningful fixed-point residual
(:mod:`.halting`).
"""

from __future__ import annotations

from typing import Any, Iterator

from ..device import require_torch
from .config import LoopConfig

torch = require_torch()
nn = torch.nn
F = torch.nn.functional

__all__ = ["LoopedTransformer"]


def _rope(positions: int, dim: int, device: Any, base: float = 10000.0) -> tuple[Any, Any]:
    inv = 1.0 / (base ** (torch.arange(0, dim, 2, device=device, dtype=torch.float32) / dim))
    ang = torch.arange(positions, device=device, dtype=torch.float32)[:, None] * inv[None, :]
    return torch.cos(ang), torch.sin(ang)  # (P, dim/2) each


def _rotate(x: Any, cos: Any, sin: Any) -> Any:
    x1, x2 = x[..., 0::2], x[..., 1::2]
    return torch.stack([x1 * cos - x2 * sin, x1 * sin + x2 * cos], dim=-1).flatten(-2)


class _Layer(nn.Module):
    """One pre-norm transformer layer: attention and MLP, each on a normalised residual stream."""

    def __init__(self, width: int, heads: int, mlp_ratio: int, causal: bool) -> None:
        super().__init__()
        self.heads, self.causal = heads, causal
        self.norm1 = nn.LayerNorm(width)
        self.qkv = nn.Linear(width, 3 * width, bias=False)
        self.proj = nn.Linear(width, width, bias=False)
        self.norm2 = nn.LayerNorm(width)
        self.mlp = nn.Sequential(nn.Linear(width, mlp_ratio * width), nn.GELU(), nn.Linear(mlp_ratio * width, width))

    def forward(self, x: Any, rope: tuple[Any, Any] | None) -> Any:
        B, P, D = x.shape
        q, k, v = self.qkv(self.norm1(x)).view(B, P, 3, self.heads, D // self.heads).permute(2, 0, 3, 1, 4)
        if rope is not None:
            q, k = _rotate(q, *rope), _rotate(k, *rope)
        a = F.scaled_dot_product_attention(q, k, v, is_causal=self.causal)
        x = x + self.proj(a.transpose(1, 2).reshape(B, P, D))
        return x + self.mlp(self.norm2(x))


class LoopedTransformer(nn.Module):
    """The looped transformer of the module docstring, built from a :class:`LoopConfig`.

    Parameters
    ----------
    config : LoopConfig
    vocab : list of str
        The token names the embedding knows (the problem's vocabulary at training size).

    Attributes
    ----------
    causal, per_position : bool
    classes, group : int

    Example
    -------
    >>> from serialcomp.torch.models import get_config
    >>> cfg = get_config("tiny")
    >>> _ = torch.manual_seed(0)
    >>> m = LoopedTransformer(cfg, cfg.task.vocab(cfg.n_train))
    >>> tokens = torch.zeros(3, 6, 1, dtype=torch.long)
    >>> m(tokens, loops=4).shape                       # per-position logits: (batch, positions, classes)
    torch.Size([3, 6, 5])
    >>> [t for t, _ in m.trajectory(tokens, 3)]        # the latent after each loop
    [1, 2, 3]

    Notes
    -----
    One loop costs k layers: O(k (P^2 d + P d^2)) per instance for P positions of width d; L loops
    cost L times that, and training keeps activations of the last ``backprop_loops`` loops only.
    """

    def __init__(self, config: LoopConfig, vocab: list[str]) -> None:
        super().__init__()
        task = config.task
        self.config, self.vocab = config, list(vocab)
        self.causal, self.per_position = config.causal, task.per_position
        self.classes, self.group = task.classes, task.group
        d = config.width
        self.embed = nn.ModuleList([nn.Embedding(len(vocab), d) for _ in range(task.group)])
        self.pos = nn.Embedding(config.max_positions, d) if config.positions == "learned" else None
        self.norm_in = nn.LayerNorm(d)
        self.adapter = nn.Linear(2 * d, d, bias=False) if config.injection == "concat" else None
        self.layers = nn.ModuleList([_Layer(d, config.heads, config.mlp_ratio, self.causal) for _ in range(config.layers)])
        self.norm_out = nn.LayerNorm(d)
        self.head = nn.Linear(d, task.classes)
        self.apply(self._init)

    @staticmethod
    def _init(m: Any) -> None:
        if isinstance(m, (nn.Linear, nn.Embedding)):
            nn.init.normal_(m.weight, std=0.02)
            if getattr(m, "bias", None) is not None:
                nn.init.zeros_(m.bias)

    # -- the pieces ----------------------------------------------------------------------------
    def embed_tokens(self, tokens: Any) -> Any:
        """The injected input e, ``(batch, positions, width)``, from model ids ``(batch, positions, group)``."""
        if tokens.dim() != 3 or tokens.shape[-1] != self.group:
            raise ValueError(f"tokens must have shape (batch, positions, {self.group}), got {tuple(tokens.shape)}")
        e = sum(emb(tokens[..., j]) for j, emb in enumerate(self.embed))
        if self.pos is not None:
            P = tokens.shape[1]
            if P > self.pos.num_embeddings:
                raise ValueError(f"{P} positions exceed the {self.pos.num_embeddings} learned positions of this model")
            e = e + self.pos.weight[:P]
        return self.norm_in(e)

    def rope(self, positions: int, device: Any) -> tuple[Any, Any] | None:
        """The rotary tables for ``positions`` (None unless positions="rope")."""
        if self.config.positions != "rope":
            return None
        return _rope(positions, self.config.width // self.config.heads, device)

    def step(self, h: Any, e: Any, rope: tuple[Any, Any] | None = None) -> Any:
        """One loop: ``Norm(Block(inject(h, e)))``."""
        x = self.adapter(torch.cat([h, e], dim=-1)) if self.adapter is not None else h + e
        for layer in self.layers:
            x = layer(x, rope)
        return self.norm_out(x)

    def readout(self, h: Any) -> Any:
        """Logits from a latent: ``(batch, positions, classes)`` or ``(batch, classes)``."""
        if self.per_position:
            return self.head(h)
        pooled = h[:, -1] if self.config.readout == "last" else h.mean(dim=1)
        return self.head(pooled)

    # -- running -------------------------------------------------------------------------------
    def forward(self, tokens: Any, loops: int, backprop_loops: int | None = None, every_loop: bool = False) -> Any:
        """Logits after ``loops`` loops; gradients flow through the last ``backprop_loops`` only.

        With ``every_loop=True`` the logits after each of those last loops, stacked on a new
        leading axis (deep supervision).
        """
        e = self.embed_tokens(tokens)
        rope = self.rope(tokens.shape[1], tokens.device)
        h = torch.zeros_like(e)
        m = loops if backprop_loops is None else min(loops, backprop_loops)
        with torch.no_grad():
            for _ in range(loops - m):
                h = self.step(h, e.detach(), rope)
        outs = []
        for _ in range(m):
            h = self.step(h, e, rope)
            if every_loop:
                outs.append(self.readout(h))
        return torch.stack(outs) if every_loop else self.readout(h)

    def trajectory(self, tokens: Any, loops: int) -> Iterator[tuple[int, Any]]:
        """Yield ``(t, h_t)`` for t = 1 .. loops (no gradients kept by the caller's context)."""
        e = self.embed_tokens(tokens)
        rope = self.rope(tokens.shape[1], tokens.device)
        h = torch.zeros_like(e)
        for t in range(1, loops + 1):
            h = self.step(h, e, rope)
            yield t, h

    def n_parameters(self) -> int:
        """Number of trainable parameters."""
        return sum(p.numel() for p in self.parameters() if p.requires_grad)
