"""Rendering: comparisons, proposal views, grids, matrices and timelines as frames and tables.

The corpus reports (grid, matrix, timeline) load on first use, since they bring NumPy with
them and a plain two-proposal comparison does not need it.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

from negpos.reports.comparison import Comparison, compare
from negpos.reports.proposal_view import ProposalView, show
from negpos.reports.render import TABULATE_FORMATS
from negpos.reports.report import OUTPUT_FORMATS, TableReport
from negpos.reports.table import Table

if TYPE_CHECKING:
    from negpos.reports.corpus_reports import (
        GridReport,
        MatrixReport,
        TimelineReport,
        grid_report,
        matrix_report,
        timeline_report,
    )

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

_CORPUS_REPORTS = frozenset(
    {
        "GridReport",
        "MatrixReport",
        "TimelineReport",
        "grid_report",
        "matrix_report",
        "timeline_report",
    }
)


def __getattr__(name: str) -> Any:
    if name in _CORPUS_REPORTS:
        value = getattr(importlib.import_module("negpos.reports.corpus_reports"), name)
        globals()[name] = value
        return value
    raise AttributeError(f"module 'negpos.reports' has no attribute {name!r}")
