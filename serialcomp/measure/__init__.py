"""Measurements: depth profiles, growth fits, accuracy of circuit families, studies and their plots.

Example
-------
>>> from serialcomp.measure import fit_growth
>>> fit_growth([2, 4, 8, 16, 32], [1, 2, 3, 4, 5]).growth
'log n'
"""

from .accuracy import AccuracyResult, accuracy, run_family
from .grid import default_grid, grid_problems
from .growth import GROWTH_CLASSES, GrowthFit, evaluate_claim, fit_growth, format_depth
from .profile import DepthProfile, depth_profile
from .plots import plot_accuracy, plot_depth
from .study import GridEntry, check_out_dir, json_rows, markdown_tables, study, write_study

__all__ = [
    "AccuracyResult", "DepthProfile", "GROWTH_CLASSES", "GridEntry", "GrowthFit", "accuracy", "check_out_dir",
    "default_grid", "depth_profile", "evaluate_claim", "fit_growth", "format_depth", "grid_problems", "json_rows",
    "markdown_tables", "plot_accuracy", "plot_depth", "run_family", "study", "write_study",
]
