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

__all__ = ["GridEntry", "study", "write_study", "check_out_dir", "plot_depth", "plot_accuracy", "markdown_tables", "COLUMNS"]

#: Columns of a study table (one row per problem, family, n).
COLUMNS = [
    "problem", "family", "kind", "n", "depth", "size", "serial_depth", "steps", "accuracy",
    "mean_steps_used", "claimed_depth", "claimed", "agrees", "fitted_growth", "seconds",
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
    families : sequence of CircuitFamily, optional
        Default: every family the problem registers.
    count : int
        Instances per n for accuracy (at least 1).
    sample_params : dict
        Parameters for ``problem.sample`` (e.g. a knob held fixed).
    accuracy_up_to : int, optional
        Skip simulation above this n (depth is still measured): for families whose circuits get big.
    max_n : dict of str to int
        Per family name, the largest n to build at all (constructions whose size grows fast).
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
    (the wall-clock time of each cell), the one column that differs from run to run.
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
    largest n, and accuracy at each n."""
    parts = []
    for problem, grp in table.groupby("problem", sort=False):
        ns = sorted(grp["n"].unique())
        header = ["family", "kind", "claimed depth", "fitted growth", f"serial depth at n={ns[-1]}"] + [f"acc n={k}" for k in ns]
        lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
        for fam, g in grp.groupby("family", sort=False):
            g = g.set_index("n")
            last = g.loc[ns[-1]] if ns[-1] in g.index else g.iloc[-1]
            accs = [
                ("-" if k not in g.index or pd.isna(g.loc[k, "accuracy"]) else f"{g.loc[k, 'accuracy']:.2f}") for k in ns
            ]
            fit = g["fitted_growth"].iloc[0] or "-"
            lines.append("| " + " | ".join([fam, g["kind"].iloc[0], g["claimed_depth"].iloc[0], str(fit), str(int(last["serial_depth"]))] + accs) + " |")
        parts.append(f"### {problem}\n\n" + "\n".join(lines))
    return "\n\n".join(parts) + "\n"


def _grid_axes(k: int) -> tuple[Any, Any]:
    # A pyplot-free Figure: no global backend switch, so notebooks keep their inline backend.
    from matplotlib.figure import Figure

    cols = min(3, k)
    rows = math.ceil(k / cols)
    fig = Figure(figsize=(5 * cols, 3.8 * rows))
    axes = fig.subplots(rows, cols, squeeze=False)
    return fig, axes


# One colour, marker and line style per family kind, the same in every panel; markers shrink from
# constant to bounded so lines that coincide (every exact family at accuracy 1) stay visible.
_KIND_STYLE = {
    "constant": dict(color="tab:green", marker="s", linestyle="-", markersize=9),
    "log": dict(color="tab:blue", marker="o", linestyle="--", markersize=7),
    "polylog": dict(color="tab:cyan", marker="v", linestyle="--", markersize=6),
    "recurrent": dict(color="tab:orange", marker="^", linestyle=":", markersize=5),
    "bounded": dict(color="tab:red", marker="D", linestyle="-", markersize=4),
}


def _plot_family(ax: Any, x: Any, y: Any, family: str, kind: str, index: int) -> None:
    style = dict(_KIND_STYLE.get(kind, {"marker": "o"}))
    if index:  # a second family of the same kind in one panel: same colour family, lighter
        style["alpha"] = 0.6
        style["markerfacecolor"] = "none"
    ax.plot(x, y, label=f"{family} ({kind})", **style)


def _finish(fig: Any, path: str | Path | None) -> Any:
    """Save to ``path`` and close (for scripts), or return the figure (for notebooks)."""
    fig.tight_layout()
    if path is None:
        return fig
    fig.savefig(path, dpi=110)
    return None


def plot_depth(table: pd.DataFrame, path: str | Path | None = None) -> Any:
    """Serial depth vs n on log axes, one panel per problem, one line per family.

    Written to ``path`` (PNG) when given, else the matplotlib Figure is returned."""
    problems = list(dict.fromkeys(table["problem"]))
    fig, axes = _grid_axes(len(problems))
    for ax, problem in zip(axes.flat, problems):
        grp = table[table["problem"] == problem]
        seen: dict[str, int] = {}
        for fam, g in grp.groupby("family", sort=False):
            kind = g["kind"].iloc[0]
            _plot_family(ax, g["n"], g["serial_depth"].clip(lower=1), fam, kind, seen.setdefault(kind, 0))
            seen[kind] += 1
        ax.set_xscale("log", base=2)
        ax.set_yscale("log", base=2)
        ax.set_title(problem)
        ax.set_xlabel("n")
        ax.set_ylabel("serial depth")
        ax.legend(fontsize=7)
    for ax in list(axes.flat)[len(problems):]:
        ax.axis("off")
    return _finish(fig, path)


def plot_accuracy(table: pd.DataFrame, path: str | Path | None = None) -> Any:
    """Accuracy vs n for every family (bounded families fall off where theory says).

    Written to ``path`` (PNG) when given, else the matplotlib Figure is returned."""
    problems = list(dict.fromkeys(table["problem"]))
    fig, axes = _grid_axes(len(problems))
    for ax, problem in zip(axes.flat, problems):
        grp = table[(table["problem"] == problem) & table["accuracy"].notna()]
        seen: dict[str, int] = {}
        for fam, g in grp.groupby("family", sort=False):
            kind = g["kind"].iloc[0]
            _plot_family(ax, g["n"], g["accuracy"], fam, kind, seen.setdefault(kind, 0))
            seen[kind] += 1
        ax.set_xscale("log", base=2)
        ax.set_ylim(-0.05, 1.05)
        ax.set_title(problem)
        ax.set_xlabel("n")
        ax.set_ylabel("accuracy")
        ax.legend(fontsize=7)
    for ax in list(axes.flat)[len(problems):]:
        ax.axis("off")
    return _finish(fig, path)


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

    Raises
    ------
    SerialcompError
        If ``out_dir`` is a file or cannot be created (see :func:`check_out_dir`).
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
