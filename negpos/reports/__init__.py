"""Rendering: comparisons (and later grids, matrices, timelines) as frames and tables."""

from negpos.reports.comparison import Comparison, compare
from negpos.reports.corpus_reports import (
    GridReport,
    MatrixReport,
    TimelineReport,
    grid_report,
    matrix_report,
    timeline_report,
)
from negpos.reports.proposal_view import ProposalView, show
from negpos.reports.render import TABULATE_FORMATS
from negpos.reports.report import OUTPUT_FORMATS, TableReport
from negpos.reports.table import Table

__all__ = [
    "OUTPUT_FORMATS",
    "TABULATE_FORMATS",
    "Comparison",
    "GridReport",
    "MatrixReport",
    "ProposalView",
    "Table",
    "TableReport",
    "TimelineReport",
    "compare",
    "grid_report",
    "matrix_report",
    "show",
    "timeline_report",
]
