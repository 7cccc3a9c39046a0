"""Where the EPFL benchmark circuits are: one lookup shared by the tests and the benchmark scripts.

The 20 EPFL combinational benchmarks (``adder.aig`` ... ``voter.aig``) are not shipped with the
package.  Tests that need them skip when they are not found; set ``SERIALCOMP_EPFL`` to point at
the folder when it is not beside the checkout.
"""

from __future__ import annotations

import os
from pathlib import Path

__all__ = ["EPFL_ENV", "epfl_dir"]

EPFL_ENV = "SERIALCOMP_EPFL"
_RELATIVE = Path("shared") / "benchmarks" / "epfl"
_MARKER = "ctrl.aig"


def _candidates(start: Path) -> list[Path]:
    # A clone may sit beside ``shared/`` (../shared) or inside a tree that has it higher up.
    return [parent / _RELATIVE for parent in [start, *start.parents]]


def epfl_dir(required: bool = False) -> Path | None:
    """The folder holding the EPFL ``*.aig`` files, or ``None`` when none is found.

    Parameters
    ----------
    required : bool
        Raise ``FileNotFoundError`` (naming every place looked at) instead of returning ``None``.

    Returns
    -------
    Path or None
        ``$SERIALCOMP_EPFL`` when set, otherwise the first ``shared/benchmarks/epfl`` found beside
        this checkout, the current directory, or one of their parents, then ``/work/shared``.

    Notes
    -----
    A folder counts only when it holds ``ctrl.aig``, so an empty or partial download is not
    mistaken for the suite.  An explicitly set ``SERIALCOMP_EPFL`` that does not hold it is an
    error, never silently replaced by another folder.

    Example
    -------
    >>> d = epfl_dir()
    >>> d is None or (d / "ctrl.aig").is_file()
    True
    """
    env = os.environ.get(EPFL_ENV)
    if env:
        path = Path(env).expanduser()
        if not (path / _MARKER).is_file():
            raise FileNotFoundError(f"{EPFL_ENV}={env!r}: no {_MARKER} there (expected the EPFL *.aig files)")
        return path.resolve()
    here = Path(__file__).resolve().parents[2]
    looked: list[Path] = []
    for start in (here, Path.cwd().resolve(), Path("/work")):
        for cand in _candidates(start):
            if cand in looked:
                continue
            looked.append(cand)
            if (cand / _MARKER).is_file():
                return cand
    if required:
        raise FileNotFoundError(
            f"EPFL benchmarks not found; set {EPFL_ENV}. Looked in: " + ", ".join(map(str, looked))
        )
    return None
