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

from ._bitsliced import at_least, count_bits, equals_any, reduce_bits, threshold_rows
from ._levels import Group, LeveledCircuit
from ._tensors import FlatTensors

__all__: list[str] = []


def _pow2(f: int) -> int:
    return 1 << max(0, int(f - 1).bit_length())


def _mask(bits: np.ndarray) -> np.ndarray:
    """0/1 -> 0/-1 (all ones) int64, the word to XOR for a negation bit."""
    return -np.asarray(bits, dtype=np.int64)


def _logic(g: Group) -> tuple[str, dict[str, np.ndarray]]:
    """An AND or XOR group, with its negations folded where they can be.

    XOR: ``XOR(x_i ^ n_i) = XOR(x_i) ^ XOR(n_i)``, so the operand negations move into the output
    negation. AND whose real operands are all negated (an OR after the lowering):
    ``AND(~x_i) = ~OR(x_i)``. Only an AND with mixed negations XORs a mask into its operands.
    Returns the kind to run ("and", "or", "xor", or "andm": AND with a mask) and the fields.
    """
    G, F = g.ops.shape
    Fp = _pow2(F)
    real = g.weights > 0
    ops = np.zeros((G, Fp), np.int64)
    neg = np.zeros((G, Fp), np.int64)
    ops[:, :F] = g.ops
    neg[:, :F] = g.neg
    out_neg = g.out_neg.copy()
    if g.kind == "xor":
        out_neg ^= (neg.sum(axis=1) & 1)
        kind, neg = "xor", None  # padding: slot 0, zero
    elif bool((neg[:, :F][real] == 1).all()):
        kind = "or"
        out_neg ^= 1
        ops[:, :F][~real] = 0  # padding of an OR: zeros
        neg = None
    else:
        kind = "and" if not neg.any() else "andm"
        ops[:, F:] = 1  # padding of an AND: ones
    fields = {"idx": ops.ravel(), "dst": g.dst}
    if out_neg.any():
        fields["outm"] = _mask(out_neg)[:, None]
    if neg is not None and neg.any():
        fields["negm"] = _mask(neg)[:, :, None]
    return kind, fields


def _rows_by_bit(g: Group, weights: np.ndarray, levels: int, extra: np.ndarray | None) -> tuple[np.ndarray, ...]:
    """Operand rows laid out by weight bit, level after level: slots and negations (G, sum R_k),
    and the row counts ``R_k`` (each the most any gate of the group has at level ``k``).

    Row ``r`` of level ``k`` of gate ``i`` is an operand whose weight has bit ``k`` set; ``extra``
    (G,) adds the all-ones row (slot 1) at the bits of each value (the counter's start);
    padding rows are slot 0, not negated: zero.
    """
    G, F = g.ops.shape
    bits = ((weights[:, :, None] >> np.arange(levels)[None, None, :]) & 1).astype(bool)  # (G, F, L)
    pos = np.cumsum(bits, axis=1) - 1
    counts = bits.sum(axis=1)  # (G, L)
    extra_bits = (((extra[:, None] >> np.arange(levels)[None, :]) & 1).astype(bool) if extra is not None
                  else np.zeros((G, levels), bool))
    per_level = (counts + extra_bits).max(axis=0) if G else np.zeros(levels, np.int64)  # R_k
    offset = np.concatenate([[0], np.cumsum(per_level)])
    width = max(1, int(offset[-1]))
    slots = np.zeros((G, width), np.int64)
    negs = np.zeros((G, width), np.int64)
    i, j, k = np.nonzero(bits)
    col = offset[k] + pos[i, j, k]
    slots[i, col] = g.ops[i, j]
    negs[i, col] = g.neg[i, j]
    i, k = np.nonzero(extra_bits)
    slots[i, offset[k] + counts[i, k]] = 1  # slot 1: all ones
    return slots, negs, tuple(int(r) for r in per_level)


