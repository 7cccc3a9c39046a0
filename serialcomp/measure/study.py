"""Studies: the grid problems x families x n, as one tidy table, with fits, Markdown and plots."""

from __future__ import annotations

import math
import os
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterable, Sequence

import numpy as np
import pandas as pd

from .._seed import derive_seed
from ..errors import SerialcompError
from ..ir.family import CircuitFamily
from ..ir.looped import LoopedCircuit
from .accuracy import _check_count, accuracy
from .growth import fit_growth, format_depth
from .plots import plot_accuracy, plot_depth

__all__ = [
    "GridEntry", "study", "write_study", "check_out_dir", "plot_depth", "plot_accuracy", "markdown_tables", "json_rows",
    "COLUMNS", "JSON_KEYS",
]

#: Columns of a study table (one row per problem, family, n).
COLUMNS = [
    "problem", "family", "kind", "n", "depth", "size", "serial_depth", "steps", "accuracy",
    "mean_steps_used", "claimed_depth", "claimed", "agrees", "fitted_growth", "seconds",
]

#: Keys of :func:`json_rows` (the rows of ``serialcomp study --json``), in order.
JSON_KEYS = [
    "problem", "family", "kind", "n", "depth", "size", "serial_depth", "accuracy", "fitted_growth", "claimed_depth",
    "claimed_depth_at_n", "agrees",
]


@dataclass(frozen=True)
class GridEntry:
    """One problem of a study: its sizes, its families, and sampling options.

    Attributes
    ----------
    problem : str
        Registry key.
    ns : sequence of int
        Sizes to measure.
    families : sequence of CircuitFamily, or callable, optional
        Default: every family the problem registers. A callable is called with the problem (at
        study time, so a grid can name families without building problems on import).
    count : int
        Instances per n for accuracy (at least 1).
    sample_params : dict
        Parameters for ``problem.sample`` (e.g. a knob held fixed).
    accuracy_up_to : int, optional
        Skip simulation above this n (depth is still measured): for families whose circuits get big.
    max_n : dict of str to int
        Per family name, the largest n to build at all (constructions whose size grows fast).

    Example
    -------
    >>> e = GridEntry("parity", (2, 4, 8), count=16)
    >>> e.problem, tuple(e.ns), e.count, e.families, e.max_n
    ('parity', (2, 4, 8), 16, None, {})
    >>> GridEntry("parity", (2, 4), count=0)
    Traceback (most recent call last):
    ...
    serialcomp.errors.ProblemParameterError: GridEntry('parity').count must be an integer >= 1 (instances to sample), got 0
    """

    problem: str
    ns: Sequence[int]
    families: Sequence[CircuitFamily] | None = None
    count: int = 128
    sample_params: dict[str, Any] = field(default_factory=dict)
    accuracy_up_to: int | None = None
    max_n: dict[str, int] = field(default_factory=dict)

    def __post_init__(self) -> None:
        _check_count(self.count, f"GridEntry({self.problem!r}).count")


def _families_of(problem: Any, entry: GridEntry) -> list[CircuitFamily]:
    if callable(entry.families):
        return list(entry.families(problem))
    if entry.families is not None:
        return list(entry.families)
    fams = problem.families() if hasattr(problem, "families") else []
    if not fams:
        raise SerialcompError(f"problem {entry.problem!r} has no circuit families to study")
    return list(fams)


