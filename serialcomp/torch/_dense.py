"""Dense mode: a leveled circuit as a network of threshold units on float {0, 1} tensors (private).

Every gate is a weighted sum of its operands plus a bias, followed by a Heaviside step
``out = [s >= t]``; the units of one circuit level form one layer. A negated operand ``1 - x``
contributes weight ``-w`` and bias ``+w``; a negated gate ``not [s >= t]`` is ``[-s >= 1 - t]``.

* AND of ``f`` operands: unit weights, ``t = f``. OR was rewritten as a negated AND.
* THR (and MAJ): its normalised weights and threshold ``T``.
* XOR of ``f`` operands: two threshold layers. The hidden units ``h_k = [s >= k]``, ``k = 1 .. f``
  (``s`` the number of true operands) count in unary, and
  ``parity = [sum_k (-1)**(k + 1) h_k >= 1]``: the alternating sum is 1 when ``s`` is odd, 0 when
  even.
* MOD_m of ``f`` operands: the same hidden units with ``h_0 = 1``, and
  ``[s = 0 mod m] = [sum_j (h_{jm} - h_{jm + 1}) >= 1]``: exactly one term ``h_{jm} - h_{jm+1}``
  is 1, the one with ``jm = s``, when ``m`` divides ``s``; all are 0 otherwise.

So a circuit of depth ``d`` is a network of at most ``2 d`` threshold layers (exactly ``d`` when
it has no XOR or MOD gate): a constant-depth threshold circuit is literally a fixed-depth network.

Exactness: sums of integer weights times {0, 1} are exact in float32 while every partial sum
stays at most ``2**24`` in magnitude; with positive normalised weights every partial sum of a gate
lies in ``[-S, S]``, ``S`` the sum of its weights, so gates with ``S > 2**24`` are refused.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from ..errors import CircuitStructureError
from ._levels import Group, LeveledCircuit
from ._tensors import FlatTensors

__all__: list[str] = []

EXACT_LIMIT = 2**24
"""Float32 holds every integer of magnitude at most 2**24 exactly."""


def _affine(g: Group) -> tuple[np.ndarray, np.ndarray]:
    """Effective weights (G, F) and biases (G,) of the operand sum, negations folded in."""
    w = g.weights.astype(np.int64)
    sign = 1 - 2 * g.neg  # a negated operand 1 - x: weight -w, bias +w
    return w * sign, (w * g.neg).sum(axis=1)


def _check_exact(g: Group) -> None:
    if not g.size:
        return
    total = g.weights.sum(axis=1, dtype=np.float64)  # only compared with 2**24: float64 is precise enough
    worst = int(np.argmax(total))
    if total[worst] > EXACT_LIMIT:
        raise CircuitStructureError(
            f"dense mode: a {g.kind.upper()} gate (slot {int(g.dst[worst])}) has weights summing to {int(g.weights[worst].sum())}, "
            f"more than 2**24, the largest integer sum float32 holds exactly; use mode='packed' (exact for every "
            "circuit)")


def _one_layer(g: Group) -> dict[str, np.ndarray]:
    w, bias = _affine(g)
    thr = g.param if g.kind == "thr" else g.weights.sum(axis=1)  # AND: all real operands
    neg = g.out_neg.astype(bool)
    w = np.where(neg[:, None], -w, w)
    bias = np.where(neg, -bias, bias)
    thr = np.where(neg, 1 - thr, thr)
    return {"idx": g.ops.ravel(), "w": w.astype(np.float32), "bias": bias.astype(np.float32)[:, None],
            "thr": thr.astype(np.float32)[:, None], "dst": g.dst}


def _two_layers(g: Group) -> dict[str, np.ndarray]:
    w, bias = _affine(g)
    G, F = g.ops.shape
    if g.kind == "xor":
        ks = np.broadcast_to(np.arange(1, F + 1), (G, F))
        coef = np.broadcast_to(np.where(np.arange(1, F + 1) % 2 == 1, 1, -1), (G, F)).copy()
        t2 = np.ones(G, np.int64)
        neg = g.out_neg.astype(bool)
        coef = np.where(neg[:, None], -coef, coef)
        t2 = np.where(neg, 0, t2)
    else:
        ks = np.broadcast_to(np.arange(0, F + 1), (G, F + 1))
        coef = np.zeros((G, F + 1), np.int64)
        for i, m in enumerate(g.param.tolist()):
            for jm in range(0, F + 1, m):
                coef[i, jm] += 1
                if jm + 1 <= F:
                    coef[i, jm + 1] -= 1
        t2 = np.ones(G, np.int64)
    return {"idx": g.ops.ravel(), "w": w.astype(np.float32), "bias": bias.astype(np.float32)[:, None],
            "ks": np.ascontiguousarray(ks, dtype=np.float32)[:, :, None],
            "coef": coef.astype(np.float32), "thr": t2.astype(np.float32)[:, None], "dst": g.dst}


def build(leveled: LeveledCircuit) -> tuple[FlatTensors, list[Any], int]:
    """Flat tensors, the schedule, and the number of threshold layers of the network."""
    flat = FlatTensors()
    schedule = []
    layers = 0
    for level in leveled.levels:
        steps = []
        deep = False
        for g in level:
            _check_exact(g)
            if g.kind in ("and", "thr"):
                fields = _one_layer(g)
                steps.append(("unit", flat.add(**fields), g.ops.shape))
            else:
                fields = _two_layers(g)
                steps.append(("unary", flat.add(**fields), g.ops.shape + (fields["ks"].shape[1],)))
                deep = True
        layers += 2 if deep else 1
        schedule.append(steps)
    flat.add(input_slot=np.flatnonzero(leveled.input_slot >= 0), input_dst=leveled.input_slot[leveled.input_slot >= 0],
             out_slot=leveled.out_slot, out_neg=leveled.out_neg.astype(np.float32)[:, None])
    return flat, schedule, layers


def run_block(X: Any, views: list[dict[str, Any]], schedule: list[Any]) -> None:
    """Evaluate every layer on the value tensor ``X`` (n_slots, batch) in place."""
    import torch

    batch = X.shape[1]
    for steps in schedule:
        for kind, gi, shape in steps:
            v = views[gi]
            G, F = shape[0], shape[1]
            x = X.index_select(0, v["idx"]).view(G, F, batch)
            s = torch.einsum("gfb,gf->gb", x, v["w"]) + v["bias"]  # the weighted sums, exact integers
            if kind == "unit":
                out = (s >= v["thr"]).to(X.dtype)
            else:
                h = (s[:, None, :] >= v["ks"]).to(X.dtype)  # hidden layer: h_k = [s >= k]
                out = (torch.einsum("ghb,gh->gb", h, v["coef"]) >= v["thr"]).to(X.dtype)
            X.index_copy_(0, v["dst"], out)
