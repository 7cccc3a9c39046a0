"""What the reach problems share: their readable columns and their bit and token encodings.

Bits: the adjacency matrix row-major (bit ``u*N + v`` is edge ``u -> v``, symmetric for undirected
graphs), then the source one-hot (N bits) and each query target one-hot (N bits). Tokens:
``u0 v0 u1 v1 ... | s t1 [t2]`` with node ``i`` as token ``i``, then ``"|"`` and ``"<pad>"``.
"""

from __future__ import annotations

from typing import Any, Mapping

import numpy as np

from ...errors import ProblemParameterError
from ..bits import flat2d
from ..instances import Instances
from ..problem import Problem
from .graphs import adjacency

__all__ = ["GraphProblem"]


class GraphProblem(Problem):
    """Shared views and encodings of the reach problems; subclasses set ``undirected`` and ``n_targets``.

    Example
    -------
    >>> from serialcomp.problems import get_problem
    >>> p = get_problem("reach:flower")
    >>> isinstance(p, GraphProblem), p.undirected, p.n_targets, p.num_nodes(10)
    (True, True, 2, 20)
    """

    key_prefix = "reach"
    undirected = False
    n_targets = 1

    def num_nodes(self, n: int, **params: Any) -> int:
        return n

    def _edges(self, instances: Instances) -> Any:
        return instances.inputs["edges"]

    def columns(self, instances: Instances) -> dict[str, Any]:
        out: dict[str, Any] = {"num_nodes": np.full(len(instances), self.num_nodes(instances.n, **instances.params)),
                               "edges": self._edges(instances)}
        if self.n_targets:
            out["source"] = instances.inputs["source"]
            out["targets"] = instances.inputs["targets"]
        return {**out, **instances.targets, **instances.meta}

    def _adj(self, instances: Instances) -> np.ndarray:
        return adjacency(instances.inputs["edges"], self.num_nodes(instances.n, **instances.params), self.undirected)

    def encode_bits(self, instances: Instances) -> np.ndarray:
        N = self.num_nodes(instances.n, **instances.params)
        c = len(instances)
        parts = [self._adj(instances).reshape(c, N * N)]
        if self.n_targets:
            eye = np.eye(N, dtype=bool)
            parts.append(eye[instances.inputs["source"]])
            parts.append(flat2d(eye[instances.inputs["targets"]]))
        return np.concatenate(parts, axis=1)

    def decode_bits(self, bits: np.ndarray, n: int, **params: Any) -> dict[str, np.ndarray]:
        N = self.num_nodes(n, **self.resolve_params(n, params))
        width = N * N + (N * (1 + self.n_targets) if self.n_targets else 0)
        b = np.asarray(bits, dtype=bool)
        if b.ndim != 2 or b.shape[1] != width:
            raise ProblemParameterError(f"{self.key}: expected bits of shape (count, {width}), got {b.shape}")
        adj = b[:, : N * N].reshape(-1, N, N)
        out = self._from_adj(adj, N, self.n_edges(n, self.resolve_params(n, params)))
        if self.n_targets:
            hot = b[:, N * N :].reshape(len(b), 1 + self.n_targets, N)
            if (hot.sum(axis=2) != 1).any():
                raise ProblemParameterError(f"{self.key}: source/target fields must be one-hot")
            idx = hot.argmax(axis=2)
            out["source"], out["targets"] = idx[:, 0], idx[:, 1:]
        return out

    def _from_adj(self, adj: np.ndarray, N: int, E: int) -> dict[str, np.ndarray]:
        a = np.triu(adj) if self.undirected else adj
        if (flat2d(a).sum(axis=1) != E).any():
            raise ProblemParameterError(f"{self.key}: every graph must have exactly {E} edges")
        r, u, v = np.nonzero(a)
        return {"edges": np.stack([u, v], axis=-1).reshape(len(a), E, 2)}

    def vocab(self, n: int, **params: Any) -> list[str]:
        return [str(i) for i in range(self.num_nodes(n, **self.resolve_params(n, params)))] + ["|", "<pad>"]

    def encode_tokens(self, instances: Instances) -> np.ndarray:
        N = self.num_nodes(instances.n, **instances.params)
        e = instances.inputs["edges"]
        parts = [flat2d(e)]
        if self.n_targets:
            parts += [np.full((len(e), 1), N), instances.inputs["source"][:, None], instances.inputs["targets"]]
        return np.concatenate(parts, axis=1).astype(np.int64)

    def decode_tokens(self, tokens: np.ndarray, n: int, **params: Any) -> dict[str, np.ndarray]:
        p = self.resolve_params(n, params)
        N, E = self.num_nodes(n, **p), self.n_edges(n, p)
        t = np.asarray(tokens, dtype=np.int64)
        L = 2 * E + (2 + self.n_targets if self.n_targets else 0)
        if t.ndim != 2 or t.shape[1] != L:
            raise ProblemParameterError(f"{self.key}: expected node tokens of shape (count, {L}), got {t.shape}")
        nodes = np.delete(t, 2 * E, axis=1) if self.n_targets else t
        if nodes.size and ((nodes < 0) | (nodes >= N)).any():
            r, c = np.argwhere((nodes < 0) | (nodes >= N))[0]
            raise ProblemParameterError(
                f"{self.key}: token {int(nodes[r, c])} in row {r} is not a node id in [0, {N})")
        out = {"edges": t[:, : 2 * E].reshape(len(t), E, 2)}
        if self.n_targets:
            if (t[:, 2 * E] != N).any():
                raise ProblemParameterError(f"{self.key}: expected '|' after the edges")
            out["source"], out["targets"] = t[:, 2 * E + 1], t[:, 2 * E + 2 :]
        return out

    def n_edges(self, n: int, params: Mapping[str, Any]) -> int:
        raise NotImplementedError

    def families(self) -> list[Any]:
        """``squaring`` (log), ``bfs`` (recurrent) and ``squarings2`` (bounded); see :func:`squarings_family`."""
        from .families import reach_families

        return list(reach_families(self.key))
