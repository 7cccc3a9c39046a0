"""The registered reachability problems ``reach:path``, ``reach:flower``, ``reach:cycles`` and
``reach:random`` (their shared encodings: :class:`~serialcomp.problems.reach.encoding.GraphProblem`).
"""

from __future__ import annotations

from typing import Any, Mapping

import numpy as np
import sympy

from ..._validate import check_float, check_int
from ...errors import ProblemParameterError
from ...ir.family import N
from ..bits import flat2d
from ..columns import Ragged
from ..facts import Bound, ComplexityFacts
from ..instances import Instances
from ..registry import register
from ..rng import RecordRNG
from .encoding import GraphProblem
from .graphs import bfs_distances, canonical_edges, check_node_ids

__all__ = ["PathReach", "FlowerReach", "CyclesReach", "RandomReach", "MAX_EDGES", "MAX_NODES",
           "MAX_RANDOM_NODES"]

_LOG = sympy.log(N)
_REINGOLD = "Reingold. Undirected connectivity in log-space. J. ACM 55(4), 2008"
_CM = "Cook, McKenzie. Problems complete for deterministic logarithmic space. J. Algorithms 8(3), 1987"
_SHT = "Sanford, Hsu, Telgarsky. Transformers, parallel computation, and logarithmic depth. ICML 2024"
_RVW = ("Roughgarden, Vassilvitskii, Wang. Shuffles and circuits (on lower bounds for modern parallel "
        "computation). J. ACM 65(6), 2018")
_NL = ("Immerman. Nondeterministic space is closed under complementation. SIAM J. Comput. 17(5), 1988; "
       "Savitch 1970 / repeated Boolean matrix squaring: NL in AC1")


def _reach_bounds() -> tuple[Bound, ...]:
    """The depth bounds of every reach variant (claims in the catalogue's connectivity group)."""
    return (Bound("upper", "TC0", _LOG, "proven", "reach.squaring"),
            Bound("lower", "TC0", sympy.Integer(1), "proven", "fanin.trivial_lower"),
            Bound("lower", "TC0", None, "conjectured", "reach.conjecture", "omega(1)", "poly"))


MAX_EDGES = 2**22
"""Most edges one record may hold (``reach:path``: chains plus ``extra``): 64 MiB of int64 pairs."""
MAX_NODES = 2**21
"""Most nodes of one ``reach:path`` or ``reach:cycles`` graph (``reach:flower``: 2n nodes, n <= 2**20):
the node labels are a random permutation, and the edge lists stay within :data:`MAX_EDGES`."""
MAX_RANDOM_NODES = 2048
"""Largest ``n`` of ``reach:random``: its records store the adjacency matrix (``n^2`` bits) and the
batched BFS costs ``O(n^2)`` per layer and record."""


