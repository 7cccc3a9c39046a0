"""Bit-sliced arithmetic on packed int64 words in torch (private): reductions, carry-save
counters, the threshold test and the count-mod-m test.

Torch has no popcount and no bitwise reductions, so everything here is built from ``&``, ``|``,
``^`` on whole tensors. A *row* is a tensor of words whose bit ``j`` of word ``w`` is pattern
``64*w + j`` (the simulator's layout). Every function works on many gates at once: the leading
axis is the gate, the last the words.

Carry-save counting
-------------------
The rows to add are laid out by weight bit: ``X[g, k, r]`` is the ``r``-th row that adds
``2**k`` to gate ``g``'s sum (padding rows are zero). One carry-save stage takes the rows of every
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


def _csa_stages(X: Any, overflow: Any | None) -> Any:
    """Carry-save stages on ``X`` (G, B, R, W) until at most two rows per level remain.

    Carries out of the top level are OR-ed into ``overflow`` (G, W) when it is given (the
    threshold test needs only whether the total reaches ``2**B``); otherwise they must be zero.
    """
    import torch

    G, B, R, W = X.shape
    while R > 2:
        t = R // 3
        a = X[:, :, 0:t]
        b = X[:, :, t : 2 * t]
        c = X[:, :, 2 * t : 3 * t]
        axb = a ^ b
        s = axb ^ c
        cy = (a & b) | (axb & c)
        if overflow is not None:
            overflow = overflow | reduce_bits(cy[:, B - 1], "or", dim=1)
        up = torch.cat([torch.zeros_like(cy[:, :1]), cy[:, : B - 1]], dim=1)
        X = torch.cat([s, X[:, :, 3 * t :], up], dim=2)
        R = X.shape[2]
    if R < 2:
        X = torch.cat([X, torch.zeros_like(X[:, :, : 2 - R])], dim=2)
    return X, overflow


def threshold_rows(X: Any, overflow: Any) -> Any:
    """``[sum_k 2**k sum_r X[:, k, r] >= 2**B] | overflow`` per pattern: (G, W).

    ``X`` is (G, B, R, W), ``overflow`` (G, W) the rows known to reach ``2**B`` on their own.
    With the constant ``C0 = 2**B - T`` among the rows this is ``[sum w_i x_i >= T]``.
    """
    X, overflow = _csa_stages(X, overflow)
    carry = None
    for k in range(X.shape[1]):
        a, b = X[:, k, 0], X[:, k, 1]
        carry = a & b if carry is None else (a & b) | (carry & (a ^ b))
    return carry | overflow


def count_bits(X: Any) -> Any:
    """The binary total of the rows: (G, B, W), bit ``k`` of the count at level ``k``.

    ``B`` must be large enough to hold every gate's count (no carry out of the top level).
    """
    import torch

    X, _ = _csa_stages(X, None)
    bits = []
    carry = None
    for k in range(X.shape[1]):
        a, b = X[:, k, 0], X[:, k, 1]
        if carry is None:
            bits.append(a ^ b)
            carry = a & b
        else:
            axb = a ^ b
            bits.append(axb ^ carry)
            carry = (a & b) | (carry & axb)
    return torch.stack(bits, dim=1)


def equals_any(bits: Any, targets: Any, valid: Any) -> Any:
    """``OR_j [count == targets[g, j]]`` per pattern, over the ``valid`` targets: (G, W).

    ``bits`` is (G, B, W) (see :func:`count_bits`), ``targets`` the B-bit values as word masks
    (G, K, B) of 0 or -1, ``valid`` (G, K, 1) masks of the targets that exist.
    """
    eq = valid.expand(-1, -1, bits.shape[2]).clone()
    for k in range(bits.shape[1]):
        eq &= ~(bits[:, None, k, :] ^ targets[:, :, k, None])
    return reduce_bits(eq, "or", dim=1)
