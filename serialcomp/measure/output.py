"""A study's result set: its table as Markdown and as JSON rows, and the files written as one set.

:func:`write_study` writes ``results.parquet``, ``timings.csv``, ``table.md``, ``depth.png`` and
``accuracy.png`` into a temporary folder inside the target and moves them into place only when all
five are complete (:func:`~serialcomp._atomic.atomic_entries`): an error or an interrupt leaves the
previous results whole, and no new file beside them. Other files in the folder (the loops study's
``loops.parquet``, the chains sweep's ``chains.parquet``) are kept: ``results/`` is shared.

``results.parquet`` holds every column of the study table but ``seconds``, so it is a function of
the grid and the seed alone: the same bytes on every run, in this process or on a Dask cluster.
The wall-clock seconds of each cell, which differ from run to run, go to ``timings.csv``
(``problem, family, n, seconds``).
"""

from __future__ import annotations

import math
import os
from pathlib import Path
from typing import Any

import pandas as pd

from .._atomic import atomic_entries
from ..errors import SerialcompError
from .plots import plot_accuracy, plot_depth

__all__ = ["JSON_KEYS", "RESULT_FILES", "TIMING_COLUMNS", "check_out_dir", "json_rows", "markdown_tables", "write_study"]

#: Keys of :func:`json_rows` (the rows of ``serialcomp study --json``), in order.
JSON_KEYS = [
    "problem", "family", "kind", "n", "depth", "size", "serial_depth", "accuracy", "fitted_growth", "claimed_depth",
    "claimed_depth_at_n", "agrees",
]

#: The files of a study's result folder, by key of :func:`write_study`'s answer.
RESULT_FILES = {"parquet": "results.parquet", "timings": "timings.csv", "markdown": "table.md", "depth": "depth.png",
                "accuracy": "accuracy.png"}

#: Columns of ``timings.csv``: a cell's key and its wall-clock seconds (kept out of results.parquet).
TIMING_COLUMNS = ["problem", "family", "n", "seconds"]


