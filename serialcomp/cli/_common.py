"""Helpers shared by the subcommands: argument types, progress bars, help formatting, .npy files."""

from __future__ import annotations

import argparse
import sys
from typing import Any, Sequence

import numpy as np

__all__ = ["FORMATS", "positive_int", "progress", "save_npy", "HelpFormatter"]

FORMATS = ".aag (ASCII AIGER), .aig (binary AIGER), .bench (ISCAS BENCH), .thr (threshold text format)"


def positive_int(text: str) -> int:
    """An argparse type: an integer >= 1.

    Example
    -------
    >>> positive_int("3")
    3
    """
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a positive integer, got {text!r}") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"expected a positive integer, got {value}")
    return value


def progress(items: Sequence[Any], desc: str) -> Any:
    """``items`` wrapped in a tqdm bar on stderr when there are several and stderr is a terminal."""
    if len(items) < 3 or not sys.stderr.isatty():
        return items
    from tqdm import tqdm

    return tqdm(items, desc=desc, unit="file", file=sys.stderr)


def save_npy(path: str, array: np.ndarray) -> None:
    """Write ``array`` to ``path`` exactly as named (``np.save(str)`` would append ``.npy``)."""
    with open(path, "wb") as f:
        np.save(f, array)


class HelpFormatter(argparse.ArgumentDefaultsHelpFormatter, argparse.RawDescriptionHelpFormatter):
    """Defaults shown after options that have one; the description and epilog kept as written."""

    def _get_help_string(self, action: argparse.Action) -> str:
        if action.default is None or action.default is False or action.required:
            return action.help or ""
        return super()._get_help_string(action)