def _thr(g: Group) -> tuple[dict[str, np.ndarray], tuple[int, ...]]:
    T = g.param
    B = max(1, int(max(int(t - 1).bit_length() for t in T.tolist())))  # least B with 2**B >= T, for all
    c0 = (np.int64(1) << B) - T
    w = g.weights.copy()
    alone = w >= (np.int64(1) << B)  # only w = T = 2**B: that operand reaches the threshold by itself
    w[alone] = 0
    slots, negs, per_level = _rows_by_bit(g, w, B, c0)
    G = g.ops.shape[0]
    n_alone = max(1, int(alone.sum(axis=1).max()))
    ovf = np.zeros((G, n_alone), np.int64)
    ovf_neg = np.zeros((G, n_alone), np.int64)
    i, j = np.nonzero(alone)
    pos = (np.cumsum(alone, axis=1) - 1)[i, j]
    ovf[i, pos] = g.ops[i, j]
    ovf_neg[i, pos] = g.neg[i, j]
    return ({"idx": slots.ravel(), "negm": _mask(negs)[..., None], "ovf": ovf.ravel(),
             "ovfm": _mask(ovf_neg)[..., None], "dst": g.dst}, per_level)


def _shared_sums(g: Group) -> tuple[np.ndarray, np.ndarray] | None:
    """Gates of a THR group that add the same weighted operands (up to order) and differ only in
    their thresholds: the distinct sums (as a smaller group's operands) and each gate's sum index.

    Threshold families such as ``[sum x >= k]`` for every k read one sum many times; counting it
    once and comparing it with each threshold is then far cheaper. ``None`` when sharing would
    save less than half the counting.
    """
    order = np.lexsort((g.weights, g.neg, g.ops), axis=1) if g.ops.size else None
    if order is None:
        return None
    rows = np.concatenate([np.take_along_axis(a, order, axis=1) for a in (g.ops, g.neg, g.weights)], axis=1)
    uniq, inverse = np.unique(rows, axis=0, return_inverse=True)
    if 2 * len(uniq) > g.size:
        return None
    return uniq, inverse.reshape(-1)


def _thr_shared(g: Group, uniq: np.ndarray, inverse: np.ndarray) -> tuple[dict[str, np.ndarray], tuple[int, ...]]:
    """THR gates over shared sums: count each distinct sum once, then compare it with each threshold."""
    F = g.ops.shape[1]
    ops, neg, w = uniq[:, :F], uniq[:, F : 2 * F], uniq[:, 2 * F :]
    B = max(1, int(w.sum(axis=1).max()).bit_length())  # bits of the largest sum
    pseudo = Group("thr", np.zeros(len(uniq), np.int64), ops, neg, np.zeros(len(uniq), np.int64), w,
                   np.zeros(len(uniq), np.int64))
    slots, negs, per_level = _rows_by_bit(pseudo, w, B, None)
    tbits = (g.param[:, None] >> np.arange(B)[None, :]) & 1
    return ({"idx": slots.ravel(), "negm": _mask(negs)[..., None], "sum_of": inverse.astype(np.int64),
             "tbits": _mask(tbits)[:, :, None], "dst": g.dst}, per_level)


