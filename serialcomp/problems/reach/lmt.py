"""The flower graphs of "Let Me Think!" (arXiv 2505.21825) and the paper's text format.

The layout (``reach:flower --param layout=lmt``): a chain of junctions ``J_0 .. J_d``; petal ``i``
joins ``J_i`` to ``J_{i+1}`` by a short path of ``short`` edges and a long path of ``long`` edges,
and a dead end of ``dead`` edges hangs off ``J_i``. With the paper's lengths (3, 5, 3) a component
of depth ``d`` has ``10d + 1`` nodes and ``11d`` edges; the decision task is the component plus an
isomorphic copy, the source ``J_0`` of the first, the targets ``J_d`` of both.

Positions (node numbers before the shuffle): ``J_i = i*m`` with ``m = short + long + dead - 1``;
petal ``i`` numbers its short path's inner nodes ``J_i + 1 ..``, then the long path's (from
``J_i``), then the dead end's (outwards from ``J_i``). The copy is shifted by ``N = d*m + 1``.

The text format is the one the paper's ``gen_mission_str`` writes (edges in random order and
direction, targets in the record's order), then ``work`` and ``decision`` lines::

    graph: [u v u v ...]
    task: s to t1 or t2 / 
    work: [trace]
    decision: [t]

Its tokens (:func:`lmt_tokenize`) are words, numbers and single symbols between ``BOS`` and
``EOS``; ``/`` separates the prompt from the answer; :func:`lmt_vocab` is the paper's vocabulary.
"""

from __future__ import annotations

import re
from typing import Any, Sequence

import numpy as np

from ..._validate import check_int
from ...errors import ProblemParameterError

__all__ = ["LMT_LENGTHS", "lmt_component", "lmt_num_nodes", "mission_text", "lmt_vocab", "lmt_tokenize",
           "lmt_encode", "text_column", "TEXT_WORK"]

LMT_LENGTHS = {"short": 3, "long": 5, "dead": 3}
"""The paper's petal: a short path of 3 edges, a long path of 5 edges, a dead end of 3 edges."""

TEXT_WORK = ("none", "optimal", "dfs", "path", "dfs-pruned", "bfs", "random")
"""The ``work`` traces of the text format, by the paper's names (``gen.py --search_types``):
``none`` (no work line), ``optimal`` (the shortest path), ``dfs`` (the DFS trace with its
backtracking), ``path`` (the DFS's s-t path), ``dfs-pruned`` (the DFS's first visits), ``bfs`` (the
BFS order), ``random`` (a random walk until it hits the target)."""

_TOKEN = re.compile(r"([A-Za-z]+|\d+|\S)")
_KEYWORDS = ("graph", "task", "work", "decision", "to", "or")
_PUNCTS = (":", "[", "(", ",", ")", "]")
_SPECIAL = ("UNK", "PAD", "/", "BOS", "EOS")


def lmt_num_nodes(petals: int, short: int = 3, long: int = 5, dead: int = 3) -> int:
    """Nodes of one component: ``petals * (short + long + dead - 1) + 1`` (``10d + 1`` for the paper's lengths).

    Example
    -------
    >>> lmt_num_nodes(5)
    51
    """
    return petals * (short + long + dead - 1) + 1


def lmt_component(petals: int, short: int = 3, long: int = 5, dead: int = 3) -> np.ndarray:
    """The edges of one component in positions (``J_0 = 0``, ``J_d = N - 1``), int64 ``(petals*(short+long+dead), 2)``.

    Parameters
    ----------
    petals : int
        The depth ``d`` (number of petals), >= 1.
    short, long : int
        Edges of the two paths of a petal, ``1 <= short < long``.
    dead : int
        Edges of the dead end at ``J_i``, >= 0.

    Notes
    -----
    ``d*(short + long + dead)`` edges on ``d*(short + long + dead - 1) + 1`` nodes; O(that) time.

    Example
    -------
    >>> e = lmt_component(1)
    >>> e.shape, int(e.max()) + 1
    ((11, 2), 11)
    """
    d = check_int("petals", petals, 1, where="the lmt flower", error=ProblemParameterError)
    short = check_int("short", short, 1, where="the lmt flower", error=ProblemParameterError)
    long = check_int("long", long, short + 1, where=f"the lmt flower with short={short} (long > short)",
                     error=ProblemParameterError)
    dead = check_int("dead", dead, 0, where="the lmt flower", error=ProblemParameterError)
    m = short + long + dead - 1
    edges: list[tuple[int, int]] = []
    for i in range(d):
        j, nxt = i * m, (i + 1) * m

        def route(inner: range, end: int) -> None:
            prev = j
            for v in inner:
                edges.append((prev, v))
                prev = v
            edges.append((prev, end))

        route(range(j + 1, j + short), nxt)  # short path: short - 1 inner nodes
        route(range(j + short, j + short + long - 1), nxt)  # long path: long - 1 inner nodes
        prev = j
        for v in range(j + short + long - 1, j + m):  # dead end: dead nodes outwards from J_i
            edges.append((prev, v))
            prev = v
    return np.array(edges, dtype=np.int64).reshape(-1, 2)


