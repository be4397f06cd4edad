"""negpos: typed negotiation positions and an issue-by-issue diff engine.

    >>> import negpos
    >>> a = negpos.load("examples/ukraine/russia-2025-06-02.yaml")
    >>> b = negpos.load("examples/ukraine/us-2025-04-17.yaml")
    >>> negpos.compare(a, b).issue("reparations.waiver").relation
    <Relation.CONFLICT: 'conflict'>

Everything the guide teaches is here: loading and comparing proposals, the corpus and its
grid, matrix and timeline reports, figures, the report page, Parquet tables, the PA-X
crosswalk and bargaining. Names load on first use, so ``import negpos`` stays cheap; pandas
loads only when a DataFrame is asked for.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

from negpos._version import __version__

if TYPE_CHECKING:
    from negpos.bargaining import (
        Bargaining,
        BargainingError,
        ProfileFileError,
        bargain,
        derive_domain,
        load_profiles,
    )
    from negpos.codebook import (
        Codebook,
        IssueDefinition,
        IssueKind,
        default_codebook,
        load_codebook,
    )
    from negpos.corpus import Corpus
    from negpos.engine import DiffSummary, IssueDiff, Relation
    from negpos.errors import (
        CodebookError,
        ComparisonError,
        NegposError,
        Problem,
        ProposalFileError,
    )
    from negpos.files import dump, dumps, load, load_dir
    from negpos.interop import from_pax, to_pax
    from negpos.model import (
        IssueStance,
        NumberStance,
        Party,
        PartyKind,
        Proposal,
        ProposalStatus,
        Region,
        RegionStance,
        Reparations,
        SecurityStance,
        Source,
        Stance,
    )
    from negpos.positions import Position, PositionSet, positions_of
    from negpos.provenance.agreement import Agreement, agreement
    from negpos.provenance.check import CheckReport, check_paths
    from negpos.reports import (
        Comparison,
        compare,
        grid_report,
        matrix_report,
        show,
        timeline_report,
    )
    from negpos.reports.figures import gap_heatmap, gap_over_time, relation_grid, save_figure
    from negpos.reports.page import write_report
    from negpos.reports.parquet import write_parquet
    from negpos.values import NumberRange, Quantity

__all__ = [
    "Agreement",
    "Bargaining",
    "BargainingError",
    "CheckReport",
    "Codebook",
    "CodebookError",
    "Comparison",
    "ComparisonError",
    "Corpus",
    "DiffSummary",
    "IssueDefinition",
    "IssueDiff",
    "IssueKind",
    "IssueStance",
    "NegposError",
    "NumberRange",
    "NumberStance",
    "Party",
    "PartyKind",
    "Position",
    "PositionSet",
    "Problem",
    "ProfileFileError",
    "Proposal",
    "ProposalFileError",
    "ProposalStatus",
    "Quantity",
    "Region",
    "RegionStance",
    "Relation",
    "Reparations",
    "SecurityStance",
    "Source",
    "Stance",
    "__version__",
    "agreement",
    "bargain",
    "check_paths",
    "compare",
    "default_codebook",
    "derive_domain",
    "dump",
    "dumps",
    "from_pax",
    "gap_heatmap",
    "gap_over_time",
    "grid_report",
    "load",
    "load_codebook",
    "load_dir",
    "load_profiles",
    "matrix_report",
    "positions_of",
    "relation_grid",
    "save_figure",
    "show",
    "timeline_report",
    "to_pax",
    "write_parquet",
    "write_report",
]

_HOME = {
    "Corpus": "negpos.corpus",
    "grid_report": "negpos.reports",
    "matrix_report": "negpos.reports",
    "timeline_report": "negpos.reports",
    "show": "negpos.reports",
    "write_report": "negpos.reports.page",
    "gap_heatmap": "negpos.reports.figures",
    "relation_grid": "negpos.reports.figures",
    "gap_over_time": "negpos.reports.figures",
    "save_figure": "negpos.reports.figures",
    "to_pax": "negpos.interop",
    "from_pax": "negpos.interop",
    "write_parquet": "negpos.reports.parquet",
    "Bargaining": "negpos.bargaining",
    "BargainingError": "negpos.bargaining",
    "ProfileFileError": "negpos.bargaining",
    "bargain": "negpos.bargaining",
    "derive_domain": "negpos.bargaining",
    "load_profiles": "negpos.bargaining",
    "Codebook": "negpos.codebook",
    "IssueDefinition": "negpos.codebook",
    "IssueKind": "negpos.codebook",
    "default_codebook": "negpos.codebook",
    "load_codebook": "negpos.codebook",
    "DiffSummary": "negpos.engine",
    "IssueDiff": "negpos.engine",
    "Relation": "negpos.engine",
    "CodebookError": "negpos.errors",
    "ComparisonError": "negpos.errors",
    "NegposError": "negpos.errors",
    "Problem": "negpos.errors",
    "ProposalFileError": "negpos.errors",
    "dump": "negpos.files",
    "dumps": "negpos.files",
    "load": "negpos.files",
    "load_dir": "negpos.files",
    "IssueStance": "negpos.model",
    "NumberStance": "negpos.model",
    "Party": "negpos.model",
    "PartyKind": "negpos.model",
    "Proposal": "negpos.model",
    "ProposalStatus": "negpos.model",
    "Region": "negpos.model",
    "RegionStance": "negpos.model",
    "Reparations": "negpos.model",
    "SecurityStance": "negpos.model",
    "Source": "negpos.model",
    "Stance": "negpos.model",
    "Position": "negpos.positions",
    "PositionSet": "negpos.positions",
    "positions_of": "negpos.positions",
    "Agreement": "negpos.provenance.agreement",
    "agreement": "negpos.provenance.agreement",
    "CheckReport": "negpos.provenance.check",
    "check_paths": "negpos.provenance.check",
    "Comparison": "negpos.reports",
    "compare": "negpos.reports",
    "NumberRange": "negpos.values",
    "Quantity": "negpos.values",
}


def __getattr__(name: str) -> Any:
    module = _HOME.get(name)
    if module is None:
        raise AttributeError(f"module 'negpos' has no attribute {name!r}")
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(__all__)
