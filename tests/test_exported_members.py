"""The public API is exactly ``negpos.__all__``: it cannot grow or break by accident."""

from __future__ import annotations

import subprocess
import sys

import negpos

PUBLIC = {
    "Agreement", "CheckReport", "agreement", "check_paths",
    "Bargaining", "BargainingError", "ProfileFileError", "bargain", "derive_domain", "load_profiles",
    "Corpus", "grid_report", "matrix_report", "timeline_report", "show", "write_report",
    "gap_heatmap", "relation_grid", "gap_over_time", "save_figure", "to_pax", "from_pax",
    "write_parquet",
    "Codebook", "CodebookError", "Comparison", "ComparisonError", "DiffSummary",
    "IssueDefinition", "IssueDiff", "IssueKind", "IssueStance", "NegposError", "NumberRange",
    "NumberStance", "Party", "PartyKind", "Position", "PositionSet", "Problem", "Proposal",
    "ProposalFileError", "ProposalStatus", "Quantity", "Region", "RegionStance", "Relation",
    "Reparations", "SecurityStance", "Source", "Stance", "__version__", "compare",
    "default_codebook", "dump", "dumps", "load", "load_codebook", "load_dir", "positions_of",
}  # fmt: skip


def test_all_is_exactly_the_public_names() -> None:
    assert set(negpos.__all__) == PUBLIC
    assert negpos.__all__ == sorted(negpos.__all__)
    assert set(dir(negpos)) >= PUBLIC


def test_every_exported_name_resolves_and_is_documented() -> None:
    for name in negpos.__all__:
        value = getattr(negpos, name)
        if callable(value):
            assert value.__doc__, f"{name} has no docstring"


def test_import_negpos_loads_nothing_heavy() -> None:
    heavy = ["pandas", "numpy", "tabulate", "yaml", "pydantic", "matplotlib"]
    code = f"import sys, negpos; print([m for m in {heavy!r} if m in sys.modules])"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_loading_and_comparing_loads_neither_pandas_nor_numpy() -> None:
    code = (
        "import sys, negpos;"
        "a = negpos.load('examples/ukraine/russia-2025-06-02.yaml');"
        "negpos.compare(a, a).to_markdown();"
        "print('pandas' in sys.modules or 'numpy' in sys.modules)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"
