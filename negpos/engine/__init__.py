"""The diff engine: relations, gaps and summaries computed on flat positions."""

from negpos.engine.diff import DiffSummary, IssueDiff, ProposalDiff, diff
from negpos.engine.rules import Relation, gap_between

__all__ = ["DiffSummary", "IssueDiff", "ProposalDiff", "Relation", "diff", "gap_between"]
