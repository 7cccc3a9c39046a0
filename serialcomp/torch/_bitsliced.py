"""Bit-sliced arithmetic on packed int64 words in torch (private): reductions, carry-save
counters, the threshold test and the count-mod-m test.

Torch has no popcount and no bitwise reductions, so everything here is built from ``&``, ``|``,
``^`` on whole tensors. A *row* is a tensor of words whose bit ``j`` of word ``w`` is pattern
``64*w + j`` (the simulator's layout). Every function works on many gates at once: the leading
axis is the gate, the last the words.

Carry-save counting
-------------------
The rows to add are laid out by weight bit: ``levels[k][g, r]`` is the ``r``-th row that adds
``2**k`` to gate ``g``'s sum (padding rows are zero; each level has as many rows as its fullest
gate needs, so a gate with few weight bits costs little). One carry-save stage takes the rows of every
level in triples and replaces each triple ``(a, b, c)`` by its sum bit ``a ^ b ^ c`` (same level)
and its carry ``maj(a, b, c)`` (one level up), which keeps the arithmetic total
``sum_k 2**k sum_r X[g, k, r]`` exact while the row count falls from ``R`` to ``R - floor(R / 3)``.
After ``O(log R)`` stages two rows per level remain and one ripple pass adds them.

Naive references: the tests hold these against Python integers, pattern by pattern.
"""

from __future__ import annotations

from typing import Any

__all__: list[str] = []


def reduce_bits(x: Any, op: str, dim: int = 1) -> Any:
    """Reduce ``x`` along ``dim`` with a bitwise ``op`` ("and", "or", "xor"), in log2 steps."""
    size = x.shape[dim]
    if size == 0:
        raise ValueError("reduce_bits over an empty axis")
    while size > 1:
        half = size // 2
        a = x.narrow(dim, 0, half)
        b = x.narrow(dim, half, half)
        r = a & b if op == "and" else a | b if op == "or" else a ^ b
        if size % 2:
            import torch

            r = torch.cat([r, x.narrow(dim, 2 * half, 1)], dim)
        x = r
        size = x.shape[dim]
    return x.squeeze(dim)


def _csa_stages(levels: list[Any], overflow: Any | None) -> list[Any]:
    """Carry-save stages on per-level rows (``levels[k]`` is (G, R_k, W)) until ``R_k <= 2`` everywhere.

    Carries out of the top level are OR-ed into ``overflow`` (G, W) when it is given (the
    threshold test needs only whether the total reaches ``2**B``); otherwise they must be zero.
    Returns the new levels and the overflow.
    """
    import torch

    L = len(levels)
    while any(x.shape[1] > 2 for x in levels):
        parts: list[list[Any]] = [[] for _ in range(L)]
        for k, x in enumerate(levels):
            R = x.shape[1]
            if R < 3:
                if R:
                    parts[k].append(x)
                continue
            t = R // 3
            a, b, c = x[:, 0:t], x[:, t : 2 * t], x[:, 2 * t : 3 * t]
            axb = a ^ b
            parts[k].append(axb ^ c)
            carry = (a & b) | (axb & c)
            if k + 1 < L:
                parts[k + 1].append(carry)
            elif overflow is not None:
                overflow = overflow | reduce_bits(carry, "or", dim=1)
            if R > 3 * t:
                parts[k].append(x[:, 3 * t :])
        levels = [p[0] if len(p) == 1 else torch.cat(p, dim=1) if p else levels[k][:, :0] for k, p in enumerate(parts)]
    return levels, overflow


def threshold_rows(levels: list[Any], overflow: Any) -> Any:
    """``[sum_k 2**k sum_r levels[k][:, r] >= 2**B] | overflow`` per pattern: (G, W), ``B = len(levels)``.

    ``levels[k]`` is (G, R_k, W), ``overflow`` (G, W) the rows known to reach ``2**B`` on their own.
    With the constant ``C0 = 2**B - T`` among the rows this is ``[sum w_i x_i >= T]``.
    """
    levels, overflow = _csa_stages(levels, overflow)
    carry = None
    for x in levels:
        R = x.shape[1]
        if R == 0:
            continue  # the carry passes through
        a = x[:, 0]
        if R == 1:
            carry = None if carry is None else carry & a
        else:
            b = x[:, 1]
            carry = a & b if carry is None else (a & b) | (carry & (a ^ b))
    return overflow if carry is None else carry | overflow


def count_bits(levels: list[Any]) -> Any:
    """The binary total of the rows: (G, B, W), bit ``k`` of the count at level ``k``.

    ``levels`` as for :func:`threshold_rows`; ``B = len(levels)`` must hold every gate's count.
    """
    import torch

    levels, _ = _csa_stages(levels, None)
    G, W = levels[0].shape[0], levels[0].shape[2]
    zero = torch.zeros((G, W), dtype=levels[0].dtype, device=levels[0].device)
    bits = []
    carry = zero
    for x in levels:
        R = x.shape[1]
        a = x[:, 0] if R > 0 else zero
        b = x[:, 1] if R > 1 else zero
        axb = a ^ b
        bits.append(axb ^ carry)
        carry = (a & b) | (carry & axb)
    return torch.stack(bits, dim=1)


def at_least(bits: Any, tbits: Any) -> Any:
    """``[count >= t]`` per gate and pattern: (G, W), comparing from the top bit down.

    ``bits`` is (G, B, W) (see :func:`count_bits`), ``tbits`` each gate's threshold ``t < 2**B``
    as word masks (G, B, 1) of 0 or -1.
    """
    greater = None
    equal = None
    for k in range(bits.shape[1] - 1, -1, -1):
        s, t = bits[:, k], tbits[:, k]
        above = s & ~t
        same = ~(s ^ t)
        greater = above if greater is None else greater | (equal & above)
        equal = same if equal is None else equal & same
    return greater | equal


def equals_any(bits: Any, targets: Any, valid: Any) -> Any:
    """``OR_j [count == targets[g, j]]`` per pattern, over the ``valid`` targets: (G, W).

    ``bits`` is (G, B, W) (see :func:`count_bits`), ``targets`` the B-bit values as word masks
    (G, K, B) of 0 or -1, ``valid`` (G, K, 1) masks of the targets that exist.
    """
    eq = valid.expand(-1, -1, bits.shape[2]).clone()
    for k in range(bits.shape[1]):
        eq &= ~(bits[:, None, k, :] ^ targets[:, :, k, None])
    return reduce_bits(eq, "or", dim=1)
