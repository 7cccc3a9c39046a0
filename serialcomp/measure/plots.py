"""Plots of a study table: serial depth against n on log axes, and accuracy against n.

Both return a pyplot-free :class:`matplotlib.figure.Figure` (or write a PNG), so notebooks keep
their inline backend and scripts need no display.
"""

from __future__ import annotations

import math
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

__all__ = ["plot_depth", "plot_accuracy"]


def _grid_axes(k: int) -> tuple[Any, Any]:
    # A pyplot-free Figure: no global backend switch, so notebooks keep their inline backend.
    from matplotlib.figure import Figure

    cols = min(3, k)
    rows = math.ceil(k / cols)
    fig = Figure(figsize=(5 * cols, 3.8 * rows))
    axes = fig.subplots(rows, cols, squeeze=False)
    return fig, axes


# One colour family, marker and line style per family kind, the same in every panel; markers shrink
# from constant to bounded so lines that coincide (every exact family at accuracy 1) stay visible.
# A second (third) family of the same kind in a panel takes the next shade and marker of its kind.
_KIND_STYLE = {
    "constant": dict(color="tab:green", marker="s", linestyle="-", markersize=9),
    "log": dict(color="tab:blue", marker="o", linestyle="--", markersize=7),
    "polylog": dict(color="tab:cyan", marker="v", linestyle="--", markersize=6),
    "recurrent": dict(color="tab:orange", marker="^", linestyle=":", markersize=5),
    "bounded": dict(color="tab:red", marker="D", linestyle="-", markersize=4),
}
_KIND_SHADES = {
    "constant": ("tab:green", "darkolivegreen", "yellowgreen"),
    "log": ("tab:blue", "navy", "cornflowerblue"),
    "polylog": ("tab:cyan", "teal", "paleturquoise"),
    "recurrent": ("tab:orange", "saddlebrown", "goldenrod"),
    "bounded": ("tab:red", "darkred", "salmon"),
}
_MORE_MARKERS = ("P", "X", "*", "h")
_DASH = 4.0  # points; coinciding lines take turns along one dash period


def _panel(ax: Any, grp: pd.DataFrame, value: str, note_coinciding: bool, note_growth: bool = False) -> None:
    """Draw one line per family of ``grp`` (column ``value`` against ``n``).

    With ``note_growth`` (and a ``fitted_growth`` column) the legend entry names each family's
    fitted growth, ``undetermined`` included.

    Families whose points are identical (same n, same values) are drawn so that each stays
    visible: their dashes take turns along the line (one dash period shared by the group) and their
    markers are concentric, the later ones hollow and larger. With ``note_coinciding`` the legend
    entry of a later member says which family it coincides with.
    """
    series = []
    growth: dict[str, str] = {}
    for fam, g in grp.groupby("family", sort=False):
        g = g.sort_values("n")
        series.append((fam, g["kind"].iloc[0], g["n"].to_numpy(), g[value].to_numpy(dtype=float)))
        fit = g["fitted_growth"].iloc[0] if note_growth and "fitted_growth" in g else None
        if isinstance(fit, str):
            growth[fam] = fit
    groups: list[list[int]] = []
    for i, (_, _, x, y) in enumerate(series):
        for grp_ in groups:
            _, _, x0, y0 = series[grp_[0]]
            if len(x0) == len(x) and np.array_equal(x0, x) and np.allclose(y0, y, equal_nan=True):
                grp_.append(i)
                break
        else:
            groups.append([i])
    member = {i: (gi, k, len(g)) for gi, g in enumerate(groups) for k, i in enumerate(g)}
    per_kind: dict[str, int] = {}
    for i, (fam, kind, x, y) in enumerate(series):
        style = dict(_KIND_STYLE.get(kind, {"marker": "o", "linestyle": "-", "markersize": 6}))
        j = per_kind.get(kind, 0)
        per_kind[kind] = j + 1
        shades = _KIND_SHADES.get(kind)
        if shades is not None:
            style["color"] = shades[j % len(shades)]
        if j:
            style["marker"] = _MORE_MARKERS[(j - 1) % len(_MORE_MARKERS)]
        gi, k, size = member[i]
        label = f"{fam} ({kind}; growth {growth[fam]})" if fam in growth else f"{fam} ({kind})"
        if size > 1:
            style["linestyle"] = (k * _DASH, (_DASH, (size - 1) * _DASH))
            style["markersize"] = style.get("markersize", 6) + 3 * (size - 1 - k)
            if k < size - 1:  # larger markers under smaller ones: hollow, so both show
                style["markerfacecolor"] = "none"
                style["markeredgewidth"] = 1.5
            if note_coinciding and k:
                label += f" = {series[groups[gi][0]][0]}"
        ax.plot(x, y, label=label, **style)