class PathReach(GraphProblem):
    """``reach:path``: is ``t`` reachable from ``s`` in a directed graph hiding a path of length ``distance``?

    n nodes: two directed chains of ``distance`` edges (``s`` starts one; ``t`` ends the same chain
    or the other, with probability 1/2 each), and ``extra`` distinct distractor edges that never
    leave a chain forward (edges out of off-chain nodes, and backward edges within a chain), so
    when reachable, the distance is exactly ``distance``. Inputs ``edges`` ``(count, 2*distance +
    extra, 2)``, ``source``, ``targets`` ``(count, 1)``; target bool; meta ``distance`` (-1 if not).

    Notes
    -----
    Needs ``n >= 2*distance + 2``. Sampling O(n + extra log extra) per instance.

    Example
    -------
    >>> inst = PathReach().sample(12, 4, seed=1, distance=3)
    >>> inst.inputs["edges"].shape, sorted(set(inst.meta["distance"].tolist()) - {-1})
    ((4, 18, 2), [3])
    """

    key, variant, knob, min_n = "reach:path", "path", "distance", 4
    description = "directed s-t reachability; a path of length `distance` among distractor edges"
    n_meaning = "number of nodes (two chains of `distance` edges among them; distance defaults to n // 4)"
    defaults = {"distance": None, "extra": None}
    max_n = MAX_NODES
    max_n_reason = f"n nodes and up to 2n edges per record, at most {MAX_EDGES} edges"
    facts = ComplexityFacts("NL-complete", _LOG, sympy.Integer(1), True, (_NL,),
                            "Directed s-t reachability, NL-complete in general; the sampled graphs are a "
                            "restricted family (reach:path: two chains among distractor edges) or random "
                            "(reach:random: G(n, p)), not worst-case instances. O(log n) unbounded fan-in depth "
                            "by repeated squaring (NL in AC1). Lower: only the trivial bound is proven; that the "
                            "depth of polynomial-size threshold circuits grows with n is conjectured (NL not in "
                            "TC0), which says omega(1), not Omega(log n).",
                            _reach_bounds())

    def resolve_params(self, n: int, params: Mapping[str, Any]) -> dict[str, Any]:
        p = super().resolve_params(n, params)
        d = max(1, n // 4) if p["distance"] is None else p["distance"]
        p["distance"] = d = check_int("distance", d, 1, (n - 2) // 2,
                                      where=f"reach:path with n={n} (n >= 2*distance + 2)", error=ProblemParameterError)
        avail = (n - 2 * d - 2) * (n - 1) + d * (d + 1)
        # distinct allowed distractor edges, and what one record's edge list may hold besides the chains
        cap = min(avail, MAX_EDGES - 2 * d)
        if p["extra"] is None:
            p["extra"] = min(n, cap)
        else:
            why = "distinct allowed edges" if cap == avail else f"at most {MAX_EDGES} edges per record with the chains"
            p["extra"] = check_int("extra", p["extra"], 0, cap, where=f"reach:path with n={n}, distance={d} ({why})",
                                   error=ProblemParameterError)
        return p

    def n_edges(self, n: int, params: Mapping[str, Any]) -> int:
        return 2 * params["distance"] + params["extra"]

    def _generate(self, n: int, rng: RecordRNG, params: dict[str, Any]):
        d, m, c = params["distance"], params["extra"], len(rng)
        nx, T = n - 2 * d - 2, d * (d + 1) // 2
        avail = nx * (n - 1) + 2 * T
        # m distinct codes in [0, avail): sorted draws from [0, avail - m] plus 0..m-1
        code = np.sort(rng.integers("extra", avail - m + 1, (m,)), axis=1) + np.arange(m)
        from_x = code < nx * (n - 1)
        src_x = 2 * d + 2 + code // max(n - 1, 1)
        dst_x = code % max(n - 1, 1)
        dst_x = dst_x + (dst_x >= src_x)
        k = np.where(from_x, 0, code - nx * (n - 1))
        chain, k = k // max(T, 1), k % max(T, 1)
        j = ((1 + np.sqrt(1 + 8 * k)) // 2).astype(np.int64)  # pair (j, i), 0 <= i < j <= d
        j = j - (j * (j - 1) // 2 > k) + ((j + 1) * j // 2 <= k)
        i = k - j * (j - 1) // 2
        base = chain * (d + 1)
        src = np.where(from_x, src_x, base + j)
        dst = np.where(from_x, dst_x, base + i)
        step = np.arange(d)
        chains = np.concatenate([np.stack([step, step + 1], -1), np.stack([step, step + 1], -1) + d + 1])
        pos = np.concatenate([np.broadcast_to(chains, (c, 2 * d, 2)), np.stack([src, dst], -1)], axis=1)
        label = rng.permutations("relabel", n)
        edges = canonical_edges(np.take_along_axis(label, flat2d(pos), 1).reshape(pos.shape), n, False)
        positive = rng.bits("label")
        source = label[:, 0]
        target_node = np.where(positive, label[:, d], label[:, 2 * d + 1])
        dist = np.where(positive, d, -1)
        return ({"edges": edges, "source": source, "targets": target_node[:, None]},
                {"target": positive}, {"distance": dist})

    def solve(self, record_inputs: Mapping[str, np.ndarray], **params: Any) -> bool:
        e = np.asarray(record_inputs["edges"]).tolist()
        ids = [int(record_inputs["source"]), *np.asarray(record_inputs["targets"]).tolist(), *(x for uv in e for x in uv)]
        check_node_ids(self.key, ids)
        N = 1 + max(ids)
        dist = bfs_distances(N, e, int(record_inputs["source"]), False)
        return dist[int(np.asarray(record_inputs["targets"])[0])] >= 0


class FlowerReach(GraphProblem):
    """``reach:flower``: (s, t1, t2)-connectivity on two isomorphic undirected components.

    Each component has n nodes: a chain of ``petals`` junctions-to-junction petals, each a short
    path, a strictly longer path and a dead-end branch (hanging off a node of the petal), with
    random lengths. The two components are copies; ``s`` is the first junction of one, ``t1`` and
    ``t2`` the last junctions of both, in random order. Node ids (``0..2n-1``) are shuffled.
    Inputs ``edges`` ``(count, 2*(n + petals - 1), 2)``, ``source``, ``targets`` ``(count, 2)``.
    Target: which of ``t1`` (0) or ``t2`` (1) is connected to ``s``. Meta ``distance``.

    ``layout`` (default ``"random"``, the layout above) or ``"lmt"``: the graphs of "Let Me
    Think!" (arXiv 2505.21825; :mod:`~serialcomp.problems.reach.lmt`): every petal a short path of
    ``short`` edges, a long path of ``long`` edges and a dead end of ``dead`` edges at its first
    junction (defaults 3, 5, 3), so ``n = petals*(short + long + dead - 1) + 1`` (``10d + 1``) and
    ``s``, ``t`` are the first and last junctions. ``text`` (default none; any layout) adds a
    column ``text`` in the paper's text format with the ``work`` trace it names
    (:data:`~serialcomp.problems.reach.lmt.TEXT_WORK`). The parameters ``layout``, ``short``,
    ``long``, ``dead`` and ``text`` are recorded only when they differ from the random layout's
    defaults, so records of the random layout are the same bytes as before they existed.

    Notes
    -----
    Needs ``n >= 3*petals + 1``. Vectorised sampling, O(n) per instance; the text O(n) per record
    in Python.

    Example
    -------
    >>> inst = FlowerReach().sample(16, 2, seed=0, petals=3)
    >>> inst.inputs["edges"].shape, inst.inputs["targets"].shape
    ((2, 36, 2), (2, 2))
    >>> lmt = FlowerReach().sample(51, 2, seed=0, layout="lmt")
    >>> lmt.params, lmt.inputs["edges"].shape, lmt.meta["distance"].tolist()
    ({'petals': 5, 'layout': 'lmt', 'short': 3, 'long': 5, 'dead': 3}, (2, 110, 2), [15, 15])
    """

    key, variant, knob, min_n = "reach:flower", "flower", "petals", 4
    description = ("(s,t1,t2)-connectivity: two isomorphic chains of petals, exactly one target connected "
                   "(--param layout=lmt [short=3 long=5 dead=3]: the graphs of 'Let Me Think!', n = 10*petals + 1; "
                   "text=dfs|path|dfs-pruned|bfs|optimal|random|none adds the paper's text with that work trace)")
    defaults = {"petals": None}
    layout_params = {"layout": "random", "short": None, "long": None, "dead": None, "text": None}
    """Accepted besides ``defaults``; left out of :meth:`describe`'s ``params`` (whose listing starts
    with ``petals``) and recorded only when set, so the random layout's records keep their bytes."""
    layouts = ("random", "lmt")
    undirected, n_targets = True, 2
    max_n = MAX_NODES // 2
    max_n_reason = f"2n nodes and about 2.7n edges per record, at most {MAX_EDGES} edges"
    n_meaning = "nodes per component: two isomorphic components of n nodes, 2n nodes in all"
    facts = ComplexityFacts(
        "L (promise undirected s-t connectivity)", _LOG, sympy.Integer(1), True, (_REINGOLD, _CM, _SHT),
        "Undirected s-t connectivity is in L (Reingold) and L-complete under NC1 reductions in general, "
        "already for forests (Cook-McKenzie); these instances are a promise restriction of it (two "
        "isomorphic components, exactly one target connected, so no local statistic separates the "
        "answers), and no hardness result is claimed for the restriction itself. Upper: O(log n) depth "
        "with unbounded fan-in gates by repeated squaring of the adjacency matrix. Lower: only the trivial "
        "bound is proven (a super-constant one with threshold gates would separate TC0 from L); growth with "
        "n is conjectured for the general problem (L not in TC0), omega(1), not Omega(log n).",
        _reach_bounds())

    def resolve_params(self, n: int, params: Mapping[str, Any]) -> dict[str, Any]:
        unknown = sorted(set(params) - set(self.defaults) - set(self.layout_params))
        if unknown:
            self.check_n(n)
            allowed = ", ".join(sorted([*self.defaults, *self.layout_params]))
            raise ProblemParameterError(f"unknown parameter {unknown[0]!r} for problem {self.key!r}; accepted "
                                        f"parameters: {allowed}")
        extra = {k: params.get(k, v) for k, v in self.layout_params.items()}
        p = super().resolve_params(n, {k: v for k, v in params.items() if k not in self.layout_params})
        layout = extra["layout"]
        if layout not in self.layouts:
            raise ProblemParameterError(f"reach:flower: layout must be one of {', '.join(self.layouts)}, got {layout!r}")
        lengths = {k: extra[k] for k in ("short", "long", "dead")}
        text = extra["text"]
        if layout == "random":
            given = [k for k, v in lengths.items() if v is not None]
            if given:
                raise ProblemParameterError(f"reach:flower: {given[0]} sets a petal of layout=lmt; the random "
                                            "layout draws its lengths")
            d = max(1, (n - 1) // 6) if p["petals"] is None else p["petals"]
            p["petals"] = check_int("petals", d, 1, (n - 1) // 3,
                                    where=f"reach:flower with n={n} (n >= 3*petals + 1)", error=ProblemParameterError)
        else:
            from .lmt import LMT_LENGTHS

            where = "reach:flower with layout=lmt"
            s = check_int("short", LMT_LENGTHS["short"] if lengths["short"] is None else lengths["short"], 1,
                          where=where, error=ProblemParameterError)
            l = check_int("long", LMT_LENGTHS["long"] if lengths["long"] is None else lengths["long"], s + 1,
                          where=f"{where} (long > short = {s})", error=ProblemParameterError)
            b = check_int("dead", LMT_LENGTHS["dead"] if lengths["dead"] is None else lengths["dead"], 0,
                          where=where, error=ProblemParameterError)
            m = s + l + b - 1
            rule = f"n = petals*(short + long + dead - 1) + 1 = {m}*petals + 1"
            if (n - 1) % m:
                raise ProblemParameterError(f"{where}: {rule}, got n={n}")
            d = (n - 1) // m if p["petals"] is None else check_int("petals", p["petals"], 1, where=where,
                                                                    error=ProblemParameterError)
            if d * m + 1 != n:
                raise ProblemParameterError(f"{where}: {rule} = {d * m + 1} for petals={d}, got n={n}")
            p.update(petals=d, layout="lmt", short=s, long=l, dead=b)
        if text is not None:
            from .lmt import TEXT_WORK

            if text not in TEXT_WORK:
                raise ProblemParameterError(f"reach:flower: text must be one of {', '.join(TEXT_WORK)}, got {text!r}")
            p["text"] = text
        return p

    def columns(self, instances: Instances) -> dict[str, Any]:
        out = super().columns(instances)
        if instances.params.get("text") is not None:
            from .lmt import text_column

            out["text"] = text_column(instances, instances.params["text"])
        return out

    def num_nodes(self, n: int, **params: Any) -> int:
        return 2 * n

    def n_edges(self, n: int, params: Mapping[str, Any]) -> int:
        return 2 * (n + params["petals"] - 1)

    def _generate(self, n: int, rng: RecordRNG, params: dict[str, Any]):
        if params.get("layout") == "lmt":
            return self._generate_lmt(n, rng, params)
        d, c = params["petals"], len(rng)
        M = n - d - 1  # internal nodes per component; positions d+1 .. n-1
        extra = M - 2 * d
        binid = rng.integers("sizes", 3 * d, (extra,)) + (np.arange(c) * 3 * d)[:, None]
        cnt = np.bincount(binid.ravel(), minlength=3 * d * c).reshape(c, d, 3)
        a = np.minimum(cnt[..., 0], cnt[..., 1])
        b = np.maximum(cnt[..., 0], cnt[..., 1]) + 1
        lengths = np.stack([a, b, cnt[..., 2] + 1], axis=-1).reshape(c, 3 * d)
        seg_start = np.cumsum(lengths, axis=1) - lengths
        seg = np.repeat(np.tile(np.arange(3 * d), c), lengths.ravel()).reshape(c, M)
        slot = np.arange(M)
        first = slot == np.take_along_axis(seg_start, seg, 1)
        petal, role = seg // 3, seg % 3
        pick = rng.integers("attach", a + b + 1, (d,))  # branch hangs off J_petal (0) or a path node
        petal_start = seg_start[:, 0::3]
        attach = np.where(pick == 0, np.arange(d), d + 1 + petal_start + pick - 1)
        parent = np.where(~first, d + slot,  # previous slot's node
                          np.where(role < 2, petal, np.take_along_axis(attach, petal, 1)))
        tree = np.stack([parent, np.broadcast_to(d + 1 + slot, (c, M))], -1)
        last_short = np.where(a > 0, d + petal_start + a, np.arange(d))
        last_long = d + seg_start[:, 1::3] + b
        nxt = np.broadcast_to(np.arange(1, d + 1), (c, d))
        close = np.concatenate([np.stack([last_short, nxt], -1), np.stack([last_long, nxt], -1)], axis=1)
        comp = np.concatenate([tree, close], axis=1)  # (c, M + 2d, 2)
        pos = np.concatenate([comp, comp + n], axis=1)
        label = rng.permutations("relabel", 2 * n)
        edges = canonical_edges(np.take_along_axis(label, flat2d(pos), 1).reshape(pos.shape), 2 * n, True)
        which = rng.bits("which").astype(np.int64)  # index of the connected target
        t_conn, t_other = label[:, d], label[:, n + d]
        targets = np.where(which[:, None] == 0, np.stack([t_conn, t_other], -1), np.stack([t_other, t_conn], -1))
        return ({"edges": edges, "source": label[:, 0], "targets": targets},
                {"target": which}, {"distance": (a + 1).sum(axis=1)})

    def _generate_lmt(self, n: int, rng: RecordRNG, params: dict[str, Any]):
        """The paper's layout: the component of :func:`~serialcomp.problems.reach.lmt.lmt_component`
        and its copy, relabelled; ``s = J_0``, the targets ``J_d`` of both in random order."""
        from .lmt import lmt_component

        c = len(rng)
        comp = lmt_component(params["petals"], params["short"], params["long"], params["dead"])
        pos = np.broadcast_to(np.concatenate([comp, comp + n]), (c, 2 * len(comp), 2))
        label = rng.permutations("relabel", 2 * n)
        edges = canonical_edges(np.take_along_axis(label, flat2d(pos), 1).reshape(pos.shape), 2 * n, True)
        which = rng.bits("which").astype(np.int64)
        t_conn, t_other = label[:, n - 1], label[:, 2 * n - 1]
        targets = np.where(which[:, None] == 0, np.stack([t_conn, t_other], -1), np.stack([t_other, t_conn], -1))
        dist = np.full(c, params["petals"] * params["short"], dtype=np.int64)
        return ({"edges": edges, "source": label[:, 0], "targets": targets}, {"target": which}, {"distance": dist})

    def solve(self, record_inputs: Mapping[str, np.ndarray], **params: Any) -> int:
        e = np.asarray(record_inputs["edges"]).tolist()
        t1, t2 = np.asarray(record_inputs["targets"]).tolist()
        s = int(record_inputs["source"])
        check_node_ids(self.key, [s, t1, t2, *(x for uv in e for x in uv)])
        dist = bfs_distances(1 + max([s, t1, t2, *(x for uv in e for x in uv)]), e, s, True)
        if (dist[t1] >= 0) == (dist[t2] >= 0):
            raise ProblemParameterError("reach:flower: promise broken (not exactly one target connected)")
        return 0 if dist[t1] >= 0 else 1


class CyclesReach(GraphProblem):
    """``reach:cycles``: one undirected cycle of length 2n, or two cycles of length n?

    Inputs ``edges`` ``(count, 2n, 2)`` on shuffled nodes ``0..2n-1``; target: the number of
    cycles (1 or 2, probability 1/2 each); target bits: ``[cycles == 1]``.

    Notes
    -----
    The 1-vs-2 cycles problem (the "2-cycle" task of Sanford, Hsu and Telgarsky), a promise
    restriction of undirected connectivity; its Omega(log n) hardness is a conjecture. Sampling
    O(n) per instance.

    Example
    -------
    >>> inst = CyclesReach().sample(5, 3, seed=0)
    >>> inst.inputs["edges"].shape
    (3, 10, 2)
    """

    key, variant, knob, min_n = "reach:cycles", "cycles", None, 3
    description = "one cycle of length 2n or two cycles of length n"
    undirected, n_targets = True, 0
    max_n = MAX_NODES
    max_n_reason = f"2n nodes and 2n edges per record, at most {MAX_EDGES} edges"
    n_meaning = "cycle length: one cycle of length 2n or two cycles of length n (2n nodes)"
    facts = ComplexityFacts(
        "L (1-vs-2 cycles, promise undirected connectivity)", _LOG, sympy.Integer(1), True, (_SHT, _RVW, _CM, _REINGOLD),
        "In L (walk the cycle through 0 and count its length: every node has degree 2). Undirected "
        "connectivity is L-complete in general (Reingold; Cook-McKenzie for the L-hardness); this promise "
        "restriction is not known to be L-hard. Upper: O(log n) depth by pointer doubling / repeated "
        "squaring. Lower: only the trivial bound is proven. Omega(log n) is the 1-vs-2 cycles conjecture of "
        "massively parallel computation, which Sanford, Hsu and Telgarsky turn into depth lower bounds for "
        "transformers (an unconditional super-constant MPC round lower bound for it would separate NC1 from P: "
        "Roughgarden, Vassilvitskii, Wang), a conjecture stronger than the standard ones; with threshold gates "
        "no super-constant depth lower bound is known.",
        _reach_bounds())

    def num_nodes(self, n: int, **params: Any) -> int:
        return 2 * n

    def n_edges(self, n: int, params: Mapping[str, Any]) -> int:
        return 2 * n

    def _generate(self, n: int, rng: RecordRNG, params: dict[str, Any]):
        c, N = len(rng), 2 * n
        one = rng.bits("one")
        p = np.arange(N)
        succ_one = (p + 1) % N
        succ_two = np.where(p % n == n - 1, p - (n - 1), p + 1)
        succ = np.where(one[:, None], succ_one, succ_two)
        label = rng.permutations("relabel", N)
        pos = np.stack([np.broadcast_to(p, (c, N)), succ], -1)
        edges = canonical_edges(np.take_along_axis(label, flat2d(pos), 1).reshape(pos.shape), N, True)
        return {"edges": edges}, {"target": np.where(one, 1, 2).astype(np.int8)}, {}

    def solve(self, record_inputs: Mapping[str, np.ndarray], **params: Any) -> int:
        e = np.asarray(record_inputs["edges"]).tolist()
        N = 1 + max(x for uv in e for x in uv)
        seen, comps = [False] * N, 0
        for v in range(N):
            if not seen[v]:
                comps += 1
                for u, dv in enumerate(bfs_distances(N, e, v, True)):
                    seen[u] = seen[u] or dv >= 0
        return comps

    def target_bits(self, instances: Instances) -> np.ndarray:
        return (instances.targets["target"] == 1)[:, None]


class RandomReach(GraphProblem):
    """``reach:random``: s-t reachability in a directed G(n, p) graph.

    Inputs ``adj`` bool ``(count, n, n)`` (no self-loops), ``source``, ``targets`` ``(count, 1)``
    (``t != s``); target bool; meta ``distance`` (BFS distance, -1 if unreachable). The default
    ``p = 1.74 / n`` makes about half the pairs reachable for large n. Tokens list the edges
    padded with ``<pad>`` to ``max_edges`` (default mean + 8 standard deviations).

    Notes
    -----
    O(n^2) sampling and O(n^2 * distance) batched BFS per instance.

    Example
    -------
    >>> inst = RandomReach().sample(6, 2, seed=0, p=0.5)
    >>> inst.inputs["adj"].shape
    (2, 6, 6)
    """

    key, variant, knob, min_n = "reach:random", "random", "p", 2
    description = "directed G(n, p) s-t reachability"
    n_meaning = f"number of nodes (n <= {MAX_RANDOM_NODES}: the adjacency matrix is stored)"
    defaults = {"p": None, "max_edges": None}
    max_n = MAX_RANDOM_NODES
    max_n_reason = "records store the n x n adjacency matrix, and the BFS costs O(n^2) per layer"
    facts = PathReach.facts

    def resolve_params(self, n: int, params: Mapping[str, Any]) -> dict[str, Any]:
        p = super().resolve_params(n, params)
        p["p"] = check_float("p", min(1.0, 1.74 / n) if p["p"] is None else p["p"], 0.0, 1.0, where=self.key,
                             error=ProblemParameterError)
        pairs = n * (n - 1)
        mean = p["p"] * pairs
        cap = min(pairs, int(np.ceil(mean + 8 * np.sqrt(mean * (1 - p["p"])) + 8)))
        p["max_edges"] = cap if p["max_edges"] is None else check_int("max_edges", p["max_edges"], 0, pairs,
                                                                      where=self.key, error=ProblemParameterError)
        return p

    def _generate(self, n: int, rng: RecordRNG, params: dict[str, Any]):
        c = len(rng)
        adj = rng.random("adj", (n, n)) < params["p"]
        adj[:, np.arange(n), np.arange(n)] = False
        s = rng.integers("s", n)
        t = (s + 1 + rng.integers("t", n - 1)) % n
        rows = np.arange(c)
        reach = np.zeros((c, n), dtype=bool)
        reach[rows, s] = True
        dist = np.full(c, -1, dtype=np.int64)
        a32 = adj.astype(np.float32)
        for step in range(1, n):  # batched BFS layers
            new = (np.matmul(reach.astype(np.float32)[:, None, :], a32)[:, 0] > 0) | reach
            dist[(dist < 0) & new[rows, t]] = step
            if (new == reach).all():
                break
            reach = new
        return {"adj": adj, "source": s, "targets": t[:, None]}, {"target": dist >= 0}, {"distance": dist}

    def _edges(self, instances: Instances) -> Any:
        adj = instances.inputs["adj"]
        r, u, v = np.nonzero(adj)
        offsets = np.concatenate([[0], np.cumsum(flat2d(adj).sum(axis=1))])
        return Ragged(np.stack([u, v], -1), offsets)

    def _adj(self, instances: Instances) -> np.ndarray:
        return instances.inputs["adj"]

    def _from_adj(self, adj: np.ndarray, N: int, E: int) -> dict[str, np.ndarray]:
        return {"adj": adj.copy()}

    def n_edges(self, n: int, params: Mapping[str, Any]) -> int:
        return params["max_edges"]

    def encode_tokens(self, instances: Instances) -> np.ndarray:
        n, E = instances.n, instances.params["max_edges"]
        rag = self._edges(instances)
        counts = np.diff(rag.offsets)
        if counts.size and counts.max() > E:
            raise ProblemParameterError(f"reach:random: a graph has {counts.max()} edges > max_edges={E}")
        tok = np.full((len(instances), 2 * E), n + 1, dtype=np.int64)
        rows = np.repeat(np.arange(len(instances)), counts)
        col = np.arange(len(rows)) - np.repeat(rag.offsets[:-1], counts)
        tok[rows, 2 * col], tok[rows, 2 * col + 1] = rag.values[:, 0], rag.values[:, 1]
        tail = np.stack([np.full(len(instances), n), instances.inputs["source"], instances.inputs["targets"][:, 0]], -1)
        return np.concatenate([tok, tail], axis=1)

    def decode_tokens(self, tokens: np.ndarray, n: int, **params: Any) -> dict[str, np.ndarray]:
        E = self.resolve_params(n, params)["max_edges"]
        t = np.asarray(tokens, dtype=np.int64)
        if t.ndim != 2 or t.shape[1] != 2 * E + 3 or (t[:, 2 * E] != n).any():
            raise ProblemParameterError(f"reach:random: expected tokens of shape (count, {2 * E + 3}) with '|'")
        pairs = t[:, : 2 * E].reshape(len(t), E, 2)
        real = (pairs < n).all(axis=2)
        adj = np.zeros((len(t), n, n), dtype=bool)
        r = np.nonzero(real)
        adj[r[0], pairs[r][:, 0], pairs[r][:, 1]] = True
        return {"adj": adj, "source": t[:, 2 * E + 1], "targets": t[:, 2 * E + 2 :]}

    def solve(self, record_inputs: Mapping[str, np.ndarray], **params: Any) -> bool:
        adj = np.asarray(record_inputs["adj"])
        e = [(int(u), int(v)) for u, v in zip(*np.nonzero(adj))]
        dist = bfs_distances(len(adj), e, int(record_inputs["source"]), False)
        return dist[int(np.asarray(record_inputs["targets"])[0])] >= 0


for _cls in (PathReach, FlowerReach, CyclesReach, RandomReach):
    register(_cls())
