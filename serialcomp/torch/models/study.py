"""The loops study: accuracy against loops at each n, L*(n) with its growth fit, and the depth of
the problem's circuit families on the same figure.

``L*(n)`` is the fewest loops with which the model reaches the threshold accuracy (0.95 by
default) at size n under fixed-L evaluation; it is undefined (NaN) where no loop count up to the
study's largest reaches it. Its growth class among 1, log n, log^2 n, sqrt n, n, ... is fitted with
:func:`serialcomp.measure.fit_growth`, the fit the circuit families' depth profiles
(:func:`serialcomp.measure.depth_profile`) get, and both are drawn on one figure: how the loops a
learned model needs grow, beside how the serial depth of exact circuits grows.

The result is one tidy table (:attr:`LoopStudy.table`, written as ``loops.parquet``) with a
``kind`` column: ``"model"`` rows (one per n, halting rule and loop count: accuracy, loops used,
and per n ``l_star`` and the fitted ``l_star_growth``) and ``"circuit"`` rows (one per family and
n: ``serial_depth``, ``claimed_depth``, ``fitted_growth``).
"""

from __future__ import annotations

import contextlib
import json
import math
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Sequence

import numpy as np
import pandas as pd

from ..._atomic import atomic_path
from ..._validate import check_float, check_int
from ...errors import ProblemParameterError, SerialcompError
from .checkpoint import LoopModel
from .evaluate import evaluate

__all__ = ["LOOPS_FILES", "LoopStudy", "l_star", "loops_study", "plot_loops", "read_loops_study", "write_loops_study"]

#: Files of :func:`write_loops_study` in the output folder.
LOOPS_FILES = {"parquet": "loops.parquet", "plot": "loops.png"}


def l_star(table: pd.DataFrame, threshold: float = 0.95) -> pd.DataFrame:
    """Per n: ``l_star``, the fewest loops whose fixed-L accuracy reaches ``threshold`` (NaN if none),
    and ``best_accuracy`` with the loops that reach it (``best_loops``).

    Parameters
    ----------
    table : pandas.DataFrame
        Rows of :func:`~serialcomp.torch.models.evaluate` (those with ``halt == "fixed"`` count).

    Example
    -------
    >>> t = pd.DataFrame({"n": [4, 4, 4, 8, 8], "halt": "fixed", "loops": [1, 2, 3, 1, 2],
    ...                   "accuracy": [0.2, 0.96, 0.99, 0.1, 0.5]})
    >>> l_star(t).values.tolist()
    [[4.0, 2.0, 0.99, 3.0], [8.0, nan, 0.5, 2.0]]
    """
    fixed = table[table["halt"] == "fixed"]
    rows = []
    for n, g in fixed.groupby("n", sort=True):
        g = g.sort_values("loops")
        ok = g[g["accuracy"] >= threshold]
        best = g.loc[g["accuracy"].idxmax()]
        rows.append({"n": n, "l_star": float(ok["loops"].iloc[0]) if len(ok) else float("nan"),
                     "best_accuracy": float(best["accuracy"]), "best_loops": float(best["loops"])})
    return pd.DataFrame(rows, columns=["n", "l_star", "best_accuracy", "best_loops"])


@dataclass(frozen=True)
class LoopStudy:
    """The result of :func:`loops_study`.

    Attributes
    ----------
    table : pandas.DataFrame
        The tidy table of the module docstring.
    lstar : pandas.DataFrame
        :func:`l_star` of the model rows, with fixed-point accuracy and loops used per n.
    fit : GrowthFit or None
        Growth of L*(n) over the n where it is defined (None with fewer than 3 such n).
    fit_note : str
        Why there is no fit, or the fitted class.
    profiles : dict
        Family name -> :class:`~serialcomp.measure.DepthProfile` over the study's sizes.
    info : dict
        Problem, config name, n_train, loops_train, threshold, count, seed.
    """

    table: pd.DataFrame
    lstar: pd.DataFrame
    fit: Any
    fit_note: str
    profiles: dict[str, Any]
    info: dict[str, Any]

    def to_markdown(self) -> str:
        """Accuracy against loops (one row per n), L*(n) with halting, and the growth fits."""
        model = self.table[self.table["kind"] == "model"]
        fixed = model[model["halt"] == "fixed"]
        acc = fixed.astype({"loops": int}).pivot(index="n", columns="loops", values="accuracy")
        i = self.info
        head = (f"**{i['problem']}** {i['params']} (model {i['config']}, trained at n = {i['n_train']} with up to "
                f"{i['loops_train']} loops; {i['count']} records per n, seed {i['seed']})")
        parts = [head, "", "Accuracy against loops (fixed L):", "", acc.round(3).to_markdown(), ""]
        ls = self.lstar.copy()
        parts += [f"L*(n): fewest loops reaching {i['threshold']}; fixed-point and confidence halting with a budget "
                  f"of {i['max_loops']} loops:", "", ls.to_markdown(index=False, floatfmt=".3g"), "",
                  f"L*(n) growth: {self.fit_note}"]
        if self.profiles:
            fams = ", ".join(f"{name} {p.fit.growth if p.fit else '-'}" for name, p in self.profiles.items())
            parts.append(f"Circuit families' serial depth growth over the same n: {fams}")
        return "\n".join(parts)

    def _repr_markdown_(self) -> str:
        return self.to_markdown()