def study(grid: Iterable[GridEntry], seed: int = 0, progress: bool = True) -> pd.DataFrame:
    """Measure every (problem, family, n) of ``grid``: depth, size, serial depth, accuracy, fits.

    Instances are sampled once per (problem, n) with a seed derived from ``seed``, the problem and
    n, and shared by the families; each circuit is built and compiled once.

    Returns
    -------
    pandas.DataFrame
        Columns :data:`COLUMNS`; ``fitted_growth`` is the growth class of serial depth over the
        family's n (the same on each of its rows).

    Raises
    ------
    SerialcompError
        If two entries of ``grid`` name the same problem.

    Notes
    -----
    The table is deterministic: the same grid and ``seed`` give the same rows, except ``seconds``
    (the wall-clock time of each cell), the one column that differs from run to run. ``claimed``
    is the claimed depth at n (an integer) and ``agrees`` whether the serial depth equals it (is at
    most it, for a family whose claim is an upper bound). ``fitted_growth`` is
    :func:`~serialcomp.measure.fit_growth` over the family's sizes (None with fewer than 3).

    Example
    -------
    >>> t = study([GridEntry("parity", (2, 4, 8), count=4)], progress=False)
    >>> t[["family", "n", "serial_depth", "accuracy", "fitted_growth", "claimed_depth"]]
           family  n  serial_depth  accuracy fitted_growth claimed_depth
    0    xor_tree  2             1       1.0         log n  ceil(log2 n)
    1    xor_tree  4             2       1.0         log n  ceil(log2 n)
    2    xor_tree  8             3       1.0         log n  ceil(log2 n)
    3  threshold2  2             2       1.0             1             2
    4  threshold2  4             2       1.0             1             2
    5  threshold2  8             2       1.0             1             2
    6      stream  2             2       1.0             n             n
    7      stream  4             4       1.0             n             n
    8      stream  8             8       1.0             n             n
    """
    from ..problems import get_problem

    entries = list(grid)
    seen: set[str] = set()
    for e in entries:
        if e.problem in seen:
            raise SerialcompError(
                f"study: problem {e.problem!r} appears in more than one GridEntry; give each problem once"
            )
        seen.add(e.problem)
    jobs = []
    for e in entries:
        prob = get_problem(e.problem)
        for fam in _families_of(prob, e):
            for n in e.ns:
                if int(n) <= e.max_n.get(fam.name, int(n)):
                    jobs.append((e, prob, fam, int(n)))
    bar = None
    if progress:
        from tqdm import tqdm

        bar = tqdm(total=len(jobs), desc="study", unit="cell", file=sys.stderr, leave=False)
    rows = []
    samples: dict[tuple[str, int], Any] = {}
    for e, prob, fam, n in jobs:
        if bar is not None:
            bar.set_postfix_str(f"{e.problem} {fam.name} n={n}", refresh=False)
        t0 = time.perf_counter()
        built = fam(n)
        step = built.step if isinstance(built, LoopedCircuit) else built
        steps = fam.n_steps(n)
        serial = fam.serial_depth(n)
        claimed = fam.claimed(n)
        acc = float("nan")
        mean_steps = float("nan")
        if e.accuracy_up_to is None or n <= e.accuracy_up_to:
            key = (e.problem, n)
            if key not in samples:
                samples[key] = prob.sample(n, e.count, derive_seed(seed, e.problem, n), **e.sample_params)
            res = accuracy(fam, prob, n, instances=samples[key])
            acc = res.accuracy
            if res.steps is not None:
                mean_steps = float(np.mean(res.steps))
        rows.append(
            {
                "problem": e.problem, "family": fam.name, "kind": fam.kind, "n": n,
                "depth": step.depth(), "size": step.n_gates, "serial_depth": serial, "steps": steps,
                "accuracy": acc, "mean_steps_used": mean_steps, "claimed_depth": format_depth(fam.claimed_depth),
                "claimed": claimed, "agrees": serial == claimed if fam.exact else serial <= claimed,
                "fitted_growth": None, "seconds": round(time.perf_counter() - t0, 4),
            }
        )
        if bar is not None:
            bar.update(1)
    if bar is not None:
        bar.close()
    table = pd.DataFrame(rows, columns=COLUMNS)
    for (_, _), grp in table.groupby(["problem", "family"], sort=False):
        if grp["n"].nunique() >= 3:
            table.loc[grp.index, "fitted_growth"] = fit_growth(grp["n"], grp["serial_depth"]).growth
    return table


def markdown_tables(table: pd.DataFrame) -> str:
    """One Markdown table per problem: family, kind, claimed depth, fitted growth, depth at the
    largest n, and accuracy at each n.

    A family not measured at the problem's largest n shows its serial depth at its own largest n,
    with that n in brackets; ``-`` marks an accuracy that was not measured.

    Example
    -------
    >>> t = study([GridEntry("parity", (2, 4, 8), count=4)], progress=False)
    >>> print(markdown_tables(t))
    ### parity
    <BLANKLINE>
    | family | kind | claimed depth | fitted growth | serial depth at n=8 | acc n=2 | acc n=4 | acc n=8 |
    |---|---|---|---|---|---|---|---|
    | xor_tree | log | ceil(log2 n) | log n | 3 | 1.00 | 1.00 | 1.00 |
    | threshold2 | constant | 2 | 1 | 2 | 1.00 | 1.00 | 1.00 |
    | stream | recurrent | n | n | 8 | 1.00 | 1.00 | 1.00 |
    <BLANKLINE>
    """
    parts = []
    for problem, grp in table.groupby("problem", sort=False):
        ns = sorted(grp["n"].unique())
        header = ["family", "kind", "claimed depth", "fitted growth", f"serial depth at n={ns[-1]}"] + [f"acc n={k}" for k in ns]
        lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
        for fam, g in grp.groupby("family", sort=False):
            g = g.set_index("n")
            last_n = max(g.index)
            depth = str(int(g.loc[last_n, "serial_depth"]))
            if last_n != ns[-1]:
                depth += f" (n={last_n})"
            accs = [
                ("-" if k not in g.index or pd.isna(g.loc[k, "accuracy"]) else f"{g.loc[k, 'accuracy']:.2f}") for k in ns
            ]
            fit = g["fitted_growth"].iloc[0] or "-"
            lines.append("| " + " | ".join([fam, g["kind"].iloc[0], g["claimed_depth"].iloc[0], str(fit), depth] + accs) + " |")
        parts.append(f"### {problem}\n\n" + "\n".join(lines))
    return "\n\n".join(parts) + "\n"