def markdown_tables(table: pd.DataFrame) -> str:
    """One Markdown table per problem: family, kind, claimed depth, fitted growth, depth at the
    largest n, and accuracy at each n.

    A family not measured at the problem's largest n shows its serial depth at its own largest n,
    with that n in brackets; ``-`` marks an accuracy that was not measured, or a growth that was
    not fitted (fewer than 3 sizes). A growth the sizes cannot determine reads ``undetermined``.

    Example
    -------
    >>> from serialcomp.measure import GridEntry, study
    >>> t = study([GridEntry("parity", (2, 4, 8, 16), count=4)], progress=False)
    >>> print(markdown_tables(t))
    ### parity
    <BLANKLINE>
    | family | kind | claimed depth | fitted growth | serial depth at n=16 | acc n=2 | acc n=4 | acc n=8 | acc n=16 |
    |---|---|---|---|---|---|---|---|---|
    | xor_tree | log | ceil(log2 n) | undetermined | 4 | 1.00 | 1.00 | 1.00 | 1.00 |
    | threshold2 | constant | 2 | 1 | 2 | 1.00 | 1.00 | 1.00 | 1.00 |
    | stream | recurrent | n | n | 16 | 1.00 | 1.00 | 1.00 | 1.00 |
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
            fit = g["fitted_growth"].iloc[0]
            fit = fit if isinstance(fit, str) else "-"  # None, or NaN once the table went through Parquet
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
    >>> from serialcomp.measure import GridEntry, study
    >>> t = study([GridEntry("parity", (2, 4, 8, 16), count=4)], progress=False)
    >>> json_rows(t)[-1]  # doctest: +NORMALIZE_WHITESPACE
    {'problem': 'parity', 'family': 'stream', 'kind': 'recurrent', 'n': 16, 'depth': 1, 'size': 1,
     'serial_depth': 16, 'accuracy': 1.0, 'fitted_growth': 'n', 'claimed_depth': 'n',
     'claimed_depth_at_n': 16, 'agrees': True}
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


def _check_replaceable(out: Path, what: str) -> None:
    """Refuse a folder the study's files cannot go into: a symbolic link, or a folder where one of
    the result names is taken by a folder."""
    if out.is_symlink():
        raise SerialcompError(f"{what} {out}: is a symbolic link; give the folder it points to")
    if not out.is_dir():
        return
    for name in RESULT_FILES.values():
        if (out / name).is_dir():
            raise SerialcompError(f"{what} {out}: {name} there is a folder, where the study writes a file")


def check_out_dir(out_dir: str | os.PathLike[str], what: str = "out_dir") -> Path:
    """Check, without creating anything, that ``out_dir`` can be the output folder of a study.

    It must be a new path whose nearest existing ancestor is a writable folder, or an existing
    folder: the study's files (:data:`RESULT_FILES`) replace those of a previous study as one set,
    and other files there (``loops.parquet``, ``chains.parquet``, notes) are kept. Call it before a
    long run so that a bad path fails at once.

    Raises
    ------
    SerialcompError
        Naming ``what`` (e.g. ``"--out"``) and the path: it is a file, cannot be written, or is a
        symbolic link.

    Example
    -------
    >>> import tempfile, pathlib
    >>> d = pathlib.Path(tempfile.mkdtemp()); _ = (d / "notes.txt").write_text("keep me")
    >>> check_out_dir(d / "results") == d / "results"
    True
    >>> check_out_dir(d / "notes.txt", "--out")
    Traceback (most recent call last):
    ...
    serialcomp.errors.SerialcompError: --out ...notes.txt: exists and is not a folder
    >>> check_out_dir(d, "--out") == d  # notes.txt stays beside the results
    True
    """
    out = Path(out_dir)
    if out.is_symlink():
        raise SerialcompError(f"{what} {out}: is a symbolic link; give the folder it points to")
    probe = out
    while not probe.exists() and probe != probe.parent:
        probe = probe.parent
    if probe.exists() and not probe.is_dir():
        if probe == out:
            raise SerialcompError(f"{what} {out}: exists and is not a folder")
        raise SerialcompError(f"{what} {out}: {probe} is a file, not a folder")
    writable = probe.parent if probe == out and out.exists() else probe
    if not os.access(writable if str(writable) else ".", os.W_OK | os.X_OK):
        raise SerialcompError(f"{what} {out}: {writable} is not writable")
    _check_replaceable(out, what)
    return out


def write_study(table: pd.DataFrame, out_dir: str | os.PathLike[str], *, markdown: str | None = None,
                what: str = "out_dir") -> dict[str, Path]:
    """Write the result set of ``table`` into the folder ``out_dir``: results.parquet (every column
    but ``seconds``: the same bytes for the same grid and seed), timings.csv (the seconds), table.md,
    depth.png and accuracy.png, swapped into place as one set (missing folders are created; other
    files in ``out_dir`` are kept).

    Parameters
    ----------
    table : pandas.DataFrame
        A study table (:func:`~serialcomp.measure.study`).
    out_dir : path
        The result folder: a previous study's files there are replaced, others kept (see
        :func:`check_out_dir`, which a caller runs before a long study).
    markdown : str, optional
        The text of table.md when the caller has it already (:func:`markdown_tables` of ``table``).
    what : str
        How ``out_dir`` is named in errors (``"--out"`` for the command line).

    Returns
    -------
    dict of str to Path
        The paths written, under the keys of :data:`RESULT_FILES`.

    Raises
    ------
    SerialcompError
        If ``out_dir`` is a file or its folder cannot be created. Nothing is left behind: a
        previous result set, if any, is as it was.

    Example
    -------
    >>> import tempfile
    >>> from serialcomp.measure import GridEntry, study
    >>> t = study([GridEntry("parity", (2, 4, 8), count=4)], progress=False)
    >>> paths = write_study(t, tempfile.mkdtemp())
    >>> sorted(paths), sorted(p.name for p in paths.values() if p.stat().st_size > 0)
    (['accuracy', 'depth', 'markdown', 'parquet', 'timings'], ['accuracy.png', 'depth.png', 'results.parquet', 'table.md', 'timings.csv'])
    >>> back = pd.read_parquet(paths["parquet"])
    >>> len(back) == len(t), "seconds" in back.columns, list(pd.read_csv(paths["timings"]).columns)
    (True, False, ['problem', 'family', 'n', 'seconds'])
    """
    out = Path(out_dir)
    _check_replaceable(out, what)
    if not out.parent.is_dir():
        try:
            out.parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise SerialcompError(f"{what} {out}: cannot create its folder {out.parent} ({exc.strerror or exc})") from None
    text = markdown_tables(table) if markdown is None else markdown
    with atomic_entries(out, what=what) as tmp:
        table.drop(columns=["seconds"], errors="ignore").to_parquet(tmp / RESULT_FILES["parquet"], index=False)
        table[[c for c in TIMING_COLUMNS if c in table.columns]].to_csv(tmp / RESULT_FILES["timings"], index=False)
        (tmp / RESULT_FILES["markdown"]).write_text(text)
        plot_depth(table, tmp / RESULT_FILES["depth"])
        plot_accuracy(table, tmp / RESULT_FILES["accuracy"])
    return {key: out / name for key, name in RESULT_FILES.items()}