def _profiles(problem: Any, ns: Sequence[int], params: dict[str, Any]) -> dict[str, Any]:
    from ...measure import depth_profile

    out = {}
    for fam in problem.families():
        try:
            out[fam.name] = depth_profile(fam, [n for n in ns if n >= problem.min_n])
        except SerialcompError:  # a family that cannot be built at these sizes is left out
            continue
    return out


def _fit(ns: np.ndarray, ys: np.ndarray) -> tuple[Any, str]:
    from ...measure import fit_growth

    ok = ~np.isnan(ys)
    if ok.sum() < 3:
        return None, f"not fitted: L*(n) is defined at {int(ok.sum())} sizes, a fit needs 3 (4 spanning a factor 4 to be determined)"
    try:
        fit = fit_growth(ns[ok].astype(float), ys[ok].astype(float))
    except SerialcompError as exc:
        return None, f"not fitted: {exc}"
    note = fit.growth if fit.reason is None else f"{fit.growth} ({fit.reason})"
    return fit, note


def loops_study(lm: LoopModel, ns: Sequence[int] | None = None, max_loops: int | None = None, count: int | None = None,
                seed: int = 0, threshold: float | None = None, eps: float = 0.1, families: bool = True,
                batch_size: int = 512, threads: int | None = 1) -> LoopStudy:
    """Measure ``lm`` at every n and loop count, find L*(n), fit its growth, and profile the circuits.

    Parameters
    ----------
    lm : LoopModel
    ns : sequence of int, optional
        Sizes (default: the config's ``study_ns``).
    max_loops : int, optional
        Largest loop count, and the budget of the halting rules (default: ``study_loops``).
    count, seed : int
        Records per n (default: the config's ``eval_count``), sampled as ``serialcomp generate``.
    threshold : float, optional
        Accuracy defining L*(n) (default: the config's, 0.95).
    eps : float
        Residual of fixed-point halting.
    families : bool
        Also measure the depth profiles of the problem's circuit families over ``ns``.
    batch_size, threads : int
        As in :func:`~serialcomp.torch.models.evaluate`.

    Example
    -------
    >>> from serialcomp.torch.models import get_config, train
    >>> lm = train(get_config("tiny", steps=2, eval_count=8))
    >>> s = loops_study(lm, ns=[2, 4, 8], max_loops=3, count=16, families=False)
    >>> sorted(set(s.table["halt"])), list(s.lstar["n"])
    (['confidence', 'fixed', 'fixed-point'], [2, 4, 8])

    Notes
    -----
    Per n: one pass of ``max_loops`` loops serves every fixed L; fixed-point and confidence halting
    run once more each. Depth profiles build each family once per n.
    """
    cfg = lm.config
    err = ProblemParameterError
    ns = sorted({check_int("ns", k, 1, where="loops study", error=err) for k in (ns or cfg.study_ns)})
    max_loops = check_int("max_loops", max_loops or cfg.study_loops, 1, where="loops study", error=err)
    count = check_int("count", count or cfg.eval_count, 1, where="loops study", error=err)
    threshold = check_float("threshold", cfg.threshold if threshold is None else threshold, 0.0, 1.0,
                            where="loops study", error=err)
    ev = dict(batch_size=batch_size, threads=threads)
    fixed = evaluate(lm, ns, range(1, max_loops + 1), "fixed", count, seed, **ev)
    fp = evaluate(lm, ns, [max_loops], "fixed-point", count, seed, eps=eps, **ev)
    conf = evaluate(lm, ns, [max_loops], "confidence", count, seed, **ev)
    model = pd.concat([fixed, fp, conf], ignore_index=True)
    ls = l_star(model, threshold)
    fit, note = _fit(ls["n"].to_numpy(), ls["l_star"].to_numpy(dtype=float))
    ls = _with_halting(ls, fp, conf)
    model = model.merge(ls[["n", "l_star"]], on="n", how="left")
    model.insert(0, "kind", "model")
    model["l_star_growth"] = fit.growth if fit is not None else None
    model["config"], model["n_train"], model["loops_train"] = cfg.name, cfg.n_train, cfg.loops_train
    model["layers"], model["params"] = cfg.layers, json.dumps(cfg.params, sort_keys=True)
    model["threshold"], model["max_loops"] = threshold, max_loops
    profiles = _profiles(lm.task.problem, ns, dict(cfg.params)) if families else {}
    circuit_rows = []
    from ...measure import format_depth

    for name, prof in profiles.items():
        for row in prof.table.itertuples(index=False):
            circuit_rows.append({"kind": "circuit", "problem": cfg.problem, "n": int(row.n), "family": name,
                                 "family_kind": prof.family.kind, "serial_depth": float(row.serial_depth),
                                 "claimed_depth": format_depth(prof.family.claimed_depth),
                                 "fitted_growth": prof.fit.growth if prof.fit else None})
    circuits = pd.DataFrame(circuit_rows, columns=["kind", "problem", "n", "family", "family_kind", "serial_depth",
                                                   "claimed_depth", "fitted_growth"])
    table = pd.concat([model, circuits], ignore_index=True) if len(circuits) else model.assign(
        family=None, family_kind=None, serial_depth=np.nan, claimed_depth=None, fitted_growth=None)
    info = {"problem": cfg.problem, "params": dict(cfg.params), "config": cfg.name, "n_train": cfg.n_train,
            "loops_train": cfg.loops_train, "layers": cfg.layers, "threshold": threshold, "count": count,
            "seed": seed, "max_loops": max_loops}
    return LoopStudy(table, ls, fit, note, profiles, info)