def json_rows(table: pd.DataFrame) -> list[dict[str, Any]]:
    """The rows of a study table as plain dicts for JSON: the keys ``problem, family, kind, n,
    depth, size, serial_depth, accuracy, fitted_growth, claimed_depth`` and, besides them,
    ``claimed_depth_at_n`` (the claim's integer value at n) and ``agrees`` (bool).

    Values are Python scalars (``int``, ``float``, ``bool``, ``str``); a missing value (accuracy
    not measured, no growth fit) is None.

    Example
    -------
    >>> t = study([GridEntry("parity", (2, 4, 8), count=4)], progress=False)
    >>> json_rows(t)[0]  # doctest: +NORMALIZE_WHITESPACE
    {'problem': 'parity', 'family': 'xor_tree', 'kind': 'log', 'n': 2, 'depth': 1, 'size': 1,
     'serial_depth': 1, 'accuracy': 1.0, 'fitted_growth': 'log n', 'claimed_depth': 'ceil(log2 n)',
     'claimed_depth_at_n': 1, 'agrees': True}
    """
    src = table[JSON_KEYS[:-2] + ["claimed", "agrees"]].rename(columns={"claimed": "claimed_depth_at_n"})
    rows = []
    for rec in src.to_dict(orient="records"):
        row = {}
        for k, v in rec.items():
            if v is None or (isinstance(v, float) and math.isnan(v)) or v is pd.NA:
                row[k] = None
            else:
                row[k] = v.item() if hasattr(v, "item") else v
        row["agrees"] = None if row["agrees"] is None else bool(row["agrees"])
        rows.append(row)
    return rows


def check_out_dir(out_dir: str | Path, what: str = "out_dir") -> Path:
    """Check, without creating anything, that ``out_dir`` can be the output folder of a study.

    It must be an existing folder, or a path whose nearest existing ancestor is a folder, and
    writable. Call it before a long run so a bad path fails at once.

    Raises
    ------
    SerialcompError
        Naming ``what`` (e.g. ``"--out"``) and the path, when it is a file or cannot be written.

    Example
    -------
    >>> import tempfile, pathlib
    >>> f = pathlib.Path(tempfile.mkdtemp()) / "x.txt"; _ = f.write_text("")
    >>> check_out_dir(f, "--out")
    Traceback (most recent call last):
    ...
    serialcomp.errors.SerialcompError: --out ...x.txt: exists and is not a folder
    """
    out = Path(out_dir)
    probe = out
    while not probe.exists() and probe != probe.parent:
        probe = probe.parent
    if probe.exists() and not probe.is_dir():
        if probe == out:
            raise SerialcompError(f"{what} {out}: exists and is not a folder")
        raise SerialcompError(f"{what} {out}: {probe} is a file, not a folder")
    if probe.exists() and not os.access(probe, os.W_OK | os.X_OK):
        raise SerialcompError(f"{what} {out}: {probe} is not writable")
    return out


def write_study(table: pd.DataFrame, out_dir: str | Path) -> dict[str, Path]:
    """Write results.parquet, table.md, depth.png and accuracy.png into ``out_dir`` (created if missing).

    Returns
    -------
    dict of str to Path
        The paths written, under the keys ``parquet``, ``markdown``, ``depth`` and ``accuracy``.

    Raises
    ------
    SerialcompError
        If ``out_dir`` is a file or cannot be created (see :func:`check_out_dir`).

    Example
    -------
    >>> import tempfile
    >>> t = study([GridEntry("parity", (2, 4, 8), count=4)], progress=False)
    >>> paths = write_study(t, tempfile.mkdtemp())
    >>> sorted(paths), sorted(p.name for p in paths.values() if p.stat().st_size > 0)
    (['accuracy', 'depth', 'markdown', 'parquet'], ['accuracy.png', 'depth.png', 'results.parquet', 'table.md'])
    >>> len(pd.read_parquet(paths["parquet"])) == len(t)
    True
    """
    out = check_out_dir(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    paths = {
        "parquet": out / "results.parquet",
        "markdown": out / "table.md",
        "depth": out / "depth.png",
        "accuracy": out / "accuracy.png",
    }
    table.to_parquet(paths["parquet"], index=False)
    paths["markdown"].write_text(markdown_tables(table))
    plot_depth(table, paths["depth"])
    plot_accuracy(table, paths["accuracy"])
    return paths
