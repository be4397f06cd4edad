"""What the README and examples/output show is what the code produces today."""

from __future__ import annotations

import re
import sys
from pathlib import Path

import pytest

from negpos.cli import main
from tests.conftest import ROOT


def test_readme_headline_table_is_current(capsys: pytest.CaptureFixture[str]) -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    shown = re.search(r"<!-- headline:start -->\n(.*)<!-- headline:end -->", readme, re.S)
    assert shown is not None
    args = [
        "compare",
        "examples/ukraine/russia-2025-06-02.yaml",
        "examples/ukraine/us-2025-04-17.yaml",
        "--format",
        "markdown",
        *("--category", "territory", "--category", "security", "--category", "reparations"),
    ]
    assert main(args) == 0
    out = capsys.readouterr().out
    assert shown.group(1).strip() == out.strip()


def test_examples_output_is_current(tmp_path: Path) -> None:
    sys.path.insert(0, str(ROOT / "examples"))
    try:
        import compare_ukraine
    finally:
        sys.path.pop(0)
    written = compare_ukraine.main(tmp_path)
    committed = sorted((ROOT / "examples" / "output").glob("*.md"))
    assert [p.name for p in committed] == sorted(p.name for p in written)
    for path in written:
        assert path.read_text(encoding="utf-8") == (
            ROOT / "examples" / "output" / path.name
        ).read_text(encoding="utf-8"), (
            f"examples/output/{path.name} is stale: run python examples/compare_ukraine.py"
        )


def test_quickstart_example_runs(capsys: pytest.CaptureFixture[str]) -> None:
    import runpy

    runpy.run_path(str(ROOT / "examples" / "quickstart.py"), run_name="__main__")
    out = capsys.readouterr().out
    assert "Waiver of claims: Ruled out: US, April 2025 excludes what the other states." in out
