"""The negpos command: output, exit codes, and one readable line per problem."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from negpos.cli import main
from tests.conftest import RUSSIA_2025, US_2025_04


def _run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "negpos", *args], capture_output=True, text=True, check=False
    )


def test_compare_headline_in_json(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["compare", str(RUSSIA_2025), str(US_2025_04), "--format", "json"]) == 0
    rows = {row["issue"]: row for row in json.loads(capsys.readouterr().out)}
    assert rows["security.UA.membership.NATO"]["relation"] == "agree"
    assert rows["reparations.waiver"]["relation"] == "conflict"


def test_compare_writes_output_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    target = tmp_path / "out.md"
    assert (
        main(["compare", str(RUSSIA_2025), str(US_2025_04), "-f", "markdown", "-o", str(target)])
        == 0
    )
    assert target.read_text(encoding="utf-8").startswith("**Russia, June 2025")
    assert capsys.readouterr().out == ""


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        ("id: x\ntitle: [unclosed\n", ":3: invalid YAML"),
        ("- a\n- b\n", "expected a proposal"),
        ("", "the file is empty"),
    ],
)
@pytest.mark.parametrize("command", ["validate", "compare"])
def test_bad_files_give_one_line_each_and_exit_1(
    tmp_path: Path, content: str, expected: str, command: str
) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text(content, encoding="utf-8")
    args = [command, str(bad)] + ([str(US_2025_04)] if command == "compare" else [])
    result = _run(*args)
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith(str(bad)) and expected in lines[0]


@pytest.mark.parametrize(
    ("old", "new", "field"),
    [
        ("date: 2025-06-02", "date: 2025-02-30", ": date: "),
        ("status: reported", "status: reported\nsurprise: 1", ": surprise: unknown field"),
    ],
)
def test_field_errors_name_file_line_and_field(
    tmp_path: Path, old: str, new: str, field: str
) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text(RUSSIA_2025.read_text(encoding="utf-8").replace(old, new, 1), encoding="utf-8")
    for args in (["validate", str(bad)], ["compare", str(bad), str(US_2025_04)]):
        result = _run(*args)
        assert result.returncode == 1 and "Traceback" not in result.stderr
        (line,) = result.stderr.strip().splitlines()
        assert line.startswith(f"{bad}:") and field in line


def test_compare_reports_problems_of_both_files(tmp_path: Path) -> None:
    one, two = tmp_path / "one.yaml", tmp_path / "two.yaml"
    one.write_text("[1]\n", encoding="utf-8")
    two.write_text("{}\n", encoding="utf-8")
    result = _run("compare", str(one), str(two))
    assert result.returncode == 1
    assert str(one) in result.stderr and str(two) in result.stderr


def test_usage_errors_exit_2() -> None:
    assert _run("compare", str(RUSSIA_2025)).returncode == 2
    assert _run("compare", str(RUSSIA_2025), str(US_2025_04), "--format", "docx").returncode == 2
    assert _run().returncode == 2


def test_validate_ok_lists_each_file(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["validate", str(RUSSIA_2025), str(US_2025_04)]) == 0
    out = capsys.readouterr().out.splitlines()
    assert len(out) == 2 and all(": ok (" in line for line in out)


def test_show_and_schema(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["show", str(RUSSIA_2025), "--format", "csv"]) == 0
    assert "reparations.waiver" in capsys.readouterr().out
    assert main(["schema"]) == 0
    schema = json.loads(capsys.readouterr().out)
    assert schema["title"] == "negpos proposal"
    assert {"id", "title", "date", "sources", "territory"} <= set(schema["properties"])


def test_version() -> None:
    result = _run("--version")
    assert result.returncode == 0 and result.stdout.startswith("negpos ")


def test_unwritable_output_is_one_line(tmp_path: Path) -> None:
    result = _run(
        "compare", str(RUSSIA_2025), str(US_2025_04), "-o", str(tmp_path / "no" / "x.txt")
    )
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1


def test_matrix_grid_timeline_commands(capsys: pytest.CaptureFixture[str]) -> None:
    examples = str(RUSSIA_2025.parent)
    assert main(["matrix", examples, "--format", "json"]) == 0
    pairs = json.loads(capsys.readouterr().out)
    assert len(pairs) == 36  # six proposals
    assert main(["grid", examples, "--baseline", "russia-2025-06-02", "-f", "csv"]) == 0
    assert "security.UA.membership.NATO" in capsys.readouterr().out
    assert main(["timeline", examples, "--party", "RU", "--reference", "UA", "-f", "json"]) == 0
    steps = json.loads(capsys.readouterr().out)
    waiver = next(s for s in steps if s["issue"] == "reparations.waiver")
    assert waiver["change"] == "added"


def test_corpus_commands_report_bad_files(tmp_path: Path) -> None:
    (tmp_path / "good.yaml").write_text(RUSSIA_2025.read_text(encoding="utf-8"), encoding="utf-8")
    (tmp_path / "other.yaml").write_text(US_2025_04.read_text(encoding="utf-8"), encoding="utf-8")
    (tmp_path / "bad.yaml").write_text("id: [\n", encoding="utf-8")
    refused = _run("matrix", str(tmp_path))
    assert refused.returncode == 1 and "bad.yaml:" in refused.stderr
    skipped = _run("matrix", str(tmp_path), "--skip-invalid")
    assert skipped.returncode == 0
    assert "skipped 1 invalid file:" in skipped.stderr and "bad.yaml" in skipped.stderr
    assert "Russia, June 2025" in skipped.stdout


def test_unknown_party_or_baseline_is_a_usage_error_in_one_line(tmp_path: Path) -> None:
    examples = str(RUSSIA_2025.parent)
    for args in (["timeline", examples, "--party", "XX"], ["grid", examples, "--baseline", "no"]):
        result = _run(*args)
        assert result.returncode == 2 and "Traceback" not in result.stderr
        assert len(result.stderr.strip().splitlines()) == 1


def test_figure_suffix_is_checked_before_any_work(tmp_path: Path) -> None:
    table = tmp_path / "m.txt"
    result = _run("matrix", str(RUSSIA_2025.parent), "--figure", "out.pdf", "-o", str(table))
    assert result.returncode == 2 and "Traceback" not in result.stderr
    assert ".png or .svg" in result.stderr
    assert not table.exists()


def test_figure_is_written(tmp_path: Path) -> None:
    pytest.importorskip("matplotlib", reason="figures need the plot extra")
    figure = tmp_path / "m.svg"
    result = _run("matrix", str(RUSSIA_2025.parent), "--figure", str(figure))
    assert result.returncode == 0, result.stderr
    assert figure.read_text(encoding="utf-8").lstrip().startswith("<?xml")
