"""Rendering: comparisons (and later grids, matrices, timelines) as frames and tables."""

from negpos.reports.comparison import Comparison, compare
from negpos.reports.proposal_view import ProposalView, show
from negpos.reports.render import TABULATE_FORMATS
from negpos.reports.report import OUTPUT_FORMATS, TableReport
from negpos.reports.table import Table

__all__ = [
    "OUTPUT_FORMATS",
    "TABULATE_FORMATS",
    "Comparison",
    "ProposalView",
    "Table",
    "TableReport",
    "compare",
    "show",
]