def _finish(fig: Any, path: str | Path | None) -> Any:
    """Save to ``path`` and close (for scripts), or return the figure (for notebooks)."""
    fig.tight_layout()
    if path is None:
        return fig
    fig.savefig(path, dpi=110)
    return None


def _panels(table: pd.DataFrame, value: str, ylabel: str, path: str | Path | None, note_coinciding: bool,
            log_y: bool, problems: list[str] | None = None, note_growth: bool = False) -> Any:
    """One panel per problem (in table order), ``value`` against n on a log2 x axis."""
    problems = list(dict.fromkeys(table["problem"])) if problems is None else problems
    fig, axes = _grid_axes(len(problems))
    for ax, problem in zip(axes.flat, problems):
        _panel(ax, table[table["problem"] == problem], value, note_coinciding=note_coinciding, note_growth=note_growth)
        ax.set_xscale("log", base=2)
        if log_y:
            ax.set_yscale("log", base=2)
        else:
            ax.set_ylim(-0.05, 1.05)
        ax.set_title(problem)
        ax.set_xlabel("n")
        ax.set_ylabel(ylabel)
        if ax.get_lines():  # a problem with nothing simulated has an empty accuracy panel
            ax.legend(fontsize=7)
    for ax in list(axes.flat)[len(problems):]:
        ax.axis("off")
    return _finish(fig, path)


def plot_depth(table: pd.DataFrame, path: str | Path | None = None) -> Any:
    """Serial depth vs n on log axes, one panel per problem, one line per family.

    Written to ``path`` (PNG) when given (and None is returned), else the matplotlib Figure is
    returned.

    Notes
    -----
    Colour and marker follow the family's kind (the i-th family of a kind in a panel takes the
    i-th shade). The legend names each family's kind and fitted growth (``tree (log; growth log
    n)``, or ``growth undetermined`` when the sizes cannot tell). Families with identical depths at
    every n (``word:Z5``'s ``count_mod`` and ``count_thr``, both 2) are drawn with interleaved
    dashes and concentric markers, and the legend names the family each one coincides with
    (``count_thr (constant; growth 1) = count_mod``). A serial depth of 0 is drawn at 1 (log axis).

    Example
    -------
    >>> from serialcomp.measure import GridEntry, study
    >>> t = study([GridEntry("parity", (2, 4, 8), count=4)], progress=False)
    >>> fig = plot_depth(t)
    >>> [ax.get_title() for ax in fig.axes], [line.get_label() for line in fig.axes[0].get_lines()]
    (['parity'], ['xor_tree (log; growth undetermined)', 'threshold2 (constant; growth 1)', 'stream (recurrent; growth undetermined)'])
    """
    table = table.assign(serial_depth=table["serial_depth"].clip(lower=1))
    return _panels(table, "serial_depth", "serial depth", path, note_coinciding=True, log_y=True, note_growth=True)


def plot_accuracy(table: pd.DataFrame, path: str | Path | None = None) -> Any:
    """Accuracy vs n for every family (bounded families fall off where theory says).

    Written to ``path`` (PNG) when given (and None is returned), else the matplotlib Figure is
    returned. Rows without a measured accuracy are left out.

    Notes
    -----
    Styles as in :func:`plot_depth`; coinciding lines (every exact family at accuracy 1) are
    interleaved the same way, without a legend note (most families of a panel share that line).

    Example
    -------
    >>> from serialcomp.measure import GridEntry, study
    >>> t = study([GridEntry("parity", (2, 4, 8), count=4)], progress=False)
    >>> fig = plot_accuracy(t)
    >>> fig.axes[0].get_ylabel(), [line.get_ydata().tolist() for line in fig.axes[0].get_lines()]
    ('accuracy', [[1.0, 1.0, 1.0], [1.0, 1.0, 1.0], [1.0, 1.0, 1.0]])
    """
    return _panels(table[table["accuracy"].notna()], "accuracy", "accuracy", path, note_coinciding=False,
                   log_y=False, problems=list(dict.fromkeys(table["problem"])))