def _mod(g: Group) -> tuple[dict[str, np.ndarray], tuple[int, ...]]:
    cnt = (g.weights > 0).sum(axis=1)
    B = max(1, int(cnt.max()).bit_length())
    slots, negs, per_level = _rows_by_bit(g, g.weights, B, None)
    m = g.param
    K = int((cnt // m).max()) + 1
    j = np.arange(K)
    values = j[None, :] * m[:, None]  # (G, K) multiples of m
    valid = values <= cnt[:, None]
    bits = (values[:, :, None] >> np.arange(B)[None, None, :]) & 1
    return ({"idx": slots.ravel(), "negm": _mask(negs)[..., None], "targets": _mask(bits),
             "valid": _mask(valid)[..., None], "dst": g.dst}, per_level)


def build(leveled: LeveledCircuit) -> tuple[FlatTensors, list[tuple[str, tuple[int, ...]]]]:
    """Flat tensors and the per-group schedule ``(kind, shape)`` of a packed program."""
    flat = FlatTensors()
    schedule: list[list[tuple[str, int, tuple[int, ...]]]] = []
    for level in leveled.levels:
        steps = []
        for g in level:
            if g.kind in ("and", "xor"):
                kind, fields = _logic(g)
                shape = (g.size, fields["idx"].shape[0] // max(1, g.size))
            else:
                kind = g.kind
                shared = _shared_sums(g) if g.kind == "thr" else None
                if shared is not None:
                    kind = "thrs"
                    fields, per_level = _thr_shared(g, *shared)
                    shape = (len(shared[0]), fields["negm"].shape[1], per_level)
                else:
                    fields, per_level = _thr(g) if g.kind == "thr" else _mod(g)
                    shape = (g.size, fields["negm"].shape[1], per_level)
            steps.append((kind, flat.add(**fields), shape))
        schedule.append(steps)
    flat.add(input_slot=np.flatnonzero(leveled.input_slot >= 0), input_dst=leveled.input_slot[leveled.input_slot >= 0],
             out_slot=leveled.out_slot, out_negm=_mask(leveled.out_neg)[:, None])
    return flat, schedule


_LOGIC = {"and": "and", "andm": "and", "or": "or", "xor": "xor"}


def _reduce_in_place(x: Any, op: str) -> Any:
    """Bitwise reduction over axis 1 of a power-of-two length, halving in place: (G, F, W) -> (G, W)."""
    F = x.shape[1]
    while F > 1:
        h = F // 2
        a, b = x[:, :h], x[:, h:F]
        if op == "and":
            a &= b
        elif op == "or":
            a |= b
        else:
            a ^= b
        F = h
    return x[:, 0]


def run_block(S: Any, views: list[dict[str, Any]], schedule: list[Any], budget_rows: int) -> None:
    """Evaluate every level on the slot tensor ``S`` (n_slots, W) in place."""
    import torch

    W = S.shape[1]
    for steps in schedule:
        for kind, gi, shape in steps:
            v = views[gi]
            if kind in _LOGIC:
                G, F = shape
                x = S.index_select(0, v["idx"]).view(G, F, W)
                if kind == "andm":
                    x ^= v["negm"]
                r = _reduce_in_place(x, _LOGIC[kind])
                if "outm" in v:
                    r ^= v["outm"]
            else:
                G, width, per_level = shape
                step = max(1, budget_rows // max(1, width))  # gates per chunk, to bound the counter's memory
                parts = []
                for a in range(0, G, step):
                    b = min(G, a + step)
                    idx = v["idx"].narrow(0, a * width, (b - a) * width)
                    X = S.index_select(0, idx).view(b - a, width, W) ^ v["negm"][a:b]
                    levels, off = [], 0
                    for r in per_level:
                        levels.append(X[:, off : off + r])
                        off += r
                    if kind == "thrs":
                        parts.append(count_bits(levels))  # the distinct sums, compared below
                    elif kind == "thr":
                        n_alone = v["ovfm"].shape[1]
                        o = S.index_select(0, v["ovf"].narrow(0, a * n_alone, (b - a) * n_alone))
                        o = reduce_bits(o.view(b - a, n_alone, W) ^ v["ovfm"][a:b], "or", dim=1)
                        parts.append(threshold_rows(levels, o))
                    else:
                        parts.append(equals_any(count_bits(levels), v["targets"][a:b], v["valid"][a:b]))
                r = parts[0] if len(parts) == 1 else torch.cat(parts, dim=0)
                if kind == "thrs":
                    r = at_least(r.index_select(0, v["sum_of"]), v["tbits"])
            S.index_copy_(0, v["dst"], r)
