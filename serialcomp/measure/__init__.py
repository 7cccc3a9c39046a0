"""Measurements: one measured cell per (family, n), depth profiles and growth fits, accuracy, and
the study (grid -> cells -> table, Markdown, plots, a result folder written whole).

Example
-------
>>> from serialcomp.measure import fit_growth
>>> fit_growth([2, 4, 8, 16, 32], [3, 5, 7, 9, 11]).growth
'log n'
"""

from .accuracy import AccuracyResult, accuracy, run_family
from .cell import Cell, measure_cell
from .claim import claim_holds, evaluate_claim, format_depth
from .grid import default_grid, grid_problems
from .growth import GROWTH_CLASSES, UNDETERMINED, GrowthFit, fit_growth
from .output import check_out_dir, json_rows, markdown_tables, write_study
from .plots import plot_accuracy, plot_depth
from .profile import DepthProfile, depth_profile
from .study import GridEntry, study, study_cells, study_table

__all__ = [
    "AccuracyResult", "Cell", "DepthProfile", "GROWTH_CLASSES", "GridEntry", "GrowthFit", "UNDETERMINED", "accuracy",
    "check_out_dir", "claim_holds", "default_grid", "depth_profile", "evaluate_claim", "fit_growth", "format_depth",
    "grid_problems", "json_rows", "markdown_tables", "measure_cell", "plot_accuracy", "plot_depth", "run_family",
    "study", "study_cells", "study_table", "write_study",
]
