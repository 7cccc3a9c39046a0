"""Aggregating k chains: any@k, maj@k (ties at random) and pass@k, exactly and from samples.

Every chain votes for a target: the connected one if it reached it within its budget, else by its
rule (:data:`~serialcomp.chains.search.RULES`): a fair coin (``guess``) or no vote (``abstain``).
A chain reaches the target with probability ``p`` (its law's ``reach(L)``), independently of the
others. Then, for ``k`` chains:

``single_success``
    ``(1 + p) / 2``: one chain's answer is right (``maj@1 = any@1``).
``any@k``
    A trace verifier (the paper's "evidence" accuracy): answer the target some chain's trace
    reaches, or toss a coin when none does: ``1 - (1 - p)**k / 2``. The paper plots its evidence
    accuracy ``E`` as ``E + (1 - E) / 2``, this quantity.
``maj@k``
    The majority of the votes, a tie (also zero votes) broken by a fair coin. With ``guess`` the
    right votes are Binomial(k, (1 + p)/2); with ``abstain`` every vote is right, so maj@k = any@k.
``pass@k``
    An answer checker (Chen et al. 2021): at least one of the k answers is right,
    ``1 - ((1 - p)/2)**k`` with ``guess`` (guesses pass too: it tends to 1 even at ``p = 0``, why
    pass@k overstates a two-answer task), ``1 - (1 - p)**k`` with ``abstain``.

Chains of different budgets (offsets) have different ``p_j``: :func:`maj_mixed` and
:func:`any_mixed` use the Poisson-binomial law. :func:`estimate_votes` estimates all four from
simulated chains, with standard errors across instances.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Sequence

import numpy as np

from .._validate import check_float, check_int
from .graph import ChainParameterError
from .search import check_rule

__all__ = ["single_success", "any_at_k", "maj_at_k", "pass_at_k", "any_mixed", "maj_mixed", "VoteEstimate",
           "estimate_votes", "MAX_K"]

MAX_K = 2**26
"""Largest k of the exact maj@k (its binomial law is O(k))."""


def _p(p: Any) -> float:
    return check_float("p", p, 0.0, 1.0, where="a chain's reach probability", error=ChainParameterError)


def _k(k: Any) -> int:
    return check_int("k", k, 1, MAX_K, where="voting", error=ChainParameterError)


def single_success(p: float) -> float:
    """One chain's accuracy, ``(1 + p)/2``.

    Example
    -------
    >>> single_success(0.0), single_success(1.0)
    (0.5, 1.0)
    """
    return (1.0 + _p(p)) / 2.0


def any_at_k(p: float, k: int) -> float:
    """``1 - (1 - p)**k / 2``: right when any of the k traces reaches the target, else a coin.

    Example
    -------
    >>> any_at_k(0.0, 64), any_at_k(0.5, 2)
    (0.5, 0.875)
    """
    return 1.0 - (1.0 - _p(p)) ** _k(k) / 2.0


def pass_at_k(p: float, k: int, rule: str = "guess") -> float:
    """At least one of the k answers is right (guesses included with ``rule="guess"``).

    Example
    -------
    >>> pass_at_k(0.0, 2), pass_at_k(0.0, 2, "abstain")
    (0.75, 0.0)
    """
    p, k = _p(p), _k(k)
    miss = (1.0 - p) / 2.0 if check_rule(rule) == "guess" else 1.0 - p
    return 1.0 - miss**k


def _log_binom_pmf(k: int, q: float) -> np.ndarray:
    j = np.arange(k + 1, dtype=np.float64)
    logc = np.concatenate([[0.0], np.cumsum(np.log(k - j[1:] + 1) - np.log(j[1:]))])
    with np.errstate(divide="ignore", invalid="ignore"):
        lq = np.where(j > 0, j * np.log(q) if q > 0 else np.where(j > 0, -np.inf, 0.0), 0.0)
        lr = np.where(k - j > 0, (k - j) * np.log1p(-q) if q < 1 else np.where(k - j > 0, -np.inf, 0.0), 0.0)
    return logc + lq + lr


def maj_at_k(p: float, k: int, rule: str = "guess") -> float:
    """Majority vote of k chains, ties (and no votes) broken by a fair coin.

    Notes
    -----
    O(k) time and memory (the binomial law in log space).

    Example
    -------
    >>> round(maj_at_k(0.0, 5), 12), maj_at_k(1.0, 4), round(maj_at_k(0.2, 3), 6)
    (0.5, 1.0, 0.648)
    """
    p, k = _p(p), _k(k)
    if check_rule(rule) == "abstain":
        return any_at_k(p, k)
    if p == 0.0 or p == 1.0:  # fair coins: right and wrong majorities alike, a tie halved; or all right
        return 0.5 if p == 0.0 else 1.0
    q = (1.0 + p) / 2.0
    j = np.arange(k + 1)
    if k <= 1000:
        from math import comb

        pmf = np.array([comb(k, i) * q**i * (1.0 - q) ** (k - i) for i in range(k + 1)])
    else:
        log = _log_binom_pmf(k, q)
        pmf = np.exp(log - log.max())
        pmf /= pmf.sum()
    return min(1.0, float(pmf[2 * j > k].sum() + 0.5 * pmf[2 * j == k].sum()))


def any_mixed(ps: Sequence[float]) -> float:
    """any@k for chains reaching the target with probabilities ``ps``: ``1 - prod(1 - p_j) / 2``.

    Example
    -------
    >>> any_mixed([0.5, 0.0])
    0.75
    """
    ps = [_p(p) for p in ps]
    return 1.0 - float(np.prod([1.0 - p for p in ps])) / 2.0


def maj_mixed(ps: Sequence[float], rule: str = "guess") -> float:
    """maj@k for chains reaching the target with probabilities ``ps`` (Poisson-binomial votes).

    Notes
    -----
    O(k^2) time.

    Example
    -------
    >>> round(maj_mixed([0.2, 0.2, 0.2]), 6) == round(maj_at_k(0.2, 3), 6)
    True
    """
    ps = [_p(p) for p in ps]
    if check_rule(rule) == "abstain":
        return any_mixed(ps)
    law = np.ones(1)
    for p in ps:
        q = (1.0 + p) / 2.0
        law = np.concatenate([law * (1 - q), [0.0]]) + np.concatenate([[0.0], law * q])
    k = len(ps)
    j = np.arange(k + 1)
    return float(law[2 * j > k].sum() + 0.5 * law[2 * j == k].sum())


@dataclass(frozen=True)
class VoteEstimate:
    """Estimates for one k from simulated chains: the mean over instances and its standard error.

    Example
    -------
    >>> e = estimate_votes(np.ones((2, 3), bool), np.ones((2, 3), np.int8), [3])[0]
    >>> e.k, e.maj_at_k, e.se_maj
    (3, 1.0, 0.0)
    """

    k: int
    single_success: float
    any_at_k: float
    maj_at_k: float
    pass_at_k: float
    se_single: float
    se_any: float
    se_maj: float
    se_pass: float


def _log_factorials(K: int) -> np.ndarray:
    return np.concatenate([[0.0], np.cumsum(np.log(np.arange(1, K + 1, dtype=np.float64)))])


def _none_of(lf: np.ndarray, K: int, hits: np.ndarray, k: int) -> np.ndarray:
    """``C(K - hits, k) / C(K, k)``: a random k-subset of K samples holds none of the ``hits``."""
    h = np.asarray(hits, dtype=np.int64)
    ok = K - h >= k
    rest = np.where(ok, K - h, k)
    log = lf[rest] - lf[np.maximum(rest - k, 0)] - (lf[K] - lf[K - k])
    return np.where(ok, np.exp(log), 0.0)


def _maj_table(lf: np.ndarray, K: int, k: int) -> np.ndarray:
    """``table[c]``: maj@k over the k-subsets of K cast votes of which ``c`` are right (a tie: 1/2)."""
    c = np.arange(K + 1)[:, None]
    x = np.arange(k + 1)[None, :]
    valid = (x <= c) & (k - x <= K - c)
    cc, xx = np.broadcast_arrays(c, x)
    a = np.where(valid, cc, 0)
    b = np.where(valid, xx, 0)
    log = (lf[a] - lf[b] - lf[a - b]) + (lf[np.where(valid, K - cc, 0)] - lf[np.where(valid, k - xx, 0)]
                                           - lf[np.where(valid, K - cc - (k - xx), 0)]) - (lf[K] - lf[k] - lf[K - k])
    w = (2 * x > k) + 0.5 * (2 * x == k)
    return (np.where(valid, np.exp(log), 0.0) * w).sum(axis=1)


def estimate_votes(reached: np.ndarray, votes: np.ndarray, ks: Sequence[int], estimator: str = "subsets",
                   tie_coins: np.ndarray | None = None) -> list[VoteEstimate]:
    """single-chain accuracy, any@k, maj@k and pass@k from simulated chains.

    Parameters
    ----------
    reached : bool ``(count, K)``
        Per instance, whether each of K chains reached the target (:meth:`ChainRuns.reached`).
    votes : int8 ``(count, K)``
        Their votes (:meth:`ChainRuns.votes`: 1 right, 0 wrong, -1 none).
    ks : sequence of int
        Each ``k <= K``.
    estimator : {"subsets", "first"}
        ``subsets``: the mean over all k-subsets of the K chains, a coin (tie, or no trace for
        any@k) counted as its mean 1/2: unbiased, the pass@k estimator of Chen et al. (2021)
        extended to any@k and maj@k. ``first``: the first k chains, a coin drawn from
        ``tie_coins[i, j]`` for ``ks[j]`` (the paper's evaluation: the first 2**j samples).
    tie_coins : bool ``(count, len(ks))``, optional
        The coins of ``first``.

    Returns
    -------
    list of VoteEstimate
        One per k: means over the ``count`` instances and their standard errors (standard
        deviation over instances / sqrt(count); 0 for one instance).

    Notes
    -----
    O(count x K) per k, plus O(K x k) for maj@k by subsets.

    Example
    -------
    >>> r = np.array([[True, False, False, False], [True, True, False, False]])
    >>> v = np.array([[1, 0, 1, 0], [1, 1, 1, 0]], dtype=np.int8)
    >>> e = estimate_votes(r, v, [1, 4])
    >>> e[0].single_success, e[1].any_at_k, e[1].maj_at_k, e[1].pass_at_k
    (0.625, 1.0, 0.75, 1.0)
    """
    R, V = np.asarray(reached, dtype=bool), np.asarray(votes)
    if V.ndim != 2 or V.shape[1] < 1 or R.shape != V.shape:
        raise ChainParameterError(f"reached and votes must be arrays (count, K) of one shape, got {R.shape} "
                                  f"and {V.shape}")
    count, K = V.shape
    ks = [check_int("k", k, 1, K, where=f"estimate_votes with K={K} chains per instance",
                    error=ChainParameterError) for k in ks]
    if estimator not in ("subsets", "first"):
        raise ChainParameterError(f"estimator must be 'subsets' or 'first', got {estimator!r}")
    if estimator == "first" and (tie_coins is None or np.shape(tie_coins) != (count, len(ks))):
        raise ChainParameterError(f"estimator 'first' needs tie_coins of shape ({count}, {len(ks)})")
    right, wrong, none = V == 1, V == 0, V < 0
    if none.any() and wrong.any():
        raise ChainParameterError("estimate_votes: the votes mix abstentions and wrong answers (two rules)")
    single = (right + 0.5 * none).mean(axis=1)
    lf = _log_factorials(K)
    out = []
    for j, k in enumerate(ks):
        if estimator == "subsets":
            anyk = 1.0 - 0.5 * _none_of(lf, K, R.sum(axis=1), k)
            passk = 1.0 - _none_of(lf, K, right.sum(axis=1), k)
            if none.any() or not wrong.any():  # every cast vote right: a majority iff one is cast
                majk = 1.0 - 0.5 * _none_of(lf, K, right.sum(axis=1), k)
            else:
                majk = _maj_table(lf, K, k)[right.sum(axis=1)]
        else:
            coin = np.asarray(tie_coins)[:, j].astype(float)
            hit = R[:, :k].any(axis=1)
            anyk = np.where(hit, 1.0, coin)
            r, w = right[:, :k].sum(axis=1), wrong[:, :k].sum(axis=1)
            majk = np.where(r > w, 1.0, np.where(r < w, 0.0, coin))
            passk = right[:, :k].any(axis=1).astype(float)
        out.append(_estimate(k, single, anyk, majk, passk, count))
    return out


def _estimate(k: int, s: np.ndarray, a: np.ndarray, m: np.ndarray, p: np.ndarray, count: int) -> VoteEstimate:
    def se(x: np.ndarray) -> float:
        return float(np.std(x, ddof=1) / np.sqrt(count)) if count > 1 else 0.0

    return VoteEstimate(k, float(np.mean(s)), float(np.mean(a)), float(np.mean(m)), float(np.mean(p)),
                        se(s), se(a), se(m), se(p))