def mission_text(edges: np.ndarray, source: int, targets: Sequence[int], answer: int,
                 work: Sequence[int] | None = None) -> str:
    """One record in the paper's text format (``gen_mission_str`` with the ``work`` and ``decision`` clues).

    Parameters
    ----------
    edges : int array ``(E, 2)``
        The edges in the order and direction to write them.
    source, targets, answer : int
        ``s``, ``(t1, t2)`` in the order to write them, and the connected target.
    work : sequence of int, optional
        The trace; ``None`` writes no work line.

    Example
    -------
    >>> print(mission_text(np.array([[0, 1], [2, 3]]), 0, (3, 1), 1, work=[0, 1]))
    graph: [0 1 2 3]
    task: 0 to 3 or 1 / 
    work: [0 1]
    decision: [1]
    """
    e = np.asarray(edges).reshape(-1).tolist()
    t1, t2 = (int(t) for t in targets)
    text = f"graph: [{' '.join(map(str, e))}]\ntask: {int(source)} to {t1} or {t2} / "
    if work is not None:
        text += f"\nwork: [{' '.join(str(int(v)) for v in work)}]"
    return text + f"\ndecision: [{int(answer)}]"


def lmt_vocab(num_node_tokens: int) -> dict[str, int]:
    """The paper's vocabulary: node ids ``0 .. num_node_tokens - 1``, then keywords, punctuation and specials.

    Example
    -------
    >>> v = lmt_vocab(102)
    >>> v["101"], v["graph"], v[":"], v["/"], len(v)
    (101, 102, 108, 116, 119)
    """
    k = check_int("num_node_tokens", num_node_tokens, 1, where="lmt_vocab", error=ProblemParameterError)
    vocab = {str(i): i for i in range(k)}
    for idx, tok in enumerate(_KEYWORDS + _PUNCTS + _SPECIAL, start=k):
        vocab[tok] = idx
    return vocab


def lmt_tokenize(text: str) -> list[str]:
    """The paper's tokens of a text: ``BOS``, words, numbers and single symbols, ``EOS``.

    Example
    -------
    >>> lmt_tokenize("task: 0 to 3 or 1 / ")
    ['BOS', 'task', ':', '0', 'to', '3', 'or', '1', '/', 'EOS']
    """
    return ["BOS", *_TOKEN.findall(text), "EOS"]


def lmt_encode(text: str, num_node_tokens: int) -> np.ndarray:
    """Token ids of a text in :func:`lmt_vocab`, int64; a token outside it is an error naming it.

    Example
    -------
    >>> lmt_encode("decision: [7]", 10).tolist()
    [25, 13, 16, 17, 7, 21, 26]
    """
    vocab = lmt_vocab(num_node_tokens)
    out = []
    for tok in lmt_tokenize(text):
        if tok not in vocab:
            raise ProblemParameterError(f"lmt_encode: token {tok!r} is not in the vocabulary of "
                                        f"{num_node_tokens} node tokens")
        out.append(vocab[tok])
    return np.array(out, dtype=np.int64)


def text_column(instances: Any, work: str) -> list[str]:
    """The text of every record of ``reach:flower`` instances, with ``work`` traces (:data:`TEXT_WORK`).

    Edges are written in a random order and direction and the traces drawn from counter-based
    streams of the record (tags ``text/edges``, ``text/flip``, ``text/work``), so record ``i``'s text
    depends only on its seed, ``n``, parameters and index.

    Example
    -------
    >>> from serialcomp.problems import get_problem
    >>> inst = get_problem("reach:flower").sample(11, 1, seed=0, layout="lmt")
    >>> text_column(inst, "optimal")[0].count("\\n")
    3
    """
    from ...chains.graph import SearchGraph
    from ...chains.search import run_chain
    from ..rng import RecordRNG

    if work not in TEXT_WORK:
        raise ProblemParameterError(f"reach:flower: text must be one of {', '.join(TEXT_WORK)}, got {work!r}")
    rng = RecordRNG(instances.seed, f"{instances.problem}/n={instances.n}", instances.index)
    edges = instances.inputs["edges"]
    E = edges.shape[1]
    order = rng.permutations("text/edges", E) if len(instances) else np.zeros((0, E), np.int64)
    flip = rng.bits("text/flip", (E,))
    states = [s.state for s in rng.streams("text/work")]
    N = 2 * instances.n
    strategy = {"optimal": "shortest", "dfs": "dfs", "path": "dfs", "dfs-pruned": "dfs", "bfs": "bfs",
                "random": "walk"}.get(work)
    out = []
    for i in range(len(instances)):
        e = edges[i][order[i]]
        e = np.where(flip[i][:, None], e[:, ::-1], e)
        s = int(instances.inputs["source"][i])
        tg = instances.inputs["targets"][i].tolist()
        t = int(tg[int(instances.targets["target"][i])])
        trace = None
        if strategy is not None:
            g = SearchGraph.from_edges(edges[i], N, s, t)
            tr = run_chain(g, strategy, state=states[i])
            trace = {"path": tr.path, "dfs-pruned": tr.first_visits()}.get(work, tr.nodes)
        out.append(mission_text(e, s, tg, t, trace))
    return out