def _with_halting(ls: pd.DataFrame, fp: pd.DataFrame, conf: pd.DataFrame) -> pd.DataFrame:
    ls = ls.copy()
    for name, t in (("fixed_point", fp), ("confidence", conf)):
        t = t.set_index("n")
        ls[f"{name}_accuracy"] = ls["n"].map(t["accuracy"])
        ls[f"{name}_loops_mean"] = ls["n"].map(t["loops_mean"])
    return ls


def read_loops_study(path: str | os.PathLike[str]) -> LoopStudy:
    """The study saved in ``loops.parquet`` by :func:`write_loops_study` (L*(n) and its fit recomputed
    from the saved rows; the depth profiles are the saved circuit rows, so :attr:`LoopStudy.profiles`
    is empty).

    Example
    -------
    >>> import tempfile
    >>> from serialcomp.torch.models import get_config, train
    >>> lm = train(get_config("tiny", steps=2, eval_count=8))
    >>> s = loops_study(lm, ns=[2, 4], max_loops=2, count=8, families=False)
    >>> back = read_loops_study(write_loops_study(s, tempfile.mkdtemp())["parquet"])
    >>> back.lstar.equals(s.lstar), back.info == s.info
    (True, True)
    """
    table = pd.read_parquet(path)
    model = table[table["kind"] == "model"]
    if model.empty:
        raise SerialcompError(f"{path}: no model rows; not a loops study table")
    first = model.iloc[0]
    threshold = float(first["threshold"])
    ls = l_star(model, threshold)
    fit, note = _fit(ls["n"].to_numpy(), ls["l_star"].to_numpy(dtype=float))
    ls = _with_halting(ls, model[model["halt"] == "fixed-point"], model[model["halt"] == "confidence"])
    info = {"problem": str(first["problem"]), "params": json.loads(first["params"]), "config": str(first["config"]),
            "n_train": int(first["n_train"]), "loops_train": int(first["loops_train"]), "layers": int(first["layers"]),
            "threshold": threshold, "count": int(first["count"]), "seed": int(first["seed"]),
            "max_loops": int(first["max_loops"])}
    return LoopStudy(table, ls, fit, note, {}, info)


def _growth_curve(fit: Any, ns: np.ndarray) -> np.ndarray:
    from ...measure import GROWTH_CLASSES

    g = GROWTH_CLASSES[fit.growth][0]
    return fit.a * g(ns.astype(float)) + fit.b


