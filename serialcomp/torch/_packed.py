"""Packed mode: a leveled circuit evaluated on int64 words of 64 patterns, level by level (private).

Per level and per gate group: gather the operand rows (``index_select``), apply the negation
masks, combine them (a log-depth bitwise reduction for AND and XOR, a carry-save counter for THR
and MOD, see :mod:`._bitsliced`), apply the output negation, and write the results into their
slots (``index_copy_``). The words are the simulator's layout viewed as int64 (bit 63 is the sign
bit; every operation is bitwise, so the sign never matters).
"""

from __future__ import annotations

from typing import Any

import numpy as np

from ._bitsliced import count_bits, equals_any, reduce_bits, threshold_rows
from ._levels import Group, LeveledCircuit
from ._tensors import FlatTensors

__all__: list[str] = []


def _pow2(f: int) -> int:
    return 1 << max(0, int(f - 1).bit_length())


def _mask(bits: np.ndarray) -> np.ndarray:
    """0/1 -> 0/-1 (all ones) int64, the word to XOR for a negation bit."""
    return -np.asarray(bits, dtype=np.int64)


def _logic(g: Group) -> dict[str, np.ndarray]:
    G, F = g.ops.shape
    Fp = _pow2(F)
    ops = np.zeros((G, Fp), np.int64)
    neg = np.full((G, Fp), 1 if g.kind == "and" else 0, np.int64)  # padding: ones (AND), zeros (XOR)
    ops[:, :F] = g.ops
    neg[:, :F] = g.neg
    return {"idx": ops.ravel(), "negm": _mask(neg)[:, :, None], "outm": _mask(g.out_neg)[:, None], "dst": g.dst}


def _rows_by_bit(g: Group, weights: np.ndarray, levels: int, extra: np.ndarray | None) -> tuple[np.ndarray, ...]:
    """Operand rows laid out by weight bit: slots and negations (G, levels, R), zero-padded.

    Row ``r`` of level ``k`` of gate ``i`` is an operand whose weight has bit ``k`` set; ``extra``
    (G,) adds the all-ones row (slot 0 negated) at the bits of each value (the counter's start).
    """
    G, F = g.ops.shape
    bits = ((weights[:, :, None] >> np.arange(levels)[None, None, :]) & 1).astype(bool)  # (G, F, L)
    pos = np.cumsum(bits, axis=1) - 1
    counts = bits.sum(axis=1)  # (G, L)
    extra_bits = (((extra[:, None] >> np.arange(levels)[None, :]) & 1).astype(bool) if extra is not None
                  else np.zeros((G, levels), bool))
    R = max(1, int((counts + extra_bits).max(initial=0)))
    slots = np.zeros((G, levels, R), np.int64)
    negs = np.zeros((G, levels, R), np.int64)
    i, j, k = np.nonzero(bits)
    slots[i, k, pos[i, j, k]] = g.ops[i, j]
    negs[i, k, pos[i, j, k]] = g.neg[i, j]
    i, k = np.nonzero(extra_bits)
    negs[i, k, counts[i, k]] = 1  # slot 0 negated: all ones
    return slots, negs


def _thr(g: Group) -> dict[str, np.ndarray]:
    T = g.param
    B = max(1, int(max(int(t - 1).bit_length() for t in T.tolist())))  # least B with 2**B >= T, for all
    c0 = (np.int64(1) << B) - T
    w = g.weights.copy()
    alone = w >= (np.int64(1) << B)  # only w = T = 2**B: that operand reaches the threshold by itself
    w[alone] = 0
    slots, negs = _rows_by_bit(g, w, B, c0)
    G = g.ops.shape[0]
    n_alone = max(1, int(alone.sum(axis=1).max()))
    ovf = np.zeros((G, n_alone), np.int64)
    ovf_neg = np.zeros((G, n_alone), np.int64)
    i, j = np.nonzero(alone)
    pos = (np.cumsum(alone, axis=1) - 1)[i, j]
    ovf[i, pos] = g.ops[i, j]
    ovf_neg[i, pos] = g.neg[i, j]
    return {"idx": slots.ravel(), "negm": _mask(negs)[..., None], "ovf": ovf.ravel(),
            "ovfm": _mask(ovf_neg)[..., None], "dst": g.dst}


def _mod(g: Group) -> dict[str, np.ndarray]:
    cnt = (g.weights > 0).sum(axis=1)
    B = max(1, int(cnt.max()).bit_length())
    slots, negs = _rows_by_bit(g, g.weights, B, None)
    m = g.param
    K = int((cnt // m).max()) + 1
    j = np.arange(K)
    values = j[None, :] * m[:, None]  # (G, K) multiples of m
    valid = values <= cnt[:, None]
    bits = (values[:, :, None] >> np.arange(B)[None, None, :]) & 1
    return {"idx": slots.ravel(), "negm": _mask(negs)[..., None], "targets": _mask(bits),
            "valid": _mask(valid)[..., None], "dst": g.dst}


def build(leveled: LeveledCircuit) -> tuple[FlatTensors, list[tuple[str, tuple[int, ...]]]]:
    """Flat tensors and the per-group schedule ``(kind, shape)`` of a packed program."""
    flat = FlatTensors()
    schedule: list[list[tuple[str, int, tuple[int, ...]]]] = []
    for level in leveled.levels:
        steps = []
        for g in level:
            if g.kind in ("and", "xor"):
                fields = _logic(g)
                shape = (g.size, fields["negm"].shape[1])
            elif g.kind == "thr":
                fields = _thr(g)
                shape = fields["negm"].shape[:3]
            else:
                fields = _mod(g)
                shape = fields["negm"].shape[:3]
            steps.append((g.kind, flat.add(**fields), shape))
        schedule.append(steps)
    flat.add(input_slot=np.flatnonzero(leveled.input_slot >= 0), input_dst=leveled.input_slot[leveled.input_slot >= 0],
             out_slot=leveled.out_slot, out_negm=_mask(leveled.out_neg)[:, None])
    return flat, schedule


def run_block(S: Any, views: list[dict[str, Any]], schedule: list[Any], budget_rows: int) -> None:
    """Evaluate every level on the slot tensor ``S`` (n_slots, W) in place."""
    W = S.shape[1]
    for steps in schedule:
        for kind, gi, shape in steps:
            v = views[gi]
            if kind == "and" or kind == "xor":
                G, F = shape
                x = S.index_select(0, v["idx"]).view(G, F, W) ^ v["negm"]
                r = reduce_bits(x, kind, dim=1) ^ v["outm"]
            else:
                G, B, R = shape
                step = max(1, budget_rows // max(1, B * R))  # gates per chunk, to bound the counter's memory
                parts = []
                for a in range(0, G, step):
                    b = min(G, a + step)
                    idx = v["idx"].narrow(0, a * B * R, (b - a) * B * R)
                    X = S.index_select(0, idx).view(b - a, B, R, W) ^ v["negm"][a:b]
                    if kind == "thr":
                        n_alone = v["ovfm"].shape[1]
                        o = S.index_select(0, v["ovf"].narrow(0, a * n_alone, (b - a) * n_alone))
                        o = reduce_bits(o.view(b - a, n_alone, W) ^ v["ovfm"][a:b], "or", dim=1)
                        parts.append(threshold_rows(X, o))
                    else:
                        parts.append(equals_any(count_bits(X), v["targets"][a:b], v["valid"][a:b]))
                r = parts[0] if len(parts) == 1 else __import__("torch").cat(parts, dim=0)
            S.index_copy_(0, v["dst"], r)