def plot_loops(study: LoopStudy, path: str | os.PathLike[str] | None = None) -> Any:
    """Two panels: accuracy against loops (one line per n), and L*(n) with its fitted growth beside
    the serial depth of the problem's circuit families (log axes). Returns the Figure, or writes a
    PNG to ``path`` (atomically) and returns the path.

    Example
    -------
    >>> from serialcomp.torch.models import get_config, train
    >>> lm = train(get_config("tiny", steps=2, eval_count=8))
    >>> fig = plot_loops(loops_study(lm, ns=[2, 4], max_loops=2, count=8, families=False))
    >>> len(fig.axes)
    2
    """
    from matplotlib.figure import Figure

    t = study.table
    model = t[(t["kind"] == "model") & (t["halt"] == "fixed")]
    fig = Figure(figsize=(11, 4.2))
    ax1, ax2 = fig.subplots(1, 2)
    for n, g in model.groupby("n", sort=True):
        g = g.sort_values("loops")
        trained = " (training size)" if n == study.info["n_train"] else ""
        ax1.plot(g["loops"], g["accuracy"], marker="o", markersize=3, label=f"n = {n}{trained}",
                 linewidth=2.2 if trained else 1.2)
    thr = study.info["threshold"]
    ax1.axhline(thr, color="grey", linestyle=":", linewidth=1)
    chance = t.loc[t["kind"] == "model", "chance"].max()
    ax1.axhline(chance, color="lightgrey", linestyle="--", linewidth=1, label="most common answer")
    ax1.set(xlabel="loops L", ylabel="accuracy (record target)", ylim=(0, 1.02),
            title=f"{study.info['problem']}: accuracy against loops")
    ax1.legend(fontsize=7, ncol=2)
    ls = study.lstar.dropna(subset=["l_star"])
    layers = study.info["layers"]
    if len(ls):
        ax2.plot(ls["n"], ls["l_star"], "ko", markersize=7, label=f"L*(n): loops to reach {thr}, model")
        ax2.plot(ls["n"], ls["l_star"] * layers, "o", color="grey", markerfacecolor="none", markersize=7,
                 label=f"L*(n) x {layers} layers: layers applied")
    from ...measure import GROWTH_CLASSES

    if study.fit is not None and study.fit.growth in GROWTH_CLASSES:
        xs = np.linspace(min(ls["n"]), max(ls["n"]), 100)
        ax2.plot(xs, _growth_curve(study.fit, xs), "k-", linewidth=1, label=f"fit: {study.fit.growth}")
    circuits = t[t["kind"] == "circuit"]
    for fam, g in circuits.groupby("family", sort=False):
        g = g.sort_values("n")
        growth = g["fitted_growth"].iloc[0]
        ax2.plot(g["n"], g["serial_depth"], marker="s", markersize=3, linestyle="--", alpha=0.8,
                 label=f"{fam} ({g['family_kind'].iloc[0]}): serial depth, {growth}")
    ax2.set_xscale("log", base=2)
    ax2.set_yscale("log", base=2)
    ax2.set(xlabel="n", ylabel="loops or layers (model) / gate levels (circuits)",
            title="L*(n) beside the serial depth of the circuit families")
    if ax2.lines:
        ax2.legend(fontsize=7)
    fig.tight_layout()
    if path is None:
        return fig
    with atomic_path(path, what="plot") as tmp:
        fig.savefig(tmp, format="png", dpi=110)
    return Path(path)


def write_loops_study(study: LoopStudy, out_dir: str | os.PathLike[str] = "results",
                      what: str = "--out") -> dict[str, Path]:
    """Write ``loops.parquet`` and ``loops.png`` into ``out_dir`` (created if missing), both or neither.

    Other files in the folder are left alone (``serialcomp study``'s results may live there).

    Example
    -------
    >>> import tempfile
    >>> from serialcomp.torch.models import get_config, train
    >>> lm = train(get_config("tiny", steps=2, eval_count=8))
    >>> paths = write_loops_study(loops_study(lm, ns=[2, 4], max_loops=2, count=8, families=False), tempfile.mkdtemp())
    >>> sorted(p.name for p in paths.values())
    ['loops.parquet', 'loops.png']
    """
    out = Path(out_dir)
    if out.exists() and not out.is_dir():
        raise SerialcompError(f"{what} {out}: exists and is not a folder")
    try:
        out.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise SerialcompError(f"{what} {out}: cannot create the folder ({exc.strerror or exc})") from None
    paths = {k: out / v for k, v in LOOPS_FILES.items()}
    table = study.table.copy()
    for col in table.columns:
        if table[col].dtype == object:
            table[col] = table[col].map(lambda v: None if v is None or (isinstance(v, float) and math.isnan(v)) else str(v))
    with contextlib.ExitStack() as stack:
        tmp_parquet = stack.enter_context(atomic_path(paths["parquet"], what=what))
        tmp_png = stack.enter_context(atomic_path(paths["plot"], what=what))
        table.to_parquet(tmp_parquet, index=False)
        plot_loops(study).savefig(tmp_png, format="png", dpi=110)
    return paths
